//! Installs what PlexPicker's build needs and is missing, idempotently.
//!
//! Each check is a quick command, so a run on a machine that has everything costs about a
//! second. What cannot be installed from here ends the task with one line saying what to do.

use std::process::Command;

use crate::cmd::{self, fail, Result};

/// The Debian/Ubuntu packages the app, its build and the end-to-end test need.
pub const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libsoup-3.0-dev",
    "xvfb",
    "webkit2gtk-driver",
    // The secret store's tests run against a real Secret Service: gnome-keyring inside its own
    // `dbus-run-session` (dbus-daemon ships that command).
    "gnome-keyring",
    "dbus",
    "dbus-daemon",
    // `plexpicker-cli pick --finish-by` reads the local time zone; its test needs the zone data.
    "tzdata",
];

/// Debian packages for checking the app for Android without the NDK: Debian's clang compiles
/// ring's C for the target and llvm's `llvm-ar` archives it.
pub const MOBILE_APT_PACKAGES: &[&str] = &["clang", "llvm"];
/// The Android target `cargo xtask test` checks the app for.
pub const ANDROID_TARGET: &str = "aarch64-linux-android";

/// Trunk 0.22 needs a newer rustc than some machines have; 0.21.14 is known to work.
pub const TRUNK_VERSION: &str = "0.21.14";
/// The WebDriver bridge for Tauri windows.
pub const TAURI_DRIVER_VERSION: &str = "2.1.0";
/// The accessibility engine the end-to-end tests inject into every screen they visit.
pub const AXE_CORE_VERSION: &str = "4.14.1";
/// Mutation testing for `cargo xtask mutants`.
pub const CARGO_MUTANTS_VERSION: &str = "27.1.0";
/// The real Plex client the simulator's fidelity test and the load benchmark compare against.
pub const PLEXAPI_VERSION: &str = "4.18.3";
/// The official OpenAI client the fake provider's fidelity test talks to (same venv).
pub const OPENAI_VERSION: &str = "3.57.0";

/// What a task needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// System libraries, Xvfb and WebKitWebDriver.
    SystemPackages,
    /// The wasm32 target, Trunk and wasm-bindgen: everything to build the UI.
    UiToolchain,
    /// tauri-driver, for the end-to-end test.
    TauriDriver,
    /// A Python with python-plexapi, for the fidelity test and the load benchmark.
    PlexApi,
    /// The Tauri CLI (npm's prebuilt `@tauri-apps/cli`), for bundles and `tauri dev`.
    TauriCli,
    /// cargo-mutants, for `cargo xtask mutants`.
    Mutants,
    /// axe-core from npm, for the end-to-end tests' accessibility checks.
    AxeCore,
    /// clang, llvm and the Android target, to check the app for Android (no NDK needed).
    MobileToolchain,
}

/// Installs everything in `needs` that is missing.
pub fn ensure(needs: &[Need]) -> Result {
    cmd::add_cargo_bin_to_path();
    for need in needs {
        match need {
            Need::SystemPackages => system_packages()?,
            Need::UiToolchain => {
                wasm_target()?;
                trunk()?;
                wasm_bindgen()?;
            }
            Need::TauriDriver => tauri_driver()?,
            Need::PlexApi => plexapi()?,
            Need::TauriCli => tauri_cli()?,
            Need::Mutants => cargo_tool("cargo-mutants", CARGO_MUTANTS_VERSION, true)?,
            Need::AxeCore => axe_core()?,
            Need::MobileToolchain => {
                apt_packages(MOBILE_APT_PACKAGES)?;
                rust_target(ANDROID_TARGET)?;
            }
        }
    }
    Ok(())
}

fn system_packages() -> Result {
    apt_packages(APT_PACKAGES)
}

