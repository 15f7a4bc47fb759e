//! `cargo xtask`: builds, tests, runs and measures PlexPicker.
//!
//! Every task first installs what it needs and is missing (see [`prereqs`]), so a fresh
//! Debian/Ubuntu machine with Rust needs no other setup.

mod cmd;
mod mutants;
mod prereqs;
mod summary;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  run [--sim [SCENARIO]]   install what is missing, build the UI and start the app
                           (--sim: start the Plex simulator too and point the app at it)
  test                     install what is missing, then fmt, clippy, every test, and the
                           end-to-end test of the real window
  sim [SCENARIO|FILE]      start the Plex simulator (built-ins: home, friends, hostile)
  bench                    run the benchmarks and print their figures
  bundle [--check]         build release bundles (.deb, .rpm); --check installs the .deb
                           and proves the installed app shows its welcome screen
  mutants [FILE...] [-- OPTIONS]
                           mutation testing (cargo-mutants) of the security- and
                           data-critical files, or of the files named; options after --
                           go to cargo-mutants (e.g. --re NAME); not part of test
  setup                    only install what is missing
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match task.as_str() {
        "run" => tasks::run(rest),
        "test" => tasks::test(rest),
        "sim" => tasks::sim(rest),
        "bench" => tasks::bench(rest),
        "bundle" => tasks::bundle(rest),
        "setup" => tasks::setup(rest),
        "mutants" => mutants::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("xtask: unknown task `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: {err}");
            ExitCode::FAILURE
        }
    }
}
