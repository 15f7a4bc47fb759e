//! The request log tests read to see who received what.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// One request as a listener received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// `"plex.tv"` or `"pms"`.
    pub listener: String,
    /// The server's name, for PMS listeners.
    pub server: Option<String>,
    /// The connection's id, for PMS listeners.
    pub connection_id: Option<String>,
    /// The connection's kind (`http`, `https_self_signed`, `https_plex_direct`, `relay`).
    pub connection_kind: Option<String>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Every header as received (names lowercased).
    pub headers: Vec<(String, String)>,
    /// Whose token the request carried (`account`, `server:<name>`, `profile:<title>`,
    /// `profile:<title>@<server>`, `unknown`); `None` when it carried none.
    #[serde(default)]
    pub token_owner: Option<String>,
}

impl LoggedRequest {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of a query parameter (percent-decoded).
    pub fn query_param(&self, name: &str) -> Option<String> {
        crate::http::query_pairs(self.query.as_deref().unwrap_or(""))
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// Whether a token was sent in any form (header or query).
    pub fn carries_token(&self) -> bool {
        self.header("x-plex-token").is_some() || self.query_param("X-Plex-Token").is_some()
    }
}

/// A shared, append-only (until cleared) list of requests.
#[derive(Debug, Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<LoggedRequest>>>);

impl RequestLog {
    pub fn push(&self, r: LoggedRequest) {
        if let Ok(mut v) = self.0.lock() {
            v.push(r);
        }
    }

    pub fn snapshot(&self) -> Vec<LoggedRequest> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut v) = self.0.lock() {
            v.clear();
        }
    }
}
