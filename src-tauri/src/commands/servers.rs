//! The account's servers, the connection race, and trusting a changed certificate.

use std::sync::Arc;

use plexpicker_core::session::ServerList;
use plexpicker_core::views;
use plexpicker_ipc::command;
use plexpicker_ipc::{events, ConnectOutcome, ConnectRequest, TrustRequest};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::Answer;
use crate::state::AppState;

/// The account's servers (fetched from plex.tv on `refresh` or the first time).
#[tauri::command]
pub async fn list_servers(
    refresh: bool,
    state: State<'_, AppState>,
) -> Answer<command::ListServers> {
    Ok(match state.servers(refresh).await? {
        ServerList::Direct(saved) => saved.iter().map(views::saved_server_view).collect(),
        ServerList::Account(servers) => servers.iter().map(views::server_view).collect(),
    })
}

/// Races every route to the server and keeps the winner, reporting each route's state on
/// [`events::CONNECT`] as it changes.
#[tauri::command]
pub async fn connect<R: Runtime>(
    request: ConnectRequest,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::Connect> {
    let on_event = Arc::new(move |event: &_, server: &_| {
        let _ = app.emit(events::CONNECT, views::event_view(event, server));
    });
    let connected = state.connect(&request.server_id, Some(on_event)).await?;
    Ok(ConnectOutcome {
        server: views::saved_server_view(&connected.server),
        candidates: views::diagnosis_views(&connected.report.diagnosis, connected.winner),
    })
}

/// Accepts a server's new self-signed certificate at one route: pins exactly the fingerprint
/// the failed race saw there (and the user was shown), never whatever the server shows next.
#[tauri::command(async)]
pub fn trust_certificate(
    request: TrustRequest,
    state: State<'_, AppState>,
) -> Answer<command::TrustCertificate> {
    Ok(state.trust_certificate(&request.server_id, &request.candidate_id)?)
}
