//! `watch TITLE_ID`: record that this title was really chosen (the top pick or an
//! alternative), so no-repeat cools off what was watched; prints its Plex link.

use clap::Args;

use crate::choices::title_id;
use crate::context::Ctx;
use crate::error::Result;
use crate::output::json_line;

/// `watch` options.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The title's id (the `id` of a pick or of an alternative)
    #[arg(value_name = "TITLE_ID")]
    pub title_id: String,
}

/// Runs `watch`.
pub fn run(ctx: &mut Ctx, args: WatchArgs) -> Result<()> {
    let id = title_id(&args.title_id)?;
    let watching = ctx.session.watching(id, &ctx.cache_file())?;
    if ctx.json {
        json_line(&serde_json::json!({ "watching": watching }));
    } else {
        let name = watching.title.unwrap_or_else(|| format!("title {id}"));
        crate::outln!("Enjoy {name}. It will not be picked again for a while.");
        if let Some(url) = watching.watch_url {
            crate::outln!("Watch it in Plex: {url}");
        }
    }
    Ok(())
}
