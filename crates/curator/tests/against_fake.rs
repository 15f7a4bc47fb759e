//! The curator against the fake provider on loopback: every scripted case ends in a valid
//! pick or the typed fallback, and the request log shows what was (and was not) sent.

use std::time::{Duration, Instant};

use curator::{
    curate, ApiKey, Ask, BadAnswer, Candidate, Client, Error, Fallback, Format, Outcome, Preset,
    ProviderConfig,
};
use fake_provider::{Config, FakeProvider, LoggedRequest, Reply};
use picker::{Kind, Title};

const PLEX_TOKEN: &str = "plex-token-SHOULD-NEVER-LEAVE";
const MACHINE_ID: &str = "0123456789abcdef0123456789abcdef01234567";

/// `n` titles whose non-prompt fields carry a Plex token, a server address and a machine id.
fn candidates(n: usize) -> Vec<Candidate> {
    (0..n)
        .map(|i| {
            let t = Title {
                id: (1000 + i).to_string(),
                kind: if i % 3 == 0 { Kind::Show } else { Kind::Movie },
                title: format!("Title {i}"),
                year: Some(1980 + (i % 40) as u16),
                summary: format!("Summary of title {i}. ").repeat(20),
                duration_ms: Some(90 * 60_000),
                genres: vec!["Comedy".into(), "Drama".into()],
                content_rating: Some("PG".into()),
                critic_rating: Some(7.5),
                audience_rating: Some(8.0),
                thumb: Some(format!(
                    "http://192.168.1.20:32400/library/metadata/{i}/thumb?X-Plex-Token={PLEX_TOKEN}"
                )),
                library: format!("Movies on server {MACHINE_ID}").into(),
                ..Title::default()
            };
            Candidate::from(&t)
        })
        .collect()
}

fn config(fake: &FakeProvider) -> ProviderConfig {
    ProviderConfig {
        preset: Preset::Custom,
        base_url: fake.base_url(),
        model: "llama3.2".into(),
        answer_timeout_secs: 10,
        ..ProviderConfig::default()
    }
}

fn client(fake: &FakeProvider) -> Client {
    Client::new(&config(fake), None).unwrap()
}

fn ask<'a>(c: &'a [Candidate], exclude: &'a [String]) -> Ask<'a> {
    Ask {
        candidates: c,
        mood: "Date night",
        sentence: "A comedy under two hours, not seen yet",
        exclude,
        max_candidates: 60,
        temperature: Some(0.2),
    }
}

