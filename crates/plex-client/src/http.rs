//! Sending one request: overall timeout, capped body reading, status and error mapping.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{Error, Result};

/// A response read to the end (within the size cap).
pub(crate) struct Fetched {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Sends `req` and reads its body, all within `timeout`, refusing bodies over `cap` bytes.
pub(crate) async fn fetch(
    req: reqwest::RequestBuilder,
    endpoint: &str,
    timeout: Duration,
    cap: usize,
) -> Result<Fetched> {
    let work = async {
        let mut resp = req.send().await.map_err(map_send_error)?;
        let status = resp.status();
        let headers = std::mem::take(resp.headers_mut());
        let body = read_body(resp, endpoint, cap).await?;
        Ok(Fetched {
            status,
            headers,
            body,
        })
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(Error::TimedOut),
    }
}

/// Reads a response body, refusing more than `cap` bytes (no overall timeout: the caller's).
pub(crate) async fn read_body(
    mut resp: reqwest::Response,
    endpoint: &str,
    cap: usize,
) -> Result<Bytes> {
    if let Some(len) = resp.content_length() {
        if len > cap as u64 {
            return Err(too_large(endpoint, cap));
        }
    }
    let mut body = BytesMut::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > cap {
                    return Err(too_large(endpoint, cap));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(e) if e.is_timeout() => return Err(Error::TimedOut),
            Err(e) => {
                return Err(Error::Network(format!(
                    "response body cut off: {}",
                    describe(&e.without_url())
                )))
            }
        }
    }
}

fn too_large(endpoint: &str, cap: usize) -> Error {
    Error::invalid(endpoint, format!("body larger than {cap} bytes"))
}

/// Maps a reqwest send error to ours (never with the URL).
pub(crate) fn map_send_error(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::TimedOut
    } else {
        Error::Network(describe(&e.without_url()))
    }
}

/// The error and its sources, joined, without repeats.
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let s = err.to_string();
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.join(": ")
}

#[derive(Deserialize)]
struct PlexErrors {
    #[serde(default, deserialize_with = "crate::lenient::list")]
    errors: Vec<PlexErrorItem>,
}

#[derive(Deserialize)]
struct PlexErrorItem {
    #[serde(default, deserialize_with = "crate::lenient::opt_i64")]
    code: Option<i64>,
}

/// The first plex.tv error code in a body like `{"errors":[{"code":1003,...}]}`.
pub(crate) fn plex_error_code(body: &[u8]) -> Option<i64> {
    serde_json::from_slice::<PlexErrors>(body)
        .ok()?
        .errors
        .first()?
        .code
}

/// Turns a non-success status into an error; `Ok(())` for 2xx.
pub(crate) fn check_status(f: &Fetched, endpoint: &str) -> Result<()> {
    let status = f.status;
    if status.is_success() {
        return Ok(());
    }
    if status.is_redirection() {
        return Err(Error::Redirected {
            to_host: redirect_host(&f.headers),
        });
    }
    let code = plex_error_code(&f.body);
    Err(match (status.as_u16(), code) {
        (401, _) | (_, Some(1001)) => Error::Unauthorized,
        (429, _) | (_, Some(1003)) => Error::RateLimited {
            retry_after: f
                .headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
        },
        (404, _) => Error::NotFound {
            what: endpoint.to_string(),
        },
        (s, _) => Error::Server { status: s },
    })
}

/// The host a redirect's `Location` points to (only the host: a path or query could carry
/// anything). A relative `Location` names no host.
pub(crate) fn redirect_host(headers: &HeaderMap) -> Option<String> {
    let loc = headers.get(reqwest::header::LOCATION)?.to_str().ok()?;
    let url = url::Url::parse(loc.trim()).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

/// Parses a JSON body; a malformed or truncated one is an [`Error::InvalidResponse`].
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8], endpoint: &str) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::invalid(endpoint, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plex_errors() {
        let f = Fetched {
            status: StatusCode::TOO_MANY_REQUESTS,
            headers: HeaderMap::new(),
            body: Bytes::from_static(br#"{"errors":[{"code":1003,"message":"Rate limited"}]}"#),
        };
        assert!(matches!(
            check_status(&f, "/x"),
            Err(Error::RateLimited { .. })
        ));
        let f = Fetched {
            status: StatusCode::UNAUTHORIZED,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"<html><head><title>Unauthorized</title></head></html>"),
        };
        assert!(matches!(check_status(&f, "/x"), Err(Error::Unauthorized)));
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::LOCATION,
            "http://127.0.0.9:8080/library/sections?X-Plex-Token=x"
                .parse()
                .unwrap(),
        );
        let f = Fetched {
            status: StatusCode::FOUND,
            headers,
            body: Bytes::new(),
        };
        match check_status(&f, "/x") {
            Err(Error::Redirected { to_host }) => {
                assert_eq!(to_host.as_deref(), Some("127.0.0.9:8080"))
            }
            other => panic!("{other:?}"),
        }
        let e = parse_json::<serde_json::Value>(b"{\"MediaContainer\":{\"si", "/identity")
            .err()
            .map(|e| e.kind());
        assert_eq!(e, Some(crate::ErrorKind::InvalidResponse));
    }
}
