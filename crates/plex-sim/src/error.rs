//! The crate's one error type.

/// Everything that can go wrong while loading a scenario or starting the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("unknown scenario `{0}` (built-ins: home, friends, hostile)")]
    UnknownScenario(String),
    #[error("cannot read scenario file {path}: {source}")]
    ReadScenario {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid toml scenario: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("invalid json scenario: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid scenario: {0}")]
    Invalid(String),
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("certificate generation failed: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("tls configuration failed: {0}")]
    Tls(#[from] rustls::Error),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result with [`SimError`] as the default error.
pub type Result<T, E = SimError> = std::result::Result<T, E>;
