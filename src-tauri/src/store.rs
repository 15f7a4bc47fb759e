//! The settings file, through tauri-plugin-store: one key, one typed value.
//!
//! The store plugin silently ignores a file it cannot parse and would overwrite it on the next
//! save, so the file is judged here first: a damaged, unreadable or newer file is moved aside
//! (kept next to the original) before the store opens, and the user is told.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tauri::Runtime;
use tauri_plugin_store::{Store, StoreBuilder};

use crate::settings::{self, Problem, Settings};

/// The store key that holds the [`Settings`] value.
pub const SETTINGS_KEY: &str = "settings";

/// Where settings are written. The state holds it as a trait object, so it does not depend on
/// the Tauri runtime type.
pub trait Persist: Send + Sync {
    fn save(&self, settings: &Settings) -> Result<(), String>;
}

/// The opened settings file.
pub struct Opened<R: Runtime> {
    pub store: SettingsStore<R>,
    pub settings: Settings,
    /// What to tell the user about the start, if anything went wrong.
    pub notice: Option<String>,
}

/// The store plugin's handle on the settings file.
pub struct SettingsStore<R: Runtime> {
    store: Arc<Store<R>>,
}

impl<R: Runtime> Persist for SettingsStore<R> {
    fn save(&self, settings: &Settings) -> Result<(), String> {
        let value = serde_json::to_value(settings).map_err(|e| e.to_string())?;
        self.store.set(SETTINGS_KEY, value);
        self.store.save().map_err(|e| e.to_string())
    }
}

/// Opens the settings at `path`, judging the file before the store plugin sees it.
pub fn open<R: Runtime, M: tauri::Manager<R>>(app: &M, path: &Path) -> Result<Opened<R>, String> {
    let (settings, problem) = match read(path) {
        Ok(Some(settings)) => (settings, None),
        Ok(None) => (Settings::default(), None),
        Err(problem) => (Settings::default(), Some(problem)),
    };
    let mut store_path = path.to_path_buf();
    let notice = problem.map(|problem| match move_aside(path) {
        Ok(copy) => problem.notice(Some(&copy.display().to_string())),
        Err(_) => {
            // The old file cannot be moved: leave it untouched and write elsewhere.
            store_path = sibling(path, &format!("settings-{}.json", now_secs()));
            problem.notice(None)
        }
    });
    let store = StoreBuilder::new(app, &store_path)
        .disable_auto_save()
        .build()
        .map_err(|e| format!("could not open the settings store: {e}"))?;
    let store = SettingsStore { store };
    // Persist at once: the client identifier must survive even if nothing else changes.
    store.save(&settings)?;
    Ok(Opened {
        store,
        settings,
        notice,
    })
}

/// Reads and judges the file: `Ok(None)` when there is none yet.
fn read(path: &Path) -> Result<Option<Settings>, Problem> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Problem::Unreadable(err.to_string())),
    };
    let mut file: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|e| Problem::Corrupt(e.to_string()))?;
    match file.remove(SETTINGS_KEY) {
        Some(value) => settings::decode(value).map(Some),
        None => Err(Problem::Corrupt("no settings in the file".into())),
    }
}

/// Renames `path` to `<name>.damaged-<unix time>` and returns the new path.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "settings.json".into());
    let copy = sibling(path, &format!("{name}.damaged-{}", now_secs()));
    std::fs::rename(path, &copy)?;
    Ok(copy)
}

fn sibling(path: &Path, name: &str) -> PathBuf {
    path.with_file_name(name)
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "plexpicker-store-{name}-{}-{}",
            std::process::id(),
            now_secs()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reading_judges_the_file() {
        let dir = temp_dir("read");
        let path = dir.join("settings.json");
        assert_eq!(read(&path), Ok(None), "no file yet");

        std::fs::write(&path, b"{ not json").unwrap();
        assert!(matches!(read(&path), Err(Problem::Corrupt(_))));

        std::fs::write(&path, br#"{"other": 1}"#).unwrap();
        assert!(matches!(read(&path), Err(Problem::Corrupt(_))));

        let settings = Settings::default();
        let file = serde_json::json!({ SETTINGS_KEY: settings });
        std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
        assert_eq!(read(&path), Ok(Some(settings)));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_bad_file_is_moved_aside_not_overwritten() {
        let dir = temp_dir("aside");
        let path = dir.join("settings.json");
        std::fs::write(&path, b"garbage").unwrap();
        let copy = move_aside(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(std::fs::read(&copy).unwrap(), b"garbage");
        assert!(copy
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("settings.json.damaged-"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
