//! `libraries [--server NAME_OR_ID]`: the movie and show sections with their item counts.

use clap::Args;
use plexpicker_core::plex::{ErrorKind, SectionKind};
use plexpicker_ipc::LibraryKind;
use serde::Serialize;

use plexpicker_core::connect::Choose;

use crate::context::{Ctx, ServerArg};
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
    ctx.connect(&server, false, false, Choose::IfNone).await?;
    let mut views = Vec::new();
    for library in ctx.session.libraries().await? {
        let Some(count) = library.count else {
            return Err(CliError::Plex {
                kind: ErrorKind::InvalidResponse,
                message: format!(
                    "the server did not say how many items {} has: try again",
                    library.title
                ),
            });
        };
        views.push(LibraryView {
            key: library.key,
            title: library.title,
            kind: match library.kind {
                LibraryKind::Movie => SectionKind::Movie,
                LibraryKind::Show => SectionKind::Show,
            },
            count: count as usize,
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
