//! The curated pick against the fake OpenAI-compatible provider on loopback: a good answer, a
//! hallucinated one, a rate limit, a refused connection, a hang stopped by the user, "pick
//! again", and what was sent (no token, no address, no machine id, at most N candidates).

use std::collections::HashSet;
use std::time::Duration;

use fake_provider::{Config, FakeProvider, LoggedRequest, Reply};
use picker::{Catalog, Choices, History, IndexedCatalog, PickContext, Title};
use plexpicker_core::ai::{self, AiPick, AiSettings, ChosenBy, Memory, PickInput, Why};
use plexpicker_core::secrets::{Choice, SecretKey, Secrets, FALLBACK_FILE};
use plexpicker_core::settings::SettingsFile;
use plexpicker_ipc::{AiKeyChange, AiProviderRequest};

const KEY: &str = "sk-fake-key-0123456789";
const PLEX_TOKEN: &str = "plex-token-SHOULD-NEVER-LEAVE";
const ADDRESS: &str = "192-168-1-5.abcdef0123456789.plex.direct";
const MACHINE_ID: &str = "machine-0f1e2d3c4b5a";

/// A library whose titles carry what must never reach a prompt: a poster path with a token in
/// it, an address and a machine identifier in the library name.
fn catalog() -> IndexedCatalog {
    let titles = (1..=120)
        .map(|i| Title {
            year: Some(1980 + (i % 40) as u16),
            duration_ms: Some((85 + i % 50) * 60_000),
            genres: vec![if i % 2 == 0 { "Comedy" } else { "Drama" }.into()],
            critic_rating: Some(5.0 + (i % 5) as f32),
            audience_rating: Some(6.0 + (i % 4) as f32),
            content_rating: Some("PG-13".into()),
            summary: format!("The story of film number {i}, told slowly. ").repeat(20),
            thumb: Some(format!(
                "https://{ADDRESS}:32400/library/metadata/{i}/thumb?X-Plex-Token={PLEX_TOKEN}"
            )),
            library: format!("Movies on {ADDRESS} ({MACHINE_ID})").into(),
            ..Title::movie(format!("{}", 1000 + i), format!("Film {i}"))
        })
        .collect();
    IndexedCatalog::new(Catalog::new(titles))
}

fn ctx() -> PickContext {
    PickContext::new(1_750_000_000, 20 * 60, 7)
}

fn settings_for(fake_url: &str, max: u32) -> (AiSettings, plexpicker_core::secrets::MemorySecrets) {
    let secrets = plexpicker_core::secrets::MemorySecrets::default();
    let ai = ai::configure(
        &AiSettings::default(),
        &secrets,
        &AiProviderRequest {
            preset: "custom".into(),
            base_url: fake_url.into(),
            model: "llama3.2".into(),
            key: AiKeyChange::Set(KEY.into()),
            enabled: true,
            max_candidates: max,
            timeout_secs: 60,
        },
    )
    .expect("the fake provider's settings are valid");
    (ai, secrets)
}

async fn pick(
    ai: &AiSettings,
    secrets: &dyn Secrets,
    catalog: &IndexedCatalog,
    exclude: Vec<String>,
) -> AiPick {
    let history = History::default();
    let choices = Choices::default();
    let ctx = ctx();
    let input = PickInput {
        room: None,
        catalog,
        choices: &choices,
        history: &history,
        ctx: &ctx,
    };
    let prepared = ai::prepare(ai, ai::client(ai, secrets), input, exclude).unwrap();
    ai::ask(prepared, std::future::pending()).await
}

/// The ids offered in a chat request (the json_schema's enum).
fn offered(r: &LoggedRequest) -> Vec<String> {
    r.json()
        .unwrap()
        .pointer("/response_format/json_schema/schema/properties/top/properties/id/enum")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn in_catalog(pick: &AiPick, catalog: &IndexedCatalog) {
    for id in pick.ids() {
        assert!(
            catalog.catalog().get(&id).is_some(),
            "{id} is in the library"
        );
    }
}

#[tokio::test]
async fn a_good_answer_is_the_models_pick_with_its_reasons_and_credit() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    let (ai, secrets) = settings_for(&fake.base_url(), 60);
    let catalog = catalog();
    let got = pick(&ai, &secrets, &catalog, vec![]).await;
    assert!(got.by_model(), "{:?}", got.chosen_by);
    assert_eq!(
        got.credit().as_deref(),
        Some("Chosen by llama3.2 on 127.0.0.1")
    );
    assert_eq!(got.note(), None);
    // The fake's answer: its reasons and scores (95, 90, …), not the engine's.
    assert!(
        got.top.reason.contains("choice 1 of the fake model"),
        "{}",
        got.top.reason
    );
    assert_eq!(got.top.score, 95);
    assert_eq!(got.alternatives.len(), 6);
    assert_eq!(got.alternatives[0].score, 90);
    in_catalog(&got, &catalog);
    let view = got.curation_view();
    assert!(view.by_model && view.note.is_none());
    let chats = fake.chat_requests();
    assert_eq!(chats.len(), 1);
    assert_eq!(
        chats[0].bearer(),
        Some(KEY),
        "the key is sent as the bearer token"
    );
}

