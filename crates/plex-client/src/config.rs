//! What the caller configures: identity, product information, base URLs, trust, DNS and limits.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT};

/// The real plex.tv.
pub const DEFAULT_PLEX_TV_URL: &str = "https://plex.tv";
/// The real app.plex.tv (where the user approves a PIN).
pub const DEFAULT_APP_PLEX_TV_URL: &str = "https://app.plex.tv";

/// Endpoint paths, shared with the tests.
pub mod endpoints {
    /// `POST` creates a PIN (`?strong=true`).
    pub const PINS: &str = "/api/v2/pins";
    /// `GET` the signed-in user (validates a token).
    pub const USER: &str = "/api/v2/user";
    /// `GET` the account's devices and servers.
    pub const RESOURCES: &str = "/api/v2/resources";
    /// The query `RESOURCES` is always asked with.
    pub const RESOURCES_QUERY: &str = "includeHttps=1&includeRelay=1&includeIPv6=1";
    /// `GET` the profiles of the account's Plex Home (404: no Home).
    pub const HOME_USERS: &str = "/api/v2/home/users";
    /// The app.plex.tv page where a PIN is approved (fragment follows).
    pub const AUTH: &str = "/auth";
    /// PMS identity (no token).
    pub const IDENTITY: &str = "/identity";
    /// PMS library sections.
    pub const SECTIONS: &str = "/library/sections";
    /// PMS image transcoder.
    pub const PHOTO_TRANSCODE: &str = "/photo/:/transcode";

    /// `GET` one PIN.
    pub fn pin(id: u64) -> String {
        format!("{PINS}/{id}")
    }
    /// `POST` switches to a Home profile (its PIN, when protected, as a form parameter).
    pub fn home_user_switch(uuid: &str) -> String {
        format!("{HOME_USERS}/{}/switch", super::path_segment(uuid))
    }
    /// All items of a section.
    pub fn section_all(key: &str) -> String {
        format!("{SECTIONS}/{}/all", super::path_segment(key))
    }
    /// All episodes of a show.
    pub fn all_leaves(rating_key: &str) -> String {
        format!(
            "/library/metadata/{}/allLeaves",
            super::path_segment(rating_key)
        )
    }
}

pub(crate) fn path_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Product information sent in the X-Plex headers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProductInfo {
    /// `X-Plex-Product`, e.g. "PlexPicker".
    pub product: String,
    /// `X-Plex-Version`.
    pub version: String,
    /// `X-Plex-Platform`, e.g. "Linux".
    pub platform: String,
    /// `X-Plex-Platform-Version`.
    pub platform_version: String,
    /// `X-Plex-Device`, e.g. "Desktop".
    pub device: String,
    /// `X-Plex-Device-Name`, e.g. the host name.
    pub device_name: String,
}

impl Default for ProductInfo {
    fn default() -> Self {
        ProductInfo {
            product: "PlexPicker".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            platform: std::env::consts::OS.into(),
            platform_version: String::new(),
            device: "Desktop".into(),
            device_name: "PlexPicker".into(),
        }
    }
}

/// When a token may travel over plain http ("Allow insecure connections", as in Plex's own
/// apps). Serialized in lowercase snake_case: `"never"`, `"same_network"`, `"always"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AllowInsecure {
    /// Never: plain http routes are not used at all.
    Never,
    /// Only to a private address listed as `local` for a server you own, when plex.tv says
    /// this device is on the server's network, and only when no https route worked.
    #[default]
    #[serde(alias = "same-network", alias = "samenetwork")]
    SameNetwork,
    /// Also to remote http routes (still only when no https route worked, and never when the
    /// server requires secure connections). The only way a token reaches a remote http route.
    Always,
}

impl AllowInsecure {
    /// The setting's name as serialized (`never`, `same_network`, `always`).
    pub fn as_str(self) -> &'static str {
        match self {
            AllowInsecure::Never => "never",
            AllowInsecure::SameNetwork => "same_network",
            AllowInsecure::Always => "always",
        }
    }
}

impl fmt::Display for AllowInsecure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AllowInsecure::Never => "never",
            AllowInsecure::SameNetwork => "on the same network",
            AllowInsecure::Always => "always",
        })
    }
}

/// Timeouts. Defaults are a few seconds; tests shrink them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP + TLS connect timeout of each request.
    pub connect: Duration,
    /// Overall time of one plex.tv request or one PMS API request (headers and body).
    pub request: Duration,
    /// Overall time of one race candidate's `/identity` probe.
    pub probe: Duration,
    /// Overall time of the token check (`/library/sections`) on the winning candidate.
    pub confirm: Duration,
    /// Overall time of the remembered connection's fast-path attempt.
    pub fast_path: Duration,
    /// Overall time of one poster download.
    pub poster: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(3),
            request: Duration::from_secs(20),
            probe: Duration::from_secs(5),
            confirm: Duration::from_secs(8),
            fast_path: Duration::from_millis(1500),
            poster: Duration::from_secs(15),
        }
    }
}

/// How the connection race is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RaceConfig {
    /// Relay candidates start this long after the direct ones (or as soon as all direct failed).
    pub relay_delay: Duration,
    /// After the first candidate proves the right identity, wait at most this long for a
    /// better-ranked candidate still in flight (never for ones that hang past it).
    pub settle_window: Duration,
}

impl Default for RaceConfig {
    fn default() -> Self {
        RaceConfig {
            relay_delay: Duration::from_millis(300),
            settle_window: Duration::from_millis(25),
        }
    }
}

