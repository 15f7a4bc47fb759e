//! The filters, in the fixed order the nothing-matches diagnosis uses, and
//! their evaluation for one title.

use std::collections::HashSet;
use std::sync::Arc;

use crate::catalog::{episode_order, valid_duration, Episode, Kind, Title};
use crate::choices::{Choices, Format, RuntimeLimit, WatchFilter, YearFilter};
use crate::error::PickError;
use crate::fxhash::{seeded_hash, FxBuild};
use crate::history::History;
use crate::index::{id_hash, CatalogIndex, Row, HAS_EPISODES, UNWATCHED, WATCHED};
use crate::moods::{self, Features};
use crate::room::{Member, Room, RoomTable, WatchState};
use crate::text;

pub use picker_vocab::Filter;

/// The filter's bit in a set of filters.
pub(crate) fn bit(filter: Filter) -> u16 {
    1 << (filter as u16)
}

/// Per-pick state shared by every title: the choices, normalised once.
pub(crate) struct Prepared<'a> {
    pub choices: &'a Choices,
    pub index: &'a CatalogIndex,
    pub now: i64,
    pub seed: u64,
    /// Bitsets over the index's genre ids.
    include: Vec<u64>,
    exclude: Vec<u64>,
    /// Time budget in ms, if any.
    pub budget_ms: Option<u64>,
    cooling: HashSet<&'a str, FxBuild>,
    cooling_hashes: HashSet<u64, FxBuild>,
    seen: HashSet<&'a str, FxBuild>,
    seen_hashes: HashSet<u64, FxBuild>,
    /// Bits of the active filters.
    pub active: u16,
    /// The watch filter as applied: "new to someone" is "unwatched" for one person.
    pub watch: WatchFilter,
    /// The room, unless it is the account alone through [`crate::pick`].
    pub room: Option<RoomView<'a>>,
}

/// One member of the room, ready for a pick.
#[derive(Clone)]
pub(crate) struct MemberView<'a> {
    pub member: &'a Member,
    /// A profile's column in [`RoomTable::counts`]; `None`: the account's state (the
    /// catalog's).
    own: Option<usize>,
}

/// The room, ready for a pick over one catalog.
#[derive(Clone)]
pub(crate) struct RoomView<'a> {
    pub members: Vec<MemberView<'a>>,
    table: Arc<RoomTable>,
}

impl<'a> RoomView<'a> {
    /// `table` must be [`RoomTable::build`] of this room over the catalog picked from.
    pub fn new(room: &'a Room, table: Arc<RoomTable>) -> Self {
        let mut column = 0;
        let members = room
            .members
            .iter()
            .map(|member| MemberView {
                member,
                own: match &member.watch {
                    WatchState::Account => None,
                    WatchState::Own(_) => {
                        column += 1;
                        Some(column - 1)
                    }
                },
            })
            .collect();
        RoomView { members, table }
    }
}

/// What one member has seen of one title.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MemberSeen {
    /// Watched or started.
    pub watched: bool,
    /// Something left to watch (movies: never watched).
    pub unwatched: bool,
    /// Shows: episodes seen (or, for the account without loaded episodes, its viewed leaves).
    pub episodes_seen: u32,
    /// Movies: times watched (the account's `view_count` for shows too).
    pub views: u32,
}

/// A show's episode count: the loaded episodes, else the leaf count.
fn leaves(t: &Title) -> u32 {
    if t.episodes.is_empty() {
        t.leaf_count
    } else {
        u32::try_from(t.episodes.len()).unwrap_or(u32::MAX)
    }
}

/// One title, its row, and the episode it would be offered with (lazily).
pub(crate) struct Item<'a> {
    pub title: &'a Title,
    pub row: &'a Row,
    episode: Option<Option<(&'a Episode, bool)>>,
}

impl<'a> Item<'a> {
    /// `row`: the title's row in the index the pick uses.
    pub fn new(title: &'a Title, row: &'a Row) -> Self {
        Item {
            title,
            row,
            episode: None,
        }
    }
}

