use plexpicker_ipc::{
    AiKeyChange, AiPresetView, AiProviderRequest, AiProviderView, AiSettingsView, AiTestView,
    CurationView,
};

use super::super::ai::{host, AiForm, AiPanel};
use super::*;

fn preset(id: &str, label: &str, base_url: &str, needs_key: bool) -> AiPresetView {
    AiPresetView {
        id: id.into(),
        label: label.into(),
        base_url: base_url.into(),
        needs_key,
    }
}

/// The settings as the backend answers them: nothing set up yet.
fn settings() -> AiSettingsView {
    AiSettingsView {
        presets: vec![
            preset("ollama", "Ollama", "http://127.0.0.1:11434/v1", false),
            preset("openai", "OpenAI", "https://api.openai.com/v1", true),
            preset("custom", "Custom URL", "", false),
        ],
        provider: None,
        enabled: false,
        use_model: false,
        max_candidates: 60,
        timeout_secs: 60,
        privacy: "The model is sent the candidates' titles.\nNever your Plex sign-in.".into(),
    }
}

/// Ollama with llama3.2, switched on, the model choosing when `use_model`.
fn ollama(use_model: bool) -> AiSettingsView {
    AiSettingsView {
        provider: Some(AiProviderView {
            preset: "ollama".into(),
            base_url: "http://127.0.0.1:11434/v1".into(),
            model: "llama3.2".into(),
            has_key: false,
        }),
        enabled: true,
        use_model,
        ..settings()
    }
}

fn panel_open(view: AiSettingsView) -> State {
    reduce(
        on_picker(),
        [Action::OpenAi, Action::AiSettingsLoaded(Ok(view))],
    )
}

fn form(state: &State) -> &AiForm {
    &state.ai.panel.as_ref().expect("the panel is open").form
}

fn panel(state: &State) -> &AiPanel {
    state.ai.panel.as_ref().expect("the panel is open")
}

fn typed(state: State, fields: impl IntoIterator<Item = AiField>) -> State {
    reduce(state, fields.into_iter().map(Action::AiFormChanged))
}

/// The request the next save sends.
fn saved_request(effects: &[Effect]) -> AiProviderRequest {
    match effects {
        [Effect::SetAiProvider(request)] => request.clone(),
        other => panic!("expected one set_ai_provider, got {other:?}"),
    }
}

fn test_view() -> AiTestView {
    AiTestView {
        latency_ms: 42,
        model: "llama3.2".into(),
        provider: "Ollama".into(),
    }
}

fn curated(top: &str, note: Option<&str>, by_model: bool) -> PickView {
    PickView {
        curation: Some(CurationView {
            by_model,
            credit: by_model.then(|| "Chosen by llama3.2 on Ollama".to_string()),
            note: note.map(str::to_string),
        }),
        ..view(top, &["2"])
    }
}

#[test]
fn settings_load_at_the_start_and_fill_the_panel() {
    let (state, effects) = run(
        State::default(),
        [Action::Opened {
            reduced_motion: false,
        }],
    );
    assert!(effects.contains(&Effect::AiSettings));
    assert!(!state.ai.available(), "nothing known yet: no switch");

    let (state, effects) = run(on_picker(), [Action::OpenAi]);
    assert_eq!(effects, [Effect::AiSettings]);
    assert!(panel(&state).loading);
    // Opening it closes About (one dialog at a time), and About closes it.
    let about = reduce(state.clone(), [Action::OpenAbout]);
    assert!(about.ai.panel.is_none() && about.about.is_some());
    let from_about = reduce(about, [Action::OpenAi]);
    assert!(from_about.about.is_none() && from_about.ai.panel.is_some());

    // Nothing saved: the first preset, its address, off, the default limits.
    let state = reduce(state, [Action::AiSettingsLoaded(Ok(settings()))]);
    let f = form(&state);
    assert!(!panel(&state).loading);
    assert_eq!(f.preset, "ollama");
    assert_eq!(f.base_url, "http://127.0.0.1:11434/v1");
    assert_eq!(f.model, "");
    assert!(!f.enabled);
    assert_eq!(
        (f.max_candidates.as_str(), f.timeout_secs.as_str()),
        ("60", "60")
    );
    assert!(!state.ai.available());

    // Saved settings fill it; the key field is always empty.
    let state = panel_open(AiSettingsView {
        provider: Some(AiProviderView {
            has_key: true,
            ..ollama(false).provider.expect("a provider")
        }),
        ..ollama(false)
    });
    assert_eq!(form(&state).model, "llama3.2");
    assert!(form(&state).enabled);
    assert_eq!(form(&state).key, "");

    // A failed load says why; Close closes.
    let failed = reduce(
        on_picker(),
        [
            Action::OpenAi,
            Action::AiSettingsLoaded(Err(IpcError::new(ErrorKind::Storage, "unreadable"))),
        ],
    );
    assert!(panel(&failed).load_error.is_some());
    assert!(reduce(failed, [Action::CloseAi]).ai.panel.is_none());
}

