//! The secret token type.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A Plex token (account token or a shared server's access token).
///
/// Its `Debug` and `Display` never show it (`Token(****)`). It only ever travels as the
/// `X-Plex-Token` header (marked sensitive), never in a URL. It serializes as a plain string so
/// the app can persist it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// Wraps a token string (any length: old tokens are 20 characters, JWTs 500+).
    pub fn new(token: impl Into<String>) -> Self {
        Token(token.into())
    }

    /// The secret itself. Only `auth::attach` reads it, to put it in the `X-Plex-Token` header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// True when the token is empty (a PIN's `authToken: ""`, for instance).
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(****)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl From<String> for Token {
    fn from(s: String) -> Self {
        Token(s)
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Self {
        Token(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed_but_persisted() {
        let t = Token::new("abcdef0123456789SECRET");
        assert_eq!(format!("{t:?}"), "Token(****)");
        assert_eq!(format!("{t}"), "****");
        assert!(!format!("{:?}", Some(&t)).contains("SECRET"));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"abcdef0123456789SECRET\"");
        let back: Token = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
    }
}
