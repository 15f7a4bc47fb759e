//! "Ask a model": the AI provider's settings panel, its Test and List models buttons, the
//! picker's switch, and a pick the model chooses (cancellable). Each command is one call into
//! `plexpicker_core::ai`; the API key only ever comes in (`set_ai_provider`), never goes out.

use plexpicker_core::ai::{self, PickInput};
use plexpicker_ipc::command;
use plexpicker_ipc::{sentence, AiProviderRequest, ErrorKind, IpcError, PickCard, PickView};
use tauri::State;

use super::Answer;
use crate::state::{now, AppState};
use crate::views;

/// The AI provider panel.
#[tauri::command]
pub fn ai_settings(state: State<'_, AppState>) -> Answer<command::AiSettings> {
    ai::settings_view(&state.settings().ai, state.secrets.as_ref()).map_err(ai_error)
}

/// Saves the provider: checked first, the key into the secret store, the rest into the
/// settings. Answers the panel as it now reads.
#[tauri::command]
pub fn set_ai_provider(
    request: AiProviderRequest,
    state: State<'_, AppState>,
) -> Answer<command::SetAiProvider> {
    let current = state.settings().ai;
    let configured = ai::configure(&current, state.secrets.as_ref(), &request).map_err(ai_error)?;
    let saved = state.update(|s| {
        // The picker's switch may have changed meanwhile: keep it.
        let use_model = s.ai.use_model;
        s.ai = configured;
        s.ai.use_model = use_model;
        s.ai.clone()
    })?;
    ai::settings_view(&saved, state.secrets.as_ref()).map_err(ai_error)
}

/// One tiny request to the saved provider: its latency, or the exact problem.
#[tauri::command]
pub async fn test_ai_provider(state: State<'_, AppState>) -> Answer<command::TestAiProvider> {
    let client = ai::client(&state.settings().ai, state.secrets.as_ref()).map_err(ai_error)?;
    ai::test(&client).await.map_err(ai_error)
}

/// The saved provider's models.
#[tauri::command]
pub async fn list_ai_models(state: State<'_, AppState>) -> Answer<command::ListAiModels> {
    let client = ai::client(&state.settings().ai, state.secrets.as_ref()).map_err(ai_error)?;
    ai::models(&client).await.map_err(ai_error)
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
    state.update(|s| s.ai.use_model = use_model)
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
    let client = ai::client(&settings.ai, state.secrets.as_ref());
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

/// An AI failure, said to the user: what happened and what to do next.
pub fn ai_error(err: plexpicker_core::Error) -> IpcError {
    use curator::Error as C;
    use plexpicker_core::Error as E;
    let kind = match &err {
        E::Ai(C::RateLimited { .. }) => ErrorKind::RateLimited,
        E::Ai(C::Timeout { .. } | C::ConnectTimeout { .. }) => ErrorKind::TimedOut,
        E::Ai(C::Connect { .. } | C::Network { .. }) => ErrorKind::Unreachable,
        E::Ai(C::BadBody { .. } | C::TooLarge { .. } | C::Server { .. }) => {
            ErrorKind::InvalidResponse
        }
        E::Ai(C::Setup(_)) => ErrorKind::Internal,
        E::Ai(_) | E::AiSetting(_) | E::NoAiProvider => ErrorKind::InvalidRequest,
        E::Io { .. } | E::Keychain { .. } | E::NoKeychain(_) | E::Settings(_) => {
            return crate::state::secret_error(err)
        }
        E::Encode { .. } => ErrorKind::Internal,
    };
    let message = match &err {
        // Its message already says what to do.
        E::Ai(e) => format!("{}.", capitalize(&e.to_string())),
        other => format!("{}. {}", capitalize(&other.to_string()), other.advice()),
    };
    IpcError::new(kind, message)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_failures_say_what_happened_and_what_to_do_without_meaning_sign_in_again() {
        let limited = ai_error(plexpicker_core::Error::Ai(curator::Error::RateLimited {
            provider: "OpenAI".into(),
            retry_after: Some(std::time::Duration::from_secs(20)),
        }));
        assert_eq!(limited.kind, ErrorKind::RateLimited);
        assert_eq!(
            limited.message,
            "OpenAI is rate limiting requests (it asks to wait 20 s): wait and try again, or let PlexPicker choose."
        );
        // A refused API key is the provider's business: never "sign in to Plex again".
        let refused = ai_error(plexpicker_core::Error::Ai(curator::Error::Unauthorized {
            provider: "OpenAI".into(),
            status: 401,
        }));
        assert_eq!(refused.kind, ErrorKind::InvalidRequest);
        assert!(refused.message.starts_with("OpenAI refused the api key"));
        let down = ai_error(plexpicker_core::Error::Ai(curator::Error::Connect {
            provider: "Ollama".into(),
            host: "127.0.0.1:11434".into(),
            hint: "is Ollama running? start it with `ollama serve`".into(),
        }));
        assert_eq!(down.kind, ErrorKind::Unreachable);
        let none = ai_error(plexpicker_core::Error::NoAiProvider);
        assert_eq!(none.kind, ErrorKind::InvalidRequest);
        assert!(
            none.message
                .starts_with("No AI provider is set up. Set one up in the AI settings"),
            "{}",
            none.message
        );
        let store = ai_error(plexpicker_core::Error::Keychain {
            action: "read",
            why: "locked".into(),
        });
        assert_eq!(store.kind, ErrorKind::Storage);
        assert!(store.message.contains("Unlock your system keychain"));
    }
}