#[tokio::test]
async fn what_is_sent_has_no_token_address_or_machine_id_and_at_most_n_candidates() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    let (ai, secrets) = settings_for(&fake.base_url(), 12);
    let catalog = catalog();
    let got = pick(&ai, &secrets, &catalog, vec![]).await;
    assert!(got.by_model());
    let chats = fake.chat_requests();
    assert_eq!(chats.len(), 1);
    let body = &chats[0].body;
    for secret in [
        PLEX_TOKEN,
        ADDRESS,
        MACHINE_ID,
        "X-Plex-Token",
        "thumb",
        KEY,
    ] {
        assert!(!body.contains(secret), "{secret} was sent to the provider");
    }
    let ids = offered(&chats[0]);
    assert_eq!(ids.len(), 12, "at most max_candidates are offered");
    let text = chats[0].messages_text();
    let lines = text.lines().filter(|l| l.starts_with('[')).count();
    assert_eq!(lines, 12, "{text}");
    // The mood and the wheels' sentence are there; summaries are cut.
    assert!(text.contains("Let's watch a movie or show"), "{text}");
    assert!(
        text.len() < 12 * 600,
        "summaries are cut: {} chars",
        text.len()
    );
}

#[tokio::test]
async fn ids_never_offered_fall_back_to_the_engine_with_the_note() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    let bad =
        r#"{"top":{"id":"999999","reason":"Not in your library.","score":99},"alternatives":[]}"#;
    fake.set_replies([Reply::content(bad), Reply::content(bad)]);
    let (ai, secrets) = settings_for(&fake.base_url(), 60);
    let catalog = catalog();
    let got = pick(&ai, &secrets, &catalog, vec![]).await;
    assert!(!got.by_model());
    let note = got.note().unwrap();
    assert!(
        note.starts_with("The model's answer could not be used: ")
            && note.ends_with("Showing PlexPicker's own pick."),
        "{note}"
    );
    assert!(note.contains("999999"), "the note names the bad id: {note}");
    assert_eq!(got.credit(), None);
    in_catalog(&got, &catalog);
    assert!(!got.ids().contains(&"999999".to_string()));
    // Retried once with the validation error, then gave up.
    let chats = fake.chat_requests();
    assert_eq!(chats.len(), 2);
    assert!(chats[1].messages_text().contains("999999"));
}

#[tokio::test]
async fn a_rate_limit_falls_back_at_once_and_says_so() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    fake.set_replies([Reply::RateLimited {
        retry_after_secs: 20,
    }]);
    let (ai, secrets) = settings_for(&fake.base_url(), 60);
    let got = pick(&ai, &secrets, &catalog(), vec![]).await;
    let note = got.note().unwrap();
    assert!(
        note.contains("rate limiting") && note.contains("20 s"),
        "{note}"
    );
    assert!(matches!(
        got.chosen_by,
        ChosenBy::Engine(Why::Failed(curator::Fallback::Provider(
            curator::Error::RateLimited { .. }
        )))
    ));
    // No waiting out the retry-after, no second request.
    assert_eq!(fake.chat_requests().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_falls_back_with_what_to_do() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (ai, secrets) = settings_for(&format!("http://127.0.0.1:{port}/v1"), 60);
    let got = pick(&ai, &secrets, &catalog(), vec![]).await;
    let note = got.note().unwrap();
    assert!(note.contains("could not connect"), "{note}");
    assert!(note.contains("is the server running"), "{note}");
}

