//! The settings file seen from outside: a corrupt or newer file is set aside and said, never
//! overwritten; usage errors exit 2.

mod common;

use common::*;

fn set_aside_files(env: &Env) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(env.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("cli-settings.json.damaged-")
                    || n.starts_with("cli-settings.json.newer-")
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_settings_file_is_reported_and_set_aside() {
    let env = builtin("home").await;
    std::fs::write(
        env.config(),
        b"{\"schema_version\": 1, \"client_identifier\": ",
    )
    .expect("w");
    let run = env.run(&["servers"]).await;
    assert_eq!(run.code, 3, "fresh settings are not signed in: {run:?}");
    assert!(run.stderr.contains("warning: the settings file"), "{run:?}");
    assert!(run.stderr.contains("moved to"), "{run:?}");
    let aside = set_aside_files(&env);
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(&aside[0]).expect("kept"),
        b"{\"schema_version\": 1, \"client_identifier\": "
    );
    assert!(run.stderr.contains(&aside[0].display().to_string()));
    // A fresh, valid file took its place.
    let s = env.settings();
    assert_eq!(s["schema_version"], 2);
    assert!(s["account"].is_null());

    // Signing in again works from there.
    env.sign_in().await;
    env.run(&["servers"]).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_settings_file_is_set_aside_too() {
    let env = builtin("home").await;
    env.sign_in().await;
    let mut s = env.settings();
    s["schema_version"] = serde_json::json!(99);
    std::fs::write(env.config(), serde_json::to_vec(&s).expect("json")).expect("w");
    let run = env.run(&["servers", "--json"]).await;
    assert_eq!(run.code, 3, "{run:?}");
    let warning: serde_json::Value = run
        .stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v.get("warning").is_some())
        .expect("a JSON warning");
    assert_eq!(warning["warning"]["kind"], "settings_newer");
    assert_eq!(run.error_json()["kind"], "not_signed_in");
    assert_eq!(set_aside_files(&env).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2() {
    let env = builtin("home").await;
    let run = env
        .run(&["pick", "--max-minutes", "90", "--finish-by", "23:00"])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    let run = env.run(&["pick", "--decades", "eighties", "--json"]).await;
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.error_json()["kind"], "usage");
    let run = env.run(&["frobnicate"]).await;
    assert_eq!(run.code, 2);
    let run = env.run(&["--help"]).await;
    run.ok();
    assert!(run.stdout.contains("cli-settings.json"));
    assert!(run.stdout.contains("Exit codes"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_location_follows_xdg_config_home() {
    let env = builtin("home").await;
    let token = env.sim.account_token().to_string();
    let mut cmd = env.command(&["login", "--token", &token]);
    // `command` passes --config; build one without it.
    let args: Vec<std::ffi::OsString> = cmd.get_args().skip(2).map(|a| a.to_owned()).collect();
    let mut plain = std::process::Command::new(BIN);
    plain.args(&args);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => plain.env(k, v),
            None => plain.env_remove(k),
        };
    }
    let xdg = env.dir.path().join("xdg");
    plain.env("XDG_CONFIG_HOME", &xdg);
    cmd = plain;
    env.run_cmd(cmd).await.ok();
    let file = xdg.join("plexpicker").join("cli-settings.json");
    assert!(file.exists(), "settings at {}", file.display());
}

/// `--allow-insecure` is a setting: saved for the commands that follow, refused when it is not
/// one of its three words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_insecure_is_saved_for_later_commands() {
    let env = builtin("home").await;
    let token = env.sim.account_token().to_string();
    env.run(&["login", "--token", &token]).await.ok();
    assert_eq!(env.settings()["allow_insecure"], "same_network");
    env.run(&["--allow-insecure", "never", "servers"])
        .await
        .ok();
    assert_eq!(env.settings()["allow_insecure"], "never");
    // Kept by a command that does not name it.
    env.run(&["servers"]).await.ok();
    assert_eq!(env.settings()["allow_insecure"], "never");
    env.run(&["servers", "--allow-insecure", "same-network"])
        .await
        .ok();
    assert_eq!(env.settings()["allow_insecure"], "same_network");
    let bad = env.run(&["--allow-insecure", "sometimes", "servers"]).await;
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr.contains("never, same-network, always"),
        "{bad:?}"
    );
    assert_eq!(env.settings()["allow_insecure"], "same_network");
}
