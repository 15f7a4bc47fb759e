//! The pick: filter, score, draw, explain.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Episode, Kind, Title};
use crate::choices::{Choices, Format, Mood, RuntimeLimit, WatchFilter, YearFilter};
use crate::error::{FilterCount, NoMatch, PickError};
use crate::filters::{budget_minutes, Filter, Item, MemberSeen, Prepared, RoomView};
use crate::history::History;
use crate::index::{CatalogIndex, IndexedCatalog};
use crate::moods::{self, Eval};
use crate::reason::{Fact, Reason};
use crate::room::{IndexedRoom, Room, RoomTable};
use crate::text;

/// Scores within this many points of the best are "near-equal": the top pick
/// is drawn among them.
pub const BAND: u8 = 8;
/// How many alternatives at most.
pub const MAX_ALTERNATIVES: usize = 6;

/// When and how to pick: the caller's clock, read once, and the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickContext {
    /// Now, in epoch seconds (cool-offs, "added N days ago").
    pub now: i64,
    /// Local time of day in minutes since midnight (finish-by); taken modulo 1440.
    pub local_minutes: u32,
    /// Same seed, same catalog, same choices, same history ⇒ same result.
    pub seed: u64,
}

impl PickContext {
    /// From a local time of day.
    pub fn new(now: i64, local_minutes: u32, seed: u64) -> Self {
        PickContext {
            now,
            local_minutes,
            seed,
        }
    }

    /// From the local UTC offset in minutes (e.g. +60 for CET).
    pub fn with_utc_offset(now: i64, utc_offset_minutes: i32, seed: u64) -> Self {
        let local = now.saturating_add(i64::from(utc_offset_minutes) * 60);
        let minutes = local.rem_euclid(86_400) / 60;
        PickContext {
            now,
            local_minutes: minutes as u32,
            seed,
        }
    }
}

/// One picked title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    /// `Title::id` (Plex ratingKey).
    pub title_id: String,
    /// `Title::title`, for display.
    pub title: String,
    /// Mood score, 0-100.
    pub score: u8,
    /// Why, as facts and a verdict; `reason.text()` renders it.
    pub reason: Reason,
    /// Shows: the episode to watch (next unwatched, or a rewatch), if episodes are loaded.
    pub episode: Option<Episode>,
}

/// The answer: a top pick and up to six distinct alternatives, best score first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickResult {
    /// The pick.
    pub top: Pick,
    /// Other good options (never the top pick, never twice the same id).
    pub alternatives: Vec<Pick>,
    /// How many titles passed every filter (the pick was drawn from these).
    pub matches: usize,
}

#[derive(Clone, Copy)]
struct Scored {
    idx: u32,
    score: u8,
}

/// Every title passing every filter, with its mood score.
fn candidates(catalog: &Catalog, prep: &Prepared) -> Vec<Scored> {
    // Cheapest first; the result does not depend on the order.
    const EVAL: [Filter; 10] = [
        Filter::Format,
        Filter::Watch,
        Filter::Years,
        Filter::CriticRating,
        Filter::AudienceRating,
        Filter::ContentRating,
        Filter::IncludeGenres,
        Filter::ExcludeGenres,
        Filter::Runtime,
        Filter::CoolOff,
    ];
    let mut active = [Filter::Format; 10];
    let mut n_active = 0;
    for f in EVAL {
        if prep.is_active(f) {
            active[n_active] = f;
            n_active += 1;
        }
    }
    let active = &active[..n_active];
    if prep.room.is_some() {
        scan::<true>(catalog, prep, active)
    } else {
        scan::<false>(catalog, prep, active)
    }
}

/// [`candidates`], compiled once for a room (`ROOM`) and once for the account alone.
fn scan<const ROOM: bool>(catalog: &Catalog, prep: &Prepared, active: &[Filter]) -> Vec<Scored> {
    let mood = prep.choices.mood;
    let mut out = Vec::new();
    for (i, (t, row)) in catalog.titles.iter().zip(&prep.index.rows).enumerate() {
        let mut item = Item::new(t, row);
        if (ROOM && !prep.visible(&item))
            || !active.iter().all(|&f| prep.passes_in::<ROOM>(f, &mut item))
        {
            continue;
        }
        let f = prep.features_in::<ROOM>(&mut item);
        if let Some(e) = moods::evaluate(mood, &f) {
            out.push(Scored {
                idx: i as u32,
                score: e.score,
            });
        }
    }
    out
}

