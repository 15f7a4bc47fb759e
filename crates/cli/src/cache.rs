//! The catalog cache: `cli-catalog.bin` next to the settings file, so `pick` need not reload
//! the libraries every time. The format is the core's ([`plexpicker_core::cache`]: binary,
//! versioned, checksummed, written atomically); this module adds the CLI's rules for when a
//! cache fits. It is only a cache: anything wrong with it means "reload".

use std::path::{Path, PathBuf};

pub use plexpicker_core::cache::{CachedCatalog, LibraryRef};

/// The cache file's name, in the settings directory.
pub const FILE_NAME: &str = plexpicker_core::cache::CLI_FILE;
/// What earlier versions wrote (JSON); removed when the new cache is written.
const OLD_FILE_NAME: &str = plexpicker_core::cache::CLI_OLD_FILE;
/// A cache older than this is reloaded.
pub const MAX_AGE_SECS: i64 = 12 * 60 * 60;

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

/// Reads the cache if it is there, intact, fresh, and for this server and selection.
/// `server` is a machine identifier or a name (`--server`); `None` accepts any server.
pub fn load(
    path: &Path,
    server: Option<&str>,
    selection: &[String],
    now: i64,
) -> Option<CachedCatalog> {
    let c = load_any(path)?;
    let fits_server =
        server.is_none_or(|q| c.server_id == q || c.server_name.eq_ignore_ascii_case(q.trim()));
    let fresh = now >= c.loaded_at && now - c.loaded_at <= MAX_AGE_SECS;
    (fits_server && fresh && c.selection == selection).then_some(c)
}

/// Reads the cache whatever its age or selection (for looking titles up).
pub fn load_any(path: &Path) -> Option<CachedCatalog> {
    plexpicker_core::cache::read(path).ok()
}

/// Writes the cache atomically (0600 in a 0700 folder), and removes an old JSON cache.
/// Failure only costs a reload next time.
pub fn save(path: &Path, c: &CachedCatalog) -> plexpicker_core::Result<()> {
    plexpicker_core::cache::save(path, c)?;
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_file(dir.join(OLD_FILE_NAME));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(now: i64) -> CachedCatalog {
        CachedCatalog {
            server_id: "m1".into(),
            server_name: "Home Server".into(),
            selection: vec![],
            libraries: vec![],
            loaded_at: now,
            catalog: picker::Catalog::new(vec![picker::Title::movie("1", "A")]).into(),
        }
    }

    #[test]
    fn round_trip_and_validity() {
        let d = tempfile::tempdir().expect("tmp");
        let p = path_in(d.path());
        std::fs::write(d.path().join(OLD_FILE_NAME), b"{}").expect("an old cache");
        assert!(load(&p, None, &[], 100).is_none());
        save(&p, &cached(100)).expect("save");
        assert!(
            !d.path().join(OLD_FILE_NAME).exists(),
            "the old cache is gone"
        );
        assert!(load(&p, None, &[], 100).is_some());
        assert!(load(&p, Some("m1"), &[], 100).is_some());
        assert!(load(&p, Some("home server"), &[], 100).is_some());
        assert!(load(&p, Some("other"), &[], 100).is_none());
        assert!(load(&p, None, &["movies".into()], 100).is_none());
        assert!(load(&p, None, &[], 100 + MAX_AGE_SECS + 1).is_none());
        assert!(load(&p, None, &[], 99).is_none(), "a cache from the future");
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
