//! "Ask a model" through the app's commands, against the Plex simulator and the fake
//! OpenAI-compatible provider on loopback: setting the provider up (the key never comes back
//! and never lands in a file or an event), a pick the model makes, a hallucinated answer, a
//! rate limit, Cancel while the model thinks, and "pick again".

use std::collections::HashSet;
use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider, LoggedRequest, Reply};
use plexpicker_ipc::command::{self, NoArgs, RequestArgs, SetUseModelArgs};
use plexpicker_ipc::{
    AiKeyChange, AiProviderRequest, AiSettingsView, Choices, ErrorKind, PickRequest, PickView,
};

use super::harness::App;
use super::{assert_no_token_in_files, every_token, home_sim, loaded, secrets_file};

/// The API key the tests give the fake provider; [`super::every_token`] searches for it too.
pub const AI_KEY: &str = "sk-command-test-key-5f4e3d2c1b";

/// The fake provider on a runtime of its own (the tests drive the app from a plain thread).
struct Provider {
    fake: FakeProvider,
    _runtime: tokio::runtime::Runtime,
}

impl Provider {
    fn start() -> Provider {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the fake provider");
        let fake = runtime
            .block_on(FakeProvider::start(Config::with_key(AI_KEY)))
            .expect("the fake provider starts");
        Provider {
            fake,
            _runtime: runtime,
        }
    }

    fn request(&self, key: AiKeyChange) -> RequestArgs<AiProviderRequest> {
        RequestArgs {
            request: AiProviderRequest {
                preset: "custom".into(),
                base_url: self.fake.base_url(),
                model: "llama3.2".into(),
                key,
                enabled: true,
                max_candidates: 25,
                timeout_secs: 60,
            },
        }
    }

