//! The account's servers from the simulator's plex.tv, and the headers every request carries.

mod common;

use common::*;
use plex_client::{endpoints, ConnectOptions, Ownership, Token};

#[tokio::test]
async fn servers_are_typed_and_filtered() {
    let sim = start("friends").await;
    let c = client(&sim);
    sim.clear_log();
    let servers = c.servers(&account(&sim)).await.unwrap();
    let log = sim.request_log();
    let r = log
        .iter()
        .find(|r| r.path == endpoints::RESOURCES)
        .expect("resources asked");
    assert_eq!(r.query.as_deref(), Some(endpoints::RESOURCES_QUERY));
    assert_eq!(r.header("x-plex-token"), Some(sim.account_token()));

    assert_eq!(servers.len(), 3, "non-server devices are dropped");
    for s in &servers {
        let info = sim.server(&s.name).unwrap();
        assert_eq!(s.machine_identifier, info.machine_identifier);
        assert!(s.presence);
        assert_eq!(s.connections.len(), info.connections.len());
        assert_eq!(
            s.token_for(&account(&sim)),
            Some(Token::new(info.access_token.clone()))
        );
    }
    let home = servers.iter().find(|s| s.name == "Home Server").unwrap();
    assert_eq!(home.ownership(), Ownership::Owned);
    let bob = servers.iter().find(|s| s.name == "Bob's Plex").unwrap();
    assert_eq!(
        bob.ownership(),
        Ownership::Shared {
            owner: Some("bob".into())
        }
    );
    assert_eq!(bob.owner_id, Some(2000002));
    // Debug output never shows tokens.
    let dbg = format!("{servers:?}");
    for t in all_tokens(&sim) {
        assert!(!dbg.contains(&t));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn every_pms_request_carries_the_plex_headers() {
    let sim = start("home").await;
    let c = client(&sim);
    let s = server(&c, &sim, "Home Server").await;
    sim.clear_log();
    let got = c
        .connect(&s, &account(&sim), &ConnectOptions::default())
        .await
        .unwrap();
    got.connection.sections().await.unwrap();
    let log = sim.request_log();
    assert!(!log.is_empty());
    for r in &log {
        assert_eq!(r.header("accept"), Some("application/json"), "{}", r.path);
        assert_eq!(r.header("x-plex-client-identifier"), Some(CLIENT_ID));
        assert_eq!(r.header("x-plex-product"), Some("PlexPicker"));
        for h in [
            "x-plex-version",
            "x-plex-platform",
            "x-plex-platform-version",
            "x-plex-device",
            "x-plex-device-name",
        ] {
            assert!(r.header(h).is_some(), "{h} missing on {}", r.path);
        }
    }
    assert_no_token_in_urls(&sim, &log);
    // The handle's Debug shows no token either.
    assert!(!format!("{:?}", got.connection).contains(sim.account_token()));
    sim.shutdown().await;
}
