//! Provider presets and the user's provider settings (never the key).

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The default number of candidates the model sees.
pub const DEFAULT_MAX_CANDIDATES: usize = 60;
/// The default whole-answer timeout, in seconds.
pub const DEFAULT_ANSWER_TIMEOUT_SECS: u64 = 60;

/// A kind of OpenAI-compatible server the user can pick from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Ollama on this machine.
    #[default]
    Ollama,
    /// LM Studio's local server.
    LmStudio,
    /// llama.cpp's `llama-server`.
    LlamaCpp,
    /// OpenAI's API.
    OpenAi,
    /// Google Gemini's OpenAI-compatible endpoint.
    Gemini,
    /// OpenRouter.
    OpenRouter,
    /// Any other OpenAI-compatible server.
    Custom,
}

/// What a preset starts with; every field is editable in [`ProviderConfig`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PresetInfo {
    pub preset: Preset,
    /// Shown to the user and used in messages ("Chosen by llama3.2 on Ollama").
    pub label: &'static str,
    /// The base URL (…/v1); empty for [`Preset::Custom`].
    pub base_url: &'static str,
    /// Whether the server needs an API key.
    pub needs_key: bool,
    /// A model to suggest in the empty model field.
    pub example_model: &'static str,
    /// What to do when connecting is refused.
    pub start_hint: &'static str,
}

/// Every preset, in the order the settings panel lists them.
pub const PRESETS: [PresetInfo; 7] = [
    PresetInfo {
        preset: Preset::Ollama,
        label: "Ollama",
        base_url: "http://127.0.0.1:11434/v1",
        needs_key: false,
        example_model: "llama3.2",
        start_hint: "is Ollama running? start it with `ollama serve`",
    },
    PresetInfo {
        preset: Preset::LmStudio,
        label: "LM Studio",
        base_url: "http://127.0.0.1:1234/v1",
        needs_key: false,
        example_model: "qwen2.5-7b-instruct",
        start_hint: "is LM Studio's local server started (Developer tab, Start Server)?",
    },
    PresetInfo {
        preset: Preset::LlamaCpp,
        label: "llama.cpp server",
        base_url: "http://127.0.0.1:8080/v1",
        needs_key: false,
        example_model: "default",
        start_hint: "is llama-server running on that port?",
    },
    PresetInfo {
        preset: Preset::OpenAi,
        label: "OpenAI",
        base_url: "https://api.openai.com/v1",
        needs_key: true,
        example_model: "gpt-4o-mini",
        start_hint: "check your internet connection",
    },
    PresetInfo {
        preset: Preset::Gemini,
        label: "Google Gemini",
        base_url: "https://generativelanguage.googleapis.com/v1beta/openai",
        needs_key: true,
        example_model: "gemini-2.0-flash",
        start_hint: "check your internet connection",
    },
    PresetInfo {
        preset: Preset::OpenRouter,
        label: "OpenRouter",
        base_url: "https://openrouter.ai/api/v1",
        needs_key: true,
        example_model: "meta-llama/llama-3.3-70b-instruct",
        start_hint: "check your internet connection",
    },
    PresetInfo {
        preset: Preset::Custom,
        label: "Custom URL",
        base_url: "",
        needs_key: false,
        example_model: "",
        start_hint: "is the server running at that address?",
    },
];

impl Preset {
    /// This preset's starting data.
    pub fn info(self) -> &'static PresetInfo {
        // PRESETS lists every variant; the fallback is Custom, the last entry.
        PRESETS
            .iter()
            .find(|p| p.preset == self)
            .unwrap_or(&PRESETS[PRESETS.len() - 1])
    }

    /// Parses a CLI-style name (`ollama`, `lm-studio`, `llama-cpp`, `openai`, `gemini`,
    /// `openrouter`, `custom`).
    pub fn from_name(name: &str) -> Option<Preset> {
        let n: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match n.as_str() {
            "ollama" => Preset::Ollama,
            "lmstudio" => Preset::LmStudio,
            "llamacpp" | "llamaserver" => Preset::LlamaCpp,
            "openai" => Preset::OpenAi,
            "gemini" | "googlegemini" => Preset::Gemini,
            "openrouter" => Preset::OpenRouter,
            "custom" | "customurl" => Preset::Custom,
            _ => return None,
        })
    }
}

