//! Property tests over generated catalogs, choices and histories.
//!
//! The checks below re-state each rule independently of the implementation.

mod common;

use common::lift;
use picker::*;
use proptest::prelude::*;

const NOW: i64 = 1_750_000_000;
const DAY: i64 = 86_400;

const GENRES: [&str; 14] = [
    "Comedy",
    "comedy",
    "Drama",
    "Sci-Fi",
    "Science Fiction",
    "Horror",
    "Documentary",
    "Romance",
    "Family",
    "Animation",
    "Thriller",
    "Crime",
    "Western",
    "Action & Adventure",
];
const RATINGS: [&str; 9] = [
    "G", "PG", "PG-13", "R", "TV-Y", "TV-14", "TV-MA", "NR", "gb/15",
];
const WORDS: [&str; 12] = [
    "the",
    "dream",
    "love",
    "murder",
    "Dystopian",
    "future",
    "escape",
    "quiet",
    "epic",
    "joy",
    "a",
    "town",
];

fn rating() -> impl Strategy<Value = Option<f32>> {
    prop_oneof![
        3 => proptest::option::of(0.0f32..=10.0),
        1 => Just(Some(f32::NAN)),
        1 => Just(Some(12.5f32)),
    ]
}

fn episode() -> impl Strategy<Value = Episode> {
    (0u32..3, 1u32..5, proptest::option::of(0u64..70), 0u32..2).prop_map(
        |(season, index, minutes, views)| Episode {
            id: format!("e{season}x{index}"),
            season,
            index,
            title: format!("Ep {index}"),
            duration_ms: minutes.map(|m| m * 60_000),
            view_count: views,
        },
    )
}

fn title() -> impl Strategy<Value = Title> {
    (
        (
            0u32..25,
            any::<bool>(),
            proptest::option::of(1975u16..2026),
            proptest::collection::vec(0..GENRES.len(), 0..3),
        ),
        (
            proptest::option::of(0u64..200),
            rating(),
            rating(),
            proptest::option::of(0..RATINGS.len()),
        ),
        (
            0u32..3,
            proptest::option::of(0i64..800),
            proptest::collection::vec(0..WORDS.len(), 0..12),
        ),
        (0u32..6, 0u32..7, proptest::collection::vec(episode(), 0..6)),
    )
        .prop_map(
            |(
                (id, is_show, year, genres),
                (minutes, critic, audience, cr),
                (views, added_days, words),
                (leaves, viewed, episodes),
            )| {
                let kind = if is_show { Kind::Show } else { Kind::Movie };
                Title {
                    id: id.to_string(),
                    kind,
                    title: format!("T{id}"),
                    year,
                    summary: words
                        .iter()
                        .map(|&w| WORDS[w])
                        .collect::<Vec<_>>()
                        .join(" "),
                    duration_ms: if is_show {
                        None
                    } else {
                        minutes.map(|m| m * 60_000)
                    },
                    genres: genres.iter().map(|&g| GENRES[g].into()).collect(),
                    content_rating: cr.map(|i| RATINGS[i].into()),
                    critic_rating: critic,
                    audience_rating: audience,
                    view_count: views,
                    added_at: added_days.map(|d| NOW - d * DAY),
                    leaf_count: if is_show { leaves } else { 0 },
                    viewed_leaf_count: if is_show { viewed } else { 0 },
                    episodes: if is_show { episodes } else { vec![] },
                    ..Title::default()
                }
            },
        )
}

fn catalog() -> impl Strategy<Value = Catalog> {
    proptest::collection::vec(title(), 0..40).prop_map(Catalog::new)
}

