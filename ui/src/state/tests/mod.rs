//! Reducer tests, one module per flow like the reducer. Each asserts the state an action
//! leaves and the backend calls ([`Effect`]s) that follow it.

use super::picking::{Spin, WHEELS};
use super::session::landing;
use super::*;
pub(super) use plexpicker_ipc::{
    CandidateState, ClockTime, ErrorDetails, ErrorKind, Filter, LibraryKind, PickCard, RouteKind,
};

mod ai;
mod libraries;
mod picking;
mod profiles;
mod servers;
mod session;

/// The state after `actions`, each applied through [`State::reduce`].
pub(super) fn reduce(state: State, actions: impl IntoIterator<Item = Action>) -> State {
    run(state, actions).0
}

/// The state after `actions`, and every effect they asked for, in order.
pub(super) fn run(state: State, actions: impl IntoIterator<Item = Action>) -> (State, Effects) {
    let mut rc = Rc::new(state);
    let mut all = Effects::new();
    for action in actions {
        let (next, effects) = rc.reduce(action);
        rc = next;
        all.extend(effects);
    }
    ((*rc).clone(), all)
}

/// The effects one action asks for in `state`.
pub(super) fn effects(state: &State, action: Action) -> Effects {
    state.clone().apply(action)
}

/// The backend calls among `effects` (timers left out).
pub(super) fn calls(effects: &[Effect]) -> Vec<Effect> {
    effects
        .iter()
        .filter(|e| !matches!(e, Effect::After { .. }))
        .cloned()
        .collect()
}

pub(super) fn server(id: &str) -> ServerView {
    ServerView {
        id: id.into(),
        name: format!("Server {id}"),
        owned: true,
        owner: None,
        home: false,
        online: true,
    }
}

pub(super) fn catalog() -> LoadedCatalog {
    LoadedCatalog {
        movies: 120,
        shows: 14,
        genres: vec!["Comedy".into(), "Drama".into(), "Horror".into()],
        loaded_at: 1_750_000_000,
        from_cache: false,
    }
}

pub(super) fn candidate(id: &str, state: CandidateState, winner: bool) -> CandidateView {
    CandidateView {
        id: id.into(),
        label: format!("Route {id}"),
        address: format!("https://{id}.example:32400"),
        kind: RouteKind::Local,
        state,
        winner,
    }
}

pub(super) fn card(id: &str) -> PickCard {
    PickCard {
        id: id.into(),
        title: format!("Title {id}"),
        year: Some(1999),
        kind_label: "Movie".into(),
        minutes: Some(116),
        critic_rating: Some("8.1".into()),
        audience_rating: Some("7.6".into()),
        content_rating: Some("R".into()),
        genres: vec!["Drama".into()],
        summary: "Something happens.".into(),
        reason: "Rated 8.1".into(),
        episode: None,
        episode_id: None,
        poster_url: None,
        watch_url: format!("https://app.plex.tv/desktop#!/x/{id}"),
        score: 90,
    }
}

pub(super) fn view(top: &str, alternatives: &[&str]) -> PickView {
    PickView {
        top: card(top),
        alternatives: alternatives.iter().map(|id| card(id)).collect(),
        sentence: "Let's watch a movie".into(),
        matches: 10,
        curation: None,
    }
}

pub(super) fn library(key: &str, chosen: bool) -> LibraryView {
    LibraryView {
        key: key.into(),
        title: format!("Library {key}"),
        kind: LibraryKind::Movie,
        count: Some(10),
        chosen,
    }
}

pub(super) fn on_picker() -> State {
    reduce(
        State::default(),
        [Action::StartupLoaded(Ok(Startup {
            watching: Vec::new(),
            signed_in: true,
            server: Some(server("a")),
            catalog: Some(catalog()),
            ..Startup::default()
        }))],
    )
}

/// Lets every wheel of the current spin land.
pub(super) fn land(state: State) -> State {
    let round = state.pick.round;
    reduce(state, (0..WHEELS).map(|_| Action::SpinStep(round)))
}

pub(super) fn on_results() -> State {
    land(reduce(
        on_picker(),
        [
            Action::PickRequested,
            Action::PickFinished(Ok(view("1", &["2", "3"]))),
        ],
    ))
}
