//! The crate's one error type: what went wrong talking to the provider, and what to do next.

use std::time::Duration;

/// Everything that can go wrong with a provider. Messages name the provider (its label or
/// host), never the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the provider address is not usable: {why}; enter one like http://127.0.0.1:11434/v1")]
    BadUrl { why: String },
    #[error("no model is set for {provider}: enter a model name, or list the models {provider} has and pick one")]
    NoModel { provider: String },
    #[error("the key would travel unencrypted to {host}: use an https:// address, or remove the key for a server without one")]
    InsecureKey { host: String },
    #[error("{provider} needs an api key: add one in the provider settings")]
    MissingKey { provider: String },
    #[error("could not connect to {provider} at {host}: {hint}")]
    Connect {
        provider: String,
        host: String,
        hint: String,
    },
    #[error("{provider} at {host} did not accept the connection within {seconds} s: check the address and that the server is up")]
    ConnectTimeout {
        provider: String,
        host: String,
        seconds: u64,
    },
    #[error("{provider} did not answer within {seconds} s: try a smaller or faster model, or raise the answer timeout")]
    Timeout { provider: String, seconds: u64 },
    #[error(
        "{provider} refused the api key (http {status}): check the key in the provider settings"
    )]
    Unauthorized { provider: String, status: u16 },
    #[error("{provider} does not know the model {model:?}: list the models it has and pick one")]
    UnknownModel { provider: String, model: String },
    #[error("{provider} has no openai-compatible api at this address (http 404): check that the address ends in the api root, like …/v1")]
    NotFound { provider: String },
    #[error("{provider} is rate limiting requests{}: wait and try again, or let PlexPicker choose", retry_text(.retry_after))]
    RateLimited {
        provider: String,
        retry_after: Option<Duration>,
    },
    #[error("{provider} had a server error (http {status}): {message}; try again later")]
    Server {
        provider: String,
        status: u16,
        message: String,
    },
    #[error("{provider} rejected the request (http {status}): {message}")]
    Rejected {
        provider: String,
        status: u16,
        message: String,
    },
    #[error("{provider} answered with a redirect (http {status}) that was not followed, so the key stays where it was sent: enter the final address as the provider address")]
    Redirect { provider: String, status: u16 },
    #[error("{provider}'s answer is larger than {limit} bytes: check that the address points at an openai-compatible server")]
    TooLarge { provider: String, limit: usize },
    #[error("{provider}'s answer could not be read: {detail}; check that the address points at an openai-compatible server")]
    BadBody { provider: String, detail: String },
    #[error("the request to {provider} failed: {detail}; check the address and your network")]
    Network { provider: String, detail: String },
    #[error("the http client could not be set up: {0}")]
    Setup(String),
}

fn retry_text(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!(" (it asks to wait {} s)", d.as_secs().max(1)),
        None => String::new(),
    }
}

impl Error {
    /// Whether the server said the request's shape was wrong (http 400), which is how servers
    /// refuse a `response_format` they do not support.
    pub fn is_bad_request(&self) -> bool {
        matches!(self, Error::Rejected { status: 400, .. })
    }
}

/// Result with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
