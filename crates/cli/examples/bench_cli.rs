//! `plexpicker-cli pick` as a whole process: a full load (`pick --refresh`) and a pick from the
//! cached catalog, at 50,000 and 200,000 movies; and a full load for three people of a Plex
//! Home (`pick --refresh --for A --for B --for C`) against the account alone, at 20,000.
//!
//! `cargo build --release -p plexpicker-cli && cargo run --release -p plexpicker-cli --example
//! bench_cli [-- --items N] [--cli PATH]` (part of `cargo xtask bench`); `-- --profiles
//! [--items N]` times only the Home's figure (issue 13: three profiles under 1.5x one).
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

use plex_sim::{
    ConnectionKind, ConnectionSpec, HomeSpec, LibraryKind, ProfileSpec, Scenario, ServerSpec, Sim,
};

const CACHED_RUNS: usize = 7;
/// Full loads per side (alone, and for three) in the Home's figure.
const ROOM_RUNS: usize = 7;
/// The Home's figure's library size.
const ROOM_ITEMS: u32 = 20_000;

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

/// Child mode: serve `items` movies (with `home`, to a Plex Home of the account and two more
/// profiles, neither protected, each with its own watch state), print plex.tv's URL and the
/// account token, wait for stdin to close.
async fn serve(items: u32, home: bool) -> Result<(), Box<dyn std::error::Error>> {
    let mut scenario = Scenario::new("bench-cli").with_server(
        ServerSpec::owned("Bench Server")
            .library(LibraryKind::Movie, "Movies", items)
            .connection(ConnectionSpec::new(ConnectionKind::Http, "127.0.0.2").id("bench-http")),
    );
    if home {
        let mut alex = ProfileSpec::new("Alex");
        alex.watch_seed = Some(11);
        let mut blair = ProfileSpec::new("Blair");
        blair.watch_seed = Some(23);
        scenario = scenario.with_home(HomeSpec {
            name: "Bench Home".into(),
            profiles: vec![alex, blair],
        });
    }
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
    /// User and system CPU time of the process (steadier than wall time on a busy machine).
    cpu: Duration,
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
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Measured {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: usage.ru_maxrss as u64,
        ok: exit.success(),
        stdout,
    })
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The simulator in a child process: the child, plex.tv's URL and the account token.
fn simulator(
    items: u32,
    home: bool,
) -> Result<(std::process::Child, String, String), Box<dyn std::error::Error>> {
    let mut args = vec!["--serve".to_string(), "--items".into(), items.to_string()];
    if home {
        args.push("--home".into());
    }
    let mut child = Command::new(std::env::current_exe()?)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let plex_tv = parts.next().ok_or("no plex.tv URL")?.to_string();
    let token = parts.next().ok_or("no token")?.to_string();
    Ok((child, plex_tv, token))
}

/// A full load for the account alone against one for the account and the Home's two other
/// profiles (`--for` each of the three by name), alternating, `ROOM_RUNS` of each.
fn bench_room(items: u32) -> Result<(), Box<dyn std::error::Error>> {
    let cli = cli()?;
    let (mut child, plex_tv, token) = simulator(items, true)?;
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
    if !run(&cli, &env, &["login", "--token", &token])?.ok {
        return Err("login failed".into());
    }
    let listed = run(&cli, &env, &["profiles", "--json"])?;
    let profiles: serde_json::Value = serde_json::from_str(listed.stdout.trim())
        .map_err(|e| format!("profiles --json: {e}: {}", listed.stdout))?;
    let names: Vec<String> = profiles["profiles"]
        .as_array()
        .ok_or("no profiles")?
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    if names.len() != 3 {
        return Err(format!("expected three profiles, got {names:?}").into());
    }
    let solo_args = ["pick", "--refresh", "--json", "--allow-insecure", "always"];
    let mut room_args: Vec<&str> = solo_args.to_vec();
    for n in &names {
        room_args.extend(["--for", n.as_str()]);
    }
    let (mut solo, mut room) = (Vec::new(), Vec::new());
    for _ in 0..ROOM_RUNS {
        let m = run(&cli, &env, &solo_args)?;
        if !m.ok || !m.stdout.contains("\"top\"") || m.stdout.contains("\"for\"") {
            return Err(format!("pick --refresh failed: {}", m.stdout).into());
        }
        solo.push(m);
        let m = run(&cli, &env, &room_args)?;
        if !m.ok || !m.stdout.contains("\"for\":[") {
            return Err(format!("pick --refresh --for failed: {}", m.stdout).into());
        }
        room.push(m);
    }
    solo.sort_by_key(|m| m.wall);
    room.sort_by_key(|m| m.wall);
    let (one, three) = (&solo[ROOM_RUNS / 2], &room[ROOM_RUNS / 2]);
    let ms = |m: &Measured| m.wall.as_secs_f64() * 1000.0;
    let cpu_ms = |runs: &[Measured]| {
        let mut cpu: Vec<Duration> = runs.iter().map(|m| m.cpu).collect();
        cpu.sort();
        cpu[cpu.len() / 2].as_secs_f64() * 1000.0
    };
    let (cpu_one, cpu_three) = (cpu_ms(&solo), cpu_ms(&room));
    println!(
        "{items:>7} movies | full load for one profile: median {:>6.0} ms (fastest {:.0}, slowest {:.0}), peak {:>6.1} MiB | for three ({}): median {:>6.0} ms (fastest {:.0}, slowest {:.0}), peak {:>6.1} MiB | three / one: {:.2}x (target < 1.5x), medians of {ROOM_RUNS} | CPU time of the CLI, median: one {cpu_one:.0} ms, three {cpu_three:.0} ms ({:.2}x)",
        ms(one),
        ms(&solo[0]),
        ms(&solo[ROOM_RUNS - 1]),
        mib(solo.iter().map(|m| m.max_rss_kib).max().unwrap_or(0)),
        names.join(", "),
        ms(three),
        ms(&room[0]),
        ms(&room[ROOM_RUNS - 1]),
        mib(room.iter().map(|m| m.max_rss_kib).max().unwrap_or(0)),
        ms(three) / ms(one),
        cpu_three / cpu_one,
    );
    drop(child.stdin.take());
    let _ = child.wait();
    Ok(())
}

fn bench(items: u32) -> Result<(), Box<dyn std::error::Error>> {
    let cli = cli()?;
    let (mut child, plex_tv, token) = simulator(items, false)?;
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
        let home = std::env::args().any(|a| a == "--home");
        return serve(items, home).await;
    }
    let items = arg("--items").and_then(|v| v.parse().ok());
    println!(
        "plexpicker-cli as a whole process (release build), against the simulator on loopback:"
    );
    if std::env::args().any(|a| a == "--profiles") {
        return tokio::task::block_in_place(|| bench_room(items.unwrap_or(ROOM_ITEMS)));
    }
    let sizes: Vec<u32> = match items {
        Some(n) => vec![n],
        None => vec![50_000, 200_000],
    };
    for items in sizes {
        tokio::task::block_in_place(|| bench(items))?;
    }
    if items.is_none() {
        tokio::task::block_in_place(|| bench_room(ROOM_ITEMS))?;
    }
    Ok(())
}
