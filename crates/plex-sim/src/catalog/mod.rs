//! Deterministic, lazily generated library catalogs.
//!
//! Only the shape of each section (ratingKey ranges; seasons and episode counts of
//! shows) is built up front. Items are generated on demand from `(seed, ratingKey)`;
//! the small per-item summaries that sorting and filtering need are built on first
//! use and cached, so serving a page never generates more than that page.

mod facts;
mod fields;
mod items;
pub mod words;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::node::Node;
use crate::rng::Rng;
use crate::scenario::{LibraryKind, LibrarySpec};

pub use fields::NOW;

/// First ratingKey handed out on every server.
const FIRST_RATING_KEY: u64 = 1001;

/// Sorted positions per (episodes?, sort key).
type OrderCache = HashMap<(bool, SortKey), Arc<Vec<u32>>>;

/// A server's libraries.
#[derive(Debug)]
pub struct Catalog {
    pub(crate) seed: u64,
    pub sections: Vec<Section>,
}

/// One library section.
#[derive(Debug)]
pub struct Section {
    pub key: u32,
    pub kind: LibraryKind,
    pub title: String,
    pub uuid: String,
    pub hidden: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub scanned_at: i64,
    pub content_changed_at: i64,
    /// Number of top-level items (movies, shows, artists, photos).
    pub count: u32,
    pub(crate) first_key: u64,
    pub(crate) end_key: u64,
    pub(crate) shows: Vec<ShowShape>,
    pub(crate) seasons: Vec<SeasonShape>,
    pub(crate) episode_total: u64,
    top: OnceLock<Vec<Brief>>,
    leaves: OnceLock<Vec<Brief>>,
    orders: Mutex<OrderCache>,
}

#[derive(Debug, Clone)]
pub(crate) struct ShowShape {
    pub key: u64,
    pub first_season: usize,
    pub season_count: u32,
    pub leaf_count: u32,
    pub viewed_leaf_count: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct SeasonShape {
    pub key: u64,
    pub show: usize,
    pub index: u32,
    pub first_episode_key: u64,
    pub episodes: u32,
    /// Episodes of the section before this season's first.
    pub leaf_prefix: u64,
    /// Episodes of the show before this season's first.
    pub show_prefix: u32,
}

/// What sorting and filtering need to know about an item.
#[derive(Debug, Clone)]
pub(crate) struct Brief {
    pub key: u64,
    pub title_sort: Box<str>,
    pub added_at: i64,
    pub year: i32,
    pub rating: f32,
    pub watched: bool,
    pub last_viewed_at: i64,
    pub genres: u32,
}

/// Something a ratingKey names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Movie {
        section: usize,
        key: u64,
    },
    Show {
        section: usize,
        show: usize,
    },
    Season {
        section: usize,
        season: usize,
    },
    Episode {
        section: usize,
        season: usize,
        index: u32,
    },
    Artist {
        section: usize,
        key: u64,
    },
    Photo {
        section: usize,
        key: u64,
    },
}

/// Sort orders of `/all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Natural,
    TitleSort,
    AddedAt,
    Year,
    Rating,
    LastViewedAt,
    Random,
}

/// Filters and order of a listing.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// `type=`: 1 movie, 2 show, 3 season, 4 episode, 8 artist, 13 photo.
    pub item_type: Option<u32>,
    pub unwatched: bool,
    /// Genre tag or id.
    pub genre: Option<String>,
    pub year: Option<i32>,
    /// `year>>=N`: at least N.
    pub year_min: Option<i32>,
    /// `year<<=N`: at most N.
    pub year_max: Option<i32>,
    /// `year!=N`.
    pub year_not: Option<i32>,
    pub sort: Option<(SortKey, bool)>,
    /// Seed for `sort=random`.
    pub random_seed: u64,
    /// PMS filter operators on numeric fields (`viewCount>>=1`, `viewedLeafCount=0`...).
    pub numeric: Vec<NumericFilter>,
}

