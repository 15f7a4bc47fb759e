//! Files that are never half-written and never undone by a concurrent writer.
//!
//! - [`write_atomic`]: a temp file in the same folder, fsync'd, renamed over the target, then
//!   the folder fsync'd, so a crash at any point leaves either the old file or the new one.
//! - Files are 0600 and the folders the core creates 0700 (on unix).
//! - [`FileLock`]: an advisory lock on `<file>.lock`, held around read-modify-write; whoever
//!   holds it re-reads the file first, so two processes never undo each other's change.
//! - [`set_aside`]: the one naming scheme for keeping a file that cannot be used:
//!   `<name>.<reason>-<UTC timestamp>[-n]`, where the reason is `damaged` or `newer`.

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Why a file was set aside; part of the kept copy's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsideReason {
    /// It could not be read or did not have the expected shape.
    Damaged,
    /// It was written by a newer PlexPicker.
    Newer,
}

impl AsideReason {
    /// The word in the kept copy's name.
    pub fn word(self) -> &'static str {
        match self {
            AsideReason::Damaged => "damaged",
            AsideReason::Newer => "newer",
        }
    }
}

/// The folder holding `path` (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates `dir` and any missing parents, each created one with mode 0700 (unix). A folder
/// that already exists is left as it is (it may be `/tmp` or the user's own).
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Error::io("create the folder", dir, e))
}

/// Reads `path` whole, or `None` when it does not exist. A file over `max_bytes` is refused
/// as damaged (`InvalidData`) rather than read into memory.
pub fn read_capped(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(Error::io(
            "read",
            path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the file is larger than {max_bytes} bytes"),
            ),
        ));
    }
    Ok(Some(bytes))
}

/// Writes `bytes` to `path` atomically with mode 0600: a temp file in the same folder is
/// written and fsync'd, renamed over `path`, and the folder is fsync'd. The folder is
/// created (0700) when missing. On failure the old file is untouched and no temp file stays.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |file| {
        file.write_all(bytes)
            .map_err(|e| Error::io("write", path, e))
    })
}

/// [`write_atomic`], the content written by `write` into the temp file (so a big file need
/// not be held in memory whole). An error from `write` leaves the old file untouched.
pub fn write_atomic_with(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let dir = parent_dir(path);
    ensure_private_dir(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut file = private_options()
            .create_new(true)
            .open(&temp)
            .map_err(|e| Error::io("create", &temp, e))?;
        write(&mut file)?;
        file.sync_all().map_err(|e| Error::io("flush", &temp, e))?;
        drop(file);
        std::fs::rename(&temp, path).map_err(|e| Error::io("replace", path, e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
        return written;
    }
    sync_dir(&dir);
    Ok(())
}

/// Options that create a file readable and writable by its owner only.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Makes a rename in `dir` durable. Best effort: not every platform can open a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// An exclusive advisory lock on `<path>.lock`, released when dropped.
///
/// Every writer of a shared file takes it around read-modify-write and re-reads the file
/// under it. It does not stop a program that ignores it; it only orders PlexPicker's own
/// processes (two CLI commands, or the CLI and the app).
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// Waits for and takes the lock that guards `path`.
    pub fn acquire(path: &Path) -> Result<FileLock> {
        let lock_path = lock_path(path);
        ensure_private_dir(&parent_dir(&lock_path))?;
        let file = private_options()
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| Error::io("open the lock file", &lock_path, e))?;
        file.lock().map_err(|e| Error::io("lock", &lock_path, e))?;
        Ok(FileLock {
            file,
            path: lock_path,
        })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// `<path>.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "file".into());
    name.push(".lock");
    path.with_file_name(name)
}

/// Renames `path` to `<name>.<reason>-<UTC timestamp>` (with `-2`, `-3`... if taken) next to
/// it and returns the new path.
pub fn set_aside(path: &Path, reason: AsideReason) -> Result<PathBuf> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings".into());
    let stamp = timestamp();
    let base = format!("{name}.{}-{stamp}", reason.word());
    let mut target = dir.join(&base);
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!("{base}-{n}"));
    }
    std::fs::rename(path, &target).map_err(|e| Error::io("set aside", path, e))?;
    sync_dir(&dir);
    Ok(target)
}

/// `20261127T044512Z`: now, in UTC.
pub fn timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    now.format(&fmt)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

/// True when `name` is a copy [`set_aside`] made of a file named `original`.
pub fn is_set_aside_copy(name: &str, original: &str) -> bool {
    [AsideReason::Damaged, AsideReason::Newer]
        .iter()
        .any(|r| name.starts_with(&format!("{original}.{}-", r.word())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("inner").join("f.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("f.json")]);
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(&dir.path().join("new")), 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_does_not_write_in_place() {
        // A hard link to the old file keeps the old bytes: the new file is a new inode.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"old").unwrap();
        let link = dir.path().join("link");
        std::fs::hard_link(&path, &link).unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&link).unwrap(), b"old");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"old").unwrap();
        // The target is now a folder: the rename fails.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), b"x").unwrap();
        assert!(write_atomic(&blocked, b"new").is_err());
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
    }

    #[test]
    fn reads_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        assert!(read_capped(&path, 10).unwrap().is_none());
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_capped(&path, 10).unwrap().unwrap().len(), 10);
        std::fs::write(&path, b"0123456789A").unwrap();
        assert!(read_capped(&path, 10).is_err());
    }

    #[test]
    fn set_aside_names_follow_one_scheme() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, b"a").unwrap();
        let first = set_aside(&path, AsideReason::Damaged).unwrap();
        std::fs::write(&path, b"b").unwrap();
        let second = set_aside(&path, AsideReason::Damaged).unwrap();
        std::fs::write(&path, b"c").unwrap();
        let third = set_aside(&path, AsideReason::Newer).unwrap();
        assert!(!path.exists());
        assert_ne!(first, second);
        for (copy, body) in [(&first, "a"), (&second, "b"), (&third, "c")] {
            assert_eq!(std::fs::read_to_string(copy).unwrap(), body);
            let name = copy.file_name().unwrap().to_string_lossy().into_owned();
            assert!(is_set_aside_copy(&name, "settings.json"), "{name}");
        }
        assert!(first
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("settings.json.damaged-20"));
        assert!(third
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("settings.json.newer-20"));
    }

    #[test]
    fn the_lock_excludes_a_second_holder() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        let held = FileLock::acquire(&path).unwrap();
        assert!(held.path().ends_with("f.json.lock"));
        let got = Arc::new(AtomicBool::new(false));
        let thread = {
            let got = got.clone();
            let path = path.clone();
            std::thread::spawn(move || {
                let _second = FileLock::acquire(&path).unwrap();
                got.store(true, Ordering::SeqCst);
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(!got.load(Ordering::SeqCst), "the second lock waited");
        drop(held);
        thread.join().unwrap();
        assert!(got.load(Ordering::SeqCst));
    }
}
