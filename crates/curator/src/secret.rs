//! The provider's API key: a secret that never prints.

/// An API key for a provider. It has no `Display` and no `Serialize`, and its `Debug` is
/// redacted, so it cannot end up in a log line, a settings file or a payload by accident.
/// The app keeps it in the OS keychain and hands it in for each client.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// A key from user input, trimmed; `None` when it is empty.
    pub fn new(key: impl Into<String>) -> Option<ApiKey> {
        let key = key.into();
        let trimmed = key.trim();
        (!trimmed.is_empty()).then(|| ApiKey(trimmed.to_string()))
    }

    /// The key itself, for the `Authorization` header and the secret store only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("  sk-secret-123 \n").unwrap();
        assert_eq!(key.expose(), "sk-secret-123");
        let shown = format!("{key:?} {:?}", Some(key.clone()));
        assert!(!shown.contains("sk-secret"), "{shown}");
    }

    #[test]
    fn blank_keys_are_no_keys() {
        assert!(ApiKey::new("").is_none());
        assert!(ApiKey::new(" \t\n").is_none());
    }
}
