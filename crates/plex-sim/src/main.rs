//! `plex-sim [SCENARIO_OR_FILE] [--seed N] [--approve-after-ms N] [--plex-tv-port N]`
//!
//! Prints `PLEX_TV_URL=...`, `SSL_CERT_FILE=...`, `ACCOUNT_TOKEN=...` (one per line),
//! then a table of servers and connections, and serves until Ctrl-C or SIGTERM.

use std::process::ExitCode;

use plex_sim::{Scenario, Sim};

const USAGE: &str =
    "usage: plex-sim [SCENARIO_OR_FILE] [--seed N] [--approve-after-ms N] [--plex-tv-port N]\n\
  SCENARIO_OR_FILE  a built-in (home, friends, hostile) or a .toml/.json file (default: home)";

struct Args {
    scenario: String,
    seed: Option<u64>,
    approve_after_ms: Option<u64>,
    plex_tv_port: Option<u16>,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args {
        scenario: "home".into(),
        seed: None,
        approve_after_ms: None,
        plex_tv_port: None,
    };
    let mut positional = None;
    let mut it = args.peekable();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| -> Result<u64, String> {
            let v = inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))?;
            v.parse()
                .map_err(|_| format!("{name}: `{v}` is not a number"))
        };
        match flag.as_str() {
            "--seed" => out.seed = Some(value("--seed")?),
            "--approve-after-ms" => out.approve_after_ms = Some(value("--approve-after-ms")?),
            "--plex-tv-port" => {
                let p = value("--plex-tv-port")?;
                out.plex_tv_port = Some(
                    u16::try_from(p).map_err(|_| format!("--plex-tv-port: {p} is not a port"))?,
                );
            }
            "-h" | "--help" => return Err(String::new()),
            f if f.starts_with('-') => return Err(format!("unknown option {f}")),
            _ if positional.is_none() => positional = Some(a),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    if let Some(p) = positional {
        out.scenario = p;
    }
    Ok(out)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("plex-sim: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let mut scenario = match Scenario::load(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("plex-sim: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    if let Some(port) = args.plex_tv_port {
        scenario.plex_tv_port = port;
    }
    if let Some(ms) = args.approve_after_ms {
        scenario.pins.approve_after_ms = Some(ms);
    }
    let sim = match Sim::start(scenario).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("plex-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("PLEX_TV_URL={}", sim.plex_tv_url());
    println!("SSL_CERT_FILE={}", sim.ca_path().display());
    println!("ACCOUNT_TOKEN={}", sim.account_token());
    println!();
    println!("scenario: {}", sim.scenario_name());
    for s in sim.servers() {
        let owner = s
            .owner_name
            .as_deref()
            .map(|o| format!("shared by {o}"))
            .unwrap_or_else(|| "owned".into());
        println!(
            "server {:?} ({owner}) machineIdentifier={} accessToken={}",
            s.name, s.machine_identifier, s.access_token
        );
        println!(
            "  {:<28} {:<18} {:<6} {:<6} {:<16} {:<22} uri",
            "connection", "kind", "local", "relay", "fault", "listening on"
        );
        for c in s.connections {
            println!(
                "  {:<28} {:<18} {:<6} {:<6} {:<16} {:<22} {}",
                c.id,
                c.kind.as_str(),
                c.local,
                c.relay,
                serde_json::to_string(&c.fault).unwrap_or_default(),
                c.addr.to_string(),
                c.uri
            );
            if let Some(sha) = c.self_signed_sha256 {
                println!("  {:<28} self-signed sha256 {sha}", "");
            }
        }
    }
    for p in sim.profiles() {
        let mut notes = Vec::new();
        if let Some(pin) = &p.pin {
            notes.push(format!("pin {pin}"));
        }
        if let Some(limit) = &p.content_limit {
            notes.push(format!("limited to {limit}"));
        }
        if p.guest {
            notes.push("guest".to_string());
        }
        println!(
            "home profile {:?} uuid={} token={} {}",
            p.title,
            p.uuid,
            p.token,
            notes.join(", ")
        );
        for (server, token) in &p.server_tokens {
            println!("  on {server:?} accessToken={token}");
        }
    }
    println!("control: {}/__sim/state", sim.plex_tv_url());
    wait_for_signal().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
