//! The running application: the settings (saved through whatever the front end persists them
//! with), the secret store, the Plex client and the live state (the account's servers, the
//! connection, the catalog, work in progress), and the use cases that change them: signing in
//! and out (`sign_in`), listing servers, connecting and trusting a changed certificate
//! (`servers`), listing and loading libraries (`library`), picking and recording what was
//! chosen (`picks`).
//!
//! Work that takes a while (waiting for a PIN, listing servers, a race) can be overtaken by
//! the user: a sign-out, a Cancel, a newer connect. Each such change bumps a generation
//! number; work checks the number it started under, under the live lock, before it changes
//! anything, so whatever the user did last wins. A front end stays thin: it turns its
//! arguments into one call here and the answer (or [`Error`]) into its own shapes.

mod catalog;
mod library;
mod picks;
mod servers;
mod sign_in;

use std::sync::{Arc, Mutex, MutexGuard};

use plex_client::{CancellationToken, Diagnosis, PlexClient, Server, ServerConnection, Token};

use crate::secrets::{SecretKey, Secrets};
use crate::settings::Settings;
use crate::{Error, Result};

pub use crate::library::OnLoad;
pub use catalog::LiveCatalog;
pub use servers::{Connected, OnRaceEvent, ServerList};
pub use sign_in::{PendingSignIn, SignInOutcome};

/// Where the settings are written: a file of the core's, or the app's store plugin. The
/// session saves through it after every change, before the change is visible to anyone else.
pub trait Persist: Send + Sync {
    /// Saves `settings`; the error says why not, in words.
    fn save(&self, settings: &Settings) -> std::result::Result<(), String>;
}
/// A sign-in waiting for the user's approval on Plex's page.
pub struct SignIn {
    pub auth_url: String,
    pub cancel: CancellationToken,
}
/// What exists only while the application runs.
#[derive(Default)]
pub struct Live {
    /// Said once at start-up (for example: the settings file was damaged).
    pub notice: Option<String>,
    /// The account's servers, as last fetched.
    pub servers: Vec<Server>,
    /// The connected server.
    pub connection: Option<ServerConnection>,
    /// The catalog the picker chooses from.
    pub catalog: Option<Arc<LiveCatalog>>,
    /// A sign-in waiting for the user's approval.
    pub sign_in: Option<SignIn>,
    /// Cancels the connection race or library load in progress.
    pub work: Option<CancellationToken>,
    /// The last race's outcome, so "trust the new certificate" knows the route.
    pub last_diagnosis: Option<Diagnosis>,
    /// Bumped by every sign-in started or cancelled and by sign-out: work begun under an older
    /// number (a PIN wait, a server list) must not change the state when it finishes.
    pub session: u64,
    /// Bumped by every new race or load (see [`Session::begin_work`]) and by sign-out: only
    /// the newest may set or clear the connection.
    pub work_generation: u64,
    /// The pick waiting for the model (its number and what stops it).
    pub ai_pick: Option<(u64, CancellationToken)>,
    /// Numbers the picks that wait for the model.
    pub ai_generation: u64,
    /// The model's picks this session, so "pick again" asks for others.
    pub ai_memory: crate::ai::Memory,
}

impl Live {
    /// Starts a new session generation and returns it.
    pub fn next_session(&mut self) -> u64 {
        self.session += 1;
        self.session
    }
}
/// The running application (see the module docs).
pub struct Session {
    client: PlexClient,
    secrets: Arc<dyn Secrets>,
    settings: Mutex<Settings>,
    persist: Box<dyn Persist>,
    live: Mutex<Live>,
}

impl Session {
    /// A session over opened settings and secrets. `notice` is said once, at start-up.
    pub fn new(
        client: PlexClient,
        settings: Settings,
        persist: Box<dyn Persist>,
        secrets: Arc<dyn Secrets>,
        notice: Option<String>,
    ) -> Self {
        Self {
            client,
            secrets,
            settings: Mutex::new(settings),
            persist,
            live: Mutex::new(Live {
                notice,
                ..Live::default()
            }),
        }
    }

    /// The Plex client.
    pub fn client(&self) -> &PlexClient {
        &self.client
    }

    /// The secret store.
    pub fn secrets(&self) -> &(dyn Secrets + 'static) {
        self.secrets.as_ref()
    }

    /// A copy of the settings.
    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Changes the settings and saves them at once. The value is saved before the lock is
    /// released, so concurrent changes are never lost.
    pub fn update<T>(&self, change: impl FnOnce(&mut Settings) -> T) -> Result<T> {
        let mut settings = lock(&self.settings);
        let out = change(&mut settings);
        self.persist.save(&settings).map_err(Error::Persist)?;
        Ok(out)
    }

    /// The live state. Never held across an `.await`.
    pub fn live(&self) -> MutexGuard<'_, Live> {
        lock(&self.live)
    }

    /// The signed-in account's token, or [`Error::NotSignedIn`].
    pub fn account_token(&self) -> Result<Token> {
        if self.settings().account.is_none() {
            return Err(Error::NotSignedIn);
        }
        self.secrets
            .token(&SecretKey::AccountToken)
            .map_err(Error::secret_store)?
            .ok_or(Error::NotSignedIn)
    }

    /// A server's own access token, if it has one.
    pub fn server_token(&self, server_id: &str) -> Result<Option<Token>> {
        self.secrets
            .token(&SecretKey::ServerAccessToken(server_id.to_string()))
            .map_err(Error::secret_store)
    }

    /// The current session generation.
    pub fn session(&self) -> u64 {
        self.live().session
    }

    /// Starts new long work (a race or a load), cancelling any still running.
    pub fn begin_work(&self) -> CancellationToken {
        self.begin_generation().1
    }

    /// Like [`Session::begin_work`], also returning the work's generation, to check with
    /// [`Live::work_generation`] before changing the state when it finishes.
    pub fn begin_generation(&self) -> (u64, CancellationToken) {
        let token = CancellationToken::new();
        let mut live = self.live();
        live.work_generation += 1;
        if let Some(old) = live.work.replace(token.clone()) {
            old.cancel();
        }
        (live.work_generation, token)
    }

    /// Starts a pick that waits for the model, stopping any still waiting; returns its number
    /// and its token.
    pub fn begin_ai_pick(&self) -> (u64, CancellationToken) {
        let token = CancellationToken::new();
        let mut live = self.live();
        live.ai_generation += 1;
        let generation = live.ai_generation;
        if let Some((_, older)) = live.ai_pick.replace((generation, token.clone())) {
            older.cancel();
        }
        (generation, token)
    }

    /// The connected server, or [`Error::NotConnected`].
    pub fn connection(&self) -> Result<ServerConnection> {
        self.live().connection.clone().ok_or(Error::NotConnected)
    }
}

/// Locks a mutex; a panic elsewhere while it was held does not make the state unusable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
