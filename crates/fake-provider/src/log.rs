//! The request log tests read to see what the client sent.

use std::sync::{Arc, Mutex};

use serde_json::Value;

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    /// The path and query as sent.
    pub target: String,
    /// Every header as received (names lowercased).
    pub headers: Vec<(String, String)>,
    /// The body, lossily decoded as UTF-8.
    pub body: String,
}

impl LoggedRequest {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The bearer token of the `Authorization` header, if any.
    pub fn bearer(&self) -> Option<&str> {
        self.header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
    }

    /// The body parsed as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The text of every message, joined by newlines (string contents and text parts).
    pub fn messages_text(&self) -> String {
        let Some(body) = self.json() else {
            return String::new();
        };
        let mut out = Vec::new();
        for m in body["messages"].as_array().into_iter().flatten() {
            match &m["content"] {
                Value::String(s) => out.push(s.clone()),
                Value::Array(parts) => {
                    for p in parts {
                        if let Some(t) = p["text"].as_str() {
                            out.push(t.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        out.join("\n")
    }

    /// `response_format.type`, when present.
    pub fn response_format(&self) -> Option<String> {
        self.json()?
            .get("response_format")?
            .get("type")?
            .as_str()
            .map(str::to_string)
    }

    /// Whether this is a chat completion request.
    pub fn is_chat(&self) -> bool {
        self.method == "POST" && self.target.ends_with("/chat/completions")
    }
}

/// A shared, append-only (until cleared) list of requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog(Arc<Mutex<Vec<LoggedRequest>>>);

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