/// A numeric field `/all` filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericField {
    ViewCount,
    ViewedLeafCount,
    LeafCount,
    LastViewedAt,
    ViewOffset,
}

/// How a field compares: PMS's `=`, `!=`, `>>=` (at least) and `<<=` (at most).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOp {
    Eq,
    Ne,
    AtLeast,
    AtMost,
}

/// One `field<op>value` of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumericFilter {
    pub field: NumericField,
    pub op: NumericOp,
    pub value: i64,
}

impl NumericField {
    pub fn parse(name: &str) -> Option<NumericField> {
        Some(match name {
            "viewCount" => NumericField::ViewCount,
            "viewedLeafCount" => NumericField::ViewedLeafCount,
            "leafCount" => NumericField::LeafCount,
            "lastViewedAt" => NumericField::LastViewedAt,
            "viewOffset" => NumericField::ViewOffset,
            _ => return None,
        })
    }
}

impl NumericFilter {
    /// A query pair as PMS receives it: `viewCount>>=1` arrives as `("viewCount>>", "1")`,
    /// `viewCount!=0` as `("viewCount!", "0")`. `None` when the name is no numeric filter;
    /// `Some(Err(()))` when it is one but the value is not a number.
    pub fn from_pair(name: &str, value: &str) -> Option<Result<NumericFilter, ()>> {
        let (field, op) = if let Some(f) = name.strip_suffix(">>") {
            (f, NumericOp::AtLeast)
        } else if let Some(f) = name.strip_suffix("<<") {
            (f, NumericOp::AtMost)
        } else if let Some(f) = name.strip_suffix('!') {
            (f, NumericOp::Ne)
        } else {
            (name, NumericOp::Eq)
        };
        let field = NumericField::parse(field)?;
        Some(
            value
                .trim()
                .parse::<i64>()
                .map(|value| NumericFilter { field, op, value })
                .map_err(|_| ()),
        )
    }

    /// Whether an item with this watch state passes (a missing field counts as 0, as on PMS).
    pub fn keeps(&self, w: &WatchState) -> bool {
        let v = match self.field {
            NumericField::ViewCount => i64::from(w.view_count),
            NumericField::ViewedLeafCount => i64::from(w.viewed_leaf_count.unwrap_or(0)),
            NumericField::LeafCount => i64::from(w.leaf_count.unwrap_or(0)),
            NumericField::LastViewedAt => w.last_viewed_at.unwrap_or(0),
            NumericField::ViewOffset => w.view_offset.unwrap_or(0),
        };
        match self.op {
            NumericOp::Eq => v == self.value,
            NumericOp::Ne => v != self.value,
            NumericOp::AtLeast => v >= self.value,
            NumericOp::AtMost => v <= self.value,
        }
    }
}

/// An item's watch state as one viewer sees it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchState {
    pub view_count: u32,
    pub view_offset: Option<i64>,
    pub last_viewed_at: Option<i64>,
    /// Shows and seasons.
    pub viewed_leaf_count: Option<u32>,
    /// Shows and seasons.
    pub leaf_count: Option<u32>,
}

impl WatchState {
    /// What `unwatched=1` leaves out: watched movies and episodes, fully watched shows.
    pub fn is_watched(&self) -> bool {
        match (self.viewed_leaf_count, self.leaf_count) {
            (Some(v), Some(l)) => v == l,
            _ => self.view_count > 0,
        }
    }
}

/// Who is looking: the account, or a Home profile (its watch seed and content limit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    /// A profile's watch seed; `None`: the account's own watch state.
    pub profile: Option<u64>,
    /// The highest viewer age of the ratings it may see ([`crate::scenario::rating_age`]).
    pub limit_age: Option<u8>,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page {
    pub total: u64,
    pub keys: Vec<u64>,
}

