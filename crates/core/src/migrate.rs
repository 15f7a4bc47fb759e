//! Settings of schema 1 (today's app `settings.json` and CLI `cli-settings.json`, both with
//! the token inside) into schema 2: the secrets go to the secret store, the rest into
//! [`Settings`]. Nobody has to sign in again.
//!
//! Order matters: the secrets are stored first, then the new file replaces the old one. If
//! storing a secret fails, the old file stays as it was and the migration runs again next time.

use std::collections::BTreeMap;

use plex_client::{CertFingerprint, Connection, Token};
use plexpicker_ipc::Choices;
use serde::Deserialize;

use crate::error::Result;
use crate::secrets::{token_text, SecretKey, Secrets};
use crate::settings::{Account, Problem, SavedServer, Settings, SCHEMA_VERSION};

/// Migrated settings and the secrets taken out of them.
#[derive(Debug)]
pub struct Migrated {
    pub settings: Settings,
    /// What goes to the secret store (never written to a file other than the store's).
    pub secrets: Vec<(SecretKey, Token)>,
}

impl Migrated {
    /// Stores the secrets (call before writing [`Migrated::settings`] over the old file).
    pub fn store_secrets(&self, store: &dyn Secrets) -> Result<()> {
        for (key, token) in &self.secrets {
            store.set(key, &token_text(token))?;
        }
        Ok(())
    }
}

/// Which front end wrote a schema-1 file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The app's `settings.json` (the value under the store's `settings` key).
    App,
    /// The CLI's `cli-settings.json`.
    Cli,
}

/// Migrates a schema-1 value written by `origin`.
pub fn from_v1(value: serde_json::Value, origin: Origin) -> Result<Migrated, Problem> {
    match crate::settings::schema_version(&value)? {
        1 => {}
        v => return Err(Problem::Damaged(format!("format {v} is not format 1"))),
    }
    let mut migrated = match origin {
        Origin::App => from_app(value)?,
        Origin::Cli => from_cli(value)?,
    };
    migrated.settings.schema_version = SCHEMA_VERSION;
    if uuid::Uuid::parse_str(&migrated.settings.client_identifier).is_err() {
        migrated.settings.client_identifier = uuid::Uuid::new_v4().to_string();
    }
    Ok(migrated)
}

fn damaged(err: serde_json::Error) -> Problem {
    Problem::Damaged(err.to_string())
}

#[derive(Deserialize)]
struct AppV1 {
    #[serde(default)]
    client_identifier: String,
    #[serde(default)]
    account: Option<AppAccountV1>,
    #[serde(default)]
    server: Option<AppServerV1>,
    #[serde(default)]
    libraries: Option<Vec<String>>,
    #[serde(default)]
    choices: Option<serde_json::Value>,
    #[serde(default)]
    history: picker::History,
    #[serde(default)]
    demo: bool,
}

#[derive(Deserialize)]
struct AppAccountV1 {
    token: Token,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    direct: bool,
}

#[derive(Deserialize)]
struct AppServerV1 {
    id: String,
    name: String,
    #[serde(default)]
    owned: bool,
    #[serde(default)]
    home: bool,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    https_required: bool,
    #[serde(default)]
    access_token: Option<Token>,
    #[serde(default)]
    connections: Vec<Connection>,
    #[serde(default)]
    last_connection: Option<String>,
    #[serde(default)]
    pins: BTreeMap<String, CertFingerprint>,
}

fn from_app(value: serde_json::Value) -> Result<Migrated, Problem> {
    let old: AppV1 = serde_json::from_value(value).map_err(damaged)?;
    let mut secrets = Vec::new();
    let mut settings = Settings {
        client_identifier: old.client_identifier,
        libraries: old.libraries,
        // Choices whose shape changed since are not worth a fresh start: use the defaults.
        choices: old
            .choices
            .and_then(|c| serde_json::from_value::<Choices>(c).ok())
            .unwrap_or_default(),
        history: old.history,
        demo: old.demo,
        ..Settings::default()
    };
    if let Some(account) = old.account.filter(|a| !a.token.is_empty()) {
        secrets.push((SecretKey::AccountToken, account.token));
        settings.account = Some(Account {
            name: account.name,
            direct: account.direct,
        });
    }
    if let Some(server) = old.server {
        if let Some(uri) = server.last_connection {
            settings.last_connections.insert(server.id.clone(), uri);
        }
        settings.pins.extend(server.pins);
        let has_access_token = match server.access_token.filter(|t| !t.is_empty()) {
            Some(token) => {
                secrets.push((SecretKey::ServerAccessToken(server.id.clone()), token));
                true
            }
            None => false,
        };
        settings.server = Some(SavedServer {
            id: server.id,
            name: server.name,
            owned: server.owned,
            home: server.home,
            owner: server.owner,
            https_required: server.https_required,
            has_access_token,
            connections: server.connections,
        });
    }
    Ok(Migrated { settings, secrets })
}

#[derive(Deserialize)]
struct CliV1 {
    #[serde(default)]
    client_identifier: String,
    #[serde(default)]
    account: Option<CliAccountV1>,
    #[serde(default)]
    server: Option<CliServerV1>,
    #[serde(default)]
    connections: BTreeMap<String, String>,
    #[serde(default)]
    cert_pins: BTreeMap<String, CertFingerprint>,
    #[serde(default)]
    history: picker::History,
}

#[derive(Deserialize)]
struct CliAccountV1 {
    token: Token,
    #[serde(default)]
    username: Option<String>,
}

#[derive(Deserialize)]
struct CliServerV1 {
    machine_identifier: String,
    name: String,
}

fn from_cli(value: serde_json::Value) -> Result<Migrated, Problem> {
    let old: CliV1 = serde_json::from_value(value).map_err(damaged)?;
    let mut secrets = Vec::new();
    let mut settings = Settings {
        client_identifier: old.client_identifier,
        last_connections: old.connections,
        pins: old.cert_pins,
        history: old.history,
        ..Settings::default()
    };
    if let Some(account) = old.account.filter(|a| !a.token.is_empty()) {
        secrets.push((SecretKey::AccountToken, account.token));
        settings.account = Some(Account {
            name: account.username,
            direct: false,
        });
    }
    settings.server = old.server.map(|s| SavedServer {
        id: s.machine_identifier,
        name: s.name,
        owned: false,
        home: false,
        owner: None,
        https_required: false,
        has_access_token: false,
        connections: Vec::new(),
    });
    Ok(Migrated { settings, secrets })
}
