//! Turns what the crates return into what the window shows: ipc types, with plain-words
//! reasons and advice. No tokens, ever.

use plex_client::{
    CandidateReport, Diagnosis, Locality, Outcome, RaceEvent, Security, Server, SkipReason,
    TlsFailure,
};
use plexpicker_ipc::{
    CandidateState, CandidateView, ErrorDetails, ErrorKind, IpcError, PickCard, RouteKind,
    ServerView,
};

use crate::settings::SavedServer;
use crate::Error;

/// The window's name for the "Allow insecure connections" setting.
pub fn insecure_connections(
    setting: plex_client::AllowInsecure,
) -> plexpicker_ipc::InsecureConnections {
    use plex_client::AllowInsecure as A;
    use plexpicker_ipc::InsecureConnections as I;
    match setting {
        A::Never => I::Never,
        A::SameNetwork => I::SameNetwork,
        A::Always => I::Always,
    }
}

/// The setting the window chose.
pub fn allow_insecure(when: plexpicker_ipc::InsecureConnections) -> plex_client::AllowInsecure {
    use plex_client::AllowInsecure as A;
    use plexpicker_ipc::InsecureConnections as I;
    match when {
        I::Never => A::Never,
        I::SameNetwork => A::SameNetwork,
        I::Always => A::Always,
    }
}

pub fn server_view(server: &Server) -> ServerView {
    ServerView {
        id: server.machine_identifier.clone(),
        name: server.name.clone(),
        owned: server.owned,
        owner: server.owner_name.clone(),
        home: server.home,
        online: server.presence,
    }
}

pub fn saved_server_view(server: &SavedServer) -> ServerView {
    ServerView {
        id: server.id.clone(),
        name: server.name.clone(),
        owned: server.owned,
        owner: server.owner.clone(),
        home: server.home,
        online: true,
    }
}

fn route_kind(locality: Locality) -> RouteKind {
    match locality {
        Locality::Local => RouteKind::Local,
        Locality::Remote => RouteKind::Remote,
        Locality::Relay => RouteKind::Relay,
    }
}

fn label(locality: Locality, security: Security, direct_ip: Option<&str>) -> String {
    let place = match locality {
        Locality::Local => "On your network",
        Locality::Remote => "Over the internet",
        Locality::Relay => "Plex relay",
    };
    let how = match (security, direct_ip) {
        (Security::VerifiedHttps, Some(ip)) => format!("secure, straight to {ip}"),
        (Security::VerifiedHttps, None) => "secure".to_string(),
        (Security::PinnedHttps, _) => "secure, server's own certificate".to_string(),
        (Security::Http, _) => "unencrypted".to_string(),
    };
    format!("{place} · {how}")
}

/// A candidate of the final diagnosis.
pub fn candidate_view(report: &CandidateReport, winner: bool) -> CandidateView {
    CandidateView {
        id: report.rank.to_string(),
        label: label(
            report.locality,
            report.security,
            report.direct_ip.as_deref(),
        ),
        address: report.uri.clone(),
        kind: route_kind(report.locality),
        state: state(&report.outcome, report.locality),
        winner,
    }
}

/// A live update during the race. The event says only the rank, the address and the outcome;
/// the route's kind comes from the server's connection list.
pub fn event_view(event: &RaceEvent, server: &SavedServer) -> CandidateView {
    let connection = server.connections.iter().find(|c| c.uri == event.uri);
    let locality = match connection {
        Some(c) if c.relay => Locality::Relay,
        Some(c) if c.local => Locality::Local,
        _ => Locality::Remote,
    };
    let security = if event.uri.starts_with("http://") {
        Security::Http
    } else {
        Security::VerifiedHttps
    };
    CandidateView {
        id: event.rank.to_string(),
        label: label(locality, security, None),
        address: event.uri.clone(),
        kind: route_kind(locality),
        state: state(&event.outcome, locality),
        winner: false,
    }
}

/// Every candidate of a diagnosis; the connected one marked the winner.
pub fn diagnosis_views(diagnosis: &Diagnosis, winner_rank: Option<usize>) -> Vec<CandidateView> {
    diagnosis
        .candidates
        .iter()
        .map(|c| candidate_view(c, Some(c.rank) == winner_rank))
        .collect()
}