impl SortKey {
    /// Parses `titleSort`, `addedAt:desc`, `random`... Unknown names give `None`.
    pub fn parse(s: &str) -> Option<(SortKey, bool)> {
        let (name, dir) = match s.split_once(':') {
            Some((n, d)) => (n, d),
            None => (s, ""),
        };
        let desc = dir.eq_ignore_ascii_case("desc");
        let key = match name {
            "titleSort" | "title" => SortKey::TitleSort,
            "addedAt" => SortKey::AddedAt,
            "year" | "originallyAvailableAt" => SortKey::Year,
            "rating" | "audienceRating" => SortKey::Rating,
            "lastViewedAt" => SortKey::LastViewedAt,
            "random" => SortKey::Random,
            _ => return None,
        };
        Some((key, desc))
    }
}

impl Catalog {
    /// Builds the shape of every section of a server.
    pub fn new(seed: u64, libraries: &[LibrarySpec]) -> Catalog {
        let mut next_key = FIRST_RATING_KEY;
        let mut sections = Vec::with_capacity(libraries.len());
        for (i, lib) in libraries.iter().enumerate() {
            let key = i as u32 + 1;
            let mut rng = Rng::for_item(seed, u64::from(key), 0x5EC7);
            let created_at = NOW - rng.range(400, 3000) as i64 * 86_400;
            let updated_at = NOW - rng.range(1, 30) as i64 * 86_400;
            let title = lib
                .title
                .clone()
                .unwrap_or_else(|| default_title(lib.kind).into());
            let uuid = format!(
                "{}-{}-4{}-8{}-{}",
                rng.hex(8),
                rng.hex(4),
                rng.hex(3),
                rng.hex(3),
                rng.hex(12)
            );
            let first_key = next_key;
            let mut shows = Vec::new();
            let mut seasons = Vec::new();
            let mut episode_total = 0u64;
            if lib.kind == LibraryKind::Show {
                for ordinal in 0..lib.count {
                    let mut srng =
                        Rng::for_item(seed, (u64::from(key) << 32) | u64::from(ordinal), 0x5A9E);
                    let show_key = next_key;
                    next_key += 1;
                    let season_count = srng.range(1, 6) as u32;
                    let first_season = seasons.len();
                    let mut show_prefix = 0u32;
                    for s in 0..season_count {
                        let season_key = next_key;
                        next_key += 1;
                        let episodes = srng.range(6, 22) as u32;
                        seasons.push(SeasonShape {
                            key: season_key,
                            show: shows.len(),
                            index: s + 1,
                            first_episode_key: next_key,
                            episodes,
                            leaf_prefix: episode_total,
                            show_prefix,
                        });
                        next_key += u64::from(episodes);
                        episode_total += u64::from(episodes);
                        show_prefix += episodes;
                    }
                    let leaf_count = show_prefix;
                    let mode = srng.unit();
                    let viewed_leaf_count = if mode < 0.45 {
                        0
                    } else if mode < 0.80 {
                        srng.range(1, u64::from(leaf_count.saturating_sub(1).max(1))) as u32
                    } else {
                        leaf_count
                    };
                    shows.push(ShowShape {
                        key: show_key,
                        first_season,
                        season_count,
                        leaf_count,
                        viewed_leaf_count,
                    });
                }
            } else {
                next_key += u64::from(lib.count);
            }
            sections.push(Section {
                key,
                kind: lib.kind,
                title,
                uuid,
                hidden: lib.hidden,
                created_at,
                updated_at,
                scanned_at: updated_at + 60,
                content_changed_at: 1_000_000 + rng.range(0, 9_000_000) as i64,
                count: lib.count,
                first_key,
                end_key: next_key,
                shows,
                seasons,
                episode_total,
                top: OnceLock::new(),
                leaves: OnceLock::new(),
                orders: Mutex::new(HashMap::new()),
            });
            // Leave a gap between sections, as real servers do.
            next_key += 10;
        }
        Catalog { seed, sections }
    }

