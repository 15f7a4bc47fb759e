use super::*;

fn advanced() -> AdvancedSignIn {
    AdvancedSignIn {
        server_url: "http://127.0.0.1:32400".into(),
        token: "secret".into(),
    }
}

#[test]
fn opening_the_window_asks_where_the_app_stands() {
    let (state, effects) = run(
        State::default(),
        [Action::Opened {
            reduced_motion: true,
        }],
    );
    assert_eq!(effects, [Effect::Startup, Effect::AiSettings]);
    assert!(state.reduced_motion);
    assert_eq!(state.screen, Screen::Starting);
    // Motion can be switched back on, and signing out keeps the choice.
    let state = reduce(state, [Action::SetReducedMotion(false)]);
    assert!(!state.reduced_motion);
    let state = reduce(
        state,
        [Action::SetReducedMotion(true), Action::SignedOut(Ok(()))],
    );
    assert!(state.reduced_motion);
}

#[test]
fn each_landing_starts_its_own_call() {
    let (_, effects) = run(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            watching: Vec::new(),
            signed_in: true,
            server: Some(server("a")),
            ..Startup::default()
        }))],
    );
    assert_eq!(
        effects,
        [Effect::Connect {
            attempt: 1,
            server_id: "a".into()
        }]
    );
    let (state, effects) = run(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            watching: Vec::new(),
            signed_in: true,
            ..Startup::default()
        }))],
    );
    assert_eq!(
        effects,
        [Effect::ListServers {
            request: state.servers.request,
            refresh: false
        }]
    );
    // A cached catalog, or nobody signed in: nothing to call.
    let (_, effects) = run(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            watching: Vec::new(),
            signed_in: true,
            server: Some(server("a")),
            catalog: Some(catalog()),
            ..Startup::default()
        }))],
    );
    assert!(effects.is_empty());
    let (_, effects) = run(
        State::default(),
        [Action::StartupLoaded(Ok(Startup::default()))],
    );
    assert!(effects.is_empty());
}

#[test]
fn sign_in_buttons_call_the_backend() {
    let welcome = State {
        screen: Screen::Welcome,
        ..State::default()
    };
    assert_eq!(
        effects(&welcome, Action::SignInRequested),
        [Effect::StartSignIn]
    );
    let waiting = reduce(welcome.clone(), [Action::SignInRequested]);
    assert_eq!(
        effects(&waiting, Action::ReopenSignInPage),
        [Effect::OpenSignInPage]
    );
    // Not waiting for a PIN: there is no page to open again.
    assert!(effects(&welcome, Action::ReopenSignInPage).is_empty());
    assert_eq!(
        effects(&waiting, Action::CancelSignIn),
        [Effect::CancelSignIn]
    );
    // Approval lists the servers.
    let (state, effects) = run(
        waiting,
        [Action::SignInEvent(SignInEvent::SignedIn { account: None })],
    );
    assert_eq!(
        effects,
        [Effect::ListServers {
            request: state.servers.request,
            refresh: false
        }]
    );
}

#[test]
fn advanced_and_demo_call_once_until_answered() {
    let welcome = State {
        screen: Screen::Welcome,
        ..State::default()
    };
    let (busy, effects) = run(welcome.clone(), [Action::AdvancedRequested(advanced())]);
    assert_eq!(effects, [Effect::SignInWithToken(advanced())]);
    // A second press while the first runs calls nothing, and the demo waits too.
    assert!(self::effects(&busy, Action::AdvancedRequested(advanced())).is_empty());
    assert!(self::effects(&busy, Action::DemoRequested).is_empty());
    // Connected by URL: the libraries are listed straight away.
    let (state, effects) = run(busy, [Action::AdvancedFinished(Ok(server("m")))]);
    assert_eq!(
        effects,
        [Effect::ListLibraries {
            request: state.libraries.request
        }]
    );
    assert_eq!(
        self::effects(&welcome, Action::DemoRequested),
        [Effect::StartDemo]
    );
    let (_, effects) = run(
        welcome,
        [Action::DemoRequested, Action::DemoFinished(Ok(catalog()))],
    );
    assert_eq!(effects, [Effect::StartDemo]);
}

#[test]
fn about_and_sign_out_call_the_backend() {
    assert_eq!(
        effects(&State::default(), Action::OpenAbout),
        [Effect::About, Effect::AiSettings]
    );
    assert_eq!(
        effects(&on_results(), Action::SignOutRequested),
        [Effect::SignOut]
    );
    assert!(effects(&on_results(), Action::SignedOut(Ok(()))).is_empty());
}

#[test]
fn the_insecure_connections_setting_is_saved_from_the_open_about_panel_only() {
    let open = reduce(State::default(), [Action::OpenAbout]);
    assert_eq!(
        effects(
            &open,
            Action::SetInsecureConnections(InsecureConnections::Never)
        ),
        [Effect::SetInsecureConnections(InsecureConnections::Never)]
    );
    // With the panel closed nothing can have asked for it.
    assert!(effects(
        &State::default(),
        Action::SetInsecureConnections(InsecureConnections::Always)
    )
    .is_empty());
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
        watching: Vec::new(),
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
            watching: Vec::new(),
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
            Action::AdvancedRequested(advanced()),
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
            Action::AdvancedRequested(advanced()),
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
    let (same, effects) = rc.clone().reduce(Action::CancelAsk);
    assert!(Rc::ptr_eq(&rc, &same));
    assert!(effects.is_empty());
    // An action that only calls the backend changes nothing either.
    let (same, effects) = rc.clone().reduce(Action::SignOutRequested);
    assert!(Rc::ptr_eq(&rc, &same));
    assert_eq!(effects, [Effect::SignOut]);
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
}
