use super::*;

#[test]
fn lists_and_attempts_call_the_backend_with_their_number() {
    let signed_in = State {
        session: Session {
            signed_in: true,
            ..Session::default()
        },
        ..State::default()
    };
    let (state, effects) = run(signed_in.clone(), [Action::ShowServers]);
    assert_eq!(
        effects,
        [Effect::ListServers {
            request: state.servers.request,
            refresh: false
        }]
    );
    let (state, effects) = run(state, [Action::RefreshServers]);
    assert_eq!(
        effects,
        [Effect::ListServers {
            request: state.servers.request,
            refresh: true
        }]
    );
    // Not signed in: no server list to show.
    assert!(self::effects(&State::default(), Action::ShowServers).is_empty());

    let (state, effects) = run(state, [Action::ChooseServer(server("a"))]);
    assert_eq!(
        effects,
        [Effect::Connect {
            attempt: state.connect.attempt,
            server_id: "a".into()
        }]
    );
    let (retried, effects) = run(state.clone(), [Action::RetryConnect]);
    assert_eq!(
        effects,
        [Effect::Connect {
            attempt: retried.connect.attempt,
            server_id: "a".into()
        }]
    );
    assert_eq!(
        self::effects(&state, Action::TrustRequested("c1".into())),
        [Effect::TrustCertificate(TrustRequest {
            server_id: "a".into(),
            candidate_id: "c1".into()
        })]
    );
    // No server chosen: nothing to trust, nothing to connect to.
    assert!(self::effects(&signed_in, Action::TrustRequested("c1".into())).is_empty());
    assert!(self::effects(&signed_in, Action::CheckConnection).is_empty());
    // Connected: the libraries are listed.
    let (done, effects) = run(
        state.clone(),
        [Action::ConnectFinished {
            attempt: state.connect.attempt,
            result: Ok(ConnectOutcome {
                server: server("a"),
                candidates: vec![],
            }),
        }],
    );
    assert_eq!(
        effects,
        [Effect::ListLibraries {
            request: done.libraries.request
        }]
    );
    // A check with a catalog loaded reports and lists nothing.
    let checking = reduce(on_picker(), [Action::CheckConnection]);
    let (_, effects) = run(
        checking.clone(),
        [Action::ConnectFinished {
            attempt: checking.connect.attempt,
            result: Ok(ConnectOutcome {
                server: server("a"),
                candidates: vec![],
            }),
        }],
    );
    assert!(effects.is_empty());
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

/// Signed in through the PIN page, with the server list on its way.
fn just_signed_in() -> State {
    reduce(
        State::default(),
        [
            Action::SignInRequested,
            Action::SignInEvent(SignInEvent::SignedIn { account: None }),
        ],
    )
}

#[test]
fn a_lone_server_after_sign_in_is_connected_without_asking() {
    let state = just_signed_in();
    assert!(state.servers.auto_connect);
    let request = state.servers.request;
    let (state, effects) = run(
        state,
        [Action::ServersLoaded {
            request,
            result: Ok(vec![server("a")]),
        }],
    );
    assert_eq!(state.screen, Screen::Connecting);
    assert_eq!(state.session.server, Some(server("a")));
    assert_eq!(
        effects,
        [Effect::Connect {
            attempt: state.connect.attempt,
            server_id: "a".into()
        }]
    );
    // The same after a start that lands on the list.
    let (state, _) = run(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            watching: Vec::new(),
            signed_in: true,
            ..Startup::default()
        }))],
    );
    let request = state.servers.request;
    let state = reduce(
        state,
        [Action::ServersLoaded {
            request,
            result: Ok(vec![server("b")]),
        }],
    );
    assert_eq!(state.screen, Screen::Connecting);
}

#[test]
fn the_server_list_waits_for_a_choice_when_asked_for_or_when_there_are_several() {
    // Two servers: the user chooses.
    let state = just_signed_in();
    let request = state.servers.request;
    let (two, effects) = run(
        state.clone(),
        [Action::ServersLoaded {
            request,
            result: Ok(vec![server("a"), server("b")]),
        }],
    );
    assert_eq!(two.screen, Screen::Servers);
    assert!(effects.is_empty());
    // A failed list, then "Try again": still the sign-in's list, so a lone server connects.
    let failed = reduce(
        state,
        [Action::ServersLoaded {
            request,
            result: Err(IpcError::new(
                ErrorKind::TimedOut,
                "plex.tv did not answer.",
            )),
        }],
    );
    let retried = reduce(failed, [Action::RefreshServers]);
    assert!(retried.servers.auto_connect);
    // Opt-out: "Switch" (or "Choose another server") opens the list to choose from it, even
    // with one server, so a server that failed is not retried in a loop.
    let switched = reduce(
        State {
            session: Session {
                signed_in: true,
                ..Session::default()
            },
            ..State::default()
        },
        [Action::ShowServers],
    );
    assert!(!switched.servers.auto_connect);
    let request = switched.servers.request;
    let (state, effects) = run(
        switched,
        [Action::ServersLoaded {
            request,
            result: Ok(vec![server("a")]),
        }],
    );
    assert_eq!(state.screen, Screen::Servers);
    assert!(effects.is_empty());
    // And Refresh from there keeps asking.
    let refreshed = reduce(state, [Action::RefreshServers]);
    assert!(!refreshed.servers.auto_connect);
    // The rule is used once: a later answer to the same list does not connect again.
    let state = just_signed_in();
    let request = state.servers.request;
    let state = reduce(
        state,
        [Action::ServersLoaded {
            request,
            result: Ok(vec![server("a")]),
        }],
    );
    assert!(!state.servers.auto_connect);
}

#[test]
fn posters_are_asked_for_again_once_the_server_is_back() {
    let state = reduce(on_results(), [Action::CheckConnection]);
    let before = state.poster_retry;
    let attempt = state.connect.attempt;
    let failed = reduce(
        state.clone(),
        [Action::ConnectFinished {
            attempt,
            result: Err(IpcError::new(ErrorKind::Unreachable, "No route worked.")),
        }],
    );
    assert_eq!(failed.poster_retry, before, "still unreachable: no retry");
    let back = reduce(
        state,
        [Action::ConnectFinished {
            attempt,
            result: Ok(ConnectOutcome {
                server: server("a"),
                candidates: vec![],
            }),
        }],
    );
    assert_eq!(back.poster_retry, before.wrapping_add(1));
    // A background refresh that finishes means the server answered too.
    let progress = |loaded| LoadProgress {
        library: "Movies".into(),
        loaded,
        total: 10,
        episodes: None,
    };
    let refreshing = reduce(on_picker(), [Action::LoadProgressed(progress(5))]);
    assert_eq!(refreshing.poster_retry, on_picker().poster_retry);
    let done = reduce(refreshing, [Action::LoadProgressed(progress(10))]);
    assert_eq!(done.poster_retry, on_picker().poster_retry.wrapping_add(1));
}
