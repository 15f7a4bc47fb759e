//! Signing in (PIN or URL and token), the demo, and signing out.

use std::sync::Arc;

use plexpicker_core::session::{PendingSignIn, SignInOutcome};
use plexpicker_core::views;
use plexpicker_ipc::command;
use plexpicker_ipc::{events, AdvancedSignIn, ErrorKind, IpcError, PinStarted, SignInEvent};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use super::Answer;
use crate::commands::open_in_browser;
use crate::state::AppState;

/// Asks plex.tv for a PIN, opens Plex's approval page and waits for the approval in the
/// background, reporting on [`events::SIGN_IN`].
#[tauri::command]
pub async fn start_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::StartSignIn> {
    let pending = state.start_sign_in().await?;
    // A simulated plex.tv's page is not one the shell may open.
    let browser_opened = !state.simulated && open_in_browser(&app, &pending.auth_url);
    let started = PinStarted {
        code: pending.pin.code.clone(),
        expires_in_secs: pending.pin.seconds_left(),
        browser_opened,
    };
    tauri::async_runtime::spawn(wait_for_approval(app, pending));
    Ok(started)
}

async fn wait_for_approval<R: Runtime>(app: AppHandle<R>, pending: PendingSignIn) {
    let emitter = app.clone();
    let on_wait = Arc::new(move |secs_left| {
        let _ = emitter.emit(events::SIGN_IN, SignInEvent::Waiting { secs_left });
    });
    let state = app.state::<AppState>();
    // `None`: a newer sign-in replaced this one, and the window waits for news of that one.
    let Some(outcome) = state.finish_sign_in(pending, Some(on_wait)).await else {
        return;
    };
    let event = match outcome {
        SignInOutcome::SignedIn { account } => SignInEvent::SignedIn { account },
        SignInOutcome::Expired => SignInEvent::Expired,
        SignInOutcome::Cancelled => SignInEvent::Cancelled,
        SignInOutcome::Failed(err) => SignInEvent::Failed { error: err.into() },
    };
    let _ = app.emit(events::SIGN_IN, event);
}

/// Opens Plex's approval page again.
#[tauri::command(async)]
pub fn open_sign_in_page<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::OpenSignInPage> {
    let Some(url) = state.sign_in_page() else {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "There is no sign-in waiting. Start again with \u{201c}Sign in with Plex\u{201d}.",
        ));
    };
    if !state.simulated && open_in_browser(&app, &url) {
        Ok(())
    } else {
        Err(IpcError::new(
            ErrorKind::Internal,
            format!("PlexPicker could not open your browser. Open {url} yourself to approve the sign-in."),
        ))
    }
}

/// Stops waiting for the PIN.
#[tauri::command(async)]
pub fn cancel_sign_in(state: State<'_, AppState>) {
    state.cancel_sign_in();
}

/// "Advanced: connect by URL and token": checks the server's identity without the token, then
/// the token, and remembers the server.
#[tauri::command]
pub async fn sign_in_with_token(
    request: AdvancedSignIn,
    state: State<'_, AppState>,
) -> Answer<command::SignInWithToken> {
    let server = state
        .sign_in_with_token(&request.server_url, &request.token)
        .await?;
    Ok(views::saved_server_view(&server))
}

/// The demo library: no account, no network, the same screens.
#[tauri::command(async)]
pub fn start_demo(state: State<'_, AppState>) -> Answer<command::StartDemo> {
    Ok(state.start_demo()?)
}

/// Forgets the token, the server and the cached libraries (also leaves the demo).
#[tauri::command(async)]
pub fn sign_out(state: State<'_, AppState>) -> Answer<command::SignOut> {
    state.sign_out(&state.paths.cache)?;
    Ok(())
}
