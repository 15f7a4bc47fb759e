//! `not-this-one TITLE_ID --why seen-it|too-long|not-in-the-mood [--mood ID]`: remembered in
//! the pick history, so picks leave the title out for a while (see the picker's cool-offs).

use crate::choices::{parse_mood, title_id};
use crate::context::Ctx;
use crate::error::Result;
use crate::output::json_line;
use clap::{Args, ValueEnum};
use picker::{Mood, RejectReason};

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

impl From<Why> for RejectReason {
    fn from(why: Why) -> Self {
        match why {
            Why::SeenIt => RejectReason::SeenIt,
            Why::TooLong => RejectReason::TooLong,
            Why::NotInTheMood => RejectReason::NotInTheMood,
        }
    }
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

/// Runs `not-this-one`.
pub fn run(ctx: &mut Ctx, args: NotThisOneArgs) -> Result<()> {
    let id = title_id(&args.title_id)?;
    let reason = RejectReason::from(args.why);
    let rejected = ctx
        .session
        .not_this_one(id, reason, args.mood, &ctx.cache_file())?;
    if ctx.json {
        json_line(&serde_json::json!({ "rejected": rejected }));
    } else {
        crate::outln!(
            "Noted: {} ({}). Run `plexpicker-cli pick` again for another suggestion.",
            rejected.title.unwrap_or_else(|| format!("title {id}")),
            reason.label().to_lowercase()
        );
    }
    Ok(())
}
