//! The quiet reload after a start from the cached catalog: the core reconnects and reloads
//! while the picker keeps working from the cache; the header shows its progress.

use std::sync::Arc;

use plexpicker_ipc::{events, LoadProgress};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::AppState;

/// Reloads the chosen libraries in the background, reporting on [`events::LOAD`].
pub async fn refresh_in_background<R: Runtime>(app: AppHandle<R>) {
    let emitter = app.clone();
    let on_load = Arc::new(move |progress: LoadProgress| {
        let _ = emitter.emit(events::LOAD, progress);
    });
    let state = app.state::<AppState>();
    state.reload(&state.paths.cache, on_load).await;
    // The people watching last time, from the profiles' kept tokens (no PIN asked); if that
    // fails the account picks alone, and the choice stays remembered.
    if let Err(err) = state.restore_room().await {
        eprintln!("PlexPicker could not restore who is watching: {err}");
    }
}
