//! `libraries [--server NAME_OR_ID]`: the movie and show sections with their item counts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use clap::Args;
use plex_client::{CancellationToken, LoadOptions, Section, SectionKind, ServerConnection};
use serde::Serialize;

use super::connect::ServerArg;
use plexpicker_core::connect::Choose;

use crate::context::Ctx;
use crate::error::{CliError, Result};
use crate::output::{json_line, ServerRef, Table};

/// `libraries` options.
#[derive(Debug, Args)]
pub struct LibrariesArgs {
    #[command(flatten)]
    pub server: ServerArg,
}

#[derive(Serialize)]
struct LibraryView {
    key: String,
    title: String,
    kind: SectionKind,
    count: usize,
}

/// `movie` / `show`.
pub fn kind_word(k: SectionKind) -> &'static str {
    match k {
        SectionKind::Movie => "movie",
        SectionKind::Show => "show",
    }
}

/// Runs `libraries`.
pub async fn run(ctx: &mut Ctx, args: LibrariesArgs) -> Result<()> {
    let server = ctx.choose_server(args.server.server.as_deref()).await?;
    let got = ctx.connect(&server, false, false, Choose::IfNone).await?;
    let conn = got.connection;
    let sections = conn.sections().await?;
    let mut views = Vec::with_capacity(sections.len());
    for s in &sections {
        let count = count_items(&conn, s, &ctx.cancel).await?;
        views.push(LibraryView {
            key: s.key.clone(),
            title: s.title.clone(),
            kind: s.kind,
            count,
        });
    }
    if ctx.json {
        json_line(&serde_json::json!({
            "server": ServerRef {
                name: server.name.clone(),
                machine_identifier: server.machine_identifier.clone(),
            },
            "libraries": views,
        }));
        return Ok(());
    }
    if views.is_empty() {
        crate::outln!("{} has no movie or show libraries.", server.name);
        return Ok(());
    }
    crate::outln!("Libraries on {}:", server.name);
    let mut t = Table::new(&["TITLE", "KIND", "ITEMS", "KEY"]);
    for v in &views {
        t.row(vec![
            v.title.clone(),
            kind_word(v.kind).into(),
            v.count.to_string(),
            v.key.clone(),
        ]);
    }
    crate::out!("{}", t.render());
    Ok(())
}

/// The number of movies or shows in a section: one page of size 0 (only the total); for a
/// server that leaves `totalSize` out of such a page, one page of size 1 and its total.
async fn count_items(
    conn: &ServerConnection,
    section: &Section,
    cancel: &CancellationToken,
) -> Result<usize> {
    match conn.section_size(&section.key).await {
        Ok(n) => return Ok(n),
        Err(plex_client::Error::InvalidResponse { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    const UNKNOWN: usize = usize::MAX;
    let total = Arc::new(AtomicUsize::new(UNKNOWN));
    let stop = cancel.child_token();
    let opts = LoadOptions {
        cancel: stop.clone(),
        on_progress: Some(Arc::new({
            let total = total.clone();
            let stop = stop.clone();
            move |p: plex_client::LoadProgress| {
                let _ =
                    total.compare_exchange(UNKNOWN, p.total, Ordering::SeqCst, Ordering::SeqCst);
                stop.cancel();
            }
        })),
        page_size: Some(1),
        pages_in_flight: Some(1),
    };
    match conn.section_items(section, &opts).await {
        Ok(items) => Ok(items.len()),
        Err(plex_client::Error::Cancelled) if !cancel.is_cancelled() => {
            match total.load(Ordering::SeqCst) {
                UNKNOWN => Err(CliError::Plex {
                    kind: plex_client::ErrorKind::InvalidResponse,
                    message: format!(
                        "the server did not say how many items {} has: try again",
                        section.title
                    ),
                }),
                n => Ok(n),
            }
        }
        Err(e) => Err(e.into()),
    }
}
