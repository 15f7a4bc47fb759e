//! `pick`: load (or reuse the cached) catalog, pick, print the top pick and alternatives with
//! reasons and "Watch in Plex" links, and remember the pick in the history.

use std::sync::Arc;

use clap::{Args, ValueEnum};
use picker::{
    Choices, ClockTime, ContentLevel, Format, IndexedCatalog, IndexedRoom, Mood, PickContext, Room,
    RuntimeLimit, WatchFilter, YearFilter,
};
use plexpicker_core::ai::{self, PickInput};
use plexpicker_core::library::OnLoad;
use plexpicker_core::plex::Section;
use plexpicker_core::session::{LiveCatalog, OnProfileProgress};
use plexpicker_ipc::LoadProgress;
use serde::Serialize;

use crate::cache::{self, CachedCatalog, LibraryRef};
use crate::choices::{
    parse_clock, parse_content_level, parse_decades, parse_mood, parse_rating, parse_years,
};
use plexpicker_core::connect::Choose;

use crate::context::{Ctx, ServerArg};
use crate::error::{CliError, Result};
use crate::output::{json_line, ServerRef};
use crate::room;

/// Movies, shows or both.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Movies and shows
    Any,
    /// Movies only
    Movie,
    /// Shows only
    Show,
}

/// Seen before or not.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HistoryArg {
    /// Anything
    All,
    /// Not seen yet (shows: with an unwatched episode)
    Unwatched,
    /// Seen before
    Rewatch,
}

/// `pick` options.
#[derive(Debug, Args)]
pub struct PickArgs {
    #[command(flatten)]
    pub server: ServerArg,
    /// Movies, shows or both
    #[arg(long, value_enum, default_value = "any")]
    pub format: FormatArg,
    /// Seen before or not
    #[arg(long, value_enum, default_value = "all")]
    pub history: HistoryArg,
    /// The mood, by id (see `plexpicker-cli moods`), e.g. feel_good, date_night
    #[arg(long, value_name = "ID", value_parser = parse_mood, default_value = "anything")]
    pub mood: Mood,
    /// At most N minutes (shows: the episode offered)
    #[arg(long, value_name = "N", conflicts_with = "finish_by")]
    pub max_minutes: Option<u32>,
    /// Must be over by this local time (24-hour HH:MM)
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock)]
    pub finish_by: Option<ClockTime>,
    /// Keep titles with this genre (repeat for any of several)
    #[arg(long = "genre", value_name = "G")]
    pub genres: Vec<String>,
    /// Leave out titles with this genre (repeatable)
    #[arg(long = "exclude-genre", value_name = "G")]
    pub exclude_genres: Vec<String>,
    /// Only these decades, e.g. 1980s,1990s
    #[arg(long, value_name = "LIST", value_parser = parse_decades, conflicts_with = "years")]
    pub decades: Option<YearFilter>,
    /// Only these years, e.g. 1980-1999, 1980- or -1999
    #[arg(long, value_name = "RANGE", value_parser = parse_years)]
    pub years: Option<YearFilter>,
    /// Highest content rating, e.g. PG-13 or TV-14 (unrated titles are left out)
    #[arg(long, value_name = "R", value_parser = parse_content_level)]
    pub max_content_rating: Option<ContentLevel>,
    /// Minimum critic rating, 0-10 (titles without one are left out)
    #[arg(long, value_name = "X", value_parser = parse_rating)]
    pub min_rating: Option<f32>,
    /// Minimum audience rating, 0-10 (titles without one are left out)
    #[arg(long, value_name = "X", value_parser = parse_rating)]
    pub min_audience_rating: Option<f32>,
    /// Same seed, same catalog, same choices and history: same pick
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Pick only from this library, by title or key (repeatable) [default: every movie and
    /// show library]
    #[arg(long = "library", value_name = "NAME")]
    pub libraries: Vec<String>,
    /// Reload the libraries from the server instead of using the cached catalog
    #[arg(long)]
    pub refresh: bool,
    /// Let the model choose among the picker's best candidates (see `plexpicker-cli ai`);
    /// falls back to PlexPicker's own pick, saying why, when the model cannot be used
    #[arg(long)]
    pub ai: bool,
    /// Pick for you and these people of your Plex Home, by profile name or id (repeatable;
    /// `all` for every profile; see `plexpicker-cli profiles`): "unwatched" is then new to
    /// all of you, and the strictest content limit among you applies
    #[arg(long = "for", value_name = "NAME")]
    pub for_people: Vec<String>,
    /// NAME's profile PIN will be given (repeatable): read from stdin, one line per --pin in
    /// order, or asked for on the terminal; never taken from the command line
    #[arg(long = "pin", value_name = "NAME", requires = "for_people")]
    pub pin_for: Vec<String>,
}

