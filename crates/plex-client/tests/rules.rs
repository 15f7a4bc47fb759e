//! Issue 10's rules for who may receive a token, against the simulator: plain http, the
//! "allow insecure connections" setting, the server's network, changed certificates and
//! redirects. Every test checks the simulator's request log: which listener got a token.

mod common;

use common::*;
use plex_client::{
    endpoints, AllowInsecure, CertFingerprint, CertPins, ConnectOptions, ErrorKind, Outcome,
    Security, SkipReason, TlsFailure,
};
use plex_sim::{
    ConnectionKind, ConnectionSpec, Fault, LibraryKind, LoggedRequest, Scenario, ServerSpec, Sim,
};

fn outcome<'a>(d: &'a plex_client::Diagnosis, uri: &str) -> &'a Outcome {
    &d.candidates
        .iter()
        .find(|c| c.uri == uri && c.direct_ip.is_none())
        .unwrap_or_else(|| panic!("no candidate {uri}: {d}"))
        .outcome
}

fn requests_to<'a>(log: &'a [LoggedRequest], id: &str) -> Vec<&'a LoggedRequest> {
    log.iter()
        .filter(|r| r.connection_id.as_deref() == Some(id))
        .collect()
}

/// The connection ids (and "elsewhere") that received a token.
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

fn opts(allow: AllowInsecure) -> ConnectOptions {
    ConnectOptions {
        allow_insecure: allow,
        ..ConnectOptions::default()
    }
}

async fn sim_with(server: ServerSpec) -> Sim {
    Sim::start(Scenario::new("rules").with_server(server.library(LibraryKind::Movie, "Movies", 3)))
        .await
        .expect("sim")
}

/// The scenario: remote https at +150 ms, remote http at +10 ms, same server.
fn remote_pair() -> ServerSpec {
    ServerSpec::owned("Pair")
        .connection(
            ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                .id("remote-https")
                .local(false)
                .latency_ms(150),
        )
        .connection(
            ConnectionSpec::new(ConnectionKind::Http, "127.0.0.3")
                .id("remote-http")
                .local(false)
                .latency_ms(10),
        )
}

#[tokio::test]
async fn https_beats_a_faster_remote_http_route_and_http_gets_no_token() {
    let sim = sim_with(remote_pair()).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Pair").await;
    let http = sim.connection("remote-http").unwrap();
    for allow in [
        AllowInsecure::Never,
        AllowInsecure::SameNetwork,
        AllowInsecure::Always,
    ] {
        sim.clear_log();
        let got = c
            .connect(&server, &account(&sim), &opts(allow))
            .await
            .unwrap();
        assert_eq!(got.report.security, Security::VerifiedHttps, "{allow:?}");
        let log = sim.request_log();
        assert_eq!(token_receivers(&log), vec!["remote-https"], "{allow:?}");
        match allow {
            AllowInsecure::Always => {
                // Probed (it answered first), never chosen.
                assert!(!requests_to(&log, "remote-http").is_empty());
                assert!(matches!(
                    outcome(&got.report.diagnosis, &http.uri),
                    Outcome::Reachable { .. }
                ));
            }
            setting => {
                // Not even contacted, and the diagnosis says why.
                assert!(requests_to(&log, "remote-http").is_empty());
                assert_eq!(
                    outcome(&got.report.diagnosis, &http.uri),
                    &Outcome::Skipped {
                        reason: SkipReason::InsecureNotAllowed { setting }
                    }
                );
            }
        }
    }
    // With https down, only "always" sends the token to the remote http route.
    sim.set_fault("remote-https", Fault::Refuse);
    sim.clear_log();
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unreachable);
    assert!(e
        .diagnosis()
        .unwrap()
        .to_string()
        .contains("allow insecure connections"));
    assert!(token_receivers(&sim.request_log()).is_empty());
    let got = c
        .connect(&server, &account(&sim), &opts(AllowInsecure::Always))
        .await
        .unwrap();
    assert_eq!(got.report.uri, http.uri);
    assert_eq!(token_receivers(&sim.request_log()), vec!["remote-http"]);
    sim.shutdown().await;
}