/// Draws an index of `pool` with probability proportional to `weight`.
fn draw(rng: &mut ChaCha8Rng, pool: &[Scored], weight: impl Fn(u8) -> u64) -> Option<usize> {
    let total: u64 = pool.iter().map(|s| weight(s.score)).sum();
    if total == 0 {
        return None;
    }
    let mut r = rng.random_range(0..total);
    for (i, s) in pool.iter().enumerate() {
        let w = weight(s.score);
        if r < w {
            return Some(i);
        }
        r -= w;
    }
    None
}

/// Picks something to watch.
///
/// Pure and deterministic: the same catalog, choices, history and context
/// give the same result. The top pick is drawn among the candidates scoring
/// within [`BAND`] points of the best (weighted by score); the alternatives
/// are drawn from those and the next best (at least the top seven), and
/// sorted by score.
///
/// This indexes the catalog first (O(total size)); to pick repeatedly from
/// the same catalog, build an [`IndexedCatalog`] once and call
/// [`IndexedCatalog::pick`].
pub fn pick(
    catalog: &Catalog,
    choices: &Choices,
    history: &History,
    ctx: &PickContext,
) -> Result<PickResult, PickError> {
    pick_with(
        catalog,
        &CatalogIndex::build(catalog),
        None,
        choices,
        history,
        ctx,
    )
}

/// [`pick`] for the people in `room` (see [`crate::room`] for what changes): "unwatched" is
/// new to everyone, "rewatch" seen by everyone, "new to someone" unseen by at least one, and
/// what a restricted member may not see is never offered. A room of the account alone
/// ([`Room::solo`]) picks exactly as [`pick`].
pub fn pick_in(
    catalog: &Catalog,
    room: &Room,
    choices: &Choices,
    history: &History,
    ctx: &PickContext,
) -> Result<PickResult, PickError> {
    pick_with(
        catalog,
        &CatalogIndex::build(catalog),
        Some(RoomArg::Plain(room)),
        choices,
        history,
        ctx,
    )
}

impl IndexedCatalog {
    /// [`pick`] over this catalog, without re-indexing it.
    pub fn pick(
        &self,
        choices: &Choices,
        history: &History,
        ctx: &PickContext,
    ) -> Result<PickResult, PickError> {
        pick_with(self.catalog(), &self.index, None, choices, history, ctx)
    }

    /// [`pick_in`] over this catalog, without re-indexing it.
    pub fn pick_in(
        &self,
        room: &Room,
        choices: &Choices,
        history: &History,
        ctx: &PickContext,
    ) -> Result<PickResult, PickError> {
        pick_with(
            self.catalog(),
            &self.index,
            Some(RoomArg::Plain(room)),
            choices,
            history,
            ctx,
        )
    }

    /// [`IndexedCatalog::pick_in`] for a room worked out once with
    /// [`IndexedCatalog::index_room`]: the quick way to pick again and again for the same
    /// people.
    pub fn pick_for(
        &self,
        room: &IndexedRoom,
        choices: &Choices,
        history: &History,
        ctx: &PickContext,
    ) -> Result<PickResult, PickError> {
        pick_with(
            self.catalog(),
            &self.index,
            Some(RoomArg::Indexed(room)),
            choices,
            history,
            ctx,
        )
    }
}

