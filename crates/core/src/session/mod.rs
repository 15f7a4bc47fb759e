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
mod once;
mod picks;
mod profiles;
mod provider;
mod servers;
mod sign_in;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use plex_client::{CancellationToken, Diagnosis, PlexClient, Server, ServerConnection, Token};

use crate::client::ClientSetup;
use crate::secrets::{SecretKey, Secrets};
use crate::settings::Settings;
use crate::{Error, Result};

pub use crate::library::OnLoad;
pub use catalog::LiveCatalog;
pub use once::{People, PickOnce};
pub use profiles::{OnProfileProgress, PeopleFor};
pub use provider::{ModelList, ProviderChange};
pub use servers::{find_server, Connected, OnRaceEvent, Race, Reach, ServerList};
pub use sign_in::{PendingSignIn, SignInOutcome};

/// Where the settings are kept: the core's settings file (the CLI), or the app's store
/// plugin. The session changes the settings only through it, and only sees a change once it
/// is saved.
pub trait Persist: Send + Sync {
    /// Applies `change` to the settings and saves them, answering the settings as saved.
    /// `current` is what the session holds; a store shared with other processes (the
    /// settings file) re-reads under its lock instead, so their changes are kept.
    fn update(&self, current: &Settings, change: &mut dyn FnMut(&mut Settings))
        -> Result<Settings>;
}

/// The core's settings file: every change re-reads it under its lock, then writes it
/// atomically, so two processes never undo each other.
impl Persist for crate::settings::SettingsFile {
    fn update(
        &self,
        _current: &Settings,
        change: &mut dyn FnMut(&mut Settings),
    ) -> Result<Settings> {
        crate::settings::SettingsFile::update(self, change)
    }
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
    /// The account's Plex Home, as last fetched.
    pub home: Option<plex_client::Home>,
    /// Who is watching with the account: the room worked out over the catalog. `None`: the
    /// account alone.
    pub room: Option<Arc<picker::IndexedRoom>>,
    /// A cached catalog was restored and no [`Session::startup`] has reported it yet.
    pub restored_unclaimed: bool,
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
    setup: ClientSetup,
    client: OnceLock<PlexClient>,
    secrets: Arc<dyn Secrets>,
    settings: Mutex<Settings>,
    persist: Box<dyn Persist>,
    live: Mutex<Live>,
}

impl Session {
    /// A session over opened settings and secrets. `notice` is said once, at start-up.
    pub fn new(
        setup: ClientSetup,
        settings: Settings,
        persist: Box<dyn Persist>,
        secrets: Arc<dyn Secrets>,
        notice: Option<String>,
    ) -> Self {
        Self {
            setup,
            client: OnceLock::new(),
            secrets,
            settings: Mutex::new(settings),
            persist,
            live: Mutex::new(Live {
                notice,
                ..Live::default()
            }),
        }
    }

    /// The Plex client, built on first use (a pick from the cache needs none).
    pub fn client(&self) -> Result<&PlexClient> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let built = self.setup.build().map_err(Error::ClientSetup)?;
        Ok(self.client.get_or_init(|| built))
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
        let mut change = Some(change);
        let mut out = None;
        let saved = self.persist.update(&settings, &mut |s| {
            if let Some(change) = change.take() {
                out = Some(change(s));
            }
        })?;
        *settings = saved;
        out.ok_or_else(|| {
            Error::Internal("The settings were saved without the change. Try again.".into())
        })
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
        self.begin_generation_under(None)
    }

    /// Like [`Session::begin_generation`], with work that `parent` also stops.
    pub fn begin_generation_under(
        &self,
        parent: Option<&CancellationToken>,
    ) -> (u64, CancellationToken) {
        let token = parent.map_or_else(CancellationToken::new, CancellationToken::child_token);
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
