//! The connected server's libraries, and loading them into the picker's catalog.

use std::sync::Arc;

use plexpicker_ipc::command;
use plexpicker_ipc::{events, LoadProgress};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::Answer;
use crate::state::AppState;

/// The movie and TV libraries of the connected server, with item counts.
#[tauri::command]
pub async fn list_libraries(state: State<'_, AppState>) -> Answer<command::ListLibraries> {
    Ok(state.libraries().await?)
}

/// Loads the chosen libraries (every item, and every episode of TV libraries), reporting on
/// [`events::LOAD`], then caches the catalog on disk.
#[tauri::command]
pub async fn load_libraries<R: Runtime>(
    keys: Vec<String>,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::LoadLibraries> {
    let on_load = Arc::new(move |progress: LoadProgress| {
        let _ = app.emit(events::LOAD, progress);
    });
    Ok(state
        .load_libraries(keys, &state.paths.cache, on_load)
        .await?)
}