fn pick_json(id: &str) -> String {
    format!(r#"{{"id":"{id}","reason":"Light and warm. Perfect for two.","score":91}}"#)
}

fn answer(top: &str, alts: &[&str]) -> String {
    let alts: Vec<String> = alts.iter().map(|a| pick_json(a)).collect();
    format!(
        r#"{{"top":{},"alternatives":[{}]}}"#,
        pick_json(top),
        alts.join(",")
    )
}

fn model(outcome: Outcome) -> curator::Chosen {
    match outcome {
        Outcome::Model(c) => c,
        Outcome::Engine(f) => panic!("expected the model's pick, got {f:?}"),
    }
}

fn fallback(outcome: Outcome) -> Fallback {
    match outcome {
        Outcome::Engine(f) => {
            let note = f.note();
            assert!(
                note.starts_with("The model's answer could not be used: ")
                    && note.ends_with(". Showing PlexPicker's own pick."),
                "{note}"
            );
            f
        }
        Outcome::Model(c) => panic!("expected the fallback, got {c:?}"),
    }
}

/// What every prompt must (not) contain.
fn assert_clean(req: &LoggedRequest, max_candidates: usize) {
    let all = format!("{} {:?} {}", req.target, req.headers, req.body);
    for secret in [
        PLEX_TOKEN,
        MACHINE_ID,
        "192.168.1.20",
        "X-Plex-Token",
        "32400",
    ] {
        assert!(!all.contains(secret), "{secret} was sent");
    }
    let text = req.messages_text();
    assert!(text.contains("Mood: Date night"), "{text}");
    assert!(text.contains("A comedy under two hours"));
    let lines = text.lines().filter(|l| l.starts_with("[10")).count();
    assert!(lines >= 1 && lines <= max_candidates, "{lines} candidates");
}

#[tokio::test]
async fn a_good_answer_is_the_models_pick_and_the_prompt_is_grounded() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(100);
    let chosen = model(curate(&client(&fake), &ask(&cands, &[])).await);
    assert_eq!(chosen.format, Format::JsonSchema);
    assert_eq!(chosen.answers, 1);
    assert_eq!(chosen.credit(), format!("Chosen by llama3.2 on 127.0.0.1"));
    let ids = chosen.curation.ids();
    assert_eq!(ids.len(), 7, "top + six alternatives");
    let offered: Vec<&str> = cands[..60].iter().map(|c| c.id.as_str()).collect();
    assert!(ids.iter().all(|id| offered.contains(id)));

    let reqs = fake.chat_requests();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_clean(req, 60);
    let text = req.messages_text();
    assert_eq!(text.lines().filter(|l| l.starts_with("[10")).count(), 60);
    assert!(!text.contains("[1060]"), "the 61st candidate was sent");
    assert_eq!(req.header("authorization"), None, "no key, no header");
    let body = req.json().unwrap();
    assert_eq!(body["model"], "llama3.2");
    assert_eq!(req.response_format().as_deref(), Some("json_schema"));
    let enum_ids = body
        .pointer("/response_format/json_schema/schema/properties/top/properties/id/enum")
        .unwrap();
    assert_eq!(enum_ids.as_array().unwrap().len(), 60);
}

#[tokio::test]
async fn the_key_goes_only_in_the_bearer_header() {
    let key = "sk-test-Very-Secret-Key";
    let fake = FakeProvider::start(Config::with_key(key)).await.unwrap();
    let cands = candidates(10);
    let c = Client::new(&config(&fake), ApiKey::new(key)).unwrap();
    model(curate(&c, &ask(&cands, &[])).await);
    assert_eq!(c.models().await.unwrap(), vec!["llama3.2".to_string()]);
    for req in fake.requests() {
        assert_eq!(req.bearer(), Some(key));
        assert!(!req.body.contains(key) && !req.target.contains(key));
        let others: Vec<_> = req
            .headers
            .iter()
            .filter(|(n, _)| n != "authorization")
            .collect();
        assert!(!format!("{others:?}").contains(key));
    }

    // A wrong key: the server's 401 becomes "check the key", sent once, never echoed.
    fake.clear_requests();
    let wrong = Client::new(&config(&fake), ApiKey::new("sk-wrong")).unwrap();
    let f = fallback(curate(&wrong, &ask(&cands, &[])).await);
    assert!(
        matches!(
            f,
            Fallback::Provider(Error::Unauthorized { status: 401, .. })
        ),
        "{f:?}"
    );
    assert!(f.note().contains("check the key"));
    assert_eq!(fake.chat_requests().len(), 1);
    let none = Client::new(&config(&fake), None).unwrap();
    assert!(matches!(
        none.models().await,
        Err(Error::Unauthorized { .. })
    ));
}

#[tokio::test]
async fn fenced_json_and_think_preambles_are_read() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(10);
    fake.set_replies([
        Reply::content(format!("```json\n{}\n```", answer("1003", &["1004"]))),
        Reply::content(format!(
            "<think>\nThey want a comedy. Maybe [9999]?\n</think>\n{}",
            answer("1005", &[])
        )),
    ]);
    let c = client(&fake);
    let first = model(curate(&c, &ask(&cands, &[])).await);
    assert_eq!(first.curation.ids(), ["1003", "1004"]);
    let second = model(curate(&c, &ask(&cands, &[])).await);
    assert_eq!(second.curation.ids(), ["1005"]);
    assert_eq!(fake.chat_requests().len(), 2, "no retries were needed");
}

