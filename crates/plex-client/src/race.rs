//! Connection racing: candidates, their order, probing `/identity` without a token, confirming
//! the winner with the token, and the diagnosis of every candidate.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;
use url::{Host, Url};

use crate::client::{NameNotResolved, PlexClient};
use crate::config::{endpoints, TOKEN_HEADER};
use crate::diagnosis::{
    CandidateReport, Diagnosis, Locality, Outcome, RaceEvent, Security, SkipReason, TlsFailure,
};
use crate::error::{Error, Result};
use crate::http::{check_status, describe, read_body, Fetched};
use crate::lenient;
use crate::resources::Server;
use crate::server::ServerConnection;
use crate::tls::{is_private_address, CertPin, CertPins, CertPolicy, TlsRecorder};
use crate::token::Token;

/// Largest `/identity` body accepted.
const IDENTITY_CAP: usize = 64 * 1024;

/// Options of [`PlexClient::connect`].
#[derive(Clone, Default)]
pub struct ConnectOptions {
    /// Pinned certificate fingerprints by place (`host:port`).
    pub pins: CertPins,
    /// A connection URI that worked before: tried first with a short timeout.
    pub remembered: Option<String>,
    /// Cancels the race.
    pub cancel: CancellationToken,
    /// Live progress of every candidate (trying → outcome).
    pub on_event: Option<Arc<dyn Fn(RaceEvent) + Send + Sync>>,
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("pins", &self.pins)
            .field("remembered", &self.remembered)
            .field("cancelled", &self.cancel.is_cancelled())
            .field("on_event", &self.on_event.is_some())
            .finish()
    }
}

/// How a race was won.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RaceReport {
    /// The winning URI (remember it for the fast path).
    pub uri: String,
    /// The IP connected to when the winner was a plex.direct name reached directly.
    pub direct_ip: Option<String>,
    /// Local, remote or relay.
    pub locality: Locality,
    /// How the winner is secured.
    pub security: Security,
    /// Time to the winner's verified `/identity`.
    pub latency_ms: u64,
    /// A new certificate pin to store (self-signed certificate accepted for the first time).
    pub new_pin: Option<CertPin>,
    /// Won by the remembered connection without a full race.
    pub fast_path: bool,
    /// Every candidate's outcome.
    pub diagnosis: Diagnosis,
}

/// A connected server and how it was reached.
#[derive(Debug, Clone)]
pub struct Connected {
    /// The API handle (token inside, never shown).
    pub connection: ServerConnection,
    /// The race's report.
    pub report: RaceReport,
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
    pub skip: Option<SkipReason>,
    /// Original position in the listing (for a stable order).
    order: usize,
}

impl Candidate {
    fn report(&self, rank: usize) -> CandidateReport {
        CandidateReport {
            rank,
            uri: self.uri.clone(),
            direct_ip: self.direct_ip.map(|ip| ip.to_string()),
            locality: self.locality,
            security: self.security,
            outcome: match &self.skip {
                Some(r) => Outcome::Skipped { reason: r.clone() },
                None => Outcome::Trying,
            },
        }
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

/// Every candidate for `server`, in priority order (skipped ones included, with the reason).
pub(crate) fn candidates(server: &Server, pins: &CertPins) -> Vec<Candidate> {
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
        let (security, policy) = if !https {
            (Security::Http, CertPolicy::Verify)
        } else if host_ip.is_some_and(is_private_address) && c.local && server.owned {
            (
                Security::PinnedHttps,
                CertPolicy::AllowSelfSigned {
                    pinned: pins.get(&place).cloned(),
                },
            )
        } else {
            (Security::VerifiedHttps, CertPolicy::Verify)
        };
        let skip = if c.local && !server.owned {
            Some(SkipReason::SharedLocalAddress)
        } else if server.https_required && !https && !(c.local && server.owned) {
            Some(SkipReason::HttpNotAllowed)
        } else {
            None
        };
        let cand = Candidate {
            uri: c.uri.trim().trim_end_matches('/').to_string(),
            base,
            host: host_str.clone(),
            place,
            locality,
            security,
            direct_ip: None,
            policy,
            skip,
            order,
        };
        let direct = if https && cand.skip.is_none() {
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
        skip: Some(SkipReason::BadUri {
            detail: detail.to_string(),
        }),
        order,
    }
}

#[derive(Deserialize)]
struct IdentityBody {
    #[serde(default, rename = "MediaContainer")]
    container: Option<IdentityContainer>,
}

#[derive(Deserialize)]
struct IdentityContainer {
    #[serde(
        default,
        rename = "machineIdentifier",
        deserialize_with = "lenient::opt_string"
    )]
    machine_identifier: Option<String>,
}

