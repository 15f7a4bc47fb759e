//! The pick: filter, score, draw, explain.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Episode, Kind, Title};
use crate::choices::{Choices, Format, Mood, RuntimeLimit, WatchFilter, YearFilter};
use crate::error::{FilterCount, NoMatch, PickError};
use crate::filters::{budget_minutes, Filter, Item, Prepared};
use crate::history::History;
use crate::moods::{self, Eval};
use crate::reason::{Fact, Reason};
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
        PickContext { now, local_minutes, seed }
    }

    /// From the local UTC offset in minutes (e.g. +60 for CET).
    pub fn with_utc_offset(now: i64, utc_offset_minutes: i32, seed: u64) -> Self {
        let local = now.saturating_add(i64::from(utc_offset_minutes) * 60);
        let minutes = local.rem_euclid(86_400) / 60;
        PickContext { now, local_minutes: minutes as u32, seed }
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
}

#[derive(Clone, Copy)]
struct Scored {
    idx: u32,
    score: u8,
}

/// Filters the catalog and scores candidates, skipping summary scans that
/// cannot change the outcome. Returns the exact scores of every candidate
/// that can be in the pool (the band and the top `1 + MAX_ALTERNATIVES`).
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
    let mood = prep.choices.mood;

    let mut exact: Vec<Scored> = Vec::new();
    let mut hist = [0usize; 101];
    let mut uncertain: Vec<(u8, u32)> = Vec::new();
    for (i, t) in catalog.titles.iter().enumerate() {
        let mut item = Item::new(t);
        if !active.iter().all(|&f| prep.passes(f, &mut item)) {
            continue;
        }
        let f = prep.features(&mut item, false);
        let (lo, hi) = moods::bounds(mood, &f);
        let Some(hi) = hi else { continue };
        let idx = i as u32;
        if lo == Some(hi) {
            exact.push(Scored { idx, score: hi });
            hist[usize::from(hi)] += 1;
        } else {
            uncertain.push((hi, idx));
        }
    }
    // Scan summaries best-bound first; stop once nothing left can reach the
    // band or the top picks.
    uncertain.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut best = exact.iter().map(|s| s.score).max();
    for &(hi, idx) in &uncertain {
        if let Some(m) = best {
            let above: usize = hist[usize::from(hi) + 1..].iter().sum();
            if hi < m.saturating_sub(BAND) && above > MAX_ALTERNATIVES {
                break;
            }
        }
        let Some(t) = catalog.titles.get(idx as usize) else { continue };
        let mut item = Item::new(t);
        let f = prep.features(&mut item, true);
        if let Some(e) = moods::evaluate(mood, &f) {
            exact.push(Scored { idx, score: e.score });
            hist[usize::from(e.score)] += 1;
            best = best.max(Some(e.score));
        }
    }
    exact
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
pub fn pick(catalog: &Catalog, choices: &Choices, history: &History, ctx: &PickContext) -> Result<PickResult, PickError> {
    choices.validate()?;
    if catalog.is_empty() {
        return Err(PickError::EmptyCatalog);
    }
    let budget = budget_minutes(choices.runtime, ctx.local_minutes).map_err(|()| match choices.runtime {
        Some(RuntimeLimit::FinishBy { at }) => PickError::FinishTimePassed { at },
        _ => PickError::InvalidChoice("runtime limit".into()),
    })?;
    let prep = Prepared::new(choices, history, ctx.now, ctx.seed, budget);

    let mut scored = candidates(catalog, &prep);
    if scored.is_empty() {
        return Err(diagnose(catalog, &prep, budget));
    }
    // Best first, then catalog order: a total order, so the draw is deterministic.
    scored.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.idx.cmp(&b.idx)));
    let best = scored[0].score;
    let floor = best.saturating_sub(BAND);
    let band_len = scored.partition_point(|s| s.score >= floor);
    let pool_len = band_len.max((1 + MAX_ALTERNATIVES).min(scored.len()));
    let mut pool: Vec<Scored> = scored[..pool_len].to_vec();
    let pool_floor = pool.last().map_or(0, |s| s.score);

    let mut rng = ChaCha8Rng::seed_from_u64(ctx.seed);
    let id_of = |s: &Scored| catalog.titles.get(s.idx as usize).map_or("", |t| t.id.as_str());

    let band_weight = |score: u8| u64::from(score.saturating_sub(floor)) + 1;
    let top_i = draw(&mut rng, &pool[..band_len], |s| band_weight(s).pow(2)).unwrap_or(0);
    let top = pool[top_i];
    let top_id = id_of(&top);
    pool.retain(|s| id_of(s) != top_id);

    let mut alts: Vec<Scored> = Vec::new();
    while alts.len() < MAX_ALTERNATIVES && !pool.is_empty() {
        let pool_weight = |score: u8| (u64::from(score.saturating_sub(pool_floor)) + 1).pow(2);
        let Some(i) = draw(&mut rng, &pool, pool_weight) else { break };
        let chosen = pool[i];
        let chosen_id = id_of(&chosen);
        pool.retain(|s| id_of(s) != chosen_id);
        alts.push(chosen);
    }
    alts.sort_by(|a, b| b.score.cmp(&a.score));

    let make = |s: Scored| -> Option<Pick> { explain(catalog.titles.get(s.idx as usize)?, &prep) };
    let Some(top) = make(top) else {
        return Err(diagnose(catalog, &prep, budget));
    };
    Ok(PickResult {
        top,
        alternatives: alts.into_iter().filter_map(make).collect(),
    })
}