fn bitset(index: &CatalogIndex, genres: &[String]) -> (Vec<u64>, bool) {
    let mut bits = vec![0u64; index.genre_names.len().div_ceil(64)];
    let mut any = false;
    for g in genres {
        let norm = text::normalized(g);
        if norm.is_empty() {
            continue;
        }
        any = true;
        if let Some(id) = index.genre_id(&norm) {
            bits[(id / 64) as usize] |= 1 << (id % 64);
        }
    }
    (bits, any)
}

fn in_set(bits: &[u64], id: u32) -> bool {
    bits.get((id / 64) as usize)
        .is_some_and(|w| w & (1 << (id % 64)) != 0)
}

impl<'a> Prepared<'a> {
    /// `budget_min`: minutes available (already resolved from a finish-by time).
    /// `room`: `None` for the account alone as [`crate::pick`] has it.
    pub fn new(
        choices: &'a Choices,
        index: &'a CatalogIndex,
        history: &'a History,
        now: i64,
        seed: u64,
        budget_min: Option<u32>,
        room: Option<RoomView<'a>>,
    ) -> Self {
        let people = room.as_ref().map_or(1, |r| r.members.len());
        let watch = match choices.watch {
            WatchFilter::NewToSomeone if people <= 1 => WatchFilter::Unwatched,
            w => w,
        };
        let (include, any_include) = bitset(index, &choices.include_genres);
        let (exclude, any_exclude) = bitset(index, &choices.exclude_genres);
        let cooling = history.cooling_set(choices.mood, now);
        let seen = history.seen_set();
        let cooling_hashes = cooling.iter().map(|id| id_hash(id)).collect();
        let seen_hashes = seen.iter().map(|id| id_hash(id)).collect();
        let mut active = 0u16;
        let mut on = |f: Filter, cond: bool| {
            if cond {
                active |= bit(f);
            }
        };
        on(Filter::Format, choices.format != Format::Any);
        on(Filter::Watch, choices.watch != WatchFilter::All);
        on(Filter::IncludeGenres, any_include);
        on(Filter::ExcludeGenres, any_exclude);
        on(Filter::Years, choices.years.is_some());
        on(Filter::ContentRating, choices.max_content.is_some());
        on(Filter::CriticRating, choices.min_critic.is_some());
        on(Filter::AudienceRating, choices.min_audience.is_some());
        on(Filter::Runtime, budget_min.is_some());
        on(Filter::Mood, choices.mood != crate::Mood::Anything);
        on(Filter::CoolOff, !cooling.is_empty());
        Prepared {
            choices,
            index,
            now,
            seed,
            include,
            exclude,
            budget_ms: budget_min.map(|m| u64::from(m) * 60_000),
            cooling,
            cooling_hashes,
            seen,
            seen_hashes,
            active,
            watch,
            room,
        }
    }

    /// Whether everyone in the room may see the title (restricted members' visible sets and
    /// content limits). Always true without a room.
    #[inline]
    pub fn visible(&self, item: &Item) -> bool {
        self.room
            .as_ref()
            .is_none_or(|r| !r.table.hidden(self.position(item)))
    }

    /// A profile's count for this title (watch count or watched episodes); 0 if absent.
    #[inline]
    fn own_count(&self, room: &RoomView, column: usize, item: &Item) -> u32 {
        room.table.count(self.position(item), column)
    }

    /// The item's position in the catalog, from where its row sits in the index (every
    /// item's row is one of `self.index.rows`): kept out of [`Item`] so that the solo scan
    /// carries nothing for rooms.
    #[inline]
    fn position(&self, item: &Item) -> usize {
        let base = self.index.rows.as_ptr() as usize;
        (item.row as *const Row as usize).wrapping_sub(base) / std::mem::size_of::<Row>()
    }

