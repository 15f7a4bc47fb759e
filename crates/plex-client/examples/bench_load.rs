//! Loading a 50,000-item movie library: this client versus python-plexapi `section.all()`.
//!
//! `cargo run --release -p plex-client --example bench_load [-- --items N]`
//!
//! The simulator runs in a child process (this example re-executed with `--serve`), so its
//! memory is not counted against either client. Both clients talk plain http to the same
//! simulated server on 127.0.0.2. Reported: wall time (connect + sections + every item) and
//! peak memory of the whole client process: VmHWM from /proc/self/status here, and
//! `resource.getrusage(RUSAGE_SELF).ru_maxrss` inside the python process.
//! Targets: >= 10x faster, <= 1/5 of the peak memory.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use plex_client::{
    ClientConfig, ConnectOptions, LoadOptions, NoDns, PlexClient, ProductInfo, SectionKind, Token,
};
use plex_sim::{ConnectionKind, ConnectionSpec, LibraryKind, Scenario, ServerSpec, Sim};

const PYTHON: &str = r#"
import json, resource, sys, time
t0 = time.perf_counter()
from plexapi.server import PlexServer
t_import = time.perf_counter() - t0
t0 = time.perf_counter()
plex = PlexServer(sys.argv[1], sys.argv[2], timeout=300)
section = [s for s in plex.library.sections() if s.type == "movie"][0]
items = section.all()
dt = time.perf_counter() - t0
print(json.dumps({"items": len(items), "seconds": dt, "import_seconds": t_import,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"#;

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

fn vm_hwm_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Child mode: serve the scenario, print the server URL and token, wait for stdin to close.
async fn serve(items: u32) -> Result<(), Box<dyn std::error::Error>> {
    let scenario = Scenario::new("bench-load").with_server(
        ServerSpec::owned("Bench Server")
            .library(LibraryKind::Movie, "Movies", items)
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("bench-http")),
    );
    let sim = Sim::start(scenario).await?;
    let conn = sim.connection("bench-http").ok_or("no connection")?;
    println!("{} {} {}", sim.plex_tv_url(), sim.account_token(), conn.uri);
    std::io::stdout().flush()?;
    // Until the parent closes our stdin.
    tokio::task::spawn_blocking(|| {
        let mut s = String::new();
        let _ = std::io::stdin().read_line(&mut s);
    })
    .await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let items: u32 = arg("--items")
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    if std::env::args().any(|a| a == "--serve") {
        return serve(items).await;
    }
    let mut child = Command::new(std::env::current_exe()?)
        .args(["--serve", "--items", &items.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (plex_tv, token, pms) = match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), Some(c)) => (a.to_string(), b.to_string(), c.to_string()),
        _ => return Err(format!("child said {line:?}").into()),
    };

    // This client: connect (race), sections, every movie.
    let hwm_before = vm_hwm_kb().unwrap_or(0);
    let t0 = Instant::now();
    let cfg = ClientConfig::new("bench-load-client", ProductInfo::default())
        .with_plex_tv_url(plex_tv)
        .with_resolver(Arc::new(NoDns));
    let client = PlexClient::new(cfg)?;
    let account = Token::new(token.clone());
    let server = client
        .servers(&account)
        .await?
        .into_iter()
        .next()
        .ok_or("no server")?;
    let conn = client
        .connect(&server, &account, &ConnectOptions::default())
        .await?
        .connection;
    let sections = conn.sections().await?;
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .ok_or("no movie section")?;
    let loaded = conn.section_items(movies, &LoadOptions::default()).await?;
    let ours_s = t0.elapsed().as_secs_f64();
    let ours_kb = vm_hwm_kb().unwrap_or(0);
    let count = loaded.len();
    drop(loaded);

    // python-plexapi against the same server (the Python `cargo xtask bench` installed it in).
    let python = std::env::var("PLEXPICKER_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .args(["-c", PYTHON, &pms, &token])
        .stderr(Stdio::inherit())
        .output()?;
    drop(child.stdin.take());
    let _ = child.wait();
    let py: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "python output {:?}: {e}",
            String::from_utf8_lossy(&out.stdout)
        )
    })?;
    let py_s = py["seconds"].as_f64().unwrap_or(f64::NAN);
    let py_kb = py["maxrss_kb"].as_f64().unwrap_or(f64::NAN);
    let py_items = py["items"].as_u64().unwrap_or(0);

    println!("bench_load: {items}-item movie library from plex-sim (http, loopback)");
    println!("                      plex-client    python-plexapi   ratio");
    println!("  items               {count:>11}    {py_items:>14}",);
    println!(
        "  wall time           {:>9.3} s    {:>12.3} s   {:>6.1}x faster (target >= 10x: {})",
        ours_s,
        py_s,
        py_s / ours_s,
        if py_s / ours_s >= 10.0 {
            "met"
        } else {
            "MISSED"
        }
    );
    println!(
        "  peak memory         {:>8.1} MiB    {:>10.1} MiB   {:>6.2} of plexapi (target <= 0.20: {})",
        ours_kb as f64 / 1024.0,
        py_kb / 1024.0,
        ours_kb as f64 / py_kb,
        if (ours_kb as f64 / py_kb) <= 0.2 { "met" } else { "MISSED" }
    );
    println!(
        "  (our VmHWM before loading: {:.1} MiB; python import time {:.2} s not counted)",
        hwm_before as f64 / 1024.0,
        py["import_seconds"].as_f64().unwrap_or(0.0)
    );
    Ok(())
}
