//! The CLI's one error type: a kind for scripts, a sentence for people, an exit code for shells.

use plexpicker_core::plex::{Diagnosis, ErrorKind as PlexKind};
use serde::Serialize;

/// Exit codes (documented in `--help` and the README).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// Anything else.
    pub const OTHER: i32 = 1;
    /// Bad command line (clap's default).
    pub const USAGE: i32 = 2;
    /// Not signed in, token rejected, sign-in code expired.
    pub const AUTH: i32 = 3;
    /// No working connection to the server.
    pub const UNREACHABLE: i32 = 4;
    /// Nothing matches the choices.
    pub const NO_MATCH: i32 = 5;
}

/// `Result` with [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// Everything a command can fail with. Messages are one lowercase sentence saying what to do next.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// No token saved.
    #[error("not signed in: run `plexpicker-cli login`")]
    NotSignedIn,
    /// plex.tv or the server refused the saved token.
    #[error("plex refused the saved sign-in: run `plexpicker-cli login` again")]
    TokenRejected,
    /// `login --token` with a token plex.tv does not accept.
    #[error("plex.tv did not accept that token: check it, or run `plexpicker-cli login` without --token")]
    TokenInvalid,
    /// The PIN expired before it was approved.
    #[error("the sign-in code expired before it was approved: run `plexpicker-cli login` again")]
    PinExpired,
    /// plex.tv refused a profile's PIN (`pick --for NAME --pin NAME`); the names of the
    /// profiles whose PIN was given.
    #[error("wrong pin for {0}: try again")]
    WrongPin(String),
    /// Ctrl-C.
    #[error("cancelled")]
    Cancelled,
    /// No connection of the server worked.
    #[error("{}", unreachable_message(.0))]
    Unreachable(Box<Diagnosis>),
    /// The account has no servers.
    #[error(
        "this Plex account has no servers: add one at plex.tv, then run `plexpicker-cli servers`"
    )]
    NoServers,
    /// `--server` matched nothing.
    #[error("no server named or identified as {0:?}: run `plexpicker-cli servers` to see them")]
    ServerNotFound(String),
    /// `--server` matched several.
    #[error("{0:?} names several servers: use the machine identifier from `plexpicker-cli servers --json`")]
    ServerAmbiguous(String),
    /// `--library` matched nothing, or the server has no movie or show library.
    #[error("{0}")]
    NoLibrary(String),
    /// Nothing matches the choices.
    #[error("nothing matches: {0}; relax that filter and try again")]
    NoMatch(picker::NoMatch),
    /// The libraries are empty.
    #[error("the chosen libraries are empty: add movies or shows in Plex, or choose other libraries with --library")]
    EmptyCatalog,
    /// Choices that cannot work (bad finish-by time, reversed years, bad rating).
    #[error("{0}")]
    InvalidChoice(String),
    /// A bad argument noticed after parsing.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing the settings (or cache) failed.
    #[error("{0}")]
    Storage(String),
    /// The AI provider failed or refused, or is not set up (the message names the provider
    /// and what to do).
    #[error("{message}")]
    Ai {
        /// A stable kind for scripts (`ai_unreachable`, `ai_rate_limited`, ...).
        kind: &'static str,
        /// One sentence.
        message: String,
    },
    /// Any other Plex error.
    #[error("{message}")]
    Plex {
        /// The client's kind.
        kind: PlexKind,
        /// One sentence.
        message: String,
    },
}

