//! Signing in (PIN or URL and token), the demo, and signing out.

use std::sync::Arc;

use plex_client::{CancellationToken, PinOutcome, PinPoll, Token};
use plexpicker_ipc::command;
use plexpicker_ipc::{events, AdvancedSignIn, ErrorKind, IpcError, PinStarted, SignInEvent};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::commands::open_in_browser;
use plexpicker_core::secrets::SecretKey;

use super::Answer;
use crate::settings::{Account, SavedServer};
use crate::state::{secret_error, AppState, SignIn};
use crate::{cache, catalog, views};

/// Asks plex.tv for a PIN, opens Plex's approval page and waits for the approval in the
/// background, reporting on [`events::SIGN_IN`].
#[tauri::command]
pub async fn start_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::StartSignIn> {
    let pin = state.client.create_pin().await.map_err(views::error)?;
    let auth_url = state.client.auth_url(&pin, None);
    let cancel = CancellationToken::new();
    let (previous, session) = {
        let mut live = state.live();
        let previous = live.sign_in.replace(SignIn {
            auth_url: auth_url.clone(),
            cancel: cancel.clone(),
        });
        (previous, live.next_session())
    };
    if let Some(previous) = previous {
        previous.cancel.cancel();
    }
    // A simulated plex.tv's page is not one the shell may open.
    let browser_opened = !state.simulated && open_in_browser(&app, &auth_url);
    let started = PinStarted {
        code: pin.code.clone(),
        expires_in_secs: pin.seconds_left(),
        browser_opened,
    };
    tauri::async_runtime::spawn(wait_for_approval(app, pin, auth_url, cancel, session));
    Ok(started)
}

async fn wait_for_approval<R: Runtime>(
    app: AppHandle<R>,
    pin: plex_client::Pin,
    auth_url: String,
    cancel: CancellationToken,
    session: u64,
) {
    let state = app.state::<AppState>();
    let emitter = app.clone();
    let poll = PinPoll {
        cancel,
        on_progress: Some(Arc::new(move |secs_left| {
            let _ = emitter.emit(events::SIGN_IN, SignInEvent::Waiting { secs_left });
        })),
        ..PinPoll::default()
    };
    let event = match state.client.wait_for_pin(&pin, &poll).await {
        Ok(PinOutcome::Linked(token)) => {
            let name = state
                .client
                .user(&token)
                .await
                .ok()
                .and_then(|user| user.title.or(user.username));
            // Saved only if nothing newer happened meanwhile (Cancel, a newer code, sign-out):
            // checked and saved under the live lock, so a Cancel cannot slip in between. The
            // token goes to the secret store first: the settings never say "signed in"
            // without it.
            let live = state.live();
            if live.session != session {
                drop(live);
                SignInEvent::Cancelled
            } else {
                let saved = state
                    .secrets
                    .set_token(&SecretKey::AccountToken, &token)
                    .map_err(secret_error)
                    .and_then(|()| {
                        state.update(|s| {
                            s.account = Some(Account {
                                name: name.clone(),
                                direct: false,
                            });
                            s.demo = false;
                        })
                    });
                drop(live);
                match saved {
                    Ok(()) => SignInEvent::SignedIn { account: name },
                    Err(error) => SignInEvent::Failed { error },
                }
            }
        }
        Ok(PinOutcome::Expired) => SignInEvent::Expired,
        Ok(PinOutcome::Cancelled) => SignInEvent::Cancelled,
        Err(err) => SignInEvent::Failed {
            error: views::error(err),
        },
    };
    // A newer sign-in replaced this one (and cancelled it): it is not this one's to clear, and
    // the window is waiting for the newer code, not for news of this one.
    let superseded = {
        let mut live = state.live();
        match &live.sign_in {
            Some(current) if current.auth_url != auth_url => true,
            _ => {
                live.sign_in = None;
                false
            }
        }
    };
    if !superseded {
        let _ = app.emit(events::SIGN_IN, event);
    }
}

