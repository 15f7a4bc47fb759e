//! Where the app keeps its files, and the Plex client it talks through.
//!
//! Development and end-to-end test overrides come from the environment (documented in
//! README.md); command tests pass [`Options`] directly:
//! `PLEXPICKER_PLEX_TV_URL` (a simulated plex.tv), `PLEXPICKER_DATA_DIR` (settings and cache
//! in another folder), `PLEXPICKER_NO_DNS=1` (no DNS lookups at all: tests must never resolve
//! plex.direct names for real). Extra trusted roots come from `SSL_CERT_FILE`, which the
//! client honours.

use std::path::PathBuf;

use plexpicker_core::client::{ClientSetup, Lookup};

pub const PLEX_TV_URL_VAR: &str = "PLEXPICKER_PLEX_TV_URL";
pub const DATA_DIR_VAR: &str = "PLEXPICKER_DATA_DIR";
pub const NO_DNS_VAR: &str = "PLEXPICKER_NO_DNS";

/// What can differ between the installed app, development against the simulator, and tests.
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep settings and cache here instead of the platform's app folders.
    pub data_dir: Option<PathBuf>,
    /// Talk to this plex.tv (a simulator) instead of the real one.
    pub plex_tv_url: Option<String>,
    /// Trust this root certificate too (PEM), for example the simulator's.
    pub extra_root_pem: Option<String>,
    /// Never look names up in DNS (tests: plex.direct names must not be resolved for real).
    pub no_dns: bool,
    /// Where secrets may be kept (`PLEXPICKER_SECRETS`: the keychain when there is one).
    pub secrets: plexpicker_core::secrets::Choice,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            data_dir: None,
            plex_tv_url: None,
            extra_root_pem: None,
            no_dns: false,
            secrets: plexpicker_core::secrets::Choice::Auto,
        }
    }
}

impl Options {
    /// The options the environment sets (see the module documentation); none in normal use.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            data_dir: var(DATA_DIR_VAR).map(PathBuf::from),
            plex_tv_url: var(PLEX_TV_URL_VAR),
            extra_root_pem: None,
            no_dns: var(NO_DNS_VAR).is_some_and(|v| v == "1"),
            secrets: plexpicker_core::secrets::Choice::from_env(),
        }
    }
}

/// The app's files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Settings (no secret in them).
    pub settings: PathBuf,
    /// The catalog cache folder.
    pub cache: PathBuf,
    /// The folder of the secret store's fallback file, used only where there is no keychain.
    pub secrets: PathBuf,
}

impl Paths {
    /// The paths under the platform's folders, or under `override_dir` when given.
    pub fn new(override_dir: Option<&PathBuf>, data_dir: PathBuf, cache_dir: PathBuf) -> Self {
        match override_dir {
            Some(dir) => Self {
                settings: dir.join("settings.json"),
                cache: dir.join("cache"),
                secrets: plexpicker_core::storage::secrets_dir(dir),
            },
            None => Self {
                settings: data_dir.join("settings.json"),
                cache: cache_dir,
                secrets: plexpicker_core::storage::secrets_dir(&data_dir),
            },
        }
    }
}

/// The Plex client for this install (its client identifier comes from the settings).
pub fn client_setup(options: &Options, client_identifier: &str, version: &str) -> ClientSetup {
    let device = if cfg!(any(target_os = "android", target_os = "ios")) {
        "Mobile"
    } else {
        "Desktop"
    };
    let mut setup = ClientSetup::new(client_identifier, version, device, "PlexPicker");
    setup.plex_tv_url = options.plex_tv_url.clone();
    setup.extra_root_pems = options.extra_root_pem.iter().cloned().collect();
    if options.no_dns {
        setup.lookup = Lookup::Never;
    }
    setup
}
