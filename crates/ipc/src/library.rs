//! Libraries and the loaded catalog.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LibraryKind {
    Movie,
    Show,
}

/// A movie or TV library of the connected server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryView {
    /// The section key on the server.
    pub key: String,
    pub title: String,
    pub kind: LibraryKind,
    /// How many movies or shows it holds, when known.
    pub count: Option<u64>,
    /// Chosen for picking (all are, unless the user unticked them).
    pub chosen: bool,
}

/// Loading progress, emitted on [`crate::events::LOAD`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadProgress {
    /// The library being loaded.
    pub library: String,
    /// Items loaded so far across all chosen libraries.
    pub loaded: u64,
    /// Items in all chosen libraries.
    pub total: u64,
    /// The second phase, once a show library's titles are read: its episodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episodes: Option<EpisodeProgress>,
}

/// The episodes of a show library being loaded (the second phase of a load).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpisodeProgress {
    /// How many shows the episodes are of.
    pub shows: u64,
    /// Episodes loaded so far.
    pub loaded: u64,
    /// Episodes in all (the server's count).
    pub total: u64,
}

/// What the picker has to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedCatalog {
    pub movies: u64,
    pub shows: u64,
    /// Every genre in the catalog, for the "More filters" panel.
    pub genres: Vec<String>,
    /// When it was loaded (Unix seconds).
    pub loaded_at: i64,
    /// It came from the on-disk cache and is being refreshed in the background.
    pub from_cache: bool,
}
