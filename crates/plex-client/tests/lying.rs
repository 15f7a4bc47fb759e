//! Lying servers (issue 10, point 3): a huge `totalSize`, ignored offsets and oversized pages
//! neither exhaust memory nor loop forever. Each case measures the peak of heap memory the
//! whole process (client and simulator) holds during the load, with a counting allocator.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use plex_client::{endpoints, ErrorKind, Item, LoadOptions, PlexClient, SectionKind};
use plex_sim::{ConnectionKind, ConnectionSpec, Fault, LibraryKind, Scenario, ServerSpec, Sim};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1024 * 1024;

/// Runs `f` and returns its result with the growth of the heap's peak over what was in use
/// when it started.
async fn peak_during<T>(f: impl std::future::Future<Output = T>) -> (T, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f.await;
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

fn lying_scenario(fault: Fault) -> Scenario {
    Scenario::new("lying").with_server(
        ServerSpec::owned("Liar")
            .library(LibraryKind::Movie, "Movies", 50)
            .connection(
                ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2")
                    .id("liar")
                    .fault(fault),
            ),
    )
}

async fn load(c: &PlexClient, sim: &Sim, page_size: usize) -> plex_client::Result<Vec<Item>> {
    let conn = connect(c, sim, "Liar").await.connection;
    let sections = conn.sections().await.expect("sections");
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .expect("movies");
    let opts = LoadOptions {
        page_size: Some(page_size),
        ..LoadOptions::default()
    };
    sim.clear_log();
    // A server that is paged forever fails the test here instead of hanging it.
    tokio::time::timeout(Duration::from_secs(20), conn.section_items(movies, &opts))
        .await
        .expect("the load ended")
}

fn pages_asked(sim: &Sim) -> usize {
    sim.request_log()
        .iter()
        .filter(|r| r.path.starts_with(endpoints::SECTIONS) && r.path.ends_with("/all"))
        .count()
}

// One test so that the three measurements never overlap in time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lying_servers_are_bounded() {
    // An item is a few hundred bytes: millions of them are gigabytes.
    assert!(std::mem::size_of::<Item>() >= 200);

    // totalSize of 10^12 over 50 real items: the 50 items; the first empty page ends the load
    // (with 4 pages in flight, a few more may already be on their way).
    let sim = Sim::start(lying_scenario(Fault::LyingTotalSize))
        .await
        .unwrap();
    let c = client(&sim);
    let (items, peak) = peak_during(load(&c, &sim, 20)).await;
    let items = items.unwrap();
    assert_eq!(items.len(), 50);
    let pages = pages_asked(&sim);
    assert!(pages <= 10, "{pages} pages asked");
    assert!(peak < 32 * MIB, "lying totalSize: peak {} MiB", peak / MIB);
    sim.shutdown().await;

    // Offsets ignored and no totalSize: the repeated page stops the load with an error.
    let sim = Sim::start(lying_scenario(Fault::IgnoreOffsets))
        .await
        .unwrap();
    let c = client(&sim);
    let (r, peak) = peak_during(load(&c, &sim, 20)).await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    assert!(e.to_string().contains("same page twice"), "{e}");
    assert_eq!(pages_asked(&sim), 2);
    assert!(peak < 32 * MIB, "ignored offsets: peak {} MiB", peak / MIB);
    sim.shutdown().await;

    // A 12 MiB page of `{}`: never more than the 100 items asked for are built.
    let sim = Sim::start(lying_scenario(Fault::OversizedPage {
        bytes: 12 * MIB as u32,
    }))
    .await
    .unwrap();
    let mut cfg = config(&sim);
    cfg.limits.max_body_bytes = 16 * MIB;
    cfg.timeouts.request = Duration::from_secs(15);
    let c = PlexClient::new(cfg).unwrap();
    let (r, peak) = peak_during(load(&c, &sim, 100)).await;
    // Whatever the verdict (the second page repeats the first), it is bounded.
    match r {
        Ok(items) => assert!(items.len() <= 100, "{} items", items.len()),
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}"),
    }
    assert!(pages_asked(&sim) <= 2);
    // The 12 MiB body exists a few times over (simulator and client); 4 million items
    // would be well over a gigabyte.
    assert!(peak < 160 * MIB, "oversized page: peak {} MiB", peak / MIB);
    sim.shutdown().await;
}
