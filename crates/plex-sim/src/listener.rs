//! Accept loops and the per-connection request loop, where faults happen.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

use crate::fault::Fault;
use crate::http::{self, HasTcp, Request, Response};
use crate::log::LoggedRequest;
use crate::state::{ConnRt, Shared};
use crate::{plextv, pms};

/// Binds a listening socket. `reuse` (SO_REUSEADDR) lets a port closed by the
/// `refuse` fault be bound again while old connections linger in TIME_WAIT; it is
/// off for the first bind so that two listeners never share an ephemeral port.
/// Once the port is chosen, SO_REUSEADDR is set anyway: the connections accepted on it inherit
/// it, and without it they (open, or in TIME_WAIT) keep the `refuse` fault from holding the
/// port again ("address already in use").
pub(crate) fn bind(addr: SocketAddr, reuse: bool) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(reuse)?;
    socket.bind(addr)?;
    socket.set_reuseaddr(true)?;
    socket.listen(1024)
}

/// Which side a listener plays.
#[derive(Clone)]
enum Role {
    PlexTv,
    Pms(Arc<ConnRt>),
    /// Where [`Fault::Redirect`] points: logs every request, answers an empty PMS listing.
    Elsewhere,
}

/// The "elsewhere" listener: somebody else's server a redirect points to.
pub(crate) async fn run_elsewhere(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
) {
    run_always_on(listener, shared, Role::Elsewhere, shutdown).await
}

/// The plex.tv listener: plain http, never faulty (rate limiting is done per request).
pub(crate) async fn run_plex_tv(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
) {
    run_always_on(listener, shared, Role::PlexTv, shutdown).await
}

/// A plain-http listener that is never faulty: serves every connection as `role` until shutdown.
async fn run_always_on(
    listener: TcpListener,
    shared: Arc<Shared>,
    role: Role,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve(stream, shared.clone(), role.clone(), shutdown.clone()));
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

/// Takes the port of a listener being closed: a socket bound to the same address that does
/// not listen, so connecting is refused while nobody else (another simulator in the same test
/// run, say) can be given the port. Bound at once after the listener is dropped.
pub(crate) fn hold(listener: TcpListener) -> Option<TcpSocket> {
    let addr = listener.local_addr().ok()?;
    drop(listener);
    let held = TcpSocket::new_v4().and_then(|socket| {
        socket.set_reuseaddr(true)?;
        socket.bind(addr)?;
        Ok(socket)
    });
    match held {
        Ok(socket) => Some(socket),
        Err(err) => {
            // Said, because the listener then has to bind the port again later and may find
            // it taken: a test that waits for it to reopen would otherwise fail unexplained.
            eprintln!("plex-sim: could not hold {addr} while refusing: {err}");
            None
        }
    }
}

/// A PMS connection's listener: stops listening while the fault is `refuse` (connecting is
/// refused), keeping its port held so that it can listen again on the same one.
pub(crate) async fn run_pms(
    listener: Option<TcpListener>,
    held: Option<TcpSocket>,
    shared: Arc<Shared>,
    conn: Arc<ConnRt>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut faults = conn.fault.subscribe();
    let mut listener = listener;
    let mut held = held;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let refusing = *faults.borrow_and_update() == Fault::Refuse;
        if refusing {
            if let Some(l) = listener.take() {
                held = hold(l);
            }
            tokio::select! {
                _ = faults.changed() => continue,
                _ = shutdown.changed() => return,
            }
        }
        let l = match (listener.take(), held.take()) {
            (Some(l), _) => l,
            (None, Some(socket)) => match socket.listen(1024) {
                Ok(l) => l,
                Err(_) => continue,
            },
            (None, None) => match bind(conn.addr, true) {
                Ok(l) => l,
                Err(_) => {
                    // The port may linger for a moment; try again shortly.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        tokio::select! {
            accepted = l.accept() => {
                if let Ok((stream, _)) = accepted {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(accept_one(stream, shared.clone(), conn.clone(), shutdown.clone()));
                }
                listener = Some(l);
            }
            _ = faults.changed() => { listener = Some(l); }
            _ = shutdown.changed() => return,
        }
    }
}

async fn accept_one(
    stream: TcpStream,
    shared: Arc<Shared>,
    conn: Arc<ConnRt>,
    mut shutdown: watch::Receiver<bool>,
) {
    if let Fault::SlowHandshake { ms } = conn.fault() {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(ms)) => {}
            _ = shutdown.changed() => return,
        }
    }
    match conn.tls_config() {
        None => serve(stream, shared, Role::Pms(conn), shutdown).await,
        Some(cfg) => {
            let acceptor = tokio_rustls::TlsAcceptor::from(cfg);
            let handshake = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream));
            if let Ok(Ok(tls)) = handshake.await {
                serve(tls, shared, Role::Pms(conn), shutdown).await;
            }
        }
    }
}

