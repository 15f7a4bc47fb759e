//! The account's servers, the connection race, and trusting a changed certificate.

use std::sync::Arc;

use plex_client::Outcome;
use plexpicker_ipc::command;
use plexpicker_ipc::{events, ConnectOutcome, ConnectRequest, ErrorKind, IpcError, TrustRequest};
use tauri::{AppHandle, Emitter, Runtime, State};

use plexpicker_core::connect::{self, Choose};

use super::Answer;
use crate::commands::{not_connected, not_signed_in};
use crate::settings::SavedServer;
use crate::state::{secret_error, AppState};
use crate::views;

/// The account's servers (fetched from plex.tv on `refresh` or the first time).
#[tauri::command]
pub async fn list_servers(
    refresh: bool,
    state: State<'_, AppState>,
) -> Answer<command::ListServers> {
    let settings = state.settings();
    let account = settings.account.ok_or_else(not_signed_in)?;
    if account.direct {
        // Connected by URL and token: there is no plex.tv account to ask.
        return Ok(settings
            .server
            .iter()
            .map(views::saved_server_view)
            .collect());
    }
    {
        let live = state.live();
        if !refresh && !live.servers.is_empty() {
            return Ok(live.servers.iter().map(views::server_view).collect());
        }
    }
    let session = state.session();
    let token = state.account_token()?;
    let servers = state.client.servers(&token).await.map_err(views::error)?;
    let views = servers.iter().map(views::server_view).collect();
    let mut live = state.live();
    // Signed out (or in again) meanwhile: this list belongs to a session that is over.
    if live.session != session {
        return Err(not_signed_in());
    }
    live.servers = servers;
    Ok(views)
}

/// Races every route to the server and keeps the winner, reporting each route's state on
/// [`events::CONNECT`] as it changes.
#[tauri::command]
pub async fn connect<R: Runtime>(
    request: ConnectRequest,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::Connect> {
    let settings = state.settings();
    let token = state.account_token()?;
    let listed = state
        .live()
        .servers
        .iter()
        .find(|s| s.machine_identifier == request.server_id)
        .cloned();
    let server = match (listed, &settings.server) {
        (Some(server), _) => server,
        (None, Some(previous)) if previous.id == request.server_id => {
            previous.to_server(state.server_token(&previous.id)?)
        }
        (None, _) => {
            return Err(IpcError::new(
                ErrorKind::NotFound,
                "That server is not in your list any more. Refresh the list and choose again.",
            ))
        }
    };
    let saved = SavedServer::of(&server);
    let (generation, cancel) = state.begin_generation();
    let emitter = app.clone();
    let for_events = saved.clone();
    let start = connect::Start {
        full_race: false,
        cancel,
        on_event: Some(Arc::new(move |event| {
            let _ = emitter.emit(events::CONNECT, views::event_view(&event, &for_events));
        })),
    };
    let options = connect::options(&settings, &saved.id, start);
    match state.client.connect(&server, &token, &options).await {
        Ok(connected) => {
            let report = connected.report;
            let winner = report
                .diagnosis
                .candidates
                .iter()
                .find(|c| matches!(c.outcome, Outcome::Connected { .. }))
                .map(|c| c.rank);
            let candidates = views::diagnosis_views(&report.diagnosis, winner);
            let view = views::saved_server_view(&saved);
            // Checked, and everything saved, under the live lock: a newer connect (or a
            // sign-out) that took over meanwhile keeps its state.
            let mut live = state.live();
            if live.work_generation != generation {
                return Err(superseded());
            }
            connect::store_access_token(state.secrets.as_ref(), &server).map_err(secret_error)?;
            let remembered =
                state.update(|s| connect::remember(s, &server, &report, Choose::Always))?;
            live.connection = Some(connected.connection);
            live.last_diagnosis = Some(report.diagnosis);
            if remembered.changed_server {
                live.catalog = None;
            }
            drop(live);
            Ok(ConnectOutcome {
                server: view,
                candidates,
            })
        }
        Err(err) => {
            let mut live = state.live();
            // Only the newest connect may clear the connection: a cancelled one must not
            // undo what its successor made.
            if live.work_generation == generation {
                if let Some(diagnosis) = err.diagnosis() {
                    live.last_diagnosis = Some(diagnosis.clone());
                }
                live.connection = None;
            }
            drop(live);
            Err(views::error(err))
        }
    }
}

/// Accepts a server's new self-signed certificate at one route: pins exactly the fingerprint
/// the failed race saw there (and the user was shown), never whatever the server shows next.
#[tauri::command]
pub fn trust_certificate(
    request: TrustRequest,
    state: State<'_, AppState>,
) -> Answer<command::TrustCertificate> {
    let shown = state
        .live()
        .last_diagnosis
        .as_ref()
        .map(|d| connect::shown_certificates(d, Some(&request.candidate_id)))
        .ok_or_else(not_connected)?;
    let Some((place, got)) = shown.into_iter().next() else {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "That route did not show a new certificate. Connect again to see what it shows.",
        ));
    };
    state.update(|s| {
        if s.server
            .as_ref()
            .is_some_and(|sv| sv.id == request.server_id)
        {
            s.pins.insert(place, got);
        }
    })
}

/// The error of a connect that a newer one (or a sign-out) replaced.
fn superseded() -> IpcError {
    IpcError::new(
        ErrorKind::Cancelled,
        "That connection attempt was replaced by a newer one.",
    )
}
