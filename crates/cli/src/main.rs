//! plexpicker-cli: PlexPicker in a terminal. Parsing, dispatch and exit codes live here; each
//! command is in `commands/` (arguments in, one core call, the core's report printed); where
//! the settings file lives is in `settings.rs`, printing in `output.rs`.

mod choices;
mod commands;
mod context;
mod error;
mod output;
mod room;
mod settings;

/// mimalloc rather than the system's allocator: a cached pick makes every title of the
/// catalog at once (hundreds of thousands of small strings and lists), where mimalloc takes
/// about half the time glibc's malloc does (docs/PERFORMANCE.md, "The CLI").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (v2 and v3 alike; libmimalloc-sys does
/// not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once rather than after mimalloc's default 10 ms:
/// a full load frees each page of items as it turns them into titles, and held back they
/// raised its peak by about 40 MiB at 200,000 titles (past issue 9's 250 MiB).
fn return_freed_memory_at_once() {
    // SAFETY: sets one of mimalloc's integer options, before any thread of ours exists;
    // any value is valid for this option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::context::Ctx;
use crate::error::{exit, CliError};

const AFTER_HELP: &str = "\
Settings: a JSON file holding the client identifier (a UUID made on first run), the chosen
server, the last connection that worked per server, pinned certificates and the pick
history; no token. Default: $XDG_CONFIG_HOME/plexpicker/cli-settings.json
(~/.config/plexpicker/cli-settings.json); override with --config PATH or PLEXPICKER_CONFIG.
It is written atomically with mode 0600, under a lock, so commands run at the same time
never undo each other. A file that cannot be used is moved aside to
cli-settings.json.damaged-<UTC time> (or .newer-<UTC time>), said on stderr, and new
settings are started. The catalog cache is cli-catalog.bin in the same directory.

The plex.tv token is kept in the system keychain (Secret Service, macOS Keychain, Windows
Credential Manager). Where there is none, it is kept in secrets/secrets.json next to the
settings (mode 0600, folder 0700) and a warning says so; PLEXPICKER_SECRETS=file chooses
the file. An AI provider's API key (`ai set --key -`, read from stdin) is kept there too.

Exit codes: 0 success, 1 other error, 2 usage, 3 not signed in / token rejected / code
expired / wrong profile PIN, 4 no working connection to the server, 5 nothing matches.

With --json every command prints JSON on stdout (see the README for the shapes) and errors
as {\"error\":{\"kind\",\"message\",\"exit_code\",\"details\"}} on stderr.

Environment: PLEXPICKER_CONFIG, PLEXPICKER_PLEX_TV_URL (point at a simulator),
SSL_CERT_FILE (extra trusted roots), PLEXPICKER_NO_BROWSER=1 (login never opens a browser).";

/// Pick something to watch tonight from your Plex libraries.
#[derive(Debug, Parser)]
#[command(name = "plexpicker-cli", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Machine-readable JSON on stdout (errors as JSON on stderr)
    #[arg(long, global = true)]
    pub json: bool,
    /// The settings file [default: $XDG_CONFIG_HOME/plexpicker/cli-settings.json]
    #[arg(long, global = true, env = "PLEXPICKER_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Base URL of plex.tv (for a simulator) [default: https://plex.tv]
    #[arg(
        long,
        global = true,
        env = "PLEXPICKER_PLEX_TV_URL",
        value_name = "URL"
    )]
    pub plex_tv_url: Option<String>,
    /// Trust this extra root certificate (PEM); may be repeated. SSL_CERT_FILE works too
    #[arg(long, global = true, value_name = "PATH")]
    pub ca_file: Vec<PathBuf>,
    /// When a token may go over plain http: never, same-network (the default: only to a server
    /// of yours at its local address, on its network, when no https route works) or always
    /// (remote http too). Saved for the commands that follow
    #[arg(long, global = true, value_name = "WHEN", value_parser = parse_allow_insecure)]
    pub allow_insecure: Option<plexpicker_core::plex::AllowInsecure>,
    /// Development: answer DNS only from these "host=ip,host=ip" pairs (no real DNS)
    #[arg(long, global = true, hide = true, env = "PLEXPICKER_DNS_OVERRIDES")]
    pub dns_overrides: Option<String>,
    /// Development: never resolve names through DNS (IP addresses still work)
    #[arg(long, global = true, hide = true, env = "PLEXPICKER_NO_DNS", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_dns: bool,
    /// Development: per-route probe timeout of the connection race, in milliseconds
    #[arg(long, global = true, hide = true, env = "PLEXPICKER_PROBE_TIMEOUT_MS")]
    pub probe_timeout_ms: Option<u64>,
    /// Development: time between sign-in polls, in milliseconds
    #[arg(long, global = true, hide = true, env = "PLEXPICKER_PIN_POLL_MS")]
    pub pin_poll_ms: Option<u64>,
}

