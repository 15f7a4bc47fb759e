//! The tasks behind `cargo xtask ...`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::cmd::{self, fail, Result};
use crate::prereqs::{self, Need};
use crate::summary::{self, Totals};

/// Environment variable the app, the CLI and the tests read to talk to a simulated plex.tv.
const PLEX_TV_URL_VAR: &str = "PLEXPICKER_PLEX_TV_URL";
/// Environment variable that names the Python with python-plexapi for tests and benchmarks.
const PYTHON_VAR: &str = "PLEXPICKER_PYTHON";
/// Tells the secret store's test that a Secret Service can be started here (see
/// crates/core/tests/secret_service.rs).
const EXPECT_SECRET_SERVICE_VAR: &str = "PLEXPICKER_EXPECT_SECRET_SERVICE";

pub fn setup(args: &[String]) -> Result {
    no_args("setup", args)?;
    prereqs::ensure(&[
        Need::SystemPackages,
        Need::UiToolchain,
        Need::TauriDriver,
        Need::PlexApi,
        Need::MobileToolchain,
        Need::AxeCore,
    ])
}

pub fn run(args: &[String]) -> Result {
    let sim_scenario = match args {
        [] => None,
        [flag] if flag == "--sim" => Some("home".to_string()),
        [flag, scenario] if flag == "--sim" => Some(scenario.clone()),
        _ => return fail("usage: cargo xtask run [--sim [SCENARIO]]"),
    };
    prereqs::ensure(&[Need::SystemPackages, Need::UiToolchain])?;
    build_ui(false)?;
    let mut app = cmd::cargo();
    app.args([
        "run",
        "--package",
        "plexpicker",
        "--features",
        "custom-protocol",
    ]);
    let sim = match sim_scenario {
        Some(scenario) => {
            let sim = Simulator::start(&scenario)?;
            // No DNS: the simulator's plex.direct names are reached through the IP in their
            // first label, never looked up for real.
            app.env(PLEX_TV_URL_VAR, &sim.plex_tv_url)
                .env("SSL_CERT_FILE", &sim.ca_file)
                .env("PLEXPICKER_NO_DNS", "1");
            println!(
                "\nThe app talks to the simulator at {} (scenario `{scenario}`).",
                sim.plex_tv_url
            );
            Some(sim)
        }
        None => None,
    };
    let result = cmd::run("starting PlexPicker", &mut app);
    drop(sim);
    result
}

