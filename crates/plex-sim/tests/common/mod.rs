//! Helpers shared by the integration tests: reqwest clients that trust the sim's CA
//! (or accept anything) and resolve plex.direct names to loopback, never through DNS.
#![allow(dead_code)]

use std::time::Duration;

use plex_sim::{ConnectionInfo, Sim};

/// A client that trusts only the sim's CA and resolves every plex.direct host of the sim.
pub fn trusting_client(sim: &Sim) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(sim.ca_pem().as_bytes()).unwrap();
    let mut b = reqwest::Client::builder()
        .tls_certs_only([ca])
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .tls_info(true);
    for s in sim.servers() {
        for c in s.connections {
            b = b.resolve(&c.host, c.addr);
        }
    }
    b.build().unwrap()
}

/// A client that accepts any certificate (for self-signed connections), with resolution.
pub fn insecure_client(sim: &Sim) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .tls_info(true);
    for s in sim.servers() {
        for c in s.connections {
            b = b.resolve(&c.host, c.addr);
        }
    }
    b.build().unwrap()
}

/// A plain client for plex.tv and http connections.
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .unwrap()
}

pub fn conn(sim: &Sim, id: &str) -> ConnectionInfo {
    sim.connection(id)
        .unwrap_or_else(|| panic!("no connection {id}"))
}

/// GET `uri` + `path` with a token, asking for JSON; returns status and parsed JSON.
pub async fn get_json(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> (reqwest::StatusCode, serde_json::Value) {
    let r = client
        .get(url)
        .header("Accept", "application/json")
        .header("X-Plex-Token", token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v = r.json().await.unwrap_or(serde_json::Value::Null);
    (status, v)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
