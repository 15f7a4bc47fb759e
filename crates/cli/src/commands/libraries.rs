//! `libraries [--server NAME_OR_ID]`: the movie and show sections with their item counts.

use clap::Args;
use plexpicker_core::report::{kind_word, LibrariesReport};

use crate::context::{Ctx, ServerArg};
use crate::error::Result;
use crate::output::{json_line, Table};

/// `libraries` options.
#[derive(Debug, Args)]
pub struct LibrariesArgs {
    #[command(flatten)]
    pub server: ServerArg,
}

/// Runs `libraries`.
pub async fn run(ctx: &mut Ctx, args: LibrariesArgs) -> Result<()> {
    let reach = ctx.reach(&args.server);
    let report = ctx.session.library_report(&reach, &ctx.notices()).await?;
    if ctx.json {
        json_line(&report);
    } else if report.libraries.is_empty() {
        crate::outln!("{} has no movie or show libraries.", report.server.name);
    } else {
        print(&report);
    }
    Ok(())
}

fn print(report: &LibrariesReport) {
    crate::outln!("Libraries on {}:", report.server.name);
    let mut t = Table::new(&["TITLE", "KIND", "ITEMS", "KEY"]);
    for v in &report.libraries {
        t.row(vec![
            v.title.clone(),
            kind_word(v.kind).into(),
            v.count.to_string(),
            v.key.clone(),
        ]);
    }
    crate::out!("{}", t.render());
}