pub fn test(args: &[String]) -> Result {
    no_args("test", args)?;
    prereqs::ensure(&[
        Need::SystemPackages,
        Need::UiToolchain,
        Need::TauriDriver,
        Need::PlexApi,
        Need::MobileToolchain,
        Need::AxeCore,
    ])?;
    cmd::run(
        "checking formatting",
        cmd::cargo().args(["fmt", "--all", "--", "--check"]),
    )
    .map_err(|_| {
        cmd::Error("code is not formatted: run `cargo fmt --all`, then run again".into())
    })?;
    build_ui(false)?;
    cmd::run(
        "clippy (native, every crate and target)",
        cmd::cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "plexpicker/custom-protocol",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    cmd::run(
        "clippy (the UI as wasm)",
        cmd::cargo().args([
            "clippy",
            "--package",
            "plexpicker-ui",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    cmd::run(
        "checking the app and every crate it uses for Android (aarch64-linux-android)",
        &mut android_check(),
    )?;

    let mut totals = Totals::default();
    let mut workspace = cmd::cargo();
    workspace
        .args([
            "test",
            "--workspace",
            "--features",
            "plexpicker/custom-protocol",
        ])
        .env(PYTHON_VAR, prereqs::python())
        // setup installed gnome-keyring and dbus: the secret store's test must find a real
        // Secret Service (it starts one in its own D-Bus session) or fail, never skip.
        .env(EXPECT_SECRET_SERVICE_VAR, "1");
    summary::run_tests("every test in the workspace", &mut workspace, &mut totals)?;
    // The end-to-end test is #[ignore]d in plain `cargo test` (it needs the UI built and a
    // display); it runs here, where both are guaranteed.
    let ignored_before = totals.ignored;
    let mut e2e = e2e_tests(None);
    summary::run_tests("end-to-end test of the real window", &mut e2e, &mut totals)?;
    totals.ignored = ignored_before;

    println!("\nAll checks passed.");
    println!("xtask: {} passed, {} failed", totals.passed, totals.failed);
    Ok(())
}

/// `cargo check` of the app crate (and so of every crate it depends on) for 64-bit ARM
/// Android. Debian's clang stands in for the NDK's: ring's C is the only C in the graph, and
/// it builds freestanding with these flags (set for this command only).
fn android_check() -> std::process::Command {
    let mut check = cmd::cargo();
    check
        .args([
            "check",
            "--package",
            "plexpicker",
            "--target",
            prereqs::ANDROID_TARGET,
        ])
        .env("CC_aarch64_linux_android", "clang")
        .env("AR_aarch64_linux_android", "llvm-ar")
        .env(
            "CFLAGS_aarch64_linux_android",
            "--target=aarch64-linux-android24 -ffreestanding -nostdlibinc -DRING_CORE_NOSTDLIBINC=1",
        );
    check
}

/// Release bundles (.deb and .rpm on Linux) through the Tauri CLI, then, with `--check`,
/// installs the .deb and proves the installed app starts and shows the welcome screen.
pub fn bundle(args: &[String]) -> Result {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return fail("usage: cargo xtask bundle [--check]"),
    };
    prereqs::ensure(&[Need::SystemPackages, Need::UiToolchain, Need::TauriCli])?;
    let bundles = if cfg!(target_os = "linux") {
        "deb,rpm"
    } else if cfg!(target_os = "macos") {
        "app,dmg"
    } else {
        "msi,nsis"
    };
    cmd::run(
        &format!("building release bundles ({bundles})"),
        cmd::program(&prereqs::tauri_cli_path().to_string_lossy()).args([
            "build",
            "--ci",
            "--bundles",
            bundles,
        ]),
    )?;
    let dir = cmd::root().join("target/release/bundle");
    println!(
        "
Bundles are in {}",
        dir.display()
    );
    if !check {
        return Ok(());
    }
    let deb = std::fs::read_dir(dir.join("deb"))
        .ok()
        .and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "deb"))
        })
        .ok_or_else(|| cmd::Error("no .deb was built".into()))?;
    cmd::run(
        "installing the .deb",
        cmd::program("dpkg").arg("-i").arg(&deb),
    )?;
    prereqs::ensure(&[Need::TauriDriver, Need::AxeCore])?;
    cmd::run(
        "starting the installed app and looking for the welcome screen",
        e2e_tests(Some("installed_app_shows_the_welcome_screen"))
            .env("PLEXPICKER_E2E_APP", "/usr/bin/plexpicker"),
    )
}

/// `cargo test` of the end-to-end tests (all, or the one named), one at a time: they are
/// `#[ignore]`d in a plain `cargo test` because they need the UI built and a display.
fn e2e_tests(only: Option<&str>) -> std::process::Command {
    let mut command = cmd::cargo();
    command.args([
        "test",
        "--package",
        "plexpicker",
        "--features",
        "custom-protocol",
        "--test",
        "e2e",
    ]);
    if let Some(name) = only {
        command.arg(name);
    }
    command.args(["--", "--ignored", "--test-threads=1"]);
    if only.is_some() {
        command.arg("--exact");
    }
    command
}

pub fn sim(args: &[String]) -> Result {
    let mut sim = cmd::cargo();
    sim.args(["run", "--quiet", "--package", "plex-sim", "--"])
        .args(args);
    cmd::run("starting the Plex simulator (Ctrl-C stops it)", &mut sim)
}