/// `never`, `same-network` or `always`.
fn parse_allow_insecure(text: &str) -> Result<plexpicker_core::plex::AllowInsecure, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_ascii_lowercase()))
        .map_err(|_| format!("{text:?} is not one of: never, same-network, always"))
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign in to Plex (opens the browser to approve a code), or save a known token
    Login(commands::login::LoginArgs),
    /// Forget the saved sign-in
    Logout,
    /// List the account's servers: name, owned / shared by NAME / home, online
    Servers,
    /// Find the best working connection to a server (and remember the server)
    Connect(commands::connect::ConnectArgs),
    /// List the movie and show libraries of a server, with counts
    Libraries(commands::libraries::LibrariesArgs),
    /// Pick something to watch: a top pick and alternatives, with reasons and Plex links
    Pick(commands::pick::PickArgs),
    /// List the Plex Home's profiles (who can watch with `pick --for NAME`)
    Profiles,
    /// Say "not this one" about a title, so picks leave it out for a while
    NotThisOne(commands::not_this_one::NotThisOneArgs),
    /// Record that you are watching a title (a pick or an alternative), so picks leave it out
    /// for a while; prints its Plex link
    Watch(commands::watch::WatchArgs),
    /// List the moods `pick --mood` accepts
    Moods,
    /// Set up the AI provider `pick --ai` asks (Ollama, LM Studio, OpenAI, any
    /// OpenAI-compatible server); the key is read from stdin and kept in the secret store
    #[command(subcommand)]
    Ai(commands::ai::AiCommand),
}

fn main() {
    return_freed_memory_at_once();
    // Read before any thread exists (the local offset is only safe to read single-threaded).
    let utc_offset_minutes = time::UtcOffset::current_local_offset()
        .ok()
        .map(|o| i32::from(o.whole_minutes()));
    let json_hint = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if json_hint && e.use_stderr() {
                let msg = e.to_string();
                let first = msg.lines().next().unwrap_or("invalid arguments");
                let first = first.trim_start_matches("error: ").to_string();
                let err = CliError::Usage(format!("{first}: see `plexpicker-cli --help`"));
                eprintln!("{}", err.to_json());
                std::process::exit(exit::USAGE);
            }
            e.exit();
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(exit::OTHER);
        }
    };
    let code = rt.block_on(run(cli, utc_offset_minutes));
    drop(rt);
    std::process::exit(code);
}

async fn run(cli: Cli, utc_offset_minutes: Option<i32>) -> i32 {
    let json = cli.global.json;
    let mut ctx = match Ctx::open(&cli.global, utc_offset_minutes) {
        Ok(c) => c,
        Err(e) => return report(&e, json),
    };
    let cancel = ctx.cancel.clone();
    tokio::spawn({
        let cancel = cancel.clone();
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        }
    });
    let result = tokio::select! {
        r = dispatch(&mut ctx, cli.command) => r,
        _ = cancel.cancelled() => Err(CliError::Cancelled),
    };
    let code = match result {
        Ok(()) => exit::OK,
        Err(e) => report(&e, json),
    };
    // Not freed: the process exits right after, which returns the memory at once, while
    // freeing a picked catalog of tens of thousands of titles one string at a time took
    // about a fifth of a cached pick (`cargo xtask bench`, bench_cli). Every file is written
    // (atomically) by then.
    std::mem::forget(ctx);
    code
}

