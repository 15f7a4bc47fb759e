//! The connected server's libraries, and loading them into the picker's catalog.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use plex_client::{LoadOptions, SectionKind};
use plexpicker_ipc::{
    events, ErrorKind, IpcError, LibraryKind, LibraryView, LoadProgress, LoadedCatalog,
};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::cache::{self, CachedCatalog};
use crate::commands::not_connected;
use crate::state::{now, AppState, LiveCatalog};
use crate::views;

/// The movie and TV libraries of the connected server, with item counts.
#[tauri::command]
pub async fn list_libraries(state: State<'_, AppState>) -> Result<Vec<LibraryView>, IpcError> {
    let connection = state.live().connection.clone().ok_or_else(not_connected)?;
    let chosen = state.settings().libraries;
    let sections = connection.sections().await.map_err(views::error)?;
    let mut views = Vec::with_capacity(sections.len());
    for section in sections {
        let count = connection.section_size(&section.key).await.ok();
        views.push(LibraryView {
            chosen: chosen.as_ref().is_none_or(|keys| keys.contains(&section.key)),
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
) -> Result<LoadedCatalog, IpcError> {
    if keys.is_empty() {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "Choose at least one library to pick from.",
        ));
    }
    let connection = state.live().connection.clone().ok_or_else(not_connected)?;
    let server_id = connection.machine_identifier().to_string();
    state.update(|s| s.libraries = Some(keys.clone()))?;
    let sections: Vec<_> = connection
        .sections()
        .await
        .map_err(views::error)?
        .into_iter()
        .filter(|s| keys.contains(&s.key))
        .collect();
    let cancel = state.begin_work();
    // Progress over all chosen libraries: items done in finished libraries, plus the current
    // one's progress; the total grows as each library reports its size.
    let done = Arc::new(AtomicU64::new(0));
    let known_total = Arc::new(AtomicU64::new(0));
    let mut loaded = Vec::with_capacity(sections.len());
    for section in &sections {
        let emitter = app.clone();
        let title = section.title.clone();
        let (done_now, total_before) = (done.load(Ordering::SeqCst), known_total.load(Ordering::SeqCst));
        let current_total = Arc::new(AtomicU64::new(0));
        let seen_total = current_total.clone();
        let options = LoadOptions {
            cancel: cancel.clone(),
            on_progress: Some(Arc::new(move |p: plex_client::LoadProgress| {
                seen_total.store(p.total as u64, Ordering::SeqCst);
                let _ = emitter.emit(
                    events::LOAD,
                    LoadProgress {
                        library: title.clone(),
                        loaded: done_now + p.loaded as u64,
                        total: total_before + p.total as u64,
                    },
                );
            })),
            ..LoadOptions::default()
        };
        let library = connection
            .load_library(section, &options)
            .await
            .map_err(views::error)?;
        let items = library.items.len() as u64;
        done.fetch_add(items, Ordering::SeqCst);
        known_total.fetch_add(current_total.load(Ordering::SeqCst).max(items), Ordering::SeqCst);
        loaded.push(library);
    }
    let catalog = plex_client::catalog(&loaded);
    let cached = CachedCatalog {
        server_id: server_id.clone(),
        loaded_at: now(),
        catalog: catalog.clone(),
    };
    if let Err(err) = cache::save(&state.paths.cache, &cached) {
        // The catalog still works; only the next start will not be instant.
        eprintln!("PlexPicker could not cache the catalog: {err}");
    }
    let live = LiveCatalog::loaded(catalog, server_id);
    let summary = live.summary.clone();
    state.live().catalog = Some(Arc::new(live));
    Ok(summary)
}
