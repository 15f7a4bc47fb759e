//! The secret store's parts the Secret Service test does not reach: what each backend tells
//! the user, the choice read from `PLEXPICKER_SECRETS`, why the keychain is not used, the
//! fallback file's limits and the in-memory store. These close survivors of mutation testing
//! (docs/TESTING.md).
//!
//! Cases that read the environment run in a child process of this test binary (with the
//! environment set for it only), like crates/core/tests/secret_service.rs.

use std::path::Path;
use std::process::Command;

use plexpicker_core::secrets::{
    self, keychain_name, Backend, Choice, FileSecrets, MemorySecrets, SecretKey, Secrets,
    FALLBACK_FILE,
};

const CHILD_VAR: &str = "PLEXPICKER_SECRET_TEST_CHILD";
const EXPECT_CHOICE_VAR: &str = "PLEXPICKER_TEST_EXPECTED_CHOICE";

/// Runs the ignored test `name` of this binary alone, with `env`, and checks it passed.
fn run_child(name: &str, env: &[(&str, &str)]) {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([
        "--ignored",
        "--exact",
        name,
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_VAR, name)
    .env_remove(secrets::BACKEND_VAR);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("start the child test");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "child {name} failed:\n{text}");
    assert!(
        text.contains(&format!("test {name} ... ok")),
        "child {name} did not run:\n{text}"
    );
}

#[test]
fn each_backend_says_where_the_sign_in_is_kept() {
    let keychain = Backend::Keychain;
    assert!(!keychain.is_fallback());
    assert_eq!(
        keychain.describe(),
        format!("Your Plex sign-in is kept in {}.", keychain_name())
    );
    #[cfg(target_os = "linux")]
    assert_eq!(keychain_name(), "your desktop's keyring (Secret Service)");

    let file = Backend::File {
        path: Path::new("/home/someone/.config/plexpicker/secrets.json").to_path_buf(),
        why: "no keychain service is running".into(),
    };
    assert!(file.is_fallback());
    let text = file.describe();
    assert!(
        text.starts_with("No system keychain is available (no keychain service is running)"),
        "{text}"
    );
    assert!(
        text.contains("/home/someone/.config/plexpicker/secrets.json, readable only by you"),
        "{text}"
    );
}

#[test]
fn the_backend_choice_comes_from_plexpicker_secrets() {
    for (value, expected) in [
        (Some("file"), "File"),
        (Some("keychain"), "Keychain"),
        (Some("auto"), "Auto"),
        (Some("FILE"), "Auto"),
        (None, "Auto"),
    ] {
        let mut env = vec![(EXPECT_CHOICE_VAR, expected)];
        if let Some(v) = value {
            env.push((secrets::BACKEND_VAR, v));
        }
        run_child("child_choice_from_env", &env);
    }
}

#[test]
#[ignore = "run by the_backend_choice_comes_from_plexpicker_secrets with the variable set"]
fn child_choice_from_env() {
    assert_eq!(
        std::env::var(CHILD_VAR).as_deref(),
        Ok("child_choice_from_env")
    );
    let expected = std::env::var(EXPECT_CHOICE_VAR).unwrap();
    assert_eq!(format!("{:?}", Choice::from_env()), expected);
}

/// With no Secret Service to reach, the fallback says why in words a person can act on.
#[test]
fn without_a_keychain_the_fallback_says_why() {
    let home = tempfile::tempdir().unwrap();
    let nowhere = format!(
        "unix:path={}",
        home.path().join("no-such-bus").to_string_lossy()
    );
    run_child(
        "child_why_no_keychain",
        &[
            ("DBUS_SESSION_BUS_ADDRESS", nowhere.as_str()),
            ("HOME", &home.path().to_string_lossy()),
        ],
    );
}

#[test]
#[ignore = "run by without_a_keychain_the_fallback_says_why with the bus pointing nowhere"]
fn child_why_no_keychain() {
    assert_eq!(
        std::env::var(CHILD_VAR).as_deref(),
        Ok("child_why_no_keychain")
    );
    let dir = tempfile::tempdir().unwrap();
    let store = secrets::open("why-test", dir.path(), Choice::Auto).unwrap();
    match store.backend() {
        Backend::File { why, .. } => assert!(
            why == "no keychain service is running"
                || why.starts_with("the keychain did not answer: "),
            "{why}"
        ),
        other => panic!("expected the file fallback, got {other:?}"),
    }
}

/// A fallback file over 4 MiB is damaged: dropped (it can only hold secrets), not read. One
/// that cannot be opened at all is an error, never mistaken for an empty store.
#[test]
fn the_fallback_file_is_capped_and_unreadable_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FALLBACK_FILE);
    let store = FileSecrets::new(path.clone(), "tests");
    let big = format!(
        "{{\"version\":1,\"secrets\":{{\"account-token\":\"t\"}},\"pad\":\"{}\"}}",
        "x".repeat(5 << 20)
    );
    std::fs::write(&path, big).unwrap();
    assert_eq!(store.get(&SecretKey::AccountToken).unwrap(), None);
    assert!(!path.exists(), "the oversized file was kept");
    // Just under the cap: read.
    let small = format!(
        "{{\"version\":1,\"secrets\":{{\"account-token\":\"t\"}},\"pad\":\"{}\"}}",
        "x".repeat((4 << 20) - 100)
    );
    std::fs::write(&path, small).unwrap();
    assert_eq!(
        store.get(&SecretKey::AccountToken).unwrap().as_deref(),
        Some("t")
    );

    let plain = dir.path().join("plain-file");
    std::fs::write(&plain, b"x").unwrap();
    let blocked = FileSecrets::new(plain.join(FALLBACK_FILE), "tests");
    assert!(blocked.get(&SecretKey::AccountToken).is_err());
    assert!(blocked.set(&SecretKey::AccountToken, "t").is_err());
    assert_eq!(std::fs::read(&plain).unwrap(), b"x");
}

#[test]
fn the_memory_store_keeps_each_key_apart() {
    let store = MemorySecrets::default();
    let account = SecretKey::AccountToken;
    let server = SecretKey::ServerAccessToken("m1".into());
    assert_eq!(store.get(&account).unwrap(), None);
    store.set(&account, "a").unwrap();
    store.set(&server, "s").unwrap();
    store.set(&account, "a2").unwrap();
    assert_eq!(store.get(&account).unwrap().as_deref(), Some("a2"));
    assert_eq!(store.get(&server).unwrap().as_deref(), Some("s"));
    store.delete(&account).unwrap();
    assert_eq!(store.get(&account).unwrap(), None);
    assert_eq!(store.get(&server).unwrap().as_deref(), Some("s"));
    assert!(store.backend().is_fallback());
    let as_dyn: &dyn Secrets = &store;
    assert_eq!(
        as_dyn.token(&server).unwrap().map(|t| t.is_empty()),
        Some(false)
    );
    store.set(&server, "  ").unwrap();
    assert!(
        as_dyn.token(&server).unwrap().is_none(),
        "a blank token is no token"
    );
}