fn unreachable_message(d: &Diagnosis) -> String {
    if plexpicker_core::report::certificate_changed(d) {
        format!(
            "no working connection to {}: its self-signed certificate changed since it was pinned (see the list below); if you trust the change, run `plexpicker-cli connect --trust-new-certificate`",
            d.server
        )
    } else {
        format!(
            "no working connection to {}: every route failed (see the list below); check that the server is running and reachable, then try `plexpicker-cli connect --diagnose`",
            d.server
        )
    }
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::NotSignedIn
            | CliError::TokenRejected
            | CliError::TokenInvalid
            | CliError::PinExpired
            | CliError::WrongPin(_) => exit::AUTH,
            CliError::Unreachable(_) => exit::UNREACHABLE,
            CliError::NoMatch(_) | CliError::EmptyCatalog => exit::NO_MATCH,
            CliError::InvalidChoice(_) | CliError::Usage(_) => exit::USAGE,
            _ => exit::OTHER,
        }
    }

    /// A stable snake_case kind for scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            CliError::NotSignedIn => "not_signed_in",
            CliError::TokenRejected | CliError::TokenInvalid => "unauthorized",
            CliError::PinExpired => "pin_expired",
            CliError::WrongPin(_) => "wrong_pin",
            CliError::Cancelled => "cancelled",
            CliError::Unreachable(_) => "unreachable",
            CliError::NoServers | CliError::ServerNotFound(_) | CliError::NoLibrary(_) => {
                "not_found"
            }
            CliError::ServerAmbiguous(_) => "ambiguous",
            CliError::NoMatch(_) => "no_match",
            CliError::EmptyCatalog => "empty_catalog",
            CliError::InvalidChoice(_) => "invalid_choice",
            CliError::Usage(_) => "usage",
            CliError::Storage(_) => "storage",
            CliError::Ai { kind, .. } => kind,
            CliError::Plex { kind, .. } => match kind {
                PlexKind::NotFound => "not_found",
                PlexKind::RateLimited => "rate_limited",
                PlexKind::Server => "server",
                PlexKind::InvalidResponse => "invalid_response",
                PlexKind::TimedOut => "timed_out",
                PlexKind::Cancelled => "cancelled",
                PlexKind::Network => "network",
                PlexKind::Config => "config",
                _ => "other",
            },
        }
    }

    /// Structured details for `--json` (the diagnosis, the nothing-matches diagnosis).
    pub fn details(&self) -> Option<serde_json::Value> {
        match self {
            CliError::Unreachable(d) => {
                serde_json::to_value(plexpicker_core::report::DiagnosisReport::of(d)).ok()
            }
            CliError::NoMatch(n) => serde_json::to_value(n).ok(),
            _ => None,
        }
    }

    /// The JSON written to stderr with `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Body<'a> {
            kind: &'a str,
            message: String,
            exit_code: i32,
            #[serde(skip_serializing_if = "Option::is_none")]
            details: Option<serde_json::Value>,
        }
        serde_json::json!({
            "error": Body {
                kind: self.kind(),
                message: self.to_string(),
                exit_code: self.exit_code(),
                details: self.details(),
            }
        })
    }
}

impl From<plexpicker_core::plex::Error> for CliError {
    fn from(e: plexpicker_core::plex::Error) -> Self {
        use plexpicker_core::plex::Error as E;
        match e {
            E::Unauthorized => CliError::TokenRejected,
            E::Unreachable(d) => CliError::Unreachable(d),
            E::Cancelled => CliError::Cancelled,
            other => {
                let kind = other.kind();
                let next = match kind {
                    PlexKind::RateLimited => "wait a minute and try again",
                    PlexKind::TimedOut | PlexKind::Network => {
                        "check the network (and --plex-tv-url) and try again"
                    }
                    PlexKind::Config => "check --plex-tv-url and --ca-file",
                    _ => "try again later",
                };
                CliError::Plex {
                    kind,
                    message: format!("{other}: {next}"),
                }
            }
        }
    }
}

