//! How the race chooses its winner and when it gives routes up, against the simulator (and,
//! for an `/identity` body larger than the simulator sends, a tiny server of its own on
//! loopback). These close the gaps mutation testing found in `race/` (docs/TESTING.md): every
//! test asserts on the winner, the diagnosis and the request log, and the ones about waiting
//! use windows and timeouts far longer than the race needs, so a race that waits for the
//! wrong thing takes many seconds instead of a fraction of one.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use plex_client::{
    endpoints, AllowInsecure, CancellationToken, CertPins, ConnectOptions, Error, ErrorKind,
    Locality, Outcome, PlexClient, Security, SkipReason, TlsFailure, Token,
};
use plex_sim::{
    ConnectionKind, ConnectionSpec, Fault, LibraryKind, LoggedRequest, Scenario, ServerSpec, Sim,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Longer than any race here needs by far: waiting for it is the bug being tested.
const LONG: Duration = Duration::from_secs(20);
/// What "at once" means with [`LONG`] waits around: half of one.
const PROMPT: Duration = Duration::from_secs(10);

fn outcome<'a>(d: &'a plex_client::Diagnosis, uri: &str, direct: bool) -> &'a Outcome {
    &d.candidates
        .iter()
        .find(|c| c.uri == uri && c.direct_ip.is_some() == direct)
        .unwrap_or_else(|| panic!("no candidate {uri} direct={direct}: {d}"))
        .outcome
}

fn requests_to<'a>(log: &'a [LoggedRequest], id: &str) -> Vec<&'a LoggedRequest> {
    log.iter()
        .filter(|r| r.connection_id.as_deref() == Some(id))
        .collect()
}