/// Installs the Debian packages of `packages` that are missing.
fn apt_packages(packages: &[&str]) -> Result {
    if !cmd::exists("dpkg-query") {
        return fail(format!(
            "this is not a Debian/Ubuntu machine: install the equivalents of {} with your package manager, then run again",
            packages.join(" ")
        ));
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|pkg| {
            cmd::output(Command::new("dpkg-query").args(["-W", "-f=${db:Status-Status}", pkg]))
                .as_deref()
                != Some("installed")
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    let sudo = if is_root() {
        None
    } else if Command::new("sudo")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        Some("sudo")
    } else {
        return fail(format!(
            "missing system packages: run `sudo apt-get update && sudo apt-get install -y {list}`, then run again"
        ));
    };
    let apt = |args: &[&str]| {
        let mut command = match sudo {
            Some(sudo) => {
                let mut c = Command::new(sudo);
                c.arg("apt-get");
                c
            }
            None => Command::new("apt-get"),
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    cmd::run("apt-get update", &mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    cmd::run(&format!("installing {list}"), &mut install).map_err(|_| {
        cmd::Error(format!(
            "could not install {list}: run `sudo apt-get install -y {list}` yourself, then run again"
        ))
    })
}

fn is_root() -> bool {
    cmd::output(Command::new("id").arg("-u")).as_deref() == Some("0")
}

fn wasm_target() -> Result {
    rust_target("wasm32-unknown-unknown")
}

fn rust_target(target: &str) -> Result {
    let installed = cmd::output(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == target) => Ok(()),
        Some(_) => cmd::run(
            &format!("adding the {target} target"),
            Command::new("rustup").args(["target", "add", target]),
        ),
        None => fail(format!(
            "rustup was not found: install the {target} target for your Rust toolchain, then run again"
        )),
    }
}

/// The Tauri CLI version, equal to the tauri crate's minor release line.
pub const TAURI_CLI_VERSION: &str = "2.12.5";

/// The Tauri CLI, installed from npm into target/tauri-cli (prebuilt: seconds, not minutes).
pub fn tauri_cli_path() -> std::path::PathBuf {
    cmd::root().join("target/tauri-cli/node_modules/.bin/tauri")
}

fn tauri_cli() -> Result {
    let cli = tauri_cli_path();
    if cmd::output(Command::new(&cli).arg("--version"))
        .is_some_and(|v| v.ends_with(TAURI_CLI_VERSION))
    {
        return Ok(());
    }
    npm_package(
        "the Tauri CLI",
        "@tauri-apps/cli",
        TAURI_CLI_VERSION,
        "target/tauri-cli",
        "or run `cargo install tauri-cli --locked`",
    )
}

/// axe-core's script, as the end-to-end tests read it (tests/e2e/main.rs names the same path).
pub fn axe_core_path() -> std::path::PathBuf {
    cmd::root().join("target/axe/node_modules/axe-core/axe.min.js")
}

fn axe_core() -> Result {
    let package = cmd::root().join("target/axe/node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&package)
        .is_ok_and(|json| json.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")));
    if installed && axe_core_path().exists() {
        return Ok(());
    }
    npm_package(
        "axe-core",
        "axe-core",
        AXE_CORE_VERSION,
        "target/axe",
        "`sudo apt-get install -y npm`",
    )
}

/// Installs the npm `package` at `version` into `prefix` (under the workspace root), saying
/// `what` it is; `instead` is what to do when npm is missing.
fn npm_package(what: &str, package: &str, version: &str, prefix: &str, instead: &str) -> Result {
    if !cmd::exists("npm") {
        return fail(format!(
            "{what} comes from npm, which was not found: install Node.js ({instead}), then run again"
        ));
    }
    let prefix = cmd::root().join(prefix);
    std::fs::create_dir_all(&prefix)
        .map_err(|e| cmd::Error(format!("could not create {}: {e}", prefix.display())))?;
    cmd::run(
        &format!("installing {what} {version} (once)"),
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&prefix)
            .args([
                "--no-audit",
                "--no-fund",
                "--silent",
                &format!("{package}@{version}"),
            ]),
    )
}

/// Installs `krate` at `version` with `cargo install` unless that exact version is already
/// installed there.
fn cargo_tool(krate: &str, version: &str, locked: bool) -> Result {
    let list = cmd::output(cmd::cargo().args(["install", "--list"])).unwrap_or_default();
    if list
        .lines()
        .any(|line| line.starts_with(&format!("{krate} v{version}:")))
    {
        return Ok(());
    }
    let mut install = cmd::cargo();
    install.args(["install", "--quiet", &format!("{krate}@{version}")]);
    if locked {
        install.arg("--locked");
    }
    cmd::run(
        &format!("installing {krate} {version} (once)"),
        &mut install,
    )
}

fn trunk() -> Result {
    cargo_tool("trunk", TRUNK_VERSION, true)
}

/// wasm-bindgen-cli must match the wasm-bindgen library in Cargo.lock exactly, and Trunk must
/// be told the same version, or Trunk would try to download one.
fn wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    let trunk_toml = std::fs::read_to_string(cmd::root().join("ui/Trunk.toml"))
        .map_err(|err| cmd::Error(format!("could not read ui/Trunk.toml: {err}")))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")) {
        return fail(format!(
            "ui/Trunk.toml must say wasm_bindgen = \"{version}\" under [tools], as Cargo.lock does: edit it, then run again"
        ));
    }
    // The CLI's own lock file pins crates that no longer build with every rustc: no --locked.
    cargo_tool("wasm-bindgen-cli", &version, false)
}

fn tauri_driver() -> Result {
    cargo_tool("tauri-driver", TAURI_DRIVER_VERSION, true)
}

/// The version of `package` that Cargo.lock pins.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(cmd::root().join("Cargo.lock"))
        .map_err(|err| cmd::Error(format!("could not read Cargo.lock: {err}")))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_string());
            }
        }
    }
    fail(format!(
        "Cargo.lock has no {package}: run `cargo fetch`, then run again"
    ))
}

/// The Python that has python-plexapi: a virtual environment under target/, made on first use.
pub fn python() -> std::path::PathBuf {
    cmd::root().join("target/python/bin/python")
}

fn plexapi() -> Result {
    let python = python();
    let has_plexapi = |python: &std::path::Path| {
        cmd::output(Command::new(python).args([
            "-c",
            "import plexapi, openai, sys; sys.stdout.write(plexapi.VERSION + ' ' + openai.__version__)",
        ]))
        .is_some_and(|v| v == format!("{PLEXAPI_VERSION} {OPENAI_VERSION}"))
    };
    if has_plexapi(&python) {
        return Ok(());
    }
    if !cmd::exists("python3") {
        // The fidelity test is part of `cargo xtask test`, which names this Python: without it
        // the test fails, so say so now rather than promise a skip.
        return fail(
            "python3 was not found; the python-plexapi fidelity test needs it: run `sudo apt-get install -y python3 python3-venv`, then run again",
        );
    }
    let venv = cmd::root().join("target/python");
    if !python.exists() {
        cmd::run(
            "making a Python environment for python-plexapi",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )
        .map_err(|_| {
            cmd::Error(
                "python3 could not make a virtual environment: run `sudo apt-get install -y python3-venv`, then run again"
                    .into(),
            )
        })?;
    }
    cmd::run(
        &format!("installing python-plexapi {PLEXAPI_VERSION} and openai {OPENAI_VERSION} (once)"),
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("plexapi=={PLEXAPI_VERSION}"),
            &format!("openai=={OPENAI_VERSION}"),
        ]),
    )
}
