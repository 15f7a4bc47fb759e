//! The `/__sim/` control API on the plex.tv listener.

mod common;

use std::time::Duration;

use common::{conn, plain_client};
use plex_sim::{Fault, Scenario, Sim};
use serde_json::{json, Value};

async fn call(sim: &Sim, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}{path}", sim.plex_tv_url());
    let c = plain_client();
    let mut req = match method {
        "GET" => c.get(url),
        "DELETE" => c.delete(url),
        _ => c.post(url),
    };
    if let Some(b) = body {
        req = req
            .body(b.to_string())
            .header("Content-Type", "application/json");
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn state_and_servers_describe_the_sim() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let (status, state) = call(&sim, "GET", "/__sim/state", None).await;
    assert_eq!(status, 200);
    assert_eq!(state["plex_tv_url"], sim.plex_tv_url());
    assert_eq!(state["account_token"], sim.account_token());
    assert_eq!(state["ca_path"], sim.ca_path().display().to_string());
    assert_eq!(state["servers"][0]["name"], "Home Server");
    let (_, servers) = call(&sim, "GET", "/__sim/servers", None).await;
    assert_eq!(servers[0]["connections"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn pins_can_be_approved_over_http() {
    let sim = Sim::start(Scenario::single_server(3, 0)).await.unwrap();
    for _ in 0..2 {
        plain_client()
            .post(format!("{}/api/v2/pins", sim.plex_tv_url()))
            .header("X-Plex-Client-Identifier", "c")
            .send()
            .await
            .unwrap();
    }
    let (_, pins) = call(&sim, "GET", "/__sim/pins", None).await;
    let id = pins[0]["id"].as_u64().unwrap();
    assert_eq!(
        call(&sim, "POST", &format!("/__sim/pins/{id}/approve"), None)
            .await
            .0,
        200
    );
    assert_eq!(
        call(&sim, "POST", "/__sim/pins/1/approve", None).await.0,
        404
    );
    let (_, pins) = call(&sim, "GET", "/__sim/pins", None).await;
    assert_eq!(pins[0]["approved"], true);
    assert_eq!(pins[1]["approved"], false);
    let (_, all) = call(&sim, "POST", "/__sim/pins/approve_all", None).await;
    assert_eq!(all["approved"], 2);
    assert!(sim.pins().iter().all(|p| p.approved));
}

#[tokio::test]
async fn faults_latency_and_certificates_over_http() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let (status, c) = call(
        &sim,
        "POST",
        "/__sim/connections/home-local-http/fault",
        Some(json!("http500")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(c["fault"], "http500");
    let uri = conn(&sim, "home-local-http").uri;
    assert_eq!(
        plain_client()
            .get(format!("{uri}/identity"))
            .send()
            .await
            .unwrap()
            .status(),
        500
    );
    let (status, c) = call(
        &sim,
        "POST",
        "/__sim/connections/home-local-http/fault",
        Some(json!({"trickle": {"bytes_per_sec": 1000}})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        conn(&sim, "home-local-http").fault,
        Fault::Trickle {
            bytes_per_sec: 1000
        }
    );
    assert_eq!(c["fault"]["trickle"]["bytes_per_sec"], 1000);
    assert_eq!(
        call(
            &sim,
            "POST",
            "/__sim/connections/home-local-http/fault",
            Some(json!("bogus"))
        )
        .await
        .0,
        400
    );
    assert_eq!(
        call(
            &sim,
            "POST",
            "/__sim/connections/nope/fault",
            Some(json!("hang"))
        )
        .await
        .0,
        404
    );

    let (status, c) = call(
        &sim,
        "POST",
        "/__sim/connections/home-local-http/latency",
        Some(json!({"latency_ms": 250})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(c["latency_ms"], 250);

    let before = conn(&sim, "home-local-self-signed")
        .self_signed_sha256
        .unwrap();
    let (status, rotated) = call(
        &sim,
        "POST",
        "/__sim/connections/home-local-self-signed/rotate_cert",
        None,
    )
    .await;
    assert_eq!(status, 200);
    let after = rotated["sha256"].as_str().unwrap();
    assert_ne!(after, before);
    assert_eq!(
        conn(&sim, "home-local-self-signed")
            .self_signed_sha256
            .as_deref(),
        Some(after)
    );
}

#[tokio::test]
async fn rate_limit_and_log_over_http() {
    let sim = Sim::start(Scenario::single_server(3, 0)).await.unwrap();
    assert_eq!(
        call(
            &sim,
            "POST",
            "/__sim/rate_limit",
            Some(json!({"next_requests": 1}))
        )
        .await
        .0,
        200
    );
    let user = format!("{}/api/v2/user", sim.plex_tv_url());
    let r = plain_client()
        .get(&user)
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let r = plain_client()
        .get(&user)
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let uri = conn(&sim, "test-http").uri;
    plain_client()
        .get(format!("{uri}/identity?x=1"))
        .header("X-Test", "yes")
        .send()
        .await
        .unwrap();
    let (_, log) = call(&sim, "GET", "/__sim/log", None).await;
    let log = log.as_array().unwrap();
    // Control calls are not logged; plex.tv and PMS requests are.
    assert!(log
        .iter()
        .all(|r| !r["path"].as_str().unwrap().starts_with("/__sim")));
    let pms = log.iter().find(|r| r["listener"] == "pms").unwrap();
    assert_eq!(pms["path"], "/identity");
    assert_eq!(pms["query"], "x=1");
    assert_eq!(pms["connection_id"], "test-http");
    assert!(pms["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h[0] == "x-test" && h[1] == "yes"));
    assert_eq!(call(&sim, "DELETE", "/__sim/log", None).await.0, 200);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert!(sim.request_log().is_empty());
}
