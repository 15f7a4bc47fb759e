use super::*;
use plexpicker_ipc::{CandidateState, ClockTime, LibraryKind, PickCard, RejectReason, RouteKind};

fn reduce(state: State, actions: impl IntoIterator<Item = Action>) -> State {
    let mut rc = Rc::new(state);
    for action in actions {
        rc = rc.reduce(action);
    }
    (*rc).clone()
}

fn server(id: &str) -> ServerView {
    ServerView {
        id: id.into(),
        name: format!("Server {id}"),
        owned: true,
        owner: None,
        home: false,
        online: true,
    }
}

fn catalog() -> LoadedCatalog {
    LoadedCatalog {
        movies: 120,
        shows: 14,
        genres: vec!["Comedy".into(), "Drama".into(), "Horror".into()],
        loaded_at: 1_750_000_000,
        from_cache: false,
    }
}

fn candidate(id: &str, state: CandidateState, winner: bool) -> CandidateView {
    CandidateView {
        id: id.into(),
        label: format!("Route {id}"),
        address: format!("https://{id}.example:32400"),
        kind: RouteKind::Local,
        state,
        winner,
    }
}

fn card(id: &str) -> PickCard {
    PickCard {
        id: id.into(),
        title: format!("Title {id}"),
        year: Some(1999),
        kind_label: "Movie".into(),
        minutes: Some(116),
        rating: Some("8.1".into()),
        content_rating: Some("R".into()),
        genres: vec!["Drama".into()],
        summary: "Something happens.".into(),
        reason: "Rated 8.1".into(),
        episode: None,
        poster_url: None,
        watch_url: format!("https://app.plex.tv/desktop#!/x/{id}"),
        score: 90,
    }
}

fn view(top: &str, alternatives: &[&str]) -> PickView {
    PickView {
        top: card(top),
        alternatives: alternatives.iter().map(|id| card(id)).collect(),
        sentence: "Let's watch a movie".into(),
        matches: 10,
    }
}

fn library(key: &str, chosen: bool) -> LibraryView {
    LibraryView {
        key: key.into(),
        title: format!("Library {key}"),
        kind: LibraryKind::Movie,
        count: Some(10),
        chosen,
    }
}

fn on_picker() -> State {
    reduce(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            signed_in: true,
            server: Some(server("a")),
            catalog: Some(catalog()),
            ..Startup::default()
        }))],
    )
}

fn on_results() -> State {
    reduce(
        on_picker(),
        [
            Action::PickRequested,
            Action::PickFinished(Ok(view("1", &["2", "3"]))),
        ],
    )
}

#[test]
fn startup_landing_rules() {
    let mut startup = Startup::default();
    assert_eq!(landing(&startup), Screen::Welcome);
    startup.signed_in = true;
    assert_eq!(landing(&startup), Screen::Servers);
    startup.server = Some(server("a"));
    assert_eq!(landing(&startup), Screen::Connecting);
    startup.catalog = Some(catalog());
    assert_eq!(landing(&startup), Screen::Picker);
    let demo = Startup {
        demo: true,
        catalog: Some(catalog()),
        ..Startup::default()
    };
    assert_eq!(landing(&demo), Screen::Picker);
}

#[test]
fn startup_sets_choices_notice_and_starts_what_the_landing_needs() {
    let choices = Choices {
        mood: Mood::FeelGood,
        ..Choices::default()
    };
    let state = reduce(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            signed_in: true,
            server: Some(server("a")),
            choices: choices.clone(),
            notice: Some("Settings were damaged; a copy was kept.".into()),
            ..Startup::default()
        }))],
    );
    assert_eq!(state.screen, Screen::Connecting);
    assert_eq!(state.choices, choices);
    assert_eq!(state.connect.attempt, 1);
    assert_eq!(state.connect.server, Some(server("a")));
    assert_eq!(state.connect.after, AfterConnect::Libraries);
    assert!(state.notice.is_some());
    let state = reduce(state, [Action::DismissNotice]);
    assert_eq!(state.notice, None);

    let failed = reduce(
        State::default(),
        [Action::StartupLoaded(Err(IpcError::bridge("no engine")))],
    );
    assert_eq!(failed.screen, Screen::Welcome);
    assert!(failed.welcome.error.is_some());
}

