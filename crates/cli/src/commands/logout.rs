//! `logout`: forget the saved token (the client identifier, pins and history stay).

use serde::Serialize;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::json_line;

#[derive(Serialize)]
struct Out {
    signed_out: bool,
    was_signed_in: bool,
}

/// Runs `logout`.
pub fn run(ctx: &mut Ctx) -> Result<()> {
    let was_signed_in = ctx.settings.account.take().is_some();
    if was_signed_in {
        ctx.mark_dirty();
    }
    if ctx.json {
        json_line(&Out {
            signed_out: true,
            was_signed_in,
        });
    } else if was_signed_in {
        crate::outln!("Signed out. Run `plexpicker-cli login` to sign in again.");
    } else {
        crate::outln!("Not signed in; nothing to do.");
    }
    Ok(())
}
