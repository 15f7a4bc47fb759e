//! Scenario files, built-ins and the builder.

use plex_sim::{ConnectionKind, Fault, LibraryKind, Scenario, Sim};

#[test]
fn every_builtin_parses_and_matches_its_file() {
    for name in Scenario::BUILTINS {
        let s = Scenario::builtin(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(s.name, *name);
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        assert_eq!(Scenario::load(&path).unwrap(), s);
        assert_eq!(Scenario::load(name).unwrap(), s);
    }
    assert!(Scenario::builtin("nope").is_none());
    assert!(Scenario::load("nope").is_err());
}

#[test]
fn home_has_one_owned_server_with_every_connection_kind_and_library_type() {
    let s = Scenario::builtin("home").unwrap();
    assert_eq!(s.servers.len(), 1);
    let home = &s.servers[0];
    assert_eq!(home.name, "Home Server");
    assert!(home.owned);
    let kinds: Vec<ConnectionKind> = home.connections.iter().map(|c| c.kind).collect();
    for k in [
        ConnectionKind::Http,
        ConnectionKind::HttpsSelfSigned,
        ConnectionKind::HttpsPlexDirect,
        ConnectionKind::Relay,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    assert!(home
        .connections
        .iter()
        .any(|c| c.kind == ConnectionKind::HttpsPlexDirect && !c.is_local()));
    let libs: Vec<LibraryKind> = home.libraries.iter().map(|l| l.kind).collect();
    assert_eq!(
        libs,
        [
            LibraryKind::Movie,
            LibraryKind::Show,
            LibraryKind::Artist,
            LibraryKind::Photo
        ]
    );
}

#[test]
fn friends_adds_two_shared_servers_with_local_connections() {
    let s = Scenario::builtin("friends").unwrap();
    assert_eq!(s.servers.len(), 3);
    let shared: Vec<_> = s.servers.iter().filter(|s| !s.owned).collect();
    assert_eq!(shared.len(), 2);
    for server in shared {
        assert!(server.owner_name.is_some() && server.owner_id.is_some());
        assert!(server.connections.iter().any(|c| c.is_local()));
        assert!(server.connections.iter().any(|c| !c.is_local()));
        assert!(!server.libraries.is_empty());
    }
}

#[test]
fn toml_and_json_round_trip() {
    let s = Scenario::builtin("hostile").unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(Scenario::from_json(&json).unwrap(), s);
    let toml_text = toml::to_string(&s).unwrap();
    assert_eq!(Scenario::from_toml(&toml_text).unwrap(), s);
    let trickle = s.servers[0]
        .connections
        .iter()
        .find(|c| c.id.as_deref() == Some("hostile-trickle"))
        .unwrap();
    assert_eq!(trickle.fault, Fault::Trickle { bytes_per_sec: 20 });
    assert_eq!(
        serde_json::to_string(&Fault::ResetMidBody).unwrap(),
        "\"reset_mid_body\""
    );
    assert_eq!(
        serde_json::to_string(&Fault::Trickle { bytes_per_sec: 5 }).unwrap(),
        r#"{"trickle":{"bytes_per_sec":5}}"#
    );
}

#[test]
fn minimal_toml_uses_defaults() {
    let s = Scenario::from_toml(
        r#"
        seed = 9
        [pins]
        approve_after_ms = 100
        expired = "null_token"
        [[servers]]
        name = "Mini"
        page_cap = 50
        libraries = [{ type = "movie", count = 10 }]
        connections = [{ kind = "http" }, { kind = "relay", address = "127.0.0.9" }]
        "#,
    )
    .unwrap();
    assert_eq!(s.seed, 9);
    assert_eq!(s.pins.approve_after_ms, Some(100));
    assert_eq!(s.pins.expires_in_secs, 900);
    let c = &s.servers[0].connections;
    assert_eq!(c[0].address, "127.0.0.2");
    assert!(c[0].is_local());
    assert!(!c[1].is_local());
    assert!(c[1].effective_bandwidth().is_some());
}

#[test]
fn invalid_scenarios_are_rejected_with_a_reason() {
    let non_loopback = r#"
        [[servers]]
        name = "X"
        connections = [{ kind = "http", address = "192.168.1.5" }]
    "#;
    let err = Scenario::from_toml(non_loopback).unwrap_err().to_string();
    assert!(err.contains("not loopback"), "{err}");
    let dup = r#"
        [[servers]]
        name = "X"
        connections = [{ id = "a", kind = "http" }, { id = "a", kind = "http" }]
    "#;
    assert!(Scenario::from_toml(dup)
        .unwrap_err()
        .to_string()
        .contains("duplicate"));
    let shared = r#"
        [[servers]]
        name = "X"
        owned = false
    "#;
    assert!(Scenario::from_toml(shared).is_err());
    assert!(Scenario::from_toml("bogus_field = 1").is_err());
    assert!(Scenario::from_json("{\"servers\": 3}").is_err());
}

#[tokio::test]
async fn generated_ids_tokens_and_identifiers_are_unique_and_deterministic() {
    let a = Sim::start(Scenario::builtin("friends").unwrap())
        .await
        .unwrap();
    let b = Sim::start(Scenario::builtin("friends").unwrap())
        .await
        .unwrap();
    let (sa, sb) = (a.servers(), b.servers());
    assert_eq!(a.account_token(), b.account_token());
    for (x, y) in sa.iter().zip(&sb) {
        assert_eq!(x.machine_identifier, y.machine_identifier);
        assert_eq!(x.access_token, y.access_token);
        assert_eq!(x.machine_identifier.len(), 40);
    }
    let mut ids: Vec<&str> = sa.iter().map(|s| s.machine_identifier.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    let c = Sim::start(Scenario::builtin("friends").unwrap().with_seed(99))
        .await
        .unwrap();
    assert_ne!(c.account_token(), a.account_token());
}

#[test]
fn handles_and_infos_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Sim>();
    assert_send_sync::<Scenario>();
    assert_send_sync::<plex_sim::ServerInfo>();
    assert_send_sync::<plex_sim::LoggedRequest>();
    assert_send_sync::<plex_sim::SimError>();
}