fn pick_with(
    catalog: &Catalog,
    index: &CatalogIndex,
    room: Option<RoomArg>,
    choices: &Choices,
    history: &History,
    ctx: &PickContext,
) -> Result<PickResult, PickError> {
    let Matching {
        prep,
        budget,
        mut scored,
    } = matching(catalog, index, room, choices, history, ctx)?;
    let matches = scored.len();
    // The pool: the band (within BAND of the best) and at least the top
    // 1 + MAX_ALTERNATIVES, best first, then catalog order (a total order, so
    // the draw is deterministic).
    let best = scored.iter().map(|s| s.score).max().unwrap_or(0);
    let floor = best.saturating_sub(BAND);
    let want = 1 + MAX_ALTERNATIVES;
    let mut pool: Vec<Scored> = scored
        .iter()
        .copied()
        .filter(|s| s.score >= floor)
        .collect();
    if pool.len() < want {
        if scored.len() > want {
            scored.select_nth_unstable_by(want - 1, by_rank);
            scored.truncate(want);
        }
        pool = scored;
    }
    pool.sort_unstable_by(by_rank);
    let band_len = pool.partition_point(|s| s.score >= floor);
    let pool_floor = pool.last().map_or(0, |s| s.score);

    let mut rng = ChaCha8Rng::seed_from_u64(ctx.seed);
    let id_of = |s: &Scored| {
        catalog
            .titles
            .get(s.idx as usize)
            .map_or("", |t| t.id.as_str())
    };

    let band_weight = |score: u8| u64::from(score.saturating_sub(floor)) + 1;
    let top_i = draw(&mut rng, &pool[..band_len], |s| band_weight(s).pow(2)).unwrap_or(0);
    let top = pool[top_i];
    let top_id = id_of(&top);
    pool.retain(|s| id_of(s) != top_id);

    let mut alts: Vec<Scored> = Vec::new();
    while alts.len() < MAX_ALTERNATIVES && !pool.is_empty() {
        let pool_weight = |score: u8| (u64::from(score.saturating_sub(pool_floor)) + 1).pow(2);
        let Some(i) = draw(&mut rng, &pool, pool_weight) else {
            break;
        };
        let chosen = pool[i];
        let chosen_id = id_of(&chosen);
        pool.retain(|s| id_of(s) != chosen_id);
        alts.push(chosen);
    }
    alts.sort_by_key(|a| std::cmp::Reverse(a.score));

    let make = |s: Scored| explain_at(catalog, index, &prep, s);
    let Some(top) = make(top) else {
        return Err(diagnose(catalog, &prep, history, budget));
    };
    Ok(PickResult {
        top,
        alternatives: alts.into_iter().filter_map(make).collect(),
        matches,
    })
}

/// The best-scored candidates, for a second opinion (a model) to choose among.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// At most `n` titles passing every filter, best score first (then catalog order), each
    /// with its engine score, reason and episode.
    pub candidates: Vec<Pick>,
    /// How many titles passed every filter.
    pub matches: usize,
}

/// The `n` best-scored titles passing every filter of [`pick`] (the same filters, cool-offs
/// and mood scores), best first, without any draw: the same inputs give the same list.
/// Fails exactly when [`pick`] fails.
pub fn ranked(
    catalog: &Catalog,
    choices: &Choices,
    history: &History,
    ctx: &PickContext,
    n: usize,
) -> Result<Ranked, PickError> {
    ranked_with(
        catalog,
        &CatalogIndex::build(catalog),
        None,
        choices,
        history,
        ctx,
        n,
    )
}

/// [`ranked`] for the people in `room`, with the rules of [`pick_in`].
pub fn ranked_in(
    catalog: &Catalog,
    room: &Room,
    choices: &Choices,
    history: &History,
    ctx: &PickContext,
    n: usize,
) -> Result<Ranked, PickError> {
    ranked_with(
        catalog,
        &CatalogIndex::build(catalog),
        Some(RoomArg::Plain(room)),
        choices,
        history,
        ctx,
        n,
    )
}

impl IndexedCatalog {
    /// [`ranked`] over this catalog, without re-indexing it.
    pub fn ranked(
        &self,
        choices: &Choices,
        history: &History,
        ctx: &PickContext,
        n: usize,
    ) -> Result<Ranked, PickError> {
        ranked_with(self.catalog(), &self.index, None, choices, history, ctx, n)
    }

    /// [`ranked_in`] over this catalog, without re-indexing it.
    pub fn ranked_in(
        &self,
        room: &Room,
        choices: &Choices,
        history: &History,
        ctx: &PickContext,
        n: usize,
    ) -> Result<Ranked, PickError> {
        ranked_with(
            self.catalog(),
            &self.index,
            Some(RoomArg::Plain(room)),
            choices,
            history,
            ctx,
            n,
        )
    }