    /// The section with this key (`"1"`, `"2"`...).
    pub fn section(&self, key: &str) -> Option<(usize, &Section)> {
        let key: u32 = key.parse().ok()?;
        self.sections.iter().enumerate().find(|(_, s)| s.key == key)
    }

    /// What a ratingKey names, if anything.
    pub fn entity(&self, rating_key: u64) -> Option<Entity> {
        let (si, sec) = self
            .sections
            .iter()
            .enumerate()
            .find(|(_, s)| rating_key >= s.first_key && rating_key < s.end_key)?;
        match sec.kind {
            LibraryKind::Movie => Some(Entity::Movie {
                section: si,
                key: rating_key,
            }),
            LibraryKind::Artist => Some(Entity::Artist {
                section: si,
                key: rating_key,
            }),
            LibraryKind::Photo => Some(Entity::Photo {
                section: si,
                key: rating_key,
            }),
            LibraryKind::Show => {
                let show = match sec.shows.binary_search_by_key(&rating_key, |s| s.key) {
                    Ok(i) => {
                        return Some(Entity::Show {
                            section: si,
                            show: i,
                        })
                    }
                    Err(0) => return None,
                    Err(i) => i - 1,
                };
                let shape = &sec.shows[show];
                for season in shape.first_season..shape.first_season + shape.season_count as usize {
                    let s = &sec.seasons[season];
                    if s.key == rating_key {
                        return Some(Entity::Season {
                            section: si,
                            season,
                        });
                    }
                    if rating_key >= s.first_episode_key
                        && rating_key < s.first_episode_key + u64::from(s.episodes)
                    {
                        return Some(Entity::Episode {
                            section: si,
                            season,
                            index: (rating_key - s.first_episode_key) as u32,
                        });
                    }
                }
                None
            }
        }
    }

    /// The metadata node of an entity (as `/library/metadata/{id}` and listings show it).
    pub fn node(&self, entity: Entity) -> Node {
        items::node(self, entity)
    }

    /// The entity at position `i` of the section's top-level list.
    fn top_entity(&self, si: usize, i: usize) -> Entity {
        let sec = &self.sections[si];
        match sec.kind {
            LibraryKind::Movie => Entity::Movie {
                section: si,
                key: sec.first_key + i as u64,
            },
            LibraryKind::Artist => Entity::Artist {
                section: si,
                key: sec.first_key + i as u64,
            },
            LibraryKind::Photo => Entity::Photo {
                section: si,
                key: sec.first_key + i as u64,
            },
            LibraryKind::Show => Entity::Show {
                section: si,
                show: i,
            },
        }
    }

    /// The section's `n`-th episode (in show, season, episode order).
    fn leaf_entity(&self, si: usize, n: u64) -> Entity {
        let sec = &self.sections[si];
        let season = match sec.seasons.binary_search_by_key(&n, |s| s.leaf_prefix) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let index = (n - sec.seasons[season].leaf_prefix) as u32;
        Entity::Episode {
            section: si,
            season,
            index,
        }
    }

    fn briefs(&self, si: usize, leaves: bool) -> &Vec<Brief> {
        let sec = &self.sections[si];
        if leaves {
            sec.leaves.get_or_init(|| {
                (0..sec.episode_total)
                    .map(|n| facts::brief(self, self.leaf_entity(si, n)))
                    .collect()
            })
        } else {
            sec.top.get_or_init(|| {
                (0..sec.count as usize)
                    .map(|i| facts::brief(self, self.top_entity(si, i)))
                    .collect()
            })
        }
    }

