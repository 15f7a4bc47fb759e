//! Measurements of the real app in its window (not pass/fail timing tests): time from launch
//! to the first painted screen and to the picker from a cached catalog (20,000 and 50,000
//! items), and resident memory at the picker with the demo library and after loading 20,000
//! and 50,000 items.
//!
//! Run by `cargo xtask bench`, which points `PLEXPICKER_E2E_APP` at the release build. Each
//! figure is printed as `measure: NAME = VALUE UNIT` and recorded in docs/PERFORMANCE.md.

// Shared with the end-to-end tests, which use more of them than the measurements do.
#[allow(dead_code)]
#[path = "../e2e/procs.rs"]
mod procs;
#[allow(dead_code)]
#[path = "../support/sim.rs"]
mod sim;
#[allow(dead_code)]
#[path = "../e2e/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use procs::{Display, TauriDriver};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(120);
/// How often a timed wait looks at the window: each look is one WebDriver round trip (a few
/// milliseconds), so a figure is at most this much later than what happened.
const LOOK: Duration = Duration::from_millis(10);

fn app_binary() -> PathBuf {
    std::env::var_os("PLEXPICKER_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_plexpicker")))
}

/// Resident memory of the app, in MiB.
#[derive(Default)]
struct Resident {
    /// The app's own process (`VmRSS`).
    own: f64,
    /// Of which its anonymous memory (`RssAnon`: heaps, stacks; what the app itself holds)...
    own_anon: f64,
    /// ...and the files it maps (`RssFile`: the binary and the GTK/WebKit libraries, shared
    /// with every process that maps them).
    own_file: f64,
    /// The app with every process it started (WebKit's web and network processes).
    all: f64,
}

fn resident_mib(app: &Path) -> Resident {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Resident::default();
    };
    // (pid, parent, [VmRSS, RssAnon, RssFile] in KiB, is the app)
    let procs: Vec<(u32, u32, [u64; 3], bool)> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter_map(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let field = |name: &str| {
                status
                    .lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse::<u64>().ok())
            };
            let ppid = field("PPid:")? as u32;
            let kib = ["VmRSS:", "RssAnon:", "RssFile:"].map(|f| field(f).unwrap_or(0));
            let is_app = std::fs::read_link(format!("/proc/{pid}/exe"))
                .is_ok_and(|exe| exe == app || exe.file_name() == app.file_name());
            Some((pid, ppid, kib, is_app))
        })
        .collect();
    let mut family: Vec<u32> = procs.iter().filter(|p| p.3).map(|p| p.0).collect();
    let mut grew = true;
    while grew {
        grew = false;
        for p in &procs {
            if family.contains(&p.1) && !family.contains(&p.0) {
                family.push(p.0);
                grew = true;
            }
        }
    }
    let own = |i: usize| procs.iter().filter(|p| p.3).map(|p| p.2[i]).sum::<u64>();
    let all: u64 = procs
        .iter()
        .filter(|p| family.contains(&p.0))
        .map(|p| p.2[0])
        .sum();
    let mib = |kib: u64| kib as f64 / 1024.0;
    Resident {
        own: mib(own(0)),
        own_anon: mib(own(1)),
        own_file: mib(own(2)),
        all: mib(all),
    }
}

fn report_memory(name: &str, app: &Path) {
    let r = resident_mib(app);
    report(&format!("{name}_app_process"), r.own, "MiB");
    report(&format!("{name}_app_process_anonymous"), r.own_anon, "MiB");
    report(
        &format!("{name}_app_process_mapped_files"),
        r.own_file,
        "MiB",
    );
    report(&format!("{name}_with_webview_processes"), r.all, "MiB");
}

fn report(name: &str, value: f64, unit: &str) {
    println!("measure: {name} = {value:.1} {unit}");
}

struct Run {
    session: Session,
    /// From asking for the WebDriver session until it existed: WebKitWebDriver started the app
    /// and its web view, before the page's own clock starts.
    session_took: Duration,
    _driver: TauriDriver,
    _display: Display,
}

fn launch(env: &[(String, String)]) -> (Run, Instant) {
    let display = Display::ensure();
    let driver = TauriDriver::start(display.name(), env);
    let started = Instant::now();
    let session = Session::start(driver.url(), &app_binary());
    let session_took = started.elapsed();
    (
        Run {
            session,
            session_took,
            _driver: driver,
            _display: display,
        },
        started,
    )
}