/// The user's provider settings: serde, stored with the app's settings. The API key is NOT
/// here (it is an [`ApiKey`](crate::ApiKey) kept in the OS keychain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig {
    /// The preset it started from (labels and hints).
    pub preset: Preset,
    /// The base URL, ending in the API root (…/v1); `/chat/completions` and `/models` are
    /// appended.
    pub base_url: String,
    /// The model name, free text.
    pub model: String,
    /// The whole-answer timeout in seconds (connecting has its own 5 s).
    pub answer_timeout_secs: u64,
    /// How many candidates the model sees at most.
    pub max_candidates: usize,
    /// Sampling temperature, when the user wants one.
    pub temperature: Option<f32>,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig::from_preset(Preset::Ollama)
    }
}

impl ProviderConfig {
    /// The preset's URL and example model, with the default limits.
    pub fn from_preset(preset: Preset) -> ProviderConfig {
        let info = preset.info();
        ProviderConfig {
            preset,
            base_url: info.base_url.to_string(),
            model: info.example_model.to_string(),
            answer_timeout_secs: DEFAULT_ANSWER_TIMEOUT_SECS,
            max_candidates: DEFAULT_MAX_CANDIDATES,
            temperature: None,
        }
    }

    /// The label used in messages: the preset's, or the host for a custom URL.
    pub fn label(&self) -> String {
        match self.preset {
            Preset::Custom => url::Url::parse(self.base_url.trim())
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| "the custom server".to_string()),
            p => p.info().label.to_string(),
        }
    }

    /// Checks the URL and model; answers the parsed base URL.
    pub fn checked_url(&self) -> Result<url::Url> {
        let raw = self.base_url.trim();
        // The address is not echoed: it may hold a password.
        let bad = |why: &str| Error::BadUrl {
            why: why.to_string(),
        };
        if raw.is_empty() {
            return Err(bad("it is empty"));
        }
        let url = url::Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(bad("only http:// and https:// addresses are supported"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "it contains a user name or password; put the key in the key field instead",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "it contains a query or fragment; put the key in the key field instead",
            ));
        }
        Ok(url)
    }
}

/// Whether `url` points at this machine (127.0.0.0/8, ::1, localhost).
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_has_data_and_a_name() {
        for info in PRESETS {
            assert_eq!(info.preset.info(), &info);
            let cfg = ProviderConfig::from_preset(info.preset);
            if info.preset != Preset::Custom {
                assert!(cfg.checked_url().is_ok(), "{:?}", info.preset);
            }
        }
        assert_eq!(Preset::from_name("lm-studio"), Some(Preset::LmStudio));
        assert_eq!(Preset::from_name("llama.cpp"), Some(Preset::LlamaCpp));
        assert_eq!(Preset::from_name("OpenAI"), Some(Preset::OpenAi));
        assert_eq!(Preset::from_name("nope"), None);
        assert_eq!(
            ProviderConfig::default().base_url,
            "http://127.0.0.1:11434/v1"
        );
    }

    #[test]
    fn config_serializes_without_any_key_field() {
        let cfg = ProviderConfig::from_preset(Preset::OpenAi);
        let json = serde_json::to_value(&cfg).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert!(keys.iter().all(|k| !k.contains("key")), "{keys:?}");
        let back: ProviderConfig = serde_json::from_value(json).unwrap();
        assert_eq!(back, cfg);
        // Old or partial settings load with defaults.
        let partial: ProviderConfig = serde_json::from_str(r#"{"model":"x"}"#).unwrap();
        assert_eq!(partial.max_candidates, DEFAULT_MAX_CANDIDATES);
    }

    #[test]
    fn urls_with_credentials_or_other_schemes_are_refused() {
        for bad in [
            "",
            "ftp://127.0.0.1/v1",
            "http://user:pw@127.0.0.1:11434/v1",
            "http://127.0.0.1:11434/v1?key=abc",
            "not a url",
        ] {
            let cfg = ProviderConfig {
                base_url: bad.to_string(),
                ..ProviderConfig::default()
            };
            let err = cfg.checked_url().unwrap_err();
            assert!(
                err.to_string().contains("http://127.0.0.1:11434/v1"),
                "the message shows an example: {err}"
            );
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
    }
}
