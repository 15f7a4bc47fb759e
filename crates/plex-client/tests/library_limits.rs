//! Library listings in the cases mutation testing found nothing checked (docs/TESTING.md):
//! a section's size is the server's `totalSize`, asked with one empty page, and a server that
//! leaves `totalSize` out gets an error, not a guess; an empty section is empty while an
//! empty first page under a claimed total is an error; after the first page, pages are asked
//! at the server's real page size; `pages_in_flight` bounds the requests at once.

mod common;

use std::time::{Duration, Instant};

use common::*;
use plex_client::{endpoints, ErrorKind, LoadOptions, Section, SectionKind};
use plex_sim::{ConnectionKind, ConnectionSpec, Fault, LibraryKind, Scenario, ServerSpec, Sim};

fn scenario(movies: u32, shows: u32) -> Scenario {
    Scenario::new("sizes").with_server(
        ServerSpec::owned("Sized")
            .library(LibraryKind::Movie, "Movies", movies)
            .library(LibraryKind::Show, "TV Shows", shows)
            .page_cap(50)
            .connection(ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2").id("pd")),
    )
}

#[tokio::test]
async fn a_sections_size_is_its_total_asked_with_an_empty_page() {
    let sim = Sim::start(scenario(37, 4)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Sized").await.connection;
    let sections = conn.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let shows = sections
        .iter()
        .find(|s| s.kind == SectionKind::Show)
        .unwrap();
    sim.clear_log();
    assert_eq!(conn.section_size(&movies.key).await.unwrap(), 37);
    assert_eq!(conn.section_size(&shows.key).await.unwrap(), 4);
    // One request each, for no items: the size without the listing.
    let log = sim.request_log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].path, endpoints::section_all(&movies.key));
    for r in &log {
        assert_eq!(r.query_param("X-Plex-Container-Size").as_deref(), Some("0"));
    }

    // A server that leaves totalSize out: an invalid response, not a size of 0.
    assert!(sim.set_fault("pd", Fault::IgnoreOffsets));
    let err = conn.section_size(&movies.key).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    sim.shutdown().await;
}

async fn movies_section(conn: &plex_client::ServerConnection) -> Section {
    conn.sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap()
}

#[tokio::test]
async fn an_empty_section_is_empty_but_an_empty_first_page_under_a_total_is_an_error() {
    let sim = Sim::start(scenario(0, 2)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Sized").await.connection;
    let movies = movies_section(&conn).await;
    let items = conn
        .section_items(&movies, &LoadOptions::default())
        .await
        .unwrap();
    assert!(items.is_empty());

    // The same empty section claiming a huge total: one page asked, then an error.
    assert!(sim.set_fault("pd", Fault::LyingTotalSize));
    sim.clear_log();
    let err = conn
        .section_items(&movies, &LoadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert!(err.to_string().contains("empty first page"), "{err}");
    assert_eq!(sim.request_log().len(), 1);
    sim.shutdown().await;
}

/// Asked for 200 a page, the server answers 50: every later page is asked at 50, in order,
/// without overlap or gap.
#[tokio::test]
async fn later_pages_are_asked_at_the_servers_real_page_size() {
    let sim = Sim::start(scenario(420, 1)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Sized").await.connection;
    let movies = movies_section(&conn).await;
    sim.clear_log();
    let opts = LoadOptions {
        page_size: Some(200),
        pages_in_flight: Some(3),
        ..LoadOptions::default()
    };
    let items = conn.section_items(&movies, &opts).await.unwrap();
    assert_eq!(items.len(), 420);
    let mut asked: Vec<(usize, usize)> = sim
        .request_log()
        .iter()
        .map(|r| {
            let n = |k: &str| r.query_param(k).unwrap().parse::<usize>().unwrap();
            (n("X-Plex-Container-Start"), n("X-Plex-Container-Size"))
        })
        .collect();
    asked.sort();
    let mut want = vec![(0, 200)];
    want.extend(
        (50..420)
            .step_by(50)
            .map(|start| (start, 50.min(420 - start))),
    );
    assert_eq!(asked, want);
}

/// With one page in flight, pages are asked one after another: five pages at 150 ms each take
/// at least 750 ms (a lower bound: a slow machine only adds to it). Two at once would take
/// about 450 ms.
#[tokio::test]
async fn one_page_in_flight_asks_one_page_at_a_time() {
    let sim = Sim::start(scenario(250, 1)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Sized").await.connection;
    let movies = movies_section(&conn).await;
    assert!(sim.set_latency("pd", 150));
    sim.clear_log();
    let opts = LoadOptions {
        page_size: Some(50),
        pages_in_flight: Some(1),
        ..LoadOptions::default()
    };
    let t = Instant::now();
    let items = conn.section_items(&movies, &opts).await.unwrap();
    let took = t.elapsed();
    assert_eq!(items.len(), 250);
    assert_eq!(sim.request_log().len(), 5);
    assert!(took >= Duration::from_millis(740), "{took:?}");
}

/// A server that answers short pages after the first: the missing items are asked again
/// ("topped up") until the listing is whole, in order, without duplicates.
#[tokio::test]
async fn short_pages_are_topped_up_until_the_listing_is_whole() {
    let sim = Sim::start(scenario(300, 1)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Sized").await.connection;
    let movies = movies_section(&conn).await;
    let opts = LoadOptions {
        page_size: Some(50),
        pages_in_flight: Some(3),
        ..LoadOptions::default()
    };
    let whole = conn.section_items(&movies, &opts).await.unwrap();
    assert_eq!(whole.len(), 300);
    assert!(sim.set_fault("pd", Fault::ShortPages));
    sim.clear_log();
    let topped_up = conn.section_items(&movies, &opts).await.unwrap();
    let keys = |v: &[plex_client::Item]| v.iter().map(|i| i.rating_key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&topped_up), keys(&whole));
    // Short answers were followed by requests for the rest.
    let log = sim.request_log();
    assert!(log.len() > 6, "{} requests", log.len());
    assert!(log.iter().any(|r| {
        r.query_param("X-Plex-Container-Start")
            .is_some_and(|s| s.parse::<usize>().unwrap() % 50 != 0)
    }));
}

/// The page limit (`MAX_PAGES_PER_LISTING`, 10,000): a server that hands out one item a page
/// gets exactly 10,000 pages asked of it; a listing needing one page more is an error that
/// says so, after no more than 10,000 requests.
#[tokio::test]
async fn a_listing_stops_at_ten_thousand_pages() {
    let max = plex_client::MAX_PAGES_PER_LISTING;
    let sim = Sim::start(
        Scenario::new("pages").with_server(
            ServerSpec::owned("Paged")
                .library(LibraryKind::Movie, "Fits", max as u32)
                .library(LibraryKind::Movie, "Too many", max as u32 + 1)
                .page_cap(1)
                .connection(
                    ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2").id("pd"),
                ),
        ),
    )
    .await
    .unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Paged").await.connection;
    let sections = conn.sections().await.unwrap();
    let section = |title: &str| sections.iter().find(|s| s.title == title).unwrap().clone();
    let opts = LoadOptions {
        pages_in_flight: Some(8),
        ..LoadOptions::default()
    };
    sim.clear_log();
    let fits = conn.section_items(&section("Fits"), &opts).await.unwrap();
    assert_eq!(fits.len(), max);
    assert_eq!(sim.request_log().len(), max);
    sim.clear_log();
    let err = conn
        .section_items(&section("Too many"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert!(err.to_string().contains("more than 10000 pages"), "{err}");
    assert!(sim.request_log().len() <= max);
}
