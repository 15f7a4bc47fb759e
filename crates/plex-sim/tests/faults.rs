//! Faults on connections: set by the scenario and changed at run time.

mod common;

use std::time::{Duration, Instant};

use common::{conn, insecure_client, plain_client, trusting_client};
use plex_sim::{ConnectionKind, ConnectionSpec, Fault, LibraryKind, Scenario, ServerSpec, Sim};
use serde_json::Value;

async fn one(fault: Fault, kind: ConnectionKind) -> (Sim, String) {
    let scenario = Scenario::new("fault").with_server(
        ServerSpec::owned("Faulty")
            .library(LibraryKind::Movie, "Movies", 30)
            .connection(ConnectionSpec::new(kind, "127.0.0.2").id("c").fault(fault)),
    );
    let sim = Sim::start(scenario).await.unwrap();
    let uri = conn(&sim, "c").uri;
    (sim, uri)
}

fn quick(sim: &Sim, timeout_ms: u64) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_millis(timeout_ms))
        .no_proxy();
    for s in sim.servers() {
        for c in s.connections {
            b = b.resolve(&c.host, c.addr);
        }
    }
    b.build().unwrap()
}

#[tokio::test]
async fn hang_accepts_and_never_answers() {
    let (sim, uri) = one(Fault::Hang, ConnectionKind::HttpsPlexDirect).await;
    let t = Instant::now();
    let err = quick(&sim, 500)
        .get(format!("{uri}/identity"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(t.elapsed() >= Duration::from_millis(450));
    // The request did arrive.
    assert_eq!(sim.request_log().len(), 1);
    // Cleared at run time: answers again.
    sim.set_fault("c", Fault::None);
    let r = quick(&sim, 3000)
        .get(format!("{uri}/identity"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn refuse_closes_the_port_and_reopens_it() {
    let (sim, uri) = one(Fault::Refuse, ConnectionKind::Http).await;
    let addr = conn(&sim, "c").addr;
    let err = tokio::net::TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(plain_client()
        .get(format!("{uri}/identity"))
        .send()
        .await
        .unwrap_err()
        .is_connect());
    sim.set_fault("c", Fault::None);
    let mut ok = false;
    for _ in 0..40 {
        if let Ok(r) = plain_client().get(format!("{uri}/identity")).send().await {
            ok = r.status() == 200;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(ok, "listener reopened on the same port");
    // And closed again at run time, including the client's idle pooled connection.
    let client = plain_client();
    assert_eq!(
        client
            .get(format!("{uri}/identity"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    sim.set_fault("c", Fault::Refuse);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    assert!(client.get(format!("{uri}/identity")).send().await.is_err());
}

#[tokio::test]
async fn reset_mid_body_breaks_the_body() {
    for kind in [ConnectionKind::Http, ConnectionKind::HttpsSelfSigned] {
        let (sim, uri) = one(Fault::ResetMidBody, kind).await;
        let r = quick(&sim, 3000)
            .get(format!("{uri}/library/sections/1/all"))
            .header("Accept", "application/json")
            .header("X-Plex-Token", sim.account_token())
            .send()
            .await;
        // Either the headers arrive and the body fails, or the reset wins the race.
        if let Ok(r) = r {
            assert_eq!(r.status(), 200);
            let body = r.bytes().await;
            assert!(body.is_err(), "{kind:?}: body should fail");
        }
    }
}

#[tokio::test]
async fn wrong_identity_claims_another_machine_identifier() {
    let (sim, uri) = one(Fault::WrongIdentity, ConnectionKind::HttpsPlexDirect).await;
    let real = sim.servers()[0].machine_identifier.clone();
    let r = trusting_client(&sim)
        .get(format!("{uri}/identity"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    let claimed = v["MediaContainer"]["machineIdentifier"].as_str().unwrap();
    assert_eq!(claimed.len(), 40);
    assert_ne!(claimed, real);
}

#[tokio::test]
async fn http500_answers_500() {
    let (sim, uri) = one(Fault::Http500, ConnectionKind::Http).await;
    let r = plain_client()
        .get(format!("{uri}/identity"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let _ = sim;
}

#[tokio::test]
async fn truncated_and_malformed_json_do_not_parse() {
    for fault in [Fault::TruncatedJson, Fault::MalformedJson] {
        let (sim, uri) = one(fault, ConnectionKind::Http).await;
        let r = plain_client()
            .get(format!("{uri}/library/sections"))
            .header("Accept", "application/json")
            .header("X-Plex-Token", sim.account_token())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("json"));
        let text = r.text().await.unwrap();
        assert!(!text.is_empty());
        assert!(
            serde_json::from_str::<Value>(&text).is_err(),
            "{fault:?}: {text}"
        );
    }
}

#[tokio::test]
async fn trickle_sends_slowly() {
    let (sim, uri) = one(Fault::Trickle { bytes_per_sec: 400 }, ConnectionKind::Http).await;
    let t = Instant::now();
    let r = quick(&sim, 10_000)
        .get(format!("{uri}/identity"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    let took = t.elapsed();
    // Head + body are a few hundred bytes at 400 B/s.
    assert!(body.contains("machineIdentifier"));
    assert!(took >= Duration::from_millis(500), "{took:?}");
    // Too slow for a short timeout.
    let err = quick(&sim, 300).get(format!("{uri}/identity")).send().await;
    match err {
        Err(e) => assert!(e.is_timeout()),
        Ok(r) => assert!(r.text().await.is_err()),
    }
}

#[tokio::test]
async fn latency_is_added_and_changeable_at_run_time() {
    let (sim, uri) = one(Fault::None, ConnectionKind::Http).await;
    let c = plain_client();
    let t = Instant::now();
    c.get(format!("{uri}/identity")).send().await.unwrap();
    let base = t.elapsed();
    assert!(sim.set_latency("c", 400));
    let t = Instant::now();
    c.get(format!("{uri}/identity")).send().await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?} vs {base:?}",
        t.elapsed()
    );
    assert!(!sim.set_fault("nope", Fault::Hang));
}

#[tokio::test]
async fn faults_change_at_run_time() {
    let (sim, uri) = one(Fault::None, ConnectionKind::HttpsSelfSigned).await;
    let c = insecure_client(&sim);
    assert_eq!(
        c.get(format!("{uri}/identity"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    sim.set_fault("c", Fault::Http500);
    assert_eq!(conn(&sim, "c").fault, Fault::Http500);
    assert_eq!(
        c.get(format!("{uri}/identity"))
            .send()
            .await
            .unwrap()
            .status(),
        500
    );
    sim.set_fault("c", Fault::None);
    assert_eq!(
        c.get(format!("{uri}/identity"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn hostile_has_every_fault_and_exactly_one_healthy_plex_direct() {
    let sim = Sim::start(Scenario::builtin("hostile").unwrap())
        .await
        .unwrap();
    let server = &sim.servers()[0];
    let faults: Vec<Fault> = server.connections.iter().map(|c| c.fault).collect();
    for f in [
        Fault::Hang,
        Fault::Refuse,
        Fault::ResetMidBody,
        Fault::WrongIdentity,
        Fault::Http500,
        Fault::TruncatedJson,
        Fault::MalformedJson,
    ] {
        assert!(faults.contains(&f), "{f:?}");
    }
    assert!(faults.iter().any(|f| matches!(f, Fault::Trickle { .. })));
    let healthy: Vec<_> = server
        .connections
        .iter()
        .filter(|c| c.fault == Fault::None && c.kind == ConnectionKind::HttpsPlexDirect)
        .collect();
    assert_eq!(healthy.len(), 1);
    assert_eq!(healthy[0].id, "hostile-healthy");
    // Probe all at once: only the healthy one returns a verified identity.
    let client = quick(&sim, 2000);
    let mut tasks = Vec::new();
    for c in server.connections.clone() {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let r = client
                .get(format!("{}/identity", c.uri))
                .header("Accept", "application/json")
                .send()
                .await;
            let ok = match r {
                Ok(r) if r.status() == 200 => r.json::<Value>().await.ok().map(|v| {
                    v["MediaContainer"]["machineIdentifier"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                }),
                _ => None,
            };
            (c.id, ok)
        }));
    }
    let mut good = Vec::new();
    for t in tasks {
        let (id, claimed) = t.await.unwrap();
        if claimed.as_deref() == Some(server.machine_identifier.as_str()) {
            good.push(id);
        }
    }
    assert_eq!(good, vec!["hostile-healthy".to_string()]);
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap()
}

#[tokio::test]
async fn redirect_points_token_requests_elsewhere() {
    let (sim, uri) = one(Fault::Redirect, ConnectionKind::Http).await;
    let token = sim.account_token().to_string();
    let c = no_redirects();
    // /identity (no token) still answers: the server looks genuine.
    let r = c.get(format!("{uri}/identity")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{uri}/library/sections?x=1"))
        .header("X-Plex-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("{}/library/sections?x=1", sim.elsewhere_url()));
    assert!(sim.request_log().iter().all(|r| r.listener != "elsewhere"));
    // Whoever follows it shows up in the log as "elsewhere", token and all.
    let r = c
        .get(&to)
        .header("X-Plex-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let log = sim.request_log();
    let there: Vec<_> = log.iter().filter(|r| r.listener == "elsewhere").collect();
    assert_eq!(there.len(), 1);
    assert!(there[0].carries_token());
    // plex.tv can redirect too.
    sim.set_plex_tv_redirect(true);
    let r = c
        .get(format!("{}/api/v2/user", sim.plex_tv_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(&sim.elsewhere_url()));
}

async fn page(sim: &Sim, uri: &str, start: u32, size: u32) -> (Value, reqwest::header::HeaderMap) {
    let r = plain_client()
        .get(format!(
            "{uri}/library/sections/1/all?X-Plex-Container-Start={start}&X-Plex-Container-Size={size}"
        ))
        .header("Accept", "application/json")
        .header("X-Plex-Token", sim.account_token())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let headers = r.headers().clone();
    (r.json().await.unwrap(), headers)
}

#[tokio::test]
async fn lying_listings() {
    let (sim, uri) = one(Fault::LyingTotalSize, ConnectionKind::Http).await;
    let (v, h) = page(&sim, &uri, 20, 5).await;
    assert_eq!(
        v["MediaContainer"]["totalSize"],
        plex_sim::fault::LYING_TOTAL_SIZE
    );
    assert_eq!(h["X-Plex-Container-Total-Size"], "1000000000000");
    assert_eq!(v["MediaContainer"]["Metadata"].as_array().unwrap().len(), 5);
    // Past the 30 real items: empty, whatever totalSize says.
    let (v, _) = page(&sim, &uri, 30, 5).await;
    assert!(v["MediaContainer"]["Metadata"].is_null());

    let (sim, uri) = one(Fault::IgnoreOffsets, ConnectionKind::Http).await;
    let (first, _) = page(&sim, &uri, 0, 10).await;
    let (later, _) = page(&sim, &uri, 20, 10).await;
    assert_eq!(
        first["MediaContainer"]["Metadata"],
        later["MediaContainer"]["Metadata"]
    );
    assert!(first["MediaContainer"].get("totalSize").is_none());

    let (sim, uri) = one(
        Fault::OversizedPage { bytes: 300_000 },
        ConnectionKind::Http,
    )
    .await;
    let (v, _) = page(&sim, &uri, 0, 10).await;
    let items = v["MediaContainer"]["Metadata"].as_array().unwrap();
    assert_eq!(items.len(), 100_000);
    assert!(items
        .iter()
        .all(|i| i.as_object().is_some_and(|o| o.is_empty())));
}

/// `slow_handshake` holds each new connection before its TLS handshake (nothing is read, so
/// nothing is logged, until then); once the handshake is done, requests on that connection
/// are not delayed.
#[tokio::test]
async fn slow_handshake_delays_each_new_connection_not_each_request() {
    let fault: Fault = serde_json::from_str(r#"{"slow_handshake":{"ms":1200}}"#).unwrap();
    assert_eq!(fault, Fault::SlowHandshake { ms: 1200 });
    let (sim, uri) = one(fault, ConnectionKind::HttpsSelfSigned).await;
    // A client that gives up before the handshake: nothing reached the server.
    let err = quick(&sim, 400)
        .get(format!("{uri}/identity"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(sim.request_log().is_empty());
    let c = quick(&sim, 10_000);
    let t = Instant::now();
    let r = c.get(format!("{uri}/identity")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(1150),
        "{:?}",
        t.elapsed()
    );
    // The same (kept-alive) connection: no new handshake, no wait.
    let r = c
        .get(format!("{uri}/identity"))
        .timeout(Duration::from_millis(600))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sim.request_log().len(), 2);

    // Plain http: the request is read only after the wait.
    let (sim, uri) = one(Fault::SlowHandshake { ms: 800 }, ConnectionKind::Http).await;
    let t = Instant::now();
    let r = plain_client()
        .get(format!("{uri}/identity"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        t.elapsed() >= Duration::from_millis(750),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(sim.request_log().len(), 1);
}

/// `short_pages`: the first page is whole, every later one holds half what was asked
/// (rounded up), with the real total.
#[tokio::test]
async fn short_pages_halve_every_page_after_the_first() {
    let (sim, uri) = one(Fault::ShortPages, ConnectionKind::Http).await;
    let len = |v: &Value| {
        v["MediaContainer"]["Metadata"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let (v, _) = page(&sim, &uri, 0, 10).await;
    assert_eq!(len(&v), 10);
    let (v, h) = page(&sim, &uri, 10, 10).await;
    assert_eq!(len(&v), 5);
    assert_eq!(v["MediaContainer"]["totalSize"], 30);
    assert_eq!(h["X-Plex-Container-Start"], "10");
    let (v, _) = page(&sim, &uri, 15, 5).await;
    assert_eq!(len(&v), 3);
}
