//! What must be kept, that mutation testing found nothing checked (docs/TESTING.md): the app's
//! schema-1 choices and demo flag through migration, a token stored with
//! `Secrets::set_token`, the saved pins handed to the client, and whether a saved server has
//! a token of its own.

use plex_client::{CertFingerprint, Token};
use plexpicker_core::migrate::{self, Origin};
use plexpicker_core::secrets::{token_text, FileSecrets, SecretKey, Secrets, FALLBACK_FILE};
use plexpicker_core::settings::{SavedServer, Settings};
use plexpicker_ipc::Choices;

const APP_FIXTURE: &str = include_str!("fixtures/app-settings-v1.json");

/// The app's schema-1 settings (the fixture) with `choices` and `demo` replaced.
fn app_v1(choices: serde_json::Value, demo: bool) -> serde_json::Value {
    let file: serde_json::Value = serde_json::from_str(APP_FIXTURE).unwrap();
    let mut value = file["settings"].clone();
    value["choices"] = choices;
    value["demo"] = serde_json::Value::Bool(demo);
    value
}

/// Choices that differ from the defaults in several fields.
fn chosen() -> Choices {
    let choices = Choices {
        include_genres: vec!["Drama".into(), "Comedy".into()],
        exclude_genres: vec!["Horror".into()],
        min_critic: Some(7.5),
        min_audience: Some(6.0),
        ..Choices::default()
    };
    assert_ne!(choices, Choices::default());
    choices
}

#[test]
fn migration_keeps_the_apps_choices_and_demo_mode() {
    let choices = chosen();
    let value = app_v1(serde_json::to_value(&choices).unwrap(), true);
    let migrated = migrate::from_v1(value, Origin::App).unwrap();
    assert_eq!(migrated.settings.choices, choices);
    assert!(migrated.settings.demo);
    // The fixture's other fields are still carried over.
    assert_eq!(
        migrated.settings.client_identifier,
        "5b0e4f6a-3c2d-4e1f-9a8b-7c6d5e4f3a2b"
    );

    // Demo off stays off; choices whose shape changed since fall back to the defaults
    // without losing the rest of the file.
    let value = app_v1(serde_json::json!({ "min_critic": "very good" }), false);
    let migrated = migrate::from_v1(value, Origin::App).unwrap();
    assert_eq!(migrated.settings.choices, Choices::default());
    assert!(!migrated.settings.demo);
    assert!(migrated.settings.account.is_some());
}

#[test]
fn a_token_set_is_the_token_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FALLBACK_FILE);
    let store = FileSecrets::new(path.clone(), "tests");
    let secrets: &dyn Secrets = &store;
    let key = SecretKey::ServerAccessToken("machine-1".into());
    assert!(secrets.token(&key).unwrap().is_none());
    secrets
        .set_token(&key, &Token::new("server-token-123"))
        .unwrap();
    // Stored as the token's text itself (no quotes, no JSON around it)...
    assert_eq!(
        store.get(&key).unwrap().as_deref(),
        Some("server-token-123")
    );
    // ...and read back as the same token, from a new store over the same file.
    let again = FileSecrets::new(path, "tests");
    let token = (&again as &dyn Secrets).token(&key).unwrap().unwrap();
    assert_eq!(token_text(&token), "server-token-123");
    // Replacing it replaces it.
    secrets.set_token(&key, &Token::new("rotated")).unwrap();
    assert_eq!(store.get(&key).unwrap().as_deref(), Some("rotated"));
}

#[test]
fn the_saved_pins_are_the_ones_the_client_gets() {
    let mut settings = Settings::default();
    assert!(settings.cert_pins().is_empty());
    let a = CertFingerprint::of_der(b"first certificate");
    let b = CertFingerprint::of_der(b"second certificate");
    settings.pins.insert("127.0.0.2:32400".into(), a.clone());
    settings.pins.insert("127.0.0.3:32443".into(), b.clone());
    let pins = settings.cert_pins();
    assert_eq!(pins.len(), 2);
    assert_eq!(pins.get("127.0.0.2:32400"), Some(&a));
    assert_eq!(pins.get("127.0.0.3:32443"), Some(&b));
}

/// A saved server remembers that it has an access token of its own only when it has a
/// non-empty one (a shared server's token is in the secret store, not in the settings).
#[test]
fn a_saved_server_has_a_token_only_when_it_had_a_real_one() {
    let saved = SavedServer {
        id: "machine-1".into(),
        name: "Bob's server".into(),
        owned: false,
        home: false,
        owner: Some("Bob".into()),
        https_required: true,
        has_access_token: true,
        connections: Vec::new(),
    };
    let with_token = saved.to_server(Some(Token::new("shared-server-token")));
    assert_eq!(SavedServer::of(&with_token), saved);
    assert!(!SavedServer::of(&saved.to_server(None)).has_access_token);
    assert!(!SavedServer::of(&saved.to_server(Some(Token::new("")))).has_access_token);
}
