//! Signing in: the PIN flow (approved in the simulator), `login --token`, expiry, logout, and
//! "not signed in".

mod common;

use common::*;
use plex_sim::Scenario;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_pin_approved_in_the_simulator() {
    let env = builtin("home").await;
    let child = env.command(&["login", "--json"]).spawn().expect("spawn");
    let id = wait_for_pin(&env.sim).await;
    assert!(env.sim.approve_pin(id));
    let run = env.wait(child).await;
    run.ok();
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert_eq!(lines[0]["event"], "pin_created");
    let code = lines[0]["code"].as_str().expect("code");
    assert!(code.len() >= 20, "strong code: {code}");
    let url = lines[0]["auth_url"].as_str().expect("url");
    assert!(url.starts_with(&format!("{}/auth#?clientID=", env.sim.plex_tv_url())));
    assert!(url.contains(&format!("&code={code}")));
    assert_eq!(lines[0]["browser_opened"], false);
    assert_eq!(lines[1]["event"], "signed_in");
    assert_eq!(lines[1]["username"], "simuser");
    assert_eq!(lines[1]["method"], "pin");

    // The token is in the secret store (here its fallback file, private), not in the settings.
    let s = env.settings();
    assert_eq!(s["schema_version"], 2);
    assert!(!s["account"].is_null());
    assert!(s["account"].get("token").is_none());
    assert_eq!(
        env.account_secret(),
        Some(env.sim.account_token().to_string())
    );
    env.assert_no_token_in_files();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&env.secrets_file()), 0o600);
        assert_eq!(mode(env.secrets_file().parent().expect("dir")), 0o700);
    }
    let client_id = s["client_identifier"].as_str().expect("id").to_string();
    assert_eq!(client_id.len(), 36);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.config())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The PIN was made with the same client identifier the file keeps.
    assert!(env
        .sim
        .pins()
        .iter()
        .all(|p| p.client_identifier == client_id));
    // No token ever travelled in a URL.
    for r in env.sim.request_log() {
        let url = format!("{}?{}", r.path, r.query.clone().unwrap_or_default());
        for t in env.tokens() {
            assert!(!url.contains(&t), "token in url {url}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_in_text_mode_prints_the_url_and_code() {
    let env = start(
        Scenario::builtin("home")
            .expect("home")
            .pin_approve_after_ms(200),
    )
    .await;
    let run = env.run(&["login"]).await;
    run.ok();
    assert!(run.stdout.contains("open this URL"), "{run:?}");
    assert!(run.stdout.contains("/auth#?clientID="), "{run:?}");
    assert!(run.stdout.contains("Code: "), "{run:?}");
    assert!(run.stdout.contains("Signed in as simuser"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_token_checks_it_first() {
    let env = builtin("home").await;
    let bad = env
        .run(&["login", "--token", "not-a-real-token", "--json"])
        .await;
    assert_eq!(bad.code, 3, "{bad:?}");
    assert_eq!(bad.error_json()["kind"], "unauthorized");
    // Nothing was saved as an account.
    assert!(env.settings()["account"].is_null());

    let token = env.sim.account_token().to_string();
    let good = env.run(&["login", "--token", &token, "--json"]).await;
    good.ok();
    assert_eq!(good.json()["event"], "signed_in");
    assert_eq!(good.json()["method"], "token");
    assert_eq!(env.settings()["account"]["name"], "simuser");
    assert!(env
        .sim
        .request_log()
        .iter()
        .any(|r| r.path == "/api/v2/user"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_code_exits_3() {
    let env = start(
        Scenario::builtin("home")
            .expect("home")
            .pin_expires_in_secs(1),
    )
    .await;
    let run = env.run(&["login", "--json"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    let e = run.error_json();
    assert_eq!(e["kind"], "pin_expired");
    assert_eq!(e["exit_code"], 3);
    assert!(e["message"]
        .as_str()
        .is_some_and(|m| m.contains("plexpicker-cli login")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_signed_in_exits_3_with_what_to_do() {
    let env = builtin("home").await;
    for args in [
        &["servers"][..],
        &["connect"][..],
        &["libraries"][..],
        &["pick"][..],
    ] {
        let run = env.run(args).await;
        assert_eq!(run.code, 3, "{args:?}: {run:?}");
        assert_eq!(
            run.stderr.trim(),
            "error: not signed in: run `plexpicker-cli login`"
        );
    }
    let run = env.run(&["servers", "--json"]).await;
    assert_eq!(run.code, 3);
    assert_eq!(run.error_json()["kind"], "not_signed_in");
    assert!(run.stdout.is_empty());
    // Nothing was asked of plex.tv without a token.
    assert!(env.sim.request_log().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_forgets_the_token_the_server_and_the_cached_titles() {
    let env = builtin("home").await;
    env.sign_in().await;
    env.run(&["pick", "--json"]).await.ok();
    let cache = env.dir.path().join("cli-catalog.bin");
    assert!(cache.exists());
    assert!(!env.settings()["server"].is_null());
    let id_before = env.settings()["client_identifier"].clone();
    let history_before = env.settings()["history"].clone();
    let run = env.run(&["logout", "--json"]).await;
    run.ok();
    assert_eq!(run.json()["was_signed_in"], true);
    assert!(env.settings()["account"].is_null());
    assert!(
        env.settings()["server"].is_null(),
        "the server is forgotten"
    );
    assert!(!cache.exists(), "the cached titles are gone");
    assert_eq!(
        env.settings()["history"],
        history_before,
        "the history stays"
    );
    assert_eq!(
        env.account_secret(),
        None,
        "the token is gone from the store"
    );
    assert_eq!(env.settings()["client_identifier"], id_before);
    assert_eq!(env.run(&["servers"]).await.code, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_exits_3() {
    let env = builtin("home").await;
    env.sign_in().await;
    env.set_account_secret("revoked-token-value");
    let run = env.run(&["servers", "--json"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.error_json()["kind"], "unauthorized");
    let run = env.run(&["servers"]).await;
    assert!(run.stderr.contains("plexpicker-cli login"), "{run:?}");
    assert!(!run.stderr.contains("revoked-token-value"));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_cancels_the_wait_for_approval() {
    let env = builtin("home").await;
    let child = env.command(&["login", "--json"]).spawn().expect("spawn");
    wait_for_pin(&env.sim).await;
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let run = env.wait(child).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.error_json()["kind"], "cancelled");
    assert!(env.settings()["account"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_reads_the_token_from_stdin() {
    use std::io::Write as _;
    let env = builtin("home").await;
    let mut cmd = env.command(&["login", "--token", "-", "--json"]);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let token = format!("{}\n", env.sim.account_token());
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(token.as_bytes())
        .expect("write");
    let run = env.wait(child).await;
    run.ok();
    assert_eq!(
        env.account_secret(),
        Some(env.sim.account_token().to_string())
    );
    // Nothing on stdin: an empty token is a usage error.
    let run = env.run(&["login", "--token", "-"]).await;
    assert_eq!(run.code, 2, "{run:?}");
}
