//! `pick`: the core picks in one go (the cached catalog or a load, the room, the engine or the
//! model, the history: [`plexpicker_core::session::Session::pick_once`]); this prints the top
//! pick and alternatives with reasons and "Watch in Plex" links.

use clap::{Args, ValueEnum};
use picker::{
    Choices, ClockTime, ContentLevel, Format, Mood, RuntimeLimit, WatchFilter, YearFilter,
};
use plexpicker_core::report::{CatalogInfo, ModelRef, PickReport, PickRow, ServerRef};
use plexpicker_core::session::PickOnce;
use serde::Serialize;

use crate::choices::{
    parse_clock, parse_content_level, parse_decades, parse_mood, parse_rating, parse_years,
};
use crate::context::{Ctx, ServerArg};
use crate::error::Result;
use crate::output::json_line;
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
    /// What the core picks with: these arguments, the choices, who it is for, a seed (random
    /// unless given), the local offset, Ctrl-C and the notices on stderr.
    fn plan(self, ctx: &Ctx, choices: Choices, room: Option<&room::Room>) -> PickOnce {
        PickOnce {
            utc_offset_minutes: utc_offset(ctx, self.finish_by.is_some()),
            server: self.server.server,
            libraries: self.libraries,
            refresh: self.refresh,
            cache_file: ctx.cache_file(),
            people: room.map(|r| r.people.clone()),
            choices,
            seed: self.seed.unwrap_or_else(random_seed),
            ai: self.ai,
            stop: ctx.cancel.clone(),
            on_notice: ctx.notices(),
        }
    }

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

#[derive(Serialize)]
struct Out<'a> {
    server: &'a ServerRef,
    catalog: &'a CatalogInfo,
    choices: &'a Choices,
    seed: u64,
    utc_offset_minutes: Option<i32>,
    matches: usize,
    /// With `--ai`: `model` or `engine`.
    #[serde(skip_serializing_if = "Option::is_none")]
    chosen_by: Option<&'static str>,
    /// With `--ai`, when the model chose: its name and the provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a ModelRef>,
    /// With `--ai`, when the engine chose: why not the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    fallback: Option<&'a str>,
    /// With `--ai`: "Chosen by … on …", or the fallback note.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// With `--for`: the people the pick is for.
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    for_people: Option<&'a Vec<String>>,
    top: &'a PickRow,
    alternatives: &'a [PickRow],
}

fn random_seed() -> u64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

/// The local UTC offset; unknown, a finish-by time is read as UTC (and said so).
fn utc_offset(ctx: &Ctx, finish_by: bool) -> i32 {
    if ctx.utc_offset_minutes.is_none() && finish_by {
        ctx.note(
            "time_zone_unknown",
            "the local time zone is unknown; --finish-by is read as UTC",
        );
    }
    ctx.utc_offset_minutes.unwrap_or(0)
}

/// Runs `pick`.
pub async fn run(ctx: &mut Ctx, args: PickArgs) -> Result<()> {
    let choices = args.choices();
    ctx.session.can_pick(&choices)?;
    // Who it is for, and their PINs, before anything is loaded.
    let room = match args.for_people.is_empty() {
        true => None,
        false => Some(room::resolve(ctx, &args.for_people, &args.pin_for).await?),
    };
    let plan = args.plan(ctx, choices, room.as_ref());
    let (seed, choices) = (plan.seed, plan.choices.clone());
    let picked = ctx.session.pick_once(plan).await;
    let report = picked.map_err(|e| room::wrong_pin(e, room.as_ref()))?;
    if ctx.json {
        print_json(ctx, &report, &choices, seed);
    } else {
        print(&report);
    }
    Ok(())
}

/// The JSON line: the report with the choices, the seed and the local offset.
fn print_json(ctx: &Ctx, report: &PickReport, choices: &Choices, seed: u64) {
    let c = report.curation.as_ref();
    json_line(&Out {
        server: &report.server,
        catalog: &report.catalog,
        choices,
        seed,
        utc_offset_minutes: ctx.utc_offset_minutes,
        matches: report.matches,
        chosen_by: c.map(|c| c.chosen_by),
        model: c.and_then(|c| c.model.as_ref()),
        fallback: c.and_then(|c| c.fallback.as_deref()),
        note: c.map(|c| c.note.as_str()),
        for_people: report.for_people.as_ref(),
        top: &report.top,
        alternatives: &report.alternatives,
    });
}

fn print(report: &PickReport) {
    if let Some(c) = &report.curation {
        crate::outln!("{}", c.note);
        crate::outln!();
    }
    if let Some(people) = &report.for_people {
        crate::outln!("For: {}", people.join(", "));
    }
    let top = &report.top;
    crate::outln!("Tonight: {}", headline(top));
    crate::outln!("  {}", top.reason);
    crate::outln!("  Watch in Plex: {}", top.watch_url);
    crate::outln!(
        "  Not this one? plexpicker-cli not-this-one {} --why seen-it|too-long|not-in-the-mood",
        top.id
    );
    if !report.alternatives.is_empty() {
        crate::outln!();
        crate::outln!("Alternatives:");
        for (i, a) in report.alternatives.iter().enumerate() {
            crate::outln!("  {}. {}", i + 1, headline(a));
            crate::outln!("     {}", a.reason);
            crate::outln!("     {}", a.watch_url);
        }
    }
    let from_cache = report.catalog.cached;
    crate::outln!();
    crate::outln!(
        "{} of {} titles matched ({} on {}{}).",
        report.matches,
        report.catalog.titles,
        if from_cache {
            "cached catalog"
        } else {
            "just loaded"
        },
        report.server.name,
        if from_cache {
            "; --refresh reloads"
        } else {
            ""
        }
    );
}

fn headline(v: &PickRow) -> String {
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