    /// What one member has seen of the title.
    pub fn member_seen(&self, room: &RoomView, m: &MemberView, item: &Item) -> MemberSeen {
        let t = item.title;
        match m.own {
            None => MemberSeen {
                watched: self.watched(item),
                unwatched: self.unwatched(item),
                episodes_seen: if t.episodes.is_empty() {
                    t.viewed_leaf_count
                } else {
                    u32::try_from(t.episodes.iter().filter(|e| e.view_count > 0).count())
                        .unwrap_or(u32::MAX)
                },
                views: t.view_count,
            },
            Some(column) => {
                let c = self.own_count(room, column, item);
                match item.row.kind {
                    Kind::Movie => MemberSeen {
                        watched: c > 0,
                        unwatched: c == 0,
                        episodes_seen: 0,
                        views: c,
                    },
                    Kind::Show => {
                        let total = leaves(t);
                        MemberSeen {
                            watched: c > 0,
                            unwatched: c < total,
                            episodes_seen: c.min(total),
                            views: 0,
                        }
                    }
                }
            }
        }
    }

    /// The room, when `ROOM`: the hot loops are compiled twice, so that the account alone
    /// (`ROOM = false`, only ever used without a room) pays nothing for rooms.
    #[inline(always)]
    fn room_view<const ROOM: bool>(&self) -> Option<&RoomView<'a>> {
        if ROOM {
            self.room.as_ref()
        } else {
            None
        }
    }

    /// Whether one member has seen the title (watched or started) and whether something is
    /// left for them: [`Prepared::member_seen`] without the episode count.
    #[inline]
    fn member_flags(&self, room: &RoomView, m: &MemberView, item: &Item) -> (bool, bool) {
        match m.own {
            None => (self.watched(item), self.unwatched(item)),
            Some(column) => {
                let c = self.own_count(room, column, item);
                match item.row.kind {
                    Kind::Movie => (c > 0, c == 0),
                    Kind::Show => (c > 0, c < leaves(item.title)),
                }
            }
        }
    }

    /// Unwatched for everyone in the room.
    #[inline]
    fn all_unwatched<const ROOM: bool>(&self, item: &Item) -> bool {
        match self.room_view::<ROOM>() {
            None => self.unwatched(item),
            Some(r) => r.members.iter().all(|m| self.member_flags(r, m, item).1),
        }
    }

    /// Unwatched for someone in the room.
    #[inline]
    fn some_unwatched<const ROOM: bool>(&self, item: &Item) -> bool {
        match self.room_view::<ROOM>() {
            None => self.unwatched(item),
            Some(r) => r.members.iter().any(|m| self.member_flags(r, m, item).1),
        }
    }

    /// Seen by everyone in the room.
    #[inline]
    fn all_watched<const ROOM: bool>(&self, item: &Item) -> bool {
        match self.room_view::<ROOM>() {
            None => self.watched(item),
            Some(r) => r.members.iter().all(|m| self.member_flags(r, m, item).0),
        }
    }

    /// Seen by someone in the room.
    #[inline]
    fn some_watched<const ROOM: bool>(&self, item: &Item) -> bool {
        match self.room_view::<ROOM>() {
            None => self.watched(item),
            Some(r) => r.members.iter().any(|m| self.member_flags(r, m, item).0),
        }
    }

    #[inline]
    pub fn is_active(&self, f: Filter) -> bool {
        self.active & bit(f) != 0
    }

    #[inline]
    fn marked_seen(&self, item: &Item) -> bool {
        !self.seen.is_empty()
            && self.seen_hashes.contains(&item.row.id_hash)
            && self.seen.contains(item.title.id.as_str())
    }

    #[inline]
    fn cooling(&self, item: &Item) -> bool {
        !self.cooling.is_empty()
            && self.cooling_hashes.contains(&item.row.id_hash)
            && self.cooling.contains(item.title.id.as_str())
    }

    /// Seen before, or marked "seen it".
    #[inline]
    pub fn watched(&self, item: &Item) -> bool {
        item.row.flags & WATCHED != 0 || self.marked_seen(item)
    }

    /// Something unwatched, and not marked "seen it".
    #[inline]
    pub fn unwatched(&self, item: &Item) -> bool {
        item.row.flags & UNWATCHED != 0 && !self.marked_seen(item)
    }

    fn fits(&self, ms: Option<u64>) -> bool {
        match self.budget_ms {
            None => true,
            Some(b) => valid_duration(ms).is_some_and(|ms| ms <= b),
        }
    }

    /// The episode a show would be offered with, and whether it is the next
    /// unwatched one (`true`) or a rewatch (`false`).
    ///
    /// Unwatched: the next unwatched episode. Rewatch: a watched episode (any,
    /// if none is marked watched) that fits the time budget if one does,
    /// chosen by a hash of the seed and the show's id. All: the next
    /// unwatched episode if there is one, else as for Rewatch.
    pub fn episode(&self, item: &mut Item<'a>) -> Option<(&'a Episode, bool)> {
        if let Some(e) = item.episode {
            return e;
        }
        let t = item.title;
        let e = if item.row.kind != Kind::Show || item.row.flags & HAS_EPISODES == 0 {
            None
        } else if let Some(room) = &self.room {
            self.room_episode(room, item)
        } else {
            let next = match self.watch {
                WatchFilter::Rewatch => None,
                _ => item
                    .row
                    .next_episode()
                    .and_then(|i| t.episodes.get(i as usize)),
            };
            match (next, self.watch) {
                (Some(n), _) => Some((n, true)),
                (None, WatchFilter::Unwatched) => None,
                (None, _) => self
                    .rewatch_episode(t, |_, e| e.view_count > 0)
                    .map(|e| (e, false)),
            }
        };
        item.episode = Some(e);
        e
    }

    /// [`Prepared::episode`] for a room: the earliest episode (in "next episode" order)
    /// someone has not seen; a rewatch is an episode everyone has seen (any, if none is).
    /// A profile that viewed `k` leaves is taken to have seen the first `k` episodes in that
    /// order (only the count is known for profiles; see [`crate::room`]).
    fn room_episode(&self, room: &RoomView, item: &Item<'a>) -> Option<(&'a Episode, bool)> {
        let t = item.title;
        // The fewest episodes a profile in the room has seen (`None`: only the account).
        let fewest = room
            .members
            .iter()
            .filter_map(|m| m.own.map(|column| self.own_count(room, column, item)))
            .min();
        if fewest.is_none_or(|k| k == 0) {
            // Quick cases, without ordering the episodes: with only the account, its own
            // next episode; with a profile that has seen none, the very first episode (and no
            // episode is seen by everyone).
            let next = match (self.watch, fewest) {
                (WatchFilter::Rewatch, _) => None,
                (_, None) => item
                    .row
                    .next_episode()
                    .and_then(|i| t.episodes.get(i as usize)),
                (_, Some(_)) => t.episodes.iter().min_by_key(|e| episode_order(e)),
            };
            return match (next, self.watch) {
                (Some(n), _) => Some((n, true)),
                (None, WatchFilter::Unwatched) => None,
                (None, _) => self
                    .rewatch_episode(t, |_, e| fewest.is_none() && e.view_count > 0)
                    .map(|e| (e, false)),
            };
        }
        let mut order: Vec<usize> = (0..t.episodes.len()).collect();
        order.sort_by_key(|&i| episode_order(&t.episodes[i]));
        let mut rank = vec![0usize; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        // Per member: None = per episode (the account), Some(k) = the first k in order.
        let counts: Vec<Option<u32>> = room
            .members
            .iter()
            .map(|m| m.own.map(|column| self.own_count(room, column, item)))
            .collect();
        let seen_by = |k: Option<u32>, i: usize| match k {
            None => t.episodes[i].view_count > 0,
            Some(k) => (rank[i] as u64) < u64::from(k),
        };
        let next = match self.watch {
            WatchFilter::Rewatch => None,
            _ => order
                .iter()
                .copied()
                .find(|&i| counts.iter().any(|&k| !seen_by(k, i)))
                .and_then(|i| t.episodes.get(i)),
        };
        match (next, self.watch) {
            (Some(n), _) => Some((n, true)),
            (None, WatchFilter::Unwatched) => None,
            (None, _) => self
                .rewatch_episode(t, |i, _| counts.iter().all(|&k| seen_by(k, i)))
                .map(|e| (e, false)),
        }
    }

    /// A rewatch: an episode `watched` (any, if none is) that fits the time budget if one
    /// does, chosen by a hash of the seed and the show's id.
    fn rewatch_episode(
        &self,
        t: &'a Title,
        watched: impl Fn(usize, &Episode) -> bool,
    ) -> Option<&'a Episode> {
        let any_watched = t.episodes.iter().enumerate().any(|(i, e)| watched(i, e));
        let eligible = |i: usize, e: &Episode| !any_watched || watched(i, e);
        let any_fits = self.budget_ms.is_some()
            && t.episodes
                .iter()
                .enumerate()
                .any(|(i, e)| eligible(i, e) && self.fits(e.duration_ms));
        let ok = |i: usize, e: &Episode| eligible(i, e) && (!any_fits || self.fits(e.duration_ms));
        let n = t
            .episodes
            .iter()
            .enumerate()
            .filter(|&(i, e)| ok(i, e))
            .count() as u64;
        if n == 0 {
            return None;
        }
        let k = (seeded_hash(self.seed, &t.id) % n) as usize;
        t.episodes
            .iter()
            .enumerate()
            .filter(|&(i, e)| ok(i, e))
            .nth(k)
            .map(|(_, e)| e)
    }

    /// The runtime a title is judged by: a movie's, or its offered episode's.
    #[inline]
    fn runtime_ms<const ROOM: bool>(&self, item: &mut Item<'a>) -> Option<u64> {
        match item.row.kind {
            Kind::Movie => item.row.runtime_ms(),
            Kind::Show
                if self.room_view::<ROOM>().is_none()
                    && self.watch != WatchFilter::Rewatch
                    && item.row.next_episode().is_some() =>
            {
                item.row.runtime_ms()
            }
            Kind::Show => self
                .episode(item)
                .and_then(|(e, _)| valid_duration(e.duration_ms)),
        }
    }

    /// The facts the mood looks at.
    pub fn features(&self, item: &mut Item<'a>) -> Features {
        if self.room.is_some() {
            self.features_in::<true>(item)
        } else {
            self.features_in::<false>(item)
        }
    }

    /// [`Prepared::features`]; `ROOM` must be whether there is a room.
    #[inline]
    pub fn features_in<const ROOM: bool>(&self, item: &mut Item<'a>) -> Features {
        let r = item.row;
        Features {
            kind: r.kind,
            year: r.year(),
            genres: r.genres,
            runtime_ms: if moods::uses_runtime(self.choices.mood) {
                self.runtime_ms::<ROOM>(item)
            } else {
                None
            },
            critic: r.critic(),
            audience: r.audience(),
            level: r.level,
            watched: self.some_watched::<ROOM>(item),
            unwatched: self.all_unwatched::<ROOM>(item),
            added_days: r
                .added_at()
                .filter(|&a| a <= self.now)
                .map(|a| u32::try_from(self.now.saturating_sub(a) / 86_400).unwrap_or(u32::MAX)),
            words: r.words,
        }
    }

    /// Whether the title passes filter `f` (inactive filters pass everything).
    #[inline]
    pub fn passes(&self, f: Filter, item: &mut Item<'a>) -> bool {
        if self.room.is_some() {
            self.passes_in::<true>(f, item)
        } else {
            self.passes_in::<false>(f, item)
        }
    }

    /// [`Prepared::passes`]; `ROOM` must be whether there is a room.
    #[inline]
    pub fn passes_in<const ROOM: bool>(&self, f: Filter, item: &mut Item<'a>) -> bool {
        let r = item.row;
        let c = self.choices;
        match f {
            Filter::Format => match c.format {
                Format::Any => true,
                Format::Movie => r.kind == Kind::Movie,
                Format::Show => r.kind == Kind::Show,
            },
            Filter::Watch => match self.watch {
                WatchFilter::All => true,
                WatchFilter::Unwatched => self.all_unwatched::<ROOM>(item),
                WatchFilter::Rewatch => self.all_watched::<ROOM>(item),
                WatchFilter::NewToSomeone => self.some_unwatched::<ROOM>(item),
            },
            Filter::IncludeGenres => {
                !self.is_active(f)
                    || self
                        .index
                        .genres_of(r)
                        .iter()
                        .any(|&g| in_set(&self.include, g))
            }
            Filter::ExcludeGenres => !self
                .index
                .genres_of(r)
                .iter()
                .any(|&g| in_set(&self.exclude, g)),
            Filter::Years => c
                .years
                .as_ref()
                .is_none_or(|y: &YearFilter| y.admits(r.year())),
            Filter::ContentRating => c
                .max_content
                .is_none_or(|max| r.level.is_some_and(|l| l <= max)),
            Filter::CriticRating => c
                .min_critic
                .is_none_or(|m| r.critic().is_some_and(|v| v >= m)),
            Filter::AudienceRating => c
                .min_audience
                .is_none_or(|m| r.audience().is_some_and(|v| v >= m)),
            Filter::Runtime => self.budget_ms.is_none() || self.fits(self.runtime_ms::<ROOM>(item)),
            Filter::Mood => {
                let f = self.features_in::<ROOM>(item);
                moods::evaluate(c.mood, &f).is_some()
            }
            Filter::CoolOff => !self.cooling(item),
        }
    }
}

