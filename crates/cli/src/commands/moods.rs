//! `moods`: the moods `pick --mood` accepts.

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{json_line, Table};

/// Runs `moods`.
pub fn run(ctx: &mut Ctx) -> Result<()> {
    let moods = plexpicker_core::report::moods();
    if ctx.json {
        json_line(&serde_json::json!({ "moods": moods }));
    } else {
        let mut t = Table::new(&["ID", "MOOD", "WHAT IT LOOKS FOR"]);
        for m in &moods {
            t.row(vec![m.id.into(), m.label.into(), m.description.into()]);
        }
        crate::out!("{}", t.render());
    }
    Ok(())
}
