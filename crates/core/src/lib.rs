//! PlexPicker's application core: what the app (`src-tauri`) and `plexpicker-cli` share, with
//! no Tauri, clap or DOM in it.
//!
//! - [`fs`]: files that cannot be lost or half-written: atomic writes (temp file in the same
//!   folder, fsync, rename, fsync the folder), 0600 files in 0700 folders, an advisory lock
//!   around read-modify-write, and the one naming scheme for setting a bad file aside.
//! - [`secrets`]: every secret (account token, server access tokens, later AI keys and profile
//!   tokens) behind one [`secrets::Secrets`] trait, kept in the OS keychain, or in a 0600 file
//!   of its own where there is none.
//! - [`account`]: signing in (the token stored first, then the account) and out (the
//!   account, the chosen server and their tokens forgotten), the same for both front ends.
//! - [`ai`]: the AI provider's settings (its key in the secret store) and the curated pick:
//!   the engine ranks, the model chooses among at most N candidates, the engine's own pick
//!   with a note whenever the model cannot be used.
//! - [`cache`]: the catalog cache, one compact binary format with a version and a checksum.
//! - [`catalog`]: loaded Plex items turned into the picker's catalog.
//! - [`connect`]: connect-and-remember: the race started from what was saved, and a won race
//!   remembered (route, certificate pins per `host:port`, the server's access token).
//! - [`history`]: recording what was really chosen.
//! - [`settings`]: the one versioned settings schema both front ends use. It holds no secret.
//! - [`migrate`]: today's app `settings.json` and CLI `cli-settings.json` into that schema, the
//!   tokens moved into the secret store.
//! - [`storage`]: settings and secrets opened together.
//! - [`report`]: what a one-shot front end (the CLI) prints, built by the session's use cases;
//!   [`pick_cache`]: when its cached catalog fits.

pub mod account;
pub mod ai;
pub mod cache;
pub mod catalog;
pub mod client;
pub mod connect;
pub mod error;
pub mod fs;
pub mod history;
pub mod library;
pub mod migrate;
pub mod pick_cache;
pub mod plex;
pub mod report;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod storage;
pub mod views;

pub use error::{Error, Result};
