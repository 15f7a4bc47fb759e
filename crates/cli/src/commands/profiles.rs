//! `profiles`: the Plex Home's profiles (who `pick --for` can name; see [`crate::room`]).

use plexpicker_ipc::ProfileView;

use crate::context::Ctx;
use crate::error::Result;
use crate::output::{json_line, Table};

/// Runs `profiles`.
pub async fn run(ctx: &mut Ctx) -> Result<()> {
    ctx.token()?;
    let profiles = ctx.session.profiles().await?;
    if ctx.json {
        json_line(&serde_json::json!({ "profiles": profiles }));
    } else {
        print(&profiles);
    }
    Ok(())
}

fn print(profiles: &[ProfileView]) {
    let yes = |b: bool| if b { "yes" } else { "" }.to_string();
    let mut t = Table::new(&[
        "NAME",
        "ADMIN",
        "PROTECTED",
        "RESTRICTED",
        "GUEST",
        "WATCHING",
        "ID",
    ]);
    for p in profiles {
        t.row(vec![
            p.name.clone(),
            yes(p.admin),
            yes(p.protected),
            yes(p.restricted),
            yes(p.guest),
            yes(p.watching),
            p.id.clone(),
        ]);
    }
    crate::out!("{}", t.render());
    if profiles.len() > 1 {
        crate::outln!();
        crate::outln!("Pick for several: plexpicker-cli pick --for NAME --for NAME (or --for all); add --pin NAME for a protected one.");
    }
}
