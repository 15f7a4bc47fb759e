//! The simulator's shared run-time state, used by the listeners, the control API
//! and the [`crate::Sim`] handle.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use rustls::ServerConfig;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::catalog::Catalog;
use crate::fault::{ConnectionKind, Fault};
use crate::log::RequestLog;
use crate::rng::Rng;
use crate::scenario::{ClientSpec, PinSpec, Scenario, ServerSpec};
use crate::tls;

/// A server as tests see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub name: String,
    pub machine_identifier: String,
    pub access_token: String,
    pub owned: bool,
    /// `None` for owned servers.
    pub owner_name: Option<String>,
    pub owner_id: Option<u64>,
    /// The `<hash>` of the server's `*.<hash>.plex.direct` certificate.
    pub plex_direct_hash: String,
    pub libraries: Vec<LibraryInfo>,
    pub connections: Vec<ConnectionInfo>,
}

/// A library section as tests see it (to know what a full load must return).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryInfo {
    /// The section key (`"1"`, `"2"`...).
    pub key: String,
    pub title: String,
    pub kind: crate::scenario::LibraryKind,
    /// Top-level items: movies, shows, artists or photos.
    pub count: u32,
    /// Episodes of a show section (0 otherwise).
    pub episodes: u64,
}

/// A connection as tests see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionInfo {
    pub id: String,
    pub kind: ConnectionKind,
    /// The uri plex.tv lists.
    pub uri: String,
    pub local: bool,
    pub relay: bool,
    /// Where the listener is (bound even when the fault is `refuse`, closed then).
    pub addr: SocketAddr,
    /// The host part of `uri` (a plex.direct name or the bare IP), for `resolve`.
    pub host: String,
    pub fault: Fault,
    pub latency_ms: u64,
    pub bandwidth_bytes_per_sec: Option<u32>,
    /// SHA-256 (lowercase hex) of the self-signed certificate's DER, for `https_self_signed`.
    pub self_signed_sha256: Option<String>,
}

pub(crate) struct Account {
    pub id: u64,
    pub uuid: String,
    pub username: String,
    pub email: String,
    pub token: String,
}

pub(crate) struct ConnRt {
    pub id: String,
    pub kind: ConnectionKind,
    pub uri: String,
    pub host: String,
    pub local: bool,
    pub addr: SocketAddr,
    pub server: usize,
    pub fault: watch::Sender<Fault>,
    pub latency_ms: AtomicU64,
    pub bandwidth: Option<u32>,
    pub tls: Option<RwLock<Arc<ServerConfig>>>,
    pub self_signed_sha256: Mutex<Option<String>>,
}

impl ConnRt {
    pub fn fault(&self) -> Fault {
        *self.fault.borrow()
    }

    pub fn tls_config(&self) -> Option<Arc<ServerConfig>> {
        self.tls
            .as_ref()
            .and_then(|l| l.read().ok().map(|c| c.clone()))
    }

    pub fn info(&self) -> ConnectionInfo {
        ConnectionInfo {
            id: self.id.clone(),
            kind: self.kind,
            uri: self.uri.clone(),
            local: self.local,
            relay: self.kind == ConnectionKind::Relay,
            addr: self.addr,
            host: self.host.clone(),
            fault: self.fault(),
            latency_ms: self.latency_ms.load(Ordering::Relaxed),
            bandwidth_bytes_per_sec: self.bandwidth,
            self_signed_sha256: self.self_signed_sha256.lock().ok().and_then(|s| s.clone()),
        }
    }
}

pub(crate) struct ServerRt {
    pub spec: ServerSpec,
    pub machine_identifier: String,
    pub wrong_identifier: String,
    pub access_token: String,
    pub hash: String,
    pub catalog: Catalog,
    pub connections: Vec<Arc<ConnRt>>,
    pub created_at: i64,
}

impl ServerRt {
    /// Owned servers take the account token and their own; shared ones only their own.
    pub fn accepts(&self, token: &str, account_token: &str) -> bool {
        token == self.access_token || (self.spec.owned && token == account_token)
    }

    pub fn info(&self) -> ServerInfo {
        ServerInfo {
            name: self.spec.name.clone(),
            machine_identifier: self.machine_identifier.clone(),
            access_token: self.access_token.clone(),
            owned: self.spec.owned,
            owner_name: self.spec.owner_name.clone(),
            owner_id: self.spec.owner_id,
            plex_direct_hash: self.hash.clone(),
            libraries: self
                .catalog
                .sections
                .iter()
                .map(|s| LibraryInfo {
                    key: s.key.to_string(),
                    title: s.title.clone(),
                    kind: s.kind,
                    count: s.count,
                    episodes: s.episode_total,
                })
                .collect(),
            connections: self.connections.iter().map(|c| c.info()).collect(),
        }
    }
}

/// A PIN of the sign-in flow.
#[derive(Debug, Clone, Serialize)]
pub struct Pin {
    pub id: u64,
    pub code: String,
    pub client_identifier: String,
    pub product: String,
    pub strong: bool,
    #[serde(skip)]
    pub created: Instant,
    pub created_at: i64,
    pub expires_in_secs: u64,
    pub approved: bool,
}

pub(crate) struct Shared {
    pub scenario_name: String,
    pub account: Account,
    pub pin_spec: PinSpec,
    pub clients: Vec<ClientSpec>,
    pub servers: Vec<ServerRt>,
    pub pins: Mutex<Vec<Pin>>,
    pub next_pin: AtomicU64,
    pub rate_limit: AtomicU32,
    pub log: RequestLog,
    pub ca: tls::Ca,
    pub rng: Mutex<Rng>,
    pub counter: AtomicU64,
    pub plex_tv_addr: Mutex<Option<SocketAddr>>,
    /// Where [`Fault::Redirect`] and a redirecting plex.tv point.
    pub elsewhere_addr: Mutex<Option<SocketAddr>>,
    /// plex.tv answers every API request with a redirect to "elsewhere".
    pub plex_tv_redirect: std::sync::atomic::AtomicBool,
    pub ca_path: Mutex<Option<std::path::PathBuf>>,
}

