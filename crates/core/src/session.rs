//! The running application: the settings (saved through whatever the front end persists them
//! with), the secret store, the Plex client and the live state (the account's servers, the
//! connection, the catalog, work in progress), and the use cases that change them: signing in
//! and out, listing servers, connecting, trusting a changed certificate.
//!
//! Work that takes a while (waiting for a PIN, listing servers, a race) can be overtaken by
//! the user: a sign-out, a Cancel, a newer connect. Each such change bumps a generation
//! number; work checks the number it started under, under the live lock, before it changes
//! anything, so whatever the user did last wins. A front end stays thin: it turns its
//! arguments into one call here and the answer (or [`Error`]) into its own shapes.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use picker::{Catalog, IndexedCatalog, Kind};
use plex_client::{
    CancellationToken, ConnectOptions, Diagnosis, Outcome, Pin, PinOutcome, PinPoll, PlexClient,
    RaceEvent, Server, ServerConnection, Token,
};
use plexpicker_ipc::LoadedCatalog;

use crate::cache::{self, CachedCatalog};
use crate::connect::{self, Choose};
use crate::secrets::{SecretKey, Secrets};
use crate::settings::{SavedServer, Settings};
use crate::{account, Error, Result};

/// Where the settings are written: a file of the core's, or the app's store plugin. The
/// session saves through it after every change, before the change is visible to anyone else.
pub trait Persist: Send + Sync {
    /// Saves `settings`; the error says why not, in words.
    fn save(&self, settings: &Settings) -> std::result::Result<(), String>;
}

/// The catalog in memory, indexed for fast picks.
pub struct LiveCatalog {
    pub indexed: IndexedCatalog,
    /// The server it came from; `None` for the demo library.
    pub server_id: Option<String>,
    pub summary: LoadedCatalog,
}

impl LiveCatalog {
    /// A catalog just loaded from `server_id`.
    pub fn loaded(catalog: Catalog, server_id: String) -> Self {
        let summary = summary(&catalog, now(), false);
        Self {
            indexed: IndexedCatalog::new(catalog),
            server_id: Some(server_id),
            summary,
        }
    }

    /// A catalog from the on-disk cache.
    pub fn from_cache(cached: CachedCatalog) -> Self {
        let summary = summary(&cached.catalog, cached.loaded_at, true);
        Self {
            indexed: IndexedCatalog::new(cached.catalog),
            server_id: Some(cached.server_id),
            summary,
        }
    }

    /// The built-in demo library: no account, no network.
    pub fn demo() -> Self {
        let catalog = picker::demo::library();
        let summary = summary(&catalog, now(), false);
        Self {
            indexed: IndexedCatalog::new(catalog),
            server_id: None,
            summary,
        }
    }
}

