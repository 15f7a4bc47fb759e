//! The one versioned settings schema both front ends keep. It holds no secret: tokens are in
//! the secret store ([`crate::secrets`]).
//!
//! The app persists it through tauri-plugin-store (one key, [`STORE_KEY`]); the CLI in its
//! own file through [`SettingsFile`], atomically and under a lock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plex_client::{CertFingerprint, CertPins, Connection, Server, Token};
use plexpicker_ipc::Choices;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fs::{self, AsideReason};

/// Bumped when the shape changes. 1 was the app's and the CLI's own schemas, tokens inside;
/// 2 is this one, shared and secret-free.
pub const SCHEMA_VERSION: u32 = 2;
/// The tauri-plugin-store key that holds the settings in the app's file.
pub const STORE_KEY: &str = "settings";
/// A settings file larger than this is damaged, not read.
pub const MAX_SETTINGS_BYTES: u64 = 16 << 20;

/// Everything PlexPicker remembers between runs, except secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub schema_version: u32,
    /// `X-Plex-Client-Identifier`: made once, on first start, and kept. Also names this
    /// installation's entries in the keychain.
    pub client_identifier: String,
    /// The signed-in account (its token is in the secret store). `None` when signed out.
    pub account: Option<Account>,
    /// The server chosen last.
    pub server: Option<SavedServer>,
    /// The route that worked last, by server machine identifier; tried first next time.
    pub last_connections: BTreeMap<String, String>,
    /// Pinned self-signed certificates, by `host:port`.
    pub pins: BTreeMap<String, CertFingerprint>,
    /// Keys of the libraries chosen for picking; `None` means all movie and show libraries.
    pub libraries: Option<Vec<String>>,
    /// The wheels and filters as the user left them.
    pub choices: Choices,
    /// What was picked, chosen and rejected, for cool-offs.
    pub history: picker::History,
    /// The demo library is in use (the app).
    pub demo: bool,
    /// The user was told once that secrets are kept in the fallback file (the app).
    pub told_secrets_in_file: bool,
    /// When a token may travel over plain http ("Allow insecure connections", as in Plex's own
    /// apps): never, only to the server's own local address on its network (the default), or
    /// always.
    pub allow_insecure: plex_client::AllowInsecure,
    /// "Ask a model": the AI provider and its switches (off by default; the key is in the
    /// secret store under [`crate::secrets::SecretKey::AiKey`]).
    pub ai: crate::ai::AiSettings,
    /// "Who's watching?": the Home profiles (by id) picking together; empty is the account
    /// alone. The tokens of the other profiles in it are in the secret store under
    /// [`crate::secrets::SecretKey::ProfileToken`] (never their PINs), and only theirs.
    pub watching: Vec<String>,
    /// Their names, in the same order, for the window's header before the Home is fetched.
    pub watching_names: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            client_identifier: uuid::Uuid::new_v4().to_string(),
            account: None,
            server: None,
            last_connections: BTreeMap::new(),
            pins: BTreeMap::new(),
            libraries: None,
            choices: Choices::default(),
            history: picker::History::default(),
            demo: false,
            told_secrets_in_file: false,
            allow_insecure: plex_client::AllowInsecure::default(),
            ai: crate::ai::AiSettings::default(),
            watching: Vec::new(),
            watching_names: Vec::new(),
        }
    }
}

impl Settings {
    /// The pins in the client's shape.
    pub fn cert_pins(&self) -> CertPins {
        self.pins
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// A signed-in Plex account (or a server reached by URL and token). The token is in the
/// secret store under [`crate::secrets::SecretKey::AccountToken`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The account's name, when Plex told us.
    #[serde(default)]
    pub name: Option<String>,
    /// Signed in with "connect by URL and token": there is no plex.tv account to list
    /// servers from.
    #[serde(default)]
    pub direct: bool,
}

/// What PlexPicker keeps of the chosen server, so it can reconnect without asking plex.tv.
/// A shared server's own token is in the secret store under
/// [`crate::secrets::SecretKey::ServerAccessToken`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedServer {
    /// The machine identifier.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub owned: bool,
    #[serde(default)]
    pub home: bool,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub https_required: bool,
    /// It has an access token of its own in the secret store.
    #[serde(default)]
    pub has_access_token: bool,
    /// Its connections as plex.tv listed them (empty when only the name is known).
    #[serde(default)]
    pub connections: Vec<Connection>,
}