    /// [`IndexedCatalog::ranked_in`] for a room worked out once with
    /// [`IndexedCatalog::index_room`].
    pub fn ranked_for(
        &self,
        room: &IndexedRoom,
        choices: &Choices,
        history: &History,
        ctx: &PickContext,
        n: usize,
    ) -> Result<Ranked, PickError> {
        ranked_with(
            self.catalog(),
            &self.index,
            Some(RoomArg::Indexed(room)),
            choices,
            history,
            ctx,
            n,
        )
    }
}

fn ranked_with(
    catalog: &Catalog,
    index: &CatalogIndex,
    room: Option<RoomArg>,
    choices: &Choices,
    history: &History,
    ctx: &PickContext,
    n: usize,
) -> Result<Ranked, PickError> {
    let Matching {
        prep, mut scored, ..
    } = matching(catalog, index, room, choices, history, ctx)?;
    let matches = scored.len();
    if n == 0 {
        scored.clear();
    } else if scored.len() > n {
        scored.select_nth_unstable_by(n - 1, by_rank);
        scored.truncate(n);
    }
    scored.sort_unstable_by(by_rank);
    let candidates = scored
        .into_iter()
        .filter_map(|s| explain_at(catalog, index, &prep, s))
        .collect();
    Ok(Ranked {
        candidates,
        matches,
    })
}

/// The room a pick is for: as given, or worked out already.
#[derive(Clone, Copy)]
enum RoomArg<'a> {
    Plain(&'a Room),
    Indexed(&'a IndexedRoom),
}

/// The room, ready to pick from this catalog; `None` for the account alone (no room, or an
/// empty one). A room worked out against another catalog is worked out again.
fn room_view<'a>(
    arg: Option<RoomArg<'a>>,
    catalog: &Catalog,
    index: &CatalogIndex,
) -> Option<RoomView<'a>> {
    let (room, table) = match arg? {
        RoomArg::Plain(room) => (room, None),
        RoomArg::Indexed(r) => (
            &r.room,
            (r.fingerprint == index.fingerprint && r.table.len() == catalog.titles.len())
                .then(|| r.table.clone()),
        ),
    };
    if room.is_empty() {
        return None;
    }
    let table =
        table.unwrap_or_else(|| std::sync::Arc::new(RoomTable::build(room, catalog, index)));
    Some(RoomView::new(room, table))
}

/// What [`pick`] and [`ranked`] both start from.
struct Matching<'a> {
    prep: Prepared<'a>,
    /// Minutes available, resolved from the choices' runtime (for the diagnosis).
    budget: Option<u32>,
    /// Every title passing every filter, with its mood score; never empty.
    scored: Vec<Scored>,
}

/// Checks the choices and finds every title passing every filter; when none does, the
/// diagnosis of which filter emptied the list.
fn matching<'a>(
    catalog: &Catalog,
    index: &'a CatalogIndex,
    room: Option<RoomArg<'a>>,
    choices: &'a Choices,
    history: &'a History,
    ctx: &PickContext,
) -> Result<Matching<'a>, PickError> {
    choices.validate()?;
    if catalog.is_empty() {
        return Err(PickError::EmptyCatalog);
    }
    let budget = budget_minutes(choices.runtime, ctx.local_minutes)?;
    let room = room_view(room, catalog, index);
    let prep = Prepared::new(choices, index, history, ctx.now, ctx.seed, budget, room);
    let scored = candidates(catalog, &prep);
    if scored.is_empty() {
        return Err(diagnose(catalog, &prep, history, budget));
    }
    Ok(Matching {
        prep,
        budget,
        scored,
    })
}

/// Best score first, then catalog order: a total order.
fn by_rank(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.score.cmp(&a.score).then(a.idx.cmp(&b.idx))
}

/// [`explain`] for the candidate at `s.idx`.
fn explain_at<'a>(
    catalog: &'a Catalog,
    index: &'a CatalogIndex,
    prep: &Prepared<'a>,
    s: Scored,
) -> Option<Pick> {
    let i = s.idx as usize;
    explain(Item::new(catalog.titles.get(i)?, index.rows.get(i)?), prep)
}

