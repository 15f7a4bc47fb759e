//! Every secret PlexPicker keeps, behind one [`Secrets`] trait.
//!
//! Secrets live in the OS keychain through the `keyring` crate: the Secret Service on Linux
//! and the BSDs, Keychain on macOS, Credential Manager on Windows. Where none is reachable (a
//! headless box, a bare SSH session, Android and iOS, which keyring 4's all-in-one mode does
//! not serve) they live in a file of their own, `secrets.json`, mode 0600 in a 0700 folder,
//! written atomically under a lock. [`open`] picks the backend and says which one it picked,
//! so the front ends can tell the user.
//!
//! Entries are named per installation: the keychain entry's user is
//! `<client identifier>/<key>`, so two installations (the app and the CLI, or a test run) never
//! read or overwrite each other's secrets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use plex_client::Token;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fs;

/// The keychain service every PlexPicker entry is filed under.
pub const SERVICE: &str = "PlexPicker";
/// The fallback file's name inside its folder.
pub const FALLBACK_FILE: &str = "secrets.json";
/// `PLEXPICKER_SECRETS=file` skips the keychain (for a machine whose keychain prompts, or
/// tests); `keychain` refuses the fallback and fails when no keychain is reachable (the test
/// harness sets it where it started a Secret Service, so a missing one fails loudly).
pub const BACKEND_VAR: &str = "PLEXPICKER_SECRETS";
/// A fallback file larger than this is damaged, not read.
const MAX_FALLBACK_BYTES: u64 = 4 << 20;

/// Which secret a value is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKey {
    /// The plex.tv account token (or the token of a server reached by URL and token).
    AccountToken,
    /// A shared server's own access token, by machine identifier.
    ServerAccessToken(String),
    /// An AI provider's API key, by provider name.
    AiKey(String),
    /// A Plex Home profile's token, by profile id.
    ProfileToken(String),
}

impl SecretKey {
    /// The key's stable name in the store (`account-token`, `server-access-token/<id>`, ...).
    pub fn name(&self) -> String {
        match self {
            SecretKey::AccountToken => "account-token".into(),
            SecretKey::ServerAccessToken(id) => format!("server-access-token/{id}"),
            SecretKey::AiKey(provider) => format!("ai-key/{provider}"),
            SecretKey::ProfileToken(id) => format!("profile-token/{id}"),
        }
    }
}

/// Where the secrets are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// The OS keychain.
    Keychain,
    /// The fallback file (no keychain reachable, or `PLEXPICKER_SECRETS=file`).
    File {
        path: PathBuf,
        /// Why the keychain is not used.
        why: String,
    },
}

impl Backend {
    /// True for the fallback file.
    pub fn is_fallback(&self) -> bool {
        matches!(self, Backend::File { .. })
    }

    /// One sentence for About, the one-time notice and the CLI's warning line.
    pub fn describe(&self) -> String {
        match self {
            Backend::Keychain => format!("Your Plex sign-in is kept in {}.", keychain_name()),
            Backend::File { path, why } => format!(
                "No system keychain is available ({why}), so your Plex sign-in is kept in {}, \
                 readable only by you. Sign out on shared machines.",
                path.display()
            ),
        }
    }
}

/// The platform's keychain, as users know it.
pub fn keychain_name() -> &'static str {
    if cfg!(target_os = "macos") || cfg!(target_os = "ios") {
        "the macOS Keychain"
    } else if cfg!(windows) {
        "the Windows Credential Manager"
    } else if cfg!(target_os = "android") {
        "the Android keystore"
    } else {
        "your desktop's keyring (Secret Service)"
    }
}

/// Reads, writes and forgets secrets.
pub trait Secrets: Send + Sync {
    /// The secret, or `None` when there is none.
    fn get(&self, key: &SecretKey) -> Result<Option<String>>;
    /// Stores (or replaces) the secret.
    fn set(&self, key: &SecretKey, value: &str) -> Result<()>;
    /// Forgets the secret; forgetting one that is not there is not an error.
    fn delete(&self, key: &SecretKey) -> Result<()>;
    /// Where the secrets are.
    fn backend(&self) -> Backend;
}

impl dyn Secrets {
    /// The secret as a [`Token`], or `None` when there is none (or it is empty).
    pub fn token(&self, key: &SecretKey) -> Result<Option<Token>> {
        Ok(self
            .get(key)?
            .filter(|t| !t.trim().is_empty())
            .map(Token::new))
    }

    /// Stores a [`Token`].
    pub fn set_token(&self, key: &SecretKey, token: &Token) -> Result<()> {
        self.set(key, &token_text(token))
    }
}

