//! `not-this-one TITLE_ID --why seen-it|too-long|not-in-the-mood [--mood ID]`: remembered in
//! the pick history, so picks leave the title out for a while (see the picker's cool-offs).

use clap::{Args, ValueEnum};
use picker::{Mood, RejectReason};
use serde::Serialize;

use crate::cache;
use crate::choices::parse_mood;
use crate::context::Ctx;
use crate::error::{CliError, Result};
use crate::output::json_line;

/// Why not.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Why {
    /// Already seen it: counts as watched from now on, not offered for 180 days
    SeenIt,
    /// Too long for tonight: not offered for a day
    TooLong,
    /// Not in the mood: not offered for that mood for 30 days (any mood for a day)
    NotInTheMood,
}

/// `not-this-one` options.
#[derive(Debug, Args)]
pub struct NotThisOneArgs {
    /// The title's id (the `id` of a pick; its Plex rating key)
    #[arg(value_name = "TITLE_ID")]
    pub title_id: String,
    /// Why not
    #[arg(long, value_enum)]
    pub why: Why,
    /// The mood it was picked for (matters for not-in-the-mood)
    #[arg(long, value_name = "ID", value_parser = parse_mood, default_value = "anything")]
    pub mood: Mood,
}

#[derive(Serialize)]
struct Out {
    title_id: String,
    title: Option<String>,
    reason: RejectReason,
    mood: Mood,
}

/// Runs `not-this-one`.
pub fn run(ctx: &mut Ctx, args: NotThisOneArgs) -> Result<()> {
    let id = args.title_id.trim().to_string();
    if id.is_empty() {
        return Err(CliError::Usage(
            "the title id is empty: use the id printed by `plexpicker-cli pick`".into(),
        ));
    }
    let reason = match args.why {
        Why::SeenIt => RejectReason::SeenIt,
        Why::TooLong => RejectReason::TooLong,
        Why::NotInTheMood => RejectReason::NotInTheMood,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mood = args.mood;
    let rejected = id.clone();
    ctx.update(|s| s.history.reject(rejected, reason, mood, now))?;
    let title = cache::load_any(&cache::path_in(ctx.dir()))
        .and_then(|c| c.catalog.catalog().get(&id).map(|t| t.title.clone()));
    if ctx.json {
        json_line(&serde_json::json!({
            "rejected": Out {
                title_id: id,
                title,
                reason,
                mood: args.mood,
            }
        }));
    } else {
        let name = title.unwrap_or_else(|| format!("title {id}"));
        crate::outln!(
            "Noted: {} ({}). Run `plexpicker-cli pick` again for another suggestion.",
            name,
            reason.label().to_lowercase()
        );
    }
    Ok(())
}
