//! End-to-end tests of the real window: the real app (with the UI embedded) starts under Xvfb
//! when there is no display, is driven through tauri-driver and WebKitWebDriver against the
//! Plex simulator on loopback, and every screen's screenshot is saved under `target/e2e/`.
//!
//! They are `#[ignore]`d in a plain `cargo test` because they need the UI built into
//! `ui/dist` and the `custom-protocol` feature; `cargo xtask test` provides both and runs them.

mod ai;
mod procs;
mod profiles;
// Shared with the command tests, which use more of it.
#[allow(dead_code)]
#[path = "../support/sim.rs"]
mod sim;
mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use plexpicker_ipc::events;
use procs::{Display, TauriDriver};
use sim::Simulator;
use webdriver::Session;

/// Long enough for a cold start of the app and the wasm UI on a busy 2-core machine.
const SCREEN: Duration = Duration::from_secs(60);
/// For things that follow a click.
const SOON: Duration = Duration::from_secs(20);

/// The app to drive: the binary Cargo built for this run, or `PLEXPICKER_E2E_APP` (the
/// installed one, for `cargo xtask bundle --check`).
fn app_binary() -> PathBuf {
    std::env::var_os("PLEXPICKER_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_plexpicker")))
}

/// Saves what the window shows as `target/e2e/NAME.png`, once it shows something (a
/// single-colour picture fails the test), and checks the screen's accessibility.
fn screenshot(session: &Session, name: &str) {
    settle(session);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    session.save_screenshot(&dir.join(format!("{name}.png")), SOON);
    check_accessibility(session, name);
}

/// Waits until the screen's animations (the wheels, the reveal's fades) have finished, so
/// screenshots, colours and clicks see the screen as it ends up. Bounded, in case a screen has
/// an endless animation.
fn settle(session: &Session) {
    let deadline = std::time::Instant::now() + SOON;
    while session.execute(
        "return document.getAnimations().filter(a => a.playState === 'running' && a.effect && a.effect.getTiming().iterations !== Infinity).length;",
        serde_json::json!([]),
    ) != 0
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// axe-core's script, as `cargo xtask setup` installs it (xtask's `prereqs::axe_core_path`).
fn axe_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/axe/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|err| {
            panic!(
                "{} could not be read ({err}): run `cargo xtask setup`, which installs axe-core",
                path.display()
            )
        })
    })
}

/// Runs axe-core (every rule of its default set) on what the window shows and fails the test on
/// any serious or critical violation. Prints a line per screen for docs/ACCESSIBILITY.md.
fn check_accessibility(session: &Session, screen: &str) {
    let loaded = session.execute(
        &format!("{}\n;return typeof window.axe;", axe_script()),
        serde_json::json!([]),
    );
    assert_eq!(loaded, "object", "axe-core did not load in the page");
    let result = session.execute_async(
        "const done = arguments[arguments.length - 1];
         window.axe.run(document, { resultTypes: ['violations'] })
           .then(r => done({
             rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
             violations: r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
               help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })),
           }))
           .catch(e => done({ error: String(e) }));",
        serde_json::json!([]),
    );
    assert!(
        result.get("error").is_none(),
        "axe-core failed on {screen}: {result}"
    );
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    let grave: Vec<_> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    let found: Vec<String> = violations
        .iter()
        .map(|v| {
            format!(
                "{} ({})",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?")
            )
        })
        .collect();
    let line = format!(
        "{screen}: {} rules, {} violations ({} serious or critical) {}\n",
        result["rules"],
        violations.len(),
        grave.len(),
        found.join(", ")
    );
    print!("axe: {line}");
    // Kept beside the screenshots, for docs/ACCESSIBILITY.md.
    let log = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e/axe.txt");
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
    assert!(
        grave.is_empty(),
        "{screen} has serious or critical accessibility violations: {}",
        serde_json::Value::Array(grave.into_iter().cloned().collect())
    );
}

/// Minutes from a runtime as the window shows it: "45 min" or "2 h 05 min".
fn shown_minutes(text: &str) -> Option<u32> {
    let text = text.trim().strip_suffix("min")?.trim();
    match text.split_once(" h ") {
        Some((hours, minutes)) => {
            Some(hours.trim().parse::<u32>().ok()? * 60 + minutes.trim().parse::<u32>().ok()?)
        }
        None => text.parse().ok(),
    }
}

