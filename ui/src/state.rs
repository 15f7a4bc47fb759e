//! The UI's state and the reducer that changes it. Pure Rust with no DOM access, so it is
//! unit-tested natively.

use std::rc::Rc;

use plexpicker_ipc::{AppInfo, IpcError};
use yew::Reducible;

/// What the window knows about the backend so far.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Backend {
    /// The first command has not answered yet.
    #[default]
    Connecting,
    /// The backend answered.
    Ready(AppInfo),
    /// The backend could not be reached or refused.
    Failed(IpcError),
}

/// The whole UI state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub backend: Backend,
}

/// Everything that can happen to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The `app_info` command answered.
    AppInfoLoaded(Result<AppInfo, IpcError>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::AppInfoLoaded(Ok(info)) => next.backend = Backend::Ready(info),
            Action::AppInfoLoaded(Err(err)) => next.backend = Backend::Failed(err),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plexpicker_ipc::ErrorKind;

    fn info() -> AppInfo {
        AppInfo {
            name: "PlexPicker".into(),
            version: "0.1.0".into(),
            platform: "linux".into(),
        }
    }

    #[test]
    fn starts_connecting() {
        assert_eq!(State::default().backend, Backend::Connecting);
    }

    #[test]
    fn app_info_answer_makes_the_backend_ready() {
        let state = Rc::new(State::default()).reduce(Action::AppInfoLoaded(Ok(info())));
        assert_eq!(state.backend, Backend::Ready(info()));
    }

    #[test]
    fn a_failed_command_is_kept_for_the_user_to_see() {
        let err = IpcError::new(ErrorKind::Internal, "boom");
        let state = Rc::new(State::default()).reduce(Action::AppInfoLoaded(Err(err.clone())));
        assert_eq!(state.backend, Backend::Failed(err));
    }
}
