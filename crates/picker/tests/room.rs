//! Watching together: picks for a room of people (issue 13, points 3 and 6).
//!
//! The property tests restate each room rule independently of the implementation: what a
//! member has seen (the account: the catalog's state and "seen it" marks; a profile: its own
//! counts, a show's `k` viewed leaves being its first `k` episodes in "next episode" order),
//! what a restricted member may see, and the earliest episode someone has not seen.

mod common;

use common::lift;
use std::collections::{HashMap, HashSet};

use picker::*;
use proptest::prelude::*;

const NOW: i64 = 1_750_000_000;
const DAY: i64 = 86_400;

const GENRES: [&str; 8] = [
    "Comedy",
    "Drama",
    "Sci-Fi",
    "Horror",
    "Documentary",
    "Family",
    "Thriller",
    "Romance",
];
const RATINGS: [&str; 8] = ["G", "PG", "PG-13", "R", "TV-Y", "TV-14", "TV-MA", "NR"];
const WORDS: [&str; 8] = [
    "the", "dream", "love", "murder", "future", "escape", "joy", "town",
];

fn rating() -> impl Strategy<Value = Option<f32>> {
    prop_oneof![
        4 => proptest::option::of(0.0f32..=10.0),
        1 => Just(Some(f32::NAN)),
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

/// A title with the id given later (ids are unique, as Plex ratingKeys are).
fn title() -> impl Strategy<Value = Title> {
    (
        (
            any::<bool>(),
            proptest::option::of(1975u16..2026),
            proptest::collection::vec(0..GENRES.len(), 0..3),
            proptest::option::of(0u64..200),
        ),
        (rating(), rating(), proptest::option::of(0..RATINGS.len())),
        (
            0u32..3,
            proptest::option::of(0i64..800),
            proptest::collection::vec(0..WORDS.len(), 0..8),
        ),
        (0u32..6, 0u32..7, proptest::collection::vec(episode(), 0..6)),
    )
        .prop_map(
            |(
                (is_show, year, genres, minutes),
                (critic, audience, cr),
                (views, added_days, words),
                (leaves, viewed, episodes),
            )| {
                let kind = if is_show { Kind::Show } else { Kind::Movie };
                Title {
                    kind,
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
    proptest::collection::vec(title(), 0..30usize).prop_map(|titles| {
        Catalog::new(
            titles
                .into_iter()
                .enumerate()
                .map(|(i, t)| Title {
                    id: i.to_string(),
                    title: format!("T{i}"),
                    ..t
                })
                .collect(),
        )
    })
}

fn choices() -> impl Strategy<Value = Choices> {
    // Mostly few filters, so that most cases pick and the room's rules are what is checked.
    let runtime = prop_oneof![
        8 => Just(None),
        1 => (0u32..150).prop_map(|minutes| Some(RuntimeLimit::MaxMinutes { minutes })),
        1 => (0u8..24, 0u8..60).prop_map(|(h, m)| Some(RuntimeLimit::FinishBy { at: ClockTime::new(h, m) })),
    ];
    let genres =
        prop_oneof![6 => Just(vec![]), 1 => proptest::collection::vec(0..GENRES.len(), 1..3)];
    let mood = prop_oneof![3 => Just(0usize), 2 => 0..Mood::ALL.len()];
    (
        (0..3usize, 0..WatchFilter::ALL.len(), mood, runtime),
        (genres.clone(), genres),
        (
            proptest::option::weighted(0.1, 0..ContentLevel::ALL.len()),
            proptest::option::weighted(0.1, 0.0f32..9.0),
        ),
    )
        .prop_map(
            |((f, w, m, runtime), (inc, exc), (level, min_critic))| Choices {
                format: Format::ALL[f],
                watch: WatchFilter::ALL[w],
                mood: Mood::ALL[m],
                runtime,
                include_genres: inc.iter().map(|&g| GENRES[g].to_lowercase()).collect(),
                exclude_genres: exc.iter().map(|&g| GENRES[g].to_string()).collect(),
                max_content: level.map(|l| ContentLevel::ALL[l]),
                min_critic,
                ..Choices::default()
            },
        )
}

fn history() -> impl Strategy<Value = History> {
    let event = (0u32..30, 0i64..(200 * DAY), 0..5usize, 0..Mood::ALL.len());
    proptest::collection::vec(event, 0..10).prop_map(|events| {
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

/// A profile: per title id 0..30, a count (most titles absent), maybe restricted.
fn profile(n: usize) -> impl Strategy<Value = Member> {
    (
        proptest::collection::vec(prop_oneof![3 => Just(0u32), 1 => 1u32..4, 1 => 4u32..9], 30),
        proptest::option::weighted(
            0.3,
            proptest::collection::vec(proptest::bool::weighted(0.8), 30),
        ),
        proptest::option::weighted(0.2, 0..ContentLevel::ALL.len()),
    )
        .prop_map(move |(counts, visible, limit)| Member {
            name: format!("P{n}"),
            watch: WatchState::Own(
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(i, &c)| (i.to_string(), c))
                    .collect(),
            ),
            visible: visible.map(|v| {
                v.iter()
                    .enumerate()
                    .filter(|(_, &b)| b)
                    .map(|(i, _)| i.to_string())
                    .collect()
            }),
            max_content: limit.map(|l| ContentLevel::ALL[l]),
        })
}

/// One to four people: maybe the account, and profiles.
fn room() -> impl Strategy<Value = Room> {
    (
        any::<bool>(),
        proptest::option::weighted(0.1, 0..ContentLevel::ALL.len()),
        proptest::collection::vec(0usize..1, 1..4),
    )
        .prop_flat_map(|(account, account_limit, n)| {
            let profiles: Vec<_> = (0..n.len()).map(profile).collect();
            (Just(account), Just(account_limit), profiles)
        })
        .prop_map(|(account, account_limit, profiles)| {
            let mut members = Vec::new();
            if account || profiles.is_empty() {
                members.push(Member {
                    max_content: account_limit.map(|l| ContentLevel::ALL[l]),
                    ..Member::account("Me")
                });
            }
            members.extend(profiles);
            Room::new(members)
        })
}

// ---- Independent restatements of the room rules ----

/// Episodes in "next episode" order: season, index (specials last), then id, ties kept in
/// catalog order.
fn in_order(t: &Title) -> Vec<&Episode> {
    let mut eps: Vec<&Episode> = t.episodes.iter().collect();
    eps.sort_by_key(|e| (e.season == 0, e.season, e.index, e.id.clone()));
    eps
}

fn count(m: &Member, id: &str) -> Option<u32> {
    match &m.watch {
        WatchState::Account => None,
        WatchState::Own(seen) => Some(seen.get(id).copied().unwrap_or(0)),
    }
}

fn total_leaves(t: &Title) -> u32 {
    if t.episodes.is_empty() {
        t.leaf_count
    } else {
        t.episodes.len() as u32
    }
}

/// Something left for this member (movies: never watched).
fn member_unwatched(m: &Member, t: &Title, h: &History) -> bool {
    match count(m, &t.id) {
        None => {
            let meta = match t.kind {
                Kind::Movie => t.view_count == 0,
                Kind::Show if t.episodes.is_empty() => t.viewed_leaf_count < t.leaf_count,
                Kind::Show => t.episodes.iter().any(|e| e.view_count == 0),
            };
            meta && !h.marked_seen(&t.id)
        }
        Some(c) => match t.kind {
            Kind::Movie => c == 0,
            Kind::Show => c < total_leaves(t),
        },
    }
}

/// Watched or started by this member.
fn member_watched(m: &Member, t: &Title, h: &History) -> bool {
    match count(m, &t.id) {
        None => t.was_watched() || h.marked_seen(&t.id),
        Some(c) => c > 0,
    }
}

/// Whether member `m` has seen episode `e` of `t`.
fn member_saw(m: &Member, t: &Title, e: &Episode) -> bool {
    match count(m, &t.id) {
        None => e.view_count > 0,
        Some(k) => in_order(t)
            .iter()
            .position(|x| std::ptr::eq(*x, e))
            .is_some_and(|p| (p as u32) < k),
    }
}

/// Shows: how many episodes a member has seen (the account: per episode, else its viewed
/// leaves; a profile: its count, at most the show's episodes).
fn episodes_seen(m: &Member, t: &Title) -> u32 {
    match count(m, &t.id) {
        None if t.episodes.is_empty() => t.viewed_leaf_count,
        None => t.episodes.iter().filter(|e| e.view_count > 0).count() as u32,
        Some(c) => c.min(total_leaves(t)),
    }
}

fn may_see(room: &Room, c: &Choices, t: &Title) -> bool {
    let level = t.content_rating.as_deref().and_then(ContentLevel::parse);
    room.members.iter().all(|m| {
        m.visible.as_ref().is_none_or(|v| v.contains(&t.id))
            && m.max_content
                .is_none_or(|max| level.is_some_and(|l| l <= max))
    }) && c
        .max_content
        .is_none_or(|max| level.is_some_and(|l| l <= max))
}

/// Checks one pick against the room's rules; returns the broken rule, if any.
fn check_room_pick(
    catalog: &Catalog,
    room: &Room,
    c: &Choices,
    h: &History,
    p: &Pick,
) -> Result<(), String> {
    let t = catalog.get(&p.title_id).ok_or("unknown id")?;
    let fail = |why: &str| Err(format!("{why}: {t:?} in {room:?}"));
    if !may_see(room, c, t) {
        return fail("offered a title someone in the room may not see");
    }
    let people = room.members.len();
    let unwatched = |m: &Member| member_unwatched(m, t, h);
    let watched = |m: &Member| member_watched(m, t, h);
    match c.watch {
        WatchFilter::Unwatched if !room.members.iter().all(unwatched) => {
            return fail("unwatched, but someone has seen it")
        }
        WatchFilter::Rewatch if !room.members.iter().all(watched) => {
            return fail("rewatch, but someone has not seen it")
        }
        WatchFilter::NewToSomeone if !room.members.iter().any(unwatched) => {
            return fail("new to someone, but everyone has seen it")
        }
        _ => {}
    }
    if t.kind == Kind::Show && !t.episodes.is_empty() && c.watch != WatchFilter::Rewatch {
        let earliest = in_order(t)
            .into_iter()
            .find(|e| room.members.iter().any(|m| !member_saw(m, t, e)));
        if let Some(e) = earliest {
            if p.episode.as_ref() != Some(e) {
                return fail(&format!(
                    "offered {:?}, not the earliest episode someone has not seen {e:?}",
                    p.episode
                ));
            }
        }
    }
    // Reasons name people only in a room of several, and say the truth about them.
    for fact in &p.reason.facts {
        let ok = match fact {
            Fact::NoneOfYouHasSeen => people > 1 && !room.members.iter().any(watched),
            Fact::AllOfYouHaveSeen => {
                people > 1
                    && room.members.iter().all(watched)
                    && !room.members.iter().any(unwatched)
            }
            Fact::NewTo { names } => {
                let expected: Vec<&str> = room
                    .members
                    .iter()
                    .filter(|m| !watched(m))
                    .map(|m| m.name.as_str())
                    .collect();
                people > 1 && names.iter().map(String::as_str).eq(expected)
            }
            Fact::Behind { name, episodes } => {
                // The first member furthest behind, by how far the one furthest ahead is.
                let seen: Vec<u32> = room.members.iter().map(|m| episodes_seen(m, t)).collect();
                let (min, max) = (seen.iter().min(), seen.iter().max());
                let first_behind = seen
                    .iter()
                    .position(|s| Some(s) == min)
                    .map(|i| room.members[i].name.as_str());
                people > 1
                    && first_behind == Some(name.as_str())
                    && Some(*episodes) == max.zip(min).map(|(a, b)| a - b)
                    && *episodes > 0
            }
            _ => true,
        };
        if !ok {
            return fail(&format!("untrue fact {fact:?}"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The account alone (and an empty room) picks exactly as `pick` and `ranked` do.
    #[test]
    fn a_solo_room_picks_exactly_as_today(
        catalog in catalog(), c in choices(), h in history(), minutes in 0u32..1440,
        seed in any::<u64>(), n in 0usize..10,
    ) {
        let ctx = PickContext::new(NOW, minutes, seed);
        let today = pick(&catalog, &c, &h, &ctx);
        let indexed = IndexedCatalog::new(catalog.clone());
        for room in [Room::solo(), Room::default(), Room::new(vec![Member::account("Sam")])] {
            prop_assert_eq!(&pick_in(&catalog, &room, &c, &h, &ctx), &today);
            prop_assert_eq!(&indexed.pick_in(&room, &c, &h, &ctx), &today);
            let once = indexed.index_room(room.clone());
            prop_assert_eq!(&indexed.pick_for(&once, &c, &h, &ctx), &today);
            prop_assert_eq!(
                &ranked_in(&catalog, &room, &c, &h, &ctx, n),
                &ranked(&catalog, &c, &h, &ctx, n)
            );
            prop_assert_eq!(
                &indexed.ranked_in(&room, &c, &h, &ctx, n),
                &ranked(&catalog, &c, &h, &ctx, n)
            );
        }
        // "New to someone" for one person is "unwatched".
        if c.watch == WatchFilter::NewToSomeone {
            let unwatched = Choices { watch: WatchFilter::Unwatched, ..c.clone() };
            prop_assert_eq!(&today, &pick(&catalog, &unwatched, &h, &ctx));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 800, ..ProptestConfig::default() })]

    /// Every title offered (top and alternatives) obeys the room: unwatched for everyone,
    /// seen by everyone, new to someone; visible to every restricted member and under the
    /// strictest limit; the earliest episode someone has not seen. When nothing matches, the
    /// counts agree with picks with each filter lifted, and never count a hidden title.
    #[test]
    fn room_picks_obey_the_room(
        catalog in catalog(), room in room(), c in choices(), h in history(),
        minutes in 0u32..1440, seed in any::<u64>(),
    ) {
        let ctx = PickContext::new(NOW, minutes, seed);
        let result = pick_in(&catalog, &room, &c, &h, &ctx);
        let indexed = IndexedCatalog::new(catalog.clone());
        prop_assert_eq!(&result, &indexed.pick_in(&room, &c, &h, &ctx));
        // Worked out once: the same picks; and worked out against another catalog (a title
        // fewer), still right for this one.
        let once = indexed.index_room(room.clone());
        prop_assert_eq!(&result, &indexed.pick_for(&once, &c, &h, &ctx));
        let mut fewer = catalog.clone();
        fewer.titles.pop();
        let stale = IndexedCatalog::new(fewer).index_room(room.clone());
        prop_assert_eq!(&result, &indexed.pick_for(&stale, &c, &h, &ctx));
        prop_assert_eq!(
            &ranked_in(&catalog, &room, &c, &h, &ctx, 10),
            &indexed.ranked_for(&once, &c, &h, &ctx, 10)
        );
        let ranked = ranked_in(&catalog, &room, &c, &h, &ctx, 10);
        prop_assert_eq!(result.is_ok(), ranked.is_ok());
        match result {
            Ok(r) => {
                prop_assert!(r.alternatives.len() <= MAX_ALTERNATIVES);
                for p in std::iter::once(&r.top).chain(&r.alternatives).chain(ranked.iter().flat_map(|r| &r.candidates)) {
                    if let Err(e) = check_room_pick(&catalog, &room, &c, &h, p) {
                        return Err(TestCaseError::fail(e));
                    }
                }
            }
            Err(PickError::EmptyCatalog) => prop_assert!(catalog.is_empty()),
            Err(PickError::FinishTimePassed { .. }) => {
                prop_assert!(budget_minutes(c.runtime, minutes).is_err());
            }
            Err(PickError::InvalidChoice(why)) => {
                // Only when nobody may see anything.
                let visible = catalog.titles.iter().filter(|t| may_see(&room, &Choices::default(), t)).count();
                prop_assert_eq!(visible, 0, "{}", why);
                prop_assert!(why.contains("choose fewer people"));
            }
            Err(PickError::NoMatch(n)) => {
                let visible = catalog.titles.iter().filter(|t| may_see(&room, &Choices::default(), t)).count();
                let best = n.counts.iter().map(|c| c.without).max().unwrap_or(0);
                prop_assert_eq!(n.without, best);
                prop_assert!(n.counts.iter().any(|c| c.filter == n.emptied_by));
                for fc in &n.counts {
                    // Hidden titles are never counted.
                    prop_assert!(fc.without <= visible, "{:?} counts {} of {} visible", fc.filter, fc.without, visible);
                    let (c2, h2) = lift(&c, &h, fc.filter);
                    let lifted = pick_in(&catalog, &room, &c2, &h2, &ctx);
                    prop_assert_eq!(lifted.is_ok(), fc.without > 0, "lifting {:?}: {:?}", fc.filter, lifted);
                    if let Ok(r) = lifted {
                        prop_assert_eq!(r.matches, fc.without, "lifting {:?}", fc.filter);
                        for p in std::iter::once(&r.top).chain(&r.alternatives) {
                            if let Err(e) = check_room_pick(&catalog, &room, &c2, &h2, p) {
                                return Err(TestCaseError::fail(e));
                            }
                        }
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Nothing the rules allow is left out: with only the watch filter (no mood, no
    /// history), the matches are exactly the titles everyone may see that obey the room's
    /// watch rule.
    #[test]
    fn every_title_the_room_allows_is_a_match(
        catalog in catalog(), room in room(), w in 0..WatchFilter::ALL.len(), seed in any::<u64>(),
    ) {
        let c = with_watch(WatchFilter::ALL[w]);
        let h = History::default();
        let ctx = PickContext::new(NOW, 20 * 60, seed);
        let expected = catalog
            .titles
            .iter()
            .filter(|t| may_see(&room, &c, t))
            .filter(|t| match c.watch {
                WatchFilter::All => true,
                WatchFilter::Unwatched => room.members.iter().all(|m| member_unwatched(m, t, &h)),
                WatchFilter::Rewatch => room.members.iter().all(|m| member_watched(m, t, &h)),
                WatchFilter::NewToSomeone => room.members.iter().any(|m| member_unwatched(m, t, &h)),
            })
            .count();
        let got = match pick_in(&catalog, &room, &c, &h, &ctx) {
            Ok(r) => r.matches,
            Err(_) => 0,
        };
        prop_assert_eq!(got, expected);
    }
}

// ---- Worked examples ----

fn ctx() -> PickContext {
    PickContext::new(NOW, 20 * 60, 3)
}

fn movie(id: &str, rating: &str, views: u32) -> Title {
    Title {
        duration_ms: Some(100 * 60_000),
        content_rating: Some(rating.into()),
        view_count: views,
        genres: vec!["Comedy".into()],
        ..Title::movie(id, format!("Movie {id}"))
    }
}

/// A show of `n` episodes in season 1, listed out of order, the account having seen `seen`.
fn show(id: &str, n: u32, seen: u32) -> Title {
    let mut episodes: Vec<Episode> = (1..=n)
        .rev()
        .map(|i| Episode {
            id: format!("{id}-{i}"),
            season: 1,
            index: i,
            title: format!("Episode {i}"),
            duration_ms: Some(30 * 60_000),
            view_count: u32::from(i <= seen),
        })
        .collect();
    episodes.push(Episode {
        id: format!("{id}-special"),
        season: 0,
        index: 1,
        title: "Special".into(),
        duration_ms: Some(30 * 60_000),
        view_count: 0,
    });
    Title {
        content_rating: Some("TV-PG".into()),
        genres: vec!["Drama".into()],
        leaf_count: n + 1,
        viewed_leaf_count: seen,
        episodes,
        ..Title::show(id, format!("Show {id}"))
    }
}

fn seen(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
    pairs.iter().map(|&(id, c)| (id.to_string(), c)).collect()
}

fn with_watch(watch: WatchFilter) -> Choices {
    Choices {
        watch,
        ..Choices::default()
    }
}

/// Every id a room may be offered, over many seeds (top and alternatives).
fn offered(catalog: &Catalog, room: &Room, c: &Choices) -> HashSet<String> {
    offered_with(catalog, room, c, &History::default())
}

fn offered_with(catalog: &Catalog, room: &Room, c: &Choices, h: &History) -> HashSet<String> {
    let mut ids = HashSet::new();
    for seed in 0..40 {
        let ctx = PickContext::new(NOW, 20 * 60, seed);
        if let Ok(r) = pick_in(catalog, room, c, h, &ctx) {
            ids.insert(r.top.title_id.clone());
            ids.extend(r.alternatives.into_iter().map(|a| a.title_id));
        }
    }
    ids
}

fn ids(list: &[&str]) -> HashSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// "Rewatch" for a room offers an episode every member has seen, never the next one someone
/// has not (issue 14's mutation testing: deleting the Rewatch arm of `room_episode` offered
/// Sam's next episode as a "rewatch").
#[test]
fn a_rewatch_for_the_room_is_an_episode_everyone_has_seen() {
    let catalog = Catalog::new(vec![show("s", 8, 0)]);
    let room = Room::new(vec![
        Member::profile("Sam", seen(&[("s", 2)])),
        Member::profile("Alex", seen(&[("s", 5)])),
    ]);
    for seed in 0..20 {
        let ctx = PickContext::new(1_750_000_000, 20 * 60, seed);
        let r = pick_in(
            &catalog,
            &room,
            &with_watch(WatchFilter::Rewatch),
            &History::default(),
            &ctx,
        )
        .expect("both have seen some of it");
        let e = r.top.episode.expect("an episode");
        assert!(
            e.season == 1 && e.index <= 2,
            "S{}E{} is not seen by both (seed {seed})",
            e.season,
            e.index
        );
        assert!(
            !r.top.reason.text().contains("next up"),
            "{}",
            r.top.reason.text()
        );
    }
}

#[test]
fn sam_is_three_episodes_behind_and_episode_three_is_offered() {
    let catalog = Catalog::new(vec![show("s", 8, 0)]);
    let room = Room::new(vec![
        Member::profile("Sam", seen(&[("s", 2)])),
        Member::profile("Alex", seen(&[("s", 5)])),
    ]);
    for watch in [
        WatchFilter::Unwatched,
        WatchFilter::NewToSomeone,
        WatchFilter::All,
    ] {
        let r = pick_in(
            &catalog,
            &room,
            &with_watch(watch),
            &History::default(),
            &ctx(),
        )
        .expect("a pick");
        let e = r.top.episode.expect("an episode");
        assert_eq!((e.season, e.index), (1, 3), "{watch:?}");
        assert!(
            r.top.reason.facts.contains(&Fact::Behind {
                name: "Sam".into(),
                episodes: 3
            }),
            "{:?}",
            r.top.reason.facts
        );
        let text = r.top.reason.text();
        assert!(text.contains("next up S1E3"), "{text}");
        assert!(text.contains("Sam is 3 episodes behind"), "{text}");
    }
    // With the account (per episode: it has seen 1 and 2 and 4) in the room too: episode 3.
    let mut s = show("s", 8, 2);
    s.episodes
        .iter_mut()
        .filter(|e| e.index == 4 && e.season == 1)
        .for_each(|e| e.view_count = 1);
    let catalog = Catalog::new(vec![s]);
    let room = Room::new(vec![
        Member::account("Me"),
        Member::profile("Alex", seen(&[("s", 5)])),
    ]);
    let r = pick_in(
        &catalog,
        &room,
        &with_watch(WatchFilter::Unwatched),
        &History::default(),
        &ctx(),
    )
    .unwrap();
    let e = r.top.episode.unwrap();
    assert_eq!((e.season, e.index), (1, 3));
    assert!(r.top.reason.text().contains("Me is 2 episodes behind"));
    // Everyone past every regular episode: the special comes last.
    let catalog = Catalog::new(vec![show("s", 3, 0)]);
    let room = Room::new(vec![
        Member::profile("Sam", seen(&[("s", 3)])),
        Member::profile("Alex", seen(&[("s", 3)])),
    ]);
    let r = pick_in(
        &catalog,
        &room,
        &with_watch(WatchFilter::Unwatched),
        &History::default(),
        &ctx(),
    )
    .unwrap();
    assert_eq!(r.top.episode.unwrap().season, 0);
}

#[test]
fn unwatched_is_new_to_everyone_rewatch_seen_by_everyone() {
    // a: nobody has seen it; b: Alex has; c: both have; d: the account (not in the room) has.
    let catalog = Catalog::new(vec![
        movie("a", "PG", 0),
        movie("b", "PG", 0),
        movie("c", "PG", 0),
        movie("d", "PG", 3),
    ]);
    let room = Room::new(vec![
        Member::profile("Sam", seen(&[("c", 1)])),
        Member::profile("Alex", seen(&[("b", 2), ("c", 1)])),
    ]);
    assert_eq!(
        offered(&catalog, &room, &with_watch(WatchFilter::Unwatched)),
        ids(&["a", "d"])
    );
    assert_eq!(
        offered(&catalog, &room, &with_watch(WatchFilter::NewToSomeone)),
        ids(&["a", "b", "d"])
    );
    assert_eq!(
        offered(&catalog, &room, &with_watch(WatchFilter::Rewatch)),
        ids(&["c"])
    );
    // Reasons name people.
    let reason_of = |id: &str, watch| {
        let only = Catalog::new(vec![catalog.get(id).unwrap().clone()]);
        pick_in(
            &only,
            &room,
            &with_watch(watch),
            &History::default(),
            &ctx(),
        )
        .unwrap()
        .top
        .reason
        .text()
    };
    assert!(reason_of("a", WatchFilter::Unwatched).contains("none of you has seen it"));
    assert!(reason_of("b", WatchFilter::NewToSomeone).contains("new to Sam"));
    assert!(reason_of("c", WatchFilter::Rewatch).contains("all of you have seen it"));
    // A show nobody's counts place anyone ahead (no episodes known): whoever has not started
    // it is named, and "all of you have seen it" is never said while someone has not.
    let show_of_unknown_length = Title {
        leaf_count: 0,
        ..Title::show("s", "S")
    };
    let room2 = Room::new(vec![
        Member::profile("Sam", seen(&[])),
        Member::profile("Alex", seen(&[("s", 1)])),
    ]);
    let r = pick_in(
        &Catalog::new(vec![show_of_unknown_length]),
        &room2,
        &Choices::default(),
        &History::default(),
        &ctx(),
    )
    .unwrap();
    assert!(
        r.top.reason.facts.contains(&Fact::NewTo {
            names: vec!["Sam".into()]
        }),
        "{:?}",
        r.top.reason.facts
    );
    assert!(!r.top.reason.facts.contains(&Fact::AllOfYouHaveSeen));
    // Nobody named for one person, even a profile.
    let sam = Room::new(vec![Member::profile("Sam", seen(&[("c", 1)]))]);
    let only_b = Catalog::new(vec![catalog.get("b").unwrap().clone()]);
    let r = pick_in(
        &only_b,
        &sam,
        &with_watch(WatchFilter::Unwatched),
        &History::default(),
        &ctx(),
    )
    .unwrap();
    assert!(!r.top.reason.text().contains("Sam"));
    // The account in the room: its "seen it" marks count for it.
    let room = Room::new(vec![
        Member::account("Me"),
        Member::profile("Sam", seen(&[])),
    ]);
    let mut h = History::default();
    h.reject("a", RejectReason::SeenIt, Mood::Anything, NOW - 400 * DAY);
    assert_eq!(
        offered_with(&catalog, &room, &with_watch(WatchFilter::Unwatched), &h),
        ids(&["b", "c"])
    );
}

#[test]
fn a_restricted_member_never_sees_hidden_titles_and_the_strictest_limit_applies() {
    let catalog = Catalog::new(vec![
        movie("g", "G", 0),
        movie("pg", "PG", 0),
        movie("pg13", "PG-13", 0),
        movie("r", "R", 0),
        movie("unrated", "", 0),
        movie("g-hidden", "G", 0),
    ]);
    let everything: HashSet<String> = catalog
        .titles
        .iter()
        .map(|t| t.id.clone())
        .filter(|id| id != "g-hidden")
        .collect();
    let kid = Member::profile("Kim", seen(&[]))
        .with_visible(everything)
        .with_max_content(ContentLevel::Parental);
    let room = Room::new(vec![Member::account("Me"), kid.clone()]);
    assert_eq!(
        offered(&catalog, &room, &Choices::default()),
        ids(&["g", "pg"])
    );
    // The choices' limit and the kid's: the stricter wins, either way round.
    let at_most = |level| Choices {
        max_content: Some(level),
        ..Choices::default()
    };
    assert_eq!(
        offered(&catalog, &room, &at_most(ContentLevel::Mature)),
        ids(&["g", "pg"])
    );
    assert_eq!(
        offered(&catalog, &room, &at_most(ContentLevel::General)),
        ids(&["g"])
    );
    // Without the kid, everything.
    let adults = Room::new(vec![
        Member::account("Me"),
        Member::profile("Sam", seen(&[])),
    ]);
    assert_eq!(offered(&catalog, &adults, &Choices::default()).len(), 6);

    // Nothing matches: the diagnosis never counts what the kid may not see. Only R and
    // the hidden G are unwatched by Sam; lifting the watch filter finds 2 (g, pg), not 6.
    let catalog = Catalog::new(vec![
        movie("g", "G", 0),
        movie("pg", "PG", 0),
        movie("r", "R", 0),
        movie("g-hidden", "G", 0),
    ]);
    let sam = Member::profile("Sam", seen(&[("g", 1), ("pg", 1)]));
    let kid = Member::profile("Kim", seen(&[]))
        .with_visible(ids(&["g", "pg", "r"]))
        .with_max_content(ContentLevel::Parental);
    let room = Room::new(vec![sam, kid]);
    let c = Choices {
        watch: WatchFilter::Unwatched,
        max_content: Some(ContentLevel::Mature),
        ..Choices::default()
    };
    match pick_in(&catalog, &room, &c, &History::default(), &ctx()) {
        Err(PickError::NoMatch(n)) => {
            assert_eq!(n.emptied_by, Filter::Watch);
            assert_eq!(n.blocking, Filter::Watch);
            assert_eq!(n.without, 2);
            // Lifting the content-rating choice never lifts the kid's limit.
            assert_eq!(
                n.counts,
                vec![
                    FilterCount {
                        filter: Filter::Watch,
                        without: 2
                    },
                    FilterCount {
                        filter: Filter::ContentRating,
                        without: 0
                    },
                ]
            );
        }
        other => panic!("expected no match, got {other:?}"),
    }
    // Nothing at all visible to everyone: said so, with what to do.
    let room = Room::new(vec![
        Member::account("Me"),
        Member::profile("Kim", seen(&[])).with_visible(HashSet::new()),
    ]);
    match pick_in(
        &catalog,
        &room,
        &Choices::default(),
        &History::default(),
        &ctx(),
    ) {
        Err(PickError::InvalidChoice(why)) => assert!(why.contains("choose fewer people")),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_room_serialises_and_parses_back() {
    let room = Room::new(vec![
        Member::account("Me"),
        Member::profile("Sam", seen(&[("1", 2)]))
            .with_visible(ids(&["1", "2"]))
            .with_max_content(ContentLevel::Teens),
    ]);
    let json = serde_json::to_string(&room).unwrap();
    assert_eq!(serde_json::from_str::<Room>(&json).unwrap(), room);
    assert_eq!(room.max_content(), Some(ContentLevel::Teens));
    assert_eq!(
        serde_json::to_string(&WatchFilter::NewToSomeone).unwrap(),
        "\"new_to_someone\""
    );
}
