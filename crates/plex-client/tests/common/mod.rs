//! Helpers for the integration tests: a client pointed at the simulator, trusting its CA,
//! with a resolver that never does real DNS.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use plex_client::{
    ClientConfig, ConnectOptions, Connected, NoDns, PlexClient, ProductInfo, Server, Token,
};
use plex_sim::{LoggedRequest, Scenario, Sim};

pub const CLIENT_ID: &str = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

pub fn config(sim: &Sim) -> ClientConfig {
    let mut cfg = ClientConfig::new(CLIENT_ID, ProductInfo::default())
        .with_plex_tv_url(sim.plex_tv_url())
        .with_extra_root_pem(sim.ca_pem())
        .with_resolver(Arc::new(NoDns));
    cfg.timeouts.connect = Duration::from_secs(1);
    cfg.timeouts.probe = Duration::from_secs(2);
    cfg.timeouts.confirm = Duration::from_secs(3);
    cfg.timeouts.request = Duration::from_secs(3);
    cfg.timeouts.fast_path = Duration::from_millis(800);
    cfg.race.relay_delay = Duration::from_millis(300);
    cfg
}

pub fn client(sim: &Sim) -> PlexClient {
    PlexClient::new(config(sim)).expect("client")
}

pub async fn start(name: &str) -> Sim {
    Sim::start(Scenario::builtin(name).expect("builtin"))
        .await
        .expect("sim")
}

pub fn account(sim: &Sim) -> Token {
    Token::new(sim.account_token())
}

pub async fn server(c: &PlexClient, sim: &Sim, name: &str) -> Server {
    c.servers(&account(sim))
        .await
        .expect("servers")
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no server {name}"))
}

pub async fn connect(c: &PlexClient, sim: &Sim, name: &str) -> Connected {
    let s = server(c, sim, name).await;
    c.connect(&s, &account(sim), &ConnectOptions::default())
        .await
        .expect("connect")
}

/// Every token value the sim knows about (account and server tokens).
pub fn all_tokens(sim: &Sim) -> Vec<String> {
    let mut v = vec![sim.account_token().to_string()];
    v.extend(sim.servers().into_iter().map(|s| s.access_token));
    v
}

/// No request's path or query carries any token.
pub fn assert_no_token_in_urls(sim: &Sim, log: &[LoggedRequest]) {
    let tokens = all_tokens(sim);
    for r in log {
        let url = format!("{}?{}", r.path, r.query.clone().unwrap_or_default());
        for t in &tokens {
            assert!(!url.contains(t.as_str()), "token in url: {}", r.path);
        }
        assert!(r.query_param("X-Plex-Token").is_none());
    }
}

/// Collects race or load events.
#[derive(Clone)]
pub struct Events<T>(pub Arc<Mutex<Vec<T>>>);

impl<T> Default for Events<T> {
    fn default() -> Self {
        Events(Arc::new(Mutex::new(Vec::new())))
    }
}

impl<T: Clone> Events<T> {
    pub fn push(&self, t: T) {
        if let Ok(mut v) = self.0.lock() {
            v.push(t);
        }
    }
    pub fn all(&self) -> Vec<T> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}
