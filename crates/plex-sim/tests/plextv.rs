//! plex.tv: PIN flow, user, resources, rate limiting.

mod common;

use std::time::Duration;

use common::plain_client;
use plex_sim::{ExpiredPin, Scenario, Sim};
use serde_json::Value;

async fn create_pin(sim: &Sim, strong: bool) -> (reqwest::StatusCode, Value) {
    let url = format!(
        "{}/api/v2/pins{}",
        sim.plex_tv_url(),
        if strong { "?strong=true" } else { "" }
    );
    let r = plain_client()
        .post(url)
        .header("Accept", "application/json")
        .header("X-Plex-Client-Identifier", "test-client-1")
        .header("X-Plex-Product", "PlexPicker")
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

async fn poll_pin(sim: &Sim, id: u64) -> (reqwest::StatusCode, Value) {
    let r = plain_client()
        .get(format!("{}/api/v2/pins/{id}", sim.plex_tv_url()))
        .header("Accept", "application/json")
        .header("X-Plex-Client-Identifier", "test-client-1")
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

#[tokio::test]
async fn create_pin_returns_201_with_every_field() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let (status, pin) = create_pin(&sim, true).await;
    assert_eq!(status, 201);
    for field in [
        "id",
        "code",
        "product",
        "trusted",
        "qr",
        "clientIdentifier",
        "location",
        "expiresIn",
        "createdAt",
        "expiresAt",
        "authToken",
        "newRegistration",
    ] {
        assert!(pin.get(field).is_some(), "missing {field}: {pin}");
    }
    assert!(pin["id"].is_u64());
    assert_eq!(pin["code"].as_str().unwrap().len(), 25);
    assert_eq!(pin["clientIdentifier"], "test-client-1");
    assert_eq!(pin["expiresIn"], 900);
    assert!(pin["authToken"].is_null());
    assert!(pin["newRegistration"].is_null());
    assert!(pin["location"]["country"].is_string());
    let created = pin["createdAt"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.contains('T'), "{created}");

    let (status, short) = create_pin(&sim, false).await;
    assert_eq!(status, 201);
    assert_eq!(short["code"].as_str().unwrap().len(), 4);
    assert_ne!(short["id"], pin["id"]);
}

#[tokio::test]
async fn create_pin_without_client_identifier_is_400() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let r = plain_client()
        .post(format!("{}/api/v2/pins?strong=true", sim.plex_tv_url()))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.text().await.unwrap(),
        r#"{"errors":[{"code":1000,"message":"X-Plex-Client-Identifier is missing","status":400}]}"#
    );
}

#[tokio::test]
async fn pin_is_pending_then_linked_after_control_approval() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let (_, pin) = create_pin(&sim, true).await;
    let id = pin["id"].as_u64().unwrap();
    let (status, pending) = poll_pin(&sim, id).await;
    assert_eq!(status, 200);
    assert!(pending["authToken"].is_null());
    assert!(pending["expiresIn"].as_u64().unwrap() <= 900);
    assert!(sim.approve_pin(id));
    assert!(!sim.approve_pin(id + 10_000));
    let (status, linked) = poll_pin(&sim, id).await;
    assert_eq!(status, 200);
    assert_eq!(linked["authToken"], sim.account_token());
    assert_eq!(linked["newRegistration"], false);
}

#[tokio::test]
async fn pin_expires_in_counts_down() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let (_, pin) = create_pin(&sim, false).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (_, later) = poll_pin(&sim, pin["id"].as_u64().unwrap()).await;
    let left = later["expiresIn"].as_u64().unwrap();
    assert!((897..=898).contains(&left), "expiresIn {left}");
}

#[tokio::test]
async fn pin_is_approved_automatically_after_the_configured_delay() {
    let sim = Sim::start(Scenario::single_server(5, 0).pin_approve_after_ms(300))
        .await
        .unwrap();
    let (_, pin) = create_pin(&sim, true).await;
    let id = pin["id"].as_u64().unwrap();
    let (_, first) = poll_pin(&sim, id).await;
    assert!(first["authToken"].is_null());
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (_, linked) = poll_pin(&sim, id).await;
    assert_eq!(linked["authToken"], sim.account_token());
}

#[tokio::test]
async fn approve_all_pins_links_every_pin() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let (_, a) = create_pin(&sim, true).await;
    let (_, b) = create_pin(&sim, false).await;
    sim.approve_all_pins();
    for p in [a, b] {
        let (_, v) = poll_pin(&sim, p["id"].as_u64().unwrap()).await;
        assert_eq!(v["authToken"], sim.account_token());
    }
    assert_eq!(sim.pins().len(), 2);
}

