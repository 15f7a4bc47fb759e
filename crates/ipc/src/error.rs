//! The one error type that crosses the IPC boundary.

use serde::{Deserialize, Serialize};

/// What kind of failure happened, so the UI can branch on it (show "sign in again", offer
/// Retry, ...) without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The token is missing, expired or revoked: the user must sign in again.
    Unauthorized,
    /// No route to the server worked; the message carries the diagnosis.
    Unreachable,
    /// Plex asked us to slow down.
    RateLimited,
    /// The server answered with something we could not understand.
    InvalidResponse,
    /// The operation took too long.
    TimedOut,
    /// The user cancelled.
    Cancelled,
    /// Saved settings could not be read or written.
    Storage,
    /// The request from the UI was not valid (a bug in the UI, or stale state).
    InvalidRequest,
    /// Nothing in the catalog matched the choices.
    NoMatch,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// Anything else.
    Internal,
}

/// Structured details some errors carry, for the UI to show more than a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ErrorDetails {
    /// No route to the server worked: every route and why it failed.
    Diagnosis {
        candidates: Vec<crate::CandidateView>,
    },
    /// Nothing matched the choices: the filter that emptied the list (the picker's own
    /// [`picker_vocab::Filter`], so the window lifts it with `Choices::without` and names it with
    /// `Filter::noun`), and how many titles would match without it.
    NoMatch {
        filter: picker_vocab::Filter,
        without: u64,
    },
}

/// An error as the UI receives it: a kind to branch on and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// What went wrong, for code.
    pub kind: ErrorKind,
    /// What happened and what to do next, for people.
    pub message: String,
    /// More, for some kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetails>,
}

impl IpcError {
    /// An error of `kind` with a message for the user.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            details: None,
        }
    }

    /// The same error with `details` attached.
    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(details);
        self
    }

    /// The UI could not reach the backend at all, or the backend's answer did not decode.
    /// Used by the UI's invoke wrapper so a rejected promise never becomes a panic.
    pub fn bridge(detail: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorKind::Internal,
            format!(
                "PlexPicker's window could not talk to its engine ({detail}). \
                 Restart the app; if it keeps happening, reinstall it."
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON shape of errors is a contract with the UI: pin it.
    #[test]
    fn error_json_shape_is_pinned() {
        let err = IpcError::new(ErrorKind::Unauthorized, "Sign in again.");
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"kind":"unauthorized","message":"Sign in again."}"#
        );
        let kinds = [
            (ErrorKind::Unreachable, "unreachable"),
            (ErrorKind::RateLimited, "rate_limited"),
            (ErrorKind::InvalidResponse, "invalid_response"),
            (ErrorKind::TimedOut, "timed_out"),
            (ErrorKind::Cancelled, "cancelled"),
            (ErrorKind::Storage, "storage"),
            (ErrorKind::InvalidRequest, "invalid_request"),
            (ErrorKind::NoMatch, "no_match"),
            (ErrorKind::NotFound, "not_found"),
            (ErrorKind::Internal, "internal"),
        ];
        for (kind, text) in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), text);
        }
    }

    #[test]
    fn details_are_tagged_and_optional() {
        let err = IpcError::new(ErrorKind::NoMatch, "No unwatched shows under 45 min.")
            .with_details(ErrorDetails::NoMatch {
                filter: picker_vocab::Filter::Runtime,
                without: 14,
            });
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({
                "kind": "no_match",
                "message": "No unwatched shows under 45 min.",
                "details": {"type": "no_match", "filter": "runtime", "without": 14}
            })
        );
        let plain: IpcError = serde_json::from_str(r#"{"kind":"internal","message":"x"}"#).unwrap();
        assert_eq!(plain.details, None);
    }

    #[test]
    fn bridge_error_tells_the_user_what_to_do() {
        let err = IpcError::bridge("command app_info not found");
        assert_eq!(err.kind, ErrorKind::Internal);
        assert!(err.message.contains("command app_info not found"));
        assert!(err.message.contains("Restart the app"));
        assert_eq!(err.to_string(), err.message);
    }
}
