//! A small benchmark of [`crate::pick`], for `cargo xtask bench` and
//! `cargo run -p picker --release --example bench_pick`. (This module reads
//! the clock to time picks; the picker itself never does.)

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::choices::{Choices, Format, Mood, RuntimeLimit, WatchFilter};
use crate::history::History;
use crate::index::IndexedCatalog;
use crate::pick::{pick, PickContext};
use crate::room::{Member, Room};
use crate::testing::{synthetic_catalog, SYNTHETIC_NOW};

/// Timings of repeated picks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// Catalog size.
    pub items: usize,
    /// Number of timed picks.
    pub runs: usize,
    /// Median time of one pick, in milliseconds.
    pub median_ms: f64,
    /// 95th percentile, in milliseconds.
    pub p95_ms: f64,
    /// Time to build the [`IndexedCatalog`] once, in milliseconds.
    pub index_ms: f64,
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pick over {} items: median {:.2} ms, p95 {:.2} ms ({} runs; indexing once: {:.1} ms)",
            self.items, self.median_ms, self.p95_ms, self.runs, self.index_ms
        )
    }
}

/// The choices the benchmark uses: several filters and a mood that reads summaries.
pub fn bench_choices() -> Choices {
    Choices {
        format: Format::Any,
        watch: WatchFilter::Unwatched,
        mood: Mood::FeelGood,
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 120 }),
        exclude_genres: vec!["Horror".into()],
        min_audience: Some(5.0),
        ..Choices::default()
    }
}

/// A history of 300 picks and rejections over the last weeks.
pub fn bench_history(n: usize) -> History {
    let mut h = History::default();
    for i in 0..300usize {
        let id = ((i * 7919) % n.max(1) + 1).to_string();
        let at = SYNTHETIC_NOW - (i as i64) * 3_600 * 5;
        if i % 3 == 0 {
            h.reject(id, crate::RejectReason::NotInTheMood, Mood::FeelGood, at);
        } else {
            h.record_pick(id, at);
        }
    }
    h
}

/// Times `iterations` picks (each with a different seed) with
/// [`bench_choices`] over a synthetic catalog of `n` titles, indexed once
/// ([`IndexedCatalog::pick`], what the app does).
pub fn run(n: usize, iterations: usize) -> BenchReport {
    run_with(n, iterations, &bench_choices())
}

/// Like [`run`], with other choices.
pub fn run_with(n: usize, iterations: usize, choices: &Choices) -> BenchReport {
    let start = Instant::now();
    let catalog = synthetic_catalog(n, 1);
    let gen_ms = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let indexed = IndexedCatalog::new(catalog);
    let index_ms = start.elapsed().as_secs_f64() * 1000.0;
    let _ = gen_ms;
    let history = bench_history(n);
    time_picks(n, iterations, index_ms, |ctx| {
        indexed.pick(choices, &history, ctx)
    })
}

/// A room of three over a synthetic catalog of `n` titles: the account, a profile that has
/// watched about a third of the titles, and a restricted profile that may see four titles in
/// five and nothing above PG-13.
pub fn bench_room(n: usize) -> Room {
    let seen = (1..=n)
        .filter(|i| i % 3 == 0)
        .map(|i| (i.to_string(), (i % 5) as u32 + 1))
        .collect();
    let visible = (1..=n)
        .filter(|i| i % 5 != 0)
        .map(|i| i.to_string())
        .collect();
    Room::new(vec![
        Member::account("Me"),
        Member::profile("Sam", seen),
        Member::profile("Kim", Default::default())
            .with_visible(visible)
            .with_max_content(crate::ContentLevel::Teens),
    ])
}

/// Like [`run_with`], for the room of [`bench_room`], worked out once
/// ([`IndexedCatalog::index_room`], then [`IndexedCatalog::pick_for`]: what the app should
/// do); `index_ms` is the catalog's indexing plus the room's.
pub fn run_room(n: usize, iterations: usize, choices: &Choices) -> BenchReport {
    let start = Instant::now();
    let indexed = IndexedCatalog::new(synthetic_catalog(n, 1));
    let room = indexed.index_room(bench_room(n));
    let index_ms = start.elapsed().as_secs_f64() * 1000.0;
    let history = bench_history(n);
    time_picks(n, iterations, index_ms, |ctx| {
        indexed.pick_for(&room, choices, &history, ctx)
    })
}

/// Like [`run_room`], working the room out on every pick ([`IndexedCatalog::pick_in`]).
pub fn run_room_unindexed(n: usize, iterations: usize, choices: &Choices) -> BenchReport {
    let start = Instant::now();
    let indexed = IndexedCatalog::new(synthetic_catalog(n, 1));
    let index_ms = start.elapsed().as_secs_f64() * 1000.0;
    let history = bench_history(n);
    let room = bench_room(n);
    time_picks(n, iterations, index_ms, |ctx| {
        indexed.pick_in(&room, choices, &history, ctx)
    })
}

/// Times [`pick`] straight from a [`crate::Catalog`] (indexing it on every call).
pub fn run_unindexed(n: usize, iterations: usize, choices: &Choices) -> BenchReport {
    let catalog = synthetic_catalog(n, 1);
    let history = bench_history(n);
    time_picks(n, iterations, 0.0, |ctx| {
        pick(&catalog, choices, &history, ctx)
    })
}

fn time_picks(
    n: usize,
    iterations: usize,
    index_ms: f64,
    pick: impl Fn(&PickContext) -> crate::Result<crate::PickResult>,
) -> BenchReport {
    let iterations = iterations.max(1);
    // Warm up.
    for seed in 0..3 {
        let _ = pick(&PickContext::new(SYNTHETIC_NOW, 20 * 60, seed));
    }
    let mut times: Vec<f64> = (0..iterations as u64)
        .map(|seed| {
            let ctx = PickContext::new(SYNTHETIC_NOW, 20 * 60, seed);
            let start = Instant::now();
            let r = pick(&ctx);
            let elapsed = start.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(r.is_ok());
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    BenchReport {
        items: n,
        runs: times.len(),
        median_ms: at(0.5),
        p95_ms: at(0.95),
        index_ms,
    }
}
