//! The one place a token is attached to a request.
//!
//! Nothing else in this crate names the `X-Plex-Token` header or reads the secret: plex.tv
//! calls, the race's token check and every server request go through [`attach`]. Which route
//! may receive a token at all is decided by the race's rules (`race::candidates`) before a
//! request to a server is ever built; the clients that carry a token never follow redirects.

use reqwest::header::HeaderValue;
use reqwest::RequestBuilder;

use crate::config::TOKEN_HEADER;
use crate::error::{Error, Result};
use crate::token::Token;

/// Adds `token` as the `X-Plex-Token` header (marked sensitive so the HTTP stack never logs
/// it). An empty token or one that is not a valid header value is [`Error::Unauthorized`]:
/// it cannot be right, so signing in again is the fix.
pub(crate) fn attach(req: RequestBuilder, token: &Token) -> Result<RequestBuilder> {
    if token.is_empty() {
        return Err(Error::Unauthorized);
    }
    let mut v = HeaderValue::from_str(token.expose()).map_err(|_| Error::Unauthorized)?;
    v.set_sensitive(true);
    Ok(req.header(TOKEN_HEADER, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attaches_a_sensitive_header_and_refuses_empty_tokens() {
        crate::tls::install_crypto_provider();
        let c = reqwest::Client::new();
        let req = attach(c.get("http://127.0.0.1:9/x"), &Token::new("SECRET"))
            .unwrap()
            .build()
            .unwrap();
        let v = req.headers().get(TOKEN_HEADER).unwrap();
        assert!(v.is_sensitive());
        assert_eq!(v, "SECRET");
        assert!(!req.url().as_str().contains("SECRET"));
        assert!(matches!(
            attach(c.get("http://127.0.0.1:9/x"), &Token::new(" ")),
            Err(Error::Unauthorized)
        ));
        assert!(matches!(
            attach(c.get("http://127.0.0.1:9/x"), &Token::new("a\nb")),
            Err(Error::Unauthorized)
        ));
    }
}
