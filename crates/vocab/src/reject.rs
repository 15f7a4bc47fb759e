//! Why the user said "Not this one".

use serde::{Deserialize, Serialize};

/// Why the user said "Not this one".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Already seen it (maybe elsewhere): treat it as watched.
    SeenIt,
    /// Too long for tonight.
    TooLong,
    /// Not in the mood for it.
    NotInTheMood,
}

impl RejectReason {
    /// Every reason, in UI order.
    pub const ALL: [RejectReason; 3] = [
        RejectReason::SeenIt,
        RejectReason::TooLong,
        RejectReason::NotInTheMood,
    ];

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            RejectReason::SeenIt => "seen_it",
            RejectReason::TooLong => "too_long",
            RejectReason::NotInTheMood => "not_in_the_mood",
        }
    }

    /// UI label.
    pub fn label(self) -> &'static str {
        match self {
            RejectReason::SeenIt => "Seen it",
            RejectReason::TooLong => "Too long",
            RejectReason::NotInTheMood => "Not in the mood",
        }
    }
}
