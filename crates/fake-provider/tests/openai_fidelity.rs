//! Fidelity: the official `openai` Python package (a client nobody here wrote) lists models,
//! gets through a structured-output request (`response_format` json_schema, and the SDK's own
//! `parse` with a pydantic model), and reads the fake's 400/401/404/429 as the right errors.
//!
//! The Python comes from `PLEXPICKER_PYTHON` (set by `cargo xtask test`, which installs the
//! pinned `openai` package there); then a missing package is a failure. Without that variable
//! the test tries `python3` and is skipped, with a line saying why, when python3 or the
//! package is missing.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider, Reply};

fn required_python() -> Option<String> {
    std::env::var("PLEXPICKER_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
}

/// Runs the script with a deadline; `None` when Python cannot be started.
fn run_python(args: &[String], deadline: Duration) -> Option<(i32, String)> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openai_fidelity.py");
    let python = required_python().unwrap_or_else(|| "python3".to_string());
    let mut child = Command::new(python)
        .arg(script)
        .args(args)
        // Loopback only: never through a proxy from the environment, never a real key.
        .env("NO_PROXY", "127.0.0.0/8,localhost")
        .env("no_proxy", "127.0.0.0/8,localhost")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
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
async fn the_official_openai_package_gets_through_a_structured_output_request() {
    let key = "sk-fidelity-key";
    let fake = FakeProvider::start(Config::with_key(key)).await.unwrap();
    // Valid chat requests in order: create (json_schema), parse (json_schema), then a 429.
    fake.set_replies([
        Reply::Auto,
        Reply::Auto,
        Reply::RateLimited {
            retry_after_secs: 3,
        },
    ]);
    let args = vec![fake.base_url(), key.to_string()];
    let result = tokio::task::spawn_blocking(move || run_python(&args, Duration::from_secs(120)))
        .await
        .unwrap();
    let required = required_python();
    let Some((code, output)) = result else {
        assert!(
            required.is_none(),
            "PLEXPICKER_PYTHON={required:?} could not be started"
        );
        println!("SKIPPED openai fidelity test: python3 could not be started");
        return;
    };
    if code == 77 {
        assert!(
            required.is_none(),
            "PLEXPICKER_PYTHON={required:?} has no openai package: {output}"
        );
        println!("SKIPPED openai fidelity test: {}", output.trim());
        return;
    }
    println!("{output}");
    assert_eq!(code, 0, "openai script failed:\n{output}");
    for line in [
        "OK models",
        "OK structured",
        "OK parsed",
        "OK 404 model_not_found",
        "OK 400 messages[0].role",
        "OK 401 invalid_api_key",
        "OK 429 3",
        "OK all",
    ] {
        assert!(output.contains(line), "missing {line:?} in:\n{output}");
    }

    // What the SDK sent: our bearer key (and the wrong one once), json_schema twice.
    let log = fake.requests();
    let bearers: Vec<Option<&str>> = log.iter().map(|r| r.bearer()).collect();
    assert!(bearers.contains(&Some("sk-wrong")));
    assert_eq!(
        bearers.iter().filter(|b| **b == Some(key)).count(),
        log.len() - 1
    );
    let chats = fake.chat_requests();
    let formats: Vec<Option<String>> = chats.iter().map(|r| r.response_format()).collect();
    assert_eq!(formats[0].as_deref(), Some("json_schema"));
    assert_eq!(formats[1].as_deref(), Some("json_schema"));
    let parse_body = chats[1].json().unwrap();
    assert_eq!(
        parse_body["response_format"]["json_schema"]["strict"],
        serde_json::json!(true),
        "the SDK's parse() asks for strict structured output"
    );
}
