//! The client: configuration, trust store, resolver and the plex.tv HTTP client.

use std::fmt;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::config::ClientConfig;
use crate::error::{Error, Result};
use crate::tls::{CertPolicy, Trust};

/// The entry point: signs in, lists servers, races connections.
///
/// Cheap to clone (shared inside).
#[derive(Clone)]
pub struct PlexClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) cfg: ClientConfig,
    pub(crate) trust: Trust,
    pub(crate) resolver: Arc<dyn Resolve>,
    pub(crate) plex_tv: reqwest::Client,
}

impl fmt::Debug for PlexClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlexClient")
            .field("config", &self.inner.cfg)
            .finish()
    }
}

impl PlexClient {
    /// Builds a client: loads the trust store and the plex.tv HTTP client.
    pub fn new(cfg: ClientConfig) -> Result<Self> {
        if cfg.client_identifier.trim().is_empty() {
            return Err(Error::Config("client identifier is empty".into()));
        }
        for base in [&cfg.plex_tv_url, &cfg.app_plex_tv_url] {
            url::Url::parse(base).map_err(|e| Error::Config(format!("base url {base:?}: {e}")))?;
        }
        crate::tls::install_crypto_provider();
        let trust = Trust::load(&cfg)?;
        let resolver: Arc<dyn Resolve> = Arc::new(CheckedResolver {
            inner: cfg.resolver.clone(),
        });
        let (tls, _) = trust.client_config(CertPolicy::Verify)?;
        let plex_tv = reqwest::Client::builder()
            .default_headers(cfg.plex_headers())
            .tls_backend_preconfigured(tls)
            .dns_resolver(resolver.clone())
            .connect_timeout(cfg.timeouts.connect)
            // reqwest forwards X-Plex-Token through redirects: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("http client: {e}")))?;
        Ok(PlexClient {
            inner: Arc::new(Inner {
                cfg,
                trust,
                resolver,
                plex_tv,
            }),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.cfg
    }

    pub(crate) fn plex_tv_url(&self, path_and_query: &str) -> String {
        format!(
            "{}{}",
            self.inner.cfg.plex_tv_url.trim_end_matches('/'),
            path_and_query
        )
    }
}

/// The error our resolver gives when a name does not resolve (so the diagnosis can say so).
#[derive(Debug)]
pub(crate) struct NameNotResolved(pub String);

impl fmt::Display for NameNotResolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "name not resolved: {}", self.0)
    }
}

impl std::error::Error for NameNotResolved {}

/// Wraps the injected resolver (or the system one) so failures are recognizable.
struct CheckedResolver {
    inner: Option<Arc<dyn Resolve>>,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        match &self.inner {
            Some(inner) => {
                let fut = inner.resolve(name);
                Box::pin(async move { checked(host, fut.await) })
            }
            None => {
                Box::pin(
                    async move { checked(host.clone(), tokio::net::lookup_host((host, 0)).await) },
                )
            }
        }
    }
}

/// A lookup's answer, with "no addresses" and failures both as [`NameNotResolved`].
fn checked<I, E>(
    host: String,
    looked_up: std::result::Result<I, E>,
) -> std::result::Result<Addrs, Box<dyn std::error::Error + Send + Sync>>
where
    I: Iterator<Item = std::net::SocketAddr>,
    E: std::fmt::Display,
{
    match looked_up {
        Ok(addrs) => {
            let v: Vec<_> = addrs.collect();
            if v.is_empty() {
                Err(Box::new(NameNotResolved(host)))
            } else {
                Ok(Box::new(v.into_iter()))
            }
        }
        Err(e) => Err(Box::new(NameNotResolved(format!("{host} ({e})")))),
    }
}

/// A resolver that never resolves anything (for tests and for "offline" checks).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDns;

impl Resolve for NoDns {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move { Err(Box::new(NameNotResolved(host)) as _) })
    }
}

/// A resolver that answers only from a fixed table (anything else does not resolve).
#[derive(Debug, Clone, Default)]
pub struct StaticDns {
    table: std::collections::HashMap<String, Vec<std::net::SocketAddr>>,
}

impl StaticDns {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds `host` → `ip` (port 0: the URL's port is used).
    pub fn with(mut self, host: &str, ip: std::net::IpAddr) -> Self {
        self.table
            .entry(host.to_ascii_lowercase())
            .or_default()
            .push(std::net::SocketAddr::new(ip, 0));
        self
    }
}

impl Resolve for StaticDns {
    fn resolve(&self, name: Name) -> Resolving {
        let found = self.table.get(&name.as_str().to_ascii_lowercase()).cloned();
        let host = name.as_str().to_string();
        Box::pin(async move {
            match found {
                Some(v) if !v.is_empty() => Ok(Box::new(v.into_iter()) as Addrs),
                _ => Err(Box::new(NameNotResolved(host)) as _),
            }
        })
    }
}