#[test]
fn sign_in_flow() {
    let state = reduce(
        State {
            screen: Screen::Welcome,
            ..State::default()
        },
        [Action::SignInRequested],
    );
    assert_eq!(state.screen, Screen::Waiting);
    assert_eq!(state.sign_in.phase, SignInPhase::Starting);

    let state = reduce(
        state,
        [Action::PinStarted(Ok(PinStarted {
            code: "ABCD".into(),
            expires_in_secs: 300,
            browser_opened: true,
        }))],
    );
    assert_eq!(state.sign_in.phase, SignInPhase::Waiting);
    assert_eq!(state.sign_in.code.as_deref(), Some("ABCD"));
    assert_eq!(state.sign_in.secs_left, 300);

    let state = reduce(state, [Action::Tick, Action::Tick]);
    assert_eq!(state.sign_in.secs_left, 298);
    let state = reduce(
        state,
        [Action::SignInEvent(SignInEvent::Waiting { secs_left: 250 })],
    );
    assert_eq!(state.sign_in.secs_left, 250);

    let expired = reduce(state.clone(), [Action::SignInEvent(SignInEvent::Expired)]);
    assert_eq!(expired.sign_in.phase, SignInPhase::Expired);
    assert_eq!(expired.sign_in.secs_left, 0);
    // Ticks and stale waiting events no longer count down an expired code.
    let expired = reduce(
        expired,
        [
            Action::Tick,
            Action::SignInEvent(SignInEvent::Waiting { secs_left: 9 }),
        ],
    );
    assert_eq!(expired.sign_in.secs_left, 0);
    let again = reduce(expired, [Action::SignInRequested]);
    assert_eq!(again.sign_in.phase, SignInPhase::Starting);
    assert_eq!(again.sign_in.code, None);

    let signed_in = reduce(
        state.clone(),
        [Action::SignInEvent(SignInEvent::SignedIn {
            account: Some("alice".into()),
        })],
    );
    assert_eq!(signed_in.screen, Screen::Servers);
    assert!(signed_in.session.signed_in);
    assert_eq!(signed_in.session.account.as_deref(), Some("alice"));
    assert_eq!(signed_in.servers.request, state.servers.request + 1);
    assert_eq!(signed_in.servers.list, Remote::Loading);

    let err = IpcError::new(ErrorKind::Internal, "Plex said no. Try again.");
    let failed = reduce(
        state.clone(),
        [Action::SignInEvent(SignInEvent::Failed {
            error: err.clone(),
        })],
    );
    assert_eq!(failed.sign_in.phase, SignInPhase::Failed(err));

    let cancelled = reduce(state, [Action::CancelSignIn]);
    assert_eq!(cancelled.screen, Screen::Welcome);
    assert_eq!(cancelled.sign_in, SignInState::default());
}

#[test]
fn a_failed_start_and_late_events_are_handled() {
    let err = IpcError::new(ErrorKind::TimedOut, "plex.tv did not answer. Try again.");
    let state = reduce(
        State::default(),
        [
            Action::SignInRequested,
            Action::PinStarted(Err(err.clone())),
        ],
    );
    assert_eq!(state.sign_in.phase, SignInPhase::Failed(err));
    // After cancelling, a late approval does not move the user anywhere.
    let state = reduce(
        state,
        [
            Action::CancelSignIn,
            Action::SignInEvent(SignInEvent::SignedIn { account: None }),
        ],
    );
    assert_eq!(state.screen, Screen::Welcome);
    assert!(!state.session.signed_in);
}

#[test]
fn advanced_and_demo() {
    let welcome = State {
        screen: Screen::Welcome,
        ..State::default()
    };
    let state = reduce(welcome.clone(), [Action::ToggleAdvanced]);
    assert!(state.welcome.advanced_open);
    let state = reduce(
        state,
        [
            Action::AdvancedRequested,
            Action::AdvancedFinished(Ok(server("m"))),
        ],
    );
    assert_eq!(state.screen, Screen::Libraries);
    assert_eq!(state.session.server, Some(server("m")));
    assert!(state.session.signed_in);

    let err = IpcError::new(ErrorKind::Unauthorized, "That token was refused.");
    let state = reduce(
        welcome.clone(),
        [
            Action::AdvancedRequested,
            Action::AdvancedFinished(Err(err.clone())),
        ],
    );
    assert_eq!(state.screen, Screen::Welcome);
    assert_eq!(state.welcome.error, Some(err));
    assert_eq!(state.welcome.busy, None);

    let demo = reduce(
        welcome,
        [Action::DemoRequested, Action::DemoFinished(Ok(catalog()))],
    );
    assert_eq!(demo.screen, Screen::Picker);
    assert!(demo.session.demo);
    assert_eq!(demo.catalog, Some(catalog()));
}

