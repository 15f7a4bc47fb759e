//! The fake provider validates requests like real servers and answers what was scripted.

use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider, Reply};
use serde_json::{json, Value};

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

async fn post(fake: &FakeProvider, body: &Value, key: Option<&str>) -> (u16, Value) {
    let mut req = http()
        .post(format!("{}/chat/completions", fake.base_url()))
        .json(body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn chat(model: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": "Answer in JSON:\n[7] A film"}]})
}

/// The real error shape: `{"error":{"message","type","param","code"}}`.
fn assert_error_shape(body: &Value) {
    let e = body.get("error").unwrap_or_else(|| panic!("{body}"));
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(e["type"].is_string(), "{body}");
    assert!(
        e.get("param").is_some() && e.get("code").is_some(),
        "{body}"
    );
}

#[tokio::test]
async fn invalid_requests_get_the_real_status_and_error_shape() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cases: Vec<(Value, u16, Option<&str>)> = vec![
        (
            json!({"messages": [{"role": "user", "content": "x"}]}),
            400,
            Some("model"),
        ),
        (json!({"model": 5, "messages": []}), 400, Some("model")),
        (json!({"model": "llama3.2"}), 400, Some("messages")),
        (
            json!({"model": "llama3.2", "messages": []}),
            400,
            Some("messages"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "wizard", "content": "x"}]}),
            400,
            Some("messages[0].role"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user"}]}),
            400,
            Some("messages[0].content"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": [{"type": "image"}]}]}),
            400,
            Some("messages[0].content"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": "x"}], "temperature": 3}),
            400,
            Some("temperature"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "yaml"}}),
            400,
            Some("response_format.type"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": "no j-word here"}], "response_format": {"type": "json_object"}}),
            400,
            Some("messages"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema"}}),
            400,
            Some("response_format.json_schema"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema", "json_schema": {"name": "has space", "schema": {}}}}),
            400,
            Some("response_format.json_schema.name"),
        ),
        (
            json!({"model": "llama3.2", "messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema", "json_schema": {"name": "ok", "schema": "nope"}}}),
            400,
            Some("response_format.json_schema.schema"),
        ),
        (chat("llama-unknown"), 404, None),
    ];
    for (body, status, param) in cases {
        let (got, err) = post(&fake, &body, None).await;
        assert_eq!(got, status, "{body}: {err}");
        assert_error_shape(&err);
        assert_eq!(err["error"]["param"].as_str(), param, "{body}: {err}");
    }
    let (_, err) = post(&fake, &chat("llama-unknown"), None).await;
    assert_eq!(err["error"]["code"], "model_not_found");
    // A body that is not JSON at all.
    let resp = http()
        .post(format!("{}/chat/completions", fake.base_url()))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    assert_error_shape(&resp.json().await.unwrap());
    // Unknown paths are 404 in the same shape.
    let resp = http()
        .get(format!("{}/nothing", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
    assert_error_shape(&resp.json().await.unwrap());
    // Every request is in the log, the invalid ones too.
    assert_eq!(fake.requests().len(), 17);
}

#[tokio::test]
async fn a_configured_key_is_required_as_a_bearer_token() {
    let fake = FakeProvider::start(Config::with_key("sk-right"))
        .await
        .unwrap();
    for key in [None, Some("sk-wrong")] {
        let (status, err) = post(&fake, &chat("llama3.2"), key).await;
        assert_eq!(status, 401);
        assert_error_shape(&err);
    }
    let (status, _) = post(&fake, &chat("llama3.2"), Some("sk-right")).await;
    assert_eq!(status, 200);
    let resp = http()
        .get(format!("{}/models", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}

#[tokio::test]
async fn answers_have_the_chat_completion_shape_and_follow_the_script() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([
        Reply::content("```json\n{}\n```"),
        Reply::Cut("{\"top\":".into()),
        Reply::RateLimited {
            retry_after_secs: 9,
        },
        Reply::server_error(),
    ]);
    let (status, body) = post(&fake, &chat("llama3.2"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["object"], "chat.completion");
    assert_eq!(body["model"], "llama3.2");
    assert_eq!(body["choices"][0]["message"]["role"], "assistant");
    assert_eq!(body["choices"][0]["message"]["content"], "```json\n{}\n```");
    assert_eq!(body["choices"][0]["finish_reason"], "stop");
    assert!(body["usage"]["total_tokens"].as_u64().unwrap() > 0);
    let (_, body) = post(&fake, &chat("llama3.2"), None).await;
    assert_eq!(body["choices"][0]["finish_reason"], "length");
    let resp = http()
        .post(format!("{}/chat/completions", fake.base_url()))
        .json(&chat("llama3.2"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "9");
    assert_error_shape(&resp.json().await.unwrap());
    let (status, body) = post(&fake, &chat("llama3.2"), None).await;
    assert_eq!(status, 500);
    assert_error_shape(&body);
    // The queue is empty: Auto picks the ids found in the prompt's lines.
    let (_, body) = post(&fake, &chat("llama3.2"), None).await;
    let content: Value =
        serde_json::from_str(body["choices"][0]["message"]["content"].as_str().unwrap()).unwrap();
    assert_eq!(content["top"]["id"], "7");
}

#[tokio::test]
async fn models_are_listed_in_the_openai_shape() {
    let fake = FakeProvider::start(Config {
        models: vec!["a".into(), "b".into()],
        ..Config::default()
    })
    .await
    .unwrap();
    let body: Value = http()
        .get(format!("{}/models", fake.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["object"], "list");
    let ids: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(body["data"][0]["object"], "model");
}

#[tokio::test]
async fn a_redirect_points_elsewhere_and_a_trickle_is_slow_but_whole() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([
        Reply::Redirect {
            location: "http://127.0.0.1:9/v1/chat/completions".into(),
        },
        Reply::Trickle {
            content: "slow".into(),
            bytes_per_sec: 2_000,
        },
    ]);
    let resp = http()
        .post(format!("{}/chat/completions", fake.base_url()))
        .json(&chat("llama3.2"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    assert_eq!(
        resp.headers()["location"],
        "http://127.0.0.1:9/v1/chat/completions"
    );
    let start = Instant::now();
    let (status, body) = post(&fake, &chat("llama3.2"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["choices"][0]["message"]["content"], "slow");
    // About 400 bytes at 2,000 bytes/s: not instant.
    assert!(
        start.elapsed() >= Duration::from_millis(100),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_hang_never_answers_and_shutdown_refuses_connections() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([Reply::Hang]);
    let url = format!("{}/chat/completions", fake.base_url());
    let sent = http().post(&url).json(&chat("llama3.2")).send();
    let waited = tokio::time::timeout(Duration::from_millis(700), sent).await;
    assert!(waited.is_err(), "a hang answered");
    assert_eq!(fake.chat_requests().len(), 1, "the request was read");
    fake.shutdown().await;
    let err = http()
        .post(&url)
        .json(&chat("llama3.2"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err}");
}
