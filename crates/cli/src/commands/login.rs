//! `login`: sign in with a PIN approved in the browser, or save a known token after checking it.

use std::io::BufRead as _;

use clap::Args;
use plex_client::{Error as PlexError, PinOutcome, PinPoll, Token};
use serde::Serialize;

use crate::context::Ctx;
use crate::error::{CliError, Result};
use crate::output::json_line;
use plexpicker_core::account;

use crate::settings::storage_error;

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
    let client = ctx.client()?;
    let (token, user, method) = match args.token {
        Some(given) => {
            let raw = if given == "-" {
                read_stdin_line()?
            } else {
                given
            };
            let token = Token::new(raw.trim());
            if token.is_empty() {
                return Err(CliError::Usage(
                    "the token is empty: pass --token TOKEN, or run `plexpicker-cli login` without --token".into(),
                ));
            }
            let user = match client.user(&token).await {
                Ok(u) => u,
                Err(PlexError::Unauthorized) => return Err(CliError::TokenInvalid),
                Err(e) => return Err(e.into()),
            };
            (token, user, "token")
        }
        None => {
            let pin = client.create_pin().await?;
            let url = client.auth_url(&pin, None);
            let opened = !args.no_browser && open_browser(&url);
            if ctx.json {
                json_line(&Event::PinCreated {
                    code: &pin.code,
                    auth_url: &url,
                    expires_in_secs: pin.expires_in.as_secs(),
                    browser_opened: opened,
                });
            } else {
                if opened {
                    crate::outln!(
                        "Opened your browser to sign in. If it did not appear, open this URL:"
                    );
                } else {
                    crate::outln!("To sign in, open this URL in a browser:");
                }
                crate::outln!("  {url}");
                crate::outln!("Code: {}", pin.code);
                crate::outln!(
                    "Waiting for you to approve it (expires in {} min; Ctrl-C to cancel)...",
                    pin.expires_in.as_secs().div_ceil(60)
                );
            }
            let poll = PinPoll {
                interval: ctx.pin_poll,
                cancel: ctx.cancel.clone(),
                ..PinPoll::default()
            };
            let token = match client.wait_for_pin(&pin, &poll).await? {
                PinOutcome::Linked(t) => t,
                PinOutcome::Expired => return Err(CliError::PinExpired),
                PinOutcome::Cancelled => return Err(CliError::Cancelled),
            };
            let user = match client.user(&token).await {
                Ok(u) => u,
                Err(PlexError::Unauthorized) => return Err(CliError::TokenRejected),
                Err(e) => return Err(e.into()),
            };
            (token, user, "pin")
        }
    };
    let username = account::display_name(&user);
    // The token goes to the secret store first: the settings never say "signed in" without it.
    account::store_token(ctx.secrets(), &token).map_err(storage_error)?;
    let name = username.clone();
    ctx.update(|s| account::signed_in(s, name, false))?;
    ctx.warn_if_fallback();
    if ctx.json {
        json_line(&Event::SignedIn {
            username: username.as_deref(),
            method,
        });
    } else {
        let saved = match ctx.secrets().backend() {
            plexpicker_core::secrets::Backend::Keychain => {
                plexpicker_core::secrets::keychain_name().to_string()
            }
            plexpicker_core::secrets::Backend::File { path, .. } => path.display().to_string(),
        };
        match &username {
            Some(n) => crate::outln!("Signed in as {n} (token saved in {saved})."),
            None => crate::outln!("Signed in (token saved in {saved})."),
        }
        crate::outln!("Next: `plexpicker-cli servers`, then `plexpicker-cli pick`.");
    }
    Ok(())
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
