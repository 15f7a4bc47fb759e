//! What happened to every candidate connection of a race: serializable for the UI.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::AllowInsecure;
use crate::fingerprint::CertFingerprint;

/// Where a candidate sits in the order: local before remote before relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    /// On the same network as the server.
    Local,
    /// Over the internet, directly.
    Remote,
    /// Through Plex's bandwidth-limited relay.
    Relay,
}

/// How a candidate secures its connection: verified before pinned before plain http.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// https with a certificate verified against the trusted roots.
    VerifiedHttps,
    /// https to a private address of an owned server; a self-signed certificate is pinned.
    PinnedHttps,
    /// Plain http.
    Http,
}

/// Why a TLS handshake failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum TlsFailure {
    /// Not signed by a trusted root (self-signed, unknown CA).
    Untrusted {
        /// The certificate's SHA-256, when one was seen.
        sha256: Option<CertFingerprint>,
    },
    /// Valid, but not for this name or address.
    NameMismatch {
        /// The certificate's SHA-256.
        sha256: Option<CertFingerprint>,
    },
    /// The pinned certificate of this place was replaced by another one.
    CertificateChanged {
        /// The pinned fingerprint.
        expected: CertFingerprint,
        /// What the server presented now (trust it to replace the pin).
        got: CertFingerprint,
    },
    /// Expired or not yet valid.
    Expired,
    /// Any other TLS problem.
    Other {
        /// Details.
        detail: String,
    },
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsFailure::Untrusted { .. } => f.write_str("certificate not trusted"),
            TlsFailure::NameMismatch { .. } => f.write_str("certificate name mismatch"),
            TlsFailure::CertificateChanged { .. } => f.write_str("certificate changed"),
            TlsFailure::Expired => f.write_str("certificate expired"),
            TlsFailure::Other { detail } => write!(f, "tls error: {detail}"),
        }
    }
}

/// Why a candidate was not tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Local connections of servers you do not own only hang.
    SharedLocalAddress,
    /// The server requires secure connections.
    HttpNotAllowed,
    /// Another candidate already won.
    AnotherRouteWon,
    /// The caller cancelled the race.
    Cancelled,
    /// Plain http not used because of the "allow insecure connections" setting (remote http
    /// routes need `always`; `never` refuses every http route).
    InsecureNotAllowed {
        /// The setting in force.
        setting: AllowInsecure,
    },
    /// A local route that could be anyone's on another network (plain http, or a self-signed
    /// certificate never pinned before): plex.tv does not see this device on the server's
    /// network, so it was probed without the token and not used.
    NotOnServerNetwork,
    /// Another route to the same address presented a changed certificate: every route to that
    /// address was abandoned for this attempt.
    CertificateChangedOnHost,
    /// The URI could not be used.
    BadUri {
        /// Why.
        detail: String,
    },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::SharedLocalAddress => {
                f.write_str("local address of a server shared with you")
            }
            SkipReason::HttpNotAllowed => {
                f.write_str("http not allowed: server requires secure connections")
            }
            SkipReason::AnotherRouteWon => f.write_str("cancelled: another route won"),
            SkipReason::Cancelled => f.write_str("cancelled"),
            SkipReason::InsecureNotAllowed { setting } => write!(
                f,
                "unencrypted route not used: allow insecure connections is set to {setting}"
            ),
            SkipReason::NotOnServerNetwork => f.write_str(
                "local route not used: plex.tv does not see this device on the server's network",
            ),
            SkipReason::CertificateChangedOnHost => {
                f.write_str("abandoned: this address presented a changed certificate")
            }
            SkipReason::BadUri { detail } => write!(f, "unusable address: {detail}"),
        }
    }
}

