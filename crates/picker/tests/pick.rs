//! Behaviour of `pick`: results, episodes, runtime, history, reasons.

use picker::*;

const NOW: i64 = 1_750_000_000;
const MIN: u64 = 60_000;

fn ctx(seed: u64) -> PickContext {
    PickContext::new(NOW, 20 * 60, seed)
}

fn ep(season: u32, index: u32, minutes: u64, views: u32) -> Episode {
    Episode {
        id: format!("e{season}-{index}"),
        season,
        index,
        title: format!("Episode {index}"),
        duration_ms: Some(minutes * MIN),
        view_count: views,
    }
}

fn movies(n: usize) -> Catalog {
    Catalog::new(
        (0..n)
            .map(|i| Title {
                year: Some(2000 + (i % 20) as u16),
                duration_ms: Some((80 + i as u64 % 60) * MIN),
                genres: vec!["Comedy".into()],
                audience_rating: Some(7.0),
                ..Title::movie(i.to_string(), format!("Movie {i}"))
            })
            .collect(),
    )
}

fn ids(r: &PickResult) -> Vec<&str> {
    std::iter::once(&r.top)
        .chain(&r.alternatives)
        .map(|p| p.title_id.as_str())
        .collect()
}

#[test]
fn same_seed_same_result_and_seeds_vary_the_top_pick() {
    let catalog = movies(50);
    let choices = Choices::default();
    let h = History::default();
    let a = pick(&catalog, &choices, &h, &ctx(7)).unwrap();
    let b = pick(&catalog, &choices, &h, &ctx(7)).unwrap();
    assert_eq!(a, b);
    let tops: std::collections::HashSet<String> = (0..20)
        .map(|s| pick(&catalog, &choices, &h, &ctx(s)).unwrap().top.title_id)
        .collect();
    assert!(
        tops.len() >= 5,
        "only {} different top picks over 20 seeds",
        tops.len()
    );
}

#[test]
fn one_top_and_six_distinct_alternatives_sorted_by_score() {
    let mut catalog = movies(30);
    // Duplicated ids (e.g. the same item in two libraries) never show twice.
    let dup = catalog.titles[0].clone();
    catalog.titles.push(dup);
    for seed in 0..20 {
        let r = pick(
            &catalog,
            &Choices::default(),
            &History::default(),
            &ctx(seed),
        )
        .unwrap();
        assert_eq!(r.alternatives.len(), MAX_ALTERNATIVES);
        let mut all = ids(&r);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 1 + MAX_ALTERNATIVES);
        assert!(r.alternatives.windows(2).all(|w| w[0].score >= w[1].score));
    }
    // Fewer candidates than slots: everything, once.
    let r = pick(
        &movies(3),
        &Choices::default(),
        &History::default(),
        &ctx(1),
    )
    .unwrap();
    assert_eq!(r.alternatives.len(), 2);
}

#[test]
fn the_top_pick_comes_from_the_band_of_best_scores() {
    // One great movie and many mediocre ones: the great one always wins.
    let mut catalog = movies(40);
    for t in &mut catalog.titles {
        t.audience_rating = Some(3.0);
    }
    catalog.titles[17].audience_rating = Some(9.5);
    catalog.titles[17].critic_rating = Some(9.5);
    for seed in 0..20 {
        let r = pick(
            &catalog,
            &Choices::default(),
            &History::default(),
            &ctx(seed),
        )
        .unwrap();
        assert_eq!(r.top.title_id, "17");
        assert!(r.alternatives.iter().all(|a| a.score + BAND < r.top.score));
    }
}

#[test]
fn indexed_catalog_gives_the_same_answers() {
    let catalog = testing::synthetic_catalog(400, 3);
    let indexed = IndexedCatalog::new(catalog.clone());
    let choices = Choices {
        watch: WatchFilter::Unwatched,
        mood: Mood::FeelGood,
        ..Choices::default()
    };
    for seed in 0..5 {
        assert_eq!(
            indexed.pick(&choices, &History::default(), &ctx(seed)),
            pick(&catalog, &choices, &History::default(), &ctx(seed))
        );
    }
    assert_eq!(indexed.catalog(), &catalog);
    // Serialises as the plain catalog.
    let json = serde_json::to_string(&indexed).unwrap();
    assert_eq!(json, serde_json::to_string(&catalog).unwrap());
    let back: IndexedCatalog = serde_json::from_str(&json).unwrap();
    assert_eq!(
        back.pick(&choices, &History::default(), &ctx(1)),
        indexed.pick(&choices, &History::default(), &ctx(1))
    );
}

