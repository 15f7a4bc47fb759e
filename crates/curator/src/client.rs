//! The OpenAI-compatible client: `POST {base}/chat/completions` and `GET {base}/models`.
//!
//! Written on the workspace's reqwest rather than `async-openai` (see the crate README).
//! Redirects are never followed (a key must not follow a redirect), connecting has 5 s, the
//! whole answer has a configurable deadline (60 s by default), and answers are read with a
//! size cap.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::provider::is_loopback;
use crate::{ApiKey, Error, ProviderConfig, Result};

/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read (a model list from a big router is about a megabyte).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Who speaks a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Message {
        Message {
            role: Role::System,
            content: content.into(),
        }
    }
    pub fn user(content: impl Into<String>) -> Message {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }
    pub fn assistant(content: impl Into<String>) -> Message {
        Message {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// A chat completion request (the model comes from the client).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    /// The `response_format` object, sent as is when present.
    pub response_format: Option<Value>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
}

/// The first choice of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatAnswer {
    /// `choices[0].message.content`.
    pub content: String,
    /// `choices[0].finish_reason` (`stop`, `length`, …).
    pub finish_reason: Option<String>,
    /// The model the server says answered.
    pub model: String,
}

/// What the "Test" button shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestReport {
    /// From sending the request to the whole answer read.
    pub latency: Duration,
    /// The model that answered.
    pub model: String,
}

