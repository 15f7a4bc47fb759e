//! fake-provider: a faithful fake of an OpenAI-compatible chat completions server, for tests.
//!
//! [`FakeProvider::start`] binds `127.0.0.1:0` and serves, under `/v1`:
//! - `POST /v1/chat/completions`, validated the way real servers validate it (bearer key when
//!   one is configured, a JSON body, `model` present and known, `messages` with real roles and
//!   string or part contents, `response_format` shapes, `temperature` range), with error bodies
//!   in the real `{"error":{"message","type","param","code"}}` shape and status (400, 401, 404);
//! - `GET /v1/models`, the OpenAI model list.
//!
//! A valid chat request is answered with the next scripted [`Reply`] (a queue per server; when
//! it is empty, [`Reply::Auto`]): a good answer, fenced JSON, a `<think>` preamble, ids never
//! offered, `finish_reason: "length"`, 429 with `retry-after`, 500, a hang, a trickle, a
//! redirect. Every request that reached the server is in [`FakeProvider::requests`], so tests
//! can assert on what was sent.
//!
//! ```no_run
//! # async fn demo() -> fake_provider::Result<()> {
//! use fake_provider::{Config, FakeProvider, Reply};
//! let fake = FakeProvider::start(Config::default()).await?;
//! fake.push_reply(Reply::content("```json\n{\"top\":null}\n```"));
//! println!("{}", fake.base_url()); // http://127.0.0.1:PORT/v1
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod error;
mod log;
mod reply;
mod server;
mod validate;

pub use error::{Error, Result};
pub use log::LoggedRequest;
pub use reply::Reply;
pub use server::FakeProvider;

/// How the fake server behaves apart from its scripted replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The model ids it knows (`GET /v1/models`; any other model is a 404).
    pub models: Vec<String>,
    /// When set, every request must carry `Authorization: Bearer <key>` (else 401).
    pub api_key: Option<String>,
    /// Whether `response_format: {"type":"json_schema",…}` is accepted (else 400, like servers
    /// that only know `json_object`).
    pub json_schema: bool,
    /// Whether `response_format: {"type":"json_object"}` is accepted (else 400).
    pub json_object: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            models: vec!["llama3.2".to_string()],
            api_key: None,
            json_schema: true,
            json_object: true,
        }
    }
}

impl Config {
    /// The default config with this key required as a bearer token.
    pub fn with_key(key: impl Into<String>) -> Self {
        Config {
            api_key: Some(key.into()),
            ..Config::default()
        }
    }
}