#[tokio::test]
async fn a_bad_answer_is_retried_once_with_the_problem_then_succeeds() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(10);
    fake.set_replies([
        Reply::content(answer("4242", &[])),
        Reply::content(answer("1001", &["1002"])),
    ]);
    let chosen = model(curate(&client(&fake), &ask(&cands, &[])).await);
    assert_eq!(chosen.answers, 2);
    assert_eq!(chosen.curation.ids(), ["1001", "1002"]);
    let reqs = fake.chat_requests();
    assert_eq!(reqs.len(), 2);
    let retry = reqs[1].json().unwrap();
    let msgs = retry["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 4);
    assert_eq!(msgs[2]["role"], "assistant");
    assert!(msgs[2]["content"].as_str().unwrap().contains("4242"));
    assert!(msgs[3]["content"]
        .as_str()
        .unwrap()
        .contains("\"4242\", which is not one of the candidates"));
}

#[tokio::test]
async fn two_bad_answers_fall_back_with_the_last_problem() {
    let cases: Vec<(Reply, BadAnswer)> = vec![
        (
            Reply::content(answer("4242", &[])),
            BadAnswer::UnknownId("4242".into()),
        ),
        (
            Reply::content(answer("1001", &["1002", "1001"])),
            BadAnswer::Duplicate("1001".into()),
        ),
        (
            Reply::content(r#"{"top":null,"alternatives":[]}"#),
            BadAnswer::NoPick,
        ),
        (Reply::Cut(answer("1001", &[])), BadAnswer::CutOff),
        (
            Reply::content("I'd go with Title 3, it's lovely."),
            BadAnswer::NotJson,
        ),
        (Reply::content("<think>hmm"), BadAnswer::Empty),
    ];
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(10);
    let c = client(&fake);
    for (reply, want) in cases {
        fake.clear_requests();
        fake.set_replies([reply.clone(), reply.clone()]);
        let f = fallback(curate(&c, &ask(&cands, &[])).await);
        assert_eq!(f, Fallback::BadAnswer(want.clone()), "{reply:?}");
        assert!(f.note().contains(&want.to_string()));
        assert_eq!(fake.chat_requests().len(), 2, "one retry only: {reply:?}");
    }
}

#[tokio::test]
async fn rate_limits_and_server_errors_fall_back_at_once() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(10);
    let c = client(&fake);
    fake.set_replies([Reply::RateLimited {
        retry_after_secs: 7,
    }]);
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    match &f {
        Fallback::Provider(Error::RateLimited { retry_after, .. }) => {
            assert_eq!(*retry_after, Some(Duration::from_secs(7)))
        }
        other => panic!("{other:?}"),
    }
    assert!(f.note().contains("wait 7 s"), "{}", f.note());
    assert_eq!(fake.chat_requests().len(), 1, "a 429 is not retried");

    fake.clear_requests();
    fake.set_replies([Reply::server_error()]);
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    assert!(
        matches!(f, Fallback::Provider(Error::Server { status: 500, .. })),
        "{f:?}"
    );
    assert!(f.note().contains("try again later"));
    assert_eq!(fake.chat_requests().len(), 1);
}

#[tokio::test]
async fn an_unknown_model_says_to_list_the_models() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(5);
    let cfg = ProviderConfig {
        model: "llama9".into(),
        ..config(&fake)
    };
    let c = Client::new(&cfg, None).unwrap();
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    assert!(
        matches!(&f, Fallback::Provider(Error::UnknownModel { model, .. }) if model == "llama9"),
        "{f:?}"
    );
    assert!(f.note().contains("list the models"));
    let models = c.models().await.unwrap();
    assert_eq!(models, ["llama3.2"]);
    // A base URL without /v1 is a 404 that is not about the model.
    let cfg = ProviderConfig {
        base_url: fake.base_url().trim_end_matches("/v1").to_string(),
        ..config(&fake)
    };
    let err = Client::new(&cfg, None).unwrap().models().await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("…/v1"));
}

