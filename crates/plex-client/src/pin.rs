//! Sign-in with a PIN (plex.tv API v2) and token validation.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::client::PlexClient;
use crate::config::endpoints;
use crate::error::{Error, Result};
use crate::http::{check_status, fetch, parse_json};
use crate::lenient;
use crate::token::Token;

/// Everything but RFC 3986 unreserved characters is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(crate) fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A PIN waiting for the user's approval.
#[derive(Debug, Clone)]
pub struct Pin {
    /// The PIN's id (for polling).
    pub id: u64,
    /// The code the user approves (a strong code is ~25 characters).
    pub code: String,
    /// Time to live at creation (`expiresIn`).
    pub expires_in: Duration,
    /// `expiresAt` as sent (RFC 3339), for display.
    pub expires_at: Option<String>,
    created: Instant,
}

impl Pin {
    /// When the PIN expires, by the local clock (immune to clock skew).
    pub fn deadline(&self) -> Instant {
        self.created + self.expires_in
    }
    /// Whole seconds left before expiry.
    pub fn seconds_left(&self) -> u64 {
        self.deadline()
            .saturating_duration_since(Instant::now())
            .as_secs()
    }
}

/// The state of a PIN on plex.tv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinState {
    /// Still waiting; seconds left according to plex.tv when it said so.
    Waiting {
        /// plex.tv's `expiresIn`.
        expires_in: Option<u64>,
    },
    /// Approved: here is the account token.
    Linked(Token),
    /// Expired or unknown (404 code 1020, or 200 with no token after expiry).
    Expired,
}

/// How waiting for a PIN ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinOutcome {
    /// The user approved: the account token.
    Linked(Token),
    /// The PIN expired first.
    Expired,
    /// The caller cancelled.
    Cancelled,
}

/// Options of [`PlexClient::wait_for_pin`].
#[derive(Clone)]
pub struct PinPoll {
    /// Time between polls (about a second; tests use less).
    pub interval: Duration,
    /// Longest wait after repeated 429s.
    pub max_backoff: Duration,
    /// Cancels the wait.
    pub cancel: CancellationToken,
    /// Called before each poll with the seconds left.
    pub on_progress: Option<Arc<dyn Fn(u64) + Send + Sync>>,
}

impl Default for PinPoll {
    fn default() -> Self {
        PinPoll {
            interval: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            cancel: CancellationToken::new(),
            on_progress: None,
        }
    }
}

impl fmt::Debug for PinPoll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinPoll")
            .field("interval", &self.interval)
            .field("max_backoff", &self.max_backoff)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPin {
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    expires_in: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    expires_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    auth_token: Option<String>,
}

/// The signed-in user (from `GET /api/v2/user`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Numeric account id.
    pub id: Option<u64>,
    /// Account UUID.
    pub uuid: Option<String>,
    /// User name.
    pub username: Option<String>,
    /// Display name.
    pub title: Option<String>,
    /// Avatar URL.
    pub thumb: Option<String>,
}

#[derive(Deserialize)]
struct RawUser {
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    thumb: Option<String>,
}

