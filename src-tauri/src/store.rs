//! The settings file, through tauri-plugin-store: one key, one typed value, no secret.
//!
//! The store plugin silently ignores a file it cannot parse and would overwrite it on the next
//! save, so the file is judged here first (by the core): a damaged or newer file is set aside
//! under the core's one naming scheme before the store opens, and the user is told. A file of
//! the old schema (token inside) is migrated: the core moves its tokens to the secret store,
//! then the store writes the file without them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use plexpicker_core::migrate::Origin;
use plexpicker_core::secrets::{self, Secrets};
use plexpicker_core::session::Persist;
use plexpicker_core::settings::{self, MAX_SETTINGS_BYTES};
use plexpicker_core::{fs, storage};
use tauri::Runtime;
use tauri_plugin_store::{Store, StoreBuilder};

use crate::config::{Options, Paths};
use crate::settings::{Problem, Settings};

/// The store key that holds the [`Settings`] value.
pub use plexpicker_core::settings::STORE_KEY as SETTINGS_KEY;

/// The opened settings file and secret store.
pub struct Opened<R: Runtime> {
    pub store: SettingsStore<R>,
    pub settings: Settings,
    pub secrets: Arc<dyn Secrets>,
    /// What to tell the user about the start, if anything went wrong.
    pub notice: Option<String>,
}

/// The store plugin's handle on the settings file.
pub struct SettingsStore<R: Runtime> {
    store: Arc<Store<R>>,
}

impl<R: Runtime> SettingsStore<R> {
    /// Writes `settings` through the store plugin.
    pub fn save(&self, settings: &Settings) -> Result<(), String> {
        let value = serde_json::to_value(settings).map_err(|e| e.to_string())?;
        self.store.set(SETTINGS_KEY, value);
        self.store.save().map_err(|e| e.to_string())
    }
}

/// Only this app writes its store: the session's copy is the current one.
impl<R: Runtime> Persist for SettingsStore<R> {
    fn update(
        &self,
        current: &Settings,
        change: &mut dyn FnMut(&mut Settings),
    ) -> plexpicker_core::Result<Settings> {
        let mut next = current.clone();
        change(&mut next);
        self.save(&next).map_err(plexpicker_core::Error::Persist)?;
        Ok(next)
    }
}

/// Opens the settings at `paths.settings` (judging, migrating or setting the file aside before
/// the store plugin sees it) and the secret store.
pub fn open<R: Runtime, M: tauri::Manager<R>>(
    app: &M,
    paths: &Paths,
    options: &Options,
) -> Result<Opened<R>, String> {
    let path = &paths.settings;
    let judged = match read(path) {
        Ok(None) => Ok(None),
        Ok(Some(value)) => storage::judge(value, Origin::App, &paths.secrets, options.secrets)
            .map_err(|e| format!("{e}. {}", e.advice()))?
            .map(Some),
        Err(problem) => Err(problem),
    };
    let (settings, secrets, problem) = match judged {
        Ok(Some(judged)) => (judged.settings, Some(judged.secrets), None),
        Ok(None) => (Settings::default(), None, None),
        Err(problem) => (Settings::default(), None, Some(problem)),
    };
    let secrets = match secrets {
        Some(s) => s,
        None => secrets::open(&settings.client_identifier, &paths.secrets, options.secrets)
            .map_err(|e| format!("{e}. {}", e.advice()))?,
    };
    let mut store_path = path.to_path_buf();
    let notice = problem.map(
        |problem| match settings::set_aside(path, problem.reason()) {
            Ok(copy) => problem.notice(Some(&copy)),
            Err(_) => {
                // The old file cannot be moved: leave it untouched and write elsewhere.
                store_path = sibling(path, &format!("settings-{}.json", fs::timestamp()));
                problem.notice(None)
            }
        },
    );
    let store = StoreBuilder::new(app, &store_path)
        .disable_auto_save()
        .build()
        .map_err(|e| format!("could not open the settings store: {e}"))?;
    let store = SettingsStore { store };
    // Persist at once: the client identifier must survive even if nothing else changes, and
    // a migrated file must lose its tokens now.
    store.save(&settings)?;
    Ok(Opened {
        store,
        settings,
        secrets,
        notice,
    })
}

/// Reads the file and takes out the settings value: `Ok(None)` when there is no file yet.
fn read(path: &Path) -> Result<Option<serde_json::Value>, Problem> {
    let bytes = match fs::read_capped(path, MAX_SETTINGS_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(err) => return Err(Problem::Damaged(err.to_string())),
    };
    let mut file: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|e| Problem::Damaged(e.to_string()))?;
    match file.remove(SETTINGS_KEY) {
        Some(value) => Ok(Some(value)),
        None => Err(Problem::Damaged("no settings in the file".into())),
    }
}

fn sibling(path: &Path, name: &str) -> PathBuf {
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_takes_out_the_settings_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        assert_eq!(read(&path), Ok(None), "no file yet");

        std::fs::write(&path, b"{ not json").unwrap();
        assert!(matches!(read(&path), Err(Problem::Damaged(_))));

        std::fs::write(&path, br#"{"other": 1}"#).unwrap();
        assert!(matches!(read(&path), Err(Problem::Damaged(_))));

        let settings = Settings::default();
        let file = serde_json::json!({ SETTINGS_KEY: settings });
        std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
        assert_eq!(
            read(&path),
            Ok(Some(serde_json::to_value(&settings).unwrap()))
        );
    }
}