/// The pick and its reason for one candidate that passed every filter.
fn explain<'a>(mut item: Item<'a>, prep: &Prepared<'a>) -> Option<Pick> {
    let t = item.title;
    let episode = prep.episode(&mut item);
    let f = prep.features(&mut item);
    let eval = moods::evaluate(prep.choices.mood, &f)?;
    let who = match &prep.room {
        None => Who::Account,
        Some(r) => match r.members.as_slice() {
            [m] if m.member.is_account() => Who::Account,
            [m] => Who::One(prep.member_seen(r, m, &item)),
            ms => Who::Several(
                ms.iter()
                    .map(|m| (m.member.name.as_str(), prep.member_seen(r, m, &item)))
                    .collect(),
            ),
        },
    };
    Some(Pick {
        title_id: t.id.clone(),
        title: t.title.clone(),
        score: eval.score,
        reason: reason(t, episode, &f, &eval, who),
        episode: episode.map(|(e, _)| e.clone()),
    })
}

/// Whose watch state the reason speaks of.
enum Who<'a> {
    /// The account alone: the catalog's state (today's reasons).
    Account,
    /// One profile alone: its own state, no names.
    One(MemberSeen),
    /// Several people: named where it matters.
    Several(Vec<(&'a str, MemberSeen)>),
}

/// A display name, or "someone" for a blank one.
fn name_of(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "someone".to_string()
    } else {
        name.to_string()
    }
}

/// The facts about who has seen what in a room of several.
fn room_facts(t: &Title, members: &[(&str, MemberSeen)], facts: &mut Vec<Fact>) {
    if members.iter().all(|(_, m)| !m.watched) {
        facts.push(Fact::NoneOfYouHasSeen);
        return;
    }
    match t.kind {
        Kind::Movie => {
            let new_to: Vec<String> = members
                .iter()
                .filter(|(_, m)| !m.watched)
                .map(|(n, _)| name_of(n))
                .collect();
            if new_to.is_empty() {
                facts.push(Fact::AllOfYouHaveSeen);
            } else {
                facts.push(Fact::NewTo { names: new_to });
            }
        }
        Kind::Show => {
            let ahead = members
                .iter()
                .map(|(_, m)| m.episodes_seen)
                .max()
                .unwrap_or(0);
            // The member furthest behind (the first of them in room order).
            let behind = members
                .iter()
                .min_by_key(|(_, m)| m.episodes_seen)
                .filter(|(_, m)| m.episodes_seen < ahead);
            if let Some((name, m)) = behind {
                facts.push(Fact::Behind {
                    name: name_of(name),
                    episodes: ahead - m.episodes_seen,
                });
            } else if members.iter().all(|(_, m)| m.watched && !m.unwatched) {
                facts.push(Fact::AllOfYouHaveSeen);
            } else {
                // Level (or episodes unknown): name who has not started it, if anyone.
                let new_to: Vec<String> = members
                    .iter()
                    .filter(|(_, m)| !m.watched)
                    .map(|(n, _)| name_of(n))
                    .collect();
                if !new_to.is_empty() {
                    facts.push(Fact::NewTo { names: new_to });
                }
            }
        }
    }
}

