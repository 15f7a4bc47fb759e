//! The secret store against a real Secret Service (gnome-keyring in a private D-Bus session),
//! and its file fallback when no Secret Service is reachable.
//!
//! Each case runs in a child process of this test binary: keyring decides once per process
//! whether a keychain is reachable. The parent starts the child inside
//! `dbus-run-session` with a fresh HOME and a 0700 XDG_RUNTIME_DIR, unlocks a new keyring
//! with a password on stdin (an empty password or an existing keyring would wait for a
//! prompt on a display), and checks the child passed.
//!
//! Without `dbus-run-session` and `gnome-keyring-daemon` the keychain case says so and passes,
//! unless `PLEXPICKER_EXPECT_SECRET_SERVICE=1` (set by `cargo xtask test`, whose setup
//! installs them): then it fails.

use std::path::Path;
use std::process::Command;

use plexpicker_core::secrets::{self, Backend, Choice, SecretKey, FALLBACK_FILE};

const CHILD_VAR: &str = "PLEXPICKER_SECRET_TEST_CHILD";
const EXPECT_VAR: &str = "PLEXPICKER_EXPECT_SECRET_SERVICE";

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs the ignored test `name` of this binary in a child process with `env`, wrapped in
/// `wrapper` (a shell snippet ending in `"$@"`), and returns its output.
fn run_child(name: &str, home: &Path, wrapper: Option<&str>, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let args = [
        exe.to_string_lossy().into_owned(),
        "--ignored".into(),
        "--exact".into(),
        name.into(),
        "--nocapture".into(),
        "--test-threads=1".into(),
    ];
    let mut cmd = match wrapper {
        Some(script) => {
            let mut c = Command::new("dbus-run-session");
            c.args(["--", "sh", "-c", script, "sh"]).args(&args);
            c
        }
        None => {
            let mut c = Command::new(&args[0]);
            c.args(&args[1..]);
            c
        }
    };
    cmd.env(CHILD_VAR, name)
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
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
    text
}

#[test]
fn the_keychain_stores_reads_replaces_and_deletes() {
    let expected = std::env::var(EXPECT_VAR).is_ok_and(|v| v == "1");
    if !(have("dbus-run-session") && have("gnome-keyring-daemon")) {
        assert!(
            !expected,
            "{EXPECT_VAR}=1 but dbus-run-session or gnome-keyring-daemon is missing: run `cargo xtask setup`"
        );
        eprintln!(
            "NOTE: no dbus-run-session/gnome-keyring-daemon here; `cargo xtask setup` installs them"
        );
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let script = "echo -n plexpicker-test | gnome-keyring-daemon --components=secrets --daemonize --unlock >/dev/null && exec \"$@\"";
    run_child(
        "child_keychain",
        home.path(),
        Some(script),
        &[(EXPECT_VAR, "1")],
    );
}

#[test]
fn without_a_secret_service_secrets_go_to_a_private_file() {
    let home = tempfile::tempdir().unwrap();
    let nowhere = format!(
        "unix:path={}",
        home.path().join("no-such-bus").to_string_lossy()
    );
    run_child(
        "child_fallback",
        home.path(),
        None,
        &[("DBUS_SESSION_BUS_ADDRESS", nowhere.as_str())],
    );
}

/// Inside a private session with gnome-keyring unlocked.
#[test]
#[ignore = "run by the_keychain_stores_reads_replaces_and_deletes in its own D-Bus session"]
fn child_keychain() {
    assert_eq!(std::env::var(CHILD_VAR).as_deref(), Ok("child_keychain"));
    let fallback = tempfile::tempdir().unwrap();
    let install = uuid::Uuid::new_v4().to_string();
    let store = secrets::open(&install, fallback.path(), Choice::Keychain)
        .expect("a Secret Service is running in this session");
    assert_eq!(store.backend(), Backend::Keychain);
    assert!(!store.backend().describe().contains("readable only by you"));

    let account = SecretKey::AccountToken;
    let server = SecretKey::ServerAccessToken("machine-1".into());
    assert_eq!(store.get(&account).unwrap(), None);
    store.set(&account, "first-token").unwrap();
    store.set(&server, "server-token").unwrap();
    assert_eq!(store.get(&account).unwrap().as_deref(), Some("first-token"));
    store.set(&account, "second-token").unwrap();
    assert_eq!(
        store.get(&account).unwrap().as_deref(),
        Some("second-token")
    );
    assert_eq!(store.get(&server).unwrap().as_deref(), Some("server-token"));

    // Another installation does not see these entries.
    let other = secrets::open("another-installation", fallback.path(), Choice::Keychain).unwrap();
    assert_eq!(other.get(&account).unwrap(), None);

    // A second handle (a later start) reads what the first stored.
    let again = secrets::open(&install, fallback.path(), Choice::Auto).unwrap();
    assert_eq!(again.backend(), Backend::Keychain);
    assert_eq!(
        again.get(&account).unwrap().as_deref(),
        Some("second-token")
    );

    store.delete(&account).unwrap();
    store.delete(&account).unwrap();
    assert_eq!(store.get(&account).unwrap(), None);
    assert_eq!(store.get(&server).unwrap().as_deref(), Some("server-token"));
    store.delete(&server).unwrap();
    assert_eq!(store.get(&server).unwrap(), None);

    // Nothing was written to the fallback folder.
    assert_eq!(std::fs::read_dir(fallback.path()).unwrap().count(), 0);
}

/// With the session bus pointing nowhere.
#[test]
#[ignore = "run by without_a_secret_service_secrets_go_to_a_private_file"]
fn child_fallback() {
    assert_eq!(std::env::var(CHILD_VAR).as_deref(), Ok("child_fallback"));
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("plexpicker");
    let install = uuid::Uuid::new_v4().to_string();
    assert!(matches!(
        secrets::open(&install, &dir, Choice::Keychain),
        Err(plexpicker_core::Error::NoKeychain(_))
    ));
    let store = secrets::open(&install, &dir, Choice::Auto).unwrap();
    let path = dir.join(FALLBACK_FILE);
    match store.backend() {
        Backend::File { path: p, why } => {
            assert_eq!(p, path);
            assert!(!why.is_empty());
        }
        other => panic!("expected the file fallback, got {other:?}"),
    }
    assert!(store
        .backend()
        .describe()
        .contains(&path.display().to_string()));

    let account = SecretKey::AccountToken;
    store.set(&account, "first-token").unwrap();
    store.set(&account, "second-token").unwrap();
    assert_eq!(
        store.get(&account).unwrap().as_deref(),
        Some("second-token")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "the secrets file is private");
        assert_eq!(mode(&dir), 0o700, "its folder is private");
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("second-token") && !text.contains("first-token"));
    store.delete(&account).unwrap();
    assert_eq!(store.get(&account).unwrap(), None);
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("second-token"));
}