/// A core failure as the CLI says it: Plex, picker and AI failures as their own kinds,
/// files and the secret store as storage.
impl From<plexpicker_core::Error> for CliError {
    fn from(e: plexpicker_core::Error) -> Self {
        use plexpicker_core::Error as E;
        match e {
            E::Plex(e) => e.into(),
            E::Pick(e) => e.into(),
            E::NotSignedIn => CliError::NotSignedIn,
            E::NoServers => CliError::NoServers,
            E::ServerNotFound(query) => CliError::ServerNotFound(query),
            E::ServerAmbiguous(query) => CliError::ServerAmbiguous(query),
            e @ E::NoLibraries { .. } => CliError::NoLibrary(format!(
                "{e}: add one in Plex, or choose another server with --server"
            )),
            e @ E::LibraryNotFound { .. } => {
                CliError::NoLibrary(format!("{e}: run `plexpicker-cli libraries` to see them"))
            }
            e @ E::CountMissing { .. } => CliError::Plex {
                kind: PlexKind::InvalidResponse,
                message: format!("{e}: try again"),
            },
            E::SignInExpired => CliError::PinExpired,
            E::NoSuchProfile { name, profiles } => CliError::Usage(format!(
                "no profile called {name:?} in this Plex Home: the profiles are {profiles} (see `plexpicker-cli profiles`)"
            )),
            E::PinForNoProfile { name, profiles } => CliError::Usage(format!(
                "--pin {name:?}: no such profile in this Plex Home: the profiles are {profiles}"
            )),
            E::PinForAbsent { name, profile } => CliError::Usage(format!(
                "--pin {name:?}: {profile} is not among the people picked for: add `--for {profile}`"
            )),
            E::PinTwice { name } => CliError::Usage(format!(
                "--pin {name:?} is given twice: give each PIN once"
            )),
            E::PinNeeded { profile } => CliError::Usage(format!(
                "{profile} is protected with a PIN: add `--pin {profile}` and give the PIN on stdin or at the prompt"
            )),
            E::NothingToPick => CliError::EmptyCatalog,
            E::Superseded => CliError::Cancelled,
            E::Invalid(m) => CliError::Usage(m),
            E::ClientSetup(why) => {
                CliError::Usage(format!("{why}: check --plex-tv-url and --ca-file"))
            }
            E::NotFound(m) => CliError::NoLibrary(m),
            e @ (E::Ai(_) | E::AiSetting(_) | E::NoAiProvider) => ai_error(e),
            other => crate::settings::storage_error(other),
        }
    }
}

/// An AI failure as the CLI says it (storage and keychain failures stay storage errors).
pub fn ai_error(e: plexpicker_core::Error) -> CliError {
    use curator::Error as C;
    use plexpicker_core::Error as E;
    let kind = match &e {
        E::Ai(C::RateLimited { .. }) => "ai_rate_limited",
        E::Ai(C::Timeout { .. } | C::ConnectTimeout { .. }) => "ai_timed_out",
        E::Ai(C::Connect { .. } | C::Network { .. }) => "ai_unreachable",
        E::Ai(C::Unauthorized { .. } | C::MissingKey { .. } | C::InsecureKey { .. }) => "ai_key",
        E::Ai(_) => "ai_provider",
        E::AiSetting(_) => return CliError::Usage(e.to_string()),
        E::NoAiProvider => {
            return CliError::Ai {
                kind: "ai_not_set_up",
                message: "no AI provider is set up: run `plexpicker-cli ai set --preset ollama --model llama3.2` (or another preset)".into(),
            }
        }
        _ => return crate::settings::storage_error(e),
    };
    CliError::Ai {
        kind,
        message: e.to_string(),
    }
}