impl PickArgs {
    /// The picker's choices.
    pub fn choices(&self) -> Choices {
        Choices {
            format: match self.format {
                FormatArg::Any => Format::Any,
                FormatArg::Movie => Format::Movie,
                FormatArg::Show => Format::Show,
            },
            watch: match self.history {
                HistoryArg::All => WatchFilter::All,
                HistoryArg::Unwatched => WatchFilter::Unwatched,
                HistoryArg::Rewatch => WatchFilter::Rewatch,
            },
            mood: self.mood,
            runtime: match (self.max_minutes, self.finish_by) {
                (Some(minutes), _) => Some(RuntimeLimit::MaxMinutes { minutes }),
                (None, Some(at)) => Some(RuntimeLimit::FinishBy { at }),
                (None, None) => None,
            },
            include_genres: self.genres.clone(),
            exclude_genres: self.exclude_genres.clone(),
            years: self.decades.clone().or_else(|| self.years.clone()),
            max_content: self.max_content_rating,
            min_critic: self.min_rating,
            min_audience: self.min_audience_rating,
        }
    }
}

/// One episode to watch.
#[derive(Debug, Serialize)]
pub struct EpisodeView {
    id: String,
    season: u32,
    index: u32,
    title: String,
    minutes: Option<u64>,
}

/// One suggestion.
#[derive(Debug, Serialize)]
pub struct PickView {
    id: String,
    title: String,
    kind: picker::Kind,
    year: Option<u16>,
    score: u8,
    reason: String,
    verdict: String,
    facts: Vec<picker::Fact>,
    minutes: Option<u64>,
    content_rating: Option<String>,
    genres: Vec<String>,
    library: String,
    episode: Option<EpisodeView>,
    watch_url: String,
}

#[derive(Serialize)]
struct CatalogInfo {
    titles: usize,
    cached: bool,
    loaded_at: String,
    libraries: Vec<LibraryRef>,
}

#[derive(Serialize)]
struct Out<'a> {
    server: &'a ServerRef,
    catalog: CatalogInfo,
    choices: &'a Choices,
    seed: u64,
    utc_offset_minutes: Option<i32>,
    matches: usize,
    /// With `--ai`: `model` or `engine`.
    #[serde(skip_serializing_if = "Option::is_none")]
    chosen_by: Option<&'static str>,
    /// With `--ai`, when the model chose: its name and the provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<ModelRef>,
    /// With `--ai`, when the engine chose: why not the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<String>,
    /// With `--ai`: "Chosen by … on …", or the fallback note.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// With `--for`: the people the pick is for.
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    for_people: Option<Vec<String>>,
    top: PickView,
    alternatives: Vec<PickView>,
}

#[derive(Serialize)]
struct ModelRef {
    name: String,
    provider: String,
}

/// Who chose, with `--ai`.
struct Curated {
    chosen_by: &'static str,
    model: Option<ModelRef>,
    fallback: Option<String>,
    note: String,
}

/// Plex Web's link to a title (no token in it); works from a cached catalog too.
pub fn watch_url(machine_identifier: &str, rating_key: &str) -> String {
    plexpicker_core::plex::web_link(machine_identifier, rating_key)
}

