//! The [`Sim`] handle: starts listeners for a [`Scenario`] and controls them.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::{Result, SimError};
use crate::fault::{ConnectionKind, Fault};
use crate::listener;
use crate::log::LoggedRequest;
use crate::scenario::Scenario;
use crate::state::{self, ConnRt, Pin, ServerInfo, Shared};
use crate::tls;

/// A running simulator. Dropping it stops every listener; [`Sim::shutdown`] also waits.
pub struct Sim {
    shared: Arc<Shared>,
    plex_tv_addr: SocketAddr,
    ca_pem: String,
    ca_path: PathBuf,
    _dir: tempfile::TempDir,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("plex_tv", &self.plex_tv_addr)
            .finish_non_exhaustive()
    }
}

fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    listener::bind(addr, addr.port() != 0).map_err(|source| SimError::Bind {
        addr: addr.to_string(),
        source,
    })
}

impl Sim {
    /// Binds plex.tv on 127.0.0.1 and every connection of every server on its loopback
    /// address, generates the certificates, and starts serving.
    pub async fn start(scenario: Scenario) -> Result<Sim> {
        crate::tls::install_crypto_provider();
        let (mut shared, conn_specs) = state::prepare(&scenario)?;
        let plex_tv = bind(SocketAddr::from(([127, 0, 0, 1], scenario.plex_tv_port)))?;
        let plex_tv_addr = plex_tv.local_addr()?;
        let elsewhere = bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let elsewhere_addr = elsewhere.local_addr()?;

        let mut listeners = Vec::new();
        for (si, specs) in conn_specs.into_iter().enumerate() {
            let mut plex_direct_cfg = None;
            for spec in specs {
                let ip: IpAddr = spec
                    .address
                    .parse()
                    .map_err(|_| SimError::Invalid(format!("bad address `{}`", spec.address)))?;
                let l = bind(SocketAddr::new(ip, spec.port))?;
                let addr = l.local_addr()?;
                let server = &shared.servers[si];
                let dashed = ip.to_string().replace('.', "-");
                let plex_direct_host = format!("{dashed}.{}.plex.direct", server.hash);
                let (host, tls_cfg, sha) = match spec.kind {
                    ConnectionKind::Http => (ip.to_string(), None, None),
                    ConnectionKind::HttpsSelfSigned => {
                        let (cert, sha) = tls::self_signed(ip, &server.spec.name)?;
                        (ip.to_string(), Some(tls::server_config(cert)?), Some(sha))
                    }
                    ConnectionKind::HttpsPlexDirect | ConnectionKind::Relay => {
                        let cfg = match &plex_direct_cfg {
                            Some(c) => Arc::clone(c),
                            None => {
                                let c = tls::server_config(shared.ca.plex_direct(&server.hash)?)?;
                                plex_direct_cfg = Some(Arc::clone(&c));
                                c
                            }
                        };
                        (plex_direct_host, Some(cfg), None)
                    }
                };
                let (fault_tx, _) = watch::channel(spec.fault);
                let conn = Arc::new(ConnRt {
                    id: spec.id.clone().unwrap_or_default(),
                    kind: spec.kind,
                    uri: format!("{}://{host}:{}", spec.kind.protocol(), addr.port()),
                    host,
                    local: spec.is_local(),
                    addr,
                    server: si,
                    fault: fault_tx,
                    latency_ms: AtomicU64::new(spec.effective_latency_ms()),
                    bandwidth: spec.effective_bandwidth(),
                    tls: tls_cfg.map(RwLock::new),
                    self_signed_sha256: Mutex::new(sha),
                });
                shared.servers[si].connections.push(Arc::clone(&conn));
                // A connection that starts refused must not accept even into the backlog: its
                // port is held by a socket that does not listen.
                if spec.fault == Fault::Refuse {
                    listeners.push((None, listener::hold(l), conn));
                } else {
                    listeners.push((Some(l), None, conn));
                }
            }
        }

        let dir = tempfile::Builder::new().prefix("plex-sim-").tempdir()?;
        let ca_path = dir.path().join("plex-sim-ca.pem");
        let ca_pem = shared.ca.pem().to_string();
        std::fs::write(&ca_path, &ca_pem)?;
        if let Ok(mut a) = shared.plex_tv_addr.lock() {
            *a = Some(plex_tv_addr);
        }
        if let Ok(mut a) = shared.elsewhere_addr.lock() {
            *a = Some(elsewhere_addr);
        }
        if let Ok(mut p) = shared.ca_path.lock() {
            *p = Some(ca_path.clone());
        }

        let shared = Arc::new(shared);
        let (stop, stop_rx) = watch::channel(false);
        let mut tasks = vec![
            tokio::spawn(listener::run_plex_tv(
                plex_tv,
                Arc::clone(&shared),
                stop_rx.clone(),
            )),
            tokio::spawn(listener::run_elsewhere(
                elsewhere,
                Arc::clone(&shared),
                stop_rx.clone(),
            )),
        ];
        for (l, held, conn) in listeners {
            tasks.push(tokio::spawn(listener::run_pms(
                l,
                held,
                Arc::clone(&shared),
                conn,
                stop_rx.clone(),
            )));
        }
        Ok(Sim {
            shared,
            plex_tv_addr,
            ca_pem,
            ca_path,
            _dir: dir,
            stop,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn plex_tv_url(&self) -> String {
        format!("http://{}", self.plex_tv_addr)
    }

    /// The "elsewhere" listener (`http://127.0.0.1:PORT`): where [`Fault::Redirect`] and
    /// [`Sim::set_plex_tv_redirect`] send clients. Its requests are logged with listener
    /// `"elsewhere"`.
    pub fn elsewhere_url(&self) -> String {
        self.shared.elsewhere_url()
    }

    /// While on, plex.tv answers every API request with `302 Found` to the "elsewhere"
    /// listener.
    pub fn set_plex_tv_redirect(&self, on: bool) {
        self.shared
            .plex_tv_redirect
            .store(on, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn plex_tv_addr(&self) -> SocketAddr {
        self.plex_tv_addr
    }

    /// The CA (PEM) that signs every `*.<hash>.plex.direct` certificate.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The CA written to a file in a temporary directory owned by the `Sim`.
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }

    pub fn account_token(&self) -> &str {
        &self.shared.account.token
    }

    /// The Home's profiles besides the admin (empty without a Home), with their tokens.
    pub fn profiles(&self) -> Vec<crate::state::ProfileInfo> {
        self.shared.profiles()
    }

    /// Makes plex.tv's Home endpoints misbehave (or behave again with `HomeFault::None`).
    pub fn set_home_fault(&self, fault: crate::fault::HomeFault) {
        if let Ok(mut f) = self.shared.home_fault.lock() {
            *f = fault;
        }
    }

    /// A Home profile by title.
    pub fn profile(&self, title: &str) -> Option<crate::state::ProfileInfo> {
        self.profiles().into_iter().find(|p| p.title == title)
    }

    pub fn scenario_name(&self) -> &str {
        &self.shared.scenario_name
    }

    pub fn servers(&self) -> Vec<ServerInfo> {
        self.shared.servers()
    }

    /// A server by name.
    pub fn server(&self, name: &str) -> Option<ServerInfo> {
        self.servers().into_iter().find(|s| s.name == name)
    }

    /// A connection by id.
    pub fn connection(&self, id: &str) -> Option<crate::state::ConnectionInfo> {
        self.shared.connection(id).map(|c| c.info())
    }

    /// `(host, addr)` for every connection: what a client's resolver must map
    /// (plex.direct names and bare IPs) so that nothing goes through real DNS.
    pub fn hosts(&self) -> Vec<(String, SocketAddr)> {
        self.servers()
            .into_iter()
            .flat_map(|s| s.connections.into_iter().map(|c| (c.host, c.addr)))
            .collect()
    }

    /// Every PIN created so far.
    pub fn pins(&self) -> Vec<Pin> {
        self.shared.pins()
    }

    pub fn approve_pin(&self, id: u64) -> bool {
        self.shared.approve_pin(id)
    }

    pub fn approve_all_pins(&self) {
        self.shared.approve_all_pins();
    }

    /// Changes a connection's fault now (`refuse` closes its port; leaving it reopens it).
    pub fn set_fault(&self, connection_id: &str, fault: Fault) -> bool {
        self.shared.set_fault(connection_id, fault)
    }

    /// Changes a connection's added latency now.
    pub fn set_latency(&self, connection_id: &str, latency_ms: u64) -> bool {
        self.shared.set_latency(connection_id, latency_ms)
    }

    /// The next `next_requests` plex.tv API requests answer 429 (code 1003).
    pub fn set_rate_limit(&self, next_requests: u32) {
        self.shared
            .rate_limit
            .store(next_requests, std::sync::atomic::Ordering::SeqCst);
    }

    /// Replaces a self-signed connection's certificate (same address and port); returns
    /// the new SHA-256 fingerprint. `None` for unknown or non-self-signed connections.
    pub fn rotate_self_signed(&self, connection_id: &str) -> Option<String> {
        self.shared.rotate_self_signed(connection_id)
    }

    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.shared.log.snapshot()
    }

    pub fn clear_log(&self) {
        self.shared.log.clear();
    }

    /// Stops every listener and open connection, and waits for the accept loops to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}
