//! The catalog cache, one format for both front ends, so the next start (the app) or the
//! next `pick` (the CLI) need not load the libraries again.
//!
//! A compact binary file: a header (a magic, the format's version, the body's length and its
//! CRC-32) and the body in [postcard](https://docs.rs/postcard). It is only a cache: anything
//! wrong with it (missing, damaged, of another version, too big, for another server) means
//! "load again", never "trust it". It is written like every file of the core: atomically,
//! 0600 in a 0700 folder.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The first bytes of every cache file.
pub const MAGIC: &[u8; 8] = b"PPCATLG\0";
/// Bumped whenever the body's shape (this module's types or the picker's `Catalog`) changes:
/// postcard is positional, so a file of another shape must not be read.
pub const FORMAT_VERSION: u32 = 1;
/// A cache file larger than this is not read (a 200,000-title catalog takes about 60 MB).
pub const MAX_CACHE_BYTES: u64 = 512 << 20;

const HEADER_LEN: usize = 8 + 4 + 8 + 4;

/// One loaded library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryRef {
    /// The section key.
    pub key: String,
    pub title: String,
    pub kind: plex_client::SectionKind,
}

/// What is cached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCatalog {
    /// The server's machine identifier (`"demo"` for the demo library).
    pub server_id: String,
    /// The server's name when it was loaded.
    pub server_name: String,
    /// What was asked for: the library keys (the app) or the `--library` words (the CLI),
    /// normalised by the front end.
    pub selection: Vec<String>,
    /// The libraries loaded.
    pub libraries: Vec<LibraryRef>,
    /// When it was loaded (Unix seconds).
    pub loaded_at: i64,
    /// The titles.
    pub catalog: picker::Catalog,
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    Missing,
    TooBig(u64),
    NotACache,
    OtherVersion(u32),
    Damaged(String),
}

/// The file's bytes: header and body.
pub fn encode(cached: &CachedCatalog) -> Result<Vec<u8>> {
    let body = postcard::to_allocvec(cached).map_err(|e| Error::Encode {
        what: "the catalog cache",
        why: e.to_string(),
    })?;
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Reads a file's bytes back, checking everything [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> std::result::Result<CachedCatalog, Unusable> {
    let Some((header, body)) = bytes.split_at_checked(HEADER_LEN) else {
        return Err(Unusable::NotACache);
    };
    if &header[..8] != MAGIC {
        return Err(Unusable::NotACache);
    }
    let word = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(Unusable::OtherVersion(version));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&header[12..20]);
    if u64::from_le_bytes(len) != body.len() as u64 {
        return Err(Unusable::Damaged("its length does not match".into()));
    }
    if crc32fast::hash(body) != word(20) {
        return Err(Unusable::Damaged("its checksum does not match".into()));
    }
    postcard::from_bytes(body).map_err(|e| Unusable::Damaged(e.to_string()))
}

/// The cache file of a server in the folder `dir` (the app keeps one per server). The id is
/// reduced to letters, digits, `-` and `_`, so it cannot name a file elsewhere.
pub fn file_for(dir: &Path, server_id: &str) -> std::path::PathBuf {
    let safe: String = server_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    dir.join(format!("catalog-{safe}.bin"))
}

/// The CLI's one cache file, beside its settings (its selection of libraries is inside).
pub const CLI_FILE: &str = "cli-catalog.bin";
/// The CLI's cache file before the binary format.
pub const CLI_OLD_FILE: &str = "cli-catalog.json";

