//! `logout`: forget the account, its token, the chosen server and the cached catalog, as the
//! app's sign-out does (the client identifier, pins, routes and history stay).

use serde::Serialize;

use plexpicker_core::account;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::json_line;
use crate::settings::storage_error;

#[derive(Serialize)]
struct Out {
    signed_out: bool,
    was_signed_in: bool,
}

/// Runs `logout`.
pub fn run(ctx: &mut Ctx) -> Result<()> {
    let mut forgotten = None;
    ctx.update(|s| forgotten = Some(account::signed_out(s)))?;
    let forgotten = forgotten.unwrap_or(account::SignedOut {
        was_signed_in: false,
        server: None,
    });
    account::forget_secrets(ctx.secrets(), &forgotten).map_err(storage_error)?;
    // Only a cache: a file that cannot be removed is replaced by the next load.
    let _ = std::fs::remove_file(crate::cache::path_in(ctx.dir()));
    let was_signed_in = forgotten.was_signed_in;
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
