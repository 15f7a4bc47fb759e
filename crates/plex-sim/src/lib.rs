//! plex-sim: a faithful simulator of plex.tv and Plex Media Server.
//!
//! Start one with [`Sim::start`] and a [`Scenario`]; every server connection is a real
//! listener on a loopback address (127.0.0.x). See the crate README for the scenario
//! format and the `/__sim/` control API.

pub mod catalog;
pub mod error;
pub mod fault;
pub mod node;
mod rng;
pub mod scenario;

pub use error::{Result, SimError};
pub use fault::{ConnectionKind, Fault};
pub use scenario::{
    AccountSpec, ClientSpec, ConnectionSpec, ExpiredPin, LibraryKind, LibrarySpec, PinSpec,
    Scenario, ServerSpec,
};