/// Removes every cached catalog in `dir` (on sign-out), the app's and the CLI's, of this
/// format or an older one, and nothing else.
pub fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("catalog-") || name == CLI_FILE || name == CLI_OLD_FILE {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Reads the cache at `path`.
pub fn read(path: &Path) -> std::result::Result<CachedCatalog, Unusable> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Damaged(e.to_string())),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_CACHE_BYTES {
        return Err(Unusable::TooBig(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_CACHE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Unusable::Damaged(e.to_string()))?;
    if bytes.len() as u64 > MAX_CACHE_BYTES {
        return Err(Unusable::TooBig(bytes.len() as u64));
    }
    decode(&bytes)
}

/// The cache at `path`, if it is usable and for `server_id`.
pub fn load(path: &Path, server_id: &str) -> Option<CachedCatalog> {
    read(path).ok().filter(|c| c.server_id == server_id)
}

/// Writes the cache atomically (temp file, fsync, rename), 0600 in a 0700 folder.
pub fn save(path: &Path, cached: &CachedCatalog) -> Result<()> {
    crate::fs::write_atomic(path, &encode(cached)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached() -> CachedCatalog {
        let mut show = picker::Title::show("2", "A Show");
        show.genres = vec!["Drama".into()];
        show.episodes = vec![picker::Episode {
            id: "21".into(),
            season: 1,
            index: 1,
            ..picker::Episode::default()
        }];
        CachedCatalog {
            server_id: "m1".into(),
            server_name: "Home Server".into(),
            selection: vec!["1".into(), "2".into()],
            libraries: vec![LibraryRef {
                key: "1".into(),
                title: "Movies".into(),
                kind: plex_client::SectionKind::Movie,
            }],
            loaded_at: 42,
            catalog: picker::Catalog::new(vec![picker::Title::movie("1", "A Film"), show]),
        }
    }

    #[test]
    fn a_saved_cache_reads_back_the_same_with_its_server_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("catalog.bin");
        save(&path, &cached()).unwrap();
        assert_eq!(load(&path, "m1"), Some(cached()));
        assert_eq!(load(&path, "other"), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn anything_wrong_with_the_file_means_load_again() {
        let good = encode(&cached()).unwrap();
        assert_eq!(decode(&good), Ok(cached()));
        assert_eq!(decode(b""), Err(Unusable::NotACache));
        assert_eq!(decode(b"{\"server_id\":\"m1\"}"), Err(Unusable::NotACache));
        let mut other = good.clone();
        other[8] = 9;
        assert_eq!(decode(&other), Err(Unusable::OtherVersion(9)));
        // Every single flipped bit of the body is caught by the checksum.
        for i in (HEADER_LEN..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[i] ^= 0x10;
            assert!(
                matches!(decode(&bad), Err(Unusable::Damaged(_))),
                "byte {i}"
            );
        }
        // Cut short, or with bytes added.
        assert!(matches!(
            decode(&good[..good.len() - 1]),
            Err(Unusable::Damaged(_))
        ));
        let mut longer = good.clone();
        longer.push(0);
        assert!(matches!(decode(&longer), Err(Unusable::Damaged(_))));
        // A header that claims a huge body with a matching checksum of nothing.
        let mut lying = good[..HEADER_LEN].to_vec();
        lying[12..20].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(decode(&lying), Err(Unusable::Damaged(_))));
    }

    #[test]
    fn a_body_that_claims_billions_of_titles_is_refused_without_allocating_them() {
        // A well-formed header around a body whose first length prefix says 2^60 items.
        let mut body = Vec::new();
        let mut n: u64 = 1 << 60;
        while n >= 0x80 {
            body.push((n as u8) | 0x80);
            n >>= 7;
        }
        body.push(n as u8);
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        assert!(matches!(decode(&bytes), Err(Unusable::Damaged(_))));
    }

    #[test]
    fn one_file_per_server_that_ids_cannot_escape_and_sign_out_clears_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_for(dir.path(), "abc/../x");
        assert_eq!(path.parent(), Some(dir.path()));
        save(&path, &cached()).unwrap();
        std::fs::write(dir.path().join("catalog-old.json"), b"{}").unwrap();
        std::fs::write(dir.path().join("keep.txt"), b"").unwrap();
        clear(dir.path());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["keep.txt".to_string()]);
    }

    #[test]
    fn a_missing_or_oversized_file_is_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.bin");
        assert_eq!(read(&path), Err(Unusable::Missing));
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_CACHE_BYTES + 1).unwrap();
        assert_eq!(read(&path), Err(Unusable::TooBig(MAX_CACHE_BYTES + 1)));
    }
}
