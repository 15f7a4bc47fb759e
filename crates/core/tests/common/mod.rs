//! What the core's session tests share: settings kept in memory (every saved value recorded,
//! as JSON, to search for secrets) and the client set up against a simulator.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use plex_sim::Sim;
use plexpicker_core::client::{ClientSetup, Lookup};
use plexpicker_core::session::Persist;
use plexpicker_core::settings::Settings;

/// Settings kept in memory; every value saved, as JSON.
#[derive(Clone, Default)]
pub struct Saved(pub Arc<Mutex<Vec<String>>>);

impl Persist for Saved {
    fn update(
        &self,
        current: &Settings,
        change: &mut dyn FnMut(&mut Settings),
    ) -> plexpicker_core::Result<Settings> {
        let mut next = current.clone();
        change(&mut next);
        let json = serde_json::to_string(&next).expect("settings as JSON");
        self.0.lock().unwrap().push(json);
        Ok(next)
    }
}

impl Saved {
    /// Every value saved so far.
    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// The client as both front ends set it up, pointed at `sim` (no real DNS).
pub fn setup(sim: &Sim) -> ClientSetup {
    let mut setup = ClientSetup::new(
        "0b5d2c6e-8f61-4c8e-9a57-3c2d1e0f9a8b",
        "1.0",
        "Test",
        "Test",
    );
    setup.plex_tv_url = Some(sim.plex_tv_url());
    setup.extra_root_pems = vec![sim.ca_pem().to_string()];
    setup.lookup = Lookup::Never;
    setup
}

/// The newest history event for `title_id`, if any.
pub fn last_event(history: &picker::History, title_id: &str) -> Option<picker::Event> {
    history
        .entries
        .iter()
        .rev()
        .find(|e| e.title_id == title_id)
        .map(|e| e.event)
}
