//! What every command shares: the core's session over the settings file and the secret
//! store, and what only the terminal has (`--json`, Ctrl-C, the local time, saying things on
//! stderr).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use plexpicker_core::client::{ClientSetup, Lookup};
use plexpicker_core::migrate::Origin;
use plexpicker_core::pick_cache;
use plexpicker_core::plex::{CancellationToken, Token};
use plexpicker_core::report::{Notice, OnNotice};
use plexpicker_core::secrets::{Backend, Choice, Secrets};
use plexpicker_core::session::{Reach, Session};
use plexpicker_core::settings::Settings;
use plexpicker_core::storage;

use crate::error::{CliError, Result};
use crate::settings::{self, storage_error};
use crate::GlobalArgs;

/// `--server NAME_OR_ID`, shared by the commands that talk to a server.
#[derive(Debug, Args, Clone, Default)]
pub struct ServerArg {
    /// The server, by name or machine identifier [default: the one chosen last]
    #[arg(long, value_name = "NAME_OR_ID")]
    pub server: Option<String>,
}

/// The state of one run: the core's session over the settings file (every change re-reads
/// it under its lock, so a concurrent command's change is never undone) and the secret store
/// (the OS keychain, or the fallback file), and what only the terminal has.
pub struct Ctx {
    /// `--json`.
    pub json: bool,
    pub session: Session,
    /// The settings file's folder (the catalog cache is kept beside it).
    dir: PathBuf,
    /// Fires on Ctrl-C.
    pub cancel: CancellationToken,
    /// The local UTC offset in minutes, when known.
    pub utc_offset_minutes: Option<i32>,
    /// Time between sign-in polls.
    pub pin_poll: Duration,
}

/// Parses `host=ip,host=ip` (an `ip:port` is accepted; the port is ignored).
pub fn parse_dns_overrides(s: &str) -> Result<Vec<(String, IpAddr)>> {
    let mut dns = Vec::new();
    for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            CliError::Usage(format!(
                "bad DNS override {pair:?}: expected host=ip (for example 127-0-0-2.abc.plex.direct=127.0.0.2)"
            ))
        };
        let (host, addr) = pair.split_once('=').ok_or_else(bad)?;
        let addr = addr.trim();
        let ip: IpAddr = match addr.parse() {
            Ok(ip) => ip,
            Err(_) => addr
                .parse::<std::net::SocketAddr>()
                .map(|s| s.ip())
                .map_err(|_| bad())?,
        };
        if host.trim().is_empty() {
            return Err(bad());
        }
        dns.push((host.trim().to_string(), ip));
    }
    Ok(dns)
}

impl Ctx {
    /// Loads the settings (saying on stderr when a file was set aside) and prepares the client
    /// configuration.
    pub fn open(g: &GlobalArgs, utc_offset_minutes: Option<i32>) -> Result<Ctx> {
        let path = match &g.config {
            Some(p) => p.clone(),
            None => settings::default_path().ok_or_else(|| {
                CliError::Storage(
                    "cannot tell where to keep settings (no HOME or XDG_CONFIG_HOME): pass --config PATH"
                        .into(),
                )
            })?,
        };
        let opened =
            storage::open_file(path, Origin::Cli, Choice::from_env()).map_err(storage_error)?;
        if let Some(n) = &opened.notice {
            let kind = match n.problem {
                plexpicker_core::settings::Problem::Newer(_) => "settings_newer",
                plexpicker_core::settings::Problem::Damaged(_) => "settings_corrupt",
            };
            let message = format!(
                "the settings file {} could not be used; it was moved to {} and new settings were started (sign in again with `plexpicker-cli login`)",
                opened.file.path().display(),
                n.kept_at.display()
            );
            if g.json {
                eprintln!(
                    "{}",
                    serde_json::json!({ "warning": { "kind": kind, "message": message, "moved_to": n.kept_at } })
                );
            } else {
                eprintln!("warning: {message}");
            }
        }
        let settings = opened.settings;
        let mut setup = ClientSetup::new(
            &settings.client_identifier,
            env!("CARGO_PKG_VERSION"),
            "CLI",
            "PlexPicker CLI",
        );
        setup.plex_tv_url = g.plex_tv_url.clone();
        for path in &g.ca_file {
            let pem = std::fs::read_to_string(path).map_err(|e| {
                CliError::Usage(format!("cannot read --ca-file {}: {e}", path.display()))
            })?;
            setup.extra_root_pems.push(pem);
        }
        if let Some(spec) = &g.dns_overrides {
            setup.lookup = Lookup::Only(parse_dns_overrides(spec)?);
        } else if g.no_dns {
            setup.lookup = Lookup::Never;
        }
        setup.probe_timeout = g.probe_timeout_ms.map(Duration::from_millis);
        let dir = opened.file.dir();
        let migrated = opened.migrated;
        let session = Session::new(setup, settings, Box::new(opened.file), opened.secrets, None);
        let ctx = Ctx {
            json: g.json,
            session,
            dir,
            cancel: CancellationToken::new(),
            utc_offset_minutes,
            pin_poll: Duration::from_millis(g.pin_poll_ms.unwrap_or(1000).max(10)),
        };
        if migrated && ctx.settings().account.is_some() {
            ctx.warn_if_fallback();
        }
        if let Some(when) = g.allow_insecure {
            if ctx.settings().allow_insecure != when {
                ctx.update(|s| s.allow_insecure = when)?;
            }
        }
        Ok(ctx)
    }

