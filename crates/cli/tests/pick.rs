//! `pick` end to end: filters obeyed, alternatives distinct, reasons and watch links, the
//! catalog cache, nothing-matches, and `not-this-one`.

mod common;

use common::*;
use serde_json::Value;

fn all_picks(v: &Value) -> Vec<Value> {
    let mut picks = vec![v["top"].clone()];
    picks.extend(v["alternatives"].as_array().cloned().unwrap_or_default());
    picks
}

fn assert_watch_link(p: &Value, machine_id: &str) {
    let id = p["id"].as_str().expect("id");
    assert!(!id.is_empty());
    assert_eq!(
        p["watch_url"],
        format!(
            "https://app.plex.tv/desktop/#!/server/{machine_id}/details?key=%2Flibrary%2Fmetadata%2F{id}"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pick_obeys_the_filters_and_explains_itself() {
    let env = builtin("home").await;
    env.sign_in().await;
    let run = env
        .run(&[
            "pick",
            "--format",
            "movie",
            "--history",
            "unwatched",
            "--max-minutes",
            "120",
            "--exclude-genre",
            "Horror",
            "--seed",
            "7",
            "--json",
        ])
        .await;
    run.ok();
    let v = run.json();
    let mid = env.machine_id("Home Server");
    assert_eq!(v["server"]["machine_identifier"], mid.as_str());
    assert_eq!(v["catalog"]["cached"], false);
    assert_eq!(v["catalog"]["titles"], 340);
    assert_eq!(v["seed"], 7);
    assert_eq!(v["choices"]["format"], "movie");
    assert_eq!(v["choices"]["runtime"]["minutes"], 120);
    assert!(v["matches"].as_u64().is_some_and(|n| n > 7));
    let picks = all_picks(&v);
    assert_eq!(picks.len(), 7, "a top pick and six alternatives: {v}");
    let mut ids: Vec<&str> = picks.iter().filter_map(|p| p["id"].as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 7, "distinct ids: {v}");
    for p in &picks {
        assert_eq!(p["kind"], "movie", "{p}");
        let minutes = p["minutes"].as_u64().expect("a runtime");
        assert!(minutes <= 120, "{p}");
        let genres = p["genres"].as_array().expect("genres");
        assert!(genres.iter().all(|g| g != "Horror"), "{p}");
        let facts = p["facts"].as_array().expect("facts");
        assert!(facts.iter().any(|f| f["fact"] == "unwatched"), "{p}");
        let reason = p["reason"].as_str().expect("reason");
        assert!(reason.len() > 10 && reason.contains("film"), "{reason}");
        assert!(p["score"].as_u64().is_some_and(|s| s <= 100));
        assert_watch_link(p, &mid);
    }
    // The pick is remembered in the history.
    let s = env.settings();
    let entries = s["history"]["entries"].as_array().expect("history");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["title_id"], v["top"]["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pick_with_decades_ratings_and_shows() {
    let env = builtin("home").await;
    env.sign_in().await;
    let run = env
        .run(&[
            "pick",
            "--decades",
            "1980s,1990s",
            "--max-content-rating",
            "PG-13",
            "--min-rating",
            "5",
            "--json",
        ])
        .await;
    run.ok();
    let v = run.json();
    assert_eq!(
        v["choices"]["years"]["decades"],
        serde_json::json!([1980, 1990])
    );
    for p in all_picks(&v) {
        let year = p["year"].as_u64().expect("year");
        assert!((1980..=1999).contains(&year), "{p}");
        let rating = p["content_rating"].as_str().expect("rated");
        assert!(
            ["G", "PG", "PG-13", "TV-Y", "TV-Y7", "TV-G", "TV-PG", "TV-14"].contains(&rating),
            "{p}"
        );
        let critic = p["facts"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["fact"] == "critic_rating"))
            .and_then(|f| f["rating"].as_f64())
            .expect("critic rating cited");
        assert!(critic >= 5.0, "{p}");
    }

    let run = env
        .run(&[
            "pick",
            "--format",
            "show",
            "--history",
            "unwatched",
            "--mood",
            "anything",
            "--json",
        ])
        .await;
    run.ok();
    let v = run.json();
    assert_eq!(
        v["catalog"]["cached"], true,
        "the second pick uses the cache"
    );
    for p in all_picks(&v) {
        assert_eq!(p["kind"], "show");
        let ep = &p["episode"];
        assert!(ep["season"].as_u64().is_some(), "next episode offered: {p}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_of_the_previous_format_is_loaded_again_and_replaced() {
    let env = builtin("home").await;
    env.sign_in().await;
    let first = env.run(&["pick", "--json", "--seed", "5"]).await;
    first.ok();
    let cache = env.dir.path().join("cli-catalog.bin");
    // The same file, said to be of format 1 (the body before the string table and the
    // stored index): it must not be read as format 2.
    let mut bytes = std::fs::read(&cache).unwrap();
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    std::fs::write(&cache, &bytes).unwrap();
    env.sim.clear_log();
    let run = env.run(&["pick", "--json", "--seed", "5"]).await;
    run.ok();
    let v = run.json();
    assert_eq!(v["catalog"]["cached"], false, "an old cache was used");
    assert!(
        env.sim
            .request_log()
            .iter()
            .any(|r| r.listener == "pms" && r.path.ends_with("/all")),
        "the libraries were loaded again"
    );
    // The catalog loaded again is the one the cache held: same number of titles.
    assert_eq!(v["catalog"]["titles"], first.json()["catalog"]["titles"]);
    let written = std::fs::read(&cache).unwrap();
    assert_eq!(
        &written[8..12],
        &2u32.to_le_bytes(),
        "rewritten in format 2"
    );
    env.sim.clear_log();
    let run = env.run(&["pick", "--json"]).await;
    run.ok();
    assert_eq!(run.json()["catalog"]["cached"], true);
    assert!(env.sim.request_log().iter().all(|r| r.listener != "pms"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_is_cached_until_refresh() {
    let env = builtin("home").await;
    env.sign_in().await;
    env.run(&["pick", "--json"]).await.ok();
    let cache = env.dir.path().join("cli-catalog.bin");
    assert!(cache.exists());
    env.sim.clear_log();
    let run = env.run(&["pick", "--json"]).await;
    run.ok();
    assert_eq!(run.json()["catalog"]["cached"], true);
    assert!(
        env.sim.request_log().iter().all(|r| r.listener != "pms"),
        "no server requests with a cached catalog"
    );
    // A damaged cache (one byte of a title changed) is not trusted: it is loaded again, and
    // the new cache is whole.
    let mut bytes = std::fs::read(&cache).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    std::fs::write(&cache, &bytes).unwrap();
    let run = env.run(&["pick", "--json"]).await;
    run.ok();
    assert_eq!(
        run.json()["catalog"]["cached"],
        false,
        "a damaged cache was used"
    );
    let run = env.run(&["pick", "--json"]).await;
    run.ok();
    assert_eq!(
        run.json()["catalog"]["cached"],
        true,
        "the rebuilt cache is whole"
    );
    env.sim.clear_log();
    let run = env.run(&["pick", "--refresh", "--json"]).await;
    run.ok();
    assert_eq!(run.json()["catalog"]["cached"], false);
    assert!(env
        .sim
        .request_log()
        .iter()
        .any(|r| r.listener == "pms" && r.path.ends_with("/all")));
    // In text mode the load names each library once, on stderr; --json keeps stderr quiet.
    let run = env.run(&["pick", "--refresh"]).await;
    run.ok();
    let loading: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("Loading "))
        .collect();
    assert_eq!(
        loading,
        ["Loading Movies...", "Loading TV Shows..."],
        "{run:?}"
    );
    let run = env.run(&["pick", "--refresh", "--json"]).await;
    assert!(!run.stderr.contains("Loading"), "{run:?}");
    // A different library selection is another catalog.
    let run = env.run(&["pick", "--library", "Movies", "--json"]).await;
    run.ok();
    let v = run.json();
    assert_eq!(v["catalog"]["cached"], false);
    assert_eq!(v["catalog"]["titles"], 300);
    let run = env.run(&["pick", "--library", "Nope", "--json"]).await;
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.error_json()["kind"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_matches_exits_5_with_the_typed_message() {
    let env = builtin("home").await;
    env.sign_in().await;
    let run = env
        .run(&[
            "pick",
            "--format",
            "movie",
            "--genre",
            "No Such Genre",
            "--json",
        ])
        .await;
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stdout.is_empty());
    let e = run.error_json();
    assert_eq!(e["kind"], "no_match");
    assert_eq!(e["exit_code"], 5);
    assert_eq!(e["details"]["blocking"], "include_genres");
    assert!(e["details"]["without"].as_u64().is_some_and(|n| n > 0));
    assert!(e["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("nothing matches: no movies in No Such Genre")));

    let run = env
        .run(&["pick", "--format", "movie", "--genre", "No Such Genre"])
        .await;
    assert_eq!(run.code, 5);
    assert!(
        run.stderr
            .trim()
            .starts_with("error: nothing matches: no movies"),
        "{run:?}"
    );
    assert!(run.stderr.contains("without the genre"), "{run:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_this_one_is_remembered() {
    let env = builtin("home").await;
    env.sign_in().await;
    let v = env.run(&["pick", "--json"]).await.ok().json();
    let alt = v["alternatives"][0].clone();
    let id = alt["id"].as_str().expect("id");
    let run = env
        .run(&["not-this-one", id, "--why", "seen-it", "--json"])
        .await;
    run.ok();
    let r = run.json();
    assert_eq!(r["rejected"]["title_id"], id);
    assert_eq!(r["rejected"]["reason"], "seen_it");
    assert_eq!(r["rejected"]["title"], alt["title"]);
    let entries = env.settings()["history"]["entries"].clone();
    assert!(entries
        .as_array()
        .expect("entries")
        .iter()
        .any(|e| e["title_id"] == id && e["event"]["reason"] == "seen_it"));
    // Rejected and picked titles are not offered again.
    let v2 = env.run(&["pick", "--json"]).await.ok().json();
    for p in all_picks(&v2) {
        assert_ne!(p["id"], id);
        assert_ne!(p["id"], v["top"]["id"]);
    }
    let bad = env.run(&["not-this-one", id, "--why", "meh"]).await;
    assert_eq!(bad.code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moods_are_listed_and_checked() {
    let env = builtin("home").await;
    let v = env.run(&["moods", "--json"]).await.ok().json();
    let moods = v["moods"].as_array().expect("moods");
    assert_eq!(moods.len(), 16);
    assert!(moods.iter().any(|m| m["id"] == "feel_good"));
    let run = env.run(&["pick", "--mood", "grumpy", "--json"]).await;
    assert_eq!(run.code, 2);
    assert_eq!(run.error_json()["kind"], "usage");
    assert!(run.error_json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("feel_good")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_by_uses_the_local_clock() {
    let env = builtin("home").await;
    env.sign_in().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    // Three hours from now, in UTC (the child runs with TZ=UTC).
    let at = (now + 3 * 3600) % 86_400;
    let hhmm = format!("{:02}:{:02}", at / 3600, (at % 3600) / 60);
    let mut cmd = env.command(&["pick", "--format", "movie", "--finish-by", &hhmm, "--json"]);
    cmd.env("TZ", "UTC");
    let run = env.run_cmd(cmd).await;
    run.ok();
    let v = run.json();
    assert_eq!(v["choices"]["runtime"]["kind"], "finish_by");
    assert_eq!(v["utc_offset_minutes"], 0);
    for p in all_picks(&v) {
        let minutes = p["minutes"].as_u64().expect("runtime");
        assert!(minutes <= 180, "{p}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_offset_is_read() {
    // `cargo xtask setup` installs tzdata; without it this check cannot run, which is a
    // broken machine, not a pass.
    assert!(
        std::path::Path::new("/usr/share/zoneinfo/Asia/Kolkata").exists(),
        "no time zone database: run `cargo xtask setup` (it installs tzdata)"
    );
    let env = builtin("home").await;
    env.sign_in().await;
    let mut cmd = env.command(&["pick", "--json"]);
    cmd.env("TZ", "Asia/Kolkata");
    let v = env.run_cmd(cmd).await.ok().json();
    assert_eq!(v["utc_offset_minutes"], 330);
}

/// `watch` on an alternative records it as chosen and the declined top pick as skipped, so
/// no-repeat works on what was really watched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watching_an_alternative_records_it_instead_of_the_top_pick() {
    let env = builtin("home").await;
    env.sign_in().await;
    let v = env.run(&["pick", "--json"]).await.ok().json();
    let top = v["top"]["id"].as_str().expect("top").to_string();
    let alt = v["alternatives"][0]["id"]
        .as_str()
        .expect("an alternative")
        .to_string();
    let with = |env: &Env, kind: &str| -> Vec<String> {
        env.settings()["history"]["entries"]
            .as_array()
            .expect("history")
            .iter()
            .filter(|e| e["event"]["kind"] == kind)
            .map(|e| e["title_id"].as_str().expect("id").to_string())
            .collect()
    };
    let picked = |env: &Env| with(env, "picked");
    assert_eq!(picked(&env), vec![top.clone()]);
    let out = env.run(&["watch", &alt, "--json"]).await.ok().json();
    assert_eq!(out["watching"]["title_id"], alt.as_str());
    assert_eq!(out["watching"]["declined"], top.as_str());
    assert!(out["watching"]["title"].is_string());
    assert!(out["watching"]["watch_url"]
        .as_str()
        .is_some_and(|u| u.ends_with(&alt)));
    assert_eq!(
        picked(&env),
        vec![alt.clone()],
        "the declined top pick is not kept as picked"
    );
    assert_eq!(with(&env, "skipped"), vec![top.clone()]);
    // Watching it again changes nothing; text mode says what happened.
    let run = env.run(&["watch", &alt]).await;
    run.ok();
    assert!(run.stdout.contains("Enjoy"), "{run:?}");
    assert_eq!(picked(&env), vec![alt]);
    assert_eq!(with(&env, "skipped"), vec![top]);
}