/// A candidate that proved the right identity.
struct Passed {
    client: reqwest::Client,
    recorder: Arc<TlsRecorder>,
    latency: Duration,
}

type ProbeFut = Pin<Box<dyn Future<Output = (usize, std::result::Result<Passed, Outcome>)> + Send>>;
type ConfirmFut = Pin<Box<dyn Future<Output = (usize, Passed, Option<Outcome>)> + Send>>;

/// Maps a send error to an outcome, using what the TLS verifier saw.
fn send_outcome(e: reqwest::Error, rec: &TlsRecorder, timeout: Duration) -> Outcome {
    if e.is_timeout() {
        return Outcome::TimedOut {
            after_ms: timeout.as_millis() as u64,
        };
    }
    if let Some(failure) = rec.snapshot().failure {
        return Outcome::Tls { failure };
    }
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = cur {
        if err.downcast_ref::<NameNotResolved>().is_some() {
            return Outcome::NameNotResolved;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return Outcome::Refused;
            }
            if io.kind() == std::io::ErrorKind::TimedOut {
                return Outcome::TimedOut {
                    after_ms: timeout.as_millis() as u64,
                };
            }
        }
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Outcome::Tls {
                failure: TlsFailure::Other {
                    detail: tls.to_string(),
                },
            };
        }
        cur = err.source();
    }
    let detail = describe(&e.without_url());
    if detail.contains("dns error") {
        return Outcome::NameNotResolved;
    }
    Outcome::NetworkError { detail }
}

fn error_outcome(e: Error) -> Outcome {
    match e {
        Error::Unauthorized => Outcome::Unauthorized,
        Error::Server { status } => Outcome::HttpStatus { status },
        Error::NotFound { .. } => Outcome::HttpStatus { status: 404 },
        Error::RateLimited { .. } => Outcome::HttpStatus { status: 429 },
        Error::InvalidResponse { detail, .. } => Outcome::InvalidResponse { detail },
        Error::TimedOut => Outcome::TimedOut { after_ms: 0 },
        Error::Network(detail) => Outcome::NetworkError { detail },
        other => Outcome::NetworkError {
            detail: other.to_string(),
        },
    }
}

impl PlexClient {
    /// A reqwest client for one candidate: its TLS policy, DNS override and timeouts.
    fn candidate_client(&self, cand: &Candidate) -> Result<(reqwest::Client, Arc<TlsRecorder>)> {
        let inner = &self.inner;
        let (tls, recorder) = inner.trust.client_config(cand.policy.clone())?;
        let mut b = reqwest::Client::builder()
            .default_headers(inner.cfg.plex_headers())
            .tls_backend_preconfigured(tls)
            .dns_resolver(inner.resolver.clone())
            .connect_timeout(inner.cfg.timeouts.connect)
            .no_proxy()
            .http1_only();
        if let Some(ip) = cand.direct_ip {
            b = b.resolve(&cand.host, SocketAddr::new(ip, 0));
        }
        let client = b
            .build()
            .map_err(|e| Error::Config(format!("http client: {e}")))?;
        Ok((client, recorder))
    }