    fn order(&self, si: usize, leaves: bool, key: SortKey) -> Arc<Vec<u32>> {
        let sec = &self.sections[si];
        if let Ok(cache) = sec.orders.lock() {
            if let Some(o) = cache.get(&(leaves, key)) {
                return o.clone();
            }
        }
        let briefs = self.briefs(si, leaves);
        let mut idx: Vec<u32> = (0..briefs.len() as u32).collect();
        match key {
            SortKey::Natural | SortKey::Random => {}
            SortKey::TitleSort => idx.sort_by(|a, b| {
                let (a, b) = (&briefs[*a as usize], &briefs[*b as usize]);
                a.title_sort
                    .to_lowercase()
                    .cmp(&b.title_sort.to_lowercase())
                    .then(a.key.cmp(&b.key))
            }),
            SortKey::AddedAt => idx.sort_by_key(|i| (briefs[*i as usize].added_at, *i)),
            SortKey::Year => idx.sort_by_key(|i| (briefs[*i as usize].year, *i)),
            SortKey::Rating => idx.sort_by(|a, b| {
                briefs[*a as usize]
                    .rating
                    .total_cmp(&briefs[*b as usize].rating)
                    .then(a.cmp(b))
            }),
            SortKey::LastViewedAt => idx.sort_by_key(|i| (briefs[*i as usize].last_viewed_at, *i)),
        }
        let idx = Arc::new(idx);
        if let Ok(mut cache) = sec.orders.lock() {
            cache.insert((leaves, key), idx.clone());
        }
        idx
    }

    /// A page of `/library/sections/{key}/all` as the account sees it.
    pub fn list_section(&self, si: usize, q: &ListQuery, start: u64, size: Option<u64>) -> Page {
        self.list_section_for(si, q, start, size, View::default())
    }

    /// The watch state of an entity as `profile` (a watch seed) or the account sees it.
    pub fn watch_state(&self, e: Entity, profile: Option<u64>) -> WatchState {
        facts::watch_state(self, e, profile)
    }