impl PlexClient {
    /// Creates a strong PIN (`POST /api/v2/pins?strong=true`).
    pub async fn create_pin(&self) -> Result<Pin> {
        let ep = endpoints::PINS;
        let req = self
            .inner
            .plex_tv
            .post(self.plex_tv_url(&format!("{ep}?strong=true")));
        let t = &self.inner.cfg.timeouts;
        let f = fetch(req, ep, t.request, self.inner.cfg.limits.max_body_bytes).await?;
        check_status(&f, ep)?;
        let raw: RawPin = parse_json(&f.body, ep)?;
        let id = raw.id.ok_or_else(|| Error::invalid(ep, "pin without id"))?;
        let code = raw
            .code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::invalid(ep, "pin without code"))?;
        let secs = raw.expires_in.unwrap_or(900).clamp(0, 24 * 3600) as u64;
        Ok(Pin {
            id,
            code,
            expires_in: Duration::from_secs(secs),
            expires_at: raw.expires_at,
            created: Instant::now(),
        })
    }

    /// The app.plex.tv URL where the user approves `pin` (every value percent-encoded).
    pub fn auth_url(&self, pin: &Pin, forward_url: Option<&str>) -> String {
        let cfg = &self.inner.cfg;
        let mut url = format!(
            "{}{}#?clientID={}&code={}&context%5Bdevice%5D%5Bproduct%5D={}",
            cfg.app_plex_tv_url.trim_end_matches('/'),
            endpoints::AUTH,
            encode(&cfg.client_identifier),
            encode(&pin.code),
            encode(&cfg.product.product),
        );
        if let Some(fw) = forward_url {
            url.push_str("&forwardUrl=");
            url.push_str(&encode(fw));
        }
        url
    }

    /// Asks plex.tv once about a PIN.
    pub async fn check_pin(&self, id: u64) -> Result<PinState> {
        self.check_pin_within(id, self.inner.cfg.timeouts.request)
            .await
    }

    async fn check_pin_within(&self, id: u64, timeout: Duration) -> Result<PinState> {
        let path = endpoints::pin(id);
        let ep = endpoints::PINS;
        let req = self.inner.plex_tv.get(self.plex_tv_url(&path));
        let f = fetch(req, ep, timeout, self.inner.cfg.limits.max_body_bytes).await?;
        match check_status(&f, ep) {
            Ok(()) => {}
            Err(Error::NotFound { .. }) => return Ok(PinState::Expired),
            Err(e) => return Err(e),
        }
        let raw: RawPin = parse_json(&f.body, ep)?;
        match raw.auth_token.filter(|t| !t.trim().is_empty()) {
            Some(t) => Ok(PinState::Linked(Token::new(t))),
            None => match raw.expires_in {
                Some(n) if n <= 0 => Ok(PinState::Expired),
                n => Ok(PinState::Waiting {
                    expires_in: n.map(|n| n as u64),
                }),
            },
        }
    }

    /// Polls until the PIN is linked, expires, or `opts.cancel` fires.
    ///
    /// Backs off on 429 (code 1003); rides out network errors and 5xx until the deadline.
    pub async fn wait_for_pin(&self, pin: &Pin, opts: &PinPoll) -> Result<PinOutcome> {
        let deadline = pin.deadline();
        let mut backoff = opts.interval;
        loop {
            if opts.cancel.is_cancelled() {
                return Ok(PinOutcome::Cancelled);
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(PinOutcome::Expired);
            }
            let left = deadline - now;
            if let Some(cb) = &opts.on_progress {
                cb(left.as_secs());
            }
            let timeout = self.inner.cfg.timeouts.request.min(left);
            let polled = tokio::select! {
                r = self.check_pin_within(pin.id, timeout) => r,
                _ = opts.cancel.cancelled() => return Ok(PinOutcome::Cancelled),
            };
            let delay = match polled {
                Ok(PinState::Linked(t)) => return Ok(PinOutcome::Linked(t)),
                Ok(PinState::Expired) => return Ok(PinOutcome::Expired),
                Ok(PinState::Waiting { .. }) => {
                    backoff = opts.interval;
                    opts.interval
                }
                Err(Error::RateLimited { retry_after }) => {
                    backoff = (backoff * 2).min(opts.max_backoff).max(opts.interval);
                    retry_after.map_or(backoff, |r| r.max(backoff))
                }
                Err(Error::Unauthorized) => return Err(Error::Unauthorized),
                Err(Error::Config(e)) => return Err(Error::Config(e)),
                // Network errors, timeouts, 5xx, garbage: ride them out until the deadline.
                Err(_) => opts.interval,
            };
            let left = deadline.saturating_duration_since(Instant::now());
            tokio::select! {
                _ = tokio::time::sleep(delay.min(left)) => {}
                _ = opts.cancel.cancelled() => return Ok(PinOutcome::Cancelled),
            }
        }
    }

    /// Validates a stored token (`GET /api/v2/user`). An invalid one is [`Error::Unauthorized`]:
    /// sign in again.
    pub async fn user(&self, token: &Token) -> Result<User> {
        let ep = endpoints::USER;
        let req = crate::auth::attach(self.inner.plex_tv.get(self.plex_tv_url(ep)), token)?;
        let t = &self.inner.cfg.timeouts;
        let f = fetch(req, ep, t.request, self.inner.cfg.limits.max_body_bytes).await?;
        check_status(&f, ep)?;
        let raw: RawUser = parse_json(&f.body, ep)?;
        Ok(User {
            id: raw.id,
            uuid: raw.uuid,
            username: raw.username,
            title: raw.title,
            thumb: raw.thumb,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ClientConfig, ProductInfo};

    #[test]
    fn auth_url_encodes_everything() {
        let product = ProductInfo {
            product: "Plex Picker&Co".into(),
            ..ProductInfo::default()
        };
        let c = PlexClient::new(ClientConfig::new("id 1/2", product)).unwrap();
        let pin = Pin {
            id: 1,
            code: "ab+c=d".into(),
            expires_in: Duration::from_secs(900),
            expires_at: None,
            created: Instant::now(),
        };
        let u = c.auth_url(&pin, Some("https://x.y/?a=b&c"));
        assert_eq!(
            u,
            "https://app.plex.tv/auth#?clientID=id%201%2F2&code=ab%2Bc%3Dd\
             &context%5Bdevice%5D%5Bproduct%5D=Plex%20Picker%26Co\
             &forwardUrl=https%3A%2F%2Fx.y%2F%3Fa%3Db%26c"
        );
    }
}
