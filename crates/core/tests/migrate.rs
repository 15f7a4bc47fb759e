//! Migration from the schema-1 files today's app and CLI write (fixtures written by that code):
//! the tokens move to the secret store and out of the file; nobody signs in again.

use std::path::Path;

use plexpicker_core::migrate::Origin;
use plexpicker_core::secrets::{Choice, SecretKey, FALLBACK_FILE};
use plexpicker_core::settings::{self, SCHEMA_VERSION};
use plexpicker_core::storage;

const APP_FIXTURE: &str = include_str!("fixtures/app-settings-v1.json");
const CLI_FIXTURE: &str = include_str!("fixtures/cli-settings-v1.json");

fn secrets_text(dir: &Path) -> String {
    std::fs::read_to_string(storage::secrets_dir(dir).join(FALLBACK_FILE)).unwrap()
}

#[test]
fn the_apps_settings_move_their_tokens_to_the_secret_store() {
    let dir = tempfile::tempdir().unwrap();
    let file: serde_json::Value = serde_json::from_str(APP_FIXTURE).unwrap();
    let value = file["settings"].clone();
    assert_eq!(value["account"]["token"], "app-fixture-account-token");
    let judged = storage::judge(
        value,
        Origin::App,
        &storage::secrets_dir(dir.path()),
        Choice::File,
    )
    .unwrap()
    .unwrap();
    assert!(judged.migrated);
    let s = &judged.settings;
    assert_eq!(s.schema_version, SCHEMA_VERSION);
    assert_eq!(s.client_identifier, "5b0e4f6a-3c2d-4e1f-9a8b-7c6d5e4f3a2b");
    let account = s.account.as_ref().unwrap();
    assert_eq!(account.name.as_deref(), Some("Ann"));
    assert!(!account.direct);
    let server = s.server.as_ref().unwrap();
    assert_eq!(server.id, "fixture-machine-1");
    assert_eq!(server.owner.as_deref(), Some("Bob"));
    assert!(server.https_required && server.has_access_token);
    assert_eq!(server.connections.len(), 1);
    assert_eq!(
        s.last_connections
            .get("fixture-machine-1")
            .map(String::as_str),
        Some("https://127-0-0-2.0123456789abcdef.plex.direct:32400")
    );
    assert!(s.pins.contains_key("127.0.0.3:32443"));
    assert_eq!(
        s.libraries.as_deref(),
        Some(&["1".to_string(), "2".to_string()][..])
    );
    assert_eq!(s.history.entries.len(), 2);

    // The secrets are in the store, under this installation.
    let store = &judged.secrets;
    assert_eq!(
        store.get(&SecretKey::AccountToken).unwrap().as_deref(),
        Some("app-fixture-account-token")
    );
    assert_eq!(
        store
            .get(&SecretKey::ServerAccessToken("fixture-machine-1".into()))
            .unwrap()
            .as_deref(),
        Some("app-fixture-server-access-token")
    );
    // ...and in nothing the settings would write.
    let written = serde_json::to_string(s).unwrap();
    assert!(!written.contains("app-fixture-account-token"));
    assert!(!written.contains("app-fixture-server-access-token"));
    assert!(secrets_text(dir.path()).contains("app-fixture-account-token"));
    // The result is a valid current-schema value.
    assert_eq!(
        settings::decode(serde_json::to_value(s).unwrap()).unwrap(),
        *s
    );
}

#[test]
fn the_clis_file_is_migrated_in_place_and_keeps_the_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli-settings.json");
    std::fs::write(&path, CLI_FIXTURE).unwrap();
    let opened = storage::open_file(path.clone(), Origin::Cli, Choice::File).unwrap();
    assert!(opened.migrated && opened.notice.is_none());
    let s = &opened.settings;
    assert_eq!(s.client_identifier, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
    assert_eq!(s.account.as_ref().unwrap().name.as_deref(), Some("ann"));
    assert_eq!(s.server.as_ref().unwrap().id, "fixture-machine-2");
    assert_eq!(
        s.last_connections
            .get("fixture-machine-2")
            .map(String::as_str),
        Some("http://127.0.0.4:32400")
    );
    assert!(s.pins.contains_key("127.0.0.5:32443"));
    assert_eq!(s.history.entries.len(), 1);
    assert_eq!(
        opened
            .secrets
            .get(&SecretKey::AccountToken)
            .unwrap()
            .as_deref(),
        Some("cli-fixture-account-token")
    );

    // The file on disk is the new schema, without the token; no copy of the old one is left.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("cli-fixture-account-token"), "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            let body = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(
                !body.contains("cli-fixture-account-token"),
                "{} holds the token",
                entry.path().display()
            );
        }
    }

    // The next start reads the migrated file as it is and still finds the token.
    let again = storage::open_file(path, Origin::Cli, Choice::File).unwrap();
    assert!(!again.migrated);
    assert_eq!(again.settings, *s);
    assert_eq!(
        again
            .secrets
            .token(&SecretKey::AccountToken)
            .unwrap()
            .map(|t| plexpicker_core::secrets::token_text(&t)),
        Some("cli-fixture-account-token".to_string())
    );
}

#[test]
fn a_damaged_old_file_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli-settings.json");
    std::fs::write(&path, r#"{"schema_version": 1, "account": {"token": 5}}"#).unwrap();
    let opened = storage::open_file(path.clone(), Origin::Cli, Choice::File).unwrap();
    let notice = opened.notice.unwrap();
    assert!(notice
        .kept_at
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("cli-settings.json.damaged-"));
    assert!(opened.settings.account.is_none());
    assert!(path.exists(), "fresh settings are written");
}

#[test]
fn a_set_aside_copy_keeps_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli-settings.json");
    // Schema 1 with a token, but the wrong shape: damaged, set aside.
    std::fs::write(
        &path,
        r#"{"schema_version": 1, "client_identifier": 7, "account": {"token": "kept-secret-token", "username": "ann"}, "servers": [{"access_token": "kept-server-token"}]}"#,
    )
    .unwrap();
    let opened = storage::open_file(path, Origin::Cli, Choice::File).unwrap();
    let kept = opened.notice.unwrap().kept_at;
    let text = std::fs::read_to_string(&kept).unwrap();
    assert!(!text.contains("kept-secret-token"), "{text}");
    assert!(!text.contains("kept-server-token"), "{text}");
    assert!(text.contains("ann"), "the rest is kept: {text}");
}