fn png_of(width: u32, height: u32, rgb: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a PNG header");
    let data: Vec<u8> = (0..height)
        .flat_map(|y| (0..width).map(move |x| (x, y)))
        .flat_map(|(x, y)| rgb(x, y))
        .collect();
    writer.write_image_data(&data).expect("PNG data");
    writer.finish().expect("a PNG");
    out
}

/// The screenshot guard: a blank picture has one colour, a painted one more.
#[test]
fn a_blank_screenshot_has_one_colour_and_a_painted_one_more() {
    let blank = png_of(40, 30, |_, _| [255, 255, 255]);
    assert_eq!(webdriver::distinct_colours(&blank, 2), Ok(1));
    // One pixel of text is enough to tell a painted window from an empty one.
    let painted = png_of(40, 30, |x, y| {
        if (x, y) == (39, 29) {
            [0, 0, 0]
        } else {
            [255, 255, 255]
        }
    });
    assert_eq!(webdriver::distinct_colours(&painted, 2), Ok(2));
    assert!(webdriver::distinct_colours(b"\x89PNG not really", 2).is_err());
}

#[test]
fn shown_minutes_reads_the_windows_runtimes() {
    assert_eq!(shown_minutes("45 min"), Some(45));
    assert_eq!(shown_minutes("2 h 05 min"), Some(125));
    assert_eq!(shown_minutes("1 h 00 min"), Some(60));
    assert_eq!(shown_minutes("2019"), None);
    assert_eq!(shown_minutes("Movie"), None);
}

fn preconditions() {
    if std::env::var_os("PLEXPICKER_E2E_APP").is_some() {
        return;
    }
    if !cfg!(feature = "custom-protocol") {
        panic!(
            "the app must be built with the UI embedded: run `cargo xtask test` \
             (or `cargo test --features custom-protocol --test e2e -- --ignored`)"
        );
    }
    let index = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/dist/index.html");
    assert!(
        index.exists(),
        "{} is missing: build the UI first (`cargo xtask test` does)",
        index.display()
    );
}

/// The app in its window: Xvfb (if needed), tauri-driver and a WebDriver session. Dropped in
/// reverse order: the session ends (closing the app) before the driver and Xvfb stop.
struct Window {
    session: Session,
    _driver: TauriDriver,
    _display: Display,
}

impl Window {
    fn open(env: &[(String, String)]) -> Self {
        preconditions();
        let display = Display::ensure();
        let driver = TauriDriver::start(display.name(), env);
        let session = Session::start(driver.url(), &app_binary());
        Self {
            session,
            _driver: driver,
            _display: display,
        }
    }
}

