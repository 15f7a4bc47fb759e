//! One module per command. Each takes the shared [`crate::context::Ctx`] and prints its own
//! output (text, or JSON with `--json`).

pub mod ai;
pub mod connect;
pub mod libraries;
pub mod login;
pub mod logout;
pub mod moods;
pub mod not_this_one;
pub mod pick;
pub mod profiles;
pub mod servers;
pub mod watch;