/// A client for one provider and model.
pub struct Client {
    http: reqwest::Client,
    base: String,
    label: String,
    host: String,
    hint: String,
    model: String,
    key: Option<ApiKey>,
    connect_timeout: Duration,
    answer_timeout: Duration,
    max_body: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("model", &self.model)
            .field("has_key", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`, sending `key` as a bearer token when given.
    ///
    /// Refuses a config whose address is unusable, a missing model, a preset that needs a key
    /// without one, and a key that would travel over plain http to another machine.
    pub fn new(config: &ProviderConfig, key: Option<ApiKey>) -> Result<Client> {
        Client::with_connect_timeout(config, key, CONNECT_TIMEOUT)
    }

    /// [`Client::new`] with another connect timeout (benchmarks and tests).
    pub fn with_connect_timeout(
        config: &ProviderConfig,
        key: Option<ApiKey>,
        connect_timeout: Duration,
    ) -> Result<Client> {
        let url = config.checked_url()?;
        let label = config.label();
        let host = match (url.host_str(), url.port_or_known_default()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => String::new(),
        };
        if config.model.trim().is_empty() {
            return Err(Error::NoModel { provider: label });
        }
        if key.is_none() && config.preset.info().needs_key {
            return Err(Error::MissingKey { provider: label });
        }
        let loopback = is_loopback(&url);
        if key.is_some() && url.scheme() == "http" && !loopback {
            return Err(Error::InsecureKey { host });
        }
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .user_agent(concat!("PlexPicker/", env!("CARGO_PKG_VERSION")));
        if loopback {
            // A local server is reached directly, never through a proxy from the environment.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| Error::Setup(e.to_string()))?;
        Ok(Client {
            http,
            base: url.as_str().trim_end_matches('/').to_string(),
            hint: config.preset.info().start_hint.to_string(),
            label,
            host,
            model: config.model.trim().to_string(),
            key,
            connect_timeout,
            answer_timeout: Duration::from_secs(config.answer_timeout_secs.max(1)),
            max_body: MAX_BODY,
        })
    }

    /// Replaces the whole-answer timeout.
    pub fn answer_timeout(mut self, timeout: Duration) -> Client {
        self.answer_timeout = timeout;
        self
    }

    /// Replaces the body-size cap.
    pub fn max_body(mut self, bytes: usize) -> Client {
        self.max_body = bytes;
        self
    }

    /// The whole-answer timeout.
    pub fn timeout(&self) -> Duration {
        self.answer_timeout
    }

    /// The model name.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The provider's label ("Ollama", or the host of a custom URL).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// `GET {base}/models`: the model ids, sorted.
    pub async fn models(&self) -> Result<Vec<String>> {
        let deadline = Instant::now() + self.answer_timeout;
        let req = self.http.get(format!("{}/models", self.base));
        let body = self.send(req, deadline).await?;
        let v: Value = serde_json::from_slice(&body).map_err(|e| self.bad_body(e.to_string()))?;
        let Some(data) = v.get("data").and_then(Value::as_array) else {
            return Err(self.bad_body("it has no `data` list of models".into()));
        };
        let mut ids: Vec<String> = data
            .iter()
            .filter_map(|m| m.get("id").and_then(Value::as_str))
            .map(|s| clean(s, 200))
            .filter(|s| !s.is_empty())
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// One tiny request; reports how long the whole answer took.
    pub async fn test(&self) -> Result<TestReport> {
        let start = Instant::now();
        let answer = self
            .chat(&ChatRequest {
                messages: vec![Message::user("Reply with the single word OK.")],
                max_tokens: Some(16),
                ..ChatRequest::default()
            })
            .await?;
        Ok(TestReport {
            latency: start.elapsed(),
            model: answer.model,
        })
    }

    /// `POST {base}/chat/completions` with the whole-answer timeout.
    pub async fn chat(&self, request: &ChatRequest) -> Result<ChatAnswer> {
        self.chat_until(request, Instant::now() + self.answer_timeout)
            .await
    }

    /// `POST {base}/chat/completions`, giving up at `deadline`.
    pub async fn chat_until(&self, request: &ChatRequest, deadline: Instant) -> Result<ChatAnswer> {
        let mut body = serde_json::json!({
            "model": self.model,
            "messages": request.messages,
            "stream": false,
        });
        if let Some(rf) = &request.response_format {
            body["response_format"] = rf.clone();
        }
        if let Some(t) = request.temperature {
            body["temperature"] = serde_json::json!(t);
        }
        if let Some(m) = request.max_tokens {
            body["max_tokens"] = serde_json::json!(m);
        }
        let req = self
            .http
            .post(format!("{}/chat/completions", self.base))
            .json(&body);
        let bytes = self.send(req, deadline).await?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| self.bad_body(e.to_string()))?;
        let choice = v
            .get("choices")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .ok_or_else(|| self.bad_body("it has no `choices`".into()))?;
        let content = match choice.pointer("/message/content") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(parts)) => parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(""),
            Some(Value::Null) | None => String::new(),
            Some(_) => return Err(self.bad_body("`message.content` is not text".into())),
        };
        Ok(ChatAnswer {
            content,
            finish_reason: choice
                .get("finish_reason")
                .and_then(Value::as_str)
                .map(str::to_string),
            model: v
                .get("model")
                .and_then(Value::as_str)
                .map(|m| clean(m, 200))
                .unwrap_or_else(|| self.model.clone()),
        })
    }

    /// Sends with the bearer key (when any), reads the body under the cap, maps errors.
    async fn send(&self, req: reqwest::RequestBuilder, deadline: Instant) -> Result<Vec<u8>> {
        let req = match &self.key {
            Some(k) => req.bearer_auth(k.expose()),
            None => req,
        };
        let req = req.header(reqwest::header::ACCEPT, "application/json");
        let left = deadline.saturating_duration_since(Instant::now());
        let work = async {
            let resp = req.send().await.map_err(|e| self.transport(&e))?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            let body = self.read_capped(resp).await?;
            Ok::<_, Error>((status, retry_after, body))
        };
        let (status, retry_after, body) = tokio::time::timeout(left, work)
            .await
            .map_err(|_| self.timeout_error())??;
        if (200..300).contains(&status) {
            return Ok(body);
        }
        Err(self.status_error(status, retry_after, &body))
    }

    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>> {
        if resp
            .content_length()
            .is_some_and(|n| n > self.max_body as u64)
        {
            return Err(Error::TooLarge {
                provider: self.label.clone(),
                limit: self.max_body,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport(&e))? {
            if body.len() + chunk.len() > self.max_body {
                return Err(Error::TooLarge {
                    provider: self.label.clone(),
                    limit: self.max_body,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn timeout_error(&self) -> Error {
        Error::Timeout {
            provider: self.label.clone(),
            seconds: self.answer_timeout.as_secs_f64().ceil() as u64,
        }
    }

    fn transport(&self, e: &reqwest::Error) -> Error {
        if e.is_connect() && e.is_timeout() || e.is_connect() && chain_says_timed_out(e) {
            return Error::ConnectTimeout {
                provider: self.label.clone(),
                host: self.host.clone(),
                seconds: self.connect_timeout.as_secs_f64().ceil() as u64,
            };
        }
        if e.is_timeout() {
            return self.timeout_error();
        }
        if e.is_connect() {
            return Error::Connect {
                provider: self.label.clone(),
                host: self.host.clone(),
                hint: self.hint.clone(),
            };
        }
        Error::Network {
            provider: self.label.clone(),
            detail: self.redact(&error_chain(e)),
        }
    }

    fn bad_body(&self, detail: String) -> Error {
        Error::BadBody {
            provider: self.label.clone(),
            detail: self.redact(&clean(&detail, 200)),
        }
    }

    fn status_error(&self, status: u16, retry_after: Option<Duration>, body: &[u8]) -> Error {
        let (message, code) = error_message(body);
        let message = self.redact(&message);
        let provider = self.label.clone();
        match status {
            300..=399 => Error::Redirect { provider, status },
            401 | 403 => Error::Unauthorized { provider, status },
            404 => {
                // "Invalid URL (GET /models)" is about the address, not the model: only the
                // code, or a message naming our model, says the model is unknown.
                let about_model =
                    code.as_deref() == Some("model_not_found") || message.contains(&self.model);
                if about_model {
                    Error::UnknownModel {
                        provider,
                        model: self.model.clone(),
                    }
                } else {
                    Error::NotFound { provider }
                }
            }
            429 => Error::RateLimited {
                provider,
                retry_after,
            },
            500..=599 => Error::Server {
                provider,
                status,
                message,
            },
            _ => Error::Rejected {
                provider,
                status,
                message,
            },
        }
    }

    /// Removes the key from text a server sent back (a hostile server could echo it).
    fn redact(&self, text: &str) -> String {
        match &self.key {
            Some(k) => text.replace(k.expose(), "<redacted>"),
            None => text.to_string(),
        }
    }
}

/// Makes `ring` the process's default rustls provider when none is installed yet (as
/// `plex_client` does): reqwest is built with `rustls-no-provider` and would otherwise panic
/// when building a client.
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may win the race: either way one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The `error.message` (and `error.code`) of an error body, or a short excerpt of it.
fn error_message(body: &[u8]) -> (String, Option<String>) {
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let err = v.get("error").unwrap_or(&v);
        let message = match err {
            Value::String(s) => Some(s.clone()),
            _ => err
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string),
        };
        let code = err.get("code").and_then(|c| match c {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        if let Some(m) = message {
            return (clean(&m, 300), code);
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = clean(&text, 200);
    if text.is_empty() {
        ("no details given".to_string(), None)
    } else {
        (text, None)
    }
}

/// `retry-after` as seconds (integer or decimal). An HTTP date is not trusted.
fn parse_retry_after(v: &str) -> Option<Duration> {
    let secs: f64 = v.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// One line, control characters removed, at most `max` characters.
pub(crate) fn clean(s: &str, max: usize) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() >= max {
            break;
        }
    }
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        return format!("{}…", cut.trim_end());
    }
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    clean(&parts.join(": "), 300)
}

fn chain_says_timed_out(e: &dyn std::error::Error) -> bool {
    error_chain(e).to_ascii_lowercase().contains("timed out")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Preset;

    #[test]
    fn retry_after_is_parsed_as_seconds() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after(" 1.5 "),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("1e30"), Some(Duration::from_secs(86_400)));
    }

    #[test]
    fn error_bodies_give_their_message_or_an_excerpt() {
        let (m, c) = error_message(
            br#"{"error":{"message":"The model `x` does not exist","type":"invalid_request_error","code":"model_not_found"}}"#,
        );
        assert_eq!(m, "The model `x` does not exist");
        assert_eq!(c.as_deref(), Some("model_not_found"));
        // Ollama's older shape: {"error":"..."}
        assert_eq!(
            error_message(br#"{"error":"model not found"}"#).0,
            "model not found"
        );
        assert_eq!(
            error_message(b"<html>\n\n bad gateway</html>").0,
            "<html> bad gateway</html>"
        );
        assert_eq!(error_message(b"").0, "no details given");
        assert!(error_message(&vec![b'x'; 10_000]).0.chars().count() <= 200);
    }

    #[test]
    fn a_key_never_goes_over_plain_http_to_another_machine() {
        // No request is made: Client::new refuses before any network use.
        let cfg = ProviderConfig {
            preset: Preset::Custom,
            base_url: "http://192.0.2.1:8080/v1".into(),
            model: "m".into(),
            ..ProviderConfig::default()
        };
        let err = Client::new(&cfg, ApiKey::new("sk-1")).unwrap_err();
        assert!(matches!(err, Error::InsecureKey { .. }), "{err}");
        assert!(err.to_string().contains("https://"));
        // Without a key, or on loopback, it is fine.
        assert!(Client::new(&cfg, None).is_ok());
        let local = ProviderConfig {
            base_url: "http://127.0.0.1:1234/v1".into(),
            ..cfg
        };
        assert!(Client::new(&local, ApiKey::new("sk-1")).is_ok());
    }

    #[test]
    fn hosted_presets_need_a_key_and_every_preset_needs_a_model() {
        let err = Client::new(&ProviderConfig::from_preset(Preset::OpenAi), None).unwrap_err();
        assert!(matches!(err, Error::MissingKey { .. }), "{err}");
        let cfg = ProviderConfig {
            model: "  ".into(),
            ..ProviderConfig::default()
        };
        let err = Client::new(&cfg, None).unwrap_err();
        assert!(err.to_string().contains("list the models"), "{err}");
    }

    #[test]
    fn the_client_debug_never_shows_the_key() {
        let cfg = ProviderConfig::from_preset(Preset::OpenAi);
        let c = Client::new(&cfg, ApiKey::new("sk-very-secret")).unwrap();
        assert!(!format!("{c:?}").contains("sk-very"));
    }

    #[test]
    fn clean_makes_one_bounded_line() {
        assert_eq!(clean("a\nb\t\u{7}c  d", 100), "a b c d");
        assert_eq!(clean("abcdef", 4), "abc…");
        assert_eq!(clean("", 4), "");
    }
}

#[cfg(test)]
mod provider_tests {
    use super::*;

    #[test]
    fn building_a_client_leaves_a_crypto_provider_installed() {
        Client::new(&ProviderConfig::default(), None).unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
