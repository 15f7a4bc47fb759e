//! Signing in (by PIN, or by URL and token), the demo, and signing out.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use plex_client::{CancellationToken, ConnectOptions, Pin, PinOutcome, PinPoll, Token};
use plexpicker_ipc::LoadedCatalog;

use super::{LiveCatalog, Session, SignIn};
use crate::cache;
use crate::settings::SavedServer;
use crate::{account, Error, Result};

/// A PIN shown to the user, whose approval [`Session::finish_sign_in`] waits for.
pub struct PendingSignIn {
    pub pin: Pin,
    /// Plex's approval page for this PIN.
    pub auth_url: String,
    cancel: CancellationToken,
    session: u64,
    every: Option<Duration>,
}

impl PendingSignIn {
    /// Asks plex.tv every `interval` instead of about every second (tests ask faster).
    pub fn poll_every(mut self, interval: Duration) -> Self {
        self.every = Some(interval);
        self
    }
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

impl Session {
    /// Asks plex.tv for a PIN and makes it the sign-in in progress (a previous one is
    /// cancelled). Show the code and open [`PendingSignIn::auth_url`], then wait with
    /// [`Session::finish_sign_in`].
    pub async fn start_sign_in(&self) -> Result<PendingSignIn> {
        let pin = self.client()?.create_pin().await?;
        let auth_url = self.client()?.auth_url(&pin, None);
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
            every: None,
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
        let defaults = PinPoll::default();
        let poll = PinPoll {
            interval: pending.every.unwrap_or(defaults.interval),
            cancel: pending.cancel,
            on_progress: on_wait,
            ..defaults
        };
        let waited = match self.client() {
            Ok(client) => client
                .wait_for_pin(&pending.pin, &poll)
                .await
                .map_err(Error::from),
            Err(err) => Err(err),
        };
        let outcome = match waited {
            Ok(PinOutcome::Linked(token)) => self.linked(&token, pending.session).await,
            Ok(PinOutcome::Expired) => SignInOutcome::Expired,
            Ok(PinOutcome::Cancelled) => SignInOutcome::Cancelled,
            Err(err) => SignInOutcome::Failed(err),
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
        let name = match self.client() {
            Ok(client) => client.user(token).await.ok(),
            Err(_) => None,
        }
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

    /// Signs in with a PIN in one go: asks plex.tv for one, hands it to `show` (the code and
    /// the approval page, for the user), waits for the approval (asking every `every`, else
    /// about every second) and saves the account. Answers the account's name; a code that
    /// ran out is [`Error::SignInExpired`], a cancelled or replaced sign-in
    /// [`plex_client::Error::Cancelled`].
    pub async fn sign_in_with_pin(
        &self,
        every: Option<Duration>,
        show: impl FnOnce(&PendingSignIn),
    ) -> Result<Option<String>> {
        let mut pending = self.start_sign_in().await?;
        if let Some(every) = every {
            pending = pending.poll_every(every);
        }
        show(&pending);
        match self.finish_sign_in(pending, None).await {
            Some(SignInOutcome::SignedIn { account }) => Ok(account),
            Some(SignInOutcome::Expired) => Err(Error::SignInExpired),
            Some(SignInOutcome::Cancelled) | None => {
                Err(Error::Plex(plex_client::Error::Cancelled))
            }
            Some(SignInOutcome::Failed(err)) => Err(err),
        }
    }

    /// Signs in with a plex.tv token the user already has: plex.tv checks it first (a token
    /// it refuses is [`plex_client::Error::Unauthorized`], and nothing is saved), then it goes
    /// to the secret store and the account to the settings. Answers the account's name.
    pub async fn sign_in_with_account_token(&self, token: &str) -> Result<Option<String>> {
        let token = Token::new(token.trim());
        if token.is_empty() {
            return Err(Error::Invalid("The token is empty.".into()));
        }
        let user = self.client()?.user(&token).await?;
        let name = account::display_name(&user);
        self.cancel_sign_in();
        account::store_token(self.secrets(), &token).map_err(Error::secret_store)?;
        self.update(|s| account::signed_in(s, name.clone(), false))?;
        Ok(name)
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
            .client()?
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
        live.room = None;
        Ok(server)
    }

    /// Starts the demo library: no account, no network, the same screens.
    pub fn start_demo(&self) -> Result<LoadedCatalog> {
        let demo = LiveCatalog::demo();
        let summary = demo.summary.clone();
        self.update(|s| s.demo = true)?;
        let mut live = self.live();
        live.room = None;
        live.catalog = Some(Arc::new(demo));
        Ok(summary)
    }

    /// Forgets the token, the server, the profiles watching, their secrets and the cached
    /// libraries in `cache_dir` (also leaves the demo), and stops every piece of work in
    /// progress. True when someone was signed in.
    pub fn sign_out(&self, cache_dir: &Path) -> Result<bool> {
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
            live.home = None;
            live.room = None;
            if let Some((_, waiting)) = live.ai_pick.take() {
                waiting.cancel();
            }
        }
        let forgotten = self.update(account::signed_out)?;
        account::forget_secrets(self.secrets(), &forgotten).map_err(Error::secret_store)?;
        cache::clear(cache_dir);
        Ok(forgotten.was_signed_in)
    }
}
