//! `ai` and `pick --ai` end to end: the real binary against the Plex simulator and the fake
//! OpenAI-compatible provider, both on loopback. The key comes from stdin only, lives in the
//! secret store only, and nothing of the Plex account reaches the provider.

mod common;

use std::io::Write as _;
use std::process::Stdio;

use common::*;
use fake_provider::{Config, FakeProvider, Reply};
use serde_json::Value;

const KEY: &str = "sk-cli-test-key-9a8b7c6d5e";

/// `ai set` for the fake provider, the key piped to stdin.
async fn set_up(env: &Env, fake: &FakeProvider) -> Run {
    let mut cmd = env.command(&[
        "ai",
        "set",
        "--preset",
        "custom",
        "--url",
        &fake.base_url(),
        "--model",
        "llama3.2",
        "--max-candidates",
        "30",
        "--key",
        "-",
        "--json",
    ]);
    cmd.stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{KEY}\n").as_bytes())
        .expect("the key is written");
    let run = env.wait(child).await;
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "{run:?}"
    );
    run
}

fn no_key_anywhere_but_the_store(env: &Env) {
    let settings = std::fs::read_to_string(env.config()).unwrap();
    assert!(!settings.contains(KEY), "the key is in the settings file");
    let store = std::fs::read_to_string(env.secrets_file()).unwrap();
    assert!(store.contains(KEY), "the key is in the secret store");
    env.assert_no_token_in_files();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ai_set_reads_the_key_from_stdin_and_keeps_it_in_the_secret_store() {
    let env = builtin("home").await;
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    // A key on the command line is refused before anything is kept.
    let run = env
        .run(&[
            "ai",
            "set",
            "--preset",
            "openai",
            "--model",
            "gpt-4o-mini",
            "--key",
            KEY,
            "--json",
        ])
        .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.error_json()["message"]
        .as_str()
        .unwrap()
        .contains("stdin"));
    assert!(!std::fs::read_to_string(env.secrets_file())
        .unwrap_or_default()
        .contains(KEY));
    let v = set_up(&env, &fake).await.ok().json();
    assert_eq!(v["enabled"], true);
    assert_eq!(v["provider"]["preset"], "custom");
    assert_eq!(v["provider"]["base_url"], fake.base_url());
    assert_eq!(v["provider"]["has_key"], true);
    assert_eq!(v["max_candidates"], 30);
    assert!(v["privacy"].as_str().unwrap().contains("127.0.0.1"));
    no_key_anywhere_but_the_store(&env);
    // Test and models use the stored key.
    let test = env.run(&["ai", "test", "--json"]).await;
    let t = test.ok().json();
    assert_eq!(t["model"], "llama3.2");
    assert!(t["latency_ms"].as_u64().is_some());
    let models = env.run(&["ai", "models", "--json"]).await.ok().json();
    assert_eq!(models["models"], serde_json::json!(["llama3.2"]));
    assert!(fake.requests().iter().all(|r| r.bearer() == Some(KEY)));
    // Human output never shows the key either.
    let show = env.run(&["ai", "show"]).await;
    assert!(
        show.ok().stdout.contains("an API key is stored"),
        "{show:?}"
    );
    assert!(!show.stdout.contains(KEY));
    // Off: kept, but not asked.
    let off = env.run(&["ai", "off", "--json"]).await.ok().json();
    assert_eq!(off["enabled"], false);
    assert_eq!(off["provider"]["has_key"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ai_set_ollama_uses_the_presets_address_and_no_key() {
    let env = builtin("home").await;
    let v = env
        .run(&[
            "ai", "set", "--preset", "ollama", "--model", "llama3.2", "--json",
        ])
        .await
        .ok()
        .json();
    assert_eq!(v["provider"]["base_url"], "http://127.0.0.1:11434/v1");
    assert_eq!(v["provider"]["label"], "Ollama");
    assert_eq!(v["provider"]["has_key"], false);
    // OpenAI without a key says what to do.
    let run = env
        .run(&[
            "ai",
            "set",
            "--preset",
            "openai",
            "--model",
            "gpt-4o-mini",
            "--json",
        ])
        .await;
    assert_ne!(run.code, 0);
    assert!(run.error_json()["message"]
        .as_str()
        .unwrap()
        .contains("needs an api key"));
    // Nothing set up at all: `ai test` says how to set one up.
    let fresh = builtin("home").await;
    let run = fresh.run(&["ai", "test", "--json"]).await;
    assert_eq!(run.error_json()["kind"], "ai_not_set_up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pick_ai_says_who_chose_and_why_not_the_model() {
    let env = builtin("home").await;
    env.sign_in().await;
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    set_up(&env, &fake).await.ok();
    // The model chooses.
    let v = env
        .run(&["pick", "--ai", "--format", "movie", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(v["chosen_by"], "model", "{v}");
    assert_eq!(v["model"]["name"], "llama3.2");
    assert_eq!(v["note"], "Chosen by llama3.2 on 127.0.0.1");
    assert!(v.get("fallback").is_none());
    assert!(v["top"]["reason"].as_str().unwrap().contains("fake model"));
    assert_eq!(v["top"]["score"], 95);
    assert_eq!(v["alternatives"].as_array().unwrap().len(), 6);
    let s = env.settings();
    assert_eq!(s["history"]["entries"][0]["title_id"], v["top"]["id"]);
    // What the provider received: at most 30 candidates, movies only, nothing of the account.
    let chats = fake.chat_requests();
    assert_eq!(chats.len(), 1);
    let body = &chats[0].body;
    let text = chats[0].messages_text();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('[')).collect();
    assert!(!lines.is_empty() && lines.len() <= 30, "{}", lines.len());
    assert!(lines.iter().all(|l| l.contains(" movie")), "{text}");
    let mut secret = env.tokens();
    for server in env.sim.servers() {
        secret.push(server.machine_identifier.clone());
        for c in &server.connections {
            secret.push(c.uri.clone());
            secret.push(c.host.clone());
        }
    }
    for s in &secret {
        assert!(!body.contains(s.as_str()), "{s} was sent to the provider");
    }
    // Ids that were never offered, twice: the engine's pick, and why.
    let bad = r#"{"top":{"id":"made-up-99","reason":"Not yours.","score":99},"alternatives":[]}"#;
    fake.set_replies([Reply::content(bad), Reply::content(bad)]);
    let v = env.run(&["pick", "--ai", "--json"]).await.ok().json();
    assert_eq!(v["chosen_by"], "engine", "{v}");
    assert!(v.get("model").is_none());
    let why = v["fallback"].as_str().unwrap();
    assert!(why.contains("made-up-99"), "{why}");
    let note = v["note"].as_str().unwrap();
    assert!(
        note.starts_with("The model's answer could not be used:")
            && note.ends_with("Showing PlexPicker's own pick."),
        "{note}"
    );
    assert_ne!(v["top"]["id"], "made-up-99");
    // People see who chose.
    let run = env.run(&["pick", "--ai"]).await;
    assert!(
        run.ok()
            .stdout
            .starts_with("Chosen by llama3.2 on 127.0.0.1"),
        "{run:?}"
    );
    // Rate limited: the engine at once, and the note says so.
    fake.set_replies([Reply::RateLimited {
        retry_after_secs: 12,
    }]);
    let before = fake.chat_requests().len();
    let run = env.run(&["pick", "--ai"]).await;
    let out = &run.ok().stdout;
    assert!(
        out.contains("rate limiting") && out.contains("12 s"),
        "{out}"
    );
    assert_eq!(fake.chat_requests().len(), before + 1);
    // Off: not asked.
    env.run(&["ai", "off"]).await.ok();
    let v: Value = env.run(&["pick", "--ai", "--json"]).await.ok().json();
    assert_eq!(v["chosen_by"], "engine");
    assert!(v["fallback"].as_str().unwrap().contains("switched off"));
    assert_eq!(fake.chat_requests().len(), before + 1);
    // Without --ai nothing changes in the output.
    let v: Value = env.run(&["pick", "--json"]).await.ok().json();
    assert!(v.get("chosen_by").is_none());
    no_key_anywhere_but_the_store(&env);
}
