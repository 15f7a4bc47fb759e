//! AI curation: the provider panel (preset, address, model, key, limits, Test, List models,
//! Save), the picker's "Let the model choose" switch, and the model's thinking state with
//! Cancel.
//!
//! The backend's `test_ai_provider` and `list_ai_models` work on the saved provider, so Test and
//! List models save the form first and ask once the save answered. The API key the user types
//! is sent once, with the save, and cleared from the form as soon as the save answered: the
//! backend never sends it back (the view only says `has_key`).

use plexpicker_ipc::{
    AiKeyChange, AiProviderRequest, AiSettingsView, AiTestView, ErrorKind, IpcError,
};

use super::{Action, Effect, Effects, State};

/// The preset whose address the user types.
pub const CUSTOM_PRESET: &str = "custom";

/// Bounds of the panel's number fields (the backend checks them too).
pub const MAX_CANDIDATES: (u32, u32) = (1, 200);
pub const TIMEOUT_SECS: (u32, u32) = (5, 600);

/// What the provider panel is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AiBusy {
    /// Save: `set_ai_provider`.
    Saving,
    /// Test: the save, then `test_ai_provider`.
    Testing,
    /// List models: the save, then `list_ai_models`.
    Listing,
}

/// The panel's fields as the user edits them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AiForm {
    pub preset: String,
    pub base_url: String,
    pub model: String,
    /// A new key typed in, sent once with the next save (never filled from the backend).
    pub key: String,
    /// Remove the saved key with the next save.
    pub remove_key: bool,
    pub enabled: bool,
    pub max_candidates: String,
    pub timeout_secs: String,
}

impl AiForm {
    /// The form as the saved settings read (an empty key field).
    pub fn from_view(view: &AiSettingsView) -> AiForm {
        let (preset, base_url, model) = match &view.provider {
            Some(p) => (p.preset.clone(), p.base_url.clone(), p.model.clone()),
            None => {
                // Nothing saved yet: the first preset, with its address.
                let first = view.presets.first();
                (
                    first.map(|p| p.id.clone()).unwrap_or_default(),
                    first.map(|p| p.base_url.clone()).unwrap_or_default(),
                    String::new(),
                )
            }
        };
        AiForm {
            preset,
            base_url,
            model,
            key: String::new(),
            remove_key: false,
            enabled: view.enabled,
            max_candidates: view.max_candidates.to_string(),
            timeout_secs: view.timeout_secs.to_string(),
        }
    }

    /// The save request, or what to fix in plain words; `need_model: false` accepts an empty
    /// model name (saving a provider that stays off).
    pub fn request(&self, need_model: bool) -> Result<AiProviderRequest, String> {
        let base_url = self.base_url.trim();
        let model = self.model.trim();
        if self.preset.trim().is_empty() {
            return Err("Choose a provider.".into());
        }
        if base_url.is_empty() {
            return Err("Enter the provider's address, like http://127.0.0.1:11434/v1.".into());
        }
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err("The address must start with http:// or https://.".into());
        }
        if model.is_empty() && need_model {
            return Err("Enter a model name, or use List models to choose one.".into());
        }
        let max_candidates = whole(&self.max_candidates, MAX_CANDIDATES).ok_or_else(|| {
            format!(
                "Titles to offer the model: a whole number from {} to {}.",
                MAX_CANDIDATES.0, MAX_CANDIDATES.1
            )
        })?;
        let timeout_secs = whole(&self.timeout_secs, TIMEOUT_SECS).ok_or_else(|| {
            format!(
                "Time to wait for an answer: a whole number of seconds from {} to {}.",
                TIMEOUT_SECS.0, TIMEOUT_SECS.1
            )
        })?;
        let key = if !self.key.trim().is_empty() {
            AiKeyChange::Set(self.key.trim().to_string())
        } else if self.remove_key {
            AiKeyChange::Remove
        } else {
            AiKeyChange::Keep
        };
        Ok(AiProviderRequest {
            preset: self.preset.trim().to_string(),
            base_url: base_url.to_string(),
            model: model.to_string(),
            key,
            enabled: self.enabled,
            max_candidates,
            timeout_secs,
        })
    }
}

/// A whole number within `(min, max)`, or nothing.
fn whole(text: &str, (min, max): (u32, u32)) -> Option<u32> {
    let value: u32 = text.trim().parse().ok()?;
    (min..=max).contains(&value).then_some(value)
}

/// One field of the panel changed.
#[derive(Debug, Clone, PartialEq)]
pub enum AiField {
    BaseUrl(String),
    Model(String),
    Key(String),
    MaxCandidates(String),
    TimeoutSecs(String),
    Enabled(bool),
}

/// The provider panel, while open.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AiPanel {
    /// The saved settings have not arrived yet.
    pub loading: bool,
    /// Loading the saved settings failed.
    pub load_error: Option<IpcError>,
    pub form: AiForm,
    pub busy: Option<AiBusy>,
    /// What List models found.
    pub models: Option<Vec<String>>,
    /// What Test found: the latency, or the exact problem.
    pub test: Option<Result<AiTestView, IpcError>>,
    /// A save or List models that failed, or a form that is not filled in properly.
    pub error: Option<IpcError>,
    /// The last save went through (the panel says so).
    pub saved: bool,
}

