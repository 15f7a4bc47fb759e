//! `connect [--server NAME_OR_ID] [--diagnose]`: race the server's connections, remember the
//! winner and the server; with `--diagnose`, a full race and a table of every candidate.

use clap::Args;
use plexpicker_core::connect::Choose;
use plexpicker_core::report::{ownership_text, security_text, ConnectReport};
use plexpicker_core::session::Reach;

use crate::context::{Ctx, ServerArg};
use crate::error::Result;
use crate::output::{diagnosis_table, json_line};

/// `connect` options.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    #[command(flatten)]
    pub server: ServerArg,
    /// Race every connection (skip the remembered one) and show what happened to each
    #[arg(long)]
    pub diagnose: bool,
    /// A pinned self-signed certificate changed: trust the new one (re-pin it) and retry
    #[arg(long)]
    pub trust_new_certificate: bool,
}

/// Runs `connect`.
pub async fn run(ctx: &mut Ctx, args: ConnectArgs) -> Result<()> {
    let reach = Reach {
        full_race: args.diagnose,
        trust_new_certificate: args.trust_new_certificate,
        choose: Choose::Always,
        ..ctx.reach(&args.server)
    };
    let report = ctx.session.connect_named(&reach, &ctx.notices()).await?;
    if ctx.json {
        json_line(&report);
    } else {
        print(&report, args.diagnose);
    }
    Ok(())
}

fn print(r: &ConnectReport, diagnose: bool) {
    let c = &r.connection;
    crate::outln!(
        "Connected to {} ({}) in {} ms{}",
        r.server.name,
        ownership_text(&r.ownership),
        c.latency_ms,
        if c.fast_path {
            " (the connection that worked last time)"
        } else {
            ""
        }
    );
    let via = match &c.direct_ip {
        Some(ip) => format!("{} (dialled {ip} directly)", c.uri),
        None => c.uri.clone(),
    };
    crate::outln!("  via {via}: {}, {}", c.locality, security_text(r.security));
    if let Some(place) = &r.new_certificate_pin {
        crate::outln!(
            "  pinned the self-signed certificate of {place} (a different one later will be refused)"
        );
    }
    if diagnose {
        crate::outln!();
        crate::out!("{}", diagnosis_table(&r.diagnosis));
    }
}
