//! Picking, "not this one", and opening a title in Plex.

use std::sync::Arc;

use plexpicker_ipc::command;
use plexpicker_ipc::{
    sentence, ErrorKind, IpcError, PickCard, PickRequest, PickView, RejectRequest, TitleRef,
};
use tauri::{AppHandle, Runtime, State};

use super::Answer;
use crate::commands::open_in_browser;
use crate::state::{now, AppState, LiveCatalog};
use plexpicker_core::views;

pub(crate) fn catalog(state: &AppState) -> Result<Arc<LiveCatalog>, IpcError> {
    state.live().catalog.clone().ok_or_else(|| {
        IpcError::new(
            ErrorKind::InvalidRequest,
            "There is nothing to pick from yet. Load your libraries first.",
        )
    })
}

/// Picks with the wheels and filters, remembers the choices and the top pick. With `ai`, the
/// model chooses among the engine's best candidates (see [`super::ai::pick_with_model`]);
/// `cancel_ai_pick` stops waiting for it.
#[tauri::command]
pub async fn pick(request: PickRequest, state: State<'_, AppState>) -> Answer<command::Pick> {
    if request.ai {
        super::ai::pick_with_model(&state, request.choices).await
    } else {
        pick_with(&state, request.choices)
    }
}

/// "Not this one": remembers why, then picks again with the same choices.
#[tauri::command]
pub fn reject(request: RejectRequest, state: State<'_, AppState>) -> Answer<command::Reject> {
    let mood = request.choices.mood;
    state.update(|s| {
        s.history
            .reject(request.title_id.clone(), request.reason, mood, now())
    })?;
    pick_with(&state, request.choices)
}

fn pick_with(state: &AppState, choices: picker::Choices) -> Result<PickView, IpcError> {
    let catalog = catalog(state)?;
    let history = state.settings().history;
    let context = picker::PickContext::new(now(), local_minutes(), random_seed());
    let result = catalog.indexed.pick(&choices, &history, &context);
    // The wheels are remembered even when nothing matched.
    let picked = result.as_ref().ok().map(|r| r.top.title_id.clone());
    state.update(|s| {
        s.choices = choices.clone();
        if let Some(id) = picked {
            s.history.record_pick(id, now());
        }
    })?;
    let result = result.map_err(views::pick_error)?;
    let server_id = catalog.server_id.as_deref();
    let card = |pick: &picker::Pick| -> Result<PickCard, IpcError> {
        let title = catalog
            .indexed
            .catalog()
            .get(&pick.title_id)
            .ok_or_else(|| {
                IpcError::new(ErrorKind::Internal, "A picked title vanished. Pick again.")
            })?;
        Ok(views::pick_card(title, pick, server_id))
    };
    Ok(PickView {
        top: card(&result.top)?,
        alternatives: result
            .alternatives
            .iter()
            .map(card)
            .collect::<Result<_, _>>()?,
        sentence: sentence(&choices),
        matches: result.matches,
        curation: None,
    })
}

/// Opens the title in Plex Web on the connected server.
#[tauri::command]
pub fn watch_in_plex<R: Runtime>(
    title: TitleRef,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::WatchInPlex> {
    let catalog = catalog(&state)?;
    let Some(server_id) = catalog.server_id.as_deref() else {
        return Err(IpcError::new(
            ErrorKind::InvalidRequest,
            "Demo titles cannot be played. Sign in with Plex to watch your own libraries.",
        ));
    };
    let Some(chosen) = catalog.indexed.catalog().get(&title.title_id) else {
        return Err(IpcError::new(
            ErrorKind::NotFound,
            "That title is not in your libraries any more. Pick again.",
        ));
    };
    // A show opens on the episode its card suggested, which must be one of its own.
    let plays = match &title.episode_id {
        None => title.title_id.as_str(),
        Some(id) if chosen.episodes.iter().any(|e| &e.id == id) => id.as_str(),
        Some(_) => {
            return Err(IpcError::new(
                ErrorKind::NotFound,
                "That episode is not in this show any more. Pick again.",
            ))
        }
    };
    // What was really chosen: this title, not the top pick the user passed over.
    state.update(|s| {
        let offered = plexpicker_core::history::last_offered(&s.history).map(str::to_string);
        plexpicker_core::history::record_chosen(
            &mut s.history,
            &title.title_id,
            offered.as_deref(),
            now(),
        )
    })?;
    let url = plex_client::web_link(server_id, plays);
    if open_in_browser(&app, &url) {
        Ok(())
    } else {
        Err(IpcError::new(
            ErrorKind::Internal,
            format!("PlexPicker could not open your browser. Open {url} to watch."),
        ))
    }
}

/// Minutes since local midnight, for "must finish by".
pub(crate) fn local_minutes() -> u32 {
    use chrono::Timelike;
    let now = chrono::Local::now();
    now.hour() * 60 + now.minute()
}

/// A fresh seed for each pick, so asking twice does not always give the same film.
pub(crate) fn random_seed() -> u64 {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut seed = [0u8; 8];
    seed.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(seed)
}
