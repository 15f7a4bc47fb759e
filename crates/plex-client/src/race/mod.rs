//! Connection racing: candidates and their rules ([`candidates`]), probing one candidate
//! ([`probe`]), the race loop ([`run`]) and the connect API here.

mod candidates;
mod probe;
mod run;

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use url::{Host, Url};

pub use candidates::plex_direct_ip;
pub(crate) use candidates::{candidates, Candidate};

use crate::client::PlexClient;
use crate::config::AllowInsecure;
use crate::diagnosis::{Diagnosis, Locality, Outcome, RaceEvent, Security};
use crate::error::{Error, Result};
use crate::resources::Server;
use crate::server::ServerConnection;
use crate::tls::{is_private_address, CertPin, CertPins};
use crate::token::Token;

/// Options of [`PlexClient::connect`].
#[derive(Clone, Default)]
pub struct ConnectOptions {
    /// Pinned certificate fingerprints by place (`host:port`).
    pub pins: CertPins,
    /// A connection URI that worked before: tried first with a short timeout.
    pub remembered: Option<String>,
    /// Cancels the race.
    pub cancel: CancellationToken,
    /// Live progress of every candidate (trying → outcome).
    pub on_event: Option<Arc<dyn Fn(RaceEvent) + Send + Sync>>,
    /// When a token may travel over plain http (default: on the same network).
    pub allow_insecure: AllowInsecure,
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("pins", &self.pins)
            .field("remembered", &self.remembered)
            .field("cancelled", &self.cancel.is_cancelled())
            .field("on_event", &self.on_event.is_some())
            .field("allow_insecure", &self.allow_insecure)
            .finish()
    }
}

/// How a race was won.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RaceReport {
    /// The winning URI (remember it for the fast path).
    pub uri: String,
    /// The IP connected to when the winner was a plex.direct name reached directly.
    pub direct_ip: Option<String>,
    /// Local, remote or relay.
    pub locality: Locality,
    /// How the winner is secured.
    pub security: Security,
    /// Time to the winner's verified `/identity`.
    pub latency_ms: u64,
    /// A new certificate pin to store (self-signed certificate accepted for the first time).
    pub new_pin: Option<CertPin>,
    /// Won by the remembered connection without a full race.
    pub fast_path: bool,
    /// Every candidate's outcome.
    pub diagnosis: Diagnosis,
}

/// A connected server and how it was reached.
#[derive(Debug, Clone)]
pub struct Connected {
    /// The API handle (token inside, never shown).
    pub connection: ServerConnection,
    /// The race's report.
    pub report: RaceReport,
}

impl PlexClient {
    /// Finds the best working connection of `server` and returns a handle to it.
    ///
    /// Tries `opts.remembered` first (short timeout), then races every candidate: direct ones
    /// at once, relays after [`crate::RaceConfig::relay_delay`] or when all direct ones failed.
    /// The token goes only to a candidate whose `/identity` matched and that the rules allow
    /// (see the `candidates` module and `opts.allow_insecure`).
    pub async fn connect(
        &self,
        server: &Server,
        account: &Token,
        opts: &ConnectOptions,
    ) -> Result<Connected> {
        let token = server.token_for(account).ok_or(Error::Unauthorized)?;
        let all = candidates(server, &opts.pins, opts.allow_insecure);
        if let Some(remembered) = &opts.remembered {
            let want = remembered.trim().trim_end_matches('/');
            let fast: Vec<(usize, Candidate)> = all
                .iter()
                .enumerate()
                .filter(|(_, c)| c.races() && c.uri == want)
                .map(|(i, c)| (i, c.clone()))
                .collect();
            // Plain http is never the fast path: an https route may work too, and https wins.
            if !fast.is_empty() && fast.iter().all(|(_, c)| c.security != Security::Http) {
                let t = self.inner.cfg.timeouts.fast_path;
                match self.race(server, &token, fast, t, opts, true).await {
                    Ok(c) => return Ok(c),
                    Err(Error::Cancelled) => return Err(Error::Cancelled),
                    // The full race tries the remembered route again, with the others.
                    Err(_) => {}
                }
            }
        }
        let t = self.inner.cfg.timeouts.probe;
        let all = all.into_iter().enumerate().collect();
        self.race(server, &token, all, t, opts, false).await
    }