#[test]
fn every_mood_finds_something_in_a_realistic_library() {
    let library = IndexedCatalog::new(testing::synthetic_catalog(3000, 11));
    for mood in Mood::ALL {
        for format in Format::ALL {
            let choices = Choices {
                mood,
                format,
                ..Choices::default()
            };
            let r = library
                .pick(
                    &choices,
                    &History::default(),
                    &PickContext::new(testing::SYNTHETIC_NOW, 20 * 60, 5),
                )
                .unwrap_or_else(|e| panic!("{mood:?} {format:?}: {e}"));
            assert_eq!(
                r.alternatives.len(),
                MAX_ALTERNATIVES,
                "{mood:?} {format:?}"
            );
            let text = r.top.reason.text();
            assert!(
                text.ends_with(&r.top.reason.verdict) && !r.top.reason.verdict.is_empty(),
                "{text}"
            );
        }
    }
}

fn one_show() -> Title {
    Title {
        leaf_count: 4,
        viewed_leaf_count: 2,
        episodes: vec![
            ep(2, 1, 50, 0),
            ep(1, 2, 40, 1),
            ep(0, 1, 20, 0),
            ep(1, 1, 40, 1),
            ep(1, 3, 45, 0),
        ],
        genres: vec!["Drama".into()],
        ..Title::show("s", "Show")
    }
}

#[test]
fn shows_come_with_their_next_unwatched_episode() {
    let catalog = Catalog::new(vec![one_show()]);
    let choices = Choices {
        watch: WatchFilter::Unwatched,
        ..Choices::default()
    };
    let r = pick(&catalog, &choices, &History::default(), &ctx(1)).unwrap();
    let e = r.top.episode.as_ref().unwrap();
    assert_eq!((e.season, e.index), (1, 3));
    assert!(r.top.reason.facts.contains(&Fact::Episode {
        season: 1,
        index: 3,
        title: "Episode 3".into(),
        duration_ms: Some(45 * MIN),
        next_up: true
    }));
    // The runtime filter applies to that episode.
    let short = Choices {
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 44 }),
        ..choices.clone()
    };
    let err = pick(&catalog, &short, &History::default(), &ctx(1)).unwrap_err();
    assert!(matches!(
        err,
        PickError::NoMatch(NoMatch {
            blocking: Filter::Runtime,
            without: 1,
            ..
        })
    ));
    let ok = Choices {
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 45 }),
        ..choices
    };
    assert!(pick(&catalog, &ok, &History::default(), &ctx(1)).is_ok());
}

#[test]
fn rewatch_offers_a_watched_episode_that_fits() {
    let catalog = Catalog::new(vec![one_show()]);
    let choices = Choices {
        watch: WatchFilter::Rewatch,
        ..Choices::default()
    };
    let mut seen = std::collections::HashSet::new();
    for seed in 0..30 {
        let r = pick(&catalog, &choices, &History::default(), &ctx(seed)).unwrap();
        let e = r.top.episode.unwrap();
        assert_eq!(e.view_count, 1);
        seen.insert(e.id);
    }
    assert_eq!(seen.len(), 2, "both watched episodes get offered");
    let fully_watched = Title {
        viewed_leaf_count: 4,
        episodes: vec![ep(1, 1, 60, 1), ep(1, 2, 30, 1)],
        ..one_show()
    };
    let catalog = Catalog::new(vec![fully_watched]);
    let short = Choices {
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 30 }),
        ..Choices::default()
    };
    for seed in 0..10 {
        let r = pick(&catalog, &short, &History::default(), &ctx(seed)).unwrap();
        assert_eq!(r.top.episode.as_ref().map(|e| e.index), Some(2));
        assert!(r.top.reason.text().contains("revisit S1E2"));
    }
}

#[test]
fn shows_without_episode_data_cannot_satisfy_a_runtime_filter() {
    let bare = Title {
        leaf_count: 10,
        viewed_leaf_count: 0,
        ..Title::show("s", "Show")
    };
    let catalog = Catalog::new(vec![bare]);
    let r = pick(
        &catalog,
        &Choices {
            watch: WatchFilter::Unwatched,
            ..Choices::default()
        },
        &History::default(),
        &ctx(1),
    )
    .unwrap();
    assert_eq!(r.top.episode, None);
    assert!(r.top.reason.facts.contains(&Fact::EpisodesLeft {
        left: 10,
        total: 10
    }));
    let limited = Choices {
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 600 }),
        ..Choices::default()
    };
    assert!(matches!(
        pick(&catalog, &limited, &History::default(), &ctx(1)),
        Err(PickError::NoMatch(_))
    ));
}

