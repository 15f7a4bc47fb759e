//! A pinned certificate whose change is seen late, while the race is already confirming
//! another host's route with the token (the simulator's `slow_handshake` fault holds the
//! pinned listener's ServerHello back). Giving up the changed host must not give up the
//! confirmation in progress elsewhere: that route still wins, and the token goes only there.
//! Mutation testing found nothing that checked this (`Race::abandon_host`, docs/TESTING.md).

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use plex_client::{
    CertPins, ConnectOptions, Outcome, PlexClient, RaceEvent, Security, SkipReason, TlsFailure,
};
use plex_sim::{
    ConnectionKind, ConnectionSpec, Fault, LibraryKind, LoggedRequest, Scenario, ServerSpec, Sim,
};

/// Far longer than the race needs: no timeout may end it.
const LONG: Duration = Duration::from_secs(20);
/// The other host's latency, applied to its `/identity` probe and to the confirmation.
const OTHER_LATENCY_MS: u64 = 1500;
/// How long the pinned listener holds its handshake back: after the other route passed its
/// probe (1.5 s) and started its confirmation, before that confirmation ends (3 s).
const HANDSHAKE_DELAY_MS: u64 = 2200;

fn token_requests(log: &[LoggedRequest]) -> Vec<&LoggedRequest> {
    log.iter()
        .filter(|r| r.listener != "plex.tv" && r.carries_token())
        .collect()
}

fn outcome<'a>(d: &'a plex_client::Diagnosis, uri: &str) -> &'a Outcome {
    &d.candidates
        .iter()
        .find(|c| c.uri == uri)
        .unwrap_or_else(|| panic!("no candidate {uri}: {d}"))
        .outcome
}

#[tokio::test]
async fn a_late_certificate_change_leaves_another_hosts_confirmation_alone() {
    let sim = Sim::start(
        Scenario::new("late-pin").with_server(
            ServerSpec::owned("Late")
                .library(LibraryKind::Movie, "Movies", 2)
                // Host 127.0.0.2: a pinned self-signed route and its plain-http twin.
                .connection(
                    ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.2").id("ss"),
                )
                .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("twin"))
                // Host 127.0.0.3: another self-signed route, ranked after "ss".
                .connection(
                    ConnectionSpec::new(ConnectionKind::HttpsSelfSigned, "127.0.0.3").id("other"),
                ),
        ),
    )
    .await
    .expect("sim");
    let mut cfg = config(&sim);
    cfg.timeouts.connect = LONG;
    cfg.timeouts.probe = LONG;
    cfg.timeouts.confirm = LONG;
    cfg.race.settle_window = Duration::from_millis(10);
    let c = PlexClient::new(cfg).expect("client");
    let server = server(&c, &sim, "Late").await;

    // First race: "ss" wins and its certificate is pinned.
    let first = c
        .connect(&server, &account(&sim), &ConnectOptions::default())
        .await
        .expect("first connect");
    let ss = sim.connection("ss").unwrap();
    let other = sim.connection("other").unwrap();
    let twin = sim.connection("twin").unwrap();
    assert_eq!(first.report.uri, ss.uri);
    let pin = first
        .report
        .new_pin
        .expect("a pin for the self-signed winner");
    let mut pins = CertPins::new();
    pins.insert(pin.place, pin.sha256);

    // Now "ss" shows another certificate, late; "other" is slow but fine.
    sim.rotate_self_signed("ss").expect("rotated");
    assert!(sim.set_fault(
        "ss",
        Fault::SlowHandshake {
            ms: HANDSHAKE_DELAY_MS
        }
    ));
    assert!(sim.set_latency("other", OTHER_LATENCY_MS));
    sim.clear_log();
    let events = Events::<RaceEvent>::default();
    let ev = events.clone();
    let got = c
        .connect(
            &server,
            &account(&sim),
            &ConnectOptions {
                pins,
                on_event: Some(Arc::new(move |e| ev.push(e))),
                ..ConnectOptions::default()
            },
        )
        .await
        .expect("the other host's route still wins");

    assert_eq!(got.report.uri, other.uri);
    assert_eq!(got.report.security, Security::PinnedHttps);
    let d = &got.report.diagnosis;
    assert!(
        matches!(
            outcome(d, &ss.uri),
            Outcome::Tls {
                failure: TlsFailure::CertificateChanged { .. }
            }
        ),
        "{d}"
    );
    assert_eq!(
        outcome(d, &twin.uri),
        &Outcome::Skipped {
            reason: SkipReason::CertificateChangedOnHost
        }
    );

    // The change was seen while "other" was being confirmed: after it passed its probe,
    // before it won (otherwise this test would not test what it says).
    let events = events.all();
    let at = |uri: &str, what: fn(&Outcome) -> bool| {
        events
            .iter()
            .position(|e| e.uri == uri && what(&e.outcome))
            .unwrap_or_else(|| panic!("no such event for {uri}: {events:?}"))
    };
    let passed = at(&other.uri, |o| matches!(o, Outcome::Reachable { .. }));
    let changed = at(&ss.uri, |o| matches!(o, Outcome::Tls { .. }));
    let won = at(&other.uri, |o| matches!(o, Outcome::Connected { .. }));
    assert!(passed < changed && changed < won, "{events:?}");

    // The token went to "other" once (its confirmation), never to the changed host.
    let log = sim.request_log();
    let sent = token_requests(&log);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].connection_id.as_deref(), Some("other"));
    assert!(log
        .iter()
        .filter(|r| matches!(r.connection_id.as_deref(), Some("ss" | "twin")))
        .all(|r| !r.carries_token()));

    // And the connection works: a request after the race reaches "other".
    sim.clear_log();
    got.connection.sections().await.expect("sections");
    let log = sim.request_log();
    assert!(!log.is_empty());
    assert!(log
        .iter()
        .all(|r| r.connection_id.as_deref() == Some("other")));
    sim.shutdown().await;
}