fn reason(
    t: &Title,
    episode: Option<(&Episode, bool)>,
    f: &moods::Features,
    eval: &Eval,
    who: Who,
) -> Reason {
    let mut facts = vec![Fact::Kind { kind: t.kind }];
    if let Some(year) = t.year {
        facts.push(Fact::Year { year });
    }
    // Up to two genre tags the mood cares about (not two spellings of one), else the first tag.
    let mut cited = 0u32;
    let mut genres = 0;
    for g in &t.genres {
        let bits = text::classify_genre(g) & eval.cite_genres;
        if genres < 2 && bits != 0 && bits & !cited != 0 {
            cited |= bits;
            genres += 1;
            facts.push(Fact::Genre {
                genre: g.to_string(),
            });
        }
    }
    if genres == 0 {
        if let Some(g) = t.genres.iter().find(|g| !g.trim().is_empty()) {
            facts.push(Fact::Genre {
                genre: g.to_string(),
            });
        }
    }
    match (t.kind, episode) {
        (Kind::Movie, _) => {
            if let Some(ms) = crate::catalog::valid_duration(t.duration_ms) {
                facts.push(Fact::Runtime { ms });
            }
        }
        (Kind::Show, Some((e, next_up))) => facts.push(Fact::Episode {
            season: e.season,
            index: e.index,
            title: e.title.clone(),
            duration_ms: crate::catalog::valid_duration(e.duration_ms),
            next_up,
        }),
        (Kind::Show, None) => {}
    }
    if let Some(rating) = t.critic() {
        facts.push(Fact::CriticRating { rating });
    }
    if let Some(rating) = t.audience() {
        facts.push(Fact::AudienceRating { rating });
    }
    if eval.cite_content {
        if let Some(r) = t.content_rating.as_ref().filter(|r| !r.trim().is_empty()) {
            facts.push(Fact::ContentRating {
                rating: r.to_string(),
            });
        }
    }
    match who {
        Who::Account => {
            if eval.cite_unwatched {
                match t.kind {
                    Kind::Movie if t.view_count == 0 => facts.push(Fact::Unwatched),
                    Kind::Show => {
                        if let Some((left, total)) = t.episodes_left() {
                            facts.push(Fact::EpisodesLeft { left, total });
                        }
                    }
                    Kind::Movie => {}
                }
            }
            if eval.cite_watched && t.was_watched() {
                facts.push(Fact::WatchedBefore {
                    times: t.view_count,
                });
            }
        }
        Who::One(m) => {
            if eval.cite_unwatched {
                match t.kind {
                    Kind::Movie if !m.watched => facts.push(Fact::Unwatched),
                    Kind::Show => {
                        let total = if t.episodes.is_empty() {
                            t.leaf_count
                        } else {
                            u32::try_from(t.episodes.len()).unwrap_or(u32::MAX)
                        };
                        if total > 0 {
                            facts.push(Fact::EpisodesLeft {
                                left: total.saturating_sub(m.episodes_seen),
                                total,
                            });
                        }
                    }
                    Kind::Movie => {}
                }
            }
            if eval.cite_watched && m.watched {
                facts.push(Fact::WatchedBefore { times: m.views });
            }
        }
        Who::Several(members) => room_facts(t, &members, &mut facts),
    }
    if eval.cite_added {
        if let Some(days) = f.added_days {
            facts.push(Fact::InLibrary { days });
        }
    }
    if eval.cite_words != 0 {
        let words = text::keywords_in(&t.summary, eval.cite_words, 2);
        if !words.is_empty() {
            facts.push(Fact::SummaryMentions { words });
        }
    }
    Reason {
        facts,
        verdict: eval.verdict.to_string(),
    }
}

/// The choices with one filter lifted (the cool-off is lifted in `Prepared`).
fn lifted(c: &Choices, f: Filter) -> Choices {
    let mut c = c.clone();
    match f {
        Filter::Format => c.format = Format::Any,
        Filter::Watch => c.watch = WatchFilter::All,
        Filter::IncludeGenres => c.include_genres.clear(),
        Filter::ExcludeGenres => c.exclude_genres.clear(),
        Filter::Years => c.years = None,
        Filter::ContentRating => c.max_content = None,
        Filter::CriticRating => c.min_critic = None,
        Filter::AudienceRating => c.min_audience = None,
        Filter::Runtime => c.runtime = None,
        Filter::Mood => c.mood = Mood::Anything,
        Filter::CoolOff => {}
    }
    c
}

