//! The loaded catalog, cached on disk so the next start opens the picker at once.

use std::path::{Path, PathBuf};

use picker::Catalog;
use serde::{Deserialize, Serialize};

/// What is written to the cache file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCatalog {
    /// The server it came from ("demo" for the demo library).
    pub server_id: String,
    /// When it was loaded (Unix seconds).
    pub loaded_at: i64,
    pub catalog: Catalog,
}

/// The cache file of a server.
pub fn path(dir: &Path, server_id: &str) -> PathBuf {
    let safe: String = server_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    dir.join(format!("catalog-{safe}.json"))
}

/// Reads a server's cached catalog; a missing, damaged or foreign file is no cache.
pub fn load(dir: &Path, server_id: &str) -> Option<CachedCatalog> {
    let bytes = std::fs::read(path(dir, server_id)).ok()?;
    let cached: CachedCatalog = serde_json::from_slice(&bytes).ok()?;
    (cached.server_id == server_id).then_some(cached)
}

/// Writes the cache atomically (a temporary file, then a rename), so a crash never leaves
/// half a file.
pub fn save(dir: &Path, cached: &CachedCatalog) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let target = path(dir, &cached.server_id);
    let temp = target.with_extension("json.tmp");
    let bytes = serde_json::to_vec(cached).map_err(std::io::Error::other)?;
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, &target)
}

/// Removes every cached catalog (on sign-out).
pub fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("catalog-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_clears() {
        let dir = std::env::temp_dir().join(format!("plexpicker-cache-{}", std::process::id()));
        let cached = CachedCatalog {
            server_id: "abc/../x".into(),
            loaded_at: 42,
            catalog: Catalog::new(vec![picker::Title::movie("1", "A Film")]),
        };
        save(&dir, &cached).unwrap();
        assert!(
            path(&dir, "abc/../x").starts_with(&dir),
            "ids cannot escape the folder"
        );
        assert_eq!(load(&dir, "abc/../x"), Some(cached));
        assert_eq!(load(&dir, "other"), None);
        std::fs::write(path(&dir, "broken"), b"{").unwrap();
        assert_eq!(load(&dir, "broken"), None, "a damaged cache is no cache");
        clear(&dir);
        assert_eq!(load(&dir, "abc/../x"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
