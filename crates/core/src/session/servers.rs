//! The account's servers, the connection race, and trusting a changed certificate.

use std::sync::Arc;

use plex_client::{CancellationToken, Outcome, RaceEvent, RaceReport, Server, ServerConnection};

use super::Session;
use crate::connect::{self, Choose};
use crate::report::{self, ConnectReport, OnNotice, ServerRow};
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

/// How a front end that names its server connects (see [`Session::connect_named`]).
#[derive(Clone)]
pub struct Reach {
    /// The server by name or machine identifier; `None`: the one chosen last, else the first
    /// owned one, else the first.
    pub server: Option<String>,
    /// Race every route, skipping the remembered one (a diagnosis).
    pub full_race: bool,
    /// A pinned self-signed certificate changed: pin exactly the one the failed race saw,
    /// and race once more.
    pub trust_new_certificate: bool,
    /// Whether the server becomes the chosen one.
    pub choose: Choose,
    /// Stops the race (e.g. Ctrl-C).
    pub stop: Option<CancellationToken>,
}

impl Default for Reach {
    /// The server chosen last, the remembered route first; it is chosen if none is.
    fn default() -> Self {
        Reach {
            server: None,
            full_race: false,
            trust_new_certificate: false,
            choose: Choose::IfNone,
            stop: None,
        }
    }
}

impl Session {
    /// The account's servers (signed in by URL and token: the one saved server).
    pub async fn server_list(&self) -> Result<Vec<Server>> {
        match self.servers(true).await? {
            ServerList::Account(servers) => Ok(servers),
            ServerList::Direct(saved) => Ok(saved.iter().map(|s| s.to_server(None)).collect()),
        }
    }

    /// The account's servers as a list shows them, the chosen one marked.
    pub async fn server_rows(&self) -> Result<Vec<ServerRow>> {
        let servers = self.server_list().await?;
        let chosen = self.settings().server.map(|c| c.id);
        Ok(servers
            .iter()
            .map(|s| ServerRow::of(s, chosen.as_deref() == Some(s.machine_identifier.as_str())))
            .collect())
    }

    /// The server named or identified by `query`, else the one chosen last, else the first
    /// owned one (else the first). A chosen server that left the account is said in a note
    /// (`server_gone`).
    pub async fn find_server(&self, query: Option<&str>, on_notice: &OnNotice) -> Result<Server> {
        let servers = self.server_list().await?;
        let Some(fallback) = default_server(&servers) else {
            return Err(Error::NoServers);
        };
        if let Some(q) = query {
            return find_server(&servers, q);
        }
        if let Some(chosen) = &self.settings().server {
            if let Some(s) = servers.iter().find(|s| s.machine_identifier == chosen.id) {
                return Ok(s.clone());
            }
            let message = format!(
                "the server chosen before ({}) is no longer on this account; using {}",
                chosen.name, fallback.name
            );
            report::note(on_notice, "server_gone", message);
        }
        Ok(fallback)
    }

    /// Connects to `server`: the remembered route first (unless a full race), then the race;
    /// the winner, any new certificate pin and (per `reach.choose`) the server are
    /// remembered. With `reach.trust_new_certificate`, a pinned self-signed certificate that
    /// changed is re-pinned to exactly the one the failed race saw (said in a note,
    /// `certificate_trusted`), and the race is run once more.
    pub async fn connect_server(
        &self,
        server: &Server,
        reach: &Reach,
        on_notice: &OnNotice,
    ) -> Result<Connected> {
        let race = || Race {
            full_race: reach.full_race,
            choose: reach.choose,
            stop: reach.stop.clone(),
            on_event: None,
        };
        match self.connect_to(server, race()).await {
            Err(Error::Plex(plex_client::Error::Unreachable(d))) if reach.trust_new_certificate => {
                let shown = connect::shown_certificates(&d, None);
                if shown.is_empty() {
                    return Err(Error::Plex(plex_client::Error::Unreachable(d)));
                }
                // Exactly the fingerprints the failed race saw, never whatever comes next.
                self.update(|s| s.pins.extend(shown))?;
                report::note(
                    on_notice,
                    "certificate_trusted",
                    "trusting the server's new certificate and trying again".into(),
                );
                self.connect_to(server, race()).await
            }
            other => other,
        }
    }

    /// `reach.server` found ([`Session::find_server`]) and connected to
    /// ([`Session::connect_server`]): the race as a report.
    pub async fn connect_named(
        &self,
        reach: &Reach,
        on_notice: &OnNotice,
    ) -> Result<ConnectReport> {
        let server = self.find_server(reach.server.as_deref(), on_notice).await?;
        let got = self.connect_server(&server, reach, on_notice).await?;
        Ok(ConnectReport::of(&server, &got.report))
    }
}

fn default_server(servers: &[Server]) -> Option<Server> {
    servers
        .iter()
        .find(|s| s.owned)
        .or_else(|| servers.first())
        .cloned()
}

/// By machine identifier, then exact name, then name ignoring case.
pub fn find_server(servers: &[Server], query: &str) -> Result<Server> {
    let q = query.trim();
    if let Some(s) = servers.iter().find(|s| s.machine_identifier == q) {
        return Ok(s.clone());
    }
    for exact in [true, false] {
        let hits: Vec<&Server> = servers
            .iter()
            .filter(|s| {
                if exact {
                    s.name == q
                } else {
                    s.name.eq_ignore_ascii_case(q)
                }
            })
            .collect();
        match hits.as_slice() {
            [one] => return Ok((*one).clone()),
            [] => {}
            _ => return Err(Error::ServerAmbiguous(q.to_string())),
        }
    }
    Err(Error::ServerNotFound(q.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(name: &str, id: &str, owned: bool) -> Server {
        let mut s = plex_client::parse_resources(
            format!(
                r#"[{{"name":"{name}","clientIdentifier":"{id}","provides":"server","owned":{owned}}}]"#
            )
            .as_bytes(),
        )
        .expect("parse");
        s.remove(0)
    }

    #[test]
    fn finds_servers_by_id_and_name() {
        let list = vec![
            server("Alice's Server", "a1", false),
            server("Home Server", "h1", true),
            server("Twin", "t1", false),
            server("twin", "t2", false),
        ];
        assert_eq!(find_server(&list, "h1").expect("id").name, "Home Server");
        assert_eq!(
            find_server(&list, "home server")
                .expect("name")
                .machine_identifier,
            "h1"
        );
        assert_eq!(
            find_server(&list, "Twin")
                .expect("exact")
                .machine_identifier,
            "t1"
        );
        assert!(matches!(
            find_server(&list, "TWIN"),
            Err(Error::ServerAmbiguous(_))
        ));
        assert!(matches!(
            find_server(&list, "nope"),
            Err(Error::ServerNotFound(_))
        ));
        assert_eq!(default_server(&list).expect("one").name, "Home Server");
        assert!(default_server(&[]).is_none());
    }
}
