//! "Ask a model": the AI provider's settings, its key in the secret store, and the curated
//! pick both front ends share.
//!
//! The engine narrows and ranks the library exactly as for its own pick
//! ([`picker::IndexedCatalog::ranked`]); the model ([`curator::curate`]) then chooses among at
//! most [`AiSettings::max_candidates`] of those, and every answer is validated, so the model
//! can never name a title outside them. Whenever the model cannot be used (off, not set up,
//! unreachable, rate limited, a bad answer twice, stopped by the user) the engine's own pick
//! is shown with a note saying why.
//!
//! A pick is two steps, so a front end can read its state under a lock and then wait for the
//! model without it: [`prepare`] (synchronous: the engine's pick, the ranked candidates, the
//! client) and [`ask`] (asynchronous; dropping it, or resolving its `cancel` future, stops the
//! model and answers the engine's pick).
//!
//! What the model receives is only the facts of [`curator::Candidate`], the mood and the
//! wheels' sentence: never a Plex token, a server address, a machine identifier or a poster
//! path. The API key lives in the secret store under [`SecretKey::AiKey`], never in the
//! settings.

use std::future::Future;
use std::ops::RangeInclusive;

use curator::{ApiKey, Client, Fallback, Outcome, Preset, ProviderConfig, PRESETS};
use picker::{Choices, History, IndexedCatalog, Pick, PickContext, PickError, PickResult};
use plexpicker_ipc::{
    AiKeyChange, AiPresetView, AiProviderRequest, AiProviderView, AiSettingsView, AiTestView,
    CurationView,
};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::secrets::{SecretKey, Secrets};

/// How many candidates the model sees by default.
pub const DEFAULT_MAX_CANDIDATES: u32 = 60;
/// The whole-answer timeout by default, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u32 = 60;
/// The candidates setting's range.
pub const MAX_CANDIDATES_RANGE: RangeInclusive<u32> = 1..=200;
/// The timeout setting's range, in seconds.
pub const TIMEOUT_RANGE: RangeInclusive<u32> = 5..=600;
/// The note of a pick whose model the user stopped.
pub const STOPPED_NOTE: &str = plexpicker_ipc::STOPPED_NOTE;
/// How many model picks "pick again" remembers at most.
const MEMORY: usize = 420;

/// The AI settings, kept in the settings file (never the key). Off by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AiSettings {
    /// The model may be asked at all.
    pub enabled: bool,
    /// The picker's switch: "Let the model choose".
    pub use_model: bool,
    /// How many of the engine's candidates the model sees at most.
    pub max_candidates: u32,
    /// The whole-answer timeout, in seconds (connecting has its own 5 s).
    pub timeout_secs: u32,
    /// The provider set up, if any (its key is in the secret store).
    pub provider: Option<ProviderConfig>,
}

impl Default for AiSettings {
    fn default() -> Self {
        AiSettings {
            enabled: false,
            use_model: false,
            max_candidates: DEFAULT_MAX_CANDIDATES,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            provider: None,
        }
    }
}

impl AiSettings {
    /// The provider's settings with this file's limits, as the client is built from them.
    fn config(&self) -> Option<ProviderConfig> {
        self.provider.clone().map(|mut config| {
            config.max_candidates = self.max_candidates_usize();
            config.answer_timeout_secs = u64::from(
                self.timeout_secs
                    .clamp(*TIMEOUT_RANGE.start(), *TIMEOUT_RANGE.end()),
            );
            config
        })
    }

    fn max_candidates_usize(&self) -> usize {
        self.max_candidates
            .clamp(*MAX_CANDIDATES_RANGE.start(), *MAX_CANDIDATES_RANGE.end()) as usize
    }
}

/// A preset's id, as the window and the settings name it (`ollama`, `lm_studio`, …).
pub fn preset_id(preset: Preset) -> String {
    match serde_json::to_value(preset) {
        Ok(serde_json::Value::String(id)) => id,
        _ => "custom".to_string(),
    }
}

