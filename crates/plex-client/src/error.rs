//! The one error type of this crate, with a [`ErrorKind`] a UI can branch on.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::diagnosis::Diagnosis;

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to plex.tv or a Plex Media Server.
///
/// Messages are lowercase without a trailing period. No variant ever contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token was refused (plex.tv 401, or PMS 401 with its HTML body): sign in again.
    #[error("not authorized: sign in again")]
    Unauthorized,
    /// The thing asked for does not exist (or no longer exists).
    #[error("not found: {what}")]
    NotFound {
        /// What was not found (an endpoint path or an id), never a URL with a token.
        what: String,
    },
    /// plex.tv said "too many requests" (429, code 1003).
    #[error("rate limited by plex")]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// The server answered with an unexpected HTTP status.
    #[error("server error: http {status}")]
    Server {
        /// The HTTP status code.
        status: u16,
    },
    /// No connection of the server worked; the diagnosis says what happened to each.
    #[error("server unreachable: {0}")]
    Unreachable(Box<Diagnosis>),
    /// The server answered something we could not understand (malformed, truncated, too large).
    #[error("invalid response from {endpoint}: {detail}")]
    InvalidResponse {
        /// The endpoint path (no query, no host).
        endpoint: String,
        /// What was wrong with it.
        detail: String,
    },
    /// The server answered with a redirect, which is never followed: the token would go with
    /// it to wherever it points.
    #[error("redirected to {}: not followed, so your token was not sent there; check the server address", to_host.as_deref().unwrap_or("an unknown host"))]
    Redirected {
        /// The host the redirect pointed to (no path, no query), when it named one.
        to_host: Option<String>,
    },
    /// The request did not finish in time.
    #[error("timed out")]
    TimedOut,
    /// The caller cancelled the operation.
    #[error("cancelled")]
    Cancelled,
    /// A network error other than a timeout (refused, reset, name not resolved, tls).
    #[error("network error: {0}")]
    Network(String),
    /// The configuration given to the client is unusable (bad base URL, bad extra root).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Switching to a protected Home profile was refused: the PIN was wrong or missing.
    #[error("wrong pin for this profile: try again")]
    WrongPin,
    /// A Home profile has no access to this server (plex.tv did not list it for the profile,
    /// or its access token was issued for another server).
    #[error("this profile has no access to this server: ask the home's admin to share it")]
    ProfileNotOnServer,
}

/// What kind of error it is, for a UI to act on (serialized in snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Sign in again.
    Unauthorized,
    /// Not found.
    NotFound,
    /// Wait and retry.
    RateLimited,
    /// The server failed.
    Server,
    /// No route to the server; show the diagnosis.
    Unreachable,
    /// The server sent garbage.
    InvalidResponse,
    /// Redirected somewhere else (not followed).
    Redirected,
    /// Too slow.
    TimedOut,
    /// Cancelled by the caller.
    Cancelled,
    /// Some other network problem.
    Network,
    /// Bad configuration.
    Config,
    /// The profile's PIN was wrong: ask again.
    WrongPin,
    /// The profile may not use that server.
    ProfileNotOnServer,
}

impl Error {
    /// The kind of this error, for a UI to branch on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Unauthorized => ErrorKind::Unauthorized,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Server { .. } => ErrorKind::Server,
            Error::Unreachable(_) => ErrorKind::Unreachable,
            Error::InvalidResponse { .. } => ErrorKind::InvalidResponse,
            Error::Redirected { .. } => ErrorKind::Redirected,
            Error::TimedOut => ErrorKind::TimedOut,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Network(_) => ErrorKind::Network,
            Error::Config(_) => ErrorKind::Config,
            Error::WrongPin => ErrorKind::WrongPin,
            Error::ProfileNotOnServer => ErrorKind::ProfileNotOnServer,
        }
    }

    /// True when the user has to sign in again (the stored token is no good).
    pub fn is_sign_in_again(&self) -> bool {
        matches!(self, Error::Unauthorized)
    }

    /// The per-connection diagnosis, when the error is [`Error::Unreachable`].
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match self {
            Error::Unreachable(d) => Some(d),
            _ => None,
        }
    }

    pub(crate) fn invalid(endpoint: &str, detail: impl Into<String>) -> Self {
        Error::InvalidResponse {
            endpoint: endpoint.to_string(),
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_kinds_serialize() {
        let e = Error::invalid("/identity", "expected value at line 1 column 1");
        assert_eq!(
            e.to_string(),
            "invalid response from /identity: expected value at line 1 column 1"
        );
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
        assert_eq!(
            serde_json::to_string(&ErrorKind::RateLimited).unwrap(),
            "\"rate_limited\""
        );
        assert!(Error::Unauthorized.is_sign_in_again());
        assert!(Error::WrongPin.to_string().contains("try again"));
        assert_eq!(
            serde_json::to_string(&ErrorKind::WrongPin).unwrap(),
            "\"wrong_pin\""
        );
        for e in [
            Error::Unauthorized,
            Error::TimedOut,
            Error::Cancelled,
            Error::Server { status: 500 },
            Error::WrongPin,
            Error::ProfileNotOnServer,
        ] {
            let m = e.to_string();
            assert_eq!(m, m.to_lowercase());
            assert!(!m.ends_with('.'));
        }
    }
}