impl SavedServer {
    /// What is kept of `server` (its access token goes to the secret store separately).
    pub fn of(server: &Server) -> Self {
        SavedServer {
            id: server.machine_identifier.clone(),
            name: server.name.clone(),
            owned: server.owned,
            home: server.home,
            owner: server.owner_name.clone(),
            https_required: server.https_required,
            has_access_token: server.access_token.as_ref().is_some_and(|t| !t.is_empty()),
            connections: server.connections.clone(),
        }
    }

    /// A server reached by URL and token ("connect by URL and token"): owned, one local
    /// connection, no access token of its own (the token given is the account's).
    pub fn direct(id: &str, name: &str, url: &str) -> Self {
        SavedServer {
            id: id.to_string(),
            name: name.to_string(),
            owned: true,
            home: false,
            owner: None,
            https_required: false,
            has_access_token: false,
            connections: vec![Connection {
                uri: url.to_string(),
                local: true,
                ..Default::default()
            }],
        }
    }

    /// The server as plex.tv described it, rebuilt from what was saved and its access token
    /// from the secret store, so reconnecting after a restart needs no trip to plex.tv.
    pub fn to_server(&self, access_token: Option<Token>) -> Server {
        Server {
            name: self.name.clone(),
            machine_identifier: self.id.clone(),
            product: None,
            product_version: None,
            platform: None,
            owned: self.owned,
            home: self.home,
            presence: true,
            https_required: self.https_required,
            relay: true,
            dns_rebinding_protection: false,
            owner_id: None,
            owner_name: self.owner.clone(),
            public_address: None,
            // Not saved: unknown until plex.tv is asked again, so local http and never-pinned
            // self-signed routes are not used (plex-client issue 10, point 2).
            public_address_matches: false,
            access_token,
            connections: self.connections.clone(),
        }
    }
}

/// Why a stored value could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not valid JSON, or not the expected shape.
    Damaged(String),
    /// Written by a newer PlexPicker.
    Newer(u32),
}

impl Problem {
    /// How the kept copy is named.
    pub fn reason(&self) -> AsideReason {
        match self {
            Problem::Damaged(_) => AsideReason::Damaged,
            Problem::Newer(_) => AsideReason::Newer,
        }
    }

    /// What the user is told, in plain words, with where the old file was kept.
    pub fn notice(&self, kept_copy: Option<&Path>) -> String {
        let what = match self {
            Problem::Damaged(_) => "PlexPicker's saved settings were damaged".to_string(),
            Problem::Newer(v) => format!(
                "PlexPicker's saved settings come from a newer version of PlexPicker (format {v})"
            ),
        };
        match kept_copy {
            Some(copy) => format!(
                "{what}, so it started fresh. A copy of the old file was kept at {}. \
                 Sign in again to carry on.",
                copy.display()
            ),
            None => format!(
                "{what}, so it started fresh without changing the old file. \
                 Sign in again to carry on."
            ),
        }
    }
}

/// Judges a stored settings value of the current schema: the settings to use, or why not.
/// Older schemas go through [`crate::migrate`] first.
pub fn decode(value: serde_json::Value) -> std::result::Result<Settings, Problem> {
    let version = schema_version(&value)?;
    if version > SCHEMA_VERSION {
        return Err(Problem::Newer(version));
    }
    if version < SCHEMA_VERSION {
        return Err(Problem::Damaged(format!(
            "format {version} must be migrated first"
        )));
    }
    let settings: Settings =
        serde_json::from_value(value).map_err(|err| Problem::Damaged(err.to_string()))?;
    if uuid::Uuid::parse_str(&settings.client_identifier).is_err() {
        return Err(Problem::Damaged(
            "the client identifier is not a UUID".into(),
        ));
    }
    Ok(settings)
}

/// Keys under which older settings kept secrets.
const SECRET_KEYS: &[&str] = &["token", "access_token", "accessToken", "authToken"];

/// Sets a settings file aside ([`fs::set_aside`]) and takes every secret out of the kept copy
/// (an old or damaged file may still hold a token, which lives in the secret store now). A
/// copy without secrets is left byte for byte; one that is not JSON is kept as it is.
pub fn set_aside(path: &Path, reason: AsideReason) -> Result<PathBuf> {
    let kept = fs::set_aside(path, reason)?;
    if let Ok(Some(bytes)) = fs::read_capped(&kept, MAX_SETTINGS_BYTES) {
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            if scrub(&mut value) {
                let body = serde_json::to_vec_pretty(&value).map_err(|e| Error::Encode {
                    what: "the kept settings",
                    why: e.to_string(),
                })?;
                fs::write_atomic(&kept, &body)?;
            }
        }
    }
    Ok(kept)
}

