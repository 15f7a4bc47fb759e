//! Servers, the connection race (with and without a diagnosis), libraries, and the
//! unreachable-server path.

mod common;

use common::*;
use plex_sim::Fault;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_as_a_table_and_as_json() {
    let env = builtin("friends").await;
    env.sign_in().await;
    let run = env.run(&["servers"]).await;
    run.ok();
    let home = run
        .stdout
        .lines()
        .find(|l| l.contains("Home Server"))
        .expect("home row");
    assert!(home.contains("owned") && home.contains("yes"), "{home}");
    assert!(run.stdout.contains("shared by alice"), "{run:?}");
    assert!(run.stdout.contains("shared by bob"), "{run:?}");
    assert!(!run.stdout.contains("Chrome"), "clients are not servers");

    let run = env.run(&["servers", "--json"]).await;
    run.ok();
    let v = run.json();
    let list = v["servers"].as_array().expect("servers");
    assert_eq!(list.len(), 3);
    let by_name = |n: &str| -> &Value {
        list.iter()
            .find(|s| s["name"] == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(by_name("Home Server")["ownership"]["kind"], "owned");
    assert_eq!(by_name("Alice's Server")["ownership"]["kind"], "shared");
    assert_eq!(by_name("Alice's Server")["ownership"]["owner"], "alice");
    assert_eq!(
        by_name("Bob's Plex")["machine_identifier"],
        env.machine_id("Bob's Plex")
    );
    assert!(list
        .iter()
        .all(|s| s["online"] == true && s["chosen"] == false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_diagnose_shows_every_route_of_a_hostile_server() {
    let env = builtin("hostile").await;
    env.sign_in().await;
    let run = env.run(&["connect", "--diagnose"]).await;
    run.ok();
    assert!(
        run.stdout.contains("Connected to Hostile Server"),
        "{run:?}"
    );
    for header in ["URI", "ROUTE", "SECURITY", "OUTCOME"] {
        assert!(run.stdout.contains(header), "{run:?}");
    }
    assert!(run.stdout.contains("connection refused"), "{run:?}");
    assert!(run.stdout.contains("wrong server answered"), "{run:?}");
    assert!(run.stdout.contains("connected in"), "{run:?}");

    let run = env.run(&["connect", "--diagnose", "--json"]).await;
    run.ok();
    let v = run.json();
    let healthy = env.sim.connection("hostile-healthy").expect("healthy");
    assert_eq!(v["connection"]["uri"], healthy.uri.as_str());
    assert_eq!(v["connection"]["locality"], "remote");
    assert_eq!(v["connection"]["security"], "verified_https");
    assert_eq!(v["connection"]["fast_path"], false);
    let cands = v["candidates"].as_array().expect("candidates");
    assert!(cands.len() >= 10, "{v}");
    let connected: Vec<&Value> = cands
        .iter()
        .filter(|c| c["outcome"] == "connected")
        .collect();
    assert_eq!(connected.len(), 1);
    assert!(connected[0]["latency_ms"].as_u64().is_some());
    assert!(cands.iter().any(|c| c["outcome"] == "refused"));
    assert!(cands.iter().any(|c| c["outcome"] == "wrong_server"));
    for c in cands {
        assert!(["local", "remote", "relay"].contains(&c["locality"].as_str().unwrap_or("")));
        assert!(c["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }

    // The server and the winning route are remembered; the next connect takes the fast path.
    let s = env.settings();
    assert_eq!(s["server"]["name"], "Hostile Server");
    assert_eq!(
        s["last_connections"][env.machine_id("Hostile Server")],
        healthy.uri.as_str()
    );
    let run = env.run(&["connect", "--json"]).await;
    run.ok();
    assert_eq!(run.json()["connection"]["fast_path"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_flag_chooses_and_connect_remembers() {
    let env = builtin("friends").await;
    env.sign_in().await;
    let run = env
        .run(&[
            "connect",
            "--server",
            "Alice's Server",
            "--diagnose",
            "--json",
        ])
        .await;
    run.ok();
    let v = run.json();
    assert_eq!(v["server"]["name"], "Alice's Server");
    // Local routes of a server shared with you are skipped, with the reason.
    let cands = v["candidates"].as_array().expect("candidates");
    assert!(cands
        .iter()
        .any(|c| c["outcome"] == "skipped" && c["locality"] == "local"));
    assert_eq!(env.settings()["server"]["name"], "Alice's Server");

    // By machine identifier, and remembered for the next commands.
    let bob = env.machine_id("Bob's Plex");
    env.run(&["connect", "--server", &bob]).await.ok();
    let run = env.run(&["libraries", "--json"]).await;
    run.ok();
    let v = run.json();
    assert_eq!(v["server"]["name"], "Bob's Plex");
    let libs = v["libraries"].as_array().expect("libraries");
    assert_eq!(libs.len(), 1, "music is not listed: {v}");
    assert_eq!(libs[0]["title"], "Films");
    assert_eq!(libs[0]["count"], 80);

    let run = env
        .run(&["connect", "--server", "Nobody's", "--json"])
        .await;
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.error_json()["kind"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libraries_lists_movie_and_show_sections_with_counts() {
    let env = builtin("home").await;
    env.sign_in().await;
    let run = env.run(&["libraries", "--json"]).await;
    run.ok();
    let v = run.json();
    let libs = v["libraries"].as_array().expect("libraries");
    let find = |t: &str| libs.iter().find(|l| l["title"] == t).cloned();
    let movies = find("Movies").expect("movies");
    assert_eq!(movies["kind"], "movie");
    assert_eq!(movies["count"], 300);
    let shows = find("TV Shows").expect("shows");
    assert_eq!(shows["kind"], "show");
    assert_eq!(shows["count"], 40);
    assert_eq!(libs.len(), 2, "music and photos are left out: {v}");
    // One request per section: a page of size 0 carries the total.
    let all_requests = env
        .sim
        .request_log()
        .iter()
        .filter(|r| r.listener == "pms" && r.path.ends_with("/all"))
        .count();
    assert_eq!(all_requests, 2);

    let run = env.run(&["libraries"]).await;
    run.ok();
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Movies"))
        .expect("row");
    assert!(row.contains("movie") && row.contains("300"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_exits_4_with_the_diagnosis() {
    let env = builtin("home").await;
    env.sign_in().await;
    let home = env.sim.server("Home Server").expect("home");
    for c in &home.connections {
        let fault = if c.id == "home-relay" {
            Fault::Hang
        } else {
            Fault::Refuse
        };
        assert!(env.sim.set_fault(&c.id, fault));
    }
    let mut cmd = env.command(&["connect"]);
    cmd.env("PLEXPICKER_PROBE_TIMEOUT_MS", "1000");
    let run = env.run_cmd(cmd).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run
        .stderr
        .starts_with("error: no working connection to Home Server"));
    assert!(run.stderr.contains("connection refused"), "{run:?}");
    assert!(run.stderr.contains("timed out"), "{run:?}");

    let mut cmd = env.command(&["pick", "--json"]);
    cmd.env("PLEXPICKER_PROBE_TIMEOUT_MS", "1000");
    let run = env.run_cmd(cmd).await;
    assert_eq!(run.code, 4, "{run:?}");
    let e = run.error_json();
    assert_eq!(e["kind"], "unreachable");
    let cands = e["details"]["candidates"].as_array().expect("diagnosis");
    assert!(!cands.is_empty());
    assert!(cands.iter().all(|c| c["outcome"] != "connected"));
    assert_eq!(e["details"]["server"]["name"], "Home Server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_any_dns_the_direct_ip_route_still_connects() {
    let env = builtin("hostile").await;
    env.sign_in().await;
    let mut cmd = env.command(&["connect", "--diagnose", "--json"]);
    cmd.env_remove("PLEXPICKER_DNS_OVERRIDES")
        .env("PLEXPICKER_NO_DNS", "1");
    let run = env.run_cmd(cmd).await;
    run.ok();
    let v = run.json();
    assert_eq!(v["connection"]["direct_ip"], "127.0.0.3");
    let cands = v["candidates"].as_array().expect("candidates");
    // Each plex.direct name is raced twice: by name (which needs a lookup) and by the IP in its
    // first label (which does not). With no DNS a by-name route either was looked up and
    // failed ("name_not_resolved") or was never started because another route had won
    // ("skipped", saying so); it never gets as far as a connection, and at least one lookup
    // really was attempted.
    let by_name: Vec<&serde_json::Value> = cands
        .iter()
        .filter(|c| {
            c["direct_ip"].is_null()
                && c["uri"]
                    .as_str()
                    .is_some_and(|u| u.contains(".plex.direct"))
        })
        .collect();
    let looked_up = by_name
        .iter()
        .filter(|c| c["outcome"] == "name_not_resolved")
        .count();
    assert!(looked_up > 0, "no lookup was attempted: {cands:?}");
    for c in &by_name {
        let never_started = c["outcome"] == "skipped"
            && c["detail"]
                .as_str()
                .is_some_and(|d| d.contains("another route won"));
        assert!(
            c["outcome"] == "name_not_resolved" || never_started,
            "a by-name route got past its lookup: {c}"
        );
    }
    // The winner is a by-IP route.
    let winner = cands
        .iter()
        .find(|c| c["outcome"] == "connected")
        .expect("a winner");
    assert_eq!(winner["direct_ip"], "127.0.0.3", "{winner}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_is_pinned_and_a_changed_one_refused() {
    let env = builtin("home").await;
    env.sign_in().await;
    for id in [
        "home-local-http",
        "home-local-plex-direct",
        "home-remote-plex-direct",
        "home-relay",
    ] {
        assert!(env.sim.set_fault(id, Fault::Refuse));
    }
    let run = env.run(&["connect", "--json"]).await;
    run.ok();
    let v = run.json();
    assert_eq!(v["connection"]["security"], "pinned_https");
    let place = v["new_certificate_pin"]
        .as_str()
        .expect("a new pin")
        .to_string();
    let pinned = env.settings()["pins"][&place].clone();
    let ss = env.sim.connection("home-local-self-signed").expect("ss");
    assert_eq!(pinned, ss.self_signed_sha256.clone().expect("sha").as_str());

    // Same certificate: accepted quietly.
    let run = env.run(&["connect", "--json"]).await;
    run.ok();
    assert!(run.json()["new_certificate_pin"].is_null());

    // Another certificate at the same place: refused, exit 4, said.
    env.sim
        .rotate_self_signed("home-local-self-signed")
        .expect("rotated");
    let mut cmd = env.command(&["connect"]);
    cmd.env("PLEXPICKER_PROBE_TIMEOUT_MS", "1000");
    let run = env.run_cmd(cmd).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("certificate changed"), "{run:?}");
    assert!(run.stderr.contains("--trust-new-certificate"), "{run:?}");

    // Trusting it re-pins and connects.
    let mut cmd = env.command(&["connect", "--trust-new-certificate", "--json"]);
    cmd.env("PLEXPICKER_PROBE_TIMEOUT_MS", "1000");
    let run = env.run_cmd(cmd).await;
    run.ok();
    let rotated = env.sim.connection("home-local-self-signed").expect("ss");
    assert_eq!(
        env.settings()["pins"][&place],
        rotated.self_signed_sha256.clone().expect("sha").as_str()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_file_adds_a_trusted_root() {
    let env = builtin("hostile").await;
    env.sign_in().await;
    let ca = env.sim.ca_path().display().to_string();
    // Without the simulator's CA nothing verifies: the one healthy route fails its TLS check.
    let mut cmd = env.command(&["connect", "--diagnose"]);
    cmd.env_remove("SSL_CERT_FILE")
        .env("PLEXPICKER_PROBE_TIMEOUT_MS", "1000");
    let run = env.run_cmd(cmd).await;
    assert_eq!(run.code, 4, "{run:?}");
    assert!(run.stderr.contains("certificate not trusted"), "{run:?}");
    // With --ca-file it does.
    let mut cmd = env.command(&["connect", "--ca-file", &ca, "--json"]);
    cmd.env_remove("SSL_CERT_FILE");
    let run = env.run_cmd(cmd).await;
    run.ok();
    assert_eq!(run.json()["connection"]["security"], "verified_https");
    // A missing file is a usage error.
    let run = env
        .run(&["connect", "--ca-file", "/nonexistent/ca.pem"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plex_tv_down_is_a_network_error() {
    let env = builtin("home").await;
    env.sign_in().await;
    // A port on loopback nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let mut cmd = env.command(&["servers", "--json"]);
    cmd.env("PLEXPICKER_PLEX_TV_URL", format!("http://127.0.0.1:{port}"));
    let run = env.run_cmd(cmd).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.error_json()["kind"], "network");
    assert!(run.error_json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("--plex-tv-url")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_server_that_is_gone_falls_back_with_a_note() {
    let env = builtin("friends").await;
    env.sign_in().await;
    env.run(&["connect", "--server", "Bob's Plex"]).await.ok();
    let mut s = env.settings();
    s["server"] = serde_json::json!({"id": "gone-gone-gone", "name": "Old Box"});
    std::fs::write(env.config(), serde_json::to_vec(&s).expect("json")).expect("w");
    let run = env.run(&["libraries", "--json"]).await;
    run.ok();
    assert_eq!(run.json()["server"]["name"], "Home Server");
    assert!(run.stderr.contains("\"server_gone\""), "{run:?}");
    assert!(run.stderr.contains("Old Box"), "{run:?}");
}
