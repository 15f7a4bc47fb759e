//! End-to-end test of the real window: builds the real app (with the UI embedded), starts it
//! under Xvfb when there is no display, drives it through tauri-driver and WebKitWebDriver, and
//! saves screenshots under `target/e2e/`.
//!
//! It is `#[ignore]`d in a plain `cargo test` because it needs the UI built into `ui/dist` and
//! the `custom-protocol` feature; `cargo xtask test` provides both and runs it.

mod procs;
mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use procs::{Display, TauriDriver};
use webdriver::Session;

/// The app binary Cargo built for this test run.
fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_plexpicker"))
}

fn screenshots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e")
}

fn preconditions() {
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

#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn the_window_shows_what_the_backend_says() {
    preconditions();
    let display = Display::ensure();
    let driver = TauriDriver::start(display.name());
    let session = Session::start(driver.url(), &app_binary());

    // Yew renders after the wasm loads, and the status changes once `app_info` answers:
    // poll until it says something other than the placeholder.
    let status = session.wait_for_text("#app-status", Duration::from_secs(60), |text| {
        text != "Starting…" && !text.is_empty()
    });
    let expected = format!("PlexPicker {}", env!("CARGO_PKG_VERSION"));
    session.save_screenshot(&screenshots_dir().join("app-info.png"));
    assert_eq!(
        status, expected,
        "the window should show the app_info command's answer"
    );
    let title = session.title();
    assert_eq!(title, "PlexPicker", "the page title");
    let heading = session.wait_for_text("h1", Duration::from_secs(5), |t| !t.is_empty());
    assert_eq!(heading, "PlexPicker");

    session.end();
    drop(driver);
    drop(display);
}
