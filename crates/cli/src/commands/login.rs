//! `login`: sign in with a PIN approved in the browser, or save a known token after checking it.

use std::io::BufRead as _;

use clap::Args;
use plexpicker_core::plex::Error as PlexError;
use plexpicker_core::report::secrets_place;
use plexpicker_core::session::PendingSignIn;
use plexpicker_core::Error as CoreError;
use serde::Serialize;

use crate::context::Ctx;
use crate::error::{CliError, Result};
use crate::output::json_line;

/// `login` options.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Save this plex.tv token instead of signing in with a code (checked with plex.tv
    /// first); `-` reads it from stdin
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Do not try to open a browser; just print the URL
    #[arg(long, env = "PLEXPICKER_NO_BROWSER", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_browser: bool,
}

/// The JSON lines `login --json` prints.
#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event<'a> {
    /// The code to approve and where.
    PinCreated {
        code: &'a str,
        auth_url: &'a str,
        expires_in_secs: u64,
        browser_opened: bool,
    },
    /// Done.
    SignedIn {
        username: Option<&'a str>,
        method: &'a str,
    },
}

/// Runs `login`.
pub async fn run(ctx: &mut Ctx, args: LoginArgs) -> Result<()> {
    let (username, method) = match args.token {
        Some(given) => (with_token(ctx, given).await?, "token"),
        None => {
            let show = |p: &PendingSignIn| show_code(ctx.json, p, args.no_browser);
            let every = Some(ctx.pin_poll);
            (ctx.session.sign_in_with_pin(every, show).await?, "pin")
        }
    };
    ctx.warn_if_fallback();
    if ctx.json {
        let username = username.as_deref();
        json_line(&Event::SignedIn { username, method });
    } else {
        signed_in(ctx, username.as_deref());
    }
    Ok(())
}

/// "Signed in as NAME", where the token is kept, and what to do next.
fn signed_in(ctx: &Ctx, username: Option<&str>) {
    let saved = secrets_place(&ctx.secrets().backend());
    match username {
        Some(n) => crate::outln!("Signed in as {n} (token saved in {saved})."),
        None => crate::outln!("Signed in (token saved in {saved})."),
    }
    crate::outln!("Next: `plexpicker-cli servers`, then `plexpicker-cli pick`.");
}

/// `--token TOKEN` (`-`: from stdin), checked with plex.tv and saved; answers the name.
async fn with_token(ctx: &Ctx, given: String) -> Result<Option<String>> {
    let raw = if given == "-" {
        read_stdin_line()?
    } else {
        given
    };
    if raw.trim().is_empty() {
        return Err(CliError::Usage(
            "the token is empty: pass --token TOKEN, or run `plexpicker-cli login` without --token"
                .into(),
        ));
    }
    match ctx.session.sign_in_with_account_token(&raw).await {
        Ok(name) => Ok(name),
        Err(CoreError::Plex(PlexError::Unauthorized)) => Err(CliError::TokenInvalid),
        Err(e) => Err(e.into()),
    }
}

/// Shows the code to approve and where, opening the browser unless told not to.
fn show_code(json: bool, pending: &PendingSignIn, no_browser: bool) {
    let (code, url) = (&pending.pin.code, &pending.auth_url);
    let expires_in = pending.pin.expires_in.as_secs();
    let opened = !no_browser && open_browser(url);
    if json {
        json_line(&Event::PinCreated {
            code,
            auth_url: url,
            expires_in_secs: expires_in,
            browser_opened: opened,
        });
        return;
    }
    if opened {
        crate::outln!("Opened your browser to sign in. If it did not appear, open this URL:");
    } else {
        crate::outln!("To sign in, open this URL in a browser:");
    }
    crate::outln!("  {url}");
    crate::outln!("Code: {code}");
    crate::outln!(
        "Waiting for you to approve it (expires in {} min; Ctrl-C to cancel)...",
        expires_in.div_ceil(60)
    );
}

fn read_stdin_line() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Usage(format!("cannot read the token from stdin: {e}")))?;
    Ok(line)
}

/// Tries the platform's opener; `false` when there is none (then the user opens the URL).
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut cmd = if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else if cfg!(windows) {
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler").arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            // Reap it in the background; its exit status does not matter to us.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
            true
        }
        Err(_) => false,
    }
}