#[tokio::test]
async fn unknown_pin_is_404_code_1020() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let (status, body) = poll_pin(&sim, 42).await;
    assert_eq!(status, 404);
    assert_eq!(body["errors"][0]["code"], 1020);
    assert_eq!(body["errors"][0]["message"], "Code not found or expired");
}

#[tokio::test]
async fn expired_pin_is_404_or_200_with_null_token_as_configured() {
    for (behaviour, expect_404) in [(ExpiredPin::NotFound, true), (ExpiredPin::NullToken, false)] {
        let sim = Sim::start(
            Scenario::single_server(5, 0)
                .pin_expires_in_secs(1)
                .expired_pin(behaviour),
        )
        .await
        .unwrap();
        let (_, pin) = create_pin(&sim, true).await;
        let id = pin["id"].as_u64().unwrap();
        sim.approve_pin(id);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let (status, body) = poll_pin(&sim, id).await;
        if expect_404 {
            assert_eq!(status, 404);
            assert_eq!(body["errors"][0]["code"], 1020);
        } else {
            assert_eq!(status, 200);
            assert!(body["authToken"].is_null());
            assert_eq!(body["expiresIn"], 0);
        }
    }
}

#[tokio::test]
async fn user_needs_the_account_token() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    let url = format!("{}/api/v2/user", sim.plex_tv_url());
    let ok = plain_client()
        .get(&url)
        .header("Accept", "application/json")
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let user: Value = ok.json().await.unwrap();
    assert_eq!(user["username"], "simuser");
    assert_eq!(user["authToken"], sim.account_token());

    for token in [None, Some("wrong-token")] {
        let mut req = plain_client()
            .get(&url)
            .header("Accept", "application/json");
        if let Some(t) = token {
            req = req.header("X-Plex-Token", t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.text().await.unwrap(),
            r#"{"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]}"#
        );
    }
}

#[tokio::test]
async fn resources_list_servers_with_every_field_and_client_devices() {
    let sim = Sim::start(Scenario::builtin("friends").unwrap())
        .await
        .unwrap();
    let url = format!(
        "{}/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1",
        sim.plex_tv_url()
    );
    let r = plain_client()
        .get(&url)
        .header("Accept", "application/json")
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let devices: Vec<Value> = r.json().await.unwrap();
    let servers: Vec<&Value> = devices
        .iter()
        .filter(|d| {
            d["provides"]
                .as_str()
                .unwrap()
                .split(',')
                .any(|p| p == "server")
        })
        .collect();
    assert_eq!(servers.len(), 3);
    assert!(
        devices.len() > servers.len(),
        "client devices are listed too"
    );
    assert!(devices.iter().any(|d| d["product"] == "Plex Web"));
    for d in &servers {
        for field in [
            "name",
            "product",
            "productVersion",
            "platform",
            "platformVersion",
            "device",
            "clientIdentifier",
            "createdAt",
            "lastSeenAt",
            "provides",
            "ownerId",
            "sourceTitle",
            "publicAddress",
            "accessToken",
            "owned",
            "home",
            "synced",
            "relay",
            "presence",
            "httpsRequired",
            "publicAddressMatches",
            "dnsRebindingProtection",
            "natLoopbackSupported",
            "connections",
        ] {
            assert!(d.get(field).is_some(), "missing {field} in {d}");
        }
        for c in d["connections"].as_array().unwrap() {
            for field in [
                "protocol", "address", "port", "uri", "local", "relay", "IPv6",
            ] {
                assert!(c.get(field).is_some(), "missing {field} in {c}");
            }
        }
    }
    let home = servers.iter().find(|d| d["name"] == "Home Server").unwrap();
    assert_eq!(home["owned"], true);
    assert!(home["ownerId"].is_null() && home["sourceTitle"].is_null());
    let info = sim.server("Home Server").unwrap();
    assert_eq!(home["clientIdentifier"], info.machine_identifier.as_str());
    let relay = home["connections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["relay"] == true)
        .unwrap();
    assert_eq!(relay["local"], false);
    assert_eq!(relay["protocol"], "https");

    let alice = servers
        .iter()
        .find(|d| d["name"] == "Alice's Server")
        .unwrap();
    assert_eq!(alice["owned"], false);
    assert_eq!(alice["sourceTitle"], "alice");
    assert_eq!(alice["ownerId"], 2000001);
    let alice_info = sim.server("Alice's Server").unwrap();
    assert_eq!(alice["accessToken"], alice_info.access_token.as_str());
    assert_ne!(alice_info.access_token, sim.account_token());
    // A shared server still lists connections that are local to its owner.
    let alice_conns = alice["connections"].as_array().unwrap();
    assert!(alice_conns.iter().any(|c| c["local"] == true));
    assert!(alice_conns
        .iter()
        .any(|c| c["local"] == false && c["relay"] == false));

    // Without includeRelay=1 relays are left out.
    let r = plain_client()
        .get(format!(
            "{}/api/v2/resources?includeHttps=1",
            sim.plex_tv_url()
        ))
        .header("Accept", "application/json")
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    let devices: Vec<Value> = r.json().await.unwrap();
    assert!(devices
        .iter()
        .flat_map(|d| d["connections"].as_array().unwrap().iter())
        .all(|c| c["relay"] == false));
}

#[tokio::test]
async fn resources_need_the_account_token() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let server_token = sim.servers()[0].access_token.clone();
    for token in [None, Some(server_token.as_str()), Some("nope")] {
        let mut req = plain_client()
            .get(format!("{}/api/v2/resources", sim.plex_tv_url()))
            .header("Accept", "application/json");
        if let Some(t) = token {
            req = req.header("X-Plex-Token", t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["errors"][0]["code"], 1001);
    }
}

#[tokio::test]
async fn rate_limit_answers_429_for_the_next_n_requests() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    sim.set_rate_limit(2);
    let url = format!("{}/api/v2/user", sim.plex_tv_url());
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let r = plain_client()
            .get(&url)
            .header("Accept", "application/json")
            .header("X-Plex-Token", sim.account_token())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        if status == 429 {
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["errors"][0]["code"], 1003);
        }
        statuses.push(status);
    }
    assert_eq!(statuses, vec![429, 429, 200]);
}