/// Opens Plex's approval page again.
#[tauri::command]
pub fn open_sign_in_page<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::OpenSignInPage> {
    let url = state.live().sign_in.as_ref().map(|s| s.auth_url.clone());
    let Some(url) = url else {
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
#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>) {
    let mut live = state.live();
    live.next_session();
    if let Some(sign_in) = live.sign_in.take() {
        sign_in.cancel.cancel();
    }
}

/// "Advanced: connect by URL and token": checks the server's identity without the token, then
/// the token, and remembers the server.
#[tauri::command]
pub async fn sign_in_with_token(
    request: AdvancedSignIn,
    state: State<'_, AppState>,
) -> Answer<command::SignInWithToken> {
    let url = request.server_url.trim().trim_end_matches('/').to_string();
    let token = request.token.trim().to_string();
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || url::Url::parse(&url).is_err()
    {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "That address does not look right. Enter it like http://192.168.1.5:32400.",
        ));
    }
    if token.is_empty() {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "Enter the server's X-Plex-Token as well.",
        ));
    }
    let token = Token::new(token);
    let cancel = state.begin_work();
    let options = plex_client::ConnectOptions {
        cancel,
        allow_insecure: state.settings().allow_insecure,
        ..Default::default()
    };
    let connected = state
        .client
        .connect_direct_with(&url, &token, &options)
        .await
        .map_err(views::error)?;
    let server = SavedServer {
        id: connected.connection.machine_identifier().to_string(),
        name: connected.connection.name().to_string(),
        owned: true,
        home: false,
        owner: None,
        https_required: false,
        has_access_token: false,
        connections: vec![plex_client::Connection {
            uri: url.clone(),
            local: true,
            ..Default::default()
        }],
    };
    let view = views::saved_server_view(&server);
    let new_pin = connected.report.new_pin.clone();
    state
        .secrets
        .set_token(&SecretKey::AccountToken, &token)
        .map_err(secret_error)?;
    state.update(|s| {
        s.account = Some(Account {
            name: None,
            direct: true,
        });
        s.last_connections.insert(server.id.clone(), url);
        if let Some(pin) = new_pin {
            s.pins.insert(pin.place, pin.sha256);
        }
        s.server = Some(server);
        s.demo = false;
        s.libraries = None;
    })?;
    let mut live = state.live();
    live.connection = Some(connected.connection);
    live.catalog = None;
    Ok(view)
}

/// The demo library: no account, no network, the same screens.
#[tauri::command]
pub fn start_demo(state: State<'_, AppState>) -> Answer<command::StartDemo> {
    let demo = catalog::demo();
    let summary = demo.summary.clone();
    state.update(|s| s.demo = true)?;
    state.live().catalog = Some(Arc::new(demo));
    Ok(summary)
}

/// Forgets the token, the server and the cached libraries (also leaves the demo).
#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) -> Answer<command::SignOut> {
    {
        let mut live = state.live();
        live.next_session();
        live.work_generation += 1;
        if let Some(work) = live.work.take() {
            work.cancel();
        }
        if let Some(sign_in) = live.sign_in.take() {
            sign_in.cancel.cancel();
        }
        live.servers.clear();
        live.connection = None;
        live.catalog = None;
        live.last_diagnosis = None;
        live.ai_memory.clear();
        if let Some((_, waiting)) = live.ai_pick.take() {
            waiting.cancel();
        }
    }
    let server = state.update(|s| {
        s.account = None;
        s.libraries = None;
        s.demo = false;
        s.server.take()
    })?;
    state
        .secrets
        .delete(&SecretKey::AccountToken)
        .map_err(secret_error)?;
    if let Some(server) = server {
        state
            .secrets
            .delete(&SecretKey::ServerAccessToken(server.id))
            .map_err(secret_error)?;
    }
    cache::clear(&state.paths.cache);
    Ok(())
}