/// The connection ids that received a token.
fn token_receivers(log: &[LoggedRequest]) -> Vec<String> {
    let mut v: Vec<String> = log
        .iter()
        .filter(|r| r.listener != "plex.tv" && r.carries_token())
        .map(|r| {
            r.connection_id
                .clone()
                .unwrap_or_else(|| r.listener.clone())
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

async fn sim_with(server: ServerSpec) -> Sim {
    Sim::start(Scenario::new("choice").with_server(server.library(LibraryKind::Movie, "Movies", 2)))
        .await
        .expect("sim")
}

/// A client whose race waits `settle` for a better-ranked route, holds relays back for
/// `relay_delay` and gives a probe [`LONG`].
fn client_with(sim: &Sim, settle: Duration, relay_delay: Duration) -> PlexClient {
    let mut cfg = config(sim);
    cfg.race.settle_window = settle;
    cfg.race.relay_delay = relay_delay;
    cfg.timeouts.probe = LONG;
    cfg.timeouts.confirm = LONG;
    PlexClient::new(cfg).expect("client")
}

/// A better-ranked https route that answers later is waited for, within the settle window;
/// one that hangs is waited for only until the window ends, not for its probe timeout.
#[tokio::test]
async fn a_better_ranked_route_is_waited_for_only_within_the_settle_window() {
    let sim = sim_with(
        ServerSpec::owned("Choice")
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2")
                    .id("local")
                    .latency_ms(400),
            )
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                    .id("remote")
                    .local(false),
            ),
    )
    .await;
    let local = sim.connection("local").unwrap();
    let remote = sim.connection("remote").unwrap();

    // The remote route answers at once, the better-ranked local one after 400 ms: well
    // within a long window, so the local one wins, as soon as it answered.
    let c = client_with(&sim, LONG, LONG);
    let server = server(&c, &sim, "Choice").await;
    sim.clear_log();
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert!(t0.elapsed() < PROMPT, "took {:?}", t0.elapsed());
    assert_eq!(got.report.uri, local.uri);
    assert_eq!(got.report.locality, Locality::Local);
    assert!(matches!(
        outcome(&got.report.diagnosis, &remote.uri, true),
        Outcome::Reachable { .. }
    ));
    assert_eq!(token_receivers(&sim.request_log()), vec!["local"]);

    // The local route hangs now: the remote one wins when the 300 ms window ends, long
    // before the local probe's 20 s timeout.
    sim.set_fault("local", Fault::Hang);
    let c = client_with(&sim, Duration::from_millis(300), LONG);
    sim.clear_log();
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert!(t0.elapsed() < PROMPT, "took {:?}", t0.elapsed());
    assert_eq!(got.report.uri, remote.uri);
    assert_eq!(
        outcome(&got.report.diagnosis, &local.uri, true),
        &Outcome::Skipped {
            reason: SkipReason::AnotherRouteWon
        }
    );
    let log = sim.request_log();
    assert!(!requests_to(&log, "local").is_empty(), "local never probed");
    assert_eq!(token_receivers(&log), vec!["remote"]);
    sim.shutdown().await;
}

/// The best https route that answered wins at once when nothing better can still win:
/// neither a better-ranked plain http route, nor a worse-ranked https one, nor a relay that
/// has not started makes it wait (here the wait would be a 20 s window).
#[tokio::test]
async fn a_winner_with_nothing_better_in_flight_is_taken_at_once() {
    let sim = sim_with(
        ServerSpec::owned("Choice")
            // Local plain http ranks before remote https, and may win only when no https
            // route can: it hangs.
            .connection(
                ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2")
                    .id("local-http")
                    .fault(Fault::Hang),
            )
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                    .id("remote")
                    .local(false),
            )
            // Worse-ranked https (listed later), hanging.
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.4")
                    .id("remote-slow")
                    .local(false)
                    .fault(Fault::Hang),
            )
            .connection(ConnectionSpec::new(ConnectionKind::Relay, "127.0.0.5").id("relay")),
    )
    .await;
    let c = client_with(&sim, LONG, LONG);
    let server = server(&c, &sim, "Choice").await;
    sim.clear_log();
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert!(t0.elapsed() < PROMPT, "took {:?}", t0.elapsed());
    let remote = sim.connection("remote").unwrap();
    assert_eq!(got.report.uri, remote.uri);
    assert_eq!(got.report.security, Security::VerifiedHttps);
    let d = &got.report.diagnosis;
    let won = Outcome::Skipped {
        reason: SkipReason::AnotherRouteWon,
    };
    assert_eq!(
        outcome(d, &sim.connection("local-http").unwrap().uri, false),
        &won
    );
    assert_eq!(
        outcome(d, &sim.connection("remote-slow").unwrap().uri, true),
        &won
    );
    assert_eq!(
        outcome(d, &sim.connection("relay").unwrap().uri, true),
        &won
    );
    let log = sim.request_log();
    assert!(
        requests_to(&log, "relay").is_empty(),
        "the relay was contacted"
    );
    assert_eq!(token_receivers(&log), vec!["remote"]);
    sim.shutdown().await;
}

/// Relays start when their delay is over even while direct routes still hang (not only
/// once those time out), and each relay route is probed once.
#[tokio::test]
async fn relays_start_after_their_delay_while_direct_routes_hang() {
    let sim = sim_with(
        ServerSpec::owned("Choice")
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2")
                    .id("local")
                    .fault(Fault::Hang),
            )
            .connection(ConnectionSpec::new(ConnectionKind::Relay, "127.0.0.5").id("relay")),
    )
    .await;
    let c = client_with(&sim, Duration::from_millis(25), Duration::from_millis(300));
    let server = server(&c, &sim, "Choice").await;
    sim.clear_log();
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert!(t0.elapsed() < PROMPT, "took {:?}", t0.elapsed());
    assert_eq!(got.report.locality, Locality::Relay);
    let log = sim.request_log();
    let relay_probes = requests_to(&log, "relay")
        .into_iter()
        .filter(|r| r.path == endpoints::IDENTITY)
        .count();
    assert_eq!(relay_probes, 1, "{log:?}");
    assert_eq!(token_receivers(&log), vec!["relay"]);
    sim.shutdown().await;
}

