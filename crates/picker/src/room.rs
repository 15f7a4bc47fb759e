//! The room: who is watching together, and what each of them has seen.
//!
//! A [`Room`] lists [`Member`]s. Each member's watch state is either the catalog's own (the
//! signed-in account: [`WatchState::Account`], per episode from `Title::episodes`), or a
//! profile's ([`WatchState::Own`]: per title id, the profile's `viewCount` for a movie or
//! `viewedLeafCount` for a show, exactly what plex-client's `ProfileSectionState` loads). A
//! member may also be restricted: the ids it may see at all (`visible`) and a content limit
//! (`max_content`).
//!
//! # How the room changes a pick
//!
//! - A title a restricted member may not see (outside `visible`, or above `max_content`, or
//!   without a known rating when a limit is set) is never offered while that member is in the
//!   room: it is dropped before every filter and never counted in the nothing-matches
//!   diagnosis ("without X there would be N" never counts a hidden title). Member limits are
//!   part of that visibility, so lifting the content-rating filter lifts only
//!   `Choices::max_content`; the strictest of it and every member's limit applies.
//! - "Unwatched": unwatched for every member (movies: nobody has watched it; shows: everyone
//!   has an episode left). "Rewatch": every member has seen it (shows: every member has
//!   watched at least one episode). "New to someone": unwatched for at least one member.
//!   Lifting the watch filter ("All") lifts these rules, never the visibility above.
//! - Shows: the episode offered is the earliest episode someone in the room has not seen; a
//!   rewatch is an episode everyone has seen (any episode when there is none).
//! - Reasons name people in a room of several: "none of you has seen it", "new to Sam",
//!   "Sam is 3 episodes behind", "all of you have seen it". A room of one names nobody.
//!
//! **Assumption about profiles' episodes.** For a profile only the number of watched
//! episodes of a show is known (`viewedLeafCount`: the client fetches no per-episode state
//! for other profiles, by design). A member who has viewed `k` leaves is assumed to have seen
//! the first `k` episodes in the order the picker uses for "next episode" (season, then
//! index, specials — season 0 — last). The account's own state stays per episode.
//!
//! "Seen it" marks in the pick history are the account's: they count for a
//! [`WatchState::Account`] member, and say nothing about the others.
//!
//! # Building a room
//!
//! The account is [`Member::account`]; every other profile is [`Member::profile`] with its
//! counts (a movie's `viewCount`, a show's `viewedLeafCount`, per ratingKey), plus, for a
//! restricted profile, the ids it may see and its content limit:
//!
//! ```
//! use std::collections::{HashMap, HashSet};
//! use picker::*;
//!
//! let catalog = IndexedCatalog::new(Catalog::new(vec![
//!     Title { content_rating: Some("PG".into()), ..Title::movie("1", "Seen by Sam") },
//!     Title { content_rating: Some("PG".into()), ..Title::movie("2", "New to both") },
//!     Title { content_rating: Some("R".into()), ..Title::movie("3", "Not for Kim") },
//! ]));
//! let sam = Member::profile("Sam", HashMap::from([("1".to_string(), 1)]));
//! let kim = Member::profile("Kim", HashMap::new())
//!     .with_visible(HashSet::from(["1".to_string(), "2".to_string()]))
//!     .with_max_content(ContentLevel::Parental);
//! let room = catalog.index_room(Room::new(vec![sam, kim]));
//!
//! let choices = Choices { watch: WatchFilter::Unwatched, ..Choices::default() };
//! let ctx = PickContext::new(1_750_000_000, 20 * 60, 7);
//! let result = catalog.pick_for(&room, &choices, &History::default(), &ctx).unwrap();
//! assert_eq!(result.top.title_id, "2");
//! assert!(result.top.reason.text().contains("none of you has seen it"));
//! ```
//!
//! # Picking again and again for the same room
//!
//! A room is worked out against the catalog first (one hash lookup per title and person:
//! who may see it, what each profile has seen). [`crate::pick_in`] and
//! [`IndexedCatalog::pick_in`] do that on every call; to pick repeatedly for the same
//! people, build an [`IndexedRoom`] once with [`IndexedCatalog::index_room`] and call
//! [`IndexedCatalog::pick_for`] / [`IndexedCatalog::ranked_for`], which only scan arrays.
//!
//! # Why separate entry points
//!
//! The room comes in through [`crate::pick_in`], [`crate::ranked_in`] and
//! [`crate::IndexedCatalog::pick_in`] / [`crate::IndexedCatalog::ranked_in`] rather than
//! through [`crate::PickContext`]: the context is a small `Copy` value the app, the CLI and
//! the IPC contract pass around and serialise, while a room carries sets of ids per person.
//! `pick`/`ranked` stay exactly as they were: they are the room of the account alone
//! ([`Room::solo`]), a fact the property tests check on random input.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::choices::ContentLevel;
use crate::fxhash::FxBuild;
use crate::index::{id_hash, CatalogIndex, IndexedCatalog};

/// What one member has watched.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "seen")]
pub enum WatchState {
    /// The signed-in account: the catalog's own watch state (`Title::view_count`,
    /// `viewed_leaf_count`, episodes' `view_count`) and the history's "seen it" marks.
    #[default]
    Account,
    /// Another profile: per title id, the movie's watch count or the show's watched-episode
    /// count as that profile sees them. A title absent from the map is unwatched.
    Own(HashMap<String, u32>),
}