#[test]
fn a_preset_fills_its_address_and_custom_asks_for_one() {
    let state = panel_open(settings());
    let state = reduce(state, [Action::AiChoosePreset("custom".into())]);
    assert_eq!(form(&state).preset, "custom");
    assert_eq!(form(&state).base_url, "", "a custom address is typed in");
    let state = typed(state, [AiField::BaseUrl("http://127.0.0.1:9/v1".into())]);
    assert_eq!(form(&state).base_url, "http://127.0.0.1:9/v1");
    let state = reduce(state, [Action::AiChoosePreset("openai".into())]);
    assert_eq!(form(&state).base_url, "https://api.openai.com/v1");
    // An unknown preset changes nothing.
    let same = reduce(state.clone(), [Action::AiChoosePreset("nope".into())]);
    assert_eq!(form(&same), form(&state));
}

#[test]
fn save_sends_the_key_once_and_never_keeps_it() {
    let state = typed(
        panel_open(settings()),
        [
            AiField::Model("llama3.2".into()),
            AiField::Key("sk-secret".into()),
            AiField::Enabled(true),
            AiField::MaxCandidates(" 40 ".into()),
            AiField::TimeoutSecs("30".into()),
        ],
    );
    let (state, effects) = run(state, [Action::AiSaveRequested]);
    assert_eq!(
        saved_request(&effects),
        AiProviderRequest {
            preset: "ollama".into(),
            base_url: "http://127.0.0.1:11434/v1".into(),
            model: "llama3.2".into(),
            key: AiKeyChange::Set("sk-secret".into()),
            enabled: true,
            max_candidates: 40,
            timeout_secs: 30,
        }
    );
    assert_eq!(panel(&state).busy, Some(AiBusy::Saving));
    // A second press while saving sends nothing.
    assert!(effects_of(&state, Action::AiSaveRequested).is_empty());

    let answer = AiSettingsView {
        provider: Some(AiProviderView {
            has_key: true,
            ..ollama(false).provider.expect("a provider")
        }),
        max_candidates: 40,
        timeout_secs: 30,
        ..ollama(false)
    };
    let (state, effects) = run(state, [Action::AiSaved(Ok(answer.clone()))]);
    assert!(effects.is_empty());
    assert!(panel(&state).saved);
    assert_eq!(panel(&state).busy, None);
    assert_eq!(form(&state).key, "", "the key is gone from the window");
    assert_eq!(state.ai.settings.as_ref(), Some(&answer));
    assert!(state.ai.available(), "the picker now offers the model");
    assert!(
        !format!("{state:?}").contains("sk-secret"),
        "the key is nowhere in the state"
    );

    // The next save keeps the saved key; Remove removes it, "Keep it" undoes that.
    let (_, effects) = run(state.clone(), [Action::AiSaveRequested]);
    assert_eq!(saved_request(&effects).key, AiKeyChange::Keep);
    let (_, effects) = run(
        state.clone(),
        [Action::AiRemoveKey(true), Action::AiSaveRequested],
    );
    assert_eq!(saved_request(&effects).key, AiKeyChange::Remove);
    let (_, effects) = run(
        state,
        [
            Action::AiRemoveKey(true),
            Action::AiRemoveKey(false),
            Action::AiSaveRequested,
        ],
    );
    assert_eq!(saved_request(&effects).key, AiKeyChange::Keep);
}