#[test]
fn servers_answers_match_the_request() {
    let state = reduce(
        State {
            session: Session {
                signed_in: true,
                ..Session::default()
            },
            ..State::default()
        },
        [Action::ShowServers],
    );
    let request = state.servers.request;
    let stale = reduce(
        state.clone(),
        [Action::ServersLoaded {
            request: request.wrapping_sub(1),
            result: Ok(vec![server("old")]),
        }],
    );
    assert_eq!(stale.servers.list, Remote::Loading);
    let state = reduce(
        state,
        [Action::ServersLoaded {
            request,
            result: Ok(vec![server("a")]),
        }],
    );
    assert_eq!(state.servers.list, Remote::Ready(vec![server("a")]));
    let refreshed = reduce(state, [Action::RefreshServers]);
    assert!(refreshed.servers.refresh);
    assert_eq!(refreshed.servers.request, request + 1);
}

#[test]
fn candidates_merge_by_id_and_one_winner_is_marked() {
    let state = reduce(State::default(), [Action::ChooseServer(server("a"))]);
    assert_eq!(state.screen, Screen::Connecting);
    let attempt = state.connect.attempt;
    let state = reduce(
        state,
        [
            Action::CandidateUpdated(candidate("l", CandidateState::Trying, false)),
            Action::CandidateUpdated(candidate("r", CandidateState::Waiting, false)),
            Action::CandidateUpdated(candidate(
                "l",
                CandidateState::Connected { latency_ms: 12 },
                true,
            )),
        ],
    );
    assert_eq!(state.connect.candidates.len(), 2);
    assert_eq!(state.connect.candidates[0].id, "l");
    assert!(state.connect.candidates[0].winner);
    assert_eq!(
        state.connect.candidates[0].state,
        CandidateState::Connected { latency_ms: 12 }
    );
    let state = reduce(
        state,
        [Action::CandidateUpdated(candidate(
            "r",
            CandidateState::Connected { latency_ms: 40 },
            true,
        ))],
    );
    let winners: Vec<_> = state
        .connect
        .candidates
        .iter()
        .filter(|c| c.winner)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(winners, ["r"]);

    let outcome = ConnectOutcome {
        server: server("a"),
        candidates: vec![candidate(
            "l",
            CandidateState::Connected { latency_ms: 12 },
            true,
        )],
    };
    // A late answer from an older attempt is ignored.
    let stale = reduce(
        state.clone(),
        [Action::ConnectFinished {
            attempt: attempt.wrapping_sub(1),
            result: Ok(outcome.clone()),
        }],
    );
    assert_eq!(stale.screen, Screen::Connecting);
    let done = reduce(
        state,
        [Action::ConnectFinished {
            attempt,
            result: Ok(outcome),
        }],
    );
    assert_eq!(done.screen, Screen::Libraries);
    assert_eq!(done.libraries.list, Remote::Loading);
    assert_eq!(done.session.server, Some(server("a")));
    // Updates after the race are ignored.
    let after = reduce(
        done.clone(),
        [Action::CandidateUpdated(candidate(
            "x",
            CandidateState::Trying,
            false,
        ))],
    );
    assert_eq!(after.connect.candidates, done.connect.candidates);
}

#[test]
fn an_unreachable_server_shows_the_diagnosis_and_trust_retries() {
    let state = reduce(State::default(), [Action::ChooseServer(server("a"))]);
    let attempt = state.connect.attempt;
    let changed = candidate(
        "l",
        CandidateState::Failed {
            reason: "the certificate changed".into(),
            advice: Some("trust it if you replaced it".into()),
            certificate_changed: true,
        },
        false,
    );
    let err = IpcError::new(ErrorKind::Unreachable, "No route to Server a worked.").with_details(
        ErrorDetails::Diagnosis {
            candidates: vec![changed.clone()],
        },
    );
    let state = reduce(
        state,
        [Action::ConnectFinished {
            attempt,
            result: Err(err.clone()),
        }],
    );
    assert_eq!(state.connect.phase, ConnectPhase::Failed(err));
    assert_eq!(state.connect.candidates, vec![changed]);

    let state = reduce(state, [Action::TrustRequested("l".into())]);
    assert_eq!(state.connect.trusting.as_deref(), Some("l"));
    let bad = IpcError::new(ErrorKind::Storage, "Could not save.");
    let failed = reduce(state.clone(), [Action::TrustFinished(Err(bad.clone()))]);
    assert_eq!(failed.connect.trust_error, Some(bad));
    assert_eq!(failed.connect.attempt, attempt);
    let retried = reduce(state, [Action::TrustFinished(Ok(()))]);
    assert_eq!(retried.connect.attempt, attempt + 1);
    assert_eq!(retried.connect.phase, ConnectPhase::Running);
    assert!(retried.connect.candidates.is_empty());
    assert_eq!(retried.connect.server, Some(server("a")));
    let again = reduce(retried, [Action::RetryConnect]);
    assert_eq!(again.connect.attempt, attempt + 2);
}

