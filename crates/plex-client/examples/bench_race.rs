//! Race time with dead and hanging candidates versus the one working candidate alone.
//!
//! `cargo run --release -p plex-client --example bench_race [-- --rounds N]`
//!
//! Uses the simulator's `hostile` scenario on loopback (no real DNS: the resolver resolves
//! nothing, plex.direct names are reached through the IP in their first label). Prints the
//! median connect time of (a) the healthy connection alone and (b) the full race with every
//! candidate (hanging, refused, reset, 500, truncated, malformed, trickling, wrong identity,
//! slow relay), and their difference. Target: within 50 ms.

use std::sync::Arc;
use std::time::{Duration, Instant};

use plex_client::{ClientConfig, ConnectOptions, NoDns, PlexClient, ProductInfo, Token};
use plex_sim::{Scenario, Sim};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = std::env::args()
        .skip_while(|a| a != "--rounds")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let scenario = Scenario::builtin("hostile").ok_or("no hostile scenario")?;
    let sim = Sim::start(scenario).await?;
    let cfg = ClientConfig::new("bench-race-client", ProductInfo::default())
        .with_plex_tv_url(sim.plex_tv_url())
        .with_extra_root_pem(sim.ca_pem())
        .with_resolver(Arc::new(NoDns));
    let client = PlexClient::new(cfg)?;
    let account = Token::new(sim.account_token());
    let server = client
        .servers(&account)
        .await?
        .into_iter()
        .next()
        .ok_or("no server")?;
    let healthy_uri = sim
        .connection("hostile-healthy")
        .ok_or("no healthy connection")?
        .uri;
    let mut alone = server.clone();
    alone.connections.retain(|c| c.uri == healthy_uri);

    let opts = ConnectOptions::default();
    // Warm up both paths once.
    client.connect(&alone, &account, &opts).await?;
    client.connect(&server, &account, &opts).await?;

    let mut solo = Vec::new();
    let mut race = Vec::new();
    let mut candidates = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let c = client.connect(&alone, &account, &opts).await?;
        solo.push(t.elapsed());
        assert_eq!(c.report.uri, healthy_uri);

        let t = Instant::now();
        let c = client.connect(&server, &account, &opts).await?;
        race.push(t.elapsed());
        assert_eq!(c.report.uri, healthy_uri);
        candidates = c.report.diagnosis.candidates.len();
    }
    let (s, r) = (median(solo), median(race));
    let diff_ms = r.as_secs_f64() * 1e3 - s.as_secs_f64() * 1e3;
    println!("bench_race: hostile scenario, {candidates} candidates, {rounds} rounds (medians)");
    println!(
        "  healthy candidate alone : {:8.1} ms",
        s.as_secs_f64() * 1e3
    );
    println!(
        "  full race               : {:8.1} ms",
        r.as_secs_f64() * 1e3
    );
    println!(
        "  difference              : {:8.1} ms (target <= 50 ms: {})",
        diff_ms,
        if diff_ms <= 50.0 { "met" } else { "MISSED" }
    );
    println!(
        "  ratio race/alone        : {:8.2}x",
        r.as_secs_f64() / s.as_secs_f64().max(1e-9)
    );
    sim.shutdown().await;
    Ok(())
}
