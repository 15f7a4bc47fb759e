//! The account's servers, the connection race, and trusting a changed certificate.

use std::sync::Arc;

use plex_client::{CancellationToken, Outcome, RaceEvent, RaceReport, Server, ServerConnection};

use super::Session;
use crate::connect::{self, Choose};
use crate::settings::SavedServer;
use crate::{Error, Result};

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
    /// The winning route, and every route's outcome.
    pub report: RaceReport,
    /// The rank of the route that won.
    pub winner: Option<usize>,
    /// The connection (the session keeps it too).
    pub connection: ServerConnection,
}

/// How to race (see [`Session::connect_to`]).
pub struct Race {
    /// Race every route, skipping the one that worked last (a diagnosis).
    pub full_race: bool,
    /// Whether the server becomes the chosen one.
    pub choose: Choose,
    /// Stops the race (besides a newer connect or a sign-out), e.g. Ctrl-C.
    pub stop: Option<CancellationToken>,
    /// Each route's progress, as it changes.
    pub on_event: Option<OnRaceEvent>,
}

impl Default for Race {
    /// The remembered route first, and the server becomes the chosen one.
    fn default() -> Self {
        Race {
            full_race: false,
            choose: Choose::Always,
            stop: None,
            on_event: None,
        }
    }
}

/// Called with each route's progress while a race runs.
pub type OnRaceEvent = Arc<dyn Fn(&RaceEvent, &SavedServer) + Send + Sync>;

impl Session {
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
        let servers = self.client()?.servers(&token).await?;
        let mut live = self.live();
        // Signed out (or in again) meanwhile: this list belongs to a session that is over.
        if live.session != session {
            return Err(Error::NotSignedIn);
        }
        live.servers = servers.clone();
        Ok(ServerList::Account(servers))
    }

    /// Races every route to the listed (or last chosen) server `server_id`, the remembered
    /// route first, and makes it the chosen server (see [`Session::connect_to`]).
    pub async fn connect(
        &self,
        server_id: &str,
        on_event: Option<OnRaceEvent>,
    ) -> Result<Connected> {
        let settings = self.settings();
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
        let race = Race {
            on_event,
            ..Race::default()
        };
        self.connect_to(&server, race).await
    }

    /// Races every route to `server` and keeps the winner as the connection: its route,
    /// certificate pins and (for the chosen server) its access token are remembered. A newer
    /// connect or a sign-out that took over meanwhile keeps its state: this one then ends
    /// with [`Error::Superseded`] and changes nothing; a failed race clears the connection
    /// only if nothing newer started.
    pub async fn connect_to(&self, server: &Server, race: Race) -> Result<Connected> {
        let settings = self.settings();
        let token = self.account_token()?;
        let client = self.client()?;
        let saved = SavedServer::of(server);
        let (generation, cancel) = self.begin_generation_under(race.stop.as_ref());
        let start = connect::Start {
            full_race: race.full_race,
            cancel,
            on_event: race.on_event.map(|report| {
                let for_events = saved.clone();
                Arc::new(move |event: RaceEvent| report(&event, &for_events))
                    as Arc<dyn Fn(RaceEvent) + Send + Sync>
            }),
        };
        let options = connect::options(&settings, &saved.id, start);
        match client.connect(server, &token, &options).await {
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
                // The chosen server's access token goes to the secret store before the
                // settings say it is chosen; no other server's is kept (sign-out forgets
                // exactly the chosen one's).
                let chosen = match race.choose {
                    Choose::Always => true,
                    Choose::IfNone => self.settings().server.is_none_or(|s| s.id == saved.id),
                };
                if chosen {
                    connect::store_access_token(self.secrets(), server)
                        .map_err(Error::secret_store)?;
                }
                let remembered =
                    self.update(|s| connect::remember(s, server, &report, race.choose))?;
                live.connection = Some(connected.connection.clone());
                live.last_diagnosis = Some(report.diagnosis.clone());
                if remembered.changed_server {
                    // Another server: its titles, and its profiles' watch state, are not
                    // the old ones.
                    live.catalog = None;
                    live.room = None;
                }
                Ok(Connected {
                    server: saved,
                    report,
                    winner,
                    connection: connected.connection,
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