#[tokio::test]
async fn servers_without_structured_output_get_json_object_then_plain_text() {
    let fake = FakeProvider::start(Config {
        json_schema: false,
        ..Config::default()
    })
    .await
    .unwrap();
    let cands = candidates(10);
    let chosen = model(curate(&client(&fake), &ask(&cands, &[])).await);
    assert_eq!(chosen.format, Format::JsonObject);
    let formats: Vec<Option<String>> = fake
        .chat_requests()
        .iter()
        .map(|r| r.response_format())
        .collect();
    assert_eq!(
        formats,
        [Some("json_schema".into()), Some("json_object".into())]
    );

    fake.set_config(Config {
        json_schema: false,
        json_object: false,
        ..Config::default()
    });
    fake.clear_requests();
    // Plain text: the fake finds the offered ids in the prompt's lines.
    let chosen = model(curate(&client(&fake), &ask(&cands, &[])).await);
    assert_eq!(chosen.format, Format::Text);
    let reqs = fake.chat_requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[2].response_format(), None);
    assert!(reqs[2].json().unwrap().get("response_format").is_none());
}

#[tokio::test]
async fn pick_again_never_offers_the_previous_picks() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(20);
    let c = client(&fake);
    let first = model(curate(&c, &ask(&cands, &[])).await);
    let previous: Vec<String> = first
        .curation
        .ids()
        .into_iter()
        .map(str::to_string)
        .collect();
    fake.clear_requests();
    let again = model(curate(&c, &ask(&cands, &previous)).await);
    for id in again.curation.ids() {
        assert!(!previous.iter().any(|p| p == id), "{id} was picked again");
    }
    let text = fake.chat_requests()[0].messages_text();
    for p in &previous {
        assert!(!text.contains(&format!("[{p}]")), "{p} was offered again");
    }
    // A model that names an excluded id anyway is treated as naming an unknown one.
    fake.set_replies([
        Reply::content(answer(&previous[0], &[])),
        Reply::content(answer(&previous[0], &[])),
    ]);
    let f = fallback(curate(&c, &ask(&cands, &previous)).await);
    assert_eq!(
        f,
        Fallback::BadAnswer(BadAnswer::UnknownId(previous[0].clone()))
    );
    // Everything excluded: nothing to ask, nothing sent.
    fake.clear_requests();
    let all: Vec<String> = cands.iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        curate(&c, &ask(&cands, &all)).await,
        Outcome::Engine(Fallback::NoCandidates)
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_redirect_is_not_followed_so_the_key_stays_put() {
    let key = "sk-redirect-secret";
    let fake = FakeProvider::start(Config::with_key(key)).await.unwrap();
    let elsewhere = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([Reply::Redirect {
        location: format!("{}/chat/completions", elsewhere.base_url()),
    }]);
    let cands = candidates(5);
    let c = Client::new(&config(&fake), ApiKey::new(key)).unwrap();
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    assert!(
        matches!(f, Fallback::Provider(Error::Redirect { status: 302, .. })),
        "{f:?}"
    );
    assert!(elsewhere.requests().is_empty(), "the redirect was followed");
}

#[tokio::test]
async fn connect_refused_falls_back_at_once_and_names_the_fix() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let cfg = ProviderConfig {
        base_url: format!("http://127.0.0.1:{port}/v1"),
        ..ProviderConfig::from_preset(Preset::Ollama)
    };
    let cands = candidates(5);
    let c = Client::new(&cfg, None).unwrap();
    let start = Instant::now();
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    assert!(
        matches!(f, Fallback::Provider(Error::Connect { .. })),
        "{f:?}"
    );
    assert!(f.note().contains("is Ollama running?"), "{}", f.note());
    // Far below the 5 s connect timeout: a refusal is not waited out.
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let err = c.test().await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }));
}

