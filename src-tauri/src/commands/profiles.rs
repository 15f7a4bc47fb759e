//! "Who's watching?": the Plex Home's profiles, and choosing the people picking together.

use std::sync::Arc;

use plexpicker_ipc::command;
use plexpicker_ipc::{events, ProfileLoadProgress, ProfilesRequest};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::Answer;
use crate::state::AppState;

/// The Home's profiles (the account alone without a Home), each saying whether it watches.
#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Answer<command::ListProfiles> {
    Ok(state.profiles().await?)
}

/// Who is watching: switches to protected profiles with their PINs (used once, never kept)
/// and loads each other profile's watch state, reporting each on [`events::PROFILES`]; picks
/// are then new to everyone chosen.
#[tauri::command]
pub async fn choose_profiles<R: Runtime>(
    request: ProfilesRequest,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::ChooseProfiles> {
    let on_progress = Arc::new(move |p: plexpicker_core::plex::ProfileProgress| {
        let view = ProfileLoadProgress {
            id: p.profile,
            sections_done: p.sections_done as u32,
            sections_total: p.sections_total as u32,
            loaded: p.listing.loaded as u64,
            total: p.listing.total as u64,
        };
        let _ = app.emit(events::PROFILES, view);
    });
    Ok(state
        .choose_profiles(&request.ids, &request.pins, Some(on_progress))
        .await?)
}