fn effects_of(state: &State, action: Action) -> Effects {
    effects(state, action)
}

#[test]
fn a_form_not_filled_in_properly_says_what_to_fix_and_calls_nothing() {
    let cases: [(AiField, &str); 4] = [
        (AiField::Model(" ".into()), "model"),
        (AiField::BaseUrl("127.0.0.1:11434".into()), "http://"),
        (AiField::MaxCandidates("0".into()), "Titles to offer"),
        (AiField::TimeoutSecs("ten".into()), "seconds"),
    ];
    for (field, says) in cases {
        let state = typed(panel_open(ollama(false)), [field.clone()]);
        let (state, effects) = run(state, [Action::AiSaveRequested]);
        assert!(effects.is_empty(), "{field:?} sent {effects:?}");
        let err = panel(&state).error.clone().expect("an error");
        assert!(err.message.contains(says), "{field:?}: {}", err.message);
        assert_eq!(panel(&state).busy, None);
        // Test shows the same problem where its result goes.
        let (state, effects) = run(state, [Action::AiTestRequested]);
        assert!(effects.is_empty());
        assert!(matches!(&panel(&state).test, Some(Err(e)) if e.message.contains(says)));
    }
}

#[test]
fn test_saves_then_tests_and_shows_the_latency_or_the_exact_problem() {
    let (state, effects) = run(panel_open(ollama(false)), [Action::AiTestRequested]);
    assert_eq!(saved_request(&effects).model, "llama3.2");
    assert_eq!(panel(&state).busy, Some(AiBusy::Testing));
    let (state, effects) = run(state, [Action::AiSaved(Ok(ollama(false)))]);
    assert_eq!(effects, [Effect::TestAiProvider]);
    assert!(!panel(&state).saved, "still testing");
    let state = reduce(state, [Action::AiTested(Ok(test_view()))]);
    assert_eq!(panel(&state).busy, None);
    assert_eq!(panel(&state).test, Some(Ok(test_view())));
    assert_eq!(
        test_line(&test_view()),
        "llama3.2 on Ollama answered in 42 ms."
    );

    // The provider's own words come back as they are.
    let refused = IpcError::new(
        ErrorKind::Unreachable,
        "Ollama refused the connection: is Ollama running? start it with `ollama serve`",
    );
    let state = reduce(
        state,
        [
            Action::AiTestRequested,
            Action::AiSaved(Ok(ollama(false))),
            Action::AiTested(Err(refused.clone())),
        ],
    );
    assert_eq!(panel(&state).test, Some(Err(refused.clone())));
    // A save that fails is the test's problem too; nothing is tested.
    let (state, effects) = run(
        state,
        [
            Action::AiTestRequested,
            Action::AiSaved(Err(refused.clone())),
        ],
    );
    assert_eq!(calls(&effects).len(), 1, "only the save: {effects:?}");
    assert_eq!(panel(&state).test, Some(Err(refused)));
    // A late answer for a panel that was closed is dropped.
    let closed = reduce(state, [Action::CloseAi, Action::AiTested(Ok(test_view()))]);
    assert!(closed.ai.panel.is_none());
}