    /// The content rating an item's node carries (seasons and episodes: their show's).
    pub fn content_rating(&self, e: Entity) -> Option<&'static str> {
        facts::content_rating(self, e)
    }

    /// Whether a viewer limited to `limit_age` may see the entity (music and photos: always;
    /// an unknown or `NR` rating: never).
    pub fn visible(&self, e: Entity, limit_age: Option<u8>) -> bool {
        let Some(limit) = limit_age else {
            return true;
        };
        match e {
            Entity::Artist { .. } | Entity::Photo { .. } => true,
            _ => self
                .content_rating(e)
                .and_then(crate::scenario::rating_age)
                .is_some_and(|age| age <= limit),
        }
    }

    /// Sets `viewCount`, `viewOffset`, `lastViewedAt` and `viewedLeafCount` of a node as
    /// `profile` sees them (nothing changes for the account).
    pub fn apply_view(&self, e: Entity, node: &mut Node, profile: Option<u64>) {
        if profile.is_none() || matches!(e, Entity::Artist { .. } | Entity::Photo { .. }) {
            return;
        }
        let w = self.watch_state(e, profile);
        node.attrs.retain(|(n, _)| {
            !matches!(
                *n,
                "viewCount" | "viewOffset" | "lastViewedAt" | "viewedLeafCount"
            )
        });
        if w.view_count > 0 {
            node.set("viewCount", w.view_count);
        }
        if let Some(o) = w.view_offset {
            node.set("viewOffset", o);
        }
        if let Some(l) = w.last_viewed_at {
            node.set("lastViewedAt", l);
        }
        if let Some(v) = w.viewed_leaf_count {
            node.set("viewedLeafCount", v);
        }
    }

    /// A page of `/library/sections/{key}/all` as `view` sees it: its watch state, only the
    /// titles it may see.
    pub fn list_section_for(
        &self,
        si: usize,
        q: &ListQuery,
        start: u64,
        size: Option<u64>,
        view: View,
    ) -> Page {
        let sec = &self.sections[si];
        let natural_type = match sec.kind {
            LibraryKind::Movie => 1,
            LibraryKind::Show => 2,
            LibraryKind::Artist => 8,
            LibraryKind::Photo => 13,
        };
        let item_type = q.item_type.unwrap_or(natural_type);
        let leaves = sec.kind == LibraryKind::Show && item_type == 4;
        if item_type != natural_type && !leaves {
            return Page {
                total: 0,
                keys: Vec::new(),
            };
        }
        let default_sort = if leaves {
            SortKey::Natural
        } else {
            SortKey::TitleSort
        };
        let (sort, desc) = q.sort.unwrap_or((default_sort, false));
        let briefs = self.briefs(si, leaves);
        let genre_mask = q.genre.as_deref().map(fields::genre_mask);
        // A profile's own watch state is only worked out when a filter needs it.
        let needs_state = (view.profile.is_some() && q.unwatched) || !q.numeric.is_empty();
        let per_item = |b: &Brief| {
            if !needs_state && view.limit_age.is_none() {
                return true;
            }
            let Some(e) = self.entity(b.key) else {
                return false;
            };
            if !self.visible(e, view.limit_age) {
                return false;
            }
            if !needs_state {
                return true;
            }
            let w = self.watch_state(e, view.profile);
            (!q.unwatched || !w.is_watched()) && q.numeric.iter().all(|f| f.keeps(&w))
        };
        let keep = |b: &Brief| {
            (!q.unwatched || view.profile.is_some() || !b.watched)
                && genre_mask.is_none_or(|m| b.genres & m != 0)
                && q.year.is_none_or(|y| b.year == y)
                && q.year_min.is_none_or(|y| b.year >= y)
                && q.year_max.is_none_or(|y| b.year <= y)
                && q.year_not.is_none_or(|y| b.year != y)
                && per_item(b)
        };
        let order: Arc<Vec<u32>> = if sort == SortKey::Random {
            let mut idx: Vec<u32> = (0..briefs.len() as u32).collect();
            let mut rng = Rng::new(q.random_seed);
            for i in (1..idx.len()).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                idx.swap(i, j);
            }
            Arc::new(idx)
        } else {
            self.order(si, leaves, sort)
        };
        let iter: Box<dyn Iterator<Item = &u32>> = if desc {
            Box::new(order.iter().rev())
        } else {
            Box::new(order.iter())
        };
        let want = size.unwrap_or(u64::MAX);
        let mut total = 0u64;
        let mut keys = Vec::new();
        for i in iter {
            let b = &briefs[*i as usize];
            if !keep(b) {
                continue;
            }
            if total >= start && (keys.len() as u64) < want {
                keys.push(b.key);
            }
            total += 1;
        }
        Page { total, keys }
    }

    /// Children of a show (its seasons) or a season (its episodes), or all episodes of a
    /// show or season (`leaves`). `None` when the entity has no such children.
    pub fn children(&self, entity: Entity, leaves: bool) -> Option<Vec<u64>> {
        match entity {
            Entity::Show { section, show } => {
                let sec = &self.sections[section];
                let shape = &sec.shows[show];
                let seasons = &sec.seasons
                    [shape.first_season..shape.first_season + shape.season_count as usize];
                Some(if leaves {
                    seasons
                        .iter()
                        .flat_map(|s| {
                            s.first_episode_key..s.first_episode_key + u64::from(s.episodes)
                        })
                        .collect()
                } else {
                    seasons.iter().map(|s| s.key).collect()
                })
            }
            Entity::Season { section, season } => {
                let s = &self.sections[section].seasons[season];
                Some((s.first_episode_key..s.first_episode_key + u64::from(s.episodes)).collect())
            }
            Entity::Artist { .. } => Some(Vec::new()),
            _ => None,
        }
    }

    /// Every top-level item and episode count, for tests and the binary's table.
    pub fn section_sizes(&self) -> Vec<(String, LibraryKind, u32, u64)> {
        self.sections
            .iter()
            .map(|s| (s.title.clone(), s.kind, s.count, s.episode_total))
            .collect()
    }
}

fn default_title(kind: LibraryKind) -> &'static str {
    match kind {
        LibraryKind::Movie => "Movies",
        LibraryKind::Show => "TV Shows",
        LibraryKind::Artist => "Music",
        LibraryKind::Photo => "Photos",
    }
}
