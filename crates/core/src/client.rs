//! The Plex client both front ends talk through, built the same way: who we are to Plex
//! (product, version, platform, device), and what development and tests may change (a
//! simulated plex.tv, extra trusted roots, no real DNS, names pinned to addresses, a shorter
//! probe).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use plex_client::{ClientConfig, NoDns, PlexClient, ProductInfo, Resolve, StaticDns};

/// How host names are looked up.
#[derive(Debug, Clone, Default)]
pub enum Lookup {
    /// The system's resolver.
    #[default]
    System,
    /// Never: tests must not resolve plex.direct names for real.
    Never,
    /// Only these names, each to its address (tests, and pinning a plex.direct name).
    Only(Vec<(String, IpAddr)>),
}

/// What a front end says about itself and its environment.
#[derive(Debug, Clone)]
pub struct ClientSetup {
    /// The install's `X-Plex-Client-Identifier` (from the settings).
    pub client_identifier: String,
    /// The front end's version.
    pub version: String,
    /// `X-Plex-Device`: "Desktop", "Mobile", "CLI".
    pub device: String,
    /// `X-Plex-Device-Name`, what the user sees in Plex's list of devices.
    pub device_name: String,
    /// Another plex.tv (a simulator) instead of the real one.
    pub plex_tv_url: Option<String>,
    /// Root certificates (PEM) to trust besides the system's.
    pub extra_root_pems: Vec<String>,
    pub lookup: Lookup,
    /// A shorter (or longer) probe per route; the connect and fast-path limits never exceed it.
    pub probe_timeout: Option<Duration>,
}

impl ClientSetup {
    /// The setup of the installed front end: no overrides.
    pub fn new(client_identifier: &str, version: &str, device: &str, device_name: &str) -> Self {
        Self {
            client_identifier: client_identifier.to_string(),
            version: version.to_string(),
            device: device.to_string(),
            device_name: device_name.to_string(),
            plex_tv_url: None,
            extra_root_pems: Vec::new(),
            lookup: Lookup::System,
            probe_timeout: None,
        }
    }

    /// The client's configuration.
    pub fn config(&self) -> ClientConfig {
        let product = ProductInfo {
            product: "PlexPicker".into(),
            version: self.version.clone(),
            platform: platform_name().into(),
            platform_version: String::new(),
            device: self.device.clone(),
            device_name: self.device_name.clone(),
        };
        let mut config = ClientConfig::new(self.client_identifier.clone(), product);
        if let Some(url) = &self.plex_tv_url {
            config = config.with_plex_tv_url(url.trim_end_matches('/'));
        }
        for pem in &self.extra_root_pems {
            config = config.with_extra_root_pem(pem.clone());
        }
        match &self.lookup {
            Lookup::System => {}
            Lookup::Never => config = config.with_resolver(Arc::new(NoDns)),
            Lookup::Only(names) => {
                let dns = names
                    .iter()
                    .fold(StaticDns::new(), |dns, (host, ip)| dns.with(host, *ip));
                config = config.with_resolver(Arc::new(dns) as Arc<dyn Resolve>);
            }
        }
        if let Some(probe) = self.probe_timeout {
            let t = &mut config.timeouts;
            t.probe = probe.max(Duration::from_millis(1));
            t.fast_path = t.fast_path.min(t.probe);
            t.connect = t.connect.min(t.probe);
        }
        config
    }

    /// The client. Fails only on a setup that cannot work (an unreadable root certificate, a
    /// plex.tv address that is not one), said in words.
    pub fn build(&self) -> Result<PlexClient, String> {
        PlexClient::new(self.config()).map_err(|e| e.to_string())
    }
}

/// `X-Plex-Platform` as Plex spells the platforms.
pub fn platform_name() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "windows" => "Windows",
        "macos" => "macOS",
        "android" => "Android",
        "ios" => "iOS",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shorter_probe_also_shortens_the_connect_and_fast_path_limits() {
        let mut setup = ClientSetup::new("id", "1.0", "CLI", "PlexPicker CLI");
        let default = setup.config().timeouts;
        setup.probe_timeout = Some(Duration::from_millis(50));
        let t = setup.config().timeouts;
        assert_eq!(t.probe, Duration::from_millis(50));
        assert!(t.connect <= t.probe && t.fast_path <= t.probe);
        assert_eq!(t.request, default.request, "other limits are untouched");
        setup.probe_timeout = Some(Duration::ZERO);
        assert_eq!(setup.config().timeouts.probe, Duration::from_millis(1));
    }

    #[test]
    fn the_product_says_who_we_are() {
        let setup = ClientSetup::new("abc", "9.9", "Desktop", "PlexPicker");
        let config = setup.config();
        assert_eq!(config.client_identifier, "abc");
        assert_eq!(config.product.version, "9.9");
        assert_eq!(config.product.device, "Desktop");
        assert_eq!(config.product.platform, platform_name());
    }
}
