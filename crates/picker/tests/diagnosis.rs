//! The nothing-matches diagnosis.

use picker::*;

const NOW: i64 = 1_750_000_000;

fn ctx() -> PickContext {
    PickContext::new(NOW, 20 * 60, 1)
}

fn show(id: &str, unwatched: bool, ep_minutes: u64) -> Title {
    Title {
        leaf_count: 2,
        viewed_leaf_count: if unwatched { 1 } else { 2 },
        episodes: vec![
            Episode {
                id: format!("{id}-1"),
                season: 1,
                index: 1,
                duration_ms: Some(ep_minutes * 60_000),
                view_count: 1,
                ..Episode::default()
            },
            Episode {
                id: format!("{id}-2"),
                season: 1,
                index: 2,
                duration_ms: Some(ep_minutes * 60_000),
                view_count: u32::from(!unwatched),
                ..Episode::default()
            },
        ],
        genres: vec!["Drama".into()],
        ..Title::show(id, id)
    }
}

fn movie(id: &str, minutes: u64, watched: bool) -> Title {
    Title {
        duration_ms: Some(minutes * 60_000),
        view_count: u32::from(watched),
        genres: vec!["Comedy".into()],
        ..Title::movie(id, id)
    }
}

fn no_match(catalog: &Catalog, choices: &Choices, history: &History) -> NoMatch {
    match pick(catalog, choices, history, &ctx()) {
        Err(PickError::NoMatch(n)) => n,
        other => panic!("expected no match, got {other:?}"),
    }
}

#[test]
fn empty_catalog() {
    let r = pick(
        &Catalog::default(),
        &Choices::default(),
        &History::default(),
        &ctx(),
    );
    assert_eq!(r, Err(PickError::EmptyCatalog));
    assert_eq!(PickError::EmptyCatalog.to_string(), "the catalog is empty");
}

#[test]
fn names_the_runtime_limit_and_counts_without_it() {
    // 14 unwatched shows with 50-minute episodes, 3 watched shows with 30-minute
    // ones, and movies under 45 min.
    let mut titles: Vec<Title> = (0..14).map(|i| show(&format!("u{i}"), true, 50)).collect();
    titles.extend((0..3).map(|i| show(&format!("w{i}"), false, 30)));
    titles.extend((0..2).map(|i| movie(&format!("m{i}"), 40, false)));
    let catalog = Catalog::new(titles);
    let choices = Choices {
        format: Format::Show,
        watch: WatchFilter::Unwatched,
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 45 }),
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!(n.blocking, Filter::Runtime);
    assert_eq!(n.without, 14);
    assert_eq!(n.emptied_by, Filter::Runtime);
    assert_eq!(
        n.counts,
        vec![
            FilterCount {
                filter: Filter::Format,
                without: 2
            },
            FilterCount {
                filter: Filter::Watch,
                without: 3
            },
            FilterCount {
                filter: Filter::Runtime,
                without: 14
            },
        ]
    );
    assert_eq!(
        n.to_string(),
        "no unwatched shows up to 45 min; 14 without the runtime limit"
    );
    let err = PickError::NoMatch(n);
    assert_eq!(
        err.to_string(),
        "no unwatched shows up to 45 min; 14 without the runtime limit"
    );
}