fn failed(reason: impl Into<String>, advice: Option<&str>) -> CandidateState {
    CandidateState::Failed {
        reason: reason.into(),
        advice: advice.map(str::to_string),
        certificate_changed: false,
    }
}

/// One candidate's outcome in plain words, with advice that fits the failure.
pub fn state(outcome: &Outcome, locality: Locality) -> CandidateState {
    let local = locality == Locality::Local;
    match outcome {
        Outcome::Trying => CandidateState::Trying,
        Outcome::Connected { latency_ms } | Outcome::Reachable { latency_ms } => {
            CandidateState::Connected {
                latency_ms: *latency_ms,
            }
        }
        Outcome::TimedOut { after_ms } => failed(
            format!("No answer within {:.1} s.", *after_ms as f64 / 1000.0),
            Some(match locality {
                Locality::Local => "Check that the server is switched on and that this device is on the same network.",
                Locality::Remote => "Remote access may be off: turn it on in the server's Plex settings under Remote Access, or connect from the same network.",
                Locality::Relay => "Plex's relay did not answer. Try again in a minute.",
            }),
        ),
        Outcome::Refused => failed(
            "The connection was refused.",
            Some(if local {
                "Plex Media Server may not be running: start it and try again."
            } else {
                "Remote access is off or your router does not forward Plex's port: check Remote Access in the server's settings."
            }),
        ),
        Outcome::NameNotResolved => failed(
            "The server's plex.direct name could not be looked up.",
            Some("Your router may block plex.direct names (DNS rebinding protection). PlexPicker also tries the address directly; if that fails too, allow plex.direct in your router's settings."),
        ),
        Outcome::Tls { failure } => match failure {
            TlsFailure::CertificateChanged { .. } => CandidateState::Failed {
                reason: "The server's certificate changed since you last connected.".into(),
                advice: Some("If you reinstalled or moved the server, trust the new certificate. If you did not, someone may be intercepting the connection: do not trust it.".into()),
                certificate_changed: true,
            },
            TlsFailure::Untrusted { .. } | TlsFailure::NameMismatch { .. } => failed(
                "The server's certificate could not be verified.",
                Some("PlexPicker only accepts the server's own certificate on your network for a server you own. Use another route, or connect from the same network."),
            ),
            TlsFailure::Expired => failed(
                "The server's certificate has expired.",
                Some("Restart Plex Media Server so it renews its certificate, and check this device's date and time."),
            ),
            TlsFailure::Other { detail } => failed(
                format!("A secure connection could not be set up ({detail})."),
                None,
            ),
        },
        Outcome::WrongServer { .. } => failed(
            "A different Plex server answered at this address.",
            Some("The server's address may have changed: refresh the server list and try again."),
        ),
        Outcome::Unauthorized | Outcome::HttpStatus { status: 401 } => failed(
            "The server did not accept your sign-in.",
            Some("Sign out and sign in again; for a friend's server, ask them to share it again."),
        ),
        Outcome::HttpStatus { status } => failed(
            format!("The server answered with an error (HTTP {status})."),
            Some("Restart Plex Media Server and try again."),
        ),
        Outcome::InvalidResponse { .. } => failed(
            "The server's answer could not be understood.",
            Some("Something between you and the server may be interfering. Try another route or restart the server."),
        ),
        Outcome::Redirected { .. } => failed(
            "The server sent PlexPicker somewhere else; it did not follow, so your sign-in stayed here.",
            Some("Check the server's address and any proxy in front of it."),
        ),
        Outcome::NetworkError { .. } => failed(
            "The connection broke off.",
            Some("Check your network connection and try again."),
        ),
        Outcome::Skipped { reason } => CandidateState::Skipped {
            reason: match reason {
                SkipReason::SharedLocalAddress => {
                    "A friend's server at their home: only reachable over the internet.".into()
                }
                SkipReason::HttpNotAllowed => {
                    "Unencrypted, and the server requires secure connections.".into()
                }
                SkipReason::AnotherRouteWon => "Not needed: another route won.".into(),
                SkipReason::Cancelled => "Stopped.".into(),
                SkipReason::BadUri { .. } => "The address Plex gave is not usable.".into(),
                SkipReason::InsecureNotAllowed { .. } => {
                    "Unencrypted, and the \"allow insecure connections\" setting does not allow it here.".into()
                }
                SkipReason::NotOnServerNetwork => {
                    "A home-network address, but this device is not on the server's network.".into()
                }
                SkipReason::CertificateChangedOnHost => {
                    "Not used: this address presented a changed certificate.".into()
                }
            },
        },
    }
}