fn home_pair() -> ServerSpec {
    ServerSpec::owned("Home")
        .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("local-http"))
        .connection(
            ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
                .id("remote-https")
                .local(false)
                .latency_ms(150),
        )
}

#[tokio::test]
async fn local_http_only_when_no_https_route_works_and_never_as_the_fast_path() {
    let sim = sim_with(home_pair()).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Home").await;
    assert!(server.public_address_matches);
    let http = sim.connection("local-http").unwrap();
    // Remembered http, working https: https wins, no fast path, no token over http.
    sim.clear_log();
    let remembered = ConnectOptions {
        remembered: Some(http.uri.clone()),
        ..ConnectOptions::default()
    };
    let got = c
        .connect(&server, &account(&sim), &remembered)
        .await
        .unwrap();
    assert!(!got.report.fast_path);
    assert_eq!(got.report.security, Security::VerifiedHttps);
    assert_eq!(token_receivers(&sim.request_log()), vec!["remote-https"]);
    // https down: the local http route of an owned server on its network gets the token.
    sim.set_fault("remote-https", Fault::Refuse);
    sim.clear_log();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(got.report.uri, http.uri);
    assert_eq!(token_receivers(&sim.request_log()), vec!["local-http"]);
    // "never": not contacted at all.
    sim.clear_log();
    let e = c
        .connect(&server, &account(&sim), &opts(AllowInsecure::Never))
        .await
        .unwrap_err();
    assert_eq!(
        outcome(e.diagnosis().unwrap(), &http.uri),
        &Outcome::Skipped {
            reason: SkipReason::InsecureNotAllowed {
                setting: AllowInsecure::Never
            }
        }
    );
    assert!(requests_to(&sim.request_log(), "local-http").is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn https_required_means_no_http_even_locally() {
    let sim = sim_with(home_pair().https_required(true)).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Home").await;
    assert!(server.https_required);
    sim.set_fault("remote-https", Fault::Refuse);
    sim.clear_log();
    let e = c
        .connect(&server, &account(&sim), &opts(AllowInsecure::Always))
        .await
        .unwrap_err();
    let http = sim.connection("local-http").unwrap();
    assert_eq!(
        outcome(e.diagnosis().unwrap(), &http.uri),
        &Outcome::Skipped {
            reason: SkipReason::HttpNotAllowed
        }
    );
    assert!(requests_to(&sim.request_log(), "local-http").is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_network_local_routes_are_probed_without_the_token_and_not_used() {
    let spec = ServerSpec::owned("Away")
        .public_address_matches(false)
        .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("local-http"))
        .connection(
            ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2").id("local-ss"),
        );
    let sim = sim_with(spec).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Away").await;
    assert!(!server.public_address_matches);
    sim.clear_log();
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    let d = e.diagnosis().unwrap();
    for id in ["local-http", "local-ss"] {
        let uri = sim.connection(id).unwrap().uri;
        assert_eq!(
            outcome(d, &uri),
            &Outcome::Skipped {
                reason: SkipReason::NotOnServerNetwork
            },
            "{id}"
        );
        // Probed for the diagnosis, without the token.
        let log = sim.request_log();
        let seen = requests_to(&log, id);
        assert!(seen.iter().any(|r| r.path == endpoints::IDENTITY), "{id}");
        assert!(seen.iter().all(|r| !r.carries_token()), "{id}");
    }
    assert!(d
        .to_string()
        .contains("not see this device on the server's network"));
    assert!(token_receivers(&sim.request_log()).is_empty());

    // A pin on record for the self-signed route: its certificate proves who it is.
    let ss = sim.connection("local-ss").unwrap();
    let mut pins = CertPins::new();
    pins.insert(
        ss.uri.trim_start_matches("https://").to_string(),
        CertFingerprint::parse(ss.self_signed_sha256.as_deref().unwrap()).unwrap(),
    );
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
    assert_eq!(got.report.uri, ss.uri);
    assert_eq!(token_receivers(&sim.request_log()), vec!["local-ss"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn verified_local_tls_races_on_any_network() {
    let spec = ServerSpec::owned("Away")
        .public_address_matches(false)
        .connection(
            ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2").id("local-pd"),
        );
    let sim = sim_with(spec).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Away").await;
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(got.report.security, Security::VerifiedHttps);
    sim.shutdown().await;
}

/// A local pinned route whose certificate changes while its http twin answers: every route to
/// that address is abandoned, the http twin included.
#[tokio::test]
async fn a_changed_certificate_abandons_the_address_on_every_protocol() {
    let spec = ServerSpec::owned("Twins")
        .connection(ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2").id("ss"))
        .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("twin-http"));
    let sim = sim_with(spec).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Twins").await;
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    // https beats its http twin.
    assert_eq!(got.report.security, Security::PinnedHttps);
    let pin = got.report.new_pin.expect("pin");
    let mut pins = CertPins::new();
    pins.insert(pin.place, pin.sha256);
    sim.rotate_self_signed("ss").expect("rotated");
    sim.clear_log();
    let e = c
        .connect(
            &server,
            &account(&sim),
            &ConnectOptions {
                pins,
                ..ConnectOptions::default()
            },
        )
        .await
        .unwrap_err();
    let d = e.diagnosis().unwrap();
    let ss = sim.connection("ss").unwrap();
    assert!(matches!(
        outcome(d, &ss.uri),
        Outcome::Tls {
            failure: TlsFailure::CertificateChanged { .. }
        }
    ));
    let twin = sim.connection("twin-http").unwrap();
    assert_eq!(
        outcome(d, &twin.uri),
        &Outcome::Skipped {
            reason: SkipReason::CertificateChangedOnHost
        }
    );
    assert!(token_receivers(&sim.request_log()).is_empty());
    sim.shutdown().await;
}

/// Issue 14: the self-signed refusal holds for servers shared with you too.
#[tokio::test]
async fn self_signed_is_refused_for_a_shared_server() {
    let spec = ServerSpec::shared("Friend", "alice", 42)
        .connection(
            ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2")
                .id("friend-remote-ss")
                .local(false),
        )
        .connection(
            ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.3").id("friend-local-ss"),
        );
    let sim = sim_with(spec).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Friend").await;
    assert!(!server.owned);
    sim.clear_log();
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    let d = e.diagnosis().unwrap();
    let remote = sim.connection("friend-remote-ss").unwrap();
    let local = sim.connection("friend-local-ss").unwrap();
    assert!(
        matches!(
            outcome(d, &remote.uri),
            Outcome::Tls {
                failure: TlsFailure::Untrusted { .. } | TlsFailure::NameMismatch { .. }
            }
        ),
        "{d}"
    );
    assert_eq!(
        outcome(d, &local.uri),
        &Outcome::Skipped {
            reason: SkipReason::SharedLocalAddress
        }
    );
    let log = sim.request_log();
    // The TLS handshake failed: the simulator never even saw a request there.
    assert!(requests_to(&log, "friend-remote-ss").is_empty());
    assert!(requests_to(&log, "friend-local-ss").is_empty());
    assert!(token_receivers(&log).is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn redirects_are_never_followed_so_the_token_stays_home() {
    let spec = ServerSpec::owned("Mover").connection(
        ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.3")
            .id("mover")
            .local(false),
    );
    let sim = sim_with(spec).await;
    let c = client(&sim);
    let server = server(&c, &sim, "Mover").await;
    let elsewhere = sim.elsewhere_url();
    let elsewhere_host = elsewhere.trim_start_matches("http://").to_string();

    // The race: /identity answers, the token check is redirected.
    sim.set_fault("mover", Fault::Redirect);
    sim.clear_log();
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    let d = e.diagnosis().unwrap();
    assert!(
        d.candidates.iter().any(|c| c.outcome
            == Outcome::Redirected {
                to_host: Some(elsewhere_host.clone())
            }),
        "{d}"
    );
    assert!(d.to_string().contains(&elsewhere_host));
    let log = sim.request_log();
    assert!(log.iter().all(|r| r.listener != "elsewhere"), "{log:?}");
    // The redirected request itself was the only one carrying the token.
    assert_eq!(token_receivers(&log), vec!["mover"]);

    // A connected server that starts redirecting.
    sim.set_fault("mover", Fault::None);
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    sim.set_fault("mover", Fault::Redirect);
    sim.clear_log();
    let e = got.connection.sections().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Redirected);
    assert!(e.to_string().contains(&elsewhere_host), "{e}");
    assert!(sim.request_log().iter().all(|r| r.listener != "elsewhere"));

    // plex.tv redirecting: the account token stays too.
    sim.set_plex_tv_redirect(true);
    sim.clear_log();
    let e = c.user(&account(&sim)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Redirected);
    let e = c.servers(&account(&sim)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Redirected);
    let log = sim.request_log();
    assert!(log.iter().any(|r| r.listener == "plex.tv"));
    assert!(log.iter().all(|r| r.listener != "elsewhere"));
    sim.shutdown().await;
}

/// Issue 10 point 5: a "connect by URL and token" server reconnects with the machine
/// identifier and pins saved from the first connection, exactly like `connect`.
#[tokio::test]
async fn url_and_token_reconnect_checks_the_saved_identity_and_pins() {
    let sim = start("home").await;
    let c = client(&sim);
    let ss = sim.connection("home-local-self-signed").unwrap();
    let info = sim.server("Home Server").unwrap();
    let token = plex_client::Token::new(info.access_token.clone());
    let first = c
        .connect_direct(&ss.uri, &token, &plex_client::CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        first.connection.machine_identifier(),
        info.machine_identifier
    );
    let pin = first
        .report
        .new_pin
        .expect("a pin for the self-signed route");
    let mut pins = CertPins::new();
    pins.insert(pin.place, pin.sha256);
    let opts = ConnectOptions {
        pins,
        ..ConnectOptions::default()
    };
    let again = c
        .reconnect_direct(&ss.uri, &token, &info.machine_identifier, &opts)
        .await
        .unwrap();
    assert!(again.report.new_pin.is_none());

    // Another machine answers at that address now: it never gets the token.
    sim.set_fault(&ss.id, Fault::WrongIdentity);
    sim.clear_log();
    let e = c
        .reconnect_direct(&ss.uri, &token, &info.machine_identifier, &opts)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e.diagnosis().unwrap().candidates[0].outcome,
            Outcome::WrongServer { .. }
        ),
        "{e}"
    );
    assert!(token_receivers(&sim.request_log()).is_empty());

    // Its certificate changed: refused before any request.
    sim.set_fault(&ss.id, Fault::None);
    sim.rotate_self_signed(&ss.id).expect("rotated");
    sim.clear_log();
    let e = c
        .reconnect_direct(&ss.uri, &token, &info.machine_identifier, &opts)
        .await
        .unwrap_err();
    assert!(matches!(
        e.diagnosis().unwrap().candidates[0].outcome,
        Outcome::Tls {
            failure: TlsFailure::CertificateChanged { .. }
        }
    ));
    assert!(requests_to(&sim.request_log(), &ss.id).is_empty());
    // No saved identity: a configuration error, not a token to whoever answers.
    let e = c
        .reconnect_direct(&ss.uri, &token, "", &opts)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    sim.shutdown().await;
}
