//! `logout`: forget the account, its token, the chosen server and the cached catalog, as the
//! app's sign-out does (the client identifier, pins, routes and history stay).

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
    // The same sign-out as the app's: the cache beside the settings goes too.
    let was_signed_in = ctx.session.sign_out(ctx.dir())?;
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