#[tokio::test]
async fn stopping_the_model_answers_the_engines_pick_with_the_stopped_note() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    fake.set_replies([Reply::Hang]);
    let (ai, secrets) = settings_for(&fake.base_url(), 60);
    let catalog = catalog();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let history = History::default();
    let choices = Choices::default();
    let ctx = ctx();
    let input = PickInput {
        room: None,
        catalog: &catalog,
        choices: &choices,
        history: &history,
        ctx: &ctx,
    };
    let prepared = ai::prepare(&ai, ai::client(&ai, &secrets), input, vec![]).unwrap();
    let engine_top = prepared.engine_pick().top.title_id.clone();
    let waiting = tokio::spawn(ai::ask(prepared, async move {
        let _ = stopped.await;
    }));
    // Stop once the provider has the request (it never answers).
    for _ in 0..500 {
        if !fake.chat_requests().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fake.chat_requests().len(), 1);
    stop.send(()).unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("stopping answers at once")
        .unwrap();
    assert_eq!(got.note().as_deref(), Some(ai::STOPPED_NOTE));
    assert_eq!(got.top.pick.title_id, engine_top);
    assert_eq!(
        got.curation_view().note.as_deref(),
        Some("You stopped the model. Showing PlexPicker's own pick.")
    );
}

#[tokio::test]
async fn pick_again_leaves_out_the_models_earlier_picks() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    let (ai, secrets) = settings_for(&fake.base_url(), 20);
    let catalog = catalog();
    let choices = Choices::default();
    let mut memory = Memory::default();
    let first = pick(&ai, &secrets, &catalog, memory.exclusions(&choices)).await;
    memory.remember(&choices, &first);
    let second = pick(&ai, &secrets, &catalog, memory.exclusions(&choices)).await;
    assert!(first.by_model() && second.by_model());
    let chats = fake.chat_requests();
    assert_eq!(chats.len(), 2);
    let before: HashSet<String> = first.ids().into_iter().collect();
    assert_eq!(before.len(), 7);
    let offered_again: HashSet<String> = offered(&chats[1]).into_iter().collect();
    assert_eq!(offered_again.len(), 20, "still 20 candidates offered");
    assert!(
        offered_again.is_disjoint(&before),
        "the earlier picks were offered again"
    );
    assert!(second.ids().iter().all(|id| !before.contains(id)));
    assert_eq!(second.excluded.len(), 7);
    // Other choices: nothing is left out.
    let other = Choices {
        mood: picker::Mood::FeelGood,
        ..Choices::default()
    };
    assert!(memory.exclusions(&other).is_empty());
}

#[tokio::test]
async fn off_or_not_set_up_is_the_engines_pick_without_asking() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    let (mut ai, secrets) = settings_for(&fake.base_url(), 60);
    ai.enabled = false;
    let got = pick(&ai, &secrets, &catalog(), vec![]).await;
    assert!(got.note().unwrap().contains("switched off"));
    let none = AiSettings {
        enabled: true,
        ..AiSettings::default()
    };
    let got = pick(&none, &secrets, &catalog(), vec![]).await;
    assert!(got.note().unwrap().contains("no AI provider is set up"));
    assert!(fake.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_key_is_in_the_secret_store_never_in_the_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::new(dir.path().join("cli-settings.json"));
    let secrets_dir = plexpicker_core::storage::secrets_dir(dir.path());
    let secrets = plexpicker_core::secrets::open("install-1", &secrets_dir, Choice::File).unwrap();
    let ai = ai::configure(
        &AiSettings::default(),
        secrets.as_ref(),
        &AiProviderRequest {
            preset: "open_router".into(),
            base_url: String::new(),
            model: "meta-llama/llama-3.3-70b-instruct".into(),
            key: AiKeyChange::Set(KEY.into()),
            enabled: true,
            max_candidates: 60,
            timeout_secs: 60,
        },
    )
    .unwrap();
    file.update(|s| s.ai = ai.clone()).unwrap();
    let saved = std::fs::read_to_string(file.path()).unwrap();
    assert!(!saved.contains(KEY), "{saved}");
    assert!(
        saved.contains("openrouter.ai"),
        "the provider is saved: {saved}"
    );
    let store = std::fs::read_to_string(secrets_dir.join(FALLBACK_FILE)).unwrap();
    assert!(store.contains(KEY));
    assert_eq!(
        secrets
            .get(&SecretKey::AiKey("open_router".into()))
            .unwrap()
            .as_deref(),
        Some(KEY)
    );
    // Read back: the same settings, and a client that has the key.
    let reopened = file.open(|_| panic!("current schema")).unwrap().settings;
    assert_eq!(reopened.ai, ai);
    assert!(ai::client(&reopened.ai, secrets.as_ref()).is_ok());
}

#[tokio::test]
async fn an_outage_falls_back_and_says_to_try_later() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    fake.set_replies([Reply::server_error()]);
    let (ai, secrets) = settings_for(&fake.base_url(), 60);
    let got = pick(&ai, &secrets, &catalog(), vec![]).await;
    let note = got.note().unwrap();
    assert!(
        note.contains("http 500") && note.contains("try again later"),
        "{note}"
    );
    assert_eq!(fake.chat_requests().len(), 1, "an outage is not retried");
}