#[test]
fn blocking_is_the_filter_whose_removal_yields_most_not_the_one_that_emptied() {
    // Format=Movie, Watch=Unwatched, genre=Drama. Applied in order, the genre
    // filter empties the list; but lifting "unwatched" gives more matches.
    let mut titles = vec![];
    // 5 watched comedy movies: fail only Watch... and genre. Make them watched dramas.
    for i in 0..5 {
        titles.push(Title {
            genres: vec!["Drama".into()],
            ..movie(&format!("wd{i}"), 90, true)
        });
    }
    // 2 unwatched comedies: fail only the genre.
    titles.push(movie("uc1", 90, false));
    titles.push(movie("uc2", 90, false));
    // 1 unwatched drama show: fails only the format.
    titles.push(Title {
        genres: vec!["Drama".into()],
        ..show("s", true, 30)
    });
    let catalog = Catalog::new(titles);
    let choices = Choices {
        format: Format::Movie,
        watch: WatchFilter::Unwatched,
        include_genres: vec!["drama".into()],
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!(n.emptied_by, Filter::IncludeGenres);
    assert_eq!(n.blocking, Filter::Watch);
    assert_eq!(n.without, 5);
    let counts: Vec<_> = n.counts.iter().map(|c| (c.filter, c.without)).collect();
    assert_eq!(
        counts,
        vec![
            (Filter::Format, 1),
            (Filter::Watch, 5),
            (Filter::IncludeGenres, 2)
        ]
    );
    assert_eq!(
        n.to_string(),
        "no unwatched movies in drama; 5 without the watched/unwatched choice"
    );
}

#[test]
fn ties_go_to_the_later_filter() {
    // One title fails only the format, one only the years.
    let catalog = Catalog::new(vec![
        Title {
            year: Some(1985),
            ..Title::show("s", "S")
        },
        Title {
            year: Some(2001),
            ..Title::movie("m", "M")
        },
    ]);
    let choices = Choices {
        format: Format::Movie,
        years: Some(YearFilter::Decades {
            decades: vec![1980],
        }),
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!(
        (n.blocking, n.without, n.emptied_by),
        (Filter::Years, 1, Filter::Years)
    );
    assert_eq!(
        n.to_string(),
        "no movies from the 1980s; 1 without the year range"
    );
}

#[test]
fn when_no_single_filter_helps_it_names_the_one_that_emptied_the_list() {
    // Every title fails two filters.
    let catalog = Catalog::new(vec![
        Title {
            year: Some(2001),
            ..Title::show("s1", "S")
        },
        Title {
            year: Some(1999),
            ..Title::show("s2", "S")
        },
    ]);
    let choices = Choices {
        format: Format::Movie,
        years: Some(YearFilter::Range {
            from: Some(1980),
            to: Some(1989),
        }),
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!(
        (n.blocking, n.without, n.emptied_by),
        (Filter::Format, 0, Filter::Format)
    );
    assert!(n.counts.iter().all(|c| c.without == 0));
    assert_eq!(
        n.to_string(),
        "no movies from 1980 to 1989, even without any one filter; the format choice left nothing"
    );
}

#[test]
fn the_mood_and_the_cool_off_are_diagnosed_too() {
    let catalog = Catalog::new(vec![movie("a", 90, false), movie("b", 90, false)]);
    let choices = Choices {
        mood: Mood::Documentary,
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!((n.blocking, n.without), (Filter::Mood, 2));
    assert_eq!(
        n.to_string(),
        "no Documentary movies or shows; 2 without the mood"
    );

    let mut history = History::default();
    history.record_pick("a", NOW - 60);
    history.reject("b", RejectReason::TooLong, Mood::Anything, NOW - 60);
    let n = no_match(&catalog, &Choices::default(), &history);
    assert_eq!(
        (n.blocking, n.without, n.emptied_by),
        (Filter::CoolOff, 2, Filter::CoolOff)
    );
    assert_eq!(
        n.to_string(),
        "no movies or shows; 2 without the cool-off on recent picks"
    );
}

#[test]
fn content_ceiling_excludes_unknown_ratings() {
    let catalog = Catalog::new(vec![
        Title {
            content_rating: Some("NR".into()),
            ..movie("nr", 90, false)
        },
        Title {
            content_rating: None,
            ..movie("none", 90, false)
        },
        Title {
            content_rating: Some("R".into()),
            ..movie("r", 90, false)
        },
    ]);
    let choices = Choices {
        max_content: Some(ContentLevel::Teens),
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!((n.blocking, n.without), (Filter::ContentRating, 3));
    assert_eq!(
        n.to_string(),
        "no movies or shows rated PG-13 / TV-14 or below; 3 without the content-rating ceiling"
    );
}

#[test]
fn finish_by_in_the_past_and_invalid_choices() {
    let catalog = Catalog::new(vec![movie("a", 90, false)]);
    // 20:00 now; 19:00 is 23 h away if read as tomorrow: passed.
    let choices = Choices {
        runtime: Some(RuntimeLimit::FinishBy {
            at: ClockTime::new(19, 0),
        }),
        ..Choices::default()
    };
    let r = pick(&catalog, &choices, &History::default(), &ctx());
    assert_eq!(
        r,
        Err(PickError::FinishTimePassed {
            at: ClockTime::new(19, 0)
        })
    );
    assert_eq!(
        r.unwrap_err().to_string(),
        "the finish-by time 19:00 has already passed"
    );
    // Finish by 21:00 leaves 60 minutes: the 90-minute movie does not fit.
    let choices = Choices {
        runtime: Some(RuntimeLimit::FinishBy {
            at: ClockTime::new(21, 0),
        }),
        ..Choices::default()
    };
    let n = no_match(&catalog, &choices, &History::default());
    assert_eq!(
        n.to_string(),
        "no movies or shows that end by 21:00 (60 min); 1 without the runtime limit"
    );
    // 01:45 tomorrow leaves 345 minutes.
    let choices = Choices {
        runtime: Some(RuntimeLimit::FinishBy {
            at: ClockTime::new(1, 45),
        }),
        ..Choices::default()
    };
    assert!(pick(&catalog, &choices, &History::default(), &ctx()).is_ok());

    let bad = Choices {
        min_audience: Some(f32::INFINITY),
        ..Choices::default()
    };
    let r = pick(&catalog, &bad, &History::default(), &ctx());
    assert!(matches!(r, Err(PickError::InvalidChoice(_))));
}

#[test]
fn no_match_serialises_with_stable_ids() {
    let catalog = Catalog::new(vec![movie("a", 90, false)]);
    let choices = Choices {
        format: Format::Show,
        ..Choices::default()
    };
    let err = pick(&catalog, &choices, &History::default(), &ctx()).unwrap_err();
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "no_match");
    assert_eq!(json["blocking"], "format");
    assert_eq!(json["without"], 1);
    assert_eq!(json["counts"][0]["filter"], "format");
    let back: PickError = serde_json::from_value(json).unwrap();
    assert_eq!(back, err);
}
