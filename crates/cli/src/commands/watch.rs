//! `watch TITLE_ID`: record that this title was really chosen (the top pick or an
//! alternative), so no-repeat cools off what was watched; prints its Plex link.

use clap::Args;
use serde::Serialize;

use crate::cache;
use crate::context::Ctx;
use crate::error::{CliError, Result};
use crate::output::json_line;

/// `watch` options.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The title's id (the `id` of a pick or of an alternative)
    #[arg(value_name = "TITLE_ID")]
    pub title_id: String,
}

#[derive(Serialize)]
struct Out {
    title_id: String,
    title: Option<String>,
    /// Plex Web's page for it, when the server is known.
    watch_url: Option<String>,
    /// The top pick that was passed over, if another title was chosen.
    declined: Option<String>,
}

/// Runs `watch`.
pub fn run(ctx: &mut Ctx, args: WatchArgs) -> Result<()> {
    let id = args.title_id.trim().to_string();
    if id.is_empty() {
        return Err(CliError::Usage(
            "the title id is empty: use the id printed by `plexpicker-cli pick`".into(),
        ));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut declined = None;
    let chosen = id.clone();
    ctx.update(|s| {
        let offered = plexpicker_core::history::last_offered(&s.history).map(str::to_string);
        declined = offered.clone().filter(|top| *top != chosen);
        plexpicker_core::history::record_chosen(&mut s.history, &chosen, offered.as_deref(), now);
    })?;
    let cached = cache::load_any(&cache::path_in(ctx.dir()));
    let title = cached
        .as_ref()
        .and_then(|c| c.catalog.catalog().get(&id).map(|t| t.title.clone()));
    let watch_url = cached
        .as_ref()
        .map(|c| c.server_id.clone())
        .or_else(|| ctx.settings().server.as_ref().map(|s| s.id.clone()))
        .map(|server| plexpicker_core::plex::web_link(&server, &id));
    if ctx.json {
        json_line(&serde_json::json!({
            "watching": Out {
                title_id: id,
                title,
                watch_url,
                declined,
            }
        }));
    } else {
        let name = title.unwrap_or_else(|| format!("title {id}"));
        crate::outln!("Enjoy {name}. It will not be picked again for a while.");
        if let Some(url) = watch_url {
            crate::outln!("Watch it in Plex: {url}");
        }
    }
    Ok(())
}
