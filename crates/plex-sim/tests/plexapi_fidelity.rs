//! Fidelity: python-plexapi connects over plain http, lists sections and loads a whole
//! movie section.
//!
//! The Python comes from `PLEXPICKER_PYTHON` (set by `cargo xtask test`, which installs
//! python-plexapi there); then a missing plexapi is a failure. A relative path is taken from
//! the workspace root (`PLEXPICKER_PYTHON=target/python/bin/python`), a bare name from `PATH`.
//! Without that variable the test tries `python3` and is skipped, with a line starting
//! `SKIPPED` saying why, when python3 or plexapi is missing.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use plex_sim::{Scenario, Sim};

/// The Python the project installed python-plexapi into, when the caller names one.
fn required_python() -> Option<String> {
    std::env::var("PLEXPICKER_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
}

/// A relative path (one with a `/`) is relative to the workspace root, where the README's
/// command runs, not to this crate's folder, where tests run. A bare name stays a `PATH` name.
fn resolve_python(python: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(python);
    if path.is_absolute() || !python.contains('/') {
        return path.to_path_buf();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

#[test]
fn relative_python_paths_are_taken_from_the_workspace_root() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert_eq!(
        resolve_python("target/python/bin/python"),
        root.join("target/python/bin/python")
    );
    assert!(root.join("Cargo.toml").exists());
    assert_eq!(
        resolve_python("/usr/bin/python3"),
        std::path::PathBuf::from("/usr/bin/python3")
    );
    assert_eq!(
        resolve_python("python3"),
        std::path::PathBuf::from("python3")
    );
}

/// Runs the script with a deadline; `None` when Python cannot be started.
fn run_python(args: &[String], deadline: Duration) -> Option<(i32, String)> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/plexapi_fidelity.py");
    let python = resolve_python(&required_python().unwrap_or_else(|| "python3".to_string()));
    let mut child = Command::new(python)
        .arg(script)
        .args(args)
        .env("PLEXAPI_HEADER_IDENTIFIER", "plex-sim-fidelity-test")
        // Loopback only: never through a proxy from the environment.
        .env("NO_PROXY", "127.0.0.0/8,localhost")
        .env("no_proxy", "127.0.0.0/8,localhost")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let start = Instant::now();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().ok()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.code().unwrap_or(-1), text))
}

/// The script's output when it ran; `None` (after saying SKIPPED and why) when there is no
/// Python or no plexapi and none was required. A required one that is missing fails.
fn ran(result: Option<(i32, String)>) -> Option<(i32, String)> {
    let required = required_python();
    let Some((code, output)) = result else {
        assert!(
            required.is_none(),
            "PLEXPICKER_PYTHON={required:?} could not be started"
        );
        println!("SKIPPED python-plexapi fidelity test: python3 could not be started (set PLEXPICKER_PYTHON)");
        return None;
    };
    if code == 77 {
        assert!(
            required.is_none(),
            "PLEXPICKER_PYTHON={required:?} has no python-plexapi: {output}"
        );
        println!("SKIPPED python-plexapi fidelity test: {}", output.trim());
        return None;
    }
    println!("{output}");
    Some((code, output))
}

/// plex.tv's side: `MyPlexAccount(token=...)`, `resources()` and `resource.connect()` over
/// the `home` scenario. python-plexapi parses plex.tv's XML, so this fails if the simulated
/// plex.tv answers JSON to a client that did not ask for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_plexapi_signs_in_lists_resources_and_connects() {
    let sim = Sim::start(Scenario::builtin("home").unwrap())
        .await
        .unwrap();
    let server = sim.server("Home Server").unwrap();
    let args = vec![
        "account".to_string(),
        sim.plex_tv_url(),
        sim.account_token().to_string(),
        server.name.clone(),
        server.machine_identifier.clone(),
    ];
    let result = tokio::task::spawn_blocking(move || run_python(&args, Duration::from_secs(120)))
        .await
        .unwrap();
    let Some((code, output)) = ran(result) else {
        return;
    };
    assert_eq!(code, 0, "plexapi account script failed:\n{output}");
    assert!(output.contains("OK connected"), "{output}");
    let log = sim.request_log();
    // plexapi asked plex.tv for XML and got it; it then reached the server over plain http.
    let user = log
        .iter()
        .find(|r| r.listener == "plex.tv" && r.path == "/api/v2/user")
        .expect("plexapi asked for the user");
    assert!(!user.header("accept").unwrap_or("").contains("json"));
    assert_eq!(user.header("X-Plex-Token"), Some(sim.account_token()));
    assert!(log
        .iter()
        .any(|r| r.listener == "plex.tv" && r.path == "/api/v2/resources"));
    let http = sim.connection("home-local-http").unwrap();
    assert!(output.contains(&format!("at {}", http.uri)), "{output}");
    assert!(log
        .iter()
        .any(|r| r.connection_id.as_deref() == Some("home-local-http")
            && r.path == "/library/sections"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_plexapi_lists_sections_and_loads_all_movies() {
    let sim = Sim::start(Scenario::single_server(257, 3)).await.unwrap();
    let url = sim.connection("test-http").unwrap().uri;
    let args = vec![url, sim.account_token().to_string(), "257".to_string()];
    let result = tokio::task::spawn_blocking(move || run_python(&args, Duration::from_secs(120)))
        .await
        .unwrap();
    let Some((code, output)) = ran(result) else {
        return;
    };
    assert_eq!(code, 0, "plexapi script failed:\n{output}");
    assert!(output.contains("OK movies 257"));

    // What plexapi asked for: XML (no JSON Accept), paging by headers, our token.
    let log = sim.request_log();
    let paths: Vec<&str> = log.iter().map(|r| r.path.as_str()).collect();
    assert!(paths.contains(&"/"));
    assert!(paths.contains(&"/library/sections"));
    let pages: Vec<_> = log
        .iter()
        .filter(|r| r.path == "/library/sections/1/all")
        .collect();
    assert!(
        pages.len() >= 3,
        "257 items in pages of 100: {}",
        pages.len()
    );
    for p in &pages {
        assert!(p.header("X-Plex-Container-Start").is_some());
        assert!(p.header("X-Plex-Container-Size").is_some());
        assert!(!p
            .header("accept")
            .unwrap_or("")
            .contains("application/json"));
        assert_eq!(p.header("X-Plex-Token"), Some(sim.account_token()));
    }
}
