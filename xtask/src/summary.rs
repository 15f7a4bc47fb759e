//! Runs `cargo test` while adding up the counts from its `test result:` lines, so `xtask test`
//! can close with one total.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::cmd::{fail, Error, Result};

/// Test counts added up over several `cargo test` runs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl Totals {
    /// Adds the counts of one `test result: ...` line; other lines are ignored.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }
}

/// Runs a `cargo test` command, echoing its output live, and adds its counts to `totals`.
pub fn run_tests(what: &str, command: &mut Command, totals: &mut Totals) -> Result {
    println!("\n==> {what}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| Error(format!("{what}: could not start cargo: {err}")))?;
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout().lock();
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            totals.add_line(&line);
            let _ = writeln!(out, "{line}");
        }
    }
    let status = child
        .wait()
        .map_err(|err| Error(format!("{what}: {err}")))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!("{what} failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up_result_lines_and_skips_the_rest() {
        let mut totals = Totals::default();
        totals.add_line("test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        totals.add_line("running 3 tests");
        totals.add_line("test passed ... ok");
        totals.add_line(
            "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        assert_eq!(
            totals,
            Totals {
                passed: 7,
                failed: 1,
                ignored: 1
            }
        );
    }
}