#[tokio::test]
async fn a_hang_and_a_trickle_fall_back_at_the_answer_timeout() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(5);
    let cfg = ProviderConfig {
        answer_timeout_secs: 1,
        ..config(&fake)
    };
    let c = Client::new(&cfg, None).unwrap();
    for reply in [
        Reply::Hang,
        Reply::Trickle {
            content: answer("1001", &[]),
            bytes_per_sec: 50,
        },
    ] {
        fake.clear_requests();
        fake.set_replies([reply.clone()]);
        let start = Instant::now();
        let f = fallback(curate(&c, &ask(&cands, &[])).await);
        let took = start.elapsed();
        assert!(
            matches!(f, Fallback::Provider(Error::Timeout { seconds: 1, .. })),
            "{reply:?}: {f:?}"
        );
        assert!(f.note().contains("did not answer within 1 s"));
        assert!(took >= Duration::from_millis(900), "{took:?}");
        assert!(took < Duration::from_secs(5), "{reply:?} took {took:?}");
        assert_eq!(fake.chat_requests().len(), 1, "a timeout is not retried");
    }
    // A trickle that finishes inside the timeout is a normal answer.
    fake.set_replies([Reply::Trickle {
        content: answer("1002", &[]),
        bytes_per_sec: 20_000,
    }]);
    let c = Client::new(&config(&fake), None).unwrap();
    assert_eq!(
        model(curate(&c, &ask(&cands, &[])).await).curation.ids(),
        ["1002"]
    );
}

#[tokio::test]
async fn an_oversized_answer_is_refused_not_buffered() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([Reply::content("x".repeat(200_000))]);
    let cands = candidates(5);
    let c = Client::new(&config(&fake), None)
        .unwrap()
        .max_body(64 * 1024);
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    assert!(
        matches!(f, Fallback::Provider(Error::TooLarge { limit: 65_536, .. })),
        "{f:?}"
    );
}

#[tokio::test]
async fn the_test_button_makes_one_tiny_request_and_reports_latency() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([Reply::content("OK")]);
    let report = client(&fake).test().await.unwrap();
    assert_eq!(report.model, "llama3.2");
    assert!(report.latency > Duration::ZERO);
    let reqs = fake.chat_requests();
    assert_eq!(reqs.len(), 1);
    let body = reqs[0].json().unwrap();
    assert_eq!(body["max_tokens"], 16);
    assert!(reqs[0].body.len() < 300, "{}", reqs[0].body);
}

#[tokio::test]
async fn one_deadline_covers_the_retry_too() {
    // A bad answer that takes ~0.6 s to arrive, then a hang: the whole exchange still ends
    // at the 1 s answer timeout, not after 1.6 s.
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let bad = answer("4242", &[]);
    let body_len = 400 + bad.len();
    fake.set_replies([
        Reply::Trickle {
            content: bad,
            bytes_per_sec: (body_len as f64 / 0.6) as u32,
        },
        Reply::Hang,
    ]);
    let cands = candidates(5);
    let cfg = ProviderConfig {
        answer_timeout_secs: 1,
        ..config(&fake)
    };
    let c = Client::new(&cfg, None).unwrap();
    let start = Instant::now();
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    let took = start.elapsed();
    assert!(
        matches!(f, Fallback::Provider(Error::Timeout { .. })),
        "{f:?}"
    );
    assert_eq!(fake.chat_requests().len(), 2, "the retry was sent");
    assert!(took < Duration::from_millis(1_400), "{took:?}");
}