/// The model is thinking about a pick.
#[derive(Debug, Clone, PartialEq)]
pub struct Thinking {
    /// "Asking llama3.2 on Ollama…".
    pub label: String,
    /// Cancel was pressed: the engine's pick is on its way.
    pub cancelling: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AiState {
    /// The backend's AI settings; `None` until they arrive.
    pub settings: Option<AiSettingsView>,
    /// The provider panel: `None` when closed.
    pub panel: Option<AiPanel>,
    /// A pick with the model is waiting for its answer.
    pub thinking: Option<Thinking>,
}

impl AiState {
    /// A provider is set up and switched on: the picker offers "Let the model choose".
    pub fn available(&self) -> bool {
        self.settings
            .as_ref()
            .is_some_and(|s| s.enabled && s.provider.is_some())
    }

    /// Pick with the model: available and the switch says so.
    pub fn use_model(&self) -> bool {
        self.available() && self.settings.as_ref().is_some_and(|s| s.use_model)
    }

    /// "llama3.2 on Ollama": the saved model and who runs it.
    pub fn model_label(&self) -> Option<String> {
        let settings = self.settings.as_ref()?;
        let provider = settings.provider.as_ref()?;
        Some(format!(
            "{} on {}",
            provider.model,
            provider_label(settings, &provider.preset, &provider.base_url)
        ))
    }
}

/// Who runs the model: the preset's label, or the address's host for a custom URL.
pub fn provider_label(settings: &AiSettingsView, preset: &str, base_url: &str) -> String {
    if preset != CUSTOM_PRESET {
        if let Some(p) = settings.presets.iter().find(|p| p.id == preset) {
            return p.label.clone();
        }
    }
    host(base_url).unwrap_or_else(|| "the custom server".to_string())
}

/// The host of an http(s) address: "http://127.0.0.1:8080/v1" → "127.0.0.1".
pub fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    // Never a user name or password.
    let authority = authority.rsplit('@').next()?;
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        authority.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_string())
}

/// "Test": the latency and who answered.
pub fn test_line(test: &AiTestView) -> String {
    format!(
        "{} on {} answered in {} ms.",
        test.model, test.provider, test.latency_ms
    )
}

impl State {
    /// The thinking state for a pick with the model, if this pick uses it.
    pub(super) fn start_thinking(&mut self) -> bool {
        if !self.ai.use_model() {
            self.ai.thinking = None;
            return false;
        }
        let label = self
            .ai
            .model_label()
            .map(|m| format!("Asking {m}…"))
            .unwrap_or_else(|| "Asking the model…".to_string());
        self.ai.thinking = Some(Thinking {
            label,
            cancelling: false,
        });
        true
    }

    /// The settings as the backend now reads them.
    fn ai_settings_arrived(&mut self, view: AiSettingsView) {
        if let Some(panel) = &mut self.ai.panel {
            if panel.loading {
                panel.loading = false;
                panel.form = AiForm::from_view(&view);
            }
        }
        self.ai.settings = Some(view);
    }

    /// Sends the form for saving; `busy` says what follows.
    fn save_ai(&mut self, busy: AiBusy, fx: &mut Effects) {
        let Some(panel) = &mut self.ai.panel else {
            return;
        };
        if panel.busy.is_some() || panel.loading {
            return;
        }
        panel.saved = false;
        panel.error = None;
        if busy == AiBusy::Testing {
            panel.test = None;
        }
        // A model is needed to ask it anything, or to switch it on; not to save a provider
        // that stays off. Listing needs one too: the backend lists with the saved provider's
        // client, which is only made with a model name.
        if busy == AiBusy::Listing && panel.form.model.trim().is_empty() {
            panel.error = Some(IpcError::new(
                ErrorKind::InvalidRequest,
                "Enter a model name first, even a guess like llama3.2: List models then shows the ones the server has.",
            ));
            return;
        }
        let need_model = busy != AiBusy::Saving || panel.form.enabled;
        match panel.form.request(need_model) {
            Ok(request) => {
                panel.busy = Some(busy);
                fx.push(Effect::SetAiProvider(request));
            }
            Err(message) => {
                let err = IpcError::new(ErrorKind::InvalidRequest, message);
                if busy == AiBusy::Testing {
                    panel.test = Some(Err(err));
                } else {
                    panel.error = Some(err);
                }
            }
        }
    }
}

