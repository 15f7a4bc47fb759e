//! `cargo xtask mutants [FILE…] [-- OPTIONS]`: mutation testing of the security- and
//! data-critical code with cargo-mutants (pinned, installed on first use); OPTIONS go to
//! cargo-mutants itself (`--re NAME` re-runs only the mutants named). Too slow for
//! `cargo xtask test` on 2 cores; run it before changing these files' tests, and record the
//! summary in docs/TESTING.md.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cmd::{self, fail, Result};
use crate::prereqs::{self, Need};

/// Tells the secret store's test that a Secret Service can be started here (the variable
/// `cargo xtask test` sets too; see crates/core/tests/secret_service.rs).
const EXPECT_SECRET_SERVICE_VAR: &str = "PLEXPICKER_EXPECT_SECRET_SERVICE";

/// Where the mutants are built, kept between runs: cargo-mutants copies the tree to a new
/// temporary folder each run and would otherwise build every dependency again there.
const BUILD_DIR: &str = "target/mutants-build";

/// The files mutated when none are named: token attachment and the race's rules, TLS
/// acceptance and pinning, paging limits, settings and secret storage and their writes, the
/// poster id filter, the picker's filters and cool-offs. A path that does not exist (yet) is
/// left out with a note.
pub const CRITICAL_FILES: &[&str] = &[
    // The race's rules (which route may receive the token), probing and the race loop.
    "crates/plex-client/src/race/candidates.rs",
    "crates/plex-client/src/race/mod.rs",
    "crates/plex-client/src/race/probe.rs",
    "crates/plex-client/src/race/run.rs",
    "crates/plex-client/src/tls.rs",
    // The one place a token is attached, and the fingerprints pins are made of.
    "crates/plex-client/src/auth.rs",
    "crates/plex-client/src/fingerprint.rs",
    "crates/plex-client/src/library.rs",
    "crates/cli/src/settings.rs",
    "src-tauri/src/settings.rs",
    // Settings, secrets and their writes live in the core now.
    "crates/core/src/fs.rs",
    "crates/core/src/secrets.rs",
    "crates/core/src/settings.rs",
    "crates/core/src/migrate.rs",
    "crates/core/src/history.rs",
    "crates/ipc/src/lib.rs",
    "crates/picker/src/filters.rs",
    "crates/picker/src/history.rs",
];

/// What cargo-mutants writes, one mutant a line, per outcome.
const OUTCOMES: [&str; 4] = ["caught", "missed", "timeout", "unviable"];

pub fn run(args: &[String]) -> Result {
    // SystemPackages: dbus and gnome-keyring, for the secret store's test (below).
    prereqs::ensure(&[Need::Mutants, Need::SystemPackages])?;
    let root = cmd::root();
    let (args, extra) = split_extra(args);
    let files: Vec<String> = if args.is_empty() {
        CRITICAL_FILES
            .iter()
            .filter(|f| {
                let there = root.join(f).exists();
                if !there {
                    println!("note: {f} does not exist, so it is not mutated");
                }
                there
            })
            .map(|f| f.to_string())
            .collect()
    } else {
        args.to_vec()
    };
    if files.is_empty() {
        return fail("no file to mutate");
    }
    let out = root.join("target/mutants");
    let mut mutants = cmd::cargo();
    mutants
        // --workspace: the root is also a package (the app), which would otherwise be the only
        // one cargo-mutants looks at.
        .args(["mutants", "--workspace", "--no-shuffle", "--output"])
        .arg(&out)
        // One build folder for every run (mutants are built one at a time): only the mutated
        // crate rebuilds, not the dependencies.
        .env("CARGO_TARGET_DIR", root.join(BUILD_DIR))
        // As in `cargo xtask test`: the secret store's test must reach a real Secret Service
        // (it starts gnome-keyring in its own D-Bus session) or fail. Without this it would
        // pass without one, and a mutant of the keychain code would look caught or missed
        // for the wrong reason.
        .env(EXPECT_SECRET_SERVICE_VAR, "1");
    for file in &files {
        mutants.args(["--file", file]);
    }
    // After `--`: cargo-mutants' own options, e.g. `--re NAME` to re-run only the survivors.
    mutants.args(extra);
    // cargo-mutants exits 2 when a mutant survived and 3 on a timeout: that is a result to
    // report, not a failure of this task. Anything else is.
    println!("\n==> mutation testing of {} file(s)", files.len());
    let status = mutants
        .status()
        .map_err(|e| cmd::Error(format!("could not start cargo mutants: {e}")))?;
    match status.code() {
        Some(0 | 2 | 3) => {}
        Some(4) => return fail("the tests fail without any mutation: fix them first"),
        other => return fail(format!("cargo mutants failed ({other:?})")),
    }
    let summary = summarize(&out.join("mutants.out"))?;
    if summary.is_empty() {
        return fail(format!(
            "no mutant was made from {}: check the paths (relative to the workspace root)",
            files.join(", ")
        ));
    }
    print!("{}", render(&summary));
    Ok(())
}