async fn dispatch(ctx: &mut Ctx, command: Command) -> error::Result<()> {
    match command {
        Command::Login(a) => commands::login::run(ctx, a).await,
        Command::Logout => commands::logout::run(ctx),
        Command::Servers => commands::servers::run(ctx).await,
        Command::Connect(a) => commands::connect::run(ctx, a).await,
        Command::Libraries(a) => commands::libraries::run(ctx, a).await,
        Command::Pick(a) => commands::pick::run(ctx, a).await,
        Command::Profiles => commands::profiles::run(ctx).await,
        Command::NotThisOne(a) => commands::not_this_one::run(ctx, a),
        Command::Watch(a) => commands::watch::run(ctx, a),
        Command::Moods => commands::moods::run(ctx),
        Command::Ai(c) => commands::ai::run(ctx, c).await,
    }
}

/// Writes the error to stderr (one sentence, or JSON) and returns its exit code.
fn report(e: &CliError, json: bool) -> i32 {
    if json {
        eprintln!("{}", e.to_json());
    } else {
        eprintln!("error: {e}");
        if let CliError::Unreachable(d) = e {
            eprint!("{}", output::diagnosis_table(d));
        }
    }
    e.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_pick_flags() {
        let cli = Cli::try_parse_from([
            "plexpicker-cli",
            "pick",
            "--format",
            "movie",
            "--genre",
            "Comedy",
            "--genre",
            "Drama",
            "--decades",
            "1980s,1990s",
            "--json",
        ])
        .expect("parses");
        assert!(cli.global.json);
        assert!(matches!(cli.command, Command::Pick(_)));
        assert!(Cli::try_parse_from([
            "plexpicker-cli",
            "pick",
            "--max-minutes",
            "90",
            "--finish-by",
            "23:00"
        ])
        .is_err());
        let cli = Cli::try_parse_from([
            "plexpicker-cli",
            "ai",
            "set",
            "--preset",
            "custom",
            "--url",
            "http://127.0.0.1:8000/v1",
            "--model",
            "m",
            "--key",
            "-",
        ])
        .expect("ai set parses");
        assert!(matches!(
            cli.command,
            Command::Ai(commands::ai::AiCommand::Set(ref a)) if a.key.as_deref() == Some("-")
        ));
        assert!(Cli::try_parse_from(["plexpicker-cli", "pick", "--ai"]).is_ok());
        let cli = Cli::try_parse_from([
            "plexpicker-cli",
            "pick",
            "--for",
            "Sam",
            "--for",
            "kid",
            "--pin",
            "Sam",
        ])
        .expect("pick --for parses");
        assert!(matches!(
            cli.command,
            Command::Pick(ref a) if a.for_people == ["Sam", "kid"] && a.pin_for == ["Sam"]
        ));
        assert!(
            Cli::try_parse_from(["plexpicker-cli", "pick", "--pin", "Sam"]).is_err(),
            "--pin needs --for"
        );
        assert!(Cli::try_parse_from(["plexpicker-cli", "profiles", "--json"]).is_ok());
        assert!(Cli::try_parse_from([
            "plexpicker-cli",
            "ai",
            "set",
            "--preset",
            "openai",
            "--key",
            "-",
            "--remove-key"
        ])
        .is_err());
        let cli = Cli::try_parse_from(["plexpicker-cli", "login", "--no-browser"]).expect("flag");
        assert!(matches!(cli.command, Command::Login(ref a) if a.no_browser));
        assert!(Cli::try_parse_from([
            "plexpicker-cli",
            "pick",
            "--decades",
            "1980s",
            "--years",
            "1980-1999"
        ])
        .is_err());
    }
}
