//! Printing: plain-text tables and JSON lines on stdout. The shapes themselves (documented in
//! README.md) are the core's reports ([`plexpicker_core::report`]).

use std::io::Write as _;

/// `println!` that ignores a closed stdout (`plexpicker-cli pick | head -1` must not panic).
#[macro_export]
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout());
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!` that ignores a closed stdout.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

use plexpicker_core::plex::Diagnosis;
use plexpicker_core::report::{locality_id, security_text};
use serde::Serialize;

/// Prints a value as one line of JSON on stdout.
pub fn json_line<T: Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(s) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{s}");
            let _ = out.flush();
        }
        Err(e) => eprintln!("error: cannot encode the output: {e}"),
    }
}

/// A left-aligned text table with a header row; columns sized to their widest cell.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Self {
        Table {
            rows: vec![headers.iter().map(|h| h.to_string()).collect()],
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The rendered table, one line per row, no trailing spaces.
    pub fn render(&self) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0usize; cols];
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        for r in &self.rows {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(c);
                if i + 1 < r.len() {
                    let pad = widths[i].saturating_sub(c.chars().count());
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// The diagnosis as a table: URI, route, security, outcome.
pub fn diagnosis_table(d: &Diagnosis) -> String {
    let mut t = Table::new(&["#", "URI", "ROUTE", "SECURITY", "OUTCOME"]);
    for c in &d.candidates {
        let uri = match &c.direct_ip {
            Some(ip) => format!("{} (via {ip})", c.uri),
            None => c.uri.clone(),
        };
        t.row(vec![
            c.rank.to_string(),
            uri,
            locality_id(c.locality).to_string(),
            security_text(c.security).to_string(),
            c.outcome.to_string(),
        ]);
    }
    t.render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plexpicker_core::plex::{CandidateReport, Locality, Outcome, Security};

    #[test]
    fn table_aligns_without_trailing_spaces() {
        let mut t = Table::new(&["A", "LONGER"]);
        t.row(vec!["wide cell".into(), "x".into()]);
        assert_eq!(t.render(), "A          LONGER\nwide cell  x\n");
    }

    #[test]
    fn diagnosis_tables_name_the_route_and_the_outcome() {
        let c = CandidateReport {
            rank: 2,
            uri: "https://a".into(),
            direct_ip: Some("127.0.0.3".into()),
            locality: Locality::Remote,
            security: Security::VerifiedHttps,
            outcome: Outcome::Connected { latency_ms: 12 },
        };
        let d = Diagnosis {
            server: "S".into(),
            machine_identifier: "m".into(),
            candidates: vec![c],
        };
        let table = diagnosis_table(&d);
        assert!(table.contains("https://a (via 127.0.0.3)"));
        assert!(table.contains("remote"));
        assert!(table.contains("https (verified)"));
        assert!(table.contains("connected in 12 ms"));
    }
}