impl std::ops::Deref for Window {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

/// Signs in through the PIN page the simulator approves. The PIN screen shows the code only to
/// compare, with no field to type it into.
fn sign_in(window: &Window) {
    window.click("#sign-in", SCREEN);
    window.wait_for("#waiting", SOON);
    let code = window.text("#pin-code", SOON);
    assert!(code.len() >= 4, "a PIN code is shown: {code:?}");
    assert_eq!(
        window.count("#waiting input"),
        0,
        "the PIN screen has nothing to type the code into"
    );
    screenshot(window, "02-waiting-for-plex");
}

/// Every event the window may listen to: the app's own and the plugins' (the store plugin
/// broadcasts each change of the settings as `store://change`).
const EVERY_EVENT: [&str; 5] = [
    events::SIGN_IN,
    events::CONNECT,
    events::LOAD,
    events::PROFILES,
    "store://change",
];

/// Subscribes the page itself to every event it may listen to, as any script in it could,
/// recording each as "name payload".
fn listen_to_everything(window: &Window) {
    window.execute(
        "window.__heard = [];
         for (const name of arguments[0]) {
             window.__TAURI__.event.listen(name, (e) =>
                 window.__heard.push(name + ' ' + JSON.stringify(e.payload)));
         }",
        serde_json::json!([EVERY_EVENT]),
    );
}

/// What [`listen_to_everything`] recorded.
fn heard(window: &Window) -> Vec<String> {
    let heard = window.execute("return window.__heard || [];", serde_json::json!([]));
    serde_json::from_value(heard).expect("a list of strings")
}

/// Spins the wheels with Pick and waits for the reveal, with a screenshot mid-spin (named
/// `spin_shot`, when given) and one of the reveal.
fn pick_and_reveal(window: &Window, spin_shot: Option<&str>, reveal_shot: &str) {
    window.click("#pick", SOON);
    if let Some(name) = spin_shot {
        window.wait_for("#picker[data-spin='spinning']", SOON);
        // Show the wheels themselves, not the Pick button the click scrolled to.
        window.execute(
            "document.querySelector('#picker .wheels').scrollIntoView({block: 'center'});",
            serde_json::json!([]),
        );
        screenshot(window, name);
    }
    window.wait_for("#results #top-pick.reveal", SCREEN);
    assert!(!window.text("#top-pick .pick-title", SOON).is_empty());
    assert!(!window.text("#top-pick .pick-reason", SOON).is_empty());
    let score = window.text("#pick-score", SOON);
    assert!(
        score.starts_with("Match "),
        "the score says what it is: {score}"
    );
    screenshot(window, reveal_shot);
}

/// No horizontal scrolling: the page fits the window's width.
fn assert_fits_width(window: &Window, screen: &str) {
    let fits = window.execute(
        "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];",
        serde_json::json!([]),
    );
    let (scroll, client) = (fits[0].as_u64(), fits[1].as_u64());
    assert!(
        scroll.is_some() && scroll <= client,
        "{screen} overflows the window: {fits}"
    );
}

/// (a) Sign in and land on the picker with no click (the lone server is connected and its
/// libraries loaded without asking, though its race has failing routes), pick with filters
/// through the spinning wheels, see a correct "Watch in Plex" link; restart onto the picker with the last choices;
/// sign out onto Welcome.
#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn sign_in_connect_load_pick_restart_and_sign_out() {
    let sim = Simulator::home(1500);
    let data = tempfile::tempdir().expect("a data folder");
    let home = sim.sim.server("Home Server").expect("the home server");
    {
        let window = Window::open(&sim.env(data.path()));
        window.wait_for("#welcome", SCREEN);
        screenshot(&window, "01-welcome");
        listen_to_everything(&window);
        sign_in(&window);
        // One server: it is connected without asking and its libraries load at once, so the
        // approved sign-in lands on the picker with no click.
        window.wait_for("#picker", SCREEN);
        assert!(
            !window.exists("#servers"),
            "a lone server is not offered as a choice"
        );
        let server = window.text("#current-server", SOON);
        assert!(server.contains("Home Server"), "{server}");
        screenshot(&window, "06-picker");

        // The libraries again, chosen by hand from the header, with every route slowed so the
        // load's second phase (the shows' episodes) stays on screen long enough to be seen.
        for c in &home.connections {
            sim.sim.set_latency(&c.id, 600);
        }
        window.click("#change-libraries", SOON);
        window.click("#load-libraries", SOON);
        let phase = window.wait_for_text("#load-count", SCREEN, |t| {
            t.starts_with("Loading episodes of")
        });
        assert!(phase.contains(" shows"), "{phase}");
        screenshot(&window, "05-libraries-loading-episodes");
        for c in &home.connections {
            sim.sim.set_latency(&c.id, c.latency_ms);
        }
        window.wait_for("#picker", SCREEN);

        window.click("#wheel-format [data-value='movie']", SOON);
        window.click("#wheel-history [data-value='unwatched']", SOON);
        let sentence = window.text("#sentence", SOON);
        assert!(sentence.contains("movie"), "{sentence}");
        window.click("#more-filters", SOON);
        window.type_into("#max-minutes", "150", SOON);
        pick_and_reveal(&window, Some("06b-wheels-mid-spin"), "06c-reveal");
        // The time limit holds for every title on the screen: the top pick's runtime and each
        // alternative's.
        let top_minutes = shown_minutes(&window.text("#top-pick .pick-runtime", SOON))
            .expect("the top pick shows its runtime");
        assert!(
            top_minutes <= 150,
            "the top pick runs {top_minutes} min, over the 150 asked for"
        );
        for facts in window.texts("#results .alternative-facts") {
            let minutes = facts.split(" · ").find_map(shown_minutes);
            assert!(
                minutes.is_some_and(|m| m <= 150),
                "an alternative breaks the 150-minute limit: {facts}"
            );
        }
        let link = window
            .attribute("#watch-in-plex", "href", SOON)
            .expect("a Watch in Plex link");
        let prefix = format!(
            "https://app.plex.tv/desktop/#!/server/{}/details?key=%2Flibrary%2Fmetadata%2F",
            home.machine_identifier
        );
        assert!(link.starts_with(&prefix), "{link}");
        // "Pick again" shows a new top pick (the last one is cooling off), not the same page.
        let first = window
            .attribute("#top-pick", "data-id", SOON)
            .expect("the top pick has an id");
        window.click("#pick-again", SOON);
        let second = window.wait_until("a different top pick", SCREEN, |w| {
            w.try_attribute("#top-pick", "data-id")
                .filter(|id| *id != first)
        });
        assert_ne!(second, first);
        // "Not this one": the reason is remembered and another title comes up.
        window.click("#not-this-one", SOON);
        window.click("#reject-reasons [data-reason='too_long']", SOON);
        window.wait_until("a top pick after not this one", SCREEN, |w| {
            w.try_attribute("#top-pick", "data-id")
                .filter(|id| *id != second)
        });
        // Sign-in, connect, load, pick and "not this one" are over: nothing the window could
        // hear carried a token.
        let heard = heard(&window);
        for name in [
            "store://change",
            events::SIGN_IN,
            events::CONNECT,
            events::LOAD,
        ] {
            assert!(
                heard.iter().any(|h| h.starts_with(&format!("{name} "))),
                "the window never heard {name}: {heard:?}"
            );
        }
        let mut tokens = vec![sim.sim.account_token().to_string()];
        tokens.extend(sim.sim.servers().into_iter().map(|s| s.access_token));
        for token in &tokens {
            assert!(
                !heard.iter().any(|h| h.contains(token.as_str())),
                "a token reached the window in an event"
            );
        }

        // A show: the card names the episode to start with, and "Watch in Plex" opens that
        // episode, not the show's page.
        window.click("#back-to-wheels", SOON);
        window.click("#wheel-format [data-value='show']", SOON);
        pick_and_reveal(&window, None, "07-show-result");
        let show = window
            .attribute("#top-pick", "data-id", SOON)
            .expect("the top pick has an id");
        assert!(window
            .text("#pick-episode", SOON)
            .starts_with("Start with S"));
        let link = window
            .attribute("#watch-in-plex", "href", SOON)
            .expect("a Watch in Plex link");
        let episode = link
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{link}"))
            .to_string();
        assert_ne!(episode, show, "the link opens the show's page: {link}");
        let http = sim
            .sim
            .connection("home-local-http")
            .expect("the http route");
        let metadata: serde_json::Value = reqwest::blocking::Client::new()
            .get(format!("{}/library/metadata/{episode}", http.uri))
            .header("Accept", "application/json")
            .header("X-Plex-Token", &home.access_token)
            .send()
            .and_then(|r| r.json())
            .expect("the simulator describes the linked item");
        let item = &metadata["MediaContainer"]["Metadata"][0];
        assert_eq!(item["type"], "episode", "{metadata}");
        let parent = &item["grandparentRatingKey"];
        let parent = parent
            .as_str()
            .map(str::to_string)
            .or_else(|| parent.as_u64().map(|n| n.to_string()));
        assert_eq!(parent.as_deref(), Some(show.as_str()), "{metadata}");
    }