#[test]
fn list_models_fills_a_choice_list() {
    // A model name is needed to test, to switch the model on, and to list (the backend lists
    // with the saved provider's client, made only with a model name); not to save it off.
    let state = typed(panel_open(ollama(false)), [AiField::Model(String::new())]);
    assert!(effects_of(&state, Action::AiSaveRequested).is_empty());
    assert!(effects_of(&state, Action::AiTestRequested).is_empty());
    let (listed, effects) = run(state.clone(), [Action::AiListModelsRequested]);
    assert!(effects.is_empty());
    let err = panel(&listed).error.clone().expect("says what to do");
    assert!(err.message.contains("model name first"), "{}", err.message);
    let off = typed(state.clone(), [AiField::Enabled(false)]);
    let (_, effects) = run(off, [Action::AiSaveRequested]);
    assert_eq!(
        saved_request(&effects).model,
        "",
        "a provider that stays off"
    );
    let state = typed(state, [AiField::Model("a guess".into())]);
    let (state, effects) = run(state, [Action::AiListModelsRequested]);
    assert_eq!(saved_request(&effects).model, "a guess");
    assert_eq!(panel(&state).busy, Some(AiBusy::Listing));
    let (state, effects) = run(state, [Action::AiSaved(Ok(ollama(false)))]);
    assert_eq!(effects, [Effect::ListAiModels]);
    let models = vec!["llama3.2".to_string(), "qwen2.5".to_string()];
    let state = reduce(state, [Action::AiModelsListed(Ok(models.clone()))]);
    assert_eq!(panel(&state).models.as_ref(), Some(&models));
    assert_eq!(
        form(&state).model,
        "llama3.2",
        "a name the server lacks gives way to the first listed"
    );
    let state = reduce(state, [Action::AiChooseModel("qwen2.5".into())]);
    assert_eq!(form(&state).model, "qwen2.5");
    // Another address: the old list no longer applies.
    let state = typed(state, [AiField::BaseUrl("http://127.0.0.1:1234/v1".into())]);
    assert_eq!(panel(&state).models, None);

    // No models: say so rather than show an empty list.
    let state = reduce(
        state,
        [
            Action::AiListModelsRequested,
            Action::AiSaved(Ok(ollama(false))),
            Action::AiModelsListed(Ok(Vec::new())),
        ],
    );
    assert_eq!(panel(&state).models, None);
    assert!(panel(&state).error.is_some());
}

#[test]
fn the_switch_shows_only_with_a_provider_on_and_is_remembered() {
    let off = reduce(on_picker(), [Action::AiSettingsLoaded(Ok(settings()))]);
    assert!(!off.ai.available());
    assert!(!reduce(off, [Action::SetUseModel(true)]).ai.use_model());

    let state = reduce(on_picker(), [Action::AiSettingsLoaded(Ok(ollama(false)))]);
    assert!(state.ai.available());
    assert!(!state.ai.use_model());
    assert_eq!(
        state.ai.model_label().as_deref(),
        Some("llama3.2 on Ollama")
    );
    let (state, effects) = run(state, [Action::SetUseModel(true)]);
    assert_eq!(effects, [Effect::SetUseModel(true)]);
    assert!(state.ai.use_model());
    // The same choice again calls nothing.
    assert!(effects_of(&state, Action::SetUseModel(true)).is_empty());
    // A failure to remember it is said.
    let state = reduce(
        state,
        [Action::UseModelFailed(IpcError::new(
            ErrorKind::Storage,
            "disk full",
        ))],
    );
    assert!(state
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("disk full")));

    // Switched off in the panel: the model no longer chooses, whatever the switch said.
    let state = reduce(
        state,
        [Action::AiSettingsLoaded(Ok(AiSettingsView {
            enabled: false,
            ..ollama(true)
        }))],
    );
    assert!(!state.ai.use_model());
    assert_eq!(
        calls(&effects_of(&state, Action::PickRequested)),
        [Effect::Pick(state.choices.clone())]
    );

    // Signing out keeps the device's AI settings.
    let state = reduce(
        state,
        [
            Action::AiSettingsLoaded(Ok(ollama(true))),
            Action::SignedOut(Ok(())),
        ],
    );
    assert_eq!(state.ai.settings, Some(ollama(true)));
}