pub(super) fn apply(state: &mut State, action: Action, fx: &mut Effects) {
    match action {
        Action::OpenAi => {
            state.about = None;
            state.ai.panel = Some(AiPanel {
                loading: true,
                ..AiPanel::default()
            });
            fx.push(Effect::AiSettings);
        }
        Action::CloseAi => state.ai.panel = None,
        Action::AiSettingsLoaded(Ok(view)) => state.ai_settings_arrived(view),
        Action::AiSettingsLoaded(Err(err)) => {
            if let Some(panel) = &mut state.ai.panel {
                if panel.loading {
                    panel.loading = false;
                    panel.load_error = Some(err);
                }
            }
        }
        Action::AiChoosePreset(id) => {
            let Some(panel) = &mut state.ai.panel else {
                return;
            };
            let Some(settings) = &state.ai.settings else {
                return;
            };
            let Some(preset) = settings.presets.iter().find(|p| p.id == id) else {
                return;
            };
            if panel.form.preset != preset.id {
                panel.form.preset = preset.id.clone();
                // The preset's address (empty for a custom URL, to be typed in).
                panel.form.base_url = preset.base_url.clone();
                panel.models = None;
                panel.test = None;
            }
            panel.saved = false;
            panel.error = None;
        }
        Action::AiFormChanged(field) => {
            let Some(panel) = &mut state.ai.panel else {
                return;
            };
            let form = &mut panel.form;
            match field {
                AiField::BaseUrl(url) => {
                    if url != form.base_url {
                        panel.models = None;
                        panel.test = None;
                    }
                    form.base_url = url;
                }
                AiField::Model(model) => form.model = model,
                AiField::Key(key) => {
                    form.key = key;
                    if !form.key.is_empty() {
                        form.remove_key = false;
                    }
                }
                AiField::MaxCandidates(n) => form.max_candidates = n,
                AiField::TimeoutSecs(n) => form.timeout_secs = n,
                AiField::Enabled(on) => form.enabled = on,
            }
            panel.saved = false;
            panel.error = None;
        }
        Action::AiRemoveKey(remove) => {
            if let Some(panel) = &mut state.ai.panel {
                panel.form.remove_key = remove;
                if remove {
                    panel.form.key.clear();
                }
                panel.saved = false;
            }
        }
        Action::AiSaveRequested => state.save_ai(AiBusy::Saving, fx),
        Action::AiTestRequested => state.save_ai(AiBusy::Testing, fx),
        Action::AiListModelsRequested => state.save_ai(AiBusy::Listing, fx),
        Action::AiSaved(result) => {
            let Some(panel) = &mut state.ai.panel else {
                // Closed meanwhile: the settings are still news.
                if let Ok(view) = result {
                    state.ai.settings = Some(view);
                }
                return;
            };
            let Some(busy) = panel.busy else {
                return;
            };
            match result {
                Ok(view) => {
                    // The key went with the save; it is never kept or shown again.
                    panel.form.key.clear();
                    panel.form.remove_key = false;
                    match busy {
                        AiBusy::Saving => {
                            panel.busy = None;
                            panel.saved = true;
                        }
                        AiBusy::Testing => fx.push(Effect::TestAiProvider),
                        AiBusy::Listing => fx.push(Effect::ListAiModels),
                    }
                    state.ai.settings = Some(view);
                }
                Err(err) => {
                    panel.busy = None;
                    if busy == AiBusy::Testing {
                        panel.test = Some(Err(err));
                    } else {
                        panel.error = Some(err);
                    }
                }
            }
        }
        Action::AiTested(result) => {
            if let Some(panel) = &mut state.ai.panel {
                if panel.busy == Some(AiBusy::Testing) {
                    panel.busy = None;
                    panel.test = Some(result);
                }
            }
        }
        Action::AiModelsListed(result) => {
            if let Some(panel) = &mut state.ai.panel {
                if panel.busy == Some(AiBusy::Listing) {
                    panel.busy = None;
                    match result {
                        Ok(models) if models.is_empty() => {
                            panel.models = None;
                            panel.error = Some(IpcError::new(
                                ErrorKind::NotFound,
                                "The provider lists no models. Type the model's name instead.",
                            ));
                        }
                        Ok(models) => {
                            // A name the server does not have gives way to the first it
                            // has, which is what the choice list shows.
                            if !models.iter().any(|m| *m == panel.form.model.trim()) {
                                panel.form.model = models[0].clone();
                            }
                            panel.models = Some(models);
                        }
                        Err(err) => panel.error = Some(err),
                    }
                }
            }
        }
        Action::AiChooseModel(model) => {
            if let Some(panel) = &mut state.ai.panel {
                panel.form.model = model;
                panel.saved = false;
            }
        }
        Action::SetUseModel(on) => {
            let Some(settings) = &mut state.ai.settings else {
                return;
            };
            if settings.use_model != on {
                settings.use_model = on;
                fx.push(Effect::SetUseModel(on));
            }
        }
        Action::UseModelFailed(err) => {
            state.notice = Some(format!(
                "The choice of who picks was not saved: {}",
                crate::text::error_message(&err)
            ));
        }
        Action::CancelAiPick => {
            if let Some(thinking) = &mut state.ai.thinking {
                if !thinking.cancelling {
                    thinking.cancelling = true;
                    fx.push(Effect::CancelAiPick);
                }
            }
        }
        // Other flows' actions are routed to their own modules.
        _ => {}
    }
}
