//! The account's servers, the connection race, and trusting a changed certificate.

use std::sync::Arc;

use plex_client::{ConnectOptions, Outcome, Server};
use plexpicker_ipc::{
    events, ConnectOutcome, ConnectRequest, ErrorKind, IpcError, ServerView, TrustRequest,
};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::commands::{not_connected, not_signed_in};
use crate::settings::SavedServer;
use crate::state::AppState;
use crate::views;

/// The account's servers (fetched from plex.tv on `refresh` or the first time).
#[tauri::command]
pub async fn list_servers(
    refresh: bool,
    state: State<'_, AppState>,
) -> Result<Vec<ServerView>, IpcError> {
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
    let servers = state
        .client
        .servers(&account.token)
        .await
        .map_err(views::error)?;
    let views = servers.iter().map(views::server_view).collect();
    state.live().servers = servers;
    Ok(views)
}

/// Races every route to the server and keeps the winner, reporting each route's state on
/// [`events::CONNECT`] as it changes.
#[tauri::command]
pub async fn connect<R: Runtime>(
    request: ConnectRequest,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<ConnectOutcome, IpcError> {
    let settings = state.settings();
    let account = settings.account.clone().ok_or_else(not_signed_in)?;
    let listed = state
        .live()
        .servers
        .iter()
        .find(|s| s.machine_identifier == request.server_id)
        .cloned();
    let saved = match (listed, &settings.server) {
        (Some(server), previous) => {
            let mut saved = saved_from(&server);
            if let Some(previous) = previous.as_ref().filter(|p| p.id == saved.id) {
                saved.pins = previous.pins.clone();
                saved.last_connection = previous.last_connection.clone();
            }
            saved
        }
        (None, Some(previous)) if previous.id == request.server_id => previous.clone(),
        (None, _) => {
            return Err(IpcError::new(
                ErrorKind::NotFound,
                "That server is not in your list any more. Refresh the list and choose again.",
            ))
        }
    };
    let cancel = state.begin_work();
    let emitter = app.clone();
    let for_events = saved.clone();
    let options = ConnectOptions {
        pins: saved.pins.clone(),
        remembered: saved.last_connection.clone(),
        cancel,
        on_event: Some(Arc::new(move |event| {
            let _ = emitter.emit(events::CONNECT, views::event_view(&event, &for_events));
        })),
        allow_insecure: plex_client::AllowInsecure::default(),
    };
    let server = server_from(&saved);
    let changed_server = settings.server.as_ref().map(|s| &s.id) != Some(&saved.id);
    match state
        .client
        .connect(&server, &account.token, &options)
        .await
    {
        Ok(connected) => {
            let report = connected.report;
            let winner = report
                .diagnosis
                .candidates
                .iter()
                .find(|c| matches!(c.outcome, Outcome::Connected { .. }))
                .map(|c| c.rank);
            let candidates = views::diagnosis_views(&report.diagnosis, winner);
            let mut saved = saved;
            saved.last_connection = Some(report.uri.clone());
            if let Some(pin) = &report.new_pin {
                saved.pins.insert(pin.place.clone(), pin.sha256.clone());
            }
            let view = views::saved_server_view(&saved);
            state.update(|s| {
                s.server = Some(saved);
                if changed_server {
                    s.libraries = None;
                }
            })?;
            let mut live = state.live();
            live.connection = Some(connected.connection);
            live.last_diagnosis = Some(report.diagnosis);
            if changed_server {
                live.catalog = None;
            }
            Ok(ConnectOutcome {
                server: view,
                candidates,
            })
        }
        Err(err) => {
            if let Some(diagnosis) = err.diagnosis() {
                state.live().last_diagnosis = Some(diagnosis.clone());
            }
            state.live().connection = None;
            Err(views::error(err))
        }
    }
}

/// Accepts a server's new self-signed certificate at one route: the old pin is dropped, so
/// the next race pins what the server shows now.
#[tauri::command]
pub fn trust_certificate(
    request: TrustRequest,
    state: State<'_, AppState>,
) -> Result<(), IpcError> {
    let uri = state
        .live()
        .last_diagnosis
        .as_ref()
        .and_then(|d| {
            d.candidates
                .iter()
                .find(|c| c.rank.to_string() == request.candidate_id)
        })
        .map(|c| c.uri.clone())
        .ok_or_else(not_connected)?;
    let place = url::Url::parse(&uri)
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
        .ok_or_else(|| IpcError::new(ErrorKind::InvalidRequest, "That route has no address."))?;
    state.update(|s| {
        if let Some(server) = s.server.as_mut().filter(|sv| sv.id == request.server_id) {
            server.pins.remove(&place);
        }
    })
}

fn saved_from(server: &Server) -> SavedServer {
    SavedServer {
        id: server.machine_identifier.clone(),
        name: server.name.clone(),
        owned: server.owned,
        home: server.home,
        owner: server.owner_name.clone(),
        https_required: server.https_required,
        access_token: server.access_token.clone(),
        connections: server.connections.clone(),
        last_connection: None,
        pins: Default::default(),
    }
}

/// The server as plex.tv described it, rebuilt from what was saved, so reconnecting after a
/// restart needs no trip to plex.tv.
pub(crate) fn server_from(saved: &SavedServer) -> Server {
    Server {
        name: saved.name.clone(),
        machine_identifier: saved.id.clone(),
        product: None,
        product_version: None,
        platform: None,
        owned: saved.owned,
        home: saved.home,
        presence: true,
        https_required: saved.https_required,
        relay: true,
        dns_rebinding_protection: false,
        owner_id: None,
        owner_name: saved.owner.clone(),
        public_address: None,
        // Not saved: unknown until plex.tv is asked again, so local http and never-pinned
        // self-signed routes are not used (plex-client issue 10, point 2).
        public_address_matches: false,
        access_token: saved.access_token.clone(),
        connections: saved.connections.clone(),
    }
}