async fn serve<S>(
    mut stream: S,
    shared: Arc<Shared>,
    role: Role,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + HasTcp,
{
    let mut buf = Vec::new();
    // An idle keep-alive connection is dropped when its listener starts refusing, so
    // that the client's next request meets the closed port.
    let mut faults = match &role {
        Role::Pms(conn) => Some(conn.fault.subscribe()),
        Role::PlexTv | Role::Elsewhere => None,
    };
    loop {
        let refused = async {
            match faults.as_mut() {
                Some(rx) => loop {
                    if rx.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                    if *rx.borrow() == Fault::Refuse {
                        return;
                    }
                },
                None => std::future::pending::<()>().await,
            }
        };
        let read = tokio::select! {
            r = tokio::time::timeout(Duration::from_secs(120), http::read_request(&mut stream, &mut buf)) => r,
            _ = shutdown.changed() => return,
            _ = refused => return,
        };
        let req = match read {
            Ok(Ok(Some(req))) => req,
            Ok(Ok(None)) => return,
            Ok(Err(_)) => {
                let resp = Response::html(400, "<html><head><title>Bad Request</title></head><body><h1>400 Bad Request</h1></body></html>");
                let _ = http::write_paced(
                    &mut stream,
                    &[resp.head(resp.body.len(), false), resp.body].concat(),
                    None,
                )
                .await;
                return;
            }
            Err(_) => return, // idle too long
        };
        let keep_alive = req.keep_alive;
        let go_on = match &role {
            Role::PlexTv => {
                let resp = plextv::handle(&shared, &req);
                write_response(&mut stream, resp, keep_alive, None, req.method == "HEAD").await
            }
            Role::Elsewhere => {
                shared.log.push(LoggedRequest {
                    listener: "elsewhere".into(),
                    server: None,
                    connection_id: None,
                    connection_kind: None,
                    method: req.method.clone(),
                    path: req.path.clone(),
                    query: req.query.clone(),
                    headers: req.headers.clone(),
                    token_owner: shared.token_owner(req.param_or_header("X-Plex-Token").as_deref()),
                });
                // A plausible answer, so that a client following the redirect would carry on.
                let resp =
                    Response::json(200, "{\"MediaContainer\":{\"size\":0,\"Directory\":[]}}");
                write_response(&mut stream, resp, keep_alive, None, req.method == "HEAD").await
            }
            Role::Pms(conn) => {
                match serve_pms(&mut stream, &shared, conn, &req, &mut shutdown).await {
                    Outcome::Continue => true,
                    Outcome::Close => false,
                    Outcome::Reset => {
                        http::reset(stream);
                        return;
                    }
                }
            }
        };
        if !go_on || !keep_alive {
            return;
        }
    }
}

enum Outcome {
    Continue,
    Close,
    Reset,
}

async fn serve_pms<S>(
    stream: &mut S,
    shared: &Shared,
    conn: &ConnRt,
    req: &Request,
    shutdown: &mut watch::Receiver<bool>,
) -> Outcome
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let server = &shared.servers[conn.server];
    shared.log.push(LoggedRequest {
        listener: "pms".into(),
        server: Some(server.spec.name.clone()),
        connection_id: Some(conn.id.clone()),
        connection_kind: Some(conn.kind.as_str().into()),
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req.headers.clone(),
        token_owner: shared.token_owner(req.param_or_header("X-Plex-Token").as_deref()),
    });
    let fault = conn.fault();
    match fault {
        Fault::Refuse => return Outcome::Close,
        Fault::Hang => {
            // Never answer; hold the socket open until the simulator stops.
            let _ = shutdown.changed().await;
            return Outcome::Close;
        }
        _ => {}
    }
    let latency = conn.latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(latency)) => {}
            _ = shutdown.changed() => return Outcome::Close,
        }
    }
    let mut resp = match fault {
        Fault::Redirect if req.decoded_path() != "/identity" => {
            let to = shared.elsewhere_url();
            let query = req
                .query
                .as_deref()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            Response::html(302, "").header("Location", format!("{to}{}{query}", req.path))
        }
        _ => pms::handle(shared, server, req, fault),
    };
    let head_only = req.method == "HEAD";
    match fault {
        Fault::Http500 => {
            resp = Response::html(
                500,
                "<html><head><title>Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>",
            );
        }
        Fault::TruncatedJson => {
            let cut = resp.body.len() / 2;
            resp.body.truncate(cut);
        }
        Fault::MalformedJson => {
            resp = Response::json(
                200,
                "{\"MediaContainer\":{\"size\":1,,\"machineIdentifier\":<html>oops</html>,[}",
            );
        }
        Fault::ResetMidBody => {
            let body_len = resp.body.len();
            let half = (body_len / 2).max(1).min(body_len);
            let mut bytes = resp.head(body_len, true);
            bytes.extend_from_slice(&resp.body[..half]);
            let _ = http::write_paced(stream, &bytes, None).await;
            // Give the peer a moment to read what was sent before the RST.
            tokio::time::sleep(Duration::from_millis(20)).await;
            return Outcome::Reset;
        }
        _ => {}
    }
    let pace = match fault {
        Fault::Trickle { bytes_per_sec } => Some(bytes_per_sec.max(1)),
        _ => conn.bandwidth,
    };
    let resp = resp.header("X-Plex-Protocol", "1.0");
    let ok = tokio::select! {
        ok = write_response(stream, resp, req.keep_alive, pace, head_only) => ok,
        _ = shutdown.changed() => false,
    };
    if ok {
        Outcome::Continue
    } else {
        Outcome::Close
    }
}

async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    resp: Response,
    keep_alive: bool,
    pace: Option<u32>,
    head_only: bool,
) -> bool {
    let mut bytes = resp.head(resp.body.len(), keep_alive);
    if !head_only {
        bytes.extend_from_slice(&resp.body);
    }
    http::write_paced(stream, &bytes, pace).await.is_ok()
}