/// The time budget in minutes for a runtime limit at local time
/// `local_minutes` (minutes since midnight, taken modulo 1440); `Ok(None)`
/// without a limit. See [`RuntimeLimit::FinishBy`] for the finish-by rule.
pub fn budget_minutes(
    limit: Option<RuntimeLimit>,
    local_minutes: u32,
) -> Result<Option<u32>, PickError> {
    match limit {
        None => Ok(None),
        Some(RuntimeLimit::MaxMinutes { minutes }) => Ok(Some(minutes)),
        Some(RuntimeLimit::FinishBy { at }) => {
            let now = local_minutes % 1440;
            let end = at.minutes();
            if end >= now {
                Ok(Some(end - now))
            } else if end + 1440 - now <= 12 * 60 {
                Ok(Some(end + 1440 - now))
            } else {
                Err(PickError::FinishTimePassed { at })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choices::ClockTime;

    fn fb(h: u8, m: u8) -> Option<RuntimeLimit> {
        Some(RuntimeLimit::FinishBy {
            at: ClockTime::new(h, m),
        })
    }

    #[test]
    fn finish_by_budgets() {
        // 20:00 now.
        let now = 20 * 60;
        assert_eq!(budget_minutes(fb(22, 30), now), Ok(Some(150)));
        assert_eq!(budget_minutes(fb(20, 0), now), Ok(Some(0)));
        // After midnight, within 12 h: tomorrow.
        assert_eq!(budget_minutes(fb(1, 0), now), Ok(Some(300)));
        assert_eq!(budget_minutes(fb(8, 0), now), Ok(Some(720)));
        // Earlier today and more than 12 h away: passed.
        assert_eq!(
            budget_minutes(fb(8, 1), now),
            Err(PickError::FinishTimePassed {
                at: ClockTime::new(8, 1)
            })
        );
        assert!(budget_minutes(fb(19, 59), now).is_err());
        assert_eq!(
            budget_minutes(Some(RuntimeLimit::MaxMinutes { minutes: 45 }), now),
            Ok(Some(45))
        );
        assert_eq!(budget_minutes(None, now), Ok(None));
        // Out-of-range local time wraps.
        assert_eq!(budget_minutes(fb(22, 30), now + 1440), Ok(Some(150)));
    }

    /// Two different 16-byte ids with the same `id_hash`: FxHash folds 8-byte words, so the
    /// second word of `b` is solved for the state `a` reached (and kept alphanumeric).
    fn colliding_ids() -> (String, String) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let step = |s: u64, w: u64| (s.rotate_left(5) ^ w).wrapping_mul(K);
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap());
        let a = "title-a-00000001".to_string();
        let start = crate::fxhash::mix(0);
        let a1 = step(start, word(&a.as_bytes()[..8]));
        let a2 = word(&a.as_bytes()[8..]);
        const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for n in 0..10_000_000u64 {
            // Every byte varies (the low bits of the product depend on the low bytes only).
            let first: String = (0..8)
                .map(|i| ALNUM[(n / 62u64.pow(i) % 62) as usize] as char)
                .collect();
            let t1 = step(start, word(first.as_bytes()));
            let second = (t1.rotate_left(5) ^ a1.rotate_left(5) ^ a2).to_le_bytes();
            if second.iter().all(u8::is_ascii_alphanumeric) {
                let b = format!("{first}{}", String::from_utf8(second.to_vec()).unwrap());
                assert_ne!(a, b);
                assert_eq!(id_hash(&a), id_hash(&b), "{a} and {b} do not collide");
                return (a, b);
            }
        }
        panic!("no colliding id found");
    }

    /// The hash sets are only a quick pre-check: a title whose id merely shares its hash with
    /// one marked "seen it", or with one cooling off, is neither.
    #[test]
    fn a_hash_collision_never_marks_a_title_seen_or_cooling() {
        use crate::{pick, Catalog, Choices, History, Mood, PickContext, RejectReason, Title};
        let (seen, other) = colliding_ids();
        let now = 1_750_000_000;
        let catalog = Catalog::new(vec![Title::movie(other.clone(), "Other")]);
        let ctx = PickContext::new(now, 20 * 60, 7);

        let mut history = History::default();
        history.reject(seen.clone(), RejectReason::SeenIt, Mood::Anything, now - 60);
        let unwatched = Choices {
            watch: WatchFilter::Unwatched,
            ..Choices::default()
        };
        let got = pick(&catalog, &unwatched, &history, &ctx).expect("not marked seen");
        assert_eq!(got.top.title_id, other);

        let mut history = History::default();
        history.record_pick(seen, now - 60);
        let got = pick(&catalog, &Choices::default(), &history, &ctx).expect("not cooling");
        assert_eq!(got.top.title_id, other);
    }

    /// "Fresh in your library" is about titles added in the last 30 days; a date in the future
    /// (a server clock ahead of ours) says nothing about freshness.
    #[test]
    fn only_titles_added_recently_count_as_fresh() {
        use crate::{pick, Catalog, Choices, History, PickContext, Title};
        let now = 1_750_000_000;
        let verdict = |added_at: i64| {
            let catalog = Catalog::new(vec![Title {
                added_at: Some(added_at),
                ..Title::movie("m", "Movie")
            }]);
            let ctx = PickContext::new(now, 20 * 60, 7);
            pick(&catalog, &Choices::default(), &History::default(), &ctx)
                .unwrap()
                .top
                .reason
                .verdict
        };
        assert_eq!(verdict(now - 3 * 86_400), "fresh in your library");
        assert_eq!(verdict(now - 90 * 86_400), "a solid choice for tonight");
        assert_eq!(verdict(now + 3 * 86_400), "a solid choice for tonight");
    }

    #[test]
    fn filter_ids_are_serde_names() {
        for f in Filter::ORDER {
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.id())
            );
        }
        assert!(Filter::ORDER.windows(2).all(|w| w[0] < w[1]));
    }
}