#[tokio::test]
async fn a_provider_that_never_answers_falls_back_at_the_answer_timeout() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    fake.set_replies([Reply::Hang]);
    let (mut ai, secrets) = settings_for(&fake.base_url(), 60);
    ai.timeout_secs = 5;
    let got = tokio::time::timeout(
        Duration::from_secs(30),
        pick(&ai, &secrets, &catalog(), vec![]),
    )
    .await
    .expect("the answer timeout ends the wait");
    let note = got.note().unwrap();
    assert!(note.contains("did not answer within 5 s"), "{note}");
    assert!(!got.by_model());
}

/// Whatever the model answers, the pick is titles of the library that pass the choices (the
/// model's, or the engine's with a note), each once: never a title that was not offered.
#[tokio::test]
async fn whatever_the_model_says_the_pick_passes_the_choices() {
    let fake = FakeProvider::start(Config::with_key(KEY)).await.unwrap();
    let (ai, secrets) = settings_for(&fake.base_url(), 10);
    // The library: the movies above plus shows, which a movies-only pick must never offer.
    let mut titles = catalog().catalog().titles.clone();
    titles.extend((1..=30).map(|i| Title {
        genres: vec!["Comedy".into()],
        ..Title::show(format!("{}", 5000 + i), format!("Show {i}"))
    }));
    let catalog = IndexedCatalog::new(Catalog::new(titles));
    let choices = Choices {
        format: picker::Format::Movie,
        ..Choices::default()
    };
    let good = |id: &str| {
        format!(r#"{{"top":{{"id":"{id}","reason":"Fits.","score":80}},"alternatives":[]}}"#)
    };
    // The best-ranked movie is offered whatever the draw; a show never is.
    let offered_movie = {
        let history = History::default();
        catalog
            .ranked(&choices, &history, &ctx(), 1)
            .unwrap()
            .candidates[0]
            .title_id
            .clone()
    };
    let cases: Vec<(Vec<Reply>, bool)> = vec![
        (
            vec![Reply::content(format!(
                "```json\n{}\n```",
                good(&offered_movie)
            ))],
            true,
        ),
        (
            vec![Reply::content(format!(
                "<think>The user wants a film.</think>\n{}",
                good(&offered_movie)
            ))],
            true,
        ),
        (
            vec![Reply::content(good("5001")), Reply::content(good("5002"))],
            false,
        ),
        (
            vec![
                Reply::content(format!(
                    r#"{{"top":{{"id":"{0}","reason":"a","score":300}},"alternatives":[{{"id":"{0}","reason":"b","score":1}}]}}"#,
                    offered_movie
                ));
                2
            ],
            false,
        ),
        (vec![Reply::Cut(good(&offered_movie)); 2], false),
        (
            vec![Reply::content("<html>Sign in to the Wi-Fi</html>"); 2],
            false,
        ),
        (
            vec![Reply::Raw {
                status: 200,
                content_type: "application/json".into(),
                body: "{\"choices\": [".into(),
            }],
            false,
        ),
        (
            vec![Reply::Redirect {
                location: "http://127.0.0.1:9/elsewhere".into(),
            }],
            false,
        ),
        (
            vec![Reply::Trickle {
                content: good(&offered_movie),
                bytes_per_sec: 4_000,
            }],
            true,
        ),
    ];
    for (i, (replies, by_model)) in cases.into_iter().enumerate() {
        fake.set_replies(replies);
        let history = History::default();
        let ctx = ctx();
        let input = PickInput {
            room: None,
            catalog: &catalog,
            choices: &choices,
            history: &history,
            ctx: &ctx,
        };
        let prepared = ai::prepare(&ai, ai::client(&ai, &secrets), input, vec![]).unwrap();
        let got = ai::ask(prepared, std::future::pending()).await;
        assert_eq!(got.by_model(), by_model, "case {i}: {:?}", got.chosen_by);
        let ids = got.ids();
        let distinct: HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "case {i}: {ids:?}");
        for id in &ids {
            let title = catalog.catalog().get(id).expect("a title of the library");
            assert_eq!(title.kind, picker::Kind::Movie, "case {i}: {id}");
        }
        for s in std::iter::once(&got.top).chain(&got.alternatives) {
            assert!(s.score <= 100, "case {i}");
        }
        if !by_model {
            assert!(got
                .note()
                .unwrap()
                .ends_with("Showing PlexPicker's own pick."));
        }
    }
}
