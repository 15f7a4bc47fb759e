//! `moods`: the moods `pick --mood` accepts.

use serde::Serialize;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{json_line, Table};

#[derive(Serialize)]
struct MoodView {
    id: &'static str,
    label: &'static str,
    description: &'static str,
}

/// Runs `moods`.
pub fn run(ctx: &mut Ctx) -> Result<()> {
    let moods: Vec<MoodView> = picker::Mood::ALL
        .iter()
        .map(|m| MoodView {
            id: m.id(),
            label: m.label(),
            description: m.description(),
        })
        .collect();
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
