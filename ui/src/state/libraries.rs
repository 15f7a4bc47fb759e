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
    /// The library list, loaded again.
    pub(super) fn show_libraries(&mut self, fx: &mut Effects) {
        self.screen = Screen::Libraries;
        self.libraries.request = self.libraries.request.wrapping_add(1);
        self.libraries.list = Remote::Loading;
        self.libraries.load = LoadPhase::Idle;
        fx.push(Effect::ListLibraries {
            request: self.libraries.request,
        });
    }
}

pub(super) fn apply(state: &mut State, action: Action, fx: &mut Effects) {
    match action {
        Action::ShowLibraries if state.session.signed_in => {
            state.show_libraries(fx);
        }
        Action::LibrariesLoaded { request, result } => {
            if state.screen != Screen::Libraries || request != state.libraries.request {
                return;
            }
            state.libraries.list = result.into();
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
        Action::LoadRequested => {
            let keys = state.libraries.chosen_keys();
            if state.screen != Screen::Libraries || state.libraries.loading() || keys.is_empty() {
                return;
            }
            state.libraries.load = LoadPhase::Loading(None);
            fx.push(Effect::LoadLibraries { keys });
        }
        Action::LoadProgressed(progress) => {
            if let LoadPhase::Loading(last) = &mut state.libraries.load {
                if state.screen == Screen::Libraries {
                    *last = Some(progress);
                    return;
                }
            }
            // Not loading on this screen: a cached catalog is being refreshed.
            if state.catalog.is_some() {
                state.refreshing = (progress.loaded < progress.total).then_some(progress);
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