    /// `GET /identity` without a token; passes only when the machine identifier matches.
    fn probe(&self, rank: usize, cand: Candidate, expected: String, timeout: Duration) -> ProbeFut {
        let this = self.clone();
        Box::pin(async move {
            let (client, recorder) = match this.candidate_client(&cand) {
                Ok(c) => c,
                Err(e) => {
                    return (
                        rank,
                        Err(Outcome::NetworkError {
                            detail: e.to_string(),
                        }),
                    )
                }
            };
            let started = Instant::now();
            let url = format!("{}{}", cand.base, endpoints::IDENTITY);
            let work = async {
                let resp = client
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| send_outcome(e, &recorder, timeout))?;
                let status = resp.status();
                let body = read_body(resp, endpoints::IDENTITY, IDENTITY_CAP)
                    .await
                    .map_err(error_outcome)?;
                if !status.is_success() {
                    return Err(Outcome::HttpStatus {
                        status: status.as_u16(),
                    });
                }
                let id: IdentityBody =
                    serde_json::from_slice(&body).map_err(|e| Outcome::InvalidResponse {
                        detail: e.to_string(),
                    })?;
                let mid = id.container.and_then(|c| c.machine_identifier);
                if mid.as_deref() != Some(expected.as_str()) {
                    return Err(Outcome::WrongServer {
                        machine_identifier: mid,
                    });
                }
                Ok(())
            };
            let r = match tokio::time::timeout(timeout, work).await {
                Ok(Ok(())) => Ok(Passed {
                    client,
                    recorder,
                    latency: started.elapsed(),
                }),
                Ok(Err(Outcome::TimedOut { .. })) | Err(_) => Err(Outcome::TimedOut {
                    after_ms: timeout.as_millis() as u64,
                }),
                Ok(Err(o)) => Err(o),
            };
            (rank, r)
        })
    }

    /// Sends the token to a candidate that proved its identity (`/library/sections`).
    fn confirm(&self, rank: usize, cand: &Candidate, passed: Passed, token: Token) -> ConfirmFut {
        let timeout = self.inner.cfg.timeouts.confirm;
        let cap = self.inner.cfg.limits.max_body_bytes;
        let url = format!("{}{}", cand.base, endpoints::SECTIONS);
        Box::pin(async move {
            let mut req = passed.client.get(url);
            if let Some(v) = token.header_value() {
                req = req.header(TOKEN_HEADER, v);
            }
            let work = async {
                let resp = req
                    .send()
                    .await
                    .map_err(|e| send_outcome(e, &passed.recorder, timeout))?;
                let status = resp.status();
                let headers = resp.headers().clone();
                let body = read_body(resp, endpoints::SECTIONS, cap)
                    .await
                    .map_err(error_outcome)?;
                let f = Fetched {
                    status,
                    headers,
                    body,
                };
                check_status(&f, endpoints::SECTIONS).map_err(error_outcome)?;
                serde_json::from_slice::<serde::de::IgnoredAny>(&f.body).map_err(|e| {
                    Outcome::InvalidResponse {
                        detail: e.to_string(),
                    }
                })?;
                Ok(())
            };
            let outcome = match tokio::time::timeout(timeout, work).await {
                Ok(Ok(())) => None,
                Ok(Err(o)) => Some(o),
                Err(_) => Some(Outcome::TimedOut {
                    after_ms: timeout.as_millis() as u64,
                }),
            };
            (rank, passed, outcome)
        })
    }

    /// Finds the best working connection of `server` and returns a handle to it.
    ///
    /// Tries `opts.remembered` first (short timeout), then races every candidate: direct ones
    /// at once, relays after [`crate::RaceConfig::relay_delay`] or when all direct ones failed.
    /// The token goes only to a candidate whose `/identity` matched.
    pub async fn connect(
        &self,
        server: &Server,
        account: &Token,
        opts: &ConnectOptions,
    ) -> Result<Connected> {
        let token = server.token_for(account).ok_or(Error::Unauthorized)?;
        let all = candidates(server, &opts.pins);
        if let Some(remembered) = &opts.remembered {
            let want = remembered.trim().trim_end_matches('/');
            let fast: Vec<(usize, Candidate)> = all
                .iter()
                .enumerate()
                .filter(|(_, c)| c.skip.is_none() && c.uri == want)
                .map(|(i, c)| (i, c.clone()))
                .collect();
            if !fast.is_empty() {
                let t = self.inner.cfg.timeouts.fast_path;
                match self.race(server, &token, fast, t, opts, true).await {
                    Ok(c) => return Ok(c),
                    Err(Error::Cancelled) => return Err(Error::Cancelled),
                    // The full race tries the remembered route again, with the others.
                    Err(_) => {}
                }
            }
        }
        let t = self.inner.cfg.timeouts.probe;
        let all = all.into_iter().enumerate().collect();
        self.race(server, &token, all, t, opts, false).await
    }

    /// Connects to a server given only its address and a token ("connect by URL and token").
    ///
    /// The server's identity is learnt first, without the token: a probe that expects no
    /// machine in particular is answered with the machine identifier of whatever answers.
    /// Then the ordinary race runs against that identity, so the token goes only to the
    /// machine that answered, after its identity checked out. The server is treated as owned:
    /// the user handed us its token, so a self-signed certificate on a private address is
    /// pinned as for any owned server.
    pub async fn connect_direct(
        &self,
        uri: &str,
        token: &Token,
        cancel: &CancellationToken,
    ) -> Result<Connected> {
        let url = Url::parse(uri).map_err(|e| Error::Config(format!("server address: {e}")))?;
        let host = url
            .host_str()
            .ok_or_else(|| Error::Config("server address has no host".into()))?
            .to_string();
        let local = match url.host() {
            Some(Host::Ipv4(ip)) => is_private_address(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => is_private_address(IpAddr::V6(ip)),
            _ => host == "localhost",
        };
        let mut server = Server {
            name: host.clone(),
            machine_identifier: String::new(),
            product: None,
            product_version: None,
            platform: None,
            owned: true,
            home: false,
            presence: true,
            https_required: false,
            relay: false,
            dns_rebinding_protection: false,
            owner_id: None,
            owner_name: None,
            public_address: None,
            access_token: None,
            connections: vec![crate::resources::Connection {
                protocol: url.scheme().to_string(),
                address: host,
                port: url.port_or_known_default(),
                uri: uri.trim_end_matches('/').to_string(),
                local,
                relay: false,
                ipv6: matches!(url.host(), Some(Host::Ipv6(_))),
            }],
        };
        let opts = ConnectOptions {
            cancel: cancel.clone(),
            ..ConnectOptions::default()
        };
        let first = self.connect(&server, token, &opts).await;
        let identity = match &first {
            Err(Error::Unreachable(diagnosis)) => {
                diagnosis.candidates.iter().find_map(|c| match &c.outcome {
                    Outcome::WrongServer {
                        machine_identifier: Some(id),
                    } if !id.is_empty() => Some(id.clone()),
                    _ => None,
                })
            }
            _ => None,
        };
        match identity {
            Some(identity) => {
                server.machine_identifier = identity;
                self.connect(&server, token, &opts).await
            }
            // Nothing answered as a Plex server: that race's diagnosis says why.
            None => first,
        }
    }

    async fn race(
        &self,
        server: &Server,
        token: &Token,
        ranked: Vec<(usize, Candidate)>,
        probe_timeout: Duration,
        opts: &ConnectOptions,
        fast_path: bool,
    ) -> Result<Connected> {
        let emit = |r: &CandidateReport| {
            if let Some(cb) = &opts.on_event {
                cb(RaceEvent {
                    rank: r.rank,
                    uri: r.uri.clone(),
                    outcome: r.outcome.clone(),
                });
            }
        };
        // `rank` is the place in the full candidate list (the same in events and diagnosis,
        // also during the fast path); indexes below are positions in `cands`.
        let (ranks, cands): (Vec<usize>, Vec<Candidate>) = ranked.into_iter().unzip();
        let mut reports: Vec<CandidateReport> = cands
            .iter()
            .zip(&ranks)
            .map(|(c, &rank)| c.report(rank))
            .collect();
        let diagnosis = |reports: Vec<CandidateReport>| Diagnosis {
            server: server.name.clone(),
            machine_identifier: server.machine_identifier.clone(),
            candidates: reports,
        };
        for r in &reports {
            if matches!(r.outcome, Outcome::Skipped { .. }) {
                emit(r);
            }
        }
        let live: Vec<usize> = (0..cands.len())
            .filter(|&i| cands[i].skip.is_none())
            .collect();
        let (relays, direct): (Vec<usize>, Vec<usize>) = live
            .iter()
            .partition(|&&i| cands[i].locality == Locality::Relay);
        let expected = server.machine_identifier.clone();
        let cfg = self.inner.cfg.race;

        let mut probes: FuturesUnordered<ProbeFut> = FuturesUnordered::new();
        let mut pending: BTreeSet<usize> = BTreeSet::new();
        let start = |i: usize,
                     probes: &mut FuturesUnordered<ProbeFut>,
                     pending: &mut BTreeSet<usize>,
                     reports: &mut Vec<CandidateReport>| {
            probes.push(self.probe(i, cands[i].clone(), expected.clone(), probe_timeout));
            pending.insert(i);
            reports[i].outcome = Outcome::Trying;
            emit(&reports[i]);
        };
        for &i in &direct {
            start(i, &mut probes, &mut pending, &mut reports);
        }
        let mut relays_started = relays.is_empty();
        let relay_timer = tokio::time::sleep(if direct.is_empty() {
            Duration::ZERO
        } else {
            cfg.relay_delay
        });
        tokio::pin!(relay_timer);
        let mut passed: BTreeMap<usize, Passed> = BTreeMap::new();
        let mut window: Option<Pin<Box<tokio::time::Sleep>>> = None;
        let mut window_over = false;
        let mut confirming: Option<ConfirmFut> = None;

        loop {
            if !relays_started
                && !direct.iter().any(|i| pending.contains(i))
                && passed.is_empty()
                && confirming.is_none()
            {
                relays_started = true;
                for &i in &relays {
                    start(i, &mut probes, &mut pending, &mut reports);
                }
            }
            if confirming.is_none() {
                if let Some((&best, _)) = passed.iter().next() {
                    let better_pending = pending.iter().any(|&p| p < best)
                        || (!relays_started && relays.iter().any(|&r| r < best));
                    if !better_pending || window_over {
                        if let Some(p) = passed.remove(&best) {
                            confirming = Some(self.confirm(best, &cands[best], p, token.clone()));
                        }
                    } else if window.is_none() {
                        window = Some(Box::pin(tokio::time::sleep(cfg.settle_window)));
                    }
                }
            }
            if probes.is_empty() && confirming.is_none() && passed.is_empty() && relays_started {
                // The right server refused the token: signing in again is the fix.
                if reports.iter().any(|r| r.outcome == Outcome::Unauthorized) {
                    return Err(Error::Unauthorized);
                }
                return Err(Error::Unreachable(Box::new(diagnosis(reports))));
            }
            tokio::select! {
                biased;
                _ = opts.cancel.cancelled() => {
                    for i in pending.iter().copied().chain(passed.keys().copied()) {
                        reports[i].outcome = Outcome::Skipped { reason: SkipReason::Cancelled };
                        emit(&reports[i]);
                    }
                    return Err(Error::Cancelled);
                }
                Some((i, p, failure)) = async { match confirming.as_mut() { Some(f) => Some(f.await), None => None } }, if confirming.is_some() => {
                    confirming = None;
                    let latency_ms = p.latency.as_millis() as u64;
                    if let Some(o) = failure {
                        reports[i].outcome = o;
                        emit(&reports[i]);
                        continue;
                    }
                    reports[i].outcome = Outcome::Connected { latency_ms };
                    emit(&reports[i]);
                    for j in pending.iter().copied() {
                        reports[j].outcome = Outcome::Skipped { reason: SkipReason::AnotherRouteWon };
                        emit(&reports[j]);
                    }
                    for (j, q) in &passed {
                        reports[*j].outcome = Outcome::Reachable { latency_ms: q.latency.as_millis() as u64 };
                        emit(&reports[*j]);
                    }
                    if !relays_started {
                        for &j in &relays {
                            reports[j].outcome = Outcome::Skipped { reason: SkipReason::AnotherRouteWon };
                            emit(&reports[j]);
                        }
                    }
                    drop(probes);
                    let cand = &cands[i];
                    let new_pin = match (&cand.policy, p.recorder.snapshot().accepted_unverified) {
                        (CertPolicy::AllowSelfSigned { pinned }, Some(fp)) if pinned.as_ref() != Some(&fp) => {
                            Some(CertPin { place: cand.place.clone(), sha256: fp })
                        }
                        _ => None,
                    };
                    let connection = ServerConnection::new(
                        p.client,
                        cand.base.clone(),
                        token.clone(),
                        server,
                        self.inner.cfg.timeouts,
                        self.inner.cfg.limits,
                    );
                    let report = RaceReport {
                        uri: cand.uri.clone(),
                        direct_ip: cand.direct_ip.map(|ip| ip.to_string()),
                        locality: cand.locality,
                        security: cand.security,
                        latency_ms,
                        new_pin,
                        fast_path,
                        diagnosis: diagnosis(reports),
                    };
                    return Ok(Connected { connection, report });
                }
                Some((i, r)) = probes.next(), if !probes.is_empty() => {
                    pending.remove(&i);
                    match r {
                        Ok(p) => {
                            reports[i].outcome = Outcome::Reachable { latency_ms: p.latency.as_millis() as u64 };
                            passed.insert(i, p);
                        }
                        Err(o) => reports[i].outcome = o,
                    }
                    emit(&reports[i]);
                }
                _ = &mut relay_timer, if !relays_started => {
                    relays_started = true;
                    for &i in &relays {
                        start(i, &mut probes, &mut pending, &mut reports);
                    }
                }
                _ = async { match window.as_mut() { Some(w) => w.await, None => std::future::pending().await } }, if window.is_some() && !window_over => {
                    window_over = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Connection;

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

    #[test]
    fn order_and_skips() {
        let c = candidates(&server(true, true), &CertPins::new());
        let v: Vec<(String, Option<String>, Option<SkipReason>)> = c
            .iter()
            .map(|c| {
                (
                    c.uri.clone(),
                    c.direct_ip.map(|i| i.to_string()),
                    c.skip.clone(),
                )
            })
            .collect();
        assert_eq!(
            v,
            vec![
                (
                    "https://192-168-1-5.abc.plex.direct:32400".into(),
                    None,
                    None
                ),
                (
                    "https://192-168-1-5.abc.plex.direct:32400".into(),
                    Some("192.168.1.5".into()),
                    None
                ),
                ("https://192.168.1.5:32400".into(), None, None),
                ("http://192.168.1.5:32400".into(), None, None),
                ("https://1-2-3-4.abc.plex.direct:32400".into(), None, None),
                (
                    "https://1-2-3-4.abc.plex.direct:32400".into(),
                    Some("1.2.3.4".into()),
                    None
                ),
                (
                    "http://1.2.3.4:32400".into(),
                    None,
                    Some(SkipReason::HttpNotAllowed)
                ),
                ("https://5-6-7-8.abc.plex.direct:8443".into(), None, None),
                (
                    "https://5-6-7-8.abc.plex.direct:8443".into(),
                    Some("5.6.7.8".into()),
                    None
                ),
            ]
        );
        assert_eq!(c[2].security, Security::PinnedHttps);
        // Shared: local ones skipped, remote http allowed when https is not required.
        let c = candidates(&server(false, false), &CertPins::new());
        assert!(c
            .iter()
            .filter(|c| c.locality == Locality::Local)
            .all(|c| c.skip == Some(SkipReason::SharedLocalAddress)));
        assert!(c
            .iter()
            .any(|c| c.uri == "http://1.2.3.4:32400" && c.skip.is_none()));
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
