//! Per-title facts precomputed once per catalog, so a pick scans a compact
//! array instead of every title's strings and episode lists.

use crate::catalog::{valid_duration, valid_rating, Catalog, Kind, Title};
use crate::choices::ContentLevel;
use crate::fxhash::seeded_hash;
use crate::text;

pub(crate) const WATCHED: u8 = 1;
pub(crate) const UNWATCHED: u8 = 2;
pub(crate) const HAS_EPISODES: u8 = 4;

const HAS_YEAR: u8 = 8;
const HAS_ADDED: u8 = 16;

/// The shape of [`CatalogIndex`]'s rows and what they mean: bumped whenever either changes,
/// so an index stored with a catalog (the core's cache) by another version is not used.
pub const INDEX_VERSION: u32 = 1;

/// What the filters and moods need of one title, independent of the choices.
/// Compact (56 bytes): a pick scans one of these per title.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Row {
    /// `id_hash(title.id)`.
    pub id_hash: u64,
    /// Movies: the runtime. Shows: the next unwatched episode's runtime. 0 = unknown.
    runtime_ms: u64,
    /// Valid when `flags & HAS_ADDED`.
    added_at: i64,
    /// Canonical genre bits (`text::g`).
    pub genres: u32,
    /// Summary keyword groups (`text::kw`).
    pub words: u32,
    /// NaN = none.
    critic: f32,
    /// NaN = none.
    audience: f32,
    /// Shows: index in `episodes` of the next unwatched episode; `u32::MAX` = none.
    next_episode: u32,
    /// This title's genre ids: `CatalogIndex::genre_ids[genre_start..genre_start + genre_len]`.
    pub genre_start: u32,
    pub genre_len: u16,
    /// Valid when `flags & HAS_YEAR`.
    year: u16,
    pub kind: Kind,
    /// `WATCHED`, `UNWATCHED`, `HAS_EPISODES` (and private) bits.
    pub flags: u8,
    pub level: Option<ContentLevel>,
}

impl PartialEq for Row {
    /// Field by field, the ratings by their bits (a missing rating is NaN).
    fn eq(&self, o: &Self) -> bool {
        self.id_hash == o.id_hash
            && self.runtime_ms == o.runtime_ms
            && self.added_at == o.added_at
            && self.genres == o.genres
            && self.words == o.words
            && self.critic.to_bits() == o.critic.to_bits()
            && self.audience.to_bits() == o.audience.to_bits()
            && self.next_episode == o.next_episode
            && self.genre_start == o.genre_start
            && self.genre_len == o.genre_len
            && self.year == o.year
            && self.kind == o.kind
            && self.flags == o.flags
            && self.level == o.level
    }
}

impl Row {
    pub fn year(&self) -> Option<u16> {
        (self.flags & HAS_YEAR != 0).then_some(self.year)
    }
    pub fn added_at(&self) -> Option<i64> {
        (self.flags & HAS_ADDED != 0).then_some(self.added_at)
    }
    pub fn critic(&self) -> Option<f32> {
        (!self.critic.is_nan()).then_some(self.critic)
    }
    pub fn audience(&self) -> Option<f32> {
        (!self.audience.is_nan()).then_some(self.audience)
    }
    pub fn runtime_ms(&self) -> Option<u64> {
        (self.runtime_ms != 0).then_some(self.runtime_ms)
    }
    pub fn next_episode(&self) -> Option<u32> {
        (self.next_episode != u32::MAX).then_some(self.next_episode)
    }
}

pub(crate) fn id_hash(id: &str) -> u64 {
    seeded_hash(0, id)
}

/// An index of a catalog: per-title facts precomputed once. Only meaningful with the
/// catalog it was built from; opaque outside the picker, serialisable so it can be stored
/// with its catalog (see [`IndexedCatalog::from_parts`], which checks it against the
/// catalog before using it).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CatalogIndex {
    pub(crate) rows: Vec<Row>,
    /// Normalised genre names; a genre's id is its position.
    pub(crate) genre_names: Vec<String>,
    pub(crate) genre_ids: Vec<u32>,
    /// The titles' ids, folded (with their number): tells an [`crate::IndexedRoom`] whether
    /// it was worked out against this catalog.
    pub(crate) fingerprint: u64,
}