#[test]
fn a_pick_with_the_model_thinks_can_be_cancelled_and_shows_the_note() {
    let state = reduce(on_picker(), [Action::AiSettingsLoaded(Ok(ollama(true)))]);
    let (state, effects) = run(state, [Action::PickRequested]);
    assert_eq!(calls(&effects), [Effect::AiPick(state.choices.clone())]);
    assert!(state.pick.spinning(), "the wheels spin meanwhile");
    let thinking = state.ai.thinking.clone().expect("thinking");
    assert_eq!(thinking.label, "Asking llama3.2 on Ollama…");
    assert!(!thinking.cancelling);

    // The wheels land; the model is still thinking.
    let state = land(state);
    assert_eq!(state.screen, Screen::Picker);
    assert!(state.pick.busy);

    let (state, effects) = run(state, [Action::CancelAiPick]);
    assert_eq!(effects, [Effect::CancelAiPick]);
    assert!(state.ai.thinking.as_ref().is_some_and(|t| t.cancelling));
    assert!(effects_of(&state, Action::CancelAiPick).is_empty(), "once");

    let stopped = "You stopped the model. Showing PlexPicker's own pick.";
    let state = reduce(
        state,
        [Action::PickFinished(Ok(curated("5", Some(stopped), false)))],
    );
    assert_eq!(state.screen, Screen::Results);
    assert_eq!(state.ai.thinking, None);
    let shown = state.results.view.as_ref().expect("a result");
    assert_eq!(shown.top.id, "5");
    let curation = shown.curation.as_ref().expect("a curation");
    assert_eq!(curation.note.as_deref(), Some(stopped));
    assert!(!curation.by_model);

    // "Pick again" asks the model again, with the thinking state on the results.
    let (state, effects) = run(state, [Action::PickRequested]);
    assert_eq!(effects, [Effect::AiPick(state.choices.clone())]);
    assert!(state.results.busy);
    assert!(state.ai.thinking.is_some());
    let state = reduce(state, [Action::PickFinished(Ok(curated("7", None, true)))]);
    assert_eq!(state.ai.thinking, None);
    let shown = state.results.view.as_ref().expect("a result");
    assert_eq!(shown.top.id, "7");
    assert!(shown.curation.as_ref().is_some_and(|c| c.by_model));

    // Nothing is thinking: Cancel does nothing.
    assert!(effects_of(&state, Action::CancelAiPick).is_empty());
    // "Not this one" is the engine's, as before.
    let (state, effects) = run(
        state,
        [
            Action::AskWhy,
            Action::RejectRequested(plexpicker_ipc::RejectReason::NotInTheMood),
        ],
    );
    assert!(matches!(effects.as_slice(), [Effect::Reject(_)]));
    assert_eq!(state.ai.thinking, None);

    // "PlexPicker chooses": the engine picks, no thinking.
    let state = reduce(
        state,
        [
            Action::RejectFinished(Ok(view("8", &[]))),
            Action::ShowPicker,
        ],
    );
    let (state, effects) = run(state, [Action::SetUseModel(false), Action::PickRequested]);
    assert_eq!(
        calls(&effects),
        [
            Effect::SetUseModel(false),
            Effect::Pick(state.choices.clone())
        ]
    );
    assert_eq!(state.ai.thinking, None);
}

#[test]
fn a_failed_pick_with_the_model_stops_thinking() {
    let state = reduce(on_picker(), [Action::AiSettingsLoaded(Ok(ollama(true)))]);
    let state = land(reduce(state, [Action::PickRequested]));
    let state = reduce(
        state,
        [Action::PickFinished(Err(IpcError::new(
            ErrorKind::NoMatch,
            "Nothing matches",
        )))],
    );
    assert_eq!(state.ai.thinking, None);
    assert!(!state.pick.busy);
    assert!(state.pick.error.is_some());
}

#[test]
fn the_provider_is_named_by_its_preset_or_its_host() {
    let custom = AiSettingsView {
        provider: Some(AiProviderView {
            preset: "custom".into(),
            base_url: "http://user:pw@127.0.0.1:8080/v1".into(),
            model: "mistral".into(),
            has_key: false,
        }),
        ..ollama(true)
    };
    let state = reduce(on_picker(), [Action::AiSettingsLoaded(Ok(custom))]);
    assert_eq!(
        state.ai.model_label().as_deref(),
        Some("mistral on 127.0.0.1")
    );
    assert_eq!(host("https://[::1]:8080/v1").as_deref(), Some("::1"));
    assert_eq!(
        host("http://example.test/v1?x=1").as_deref(),
        Some("example.test")
    );
    assert_eq!(host("no scheme"), None);
    assert_eq!(host("http:///v1"), None);
}
