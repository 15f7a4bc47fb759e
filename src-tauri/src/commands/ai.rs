//! "Ask a model": the AI provider's settings panel, its Test and List models buttons, the
//! picker's switch, and a pick the model chooses (cancellable). Each command is one call into
//! `plexpicker_core::ai`; the API key only ever comes in (`set_ai_provider`), never goes out.

use plexpicker_core::ai;
use plexpicker_ipc::command;
use plexpicker_ipc::AiProviderRequest;
use tauri::State;

use super::Answer;
use crate::state::AppState;

/// The AI provider panel.
#[tauri::command(async)]
pub fn ai_settings(state: State<'_, AppState>) -> Answer<command::AiSettings> {
    Ok(ai::settings_view(&state.settings().ai, state.secrets())?)
}

/// Saves the provider: checked first, the key into the secret store, the rest into the
/// settings. Answers the panel as it now reads.
#[tauri::command(async)]
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
#[tauri::command(async)]
pub fn cancel_ai_pick(state: State<'_, AppState>) -> Answer<command::CancelAiPick> {
    state.cancel_ai_pick();
    Ok(())
}

/// Remembers the picker's "Let the model choose" switch.
#[tauri::command(async)]
pub fn set_use_model(use_model: bool, state: State<'_, AppState>) -> Answer<command::SetUseModel> {
    Ok(state.update(|s| s.ai.use_model = use_model)?)
}
