//! The settings file: where it lives, its schema, atomic writes, and what happens to a file we
//! cannot read (set aside, said, never silently overwritten).
//!
//! Location: `--config PATH`, else `$PLEXPICKER_CONFIG`, else
//! `$XDG_CONFIG_HOME/plexpicker/cli-settings.json`, else `~/.config/plexpicker/cli-settings.json`
//! (`%APPDATA%\plexpicker\cli-settings.json` on Windows).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use plex_client::{CertFingerprint, CertPins, Token};
use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};

/// The schema this build writes. A file with a higher number is set aside like a corrupt one.
pub const SCHEMA_VERSION: u32 = 1;

/// The default file name inside the config directory.
pub const FILE_NAME: &str = "cli-settings.json";

/// The signed-in account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The plex.tv account token (never printed; `Token`'s Debug hides it).
    pub token: Token,
    /// The account's user name, for display.
    #[serde(default)]
    pub username: Option<String>,
}

/// The server chosen last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenServer {
    /// Its machine identifier.
    pub machine_identifier: String,
    /// Its name when chosen (for display only; lookups use the identifier).
    pub name: String,
}

/// Everything the CLI keeps between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// `X-Plex-Client-Identifier`: a UUID made on first run and kept.
    pub client_identifier: String,
    /// The signed-in account, if any.
    #[serde(default)]
    pub account: Option<Account>,
    /// The server used when `--server` is not given.
    #[serde(default)]
    pub server: Option<ChosenServer>,
    /// The last connection URI that worked, by server machine identifier.
    #[serde(default)]
    pub connections: BTreeMap<String, String>,
    /// Pinned self-signed certificates: `host:port` → SHA-256.
    #[serde(default)]
    pub cert_pins: BTreeMap<String, CertFingerprint>,
    /// Picks and "not this one"s (the picker's cool-offs).
    #[serde(default)]
    pub history: picker::History,
}

impl Settings {
    /// Fresh settings with a new client identifier.
    pub fn fresh() -> Self {
        Settings {
            schema_version: SCHEMA_VERSION,
            client_identifier: uuid::Uuid::new_v4().to_string(),
            account: None,
            server: None,
            connections: BTreeMap::new(),
            cert_pins: BTreeMap::new(),
            history: picker::History::default(),
        }
    }

    /// The pins in the client's shape.
    pub fn pins(&self) -> CertPins {
        self.cert_pins
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Something the user should hear about loading (said on stderr).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// `settings_corrupt` or `settings_newer`.
    pub kind: &'static str,
    /// One sentence.
    pub message: String,
    /// Where the unreadable file went.
    pub moved_to: PathBuf,
}

/// The settings file and what was in it.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
}

/// What [`Store::load`] found.
#[derive(Debug)]
pub struct Loaded {
    /// The settings (fresh when there were none or they were set aside).
    pub settings: Settings,
    /// True when they must be written (new client identifier, or a fresh start).
    pub dirty: bool,
    /// A file set aside, if any.
    pub notice: Option<Notice>,
}

/// The default path from the environment (no `--config`).
pub fn default_path() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(p) = env("PLEXPICKER_CONFIG") {
        return Some(p);
    }
    let dir = if let Some(x) = env("XDG_CONFIG_HOME") {
        x
    } else if cfg!(windows) {
        env("APPDATA")?
    } else {
        env("HOME")?.join(".config")
    };
    Some(dir.join("plexpicker").join(FILE_NAME))
}

impl Store {
    /// A store at `path`.
    pub fn new(path: PathBuf) -> Self {
        Store { path }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory holding the file (and the catalog cache).
    pub fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Reads the settings. A missing file gives fresh settings; a corrupt file or one from a
    /// newer version is renamed to `<name>.corrupt-<timestamp>` and fresh settings are
    /// returned with a [`Notice`]; a file that cannot be read at all is an error (never
    /// overwritten).
    pub fn load(&self) -> Result<Loaded> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded {
                    settings: Settings::fresh(),
                    dirty: true,
                    notice: None,
                })
            }
            Err(e) => {
                return Err(CliError::Storage(format!(
                    "cannot read the settings file {}: {e}; fix its permissions or pass --config",
                    self.path.display()
                )))
            }
        };
        match parse(&bytes) {
            Ok(mut settings) => {
                let mut dirty = false;
                if settings.client_identifier.trim().is_empty() {
                    settings.client_identifier = uuid::Uuid::new_v4().to_string();
                    dirty = true;
                }
                Ok(Loaded {
                    settings,
                    dirty,
                    notice: None,
                })
            }
            Err(problem) => {
                let moved_to = self.set_aside()?;
                let (kind, what) = match problem {
                    Problem::Newer(v) => (
                        "settings_newer",
                        format!("was written by a newer plexpicker-cli (schema {v}, this one reads {SCHEMA_VERSION})"),
                    ),
                    Problem::Corrupt(why) => ("settings_corrupt", format!("could not be read ({why})")),
                };
                Ok(Loaded {
                    settings: Settings::fresh(),
                    dirty: true,
                    notice: Some(Notice {
                        kind,
                        message: format!(
                            "the settings file {} {what}; it was moved to {} and new settings were started (sign in again with `plexpicker-cli login`)",
                            self.path.display(),
                            moved_to.display()
                        ),
                        moved_to,
                    }),
                })
            }
        }
    }

    fn set_aside(&self) -> Result<PathBuf> {
        let stamp = timestamp();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| FILE_NAME.to_string());
        let mut target = self.dir().join(format!("{name}.corrupt-{stamp}"));
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = self.dir().join(format!("{name}.corrupt-{stamp}-{n}"));
        }
        std::fs::rename(&self.path, &target).map_err(|e| {
            CliError::Storage(format!(
                "the settings file {} is unreadable and could not be moved aside ({e}); move or delete it yourself",
                self.path.display()
            ))
        })?;
        Ok(target)
    }

    /// Writes the settings atomically (temp file in the same directory, then rename), mode
    /// 0600 on unix since the file holds the token.
    pub fn save(&self, settings: &Settings) -> Result<()> {
        let mut body = serde_json::to_vec_pretty(settings)
            .map_err(|e| CliError::Storage(format!("cannot encode the settings: {e}")))?;
        body.push(b'\n');
        write_atomically(&self.path, &body).map_err(|e| {
            CliError::Storage(format!(
                "cannot write the settings file {}: {e}; check the directory or pass --config",
                self.path.display()
            ))
        })
    }
}