/// Size limits of response bodies and paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest JSON body accepted (bytes).
    pub max_body_bytes: usize,
    /// Largest poster accepted (bytes).
    pub max_poster_bytes: usize,
    /// Items asked for per page (the server may return fewer).
    pub page_size: usize,
    /// Pages in flight at once.
    pub pages_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 64 * 1024 * 1024,
            max_poster_bytes: 16 * 1024 * 1024,
            page_size: 1000,
            pages_in_flight: 4,
        }
    }
}

/// The client's configuration. Build with [`ClientConfig::new`] and adjust fields.
#[derive(Clone)]
pub struct ClientConfig {
    /// `X-Plex-Client-Identifier`: a UUID the app makes once and keeps.
    pub client_identifier: String,
    /// Product information for the X-Plex headers.
    pub product: ProductInfo,
    /// Base URL of plex.tv (default [`DEFAULT_PLEX_TV_URL`]).
    pub plex_tv_url: String,
    /// Base URL of app.plex.tv (default [`DEFAULT_APP_PLEX_TV_URL`]).
    pub app_plex_tv_url: String,
    /// Extra trusted root certificates in PEM, on top of the system roots
    /// (rustls-native-certs, which honours `SSL_CERT_FILE`).
    pub extra_roots_pem: Vec<String>,
    /// Skip the system roots (only `extra_roots_pem` are trusted). Default false.
    pub skip_system_roots: bool,
    /// The DNS resolver for everything (plex.tv and servers). `None`: the system resolver.
    /// Tests inject one that never does real DNS.
    pub resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// The connection race.
    pub race: RaceConfig,
    /// Body and paging limits.
    pub limits: Limits,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("client_identifier", &self.client_identifier)
            .field("product", &self.product)
            .field("plex_tv_url", &self.plex_tv_url)
            .field("app_plex_tv_url", &self.app_plex_tv_url)
            .field("extra_roots_pem", &self.extra_roots_pem.len())
            .field("skip_system_roots", &self.skip_system_roots)
            .field("resolver", &self.resolver.as_ref().map(|_| "custom"))
            .field("timeouts", &self.timeouts)
            .field("race", &self.race)
            .field("limits", &self.limits)
            .finish()
    }
}

impl ClientConfig {
    /// A configuration for the real plex.tv with the given identity and product.
    pub fn new(client_identifier: impl Into<String>, product: ProductInfo) -> Self {
        ClientConfig {
            client_identifier: client_identifier.into(),
            product,
            plex_tv_url: DEFAULT_PLEX_TV_URL.into(),
            app_plex_tv_url: DEFAULT_APP_PLEX_TV_URL.into(),
            extra_roots_pem: Vec::new(),
            skip_system_roots: false,
            resolver: None,
            timeouts: Timeouts::default(),
            race: RaceConfig::default(),
            limits: Limits::default(),
        }
    }

    /// Points plex.tv (and app.plex.tv) at another base URL, e.g. the simulator.
    pub fn with_plex_tv_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.app_plex_tv_url = url.clone();
        self.plex_tv_url = url;
        self
    }

    /// Adds a trusted root certificate (PEM).
    pub fn with_extra_root_pem(mut self, pem: impl Into<String>) -> Self {
        self.extra_roots_pem.push(pem.into());
        self
    }

    /// Sets the DNS resolver.
    pub fn with_resolver(mut self, resolver: Arc<dyn reqwest::dns::Resolve>) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// The X-Plex headers every request carries (no token).
    pub fn plex_headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let p = &self.product;
        let pairs: [(&'static str, &str); 7] = [
            ("x-plex-client-identifier", &self.client_identifier),
            ("x-plex-product", &p.product),
            ("x-plex-version", &p.version),
            ("x-plex-platform", &p.platform),
            ("x-plex-platform-version", &p.platform_version),
            ("x-plex-device", &p.device),
            ("x-plex-device-name", &p.device_name),
        ];
        for (name, value) in pairs {
            let value = header_safe(value);
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(HeaderName::from_static(name), v);
            }
        }
        h
    }
}

/// Header values must be visible ASCII: replace anything else.
fn header_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The name of the token header.
pub const TOKEN_HEADER: &str = "x-plex-token";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_complete() {
        let cfg = ClientConfig::new("abc-123", ProductInfo::default());
        let h = cfg.plex_headers();
        assert_eq!(h["accept"], "application/json");
        for name in [
            "x-plex-client-identifier",
            "x-plex-product",
            "x-plex-version",
            "x-plex-platform",
            "x-plex-platform-version",
            "x-plex-device",
            "x-plex-device-name",
        ] {
            assert!(h.contains_key(name), "{name}");
        }
        assert!(!h.contains_key(TOKEN_HEADER));
        assert_eq!(AllowInsecure::default(), AllowInsecure::SameNetwork);
        for (v, name) in [
            (AllowInsecure::Never, "never"),
            (AllowInsecure::SameNetwork, "same_network"),
            (AllowInsecure::Always, "always"),
        ] {
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{name}\""));
            assert_eq!(v.as_str(), name);
            assert_eq!(
                serde_json::from_str::<AllowInsecure>(&format!("\"{name}\"")).unwrap(),
                v
            );
        }
        assert_eq!(
            serde_json::from_str::<AllowInsecure>("\"same-network\"").unwrap(),
            AllowInsecure::SameNetwork
        );
        assert_eq!(endpoints::section_all("1"), "/library/sections/1/all");
        assert_eq!(
            endpoints::all_leaves("a/b"),
            "/library/metadata/a%2Fb/allLeaves"
        );
    }
}
