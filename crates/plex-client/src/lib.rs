//! plex-client: talks to plex.tv and Plex Media Server for PlexPicker.
//!
//! - [`PlexClient`]: X-Plex headers on every request, PIN sign-in ([`PlexClient::create_pin`],
//!   [`PlexClient::auth_url`], [`PlexClient::wait_for_pin`]), token validation
//!   ([`PlexClient::user`]), the account's servers ([`PlexClient::servers`]) and the connection
//!   race ([`PlexClient::connect`]) with a full per-candidate [`Diagnosis`].
//! - [`ServerConnection`]: sections, paged items, episodes, posters.
//! - Plex Home ([`PlexClient::home`], [`PlexClient::switch_profile`],
//!   [`PlexClient::profile_access`], [`ServerConnection::for_profile`], [`load_profiles`]):
//!   profiles, their tokens, and what differs for each on a server.
//! - [`Token`]: the secret, never printed, only ever sent as the `X-Plex-Token` header.
//!
//! No Tauri here; everything is testable against `plex-sim` on loopback.

mod auth;
mod client;
pub mod config;
mod convert;
pub mod diagnosis;
mod error;
mod fingerprint;
mod home;
mod http;
mod lenient;
mod library;
mod pin;
mod race;
mod resources;
mod server;
mod tls;
mod token;

pub use client::{NoDns, PlexClient, StaticDns};
pub use config::{
    endpoints, AllowInsecure, ClientConfig, Limits, ProductInfo, RaceConfig, Timeouts,
    DEFAULT_APP_PLEX_TV_URL, DEFAULT_PLEX_TV_URL, TOKEN_HEADER,
};
pub use convert::LoadedLibrary;
pub use diagnosis::{
    CandidateReport, Diagnosis, Locality, Outcome, RaceEvent, Security, SkipReason, TlsFailure,
};
pub use error::{Error, ErrorKind, Result};
pub use fingerprint::CertFingerprint;
pub use home::{
    load_profiles, Home, HomeUser, ProfileAccess, ProfileLoaded, ProfileProgress,
    ProfileSectionState, ProfileSession, ProfileTarget, ProfilesLoadOptions,
};
pub use lenient::CAST_KEPT;
pub use library::{
    next_unwatched_of, Item, ItemKind, LoadOptions, LoadProgress, Section, SectionKind,
    MAX_ITEMS_PER_LISTING, MAX_PAGES_PER_LISTING,
};
pub use pin::{Pin, PinOutcome, PinPoll, PinState, User};
pub use race::{plex_direct_ip, ConnectOptions, Connected, RaceReport};
pub use resources::{parse_resources, Connection, Ownership, Server};
pub use server::{web_link, ServerConnection};
pub use tls::{install_crypto_provider, is_private_address, CertPin, CertPins};
pub use token::Token;

/// Re-exported so callers can name the resolver trait and the cancellation token.
pub use reqwest::dns::Resolve;
pub use tokio_util::sync::CancellationToken;
