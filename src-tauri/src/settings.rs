//! The settings the app keeps: the core's one schema (shared with the CLI), which holds no
//! secret. Tokens are in the core's secret store (see [`crate::state::AppState::secrets`]).

pub use plexpicker_core::settings::{Account, Problem, SavedServer, Settings, SCHEMA_VERSION};
