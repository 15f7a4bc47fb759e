//! The candidates of a race: every listed connection, in priority order, and the rules that
//! decide whether a route may ever receive the token.
//!
//! The rules (issue 10):
//! - plain http gets the token only under [`AllowInsecure::Always`], or under
//!   [`AllowInsecure::SameNetwork`] (the default) for a private address listed as `local` on a
//!   server you own while plex.tv says this device is on the server's network
//!   (`publicAddressMatches`); never when the server requires secure connections;
//! - a self-signed certificate is accepted (and pinned) only on a private address listed as
//!   `local` on a server you own, and gets the token only on the server's network or when a
//!   pin for that place is on record;
//! - local routes of servers shared with you are never contacted;
//! - verified https (plex.direct names checked against their certificate) races everywhere.
//!
//! Local http and self-signed routes that fail only the network rule are probed without the
//! token so the diagnosis can say what is there, and never used.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::config::AllowInsecure;
use crate::diagnosis::{CandidateReport, Locality, Outcome, Security, SkipReason};
use crate::resources::{Connection, Server};
use crate::tls::{is_private_address, CertPins, CertPolicy};

/// What the race may do with a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Use {
    /// Probe it and, once its identity checks out, it may receive the token.
    Race,
    /// Probe `/identity` without the token, for the diagnosis; never send it the token.
    ProbeOnly(SkipReason),
    /// Do not contact it at all.
    Skip(SkipReason),
}

/// One way to reach the server.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub uri: String,
    pub base: String,
    pub host: String,
    pub place: String,
    pub locality: Locality,
    pub security: Security,
    pub direct_ip: Option<IpAddr>,
    pub policy: CertPolicy,
    pub use_: Use,
    /// Original position in the listing (for a stable order).
    order: usize,
}

impl Candidate {
    pub(crate) fn report(&self, rank: usize) -> CandidateReport {
        CandidateReport {
            rank,
            uri: self.uri.clone(),
            direct_ip: self.direct_ip.map(|ip| ip.to_string()),
            locality: self.locality,
            security: self.security,
            outcome: match &self.use_ {
                Use::Skip(r) => Outcome::Skipped { reason: r.clone() },
                _ => Outcome::Trying,
            },
        }
    }

    /// May receive the token once its identity checks out.
    pub(crate) fn races(&self) -> bool {
        self.use_ == Use::Race
    }

    /// Contacted at all (raced or probed for the diagnosis).
    pub(crate) fn probed(&self) -> bool {
        !matches!(self.use_, Use::Skip(_))
    }

    pub(crate) fn is_http(&self) -> bool {
        self.security == Security::Http
    }
}

/// The IP encoded in the first label of a `*.plex.direct` name (dashes for dots, or for
/// colons in IPv6).
pub fn plex_direct_ip(host: &str) -> Option<IpAddr> {
    let host = host.to_ascii_lowercase();
    if !host.ends_with(".plex.direct") {
        return None;
    }
    let first = host.split('.').next()?;
    if let Ok(v4) = first.replace('-', ".").parse::<Ipv4Addr>() {
        return Some(IpAddr::V4(v4));
    }
    first
        .replace('-', ":")
        .parse::<Ipv6Addr>()
        .ok()
        .map(IpAddr::V6)
}

/// How a route is secured, how its certificate is judged and what the race may do with it.
fn rules(
    server: &Server,
    c: &Connection,
    https: bool,
    host_ip: Option<IpAddr>,
    place: &str,
    pins: &CertPins,
    allow: AllowInsecure,
) -> (Security, CertPolicy, Use) {
    // A private address listed as local on a server you own: the only place where a route
    // that proves nothing about its identity (plain http, self-signed certificate) may be ours.
    let ours_if_home = host_ip.is_some_and(is_private_address) && c.local && server.owned;
    let (security, policy) = if !https {
        (Security::Http, CertPolicy::Verify)
    } else if ours_if_home {
        (
            Security::PinnedHttps,
            CertPolicy::AllowSelfSigned {
                pinned: pins.get(place).cloned(),
            },
        )
    } else {
        (Security::VerifiedHttps, CertPolicy::Verify)
    };
    let use_ = if c.local && !server.owned {
        Use::Skip(SkipReason::SharedLocalAddress)
    } else if !https {
        if server.https_required {
            Use::Skip(SkipReason::HttpNotAllowed)
        } else {
            match allow {
                AllowInsecure::Never => {
                    Use::Skip(SkipReason::InsecureNotAllowed { setting: allow })
                }
                AllowInsecure::Always => Use::Race,
                AllowInsecure::SameNetwork if !ours_if_home => {
                    Use::Skip(SkipReason::InsecureNotAllowed { setting: allow })
                }
                AllowInsecure::SameNetwork if !server.public_address_matches => {
                    Use::ProbeOnly(SkipReason::NotOnServerNetwork)
                }
                AllowInsecure::SameNetwork => Use::Race,
            }
        }
    } else if security == Security::PinnedHttps
        && !server.public_address_matches
        && !pins.contains_key(place)
    {
        Use::ProbeOnly(SkipReason::NotOnServerNetwork)
    } else {
        Use::Race
    };
    (security, policy, use_)
}