/// The files before `--`, and what follows it (options for cargo-mutants itself).
fn split_extra(args: &[String]) -> (&[String], &[String]) {
    match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[]),
    }
}

/// Per file: how many mutants ended in each outcome, and the surviving ones.
#[derive(Debug, Default, PartialEq)]
pub struct FileSummary {
    pub counts: [usize; OUTCOMES.len()],
    pub missed: Vec<String>,
}

fn summarize(dir: &Path) -> Result<BTreeMap<String, FileSummary>> {
    let mut lists = Vec::new();
    for outcome in OUTCOMES {
        let path = dir.join(format!("{outcome}.txt"));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => return fail(format!("could not read {}: {err}", path.display())),
        };
        lists.push(text);
    }
    Ok(tally(&lists))
}

/// Tallies cargo-mutants' outcome lists (in the order of [`OUTCOMES`]); each line starts with
/// `FILE:LINE:COLUMN:`.
fn tally(lists: &[String]) -> BTreeMap<String, FileSummary> {
    let mut files: BTreeMap<String, FileSummary> = BTreeMap::new();
    for (i, list) in lists.iter().enumerate() {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let file = line.split(':').next().unwrap_or(line).to_string();
            let entry = files.entry(file).or_default();
            entry.counts[i] += 1;
            if OUTCOMES[i] == "missed" {
                entry.missed.push(line.to_string());
            }
        }
    }
    files
}

fn render(files: &BTreeMap<String, FileSummary>) -> String {
    let mut out = String::from(
        "\n| file | tried | caught | survived | timed out | unviable |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut total = [0; OUTCOMES.len()];
    for (file, s) in files {
        let [caught, missed, timeout, unviable] = s.counts;
        let tried: usize = s.counts.iter().sum();
        out.push_str(&format!(
            "| {file} | {tried} | {caught} | {missed} | {timeout} | {unviable} |\n"
        ));
        for (t, c) in total.iter_mut().zip(s.counts) {
            *t += c;
        }
    }
    let [caught, missed, timeout, unviable] = total;
    out.push_str(&format!(
        "| all | {} | {caught} | {missed} | {timeout} | {unviable} |\n",
        total.iter().sum::<usize>()
    ));
    for (file, s) in files {
        for m in &s.missed {
            out.push_str(&format!("survived in {file}: {m}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_after_a_double_dash_go_to_cargo_mutants() {
        let args: Vec<String> = ["a.rs", "b.rs", "--", "--re", "f"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (files, extra) = split_extra(&args);
        assert_eq!(files, ["a.rs", "b.rs"]);
        assert_eq!(extra, ["--re", "f"]);
        let (files, extra) = split_extra(&args[..2]);
        assert_eq!(files, ["a.rs", "b.rs"]);
        assert!(extra.is_empty());
        let (files, extra) = split_extra(&args[2..]);
        assert!(files.is_empty());
        assert_eq!(extra, ["--re", "f"]);
    }

    #[test]
    fn outcomes_are_tallied_per_file() {
        let lists = [
            "a.rs:1:2: replace f -> bool with true\na.rs:3:1: replace g with ()\nb.rs:9:9: delete !\n".to_string(),
            "a.rs:5:5: replace < with <=\n".to_string(),
            String::new(),
            "b.rs:2:2: replace h -> u8 with 0\n\n".to_string(),
        ];
        let files = tally(&lists);
        assert_eq!(files["a.rs"].counts, [2, 1, 0, 0]);
        assert_eq!(files["a.rs"].missed, ["a.rs:5:5: replace < with <="]);
        assert_eq!(files["b.rs"].counts, [1, 0, 0, 1]);
        let table = render(&files);
        assert!(table.contains("| a.rs | 3 | 2 | 1 | 0 | 0 |"), "{table}");
        assert!(table.contains("| all | 5 | 3 | 1 | 0 | 1 |"), "{table}");
        assert!(table.contains("survived in a.rs: a.rs:5:5: replace < with <="));
    }
}