/// A route probed only for the diagnosis (local http while plex.tv says this device is not
/// on the server's network) keeps that reason when another route wins while it is still
/// being probed, and never receives the token.
#[tokio::test]
async fn probe_only_routes_keep_their_reason_when_another_route_wins() {
    let sim = sim_with(
        ServerSpec::owned("Away")
            .public_address_matches(false)
            .connection(
                ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2")
                    .id("local-http")
                    .latency_ms(3_000),
            )
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                    .id("remote")
                    .local(false),
            ),
    )
    .await;
    let c = client_with(&sim, Duration::from_millis(25), LONG);
    let server = server(&c, &sim, "Away").await;
    sim.clear_log();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(got.report.uri, sim.connection("remote").unwrap().uri);
    assert_eq!(
        outcome(
            &got.report.diagnosis,
            &sim.connection("local-http").unwrap().uri,
            false
        ),
        &Outcome::Skipped {
            reason: SkipReason::NotOnServerNetwork
        }
    );
    assert_eq!(token_receivers(&sim.request_log()), vec!["remote"]);
    sim.shutdown().await;
}

/// A pinned certificate that changed gives up every route to that address, and only those:
/// a route to another address still wins the same race.
#[tokio::test]
async fn a_changed_certificate_gives_up_only_routes_to_that_address() {
    let sim = sim_with(
        ServerSpec::owned("Twins")
            .connection(ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2").id("ss"))
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("twin-http"))
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                    .id("remote")
                    .local(false)
                    .latency_ms(300),
            ),
    )
    .await;
    let c = client(&sim);
    let server = server(&c, &sim, "Twins").await;
    let first = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(first.report.security, Security::PinnedHttps);
    let pin = first.report.new_pin.expect("a pin");
    let mut pins = CertPins::new();
    pins.insert(pin.place, pin.sha256);
    sim.rotate_self_signed("ss").expect("rotated");
    sim.clear_log();
    let got = c
        .connect(
            &server,
            &account(&sim),
            &ConnectOptions {
                pins,
                ..ConnectOptions::default()
            },
        )
        .await
        .unwrap();
    let remote = sim.connection("remote").unwrap();
    assert_eq!(got.report.uri, remote.uri);
    let d = &got.report.diagnosis;
    assert!(matches!(
        outcome(d, &sim.connection("ss").unwrap().uri, false),
        Outcome::Tls {
            failure: TlsFailure::CertificateChanged { .. }
        }
    ));
    assert_eq!(
        outcome(d, &sim.connection("twin-http").unwrap().uri, false),
        &Outcome::Skipped {
            reason: SkipReason::CertificateChangedOnHost
        }
    );
    assert_eq!(token_receivers(&sim.request_log()), vec!["remote"]);
    sim.shutdown().await;
}

#[test]
fn connect_options_show_in_debug_output_without_the_callback() {
    let opts = ConnectOptions {
        remembered: Some("https://10-0-0-1.abc.plex.direct:32400".into()),
        on_event: Some(Arc::new(|_| {})),
        allow_insecure: AllowInsecure::Never,
        ..ConnectOptions::default()
    };
    let text = format!("{opts:?}");
    assert!(text.starts_with("ConnectOptions"), "{text}");
    assert!(
        text.contains("remembered: Some(\"https://10-0-0-1.abc.plex.direct:32400\")"),
        "{text}"
    );
    assert!(text.contains("cancelled: false"), "{text}");
    assert!(text.contains("on_event: true"), "{text}");
    assert!(text.contains("allow_insecure: Never"), "{text}");
}

/// A client for addresses typed by hand: no simulator, no DNS (a name is never looked up).
fn offline_client() -> PlexClient {
    let cfg = plex_client::ClientConfig::new(CLIENT_ID, plex_client::ProductInfo::default())
        .with_resolver(Arc::new(plex_client::NoDns));
    PlexClient::new(cfg).expect("client")
}