/// Signs in (the simulator approves the PIN after 500 ms); the lone server is connected and
/// its libraries loaded without a click. Returns the time from the click to the picker.
fn sign_in_and_load(run: &Run) -> Duration {
    let clicked = Instant::now();
    run.session.click("#sign-in", WAIT);
    run.session.wait_for_every("#picker", WAIT, LOOK);
    clicked.elapsed()
}

#[test]
#[ignore = "a measurement: run `cargo xtask bench`"]
fn launch_time_and_memory() {
    let sim = sim::Simulator::start(
        plex_sim::Scenario::single_server(20_000, 0).pin_approve_after_ms(500),
    );
    let data = tempfile::tempdir().expect("a data folder");
    let env = sim.env(data.path());
    let app = app_binary();

    // Launch to the first painted screen, then the demo picker's memory.
    {
        let (run, started) = launch(&env);
        run.session.wait_for_every("#welcome", WAIT, LOOK);
        report(
            "launch_to_welcome",
            started.elapsed().as_secs_f64() * 1000.0,
            "ms",
        );
        report(
            "of_which_webdriver_session_with_the_app_started",
            run.session_took.as_secs_f64() * 1000.0,
            "ms",
        );
        report(
            "page_clock_from_navigation_to_welcome_seen",
            page_clock_ms(&run),
            "ms",
        );
        run.session.click("#demo", WAIT);
        run.session.wait_for("#picker", WAIT);
        std::thread::sleep(Duration::from_secs(2));
        report_memory("memory_at_demo_picker", &app);
        run.session.click("#sign-out", WAIT);
        run.session.wait_for("#welcome", WAIT);
    }

    // Sign in, connect and load a 20,000-movie library, and the memory after it.
    {
        let (run, _) = launch(&env);
        let took = sign_in_and_load(&run);
        report(
            "sign_in_click_to_picker_20000_items_including_500ms_pin_approval",
            took.as_secs_f64() * 1000.0,
            "ms",
        );
        std::thread::sleep(Duration::from_secs(2));
        report_memory("memory_after_20000_items", &app);
    }

    // Restart with the cached catalog: launch to the picker.
    {
        let (run, started) = launch(&env);
        run.session.wait_for_every("#picker", WAIT, LOOK);
        report(
            "launch_to_picker_from_cache_20000",
            started.elapsed().as_secs_f64() * 1000.0,
            "ms",
        );
    }
}

/// Launch to the picker from a cached 50,000-item catalog (issue 9's target: under 500 ms).
#[test]
#[ignore = "a measurement: run `cargo xtask bench`"]
fn launch_from_a_cached_50000_item_catalog() {
    let sim = sim::Simulator::start(
        plex_sim::Scenario::single_server(50_000, 0).pin_approve_after_ms(500),
    );
    let data = tempfile::tempdir().expect("a data folder");
    let env = sim.env(data.path());
    let app = app_binary();
    {
        let (run, _) = launch(&env);
        sign_in_and_load(&run);
        std::thread::sleep(Duration::from_secs(2));
        report_memory("memory_after_50000_items", &app);
    }
    let (mut times, mut sessions, mut pages) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let (run, started) = launch(&env);
        run.session.wait_for_every("#picker", WAIT, LOOK);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        sessions.push(run.session_took.as_secs_f64() * 1000.0);
        pages.push(page_clock_ms(&run));
    }
    report(
        "launch_to_picker_from_cache_50000_median_of_5",
        median(times),
        "ms",
    );
    report(
        "of_which_webdriver_session_with_the_app_started_median_of_5",
        median(sessions),
        "ms",
    );
    report(
        "page_clock_from_navigation_to_picker_seen_median_of_5",
        median(pages),
        "ms",
    );
}

/// The page's own clock (`performance.now()`: since its navigation started), read just after
/// an element was seen: how much of a launch the page itself took.
fn page_clock_ms(run: &Run) -> f64 {
    run.session
        .execute("return performance.now();", serde_json::json!([]))
        .as_f64()
        .unwrap_or(f64::NAN)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