/// One person in the room.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Member {
    /// Display name, used in reasons ("new to Sam").
    pub name: String,
    /// What this person has watched.
    pub watch: WatchState,
    /// A restricted profile: every title id it may see. `None`: it sees everything.
    pub visible: Option<HashSet<String>>,
    /// A content limit: titles above it (or without a known rating) are hidden.
    pub max_content: Option<ContentLevel>,
}

impl Member {
    /// The signed-in account, with the catalog's watch state.
    pub fn account(name: impl Into<String>) -> Self {
        Member {
            name: name.into(),
            ..Member::default()
        }
    }

    /// Another profile with its own watch state (title id → watch count for a movie,
    /// watched episodes for a show).
    pub fn profile(name: impl Into<String>, seen: HashMap<String, u32>) -> Self {
        Member {
            name: name.into(),
            watch: WatchState::Own(seen),
            ..Member::default()
        }
    }

    /// The same member, restricted to these ids.
    pub fn with_visible(mut self, visible: HashSet<String>) -> Self {
        self.visible = Some(visible);
        self
    }

    /// The same member, with a content limit.
    pub fn with_max_content(mut self, max: ContentLevel) -> Self {
        self.max_content = Some(max);
        self
    }

    /// Whether this member uses the catalog's watch state.
    pub fn is_account(&self) -> bool {
        matches!(self.watch, WatchState::Account)
    }
}

/// The people watching together. An empty room is treated as the account alone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Room {
    /// Who is watching, in the order reasons name them.
    pub members: Vec<Member>,
}

impl Room {
    /// These people.
    pub fn new(members: Vec<Member>) -> Self {
        Room { members }
    }

    /// The signed-in account alone: picks exactly as [`crate::pick`] does.
    pub fn solo() -> Self {
        Room::new(vec![Member::account("")])
    }

    /// How many people.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether nobody was chosen (picks as the account alone).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The strictest content limit among the members.
    pub fn max_content(&self) -> Option<ContentLevel> {
        self.members.iter().filter_map(|m| m.max_content).min()
    }
}

/// What a room means for each title of one catalog: who may not see it, and each profile's
/// count. Worked out once (one pass of hash lookups), then read by position.
#[derive(Debug)]
pub(crate) struct RoomTable {
    /// Per title: someone in the room may not see it.
    hidden: Vec<bool>,
    /// Per title, per profile member (`stride` columns, in room order): its count.
    counts: Vec<u32>,
    stride: usize,
}

/// A profile's counts, and the id hashes they hold (a quick pre-check: most titles are absent).
type Profile<'r> = (&'r HashMap<String, u32>, HashSet<u64, FxBuild>);

impl RoomTable {
    pub fn build(room: &Room, catalog: &Catalog, index: &CatalogIndex) -> Self {
        let profiles: Vec<Profile> = room
            .members
            .iter()
            .filter_map(|m| match &m.watch {
                WatchState::Account => None,
                WatchState::Own(seen) => Some((seen, seen.keys().map(|id| id_hash(id)).collect())),
            })
            .collect();
        let limit = room.max_content();
        let visible: Vec<&HashSet<String>> = room
            .members
            .iter()
            .filter_map(|m| m.visible.as_ref())
            .collect();
        let n = catalog.titles.len().min(index.rows.len());
        let mut table = RoomTable {
            hidden: Vec::with_capacity(n),
            counts: Vec::with_capacity(n * profiles.len()),
            stride: profiles.len(),
        };
        for (t, row) in catalog.titles.iter().zip(&index.rows) {
            table.hidden.push(
                limit.is_some_and(|max| row.level.is_none_or(|l| l > max))
                    || visible.iter().any(|v| !v.contains(t.id.as_str())),
            );
            for (seen, hashes) in &profiles {
                table.counts.push(if hashes.contains(&row.id_hash) {
                    seen.get(t.id.as_str()).copied().unwrap_or(0)
                } else {
                    0
                });
            }
        }
        table
    }

    /// How many titles.
    pub fn len(&self) -> usize {
        self.hidden.len()
    }

    /// Whether someone in the room may not see title `idx` (an unknown position is hidden).
    #[inline]
    pub fn hidden(&self, idx: usize) -> bool {
        self.hidden.get(idx).copied().unwrap_or(true)
    }

    /// The count of the profile in `column` for title `idx`.
    #[inline]
    pub fn count(&self, idx: usize, column: usize) -> u32 {
        self.counts
            .get(idx * self.stride + column)
            .copied()
            .unwrap_or(0)
    }
}

/// A [`Room`] worked out against one [`IndexedCatalog`], for repeated picks
/// ([`IndexedCatalog::pick_for`]). Build it again when the room or the catalog changes; used
/// with another catalog it is worked out again on every pick (correct, only slower).
#[derive(Debug, Clone)]
pub struct IndexedRoom {
    pub(crate) room: Room,
    pub(crate) table: Arc<RoomTable>,
    pub(crate) fingerprint: u64,
}

impl IndexedRoom {
    /// The room.
    pub fn room(&self) -> &Room {
        &self.room
    }
}

impl IndexedCatalog {
    /// Works `room` out against this catalog once, for [`IndexedCatalog::pick_for`].
    pub fn index_room(&self, room: Room) -> IndexedRoom {
        let table = RoomTable::build(&room, self.catalog(), &self.index);
        IndexedRoom {
            room,
            table: Arc::new(table),
            fingerprint: self.index.fingerprint,
        }
    }
}