    /// The settings as last read or written.
    pub fn settings(&self) -> Settings {
        self.session.settings()
    }

    /// Changes the settings: re-reads the file under its lock, applies `change`, writes it
    /// atomically. What another command wrote meanwhile is kept.
    pub fn update<T>(&self, change: impl FnOnce(&mut Settings) -> T) -> Result<T> {
        Ok(self.session.update(change)?)
    }

    /// The secret store.
    pub fn secrets(&self) -> &(dyn Secrets + 'static) {
        self.session.secrets()
    }

    /// The settings file's folder, where the catalog cache is kept too.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Says on stderr (one warning line) that tokens are kept in the fallback file.
    pub fn warn_if_fallback(&self) {
        if let backend @ Backend::File { .. } = self.secrets().backend() {
            let message = backend.describe();
            if self.json {
                eprintln!(
                    "{}",
                    serde_json::json!({ "warning": { "kind": "secrets_in_file", "message": message } })
                );
            } else {
                eprintln!("warning: {message}");
            }
        }
    }

    /// The saved account token, or "not signed in".
    pub fn token(&self) -> Result<Token> {
        Ok(self.session.account_token()?)
    }

    /// Says something worth knowing on stderr: `note: ...` in text mode,
    /// `{"warning":{"kind":..,"message":..}}` with `--json`.
    pub fn note(&self, kind: &str, message: &str) {
        note(self.json, kind, message);
    }

    /// Says the core's notices on stderr: progress lines in text mode only, notes as
    /// [`Ctx::note`] does.
    pub fn notices(&self) -> OnNotice {
        let json = self.json;
        Arc::new(move |notice| match notice {
            Notice::Progress(line) => {
                if !json {
                    eprintln!("{line}");
                }
            }
            Notice::Note { kind, message } => note(json, kind, &message),
        })
    }

    /// The catalog cache's file, beside the settings.
    pub fn cache_file(&self) -> PathBuf {
        pick_cache::path_in(&self.dir)
    }

    /// How to reach the server named by `--server` (else the chosen one); Ctrl-C stops it.
    pub fn reach(&self, server: &ServerArg) -> Reach {
        Reach {
            server: server.server.clone(),
            stop: Some(self.cancel.clone()),
            ..Reach::default()
        }
    }
}

/// Something worth knowing on stderr: `note: ...` in text mode,
/// `{"warning":{"kind":..,"message":..}}` with `--json`.
fn note(json: bool, kind: &str, message: &str) {
    if json {
        eprintln!(
            "{}",
            serde_json::json!({ "warning": { "kind": kind, "message": message } })
        );
    } else {
        eprintln!("note: {message}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_overrides_parse() {
        assert!(parse_dns_overrides("a.plex.direct=127.0.0.2, b=127.0.0.3:32400").is_ok());
        assert!(parse_dns_overrides("").is_ok());
        assert!(parse_dns_overrides("nohost").is_err());
        assert!(parse_dns_overrides("a=not-an-ip").is_err());
    }
}
