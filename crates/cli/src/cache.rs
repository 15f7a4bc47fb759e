//! The catalog cache: `cli-catalog.json` next to the settings file, so `pick` need not reload
//! the libraries every time. It is only a cache: anything wrong with it means "reload".

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::ServerRef;

/// The cache file's name, in the settings directory.
pub const FILE_NAME: &str = "cli-catalog.json";
/// Schema of the cache file.
pub const SCHEMA_VERSION: u32 = 1;
/// A cache older than this is reloaded.
pub const MAX_AGE_SECS: i64 = 12 * 60 * 60;

/// One loaded library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryRef {
    /// Section key.
    pub key: String,
    /// Title.
    pub title: String,
    /// `movie` or `show`.
    pub kind: plex_client::SectionKind,
}

/// What is cached.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedCatalog {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The server it came from.
    pub server: ServerRef,
    /// The `--library` words it was loaded for (sorted, lowercase; empty = all).
    pub selection: Vec<String>,
    /// The libraries loaded.
    pub libraries: Vec<LibraryRef>,
    /// When it was loaded (epoch seconds).
    pub loaded_at: i64,
    /// The titles.
    pub catalog: picker::Catalog,
}

/// The cache path for a settings directory.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Normalizes `--library` words for comparison.
pub fn selection_key(libraries: &[String]) -> Vec<String> {
    let mut v: Vec<String> = libraries
        .iter()
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Reads the cache if it is there, readable, of this schema, fresh, and for this selection.
/// `server` is a machine identifier or a name (`--server`); `None` accepts any server.
pub fn load(
    path: &Path,
    server: Option<&str>,
    selection: &[String],
    now: i64,
) -> Option<CachedCatalog> {
    let bytes = std::fs::read(path).ok()?;
    let c: CachedCatalog = serde_json::from_slice(&bytes).ok()?;
    let fits_server = server.is_none_or(|q| {
        c.server.machine_identifier == q || c.server.name.eq_ignore_ascii_case(q.trim())
    });
    let fresh = now >= c.loaded_at && now - c.loaded_at <= MAX_AGE_SECS;
    (c.schema_version == SCHEMA_VERSION && fits_server && fresh && c.selection == selection)
        .then_some(c)
}

/// Reads the cache whatever its age or selection (for looking titles up).
pub fn load_any(path: &Path) -> Option<CachedCatalog> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes the cache atomically (0600 on unix). Failure only costs a reload next time.
pub fn save(path: &Path, c: &CachedCatalog) -> std::io::Result<()> {
    let body = serde_json::to_vec(c).map_err(std::io::Error::other)?;
    plexpicker_core::fs::write_atomic(path, &body).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(now: i64) -> CachedCatalog {
        CachedCatalog {
            schema_version: SCHEMA_VERSION,
            server: ServerRef {
                name: "Home Server".into(),
                machine_identifier: "m1".into(),
            },
            selection: vec![],
            libraries: vec![],
            loaded_at: now,
            catalog: picker::Catalog::new(vec![picker::Title::movie("1", "A")]),
        }
    }

    #[test]
    fn round_trip_and_validity() {
        let d = tempfile::tempdir().expect("tmp");
        let p = path_in(d.path());
        assert!(load(&p, None, &[], 100).is_none());
        save(&p, &cached(100)).expect("save");
        assert!(load(&p, None, &[], 100).is_some());
        assert!(load(&p, Some("m1"), &[], 100).is_some());
        assert!(load(&p, Some("home server"), &[], 100).is_some());
        assert!(load(&p, Some("other"), &[], 100).is_none());
        assert!(load(&p, None, &["movies".into()], 100).is_none());
        assert!(load(&p, None, &[], 100 + MAX_AGE_SECS + 1).is_none());
        assert!(load_any(&p).is_some());
        std::fs::write(&p, b"garbage").expect("w");
        assert!(load(&p, None, &[], 100).is_none());
    }

    #[test]
    fn selection_is_normalized() {
        assert_eq!(
            selection_key(&["TV Shows".into(), " movies".into(), "Movies".into()]),
            vec!["movies".to_string(), "tv shows".to_string()]
        );
    }
}