/// A Plex client error, in words a person can act on.
pub fn error(err: plex_client::Error) -> IpcError {
    use plex_client::Error as E;
    match err {
        E::Unauthorized => IpcError::new(
            ErrorKind::Unauthorized,
            "Plex no longer accepts this sign-in. Sign in again.",
        ),
        E::NotFound { .. } => IpcError::new(
            ErrorKind::NotFound,
            "That is no longer on the server. Refresh and try again.",
        ),
        E::RateLimited { .. } => IpcError::new(
            ErrorKind::RateLimited,
            "Plex asked us to slow down. Wait a minute and try again.",
        ),
        E::Server { status } => IpcError::new(
            ErrorKind::InvalidResponse,
            format!("The server had a problem (HTTP {status}). Try again; if it keeps happening, restart Plex Media Server."),
        ),
        E::Unreachable(diagnosis) => IpcError::new(
            ErrorKind::Unreachable,
            format!(
                "PlexPicker could not reach {}. Here is what was tried and why each route failed.",
                diagnosis.server
            ),
        )
        .with_details(ErrorDetails::Diagnosis {
            candidates: diagnosis_views(&diagnosis, None),
        }),
        E::InvalidResponse { .. } => IpcError::new(
            ErrorKind::InvalidResponse,
            "The server sent an answer PlexPicker could not understand. Try again; if it keeps happening, restart Plex Media Server.",
        ),
        E::TimedOut => IpcError::new(
            ErrorKind::TimedOut,
            "The server took too long to answer. Check your connection and try again.",
        ),
        E::Cancelled => IpcError::new(ErrorKind::Cancelled, "Stopped."),
        E::WrongPin => IpcError::new(
            ErrorKind::Unauthorized,
            "That PIN is not right. Try again.",
        ),
        E::ProfileNotOnServer => IpcError::new(
            ErrorKind::NotFound,
            "That profile has no access to this server. Ask your Plex Home's admin to share it, or choose other people.",
        ),
        E::Network(_) => IpcError::new(
            ErrorKind::Unreachable,
            "PlexPicker could not reach Plex. Check your internet connection and try again.",
        ),
        other => IpcError::new(
            ErrorKind::Internal,
            format!("Something went wrong inside PlexPicker ({other}). Restart the app and try again."),
        ),
    }
}

/// A core error, in words a person can act on: what happened and what to do next.
impl From<Error> for IpcError {
    fn from(err: Error) -> Self {
        use curator::Error as C;
        use Error as E;
        let said = |kind, message: &str| IpcError::new(kind, message);
        match err {
            E::Plex(plex) => error(plex),
            E::NotSignedIn => said(
                ErrorKind::Unauthorized,
                "You are not signed in. Sign in with Plex first.",
            ),
            E::NotConnected => said(
                ErrorKind::Unreachable,
                "PlexPicker is not connected to a server. Choose a server first.",
            ),
            E::ServerGone => said(
                ErrorKind::NotFound,
                "That server is not in your list any more. Refresh the list and choose again.",
            ),
            E::Superseded => said(
                ErrorKind::Cancelled,
                "That connection attempt was replaced by a newer one.",
            ),
            E::Invalid(message) => IpcError::new(ErrorKind::InvalidRequest, message),
            E::NotFound(message) => IpcError::new(ErrorKind::NotFound, message),
            E::Internal(message) => IpcError::new(ErrorKind::Internal, message),
            E::ClientSetup(why) => IpcError::new(
                ErrorKind::Internal,
                format!("PlexPicker cannot set up its connection to Plex ({why}). Restart the app; if it keeps happening, please report it."),
            ),
            E::NothingToPick => said(
                ErrorKind::InvalidRequest,
                "There is nothing to pick from yet. Load your libraries first.",
            ),
            E::Pick(err) => pick_error(err),
            E::Persist(why) => IpcError::new(
                ErrorKind::Storage,
                format!("PlexPicker could not save its settings ({why}). Check that the disk is not full, then try again."),
            ),
            E::SecretStore(inner) => secret_error(&inner),
            err @ (E::Io { .. } | E::Keychain { .. } | E::NoKeychain(_) | E::Settings(_)) => {
                secret_error(&err)
            }
            // Its message already says what to do.
            E::Ai(ai) => {
                let kind = match &ai {
                    C::RateLimited { .. } => ErrorKind::RateLimited,
                    C::Timeout { .. } | C::ConnectTimeout { .. } => ErrorKind::TimedOut,
                    C::Connect { .. } | C::Network { .. } => ErrorKind::Unreachable,
                    C::BadBody { .. } | C::TooLarge { .. } | C::Server { .. } => {
                        ErrorKind::InvalidResponse
                    }
                    C::Setup(_) => ErrorKind::Internal,
                    _ => ErrorKind::InvalidRequest,
                };
                IpcError::new(kind, format!("{}.", capitalize(&ai.to_string())))
            }
            other => {
                let kind = match other {
                    E::Encode { .. } => ErrorKind::Internal,
                    _ => ErrorKind::InvalidRequest,
                };
                let message = format!("{}. {}", capitalize(&other.to_string()), other.advice());
                IpcError::new(kind, message)
            }
        }
    }
}

