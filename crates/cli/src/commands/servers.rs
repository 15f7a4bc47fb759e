//! `servers`: the account's servers as a table (or JSON).

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{json_line, ownership_text, ServerView, Table};

/// Runs `servers`.
pub async fn run(ctx: &mut Ctx) -> Result<()> {
    let servers = ctx.servers().await?;
    let chosen = ctx.settings().server.as_ref().map(|c| c.id.clone());
    let views: Vec<ServerView> = servers
        .iter()
        .map(|s| ServerView::of(s, chosen.as_deref() == Some(s.machine_identifier.as_str())))
        .collect();
    if ctx.json {
        json_line(&serde_json::json!({ "servers": views }));
        return Ok(());
    }
    if views.is_empty() {
        crate::outln!("No servers on this account.");
        return Ok(());
    }
    let mut t = Table::new(&["NAME", "OWNER", "ONLINE", "DEFAULT", "ID"]);
    for v in &views {
        t.row(vec![
            v.name.clone(),
            ownership_text(&v.ownership),
            if v.online { "yes".into() } else { "no".into() },
            if v.chosen {
                "yes".into()
            } else {
                String::new()
            },
            v.machine_identifier.clone(),
        ]);
    }
    crate::out!("{}", t.render());
    Ok(())
}
