//! Servers and connecting: the server list, the race to a server, trusting a certificate.

use plexpicker_ipc::{CandidateView, ErrorDetails, IpcError, ServerView, TrustRequest};

use super::{Action, Effect, Effects, Remote, Screen, State};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServersState {
    /// Bumped whenever the list is (re)loaded; answers are matched to it.
    pub request: u32,
    /// Ask plex.tv again rather than use what the backend knows.
    pub refresh: bool,
    pub list: Remote<Vec<ServerView>>,
    /// Connect without asking when the list holds exactly one server. Set when the list
    /// follows a sign-in or a start; the user opening the list (Switch, "Choose another
    /// server") opts out, so they can always see and choose.
    pub auto_connect: bool,
}

/// Where a connection attempt stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ConnectPhase {
    #[default]
    Running,
    Connected,
    Failed(IpcError),
}

/// What happens when a connection works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AfterConnect {
    /// Go on to choose libraries.
    #[default]
    Libraries,
    /// Stay and say so (a connection check while a catalog is loaded).
    Report,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConnectState {
    /// Bumped for every attempt; answers are matched to it, so a late answer from an old
    /// attempt is ignored.
    pub attempt: u32,
    pub server: Option<ServerView>,
    pub candidates: Vec<CandidateView>,
    pub phase: ConnectPhase,
    pub after: AfterConnect,
    /// The candidate whose certificate is being trusted.
    pub trusting: Option<String>,
    pub trust_error: Option<IpcError>,
}

/// Puts `view` into the list: replaces the candidate with the same id, or adds it. A winner
/// is the only winner.
pub fn merge_candidate(candidates: &mut Vec<CandidateView>, view: CandidateView) {
    if view.winner {
        for other in candidates.iter_mut() {
            other.winner = false;
        }
    }
    match candidates.iter_mut().find(|c| c.id == view.id) {
        Some(existing) => *existing = view,
        None => candidates.push(view),
    }
}

impl State {
    /// A new connection attempt to `server` (or the one already chosen).
    pub(super) fn start_connect(
        &mut self,
        server: Option<ServerView>,
        after: AfterConnect,
        fx: &mut Effects,
    ) {
        self.screen = Screen::Connecting;
        self.connect.attempt = self.connect.attempt.wrapping_add(1);
        if server.is_some() {
            self.connect.server = server;
        }
        self.connect.candidates.clear();
        self.connect.phase = ConnectPhase::Running;
        self.connect.after = after;
        self.connect.trusting = None;
        self.connect.trust_error = None;
        if let Some(server) = &self.connect.server {
            fx.push(Effect::Connect {
                attempt: self.connect.attempt,
                server_id: server.id.clone(),
            });
        }
    }

    /// The server list, loaded again; `auto_connect` if a lone server is connected to
    /// without asking.
    pub(super) fn show_servers(&mut self, refresh: bool, auto_connect: bool, fx: &mut Effects) {
        self.screen = Screen::Servers;
        self.servers.auto_connect = auto_connect;
        self.servers.request = self.servers.request.wrapping_add(1);
        self.servers.refresh = refresh;
        self.servers.list = Remote::Loading;
        fx.push(Effect::ListServers {
            request: self.servers.request,
            refresh,
        });
    }
}

pub(super) fn apply(state: &mut State, action: Action, fx: &mut Effects) {
    match action {
        Action::ShowServers if state.session.signed_in => {
            state.show_servers(false, false, fx);
        }
        // "Try again" after a failed list keeps the rule of the list it retries.
        Action::RefreshServers => state.show_servers(true, state.servers.auto_connect, fx),
        Action::ServersLoaded { request, result } => {
            if state.screen != Screen::Servers || request != state.servers.request {
                return;
            }
            state.servers.list = result.into();
            // The rule is used once, on the first list that arrives ("Try again" after a
            // failed one keeps it).
            let lone = match &state.servers.list {
                Remote::Ready(list) => {
                    let auto = std::mem::take(&mut state.servers.auto_connect);
                    list.first().filter(|_| auto && list.len() == 1).cloned()
                }
                _ => None,
            };
            if let Some(server) = lone {
                state.session.server = Some(server.clone());
                state.start_connect(Some(server), AfterConnect::Libraries, fx);
            }
        }

        Action::ChooseServer(server) => {
            state.session.server = Some(server.clone());
            state.start_connect(Some(server), AfterConnect::Libraries, fx);
        }
        Action::CheckConnection => {
            if state.session.demo || state.session.server.is_none() {
                return;
            }
            let after = if state.catalog.is_some() {
                AfterConnect::Report
            } else {
                AfterConnect::Libraries
            };
            state.start_connect(state.session.server.clone(), after, fx);
        }
        Action::RetryConnect => {
            let after = state.connect.after;
            state.start_connect(None, after, fx);
        }
        Action::CandidateUpdated(view) => {
            if state.screen != Screen::Connecting || state.connect.phase != ConnectPhase::Running {
                return;
            }
            merge_candidate(&mut state.connect.candidates, view);
        }
        Action::ConnectFinished { attempt, result } => {
            if state.screen != Screen::Connecting || attempt != state.connect.attempt {
                return;
            }
            match result {
                Ok(outcome) => {
                    state.connect.candidates = outcome.candidates;
                    state.connect.server = Some(outcome.server.clone());
                    state.session.server = Some(outcome.server);
                    state.connect.phase = ConnectPhase::Connected;
                    state.retry_posters();
                    if state.connect.after == AfterConnect::Libraries {
                        state.show_libraries(true, fx);
                    }
                }
                Err(err) => {
                    if let Some(ErrorDetails::Diagnosis { candidates }) = &err.details {
                        if !candidates.is_empty() {
                            state.connect.candidates = candidates.clone();
                        }
                    }
                    state.connect.phase = ConnectPhase::Failed(err);
                }
            }
        }
        Action::TrustRequested(candidate_id) => {
            let Some(server) = &state.connect.server else {
                return;
            };
            fx.push(Effect::TrustCertificate(TrustRequest {
                server_id: server.id.clone(),
                candidate_id: candidate_id.clone(),
            }));
            state.connect.trusting = Some(candidate_id);
            state.connect.trust_error = None;
        }
        Action::TrustFinished(result) => {
            if state.screen != Screen::Connecting || state.connect.trusting.is_none() {
                return;
            }
            state.connect.trusting = None;
            match result {
                Ok(()) => {
                    let after = state.connect.after;
                    state.start_connect(None, after, fx);
                }
                Err(err) => state.connect.trust_error = Some(err),
            }
        }
        // Other flows' actions are routed to their own modules.
        _ => {}
    }
}
