//! Several processes at once, and a process killed mid-write: the settings file is changed
//! only under its lock and after a re-read, and always replaced whole.

mod common;

use std::process::Child;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

fn picked_ids(settings: &Value) -> Vec<String> {
    settings["history"]["entries"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["event"]["kind"] == "picked")
        .map(|e| e["title_id"].as_str().expect("id").to_string())
        .collect()
}

async fn wait_all(env: &Env, children: Vec<Child>) -> Vec<Run> {
    let mut runs = Vec::new();
    for c in children {
        runs.push(env.wait(c).await);
    }
    runs
}

/// `logout` in one terminal while `pick` runs in another, 50 times: the logout is never undone
/// by the pick finishing, and every pick that succeeded is in the history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_racing_pick_loses_nothing() {
    let env = builtin("home").await;
    env.sign_in().await;
    // The first pick loads the catalog into the cache; the racing ones read it.
    env.run(&["pick", "--json"]).await.ok();
    let mut expected = picked_ids(&env.settings()).len();
    let mut picks_that_won = 0;
    for round in 0..50 {
        env.sign_in().await;
        let pick = env.command(&["pick", "--json"]).spawn().expect("pick");
        let logout = env.command(&["logout", "--json"]).spawn().expect("logout");
        let runs = wait_all(&env, vec![pick, logout]).await;
        runs[1].ok();
        let s = env.settings();
        assert!(
            s["account"].is_null(),
            "round {round}: the logout was undone: {runs:?}"
        );
        assert_eq!(env.account_secret(), None, "round {round}: token left");
        match runs[0].code {
            0 => {
                expected += 1;
                picks_that_won += 1;
                let top = runs[0].json()["top"]["id"]
                    .as_str()
                    .expect("top id")
                    .to_string();
                let ids = picked_ids(&s);
                assert_eq!(ids.len(), expected, "round {round}: a pick was lost");
                assert_eq!(ids.last(), Some(&top));
            }
            3 => assert_eq!(picked_ids(&s).len(), expected, "round {round}"),
            other => panic!("round {round}: pick exited {other}: {:?}", runs[0]),
        }
    }
    eprintln!("{picks_that_won} of 50 picks finished before their logout");
}

/// SIGKILL at random points while the CLI saves: every start afterwards finds the old or the
/// new settings, never a damaged file (nothing is set aside, the account is still there).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_during_saves_never_leaves_a_damaged_file() {
    let env = builtin("home").await;
    env.sign_in().await;
    // A large history makes each save a large write, so kills land inside writes.
    let mut s = env.settings();
    let entries: Vec<Value> = (0..1900)
        .map(|i| {
            serde_json::json!({
                "title_id": format!("{}", 100_000 + i),
                "at": 1_900_000_000i64 - i64::from(i),
                "event": {"kind": "picked"}
            })
        })
        .collect();
    s["history"]["entries"] = Value::Array(entries);
    std::fs::write(env.config(), serde_json::to_vec_pretty(&s).expect("json")).expect("w");

    let started = Instant::now();
    env.run(&["not-this-one", "1", "--why", "seen-it", "--json"])
        .await
        .ok();
    let one_run = started.elapsed().max(Duration::from_millis(5));

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7);
    eprintln!("seed {seed}, one save takes {one_run:?}");
    let mut rng = seed | 1;
    let mut kills = 0;
    for round in 0..40 {
        // xorshift: a random point in the run, as long as one whole run.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let at = Duration::from_micros(rng % (one_run.as_micros() as u64 + 1));
        let title = format!("{}", 500 + round);
        let mut child = env
            .command(&["not-this-one", &title, "--why", "seen-it", "--json"])
            .spawn()
            .expect("spawn");
        tokio::time::sleep(at).await;
        if child.try_wait().expect("try_wait").is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let _ = env.wait(child).await;

        let run = env.run(&["moods", "--json"]).await;
        run.ok();
        assert!(
            !run.stderr.contains("warning"),
            "round {round} (seed {seed}): {run:?}"
        );
        let s = env.settings();
        assert_eq!(s["schema_version"], 2, "round {round} (seed {seed})");
        assert!(!s["account"].is_null(), "round {round} (seed {seed})");
        let names: Vec<String> = std::fs::read_dir(env.dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains(".damaged-") || n.contains(".newer-")),
            "round {round} (seed {seed}): {names:?}"
        );
    }
    eprintln!("{kills} of 40 runs were killed before they finished");
    env.run(&["servers", "--json"]).await.ok();
}

/// A settings file from before the secret store (schema 1, token inside): the next command
/// moves the token out of it and stays signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_settings_file_is_migrated_without_signing_in_again() {
    let env = builtin("home").await;
    let old = serde_json::json!({
        "schema_version": 1,
        "client_identifier": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
        "account": {"token": env.sim.account_token(), "username": "simuser"},
        "server": null,
        "connections": {},
        "cert_pins": {},
        "history": {"entries": []}
    });
    std::fs::write(env.config(), old.to_string()).expect("w");
    let run = env.run(&["servers", "--json"]).await;
    run.ok();
    assert!(run.json()["servers"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    // Said once: the token is now in a file of its own (no keychain in the tests).
    assert!(run.stderr.contains("secrets_in_file"), "{run:?}");
    let s = env.settings();
    assert_eq!(s["schema_version"], 2);
    assert_eq!(s["account"]["name"], "simuser");
    assert_eq!(
        env.account_secret(),
        Some(env.sim.account_token().to_string())
    );
    env.assert_no_token_in_files();
    // The next run says nothing more.
    let run = env.run(&["servers", "--json"]).await;
    run.ok();
    assert!(!run.stderr.contains("secrets_in_file"), "{run:?}");
}