/// Lowercase, dash-separated.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

impl Shared {
    pub fn connection(&self, id: &str) -> Option<&Arc<ConnRt>> {
        self.servers
            .iter()
            .flat_map(|s| s.connections.iter())
            .find(|c| c.id == id)
    }

    pub fn servers(&self) -> Vec<ServerInfo> {
        self.servers.iter().map(ServerRt::info).collect()
    }

    pub fn set_fault(&self, id: &str, fault: Fault) -> bool {
        match self.connection(id) {
            Some(c) => {
                c.fault.send_replace(fault);
                true
            }
            None => false,
        }
    }

    pub fn set_latency(&self, id: &str, ms: u64) -> bool {
        match self.connection(id) {
            Some(c) => {
                c.latency_ms.store(ms, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    pub fn rotate_self_signed(&self, id: &str) -> Option<String> {
        let c = self.connection(id)?;
        if c.kind != ConnectionKind::HttpsSelfSigned {
            return None;
        }
        let name = &self.servers[c.server].spec.name;
        let (cert, sha) = tls::self_signed(c.addr.ip(), name).ok()?;
        let cfg = tls::server_config(cert).ok()?;
        let lock = c.tls.as_ref()?;
        *lock.write().ok()? = cfg;
        if let Ok(mut s) = c.self_signed_sha256.lock() {
            *s = Some(sha.clone());
        }
        Some(sha)
    }

    pub fn approve_pin(&self, id: u64) -> bool {
        let Ok(mut pins) = self.pins.lock() else {
            return false;
        };
        match pins.iter_mut().find(|p| p.id == id) {
            Some(p) => {
                p.approved = true;
                true
            }
            None => false,
        }
    }

    pub fn approve_all_pins(&self) -> usize {
        let Ok(mut pins) = self.pins.lock() else {
            return 0;
        };
        for p in pins.iter_mut() {
            p.approved = true;
        }
        pins.len()
    }

    pub fn pins(&self) -> Vec<Pin> {
        self.pins.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// Takes one unit of the "next N requests get 429" budget, if any is left.
    pub fn take_rate_limit(&self) -> bool {
        self.rate_limit
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    /// `http://127.0.0.1:PORT` of the "elsewhere" listener (no trailing slash).
    pub fn elsewhere_url(&self) -> String {
        match self.elsewhere_addr.lock().ok().and_then(|a| *a) {
            Some(a) => format!("http://{a}"),
            None => "http://127.0.0.1:9".into(),
        }
    }

    pub fn next_random(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }
}

/// Builds everything that does not need a socket: tokens, identifiers, catalogs, certificates.
pub(crate) fn prepare(
    scenario: &Scenario,
) -> crate::Result<(Shared, Vec<Vec<crate::scenario::ConnectionSpec>>)> {
    scenario.validate()?;
    let mut rng = Rng::new(scenario.seed);
    let account_token = scenario
        .account
        .token
        .clone()
        .unwrap_or_else(|| rng.token(20));
    let account = Account {
        id: scenario.account.id,
        uuid: rng.hex(16),
        username: scenario.account.username.clone(),
        email: scenario.account.email.clone(),
        token: account_token,
    };
    let ca = tls::Ca::new()?;
    let mut servers = Vec::new();
    let mut conn_specs = Vec::new();
    for (i, spec) in scenario.servers.iter().enumerate() {
        let mut r = Rng::for_item(scenario.seed, i as u64, 0x5E4E);
        let machine_identifier = spec.machine_identifier.clone().unwrap_or_else(|| r.hex(40));
        let access_token = spec.access_token.clone().unwrap_or_else(|| r.token(20));
        let hash = r.hex(32);
        let wrong_identifier = r.hex(40);
        let catalog_seed = scenario.seed ^ crate::rng::mix(i as u64 + 1) ^ r.next_u64();
        let catalog = Catalog::new(catalog_seed, &spec.libraries);
        let created_at = crate::catalog::NOW - r.range(200, 2_000) as i64 * 86_400;
        servers.push(ServerRt {
            spec: spec.clone(),
            machine_identifier,
            wrong_identifier,
            access_token,
            hash,
            catalog,
            connections: Vec::new(),
            created_at,
        });
        let mut specs = spec.connections.clone();
        for (n, c) in specs.iter_mut().enumerate() {
            if c.id.is_none() {
                c.id = Some(format!(
                    "{}-{}-{}",
                    slug(&spec.name),
                    n + 1,
                    c.kind.as_str()
                ));
            }
        }
        conn_specs.push(specs);
    }
    let shared = Shared {
        scenario_name: scenario.name.clone(),
        account,
        pin_spec: scenario.pins.clone(),
        clients: scenario.clients.clone(),
        servers,
        pins: Mutex::new(Vec::new()),
        next_pin: AtomicU64::new(100_000_000 + rng.range(0, 99_999_999)),
        rate_limit: AtomicU32::new(0),
        log: RequestLog::default(),
        ca,
        rng: Mutex::new(rng),
        counter: AtomicU64::new(1),
        plex_tv_addr: Mutex::new(None),
        elsewhere_addr: Mutex::new(None),
        plex_tv_redirect: std::sync::atomic::AtomicBool::new(false),
        ca_path: Mutex::new(None),
    };
    Ok((shared, conn_specs))
}
