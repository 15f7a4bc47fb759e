//! A small HTTP/1.1 server core written directly on the socket, so that faults
//! (hang, reset mid-body, trickle, truncation) are real behaviour on the wire.

use std::time::Duration;

use percent_encoding::percent_decode_str;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path without the query, as sent (not decoded).
    pub path: String,
    pub query: Option<String>,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub keep_alive: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A query parameter, percent-decoded (exact name match).
    pub fn param(&self, name: &str) -> Option<String> {
        query_pairs(self.query.as_deref().unwrap_or(""))
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A query parameter or, failing that, a header (as X-Plex-* values may be either).
    pub fn param_or_header(&self, name: &str) -> Option<String> {
        self.param(name)
            .or_else(|| self.header(name).map(str::to_string))
            .filter(|v| !v.is_empty())
    }

    /// The percent-decoded path.
    pub fn decoded_path(&self) -> String {
        percent_decode_str(&self.path)
            .decode_utf8_lossy()
            .into_owned()
    }

    pub fn wants_json(&self) -> bool {
        self.header("accept")
            .is_some_and(|a| a.to_ascii_lowercase().contains("application/json"))
    }
}

/// Splits `a=1&b=x%20y` into decoded pairs (`+` is a space).
pub fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

/// A response to write.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "application/json", body)
    }

    pub fn json_value(status: u16, v: &serde_json::Value) -> Response {
        Response::json(status, v.to_string())
    }

    pub fn xml(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/xml;charset=utf-8", body)
    }

    pub fn html(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/html", body)
    }

    pub fn header(mut self, name: &str, value: impl ToString) -> Response {
        self.headers.push((name.into(), value.to_string()));
        self
    }

    /// Status line and headers, with `Content-Length` of `body_len`.
    pub fn head(&self, body_len: usize, keep_alive: bool) -> Vec<u8> {
        let mut h = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (n, v) in &self.headers {
            h.push_str(n);
            h.push_str(": ");
            h.push_str(v);
            h.push_str("\r\n");
        }
        h.push_str(&format!("Content-Length: {body_len}\r\n"));
        h.push_str(if keep_alive {
            "Connection: keep-alive\r\n"
        } else {
            "Connection: close\r\n"
        });
        h.push_str("\r\n");
        h.into_bytes()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

/// Reads one request. `Ok(None)` when the peer closed the connection cleanly.
pub async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Request>> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    loop {
        if let Some(end) = find_head_end(buf) {
            let mut headers = [httparse::EMPTY_HEADER; 96];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf[..end]) {
                Ok(httparse::Status::Complete(_)) => {}
                _ => return Err(bad("malformed request")),
            }
            let method = req.method.unwrap_or("GET").to_string();
            let target = req.path.unwrap_or("/").to_string();
            let minor = req.version.unwrap_or(1);
            let headers: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_ascii_lowercase(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let (path, query) = match target.split_once('?') {
                Some((p, q)) => (p.to_string(), Some(q.to_string())),
                None => (target, None),
            };
            let conn_hdr = headers
                .iter()
                .find(|(n, _)| n == "connection")
                .map(|(_, v)| v.to_ascii_lowercase());
            let keep_alive = match conn_hdr.as_deref() {
                Some(v) if v.contains("close") => false,
                Some(v) if v.contains("keep-alive") => true,
                _ => minor >= 1,
            };
            let len: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            if len > MAX_BODY {
                return Err(bad("request body too large"));
            }
            buf.drain(..end);
            while buf.len() < len {
                let mut chunk = [0u8; 8192];
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(bad("connection closed inside the body"));
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body: Vec<u8> = buf.drain(..len).collect();
            return Ok(Some(Request {
                method,
                path,
                query,
                headers,
                body,
                keep_alive,
            }));
        }
        if buf.len() > MAX_HEAD {
            return Err(bad("request head too large"));
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(bad("connection closed inside the head"))
            };
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// Writes `bytes`, at most `bytes_per_sec` when given (in small timed slices).
pub async fn write_paced<S: AsyncWrite + Unpin>(
    stream: &mut S,
    bytes: &[u8],
    bytes_per_sec: Option<u32>,
) -> std::io::Result<()> {
    match bytes_per_sec {
        None | Some(0) => {
            stream.write_all(bytes).await?;
        }
        Some(rate) => {
            // Ten slices a second, at least one byte each.
            let slice = (rate as usize / 10).max(1);
            let pause = Duration::from_secs_f64(slice as f64 / f64::from(rate));
            for chunk in bytes.chunks(slice) {
                stream.write_all(chunk).await?;
                stream.flush().await?;
                tokio::time::sleep(pause).await;
            }
        }
    }
    stream.flush().await
}

/// Access to the TCP socket under a (possibly TLS) stream, to reset it.
pub trait HasTcp {
    fn tcp(&self) -> &TcpStream;
}

impl HasTcp for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl HasTcp for tokio_rustls::server::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

/// Aborts the connection with a TCP RST (SO_LINGER 0, then close).
pub fn reset<S: HasTcp>(stream: S) {
    let _ = stream.tcp().set_zero_linger();
    drop(stream);
}
