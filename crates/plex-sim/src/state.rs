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

/// A Home profile as tests see it (its secrets too: tests check where they went).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileInfo {
    pub id: u64,
    pub uuid: String,
    pub title: String,
    /// Its plex.tv token (what switching to it answers as `authToken`).
    pub token: String,
    pub pin: Option<String>,
    pub content_limit: Option<String>,
    pub guest: bool,
    /// `(server name, its access token for that server)` for every server it may use.
    pub server_tokens: Vec<(String, String)>,
}

impl ProfileInfo {
    pub fn protected(&self) -> bool {
        self.pin.is_some()
    }

    pub fn restricted(&self) -> bool {
        self.content_limit.is_some()
    }

    /// Its access token for a server, by the server's name.
    pub fn server_token(&self, server: &str) -> Option<&str> {
        self.server_tokens
            .iter()
            .find(|(n, _)| n == server)
            .map(|(_, t)| t.as_str())
    }
}

/// A Home profile at run time.
pub(crate) struct ProfileRt {
    pub id: u64,
    pub uuid: String,
    pub title: String,
    pub token: String,
    pub pin: Option<String>,
    pub content_limit: Option<String>,
    pub limit_age: Option<u8>,
    pub guest: bool,
    pub watch_seed: u64,
    /// `(machine identifier, access token)` of every server it may use.
    pub server_tokens: Vec<(String, String)>,
}

/// The account's Plex Home at run time.
pub(crate) struct HomeRt {
    pub id: u64,
    pub name: String,
    pub profiles: Vec<ProfileRt>,
}

/// Who a token belongs to, on a PMS listener.
#[derive(Clone, Copy)]
pub(crate) enum Viewer<'a> {
    Account,
    Profile(&'a ProfileRt),
}

impl Viewer<'_> {
    pub fn view(&self) -> crate::catalog::View {
        match self {
            Viewer::Account => crate::catalog::View::default(),
            Viewer::Profile(p) => crate::catalog::View {
                profile: Some(p.watch_seed),
                limit_age: p.limit_age,
            },
        }
    }
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
    pub home: Option<HomeRt>,
    pub home_fault: Mutex<crate::fault::HomeFault>,
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
    pub fn home_fault(&self) -> crate::fault::HomeFault {
        self.home_fault.lock().map(|f| *f).unwrap_or_default()
    }

    /// The Home profile whose plex.tv token this is.
    pub fn profile_by_token(&self, token: &str) -> Option<&ProfileRt> {
        self.home
            .as_ref()?
            .profiles
            .iter()
            .find(|p| !token.is_empty() && p.token == token)
    }

    /// Who may use `server` with `token`: the account (or the server's own token), a Home
    /// profile with its access token for this very server, or nobody.
    pub fn viewer(&self, server: &ServerRt, token: &str) -> Option<Viewer<'_>> {
        if server.accepts(token, &self.account.token) {
            return Some(Viewer::Account);
        }
        let home = self.home.as_ref()?;
        home.profiles
            .iter()
            .find(|p| {
                p.server_tokens
                    .iter()
                    .any(|(m, t)| *m == server.machine_identifier && t == token)
            })
            .map(Viewer::Profile)
    }

    /// Whose token this is, for the request log: `account`, `server:<name>` (a server's own
    /// token), `profile:<title>` (a profile's plex.tv token), `profile:<title>@<server>` (a
    /// profile's access token for that server) or `unknown`.
    pub fn token_owner(&self, token: Option<&str>) -> Option<String> {
        let token = token.filter(|t| !t.is_empty())?;
        if token == self.account.token {
            return Some("account".into());
        }
        if let Some(s) = self.servers.iter().find(|s| s.access_token == token) {
            return Some(format!("server:{}", s.spec.name));
        }
        if let Some(home) = &self.home {
            for p in &home.profiles {
                if p.token == token {
                    return Some(format!("profile:{}", p.title));
                }
                for (m, t) in &p.server_tokens {
                    if t == token {
                        let name = self
                            .servers
                            .iter()
                            .find(|s| &s.machine_identifier == m)
                            .map(|s| s.spec.name.as_str())
                            .unwrap_or("?");
                        return Some(format!("profile:{}@{name}", p.title));
                    }
                }
            }
        }
        Some("unknown".into())
    }

    pub fn profiles(&self) -> Vec<ProfileInfo> {
        let Some(home) = &self.home else {
            return Vec::new();
        };
        home.profiles
            .iter()
            .map(|p| ProfileInfo {
                id: p.id,
                uuid: p.uuid.clone(),
                title: p.title.clone(),
                token: p.token.clone(),
                pin: p.pin.clone(),
                content_limit: p.content_limit.clone(),
                guest: p.guest,
                server_tokens: p
                    .server_tokens
                    .iter()
                    .filter_map(|(m, t)| {
                        let s = self.servers.iter().find(|s| &s.machine_identifier == m)?;
                        Some((s.spec.name.clone(), t.clone()))
                    })
                    .collect(),
            })
            .collect()
    }

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
    let home = scenario.home.as_ref().map(|h| {
        let mut r = Rng::for_item(scenario.seed, 0x40_4E, 0x40);
        let profiles = h
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut pr = Rng::for_item(scenario.seed, i as u64 + 1, 0x9F0F);
                let uuid = pr.hex(16);
                let token = p.token.clone().unwrap_or_else(|| pr.token(20));
                let server_tokens = servers
                    .iter()
                    .filter(|s| match &p.servers {
                        Some(names) => names.contains(&s.spec.name),
                        None => s.spec.owned,
                    })
                    .map(|s| (s.machine_identifier.clone(), pr.token(20)))
                    .collect();
                ProfileRt {
                    id: scenario.account.id + 100 + i as u64,
                    uuid,
                    title: p.title.clone(),
                    token,
                    pin: p.pin.clone(),
                    content_limit: p.content_limit.clone(),
                    limit_age: p
                        .content_limit
                        .as_deref()
                        .and_then(crate::scenario::rating_age),
                    guest: p.guest,
                    watch_seed: p
                        .watch_seed
                        .unwrap_or_else(|| crate::rng::mix(scenario.seed ^ (i as u64 + 1))),
                    server_tokens,
                }
            })
            .collect();
        HomeRt {
            id: 500_000 + r.range(0, 99_999),
            name: h.name.clone(),
            profiles,
        }
    });
    let shared = Shared {
        home,
        home_fault: Mutex::new(crate::fault::HomeFault::None),
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
