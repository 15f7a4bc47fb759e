//! The AI provider as a one-shot front end (the CLI) sets it up and shows it: the settings
//! with whether a key is stored (never the key) and what is sent to whom, a provider set up
//! from what the user gave (the rest kept from before), the model turned off, a test request
//! and the provider's models.

use plexpicker_ipc::{AiKeyChange, AiProviderRequest, AiTestView};

use super::Session;
use crate::ai;
use crate::report::{AiReport, ProviderRow};
use crate::Result;

/// A provider set up from what the user gave: what is not given is kept from the same
/// preset's settings, else the preset's defaults.
#[derive(Debug)]
pub struct ProviderChange {
    pub preset: curator::Preset,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// The key: set (its `Debug` is redacted), removed, or kept.
    pub key: AiKeyChange,
    pub max_candidates: Option<u32>,
    pub timeout_secs: Option<u32>,
}

/// The provider's models.
#[derive(Debug, Clone)]
pub struct ModelList {
    /// The provider's label.
    pub provider: String,
    pub models: Vec<String>,
}

impl Session {
    /// The AI settings: the provider (whether a key is stored, never the key), the limits and
    /// what is sent to whom.
    pub fn ai_report(&self) -> Result<AiReport> {
        let ai = self.settings().ai;
        let view = ai::settings_view(&ai, self.secrets())?;
        Ok(AiReport {
            enabled: view.enabled,
            provider: view.provider.map(|p| ProviderRow {
                label: ai
                    .provider
                    .as_ref()
                    .map(curator::ProviderConfig::label)
                    .unwrap_or_default(),
                preset: p.preset,
                base_url: p.base_url,
                model: p.model,
                has_key: p.has_key,
            }),
            max_candidates: view.max_candidates,
            timeout_secs: view.timeout_secs,
            privacy: view.privacy,
        })
    }

    /// Sets the provider up (checked, its key written or deleted only then) and turns the
    /// model on; "let the model choose" stays as it was.
    pub fn set_ai_provider(&self, change: ProviderChange) -> Result<AiReport> {
        let current = self.settings().ai;
        let same = current
            .provider
            .as_ref()
            .filter(|p| p.preset == change.preset);
        let model = change
            .model
            .or_else(|| same.map(|p| p.model.clone()))
            .unwrap_or_else(|| change.preset.info().example_model.to_string());
        let base_url = change
            .base_url
            .or_else(|| same.map(|p| p.base_url.clone()))
            .unwrap_or_default();
        let request = AiProviderRequest {
            preset: ai::preset_id(change.preset),
            base_url,
            model,
            key: change.key,
            enabled: true,
            max_candidates: change.max_candidates.unwrap_or(current.max_candidates),
            timeout_secs: change.timeout_secs.unwrap_or(current.timeout_secs),
        };
        let configured = ai::configure(&current, self.secrets(), &request)?;
        self.update(|s| {
            let use_model = s.ai.use_model;
            s.ai = configured;
            s.ai.use_model = use_model;
        })?;
        self.ai_report()
    }

    /// Turns the model off (the provider and its key are kept).
    pub fn ai_off(&self) -> Result<AiReport> {
        self.update(|s| s.ai.enabled = false)?;
        self.ai_report()
    }

    /// One tiny request to the provider: how long it took, or the exact problem.
    pub async fn test_ai(&self) -> Result<AiTestView> {
        let client = ai::client(&self.settings().ai, self.secrets())?;
        ai::test(&client).await
    }

    /// The provider's models, sorted.
    pub async fn ai_models(&self) -> Result<ModelList> {
        let client = ai::client(&self.settings().ai, self.secrets())?;
        let models = ai::models(&client).await?;
        Ok(ModelList {
            provider: client.label().to_string(),
            models,
        })
    }
}