/// The preset of an id (`lm_studio`) or a CLI-style name (`lm-studio`).
pub fn preset_of(id: &str) -> Option<Preset> {
    serde_json::from_value(serde_json::Value::String(id.trim().to_string()))
        .ok()
        .or_else(|| Preset::from_name(id))
}

/// Where a provider's key is kept: by preset, or by host (and port) for a custom URL, so two
/// custom servers keep their own keys.
pub fn key_name(config: &ProviderConfig) -> SecretKey {
    match config.preset {
        Preset::Custom => {
            let host = url_host(&config.base_url).unwrap_or_else(|| "unknown".to_string());
            SecretKey::AiKey(format!("custom/{host}"))
        }
        preset => SecretKey::AiKey(preset_id(preset)),
    }
}

/// `host[:port]` of a URL.
fn url_host(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// The stored key of `config`'s provider, if any.
pub fn stored_key(secrets: &dyn Secrets, config: &ProviderConfig) -> Result<Option<ApiKey>> {
    Ok(secrets.get(&key_name(config))?.and_then(ApiKey::new))
}

/// Every preset, as the settings panel lists them.
pub fn presets() -> Vec<AiPresetView> {
    PRESETS
        .iter()
        .map(|p| AiPresetView {
            id: preset_id(p.preset),
            label: p.label.to_string(),
            base_url: p.base_url.to_string(),
            needs_key: p.needs_key,
        })
        .collect()
}

/// Exactly what is sent to the provider, and to whom, in plain words.
pub fn privacy(ai: &AiSettings) -> String {
    let facts = format!(
        "the mood, the wheels' sentence and, for at most {} of the titles PlexPicker's own picker found, their title, year, movie or show, length, genres, critic and audience ratings, content rating, whether you have watched them and the first 200 characters of their summary",
        ai.max_candidates_usize()
    );
    let never = "It never sends your Plex sign-in, your servers' addresses or identifiers, poster links or anything else about your account.";
    match (&ai.provider, ai.enabled) {
        (Some(config), true) => {
            let host = url_host(&config.base_url).unwrap_or_else(|| "its address".to_string());
            let whose = match url::Url::parse(config.base_url.trim()) {
                Ok(url) if is_local(&url) => "That server runs on this device, so nothing leaves it.".to_string(),
                _ => format!("{} handles what it receives under its own privacy terms.", config.label()),
            };
            format!(
                "When you let the model choose, PlexPicker sends {} at {host} {facts}, and your API key, if you gave one, as the request's authorization. {never} {whose} The API key is kept with your Plex sign-in in the secret store, never in the settings file.",
                config.label()
            )
        }
        _ => format!(
            "No AI model is asked: the AI provider is off. When you set one up and let the model choose, PlexPicker sends that provider {facts}. {never}"
        ),
    }
}

fn is_local(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The AI settings panel: presets, the provider (whether a key is stored, never the key), the
/// switches and the privacy text.
pub fn settings_view(ai: &AiSettings, secrets: &dyn Secrets) -> Result<AiSettingsView> {
    let provider = match &ai.provider {
        Some(config) => Some(AiProviderView {
            preset: preset_id(config.preset),
            base_url: config.base_url.clone(),
            model: config.model.clone(),
            has_key: stored_key(secrets, config)?.is_some(),
        }),
        None => None,
    };
    Ok(AiSettingsView {
        presets: presets(),
        provider,
        enabled: ai.enabled,
        use_model: ai.use_model,
        max_candidates: ai.max_candidates,
        timeout_secs: ai.timeout_secs,
        privacy: privacy(ai),
    })
}

/// Checks `request` and answers the AI settings it makes; the key change is applied to the
/// secret store (only once everything else checked out). The caller saves the settings.
///
/// Refused: an unknown preset, limits out of range, an unusable address, no model, a preset
/// that needs a key without one, and a key that would travel over plain http to another
/// machine.
pub fn configure(
    ai: &AiSettings,
    secrets: &dyn Secrets,
    request: &AiProviderRequest,
) -> Result<AiSettings> {
    let preset = preset_of(&request.preset).ok_or_else(|| {
        Error::AiSetting(format!(
            "there is no provider preset called {:?}; choose one of {}",
            request.preset,
            PRESETS
                .iter()
                .map(|p| preset_id(p.preset))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    if !MAX_CANDIDATES_RANGE.contains(&request.max_candidates) {
        return Err(Error::AiSetting(format!(
            "the model can be shown {} to {} titles, not {}",
            MAX_CANDIDATES_RANGE.start(),
            MAX_CANDIDATES_RANGE.end(),
            request.max_candidates
        )));
    }
    if !TIMEOUT_RANGE.contains(&request.timeout_secs) {
        return Err(Error::AiSetting(format!(
            "the answer timeout can be {} to {} seconds, not {}",
            TIMEOUT_RANGE.start(),
            TIMEOUT_RANGE.end(),
            request.timeout_secs
        )));
    }
    let mut base_url = request.base_url.trim().to_string();
    if base_url.is_empty() {
        base_url = preset.info().base_url.to_string();
    }
    let config = ProviderConfig {
        preset,
        base_url,
        model: request.model.trim().to_string(),
        answer_timeout_secs: u64::from(request.timeout_secs),
        max_candidates: request.max_candidates as usize,
        temperature: ai.provider.as_ref().and_then(|p| p.temperature),
    };
    let key = match &request.key {
        AiKeyChange::Keep => stored_key(secrets, &config)?,
        AiKeyChange::Remove => None,
        AiKeyChange::Set(text) => Some(ApiKey::new(text.as_str()).ok_or_else(|| {
            Error::AiSetting(
                "the API key is empty; paste the key, or choose to keep or remove the stored one"
                    .into(),
            )
        })?),
    };
    // The same checks the client makes before every request, now rather than at pick time.
    // Switched off, a provider may be saved unfinished (no model or key yet), never unsafe.
    match Client::new(&config, key.clone()) {
        Ok(_) => {}
        Err(curator::Error::MissingKey { .. } | curator::Error::NoModel { .. })
            if !request.enabled => {}
        Err(e) => return Err(e.into()),
    }
    let name = key_name(&config);
    match (&request.key, &key) {
        (AiKeyChange::Set(_), Some(key)) => secrets.set(&name, key.expose())?,
        (AiKeyChange::Remove, _) => secrets.delete(&name)?,
        _ => {}
    }
    Ok(AiSettings {
        enabled: request.enabled,
        use_model: ai.use_model,
        max_candidates: request.max_candidates,
        timeout_secs: request.timeout_secs,
        provider: Some(config),
    })
}

/// The client for the provider set up, with its stored key.
pub fn client(ai: &AiSettings, secrets: &dyn Secrets) -> Result<Client> {
    let config = ai.config().ok_or(Error::NoAiProvider)?;
    let key = stored_key(secrets, &config)?;
    Ok(Client::new(&config, key)?)
}

/// "Test": one tiny request; the latency, or the exact problem.
pub async fn test(client: &Client) -> Result<AiTestView> {
    let report = client.test().await?;
    Ok(AiTestView {
        latency_ms: u64::try_from(report.latency.as_millis()).unwrap_or(u64::MAX),
        model: report.model,
        provider: client.label().to_string(),
    })
}

/// "List models": the provider's model ids, sorted.
pub async fn models(client: &Client) -> Result<Vec<String>> {
    Ok(client.models().await?)
}

/// What the engine picks with, read by the front end.
#[derive(Debug, Clone, Copy)]
pub struct PickInput<'a> {
    pub catalog: &'a IndexedCatalog,
    pub choices: &'a Choices,
    pub history: &'a History,
    pub ctx: &'a PickContext,
    /// Who is watching, when not the account alone.
    pub room: Option<&'a picker::IndexedRoom>,
}

/// One suggestion: the engine's pick of the title (its episode, facts and reason), with the
/// reason and score shown, the model's when the model chose.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub pick: Pick,
    /// One line: the model's reason, or the engine's.
    pub reason: String,
    /// 0 to 100: the model's score, or the engine's.
    pub score: u8,
}

impl Suggestion {
    fn engine(pick: Pick) -> Suggestion {
        Suggestion {
            reason: pick.reason.text(),
            score: pick.score,
            pick,
        }
    }
}

/// Why the engine chose although the model was asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// The model could not be asked (off, not set up, no key, a bad address).
    NotAsked(String),
    /// The user stopped waiting.
    Stopped,
    /// The provider failed or answered badly twice.
    Failed(Fallback),
}

impl Why {
    /// The note shown with the engine's pick.
    pub fn note(&self) -> String {
        match self {
            Why::NotAsked(why) => {
                format!("The model was not asked: {why}. Showing PlexPicker's own pick.")
            }
            Why::Stopped => STOPPED_NOTE.to_string(),
            Why::Failed(fallback) => fallback.note(),
        }
    }

    /// The reason alone, lowercase, for machine-readable output.
    pub fn detail(&self) -> String {
        match self {
            Why::NotAsked(why) => why.clone(),
            Why::Stopped => "stopped by the user".to_string(),
            Why::Failed(Fallback::NoCandidates) => "no candidates were left to offer it".into(),
            Why::Failed(Fallback::Provider(e)) => e.to_string(),
            Why::Failed(Fallback::BadAnswer(b)) => b.to_string(),
        }
    }
}

/// Who chose.
#[derive(Debug, Clone, PartialEq)]
pub enum ChosenBy {
    /// The model, as the server names it, on the provider (its label).
    Model { model: String, provider: String },
    /// The engine, and why not the model.
    Engine(Why),
}

/// A pick asked for with the model.
#[derive(Debug, Clone, PartialEq)]
pub struct AiPick {
    pub top: Suggestion,
    pub alternatives: Vec<Suggestion>,
    /// How many titles passed every filter.
    pub matches: usize,
    pub chosen_by: ChosenBy,
    /// The ids left out because the model already picked them ("pick again").
    pub excluded: Vec<String>,
}

impl AiPick {
    /// "Chosen by llama3.2 on Ollama", when the model chose.
    pub fn credit(&self) -> Option<String> {
        match &self.chosen_by {
            ChosenBy::Model { model, provider } => Some(format!("Chosen by {model} on {provider}")),
            ChosenBy::Engine(_) => None,
        }
    }

    /// The fallback note, when the engine chose.
    pub fn note(&self) -> Option<String> {
        match &self.chosen_by {
            ChosenBy::Engine(why) => Some(why.note()),
            ChosenBy::Model { .. } => None,
        }
    }

    /// Whether the model chose.
    pub fn by_model(&self) -> bool {
        matches!(self.chosen_by, ChosenBy::Model { .. })
    }

    /// What the window shows about who chose.
    pub fn curation_view(&self) -> CurationView {
        CurationView {
            by_model: self.by_model(),
            credit: self.credit(),
            note: self.note(),
        }
    }

    /// Every suggested id, top first.
    pub fn ids(&self) -> Vec<String> {
        std::iter::once(&self.top)
            .chain(&self.alternatives)
            .map(|s| s.pick.title_id.clone())
            .collect()
    }
}

/// The model's picks of this session, so "pick again" with unchanged choices asks for others.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    choices: Option<Choices>,
    shown: Vec<String>,
}

impl Memory {
    /// The ids to leave out of a pick with `choices`: the model's earlier picks, when the
    /// choices are unchanged.
    pub fn exclusions(&self, choices: &Choices) -> Vec<String> {
        if self.choices.as_ref() == Some(choices) {
            self.shown.clone()
        } else {
            Vec::new()
        }
    }

    /// Remembers what the model picked (nothing when the engine chose).
    pub fn remember(&mut self, choices: &Choices, pick: &AiPick) {
        if !pick.by_model() {
            return;
        }
        // What was really left out, plus the new picks: when every candidate had been shown,
        // the exclusions were dropped and the list starts again.
        let mut shown = pick.excluded.clone();
        shown.extend(pick.ids());
        let start = shown.len().saturating_sub(MEMORY);
        self.shown = shown.split_off(start);
        self.choices = Some(choices.clone());
    }

    /// Forgets everything (a new catalog, signing out).
    pub fn clear(&mut self) {
        *self = Memory::default();
    }
}

/// A curated pick ready to ask the model: everything owned, so no lock is held while waiting.
pub struct Prepared {
    engine: PickResult,
    ranked: Vec<Pick>,
    candidates: Vec<curator::Candidate>,
    client: std::result::Result<Client, Why>,
    mood: String,
    sentence: String,
    exclude: Vec<String>,
    max_candidates: usize,
    temperature: Option<f32>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("candidates", &self.candidates.len())
            .field("exclude", &self.exclude)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// The candidates the model will be offered at most (before exclusions are applied).
    pub fn candidates(&self) -> &[curator::Candidate] {
        &self.candidates
    }

    /// The engine's own pick, as shown when the model cannot be used.
    pub fn engine_pick(&self) -> &PickResult {
        &self.engine
    }
}

/// The synchronous half of a curated pick: the engine's own pick (the fallback), its best
/// candidates, and the client (`client`, from [`client`], or why the model cannot be asked).
/// Fails exactly when the engine's pick fails (nothing matches, bad choices).
pub fn prepare(
    ai: &AiSettings,
    client: Result<Client>,
    input: PickInput<'_>,
    exclude: Vec<String>,
) -> std::result::Result<Prepared, PickError> {
    let (c, h, ctx) = (input.choices, input.history, input.ctx);
    let want = ai.max_candidates_usize().saturating_add(exclude.len());
    let (engine, ranked) = match input.room {
        Some(room) => (
            input.catalog.pick_for(room, c, h, ctx)?,
            input.catalog.ranked_for(room, c, h, ctx, want)?,
        ),
        None => (
            input.catalog.pick(c, h, ctx)?,
            input.catalog.ranked(c, h, ctx, want)?,
        ),
    };
    let max = ai.max_candidates_usize();
    let all = input.catalog.catalog();
    let candidates: Vec<curator::Candidate> = ranked
        .candidates
        .iter()
        .filter_map(|p| all.get(&p.title_id).map(curator::Candidate::from))
        .collect();
    // Every candidate already shown: start again rather than offer nothing.
    let exclude = if candidates.iter().all(|c| exclude.contains(&c.id)) {
        Vec::new()
    } else {
        exclude
    };
    let client = if !ai.enabled {
        Err(Why::NotAsked(
            "the AI provider is switched off; turn it on in the AI settings".into(),
        ))
    } else {
        client.map_err(|e| Why::NotAsked(e.to_string()))
    };
    Ok(Prepared {
        engine,
        ranked: ranked.candidates,
        candidates,
        client,
        mood: input.choices.mood.label().to_string(),
        sentence: plexpicker_ipc::sentence(input.choices),
        exclude,
        max_candidates: max,
        temperature: ai.provider.as_ref().and_then(|p| p.temperature),
    })
}

/// The engine's own pick, with why the model did not choose.
pub fn engine_pick(prepared: Prepared, why: Why) -> AiPick {
    let PickResult {
        top,
        alternatives,
        matches,
    } = prepared.engine;
    AiPick {
        top: Suggestion::engine(top),
        alternatives: alternatives.into_iter().map(Suggestion::engine).collect(),
        matches,
        chosen_by: ChosenBy::Engine(why),
        excluded: prepared.exclude,
    }
}

/// The asynchronous half: asks the model and answers its validated pick, or the engine's own
/// pick with a note. Resolving `cancel` (or dropping this future) stops waiting for the model
/// at once: the answer is then the engine's pick with [`STOPPED_NOTE`].
pub async fn ask(prepared: Prepared, cancel: impl Future<Output = ()>) -> AiPick {
    let client = match &prepared.client {
        Ok(client) => client,
        Err(why) => {
            let why = why.clone();
            return engine_pick(prepared, why);
        }
    };
    let outcome = {
        let request = curator::Ask {
            candidates: &prepared.candidates,
            mood: &prepared.mood,
            sentence: &prepared.sentence,
            exclude: &prepared.exclude,
            max_candidates: prepared.max_candidates,
            temperature: prepared.temperature,
        };
        tokio::select! {
            biased;
            () = cancel => None,
            outcome = curator::curate(client, &request) => Some(outcome),
        }
    };
    let chosen = match outcome {
        None => return engine_pick(prepared, Why::Stopped),
        Some(Outcome::Engine(fallback)) => return engine_pick(prepared, Why::Failed(fallback)),
        Some(Outcome::Model(chosen)) => chosen,
    };
    let suggestion = |c: &curator::CuratedPick| {
        prepared
            .ranked
            .iter()
            .find(|p| p.title_id == c.id)
            .map(|p| Suggestion {
                pick: p.clone(),
                reason: c.reason.clone(),
                score: c.score.min(100),
            })
    };
    // Validation already checked every id against the offered candidates.
    let Some(top) = suggestion(&chosen.curation.top) else {
        let bad = curator::BadAnswer::UnknownId(chosen.curation.top.id.clone());
        return engine_pick(prepared, Why::Failed(Fallback::BadAnswer(bad)));
    };
    let alternatives = chosen
        .curation
        .alternatives
        .iter()
        .filter_map(suggestion)
        .collect();
    AiPick {
        top,
        alternatives,
        matches: prepared.engine.matches,
        chosen_by: ChosenBy::Model {
            model: chosen.model,
            provider: chosen.provider,
        },
        excluded: prepared.exclude,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecrets;

    fn request(preset: &str, url: &str, key: AiKeyChange) -> AiProviderRequest {
        AiProviderRequest {
            preset: preset.into(),
            base_url: url.into(),
            model: "m".into(),
            key,
            enabled: true,
            max_candidates: 60,
            timeout_secs: 60,
        }
    }

    #[test]
    fn off_by_default_and_old_settings_load() {
        let ai = AiSettings::default();
        assert!(!ai.enabled && !ai.use_model && ai.provider.is_none());
        assert_eq!((ai.max_candidates, ai.timeout_secs), (60, 60));
        let old: AiSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(old, ai);
        assert!(privacy(&ai).starts_with("No AI model is asked"));
    }

    #[test]
    fn presets_round_trip_by_id_and_keys_are_named_per_provider() {
        for p in PRESETS {
            assert_eq!(preset_of(&preset_id(p.preset)), Some(p.preset));
        }
        assert_eq!(preset_of("lm-studio"), Some(Preset::LmStudio));
        assert_eq!(preset_id(Preset::OpenAi), "open_ai");
        let openai = ProviderConfig::from_preset(Preset::OpenAi);
        assert_eq!(key_name(&openai), SecretKey::AiKey("open_ai".into()));
        let custom = ProviderConfig {
            preset: Preset::Custom,
            base_url: "http://127.0.0.1:9999/v1".into(),
            ..ProviderConfig::default()
        };
        assert_eq!(
            key_name(&custom),
            SecretKey::AiKey("custom/127.0.0.1:9999".into())
        );
    }

    #[test]
    fn configure_checks_first_and_stores_the_key_only_in_the_secret_store() {
        let secrets = MemorySecrets::default();
        let ai = AiSettings::default();
        // A preset that needs a key, without one: refused, nothing stored.
        let err = configure(&ai, &secrets, &request("open_ai", "", AiKeyChange::Keep)).unwrap_err();
        assert!(err.to_string().contains("needs an api key"), "{err}");
        // A key over plain http to another machine: refused before it is stored.
        let err = configure(
            &ai,
            &secrets,
            &request(
                "custom",
                "http://example.invalid/v1",
                AiKeyChange::Set("sk-1".into()),
            ),
        )
        .unwrap_err();
        assert!(err.to_string().contains("unencrypted"), "{err}");
        assert_eq!(
            secrets
                .get(&SecretKey::AiKey("custom/example.invalid".into()))
                .unwrap(),
            None
        );
        for bad in [
            request("nope", "", AiKeyChange::Keep),
            AiProviderRequest {
                max_candidates: 0,
                ..request("ollama", "", AiKeyChange::Keep)
            },
            AiProviderRequest {
                timeout_secs: 1,
                ..request("ollama", "", AiKeyChange::Keep)
            },
            request("ollama", "", AiKeyChange::Set("  ".into())),
        ] {
            assert!(matches!(
                configure(&ai, &secrets, &bad),
                Err(Error::AiSetting(_))
            ));
        }
        // OpenAI with a key: stored under its name, the settings hold no key.
        let set = configure(
            &ai,
            &secrets,
            &request("open_ai", "", AiKeyChange::Set(" sk-secret-42 ".into())),
        )
        .unwrap();
        assert_eq!(
            secrets.get(&SecretKey::AiKey("open_ai".into())).unwrap(),
            Some("sk-secret-42".into())
        );
        let json = serde_json::to_string(&set).unwrap();
        assert!(!json.contains("sk-secret"), "{json}");
        assert_eq!(
            set.provider.as_ref().unwrap().base_url,
            "https://api.openai.com/v1"
        );
        let view = settings_view(&set, &secrets).unwrap();
        assert!(view.provider.as_ref().unwrap().has_key);
        assert!(!serde_json::to_string(&view).unwrap().contains("sk-secret"));
        assert!(
            view.privacy.contains("OpenAI at api.openai.com"),
            "{}",
            view.privacy
        );
        // Keep keeps it; Remove forgets it (and then OpenAI is refused without one).
        let kept = configure(&set, &secrets, &request("open_ai", "", AiKeyChange::Keep)).unwrap();
        assert!(
            settings_view(&kept, &secrets)
                .unwrap()
                .provider
                .unwrap()
                .has_key
        );
        assert!(configure(
            &kept,
            &secrets,
            &request("open_ai", "", AiKeyChange::Remove)
        )
        .is_err());
        let ollama = configure(&kept, &secrets, &request("ollama", "", AiKeyChange::Keep)).unwrap();
        assert!(
            !settings_view(&ollama, &secrets)
                .unwrap()
                .provider
                .unwrap()
                .has_key
        );
        assert!(privacy(&ollama).contains("runs on this device"));
        // Switched off, OpenAI may wait for its key; switched on, it may not.
        let off = AiProviderRequest {
            enabled: false,
            ..request("open_ai", "", AiKeyChange::Remove)
        };
        let unfinished = configure(&ollama, &secrets, &off).unwrap();
        assert!(!unfinished.enabled);
        assert_eq!(
            secrets.get(&SecretKey::AiKey("open_ai".into())).unwrap(),
            None
        );
        assert!(privacy(&unfinished).starts_with("No AI model is asked"));
        assert!(configure(
            &unfinished,
            &secrets,
            &request("open_ai", "", AiKeyChange::Keep)
        )
        .is_err());
        // Never unsafe, even switched off.
        let unsafe_off = AiProviderRequest {
            enabled: false,
            ..request(
                "custom",
                "http://example.invalid/v1",
                AiKeyChange::Set("sk-2".into()),
            )
        };
        assert!(configure(&ollama, &secrets, &unsafe_off).is_err());
    }
}