/// Every candidate for `server`, in priority order (skipped ones included, with the reason).
pub(crate) fn candidates(server: &Server, pins: &CertPins, allow: AllowInsecure) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (order, c) in server.connections.iter().enumerate() {
        let locality = if c.relay {
            Locality::Relay
        } else if c.local {
            Locality::Local
        } else {
            Locality::Remote
        };
        let url = match Url::parse(c.uri.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
            Ok(_) => {
                out.push(bad_uri(&c.uri, locality, order, "not an http(s) url"));
                continue;
            }
            Err(e) => {
                out.push(bad_uri(&c.uri, locality, order, &e.to_string()));
                continue;
            }
        };
        let https = url.scheme() == "https";
        let host_str = url.host_str().unwrap_or_default().to_string();
        let port = url.port_or_known_default().unwrap_or(32400);
        let place = format!("{host_str}:{port}");
        let base = format!(
            "{}://{}",
            url.scheme(),
            if url.port().is_some() {
                place.clone()
            } else {
                host_str.clone()
            }
        );
        let host_ip = match url.host() {
            Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        let (security, policy, use_) = rules(server, c, https, host_ip, &place, pins, allow);
        let cand = Candidate {
            uri: c.uri.trim().trim_end_matches('/').to_string(),
            base,
            host: host_str.clone(),
            place,
            locality,
            security,
            direct_ip: None,
            policy,
            use_,
            order,
        };
        let direct = if https && cand.probed() {
            plex_direct_ip(&host_str)
        } else {
            None
        };
        out.push(cand.clone());
        if let Some(ip) = direct {
            out.push(Candidate {
                direct_ip: Some(ip),
                ..cand
            });
        }
    }
    out.sort_by_key(|c| (c.locality, c.security, c.order, c.direct_ip.is_some()));
    out
}