/// Finds what emptied the list: applies the active filters in
/// [`Filter::ORDER`] to see which left nothing, and counts, for each, the
/// matches of the same choices without it (exactly what a pick with that
/// filter lifted would consider; e.g. without "Rewatch", shows are judged by
/// the episode "All" would offer).
fn diagnose(
    catalog: &Catalog,
    prep: &Prepared,
    history: &History,
    budget: Option<u32>,
) -> PickError {
    let order: Vec<Filter> = Filter::ORDER
        .into_iter()
        .filter(|&f| prep.is_active(f))
        .collect();
    // Titles a restricted member may not see are not offered, ever: not even in the counts.
    let rows = || {
        catalog
            .titles
            .iter()
            .zip(&prep.index.rows)
            .filter(|&(t, row)| prep.visible(&Item::new(t, row)))
    };
    if prep.room.is_some() && rows().next().is_none() {
        return PickError::InvalidChoice(
            "nothing in this library may be shown to everyone in the room; choose fewer people"
                .to_string(),
        );
    }
    if order.is_empty() {
        return PickError::EmptyCatalog;
    }
    // The sequential list is empty after position p iff every title failed at or before p.
    let emptied_at = rows()
        .map(|(t, row)| {
            let mut item = Item::new(t, row);
            order
                .iter()
                .position(|&f| !prep.passes(f, &mut item))
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let counts: Vec<FilterCount> = order
        .iter()
        .map(|&filter| {
            let choices = lifted(prep.choices, filter);
            let budget = if filter == Filter::Runtime {
                None
            } else {
                budget
            };
            // Lifting the cool-off needs nothing more: the count below skips the lifted
            // filter, and cool-offs affect no other filter.
            let without = Prepared::new(
                &choices,
                prep.index,
                history,
                prep.now,
                prep.seed,
                budget,
                prep.room.clone(),
            );
            let count = rows()
                .filter(|&(t, row)| {
                    let mut item = Item::new(t, row);
                    order
                        .iter()
                        .filter(|&&f| f != filter)
                        .all(|&f| without.passes(f, &mut item))
                })
                .count();
            FilterCount {
                filter,
                without: count,
            }
        })
        .collect();
    let emptied_by = order[emptied_at.min(order.len() - 1)];
    // Most matches; ties to the later filter (max_by_key keeps the last maximum).
    let (blocking, without) = match counts.iter().max_by_key(|c| c.without) {
        Some(c) if c.without > 0 => (c.filter, c.without),
        _ => (emptied_by, 0),
    };
    PickError::NoMatch(NoMatch {
        asked: describe(prep.choices, prep.watch, budget),
        blocking,
        without,
        emptied_by,
        counts,
    })
}

fn join_or(items: &[String]) -> String {
    let items: Vec<&str> = items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    items.join(" or ")
}

/// What was asked, in words: "unwatched Feel Good shows in comedy up to 45 min".
/// `watch`: the watch filter as applied ("new to someone" is "unwatched" for one person).
pub(crate) fn describe(c: &Choices, watch: WatchFilter, budget: Option<u32>) -> String {
    let mut s = String::new();
    match watch {
        WatchFilter::All => {}
        WatchFilter::Unwatched => s.push_str("unwatched "),
        WatchFilter::Rewatch => s.push_str("seen-before "),
        WatchFilter::NewToSomeone => {}
    }
    if c.mood != Mood::Anything {
        s.push_str(c.mood.label());
        s.push(' ');
    }
    s.push_str(match c.format {
        Format::Any => "movies or shows",
        Format::Movie => "movies",
        Format::Show => "shows",
    });
    if watch == WatchFilter::NewToSomeone {
        s.push_str(" new to someone");
    }
    let inc = join_or(&c.include_genres);
    if !inc.is_empty() {
        s.push_str(&format!(" in {inc}"));
    }
    let exc = join_or(&c.exclude_genres);
    if !exc.is_empty() {
        s.push_str(&format!(" without {exc}"));
    }
    match &c.years {
        None => {}
        Some(YearFilter::Range {
            from: Some(f),
            to: Some(t),
        }) => s.push_str(&format!(" from {f} to {t}")),
        Some(YearFilter::Range {
            from: Some(f),
            to: None,
        }) => s.push_str(&format!(" from {f} on")),
        Some(YearFilter::Range {
            from: None,
            to: Some(t),
        }) => s.push_str(&format!(" up to {t}")),
        Some(YearFilter::Range {
            from: None,
            to: None,
        }) => s.push_str(" with a known year"),
        Some(YearFilter::Decades { decades }) => {
            let d: Vec<String> = decades
                .iter()
                .map(|d| format!("{}s", d / 10 * 10))
                .collect();
            s.push_str(&format!(" from the {}", d.join(" or ")));
        }
    }
    if let Some(max) = c.max_content {
        s.push_str(&format!(" rated {} or below", max.label()));
    }
    if let Some(m) = c.min_critic {
        s.push_str(&format!(" with critics ≥ {m:.1}"));
    }
    if let Some(m) = c.min_audience {
        s.push_str(&format!(" with audience ≥ {m:.1}"));
    }
    match c.runtime {
        None => {}
        Some(RuntimeLimit::MaxMinutes { minutes }) => s.push_str(&format!(" up to {minutes} min")),
        Some(RuntimeLimit::FinishBy { at }) => {
            s.push_str(&format!(" that end by {at}"));
            if let Some(b) = budget {
                s.push_str(&format!(" ({b} min)"));
            }
        }
    }
    s
}
