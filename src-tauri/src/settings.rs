//! The one typed settings value PlexPicker keeps, and how a stored value is judged.
//!
//! Tauri-free: the store adapter ([`crate::store`]) reads and writes it; this module decides
//! whether what was read can be used.

use plex_client::{CertPins, Connection, Token};
use plexpicker_ipc::Choices;
use serde::{Deserialize, Serialize};

/// Bumped when the shape of [`Settings`] changes incompatibly.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything PlexPicker remembers between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub schema_version: u32,
    /// `X-Plex-Client-Identifier`: made once, on first start, and kept.
    pub client_identifier: String,
    /// The signed-in account. `None` when signed out.
    pub account: Option<Account>,
    /// The server chosen last.
    pub server: Option<SavedServer>,
    /// Keys of the libraries chosen for picking; `None` means all movie and show libraries.
    pub libraries: Option<Vec<String>>,
    /// The wheels and filters as the user left them.
    pub choices: Choices,
    /// What was picked and rejected, for cool-offs.
    pub history: picker::History,
    /// The demo library is in use.
    pub demo: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            client_identifier: uuid::Uuid::new_v4().to_string(),
            account: None,
            server: None,
            libraries: None,
            choices: Choices::default(),
            history: picker::History::default(),
            demo: false,
        }
    }
}

/// A signed-in Plex account (or a server reached by URL and token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The account token. Never leaves the backend.
    pub token: Token,
    /// The account's name, when Plex told us.
    pub name: Option<String>,
    /// Signed in with "connect by URL and token": there is no plex.tv account to list
    /// servers from.
    #[serde(default)]
    pub direct: bool,
}

/// What PlexPicker keeps of the chosen server, so it can reconnect without asking plex.tv.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedServer {
    /// The machine identifier.
    pub id: String,
    pub name: String,
    pub owned: bool,
    #[serde(default)]
    pub home: bool,
    pub owner: Option<String>,
    #[serde(default)]
    pub https_required: bool,
    /// A shared server's own token.
    pub access_token: Option<Token>,
    /// Its connections as plex.tv listed them.
    pub connections: Vec<Connection>,
    /// The route that worked last time, tried first next time.
    pub last_connection: Option<String>,
    /// Pinned self-signed certificates, by `host:port`.
    #[serde(default)]
    pub pins: CertPins,
}

/// Why a stored value could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is not valid JSON, or the value does not have the expected shape.
    Corrupt(String),
    /// Written by a newer PlexPicker.
    NewerVersion(u32),
    /// The file exists but could not be read.
    Unreadable(String),
}

impl Problem {
    /// What the user is told, in plain words, with where the old file was kept.
    pub fn notice(&self, kept_copy: Option<&str>) -> String {
        let what = match self {
            Problem::Corrupt(_) => "PlexPicker's saved settings were damaged".to_string(),
            Problem::NewerVersion(v) => format!(
                "PlexPicker's saved settings come from a newer version of the app (format {v})"
            ),
            Problem::Unreadable(_) => "PlexPicker could not read its saved settings".to_string(),
        };
        match kept_copy {
            Some(copy) => format!(
                "{what}, so it started fresh. A copy of the old file was kept at {copy}. \
                 Sign in again to carry on."
            ),
            None => format!(
                "{what}, so it started fresh without changing the old file. \
                 Sign in again to carry on."
            ),
        }
    }
}

/// Judges a stored settings value: the settings to use, or why it cannot be used.
pub fn decode(value: serde_json::Value) -> Result<Settings, Problem> {
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| Problem::Corrupt("no schema version".into()))?;
    if version > u64::from(SCHEMA_VERSION) {
        return Err(Problem::NewerVersion(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let settings: Settings =
        serde_json::from_value(value).map_err(|err| Problem::Corrupt(err.to_string()))?;
    if uuid::Uuid::parse_str(&settings.client_identifier).is_err() {
        return Err(Problem::Corrupt(
            "the client identifier is not a UUID".into(),
        ));
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fresh_settings_have_a_uuid_and_the_current_schema() {
        let s = Settings::default();
        assert_eq!(s.schema_version, SCHEMA_VERSION);
        assert!(uuid::Uuid::parse_str(&s.client_identifier).is_ok());
        assert_ne!(s.client_identifier, Settings::default().client_identifier);
    }

    #[test]
    fn settings_round_trip_with_the_token() {
        let s = Settings {
            account: Some(Account {
                token: Token::new("secret-token"),
                name: Some("ann".into()),
                direct: false,
            }),
            ..Settings::default()
        };
        let value = serde_json::to_value(&s).unwrap();
        assert_eq!(decode(value).unwrap(), s);
        assert!(
            !format!("{s:?}").contains("secret-token"),
            "Debug hides the token"
        );
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut value = serde_json::to_value(Settings::default()).unwrap();
        value["schema_version"] = json!(SCHEMA_VERSION + 1);
        assert_eq!(
            decode(value),
            Err(Problem::NewerVersion(SCHEMA_VERSION + 1))
        );
    }

    #[test]
    fn wrong_shapes_are_corrupt() {
        assert!(matches!(decode(json!("hello")), Err(Problem::Corrupt(_))));
        assert!(matches!(
            decode(json!({"schema_version": 1, "account": 5})),
            Err(Problem::Corrupt(_))
        ));
        assert!(matches!(
            decode(json!({"schema_version": 1, "client_identifier": "nope"})),
            Err(Problem::Corrupt(_))
        ));
    }

    #[test]
    fn notices_say_what_happened_and_where_the_copy_is() {
        let n = Problem::Corrupt("x".into()).notice(Some("/tmp/settings.json.damaged-1"));
        assert!(n.contains("damaged"));
        assert!(n.contains("/tmp/settings.json.damaged-1"));
        assert!(n.contains("Sign in again"));
        let n = Problem::NewerVersion(9).notice(None);
        assert!(n.contains("newer version"));
        assert!(n.contains("without changing the old file"));
    }
}