/// The text of a token, for the secret store only. `Token` keeps its text to plex-client and
/// serializes as a plain string; this is the one place the core takes it out.
pub fn token_text(token: &Token) -> String {
    match serde_json::to_value(token) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Which backend [`open`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The keychain when reachable, else the file.
    Auto,
    /// The file only.
    File,
    /// The keychain only: fail when none is reachable.
    Keychain,
}

impl Choice {
    /// From `PLEXPICKER_SECRETS` (`file`, `keychain`; anything else is [`Choice::Auto`]).
    pub fn from_env() -> Choice {
        match std::env::var(BACKEND_VAR).as_deref() {
            Ok("file") => Choice::File,
            Ok("keychain") => Choice::Keychain,
            _ => Choice::Auto,
        }
    }
}

/// Opens the secret store for the installation `installation` (its client identifier):
/// the keychain when one is reachable (and `choice` allows it), else `fallback_dir/secrets.json`.
pub fn open(installation: &str, fallback_dir: &Path, choice: Choice) -> Result<Arc<dyn Secrets>> {
    if choice == Choice::File {
        return Ok(Arc::new(FileSecrets::new(
            fallback_dir.join(FALLBACK_FILE),
            "PLEXPICKER_SECRETS=file",
        )));
    }
    match KeychainSecrets::new(installation) {
        Ok(keychain) => Ok(Arc::new(keychain)),
        Err(why) if choice == Choice::Keychain => Err(Error::NoKeychain(why)),
        Err(why) => Ok(Arc::new(FileSecrets::new(
            fallback_dir.join(FALLBACK_FILE),
            &why,
        ))),
    }
}

/// How long a keychain request may take: a locked keyring waiting for a password prompt
/// nobody can see (an SSH session) must not hang PlexPicker.
pub const KEYCHAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Runs `request` on its own thread and gives up after `timeout`.
#[cfg_attr(any(target_os = "ios", target_os = "android"), allow(dead_code))]
fn within<T: Send + 'static>(
    action: &'static str,
    timeout: std::time::Duration,
    request: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(request());
    });
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(_) => Err(Error::Keychain {
            action,
            why: format!(
                "it did not answer within {} seconds (is it locked?)",
                timeout.as_secs()
            ),
        }),
    }
}

/// Secrets in the OS keychain.
pub struct KeychainSecrets {
    #[cfg_attr(any(target_os = "ios", target_os = "android"), allow(dead_code))]
    installation: String,
}

/// Android and iOS: no keychain backend builds there yet.
#[cfg(any(target_os = "ios", target_os = "android"))]
impl KeychainSecrets {
    /// Always "none": the file fallback in the app data folder is used.
    pub fn new(_installation: &str) -> std::result::Result<Self, String> {
        Err("this platform has no keychain PlexPicker can use yet".into())
    }
}

#[cfg(any(target_os = "ios", target_os = "android"))]
impl Secrets for KeychainSecrets {
    fn get(&self, _key: &SecretKey) -> Result<Option<String>> {
        Ok(None)
    }
    fn set(&self, _key: &SecretKey, _value: &str) -> Result<()> {
        Err(Error::NoKeychain("no keychain on this platform".into()))
    }
    fn delete(&self, _key: &SecretKey) -> Result<()> {
        Ok(())
    }
    fn backend(&self) -> Backend {
        Backend::Keychain
    }
}

#[cfg(not(any(target_os = "ios", target_os = "android")))]
impl KeychainSecrets {
    /// The keychain, if one is reachable; otherwise why not.
    pub fn new(installation: &str) -> std::result::Result<Self, String> {
        match keyring::Entry::store_status() {
            Ok(()) => Ok(KeychainSecrets {
                installation: installation.to_string(),
            }),
            Err(err) => Err(unavailable(err)),
        }
    }

    fn user(&self, key: &SecretKey) -> String {
        format!("{}/{}", self.installation, key.name())
    }
}

#[cfg(not(any(target_os = "ios", target_os = "android")))]
fn entry(user: &str, action: &'static str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, user).map_err(|e| Error::Keychain {
        action,
        why: e.to_string(),
    })
}

/// Says why the keychain cannot be used, without the library's internals.
#[cfg(not(any(target_os = "ios", target_os = "android")))]
fn unavailable(err: &keyring::Error) -> String {
    match err {
        keyring::Error::NoDefaultStore => "no keychain service is running".into(),
        keyring::Error::Invalid(what, _) if what == "platform" => {
            "this platform has no keychain PlexPicker can use".into()
        }
        other => format!("the keychain did not answer: {other}"),
    }
}

#[cfg(not(any(target_os = "ios", target_os = "android")))]
impl Secrets for KeychainSecrets {
    fn get(&self, key: &SecretKey) -> Result<Option<String>> {
        let user = self.user(key);
        within("read", KEYCHAIN_TIMEOUT, move || {
            match entry(&user, "read")?.get_password() {
                Ok(secret) => Ok(Some(secret)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(Error::Keychain {
                    action: "read",
                    why: e.to_string(),
                }),
            }
        })
    }

    fn set(&self, key: &SecretKey, value: &str) -> Result<()> {
        let user = self.user(key);
        let value = value.to_string();
        within("store", KEYCHAIN_TIMEOUT, move || {
            entry(&user, "store")?
                .set_password(&value)
                .map_err(|e| Error::Keychain {
                    action: "store",
                    why: e.to_string(),
                })
        })
    }

    fn delete(&self, key: &SecretKey) -> Result<()> {
        let user = self.user(key);
        within("delete", KEYCHAIN_TIMEOUT, move || {
            match entry(&user, "delete")?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(Error::Keychain {
                    action: "delete",
                    why: e.to_string(),
                }),
            }
        })
    }