#[test]
fn unwatched_and_rewatch_for_shows_and_movies() {
    let partly = Title {
        leaf_count: 10,
        viewed_leaf_count: 3,
        ..Title::show("partly", "P")
    };
    let fully = Title {
        leaf_count: 10,
        viewed_leaf_count: 10,
        ..Title::show("fully", "F")
    };
    let fresh = Title {
        leaf_count: 10,
        viewed_leaf_count: 0,
        ..Title::show("fresh", "N")
    };
    let seen = Title {
        view_count: 2,
        ..Title::movie("seen", "S")
    };
    let unseen = Title::movie("unseen", "U");
    let catalog = Catalog::new(vec![partly, fully, fresh, seen, unseen]);
    let ids_for = |watch| {
        let r = pick(
            &catalog,
            &Choices {
                watch,
                ..Choices::default()
            },
            &History::default(),
            &ctx(1),
        )
        .unwrap();
        let mut v: Vec<String> = ids(&r).into_iter().map(String::from).collect();
        v.sort();
        v
    };
    assert_eq!(
        ids_for(WatchFilter::Unwatched),
        ["fresh", "partly", "unseen"]
    );
    assert_eq!(ids_for(WatchFilter::Rewatch), ["fully", "partly", "seen"]);
    assert_eq!(ids_for(WatchFilter::All).len(), 5);
}

#[test]
fn cool_off_after_a_pick_and_after_rejections() {
    let catalog = movies(10);
    let choices = Choices::default();
    let mut history = History::default();
    let first = pick(&catalog, &choices, &history, &ctx(1)).unwrap();
    history.record_pick(first.top.title_id.clone(), NOW);
    for seed in 0..20 {
        let r = pick(&catalog, &choices, &history, &ctx(seed)).unwrap();
        assert!(!ids(&r).contains(&first.top.title_id.as_str()));
    }
    // Three days later it is back.
    let later = PickContext::new(NOW + 3 * 86_400, 20 * 60, 1);
    let r = pick(
        &catalog,
        &Choices {
            format: Format::Movie,
            ..choices.clone()
        },
        &history,
        &later,
    )
    .unwrap();
    assert!(ids(&r).len() == 7 && history.entries.len() == 1);
    let all: Vec<String> = (0..40)
        .flat_map(|s| {
            ids(&pick(
                &catalog,
                &choices,
                &history,
                &PickContext::new(NOW + 3 * 86_400, 0, s),
            )
            .unwrap())
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
        })
        .collect();
    assert!(all.contains(&first.top.title_id));
}

#[test]
fn not_in_the_mood_cools_off_for_that_mood() {
    let catalog = Catalog::new(vec![
        Title {
            genres: vec!["Comedy".into()],
            ..Title::movie("a", "A")
        },
        Title {
            genres: vec!["Comedy".into()],
            ..Title::movie("b", "B")
        },
    ]);
    let mut history = History::default();
    history.reject("a", RejectReason::NotInTheMood, Mood::FeelGood, NOW);
    let two_days = PickContext::new(NOW + 2 * 86_400, 0, 1);
    let feel_good = Choices {
        mood: Mood::FeelGood,
        ..Choices::default()
    };
    let r = pick(&catalog, &feel_good, &history, &two_days).unwrap();
    assert_eq!(ids(&r), ["b"]);
    let popcorn = Choices {
        mood: Mood::BrainOff,
        ..Choices::default()
    };
    let r = pick(&catalog, &popcorn, &history, &two_days).unwrap();
    assert_eq!(ids(&r).len(), 2);
}

#[test]
fn seen_it_counts_as_watched() {
    let catalog = Catalog::new(vec![Title::movie("a", "A"), Title::movie("b", "B")]);
    let mut history = History::default();
    history.reject("a", RejectReason::SeenIt, Mood::Anything, NOW);
    let much_later = PickContext::new(NOW + 365 * 86_400, 0, 1);
    let unwatched = Choices {
        watch: WatchFilter::Unwatched,
        ..Choices::default()
    };
    assert_eq!(
        ids(&pick(&catalog, &unwatched, &history, &much_later).unwrap()),
        ["b"]
    );
    let rewatch = Choices {
        watch: WatchFilter::Rewatch,
        ..Choices::default()
    };
    assert_eq!(
        ids(&pick(&catalog, &rewatch, &history, &much_later).unwrap()),
        ["a"]
    );
    // Within 180 days it is not offered at all.
    let soon = PickContext::new(NOW + 86_400, 0, 1);
    assert!(pick(&catalog, &rewatch, &history, &soon).is_err());
}