#[tokio::test]
async fn a_server_that_echoes_the_key_never_gets_it_into_a_message() {
    let key = "sk-echo-me-please";
    let fake = FakeProvider::start(Config::with_key(key)).await.unwrap();
    fake.set_replies([Reply::Error {
        status: 400,
        message: format!("Bad request from Bearer {key}"),
        kind: "invalid_request_error".into(),
        code: None,
    }]);
    let cands = candidates(5);
    let c = Client::new(&config(&fake), ApiKey::new(key)).unwrap();
    // The 400 steps json_schema down to json_object; script the rest the same way.
    fake.push_reply(Reply::Error {
        status: 503,
        message: format!("overloaded, key {key}"),
        kind: "server_error".into(),
        code: None,
    });
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    let shown = format!("{} {f:?}", f.note());
    assert!(!shown.contains(key), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(
        matches!(f, Fallback::Provider(Error::Server { status: 503, .. })),
        "{f:?}"
    );
}

#[tokio::test]
async fn an_answer_without_content_is_a_bad_answer() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    fake.set_replies([Reply::content(""), Reply::content("   \n")]);
    let cands = candidates(5);
    let f = fallback(curate(&client(&fake), &ask(&cands, &[])).await);
    assert_eq!(f, Fallback::BadAnswer(BadAnswer::Empty));
}

#[tokio::test]
async fn a_connect_that_never_completes_stops_at_the_connect_timeout() {
    // A listener with a backlog of 1 that never accepts: once its queue is full, the kernel
    // drops further SYNs, so connecting neither succeeds nor is refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let _listener = socket.listen(1).unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        if let Ok(Ok(conn)) =
            tokio::time::timeout(Duration::from_millis(200), s.connect(addr)).await
        {
            fillers.push(conn);
        }
    }
    let cfg = ProviderConfig {
        base_url: format!("http://{addr}/v1"),
        ..ProviderConfig::from_preset(Preset::Ollama)
    };
    let c = Client::with_connect_timeout(&cfg, None, Duration::from_millis(300))
        .unwrap()
        .answer_timeout(Duration::from_secs(5));
    let cands = candidates(5);
    let start = Instant::now();
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    let took = start.elapsed();
    assert!(
        matches!(f, Fallback::Provider(Error::ConnectTimeout { .. })),
        "{f:?}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn an_unusable_temperature_from_settings_is_not_sent() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(5);
    let c = client(&fake);
    for (t, sent) in [
        (Some(f32::NAN), None),
        (Some(9.0), None),
        (Some(-1.0), None),
        (Some(0.5), Some(0.5)),
        (None, None),
    ] {
        fake.clear_requests();
        let a = Ask {
            temperature: t,
            ..ask(&cands, &[])
        };
        model(curate(&c, &a).await);
        let body = fake.chat_requests()[0].json().unwrap();
        assert_eq!(
            body.get("temperature").and_then(|v| v.as_f64()),
            sent,
            "{t:?}"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_chat_completion_is_a_typed_error() {
    let fake = FakeProvider::start(Config::default()).await.unwrap();
    let cands = candidates(5);
    let c = client(&fake);
    let raw = |status: u16, content_type: &str, body: &str| Reply::Raw {
        status,
        content_type: content_type.into(),
        body: body.into(),
    };
    for reply in [
        raw(
            200,
            "text/html",
            "<html><body>Sign in to the hotel Wi-Fi</body></html>",
        ),
        raw(
            200,
            "application/json",
            r#"{"id":"x","object":"chat.completion","choi"#,
        ),
        raw(200, "application/json", r#"{"object":"list","data":[]}"#),
        raw(
            200,
            "application/json",
            r#"{"choices":[{"message":{"content":42}}]}"#,
        ),
    ] {
        fake.clear_requests();
        fake.set_replies([reply.clone()]);
        let f = fallback(curate(&c, &ask(&cands, &[])).await);
        assert!(
            matches!(f, Fallback::Provider(Error::BadBody { .. })),
            "{reply:?}: {f:?}"
        );
        assert!(
            f.note().contains("openai-compatible server"),
            "{}",
            f.note()
        );
        assert_eq!(fake.chat_requests().len(), 1);
    }
    // A 502 page from a proxy: a server error with an excerpt, not a parse failure.
    fake.set_replies([raw(502, "text/html", "<h1>Bad Gateway</h1>")]);
    let f = fallback(curate(&c, &ask(&cands, &[])).await);
    assert!(
        matches!(&f, Fallback::Provider(Error::Server { status: 502, message, .. }) if message.contains("Bad Gateway")),
        "{f:?}"
    );
}
