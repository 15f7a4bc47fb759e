//! The connection race against the simulator: winners, diagnosis, tokens, pinning.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use plex_client::{
    endpoints, AllowInsecure, CertFingerprint, CertPins, ConnectOptions, Error, ErrorKind,
    Locality, Outcome, PlexClient, RaceEvent, Security, SkipReason, TlsFailure,
};
use plex_sim::{ConnectionKind, ConnectionSpec, Fault, LibraryKind, Scenario, ServerSpec, Sim};

fn outcome_of<'a>(report: &'a plex_client::Diagnosis, uri: &str, direct: bool) -> &'a Outcome {
    &report
        .candidates
        .iter()
        .find(|c| c.uri == uri && c.direct_ip.is_some() == direct)
        .unwrap_or_else(|| panic!("no candidate {uri} direct={direct}"))
        .outcome
}

#[tokio::test]
async fn home_race_prefers_local_verified_https_reached_by_ip() {
    let sim = start("home").await;
    let c = client(&sim);
    let events = Events::<RaceEvent>::default();
    let ev = events.clone();
    let server = server(&c, &sim, "Home Server").await;
    assert!(server.owned);
    sim.clear_log();
    let opts = ConnectOptions {
        on_event: Some(Arc::new(move |e| ev.push(e))),
        ..ConnectOptions::default()
    };
    let got = c.connect(&server, &account(&sim), &opts).await.unwrap();
    let local_pd = sim.connection("home-local-plex-direct").unwrap();
    assert_eq!(got.report.uri, local_pd.uri);
    assert_eq!(got.report.direct_ip.as_deref(), Some("127.0.0.2"));
    assert_eq!(got.report.locality, Locality::Local);
    assert_eq!(got.report.security, Security::VerifiedHttps);
    assert!(got.report.new_pin.is_none());
    assert!(!got.report.fast_path);
    // The plex.direct name itself did not resolve (no DNS in tests).
    assert_eq!(
        outcome_of(&got.report.diagnosis, &local_pd.uri, false),
        &Outcome::NameNotResolved
    );
    assert!(outcome_of(&got.report.diagnosis, &local_pd.uri, true).is_connected());
    // The diagnosis serializes for the UI.
    let json = serde_json::to_value(&got.report).unwrap();
    assert_eq!(json["diagnosis"]["server"], "Home Server");
    // Live events: every started candidate went trying → outcome.
    // Token-bearing requests went to the winning route only.
    let log = sim.request_log();
    for r in log
        .iter()
        .filter(|r| r.listener == "pms" && r.carries_token())
    {
        assert_eq!(
            r.connection_id.as_deref(),
            Some("home-local-plex-direct"),
            "{r:?}"
        );
    }
    assert!(log.iter().any(|r| r.listener == "pms" && r.carries_token()));
    let evs = events.all();
    assert!(evs.iter().any(|e| e.outcome.is_connected()));
    for e in evs.iter().filter(|e| e.outcome == Outcome::Trying) {
        let last = evs.iter().rev().find(|x| x.rank == e.rank).unwrap();
        assert_ne!(last.outcome, Outcome::Trying, "{} never finished", e.uri);
        // The last event of a candidate is its outcome in the diagnosis.
        assert_eq!(
            last.outcome,
            got.report.diagnosis.candidates[e.rank].outcome
        );
        assert_eq!(last.uri, got.report.diagnosis.candidates[e.rank].uri);
    }
    let sections = got.connection.sections().await.unwrap();
    assert_eq!(sections.len(), 2, "movie and show only: {sections:?}");
    // Local connections of an owned server: http is allowed and listed last among locals.
    let http = sim.connection("home-local-http").unwrap();
    let http_rank = got
        .report
        .diagnosis
        .candidates
        .iter()
        .find(|c| c.uri == http.uri)
        .unwrap();
    assert_eq!(http_rank.security, Security::Http);
    assert!(!matches!(
        http_rank.outcome,
        Outcome::Skipped {
            reason: SkipReason::HttpNotAllowed
        }
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn hostile_race_picks_the_healthy_route_fast_and_guards_the_token() {
    let sim = start("hostile").await;
    let c = client(&sim);
    let server = server(&c, &sim, "Hostile Server").await;
    sim.clear_log();
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    let took = t0.elapsed();
    let healthy = sim.connection("hostile-healthy").unwrap();
    assert_eq!(got.report.uri, healthy.uri);
    assert_eq!(got.report.direct_ip.as_deref(), Some("127.0.0.3"));
    // Far below the 2 s probe timeout the hanging candidates would need.
    assert!(took < Duration::from_millis(1200), "race took {took:?}");

    let d = &got.report.diagnosis;
    let wrong = sim.connection("hostile-wrong-identity").unwrap();
    match outcome_of(d, &wrong.uri, true) {
        Outcome::WrongServer { machine_identifier } => {
            assert_ne!(
                machine_identifier.as_deref(),
                Some(server.machine_identifier.as_str())
            )
        }
        other => panic!("wrong identity: {other:?}"),
    }
    let refuse = sim.connection("hostile-refuse").unwrap();
    assert_eq!(outcome_of(d, &refuse.uri, false), &Outcome::Refused);
    let e500 = sim.connection("hostile-http500").unwrap();
    assert_eq!(
        outcome_of(d, &e500.uri, true),
        &Outcome::HttpStatus { status: 500 }
    );
    let truncated = sim.connection("hostile-truncated").unwrap();
    assert!(matches!(
        outcome_of(d, &truncated.uri, true),
        Outcome::InvalidResponse { .. }
    ));
    // A remote plain-http route: not contacted at all under the default setting.
    let malformed = sim.connection("hostile-malformed").unwrap();
    assert_eq!(
        outcome_of(d, &malformed.uri, false),
        &Outcome::Skipped {
            reason: SkipReason::InsecureNotAllowed {
                setting: AllowInsecure::SameNetwork
            }
        }
    );
    let reset = sim.connection("hostile-reset").unwrap();
    match outcome_of(d, &reset.uri, false) {
        Outcome::NetworkError { detail } => assert!(!detail.starts_with("network error")),
        other => panic!("reset: {other:?}"),
    }
    let hang = sim.connection("hostile-hang").unwrap();
    assert!(matches!(
        outcome_of(d, &hang.uri, true),
        Outcome::Skipped {
            reason: SkipReason::AnotherRouteWon
        }
    ));
    // The relay never started: a direct route won before its delay ran out... or it was
    // cancelled by the winner; either way it is not the winner.
    assert_ne!(got.report.locality, Locality::Relay);

    let log = sim.request_log();
    // /identity probes never carry a token.
    let probes: Vec<_> = log
        .iter()
        .filter(|r| r.path == endpoints::IDENTITY)
        .collect();
    assert!(!probes.is_empty());
    assert!(probes.iter().all(|r| !r.carries_token()));
    // Only the winner ever received a token.
    for r in log.iter().filter(|r| r.carries_token()) {
        assert_eq!(r.connection_id.as_deref(), Some("hostile-healthy"), "{r:?}");
    }
    assert!(log
        .iter()
        .filter(|r| r.connection_id.as_deref() == Some("hostile-wrong-identity"))
        .all(|r| !r.carries_token()));
    assert!(log
        .iter()
        .all(|r| r.connection_id.as_deref() != Some("hostile-malformed")));
    assert_no_token_in_urls(&sim, &log);
    sim.shutdown().await;
}

#[tokio::test]
async fn shared_servers_get_only_their_own_token_and_no_local_probes() {
    let sim = start("friends").await;
    let c = client(&sim);
    let servers = c.servers(&account(&sim)).await.unwrap();
    assert_eq!(servers.len(), 3, "clients filtered out");
    let alice = servers.iter().find(|s| s.name == "Alice's Server").unwrap();
    assert!(!alice.owned);
    assert_eq!(alice.owner_name.as_deref(), Some("alice"));
    let sim_alice = sim.server("Alice's Server").unwrap();
    sim.clear_log();
    let got = c
        .connect(alice, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(
        got.report.uri,
        sim.connection("alice-remote-plex-direct").unwrap().uri
    );
    let local = sim.connection("alice-local-plex-direct").unwrap();
    assert_eq!(
        outcome_of(&got.report.diagnosis, &local.uri, false),
        &Outcome::Skipped {
            reason: SkipReason::SharedLocalAddress
        }
    );
    let movies = got.connection.sections().await.unwrap();
    assert!(movies.iter().any(|s| s.title == "Alice's Movies"));
    let bob = servers.iter().find(|s| s.name == "Bob's Plex").unwrap();
    let got_bob = c
        .connect(bob, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(
        got_bob.report.uri,
        sim.connection("bob-remote-plex-direct").unwrap().uri
    );
    let sim_bob = sim.server("Bob's Plex").unwrap();

    let log = sim.request_log();
    for r in log.iter().filter(|r| r.listener == "pms") {
        assert_ne!(r.connection_id.as_deref(), Some("alice-local-plex-direct"));
        assert_ne!(r.connection_id.as_deref(), Some("bob-local-http"));
        if let Some(tok) = r.header("x-plex-token") {
            assert_ne!(
                tok,
                sim.account_token(),
                "account token sent to a shared server"
            );
            match r.server.as_deref() {
                Some("Alice's Server") => assert_eq!(tok, sim_alice.access_token),
                Some("Bob's Plex") => assert_eq!(tok, sim_bob.access_token),
                other => panic!("token to {other:?}"),
            }
        }
    }
    assert_no_token_in_urls(&sim, &log);
    sim.shutdown().await;
}

fn self_signed_only() -> Scenario {
    Scenario::new("pinning").with_server(
        ServerSpec::owned("Pinned")
            .library(LibraryKind::Movie, "Movies", 3)
            .connection(ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2").id("ss")),
    )
}

#[tokio::test]
async fn self_signed_is_pinned_then_certificate_changed() {
    let sim = Sim::start(self_signed_only()).await.unwrap();
    let c = client(&sim);
    let server = server(&c, &sim, "Pinned").await;
    let ss = sim.connection("ss").unwrap();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(got.report.security, Security::PinnedHttps);
    let pin = got.report.new_pin.clone().expect("a new pin to store");
    assert_eq!(pin.place, ss.uri.trim_start_matches("https://"));
    assert_eq!(
        Some(pin.sha256.clone()),
        ss.self_signed_sha256
            .as_deref()
            .and_then(CertFingerprint::parse)
    );
    // The pinned handle keeps working.
    assert!(!got.connection.sections().await.unwrap().is_empty());

    // With the pin given: no new pin to store.
    let mut pins = CertPins::new();
    pins.insert(pin.place.clone(), pin.sha256.clone());
    let opts = ConnectOptions {
        pins: pins.clone(),
        ..ConnectOptions::default()
    };
    let again = c.connect(&server, &account(&sim), &opts).await.unwrap();
    assert!(again.report.new_pin.is_none());

    // The certificate changes: refused as "certificate changed" until trusted again.
    let new_fp = sim.rotate_self_signed("ss").expect("rotated");
    sim.clear_log();
    let e = c.connect(&server, &account(&sim), &opts).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unreachable);
    let d = e.diagnosis().unwrap();
    let got_fp = match &d.candidates[0].outcome {
        Outcome::Tls {
            failure: TlsFailure::CertificateChanged { expected, got },
        } => {
            assert_eq!(expected, &pin.sha256);
            got.clone()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(Some(got_fp.clone()), CertFingerprint::parse(&new_fp));
    assert!(e.to_string().contains("certificate changed"));
    // The connection's own TLS handshake failed: the token never went anywhere (the
    // simulator did not even see a request).
    assert!(
        sim.request_log().iter().all(|r| r.listener != "pms"),
        "{:?}",
        sim.request_log()
    );
    let mut trusted = pins;
    trusted.insert(pin.place.clone(), got_fp);
    let ok = c
        .connect(
            &server,
            &account(&sim),
            &ConnectOptions {
                pins: trusted,
                ..ConnectOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(ok.report.new_pin.is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn self_signed_is_refused_on_remote_or_shared_connections() {
    let sim = Sim::start(
        Scenario::new("remote-ss").with_server(
            ServerSpec::owned("Remote SS")
                .library(LibraryKind::Movie, "Movies", 1)
                .connection(
                    ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2")
                        .id("rss")
                        .local(false),
                ),
        ),
    )
    .await
    .unwrap();
    let c = client(&sim);
    let server = server(&c, &sim, "Remote SS").await;
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    let d = e.diagnosis().expect("diagnosis");
    assert_eq!(d.candidates[0].security, Security::VerifiedHttps);
    assert!(
        matches!(
            &d.candidates[0].outcome,
            Outcome::Tls {
                failure: TlsFailure::Untrusted { .. } | TlsFailure::NameMismatch { .. }
            }
        ),
        "{:?}",
        d.candidates[0].outcome
    );
    assert!(sim
        .request_log()
        .iter()
        .filter(|r| r.listener == "pms")
        .all(|r| !r.carries_token()));
    sim.shutdown().await;
}

#[tokio::test]
async fn all_fail_gives_the_whole_diagnosis_and_relay_is_last_resort() {
    let sim = start("home").await;
    let c = client(&sim);
    let server = server(&c, &sim, "Home Server").await;
    for id in [
        "home-local-http",
        "home-local-self-signed",
        "home-local-plex-direct",
        "home-remote-plex-direct",
    ] {
        assert!(sim.set_fault(id, Fault::Refuse));
    }
    // Only the relay works now: it starts as soon as every direct candidate failed.
    let t0 = Instant::now();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(got.report.locality, Locality::Relay);
    assert!(t0.elapsed() < Duration::from_secs(2));
    sim.set_fault("home-relay", Fault::Refuse);
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    let d = e.diagnosis().expect("unreachable");
    // 5 connections, 3 of them plex.direct names with a direct-IP twin.
    assert_eq!(d.candidates.len(), 8, "{d}");
    assert!(d
        .candidates
        .iter()
        .all(|c| matches!(c.outcome, Outcome::Refused | Outcome::NameNotResolved)));
    let json = serde_json::to_string(d).unwrap();
    assert!(json.contains("name_not_resolved") && json.contains("refused"));
    sim.shutdown().await;
}

#[tokio::test]
async fn relay_waits_for_direct_routes() {
    let sim = start("home").await;
    // A relay delay long enough that a busy machine (a parallel build, the other tests) cannot
    // make the 100 ms remote route look slower than it: what is tested is the waiting.
    let mut cfg = config(&sim);
    cfg.race.relay_delay = Duration::from_secs(3);
    let c = PlexClient::new(cfg).expect("client");
    let server = server(&c, &sim, "Home Server").await;
    for id in [
        "home-local-http",
        "home-local-self-signed",
        "home-local-plex-direct",
    ] {
        sim.set_fault(id, Fault::Hang);
    }
    // The remote route answers after 100 ms, the relay would answer at once: the relay is
    // held back (the relay delay) so the direct route wins and the relay is never contacted.
    sim.set_latency("home-remote-plex-direct", 100);
    sim.set_latency("home-relay", 0);
    sim.clear_log();
    let got = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(got.report.locality, Locality::Remote);
    assert!(sim
        .request_log()
        .iter()
        .all(|r| r.connection_id.as_deref() != Some("home-relay")));
    let relay = sim.connection("home-relay").unwrap();
    assert!(matches!(
        outcome_of(&got.report.diagnosis, &relay.uri, true),
        Outcome::Skipped {
            reason: SkipReason::AnotherRouteWon
        }
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn fast_path_uses_the_remembered_route_then_falls_back() {
    let sim = start("home").await;
    let c = client(&sim);
    let server = server(&c, &sim, "Home Server").await;
    let remote = sim.connection("home-remote-plex-direct").unwrap();
    sim.clear_log();
    let opts = ConnectOptions {
        remembered: Some(remote.uri.clone()),
        ..ConnectOptions::default()
    };
    let got = c.connect(&server, &account(&sim), &opts).await.unwrap();
    assert!(got.report.fast_path);
    // Ranks stay those of the full candidate list.
    let all = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    for cand in &got.report.diagnosis.candidates {
        assert_eq!(all.report.diagnosis.candidates[cand.rank].uri, cand.uri);
    }
    sim.clear_log();
    let got = c.connect(&server, &account(&sim), &opts).await.unwrap();
    assert_eq!(got.report.uri, remote.uri);
    // Only the remembered route was contacted.
    let ids: HashSet<_> = sim
        .request_log()
        .into_iter()
        .filter_map(|r| r.connection_id)
        .collect();
    assert_eq!(ids, HashSet::from(["home-remote-plex-direct".to_string()]));

    sim.set_fault("home-remote-plex-direct", Fault::Hang);
    let t0 = Instant::now();
    let got = c.connect(&server, &account(&sim), &opts).await.unwrap();
    assert!(!got.report.fast_path);
    assert_ne!(got.report.uri, remote.uri);
    // Fast-path timeout (800 ms) plus a quick race.
    assert!(
        t0.elapsed() < Duration::from_millis(1800),
        "{:?}",
        t0.elapsed()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn race_can_be_cancelled() {
    let sim = start("home").await;
    let c = client(&sim);
    let server = server(&c, &sim, "Home Server").await;
    for id in [
        "home-local-http",
        "home-local-self-signed",
        "home-local-plex-direct",
        "home-remote-plex-direct",
        "home-relay",
    ] {
        sim.set_fault(id, Fault::Hang);
    }
    let opts = ConnectOptions::default();
    let cancel = opts.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        cancel.cancel();
    });
    let t0 = Instant::now();
    let e = c.connect(&server, &account(&sim), &opts).await.unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e:?}");
    assert!(t0.elapsed() < Duration::from_millis(800));
    sim.shutdown().await;
}

#[tokio::test]
async fn hanging_candidates_time_out_with_the_configured_timeout() {
    let sim = start("home").await;
    let mut cfg = config(&sim);
    cfg.timeouts.probe = Duration::from_millis(400);
    let c = PlexClient::new(cfg).unwrap();
    let server = server(&c, &sim, "Home Server").await;
    for id in [
        "home-local-http",
        "home-local-self-signed",
        "home-local-plex-direct",
        "home-remote-plex-direct",
        "home-relay",
    ] {
        sim.set_fault(id, Fault::Hang);
    }
    let t0 = Instant::now();
    let e = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    // Direct ones time out at 400 ms, then the relays get their 400 ms.
    assert!(
        t0.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t0.elapsed()
    );
    let d = e.diagnosis().unwrap();
    assert!(d
        .candidates
        .iter()
        .any(|c| matches!(c.outcome, Outcome::TimedOut { after_ms: 400 })));
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_token_on_the_right_server_means_sign_in_again() {
    let sim = start("friends").await;
    let c = client(&sim);
    let mut alice = server(&c, &sim, "Alice's Server").await;
    alice.access_token = Some(plex_client::Token::new("revoked-token"));
    let e = c
        .connect(&alice, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    sim.shutdown().await;
}

/// "Connect by URL and token": the identity is learnt without the token, then only that
/// machine receives it; the connection works and counts the section's items.
#[tokio::test]
async fn direct_connection_by_url_and_token() {
    let sim = start("home").await;
    let c = client(&sim);
    let http = sim.connection("home-local-http").unwrap();
    let server = sim.server("Home Server").unwrap();
    sim.clear_log();
    let got = c
        .connect_direct(
            &http.uri,
            &plex_client::Token::new(server.access_token.clone()),
            &plex_client::CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        got.connection.machine_identifier(),
        server.machine_identifier
    );
    assert_eq!(got.report.uri, http.uri);
    for request in sim.request_log() {
        if request.path == endpoints::IDENTITY {
            assert!(
                request.header("X-Plex-Token").is_none(),
                "probe carried a token"
            );
        }
    }
    let sections = got.connection.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == plex_client::SectionKind::Movie)
        .unwrap();
    let expected = server
        .libraries
        .iter()
        .find(|l| l.key == movies.key)
        .unwrap()
        .count;
    assert_eq!(
        got.connection.section_size(&movies.key).await.unwrap() as u64,
        expected as u64
    );

    // Nothing listening: the diagnosis says so, and no token went anywhere.
    sim.set_fault(&http.id, Fault::Refuse);
    sim.clear_log();
    let err = c
        .connect_direct(
            &http.uri,
            &plex_client::Token::new("t"),
            &plex_client::CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unreachable);
    assert!(
        sim.request_log().iter().all(|r| !r.carries_token()),
        "{:?}",
        sim.request_log()
    );
}
