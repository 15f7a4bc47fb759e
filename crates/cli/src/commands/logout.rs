//! `logout`: forget the saved token (the client identifier, pins and history stay).

use serde::Serialize;

use plexpicker_core::secrets::SecretKey;

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
    let mut was_signed_in = false;
    ctx.update(|s| was_signed_in = s.account.take().is_some())?;
    ctx.secrets
        .delete(&SecretKey::AccountToken)
        .map_err(storage_error)?;
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