/// "Connect by URL and token" honours its cancellation token.
#[tokio::test]
async fn a_direct_connection_can_be_cancelled() {
    let sim = start("home").await;
    let c = client_with(&sim, Duration::from_millis(25), Duration::from_millis(300));
    let http = sim.connection("home-local-http").unwrap();
    sim.set_fault(&http.id, Fault::Hang);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        trigger.cancel();
    });
    let t0 = Instant::now();
    let e = c
        .connect_direct(&http.uri, &Token::new("t"), &cancel)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e:?}");
    assert!(t0.elapsed() < PROMPT, "took {:?}", t0.elapsed());
    sim.shutdown().await;
}

/// A direct address has one route: a remembered URI in the options never makes a fast path
/// (which would skip learning and checking the identity the full race reports).
#[tokio::test]
async fn direct_connections_never_take_the_fast_path() {
    let sim = start("home").await;
    let c = client(&sim);
    let ss = sim.connection("home-local-self-signed").unwrap();
    let info = sim.server("Home Server").unwrap();
    let token = Token::new(info.access_token.clone());
    let opts = ConnectOptions {
        remembered: Some(ss.uri.clone()),
        ..ConnectOptions::default()
    };
    let first = c.connect_direct_with(&ss.uri, &token, &opts).await.unwrap();
    assert!(!first.report.fast_path);
    assert_eq!(
        first.connection.machine_identifier(),
        info.machine_identifier
    );
    let again = c
        .reconnect_direct(&ss.uri, &token, &info.machine_identifier, &opts)
        .await
        .unwrap();
    assert!(!again.report.fast_path);
    assert_eq!(again.report.uri, ss.uri);
    sim.shutdown().await;
}

