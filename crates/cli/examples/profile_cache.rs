//! Where a cached pick's time goes, step by step, in one process: reading the cache file
//! (checked and decoded as it is read, the stored index included), indexing the catalog
//! again (what a cache without its index would cost), one pick.
//!
//! `cargo run --release -p plexpicker-cli --example profile_cache -- PATH [RUNS]` with `PATH` a
//! `cli-catalog.bin` (for example one that `bench_cli` writes, or your own in
//! `~/.config/plexpicker`). Reports the median of `RUNS` (default 9) for each step. Like the
//! CLI, nothing read is freed (each run's memory is new to the process, as in a real start).

use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: profile_cache PATH [RUNS]")?;
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let (mut read, mut index, mut pick) = (vec![], vec![], vec![]);
    let mut titles = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let cached = plexpicker_core::cache::read(std::path::Path::new(&path))
            .map_err(|e| format!("not a usable cache: {e:?}"))?;
        read.push(t.elapsed());
        titles = cached.catalog.catalog().len();
        let copy = cached.catalog.catalog().clone();
        let t = Instant::now();
        let rebuilt = picker::IndexedCatalog::new(copy);
        index.push(t.elapsed());
        let t = Instant::now();
        let ctx = picker::PickContext::new(1_750_000_000, 20 * 60, 1);
        let got = cached.catalog.pick(
            &picker::Choices::default(),
            &picker::History::default(),
            &ctx,
        )?;
        pick.push(t.elapsed());
        std::hint::black_box(got);
        std::mem::forget(rebuilt);
        std::mem::forget(cached);
    }
    println!(
        "{titles} titles, medians of {runs}: read, check and decode (the stored index included) {:.1} ms | indexing again (what a cache without its index costs) {:.1} ms | one pick {:.1} ms",
        median(read),
        median(index),
        median(pick)
    );
    Ok(())
}
