//! What the running app holds: the settings (persisted through the store), the Plex client and
//! the live session (servers, the connection, the catalog, work in progress).

use std::sync::{Arc, Mutex, MutexGuard};

use plex_client::{CancellationToken, Diagnosis, PlexClient, Server, ServerConnection, Token};
use plexpicker_core::secrets::{SecretKey, Secrets};
use plexpicker_ipc::{ErrorKind, IpcError, LoadedCatalog};

use crate::config::Paths;
use crate::settings::Settings;
use crate::store::Persist;

/// The app's managed state.
pub struct AppState {
    pub paths: Paths,
    /// plex.tv is simulated (development, tests): its pages are not for the browser.
    pub simulated: bool,
    pub client: PlexClient,
    settings: Mutex<Settings>,
    persist: Box<dyn Persist>,
    /// The tokens: the OS keychain, or the core's fallback file. Never in the settings.
    pub secrets: Arc<dyn Secrets>,
    live: Mutex<Live>,
}

/// What exists only while the app runs.
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
    /// Bumped by every new race or load (see [`AppState::begin_work`]) and by sign-out: only
    /// the newest may set or clear the connection.
    pub work_generation: u64,
    /// The pick waiting for the model (its number and what stops it), for `cancel_ai_pick`.
    pub ai_pick: Option<(u64, CancellationToken)>,
    /// Numbers the picks that wait for the model.
    pub ai_generation: u64,
    /// The model's picks this session, so "pick again" asks for others.
    pub ai_memory: plexpicker_core::ai::Memory,
}

impl Live {
    /// Starts a new session generation and returns it.
    pub fn next_session(&mut self) -> u64 {
        self.session += 1;
        self.session
    }
}

/// The catalog in memory, indexed for fast picks.
pub struct LiveCatalog {
    pub indexed: picker::IndexedCatalog,
    /// The server it came from; `None` for the demo library.
    pub server_id: Option<String>,
    pub summary: LoadedCatalog,
}

/// A sign-in in progress.
pub struct SignIn {
    pub auth_url: String,
    pub cancel: CancellationToken,
}

impl AppState {
    pub fn new(
        paths: Paths,
        simulated: bool,
        client: PlexClient,
        settings: Settings,
        persist: Box<dyn Persist>,
        secrets: Arc<dyn Secrets>,
        notice: Option<String>,
    ) -> Self {
        Self {
            paths,
            simulated,
            client,
            settings: Mutex::new(settings),
            persist,
            secrets,
            live: Mutex::new(Live {
                notice,
                ..Live::default()
            }),
        }
    }

    /// A copy of the settings.
    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// Changes the settings and saves them at once. The value is saved before the lock is
    /// released, so concurrent changes are never lost.
    pub fn update<T>(&self, change: impl FnOnce(&mut Settings) -> T) -> Result<T, IpcError> {
        let mut settings = lock(&self.settings);
        let out = change(&mut settings);
        self.persist.save(&settings).map_err(|err| {
            IpcError::new(
                ErrorKind::Storage,
                format!(
                    "PlexPicker could not save its settings ({err}). Check that the disk is not full, then try again."
                ),
            )
        })?;
        Ok(out)
    }

    /// The signed-in account's token, or "not signed in".
    pub fn account_token(&self) -> Result<Token, IpcError> {
        if self.settings().account.is_none() {
            return Err(crate::commands::not_signed_in());
        }
        self.secrets
            .token(&SecretKey::AccountToken)
            .map_err(secret_error)?
            .ok_or_else(crate::commands::not_signed_in)
    }

    /// A server's own access token, if it has one.
    pub fn server_token(&self, server_id: &str) -> Result<Option<Token>, IpcError> {
        self.secrets
            .token(&SecretKey::ServerAccessToken(server_id.to_string()))
            .map_err(secret_error)
    }

    /// The live session. Never held across an `.await`.
    pub fn live(&self) -> MutexGuard<'_, Live> {
        lock(&self.live)
    }

    /// Starts new long work (a race or a load), cancelling any still running.
    pub fn begin_work(&self) -> CancellationToken {
        self.begin_generation().1
    }

    /// Like [`AppState::begin_work`], also returning the work's generation, to check with
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
    /// and its token (cancelled by `cancel_ai_pick`).
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

    /// The current session generation.
    pub fn session(&self) -> u64 {
        self.live().session
    }
}

/// A secret store failure, said to the user.
pub fn secret_error(err: plexpicker_core::Error) -> IpcError {
    IpcError::new(
        ErrorKind::Storage,
        format!(
            "PlexPicker could not use its secret store ({err}). {}",
            err.advice()
        ),
    )
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
