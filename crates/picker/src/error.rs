//! Errors and the nothing-matches diagnosis.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::choices::ClockTime;
use crate::filters::Filter;

/// Why there is no pick.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PickError {
    /// The catalog has no titles.
    #[error("the catalog is empty")]
    EmptyCatalog,
    /// Titles exist but none passes every filter.
    #[error("{0}")]
    NoMatch(NoMatch),
    /// A finish-by time earlier today (more than 12 h from now if read as tomorrow).
    #[error("the finish-by time {at} has already passed")]
    FinishTimePassed {
        /// The time asked for.
        at: ClockTime,
    },
    /// The choices do not make sense (NaN rating, reversed year range, 25:00…).
    #[error("invalid choice: {0}")]
    InvalidChoice(String),
}

/// How many titles would match with one filter lifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterCount {
    /// The filter lifted.
    pub filter: Filter,
    /// Titles matching every other active filter.
    pub without: usize,
}

/// The diagnosis when nothing matches.
///
/// Active filters are applied in [`Filter::ORDER`]. `emptied_by` is the
/// filter after which nothing was left. For each active filter, `counts`
/// says how many titles pass all the *other* active filters. `blocking` is
/// the filter whose removal yields the most matches (ties go to the later
/// filter in the order, the more specific refinement); if removing any single
/// filter still leaves nothing, it is `emptied_by` and `without` is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoMatch {
    /// What was asked, in words: "unwatched shows up to 45 min".
    pub asked: String,
    /// The filter to relax.
    pub blocking: Filter,
    /// Matches without `blocking`.
    pub without: usize,
    /// The filter that emptied the list when applied in order.
    pub emptied_by: Filter,
    /// Per active filter, in order: matches without it.
    pub counts: Vec<FilterCount>,
}

impl fmt::Display for NoMatch {
    /// "no unwatched shows up to 45 min; 14 without the runtime limit".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.without > 0 {
            write!(
                f,
                "no {}; {} without {}",
                self.asked,
                self.without,
                self.blocking.noun()
            )
        } else {
            write!(
                f,
                "no {}, even without any one filter; {} left nothing",
                self.asked,
                self.emptied_by.noun()
            )
        }
    }
}

impl From<picker_vocab::InvalidChoice> for PickError {
    fn from(picker_vocab::InvalidChoice(why): picker_vocab::InvalidChoice) -> Self {
        PickError::InvalidChoice(why)
    }
}
