//! # picker: the pure picker engine of PlexPicker
//!
//! Given a [`Catalog`] of movies and shows (plain data mirroring Plex
//! metadata), the user's [`Choices`] (format, watched or not, mood, time
//! budget, genres, years, content rating, minimum ratings), the pick
//! [`History`] and a [`PickContext`] (now, local time of day, seed), [`pick`]
//! answers a [`PickResult`] — one top pick and up to six alternatives, each
//! with a 0-100 score and a [`Reason`] built only from the item's metadata —
//! or a [`PickError`] saying why not (for nothing-matches, a [`NoMatch`]
//! naming the filter to relax and how many titles would match without it).
//!
//! No I/O, no clock reads, no global state: the same inputs give the same
//! output. See `README.md` for the rules of each filter and [`moods`] for the
//! rules of each mood.
//!
//! Watching together: [`pick_in`] (and [`IndexedCatalog::pick_in`]) pick for a [`Room`] of
//! people, each with their own watch state and limits; see [`room`].
//!
//! [`pick`] indexes the catalog on every call (O(total size): fine for one
//! pick or a small library). To pick repeatedly, wrap the catalog once in an
//! [`IndexedCatalog`] and call [`IndexedCatalog::pick`]: a pick with several
//! filters over 100,000 titles then takes about 2 ms.
//!
//! ```
//! use picker::*;
//! let catalog = testing::synthetic_catalog(500, 7);
//! let choices = Choices { format: Format::Movie, mood: Mood::FeelGood, ..Choices::default() };
//! let mut history = History::default();
//! let ctx = PickContext::new(1_750_000_000, 20 * 60, 42);
//! let result = pick(&catalog, &choices, &history, &ctx).unwrap();
//! println!("{} — {}", result.top.title, result.top.reason);
//! history.record_pick(result.top.title_id.clone(), ctx.now);
//! assert!(history.is_cooling(&result.top.title_id, ctx.now));
//! ```

pub mod bench;
mod catalog;
mod choices;
pub mod demo;
mod error;
mod filters;
mod fxhash;
mod history;
mod index;
pub mod moods;
mod pick;
mod reason;
pub mod room;
mod shared;
pub mod testing;
mod text;

pub use catalog::{Catalog, Episode, Kind, Title};
pub use choices::{
    Choices, ClockTime, ContentLevel, Format, Mood, RuntimeLimit, WatchFilter, YearFilter,
};
pub use error::{FilterCount, NoMatch, PickError};
pub use filters::{budget_minutes, Filter};
pub use history::{Entry, Event, History, Policy, RejectReason};
pub use index::{CatalogIndex, IndexedCatalog, INDEX_VERSION};
pub use pick::{
    pick, pick_in, ranked, ranked_in, Pick, PickContext, PickResult, Ranked, BAND, MAX_ALTERNATIVES,
};
pub use reason::{format_duration, Fact, Reason};
pub use room::{IndexedRoom, Member, Room, WatchState};
pub use shared::{Interner, Text};
pub use text::{contains_word, normalized};

/// `Result` with [`PickError`].
pub type Result<T, E = PickError> = std::result::Result<T, E>;