enum Problem {
    Newer(u64),
    Corrupt(String),
}

fn parse(bytes: &[u8]) -> std::result::Result<Settings, Problem> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| Problem::Corrupt(e.to_string()))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| Problem::Corrupt("no schema_version".into()))?;
    if version > u64::from(SCHEMA_VERSION) {
        return Err(Problem::Newer(version));
    }
    serde_json::from_value(value).map_err(|e| Problem::Corrupt(e.to_string()))
}

/// `20261127T044512Z`.
fn timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    now.format(&fmt)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

/// Writes `body` to `path` through a temp file in the same directory and a rename; the file is
/// 0600 on unix. Creates the directory (0700 on unix) when missing.
pub fn write_atomically(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&dir)?;
    }
    // tempfile creates the file with mode 0600 on unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".cli-settings-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.write_all(body)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Store::new(dir.path().join("sub").join(FILE_NAME));
        (dir, s)
    }

    #[test]
    fn missing_file_is_fresh_and_round_trips() {
        let (_d, s) = store();
        let l = s.load().expect("load");
        assert!(l.dirty && l.notice.is_none());
        assert!(uuid::Uuid::parse_str(&l.settings.client_identifier).is_ok());
        let mut set = l.settings;
        set.account = Some(Account {
            token: Token::new("SECRET-TOKEN"),
            username: Some("u".into()),
        });
        set.server = Some(ChosenServer {
            machine_identifier: "m".into(),
            name: "S".into(),
        });
        set.connections.insert("m".into(), "https://x:1".into());
        set.cert_pins
            .insert("127.0.0.2:1".into(), CertFingerprint::of_der(b"c"));
        set.history.record_pick("42", 1_000);
        s.save(&set).expect("save");
        let back = s.load().expect("load");
        assert!(!back.dirty && back.notice.is_none());
        assert_eq!(back.settings, set);
        assert_eq!(back.settings.pins().len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let (_d, s) = store();
        s.save(&Settings::fresh()).expect("save");
        let mode = std::fs::metadata(s.path())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        // No temp files left behind.
        let names: Vec<_> = std::fs::read_dir(s.dir())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn corrupt_file_is_set_aside_not_overwritten() {
        let (_d, s) = store();
        std::fs::create_dir_all(s.dir()).expect("mkdir");
        std::fs::write(s.path(), b"{ this is not json").expect("write");
        let l = s.load().expect("load");
        let n = l.notice.expect("notice");
        assert_eq!(n.kind, "settings_corrupt");
        assert!(n.moved_to.file_name().is_some_and(|f| f
            .to_string_lossy()
            .starts_with("cli-settings.json.corrupt-")));
        assert_eq!(
            std::fs::read(&n.moved_to).expect("kept"),
            b"{ this is not json"
        );
        assert!(!s.path().exists());
        assert!(l.dirty);
        assert!(n.message.contains("moved to"));
    }

    #[test]
    fn wrong_shape_and_newer_versions_are_set_aside() {
        let (_d, s) = store();
        std::fs::create_dir_all(s.dir()).expect("mkdir");
        std::fs::write(s.path(), br#"{"schema_version":1,"client_identifier":5}"#).expect("w");
        assert_eq!(
            s.load().expect("load").notice.expect("n").kind,
            "settings_corrupt"
        );
        std::fs::write(
            s.path(),
            br#"{"schema_version":99,"client_identifier":"x"}"#,
        )
        .expect("w");
        let n = s.load().expect("load").notice.expect("n");
        assert_eq!(n.kind, "settings_newer");
        assert!(n.message.contains("newer"));
        // Two set-aside files, distinct names.
        let count = std::fs::read_dir(s.dir())
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
            .count();
        assert_eq!(count, 2);
    }

    #[test]
    fn older_fields_missing_still_load() {
        let (_d, s) = store();
        std::fs::create_dir_all(s.dir()).expect("mkdir");
        std::fs::write(s.path(), br#"{"schema_version":1,"client_identifier":""}"#).expect("w");
        let l = s.load().expect("load");
        assert!(l.notice.is_none());
        assert!(l.dirty, "a new client identifier must be saved");
        assert!(!l.settings.client_identifier.is_empty());
    }

    #[test]
    fn token_is_not_in_debug() {
        let mut set = Settings::fresh();
        set.account = Some(Account {
            token: Token::new("SECRET-TOKEN"),
            username: None,
        });
        assert!(!format!("{set:?}").contains("SECRET-TOKEN"));
    }
}
