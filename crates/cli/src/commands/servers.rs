//! `servers`: the account's servers as a table (or JSON).

use plexpicker_core::report::{ownership_text, ServerRow};

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{json_line, Table};

/// Runs `servers`.
pub async fn run(ctx: &mut Ctx) -> Result<()> {
    let rows = ctx.session.server_rows().await?;
    if ctx.json {
        json_line(&serde_json::json!({ "servers": rows }));
    } else if rows.is_empty() {
        crate::outln!("No servers on this account.");
    } else {
        crate::out!("{}", table(&rows));
    }
    Ok(())
}

fn table(rows: &[ServerRow]) -> String {
    let yes = |b: bool| if b { "yes" } else { "" }.to_string();
    let mut t = Table::new(&["NAME", "OWNER", "ONLINE", "DEFAULT", "ID"]);
    for v in rows {
        t.row(vec![
            v.name.clone(),
            ownership_text(&v.ownership),
            if v.online { "yes".into() } else { "no".into() },
            yes(v.chosen),
            v.machine_identifier.clone(),
        ]);
    }
    t.render()
}