#[test]
fn reasons_quote_the_metadata() {
    let t = Title {
        year: Some(1986),
        duration_ms: Some(116 * MIN),
        // Only the genres the mood cares about are named.
        genres: vec!["Drama".into(), "Adventure".into()],
        critic_rating: Some(8.1),
        audience_rating: Some(f32::NAN),
        ..Title::movie("g", "The Goonies")
    };
    let catalog = Catalog::new(vec![t]);
    let choices = Choices {
        mood: Mood::EightiesNostalgia,
        ..Choices::default()
    };
    let r = pick(&catalog, &choices, &History::default(), &ctx(1)).unwrap();
    assert_eq!(
        r.top.reason.text(),
        "A 1986 adventure film, 1 h 56 min, critics 8.1: pure 80s nostalgia"
    );
    assert_eq!(r.top.title, "The Goonies");
    // 45 + 15 fun genre + q(30) of 8.1 = 24.
    assert_eq!(r.top.score, 84);
}

#[test]
fn odd_inputs_do_not_break_anything() {
    let weird = vec![
        Title {
            duration_ms: Some(0),
            critic_rating: Some(f32::NAN),
            audience_rating: Some(-3.0),
            ..Title::movie("", "")
        },
        Title {
            year: Some(0),
            genres: vec!["".into(), "   ".into()],
            added_at: Some(i64::MAX),
            ..Title::movie("x", "X")
        },
        Title {
            leaf_count: 1,
            viewed_leaf_count: 5,
            episodes: vec![ep(0, 0, 0, 0)],
            ..Title::show("s", "S")
        },
        Title {
            added_at: Some(i64::MIN),
            summary: "dystopia ".repeat(1000),
            ..Title::movie("y", "Y")
        },
    ];
    let catalog = Catalog::new(weird);
    for mood in Mood::ALL {
        for watch in WatchFilter::ALL {
            let choices = Choices {
                mood,
                watch,
                runtime: Some(RuntimeLimit::MaxMinutes { minutes: 0 }),
                ..Choices::default()
            };
            let _ = pick(
                &catalog,
                &choices,
                &History::default(),
                &PickContext::new(i64::MIN, u32::MAX, u64::MAX),
            );
            let choices = Choices {
                mood,
                watch,
                ..Choices::default()
            };
            if let Ok(r) = pick(
                &catalog,
                &choices,
                &History::default(),
                &PickContext::new(i64::MAX, 0, 0),
            ) {
                assert!(!r.top.reason.text().contains("NaN"));
            }
        }
    }
    let r = pick(&catalog, &Choices::default(), &History::default(), &ctx(1)).unwrap();
    let zero = r
        .top
        .reason
        .facts
        .iter()
        .chain(r.alternatives.iter().flat_map(|a| &a.reason.facts))
        .any(|f| {
            matches!(
                f,
                Fact::Runtime { ms: 0 } | Fact::CriticRating { .. } | Fact::AudienceRating { .. }
            )
        });
    assert!(!zero, "zero runtimes and invalid ratings are never cited");
}

#[test]
fn utc_offset_context() {
    // 1_750_000_000 is 15:06:40 UTC.
    assert_eq!(
        PickContext::with_utc_offset(NOW, 0, 1).local_minutes,
        15 * 60 + 6
    );
    assert_eq!(
        PickContext::with_utc_offset(NOW, 120, 1).local_minutes,
        17 * 60 + 6
    );
    assert_eq!(
        PickContext::with_utc_offset(NOW, -16 * 60, 1).local_minutes,
        23 * 60 + 6
    );
    assert!(PickContext::with_utc_offset(i64::MIN, i32::MIN, 1).local_minutes < 1440);
}

#[test]
fn catalog_and_result_round_trip_through_json() {
    let catalog = testing::synthetic_catalog(50, 9);
    let json = serde_json::to_string(&catalog).unwrap();
    assert_eq!(serde_json::from_str::<Catalog>(&json).unwrap(), catalog);
    let minimal: Catalog =
        serde_json::from_str(r#"{"titles":[{"id":"1","kind":"show","title":"S"}]}"#).unwrap();
    assert_eq!(minimal.titles[0].kind, Kind::Show);
    let r = pick(&catalog, &Choices::default(), &History::default(), &ctx(1)).unwrap();
    let back: PickResult = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}
