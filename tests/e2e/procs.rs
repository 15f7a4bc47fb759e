//! The processes the end-to-end test starts: Xvfb and tauri-driver. Each is stopped by its
//! process id when its guard drops, also when the test fails.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The X display the app runs on: the caller's, or a private Xvfb we started.
pub struct Display {
    name: String,
    xvfb: Option<Child>,
}

impl Display {
    /// Uses `$DISPLAY` when set, otherwise starts Xvfb on a free display number.
    pub fn ensure() -> Self {
        if let Some(name) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
            return Self { name, xvfb: None };
        }
        let number = (99..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("no free X display number between :99 and :199");
        let name = format!(":{number}");
        let xvfb = Command::new("Xvfb")
            .args([
                name.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("could not start Xvfb: install the xvfb package (`cargo xtask test` does)");
        let socket = format!("/tmp/.X11-unix/X{number}");
        let display = Self {
            name,
            xvfb: Some(xvfb),
        };
        wait_until(Duration::from_secs(20), "Xvfb to open its socket", || {
            Path::new(&socket).exists()
        });
        display
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(child) = self.xvfb.as_mut() {
            stop(child);
        }
    }
}

/// tauri-driver, which starts WebKitWebDriver, which starts the app.
pub struct TauriDriver {
    child: Child,
    port: u16,
}

impl TauriDriver {
    /// Starts tauri-driver; the app it launches inherits `env` (how the tests point the app at
    /// the simulator and a private data folder).
    pub fn start(display: &str, env: &[(String, String)]) -> Self {
        let port = free_port();
        let native_port = free_port();
        let child = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", display)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("could not start tauri-driver: run `cargo xtask test`, which installs it");
        let driver = Self { child, port };
        // Both tauri-driver and the WebKitWebDriver it starts: a session asked for before the
        // second listens fails and is asked for again half a second later, which would count
        // in the measured launch times.
        for (what, port) in [
            ("tauri-driver to listen", port),
            ("WebKitWebDriver to listen", native_port),
        ] {
            wait_until(Duration::from_secs(30), what, || {
                TcpStream::connect_timeout(
                    &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                    Duration::from_millis(200),
                )
                .is_ok()
            });
        }
        driver
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: tauri-driver then stops the WebKitWebDriver it started.
        stop(&mut self.child);
    }
}

/// Sends SIGTERM to `child` by its id and waits for it, escalating to SIGKILL after 5 s.
fn stop(child: &mut Child) {
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on loopback")
}

/// Polls `ready` every 100 ms until it holds, failing the test after `timeout`.
pub fn wait_until(timeout: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