    // Restart: straight onto the picker, still signed in, with the last choices.
    {
        let window = Window::open(&sim.env(data.path()));
        window.wait_for("#picker", SCREEN);
        // The last pick was of shows.
        let checked = window.attribute("#wheel-format [data-value='show']", "aria-checked", SOON);
        assert_eq!(checked.as_deref(), Some("true"), "the last format is kept");
        let server = window.text("#current-server", SOON);
        assert!(server.contains("Home Server"), "{server}");
        screenshot(&window, "08-restarted-on-picker");
        window.click("#sign-out", SOON);
        window.wait_for("#welcome", SOON);
        screenshot(&window, "09-signed-out");
    }
}

/// (b) The demo: no account, no network, the same screens.
#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn the_demo_goes_from_welcome_to_a_pick() {
    let sim = Simulator::home(1500);
    let data = tempfile::tempdir().expect("a data folder");
    let window = Window::open(&sim.env(data.path()));
    window.click("#demo", SCREEN);
    window.wait_for("#picker", SOON);
    window.click("#wheel-mood [data-value='feel_good']", SOON);
    pick_and_reveal(&window, Some("10a-demo-mid-spin"), "10b-demo-results");
    assert!(window.count("#results .alternative") >= 1);
    // A demo title cannot be opened in Plex: a note says so instead of a button that fails.
    assert!(window.text("#demo-title-note", SOON).contains("Demo"));
    assert!(
        !window.exists("#watch-in-plex"),
        "no Watch in Plex in the demo"
    );

    // Reduced motion: the same steps, the wheels land and the answer is revealed.
    window.click("#back-to-wheels", SOON);
    window.click("#reduce-motion", SOON);
    window.wait_for("#main[data-motion='reduced']", SOON);
    pick_and_reveal(&window, None, "10c-demo-reduced-motion");

    // A phone-sized window: the result and the picker fit its width.
    window.set_window_size(360, 740);
    window.wait_for("#results #top-pick", SOON);
    assert_fits_width(&window, "the result at 360 px");
    screenshot(&window, "10d-result-360px");
    window.click("#back-to-wheels", SOON);
    window.wait_for("#picker", SOON);
    assert_fits_width(&window, "the picker at 360 px");
    screenshot(&window, "10e-picker-360px");

    // About shows what the backend's app_info command answers.
    window.click("#about", SOON);
    let version = window.text("#about-version", SOON);
    assert_eq!(version, format!("PlexPicker {}", env!("CARGO_PKG_VERSION")));
    assert!(window
        .text("#about-settings", SOON)
        .ends_with("settings.json"));
    screenshot(&window, "12-about");
    assert!(
        sim.sim.request_log().is_empty(),
        "the demo sent nothing to Plex"
    );
}

