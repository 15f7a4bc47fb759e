//! Probing one candidate: `/identity` without a token, then the token check on the winner.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::candidates::Candidate;
use crate::client::{NameNotResolved, PlexClient};
use crate::config::endpoints;
use crate::diagnosis::{Outcome, TlsFailure};
use crate::error::{Error, Result};
use crate::http::{check_status, describe, read_body, redirect_host, Fetched};
use crate::lenient;
use crate::tls::TlsRecorder;
use crate::token::Token;

/// Largest `/identity` body accepted.
const IDENTITY_CAP: usize = 64 * 1024;

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
pub(crate) struct Passed {
    pub client: reqwest::Client,
    pub recorder: Arc<TlsRecorder>,
    pub latency: Duration,
}

pub(crate) type ProbeFut =
    Pin<Box<dyn Future<Output = (usize, std::result::Result<Passed, Outcome>)> + Send>>;
pub(crate) type ConfirmFut = Pin<Box<dyn Future<Output = (usize, Passed, Option<Outcome>)> + Send>>;

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
        Error::Redirected { to_host } => Outcome::Redirected { to_host },
        Error::InvalidResponse { detail, .. } => Outcome::InvalidResponse { detail },
        Error::TimedOut => Outcome::TimedOut { after_ms: 0 },
        Error::Network(detail) => Outcome::NetworkError { detail },
        other => Outcome::NetworkError {
            detail: other.to_string(),
        },
    }
}

impl PlexClient {
    /// A reqwest client for one candidate: its TLS policy, DNS override and timeouts. It never
    /// follows redirects (reqwest would forward `X-Plex-Token` to wherever they point).
    pub(crate) fn candidate_client(
        &self,
        cand: &Candidate,
    ) -> Result<(reqwest::Client, Arc<TlsRecorder>)> {
        let inner = &self.inner;
        let (tls, recorder) = inner.trust.client_config(cand.policy.clone())?;
        let mut b = reqwest::Client::builder()
            .default_headers(inner.cfg.plex_headers())
            .tls_backend_preconfigured(tls)
            .dns_resolver(inner.resolver.clone())
            .connect_timeout(inner.cfg.timeouts.connect)
            .redirect(reqwest::redirect::Policy::none())
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
    pub(crate) fn probe(
        &self,
        rank: usize,
        cand: Candidate,
        expected: String,
        timeout: Duration,
    ) -> ProbeFut {
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
                if status.is_redirection() {
                    return Err(Outcome::Redirected {
                        to_host: redirect_host(resp.headers()),
                    });
                }
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
    pub(crate) fn confirm(
        &self,
        rank: usize,
        cand: &Candidate,
        passed: Passed,
        token: Token,
    ) -> ConfirmFut {
        let timeout = self.inner.cfg.timeouts.confirm;
        let cap = self.inner.cfg.limits.max_body_bytes;
        let url = format!("{}{}", cand.base, endpoints::SECTIONS);
        Box::pin(async move {
            let work = async {
                let req =
                    crate::auth::attach(passed.client.get(url), &token).map_err(error_outcome)?;
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
}