/// Removes every secret-bearing key, at any depth; true when something was removed.
fn scrub(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            let mut removed = false;
            for key in SECRET_KEYS {
                removed |= map.remove(*key).is_some();
            }
            for v in map.values_mut() {
                removed |= scrub(v);
            }
            removed
        }
        serde_json::Value::Array(items) => {
            let mut removed = false;
            for v in items {
                removed |= scrub(v);
            }
            removed
        }
        _ => false,
    }
}

/// The value's `schema_version`.
pub fn schema_version(value: &serde_json::Value) -> std::result::Result<u32, Problem> {
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| Problem::Damaged("no schema version".into()))?;
    Ok(u32::try_from(version).unwrap_or(u32::MAX))
}

/// A settings file of its own (the CLI's): read, judged, changed under a lock, written
/// atomically with mode 0600.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

/// What [`SettingsFile::open`] found.
#[derive(Debug)]
pub struct Opened {
    pub settings: Settings,
    /// The file was set aside: what happened and where the copy is.
    pub notice: Option<Notice>,
    /// The file was of an older schema and has been brought up to date.
    pub migrated: bool,
}

/// A file that was set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub problem: Problem,
    pub kept_at: PathBuf,
    pub message: String,
}

impl SettingsFile {
    /// The file at `path`.
    pub fn new(path: PathBuf) -> Self {
        SettingsFile { path }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder holding it.
    pub fn dir(&self) -> PathBuf {
        fs::parent_dir(&self.path)
    }

    /// Reads the settings under the lock, setting a damaged or newer file aside, and writes
    /// fresh settings when there were none (so the client identifier is kept from the start).
    /// A file of an older schema is handed to `migrate` (still under the lock), which moves its
    /// secrets and returns the new settings, or says the file is damaged.
    pub fn open(
        &self,
        migrate: impl FnOnce(serde_json::Value) -> Result<std::result::Result<Settings, Problem>>,
    ) -> Result<Opened> {
        let _lock = fs::FileLock::acquire(&self.path)?;
        let bad = match self.read_unlocked()? {
            Read::Missing => None,
            Read::Current(settings) => {
                return Ok(Opened {
                    settings: *settings,
                    notice: None,
                    migrated: false,
                })
            }
            Read::Legacy(value) => match migrate(value)? {
                Ok(settings) => {
                    self.write_unlocked(&settings)?;
                    return Ok(Opened {
                        settings,
                        notice: None,
                        migrated: true,
                    });
                }
                Err(problem) => Some(problem),
            },
            Read::Bad(problem) => Some(problem),
        };
        let notice = match bad {
            Some(problem) => {
                let kept_at = set_aside(&self.path, problem.reason())?;
                let message = problem.notice(Some(&kept_at));
                Some(Notice {
                    problem,
                    kept_at,
                    message,
                })
            }
            None => None,
        };
        let settings = Settings::default();
        self.write_unlocked(&settings)?;
        Ok(Opened {
            settings,
            notice,
            migrated: false,
        })
    }

    /// Re-reads the file under the lock, applies `change` and writes the result: a change made
    /// meanwhile by another process is kept. Returns the settings as written.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<Settings> {
        let _lock = fs::FileLock::acquire(&self.path)?;
        let mut settings = match self.read_unlocked()? {
            Read::Current(s) => *s,
            // Someone removed or damaged it meanwhile: start from fresh values, keeping the
            // damaged file aside rather than overwriting it.
            Read::Missing => Settings::default(),
            Read::Bad(problem) => {
                set_aside(&self.path, problem.reason())?;
                Settings::default()
            }
            // An older PlexPicker rewrote it meanwhile: its tokens must be migrated first.
            Read::Legacy(_) => {
                return Err(Error::Settings(format!(
                    "{} was rewritten by an older PlexPicker",
                    self.path.display()
                )))
            }
        };
        change(&mut settings);
        self.write_unlocked(&settings)?;
        Ok(settings)
    }

    /// Replaces the file with `settings` (under the lock).
    pub fn save(&self, settings: &Settings) -> Result<()> {
        let _lock = fs::FileLock::acquire(&self.path)?;
        self.write_unlocked(settings)
    }