impl From<picker::PickError> for CliError {
    fn from(e: picker::PickError) -> Self {
        match e {
            picker::PickError::NoMatch(n) => CliError::NoMatch(n),
            picker::PickError::EmptyCatalog => CliError::EmptyCatalog,
            picker::PickError::FinishTimePassed { at } => CliError::InvalidChoice(format!(
                "the finish-by time {at} has already passed: choose a later time or use --max-minutes"
            )),
            picker::PickError::InvalidChoice(m) => {
                CliError::InvalidChoice(format!("invalid choice: {m}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_kinds() {
        assert_eq!(CliError::NotSignedIn.exit_code(), 3);
        assert_eq!(CliError::NotSignedIn.kind(), "not_signed_in");
        assert_eq!(
            CliError::NotSignedIn.to_string(),
            "not signed in: run `plexpicker-cli login`"
        );
        let u = CliError::from(plexpicker_core::plex::Error::Unreachable(Box::default()));
        assert_eq!(u.exit_code(), 4);
        assert_eq!(
            CliError::from(plexpicker_core::plex::Error::Unauthorized).exit_code(),
            3
        );
        assert_eq!(CliError::EmptyCatalog.exit_code(), 5);
        assert_eq!(CliError::Storage("x".into()).exit_code(), 1);
        let j = CliError::PinExpired.to_json();
        assert_eq!(j["error"]["kind"], "pin_expired");
        assert_eq!(j["error"]["exit_code"], 3);
        assert!(j["error"].get("details").is_none());
        let wrong = CliError::WrongPin("Sam".into());
        assert_eq!(wrong.exit_code(), 3);
        assert_eq!(wrong.kind(), "wrong_pin");
        assert_eq!(wrong.to_string(), "wrong pin for Sam: try again");
    }

    #[test]
    fn the_core_s_server_and_library_failures_keep_their_kinds_and_words() {
        use plexpicker_core::Error as E;
        let ambiguous = CliError::from(E::ServerAmbiguous("Twin".into()));
        assert_eq!((ambiguous.kind(), ambiguous.exit_code()), ("ambiguous", 1));
        let missing = CliError::from(E::ServerNotFound("Nope".into()));
        assert_eq!(missing.kind(), "not_found");
        assert!(missing.to_string().contains("run `plexpicker-cli servers`"));
        assert_eq!(CliError::from(E::NoServers).kind(), "not_found");
        let library = CliError::from(E::LibraryNotFound {
            name: "nope".into(),
            server: "Home".into(),
        });
        assert_eq!(
            library.to_string(),
            "no movie or show library called \"nope\" on Home: run `plexpicker-cli libraries` to see them"
        );
        let empty = CliError::from(E::NoLibraries {
            server: "Home".into(),
        });
        assert_eq!(
            empty.to_string(),
            "Home has no movie or show libraries: add one in Plex, or choose another server with --server"
        );
        let count = CliError::from(E::CountMissing {
            library: "Movies".into(),
        });
        assert_eq!(count.kind(), "invalid_response");
        assert_eq!(
            count.to_string(),
            "the server did not say how many items Movies has: try again"
        );
        assert_eq!(CliError::from(E::SignInExpired).kind(), "pin_expired");
    }

    #[test]
    fn the_people_named_that_do_not_fit_are_usage_errors_in_the_cli_s_words() {
        use plexpicker_core::Error as E;
        let said = |e: E| {
            let e = CliError::from(e);
            assert_eq!((e.kind(), e.exit_code()), ("usage", 2), "{e}");
            e.to_string()
        };
        assert_eq!(
            said(E::NoSuchProfile {
                name: "Kim".into(),
                profiles: "simuser, Sam".into()
            }),
            "no profile called \"Kim\" in this Plex Home: the profiles are simuser, Sam (see `plexpicker-cli profiles`)"
        );
        assert_eq!(
            said(E::PinForNoProfile {
                name: "Kim".into(),
                profiles: "simuser, Sam".into()
            }),
            "--pin \"Kim\": no such profile in this Plex Home: the profiles are simuser, Sam"
        );
        assert_eq!(
            said(E::PinForAbsent {
                name: "sam".into(),
                profile: "Sam".into()
            }),
            "--pin \"sam\": Sam is not among the people picked for: add `--for Sam`"
        );
        assert_eq!(
            said(E::PinTwice { name: "Sam".into() }),
            "--pin \"Sam\" is given twice: give each PIN once"
        );
        assert_eq!(
            said(E::PinNeeded {
                profile: "Sam".into()
            }),
            "Sam is protected with a PIN: add `--pin Sam` and give the PIN on stdin or at the prompt"
        );
    }
}
