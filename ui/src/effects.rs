//! The calls to the backend, each dispatching what it started and what it answered. Components
//! call these from their callbacks and effects; the reducer decides what the answers mean.

use plexpicker_ipc::{
    commands, AdvancedSignIn, Choices, ConnectRequest, PickRequest, RejectReason, RejectRequest,
    TitleRef, TrustRequest,
};
use serde::Serialize;
use wasm_bindgen_futures::spawn_local;
use yew::UseReducerDispatcher;

use crate::bridge::{self, NoArgs};
use crate::state::{Action, State};

/// Sends actions to the state.
pub type Dispatch = UseReducerDispatcher<State>;

#[derive(Serialize)]
struct RequestArgs<'a, T> {
    request: &'a T,
}

#[derive(Serialize)]
struct RefreshArgs {
    refresh: bool,
}

#[derive(Serialize)]
struct KeysArgs {
    keys: Vec<String>,
}

#[derive(Serialize)]
struct TitleArgs {
    title: TitleRef,
}

/// `startup`: where the app stands.
pub fn startup(dispatch: Dispatch) {
    spawn_local(async move {
        let answer = bridge::invoke(commands::STARTUP, &NoArgs {}).await;
        dispatch.dispatch(Action::StartupLoaded(answer));
    });
}

/// "Sign in with Plex", "New code" and "Try again".
pub fn start_sign_in(dispatch: Dispatch) {
    dispatch.dispatch(Action::SignInRequested);
    spawn_local(async move {
        let answer = bridge::invoke(commands::START_SIGN_IN, &NoArgs {}).await;
        dispatch.dispatch(Action::PinStarted(answer));
    });
}

/// "Open the Plex page again".
pub fn open_sign_in_page(dispatch: Dispatch) {
    spawn_local(async move {
        let answer = bridge::invoke_unit(commands::OPEN_SIGN_IN_PAGE, &NoArgs {}).await;
        dispatch.dispatch(Action::PageOpened(answer));
    });
}

/// "Cancel" on the Waiting page: back to Welcome at once; the backend stops polling.
pub fn cancel_sign_in(dispatch: Dispatch) {
    dispatch.dispatch(Action::CancelSignIn);
    spawn_local(async move {
        // Nothing to tell the user if stopping fails: the PIN simply expires.
        let _ = bridge::invoke_unit(commands::CANCEL_SIGN_IN, &NoArgs {}).await;
    });
}

/// "Connect" on the advanced form.
pub fn sign_in_with_token(dispatch: Dispatch, request: AdvancedSignIn) {
    dispatch.dispatch(Action::AdvancedRequested);
    spawn_local(async move {
        let answer = bridge::invoke(
            commands::SIGN_IN_WITH_TOKEN,
            &RequestArgs { request: &request },
        )
        .await;
        dispatch.dispatch(Action::AdvancedFinished(answer));
    });
}

/// "Try the demo".
pub fn start_demo(dispatch: Dispatch) {
    dispatch.dispatch(Action::DemoRequested);
    spawn_local(async move {
        let answer = bridge::invoke(commands::START_DEMO, &NoArgs {}).await;
        dispatch.dispatch(Action::DemoFinished(answer));
    });
}

/// Loads the server list for request number `request`.
pub fn list_servers(dispatch: Dispatch, request: u32, refresh: bool) {
    spawn_local(async move {
        let result = bridge::invoke(commands::LIST_SERVERS, &RefreshArgs { refresh }).await;
        dispatch.dispatch(Action::ServersLoaded { request, result });
    });
}

/// Races the routes to `server_id` for attempt number `attempt`.
pub fn connect(dispatch: Dispatch, attempt: u32, server_id: String) {
    spawn_local(async move {
        let request = ConnectRequest { server_id };
        let result = bridge::invoke(commands::CONNECT, &RequestArgs { request: &request }).await;
        dispatch.dispatch(Action::ConnectFinished { attempt, result });
    });
}

/// "Trust the new certificate"; a new attempt follows on success.
pub fn trust_certificate(dispatch: Dispatch, server_id: String, candidate_id: String) {
    dispatch.dispatch(Action::TrustRequested(candidate_id.clone()));
    spawn_local(async move {
        let request = TrustRequest {
            server_id,
            candidate_id,
        };
        let answer = bridge::invoke_unit(
            commands::TRUST_CERTIFICATE,
            &RequestArgs { request: &request },
        )
        .await;
        dispatch.dispatch(Action::TrustFinished(answer));
    });
}

/// Loads the library list for request number `request`.
pub fn list_libraries(dispatch: Dispatch, request: u32) {
    spawn_local(async move {
        let result = bridge::invoke(commands::LIST_LIBRARIES, &NoArgs {}).await;
        dispatch.dispatch(Action::LibrariesLoaded { request, result });
    });
}

/// "Load" the chosen libraries.
pub fn load_libraries(dispatch: Dispatch, keys: Vec<String>) {
    dispatch.dispatch(Action::LoadRequested);
    spawn_local(async move {
        let answer = bridge::invoke(commands::LOAD_LIBRARIES, &KeysArgs { keys }).await;
        dispatch.dispatch(Action::LoadFinished(answer));
    });
}

/// "Pick" and "Pick again".
pub fn pick(dispatch: Dispatch, choices: Choices) {
    dispatch.dispatch(Action::PickRequested);
    spawn_local(async move {
        let request = PickRequest { choices };
        let answer = bridge::invoke(commands::PICK, &RequestArgs { request: &request }).await;
        dispatch.dispatch(Action::PickFinished(answer));
    });
}

/// "Not this one", with why.
pub fn reject(dispatch: Dispatch, title_id: String, reason: RejectReason, choices: Choices) {
    dispatch.dispatch(Action::RejectRequested);
    spawn_local(async move {
        let request = RejectRequest {
            title_id,
            reason,
            choices,
        };
        let answer = bridge::invoke(commands::REJECT, &RequestArgs { request: &request }).await;
        dispatch.dispatch(Action::RejectFinished(answer));
    });
}

/// "Watch in Plex".
pub fn watch_in_plex(dispatch: Dispatch, title_id: String) {
    spawn_local(async move {
        let title = TitleRef { title_id };
        if let Err(err) = bridge::invoke_unit(commands::WATCH_IN_PLEX, &TitleArgs { title }).await {
            dispatch.dispatch(Action::WatchFailed(err));
        }
    });
}

/// "Sign out" and "Exit demo".
pub fn sign_out(dispatch: Dispatch) {
    spawn_local(async move {
        let answer = bridge::invoke_unit(commands::SIGN_OUT, &NoArgs {}).await;
        dispatch.dispatch(Action::SignedOut(answer));
    });
}

/// "About".
pub fn about(dispatch: Dispatch) {
    dispatch.dispatch(Action::OpenAbout);
    spawn_local(async move {
        let answer = bridge::invoke(commands::ABOUT, &NoArgs {}).await;
        dispatch.dispatch(Action::AboutLoaded(answer));
    });
}