/// A secret store failure, said to the user.
fn secret_error(err: &Error) -> IpcError {
    IpcError::new(
        ErrorKind::Storage,
        format!(
            "PlexPicker could not use its secret store ({err}). {}",
            err.advice()
        ),
    )
}

/// A picker error: what emptied the list, in words, with the count without that filter.
pub fn pick_error(err: picker::PickError) -> IpcError {
    use picker::PickError as P;
    match err {
        P::EmptyCatalog => IpcError::new(
            ErrorKind::NoMatch,
            "There is nothing to pick from yet. Load your libraries first.",
        ),
        P::NoMatch(no_match) => {
            let message = capitalize(&no_match.to_string());
            IpcError::new(
                ErrorKind::NoMatch,
                format!("{message}. Loosen that filter and pick again."),
            )
            .with_details(ErrorDetails::NoMatch {
                filter: no_match.blocking,
                without: no_match.without as u64,
            })
        }
        P::FinishTimePassed { at } => IpcError::new(
            ErrorKind::InvalidRequest,
            format!(
                "{at} has already passed today. Choose a later time or a maximum length instead."
            ),
        ),
        P::InvalidChoice(why) => IpcError::new(
            ErrorKind::InvalidRequest,
            format!("One of the filters is not valid ({why}). Fix it and pick again."),
        ),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Everything the Results screen shows of one suggestion.
pub fn pick_card(title: &picker::Title, pick: &picker::Pick, server_id: Option<&str>) -> PickCard {
    let episode_ms = pick.episode.as_ref().and_then(|e| e.duration_ms);
    let minutes = match title.kind {
        picker::Kind::Movie => title.duration_ms,
        picker::Kind::Show => episode_ms,
    }
    .map(|ms| ((ms + 30_000) / 60_000) as u32);
    // A show opens on the episode the card suggests, not on the show's page.
    let plays = pick.episode.as_ref().map_or(&title.id, |e| &e.id);
    let poster_url = match (server_id, &title.thumb) {
        (Some(_), Some(_)) => Some(plexpicker_ipc::poster_url(
            &title.id,
            cfg!(any(windows, target_os = "android")),
        )),
        _ => None,
    };
    PickCard {
        id: title.id.clone(),
        title: title.title.clone(),
        year: title.year,
        kind_label: match title.kind {
            picker::Kind::Movie => "Movie".into(),
            picker::Kind::Show => "TV show".into(),
        },
        minutes,
        critic_rating: title.critic().map(|r| format!("{r:.1}")),
        audience_rating: title.audience().map(|r| format!("{r:.1}")),
        content_rating: title.content_rating.as_deref().map(String::from),
        genres: title.genres.iter().map(String::from).collect(),
        summary: title.summary.clone(),
        reason: pick.reason.text(),
        episode_id: pick.episode.as_ref().map(|e| e.id.clone()),
        episode: pick.episode.as_ref().map(|e| {
            if e.title.is_empty() {
                format!("S{} · E{}", e.season, e.index)
            } else {
                format!("S{} · E{} · {}", e.season, e.index, e.title)
            }
        }),
        poster_url,
        watch_url: server_id
            .map(|id| plex_client::web_link(id, plays))
            .unwrap_or_default(),
        score: pick.score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_failures_say_what_happened_and_what_to_do_without_meaning_sign_in_again() {
        let limited = IpcError::from(crate::Error::Ai(curator::Error::RateLimited {
            provider: "OpenAI".into(),
            retry_after: Some(std::time::Duration::from_secs(20)),
        }));
        assert_eq!(limited.kind, ErrorKind::RateLimited);
        assert_eq!(
            limited.message,
            "OpenAI is rate limiting requests (it asks to wait 20 s): wait and try again, or let PlexPicker choose."
        );
        // A refused API key is the provider's business: never "sign in to Plex again".
        let refused = IpcError::from(crate::Error::Ai(curator::Error::Unauthorized {
            provider: "OpenAI".into(),
            status: 401,
        }));
        assert_eq!(refused.kind, ErrorKind::InvalidRequest);
        assert!(refused.message.starts_with("OpenAI refused the api key"));
        let down = IpcError::from(crate::Error::Ai(curator::Error::Connect {
            provider: "Ollama".into(),
            host: "127.0.0.1:11434".into(),
            hint: "is Ollama running? start it with `ollama serve`".into(),
        }));
        assert_eq!(down.kind, ErrorKind::Unreachable);
        let none = IpcError::from(crate::Error::NoAiProvider);
        assert_eq!(none.kind, ErrorKind::InvalidRequest);
        assert!(
            none.message
                .starts_with("No AI provider is set up. Set one up in the AI settings"),
            "{}",
            none.message
        );
        let store = IpcError::from(crate::Error::Keychain {
            action: "read",
            why: "locked".into(),
        });
        assert_eq!(store.kind, ErrorKind::Storage);
        assert!(store.message.contains("Unlock your system keychain"));
    }

    #[test]
    fn every_failure_has_plain_words_and_certificate_changes_are_flagged() {
        let changed = Outcome::Tls {
            failure: TlsFailure::CertificateChanged {
                expected: plex_client::CertFingerprint::parse("aa").unwrap(),
                got: plex_client::CertFingerprint::parse("bb").unwrap(),
            },
        };
        match state(&changed, Locality::Local) {
            CandidateState::Failed {
                certificate_changed,
                advice,
                ..
            } => {
                assert!(certificate_changed);
                assert!(advice.unwrap().contains("trust the new certificate"));
            }
            other => panic!("{other:?}"),
        }
        match state(&Outcome::Refused, Locality::Remote) {
            CandidateState::Failed { advice, .. } => {
                assert!(advice.unwrap().contains("Remote Access"))
            }
            other => panic!("{other:?}"),
        }
        match state(&Outcome::NameNotResolved, Locality::Local) {
            CandidateState::Failed { advice, .. } => {
                assert!(advice.unwrap().contains("router"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            state(&Outcome::Connected { latency_ms: 12 }, Locality::Local),
            CandidateState::Connected { latency_ms: 12 }
        );
    }

    #[test]
    fn unreachable_errors_carry_the_diagnosis() {
        let diagnosis = Diagnosis {
            server: "Home".into(),
            machine_identifier: "m".into(),
            candidates: vec![CandidateReport {
                rank: 0,
                uri: "http://192.168.1.5:32400".into(),
                direct_ip: None,
                locality: Locality::Local,
                security: Security::Http,
                outcome: Outcome::Refused,
            }],
        };
        let err = error(plex_client::Error::Unreachable(Box::new(diagnosis)));
        assert_eq!(err.kind, ErrorKind::Unreachable);
        assert!(err.message.contains("Home"));
        match err.details {
            Some(ErrorDetails::Diagnosis { candidates }) => {
                assert_eq!(candidates.len(), 1);
                assert_eq!(candidates[0].address, "http://192.168.1.5:32400");
                assert_eq!(candidates[0].kind, RouteKind::Local);
            }
            other => panic!("{other:?}"),
        }
    }
}
