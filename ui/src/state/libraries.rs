//! Libraries: the connected server's library list, choosing, and loading them.

use plexpicker_ipc::{IpcError, LibraryView, LoadProgress};

use super::{Action, Effect, Effects, PickState, Remote, ResultsState, Screen, State};

/// Where loading the chosen libraries stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LoadPhase {
    #[default]
    Idle,
    /// Loading; the last progress report, if one came.
    Loading(Option<LoadProgress>),
    Failed(IpcError),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LibrariesState {
    /// Bumped whenever the list is (re)loaded; answers are matched to it.
    pub request: u32,
    pub list: Remote<Vec<LibraryView>>,
    pub load: LoadPhase,
    /// Load the chosen libraries as soon as the list arrives (the backend has every movie and
    /// show library chosen unless the user unticked it before). Set when the list follows a
    /// connection; the user opening the list from the header or after a connection check
    /// opts out, so they can change the choice first.
    pub auto_load: bool,
}

impl LibrariesState {
    /// The keys of the chosen libraries.
    pub fn chosen_keys(&self) -> Vec<String> {
        self.list
            .ready()
            .map(|list| {
                list.iter()
                    .filter(|l| l.chosen)
                    .map(|l| l.key.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn loading(&self) -> bool {
        matches!(self.load, LoadPhase::Loading(_))
    }
}

impl State {
    /// The library list, loaded again; `auto_load` if loading starts as soon as it arrives.
    pub(super) fn show_libraries(&mut self, auto_load: bool, fx: &mut Effects) {
        self.screen = Screen::Libraries;
        self.libraries.auto_load = auto_load;
        self.libraries.request = self.libraries.request.wrapping_add(1);
        self.libraries.list = Remote::Loading;
        self.libraries.load = LoadPhase::Idle;
        fx.push(Effect::ListLibraries {
            request: self.libraries.request,
        });
    }
}

/// Loads the chosen libraries, unless nothing is chosen or a load is running.
fn start_load(state: &mut State, fx: &mut Effects) {
    let keys = state.libraries.chosen_keys();
    if state.screen != Screen::Libraries || state.libraries.loading() || keys.is_empty() {
        return;
    }
    state.libraries.load = LoadPhase::Loading(None);
    fx.push(Effect::LoadLibraries { keys });
}

pub(super) fn apply(state: &mut State, action: Action, fx: &mut Effects) {
    match action {
        Action::ShowLibraries if state.session.signed_in => {
            state.show_libraries(false, fx);
        }
        Action::LibrariesLoaded { request, result } => {
            if state.screen != Screen::Libraries || request != state.libraries.request {
                return;
            }
            state.libraries.list = result.into();
            if std::mem::take(&mut state.libraries.auto_load) {
                start_load(state, fx);
            }
        }
        Action::ToggleLibrary(key) => {
            if state.libraries.loading() {
                return;
            }
            if let Remote::Ready(list) = &mut state.libraries.list {
                if let Some(library) = list.iter_mut().find(|l| l.key == key) {
                    library.chosen = !library.chosen;
                }
            }
        }
        Action::LoadRequested => start_load(state, fx),
        Action::LoadProgressed(progress) => {
            if let LoadPhase::Loading(last) = &mut state.libraries.load {
                if state.screen == Screen::Libraries {
                    *last = Some(progress);
                    return;
                }
            }
            // Not loading on this screen: a cached catalog is being refreshed.
            if state.catalog.is_some() {
                let was_refreshing = state.refreshing.is_some();
                state.refreshing = (progress.loaded < progress.total).then_some(progress);
                if was_refreshing && state.refreshing.is_none() {
                    state.retry_posters();
                }
            }
        }
        Action::LoadFinished(result) => {
            if state.screen != Screen::Libraries || !state.libraries.loading() {
                return;
            }
            match result {
                Ok(catalog) => {
                    state.libraries.load = LoadPhase::Idle;
                    state.catalog = Some(catalog);
                    state.refreshing = None;
                    state.retry_posters();
                    state.screen = Screen::Picker;
                    state.pick = PickState::default();
                    state.results = ResultsState::default();
                }
                Err(err) => state.libraries.load = LoadPhase::Failed(err),
            }
        }
        // Other flows' actions are routed to their own modules.
        _ => {}
    }
}