/// A typed address is on this device's network when it is a private IP (v4 or v6) or
/// `localhost`; plain http to a private IP is then allowed by the default setting.
#[tokio::test]
async fn typed_addresses_are_local_when_private_or_localhost() {
    let c = offline_client();
    // Port 9 on loopback: nothing listens there.
    for uri in ["http://[::1]:9", "http://127.0.0.1:9", "http://localhost:9"] {
        let e = c
            .connect_direct(uri, &Token::new("t"), &CancellationToken::new())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unreachable, "{uri}: {e:?}");
        let d = e.diagnosis().unwrap();
        assert_eq!(d.candidates.len(), 1, "{uri}: {d}");
        assert_eq!(d.candidates[0].locality, Locality::Local, "{uri}: {d}");
        let skipped_as_insecure = matches!(
            d.candidates[0].outcome,
            Outcome::Skipped {
                reason: SkipReason::InsecureNotAllowed { .. }
            }
        );
        // A host name proves nothing about where it points: http to it stays off.
        assert_eq!(skipped_as_insecure, uri.contains("localhost"), "{uri}: {d}");
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1: `/identity` answers `identity` (a JSON body),
/// `/library/sections` an empty list. Returns its address and the requests it saw (path,
/// whether an `X-Plex-Token` header came with it).
async fn raw_server(identity: String) -> (String, Arc<std::sync::Mutex<Vec<(String, bool)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let identity = identity.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&head).to_string();
                let path = text.split_whitespace().nth(1).unwrap_or("").to_string();
                let token = text
                    .lines()
                    .any(|l| l.to_ascii_lowercase().starts_with("x-plex-token:"));
                log.lock().unwrap().push((path.clone(), token));
                let body = if path == endpoints::IDENTITY {
                    identity
                } else {
                    r#"{"MediaContainer":{"size":0,"Directory":[]}}"#.to_string()
                };
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                    body.len(),
                    body
                );
                let _ = sock.write_all(resp.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

fn padded_identity(id: &str, total: usize) -> String {
    let head = format!(r#"{{"MediaContainer":{{"machineIdentifier":"{id}","size":0,"pad":""#);
    let tail = r#""}}"#;
    let pad = "x".repeat(total.saturating_sub(head.len() + tail.len()));
    format!("{head}{pad}{tail}")
}

/// `/identity` bodies are read up to 64 KiB: an 8 KiB one (a server with many attributes) is
/// fine, a 100 KiB one is refused before any token is sent.
#[tokio::test]
async fn identity_bodies_are_read_up_to_64_kib() {
    let c = offline_client();
    let (uri, seen) = raw_server(padded_identity("raw-machine", 8 * 1024)).await;
    let got = c
        .connect_direct(&uri, &Token::new("t0k3n"), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(got.connection.machine_identifier(), "raw-machine");
    {
        let seen = seen.lock().unwrap();
        assert!(seen
            .iter()
            .filter(|(p, _)| p == endpoints::IDENTITY)
            .all(|(_, token)| !token));
        assert!(seen
            .iter()
            .any(|(p, token)| p == endpoints::SECTIONS && *token));
    }

    let (uri, seen) = raw_server(padded_identity("raw-machine", 100 * 1024)).await;
    let e = c
        .connect_direct(&uri, &Token::new("t0k3n"), &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unreachable, "{e:?}");
    assert!(
        matches!(
            e.diagnosis().unwrap().candidates[0].outcome,
            Outcome::InvalidResponse { .. }
        ),
        "{e}"
    );
    assert!(seen.lock().unwrap().iter().all(|(_, token)| !token));
}

/// A route that may be probed but never receive the token (a local self-signed route while
/// plex.tv says this device is not on the server's network) neither holds the winner back
/// while it is being probed nor becomes a fast path when it is the remembered route.
#[tokio::test]
async fn routes_that_may_not_win_never_hold_the_race_back() {
    let sim = sim_with(
        ServerSpec::owned("Away")
            .public_address_matches(false)
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2")
                    .id("local-ss")
                    .fault(Fault::Hang),
            )
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                    .id("remote")
                    .local(false),
            ),
    )
    .await;
    let local = sim.connection("local-ss").unwrap();
    let remote = sim.connection("remote").unwrap();
    // It hangs, ranks first, and the settle window is 20 s: the remote route wins at once.
    let c = client_with(&sim, LONG, LONG);
    let server = server(&c, &sim, "Away").await;
    sim.clear_log();
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert!(t0.elapsed() < PROMPT, "took {:?}", t0.elapsed());
    assert_eq!(got.report.uri, remote.uri);
    assert_eq!(
        outcome(&got.report.diagnosis, &local.uri, false),
        &Outcome::Skipped {
            reason: SkipReason::NotOnServerNetwork
        }
    );

    // Remembered, answering: probed once in the full race, no fast path.
    sim.set_fault("local-ss", Fault::None);
    let c = client(&sim);
    sim.clear_log();
    let got = c
        .connect(
            &server,
            &account(&sim),
            &ConnectOptions {
                remembered: Some(local.uri.clone()),
                ..ConnectOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(!got.report.fast_path);
    assert_eq!(got.report.uri, remote.uri);
    let log = sim.request_log();
    let probes = requests_to(&log, "local-ss")
        .into_iter()
        .filter(|r| r.path == endpoints::IDENTITY)
        .count();
    assert_eq!(probes, 1, "{log:?}");
    assert_eq!(token_receivers(&log), vec!["remote"]);
    sim.shutdown().await;
}

/// A server that resets the connection instead of answering is a network error in the
/// diagnosis ("the connection was reset"), not a timeout: only a real timeout is reported as
/// one, so the advice fits what happened.
#[tokio::test]
async fn a_reset_connection_is_not_reported_as_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            // SO_LINGER 0: closing sends a TCP reset.
            let _ = sock.set_zero_linger();
            drop(sock);
        }
    });
    let c = offline_client();
    let e = c
        .connect_direct(
            &format!("http://{addr}"),
            &Token::new("t"),
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    let d = e.diagnosis().expect("a diagnosis");
    match &d.candidates[0].outcome {
        Outcome::NetworkError { detail } => assert!(!detail.is_empty()),
        other => panic!("a reset reported as {other:?}"),
    }
}
