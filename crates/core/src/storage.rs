//! Settings and secrets opened together, with schema-1 files migrated on the way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Result;
use crate::migrate::{self, Origin};
use crate::secrets::{self, Choice, Secrets};
use crate::settings::{self, Notice, Problem, Settings, SettingsFile, SCHEMA_VERSION};

/// The folder the fallback secrets file lives in, next to the settings: its own, so it can be
/// 0700 whatever folder the settings are in.
pub fn secrets_dir(settings_dir: &Path) -> PathBuf {
    settings_dir.join("secrets")
}

/// A stored settings value, judged and brought up to date.
pub struct Judged {
    pub settings: Settings,
    pub secrets: Arc<dyn Secrets>,
    /// It was of schema 1: its secrets moved to the store, and it must be written back.
    pub migrated: bool,
}

/// Judges a stored value written by `origin`: the current schema is decoded; schema 1 is
/// migrated, its secrets stored in the secret store first; anything else is a [`Problem`].
pub fn judge(
    value: serde_json::Value,
    origin: Origin,
    secrets_dir: &Path,
    choice: Choice,
) -> Result<std::result::Result<Judged, Problem>> {
    let version = match settings::schema_version(&value) {
        Ok(v) => v,
        Err(p) => return Ok(Err(p)),
    };
    if version == 0 || version >= SCHEMA_VERSION {
        return Ok(match settings::decode(value) {
            Ok(settings) => {
                let secrets = secrets::open(&settings.client_identifier, secrets_dir, choice)?;
                Ok(Judged {
                    settings,
                    secrets,
                    migrated: false,
                })
            }
            Err(p) => Err(p),
        });
    }
    let migrated = match migrate::from_v1(value, origin) {
        Ok(m) => m,
        Err(p) => return Ok(Err(p)),
    };
    let secrets = secrets::open(&migrated.settings.client_identifier, secrets_dir, choice)?;
    migrated.store_secrets(secrets.as_ref())?;
    Ok(Ok(Judged {
        settings: migrated.settings,
        secrets,
        migrated: true,
    }))
}

/// A settings file of its own (the CLI's) and the secret store, opened.
pub struct Storage {
    pub file: SettingsFile,
    pub secrets: Arc<dyn Secrets>,
    pub settings: Settings,
    /// The old file was set aside.
    pub notice: Option<Notice>,
    /// The old file was of schema 1 and has been migrated.
    pub migrated: bool,
}

/// Opens the settings file at `path` (migrating a schema-1 file written by `origin`) and the
/// secret store for its installation.
pub fn open_file(path: PathBuf, origin: Origin, choice: Choice) -> Result<Storage> {
    let file = SettingsFile::new(path);
    let dir = secrets_dir(&file.dir());
    let mut opened_secrets = None;
    let opened = file.open(|value| {
        Ok(match judge(value, origin, &dir, choice)? {
            Ok(judged) => {
                opened_secrets = Some(judged.secrets);
                Ok(judged.settings)
            }
            Err(p) => Err(p),
        })
    })?;
    let secrets = match opened_secrets {
        Some(s) => s,
        None => secrets::open(&opened.settings.client_identifier, &dir, choice)?,
    };
    Ok(Storage {
        file,
        secrets,
        settings: opened.settings,
        notice: opened.notice,
        migrated: opened.migrated,
    })
}
