//! Connect-and-remember, the same for both front ends: the race starts from what was saved
//! (the route that worked last, the pinned certificates, the insecure-connections setting),
//! and a won race is remembered the same way (the winning route, a first-seen certificate
//! pinned per `host:port`, the server's own access token in the secret store).
//!
//! "Trust the new certificate" pins exactly the fingerprint the failed race saw (and the user
//! was shown), never whatever the server shows next.

use std::sync::Arc;

use plex_client::{
    CancellationToken, CertFingerprint, ConnectOptions, Diagnosis, Outcome, RaceEvent, RaceReport,
    Server, TlsFailure,
};

use crate::error::Result;
use crate::secrets::{SecretKey, Secrets};
use crate::settings::{SavedServer, Settings};

/// How a race starts.
pub struct Start {
    /// Race every route, skipping the one that worked last (a diagnosis).
    pub full_race: bool,
    pub cancel: CancellationToken,
    /// Each route's progress, as it changes.
    pub on_event: Option<Arc<dyn Fn(RaceEvent) + Send + Sync>>,
}

/// The client's options for racing to `server_id` from the saved `settings`.
pub fn options(settings: &Settings, server_id: &str, start: Start) -> ConnectOptions {
    ConnectOptions {
        pins: settings.cert_pins(),
        remembered: if start.full_race {
            None
        } else {
            settings.last_connections.get(server_id).cloned()
        },
        cancel: start.cancel,
        on_event: start.on_event,
        allow_insecure: settings.allow_insecure,
    }
}

/// Whether a won race makes `server` the chosen one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choose {
    /// The user chose it (the app's server list).
    Always,
    /// Only when no server was chosen yet (the CLI's `pick --server X` does not change the
    /// default; `connect` does, separately).
    IfNone,
}

/// What remembering a won race changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remembered {
    /// Another server than before is now the chosen one: its libraries are not the old ones.
    pub changed_server: bool,
    /// The settings changed (and must be saved).
    pub changed: bool,
}

/// Remembers a won race to `server` in `settings`: the winning route (tried first next time),
/// a certificate pinned for the first time, and the server itself per `choose`.
pub fn remember(
    settings: &mut Settings,
    server: &Server,
    report: &RaceReport,
    choose: Choose,
) -> Remembered {
    let id = &server.machine_identifier;
    let mut changed = false;
    if settings.last_connections.get(id) != Some(&report.uri) {
        settings
            .last_connections
            .insert(id.clone(), report.uri.clone());
        changed = true;
    }
    if let Some(pin) = &report.new_pin {
        settings.pins.insert(pin.place.clone(), pin.sha256.clone());
        changed = true;
    }
    let changed_server = settings.server.as_ref().map(|s| &s.id) != Some(id);
    let saved = SavedServer::of(server);
    let take = match choose {
        Choose::Always => settings.server.as_ref() != Some(&saved),
        Choose::IfNone => settings.server.is_none(),
    };
    if take {
        settings.server = Some(saved);
        if changed_server {
            settings.libraries = None;
        }
        changed = true;
    }
    Remembered {
        changed_server: take && changed_server,
        changed,
    }
}

