//! "Ask a model": the AI provider's settings panel, its Test and List models buttons, the
//! picker's switch, and a pick the model chooses (cancellable). Each command is one call into
//! `plexpicker_core::ai`; the API key only ever comes in (`set_ai_provider`), never goes out.

use plexpicker_core::ai::{self, PickInput};
use plexpicker_ipc::command;
use plexpicker_ipc::{sentence, AiProviderRequest, ErrorKind, IpcError, PickCard, PickView};
use tauri::State;

use super::Answer;
use crate::state::{now, AppState};
use plexpicker_core::views;

/// The AI provider panel.
#[tauri::command]
pub fn ai_settings(state: State<'_, AppState>) -> Answer<command::AiSettings> {
    Ok(ai::settings_view(&state.settings().ai, state.secrets())?)
}

/// Saves the provider: checked first, the key into the secret store, the rest into the
/// settings. Answers the panel as it now reads.
#[tauri::command]
pub fn set_ai_provider(
    request: AiProviderRequest,
    state: State<'_, AppState>,
) -> Answer<command::SetAiProvider> {
    let current = state.settings().ai;
    let configured = ai::configure(&current, state.secrets(), &request)?;
    let saved = state.update(|s| {
        // The picker's switch may have changed meanwhile: keep it.
        let use_model = s.ai.use_model;
        s.ai = configured;
        s.ai.use_model = use_model;
        s.ai.clone()
    })?;
    Ok(ai::settings_view(&saved, state.secrets())?)
}

/// One tiny request to the saved provider: its latency, or the exact problem.
#[tauri::command]
pub async fn test_ai_provider(state: State<'_, AppState>) -> Answer<command::TestAiProvider> {
    let client = ai::client(&state.settings().ai, state.secrets())?;
    Ok(ai::test(&client).await?)
}

/// The saved provider's models.
#[tauri::command]
pub async fn list_ai_models(state: State<'_, AppState>) -> Answer<command::ListAiModels> {
    let client = ai::client(&state.settings().ai, state.secrets())?;
    Ok(ai::models(&client).await?)
}

/// Stops waiting for the model: the pick in progress answers at once with the engine's pick.
#[tauri::command]
pub fn cancel_ai_pick(state: State<'_, AppState>) -> Answer<command::CancelAiPick> {
    if let Some((_, waiting)) = state.live().ai_pick.take() {
        waiting.cancel();
    }
    Ok(())
}

/// Remembers the picker's "Let the model choose" switch.
#[tauri::command]
pub fn set_use_model(use_model: bool, state: State<'_, AppState>) -> Answer<command::SetUseModel> {
    Ok(state.update(|s| s.ai.use_model = use_model)?)
}

/// A pick the model chooses among the engine's best candidates, or the engine's own pick with
/// a note. "Pick again" with unchanged choices leaves out the model's earlier picks.
pub async fn pick_with_model(
    state: &AppState,
    choices: picker::Choices,
) -> Result<PickView, IpcError> {
    let catalog = super::picks::catalog(state)?;
    let settings = state.settings();
    let context = picker::PickContext::new(
        now(),
        super::picks::local_minutes(),
        super::picks::random_seed(),
    );
    let client = ai::client(&settings.ai, state.secrets());
    let exclude = state.live().ai_memory.exclusions(&choices);
    let input = PickInput {
        catalog: &catalog.indexed,
        choices: &choices,
        history: &settings.history,
        ctx: &context,
    };
    let prepared = match ai::prepare(&settings.ai, client, input, exclude) {
        Ok(p) => p,
        Err(err) => {
            // The wheels are remembered even when nothing matched.
            state.update(|s| s.choices = choices.clone())?;
            return Err(views::pick_error(err));
        }
    };
    let (generation, stop) = state.begin_ai_pick();
    let got = ai::ask(prepared, async move { stop.cancelled().await }).await;
    {
        let mut live = state.live();
        if live.ai_pick.as_ref().is_some_and(|(g, _)| *g == generation) {
            live.ai_pick = None;
        }
        live.ai_memory.remember(&choices, &got);
    }
    let top_id = got.top.pick.title_id.clone();
    state.update(|s| {
        s.choices = choices.clone();
        s.history.record_pick(top_id, now());
    })?;
    let server_id = catalog.server_id.as_deref();
    let card = |suggestion: &ai::Suggestion| -> Result<PickCard, IpcError> {
        let title = catalog
            .indexed
            .catalog()
            .get(&suggestion.pick.title_id)
            .ok_or_else(|| {
                IpcError::new(ErrorKind::Internal, "A picked title vanished. Pick again.")
            })?;
        let mut card = views::pick_card(title, &suggestion.pick, server_id);
        card.reason = suggestion.reason.clone();
        card.score = suggestion.score;
        Ok(card)
    };
    Ok(PickView {
        top: card(&got.top)?,
        alternatives: got
            .alternatives
            .iter()
            .map(card)
            .collect::<Result<_, _>>()?,
        sentence: sentence(&choices),
        matches: got.matches,
        curation: Some(got.curation_view()),
    })
}