fn choices() -> impl Strategy<Value = Choices> {
    let runtime = prop_oneof![
        4 => Just(None),
        1 => (0u32..150).prop_map(|minutes| Some(RuntimeLimit::MaxMinutes { minutes })),
        1 => (0u8..24, 0u8..60).prop_map(|(h, m)| Some(RuntimeLimit::FinishBy { at: ClockTime::new(h, m) })),
    ];
    let years = prop_oneof![
        6 => Just(None),
        1 => (proptest::option::of(1975u16..2026), proptest::option::of(1975u16..2026)).prop_map(|(a, b)| {
            let (from, to) = match (a, b) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            Some(YearFilter::Range { from, to })
        }),
        1 => proptest::collection::vec(prop_oneof![Just(1980u16), Just(1990), Just(2000), Just(2010)], 1..3)
            .prop_map(|decades| Some(YearFilter::Decades { decades })),
    ];
    let genres =
        prop_oneof![3 => Just(vec![]), 1 => proptest::collection::vec(0..GENRES.len(), 1..3)];
    let mood = prop_oneof![2 => Just(0usize), 3 => 0..Mood::ALL.len()];
    let min = || proptest::option::weighted(0.2, 0.0f32..9.0);
    (
        (0..3usize, 0..3usize, mood, runtime),
        (genres.clone(), genres, years),
        (
            proptest::option::weighted(0.2, 0..ContentLevel::ALL.len()),
            min(),
            min(),
        ),
    )
        .prop_map(
            |((f, w, m, runtime), (inc, exc, years), (level, min_critic, min_audience))| Choices {
                format: Format::ALL[f],
                watch: WatchFilter::ALL[w],
                mood: Mood::ALL[m],
                runtime,
                include_genres: inc.iter().map(|&g| GENRES[g].to_lowercase()).collect(),
                exclude_genres: exc.iter().map(|&g| GENRES[g].to_string()).collect(),
                years,
                max_content: level.map(|l| ContentLevel::ALL[l]),
                min_critic,
                min_audience,
            },
        )
}

fn history() -> impl Strategy<Value = History> {
    let event = (0u32..25, 0i64..(200 * DAY), 0..5usize, 0..Mood::ALL.len());
    proptest::collection::vec(event, 0..12).prop_map(|events| {
        let mut h = History::default();
        for (id, ago, kind, mood) in events {
            let at = NOW - ago;
            match kind {
                0 => h.record_pick(id.to_string(), at),
                1 => h.record_skip(id.to_string(), at),
                k => h.reject(
                    id.to_string(),
                    RejectReason::ALL[k - 2],
                    Mood::ALL[mood],
                    at,
                ),
            }
        }
        h
    })
}

// ---- Independent restatements of the rules ----

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_ascii() || c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn valid(r: Option<f32>) -> Option<f32> {
    r.filter(|v| v.is_finite() && *v >= 0.0 && *v <= 10.0)
}

fn next_unwatched(t: &Title) -> Option<&Episode> {
    let mut eps: Vec<&Episode> = t.episodes.iter().filter(|e| e.view_count == 0).collect();
    eps.sort_by_key(|e| (e.season == 0, e.season, e.index, e.id.clone()));
    eps.first().copied()
}

fn has_unwatched(t: &Title, h: &History) -> bool {
    let meta = match t.kind {
        Kind::Movie => t.view_count == 0,
        Kind::Show if t.episodes.is_empty() => t.viewed_leaf_count < t.leaf_count,
        Kind::Show => t.episodes.iter().any(|e| e.view_count == 0),
    };
    meta && !h.marked_seen(&t.id)
}

fn was_watched(t: &Title, h: &History) -> bool {
    let meta = match t.kind {
        Kind::Movie => t.view_count > 0,
        Kind::Show => {
            t.viewed_leaf_count > 0
                || t.view_count > 0
                || t.episodes.iter().any(|e| e.view_count > 0)
        }
    };
    meta || h.marked_seen(&t.id)
}

/// The cool-off rule as `picker::history` documents it, with the documented default lengths
/// (not `Policy::default()`, so a change of the defaults is caught too): a pick cools a title off
/// for 3 days, a skip (passed over for another title) for 1 day, "seen it" for 180 days, "too long" for 1 day, "not in the mood" for 1 day for
/// every mood and 30 days for its own mood. An entry from the future counts as just now.
fn cooling(h: &History, id: &str, mood: Mood, now: i64) -> bool {
    h.entries.iter().filter(|e| e.title_id == id).any(|e| {
        let age = (now - e.at).max(0);
        match e.event {
            Event::Picked => age < 3 * DAY,
            Event::Skipped => age < DAY,
            Event::Rejected {
                reason: RejectReason::SeenIt,
                ..
            } => age < 180 * DAY,
            Event::Rejected {
                reason: RejectReason::TooLong,
                ..
            } => age < DAY,
            Event::Rejected {
                reason: RejectReason::NotInTheMood,
                mood: asked,
            } => age < DAY || (asked == mood && age < 30 * DAY),
        }
    })
}

fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// Checks one pick against every filter; returns the broken rule, if any.
/// With duplicate ids, one of the titles with that id must pass everything.
fn check_pick(
    catalog: &Catalog,
    c: &Choices,
    h: &History,
    ctx: &PickContext,
    p: &Pick,
) -> Result<(), String> {
    let mut last = Err("unknown id".to_string());
    for t in catalog.titles.iter().filter(|t| t.id == p.title_id) {
        last = check_title(t, c, h, ctx, p);
        if last.is_ok() {
            break;
        }
    }
    last
}

fn check_title(
    t: &Title,
    c: &Choices,
    h: &History,
    ctx: &PickContext,
    p: &Pick,
) -> Result<(), String> {
    let fail = |why: &str| Err(format!("{why}: {t:?}"));
    if p.score > 100 {
        return fail("score over 100");
    }
    match c.format {
        Format::Movie if t.kind != Kind::Movie => return fail("format"),
        Format::Show if t.kind != Kind::Show => return fail("format"),
        _ => {}
    }
    match c.watch {
        WatchFilter::Unwatched if !has_unwatched(t, h) => return fail("unwatched"),
        WatchFilter::Rewatch if !was_watched(t, h) => return fail("rewatch"),
        _ => {}
    }
    let inc: Vec<String> = c
        .include_genres
        .iter()
        .map(|g| norm(g))
        .filter(|g| !g.is_empty())
        .collect();
    if !inc.is_empty() && !t.genres.iter().any(|g| inc.contains(&norm(g))) {
        return fail("include genres");
    }
    let exc: Vec<String> = c
        .exclude_genres
        .iter()
        .map(|g| norm(g))
        .filter(|g| !g.is_empty())
        .collect();
    if t.genres.iter().any(|g| exc.contains(&norm(g))) {
        return fail("exclude genres");
    }
    match &c.years {
        None => {}
        Some(YearFilter::Range { from, to }) => {
            let Some(y) = t.year else {
                return fail("years");
            };
            if from.is_some_and(|f| y < f) || to.is_some_and(|to| y > to) {
                return fail("years");
            }
        }
        Some(YearFilter::Decades { decades }) => {
            let Some(y) = t.year else {
                return fail("decades");
            };
            if !decades.iter().any(|d| y >= *d && y < d + 10) {
                return fail("decades");
            }
        }
    }
    if let Some(max) = c.max_content {
        let level = t.content_rating.as_deref().and_then(ContentLevel::parse);
        if level.is_none_or(|l| l > max) {
            return fail("content rating");
        }
    }
    if c.min_critic
        .is_some_and(|m| valid(t.critic_rating).is_none_or(|r| r < m))
    {
        return fail("critic rating");
    }
    if c.min_audience
        .is_some_and(|m| valid(t.audience_rating).is_none_or(|r| r < m))
    {
        return fail("audience rating");
    }
    // The episode.
    match (&p.episode, t.kind) {
        (Some(_), Kind::Movie) => return fail("movie with an episode"),
        (Some(e), Kind::Show) => {
            if !t.episodes.contains(e) {
                return fail("episode not of this show");
            }
            match c.watch {
                WatchFilter::Unwatched if Some(e) != next_unwatched(t) => {
                    return fail("not the next episode")
                }
                WatchFilter::Rewatch
                    if e.view_count == 0 && t.episodes.iter().any(|e| e.view_count > 0) =>
                {
                    return fail("rewatch of an unwatched episode")
                }
                WatchFilter::All if next_unwatched(t).is_some_and(|n| n != e) => {
                    return fail("not the next episode")
                }
                _ => {}
            }
        }
        (None, Kind::Show) => {
            if !t.episodes.is_empty() && c.watch != WatchFilter::Unwatched {
                return fail("show with episodes but none offered");
            }
        }
        (None, Kind::Movie) => {}
    }
    let budget = budget_minutes(c.runtime, ctx.local_minutes).map_err(|e| e.to_string())?;
    if let Some(b) = budget {
        let ms = match t.kind {
            Kind::Movie => t.duration_ms,
            Kind::Show => p.episode.as_ref().and_then(|e| e.duration_ms),
        };
        if ms.is_none_or(|ms| ms == 0 || ms > u64::from(b) * 60_000) {
            return fail("runtime");
        }
    }
    if cooling(h, &t.id, c.mood, ctx.now) {
        return fail("cooling off");
    }
    // A few mood gates, restated.
    let genre = |g: &str| t.genres.iter().any(|x| norm(x) == g);
    let ok = match c.mood {
        Mood::Documentary => genre("documentary"),
        Mood::EightiesNostalgia => t.year.is_some_and(|y| (1980..1990).contains(&y)),
        Mood::CriticallyAcclaimed => valid(t.critic_rating).is_some_and(|r| r >= 7.5),
        Mood::HiddenGem => !was_watched(t, h),
        Mood::FeelGood | Mood::DateNight => !genre("horror"),
        Mood::DarkAndGritty => !genre("family") && !genre("animation"),
        _ => true,
    };
    if !ok {
        return fail("mood gate");
    }
    check_reason(t, p, ctx.now)
}