fn summary(catalog: &Catalog, loaded_at: i64, from_cache: bool) -> LoadedCatalog {
    let shows = catalog
        .titles
        .iter()
        .filter(|t| t.kind == Kind::Show)
        .count() as u64;
    LoadedCatalog {
        movies: catalog.len() as u64 - shows,
        shows,
        genres: catalog.genres(),
        loaded_at,
        from_cache,
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
}

impl Live {
    /// Starts a new session generation and returns it.
    pub fn next_session(&mut self) -> u64 {
        self.session += 1;
        self.session
    }
}

/// A PIN shown to the user, whose approval [`Session::finish_sign_in`] waits for.
pub struct PendingSignIn {
    pub pin: Pin,
    /// Plex's approval page for this PIN.
    pub auth_url: String,
    cancel: CancellationToken,
    session: u64,
}

/// How a sign-in with a PIN ended.
#[derive(Debug)]
pub enum SignInOutcome {
    /// Approved, and saved: the token in the secret store, the account in the settings.
    SignedIn { account: Option<String> },
    /// The PIN ran out before anyone approved it.
    Expired,
    /// Cancelled, or approved too late (after Cancel or a sign-out): nothing was saved.
    Cancelled,
    /// plex.tv failed, or the token could not be saved.
    Failed(Error),
}

/// What "list servers" has to show.
pub enum ServerList {
    /// Signed in by URL and token: the one server, and no plex.tv account to ask.
    Direct(Vec<SavedServer>),
    /// The account's servers, from plex.tv (or as last fetched).
    Account(Vec<Server>),
}

/// A won race, remembered.
pub struct Connected {
    /// The server as saved.
    pub server: SavedServer,
    /// Every route's outcome.
    pub diagnosis: Diagnosis,
    /// The rank of the route that won.
    pub winner: Option<usize>,
}

/// Called with each route's progress while a race runs.
pub type OnRaceEvent = Arc<dyn Fn(&RaceEvent, &SavedServer) + Send + Sync>;

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

    // ---- Signing in and out ----

    /// Asks plex.tv for a PIN and makes it the sign-in in progress (a previous one is
    /// cancelled). Show the code and open [`PendingSignIn::auth_url`], then wait with
    /// [`Session::finish_sign_in`].
    pub async fn start_sign_in(&self) -> Result<PendingSignIn> {
        let pin = self.client.create_pin().await?;
        let auth_url = self.client.auth_url(&pin, None);
        let cancel = CancellationToken::new();
        let (previous, session) = {
            let mut live = self.live();
            let previous = live.sign_in.replace(SignIn {
                auth_url: auth_url.clone(),
                cancel: cancel.clone(),
            });
            (previous, live.next_session())
        };
        if let Some(previous) = previous {
            previous.cancel.cancel();
        }
        Ok(PendingSignIn {
            pin,
            auth_url,
            cancel,
            session,
        })
    }

    /// Waits for the approval of `pending` (calling `on_wait` with the seconds left) and
    /// saves the account if nothing newer happened meanwhile. `None`: a newer sign-in
    /// replaced this one, and nobody is waiting for news of it.
    pub async fn finish_sign_in(
        &self,
        pending: PendingSignIn,
        on_wait: Option<Arc<dyn Fn(u64) + Send + Sync>>,
    ) -> Option<SignInOutcome> {
        let poll = PinPoll {
            cancel: pending.cancel,
            on_progress: on_wait,
            ..PinPoll::default()
        };
        let outcome = match self.client.wait_for_pin(&pending.pin, &poll).await {
            Ok(PinOutcome::Linked(token)) => self.linked(&token, pending.session).await,
            Ok(PinOutcome::Expired) => SignInOutcome::Expired,
            Ok(PinOutcome::Cancelled) => SignInOutcome::Cancelled,
            Err(err) => SignInOutcome::Failed(err.into()),
        };
        // A newer sign-in replaced this one (and cancelled it): it is not this one's to clear.
        let mut live = self.live();
        match &live.sign_in {
            Some(current) if current.auth_url != pending.auth_url => None,
            _ => {
                live.sign_in = None;
                Some(outcome)
            }
        }
    }

    /// A PIN was approved: saves the account, unless a Cancel, a newer code or a sign-out
    /// happened meanwhile. Checked and saved under the live lock, so a Cancel cannot slip in
    /// between; the token goes to the secret store first, so the settings never say "signed
    /// in" without it.
    async fn linked(&self, token: &Token, session: u64) -> SignInOutcome {
        let name = self
            .client
            .user(token)
            .await
            .ok()
            .and_then(|user| account::display_name(&user));
        let live = self.live();
        if live.session != session {
            return SignInOutcome::Cancelled;
        }
        let saved = account::store_token(self.secrets(), token)
            .map_err(Error::secret_store)
            .and_then(|()| self.update(|s| account::signed_in(s, name.clone(), false)));
        drop(live);
        match saved {
            Ok(()) => SignInOutcome::SignedIn { account: name },
            Err(err) => SignInOutcome::Failed(err),
        }
    }

    /// Plex's approval page of the sign-in in progress, if there is one.
    pub fn sign_in_page(&self) -> Option<String> {
        self.live().sign_in.as_ref().map(|s| s.auth_url.clone())
    }

    /// Stops waiting for the PIN: an approval that still arrives is not saved.
    pub fn cancel_sign_in(&self) {
        let mut live = self.live();
        live.next_session();
        if let Some(sign_in) = live.sign_in.take() {
            sign_in.cancel.cancel();
        }
    }

    /// "Connect by URL and token": checks the server's identity without the token, then the
    /// token, and remembers the server (the token in the secret store).
    pub async fn sign_in_with_token(&self, url: &str, token: &str) -> Result<SavedServer> {
        let url = url.trim().trim_end_matches('/').to_string();
        let token = token.trim();
        if !(url.starts_with("http://") || url.starts_with("https://"))
            || url::Url::parse(&url).is_err()
        {
            return Err(Error::Invalid(
                "That address does not look right. Enter it like http://192.168.1.5:32400.".into(),
            ));
        }
        if token.is_empty() {
            return Err(Error::Invalid(
                "Enter the server's X-Plex-Token as well.".into(),
            ));
        }
        let token = Token::new(token.to_string());
        let options = ConnectOptions {
            cancel: self.begin_work(),
            allow_insecure: self.settings().allow_insecure,
            ..Default::default()
        };
        let connected = self
            .client
            .connect_direct_with(&url, &token, &options)
            .await?;
        let server = SavedServer::direct(
            connected.connection.machine_identifier(),
            connected.connection.name(),
            &url,
        );
        let new_pin = connected.report.new_pin.clone();
        account::store_token(self.secrets(), &token).map_err(Error::secret_store)?;
        self.update(|s| {
            account::signed_in(s, None, true);
            s.last_connections.insert(server.id.clone(), url);
            if let Some(pin) = new_pin {
                s.pins.insert(pin.place, pin.sha256);
            }
            s.server = Some(server.clone());
            s.libraries = None;
        })?;
        let mut live = self.live();
        live.connection = Some(connected.connection);
        live.catalog = None;
        Ok(server)
    }

    /// Starts the demo library: no account, no network, the same screens.
    pub fn start_demo(&self) -> Result<LoadedCatalog> {
        let demo = LiveCatalog::demo();
        let summary = demo.summary.clone();
        self.update(|s| s.demo = true)?;
        self.live().catalog = Some(Arc::new(demo));
        Ok(summary)
    }

    /// Forgets the token, the server, their secrets and the cached libraries in `cache_dir`
    /// (also leaves the demo), and stops every piece of work in progress.
    pub fn sign_out(&self, cache_dir: &Path) -> Result<()> {
        {
            let mut live = self.live();
            live.next_session();
            live.work_generation += 1;
            if let Some(work) = live.work.take() {
                work.cancel();
            }
            if let Some(sign_in) = live.sign_in.take() {
                sign_in.cancel.cancel();
            }
            live.servers.clear();
            live.connection = None;
            live.catalog = None;
            live.last_diagnosis = None;
            live.ai_memory.clear();
            if let Some((_, waiting)) = live.ai_pick.take() {
                waiting.cancel();
            }
        }
        let forgotten = self.update(account::signed_out)?;
        account::forget_secrets(self.secrets(), &forgotten).map_err(Error::secret_store)?;
        cache::clear(cache_dir);
        Ok(())
    }

    // ---- Servers ----

    /// The account's servers: fetched from plex.tv on `refresh` or the first time, else as
    /// last fetched. A list that arrives after a sign-out is dropped.
    pub async fn servers(&self, refresh: bool) -> Result<ServerList> {
        let settings = self.settings();
        let account = settings.account.ok_or(Error::NotSignedIn)?;
        if account.direct {
            return Ok(ServerList::Direct(settings.server.into_iter().collect()));
        }
        {
            let live = self.live();
            if !refresh && !live.servers.is_empty() {
                return Ok(ServerList::Account(live.servers.clone()));
            }
        }
        let session = self.session();
        let token = self.account_token()?;
        let servers = self.client.servers(&token).await?;
        let mut live = self.live();
        // Signed out (or in again) meanwhile: this list belongs to a session that is over.
        if live.session != session {
            return Err(Error::NotSignedIn);
        }
        live.servers = servers.clone();
        Ok(ServerList::Account(servers))
    }

    /// Races every route to the server (the remembered one first) and keeps the winner:
    /// its route, certificate pins and access token are remembered. A newer connect or a
    /// sign-out that took over meanwhile keeps its state: this one then ends with
    /// [`Error::Superseded`] and changes nothing.
    pub async fn connect(
        &self,
        server_id: &str,
        on_event: Option<OnRaceEvent>,
    ) -> Result<Connected> {
        let settings = self.settings();
        let token = self.account_token()?;
        let listed = self
            .live()
            .servers
            .iter()
            .find(|s| s.machine_identifier == server_id)
            .cloned();
        let server = match (listed, &settings.server) {
            (Some(server), _) => server,
            (None, Some(previous)) if previous.id == server_id => {
                previous.to_server(self.server_token(&previous.id)?)
            }
            (None, _) => return Err(Error::ServerGone),
        };
        let saved = SavedServer::of(&server);
        let (generation, cancel) = self.begin_generation();
        let for_events = saved.clone();
        let start = connect::Start {
            full_race: false,
            cancel,
            on_event: on_event.map(|report| {
                Arc::new(move |event: RaceEvent| report(&event, &for_events))
                    as Arc<dyn Fn(RaceEvent) + Send + Sync>
            }),
        };
        let options = connect::options(&settings, &saved.id, start);
        match self.client.connect(&server, &token, &options).await {
            Ok(connected) => {
                let report = connected.report;
                let winner = report
                    .diagnosis
                    .candidates
                    .iter()
                    .find(|c| matches!(c.outcome, Outcome::Connected { .. }))
                    .map(|c| c.rank);
                // Checked, and everything saved, under the live lock.
                let mut live = self.live();
                if live.work_generation != generation {
                    return Err(Error::Superseded);
                }
                connect::store_access_token(self.secrets(), &server)
                    .map_err(Error::secret_store)?;
                let remembered =
                    self.update(|s| connect::remember(s, &server, &report, Choose::Always))?;
                live.connection = Some(connected.connection);
                live.last_diagnosis = Some(report.diagnosis.clone());
                if remembered.changed_server {
                    live.catalog = None;
                }
                Ok(Connected {
                    server: saved,
                    diagnosis: report.diagnosis,
                    winner,
                })
            }
            Err(err) => {
                let mut live = self.live();
                // Only the newest connect may clear the connection: a cancelled one must not
                // undo what its successor made.
                if live.work_generation == generation {
                    if let Some(diagnosis) = err.diagnosis() {
                        live.last_diagnosis = Some(diagnosis.clone());
                    }
                    live.connection = None;
                }
                Err(err.into())
            }
        }
    }

    /// Accepts a server's new self-signed certificate at one route: pins exactly the
    /// fingerprint the failed race saw there (and the user was shown), never whatever the
    /// server shows next.
    pub fn trust_certificate(&self, server_id: &str, candidate_id: &str) -> Result<()> {
        let shown = self
            .live()
            .last_diagnosis
            .as_ref()
            .map(|d| connect::shown_certificates(d, Some(candidate_id)))
            .ok_or(Error::NotConnected)?;
        let Some((place, got)) = shown.into_iter().next() else {
            return Err(Error::Invalid(
                "That route did not show a new certificate. Connect again to see what it shows."
                    .into(),
            ));
        };
        self.update(|s| {
            if s.server.as_ref().is_some_and(|sv| sv.id == server_id) {
                s.pins.insert(place, got);
            }
        })
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
