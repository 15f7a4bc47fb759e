//! Sections, paged items, episodes, loaded libraries and posters against the simulator.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use plex_client::{endpoints, Error, ItemKind, LoadOptions, LoadProgress, SectionKind};
use plex_sim::{ConnectionKind, ConnectionSpec, LibraryKind, Scenario, ServerSpec, Sim};

fn capped_scenario(movies: u32, shows: u32, cap: u32) -> Scenario {
    Scenario::new("paging").with_server(
        ServerSpec::owned("Paged")
            .library(LibraryKind::Movie, "Movies", movies)
            .library(LibraryKind::Show, "TV Shows", shows)
            .library(LibraryKind::Artist, "Music", 3)
            .page_cap(cap)
            .connection(ConnectionSpec::new(ConnectionKind::HttpsPlexDirect, "127.0.0.2").id("pd")),
    )
}

#[tokio::test]
async fn paging_trusts_the_server_size_and_reports_progress() {
    let sim = Sim::start(capped_scenario(1234, 7, 50)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Paged").await.connection;
    let sections = conn.sections().await.unwrap();
    assert_eq!(sections.len(), 2, "artist ignored");
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let progress = Events::<LoadProgress>::default();
    let p2 = progress.clone();
    let opts = LoadOptions {
        on_progress: Some(Arc::new(move |p| p2.push(p))),
        page_size: Some(200),
        pages_in_flight: Some(3),
        ..LoadOptions::default()
    };
    sim.clear_log();
    let items = conn.section_items(movies, &opts).await.unwrap();
    assert_eq!(items.len(), 1234);
    let keys: std::collections::HashSet<_> = items.iter().map(|i| i.rating_key.clone()).collect();
    assert_eq!(keys.len(), 1234, "no duplicates, no gaps");
    assert!(items
        .iter()
        .all(|i| i.kind == ItemKind::Movie && !i.title.is_empty()));
    let p = progress.all();
    assert_eq!(
        p.last(),
        Some(&LoadProgress {
            loaded: 1234,
            total: 1234
        })
    );
    assert!(p.windows(2).all(|w| w[0].loaded <= w[1].loaded));
    // Every page asked within the cap after the first answer showed the real page size.
    let pages: Vec<_> = sim
        .request_log()
        .into_iter()
        .filter(|r| r.path == endpoints::section_all(&movies.key))
        .collect();
    assert_eq!(pages.len(), 1234usize.div_ceil(50));
    // Items are typed.
    let m = &items[0];
    assert!(m.year.is_some() && m.duration.is_some() && m.thumb.is_some() && m.added_at.is_some());
    assert!(!m.genres.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn items_are_kept_as_their_pages_arrive_in_listing_order() {
    let sim = Sim::start(capped_scenario(1234, 7, 50)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Paged").await.connection;
    let sections = conn.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let opts = LoadOptions {
        page_size: Some(200),
        pages_in_flight: Some(3),
        ..LoadOptions::default()
    };
    let all: Vec<String> = conn
        .section_items(movies, &opts)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.rating_key)
        .collect();
    // Keep every other item's key: the same keys, in the listing's order, however the
    // pages in flight came back; progress counts every item received, kept or not.
    let progress = Events::<LoadProgress>::default();
    let p2 = progress.clone();
    let opts = LoadOptions {
        on_progress: Some(Arc::new(move |p| p2.push(p))),
        ..opts
    };
    let mut seen = 0usize;
    sim.clear_log();
    let kept = conn
        .section_items_with(movies, &opts, |item| {
            seen += 1;
            seen.is_multiple_of(2).then_some(item.rating_key)
        })
        .await
        .unwrap();
    assert_eq!(seen, 1234);
    let every_other: Vec<String> = all.iter().skip(1).step_by(2).cloned().collect();
    assert_eq!(kept, every_other);
    assert_eq!(
        progress.all().last(),
        Some(&LoadProgress {
            loaded: 1234,
            total: 1234
        })
    );
    assert_eq!(
        sim.request_log()
            .iter()
            .filter(|r| r.path == endpoints::section_all(&movies.key))
            .count(),
        1234usize.div_ceil(50),
        "the same pages asked"
    );
    // Episodes likewise.
    let tv = sections
        .iter()
        .find(|s| s.kind == SectionKind::Show)
        .unwrap();
    let episodes = conn
        .section_episodes(&tv.key, &LoadOptions::default())
        .await
        .unwrap();
    let shows: Vec<Option<String>> = conn
        .section_episodes_with(&tv.key, &LoadOptions::default(), |e| {
            Some(e.grandparent_rating_key)
        })
        .await
        .unwrap();
    assert!(!episodes.is_empty());
    assert_eq!(
        shows,
        episodes
            .into_iter()
            .map(|e| e.grandparent_rating_key)
            .collect::<Vec<_>>()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn loading_can_be_cancelled() {
    let sim = Sim::start(capped_scenario(3000, 1, 10)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Paged").await.connection;
    sim.set_latency("pd", 50);
    let sections = conn.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let opts = LoadOptions::default();
    let cancel = opts.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let t0 = Instant::now();
    let e = conn.section_items(movies, &opts).await.unwrap_err();
    assert!(matches!(e, Error::Cancelled));
    assert!(t0.elapsed() < Duration::from_secs(1));
    sim.shutdown().await;
}

#[tokio::test]
async fn shows_episodes_and_next_unwatched() {
    let sim = Sim::start(capped_scenario(5, 6, 40)).await.unwrap();
    let c = client(&sim);
    let conn = connect(&c, &sim, "Paged").await.connection;
    let sections = conn.sections().await.unwrap();
    let tv = sections
        .iter()
        .find(|s| s.kind == SectionKind::Show)
        .unwrap();
    let shows = conn
        .section_items(tv, &LoadOptions::default())
        .await
        .unwrap();
    assert_eq!(shows.len(), 6);
    let show = &shows[0];
    assert_eq!(show.kind, ItemKind::Show);
    assert!(show.leaf_count.unwrap_or(0) > 0);
    let eps = conn.episodes(&show.rating_key).await.unwrap();
    assert_eq!(eps.len() as u32, show.leaf_count.unwrap_or(0));
    assert!(eps.iter().all(|e| e.kind == ItemKind::Episode
        && e.grandparent_rating_key.as_deref() == Some(show.rating_key.as_str())));
    // The next episode, worked out here from the episodes: the unwatched one of the lowest
    // (season, episode), specials (season 0) only when no regular episode is left.
    let mut checked = 0;
    for show in &shows {
        let eps = conn.episodes(&show.rating_key).await.unwrap();
        let mut expected: Option<&plex_client::Item> = None;
        for e in eps.iter().filter(|e| e.view_count == 0) {
            let key = |x: &plex_client::Item| {
                let season = x.parent_index.unwrap_or(0);
                (season == 0, season, x.index.unwrap_or(0))
            };
            if expected.is_none_or(|best| key(e) < key(best)) {
                expected = Some(e);
            }
        }
        let next = conn.next_unwatched(&show.rating_key).await.unwrap();
        match expected {
            Some(want) => {
                let got = next.expect("an unwatched episode is left");
                assert_eq!(got.rating_key, want.rating_key, "{}", show.title);
                assert_eq!(got.view_count, 0);
                checked += 1;
            }
            None => assert!(next.is_none(), "{}", show.title),
        }
    }
    assert!(checked > 0, "no show with an unwatched episode to check");

    let all_eps = conn
        .section_episodes(&tv.key, &LoadOptions::default())
        .await
        .unwrap();
    let total: u32 = shows.iter().map(|s| s.leaf_count.unwrap_or(0)).sum();
    assert_eq!(all_eps.len() as u32, total);
    assert!(all_eps.iter().all(|e| e.parent_index.is_some()
        && e.index.is_some()
        && e.grandparent_rating_key.is_some()));

    // A loaded show library: its shows, and every episode of each.
    let lib = conn
        .load_library(tv, &LoadOptions::default())
        .await
        .unwrap();
    assert_eq!(lib.items.len(), 6);
    assert_eq!(lib.section.title, "TV Shows");
    let episodes_of_show = lib
        .episodes
        .iter()
        .filter(|e| e.grandparent_rating_key.as_deref() == Some(show.rating_key.as_str()))
        .count();
    assert_eq!(episodes_of_show as u32, show.leaf_count.unwrap_or(0));
    sim.shutdown().await;
}

#[tokio::test]
async fn movie_library_and_posters() {
    let sim = start("home").await;
    let c = client(&sim);
    let conn = connect(&c, &sim, "Home Server").await.connection;
    let sections = conn.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let lib = conn
        .load_library(movies, &LoadOptions::default())
        .await
        .unwrap();
    assert_eq!(lib.items.len(), 300);
    assert_eq!(lib.section.title, "Movies");
    assert!(lib.items.iter().all(|it| it.kind == ItemKind::Movie));
    assert!(lib.episodes.is_empty());

    let thumb = lib.items[0].thumb.clone().unwrap();
    sim.clear_log();
    let bytes = conn.poster(&thumb, 200, 300).await.unwrap();
    // A PNG of the size asked for: signature, then the IHDR chunk's width and height.
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    assert_eq!((be(&bytes[16..20]), be(&bytes[20..24])), (200, 300));
    let log = sim.request_log();
    let r = log
        .iter()
        .find(|r| r.path == endpoints::PHOTO_TRANSCODE)
        .unwrap();
    assert_eq!(r.query_param("url").as_deref(), Some(thumb.as_str()));
    assert_eq!(r.query_param("width").as_deref(), Some("200"));
    assert_eq!(r.query_param("minSize").as_deref(), Some("1"));
    assert!(r.header("x-plex-token").is_some());
    assert_no_token_in_urls(&sim, &log);

    // The poster cap.
    let mut cfg = config(&sim);
    cfg.limits.max_poster_bytes = 4;
    let small = plex_client::PlexClient::new(cfg).unwrap();
    let conn2 = connect(&small, &sim, "Home Server").await.connection;
    let e = conn2.poster(&thumb, 200, 300).await.unwrap_err();
    assert_eq!(e.kind(), plex_client::ErrorKind::InvalidResponse);
    sim.shutdown().await;
}