#[test]
fn a_connection_check_with_a_catalog_reports_and_stays() {
    let state = reduce(on_picker(), [Action::CheckConnection]);
    assert_eq!(state.screen, Screen::Connecting);
    assert_eq!(state.connect.after, AfterConnect::Report);
    let state = reduce(
        state.clone(),
        [Action::ConnectFinished {
            attempt: state.connect.attempt,
            result: Ok(ConnectOutcome {
                server: server("a"),
                candidates: vec![],
            }),
        }],
    );
    assert_eq!(state.screen, Screen::Connecting);
    assert_eq!(state.connect.phase, ConnectPhase::Connected);
    let back = reduce(state, [Action::ShowPicker]);
    assert_eq!(back.screen, Screen::Picker);
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
        })],
    );
    assert_eq!(state.refreshing.as_ref().map(|p| p.loaded), Some(5));
    let state = reduce(
        state,
        [Action::LoadProgressed(LoadProgress {
            library: "Movies".into(),
            loaded: 10,
            total: 10,
        })],
    );
    assert_eq!(state.refreshing, None);
}

#[test]
fn choices_change_and_genres_never_sit_in_both_lists() {
    let state = reduce(
        on_picker(),
        [
            Action::SetFormat(Format::Show),
            Action::SetWatch(WatchFilter::Unwatched),
            Action::SetMood(Mood::DateNight),
            Action::ToggleIncludeGenre("Comedy".into()),
            Action::ToggleExcludeGenre("Horror".into()),
            Action::ToggleExcludeGenre("Comedy".into()),
            Action::ToggleDecade(1990),
            Action::ToggleDecade(1980),
            Action::SetRuntime(Some(RuntimeLimit::FinishBy {
                at: ClockTime::new(23, 0),
            })),
            Action::SetMaxContent(Some(ContentLevel::Teens)),
            Action::SetMinCritic(Some(7.5)),
        ],
    );
    let c = &state.choices;
    assert_eq!(c.format, Format::Show);
    assert_eq!(c.watch, WatchFilter::Unwatched);
    assert_eq!(c.mood, Mood::DateNight);
    assert!(c.include_genres.is_empty());
    assert_eq!(c.exclude_genres, ["Horror", "Comedy"]);
    assert_eq!(state.decades(), [1980, 1990]);
    assert_eq!(state.active_filters(), 5);
    assert_eq!(
        crate::text::sentence(c),
        "Let's watch a TV show that is unwatched and feels like Date Night."
    );
    let state = reduce(
        state,
        [Action::ToggleDecade(1980), Action::ToggleDecade(1990)],
    );
    assert_eq!(state.choices.years, None);
    let reset = reduce(state, [Action::ResetFilters]);
    assert_eq!(reset.active_filters(), 0);
    assert_eq!(reset.choices.mood, Mood::DateNight);
}

#[test]
fn no_match_shows_under_pick_and_can_be_relaxed() {
    let err = IpcError::new(ErrorKind::NoMatch, "No unwatched shows under 45 min.").with_details(
        ErrorDetails::NoMatch {
            filter: "runtime".into(),
            without: 14,
        },
    );
    let state = reduce(
        on_picker(),
        [
            Action::SetRuntime(Some(RuntimeLimit::MaxMinutes { minutes: 45 })),
            Action::PickRequested,
        ],
    );
    assert!(state.pick.busy);
    let state = reduce(state, [Action::PickFinished(Err(err.clone()))]);
    assert_eq!(state.screen, Screen::Picker);
    assert!(!state.pick.busy);
    assert_eq!(state.pick.error, Some(err.clone()));
    assert_eq!(no_match_hint(&err), Some(("runtime".into(), 14)));
    let relaxed_choices = relaxed(&state.choices, "runtime");
    assert_eq!(relaxed_choices.as_ref().and_then(|c| c.runtime), None);
    assert_eq!(
        relaxed(&state.choices, "mood"),
        None,
        "mood is already open"
    );
    assert_eq!(relaxed(&state.choices, "cool_off"), None);
    // Changing a choice clears the old error.
    let state = reduce(state, [Action::SetMood(Mood::FeelGood)]);
    assert_eq!(state.pick.error, None);
}

