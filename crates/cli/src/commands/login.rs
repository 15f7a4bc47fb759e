//! `login`: sign in with a PIN approved in the browser, or save a known token after checking it.

use std::io::BufRead as _;

use clap::Args;
use plexpicker_core::plex::Error as PlexError;
use plexpicker_core::secrets::{keychain_name, Backend};
use plexpicker_core::session::SignInOutcome;
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
        Some(given) => {
            let raw = if given == "-" {
                read_stdin_line()?
            } else {
                given
            };
            if raw.trim().is_empty() {
                return Err(CliError::Usage(
                    "the token is empty: pass --token TOKEN, or run `plexpicker-cli login` without --token".into(),
                ));
            }
            match ctx.session.sign_in_with_account_token(&raw).await {
                Ok(name) => (name, "token"),
                Err(CoreError::Plex(PlexError::Unauthorized)) => {
                    return Err(CliError::TokenInvalid)
                }
                Err(e) => return Err(e.into()),
            }
        }
        None => (with_pin(ctx, args.no_browser).await?, "pin"),
    };
    ctx.warn_if_fallback();
    if ctx.json {
        json_line(&Event::SignedIn {
            username: username.as_deref(),
            method,
        });
    } else {
        let saved = match ctx.secrets().backend() {
            Backend::Keychain => keychain_name().to_string(),
            Backend::File { path, .. } => path.display().to_string(),
        };
        match &username {
            Some(n) => crate::outln!("Signed in as {n} (token saved in {saved})."),
            None => crate::outln!("Signed in (token saved in {saved})."),
        }
        crate::outln!("Next: `plexpicker-cli servers`, then `plexpicker-cli pick`.");
    }
    Ok(())
}

/// Shows a code to approve in the browser and waits for it; answers the account's name.
async fn with_pin(ctx: &Ctx, no_browser: bool) -> Result<Option<String>> {
    let pending = ctx.session.start_sign_in().await?.poll_every(ctx.pin_poll);
    let (code, url) = (pending.pin.code.clone(), pending.auth_url.clone());
    let expires_in = pending.pin.expires_in.as_secs();
    let opened = !no_browser && open_browser(&url);
    if ctx.json {
        json_line(&Event::PinCreated {
            code: &code,
            auth_url: &url,
            expires_in_secs: expires_in,
            browser_opened: opened,
        });
    } else {
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
    match ctx.session.finish_sign_in(pending, None).await {
        Some(SignInOutcome::SignedIn { account }) => Ok(account),
        Some(SignInOutcome::Expired) => Err(CliError::PinExpired),
        Some(SignInOutcome::Cancelled) | None => Err(CliError::Cancelled),
        Some(SignInOutcome::Failed(e)) => Err(e.into()),
    }
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