/// The pick and its reason for one candidate that passed every filter.
fn explain(t: &Title, prep: &Prepared) -> Option<Pick> {
    let mut item = Item::new(t);
    let episode = prep.episode(&mut item);
    let f = prep.features(&mut item, true);
    let eval = moods::evaluate(prep.choices.mood, &f)?;
    Some(Pick {
        title_id: t.id.clone(),
        title: t.title.clone(),
        score: eval.score,
        reason: reason(t, episode, &f, &eval),
        episode: episode.map(|(e, _)| e.clone()),
    })
}

fn reason(t: &Title, episode: Option<(&Episode, bool)>, f: &moods::Features, eval: &Eval) -> Reason {
    let mut facts = vec![Fact::Kind { kind: t.kind }];
    if let Some(year) = t.year {
        facts.push(Fact::Year { year });
    }
    let genre = text::first_genre_in(&t.genres, eval.cite_genres)
        .or_else(|| t.genres.iter().find(|g| !g.trim().is_empty()));
    if let Some(g) = genre {
        facts.push(Fact::Genre { genre: g.clone() });
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
            facts.push(Fact::ContentRating { rating: r.clone() });
        }
    }
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
        facts.push(Fact::WatchedBefore { times: t.view_count });
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
    Reason { facts, verdict: eval.verdict.to_string() }
}

/// Applies every active filter in [`Filter::ORDER`] to find what emptied the list.
fn diagnose(catalog: &Catalog, prep: &Prepared, budget: Option<u32>) -> PickError {
    let order: Vec<Filter> = Filter::ORDER.into_iter().filter(|&f| prep.is_active(f)).collect();
    if order.is_empty() {
        return PickError::EmptyCatalog;
    }
    // only[i]: titles failing exactly the i-th active filter.
    let mut only = vec![0usize; order.len()];
    // The sequential list is empty after position p iff every title failed at or before p.
    let mut emptied_at = 0usize;
    for t in &catalog.titles {
        let mut item = Item::new(t);
        let mut first: Option<usize> = None;
        let mut fails = 0;
        for (pos, &f) in order.iter().enumerate() {
            if !prep.passes(f, &mut item) {
                fails += 1;
                first.get_or_insert(pos);
                if fails == 2 {
                    break;
                }
            }
        }
        if let Some(p) = first {
            emptied_at = emptied_at.max(p);
            if fails == 1 {
                only[p] += 1;
            }
        }
    }
    let counts: Vec<FilterCount> = order
        .iter()
        .zip(&only)
        .map(|(&filter, &without)| FilterCount { filter, without })
        .collect();
    let emptied_by = order[emptied_at.min(order.len() - 1)];
    // Most matches; ties to the later filter (max_by_key keeps the last maximum).
    let (blocking, without) = match counts.iter().max_by_key(|c| c.without) {
        Some(c) if c.without > 0 => (c.filter, c.without),
        _ => (emptied_by, 0),
    };
    PickError::NoMatch(NoMatch {
        asked: describe(prep.choices, budget),
        blocking,
        without,
        emptied_by,
        counts,
    })
}

fn join_or(items: &[String]) -> String {
    let items: Vec<&str> = items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    items.join(" or ")
}

/// What was asked, in words: "unwatched Feel Good shows in comedy up to 45 min".
pub(crate) fn describe(c: &Choices, budget: Option<u32>) -> String {
    let mut s = String::new();
    match c.watch {
        WatchFilter::All => {}
        WatchFilter::Unwatched => s.push_str("unwatched "),
        WatchFilter::Rewatch => s.push_str("seen-before "),
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
        Some(YearFilter::Range { from: Some(f), to: Some(t) }) => s.push_str(&format!(" from {f} to {t}")),
        Some(YearFilter::Range { from: Some(f), to: None }) => s.push_str(&format!(" from {f} on")),
        Some(YearFilter::Range { from: None, to: Some(t) }) => s.push_str(&format!(" up to {t}")),
        Some(YearFilter::Range { from: None, to: None }) => s.push_str(" with a known year"),
        Some(YearFilter::Decades { decades }) => {
            let d: Vec<String> = decades.iter().map(|d| format!("{}s", d / 10 * 10)).collect();
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