/// Keeps `server`'s own access token (a shared server's) in the secret store, or removes a
/// stale one when plex.tv no longer lists one.
pub fn store_access_token(secrets: &(dyn Secrets + 'static), server: &Server) -> Result<()> {
    let key = SecretKey::ServerAccessToken(server.machine_identifier.clone());
    match server.access_token.as_ref().filter(|t| !t.is_empty()) {
        Some(token) => secrets.set_token(&key, token),
        None => secrets.delete(&key),
    }
}

/// The new certificates a failed race saw, by place (`host:port`), as the user was shown
/// them. `rank` limits it to one route (the app's "trust" button on that route); `None`
/// takes every route that showed one (the CLI's `--trust-new-certificate`).
pub fn shown_certificates(
    diagnosis: &Diagnosis,
    rank: Option<&str>,
) -> Vec<(String, CertFingerprint)> {
    diagnosis
        .candidates
        .iter()
        .filter(|c| rank.is_none_or(|r| c.rank.to_string() == r))
        .filter_map(|c| match &c.outcome {
            Outcome::Tls {
                failure: TlsFailure::CertificateChanged { got, .. },
            } => Some((place_of(&c.uri)?, got.clone())),
            _ => None,
        })
        .collect()
}

/// `host:port` of a URI, as certificate pins name places (`https://127.0.0.2:32400/x` →
/// `127.0.0.2:32400`; no port: 443 for https, 80 for http).
pub fn place_of(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if authority.is_empty() {
        return None;
    }
    let has_port = match authority.rfind(']') {
        Some(end) => authority[end..].contains(':'),
        None => authority.contains(':'),
    };
    if has_port {
        Some(authority.to_ascii_lowercase())
    } else {
        let port = if scheme.eq_ignore_ascii_case("http") {
            80
        } else {
            443
        };
        Some(format!("{}:{port}", authority.to_ascii_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plex_client::CertPin;

    fn server(id: &str, access_token: Option<&str>) -> Server {
        let token = access_token
            .map(|t| format!(r#","accessToken":"{t}""#))
            .unwrap_or_default();
        let mut s = plex_client::parse_resources(
            format!(
                r#"[{{"name":"S {id}","clientIdentifier":"{id}","provides":"server","owned":true{token}}}]"#
            )
            .as_bytes(),
        )
        .expect("parse");
        s.remove(0)
    }

    fn report(uri: &str, new_pin: Option<(&str, &str)>) -> RaceReport {
        RaceReport {
            uri: uri.to_string(),
            direct_ip: None,
            locality: plex_client::Locality::Local,
            security: plex_client::Security::VerifiedHttps,
            latency_ms: 3,
            new_pin: new_pin.map(|(place, sha)| CertPin {
                place: place.to_string(),
                sha256: CertFingerprint::parse(sha).expect("a fingerprint"),
            }),
            fast_path: false,
            diagnosis: Diagnosis::default(),
        }
    }

    #[test]
    fn a_won_race_is_remembered_and_a_new_server_forgets_the_old_libraries() {
        let mut settings = Settings {
            libraries: Some(vec!["1".into()]),
            ..Settings::default()
        };
        let sha = "ab".repeat(32);
        let r = remember(
            &mut settings,
            &server("a", None),
            &report("https://10.0.0.2:32400", Some(("10.0.0.2:32400", &sha))),
            Choose::Always,
        );
        assert_eq!(
            r,
            Remembered {
                changed_server: true,
                changed: true
            }
        );
        assert_eq!(settings.server.as_ref().map(|s| s.id.as_str()), Some("a"));
        assert_eq!(settings.libraries, None);
        assert_eq!(
            settings.last_connections.get("a").map(String::as_str),
            Some("https://10.0.0.2:32400")
        );
        assert_eq!(
            settings.pins.get("10.0.0.2:32400").map(|p| p.as_str()),
            Some(sha.as_str())
        );

        // The same race again changes nothing; its libraries are kept.
        settings.libraries = Some(vec!["2".into()]);
        let again = remember(
            &mut settings,
            &server("a", None),
            &report("https://10.0.0.2:32400", None),
            Choose::Always,
        );
        assert!(!again.changed && !again.changed_server);
        assert_eq!(settings.libraries, Some(vec!["2".into()]));

        // Another server, "if none chosen": the route is remembered, the choice kept.
        let other = remember(
            &mut settings,
            &server("b", None),
            &report("https://10.0.0.3:32400", None),
            Choose::IfNone,
        );
        assert!(other.changed && !other.changed_server);
        assert_eq!(settings.server.as_ref().map(|s| s.id.as_str()), Some("a"));
        assert!(settings.last_connections.contains_key("b"));
    }

    #[test]
    fn the_saved_route_is_tried_first_unless_a_full_race_is_asked_for() {
        let mut settings = Settings::default();
        settings
            .last_connections
            .insert("a".into(), "https://10.0.0.2:32400".into());
        settings.allow_insecure = plex_client::AllowInsecure::Never;
        let start = |full_race| Start {
            full_race,
            cancel: CancellationToken::new(),
            on_event: None,
        };
        let opts = options(&settings, "a", start(false));
        assert_eq!(opts.remembered.as_deref(), Some("https://10.0.0.2:32400"));
        assert_eq!(opts.allow_insecure, plex_client::AllowInsecure::Never);
        assert_eq!(options(&settings, "a", start(true)).remembered, None);
        assert_eq!(options(&settings, "b", start(false)).remembered, None);
    }

    #[test]
    fn only_the_certificates_the_failed_race_saw_are_offered_for_trust() {
        let fp = |c: char| CertFingerprint::parse(&c.to_string().repeat(64)).expect("hex");
        let route = |rank, uri: &str, outcome| plex_client::CandidateReport {
            rank,
            uri: uri.to_string(),
            direct_ip: None,
            locality: plex_client::Locality::Local,
            security: plex_client::Security::PinnedHttps,
            outcome,
        };
        let changed = |got| Outcome::Tls {
            failure: TlsFailure::CertificateChanged {
                expected: fp('a'),
                got,
            },
        };
        let diagnosis = Diagnosis {
            candidates: vec![
                route(0, "https://10.0.0.2:32400", changed(fp('b'))),
                route(
                    1,
                    "https://10.0.0.3:32400",
                    Outcome::Tls {
                        failure: TlsFailure::Expired,
                    },
                ),
                route(2, "https://10.0.0.4:32401", changed(fp('c'))),
            ],
            ..Diagnosis::default()
        };
        assert_eq!(
            shown_certificates(&diagnosis, None),
            vec![
                ("10.0.0.2:32400".to_string(), fp('b')),
                ("10.0.0.4:32401".to_string(), fp('c'))
            ]
        );
        assert_eq!(
            shown_certificates(&diagnosis, Some("2")),
            vec![("10.0.0.4:32401".to_string(), fp('c'))]
        );
        assert!(shown_certificates(&diagnosis, Some("1")).is_empty());
    }

    #[test]
    fn places_of_uris() {
        assert_eq!(
            place_of("https://127.0.0.2:40453").as_deref(),
            Some("127.0.0.2:40453")
        );
        assert_eq!(
            place_of("https://Host.example/x").as_deref(),
            Some("host.example:443")
        );
        assert_eq!(
            place_of("http://[::1]:32400/").as_deref(),
            Some("[::1]:32400")
        );
        assert_eq!(place_of("http://[::1]").as_deref(), Some("[::1]:80"));
        assert_eq!(place_of("https://user@h:1/").as_deref(), Some("h:1"));
        assert_eq!(place_of("nonsense"), None);
        assert_eq!(place_of("https:///x"), None);
    }
}
