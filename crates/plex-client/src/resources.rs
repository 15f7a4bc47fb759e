//! The account's servers (`GET /api/v2/resources`), parsed tolerantly.

use serde::Deserialize;

use crate::client::PlexClient;
use crate::config::endpoints;
use crate::error::{Error, Result};
use crate::http::{check_status, fetch};
use crate::lenient;
use crate::token::Token;

/// One connection of a server as plex.tv lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
pub struct Connection {
    /// `http` or `https`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub protocol: String,
    /// The address (IP or host name).
    #[serde(default, deserialize_with = "lenient::string")]
    pub address: String,
    /// The port.
    #[serde(default, deserialize_with = "lenient::opt_u16")]
    pub port: Option<u16>,
    /// The full URI, e.g. `https://192-168-1-5.<hash>.plex.direct:32400`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub uri: String,
    /// On the server's local network.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub local: bool,
    /// Through Plex's relay.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub relay: bool,
    /// An IPv6 address.
    #[serde(default, rename = "IPv6", deserialize_with = "lenient::flag")]
    pub ipv6: bool,
}

/// Whose server it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ownership {
    /// Your own server.
    Owned,
    /// A server of your Plex Home.
    Home {
        /// The owner's name, when given.
        owner: Option<String>,
    },
    /// Shared with you by someone else.
    Shared {
        /// The owner's name (`sourceTitle`).
        owner: Option<String>,
    },
}

/// A Plex Media Server of the account. (No serde: it holds the server's access token.)
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Friendly name.
    pub name: String,
    /// `clientIdentifier`, which is the server's `machineIdentifier`.
    pub machine_identifier: String,
    /// "Plex Media Server".
    pub product: Option<String>,
    /// Server version.
    pub product_version: Option<String>,
    /// Platform (nullable).
    pub platform: Option<String>,
    /// You own it.
    pub owned: bool,
    /// Part of your Plex Home.
    pub home: bool,
    /// plex.tv sees it online.
    pub presence: bool,
    /// "Secure connections: Required": no plain http.
    pub https_required: bool,
    /// Relay allowed.
    pub relay: bool,
    /// Routers may block plex.direct answers pointing to private addresses.
    pub dns_rebinding_protection: bool,
    /// The owner's account id (shared servers).
    pub owner_id: Option<u64>,
    /// The owner's name (`sourceTitle`; shared servers).
    pub owner_name: Option<String>,
    /// The public address plex.tv saw.
    pub public_address: Option<String>,
    /// plex.tv saw this device's request come from the server's public address
    /// (`publicAddressMatches`): we are on the server's network, so its local routes are its.
    pub public_address_matches: bool,
    /// The server's own access token (`accessToken`).
    pub access_token: Option<Token>,
    /// Connections as listed.
    pub connections: Vec<Connection>,
}

impl Server {
    /// Owned, Home or Shared (with the owner's name).
    pub fn ownership(&self) -> Ownership {
        if self.owned {
            Ownership::Owned
        } else if self.home {
            Ownership::Home {
                owner: self.owner_name.clone(),
            }
        } else {
            Ownership::Shared {
                owner: self.owner_name.clone(),
            }
        }
    }

