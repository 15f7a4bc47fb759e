//! What the running app holds: the core's [`Session`] (settings saved through the store
//! plugin, the secret store, the Plex client, the live state) and what only the shell knows.

use std::ops::Deref;

use plexpicker_core::session::Session;

pub use plexpicker_core::session::now;

use crate::config::Paths;

/// The app's managed state.
pub struct AppState {
    pub paths: Paths,
    /// plex.tv is simulated (development, tests): its pages are not for the browser.
    pub simulated: bool,
    core: Session,
}

impl AppState {
    pub fn new(paths: Paths, simulated: bool, core: Session) -> Self {
        Self {
            paths,
            simulated,
            core,
        }
    }
}

/// Commands call the core's use cases on the state directly.
impl Deref for AppState {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.core
    }
}
