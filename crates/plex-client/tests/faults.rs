//! Misbehaving servers: every fault becomes the right error kind within a bounded time,
//! never a panic or a hang.

mod common;

use std::time::{Duration, Instant};

use common::*;
use plex_client::{ErrorKind, LoadOptions, PlexClient, ServerConnection};
use plex_sim::{ConnectionKind, ConnectionSpec, Fault, LibraryKind, Scenario, ServerSpec, Sim};

async fn setup(request_timeout: Duration, max_body: usize) -> (Sim, ServerConnection) {
    let sim = Sim::start(
        Scenario::new("faults").with_server(
            ServerSpec::owned("Faulty")
                .library(LibraryKind::Movie, "Movies", 400)
                .connection(
                    ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2").id("pd"),
                ),
        ),
    )
    .await
    .unwrap();
    let mut cfg = config(&sim);
    cfg.timeouts.request = request_timeout;
    cfg.limits.max_body_bytes = max_body;
    let c = PlexClient::new(cfg).unwrap();
    let conn = connect(&c, &sim, "Faulty").await.connection;
    (sim, conn)
}

async fn expect_kind(fault: Fault, kind: ErrorKind) {
    let (sim, conn) = setup(Duration::from_millis(1500), 8 * 1024 * 1024).await;
    assert!(sim.set_fault("pd", fault));
    let t0 = Instant::now();
    let sections = conn.sections().await;
    let e = sections.expect_err("fault must be an error");
    assert_eq!(e.kind(), kind, "{fault:?}: {e}");
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "{fault:?} took {:?}",
        t0.elapsed()
    );
    // Paged loads fail the same way.
    let items = conn.all_items("1", &LoadOptions::default()).await;
    assert_eq!(items.expect_err("paged").kind(), kind, "{fault:?} paged");
    // And the connection recovers when the server does.
    sim.set_fault("pd", Fault::None);
    let mut recovered = false;
    for _ in 0..40 {
        if conn.sections().await.is_ok() {
            recovered = true;
            break;
        }
        // A refused port is reopened by the simulator in the background.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(recovered, "{fault:?}: no recovery");
    sim.shutdown().await;
}

#[tokio::test]
async fn http_500_is_a_server_error() {
    expect_kind(Fault::Http500, ErrorKind::Server).await;
}

#[tokio::test]
async fn truncated_json_is_an_invalid_response() {
    expect_kind(Fault::TruncatedJson, ErrorKind::InvalidResponse).await;
}

#[tokio::test]
async fn malformed_json_is_an_invalid_response() {
    expect_kind(Fault::MalformedJson, ErrorKind::InvalidResponse).await;
}

#[tokio::test]
async fn reset_mid_body_is_a_network_error() {
    expect_kind(Fault::ResetMidBody, ErrorKind::Network).await;
}

#[tokio::test]
async fn trickle_times_out() {
    expect_kind(Fault::Trickle { bytes_per_sec: 20 }, ErrorKind::TimedOut).await;
}

#[tokio::test]
async fn hang_times_out() {
    expect_kind(Fault::Hang, ErrorKind::TimedOut).await;
}

#[tokio::test]
async fn refused_is_a_network_error() {
    expect_kind(Fault::Refuse, ErrorKind::Network).await;
}

#[tokio::test]
async fn huge_bodies_are_capped() {
    let (sim, conn) = setup(Duration::from_secs(3), 16 * 1024).await;
    let e = conn
        .all_items(
            "1",
            &LoadOptions {
                page_size: Some(400),
                ..LoadOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    assert!(e.to_string().contains("larger than"), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn plex_tv_faults_are_typed_too() {
    let sim = start("home").await;
    let mut cfg = config(&sim);
    // Nothing listens on this loopback port once the probe socket is closed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    cfg.plex_tv_url = format!("http://127.0.0.1:{port}");
    let c = PlexClient::new(cfg).unwrap();
    let e = c.create_pin().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    let e = c.user(&account(&sim)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    sim.shutdown().await;
}
