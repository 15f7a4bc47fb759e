//! "Who's watching?" in the terminal, against the simulator's `family` Home (the admin
//! simuser; Sam, protected by the PIN 1234; Kid, restricted to PG; a guest): `profiles`
//! lists them, `pick --for` asks for a protected profile's PIN on stdin (never in argv),
//! refuses a wrong one with its own kind and exit code, and picks what is new to everyone in
//! the room (checked against what the server says each of them watched) within the
//! strictest content limit; Sam's tokens reach only plex.tv and the Family Server, and no
//! file but the secret store's holds them.

mod common;

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use plex_client::{ConnectOptions, PlexClient, Token};
use plex_sim::{Scenario, Sim};
use serde_json::Value;

async fn family() -> Env {
    let env = start(
        Scenario::builtin("family")
            .expect("family")
            .pin_approve_after_ms(100),
    )
    .await;
    env.sign_in().await;
    env
}

fn all_picks(v: &Value) -> Vec<Value> {
    let mut picks = vec![v["top"].clone()];
    picks.extend(v["alternatives"].as_array().cloned().unwrap_or_default());
    picks
}

/// Runs `cmd` with `input` on its stdin, after checking that no PIN is in its arguments.
async fn run_with_stdin(env: &Env, mut cmd: Command, input: &str) -> Run {
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        assert!(
            !arg.contains("1234") && !arg.contains("0000"),
            "a PIN in argv: {arg}"
        );
    }
    cmd.stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("write the PIN");
    drop(stdin);
    let run = env.wait(child).await;
    assert_no_profile_tokens(&env.sim, &run);
    run
}

/// Every token of the Home's profiles (plex.tv's and each server's).
fn profile_tokens(sim: &Sim) -> Vec<String> {
    let mut tokens = Vec::new();
    for p in sim.profiles() {
        tokens.push(p.token.clone());
        tokens.extend(p.server_tokens.iter().map(|(_, t)| t.clone()));
    }
    tokens
}

fn assert_no_profile_tokens(sim: &Sim, run: &Run) {
    for t in profile_tokens(sim) {
        assert!(
            !run.stdout.contains(&t) && !run.stderr.contains(&t),
            "a profile token in the output: {run:?}"
        );
    }
}

