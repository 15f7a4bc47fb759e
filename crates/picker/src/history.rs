//! What was picked and turned down, and the cool-offs that follow.
//!
//! Plain serde data the caller persists. The picker never records anything
//! itself (it is pure): call [`History::record_pick`] when a pick is shown or
//! accepted, and [`History::reject`] for "Not this one".
//!
//! | event | effect |
//! |---|---|
//! | picked | not offered again for `policy.after_pick_secs` (default 3 days) |
//! | skipped (offered as the top pick, another title watched instead) | not offered again for `policy.after_skip_secs` (default 1 day: it was passed over tonight, not refused) |
//! | [`RejectReason::SeenIt`] | counts as watched from then on (never offered for *Unwatched*), and not offered at all for `policy.seen_it_secs` (default 180 days) |
//! | [`RejectReason::TooLong`] | not offered for `policy.too_long_secs` (default 1 day: it is about tonight) |
//! | [`RejectReason::NotInTheMood`] | not offered for that mood for `policy.not_in_mood_secs` (default 30 days), and not offered for any mood for `policy.too_long_secs` |
//!
//! The history is bounded: entries older than `policy.max_age_secs` (default
//! 400 days) are dropped, except "seen it" ones, and only the newest
//! `policy.max_entries` (default 2000) are kept.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::choices::Mood;

const DAY: i64 = 24 * 60 * 60;

pub use picker_vocab::RejectReason;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Event {
    /// It was picked (shown as the top pick, or chosen).
    Picked,
    /// It was the top pick, and the user watched another title instead.
    Skipped,
    /// "Not this one", with the mood that was asked for.
    Rejected {
        /// Why.
        reason: RejectReason,
        /// The mood of the pick it was rejected from.
        mood: Mood,
    },
}

/// One remembered event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The title's id (Plex ratingKey).
    pub title_id: String,
    /// When, in epoch seconds.
    pub at: i64,
    /// What.
    pub event: Event,
}

/// Cool-off lengths and size bounds, in seconds and entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// After a pick.
    pub after_pick_secs: i64,
    /// After a top pick was passed over for another title.
    pub after_skip_secs: i64,
    /// After "seen it".
    pub seen_it_secs: i64,
    /// After "too long", and the general part of "not in the mood".
    pub too_long_secs: i64,
    /// After "not in the mood", for that mood.
    pub not_in_mood_secs: i64,
    /// Entries older than this are pruned (except "seen it").
    pub max_age_secs: i64,
    /// At most this many entries are kept (newest first).
    pub max_entries: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            after_pick_secs: 3 * DAY,
            after_skip_secs: DAY,
            seen_it_secs: 180 * DAY,
            too_long_secs: DAY,
            not_in_mood_secs: 30 * DAY,
            max_age_secs: 400 * DAY,
            max_entries: 2000,
        }
    }
}

/// Picks and rejections, oldest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct History {
    /// The cool-off lengths and bounds.
    pub policy: Policy,
    /// Events, oldest first.
    pub entries: Vec<Entry>,
}

impl History {
    /// An empty history with this policy.
    pub fn with_policy(policy: Policy) -> Self {
        History {
            policy,
            entries: Vec::new(),
        }
    }

    /// Remembers that `title_id` was picked at `now`.
    pub fn record_pick(&mut self, title_id: impl Into<String>, now: i64) {
        self.push(title_id.into(), now, Event::Picked);
    }

    /// Remembers that `title_id`, offered as the top pick at `now`, was passed over for
    /// another title.
    pub fn record_skip(&mut self, title_id: impl Into<String>, now: i64) {
        self.push(title_id.into(), now, Event::Skipped);
    }

    /// Remembers "Not this one" for `title_id`, asked under `mood`.
    pub fn reject(
        &mut self,
        title_id: impl Into<String>,
        reason: RejectReason,
        mood: Mood,
        now: i64,
    ) {
        self.push(title_id.into(), now, Event::Rejected { reason, mood });
    }

    fn push(&mut self, title_id: String, at: i64, event: Event) {
        // Keep the list sorted by time even if the caller's clock went back.
        let pos = self.entries.partition_point(|e| e.at <= at);
        self.entries.insert(
            pos,
            Entry {
                title_id,
                at,
                event,
            },
        );
        self.prune(at);
    }

    /// Drops old entries and bounds the size (see the module docs).
    pub fn prune(&mut self, now: i64) {
        let max_age = self.policy.max_age_secs;
        self.entries.retain(|e| {
            matches!(
                e.event,
                Event::Rejected {
                    reason: RejectReason::SeenIt,
                    ..
                }
            ) || now.saturating_sub(e.at) <= max_age
        });
        let excess = self.entries.len().saturating_sub(self.policy.max_entries);
        if excess > 0 {
            self.entries.drain(..excess);
        }
    }

    /// How long an entry cools its title off: (for any mood, for `entry`'s mood only).
    fn cool_off(&self, event: Event) -> (i64, i64) {
        let p = &self.policy;
        match event {
            Event::Picked => (p.after_pick_secs, 0),
            Event::Skipped => (p.after_skip_secs, 0),
            Event::Rejected {
                reason: RejectReason::SeenIt,
                ..
            } => (p.seen_it_secs, 0),
            Event::Rejected {
                reason: RejectReason::TooLong,
                ..
            } => (p.too_long_secs, 0),
            Event::Rejected {
                reason: RejectReason::NotInTheMood,
                ..
            } => (p.too_long_secs, p.not_in_mood_secs),
        }
    }