fn check_reason(t: &Title, p: &Pick, now: i64) -> Result<(), String> {
    for fact in &p.reason.facts {
        let ok = match fact {
            Fact::Kind { kind } => *kind == t.kind,
            Fact::Year { year } => t.year == Some(*year),
            Fact::Genre { genre } => t.genres.iter().any(|g| g == genre),
            Fact::Runtime { ms } => t.kind == Kind::Movie && *ms > 0 && t.duration_ms == Some(*ms),
            Fact::Episode {
                season,
                index,
                title,
                duration_ms,
                next_up,
            } => p.episode.as_ref().is_some_and(|e| {
                e.season == *season
                    && e.index == *index
                    && e.title == *title
                    && (duration_ms.is_none() || e.duration_ms == *duration_ms)
                    && (!next_up || e.view_count == 0)
            }),
            Fact::CriticRating { rating } => {
                valid(t.critic_rating).is_some_and(|r| r.to_bits() == rating.to_bits())
            }
            Fact::AudienceRating { rating } => {
                valid(t.audience_rating).is_some_and(|r| r.to_bits() == rating.to_bits())
            }
            Fact::ContentRating { rating } => t.content_rating.as_deref() == Some(rating.as_str()),
            Fact::Unwatched => t.kind == Kind::Movie && t.view_count == 0,
            Fact::WatchedBefore { times } => {
                *times == t.view_count
                    && (t.view_count > 0
                        || t.viewed_leaf_count > 0
                        || t.episodes.iter().any(|e| e.view_count > 0))
            }
            Fact::EpisodesLeft { left, total } => {
                if t.episodes.is_empty() {
                    t.leaf_count == *total && t.leaf_count - t.viewed_leaf_count == *left
                } else {
                    t.episodes.len() as u32 == *total
                        && t.episodes.iter().filter(|e| e.view_count == 0).count() as u32 == *left
                }
            }
            Fact::InLibrary { days } => t
                .added_at
                .is_some_and(|a| (now - a) / DAY == i64::from(*days)),
            Fact::SummaryMentions { words } => {
                let all = words_of(&t.summary);
                !words.is_empty() && words.iter().all(|w| all.contains(w))
            }
            // One person picking: nobody is named, the room is never spoken of.
            Fact::NoneOfYouHasSeen
            | Fact::AllOfYouHaveSeen
            | Fact::NewTo { .. }
            | Fact::Behind { .. } => false,
        };
        if !ok {
            return Err(format!("untrue fact {fact:?} for {t:?}"));
        }
    }
    let text = p.reason.text();
    if text.contains("NaN") || text.contains("inf") {
        return Err(format!("reason text {text}"));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn picks_respect_every_filter_and_reasons_are_true(
        catalog in catalog(), c in choices(), h in history(), minutes in 0u32..1440, seed in any::<u64>()
    ) {
        let ctx = PickContext::new(NOW, minutes, seed);
        let result = pick(&catalog, &c, &h, &ctx);
        // Deterministic, and the same through an index.
        prop_assert_eq!(&result, &pick(&catalog, &c, &h, &ctx));
        prop_assert_eq!(&result, &IndexedCatalog::new(catalog.clone()).pick(&c, &h, &ctx));
        match result {
            Ok(r) => {
                prop_assert!(r.alternatives.len() <= MAX_ALTERNATIVES);
                prop_assert!(r.matches > r.alternatives.len());
                // The top pick is within BAND of the best score on offer.
                let best = r.alternatives.iter().map(|a| a.score).max().unwrap_or(0).max(r.top.score);
                prop_assert!(r.top.score + BAND >= best);
                prop_assert!(r.alternatives.windows(2).all(|w| w[0].score >= w[1].score));
                let mut ids: Vec<&str> = std::iter::once(&r.top).chain(&r.alternatives).map(|p| p.title_id.as_str()).collect();
                ids.sort_unstable();
                let n = ids.len();
                ids.dedup();
                prop_assert_eq!(ids.len(), n, "distinct");
                for p in std::iter::once(&r.top).chain(&r.alternatives) {
                    if let Err(e) = check_pick(&catalog, &c, &h, &ctx, p) {
                        return Err(TestCaseError::fail(e));
                    }
                }
            }
            Err(PickError::EmptyCatalog) => prop_assert!(catalog.is_empty()),
            Err(PickError::FinishTimePassed { .. }) => {
                prop_assert!(budget_minutes(c.runtime, minutes).is_err());
            }
            Err(PickError::InvalidChoice(e)) => return Err(TestCaseError::fail(format!("generated choices are valid: {e}"))),
            Err(PickError::NoMatch(n)) => {
                prop_assert!(!catalog.is_empty());
                // The counts, the blocking filter and the message agree.
                let best = n.counts.iter().map(|c| c.without).max().unwrap_or(0);
                prop_assert_eq!(n.without, best);
                prop_assert!(n.counts.iter().any(|c| c.filter == n.blocking) || n.without == 0);
                prop_assert!(n.counts.iter().any(|c| c.filter == n.emptied_by));
                if best == 0 {
                    prop_assert_eq!(n.blocking, n.emptied_by);
                } else {
                    // Ties go to the later filter.
                    let last_best = n.counts.iter().rev().find(|c| c.without == best).map(|c| c.filter);
                    prop_assert_eq!(Some(n.blocking), last_best);
                }
                // Lifting each filter alone: a pick exists exactly when its count is positive.
                for fc in &n.counts {
                    let (c2, h2) = lift(&c, &h, fc.filter);
                    let lifted = pick(&catalog, &c2, &h2, &ctx);
                    prop_assert_eq!(lifted.is_ok(), fc.without > 0, "lifting {:?}: {:?}", fc.filter, lifted);
                }
                prop_assert!(n.to_string().starts_with("no "));
            }
        }
    }

    #[test]
    fn picked_titles_cool_off(
        titles in proptest::collection::vec(title(), 1..40),
        seed in any::<u64>(),
        step in 0i64..(DAY / 2),
    ) {
        // Choices that filter nothing, so every case picks: the first pick from a non-empty
        // catalog must succeed, and the cool-off checks below run in every case.
        let catalog = Catalog::new(titles);
        let c = Choices::default();
        let mut h = History::default();
        let mut picked = Vec::new();
        // Five picks within 2 days of the first: a top pick is never offered again, and no
        // offered title is cooling off by the documented rule.
        for i in 0..5 {
            let ctx = PickContext::new(NOW + i * step, 20 * 60, seed);
            match pick(&catalog, &c, &h, &ctx) {
                Ok(r) => {
                    prop_assert!(!picked.contains(&r.top.title_id));
                    for p in std::iter::once(&r.top).chain(&r.alternatives) {
                        prop_assert!(!cooling(&h, &p.title_id, c.mood, ctx.now), "{} offered while cooling off", p.title_id);
                    }
                    h.record_pick(r.top.title_id.clone(), ctx.now);
                    picked.push(r.top.title_id);
                }
                Err(e) => {
                    prop_assert!(i > 0, "the first pick from a non-empty catalog failed: {e}");
                    break;
                }
            }
        }
        // Three days after the last pick every cool-off is over: the first top pick can come back.
        let after = NOW + 4 * step + 3 * DAY;
        prop_assert!(!cooling(&h, &picked[0], c.mood, after));
        prop_assert!(!h.is_cooling(&picked[0], after));
    }

    #[test]
    fn history_stays_bounded(events in proptest::collection::vec((0u32..50, 0i64..1000), 0..300), max in 1usize..40) {
        let mut h = History::with_policy(Policy { max_entries: max, ..Policy::default() });
        for (id, t) in events {
            h.record_pick(id.to_string(), NOW + t * DAY);
            prop_assert!(h.entries.len() <= max);
            prop_assert!(h.entries.windows(2).all(|w| w[0].at <= w[1].at));
        }
    }
}