    /// Waits until the provider has received `n` chat requests (up to 10 s).
    fn wait_for_chats(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.fake.chat_requests().len() < n {
            assert!(Instant::now() < deadline, "the model was never asked");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn ai_pick(choices: &Choices) -> RequestArgs<PickRequest> {
    RequestArgs {
        request: PickRequest {
            choices: choices.clone(),
            ai: true,
        },
    }
}

/// The ids offered in a chat request (its json_schema's enum).
fn offered(r: &LoggedRequest) -> Vec<String> {
    r.json()
        .expect("a JSON body")
        .pointer("/response_format/json_schema/schema/properties/top/properties/id/enum")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn ids(view: &PickView) -> Vec<String> {
    std::iter::once(&view.top)
        .chain(&view.alternatives)
        .map(|c| c.id.clone())
        .collect()
}

/// Signed in, libraries loaded, the fake provider set up with its key.
fn ready() -> (super::sim::Simulator, tempfile::TempDir, App, Provider) {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    loaded(&app);
    let provider = Provider::start();
    app.call::<command::SetAiProvider>(provider.request(AiKeyChange::Set(AI_KEY.into())));
    (sim, data, app, provider)
}

#[test]
fn setting_up_a_provider_keeps_its_key_out_of_every_answer_event_and_file() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let provider = Provider::start();
    // Off by default, every preset offered.
    let fresh: AiSettingsView = app.call::<command::AiSettings>(NoArgs {});
    assert!(!fresh.enabled && !fresh.use_model && fresh.provider.is_none());
    assert_eq!((fresh.max_candidates, fresh.timeout_secs), (60, 60));
    assert_eq!(fresh.presets.len(), 7);
    assert!(fresh
        .presets
        .iter()
        .any(|p| p.id == "ollama" && p.base_url == "http://127.0.0.1:11434/v1" && !p.needs_key));
    // A bad address is refused with what to do, and nothing is kept.
    let mut bad = provider.request(AiKeyChange::Set(AI_KEY.into()));
    bad.request.base_url = "ftp://127.0.0.1/v1".into();
    let err = app.call_err::<command::SetAiProvider>(bad);
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert!(
        err.message.contains("http://127.0.0.1:11434/v1"),
        "{}",
        err.message
    );
    assert!(!std::fs::read_to_string(secrets_file(data.path()))
        .unwrap_or_default()
        .contains(AI_KEY));
    // Saved: the answer says a key is stored, never which.
    let saved =
        app.call::<command::SetAiProvider>(provider.request(AiKeyChange::Set(AI_KEY.into())));
    let view = saved.provider.as_ref().expect("the provider");
    assert!(view.has_key && saved.enabled);
    assert_eq!(view.model, "llama3.2");
    assert!(saved.privacy.contains("127.0.0.1"), "{}", saved.privacy);
    assert!(saved.privacy.contains("never sends your Plex sign-in"));
    app.call::<command::SetUseModel>(SetUseModelArgs { use_model: true });
    let now: AiSettingsView = app.call::<command::AiSettings>(NoArgs {});
    assert!(now.use_model);
    // "Keep" keeps the key; Test and List models use it.
    let kept = app.call::<command::SetAiProvider>(provider.request(AiKeyChange::Keep));
    assert!(kept.provider.unwrap().has_key && kept.use_model);
    let test = app.call::<command::TestAiProvider>(NoArgs {});
    assert_eq!(test.model, "llama3.2");
    assert_eq!(test.provider, "127.0.0.1");
    assert_eq!(
        app.call::<command::ListAiModels>(NoArgs {}),
        vec!["llama3.2".to_string()]
    );
    let sent = provider.fake.requests();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.bearer() == Some(AI_KEY)));
    // About says what goes to the provider.
    let about = app.call::<command::About>(NoArgs {});
    assert!(about.privacy.iter().any(|p| p.contains("127.0.0.1")));
    // The key: in the secret store only.
    assert!(std::fs::read_to_string(secrets_file(data.path()))
        .unwrap()
        .contains(AI_KEY));
    assert!(!app.everything_sent().contains(AI_KEY));
    let files = assert_no_token_in_files(data.path(), &every_token(&sim));
    assert!(files > 0, "the settings were written");
    // Removing it: gone from the store, and the provider refuses requests without it.
    let removed = app.call::<command::SetAiProvider>(provider.request(AiKeyChange::Remove));
    assert!(!removed.provider.unwrap().has_key);
    assert!(!std::fs::read_to_string(secrets_file(data.path()))
        .unwrap()
        .contains(AI_KEY));
    let err = app.call_err::<command::TestAiProvider>(NoArgs {});
    assert!(
        err.message.contains("refused the api key"),
        "{}",
        err.message
    );
}

#[test]
fn the_model_chooses_with_its_reasons_scores_and_credit_and_nothing_secret_is_sent() {
    let (sim, data, app, provider) = ready();
    let view: PickView = app.call::<command::Pick>(ai_pick(&Choices::default()));
    let curation = view
        .curation
        .clone()
        .expect("a pick with the model says who chose");
    assert!(curation.by_model);
    assert_eq!(
        curation.credit.as_deref(),
        Some("Chosen by llama3.2 on 127.0.0.1")
    );
    assert_eq!(curation.note, None);
    // The fake model's reasons and scores, on cards of the library's own titles.
    assert!(
        view.top.reason.contains("choice 1 of the fake model"),
        "{}",
        view.top.reason
    );
    assert_eq!(view.top.score, 95);
    assert_eq!(view.alternatives.len(), 6);
    assert_eq!(view.alternatives[5].score, 65);
    let chats = provider.fake.chat_requests();
    assert_eq!(chats.len(), 1);
    let offered_ids = offered(&chats[0]);
    assert_eq!(offered_ids.len(), 25, "at most max_candidates are offered");
    assert!(ids(&view).iter().all(|id| offered_ids.contains(id)));
    // No token, machine identifier or address of any server in what the provider received.
    let body = &chats[0].body;
    let mut secret = every_token(&sim);
    for server in sim.sim.servers() {
        secret.push(server.machine_identifier.clone());
        for c in &server.connections {
            secret.push(c.uri.clone());
            secret.push(c.host.clone());
            secret.push(c.addr.to_string());
        }
    }
    for s in &secret {
        assert!(!body.contains(s.as_str()), "{s} was sent to the provider");
    }
    assert!(!body.contains("X-Plex"), "{body}");
    // The model's top pick is in the history like the engine's; the key never left.
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.path().join("settings.json")).unwrap())
            .unwrap();
    let entries = saved["settings"]["history"]["entries"].as_array().unwrap();
    assert_eq!(
        entries.last().unwrap()["title_id"],
        view.top.id.as_str(),
        "the model's top pick is in the history"
    );
    assert!(!app.everything_sent().contains(AI_KEY));
    assert_no_token_in_files(data.path(), &every_token(&sim));
}

