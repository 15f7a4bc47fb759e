//! The connected server's libraries, and loading them into the picker's catalog.

use std::sync::Arc;

use plex_client::SectionKind;
use plexpicker_ipc::command;
use plexpicker_ipc::{events, ErrorKind, IpcError, LibraryKind, LibraryView, LoadProgress};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::Answer;
use crate::state::AppState;
use plexpicker_core::views;

/// The movie and TV libraries of the connected server, with item counts.
#[tauri::command]
pub async fn list_libraries(state: State<'_, AppState>) -> Answer<command::ListLibraries> {
    let connection = state.connection()?;
    let chosen = state.settings().libraries;
    let sections = connection.sections().await.map_err(views::error)?;
    let mut views = Vec::with_capacity(sections.len());
    for section in sections {
        let count = connection.section_size(&section.key).await.ok();
        views.push(LibraryView {
            chosen: chosen
                .as_ref()
                .is_none_or(|keys| keys.contains(&section.key)),
            kind: match section.kind {
                SectionKind::Movie => LibraryKind::Movie,
                SectionKind::Show => LibraryKind::Show,
            },
            key: section.key,
            title: section.title,
            count: count.map(|c| c as u64),
        });
    }
    Ok(views)
}

/// Loads the chosen libraries (every item, and every episode of TV libraries), reporting on
/// [`events::LOAD`], then caches the catalog on disk.
#[tauri::command]
pub async fn load_libraries<R: Runtime>(
    keys: Vec<String>,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::LoadLibraries> {
    if keys.is_empty() {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "Choose at least one library to pick from.",
        ));
    }
    let connection = state.connection()?;
    state.update(|s| s.libraries = Some(keys.clone()))?;
    let cancel = state.begin_work();
    let emitter = app.clone();
    let report = move |progress: LoadProgress| {
        let _ = emitter.emit(events::LOAD, progress);
    };
    let live = crate::loading::load(&state, &connection, Some(&keys), cancel, report).await?;
    let summary = live.summary.clone();
    state.live().catalog = Some(Arc::new(live));
    Ok(summary)
}
