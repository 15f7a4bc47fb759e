//! plex-sim: a faithful simulator of plex.tv and Plex Media Server.
//!
//! Start one with [`Sim::start`] and a [`Scenario`] (a built-in, a TOML/JSON file or
//! one built in code); every server connection is a real listener on a loopback
//! address (127.0.0.x): plain http, self-signed https, plex.direct https signed by a
//! test CA, and slow relays. Faults, latency, PIN approval, rate limiting and
//! certificate rotation can be driven from the [`Sim`] handle or over HTTP under
//! `/__sim/` on the plex.tv listener. See the crate README for the scenario format.
//!
//! ```no_run
//! # async fn demo() -> plex_sim::Result<()> {
//! use plex_sim::{Fault, Scenario, Sim};
//! let sim = Sim::start(Scenario::builtin("home").expect("built-in")).await?;
//! let http = sim.connection("home-local-http").expect("in home");
//! println!("{} {} {}", sim.plex_tv_url(), http.uri, sim.account_token());
//! sim.set_fault("home-relay", Fault::Hang);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

pub mod catalog;
mod control;
pub mod error;
pub mod fault;
mod home;
mod http;
mod listener;
pub mod log;
pub mod node;
mod plextv;
pub mod pms;
pub mod png;
mod rng;
pub mod scenario;
mod sim;
mod state;
mod tls;

pub use error::{Result, SimError};
pub use fault::{ConnectionKind, Fault, HomeFault};
pub use log::LoggedRequest;
pub use scenario::{
    rating_age, AccountSpec, ClientSpec, ConnectionSpec, ExpiredPin, HomeSpec, LibraryKind,
    LibrarySpec, PinSpec, ProfileSpec, Scenario, ServerSpec,
};
pub use sim::Sim;
pub use state::{ConnectionInfo, LibraryInfo, Pin, ProfileInfo, ServerInfo};
pub use tls::install_crypto_provider;
