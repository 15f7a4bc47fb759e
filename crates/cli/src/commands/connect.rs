//! `connect [--server NAME_OR_ID] [--diagnose]`: race the server's connections, remember the
//! winner and the server; with `--diagnose`, a full race and a table of every candidate.

use clap::Args;
use serde::Serialize;

use plexpicker_core::connect::Choose;

use crate::context::{Ctx, ServerArg};
use crate::error::Result;
use crate::output::{
    diagnosis_table, json_line, locality_id, ownership_text, security_id, security_text,
    CandidateView, ServerRef,
};

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

#[derive(Serialize)]
struct ConnectionOut {
    uri: String,
    direct_ip: Option<String>,
    locality: &'static str,
    security: &'static str,
    latency_ms: u64,
    fast_path: bool,
}

#[derive(Serialize)]
struct Out {
    server: ServerRef,
    connection: ConnectionOut,
    new_certificate_pin: Option<String>,
    candidates: Vec<CandidateView>,
}

/// Runs `connect`.
pub async fn run(ctx: &mut Ctx, args: ConnectArgs) -> Result<()> {
    let server = ctx.choose_server(args.server.server.as_deref()).await?;
    let got = ctx
        .connect(
            &server,
            args.diagnose,
            args.trust_new_certificate,
            Choose::Always,
        )
        .await?;
    let r = &got.report;
    if ctx.json {
        json_line(&Out {
            server: ServerRef {
                name: server.name.clone(),
                machine_identifier: server.machine_identifier.clone(),
            },
            connection: ConnectionOut {
                uri: r.uri.clone(),
                direct_ip: r.direct_ip.clone(),
                locality: locality_id(r.locality),
                security: security_id(r.security),
                latency_ms: r.latency_ms,
                fast_path: r.fast_path,
            },
            new_certificate_pin: r.new_pin.as_ref().map(|p| p.place.clone()),
            candidates: r
                .diagnosis
                .candidates
                .iter()
                .map(CandidateView::of)
                .collect(),
        });
        return Ok(());
    }
    crate::outln!(
        "Connected to {} ({}) in {} ms{}",
        server.name,
        ownership_text(&server.ownership()),
        r.latency_ms,
        if r.fast_path {
            " (the connection that worked last time)"
        } else {
            ""
        }
    );
    let via = match &r.direct_ip {
        Some(ip) => format!("{} (dialled {ip} directly)", r.uri),
        None => r.uri.clone(),
    };
    crate::outln!(
        "  via {via}: {}, {}",
        locality_id(r.locality),
        security_text(r.security)
    );
    if let Some(p) = &r.new_pin {
        crate::outln!(
            "  pinned the self-signed certificate of {} (a different one later will be refused)",
            p.place
        );
    }
    if args.diagnose {
        crate::outln!();
        crate::out!("{}", diagnosis_table(&r.diagnosis));
    }
    Ok(())
}
