//! Where the app keeps its files, and the Plex client it talks through.
//!
//! Development and test overrides come from the environment (documented in README.md):
//! `PLEXPICKER_PLEX_TV_URL` (a simulated plex.tv), `PLEXPICKER_DATA_DIR` (settings and cache
//! in another folder), `PLEXPICKER_NO_DNS=1` (no DNS lookups at all: tests must never resolve
//! plex.direct names for real). Extra trusted roots come from `SSL_CERT_FILE`, which the
//! client honours.

use std::path::PathBuf;
use std::sync::Arc;

use plex_client::{ClientConfig, NoDns, PlexClient, ProductInfo};

pub const PLEX_TV_URL_VAR: &str = "PLEXPICKER_PLEX_TV_URL";
pub const DATA_DIR_VAR: &str = "PLEXPICKER_DATA_DIR";
pub const NO_DNS_VAR: &str = "PLEXPICKER_NO_DNS";

/// The app's files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Settings (with the token).
    pub settings: PathBuf,
    /// The catalog cache folder.
    pub cache: PathBuf,
}

impl Paths {
    /// The paths under `data_dir`, or under `PLEXPICKER_DATA_DIR` when that is set.
    pub fn new(data_dir: PathBuf, cache_dir: PathBuf) -> Self {
        match std::env::var_os(DATA_DIR_VAR).filter(|v| !v.is_empty()) {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                Self {
                    settings: dir.join("settings.json"),
                    cache: dir.join("cache"),
                }
            }
            None => Self {
                settings: data_dir.join("settings.json"),
                cache: cache_dir,
            },
        }
    }
}

/// The Plex client for this install (its client identifier comes from the settings).
pub fn plex_client(client_identifier: &str, version: &str) -> Result<PlexClient, String> {
    let product = ProductInfo {
        product: "PlexPicker".into(),
        version: version.into(),
        platform: platform_name().into(),
        platform_version: String::new(),
        device: device_kind().into(),
        device_name: "PlexPicker".into(),
    };
    let mut config = ClientConfig::new(client_identifier, product);
    if let Some(url) = std::env::var(PLEX_TV_URL_VAR).ok().filter(|v| !v.is_empty()) {
        config = config.with_plex_tv_url(url);
    }
    if std::env::var(NO_DNS_VAR).is_ok_and(|v| v == "1") {
        config = config.with_resolver(Arc::new(NoDns));
    }
    PlexClient::new(config).map_err(|e| e.to_string())
}

/// Whether the app talks to a simulated plex.tv (then it must not open the real browser).
pub fn simulated_plex_tv() -> bool {
    std::env::var(PLEX_TV_URL_VAR).is_ok_and(|v| !v.is_empty())
}

fn platform_name() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "windows" => "Windows",
        "macos" => "macOS",
        "android" => "Android",
        "ios" => "iOS",
        other => other,
    }
}

fn device_kind() -> &'static str {
    if cfg!(any(target_os = "android", target_os = "ios")) {
        "Mobile"
    } else {
        "Desktop"
    }
}
