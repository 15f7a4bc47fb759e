//! When the cached catalog of a one-shot pick fits: the CLI keeps one catalog in
//! `cli-catalog.bin` beside its settings (the core's [`crate::cache`] format), loaded for one
//! server and one selection of libraries (the `--library` words, normalized). It is reused
//! while it is fresh (12 hours), for the same server (by machine identifier or name) and the
//! same selection; anything else means "load again".

use std::path::{Path, PathBuf};

use crate::cache::{self, CachedCatalog};

/// A cache older than this is reloaded.
pub const MAX_AGE_SECS: i64 = 12 * 60 * 60;

/// The cache path for a settings directory.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(cache::CLI_FILE)
}

/// Normalizes library words (titles or keys) for comparison: trimmed, lowercase, sorted,
/// each once.
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
/// `server` is a machine identifier or a name; `None` accepts any server.
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
    cache::read(path).ok()
}

/// Writes the cache atomically (0600 in a 0700 folder), and removes the JSON cache earlier
/// versions wrote. Failure only costs a reload next time.
pub fn save(path: &Path, c: &CachedCatalog) -> crate::Result<()> {
    cache::save(path, c)?;
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_file(dir.join(cache::CLI_OLD_FILE));
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
        std::fs::write(d.path().join(cache::CLI_OLD_FILE), b"{}").expect("an old cache");
        assert!(load(&p, None, &[], 100).is_none());
        save(&p, &cached(100)).expect("save");
        assert!(
            !d.path().join(cache::CLI_OLD_FILE).exists(),
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