/// What the server says `profile` (the account when `None`) has seen, from its own listing:
/// movies it watched, shows it finished.
async fn seen_by(sim: &Sim, profile: Option<(&str, Option<&str>)>) -> HashSet<String> {
    let mut config = plexpicker_core::client::ClientSetup::new(
        "5a1d6a0e-2b7c-4c55-9d1e-5a6b7c8d9e0f",
        "1.0",
        "Test",
        "Test",
    );
    config.plex_tv_url = Some(sim.plex_tv_url());
    config.extra_root_pems = vec![sim.ca_pem().to_string()];
    config.lookup = plexpicker_core::client::Lookup::Never;
    let client = PlexClient::new(config.config()).expect("client");
    let account = Token::new(sim.account_token());
    let server = client
        .servers(&account)
        .await
        .expect("servers")
        .into_iter()
        .find(|s| s.name == "Family Server")
        .expect("the Family Server");
    let admin = client
        .connect(&server, &account, &ConnectOptions::default())
        .await
        .expect("connects")
        .connection;
    let conn = match profile {
        None => admin,
        Some((name, pin)) => {
            let home = client.home(&account).await.expect("home");
            let user = home
                .users
                .iter()
                .find(|u| u.title == name)
                .expect("profile");
            let session = client
                .switch_profile(&account, user, pin)
                .await
                .expect("switch");
            let access = client
                .profile_access(&session, admin.machine_identifier())
                .await
                .expect("access");
            admin.for_profile(&access).expect("as the profile")
        }
    };
    let mut seen = HashSet::new();
    for section in conn.sections().await.expect("sections") {
        let items = conn
            .section_items(&section, &Default::default())
            .await
            .expect("items");
        seen.extend(
            items
                .into_iter()
                .filter(|i| match (i.viewed_leaf_count, i.leaf_count) {
                    (Some(viewed), Some(leaves)) => leaves > 0 && viewed >= leaves,
                    _ => i.view_count > 0,
                })
                .map(|i| i.rating_key),
        );
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_lists_the_home_with_sam_protected() {
    let env = family().await;
    let run = env.run(&["profiles", "--json"]).await;
    run.ok();
    let v = run.json();
    let profiles = v["profiles"].as_array().expect("profiles");
    assert_eq!(profiles.len(), 4, "{v}");
    assert_eq!(profiles[0]["name"], "simuser");
    assert_eq!(profiles[0]["admin"], true);
    assert_eq!(profiles[0]["watching"], true);
    let by_name = |n: &str| {
        profiles
            .iter()
            .find(|p| p["name"] == n)
            .unwrap_or_else(|| panic!("no {n}: {v}"))
    };
    assert_eq!(by_name("Sam")["protected"], true);
    assert_eq!(by_name("Kid")["restricted"], true);
    assert_eq!(by_name("Kid")["protected"], false);
    assert_eq!(by_name("Guest")["guest"], true);
    assert_eq!(by_name("Sam")["watching"], false);

    let text = env.run(&["profiles"]).await;
    text.ok();
    for name in ["simuser", "Sam", "Kid", "Guest", "PROTECTED"] {
        assert!(text.stdout.contains(name), "{text:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pick_for_sam_needs_his_pin_on_stdin_and_is_new_to_both_of_us() {
    let env = family().await;

    // An unknown name names the profiles there are.
    let unknown = env.run(&["pick", "--for", "Kim", "--json"]).await;
    assert_eq!(unknown.code, 2, "{unknown:?}");
    let e = unknown.error_json();
    assert_eq!(e["kind"], "usage");
    let message = e["message"].as_str().expect("message");
    assert!(
        message.contains("Kim") && message.contains("Sam") && message.contains("Guest"),
        "{message}"
    );

    // Sam is protected: without --pin, a clear usage error before anything is loaded.
    env.sim.clear_log();
    let no_pin = env.run(&["pick", "--for", "Sam", "--json"]).await;
    assert_eq!(no_pin.code, 2, "{no_pin:?}");
    let e = no_pin.error_json();
    assert_eq!(e["kind"], "usage");
    assert!(
        e["message"]
            .as_str()
            .expect("message")
            .contains("--pin Sam"),
        "{e}"
    );
    assert!(
        !env.sim.request_log().iter().any(|r| r.listener == "pms"),
        "nothing was loaded for a refused room"
    );
    // A PIN on the command line is refused, and never sent.
    let in_argv = env
        .run(&["pick", "--for", "Sam", "--pin", "Sam=9876", "--json"])
        .await;
    assert_eq!(in_argv.code, 2, "{in_argv:?}");
    assert!(in_argv.error_json()["message"]
        .as_str()
        .expect("message")
        .contains("never taken from the command line"));
    assert!(!env
        .sim
        .request_log()
        .iter()
        .any(|r| r.path.ends_with("/switch")));

    // A wrong PIN on stdin: its own kind, the auth exit code, and no room remembered.
    let wrong = run_with_stdin(
        &env,
        env.command(&["pick", "--for", "sam", "--pin", "Sam", "--json"]),
        "0000\n",
    )
    .await;
    assert_eq!(wrong.code, 3, "{wrong:?}");
    let e = wrong.error_json();
    assert_eq!(e["kind"], "wrong_pin");
    assert_eq!(e["message"], "wrong pin for Sam: try again");
    let switches: Vec<_> = env
        .sim
        .request_log()
        .into_iter()
        .filter(|r| r.path.ends_with("/switch"))
        .collect();
    assert_eq!(switches.len(), 1, "the wrong PIN was sent once");
    assert!(env.settings()["watching"]
        .as_array()
        .is_none_or(|w| w.is_empty()));

    // The right PIN on stdin: every suggestion is new to both of us.
    env.sim.clear_log();
    let mut picks = Vec::new();
    for seed in ["1", "2", "3"] {
        let run = run_with_stdin(
            &env,
            env.command(&[
                "pick",
                "--for",
                "Sam",
                "--pin",
                "Sam",
                "--history",
                "unwatched",
                "--seed",
                seed,
                "--json",
            ]),
            "1234\n",
        )
        .await;
        run.ok();
        let v = run.json();
        assert_eq!(v["for"], serde_json::json!(["simuser", "Sam"]), "{v}");
        let reason = v["top"]["reason"].as_str().expect("reason");
        assert!(reason.to_lowercase().contains("none of you"), "{reason}");
        picks.extend(all_picks(&v));
    }
    // A solo pick's output has no "for".
    let solo = env.run(&["pick", "--json"]).await;
    solo.ok();
    assert!(solo.json().get("for").is_none());

    // Sam's tokens went to plex.tv and the Family Server only, never the Friend Server.
    let log = env.sim.request_log();
    let sams: Vec<_> = log
        .iter()
        .filter(|r| {
            r.token_owner
                .as_deref()
                .is_some_and(|o| o.starts_with("profile:Sam"))
        })
        .collect();
    assert!(
        sams.iter().any(|r| r.listener == "plex.tv"),
        "Sam switched at plex.tv"
    );
    assert!(
        sams.iter()
            .any(|r| r.server.as_deref() == Some("Family Server")),
        "Sam's watch state came from the Family Server"
    );
    for r in &sams {
        assert!(
            r.listener == "plex.tv" || r.server.as_deref() == Some("Family Server"),
            "Sam's token reached {:?} {:?}",
            r.listener,
            r.server
        );
    }
    assert!(
        !log.iter()
            .any(|r| r.server.as_deref() == Some("Friend Server")
                && r.token_owner
                    .as_deref()
                    .is_some_and(|o| o.starts_with("profile:"))),
        "a profile token reached the Friend Server"
    );

    // No file but the secret store's holds Sam's tokens or the PIN.
    env.assert_no_token_in_files();
    let sam = env.sim.profile("Sam").expect("Sam");
    let mut secrets_of_sam = vec![sam.token.clone()];
    secrets_of_sam.extend(sam.server_tokens.iter().map(|(_, t)| t.clone()));
    let store = env.secrets_file();
    let mut stack = vec![env.dir.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
            if path != store {
                for t in &secrets_of_sam {
                    assert!(!text.contains(t), "Sam's token in {}", path.display());
                }
            }
            assert!(
                !text.contains("\"1234\"") && !text.contains("pin=1234"),
                "the PIN in {}",
                path.display()
            );
        }
    }

    // Checked against the server's truth, as the account and as Sam.
    let account_seen = seen_by(&env.sim, None).await;
    let sam_seen = seen_by(&env.sim, Some(("Sam", Some("1234")))).await;
    assert!(!sam_seen.is_empty() && !account_seen.is_empty());
    assert!(picks.len() >= 9, "{picks:?}");
    for p in &picks {
        let id = p["id"].as_str().expect("id");
        assert!(!account_seen.contains(id), "{p} was seen by the account");
        assert!(!sam_seen.contains(id), "{p} was seen by Sam");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pick_for_all_with_kid_stays_at_pg_or_below() {
    let env = family().await;
    for seed in ["1", "2", "3", "4"] {
        let run = run_with_stdin(
            &env,
            env.command(&[
                "pick", "--for", "all", "--pin", "Sam", "--seed", seed, "--json",
            ]),
            "1234\n",
        )
        .await;
        run.ok();
        let v = run.json();
        assert_eq!(
            v["for"],
            serde_json::json!(["simuser", "Sam", "Kid", "Guest"]),
            "{v}"
        );
        for p in all_picks(&v) {
            let rating = p["content_rating"].as_str().unwrap_or("");
            assert!(
                ["G", "PG", "TV-Y", "TV-Y7", "TV-G", "TV-PG"].contains(&rating),
                "{} ({rating}) is above Kid's limit",
                p["title"]
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_plex_tv_home_fails_clearly_and_keeps_nothing() {
    let env = family().await;

    // The Home's users cut in half: a clear error, never a panic.
    env.sim.set_home_fault(plex_sim::HomeFault::TruncatedUsers);
    let run = env.run(&["profiles", "--json"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    let e = run.error_json();
    assert_eq!(e["kind"], "invalid_response", "{e}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");

    // A refused PIN answered with 403 is still a wrong PIN.
    env.sim
        .set_home_fault(plex_sim::HomeFault::WrongPinForbidden);
    let wrong = run_with_stdin(
        &env,
        env.command(&["pick", "--for", "Sam", "--pin", "Sam", "--json"]),
        "0000\n",
    )
    .await;
    assert_eq!(wrong.code, 3, "{wrong:?}");
    assert_eq!(wrong.error_json()["kind"], "wrong_pin");

    // A switch that answers another profile's token: refused, and that token is never used.
    env.sim
        .set_home_fault(plex_sim::HomeFault::SwitchAnswersOtherProfile);
    env.sim.clear_log();
    let other = run_with_stdin(
        &env,
        env.command(&["pick", "--for", "Sam", "--pin", "Sam", "--json"]),
        "1234\n",
    )
    .await;
    assert_ne!(other.code, 0, "{other:?}");
    assert!(!other.stderr.contains("panicked"), "{other:?}");
    assert!(!other.error_json()["message"]
        .as_str()
        .unwrap_or("")
        .is_empty());
    assert!(
        !env.sim.request_log().iter().any(|r| r.listener == "pms"
            && r.token_owner
                .as_deref()
                .is_some_and(|o| o.starts_with("profile:"))),
        "a profile token reached a server"
    );
    assert!(env.settings()["watching"]
        .as_array()
        .is_none_or(|w| w.is_empty()));
    assert!(
        !std::fs::read_to_string(env.secrets_file())
            .unwrap_or_default()
            .contains("profile"),
        "no profile token kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pick_with_the_model_for_the_room_offers_it_only_what_suits_everyone() {
    use fake_provider::{Config, FakeProvider};
    let env = family().await;
    let key = "sk-room-test-key-1a2b3c";
    let fake = FakeProvider::start(Config::with_key(key))
        .await
        .expect("fake");
    let set = run_with_stdin(
        &env,
        env.command(&[
            "ai",
            "set",
            "--preset",
            "custom",
            "--url",
            &fake.base_url(),
            "--model",
            "llama3.2",
            "--key",
            "-",
            "--json",
        ]),
        &format!("{key}\n"),
    )
    .await;
    set.ok();
    let run = run_with_stdin(
        &env,
        env.command(&[
            "pick",
            "--ai",
            "--for",
            "all",
            "--pin",
            "Sam",
            "--history",
            "unwatched",
            "--json",
        ]),
        "1234\n",
    )
    .await;
    run.ok();
    let v = run.json();
    assert_eq!(v["chosen_by"], "model", "{v}");
    assert_eq!(v["for"].as_array().map(Vec::len), Some(4), "{v}");
    // Every candidate the model was offered suits the room: within Kid's limit, new to Sam.
    let sam_seen = seen_by(&env.sim, Some(("Sam", Some("1234")))).await;
    let chats = fake.chat_requests();
    assert_eq!(chats.len(), 1);
    let text = chats[0].messages_text();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix('['))
        .filter_map(|l| l.split(']').next())
        .collect();
    assert!(!ids.is_empty(), "{text}");
    for id in ids {
        assert!(
            !sam_seen.contains(id),
            "{id} was offered though Sam has seen it"
        );
    }
    for p in all_picks(&v) {
        let rating = p["content_rating"].as_str().unwrap_or("");
        assert!(
            ["G", "PG", "TV-Y", "TV-Y7", "TV-G", "TV-PG"].contains(&rating),
            "{} ({rating}) is above Kid's limit",
            p["title"]
        );
    }
}
