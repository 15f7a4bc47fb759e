//! `plexpicker-cli pick` as a whole process: a full load (`pick --refresh`) and a pick from the
//! cached catalog, at 50,000 and 200,000 movies.
//!
//! `cargo build --release -p plexpicker-cli && cargo run --release -p plexpicker-cli --example
//! bench_cli [-- --items N] [--cli PATH]` (part of `cargo xtask bench`).
//!
//! The simulator runs in a child process (this example re-executed with `--serve`), so its
//! work and memory are not counted. Each measured run is the release `plexpicker-cli` binary
//! next to this example, in a fresh settings folder, signed in once beforehand. Reported: wall
//! time (spawn to exit; the median of several runs for the cached pick) and the process's peak
//! resident memory (`ru_maxrss` from `wait4`). Targets (issue 9): a cached pick under 60 ms at
//! 50,000 titles and under 200 ms at 200,000; a full 200,000-title load under 250 MiB.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use plex_sim::{ConnectionKind, ConnectionSpec, LibraryKind, Scenario, ServerSpec, Sim};

const CACHED_RUNS: usize = 7;

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

/// Child mode: serve `items` movies, print plex.tv's URL and the account token, wait for
/// stdin to close.
async fn serve(items: u32) -> Result<(), Box<dyn std::error::Error>> {
    let scenario = Scenario::new("bench-cli").with_server(
        ServerSpec::owned("Bench Server")
            .library(LibraryKind::Movie, "Movies", items)
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("bench-http")),
    );
    let sim = Sim::start(scenario).await?;
    println!("{} {}", sim.plex_tv_url(), sim.account_token());
    std::io::stdout().flush()?;
    tokio::task::spawn_blocking(|| {
        let mut s = String::new();
        let _ = std::io::stdin().read_line(&mut s);
    })
    .await?;
    sim.shutdown().await;
    Ok(())
}

/// The release CLI next to this example (`target/release/examples/bench_cli`), or the one
/// `--cli PATH` names (another build, to compare).
fn cli() -> Result<PathBuf, String> {
    if let Some(path) = arg("--cli") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("no release folder")?;
    let cli = release.join("plexpicker-cli");
    if cli.exists() {
        Ok(cli)
    } else {
        Err(format!(
            "{} is missing: run `cargo build --release -p plexpicker-cli` first",
            cli.display()
        ))
    }
}

/// One measured run: wall time, peak resident memory in KiB, exit status and stdout.
struct Measured {
    wall: Duration,
    max_rss_kib: u64,
    ok: bool,
    stdout: String,
}

fn run(cli: &Path, env: &[(&str, String)], args: &[&str]) -> Result<Measured, String> {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let mut child = Command::new(cli)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child's, waited
    // for once (std's Child is never waited on afterwards).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    if waited != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let exit = std::process::ExitStatus::from_raw(status);
    Ok(Measured {
        wall,
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: usage.ru_maxrss as u64,
        ok: exit.success(),
        stdout,
    })
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn bench(items: u32) -> Result<(), Box<dyn std::error::Error>> {
    let cli = cli()?;
    let mut child = Command::new(std::env::current_exe()?)
        .args(["--serve", "--items", &items.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (plex_tv, token) = (
        parts.next().ok_or("no plex.tv URL")?.to_string(),
        parts.next().ok_or("no token")?.to_string(),
    );
    let dir = tempfile::tempdir()?;
    let env = [
        (
            "PLEXPICKER_CONFIG",
            dir.path().join("cli-settings.json").display().to_string(),
        ),
        ("PLEXPICKER_PLEX_TV_URL", plex_tv),
        ("PLEXPICKER_NO_DNS", "1".to_string()),
        ("PLEXPICKER_NO_BROWSER", "1".to_string()),
        ("PLEXPICKER_SECRETS", "file".to_string()),
    ];
    let login = run(&cli, &env, &["login", "--token", &token])?;
    if !login.ok {
        return Err("login failed".into());
    }
    let full = run(
        &cli,
        &env,
        &["pick", "--refresh", "--json", "--allow-insecure", "always"],
    )?;
    if !full.ok || !full.stdout.contains("\"top\"") {
        return Err(format!("pick --refresh failed: {}", full.stdout).into());
    }
    let cache = std::fs::read_dir(dir.path())?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("cli-catalog"))
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum::<u64>();
    let mut cached = Vec::with_capacity(CACHED_RUNS);
    for _ in 0..CACHED_RUNS {
        let m = run(&cli, &env, &["pick", "--json"])?;
        if !m.ok || !m.stdout.contains("\"cached\":true") {
            return Err(format!("the cached pick did not use the cache: {}", m.stdout).into());
        }
        cached.push(m);
    }
    cached.sort_by_key(|m| m.wall);
    let median = &cached[CACHED_RUNS / 2];
    let peak = cached.iter().map(|m| m.max_rss_kib).max().unwrap_or(0);
    println!(
        "{items:>7} movies | full load (pick --refresh): {:>7.0} ms, peak {:>6.1} MiB | cache file {:>6.1} MB | cached pick: median {:>5.0} ms of {CACHED_RUNS} (fastest {:.0}, slowest {:.0}), peak {:>6.1} MiB",
        full.wall.as_secs_f64() * 1000.0,
        mib(full.max_rss_kib),
        cache as f64 / 1e6,
        median.wall.as_secs_f64() * 1000.0,
        cached[0].wall.as_secs_f64() * 1000.0,
        cached[CACHED_RUNS - 1].wall.as_secs_f64() * 1000.0,
        mib(peak),
    );
    drop(child.stdin.take());
    let _ = child.wait();
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().any(|a| a == "--serve") {
        let items = arg("--items")
            .and_then(|v| v.parse().ok())
            .unwrap_or(50_000);
        return serve(items).await;
    }
    let sizes: Vec<u32> = match arg("--items").and_then(|v| v.parse().ok()) {
        Some(n) => vec![n],
        None => vec![50_000, 200_000],
    };
    println!(
        "plexpicker-cli as a whole process (release build), against the simulator on loopback:"
    );
    for items in sizes {
        tokio::task::block_in_place(|| bench(items))?;
    }
    Ok(())
}