#[test]
fn a_hallucinated_answer_shows_the_engines_pick_with_the_note() {
    let (_sim, _data, app, provider) = ready();
    let bad = r#"{"top":{"id":"no-such-title","reason":"A film nobody has.","score":99},"alternatives":[]}"#;
    provider
        .fake
        .set_replies([Reply::content(bad), Reply::content(bad)]);
    let view: PickView = app.call::<command::Pick>(ai_pick(&Choices::default()));
    let curation = view.curation.expect("who chose");
    assert!(!curation.by_model);
    assert_eq!(curation.credit, None);
    let note = curation.note.expect("the fallback note");
    assert!(
        note.starts_with("The model's answer could not be used: ")
            && note.ends_with("Showing PlexPicker's own pick."),
        "{note}"
    );
    assert!(note.contains("no-such-title"), "{note}");
    assert_ne!(view.top.id, "no-such-title");
    assert!(
        !view.top.reason.contains("nobody"),
        "the engine's own reason"
    );
    assert_eq!(
        provider.fake.chat_requests().len(),
        2,
        "one retry, then the engine"
    );
}

#[test]
fn a_rate_limit_shows_the_engines_pick_at_once_and_names_it() {
    let (_sim, _data, app, provider) = ready();
    provider.fake.set_replies([Reply::RateLimited {
        retry_after_secs: 30,
    }]);
    let view: PickView = app.call::<command::Pick>(ai_pick(&Choices::default()));
    let note = view.curation.and_then(|c| c.note).expect("a note");
    assert!(note.contains("rate limiting"), "{note}");
    assert!(note.contains("30 s"), "{note}");
    assert_eq!(
        provider.fake.chat_requests().len(),
        1,
        "no retry, no waiting"
    );
}

#[test]
fn cancel_while_the_model_thinks_answers_the_engines_pick_with_the_stopped_note() {
    let (_sim, _data, app, provider) = ready();
    provider.fake.set_replies([Reply::Hang]);
    let invoker = app.invoker();
    let waiting =
        std::thread::spawn(move || invoker.try_call::<command::Pick>(ai_pick(&Choices::default())));
    provider.wait_for_chats(1);
    app.call::<command::CancelAiPick>(NoArgs {});
    let answer = waiting.join().unwrap().expect("the pick answers");
    let view: PickView = serde_json::from_value(answer).unwrap();
    let curation = view.curation.expect("who chose");
    assert!(!curation.by_model);
    assert_eq!(
        curation.note.as_deref(),
        Some("You stopped the model. Showing PlexPicker's own pick.")
    );
    // Cancelling with nothing waiting does nothing.
    app.call::<command::CancelAiPick>(NoArgs {});
}

#[test]
fn pick_again_asks_the_model_for_others() {
    let (_sim, _data, app, provider) = ready();
    let choices = Choices::default();
    let first: PickView = app.call::<command::Pick>(ai_pick(&choices));
    let second: PickView = app.call::<command::Pick>(ai_pick(&choices));
    let chats = provider.fake.chat_requests();
    assert_eq!(chats.len(), 2);
    let before: HashSet<String> = ids(&first).into_iter().collect();
    let offered_again: HashSet<String> = offered(&chats[1]).into_iter().collect();
    assert!(
        offered_again.is_disjoint(&before),
        "the previous picks were offered again: {:?}",
        offered_again.intersection(&before).collect::<Vec<_>>()
    );
    assert!(ids(&second).iter().all(|id| !before.contains(id)));
    // The engine's own pick (ai: false) asks nobody.
    let engine: PickView = app.call::<command::Pick>(RequestArgs {
        request: PickRequest { choices, ai: false },
    });
    assert_eq!(engine.curation, None);
    assert_eq!(provider.fake.chat_requests().len(), 2);
}

#[test]
fn a_pick_with_the_model_before_any_provider_is_set_up_is_the_engines_with_a_note() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    loaded(&app);
    let view: PickView = app.call::<command::Pick>(ai_pick(&Choices::default()));
    let note = view.curation.and_then(|c| c.note).expect("a note");
    assert!(note.contains("switched off"), "{note}");
    let err = app.call_err::<command::TestAiProvider>(NoArgs {});
    assert!(
        err.message.contains("No AI provider is set up"),
        "{}",
        err.message
    );
}