/// The outcome of one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Not finished yet (only seen in live progress).
    Trying,
    /// Reached the right server and the token was accepted.
    Connected {
        /// Time to a verified `/identity` answer.
        latency_ms: u64,
    },
    /// Reached the right server (identity verified) but another route was chosen.
    Reachable {
        /// Time to a verified `/identity` answer.
        latency_ms: u64,
    },
    /// No answer in time.
    TimedOut {
        /// The timeout that ran out.
        after_ms: u64,
    },
    /// Connection refused.
    Refused,
    /// The host name did not resolve.
    NameNotResolved,
    /// The TLS handshake failed.
    Tls {
        /// Why.
        failure: TlsFailure,
    },
    /// A different Plex server answered.
    WrongServer {
        /// The machine identifier that answered (if any).
        machine_identifier: Option<String>,
    },
    /// The server answered with an HTTP error status.
    HttpStatus {
        /// The status.
        status: u16,
    },
    /// The token was refused on this connection.
    Unauthorized,
    /// The server answered with a redirect, which is never followed (the token would go along).
    Redirected {
        /// The host the redirect pointed to, when it named one.
        to_host: Option<String>,
    },
    /// The answer was not what a Plex server says.
    InvalidResponse {
        /// Details.
        detail: String,
    },
    /// Another network error (reset, unreachable network...).
    NetworkError {
        /// Details.
        detail: String,
    },
    /// Not tried.
    Skipped {
        /// Why.
        reason: SkipReason,
    },
}

impl Outcome {
    /// True for [`Outcome::Connected`].
    pub fn is_connected(&self) -> bool {
        matches!(self, Outcome::Connected { .. })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Trying => f.write_str("trying"),
            Outcome::Connected { latency_ms } => write!(f, "connected in {latency_ms} ms"),
            Outcome::Reachable { latency_ms } => write!(f, "reachable in {latency_ms} ms"),
            Outcome::TimedOut { after_ms } => write!(f, "timed out after {after_ms} ms"),
            Outcome::Refused => f.write_str("connection refused"),
            Outcome::NameNotResolved => f.write_str("name not resolved"),
            Outcome::Tls { failure } => write!(f, "{failure}"),
            Outcome::WrongServer { machine_identifier } => match machine_identifier {
                Some(m) => write!(f, "wrong server answered ({m})"),
                None => f.write_str("wrong server answered"),
            },
            Outcome::HttpStatus { status } => write!(f, "http {status}"),
            Outcome::Unauthorized => f.write_str("token refused"),
            Outcome::Redirected { to_host } => write!(
                f,
                "redirected to {}: not followed",
                to_host.as_deref().unwrap_or("an unknown host")
            ),
            Outcome::InvalidResponse { detail } => write!(f, "invalid response: {detail}"),
            Outcome::NetworkError { detail } => write!(f, "network error: {detail}"),
            Outcome::Skipped { reason } => write!(f, "skipped: {reason}"),
        }
    }
}

/// One candidate and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateReport {
    /// Position in the priority order (0 is best).
    pub rank: usize,
    /// The URI tried (no token, ever).
    pub uri: String,
    /// When the candidate connects straight to an IP while verifying the plex.direct name.
    pub direct_ip: Option<String>,
    /// Local, remote or relay.
    pub locality: Locality,
    /// Verified https, pinned https or http.
    pub security: Security,
    /// What happened.
    pub outcome: Outcome,
}

/// Every candidate's outcome, in priority order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The server's name.
    pub server: String,
    /// The server's machine identifier.
    pub machine_identifier: String,
    /// The candidates, best-ranked first.
    pub candidates: Vec<CandidateReport>,
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no connection to {} worked", self.server)?;
        for c in &self.candidates {
            write!(f, "; {}", c.uri)?;
            if let Some(ip) = &c.direct_ip {
                write!(f, " via {ip}")?;
            }
            write!(f, ": {}", c.outcome)?;
        }
        Ok(())
    }
}

/// A live progress event of a race.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaceEvent {
    /// The candidate's rank (index into the final diagnosis).
    pub rank: usize,
    /// The candidate's URI.
    pub uri: String,
    /// Its new state.
    pub outcome: Outcome,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_for_the_ui() {
        let o = Outcome::Skipped {
            reason: SkipReason::SharedLocalAddress,
        };
        let j = serde_json::to_value(&o).unwrap();
        assert_eq!(j["outcome"], "skipped");
        assert_eq!(j["reason"], "shared_local_address");
        assert_eq!(
            o.to_string(),
            "skipped: local address of a server shared with you"
        );
        let o = Outcome::Tls {
            failure: TlsFailure::CertificateChanged {
                expected: CertFingerprint::parse("AA:bb").unwrap(),
                got: CertFingerprint::parse("cc").unwrap(),
            },
        };
        let j = serde_json::to_value(&o).unwrap();
        assert_eq!(j["failure"]["reason"], "certificate_changed");
        assert_eq!(j["failure"]["expected"], "aabb");
        let back: Outcome = serde_json::from_value(j).unwrap();
        assert_eq!(back, o);
    }
}