#[test]
fn results_alternatives_swap_into_the_top() {
    let state = on_results();
    assert_eq!(state.screen, Screen::Results);
    let state = reduce(state, [Action::ShowAlternative(1)]);
    let view = state.results.view.as_ref().expect("a view");
    assert_eq!(view.top.id, "3");
    let ids: Vec<_> = view.alternatives.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["2", "1"]);
    let same = reduce(state.clone(), [Action::ShowAlternative(9)]);
    assert_eq!(same, state);
}

#[test]
fn reject_flow() {
    let state = reduce(on_results(), [Action::AskWhy]);
    assert!(state.results.asking);
    let cancelled = reduce(state.clone(), [Action::CancelAsk]);
    assert!(!cancelled.results.asking);
    let state = reduce(state, [Action::RejectRequested]);
    assert!(state.results.busy);
    // No swapping while the new pick is coming.
    assert_eq!(reduce(state.clone(), [Action::ShowAlternative(0)]), state);
    let err = IpcError::new(ErrorKind::NoMatch, "Nothing else matches.");
    let failed = reduce(state.clone(), [Action::RejectFinished(Err(err.clone()))]);
    assert_eq!(failed.screen, Screen::Results);
    assert_eq!(failed.results.error, Some(err));
    assert!(!failed.results.busy);
    let next = reduce(state, [Action::RejectFinished(Ok(view("4", &["5"])))]);
    assert_eq!(
        next.results.view.as_ref().map(|v| v.top.id.as_str()),
        Some("4")
    );
    assert!(!next.results.asking && !next.results.busy);
    assert_eq!(RejectReason::ALL.len(), 3);
}

#[test]
fn pick_again_from_results_and_back_to_the_wheels() {
    let state = reduce(on_results(), [Action::PickRequested]);
    assert!(state.results.busy);
    let state = reduce(state, [Action::PickFinished(Ok(view("9", &[])))]);
    assert_eq!(
        state.results.view.as_ref().map(|v| v.top.id.as_str()),
        Some("9")
    );
    let back = reduce(state, [Action::ShowPicker]);
    assert_eq!(back.screen, Screen::Picker);
}

#[test]
fn sign_out_resets_everything_but_the_notice() {
    let state = reduce(on_results(), [Action::OpenAbout, Action::SignedOut(Ok(()))]);
    assert_eq!(state.screen, Screen::Welcome);
    assert_eq!(state.session, Session::default());
    assert_eq!(state.catalog, None);
    assert_eq!(state.results, ResultsState::default());
    assert_eq!(state.choices, Choices::default());
    assert_eq!(state.about, None);

    let failed = reduce(
        on_results(),
        [Action::SignedOut(Err(IpcError::new(
            ErrorKind::Storage,
            "The settings file is read-only.",
        )))],
    );
    assert_eq!(failed.screen, Screen::Welcome);
    assert!(failed
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("read-only")));
}

#[test]
fn about_panel_opens_loads_and_closes() {
    let state = reduce(State::default(), [Action::OpenAbout]);
    assert_eq!(state.about, Some(Remote::Loading));
    let err = IpcError::new(ErrorKind::Internal, "x");
    let state = reduce(state, [Action::AboutLoaded(Err(err.clone()))]);
    assert_eq!(state.about, Some(Remote::Failed(err)));
    let closed = reduce(state, [Action::CloseAbout]);
    assert_eq!(closed.about, None);
    // A late answer does not reopen it.
    let late = reduce(
        closed,
        [Action::AboutLoaded(Err(IpcError::new(
            ErrorKind::Internal,
            "y",
        )))],
    );
    assert_eq!(late.about, None);
}

#[test]
fn unchanged_state_keeps_the_same_rc() {
    let rc = Rc::new(State::default());
    let same = rc.clone().reduce(Action::CancelAsk);
    assert!(Rc::ptr_eq(&rc, &same));
}

#[test]
fn the_advanced_form_says_what_is_missing() {
    assert!(advanced_request("", "").is_err());
    assert!(advanced_request(" ", "t")
        .err()
        .is_some_and(|m| m.contains("address")));
    assert!(advanced_request("http://x", " ")
        .err()
        .is_some_and(|m| m.contains("Token")));
    let ok = advanced_request(" http://192.168.1.5:32400 ", " abc ");
    assert_eq!(
        ok,
        Ok(AdvancedSignIn {
            server_url: "http://192.168.1.5:32400".into(),
            token: "abc".into(),
        })
    );
    assert_eq!(filter_noun("runtime"), "the time limit");
}