    /// The token to talk to this server: its own `accessToken`; the account token only for an
    /// owned server without one. `None` for a shared server without an access token.
    pub fn token_for(&self, account: &Token) -> Option<Token> {
        match &self.access_token {
            Some(t) if !t.is_empty() => Some(t.clone()),
            _ if self.owned => Some(account.clone()),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResource {
    #[serde(default, deserialize_with = "lenient::string")]
    name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    product: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    product_version: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    platform: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    client_identifier: String,
    #[serde(default, deserialize_with = "lenient::string")]
    provides: String,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    owner_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    source_title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    public_address: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    access_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    owned: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    home: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    relay: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    presence: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    https_required: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    dns_rebinding_protection: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    public_address_matches: bool,
    #[serde(default, deserialize_with = "lenient::list")]
    connections: Vec<Connection>,
}

/// Parses a `/api/v2/resources` body: keeps devices that provide `server`.
pub fn parse_resources(body: &[u8]) -> Result<Vec<Server>> {
    let ep = endpoints::RESOURCES;
    let mut de = serde_json::Deserializer::from_slice(body);
    let raw: Vec<RawResource> =
        lenient::list(&mut de).map_err(|e| Error::invalid(ep, e.to_string()))?;
    de.end().map_err(|e| Error::invalid(ep, e.to_string()))?;
    Ok(raw
        .into_iter()
        .filter(|r| {
            r.provides
                .split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("server"))
        })
        .filter(|r| !r.client_identifier.is_empty())
        .map(|r| Server {
            name: r.name,
            machine_identifier: r.client_identifier,
            product: r.product,
            product_version: r.product_version,
            platform: r.platform,
            owned: r.owned,
            home: r.home,
            presence: r.presence,
            https_required: r.https_required,
            relay: r.relay,
            dns_rebinding_protection: r.dns_rebinding_protection,
            owner_id: r.owner_id,
            owner_name: r.source_title,
            public_address: r.public_address,
            public_address_matches: r.public_address_matches,
            access_token: r.access_token.filter(|t| !t.is_empty()).map(Token::new),
            connections: r
                .connections
                .into_iter()
                .filter(|c| !c.uri.is_empty())
                .collect(),
        })
        .collect())
}

impl PlexClient {
    /// The account's servers (`GET /api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1`).
    pub async fn servers(&self, account: &Token) -> Result<Vec<Server>> {
        let ep = endpoints::RESOURCES;
        let url = self.plex_tv_url(&format!("{ep}?{}", endpoints::RESOURCES_QUERY));
        let req = crate::auth::attach(self.inner.plex_tv.get(url), account)?;
        let t = &self.inner.cfg.timeouts;
        let f = fetch(req, ep, t.request, self.inner.cfg.limits.max_body_bytes).await?;
        check_status(&f, ep)?;
        parse_resources(&f.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_resources() {
        let body = br#"[
          {"name":"A","clientIdentifier":"m1","provides":"server","owned":"1","home":0,
           "presence":1,"httpsRequired":true,"publicAddressMatches":"1","accessToken":null,"sourceTitle":null,
           "connections":[{"protocol":"https","address":"192.168.1.5","port":"32400",
             "uri":"https://192-168-1-5.abc.plex.direct:32400","local":1,"relay":false,"IPv6":"0",
             "extra":{"x":1}}, 5, {"uri":""}]},
          {"name":"Phone","clientIdentifier":"p","provides":"client,player,pubsub-player"},
          {"name":"B","clientIdentifier":"m2","provides":"player,server","owned":false,
           "sourceTitle":"alice","ownerId":"42","accessToken":"tok-b","connections":null},
          {"clientIdentifier":"m3","provides":"server"}
        ]"#;
        let s = parse_resources(body).unwrap();
        assert_eq!(s.len(), 3);
        assert!(s[0].owned && s[0].presence && s[0].https_required && !s[0].home);
        assert!(s[0].public_address_matches && !s[1].public_address_matches);
        assert_eq!(s[0].connections.len(), 1);
        assert_eq!(s[0].connections[0].port, Some(32400));
        assert!(s[0].connections[0].local && !s[0].connections[0].ipv6);
        let acct = Token::new("acct");
        assert_eq!(s[0].token_for(&acct), Some(acct.clone()));
        assert_eq!(
            s[1].ownership(),
            Ownership::Shared {
                owner: Some("alice".into())
            }
        );
        assert_eq!(s[1].owner_id, Some(42));
        assert_eq!(s[1].token_for(&acct), Some(Token::new("tok-b")));
        assert!(s[1].connections.is_empty());
        assert_eq!(s[2].token_for(&acct), None);
        assert!(parse_resources(b"[{\"name\":").is_err());
    }
}