/// (c) A server that cannot be reached: the diagnosis appears, and Retry works once the
/// simulator lets it through.
#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn an_unreachable_server_shows_a_diagnosis_and_retry_works() {
    let sim = Simulator::home(1500);
    let data = tempfile::tempdir().expect("a data folder");
    let home = sim.sim.server("Home Server").expect("the home server");
    // Every route refuses before sign-in, so the automatic connect to the lone server fails.
    sim.set_all_faults("Home Server", plex_sim::Fault::Refuse);
    let window = Window::open(&sim.env(data.path()));
    sign_in(&window);
    window.wait_for("#diagnosis", SCREEN);
    assert!(window.count("#diagnosis .candidate") >= home.connections.len());
    screenshot(&window, "04-diagnosis");
    sim.set_all_faults("Home Server", plex_sim::Fault::None);
    window.click("#retry", SOON);
    window.wait_for("#picker", SCREEN);
}

/// (d) A damaged settings file: the app starts and says so.
#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn a_damaged_settings_file_is_reported() {
    let sim = Simulator::home(1500);
    let data = tempfile::tempdir().expect("a data folder");
    std::fs::write(data.path().join("settings.json"), b"{ this is not json").expect("write");
    let window = Window::open(&sim.env(data.path()));
    let notice = window.text("#notice", SCREEN);
    assert!(notice.contains("damaged"), "{notice}");
    window.wait_for("#welcome", SOON);
    screenshot(&window, "11-damaged-settings");
}

/// The installed app (`cargo xtask bundle --check` sets PLEXPICKER_E2E_APP) starts and shows
/// its welcome screen.
#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn installed_app_shows_the_welcome_screen() {
    let data = tempfile::tempdir().expect("a data folder");
    let env = vec![(
        "PLEXPICKER_DATA_DIR".to_string(),
        data.path().display().to_string(),
    )];
    let window = Window::open(&env);
    window.wait_for("#welcome", SCREEN);
    assert!(window.exists("#sign-in"));
    assert_eq!(window.title(), "PlexPicker");
    screenshot(&window, "00-installed-welcome");
}
