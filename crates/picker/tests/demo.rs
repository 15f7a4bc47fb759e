//! The built-in demo library: shape, consistency, and picks for every choice.

use std::collections::HashSet;

use picker::*;

const DAY: i64 = 86_400;

fn ctx(now: i64, seed: u64) -> PickContext {
    PickContext::new(now, 20 * 60, seed)
}

fn choices(format: Format, watch: WatchFilter, mood: Mood) -> Choices {
    Choices {
        format,
        watch,
        mood,
        ..Choices::default()
    }
}

fn try_pick(catalog: &Catalog, c: &Choices, now: i64) -> Result<PickResult, PickError> {
    pick(catalog, c, &History::default(), &ctx(now, 7))
}

#[test]
fn size_ids_and_text() {
    let lib = demo::library();
    assert!(lib.len() >= 64, "{} titles", lib.len());
    let movies = lib.titles.iter().filter(|t| t.kind == Kind::Movie).count();
    let shows = lib.titles.iter().filter(|t| t.kind == Kind::Show).count();
    assert!(
        movies >= 45 && shows >= 15,
        "{movies} movies, {shows} shows"
    );

    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for (i, t) in lib.titles.iter().enumerate() {
        assert_eq!(t.id, format!("demo-{}", i + 1));
        assert!(ids.insert(t.id.as_str()), "duplicate id {}", t.id);
        assert!(
            names.insert(t.title.as_str()),
            "duplicate title {}",
            t.title
        );
        assert!(!t.title.trim().is_empty(), "{}: empty title", t.id);
        assert!(!t.summary.trim().is_empty(), "{}: empty summary", t.id);
        assert!(!t.genres.is_empty(), "{}: no genres", t.id);
        assert!(t.thumb.is_none());
        let year = t.year.expect("year");
        assert!((1950..=2025).contains(&year), "{}: {year}", t.title);
        for r in [t.critic_rating, t.audience_rating].into_iter().flatten() {
            assert!((0.0..=10.0).contains(&r), "{}: rating {r}", t.title);
        }
        let added = t.added_at.expect("added_at");
        assert!(added < demo::EPOCH && added > demo::EPOCH - 3 * 366 * DAY);
        if let Some(seen) = t.last_viewed_at {
            assert!(seen >= added && seen < demo::EPOCH, "{}", t.title);
        }
        assert_eq!(t.last_viewed_at.is_some(), t.was_watched(), "{}", t.title);
        match t.kind {
            Kind::Movie => {
                assert_eq!(t.library, demo::MOVIE_LIBRARY);
                let min = t.duration_ms.expect("runtime") / 60_000;
                assert!((75..=190).contains(&min), "{}: {min} min", t.title);
                assert!(!t.directors.is_empty(), "{}", t.title);
                if let Some(r) = &t.content_rating {
                    assert!(["G", "PG", "PG-13", "R"].contains(&r.as_str()), "{r}");
                }
            }
            Kind::Show => {
                assert_eq!(t.library, demo::SHOW_LIBRARY);
                assert_eq!(t.duration_ms, None);
                if let Some(r) = &t.content_rating {
                    assert!(["TV-Y", "TV-PG", "TV-14", "TV-MA"].contains(&r.as_str()));
                }
            }
        }
    }
    let eighties = lib
        .titles
        .iter()
        .filter(|t| t.year.is_some_and(|y| (1980..=1989).contains(&y)))
        .count();
    assert!(eighties >= 10, "{eighties} titles from the 80s");
    // Deterministic.
    assert_eq!(demo::library(), lib);
}

#[test]
fn episodes_are_consistent() {
    let lib = demo::library();
    let (mut full, mut partly, mut unseen) = (0, 0, 0);
    for t in lib.titles.iter().filter(|t| t.kind == Kind::Show) {
        let n = t.episodes.len() as u32;
        let seen = t.episodes.iter().filter(|e| e.view_count > 0).count() as u32;
        assert_eq!(t.leaf_count, n, "{}", t.title);
        assert_eq!(t.viewed_leaf_count, seen, "{}", t.title);
        let seasons: HashSet<u32> = t.episodes.iter().map(|e| e.season).collect();
        assert!((2..=3).contains(&seasons.len()), "{}", t.title);
        for s in &seasons {
            let in_season = t.episodes.iter().filter(|e| e.season == *s).count();
            assert!((4..=8).contains(&in_season), "{} season {s}", t.title);
        }
        let mut ids = HashSet::new();
        let mut titles = HashSet::new();
        for e in &t.episodes {
            assert!(ids.insert(e.id.as_str()), "{}", e.id);
            assert!(titles.insert(e.title.as_str()), "{}: {}", t.title, e.title);
            let min = e.duration_ms.expect("episode runtime") / 60_000;
            assert!((22..=60).contains(&min), "{}: {min} min", e.id);
        }
        match seen {
            0 => unseen += 1,
            s if s == n => full += 1,
            _ => partly += 1,
        }
    }
    assert_eq!(full, 1, "one fully watched show");
    assert!(partly >= 2, "{partly} partly watched");
    assert!(unseen > partly + full, "{unseen} unwatched shows");
}

#[test]
fn every_mood_has_picks() {
    let lib = demo::library();
    for mood in Mood::ALL {
        let c = choices(Format::Any, WatchFilter::All, mood);
        let r = try_pick(&lib, &c, demo::EPOCH).unwrap_or_else(|e| panic!("{mood:?}: {e}"));
        assert!(r.matches >= 3, "{mood:?}: only {} matches", r.matches);
        // Still fine when the demo is opened long after its epoch.
        let later = try_pick(&lib, &c, demo::EPOCH + 400 * DAY);
        assert!(later.is_ok(), "{mood:?} later: {later:?}");
    }
}

#[test]
fn every_mood_has_picks_in_movies_and_in_shows() {
    let lib = demo::library();
    for format in [Format::Movie, Format::Show] {
        for mood in Mood::ALL {
            let c = choices(format, WatchFilter::All, mood);
            let r = try_pick(&lib, &c, demo::EPOCH);
            assert!(r.is_ok(), "{format:?} {mood:?}: {r:?}");
        }
    }
}

#[test]
fn every_format_and_history_has_picks() {
    let lib = demo::library();
    for format in Format::ALL {
        for watch in WatchFilter::ALL {
            let c = choices(format, watch, Mood::Anything);
            let r = try_pick(&lib, &c, demo::EPOCH)
                .unwrap_or_else(|e| panic!("{format:?} {watch:?}: {e}"));
            assert!(
                r.matches >= 2,
                "{format:?} {watch:?}: {} matches",
                r.matches
            );
            let top = lib.get(&r.top.title_id).expect("picked title");
            match watch {
                WatchFilter::All => {}
                // One person: "new to someone" is "unwatched".
                WatchFilter::Unwatched | WatchFilter::NewToSomeone => {
                    assert!(top.has_unwatched())
                }
                WatchFilter::Rewatch => assert!(top.was_watched()),
            }
            if top.kind == Kind::Show {
                assert!(r.top.episode.is_some(), "{}: no episode", top.title);
            }
        }
    }
}