    fn backend(&self) -> Backend {
        Backend::Keychain
    }
}

/// Secrets in a file of their own: mode 0600 in a 0700 folder, written atomically under a lock.
pub struct FileSecrets {
    path: PathBuf,
    why: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FallbackFile {
    version: u32,
    secrets: BTreeMap<String, String>,
}

impl FileSecrets {
    /// The store at `path`; `why` says why the keychain is not used.
    pub fn new(path: PathBuf, why: &str) -> Self {
        let why = if why.is_empty() {
            "none was reachable".to_string()
        } else {
            why.to_string()
        };
        FileSecrets { path, why }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file. A damaged file is removed (it can only hold secrets, and keeping a copy
    /// would leave a token behind): the user signs in again.
    fn read(&self) -> Result<FallbackFile> {
        let Some(bytes) = fs::read_capped(&self.path, MAX_FALLBACK_BYTES).or_else(|e| match e {
            Error::Io { ref source, .. } if source.kind() == std::io::ErrorKind::InvalidData => {
                Ok(Some(Vec::new()))
            }
            other => Err(other),
        })?
        else {
            return Ok(FallbackFile::default());
        };
        match serde_json::from_slice::<FallbackFile>(&bytes) {
            Ok(file) => Ok(file),
            Err(_) => {
                let _ = std::fs::remove_file(&self.path);
                Ok(FallbackFile::default())
            }
        }
    }

    fn change(&self, change: impl FnOnce(&mut BTreeMap<String, String>) -> bool) -> Result<()> {
        let _lock = fs::FileLock::acquire(&self.path)?;
        let mut file = self.read()?;
        if !change(&mut file.secrets) {
            return Ok(());
        }
        file.version = 1;
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::Encode {
            what: "the secrets",
            why: e.to_string(),
        })?;
        fs::write_atomic(&self.path, &bytes)?;
        // The folder is this file's own: keep it private even if someone loosened it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir = fs::parent_dir(&self.path);
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| Error::io("protect the folder", dir, e))?;
        }
        Ok(())
    }
}

impl Secrets for FileSecrets {
    fn get(&self, key: &SecretKey) -> Result<Option<String>> {
        Ok(self.read()?.secrets.remove(&key.name()))
    }

    fn set(&self, key: &SecretKey, value: &str) -> Result<()> {
        self.change(|map| map.insert(key.name(), value.to_string()).as_deref() != Some(value))
    }

    fn delete(&self, key: &SecretKey) -> Result<()> {
        self.change(|map| map.remove(&key.name()).is_some())
    }

    fn backend(&self) -> Backend {
        Backend::File {
            path: self.path.clone(),
            why: self.why.clone(),
        }
    }
}

/// Secrets in memory only: for tests of code that needs a store.
#[derive(Default)]
pub struct MemorySecrets {
    map: std::sync::Mutex<BTreeMap<String, String>>,
}

impl Secrets for MemorySecrets {
    fn get(&self, key: &SecretKey) -> Result<Option<String>> {
        Ok(self
            .map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key.name())
            .cloned())
    }

    fn set(&self, key: &SecretKey, value: &str) -> Result<()> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.name(), value.to_string());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<()> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key.name());
        Ok(())
    }

    fn backend(&self) -> Backend {
        Backend::File {
            path: PathBuf::from("(memory)"),
            why: "tests".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_stable_distinct_names() {
        let names = [
            SecretKey::AccountToken.name(),
            SecretKey::ServerAccessToken("m1".into()).name(),
            SecretKey::AiKey("openai".into()).name(),
            SecretKey::ProfileToken("7".into()).name(),
        ];
        assert_eq!(names[0], "account-token");
        assert_eq!(names[1], "server-access-token/m1");
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), 4);
    }

    #[test]
    fn a_keychain_that_does_not_answer_is_given_up_on() {
        let started = std::time::Instant::now();
        let err = within("read", std::time::Duration::from_millis(100), || {
            std::thread::sleep(std::time::Duration::from_secs(5));
            Ok(())
        })
        .unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(err.to_string().contains("did not answer"), "{err}");
        assert_eq!(
            within("read", std::time::Duration::from_secs(5), || Ok(7)).unwrap(),
            7
        );
    }

    #[test]
    fn token_text_is_the_token() {
        assert_eq!(token_text(&Token::new("abc")), "abc");
    }

    #[test]
    fn a_damaged_fallback_file_is_dropped_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileSecrets::new(dir.path().join(FALLBACK_FILE), "");
        std::fs::write(store.path(), b"{ nope").unwrap();
        assert_eq!(store.get(&SecretKey::AccountToken).unwrap(), None);
        store.set(&SecretKey::AccountToken, "t").unwrap();
        assert_eq!(
            store.get(&SecretKey::AccountToken).unwrap().as_deref(),
            Some("t")
        );
    }
}