fn bad_uri(uri: &str, locality: Locality, order: usize, detail: &str) -> Candidate {
    Candidate {
        uri: uri.to_string(),
        base: String::new(),
        host: String::new(),
        place: String::new(),
        locality,
        security: Security::Http,
        direct_ip: None,
        policy: CertPolicy::Verify,
        use_: Use::Skip(SkipReason::BadUri {
            detail: detail.to_string(),
        }),
        order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::CertFingerprint;

    fn conn(uri: &str, local: bool, relay: bool) -> Connection {
        Connection {
            protocol: uri.split(':').next().unwrap_or_default().into(),
            address: String::new(),
            port: None,
            uri: uri.into(),
            local,
            relay,
            ipv6: false,
        }
    }

    fn server(owned: bool, https_required: bool) -> Server {
        Server {
            name: "s".into(),
            machine_identifier: "m".into(),
            product: None,
            product_version: None,
            platform: None,
            owned,
            home: false,
            presence: true,
            https_required,
            relay: true,
            dns_rebinding_protection: false,
            owner_id: None,
            owner_name: None,
            public_address: None,
            public_address_matches: true,
            access_token: None,
            connections: vec![
                conn("https://5-6-7-8.abc.plex.direct:8443", false, true),
                conn("http://192.168.1.5:32400", true, false),
                conn("https://192.168.1.5:32400", true, false),
                conn("https://192-168-1-5.abc.plex.direct:32400", true, false),
                conn("https://1-2-3-4.abc.plex.direct:32400", false, false),
                conn("http://1.2.3.4:32400", false, false),
            ],
        }
    }

    fn uses(c: &[Candidate]) -> Vec<(String, Option<String>, Use)> {
        c.iter()
            .map(|c| {
                (
                    c.uri.clone(),
                    c.direct_ip.map(|i| i.to_string()),
                    c.use_.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn order_and_skips() {
        let c = candidates(&server(true, true), &CertPins::new(), AllowInsecure::Always);
        assert_eq!(
            uses(&c),
            vec![
                (
                    "https://192-168-1-5.abc.plex.direct:32400".into(),
                    None,
                    Use::Race
                ),
                (
                    "https://192-168-1-5.abc.plex.direct:32400".into(),
                    Some("192.168.1.5".into()),
                    Use::Race
                ),
                ("https://192.168.1.5:32400".into(), None, Use::Race),
                // httpsRequired: no http at all, even local, even with "always".
                (
                    "http://192.168.1.5:32400".into(),
                    None,
                    Use::Skip(SkipReason::HttpNotAllowed)
                ),
                (
                    "https://1-2-3-4.abc.plex.direct:32400".into(),
                    None,
                    Use::Race
                ),
                (
                    "https://1-2-3-4.abc.plex.direct:32400".into(),
                    Some("1.2.3.4".into()),
                    Use::Race
                ),
                (
                    "http://1.2.3.4:32400".into(),
                    None,
                    Use::Skip(SkipReason::HttpNotAllowed)
                ),
                (
                    "https://5-6-7-8.abc.plex.direct:8443".into(),
                    None,
                    Use::Race
                ),
                (
                    "https://5-6-7-8.abc.plex.direct:8443".into(),
                    Some("5.6.7.8".into()),
                    Use::Race
                ),
            ]
        );
        assert_eq!(c[2].security, Security::PinnedHttps);
        // Shared: local ones skipped; remote http only with "always".
        let c = candidates(
            &server(false, false),
            &CertPins::new(),
            AllowInsecure::Always,
        );
        assert!(c
            .iter()
            .filter(|c| c.locality == Locality::Local)
            .all(|c| c.use_ == Use::Skip(SkipReason::SharedLocalAddress)));
        assert!(c
            .iter()
            .any(|c| c.uri == "http://1.2.3.4:32400" && c.races()));
    }

    fn use_of(c: &[Candidate], uri: &str) -> Use {
        c.iter()
            .find(|c| c.uri == uri && c.direct_ip.is_none())
            .map(|c| c.use_.clone())
            .unwrap_or_else(|| panic!("no {uri}"))
    }

    #[test]
    fn insecure_setting() {
        let s = server(true, false);
        let pins = CertPins::new();
        let remote_http = "http://1.2.3.4:32400";
        let local_http = "http://192.168.1.5:32400";
        let c = candidates(&s, &pins, AllowInsecure::SameNetwork);
        assert_eq!(
            use_of(&c, remote_http),
            Use::Skip(SkipReason::InsecureNotAllowed {
                setting: AllowInsecure::SameNetwork
            })
        );
        assert_eq!(use_of(&c, local_http), Use::Race);
        let c = candidates(&s, &pins, AllowInsecure::Never);
        for uri in [remote_http, local_http] {
            assert_eq!(
                use_of(&c, uri),
                Use::Skip(SkipReason::InsecureNotAllowed {
                    setting: AllowInsecure::Never
                })
            );
        }
        let c = candidates(&s, &pins, AllowInsecure::Always);
        assert_eq!(use_of(&c, remote_http), Use::Race);
        // A "local" http route on a public address is not ours to trust.
        let mut s2 = server(true, false);
        s2.connections = vec![conn("http://203.0.113.5:32400", true, false)];
        let c = candidates(&s2, &pins, AllowInsecure::SameNetwork);
        assert!(matches!(
            use_of(&c, "http://203.0.113.5:32400"),
            Use::Skip(SkipReason::InsecureNotAllowed { .. })
        ));
    }

    #[test]
    fn wrong_network() {
        let mut s = server(true, false);
        s.public_address_matches = false;
        let c = candidates(&s, &CertPins::new(), AllowInsecure::SameNetwork);
        assert_eq!(
            use_of(&c, "http://192.168.1.5:32400"),
            Use::ProbeOnly(SkipReason::NotOnServerNetwork)
        );
        assert_eq!(
            use_of(&c, "https://192.168.1.5:32400"),
            Use::ProbeOnly(SkipReason::NotOnServerNetwork)
        );
        // Verified TLS is safe on any network.
        assert_eq!(
            use_of(&c, "https://192-168-1-5.abc.plex.direct:32400"),
            Use::Race
        );
        // A pin on record for that place: the certificate proves it is the same server.
        let mut pins = CertPins::new();
        pins.insert(
            "192.168.1.5:32400".into(),
            CertFingerprint::parse("ab").unwrap(),
        );
        let c = candidates(&s, &pins, AllowInsecure::SameNetwork);
        assert_eq!(use_of(&c, "https://192.168.1.5:32400"), Use::Race);
        assert_eq!(
            use_of(&c, "http://192.168.1.5:32400"),
            Use::ProbeOnly(SkipReason::NotOnServerNetwork)
        );
    }

    /// The self-signed acceptance rule needs all three: a private address, `local`, owned.
    #[test]
    fn self_signed_only_on_private_local_owned() {
        let policy = |owned: bool, uri: &str, local: bool| {
            let mut s = server(owned, false);
            s.connections = vec![conn(uri, local, false)];
            let c = candidates(&s, &CertPins::new(), AllowInsecure::SameNetwork);
            (c[0].security, c[0].policy.clone())
        };
        let pinned = (
            Security::PinnedHttps,
            CertPolicy::AllowSelfSigned { pinned: None },
        );
        let verify = (Security::VerifiedHttps, CertPolicy::Verify);
        assert_eq!(policy(true, "https://192.168.1.5:32400", true), pinned);
        assert_eq!(policy(true, "https://[fd00::5]:32400", true), pinned);
        // A "local" route on a public address.
        assert_eq!(policy(true, "https://203.0.113.5:32400", true), verify);
        assert_eq!(policy(true, "https://[2001:db8::5]:32400", true), verify);
        // Not listed as local.
        assert_eq!(policy(true, "https://192.168.1.5:32400", false), verify);
        // A server shared with you.
        assert_eq!(policy(false, "https://192.168.1.5:32400", false), verify);
        // A host name is never a private address.
        assert_eq!(policy(true, "https://nas.lan:32400", true), verify);
    }

    /// Only http(s) URLs with a host are raced; anything else is skipped with the reason and
    /// never contacted.
    #[test]
    fn uris_that_are_not_http_urls_are_skipped() {
        let mut s = server(true, false);
        s.connections = vec![
            conn("ftp://1.2.3.4:21", false, false),
            conn("unix:/run/plex.sock", true, false),
            conn("not a uri", true, false),
            conn("https://1.2.3.4:32400", false, false),
        ];
        let c = candidates(&s, &CertPins::new(), AllowInsecure::Always);
        let bad = |uri: &str| match use_of(&c, uri) {
            Use::Skip(SkipReason::BadUri { detail }) => detail,
            other => panic!("{uri}: {other:?}"),
        };
        assert_eq!(bad("ftp://1.2.3.4:21"), "not an http(s) url");
        assert_eq!(bad("unix:/run/plex.sock"), "not an http(s) url");
        assert!(!bad("not a uri").is_empty());
        assert_eq!(use_of(&c, "https://1.2.3.4:32400"), Use::Race);
        assert_eq!(c.iter().filter(|c| c.probed()).count(), 1);
    }

    /// A plex.direct name gets a twin reached by the IP in its name only when it is https and
    /// contacted at all: never for plain http, never for a skipped route.
    #[test]
    fn direct_ip_twins_only_for_contacted_https_names() {
        let mut s = server(true, false);
        s.connections = vec![
            conn("http://1-2-3-4.abc.plex.direct:32400", false, false),
            conn("https://5-6-7-8.abc.plex.direct:32400", false, false),
        ];
        let c = candidates(&s, &CertPins::new(), AllowInsecure::Always);
        let twins: Vec<(String, String)> = c
            .iter()
            .filter_map(|c| Some((c.uri.clone(), c.direct_ip?.to_string())))
            .collect();
        assert_eq!(
            twins,
            vec![(
                "https://5-6-7-8.abc.plex.direct:32400".to_string(),
                "5.6.7.8".to_string()
            )]
        );
        // A server shared with you: its local plex.direct route is skipped, with no twin.
        let mut s = server(false, false);
        s.connections = vec![conn(
            "https://192-168-1-5.abc.plex.direct:32400",
            true,
            false,
        )];
        let c = candidates(&s, &CertPins::new(), AllowInsecure::Always);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].use_, Use::Skip(SkipReason::SharedLocalAddress));
    }

    #[test]
    fn plex_direct_ips() {
        assert_eq!(
            plex_direct_ip("127-0-0-3.abc.plex.direct"),
            Some("127.0.0.3".parse().unwrap())
        );
        assert_eq!(
            plex_direct_ip("2001-db8--1.abc.plex.direct"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(plex_direct_ip("example.com"), None);
        assert_eq!(plex_direct_ip("www.abc.plex.direct"), None);
    }
}
