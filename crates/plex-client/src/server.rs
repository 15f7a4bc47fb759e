//! A handle to one connected server: the chosen route, its TLS policy and the server's token.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::config::{Limits, Timeouts};
use crate::error::Result;
use crate::http::{check_status, fetch, parse_json, Fetched};
use crate::resources::Server;
use crate::token::Token;

/// A connected Plex Media Server. Cheap to clone. Its `Debug` never shows the token.
#[derive(Clone)]
pub struct ServerConnection {
    pub(crate) inner: Arc<ConnInner>,
}

pub(crate) struct ConnInner {
    pub(crate) client: reqwest::Client,
    pub(crate) base: String,
    pub(crate) token: Token,
    pub(crate) name: String,
    pub(crate) machine_identifier: String,
    pub(crate) timeouts: Timeouts,
    pub(crate) limits: Limits,
}

impl fmt::Debug for ServerConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConnection")
            .field("name", &self.inner.name)
            .field("machine_identifier", &self.inner.machine_identifier)
            .field("base", &self.inner.base)
            .field("token", &self.inner.token)
            .finish()
    }
}

/// Plex Web's deep link that opens an item of a server (no token in it): works without a live
/// connection, for example from a cached catalog.
pub fn web_link(machine_identifier: &str, rating_key: &str) -> String {
    format!(
        "https://app.plex.tv/desktop/#!/server/{}/details?key=%2Flibrary%2Fmetadata%2F{}",
        crate::config::path_segment(machine_identifier),
        crate::config::path_segment(rating_key)
    )
}

impl ServerConnection {
    pub(crate) fn new(
        client: reqwest::Client,
        base: String,
        token: Token,
        server: &Server,
        timeouts: Timeouts,
        limits: Limits,
    ) -> Self {
        ServerConnection {
            inner: Arc::new(ConnInner {
                client,
                base,
                token,
                name: server.name.clone(),
                machine_identifier: server.machine_identifier.clone(),
                timeouts,
                limits,
            }),
        }
    }

    /// The same route and settings with another token (a Home profile's, for this server).
    pub(crate) fn with_token(&self, token: Token) -> ServerConnection {
        let i = &self.inner;
        ServerConnection {
            inner: Arc::new(ConnInner {
                client: i.client.clone(),
                base: i.base.clone(),
                token,
                name: i.name.clone(),
                machine_identifier: i.machine_identifier.clone(),
                timeouts: i.timeouts,
                limits: i.limits,
            }),
        }
    }

    /// The server's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The server's machine identifier.
    pub fn machine_identifier(&self) -> &str {
        &self.inner.machine_identifier
    }

    /// The base URL in use (`scheme://host:port`, no token).
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// Plex Web's deep link to an item (no token in it).
    pub fn web_link(&self, rating_key: &str) -> String {
        web_link(&self.inner.machine_identifier, rating_key)
    }

    /// GET `path_and_query` with the token header; `endpoint` names it in errors.
    pub(crate) async fn get_raw(
        &self,
        path_and_query: &str,
        endpoint: &str,
        headers: &[(&'static str, String)],
        cap: usize,
        timeout: std::time::Duration,
    ) -> Result<Fetched> {
        let url = format!("{}{}", self.inner.base, path_and_query);
        let mut req = crate::auth::attach(self.inner.client.get(url), &self.inner.token)?;
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        let f = fetch(req, endpoint, timeout, cap).await?;
        check_status(&f, endpoint)?;
        Ok(f)
    }

    /// GET and parse JSON.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        endpoint: &str,
        headers: &[(&'static str, String)],
    ) -> Result<T> {
        let f = self
            .get_raw(
                path_and_query,
                endpoint,
                headers,
                self.inner.limits.max_body_bytes,
                self.inner.timeouts.request,
            )
            .await?;
        parse_json(&f.body, endpoint)
    }
}
