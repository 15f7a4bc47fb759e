//! # curator: AI curation for PlexPicker
//!
//! An optional model on top of the rule engine: the engine narrows and ranks the library,
//! the model chooses among at most N of those candidates, and every answer is validated so
//! the model can never name a title outside them.
//!
//! - [`provider`]: presets (Ollama, LM Studio, llama.cpp, OpenAI, Gemini, OpenRouter,
//!   Custom URL) and the user's [`ProviderConfig`] (serde, no key inside);
//! - [`ApiKey`]: the key, a secret that never prints;
//! - [`client`]: one client for OpenAI-compatible servers (`chat/completions`, `models`, a
//!   latency test), on the workspace's reqwest;
//! - [`prompt`]: the compact candidate facts and the prompt;
//! - [`answer`]: stripping and validating the model's answer;
//! - [`curate()`]: the whole exchange, ending in [`Outcome::Model`] or
//!   [`Outcome::Engine`] with a [`Fallback`] whose [`Fallback::note`] the UI shows.
//!
//! No Tauri, no keychain, no settings file: the app's core drives it.
#![forbid(unsafe_code)]

pub mod answer;
pub mod client;
mod curate;
mod error;
pub mod prompt;
pub mod provider;
mod secret;

pub use answer::{BadAnswer, CuratedPick, Curation};
pub use client::{ChatAnswer, ChatRequest, Client, Message, Role, TestReport};
pub use curate::{curate, Ask, Chosen, Fallback, Format, Outcome};
pub use error::{Error, Result};
pub use prompt::Candidate;
pub use provider::{Preset, PresetInfo, ProviderConfig, PRESETS};
pub use secret::ApiKey;
