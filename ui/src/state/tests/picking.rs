use super::*;

#[test]
fn pick_spins_the_wheels_then_reveals_the_answer() {
    let (state, effects) = run(on_picker(), [Action::PickRequested]);
    let round = state.pick.round;
    assert!(state.pick.busy);
    assert_eq!(state.pick.spin, Spin::Spinning { round, landed: 0 });
    assert!((0..WHEELS).all(|i| state.pick.wheel_spinning(i)));
    assert_eq!(calls(&effects), [Effect::Pick(state.choices.clone())]);
    let timers: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::After { millis, then } => Some((*millis, (**then).clone())),
            _ => None,
        })
        .collect();
    assert_eq!(timers.len(), usize::from(WHEELS));
    assert!(timers
        .iter()
        .all(|(_, then)| *then == Action::SpinStep(round)));
    assert!(
        timers.windows(2).all(|w| w[0].0 < w[1].0),
        "the wheels land one after the other: {timers:?}"
    );
    // A second press while spinning calls nothing.
    assert!(self::effects(&state, Action::PickRequested).is_empty());

    // The answer comes first: it waits for the wheels.
    let state = reduce(state, [Action::PickFinished(Ok(view("1", &[])))]);
    assert_eq!(state.screen, Screen::Picker);
    let state = reduce(state, [Action::SpinStep(round)]);
    assert!(!state.pick.wheel_spinning(0) && state.pick.wheel_spinning(1));
    // A timer from an older spin is ignored.
    let stale = reduce(state.clone(), [Action::SpinStep(round.wrapping_sub(1))]);
    assert_eq!(stale, state);
    let state = reduce(state, [Action::SpinStep(round), Action::SpinStep(round)]);
    assert_eq!(state.screen, Screen::Results);
    assert_eq!(state.pick.spin, Spin::Still);
    assert_eq!(
        state.results.view.as_ref().map(|v| v.top.id.as_str()),
        Some("1")
    );
}

#[test]
fn wheels_landing_first_reveal_the_answer_when_it_comes() {
    let state = land(reduce(on_picker(), [Action::PickRequested]));
    assert_eq!(state.screen, Screen::Picker);
    assert_eq!(state.pick.spin, Spin::Still);
    assert!(state.pick.busy, "still waiting for the pick");
    let state = reduce(state, [Action::PickFinished(Ok(view("7", &[])))]);
    assert_eq!(state.screen, Screen::Results);
}

#[test]
fn reduced_motion_takes_the_same_steps_sooner() {
    let timers = |reduced_motion: bool| -> Vec<u32> {
        let state = State {
            reduced_motion,
            ..on_picker()
        };
        effects(&state, Action::PickRequested)
            .into_iter()
            .filter_map(|e| match e {
                Effect::After { millis, .. } => Some(millis),
                _ => None,
            })
            .collect()
    };
    let full = timers(false);
    let reduced = timers(true);
    assert_eq!(full.len(), reduced.len(), "the same steps");
    assert!(full.iter().zip(&reduced).all(|(f, r)| r < f));
    let state = State {
        reduced_motion: true,
        ..on_picker()
    };
    let state = land(reduce(
        state,
        [
            Action::PickRequested,
            Action::PickFinished(Ok(view("2", &[]))),
        ],
    ));
    assert_eq!(state.screen, Screen::Results);
}

#[test]
fn leaving_mid_spin_drops_the_answer() {
    let state = reduce(
        on_picker(),
        [
            Action::PickRequested,
            Action::PickFinished(Ok(view("1", &[]))),
            Action::CheckConnection,
        ],
    );
    assert_eq!(state.screen, Screen::Connecting);
    let state = land(state);
    assert_eq!(state.screen, Screen::Connecting);
    assert_eq!(state.results.view, None);
}

#[test]
fn year_ranges_and_audience_ratings_are_filters() {
    let state = reduce(
        on_picker(),
        [
            Action::ToggleDecade(1980),
            Action::SetYearRange {
                from: Some(1995),
                to: None,
            },
            Action::SetMinAudience(Some(7.5)),
        ],
    );
    assert_eq!(state.year_range(), (Some(1995), None));
    assert!(state.decades().is_empty(), "a range replaces the decades");
    assert_eq!(state.choices.min_audience, Some(7.5));
    assert_eq!(state.active_filters(), 2);
    // A reversed range is put the right way round.
    let state = reduce(
        state,
        [Action::SetYearRange {
            from: Some(2010),
            to: Some(1990),
        }],
    );
    assert_eq!(state.year_range(), (Some(1990), Some(2010)));
    // A decade replaces the range; an empty range clears the years.
    let decade = reduce(state.clone(), [Action::ToggleDecade(1970)]);
    assert_eq!(decade.year_range(), (None, None));
    assert_eq!(decade.decades(), [1970]);
    let cleared = reduce(
        state,
        [Action::SetYearRange {
            from: None,
            to: None,
        }],
    );
    assert_eq!(cleared.choices.years, None);
    assert_eq!(cleared.choices.without(Filter::Years), None);
    let relaxed_audience = decade.choices.without(Filter::AudienceRating);
    assert_eq!(relaxed_audience.and_then(|c| c.min_audience), None);
}

#[test]
fn watch_in_plex_opens_the_top_pick_except_in_the_demo() {
    let state = on_results();
    assert_eq!(
        effects(&state, Action::WatchRequested),
        [Effect::WatchInPlex {
            title_id: "1".into(),
            episode_id: None,
        }]
    );
    let demo = State {
        session: Session {
            demo: true,
            ..Session::default()
        },
        ..on_results()
    };
    assert!(effects(&demo, Action::WatchRequested).is_empty());
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
        crate::text::sentence_for(c, 1),
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
            filter: Filter::Runtime,
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
    // The wheels stop at once to show why.
    assert_eq!(state.pick.spin, Spin::Still);
    assert_eq!(state.pick.error, Some(err.clone()));
    assert_eq!(no_match_hint(&err), Some((Filter::Runtime, 14)));
    // The picker's own lifting and naming of the filter.
    let relaxed_choices = state.choices.without(Filter::Runtime);
    assert_eq!(relaxed_choices.as_ref().and_then(|c| c.runtime), None);
    assert_eq!(
        state.choices.without(Filter::Mood),
        None,
        "mood is already open"
    );
    assert_eq!(state.choices.without(Filter::CoolOff), None);
    assert_eq!(Filter::Runtime.noun(), "the runtime limit");
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
    let state = reduce(state, [Action::RejectRequested(RejectReason::SeenIt)]);
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
    let (state, effects) = run(on_results(), [Action::PickRequested]);
    assert!(state.results.busy);
    // From the results there are no wheels to spin: just the call.
    assert_eq!(effects, [Effect::Pick(state.choices.clone())]);
    let state = reduce(state, [Action::PickFinished(Ok(view("9", &[])))]);
    assert_eq!(
        state.results.view.as_ref().map(|v| v.top.id.as_str()),
        Some("9")
    );
    let back = reduce(state, [Action::ShowPicker]);
    assert_eq!(back.screen, Screen::Picker);
}
