//! The catalog the picker chooses from, as the session holds it.

use picker::{Catalog, IndexedCatalog, Kind};
use plexpicker_ipc::LoadedCatalog;

use super::now;
use crate::cache::CachedCatalog;

/// The catalog in memory, indexed for fast picks.
pub struct LiveCatalog {
    pub indexed: IndexedCatalog,
    /// The server it came from; `None` for the demo library.
    pub server_id: Option<String>,
    pub summary: LoadedCatalog,
}

impl LiveCatalog {
    /// A catalog just loaded from `server_id`.
    pub fn loaded(catalog: impl Into<IndexedCatalog>, server_id: String) -> Self {
        let indexed = catalog.into();
        let summary = summary(indexed.catalog(), now(), false);
        Self {
            indexed,
            server_id: Some(server_id),
            summary,
        }
    }

    /// A catalog from the on-disk cache.
    pub fn from_cache(cached: CachedCatalog) -> Self {
        let summary = summary(cached.catalog.catalog(), cached.loaded_at, true);
        Self {
            indexed: cached.catalog,
            server_id: Some(cached.server_id),
            summary,
        }
    }

    /// A catalog for one pick (the CLI's): its summary lists no genres (nobody shows them
    /// there), which saves gathering every genre of a large catalog.
    pub fn for_one_pick(cached: CachedCatalog) -> Self {
        let summary = summary_of(cached.catalog.catalog(), cached.loaded_at, true, false);
        Self {
            indexed: cached.catalog,
            server_id: Some(cached.server_id),
            summary,
        }
    }

    /// The built-in demo library: no account, no network.
    pub fn demo() -> Self {
        let catalog = picker::demo::library();
        let summary = summary(&catalog, now(), false);
        Self {
            indexed: IndexedCatalog::new(catalog),
            server_id: None,
            summary,
        }
    }
}

fn summary(catalog: &Catalog, loaded_at: i64, from_cache: bool) -> LoadedCatalog {
    summary_of(catalog, loaded_at, from_cache, true)
}

fn summary_of(catalog: &Catalog, loaded_at: i64, from_cache: bool, genres: bool) -> LoadedCatalog {
    let shows = catalog
        .titles
        .iter()
        .filter(|t| t.kind == Kind::Show)
        .count() as u64;
    LoadedCatalog {
        movies: catalog.len() as u64 - shows,
        shows,
        genres: if genres { catalog.genres() } else { Vec::new() },
        loaded_at,
        from_cache,
    }
}
