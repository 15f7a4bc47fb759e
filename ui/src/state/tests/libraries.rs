use super::*;

#[test]
fn load_calls_with_the_chosen_keys_once() {
    let state = State {
        session: Session {
            signed_in: true,
            ..Session::default()
        },
        ..State::default()
    };
    let (state, effects) = run(state, [Action::ShowLibraries]);
    assert_eq!(
        effects,
        [Effect::ListLibraries {
            request: state.libraries.request
        }]
    );
    // Nothing listed yet: nothing to load.
    assert!(self::effects(&state, Action::LoadRequested).is_empty());
    let request = state.libraries.request;
    let state = reduce(
        state,
        [Action::LibrariesLoaded {
            request,
            result: Ok(vec![
                library("1", true),
                library("2", false),
                library("3", true),
            ]),
        }],
    );
    let (loading, effects) = run(state.clone(), [Action::LoadRequested]);
    assert_eq!(
        effects,
        [Effect::LoadLibraries {
            keys: vec!["1".into(), "3".into()]
        }]
    );
    assert!(self::effects(&loading, Action::LoadRequested).is_empty());
    // None ticked: no call.
    let none = reduce(
        state,
        [
            Action::ToggleLibrary("1".into()),
            Action::ToggleLibrary("3".into()),
        ],
    );
    assert!(self::effects(&none, Action::LoadRequested).is_empty());
}

#[test]
fn libraries_choose_and_load_with_progress() {
    let mut state = State {
        session: Session {
            signed_in: true,
            ..Session::default()
        },
        ..State::default()
    };
    state = reduce(state, [Action::ShowLibraries]);
    let request = state.libraries.request;
    state = reduce(
        state,
        [
            Action::LibrariesLoaded {
                request,
                result: Ok(vec![library("1", true), library("2", true)]),
            },
            Action::ToggleLibrary("2".into()),
        ],
    );
    assert_eq!(state.libraries.chosen_keys(), ["1"]);
    state = reduce(state, [Action::LoadRequested]);
    assert_eq!(state.libraries.load, LoadPhase::Loading(None));
    // No unticking while loading.
    state = reduce(state, [Action::ToggleLibrary("1".into())]);
    assert_eq!(state.libraries.chosen_keys(), ["1"]);
    let progress = LoadProgress {
        library: "Movies".into(),
        loaded: 50,
        total: 120,
        episodes: None,
    };
    state = reduce(state, [Action::LoadProgressed(progress.clone())]);
    assert_eq!(state.libraries.load, LoadPhase::Loading(Some(progress)));
    let err = IpcError::new(ErrorKind::TimedOut, "The server stopped answering.");
    let failed = reduce(state.clone(), [Action::LoadFinished(Err(err.clone()))]);
    assert_eq!(failed.libraries.load, LoadPhase::Failed(err));
    let done = reduce(state, [Action::LoadFinished(Ok(catalog()))]);
    assert_eq!(done.screen, Screen::Picker);
    assert_eq!(done.catalog, Some(catalog()));
}

#[test]
fn background_refresh_progress_is_shown_outside_the_libraries_page() {
    let state = reduce(
        on_picker(),
        [Action::LoadProgressed(LoadProgress {
            library: "Movies".into(),
            loaded: 5,
            total: 10,
            episodes: None,
        })],
    );
    assert_eq!(state.refreshing.as_ref().map(|p| p.loaded), Some(5));
    let state = reduce(
        state,
        [Action::LoadProgressed(LoadProgress {
            library: "Movies".into(),
            loaded: 10,
            total: 10,
            episodes: None,
        })],
    );
    assert_eq!(state.refreshing, None);
}

/// Connected after choosing a server: the library list is on its way.
fn just_connected() -> State {
    let state = reduce(State::default(), [Action::ChooseServer(server("a"))]);
    let attempt = state.connect.attempt;
    reduce(
        state,
        [Action::ConnectFinished {
            attempt,
            result: Ok(ConnectOutcome {
                server: server("a"),
                candidates: vec![],
            }),
        }],
    )
}

#[test]
fn after_connecting_the_chosen_libraries_load_at_once() {
    let state = just_connected();
    assert_eq!(state.screen, Screen::Libraries);
    assert!(state.libraries.auto_load);
    let request = state.libraries.request;
    let (state, effects) = run(
        state,
        [Action::LibrariesLoaded {
            request,
            result: Ok(vec![
                library("1", true),
                library("2", false),
                library("3", true),
            ]),
        }],
    );
    assert_eq!(state.libraries.load, LoadPhase::Loading(None));
    assert_eq!(
        effects,
        [Effect::LoadLibraries {
            keys: vec!["1".into(), "3".into()]
        }]
    );
    // Zero clicks from the connection to the picker.
    let state = reduce(state, [Action::LoadFinished(Ok(catalog()))]);
    assert_eq!(state.screen, Screen::Picker);

    // Connected by URL and token: the same.
    let state = reduce(
        State::default(),
        [
            Action::AdvancedRequested(AdvancedSignIn {
                server_url: "http://127.0.0.1:32400".into(),
                token: "t".into(),
            }),
            Action::AdvancedFinished(Ok(server("m"))),
        ],
    );
    assert!(state.libraries.auto_load);
}

#[test]
fn the_library_list_waits_when_opened_by_hand_or_nothing_is_chosen() {
    // Nothing chosen: nothing loads, the page asks for a tick.
    let state = just_connected();
    let request = state.libraries.request;
    let (none, effects) = run(
        state,
        [Action::LibrariesLoaded {
            request,
            result: Ok(vec![library("1", false)]),
        }],
    );
    assert_eq!(none.libraries.load, LoadPhase::Idle);
    assert!(effects.is_empty());
    // Opt-out: the list opened from the header (or "Reload libraries") waits for Load, so the
    // choice can be changed first.
    let by_hand = reduce(on_picker(), [Action::ShowLibraries]);
    assert_eq!(by_hand.screen, Screen::Libraries);
    assert!(!by_hand.libraries.auto_load);
    let request = by_hand.libraries.request;
    let (state, effects) = run(
        by_hand,
        [Action::LibrariesLoaded {
            request,
            result: Ok(vec![library("1", true)]),
        }],
    );
    assert_eq!(state.libraries.load, LoadPhase::Idle);
    assert!(effects.is_empty());
    // A failed list does not start a load, and a failed load is not retried by itself.
    let state = just_connected();
    let request = state.libraries.request;
    let failed = reduce(
        state,
        [Action::LibrariesLoaded {
            request,
            result: Err(IpcError::new(
                ErrorKind::TimedOut,
                "The server stopped answering.",
            )),
        }],
    );
    assert_eq!(failed.libraries.load, LoadPhase::Idle);
    assert!(!failed.libraries.auto_load);
}
