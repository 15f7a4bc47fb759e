//! Fidelity: python-plexapi connects over plain http, lists sections and loads a whole
//! movie section.
//!
//! The Python comes from `PLEXPICKER_PYTHON` (set by `cargo xtask test`, which installs
//! python-plexapi there); then a missing plexapi is a failure. Without that variable the test
//! tries `python3` and is skipped, with a line saying why, when python3 or plexapi is missing.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use plex_sim::{Scenario, Sim};

/// The Python the project installed python-plexapi into, when the caller names one.
fn required_python() -> Option<String> {
    std::env::var("PLEXPICKER_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
}

/// Runs the script with a deadline; `None` when Python cannot be started.
fn run_python(args: &[String], deadline: Duration) -> Option<(i32, String)> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/plexapi_fidelity.py");
    let python = required_python().unwrap_or_else(|| "python3".to_string());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_plexapi_lists_sections_and_loads_all_movies() {
    let sim = Sim::start(Scenario::single_server(257, 3)).await.unwrap();
    let url = sim.connection("test-http").unwrap().uri;
    let args = vec![url, sim.account_token().to_string(), "257".to_string()];
    let result = tokio::task::spawn_blocking(move || run_python(&args, Duration::from_secs(120)))
        .await
        .unwrap();
    let required = required_python();
    let Some((code, output)) = result else {
        assert!(
            required.is_none(),
            "PLEXPICKER_PYTHON={required:?} could not be started"
        );
        println!("SKIPPED python-plexapi fidelity test: python3 could not be started");
        return;
    };
    if code == 77 {
        assert!(
            required.is_none(),
            "PLEXPICKER_PYTHON={required:?} has no python-plexapi: {output}"
        );
        println!("SKIPPED python-plexapi fidelity test: {}", output.trim());
        return;
    }
    println!("{output}");
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