    fn entry_cools(&self, e: &Entry, mood: Option<Mood>, now: i64) -> bool {
        let (general, for_mood) = self.cool_off(e.event);
        let age = now.saturating_sub(e.at);
        // An entry "from the future" (clock went back) counts as just now.
        let age = age.max(0);
        if age < general {
            return true;
        }
        match (e.event, mood) {
            (Event::Rejected { mood: m, .. }, Some(asked)) => m == asked && age < for_mood,
            _ => false,
        }
    }

    /// Whether `title_id` is cooling off for every mood at `now`.
    pub fn is_cooling(&self, title_id: &str, now: i64) -> bool {
        self.entries
            .iter()
            .any(|e| e.title_id == title_id && self.entry_cools(e, None, now))
    }

    /// Whether `title_id` is cooling off when asking for `mood` at `now`.
    pub fn is_cooling_for(&self, title_id: &str, mood: Mood, now: i64) -> bool {
        self.entries
            .iter()
            .any(|e| e.title_id == title_id && self.entry_cools(e, Some(mood), now))
    }

    /// Whether the user said they have seen `title_id` (it then counts as watched).
    pub fn marked_seen(&self, title_id: &str) -> bool {
        self.entries.iter().any(|e| {
            e.title_id == title_id
                && matches!(
                    e.event,
                    Event::Rejected {
                        reason: RejectReason::SeenIt,
                        ..
                    }
                )
        })
    }

    /// The ids cooling off for `mood` at `now`.
    pub(crate) fn cooling_set(
        &self,
        mood: Mood,
        now: i64,
    ) -> HashSet<&str, crate::fxhash::FxBuild> {
        self.entries
            .iter()
            .filter(|e| self.entry_cools(e, Some(mood), now))
            .map(|e| e.title_id.as_str())
            .collect()
    }

    /// The ids marked "seen it".
    pub(crate) fn seen_set(&self) -> HashSet<&str, crate::fxhash::FxBuild> {
        self.entries
            .iter()
            .filter(|e| {
                matches!(
                    e.event,
                    Event::Rejected {
                        reason: RejectReason::SeenIt,
                        ..
                    }
                )
            })
            .map(|e| e.title_id.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_cools_off_then_expires() {
        let mut h = History::default();
        h.record_pick("a", 1000);
        assert!(h.is_cooling("a", 1000));
        assert!(h.is_cooling("a", 1000 + 3 * DAY - 1));
        assert!(!h.is_cooling("a", 1000 + 3 * DAY));
        assert!(!h.is_cooling("b", 1000));
    }

    #[test]
    fn reject_reasons() {
        let mut h = History::default();
        h.reject("seen", RejectReason::SeenIt, Mood::Anything, 0);
        h.reject("long", RejectReason::TooLong, Mood::Anything, 0);
        h.reject("meh", RejectReason::NotInTheMood, Mood::FeelGood, 0);
        assert!(h.marked_seen("seen") && !h.marked_seen("long"));
        assert!(h.is_cooling("seen", 179 * DAY) && !h.is_cooling("seen", 180 * DAY));
        assert!(h.is_cooling("long", DAY - 1) && !h.is_cooling("long", DAY));
        // Not in the mood: a day for everything, 30 days for that mood.
        assert!(h.is_cooling("meh", DAY - 1));
        assert!(!h.is_cooling("meh", DAY));
        assert!(!h.is_cooling_for("meh", Mood::DateNight, DAY));
        assert!(h.is_cooling_for("meh", Mood::FeelGood, 29 * DAY));
        assert!(!h.is_cooling_for("meh", Mood::FeelGood, 30 * DAY));
        let set = h.cooling_set(Mood::FeelGood, 2 * DAY);
        assert!(set.contains("meh") && set.contains("seen") && !set.contains("long"));
    }

    #[test]
    fn pruning_bounds_the_history() {
        let mut h = History::with_policy(Policy {
            max_entries: 3,
            ..Policy::default()
        });
        h.reject("s", RejectReason::SeenIt, Mood::Anything, 0);
        h.record_pick("old", 0);
        h.record_pick("new", 500 * DAY);
        // "old" is past max_age; "seen it" stays.
        assert_eq!(
            h.entries
                .iter()
                .map(|e| e.title_id.as_str())
                .collect::<Vec<_>>(),
            ["s", "new"]
        );
        for i in 0..5 {
            h.record_pick(format!("n{i}"), 501 * DAY + i);
        }
        assert_eq!(h.entries.len(), 3);
        assert_eq!(h.entries.last().map(|e| e.title_id.as_str()), Some("n4"));
        assert!(h.entries.windows(2).all(|w| w[0].at <= w[1].at));
    }

    #[test]
    fn reasons_have_their_serde_id_and_the_window_s_label() {
        let labels: Vec<(&str, &str)> = RejectReason::ALL
            .iter()
            .map(|r| (r.id(), r.label()))
            .collect();
        assert_eq!(
            labels,
            [
                ("seen_it", "Seen it"),
                ("too_long", "Too long"),
                ("not_in_the_mood", "Not in the mood")
            ]
        );
        for r in RejectReason::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.id());
        }
    }

    #[test]
    fn serde_round_trip() {
        let mut h = History::default();
        h.reject("x", RejectReason::NotInTheMood, Mood::DateNight, 5);
        let json = serde_json::to_string(&h).unwrap();
        assert!(json.contains("\"not_in_the_mood\"") && json.contains("\"date_night\""));
        let back: History = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        let empty: History = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, History::default());
    }
}
