//! Real listeners: http, self-signed https, plex.direct https via the test CA, relays.

mod common;

use std::time::{Duration, Instant};

use common::{conn, insecure_client, plain_client, sha256_hex, trusting_client};
use plex_sim::{ConnectionKind, Scenario, Sim};
use serde_json::Value;

fn peer_sha(r: &reqwest::Response) -> String {
    let info = r.extensions().get::<reqwest::tls::TlsInfo>().unwrap();
    sha256_hex(info.peer_certificate().unwrap())
}

#[tokio::test]
async fn home_connections_are_distinct_loopback_listeners() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let server = sim.server("Home Server").unwrap();
    assert_eq!(server.connections.len(), 5);
    let by_id = |id: &str| {
        server
            .connections
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .clone()
    };
    let http = by_id("home-local-http");
    assert_eq!(http.kind, ConnectionKind::Http);
    assert_eq!(http.uri, format!("http://127.0.0.2:{}", http.addr.port()));
    let ss = by_id("home-local-self-signed");
    assert_eq!(ss.uri, format!("https://127.0.0.2:{}", ss.addr.port()));
    assert_eq!(ss.self_signed_sha256.as_ref().unwrap().len(), 64);
    let pd = by_id("home-local-plex-direct");
    assert_eq!(
        pd.uri,
        format!(
            "https://127-0-0-2.{}.plex.direct:{}",
            server.plex_direct_hash,
            pd.addr.port()
        )
    );
    assert!(pd.local && !pd.relay);
    let remote = by_id("home-remote-plex-direct");
    assert_eq!(remote.addr.ip().to_string(), "127.0.0.3");
    assert!(!remote.local);
    let relay = by_id("home-relay");
    assert!(relay.relay && !relay.local);
    assert_eq!(relay.addr.ip().to_string(), "127.0.0.4");
    assert!(relay.uri.starts_with("https://127-0-0-4."));
}

#[tokio::test]
async fn plex_direct_connections_verify_against_the_sim_ca() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let client = trusting_client(&sim);
    for id in [
        "home-local-plex-direct",
        "home-remote-plex-direct",
        "home-relay",
    ] {
        let c = conn(&sim, id);
        let r = client
            .get(format!("{}/identity", c.uri))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            v["MediaContainer"]["machineIdentifier"],
            sim.servers()[0].machine_identifier.as_str()
        );
    }
    // The CA file holds the same PEM.
    assert_eq!(
        std::fs::read_to_string(sim.ca_path()).unwrap(),
        sim.ca_pem()
    );
    // A client without the CA rejects the plex.direct certificate.
    let c = conn(&sim, "home-local-plex-direct");
    let strict = reqwest::Client::builder()
        .tls_certs_only([])
        .resolve(&c.host, c.addr)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(strict
        .get(format!("{}/identity", c.uri))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn self_signed_fails_verification_and_exposes_its_fingerprint() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let c = conn(&sim, "home-local-self-signed");
    // Trusting the CA is not enough for a self-signed certificate.
    let err = trusting_client(&sim)
        .get(format!("{}/identity", c.uri))
        .send()
        .await;
    assert!(err.is_err());
    // Accepting anything works, and the peer certificate is the advertised one.
    let r = insecure_client(&sim)
        .get(format!("{}/identity", c.uri))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(Some(peer_sha(&r)), c.self_signed_sha256);
}

#[tokio::test]
async fn rotating_the_self_signed_certificate_changes_the_fingerprint() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let before = conn(&sim, "home-local-self-signed");
    let new_sha = sim.rotate_self_signed("home-local-self-signed").unwrap();
    assert_ne!(Some(new_sha.clone()), before.self_signed_sha256);
    let after = conn(&sim, "home-local-self-signed");
    assert_eq!(after.addr, before.addr);
    assert_eq!(after.self_signed_sha256.as_deref(), Some(new_sha.as_str()));
    let r = insecure_client(&sim)
        .get(format!("{}/identity", after.uri))
        .send()
        .await
        .unwrap();
    assert_eq!(peer_sha(&r), new_sha);
    assert!(sim.rotate_self_signed("home-local-http").is_none());
    assert!(sim.rotate_self_signed("nope").is_none());
}

#[tokio::test]
async fn relay_is_slow_and_bandwidth_limited() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let client = trusting_client(&sim);
    let relay = conn(&sim, "home-relay");
    let local = conn(&sim, "home-local-plex-direct");
    assert!(relay.latency_ms >= 100);
    // A ~100 kB poster: fast locally, limited on the relay.
    let path = "/photo/:/transcode?url=/library/metadata/1001/thumb/1&width=180&height=180";
    let fetch = |base: String| {
        let client = client.clone();
        let token = sim.account_token().to_string();
        async move {
            let t = Instant::now();
            let r = client
                .get(format!("{base}{path}"))
                .header("X-Plex-Token", token)
                .send()
                .await
                .unwrap();
            let n = r.bytes().await.unwrap().len();
            (t.elapsed(), n)
        }
    };
    let (fast, n) = fetch(local.uri).await;
    let (slow, m) = fetch(relay.uri).await;
    assert_eq!(n, m);
    assert!(n > 90_000, "{n}");
    assert!(slow >= Duration::from_millis(400), "relay took {slow:?}");
    assert!(fast < slow, "local {fast:?} relay {slow:?}");
}

#[tokio::test]
async fn requests_are_logged_with_the_listener_that_answered() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let client = trusting_client(&sim);
    let c = conn(&sim, "home-remote-plex-direct");
    client
        .get(format!("{}/identity", c.uri))
        .send()
        .await
        .unwrap();
    client
        .get(format!("{}/library/sections?includeX=1", c.uri))
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    plain_client()
        .get(format!("{}/identity", conn(&sim, "home-local-http").uri))
        .send()
        .await
        .unwrap();
    let log = sim.request_log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].listener, "pms");
    assert_eq!(log[0].server.as_deref(), Some("Home Server"));
    assert_eq!(
        log[0].connection_id.as_deref(),
        Some("home-remote-plex-direct")
    );
    assert_eq!(log[0].connection_kind.as_deref(), Some("https_plex_direct"));
    assert!(!log[0].carries_token());
    assert_eq!(log[1].path, "/library/sections");
    assert_eq!(log[1].query.as_deref(), Some("includeX=1"));
    assert_eq!(log[1].header("X-Plex-Token"), Some(sim.account_token()));
    assert_eq!(log[2].connection_id.as_deref(), Some("home-local-http"));
}