fn minutes(ms: Option<u64>) -> Option<u64> {
    ms.filter(|&m| m > 0).map(|m| (m + 30_000) / 60_000)
}

fn view(p: &picker::Pick, catalog: &picker::Catalog, machine_identifier: &str) -> PickView {
    let t = catalog.get(&p.title_id);
    let episode = p.episode.as_ref().map(|e| EpisodeView {
        id: e.id.clone(),
        season: e.season,
        index: e.index,
        title: e.title.clone(),
        minutes: minutes(e.duration_ms),
    });
    PickView {
        id: p.title_id.clone(),
        title: p.title.clone(),
        kind: t.map(|t| t.kind).unwrap_or_default(),
        year: t.and_then(|t| t.year),
        score: p.score,
        reason: p.reason.text(),
        verdict: p.reason.verdict.clone(),
        facts: p.reason.facts.clone(),
        minutes: match &episode {
            Some(e) => e.minutes,
            None => minutes(t.and_then(|t| t.duration_ms)),
        },
        content_rating: t.and_then(|t| t.content_rating.as_deref().map(String::from)),
        genres: t
            .map(|t| t.genres.iter().map(String::from).collect())
            .unwrap_or_default(),
        library: t.map(|t| String::from(&t.library)).unwrap_or_default(),
        episode,
        watch_url: watch_url(machine_identifier, &p.title_id),
    }
}

fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn random_seed() -> u64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

fn rfc3339(epoch: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| epoch.to_string())
}

/// The cached catalog, when there is one that fits and `--refresh` is not given.
fn cached_catalog(ctx: &Ctx, args: &PickArgs) -> Option<CachedCatalog> {
    if args.refresh {
        return None;
    }
    let selection = cache::selection_key(&args.libraries);
    let want = args
        .server
        .server
        .clone()
        .or_else(|| ctx.settings().server.as_ref().map(|s| s.id.clone()))?;
    cache::load(
        &cache::path_in(ctx.dir()),
        Some(&want),
        &selection,
        now_secs(),
    )
}

/// The catalog: from the cache when it fits, else loaded from the server (and cached).
async fn catalog(ctx: &mut Ctx, args: &PickArgs) -> Result<(CachedCatalog, bool)> {
    if let Some(c) = cached_catalog(ctx, args) {
        return Ok((c, true));
    }
    let selection = cache::selection_key(&args.libraries);
    let chosen = sections_to_load(ctx, args, &selection).await?;
    let mut cached = ctx
        .session
        .load_sections(&chosen, loading_said(ctx.json))
        .await?;
    cached.selection = selection;
    save_cache(ctx, &cached);
    Ok((cached, false))
}

/// Connects to the server (`--server`, else the one chosen before) and answers the movie and
/// show libraries to load (`--library`, else all of them).
async fn sections_to_load(
    ctx: &mut Ctx,
    args: &PickArgs,
    selection: &[String],
) -> Result<Vec<Section>> {
    let server = ctx.choose_server(args.server.server.as_deref()).await?;
    ctx.connect(&server, false, false, Choose::IfNone).await?;
    let sections = ctx.session.sections().await?;
    if sections.is_empty() {
        return Err(CliError::NoLibrary(format!(
            "{} has no movie or show libraries: add one in Plex, or choose another server with --server",
            server.name
        )));
    }
    let chosen: Vec<_> = if selection.is_empty() {
        sections
    } else {
        for want in selection {
            if !sections
                .iter()
                .any(|s| s.title.to_lowercase() == *want || s.key == *want)
            {
                return Err(CliError::NoLibrary(format!(
                    "no movie or show library called {want:?} on {}: run `plexpicker-cli libraries` to see them",
                    server.name
                )));
            }
        }
        sections
            .into_iter()
            .filter(|s| selection.contains(&s.title.to_lowercase()) || selection.contains(&s.key))
            .collect()
    };
    Ok(chosen)
}

