//! The account's servers, the connection race, and trusting a changed certificate.

use std::sync::Arc;

use plex_client::{Diagnosis, Outcome, RaceEvent, Server};

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
    /// Every route's outcome.
    pub diagnosis: Diagnosis,
    /// The rank of the route that won.
    pub winner: Option<usize>,
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
        match self.client()?.connect(&server, &token, &options).await {
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
