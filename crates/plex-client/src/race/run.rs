//! The race loop: probes every candidate, picks the winner by the rules, confirms it with the
//! token and reports every candidate's outcome.
//!
//! Choosing the winner among candidates whose identity checked out:
//! - https always beats plain http, whatever the latency: an http route is confirmed only
//!   when no https candidate is still being probed or has passed;
//! - among https ones, the best-ranked wins, waiting at most `RaceConfig::settle_window` for
//!   a better-ranked one still in flight;
//! - a pinned certificate that changed abandons every route to that host for this race
//!   (plain http to the same address included).

use std::collections::{BTreeMap, BTreeSet};
use std::pin::Pin;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};

use super::candidates::{Candidate, Use};
use super::probe::{ConfirmFut, Passed, ProbeFut};
use super::{ConnectOptions, Connected, RaceReport};
use crate::client::PlexClient;
use crate::diagnosis::TlsFailure;
use crate::diagnosis::{CandidateReport, Diagnosis, Locality, Outcome, RaceEvent, SkipReason};
use crate::error::{Error, Result};
use crate::resources::Server;
use crate::server::ServerConnection;
use crate::tls::{CertPin, CertPolicy};
use crate::token::Token;

/// What woke the race loop.
enum Step {
    Cancelled,
    Confirmed(usize, Passed, Option<Outcome>),
    Probed(usize, std::result::Result<Passed, Outcome>),
    Relays,
    WindowOver,
}

/// One race's state. `ranks[i]` is candidate `i`'s place in the full candidate list (the same
/// in events and diagnosis, also during the fast path).
pub(super) struct Race<'a> {
    client: &'a PlexClient,
    server: &'a Server,
    token: &'a Token,
    opts: &'a ConnectOptions,
    fast_path: bool,
    probe_timeout: Duration,
    cands: Vec<Candidate>,
    reports: Vec<CandidateReport>,
    direct: Vec<usize>,
    relays: Vec<usize>,
    relays_started: bool,
    probes: FuturesUnordered<ProbeFut>,
    pending: BTreeSet<usize>,
    passed: BTreeMap<usize, Passed>,
    /// Candidates given up for this race (a changed certificate on their host).
    abandoned: BTreeSet<usize>,
    window: Option<Pin<Box<tokio::time::Sleep>>>,
    window_over: bool,
    confirming: Option<(usize, ConfirmFut)>,
}

impl<'a> Race<'a> {
    pub(super) fn new(
        client: &'a PlexClient,
        server: &'a Server,
        token: &'a Token,
        opts: &'a ConnectOptions,
        ranked: Vec<(usize, Candidate)>,
        probe_timeout: Duration,
        fast_path: bool,
    ) -> Self {
        let (ranks, cands): (Vec<usize>, Vec<Candidate>) = ranked.into_iter().unzip();
        let reports = cands
            .iter()
            .zip(&ranks)
            .map(|(c, &rank)| c.report(rank))
            .collect();
        let (relays, direct): (Vec<usize>, Vec<usize>) = (0..cands.len())
            .filter(|&i| cands[i].probed())
            .partition(|&i| cands[i].locality == Locality::Relay);
        Race {
            client,
            server,
            token,
            opts,
            fast_path,
            probe_timeout,
            relays_started: relays.is_empty(),
            cands,
            reports,
            direct,
            relays,
            probes: FuturesUnordered::new(),
            pending: BTreeSet::new(),
            passed: BTreeMap::new(),
            abandoned: BTreeSet::new(),
            window: None,
            window_over: false,
            confirming: None,
        }
    }

    fn emit(&self, i: usize) {
        if let Some(cb) = &self.opts.on_event {
            let r = &self.reports[i];
            cb(RaceEvent {
                rank: r.rank,
                uri: r.uri.clone(),
                outcome: r.outcome.clone(),
            });
        }
    }

    fn set(&mut self, i: usize, outcome: Outcome) {
        self.reports[i].outcome = outcome;
        self.emit(i);
    }

    fn start(&mut self, i: usize) {
        let expected = self.server.machine_identifier.clone();
        self.probes.push(
            self.client
                .probe(i, self.cands[i].clone(), expected, self.probe_timeout),
        );
        self.pending.insert(i);
        self.set(i, Outcome::Trying);
    }