    /// Connects to a server given only its address and a token ("connect by URL and token").
    ///
    /// The server's identity is learnt first, without the token: a probe that expects no
    /// machine in particular is answered with the machine identifier of whatever answers.
    /// Then the ordinary race runs against that identity, so the token goes only to the
    /// machine that answered, after its identity checked out. The server is treated as owned
    /// and on this device's network: the user handed us its address and token, so a
    /// self-signed certificate on a private address is pinned as for any owned server, and
    /// plain http to a private address follows the default "on the same network" setting.
    pub async fn connect_direct(
        &self,
        uri: &str,
        token: &Token,
        cancel: &CancellationToken,
    ) -> Result<Connected> {
        let opts = ConnectOptions {
            cancel: cancel.clone(),
            ..ConnectOptions::default()
        };
        self.connect_direct_with(uri, token, &opts).await
    }

    /// [`PlexClient::connect_direct`] with options: the pins on record for that address, the
    /// "allow insecure connections" setting, progress events and cancellation
    /// (`opts.remembered` is not used: there is only one route).
    pub async fn connect_direct_with(
        &self,
        uri: &str,
        token: &Token,
        opts: &ConnectOptions,
    ) -> Result<Connected> {
        let mut server = direct_server(uri)?;
        let opts = ConnectOptions {
            remembered: None,
            ..opts.clone()
        };
        let first = self.connect(&server, token, &opts).await;
        let identity = match &first {
            Err(Error::Unreachable(diagnosis)) => {
                diagnosis.candidates.iter().find_map(|c| match &c.outcome {
                    Outcome::WrongServer {
                        machine_identifier: Some(id),
                    } if !id.is_empty() => Some(id.clone()),
                    _ => None,
                })
            }
            _ => None,
        };
        match identity {
            Some(identity) => {
                server.machine_identifier = identity;
                self.connect(&server, token, &opts).await
            }
            // Nothing answered as a Plex server: that race's diagnosis says why.
            None => first,
        }
    }

    /// Reconnects to a "connect by URL and token" server whose machine identifier is known from
    /// the first connection: exactly like [`PlexClient::connect`], only that machine receives
    /// the token and the pins in `opts` are checked; nothing is learnt from whoever answers.
    pub async fn reconnect_direct(
        &self,
        uri: &str,
        token: &Token,
        machine_identifier: &str,
        opts: &ConnectOptions,
    ) -> Result<Connected> {
        if machine_identifier.trim().is_empty() {
            return Err(Error::Config(
                "no saved machine identifier for this server: connect by its address again".into(),
            ));
        }
        let mut server = direct_server(uri)?;
        server.machine_identifier = machine_identifier.to_string();
        let opts = ConnectOptions {
            remembered: None,
            ..opts.clone()
        };
        self.connect(&server, token, &opts).await
    }

    async fn race(
        &self,
        server: &Server,
        token: &Token,
        ranked: Vec<(usize, Candidate)>,
        probe_timeout: std::time::Duration,
        opts: &ConnectOptions,
        fast_path: bool,
    ) -> Result<Connected> {
        run::Race::new(self, server, token, opts, ranked, probe_timeout, fast_path)
            .run()
            .await
    }
}

/// The server behind a "connect by URL and token" address: owned, on this device's network,
/// its one route as given. The machine identifier is left empty (learnt or supplied later).
fn direct_server(uri: &str) -> Result<Server> {
    let url = Url::parse(uri).map_err(|e| Error::Config(format!("server address: {e}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| Error::Config("server address has no host".into()))?
        .to_string();
    let local = match url.host() {
        Some(Host::Ipv4(ip)) => is_private_address(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_private_address(IpAddr::V6(ip)),
        _ => host == "localhost",
    };
    Ok(Server {
        name: host.clone(),
        machine_identifier: String::new(),
        product: None,
        product_version: None,
        platform: None,
        owned: true,
        home: false,
        presence: true,
        https_required: false,
        relay: false,
        dns_rebinding_protection: false,
        owner_id: None,
        owner_name: None,
        public_address: None,
        // The user typed this address: a private one is on their network.
        public_address_matches: true,
        access_token: None,
        connections: vec![crate::resources::Connection {
            protocol: url.scheme().to_string(),
            address: host,
            port: url.port_or_known_default(),
            uri: uri.trim_end_matches('/').to_string(),
            local,
            relay: false,
            ipv6: matches!(url.host(), Some(Host::Ipv6(_))),
        }],
    })
}
