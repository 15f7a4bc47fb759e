//! `/__sim/...` on the plex.tv listener: the [`crate::Sim`] controls over HTTP, for
//! other processes (the app under WebDriver, python, the CLI).
//!
//! | method | path | body | answer |
//! | --- | --- | --- | --- |
//! | GET | `/__sim/state` | | `{plex_tv_url, account_token, ca_path, scenario, servers}` |
//! | GET | `/__sim/servers` | | `[ServerInfo]` |
//! | GET | `/__sim/pins` | | `[{id, code, approved, ...}]` |
//! | POST | `/__sim/pins/{id}/approve` | | `{"approved":true}` or 404 |
//! | POST | `/__sim/pins/approve_all` | | `{"approved":N}` |
//! | POST | `/__sim/connections/{id}/fault` | a `Fault` (`"hang"`, `{"trickle":{"bytes_per_sec":50}}`) | `ConnectionInfo` |
//! | POST | `/__sim/connections/{id}/latency` | `{"latency_ms":N}` | `ConnectionInfo` |
//! | POST | `/__sim/connections/{id}/rotate_cert` | | `{"sha256":"..."}` |
//! | POST | `/__sim/rate_limit` | `{"next_requests":N}` | `{"next_requests":N}` |
//! | GET | `/__sim/profiles` | | `[ProfileInfo]` (the Home's profiles with their tokens) |
//! | POST | `/__sim/home/fault` | a `HomeFault` (`"wrong_pin_forbidden"`...) | `{"home_fault":...}` |
//! | GET | `/__sim/log` | | `[LoggedRequest]` |
//! | DELETE | `/__sim/log` (or POST `/__sim/log/clear`) | | `{"cleared":true}` |

use serde::Deserialize;
use serde_json::json;

use crate::fault::{Fault, HomeFault};
use crate::http::{Request, Response};
use crate::state::Shared;

fn bad(message: &str) -> Response {
    Response::json_value(400, &json!({"error": message}))
}

fn missing(what: &str) -> Response {
    Response::json_value(404, &json!({"error": format!("no such {what}")}))
}

fn ok(v: serde_json::Value) -> Response {
    Response::json_value(200, &v)
}

#[derive(Deserialize)]
struct Latency {
    latency_ms: u64,
}

#[derive(Deserialize)]
struct RateLimit {
    next_requests: u32,
}

pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    let parts: Vec<&str> = req.path.split('/').filter(|p| !p.is_empty()).collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("GET", ["__sim", "state"]) => {
            let url = shared
                .plex_tv_addr
                .lock()
                .ok()
                .and_then(|a| *a)
                .map(|a| format!("http://{a}"));
            let ca = shared
                .ca_path
                .lock()
                .ok()
                .and_then(|p| p.clone())
                .map(|p| p.display().to_string());
            ok(json!({
                "scenario": shared.scenario_name,
                "plex_tv_url": url,
                "account_token": shared.account.token,
                "ca_path": ca,
                "servers": to_json(&shared.servers()),
            }))
        }
        ("GET", ["__sim", "servers"]) => ok(to_json(&shared.servers())),
        ("GET", ["__sim", "pins"]) => ok(to_json(&shared.pins())),
        ("POST", ["__sim", "pins", "approve_all"]) => {
            ok(json!({"approved": shared.approve_all_pins()}))
        }
        ("POST", ["__sim", "pins", id, "approve"]) => match id.parse::<u64>() {
            Ok(id) if shared.approve_pin(id) => ok(json!({"approved": true})),
            _ => missing("pin"),
        },
        ("POST", ["__sim", "connections", id, "fault"]) => {
            let fault: Fault = match serde_json::from_slice(&req.body) {
                Ok(f) => f,
                Err(e) => return bad(&format!("invalid fault: {e}")),
            };
            if shared.set_fault(id, fault) {
                connection(shared, id)
            } else {
                missing("connection")
            }
        }
        ("POST", ["__sim", "connections", id, "latency"]) => {
            let l: Latency = match serde_json::from_slice(&req.body) {
                Ok(l) => l,
                Err(e) => return bad(&format!("invalid latency: {e}")),
            };
            if shared.set_latency(id, l.latency_ms) {
                connection(shared, id)
            } else {
                missing("connection")
            }
        }
        ("POST", ["__sim", "connections", id, "rotate_cert"]) => {
            match shared.rotate_self_signed(id) {
                Some(sha) => ok(json!({"sha256": sha})),
                None => missing("self-signed connection"),
            }
        }
        ("POST", ["__sim", "rate_limit"]) => {
            let r: RateLimit = match serde_json::from_slice(&req.body) {
                Ok(r) => r,
                Err(e) => return bad(&format!("invalid rate limit: {e}")),
            };
            shared
                .rate_limit
                .store(r.next_requests, std::sync::atomic::Ordering::SeqCst);
            ok(json!({"next_requests": r.next_requests}))
        }
        ("GET", ["__sim", "profiles"]) => ok(to_json(&shared.profiles())),
        ("POST", ["__sim", "home", "fault"]) => {
            let fault: HomeFault = match serde_json::from_slice(&req.body) {
                Ok(f) => f,
                Err(e) => return bad(&format!("invalid home fault: {e}")),
            };
            if let Ok(mut f) = shared.home_fault.lock() {
                *f = fault;
            }
            ok(json!({"home_fault": fault}))
        }
        ("GET", ["__sim", "log"]) => ok(to_json(&shared.log.snapshot())),
        ("DELETE", ["__sim", "log"]) | ("POST", ["__sim", "log", "clear"]) => {
            shared.log.clear();
            ok(json!({"cleared": true}))
        }
        _ => missing("control endpoint"),
    }
}

fn connection(shared: &Shared, id: &str) -> Response {
    match shared.connection(id) {
        Some(c) => ok(serde_json::to_value(c.info()).unwrap_or_default()),
        None => missing("connection"),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}
