//! Finding a route to a server: every candidate and what happened to it.

use serde::{Deserialize, Serialize};

/// The kind of route, as people understand it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    /// On your network.
    Local,
    /// Over the internet, straight to the server.
    Remote,
    /// Through Plex's relay (slow, a last resort).
    Relay,
}

/// Where one route stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CandidateState {
    /// Not started yet (relays wait a moment for a direct route to win).
    Waiting,
    /// Being tried now.
    Trying,
    /// Worked, answering in this many milliseconds.
    Connected { latency_ms: u64 },
    /// Did not work. `reason` is one plain sentence; `advice` what to do about it, if anything.
    Failed {
        reason: String,
        advice: Option<String>,
        /// The server's certificate changed since it was trusted: offer to trust the new one.
        certificate_changed: bool,
    },
    /// Not tried, and why.
    Skipped { reason: String },
}

/// One route to a server, as the Connecting screen shows it. No tokens, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    /// Stable within one race: the UI matches updates by it.
    pub id: String,
    /// For example "Local · https (plex.direct, by IP)" or "Relay".
    pub label: String,
    /// The address tried, for example `https://192-168-1-5.abc.plex.direct:32400`.
    pub address: String,
    pub kind: RouteKind,
    pub state: CandidateState,
    /// This route won the race.
    pub winner: bool,
}

/// A working route was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectOutcome {
    pub server: crate::ServerView,
    /// Every route, the winner marked.
    pub candidates: Vec<CandidateView>,
}