    fn start_relays(&mut self) {
        self.relays_started = true;
        for i in self.relays.clone() {
            if !self.abandoned.contains(&i) {
                self.start(i);
            }
        }
    }

    fn diagnosis(&self) -> Diagnosis {
        Diagnosis {
            server: self.server.name.clone(),
            machine_identifier: self.server.machine_identifier.clone(),
            candidates: self.reports.clone(),
        }
    }

    /// An https candidate still being probed (and allowed to win).
    fn https_pending(&self, better_than: Option<usize>) -> bool {
        self.pending.iter().any(|&p| {
            self.cands[p].races() && !self.cands[p].is_http() && better_than.is_none_or(|b| p < b)
        })
    }

    /// The candidate to confirm now, if any (starting the settle window when waiting for a
    /// better-ranked https one).
    fn choose(&mut self) -> Option<usize> {
        let https = self
            .passed
            .keys()
            .copied()
            .find(|&i| !self.cands[i].is_http());
        if let Some(best) = https {
            // Relays rank after every direct route and are probed only once started, so a
            // relay not started yet is never better than a route that passed.
            let better_pending = self.https_pending(Some(best));
            if !better_pending || self.window_over {
                return Some(best);
            }
            if self.window.is_none() {
                let w = self.client.inner.cfg.race.settle_window;
                self.window = Some(Box::pin(tokio::time::sleep(w)));
            }
            return None;
        }
        // Plain http only when no https route can still win, whatever the latency.
        let http = self.passed.keys().next().copied()?;
        if self.https_pending(None) {
            return None;
        }
        Some(http)
    }

    /// A pinned certificate changed at `host`: every other route to that host is given up.
    fn abandon_host(&mut self, changed: usize) {
        let host = self.cands[changed].host.clone();
        let same: Vec<usize> = (0..self.cands.len())
            .filter(|&j| j != changed && self.cands[j].host == host && self.cands[j].probed())
            .collect();
        for j in same {
            if !self.abandoned.insert(j) {
                continue;
            }
            self.pending.remove(&j);
            self.passed.remove(&j);
            if self.confirming.as_ref().is_some_and(|(c, _)| *c == j) {
                self.confirming = None;
            }
            self.set(
                j,
                Outcome::Skipped {
                    reason: SkipReason::CertificateChangedOnHost,
                },
            );
        }
    }

    fn probed(&mut self, i: usize, r: std::result::Result<Passed, Outcome>) {
        self.pending.remove(&i);
        if self.abandoned.contains(&i) {
            return;
        }
        match r {
            Ok(p) => match self.cands[i].use_.clone() {
                Use::Race => {
                    self.passed.insert(i, p);
                    self.set(
                        i,
                        Outcome::Reachable {
                            latency_ms: self.passed[&i].latency.as_millis() as u64,
                        },
                    );
                }
                // Identity checked for the diagnosis; never sent the token.
                Use::ProbeOnly(reason) | Use::Skip(reason) => {
                    self.set(i, Outcome::Skipped { reason })
                }
            },
            Err(o) => {
                let changed = matches!(
                    &o,
                    Outcome::Tls {
                        failure: TlsFailure::CertificateChanged { .. }
                    }
                );
                self.set(i, o);
                if changed {
                    self.abandon_host(i);
                }
            }
        }
    }

    fn finished(&self) -> bool {
        self.probes.is_empty()
            && self.confirming.is_none()
            && self.passed.is_empty()
            && self.relays_started
    }

    fn cancelled(mut self) -> Error {
        let open: Vec<usize> = self
            .pending
            .iter()
            .chain(self.passed.keys())
            .copied()
            .collect();
        for i in open {
            self.set(
                i,
                Outcome::Skipped {
                    reason: SkipReason::Cancelled,
                },
            );
        }
        Error::Cancelled
    }

