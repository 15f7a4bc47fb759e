//! Connection kinds and the faults a connection can show.

use serde::{Deserialize, Serialize};

/// What a connection misbehaves with. Set in a scenario and changeable at run time.
///
/// Serialized externally tagged in snake_case: `"hang"`, `"http500"`,
/// `{"trickle":{"bytes_per_sec":200}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Behave.
    #[default]
    None,
    /// Accept the connection, read the request, never answer.
    Hang,
    /// Close the listener: connecting is refused (the port is not listening).
    Refuse,
    /// Send the headers and half the body, then reset the TCP connection.
    ResetMidBody,
    /// Claim another server's machine identifier on `/identity` and `/`.
    WrongIdentity,
    /// Answer every request with HTTP 500.
    Http500,
    /// Answer 200 with a body cut in half (the framing is valid, the JSON/XML is not).
    TruncatedJson,
    /// Answer 200 with `application/json` that does not parse.
    MalformedJson,
    /// Send the response a few bytes at a time.
    Trickle { bytes_per_sec: u32 },
    /// Answer `/identity` normally and every other request (the ones that carry a token)
    /// with `302 Found` to the simulator's "elsewhere" listener ([`crate::Sim::elsewhere_url`]),
    /// which logs what reaches it as listener `"elsewhere"`.
    Redirect,
    /// Library listings claim `totalSize` 1,000,000,000,000 (the items are the real ones).
    LyingTotalSize,
    /// Library listings ignore `X-Plex-Container-Start` (always the first page) and leave
    /// out `totalSize`, so a client that trusts paging would loop forever.
    IgnoreOffsets,
    /// Library listings answer a JSON page of `bytes` bytes of empty items `[{},{},...]`,
    /// whatever was asked for.
    OversizedPage { bytes: u32 },
    /// Accept the TCP connection, then wait `ms` milliseconds before the TLS handshake (no
    /// ServerHello until then) or, on plain http, before reading the request. Unlike the
    /// connection's latency, which is applied to each request once the handshake is done, this
    /// delays how soon a certificate is seen, so a changed one can be detected late.
    SlowHandshake { ms: u64 },
    /// Library listings answer every page after the first (`X-Plex-Container-Start` > 0)
    /// with half the items asked for, rounded up, as a busy server may.
    ShortPages,
}

/// `totalSize` claimed under [`Fault::LyingTotalSize`].
pub const LYING_TOTAL_SIZE: u64 = 1_000_000_000_000;

/// How a connection is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    /// Plain http on a bare IP: `http://127.0.0.2:PORT`.
    Http,
    /// https with a self-signed certificate on a bare IP: `https://127.0.0.2:PORT`.
    HttpsSelfSigned,
    /// https with a `*.<hash>.plex.direct` certificate signed by the sim's CA.
    HttpsPlexDirect,
    /// A plex.direct-style relay: https, `relay: true, local: false`, slow.
    Relay,
}

impl ConnectionKind {
    /// `"http"` or `"https"`.
    pub fn protocol(self) -> &'static str {
        match self {
            ConnectionKind::Http => "http",
            _ => "https",
        }
    }

    /// Short name used in generated connection ids and the binary's table.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Http => "http",
            ConnectionKind::HttpsSelfSigned => "https_self_signed",
            ConnectionKind::HttpsPlexDirect => "https_plex_direct",
            ConnectionKind::Relay => "relay",
        }
    }
}

/// How plex.tv's Home endpoints misbehave (set at run time with [`crate::Sim::set_home_fault`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeFault {
    /// Behave.
    #[default]
    None,
    /// A wrong or missing PIN gets 403 instead of 401 (some plex.tv answers do).
    WrongPinForbidden,
    /// Switching answers 201 with another profile's user object and token.
    SwitchAnswersOtherProfile,
    /// `/api/v2/home/users` answers 200 with JSON cut in half.
    TruncatedUsers,
    /// `/api/v2/home/users` answers 200 with 5,000 profiles (plex.tv allows 15).
    HugeUsers,
    /// `/api/v2/resources` asked with a profile's token lists its servers without an
    /// `accessToken`.
    ResourcesWithoutTokens,
}
