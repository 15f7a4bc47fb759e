//! Generated catalogs: deterministic, realistic, and cheap at 100,000 items.

mod common;

use std::time::{Duration, Instant};

use common::{conn, get_json, plain_client};
use plex_sim::{ConnectionKind, ConnectionSpec, LibraryKind, Scenario, ServerSpec, Sim};
use serde_json::Value;

#[tokio::test]
async fn same_seed_same_catalog_other_seed_other_catalog() {
    let fetch = |seed: u64| async move {
        let sim = Sim::start(Scenario::single_server(40, 2).with_seed(seed))
            .await
            .unwrap();
        let base = conn(&sim, "test-http").uri;
        let (_, v) = get_json(
            &plain_client(),
            &format!("{base}/library/sections/1/all"),
            sim.account_token(),
        )
        .await;
        v
    };
    let a = fetch(5).await;
    let b = fetch(5).await;
    let c = fetch(6).await;
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[tokio::test]
async fn summaries_genres_and_ratings_are_varied() {
    let sim = Sim::start(Scenario::single_server(400, 0)).await.unwrap();
    let base = conn(&sim, "test-http").uri;
    let (_, v) = get_json(
        &plain_client(),
        &format!("{base}/library/sections/1/all"),
        sim.account_token(),
    )
    .await;
    let items = v["MediaContainer"]["Metadata"].as_array().unwrap();
    let text: String = items
        .iter()
        .map(|m| m["summary"].as_str().unwrap_or("").to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    for word in ["mind", "twist", "dream", "family", "love", "war", "future"] {
        assert!(text.contains(word), "no summary mentions {word}");
    }
    let mut genres = std::collections::HashSet::new();
    let mut ratings = std::collections::HashSet::new();
    for m in items {
        for g in m["Genre"].as_array().unwrap() {
            genres.insert(g["tag"].as_str().unwrap().to_string());
        }
        ratings.insert(m["contentRating"].as_str().unwrap().to_string());
        if let Some(a) = m.get("audienceRating") {
            let a = a.as_f64().unwrap();
            assert!((0.0..=10.0).contains(&a));
            assert_eq!((a * 10.0).round() / 10.0, a, "one decimal");
        }
    }
    assert!(genres.len() >= 15, "{genres:?}");
    assert!(genres.contains("Science Fiction") && genres.contains("Documentary"));
    assert_eq!(ratings.len(), 5);
}

#[tokio::test]
async fn hundred_thousand_items_page_quickly() {
    let scenario = Scenario::new("big").with_server(
        ServerSpec::owned("Big")
            .library(LibraryKind::Movie, "Movies", 100_000)
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("big")),
    );
    let t = Instant::now();
    let sim = Sim::start(scenario).await.unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "start took {:?}",
        t.elapsed()
    );
    let base = conn(&sim, "big").uri;
    let client = plain_client();
    let token = sim.account_token();
    let (_, count) = get_json(
        &client,
        &format!("{base}/library/sections/1/all?X-Plex-Container-Start=0&X-Plex-Container-Size=0"),
        token,
    )
    .await;
    assert_eq!(count["MediaContainer"]["totalSize"], 100_000);
    // Later pages (sorted by title, from the cached index) are quick.
    let t = Instant::now();
    for start in [0, 50_000, 99_950] {
        let (_, v) = get_json(&client, &format!("{base}/library/sections/1/all?X-Plex-Container-Start={start}&X-Plex-Container-Size=50"), token).await;
        assert_eq!(v["MediaContainer"]["size"], 50);
        assert_eq!(v["MediaContainer"]["offset"], start);
    }
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "pages took {:?}",
        t.elapsed()
    );
    let (_, last) = get_json(
        &client,
        &format!("{base}/library/metadata/{}", 1001 + 99_999),
        token,
    )
    .await;
    assert_eq!(last["MediaContainer"]["Metadata"][0]["type"], "movie");
    let _: Value = last;
}