/// "Loading X..." on stderr once per library, as its first page arrives (text mode).
fn loading_said(json: bool) -> OnLoad {
    let said = std::sync::Mutex::new(String::new());
    Arc::new(move |p: LoadProgress| {
        let mut last = said.lock().unwrap_or_else(|e| e.into_inner());
        if !json && *last != p.library {
            eprintln!("Loading {}...", p.library);
            last.clone_from(&p.library);
        }
    })
}

/// Caches a catalog just loaded; a failure is only a note (the next pick loads it again).
fn save_cache(ctx: &Ctx, cached: &CachedCatalog) {
    let path = cache::path_in(ctx.dir());
    if let Err(e) = cache::save(&path, cached) {
        ctx.note(
            "cache_not_saved",
            &format!(
                "could not cache the catalog in {} ({e}); the next pick will load it again",
                path.display()
            ),
        );
    }
}

/// The people a pick is for, worked out by the session: the room over the catalog (`None`:
/// the account alone) and their names.
struct ChosenRoom {
    room: Option<Room>,
    people: Vec<String>,
}

/// The catalog and the room, for a pick for several people. The room's per-profile load
/// needs the server, so the session connects even with a cached catalog. Loading the catalog
/// and the other profiles' watch state at once: they are independent (the room is worked out
/// over the catalog afterwards, as the session does whenever its catalog changes).
async fn room_catalog(
    ctx: &mut Ctx,
    args: &PickArgs,
    wanted: &room::Room,
) -> Result<(CachedCatalog, bool, ChosenRoom)> {
    if let Some(cached) = cached_catalog(ctx, args) {
        if ctx.session.connection().is_err() {
            let server = ctx.choose_server(Some(&cached.server_id)).await?;
            ctx.connect(&server, false, false, Choose::IfNone).await?;
        }
        let chosen = choose(ctx, wanted, &cached.server_id).await?;
        return Ok((cached, true, chosen));
    }
    let selection = cache::selection_key(&args.libraries);
    let sections = sections_to_load(ctx, args, &selection).await?;
    let ctx = &*ctx;
    let connection = ctx.session.connection()?;
    let load = async {
        plexpicker_core::library::load(
            &connection,
            &sections,
            ctx.cancel.child_token(),
            loading_said(ctx.json),
        )
        .await
        .map_err(CliError::from)
    };
    let (mut cached, chosen) =
        tokio::try_join!(load, choose(ctx, wanted, connection.machine_identifier()))?;
    cached.selection = selection;
    save_cache(ctx, &cached);
    Ok((cached, false, chosen))
}

/// The session works the room out (`choose_profiles`: PINs used once, each other profile's
/// watch state loaded from the connected server). It does so over the session's catalog; the
/// one here is a stand-in (the room is indexed over the real one by [`into_session`]).
async fn choose(ctx: &Ctx, wanted: &room::Room, server_id: &str) -> Result<ChosenRoom> {
    {
        let mut live = ctx.session.live();
        live.room = None;
        live.catalog = Some(Arc::new(LiveCatalog::loaded(
            picker::Catalog::default(),
            server_id.to_string(),
        )));
    }
    let on_progress: OnProfileProgress =
        said_once(ctx.json, "Loading what each of you has watched...");
    let view = match ctx
        .session
        .choose_profiles(&wanted.ids, &wanted.pins, Some(on_progress))
        .await
    {
        Ok(view) => view,
        Err(plexpicker_core::Error::Plex(plexpicker_core::plex::Error::WrongPin)) => {
            return Err(CliError::WrongPin(wanted.pin_names.join(" or ")))
        }
        Err(e) => return Err(e.into()),
    };
    let room = ctx.session.live().room.as_ref().map(|r| r.room().clone());
    Ok(ChosenRoom {
        room,
        people: view.people,
    })
}

