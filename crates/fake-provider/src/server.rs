//! The listener: hyper's HTTP/1.1 server on 127.0.0.1:0, one task per connection.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::log::{LoggedRequest, RequestLog};
use crate::reply::{auto_answer, completion, error_body, offered_ids, Reply};
use crate::{validate, Config, Error, Result};

/// Requests larger than this are answered 413, like real servers' body limits.
const MAX_BODY: usize = 4 * 1024 * 1024;

type Body = BoxBody<Bytes, Infallible>;

struct Inner {
    config: Mutex<Config>,
    replies: Mutex<VecDeque<Reply>>,
    log: RequestLog,
}

/// A running fake provider. Dropping it (or [`FakeProvider::shutdown`]) stops the listener,
/// so connecting is refused afterwards, and releases hanging requests.
pub struct FakeProvider {
    addr: SocketAddr,
    inner: Arc<Inner>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeProvider")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeProvider {
    /// Binds `127.0.0.1:0` and serves until shut down or dropped.
    pub async fn start(config: Config) -> Result<FakeProvider> {
        FakeProvider::start_on("127.0.0.1:0", config).await
    }

    /// Binds `addr` (a loopback address) and serves until shut down or dropped.
    pub async fn start_on(addr: &str, config: Config) -> Result<FakeProvider> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind {
                addr: addr.to_string(),
                source,
            })?;
        let local = listener.local_addr()?;
        let inner = Arc::new(Inner {
            config: Mutex::new(config),
            replies: Mutex::new(VecDeque::new()),
            log: RequestLog::default(),
        });
        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, inner.clone(), rx));
        Ok(FakeProvider {
            addr: local,
            inner,
            shutdown: tx,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/v1`: the base URL a client is configured with.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues a reply for the next valid chat request.
    pub fn push_reply(&self, reply: Reply) {
        if let Ok(mut q) = self.inner.replies.lock() {
            q.push_back(reply);
        }
    }

    /// Replaces the queue of replies.
    pub fn set_replies(&self, replies: impl IntoIterator<Item = Reply>) {
        if let Ok(mut q) = self.inner.replies.lock() {
            *q = replies.into_iter().collect();
        }
    }

    /// Replaces the config (models, key, supported formats).
    pub fn set_config(&self, config: Config) {
        if let Ok(mut c) = self.inner.config.lock() {
            *c = config;
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.inner.log.snapshot()
    }

    /// The chat completion requests received so far, in order.
    pub fn chat_requests(&self) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.is_chat())
            .collect()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.inner.log.clear();
    }

    /// Stops listening and releases hanging requests.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    inner: Arc<Inner>,
    mut shutdown: watch::Receiver<bool>,
) {
    let for_connections = shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let inner = inner.clone();
                let rx = for_connections.clone();
                tokio::spawn(async move {
                    let mut stop = rx.clone();
                    let svc = service_fn(move |req| handle(inner.clone(), rx.clone(), req));
                    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = stop.wait_for(|s| *s) => {}
                    }
                });
            }
            _ = shutdown.wait_for(|s| *s) => break,
        }
    }
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

fn json_response(status: u16, v: &Value) -> Response<Body> {
    let mut r = Response::new(full(v.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    r
}

async fn handle(
    inner: Arc<Inner>,
    shutdown: watch::Receiver<bool>,
    req: Request<Incoming>,
) -> std::result::Result<Response<Body>, Infallible> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            return Ok(json_response(
                413,
                &error_body(
                    "Request too large.",
                    "invalid_request_error",
                    None,
                    Some("request_too_large"),
                ),
            ))
        }
    };
    let logged = LoggedRequest {
        method: method.clone(),
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    inner.log.push(logged.clone());
    let config = inner.config.lock().map(|c| c.clone()).unwrap_or_default();
    if let Err((status, body)) = validate::auth(&config, logged.header("authorization")) {
        return Ok(json_response(status, &body));
    }
    match (method.as_str(), path.as_str()) {
        ("GET", "/v1/models") => {
            let data: Vec<Value> = config
                .models
                .iter()
                .map(|m| json!({"id": m, "object": "model", "created": 1_700_000_000, "owned_by": "fake-provider"}))
                .collect();
            Ok(json_response(200, &json!({"object": "list", "data": data})))
        }
        ("POST", "/v1/chat/completions") => {
            let (parsed, model) = match validate::chat(&config, &body) {
                Ok(v) => v,
                Err((status, body)) => return Ok(json_response(status, &body)),
            };
            let reply = inner
                .replies
                .lock()
                .ok()
                .and_then(|mut q| q.pop_front())
                .unwrap_or(Reply::Auto);
            Ok(answer(reply, &parsed, &model, &logged, shutdown).await)
        }
        (_, "/v1/chat/completions") | (_, "/v1/models") => Ok(json_response(
            405,
            &error_body(
                &format!("Method {method} is not allowed on {path}."),
                "invalid_request_error",
                None,
                None,
            ),
        )),
        _ => Ok(json_response(
            404,
            &error_body(
                &format!("Invalid URL ({method} {path})"),
                "invalid_request_error",
                None,
                None,
            ),
        )),
    }
}

async fn answer(
    reply: Reply,
    body: &Value,
    model: &str,
    logged: &LoggedRequest,
    mut shutdown: watch::Receiver<bool>,
) -> Response<Body> {
    let prompt = logged.messages_text();
    match reply {
        Reply::Auto => {
            let content = auto_answer(&offered_ids(body, &prompt));
            json_response(200, &completion(model, &content, "stop", prompt.len()))
        }
        Reply::Content(c) => json_response(200, &completion(model, &c, "stop", prompt.len())),
        Reply::Cut(c) => json_response(200, &completion(model, &c, "length", prompt.len())),
        Reply::Error {
            status,
            message,
            kind,
            code,
        } => json_response(status, &error_body(&message, &kind, None, code.as_deref())),
        Reply::RateLimited { retry_after_secs } => {
            let mut r = json_response(
                429,
                &error_body(
                    &format!(
                        "Rate limit reached for {model}. Please try again in {retry_after_secs}s."
                    ),
                    "requests",
                    None,
                    Some("rate_limit_exceeded"),
                ),
            );
            if let Ok(v) = hyper::header::HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert("retry-after", v);
            }
            r
        }
        Reply::Hang => {
            let _ = shutdown.wait_for(|s| *s).await;
            json_response(
                503,
                &error_body("The server is shutting down.", "server_error", None, None),
            )
        }
        Reply::Trickle {
            content,
            bytes_per_sec,
        } => {
            let bytes = Bytes::from(completion(model, &content, "stop", prompt.len()).to_string());
            let rate = bytes_per_sec.max(1) as usize;
            let slice = (rate / 10).max(1);
            let pause = Duration::from_secs_f64(slice as f64 / rate as f64);
            let len = bytes.len();
            let stream = futures::stream::unfold(0usize, move |at| {
                let bytes = bytes.clone();
                async move {
                    if at >= bytes.len() {
                        return None;
                    }
                    if at > 0 {
                        tokio::time::sleep(pause).await;
                    }
                    let end = (at + slice).min(bytes.len());
                    Some((Ok::<_, Infallible>(Frame::data(bytes.slice(at..end))), end))
                }
            });
            let mut r = Response::new(StreamBody::new(stream).boxed());
            r.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            r.headers_mut().insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(len),
            );
            r
        }
        Reply::Redirect { location } => {
            let mut r = Response::new(full(Bytes::new()));
            *r.status_mut() = StatusCode::FOUND;
            if let Ok(v) = hyper::header::HeaderValue::from_str(&location) {
                r.headers_mut().insert(hyper::header::LOCATION, v);
            }
            r
        }
    }
}