impl CatalogIndex {
    pub(crate) fn build(catalog: &Catalog) -> Self {
        let mut index = CatalogIndex {
            rows: Vec::with_capacity(catalog.titles.len()),
            ..CatalogIndex::default()
        };
        let mut dict: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut buf = Vec::new();
        for t in &catalog.titles {
            let genre_start = index.genre_ids.len() as u32;
            for g in &t.genres {
                text::normalize_into(g, &mut buf);
                let Ok(key) = std::str::from_utf8(&buf) else {
                    continue;
                };
                if key.is_empty() {
                    continue;
                }
                let id = match dict.get(key) {
                    Some(&id) => id,
                    None => {
                        let id = index.genre_names.len() as u32;
                        index.genre_names.push(key.to_string());
                        dict.insert(key.to_string(), id);
                        id
                    }
                };
                index.genre_ids.push(id);
            }
            let genre_len =
                u16::try_from(index.genre_ids.len() as u32 - genre_start).unwrap_or(u16::MAX);
            index.rows.push(row(t, genre_start, genre_len));
        }
        index.fingerprint = index.folded_ids();
        index
    }

    fn folded_ids(&self) -> u64 {
        self.rows.iter().fold(self.rows.len() as u64, |acc, r| {
            (acc.rotate_left(5) ^ r.id_hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
    }

    /// Whether this index can be used with `catalog`: a row per title with that title's id,
    /// every genre and episode it refers to there, and its fingerprint the catalog's. Cheap
    /// next to building it (one hash of each id).
    pub(crate) fn fits(&self, catalog: &Catalog) -> bool {
        let genres = self.genre_names.len() as u64;
        self.rows.len() == catalog.titles.len()
            && self.genre_ids.iter().all(|&g| u64::from(g) < genres)
            && self.rows.iter().zip(&catalog.titles).all(|(r, t)| {
                r.id_hash == id_hash(&t.id)
                    && (r.genre_start as usize)
                        .checked_add(r.genre_len as usize)
                        .is_some_and(|end| end <= self.genre_ids.len())
                    && (r.next_episode == u32::MAX || (r.next_episode as usize) < t.episodes.len())
            })
            && self.fingerprint == self.folded_ids()
    }

    /// The id of a normalised genre name.
    pub(crate) fn genre_id(&self, norm: &str) -> Option<u32> {
        self.genre_names
            .iter()
            .position(|n| n == norm)
            .map(|p| p as u32)
    }

    pub(crate) fn genres_of(&self, row: &Row) -> &[u32] {
        let start = row.genre_start as usize;
        self.genre_ids
            .get(start..start + row.genre_len as usize)
            .unwrap_or(&[])
    }
}

fn row(t: &Title, genre_start: u32, genre_len: u16) -> Row {
    let mut flags = 0;
    if t.was_watched() {
        flags |= WATCHED;
    }
    if t.has_unwatched() {
        flags |= UNWATCHED;
    }
    if !t.episodes.is_empty() {
        flags |= HAS_EPISODES;
    }
    if t.year.is_some() {
        flags |= HAS_YEAR;
    }
    if t.added_at.is_some() {
        flags |= HAS_ADDED;
    }
    let next = t.next_unwatched_episode();
    let next_episode = next
        .and_then(|n| t.episodes.iter().position(|e| std::ptr::eq(e, n)))
        .and_then(|p| u32::try_from(p).ok());
    let runtime = match t.kind {
        Kind::Movie => valid_duration(t.duration_ms),
        Kind::Show => next.and_then(|e| valid_duration(e.duration_ms)),
    };
    Row {
        id_hash: id_hash(&t.id),
        runtime_ms: runtime.unwrap_or(0),
        added_at: t.added_at.unwrap_or(0),
        genres: text::genre_set(&t.genres),
        words: text::keyword_set(&t.summary),
        critic: valid_rating(t.critic_rating).unwrap_or(f32::NAN),
        audience: valid_rating(t.audience_rating).unwrap_or(f32::NAN),
        next_episode: next_episode.unwrap_or(u32::MAX),
        genre_start,
        genre_len,
        year: t.year.unwrap_or(0),
        kind: t.kind,
        flags,
        level: t.content_rating.as_deref().and_then(ContentLevel::parse),
    }
}

/// A catalog with its index, for repeated picks: build it once when the
/// catalog is loaded (O(total size)), then [`IndexedCatalog::pick`] scans only
/// compact precomputed rows. Serialises as the plain [`Catalog`] (the index is
/// rebuilt when deserialising).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "Catalog", into = "Catalog")]
pub struct IndexedCatalog {
    catalog: Catalog,
    pub(crate) index: CatalogIndex,
}

impl IndexedCatalog {
    /// Indexes `catalog`.
    pub fn new(catalog: Catalog) -> Self {
        let index = CatalogIndex::build(&catalog);
        IndexedCatalog { catalog, index }
    }

    /// The catalog with an index stored beside it (the core's cache), when that index fits
    /// it (see [`CatalogIndex`]); otherwise the index is built again, so a stale or damaged
    /// index costs time, never a wrong pick.
    pub fn from_parts(catalog: Catalog, index: Option<CatalogIndex>) -> Self {
        match index {
            Some(index) if index.fits(&catalog) => IndexedCatalog { catalog, index },
            _ => IndexedCatalog::new(catalog),
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The index (to store it with the catalog).
    pub fn index(&self) -> &CatalogIndex {
        &self.index
    }

    /// Gives the catalog back.
    pub fn into_catalog(self) -> Catalog {
        self.catalog
    }
}

impl From<IndexedCatalog> for Catalog {
    fn from(indexed: IndexedCatalog) -> Self {
        indexed.catalog
    }
}

impl From<Catalog> for IndexedCatalog {
    fn from(catalog: Catalog) -> Self {
        IndexedCatalog::new(catalog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_compact_and_round_trip_optional_facts() {
        assert!(std::mem::size_of::<Row>() <= 56);
        let t = Title {
            year: Some(0),
            added_at: Some(i64::MIN),
            critic_rating: Some(f32::NAN),
            audience_rating: Some(0.0),
            duration_ms: Some(0),
            ..Title::movie("1", "M")
        };
        let r = row(&t, 0, 0);
        assert_eq!(
            (
                r.year(),
                r.added_at(),
                r.critic(),
                r.audience(),
                r.runtime_ms()
            ),
            (Some(0), Some(i64::MIN), None, Some(0.0), None)
        );
        let r = row(&Title::movie("2", "N"), 0, 0);
        assert_eq!(
            (r.year(), r.added_at(), r.next_episode()),
            (None, None, None)
        );
    }

    #[test]
    fn a_stored_index_is_used_only_with_the_catalog_it_fits() {
        let catalog = crate::testing::synthetic_catalog(300, 3);
        let built = IndexedCatalog::new(catalog.clone());
        let stored = built.index().clone();
        // Round trip through the core cache's serialiser.
        let bytes = postcard::to_allocvec(&stored).unwrap();
        let back: CatalogIndex = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, stored);
        let reused = IndexedCatalog::from_parts(catalog.clone(), Some(back));
        assert_eq!(reused.index(), built.index());

        // Another catalog (one title fewer, or an id changed): the index is built again.
        let mut shorter = catalog.clone();
        shorter.titles.pop();
        let rebuilt = IndexedCatalog::from_parts(shorter.clone(), Some(stored.clone()));
        assert_eq!(rebuilt.index(), IndexedCatalog::new(shorter).index());
        let mut renamed = catalog.clone();
        renamed.titles[17].id = "other".into();
        let rebuilt = IndexedCatalog::from_parts(renamed.clone(), Some(stored.clone()));
        assert_eq!(rebuilt.index(), IndexedCatalog::new(renamed).index());

        // An index pointing outside its tables or the titles' episodes is not trusted.
        let mut bad = stored.clone();
        bad.rows[5].genre_start = u32::MAX;
        assert!(!bad.fits(&catalog));
        let mut bad = stored.clone();
        if let Some(g) = bad.genre_ids.first_mut() {
            *g = 999;
        }
        assert!(!bad.fits(&catalog));
        let mut bad = stored.clone();
        bad.rows[5].next_episode = 7_000;
        assert!(!bad.fits(&catalog));
        let mut bad = stored.clone();
        bad.fingerprint ^= 1;
        assert!(!bad.fits(&catalog));
        assert!(stored.fits(&catalog));
        // No index: built.
        let none = IndexedCatalog::from_parts(catalog, None);
        assert_eq!(none.index(), built.index());
    }
}