#[tokio::test]
async fn plex_tv_requests_are_logged() {
    let sim = Sim::start(Scenario::single_server(5, 0)).await.unwrap();
    create_pin(&sim, true).await;
    let log = sim.request_log();
    let entry = log.iter().find(|r| r.path == "/api/v2/pins").unwrap();
    assert_eq!(entry.listener, "plex.tv");
    assert_eq!(entry.method, "POST");
    assert_eq!(entry.query.as_deref(), Some("strong=true"));
    assert_eq!(
        entry.header("x-plex-client-identifier"),
        Some("test-client-1")
    );
    assert_eq!(entry.header("X-Plex-Product"), Some("PlexPicker"));
    sim.clear_log();
    assert!(sim.request_log().is_empty());
}

/// Like the real plex.tv: XML unless the client asks for JSON.
#[tokio::test]
async fn plex_tv_answers_xml_unless_json_is_asked_for() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let get = |path: &str, json: bool, token: Option<&str>| {
        let mut req = plain_client()
            .get(format!("{}{path}", sim.plex_tv_url()))
            .header("X-Plex-Client-Identifier", "test-client-1");
        if json {
            req = req.header("Accept", "application/json");
        }
        if let Some(t) = token {
            req = req.header("X-Plex-Token", t);
        }
        req.send()
    };
    let kind = |r: &reqwest::Response| {
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let token = sim.account_token().to_string();

    let r = get("/api/v2/user", false, Some(&token)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(kind(&r).starts_with("text/xml"), "{}", kind(&r));
    let body = r.text().await.unwrap();
    assert!(body.starts_with("<?xml"));
    assert!(body.contains("<user "), "{body}");
    assert!(body.contains(&format!("authToken=\"{token}\"")));
    assert!(body.contains("<subscription active=\"1\""), "{body}");
    assert!(body.contains("<roles size=\"1\"><role id=\"plexpass\" /></roles>"));

    let r = get("/api/v2/user", true, Some(&token)).await.unwrap();
    assert!(kind(&r).starts_with("application/json"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["authToken"], token.as_str());

    let r = get(
        "/api/v2/resources?includeHttps=1&includeRelay=1",
        false,
        Some(&token),
    )
    .await
    .unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains("<resources size=\"3\">"), "{body}");
    assert!(body.contains("<resource ") && body.contains("name=\"Home Server\""));
    assert!(
        body.contains("<connections size=\"5\"><connection "),
        "{body}"
    );
    assert!(body.contains("publicAddressMatches=\"1\""));

    let r = get("/api/v2/user", false, Some("wrong")).await.unwrap();
    assert_eq!(r.status(), 401);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<errors size=\"1\"><error code=\"1001\""),
        "{body}"
    );

    let r = plain_client()
        .post(format!("{}/api/v2/pins?strong=true", sim.plex_tv_url()))
        .header("X-Plex-Client-Identifier", "test-client-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<pin ") && body.contains("<location "),
        "{body}"
    );
    sim.shutdown().await;
}
