//! "Ask a model": the AI provider's settings and what a model-chosen pick carries.
//!
//! The API key only ever travels from the window to the backend ([`AiKeyChange::Set`]); no
//! answer carries it back: the window learns only whether one is stored
//! ([`AiProviderView::has_key`]).

use serde::{Deserialize, Serialize};

/// One provider preset the settings panel offers (Ollama, LM Studio, ..., "Custom URL").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiPresetView {
    /// The preset's id, as [`AiProviderRequest::preset`] takes it (`ollama`, `lm_studio`,
    /// `llama_cpp`, `open_ai`, `gemini`, `open_router`, `custom`).
    pub id: String,
    /// What the panel shows, for example "Ollama" or "Custom URL".
    pub label: String,
    /// The preset's base URL (…/v1); empty for "Custom URL".
    pub base_url: String,
    /// Whether the provider needs an API key.
    pub needs_key: bool,
}

/// The provider in use: never the key, only whether one is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiProviderView {
    /// The preset's id (see [`AiPresetView::id`]).
    pub preset: String,
    pub base_url: String,
    /// The model name, free text (for example "llama3.2").
    pub model: String,
    /// An API key is stored in the secret store for this provider.
    pub has_key: bool,
}

/// The AI settings panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiSettingsView {
    /// Every preset, in the order the panel lists them.
    pub presets: Vec<AiPresetView>,
    /// The provider set up, if any.
    pub provider: Option<AiProviderView>,
    /// The model may be asked at all (off by default).
    pub enabled: bool,
    /// The picker's switch: "Let the model choose" (true) or "PlexPicker chooses" (false).
    pub use_model: bool,
    /// How many of the engine's candidates the model sees at most.
    pub max_candidates: u32,
    /// The whole-answer timeout, in seconds (connecting has its own 5 s).
    pub timeout_secs: u32,
    /// Exactly what is sent and to whom, in plain words (shown in About and in this panel).
    pub privacy: String,
}

/// What the API key field asks for when the provider is saved.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AiKeyChange {
    /// Leave the stored key as it is (the field was not touched).
    #[default]
    Keep,
    /// Forget the stored key.
    Remove,
    /// Store this key (window to backend only; it never travels back).
    Set(String),
}

impl std::fmt::Debug for AiKeyChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AiKeyChange::Keep => f.write_str("Keep"),
            AiKeyChange::Remove => f.write_str("Remove"),
            AiKeyChange::Set(_) => f.write_str("Set(<redacted>)"),
        }
    }
}

/// "Save" in the AI settings panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiProviderRequest {
    /// The preset's id (see [`AiPresetView::id`]).
    pub preset: String,
    /// The base URL (…/v1), as edited.
    pub base_url: String,
    /// The model name, free text.
    pub model: String,
    /// What to do with the stored API key.
    #[serde(default)]
    pub key: AiKeyChange,
    /// The model may be asked at all.
    pub enabled: bool,
    /// How many candidates the model sees at most (1 to 200).
    pub max_candidates: u32,
    /// The whole-answer timeout, in seconds (5 to 600).
    pub timeout_secs: u32,
}

/// "Test": one tiny request went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiTestView {
    /// How long the answer took, in milliseconds.
    pub latency_ms: u64,
    /// The model that answered.
    pub model: String,
    /// The provider's label, for example "Ollama".
    pub provider: String,
}

/// Who chose a pick asked for with the model, and why not the model when it fell back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurationView {
    /// The model chose (the cards' reasons and scores are the model's).
    pub by_model: bool,
    /// "Chosen by llama3.2 on Ollama", when the model chose.
    pub credit: Option<String>,
    /// When the engine chose instead: why, in plain words ("The model's answer could not be
    /// used: … Showing PlexPicker's own pick.").
    pub note: Option<String>,
}

/// The note of a pick whose model request the user cancelled.
pub const STOPPED_NOTE: &str = "You stopped the model. Showing PlexPicker's own pick.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_prints_and_travels_as_tagged_json() {
        let set = AiKeyChange::Set("sk-secret-1".into());
        let shown = format!(
            "{set:?} {:?}",
            AiProviderRequest {
                preset: "open_ai".into(),
                base_url: "https://api.openai.com/v1".into(),
                model: "gpt-4o-mini".into(),
                key: set.clone(),
                enabled: true,
                max_candidates: 60,
                timeout_secs: 60,
            }
        );
        assert!(!shown.contains("sk-secret"), "{shown}");
        assert!(shown.contains("Set(<redacted>)"), "{shown}");
        assert_eq!(
            serde_json::to_value(&set).unwrap(),
            serde_json::json!({"set": "sk-secret-1"})
        );
        assert_eq!(
            serde_json::to_value(AiKeyChange::Keep).unwrap(),
            serde_json::json!("keep")
        );
        let back: AiKeyChange = serde_json::from_str(r#""remove""#).unwrap();
        assert_eq!(back, AiKeyChange::Remove);
        assert_eq!(format!("{:?}", AiKeyChange::Remove), "Remove");
    }
}