/// Puts the catalog in the session's live state with the room indexed over it, and answers
/// both (never freed, like the solo pick's catalog).
fn into_session(
    ctx: &Ctx,
    cached: CachedCatalog,
    room: Option<Room>,
) -> (&'static LiveCatalog, Option<Arc<IndexedRoom>>) {
    let live: &'static Arc<LiveCatalog> =
        Box::leak(Box::new(Arc::new(LiveCatalog::from_cache(cached))));
    let room = room.map(|r| Arc::new(live.indexed.index_room(r)));
    let mut state = ctx.session.live();
    state.catalog = Some(live.clone());
    state.room = room.clone();
    (live.as_ref(), room)
}

/// A progress callback that says `line` on stderr once, at the first report (text mode).
fn said_once<T>(json: bool, line: &'static str) -> Arc<dyn Fn(T) + Send + Sync> {
    let said = std::sync::atomic::AtomicBool::new(json);
    Arc::new(move |_: T| {
        if !said.swap(true, std::sync::atomic::Ordering::Relaxed) {
            eprintln!("{line}");
        }
    })
}

/// Runs `pick`.
pub async fn run(ctx: &mut Ctx, args: PickArgs) -> Result<()> {
    let choices = args.choices();
    choices
        .validate()
        .map_err(|e| CliError::from(picker::PickError::from(e)))?;
    ctx.token()?;
    // Who it is for, and their PINs, before anything is loaded.
    let wanted = if args.for_people.is_empty() {
        None
    } else {
        Some(room::resolve(ctx, &args.for_people, &args.pin_for).await?)
    };
    let (cached, from_cache, chosen) = match &wanted {
        None => {
            let (cached, from_cache) = catalog(ctx, &args).await?;
            (cached, from_cache, None)
        }
        Some(wanted) => {
            let (cached, from_cache, chosen) = room_catalog(ctx, &args, wanted).await?;
            (cached, from_cache, Some(chosen))
        }
    };
    let now = now_secs();
    let seed = args.seed.unwrap_or_else(random_seed);
    let offset = match (ctx.utc_offset_minutes, args.finish_by) {
        (Some(o), _) => o,
        (None, Some(_)) => {
            ctx.note(
                "time_zone_unknown",
                "the local time zone is unknown; --finish-by is read as UTC",
            );
            0
        }
        (None, None) => 0,
    };
    let pctx = PickContext::with_utc_offset(now, offset, seed);
    let server = ServerRef {
        name: cached.server_name.clone(),
        machine_identifier: cached.server_id.clone(),
    };
    let libraries = cached.libraries.clone();
    let loaded_at = cached.loaded_at;
    let (indexed, room, for_people): (&IndexedCatalog, _, _) = match chosen {
        // Never freed: the command ends right after the pick, and the process's exit returns
        // the memory at once, while freeing tens of thousands of titles one string at a time
        // took about a fifth of a cached pick (`cargo xtask bench`, bench_cli).
        None => (Box::leak(Box::new(cached.catalog)), None, None),
        Some(chosen) => {
            let (live, room) = into_session(ctx, cached, chosen.room);
            (&live.indexed, room, Some(chosen.people))
        }
    };
    let cat = indexed.catalog();
    let mid = server.machine_identifier.as_str();
    let (top, alternatives, matches, curated) = if args.ai {
        let ai = &ctx.settings().ai;
        let client = ai::client(ai, ctx.secrets());
        let input = PickInput {
            room: room.as_deref(),
            catalog: indexed,
            choices: &choices,
            history: &ctx.settings().history,
            ctx: &pctx,
        };
        let prepared = ai::prepare(ai, client, input, Vec::new())?;
        ctx.say("Asking the model...");
        // Ctrl-C ends the whole command (main's select), so nothing else stops the model.
        let got = ai::ask(prepared, std::future::pending()).await;
        let shown = |s: &ai::Suggestion| {
            let mut v = view(&s.pick, cat, mid);
            v.reason = s.reason.clone();
            v.score = s.score;
            v
        };
        let curated = match &got.chosen_by {
            ai::ChosenBy::Model { model, provider } => Curated {
                chosen_by: "model",
                model: Some(ModelRef {
                    name: model.clone(),
                    provider: provider.clone(),
                }),
                fallback: None,
                note: got.credit().unwrap_or_default(),
            },
            ai::ChosenBy::Engine(why) => Curated {
                chosen_by: "engine",
                model: None,
                fallback: Some(why.detail()),
                note: why.note(),
            },
        };
        (
            shown(&got.top),
            got.alternatives.iter().map(shown).collect::<Vec<_>>(),
            got.matches,
            Some(curated),
        )
    } else {
        let history = ctx.settings().history;
        let result = match &room {
            Some(room) => indexed.pick_for(room, &choices, &history, &pctx)?,
            None => indexed.pick(&choices, &history, &pctx)?,
        };
        (
            view(&result.top, cat, mid),
            result
                .alternatives
                .iter()
                .map(|p| view(p, cat, mid))
                .collect(),
            result.matches,
            None,
        )
    };
    let picked = top.id.clone();
    ctx.update(|s| s.history.record_pick(picked, now))?;
    if ctx.json {
        json_line(&Out {
            server: &server,
            catalog: CatalogInfo {
                titles: cat.len(),
                cached: from_cache,
                loaded_at: rfc3339(loaded_at),
                libraries,
            },
            choices: &choices,
            seed,
            utc_offset_minutes: ctx.utc_offset_minutes,
            matches,
            chosen_by: curated.as_ref().map(|c| c.chosen_by),
            fallback: curated.as_ref().and_then(|c| c.fallback.clone()),
            note: curated.as_ref().map(|c| c.note.clone()),
            model: curated.and_then(|c| c.model),
            for_people,
            top,
            alternatives,
        });
        return Ok(());
    }
    if let Some(c) = &curated {
        crate::outln!("{}", c.note);
        crate::outln!();
    }
    if let Some(people) = &for_people {
        crate::outln!("For: {}", people.join(", "));
    }
    crate::outln!("Tonight: {}", headline(&top));
    crate::outln!("  {}", top.reason);
    crate::outln!("  Watch in Plex: {}", top.watch_url);
    crate::outln!(
        "  Not this one? plexpicker-cli not-this-one {} --why seen-it|too-long|not-in-the-mood",
        top.id
    );
    if !alternatives.is_empty() {
        crate::outln!();
        crate::outln!("Alternatives:");
        for (i, a) in alternatives.iter().enumerate() {
            crate::outln!("  {}. {}", i + 1, headline(a));
            crate::outln!("     {}", a.reason);
            crate::outln!("     {}", a.watch_url);
        }
    }
    crate::outln!();
    crate::outln!(
        "{} of {} titles matched ({} on {}{}).",
        matches,
        cat.len(),
        if from_cache {
            "cached catalog"
        } else {
            "just loaded"
        },
        server.name,
        if from_cache {
            "; --refresh reloads"
        } else {
            ""
        }
    );
    Ok(())
}

fn headline(v: &PickView) -> String {
    let mut s = v.title.clone();
    if let Some(y) = v.year {
        s.push_str(&format!(" ({y})"));
    }
    let kind = match v.kind {
        picker::Kind::Movie => "movie",
        picker::Kind::Show => "show",
    };
    s.push_str(&format!(" [{kind}, score {}]", v.score));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_links_are_encoded() {
        assert_eq!(
            watch_url("abc123", "42"),
            "https://app.plex.tv/desktop/#!/server/abc123/details?key=%2Flibrary%2Fmetadata%2F42"
        );
        assert_eq!(
            watch_url("a/b", "4 2"),
            "https://app.plex.tv/desktop/#!/server/a%2Fb/details?key=%2Flibrary%2Fmetadata%2F4%202"
        );
    }

    #[test]
    fn minutes_round() {
        assert_eq!(minutes(Some(116 * 60_000 + 29_000)), Some(116));
        assert_eq!(minutes(Some(0)), None);
        assert_eq!(minutes(None), None);
    }
}
