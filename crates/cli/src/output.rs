//! Plain-text tables and the stable JSON shapes (documented in README.md).

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

use plexpicker_core::plex::{CandidateReport, Diagnosis, Locality, Ownership, Security, Server};
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

/// `owned`, `home`, `shared by alice`.
pub fn ownership_text(o: &Ownership) -> String {
    match o {
        Ownership::Owned => "owned".into(),
        Ownership::Home { .. } => "home".into(),
        Ownership::Shared { owner: Some(n) } => format!("shared by {n}"),
        Ownership::Shared { owner: None } => "shared".into(),
    }
}

/// A server as `servers --json` lists it (no token, ever).
#[derive(Debug, Serialize)]
pub struct ServerView {
    /// Friendly name.
    pub name: String,
    /// Machine identifier.
    pub machine_identifier: String,
    /// `{"kind":"owned"}`, `{"kind":"home","owner":..}`, `{"kind":"shared","owner":"alice"}`.
    pub ownership: Ownership,
    /// plex.tv sees it online (`presence`).
    pub online: bool,
    /// The server used when `--server` is not given.
    pub chosen: bool,
    /// PMS version.
    pub version: Option<String>,
    /// Number of connections plex.tv lists.
    pub connections: usize,
}

impl ServerView {
    /// The view of `s`.
    pub fn of(s: &Server, chosen: bool) -> Self {
        ServerView {
            name: s.name.clone(),
            machine_identifier: s.machine_identifier.clone(),
            ownership: s.ownership(),
            online: s.presence,
            chosen,
            version: s.product_version.clone(),
            connections: s.connections.len(),
        }
    }
}

/// A server reference in other outputs.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ServerRef {
    /// Name.
    pub name: String,
    /// Machine identifier.
    pub machine_identifier: String,
}

/// `local`, `remote`, `relay`.
pub fn locality_id(l: Locality) -> &'static str {
    match l {
        Locality::Local => "local",
        Locality::Remote => "remote",
        Locality::Relay => "relay",
    }
}

/// `verified_https`, `pinned_https`, `http`.
pub fn security_id(s: Security) -> &'static str {
    match s {
        Security::VerifiedHttps => "verified_https",
        Security::PinnedHttps => "pinned_https",
        Security::Http => "http",
    }
}

/// `https (verified)`, `https (pinned)`, `http`.
pub fn security_text(s: Security) -> &'static str {
    match s {
        Security::VerifiedHttps => "https (verified)",
        Security::PinnedHttps => "https (pinned)",
        Security::Http => "http",
    }
}

/// One candidate of a race, flattened for scripts.
#[derive(Debug, Serialize)]
pub struct CandidateView {
    /// Priority (0 is best).
    pub rank: usize,
    /// The URI (no token).
    pub uri: String,
    /// The IP dialled for a plex.direct name, when it was dialled directly.
    pub direct_ip: Option<String>,
    /// `local`, `remote`, `relay`.
    pub locality: &'static str,
    /// `verified_https`, `pinned_https`, `http`.
    pub security: &'static str,
    /// `connected`, `reachable`, `timed_out`, `refused`, `name_not_resolved`, `tls`,
    /// `wrong_server`, `http_status`, `unauthorized`, `invalid_response`, `network_error`,
    /// `skipped`, `trying`.
    pub outcome: String,
    /// For `connected` and `reachable`.
    pub latency_ms: Option<u64>,
    /// The outcome in words ("connection refused", "timed out after 5000 ms", ...).
    pub detail: String,
}

impl CandidateView {
    /// The view of one report.
    pub fn of(c: &CandidateReport) -> Self {
        use plexpicker_core::plex::Outcome;
        let outcome = serde_json::to_value(&c.outcome)
            .ok()
            .and_then(|v| v.get("outcome").and_then(|o| o.as_str()).map(String::from))
            .unwrap_or_else(|| "unknown".into());
        let latency_ms = match c.outcome {
            Outcome::Connected { latency_ms } | Outcome::Reachable { latency_ms } => {
                Some(latency_ms)
            }
            _ => None,
        };
        CandidateView {
            rank: c.rank,
            uri: c.uri.clone(),
            direct_ip: c.direct_ip.clone(),
            locality: locality_id(c.locality),
            security: security_id(c.security),
            outcome,
            latency_ms,
            detail: c.outcome.to_string(),
        }
    }
}

/// A whole diagnosis.
#[derive(Debug, Serialize)]
pub struct DiagnosisView {
    /// The server.
    pub server: ServerRef,
    /// Every candidate, best-ranked first.
    pub candidates: Vec<CandidateView>,
}

impl DiagnosisView {
    /// The view of `d`.
    pub fn of(d: &Diagnosis) -> Self {
        DiagnosisView {
            server: ServerRef {
                name: d.server.clone(),
                machine_identifier: d.machine_identifier.clone(),
            },
            candidates: d.candidates.iter().map(CandidateView::of).collect(),
        }
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
    use plexpicker_core::plex::Outcome;

    #[test]
    fn table_aligns_without_trailing_spaces() {
        let mut t = Table::new(&["A", "LONGER"]);
        t.row(vec!["wide cell".into(), "x".into()]);
        assert_eq!(t.render(), "A          LONGER\nwide cell  x\n");
    }

    #[test]
    fn candidate_view_flattens_the_outcome() {
        let c = CandidateReport {
            rank: 2,
            uri: "https://a".into(),
            direct_ip: Some("127.0.0.3".into()),
            locality: Locality::Remote,
            security: Security::VerifiedHttps,
            outcome: Outcome::Connected { latency_ms: 12 },
        };
        let v = serde_json::to_value(CandidateView::of(&c)).expect("json");
        assert_eq!(v["outcome"], "connected");
        assert_eq!(v["latency_ms"], 12);
        assert_eq!(v["locality"], "remote");
        assert_eq!(v["security"], "verified_https");
        assert_eq!(v["detail"], "connected in 12 ms");
        let d = Diagnosis {
            server: "S".into(),
            machine_identifier: "m".into(),
            candidates: vec![c],
        };
        let table = diagnosis_table(&d);
        assert!(table.contains("https://a (via 127.0.0.3)"));
        assert!(table.contains("connected in 12 ms"));
    }

    #[test]
    fn ownership_words() {
        assert_eq!(ownership_text(&Ownership::Owned), "owned");
        assert_eq!(
            ownership_text(&Ownership::Shared {
                owner: Some("bob".into())
            }),
            "shared by bob"
        );
        assert_eq!(ownership_text(&Ownership::Home { owner: None }), "home");
    }
}
