//! Picking, "not this one", and opening a title in Plex.

use plexpicker_ipc::command;
use plexpicker_ipc::{ErrorKind, IpcError, PickRequest, RejectRequest, TitleRef};
use tauri::{AppHandle, Runtime, State};

use super::Answer;
use crate::clock;
use crate::commands::open_in_browser;
use crate::state::{now, AppState};

/// Picks with the wheels and filters, remembers the choices and the top pick. With `ai`, the
/// model chooses among the engine's best candidates; `cancel_ai_pick` stops waiting for it.
#[tauri::command]
pub async fn pick(request: PickRequest, state: State<'_, AppState>) -> Answer<command::Pick> {
    let ctx = clock::pick_context();
    Ok(if request.ai {
        state.pick_with_model(request.choices, &ctx).await?
    } else {
        state.pick(request.choices, &ctx)?
    })
}

/// "Not this one": remembers why, then picks again with the same choices.
#[tauri::command(async)]
pub fn reject(request: RejectRequest, state: State<'_, AppState>) -> Answer<command::Reject> {
    Ok(state.reject(request, &clock::pick_context())?)
}

/// Opens the title in Plex Web on the connected server, and records it as what was chosen.
#[tauri::command(async)]
pub fn watch_in_plex<R: Runtime>(
    title: TitleRef,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::WatchInPlex> {
    let url = state.watch(&title, now())?;
    if open_in_browser(&app, &url) {
        Ok(())
    } else {
        Err(IpcError::new(
            ErrorKind::Internal,
            format!("PlexPicker could not open your browser. Open {url} to watch."),
        ))
    }
}