pub fn bench(args: &[String]) -> Result {
    no_args("bench", args)?;
    prereqs::ensure(&[Need::PlexApi])?;
    let python = prereqs::python();
    for (what, package, example) in [
        (
            "picker: one pick over 100,000 titles",
            "picker",
            "bench_pick",
        ),
        (
            "connection race: dead and hanging candidates vs the working one alone",
            "plex-client",
            "bench_race",
        ),
        (
            "library load: 50,000 movies, PlexPicker vs python-plexapi",
            "plex-client",
            "bench_load",
        ),
        (
            "AI curation: prompt size and our time around the model call (fake provider)",
            "curator",
            "bench_curate",
        ),
        (
            "CLI: plexpicker-cli pick as a whole process, from the server and from the cache",
            "plexpicker-cli",
            "bench_cli",
        ),
    ] {
        if example == "bench_cli" {
            // The example runs the release binary itself, as a person would.
            cmd::run(
                "building the release CLI",
                cmd::cargo().args(["build", "--release", "--package", "plexpicker-cli"]),
            )?;
        }
        cmd::run(
            what,
            cmd::cargo()
                .args([
                    "run",
                    "--quiet",
                    "--release",
                    "--package",
                    package,
                    "--example",
                    example,
                ])
                .env(PYTHON_VAR, &python),
        )?;
    }
    app_measurements()
}

/// Launch time and memory of the release app in its window (tests/measure).
fn app_measurements() -> Result {
    prereqs::ensure(&[Need::SystemPackages, Need::UiToolchain, Need::TauriDriver])?;
    build_ui(true)?;
    cmd::run(
        "building the release app",
        cmd::cargo().args([
            "build",
            "--release",
            "--package",
            "plexpicker",
            "--features",
            "custom-protocol",
        ]),
    )?;
    cmd::run(
        "app: launch time and memory in the real window",
        cmd::cargo()
            .args([
                "test",
                "--package",
                "plexpicker",
                "--test",
                "measure",
                "--",
                "--ignored",
                "--nocapture",
            ])
            .env(
                "PLEXPICKER_E2E_APP",
                cmd::root().join("target/release/plexpicker"),
            ),
    )
}

/// Builds the UI into ui/dist with Trunk (offline; see ui/Trunk.toml).
fn build_ui(release: bool) -> Result {
    let mut trunk = cmd::program("trunk");
    trunk
        .current_dir(cmd::root().join("ui"))
        .args(["build", "--offline"]);
    if release {
        trunk.arg("--release");
    }
    cmd::run("building the UI with Trunk", &mut trunk)
}

fn no_args(task: &str, args: &[String]) -> Result {
    if args.is_empty() {
        Ok(())
    } else {
        fail(format!(
            "`cargo xtask {task}` takes no arguments (got `{}`)",
            args.join(" ")
        ))
    }
}

/// The Plex simulator running as a child process for `xtask run --sim`; stopped on drop.
struct Simulator {
    child: Child,
    plex_tv_url: String,
    ca_file: String,
}

impl Simulator {
    fn start(scenario: &str) -> Result<Self> {
        println!("\n==> starting the Plex simulator (scenario `{scenario}`)");
        let mut child = cmd::cargo()
            .args(["run", "--quiet", "--package", "plex-sim", "--", scenario])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|err| cmd::Error(format!("could not start the Plex simulator: {err}")))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return fail("could not read the Plex simulator's output");
        };
        let mut lines = BufReader::new(stdout).lines();
        let (mut plex_tv_url, mut ca_file) = (None, None);
        for line in lines.by_ref().map_while(|l| l.ok()) {
            println!("  sim | {line}");
            if let Some(url) = line.strip_prefix("PLEX_TV_URL=") {
                plex_tv_url = Some(url.to_string());
            } else if let Some(path) = line.strip_prefix("SSL_CERT_FILE=") {
                ca_file = Some(path.to_string());
            }
            if plex_tv_url.is_some() && ca_file.is_some() {
                break;
            }
        }
        let (Some(plex_tv_url), Some(ca_file)) = (plex_tv_url, ca_file) else {
            let _ = child.kill();
            let _ = child.wait();
            return fail("the Plex simulator stopped before saying where it listens: run `cargo xtask sim` to see why");
        };
        // Keep echoing what the simulator says, so requests show up while you use the app.
        std::thread::spawn(move || {
            for line in lines.map_while(|l| l.ok()) {
                println!("  sim | {line}");
            }
        });
        Ok(Self {
            child,
            plex_tv_url,
            ca_file,
        })
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_that_take_no_arguments_refuse_them() {
        assert!(no_args("test", &[]).is_ok());
        let err = no_args("test", &["--fast".to_string()]).unwrap_err();
        assert_eq!(
            err.0,
            "`cargo xtask test` takes no arguments (got `--fast`)"
        );
    }
}