    fn won(mut self, i: usize, p: Passed) -> Connected {
        let latency_ms = p.latency.as_millis() as u64;
        self.set(i, Outcome::Connected { latency_ms });
        let rest: Vec<usize> = self.pending.iter().copied().collect();
        for j in rest {
            let reason = match &self.cands[j].use_ {
                Use::ProbeOnly(r) => r.clone(),
                _ => SkipReason::AnotherRouteWon,
            };
            self.set(j, Outcome::Skipped { reason });
        }
        let reachable: Vec<(usize, u64)> = self
            .passed
            .iter()
            .map(|(j, q)| (*j, q.latency.as_millis() as u64))
            .collect();
        for (j, latency_ms) in reachable {
            self.set(j, Outcome::Reachable { latency_ms });
        }
        if !self.relays_started {
            for j in self.relays.clone() {
                if !self.abandoned.contains(&j) {
                    self.set(
                        j,
                        Outcome::Skipped {
                            reason: SkipReason::AnotherRouteWon,
                        },
                    );
                }
            }
        }
        let cand = &self.cands[i];
        let new_pin = match (&cand.policy, p.recorder.snapshot().accepted_unverified) {
            (CertPolicy::AllowSelfSigned { pinned }, Some(fp)) if pinned.as_ref() != Some(&fp) => {
                Some(CertPin {
                    place: cand.place.clone(),
                    sha256: fp,
                })
            }
            _ => None,
        };
        let cfg = &self.client.inner.cfg;
        let connection = ServerConnection::new(
            p.client,
            cand.base.clone(),
            self.token.clone(),
            self.server,
            cfg.timeouts,
            cfg.limits,
        );
        let report = RaceReport {
            uri: cand.uri.clone(),
            direct_ip: cand.direct_ip.map(|ip| ip.to_string()),
            locality: cand.locality,
            security: cand.security,
            latency_ms,
            new_pin,
            fast_path: self.fast_path,
            diagnosis: self.diagnosis(),
        };
        Connected { connection, report }
    }

    /// Runs the race to its end: a confirmed winner, or why nothing worked.
    pub(super) async fn run(mut self) -> Result<Connected> {
        for i in 0..self.reports.len() {
            if matches!(self.reports[i].outcome, Outcome::Skipped { .. }) {
                self.emit(i);
            }
        }
        for i in self.direct.clone() {
            self.start(i);
        }
        let relay_delay = if self.direct.is_empty() {
            Duration::ZERO
        } else {
            self.client.inner.cfg.race.relay_delay
        };
        let relay_timer = tokio::time::sleep(relay_delay);
        tokio::pin!(relay_timer);
        let cancel = self.opts.cancel.clone();
        loop {
            if !self.relays_started
                && !self.direct.iter().any(|i| self.pending.contains(i))
                && self.passed.is_empty()
                && self.confirming.is_none()
            {
                self.start_relays();
            }
            if self.confirming.is_none() {
                if let Some(best) = self.choose() {
                    if let Some(p) = self.passed.remove(&best) {
                        let fut =
                            self.client
                                .confirm(best, &self.cands[best], p, self.token.clone());
                        self.confirming = Some((best, fut));
                    }
                }
            }
            if self.finished() {
                // The right server refused the token: signing in again is the fix.
                if self
                    .reports
                    .iter()
                    .any(|r| r.outcome == Outcome::Unauthorized)
                {
                    return Err(Error::Unauthorized);
                }
                return Err(Error::Unreachable(Box::new(self.diagnosis())));
            }
            let window_open = self.window.is_some() && !self.window_over;
            let confirming_now = self.confirming.is_some();
            let probing = !self.probes.is_empty();
            let relays_waiting = !self.relays_started;
            let step = {
                let confirming = &mut self.confirming;
                let probes = &mut self.probes;
                let window = &mut self.window;
                tokio::select! {
                    biased;
                    _ = cancel.cancelled() => Step::Cancelled,
                    Some((i, p, failure)) = async {
                        match confirming.as_mut() {
                            Some((_, f)) => Some(f.await),
                            None => None,
                        }
                    }, if confirming_now => Step::Confirmed(i, p, failure),
                    Some((i, r)) = probes.next(), if probing => Step::Probed(i, r),
                    _ = &mut relay_timer, if relays_waiting => Step::Relays,
                    _ = async {
                        match window.as_mut() {
                            Some(w) => w.await,
                            None => std::future::pending().await,
                        }
                    }, if window_open => Step::WindowOver,
                }
            };
            match step {
                Step::Cancelled => return Err(self.cancelled()),
                Step::Confirmed(i, p, failure) => {
                    self.confirming = None;
                    match failure {
                        Some(o) => self.set(i, o),
                        None => return Ok(self.won(i, p)),
                    }
                }
                Step::Probed(i, r) => self.probed(i, r),
                Step::Relays => self.start_relays(),
                Step::WindowOver => self.window_over = true,
            }
        }
    }
}