    fn read_unlocked(&self) -> Result<Read> {
        let bytes = match fs::read_capped(&self.path, MAX_SETTINGS_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(Read::Missing),
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::InvalidData => {
                return Ok(Read::Bad(Problem::Damaged("the file is too large".into())))
            }
            Err(e) => return Err(e),
        };
        let value: serde_json::Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return Ok(Read::Bad(Problem::Damaged(e.to_string()))),
        };
        match schema_version(&value) {
            Ok(v) if v < SCHEMA_VERSION => Ok(Read::Legacy(value)),
            Ok(_) => Ok(match decode(value) {
                Ok(s) => Read::Current(Box::new(s)),
                Err(p) => Read::Bad(p),
            }),
            Err(p) => Ok(Read::Bad(p)),
        }
    }

    fn write_unlocked(&self, settings: &Settings) -> Result<()> {
        let mut body = serde_json::to_vec_pretty(settings).map_err(|e| Error::Encode {
            what: "the settings",
            why: e.to_string(),
        })?;
        body.push(b'\n');
        fs::write_atomic(&self.path, &body)
    }
}

enum Read {
    Missing,
    Current(Box<Settings>),
    Legacy(serde_json::Value),
    Bad(Problem),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_migration(_: serde_json::Value) -> Result<std::result::Result<Settings, Problem>> {
        panic!("nothing to migrate here")
    }

    #[test]
    fn fresh_settings_have_a_uuid_and_the_current_schema() {
        let s = Settings::default();
        assert_eq!(s.schema_version, SCHEMA_VERSION);
        assert!(uuid::Uuid::parse_str(&s.client_identifier).is_ok());
        assert_ne!(s.client_identifier, Settings::default().client_identifier);
        assert_eq!(decode(serde_json::to_value(&s).unwrap()), Ok(s));
    }

    #[test]
    fn newer_and_wrong_shapes_are_refused() {
        let mut value = serde_json::to_value(Settings::default()).unwrap();
        value["schema_version"] = json!(SCHEMA_VERSION + 1);
        assert_eq!(decode(value), Err(Problem::Newer(SCHEMA_VERSION + 1)));
        assert!(matches!(decode(json!("hello")), Err(Problem::Damaged(_))));
        assert!(matches!(
            decode(json!({"schema_version": 2, "account": 5})),
            Err(Problem::Damaged(_))
        ));
        assert!(matches!(
            decode(json!({"schema_version": 2, "client_identifier": "nope"})),
            Err(Problem::Damaged(_))
        ));
    }

    #[test]
    fn the_file_is_opened_kept_and_updated_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(dir.path().join("conf").join("cli-settings.json"));
        let opened = file.open(no_migration).unwrap();
        assert!(opened.notice.is_none() && !opened.migrated);
        assert!(
            file.path().exists(),
            "the client identifier is kept at once"
        );
        let id = opened.settings.client_identifier.clone();
        assert_eq!(
            file.open(no_migration).unwrap().settings.client_identifier,
            id
        );
        // Two writers: each re-reads, so neither undoes the other.
        let a = file.clone();
        let b = file.clone();
        a.update(|s| s.demo = true).unwrap();
        b.update(|s| {
            s.account = Some(Account {
                name: Some("ann".into()),
                direct: false,
            })
        })
        .unwrap();
        let now = file.open(no_migration).unwrap().settings;
        assert!(now.demo);
        assert_eq!(now.account.unwrap().name.as_deref(), Some("ann"));
        assert_eq!(now.client_identifier, id);
    }

    #[test]
    fn a_damaged_or_newer_file_is_set_aside_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(dir.path().join("cli-settings.json"));
        std::fs::write(file.path(), b"{ oops").unwrap();
        let opened = file.open(no_migration).unwrap();
        let notice = opened.notice.unwrap();
        assert_eq!(std::fs::read(&notice.kept_at).unwrap(), b"{ oops");
        assert!(notice.message.contains("damaged"));
        assert!(notice
            .message
            .contains(&notice.kept_at.display().to_string()));
        let newer = json!({"schema_version": 99, "client_identifier": "x", "future": true});
        std::fs::write(file.path(), newer.to_string()).unwrap();
        let notice = file.open(no_migration).unwrap().notice.unwrap();
        assert_eq!(notice.problem, Problem::Newer(99));
        let kept: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&notice.kept_at).unwrap()).unwrap();
        assert_eq!(kept, newer, "the newer file is kept byte for byte");
        assert!(notice
            .kept_at
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("cli-settings.json.newer-"));
    }
}
