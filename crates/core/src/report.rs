//! What a one-shot front end (the CLI) prints: plain data with stable JSON shapes, built by the
//! core's use cases, so the front end only turns them into lines of text or JSON. No token,
//! ever. The window's own views are [`crate::views`].
//!
//! - [`Notice`]: what a long use case says while it works (progress lines, and notes worth
//!   knowing), through an [`OnNotice`] the front end shows or not.
//! - servers ([`ServerRow`], [`ServerRef`]), a race ([`ConnectReport`], [`CandidateRow`],
//!   [`DiagnosisReport`]), libraries ([`LibrariesReport`]), a pick ([`PickReport`],
//!   [`PickRow`] with its watch link and minutes), "not this one" ([`Rejected`]), what is
//!   watched ([`Watching`]), the AI provider ([`AiReport`]) and the moods ([`MoodRow`]).

use std::sync::Arc;

use picker::{Mood, RejectReason};
use plex_client::{
    CandidateReport, Diagnosis, Locality, Outcome, Ownership, RaceReport, Security, Server,
};
use serde::{Deserialize, Serialize};

use crate::cache::LibraryRef;
use crate::secrets::{keychain_name, Backend};

/// Something a use case says while it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A line of progress ("Loading Movies...", "Asking the model...").
    Progress(String),
    /// Something worth knowing that does not stop the work; `kind` is stable for scripts.
    Note { kind: &'static str, message: String },
}

/// Called with each [`Notice`].
pub type OnNotice = Arc<dyn Fn(Notice) + Send + Sync>;

/// An [`OnNotice`] that drops everything.
pub fn quiet() -> OnNotice {
    Arc::new(|_| {})
}

/// Says a note through `on_notice`.
pub(crate) fn note(on_notice: &OnNotice, kind: &'static str, message: String) {
    on_notice(Notice::Note { kind, message });
}

/// Where the secret store keeps tokens: the keychain's name, or the fallback file's path.
pub fn secrets_place(backend: &Backend) -> String {
    match backend {
        Backend::Keychain => keychain_name().to_string(),
        Backend::File { path, .. } => path.display().to_string(),
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

/// A server of the account, as a list shows it (no token, ever).
#[derive(Debug, Clone, Serialize)]
pub struct ServerRow {
    /// Friendly name.
    pub name: String,
    /// Machine identifier.
    pub machine_identifier: String,
    /// `{"kind":"owned"}`, `{"kind":"home","owner":..}`, `{"kind":"shared","owner":"alice"}`.
    pub ownership: Ownership,
    /// plex.tv sees it online (`presence`).
    pub online: bool,
    /// The server used when none is named.
    pub chosen: bool,
    /// PMS version.
    pub version: Option<String>,
    /// Number of connections plex.tv lists.
    pub connections: usize,
}

impl ServerRow {
    /// The row of `s`.
    pub fn of(s: &Server, chosen: bool) -> Self {
        ServerRow {
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

/// A server named in other answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRef {
    /// Name.
    pub name: String,
    /// Machine identifier.
    pub machine_identifier: String,
}

impl ServerRef {
    /// The reference to `s`.
    pub fn of(s: &Server) -> Self {
        ServerRef {
            name: s.name.clone(),
            machine_identifier: s.machine_identifier.clone(),
        }
    }
}

/// One candidate of a race, flattened for scripts.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateRow {
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

impl CandidateRow {
    /// The row of one report.
    pub fn of(c: &CandidateReport) -> Self {
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
        CandidateRow {
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

/// A whole diagnosis: the server and every candidate, best-ranked first.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosisReport {
    pub server: ServerRef,
    pub candidates: Vec<CandidateRow>,
}

impl DiagnosisReport {
    /// The report of `d`.
    pub fn of(d: &Diagnosis) -> Self {
        DiagnosisReport {
            server: ServerRef {
                name: d.server.clone(),
                machine_identifier: d.machine_identifier.clone(),
            },
            candidates: d.candidates.iter().map(CandidateRow::of).collect(),
        }
    }
}

/// True when a pinned self-signed certificate was replaced by another one.
pub fn certificate_changed(d: &Diagnosis) -> bool {
    d.candidates.iter().any(|c| {
        matches!(
            c.outcome,
            Outcome::Tls {
                failure: plex_client::TlsFailure::CertificateChanged { .. }
            }
        )
    })
}

/// The winning route of a race.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionRow {
    pub uri: String,
    pub direct_ip: Option<String>,
    /// `local`, `remote`, `relay`.
    pub locality: &'static str,
    /// `verified_https`, `pinned_https`, `http`.
    pub security: &'static str,
    pub latency_ms: u64,
    /// The remembered route answered (no race was needed).
    pub fast_path: bool,
}

/// A won race: the server, the route, any new certificate pin and every candidate.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectReport {
    pub server: ServerRef,
    pub connection: ConnectionRow,
    /// Where a self-signed certificate was pinned by this race (`host:port`).
    pub new_certificate_pin: Option<String>,
    pub candidates: Vec<CandidateRow>,
    /// Owned, home or shared, for people.
    #[serde(skip)]
    pub ownership: Ownership,
    /// The route's security, for people.
    #[serde(skip)]
    pub security: Security,
    /// The whole race, for a table.
    #[serde(skip)]
    pub diagnosis: Diagnosis,
}

impl ConnectReport {
    /// The report of a race to `server` that `report` won.
    pub fn of(server: &Server, report: &RaceReport) -> Self {
        ConnectReport {
            server: ServerRef::of(server),
            connection: ConnectionRow {
                uri: report.uri.clone(),
                direct_ip: report.direct_ip.clone(),
                locality: locality_id(report.locality),
                security: security_id(report.security),
                latency_ms: report.latency_ms,
                fast_path: report.fast_path,
            },
            new_certificate_pin: report.new_pin.as_ref().map(|p| p.place.clone()),
            candidates: report
                .diagnosis
                .candidates
                .iter()
                .map(CandidateRow::of)
                .collect(),
            ownership: server.ownership(),
            security: report.security,
            diagnosis: report.diagnosis.clone(),
        }
    }
}

/// One movie or show library with its item count.
#[derive(Debug, Clone, Serialize)]
pub struct LibraryRow {
    pub key: String,
    pub title: String,
    pub kind: plex_client::SectionKind,
    pub count: usize,
}

/// `movie` / `show`.
pub fn kind_word(k: plex_client::SectionKind) -> &'static str {
    match k {
        plex_client::SectionKind::Movie => "movie",
        plex_client::SectionKind::Show => "show",
    }
}

/// A server's movie and show libraries.
#[derive(Debug, Clone, Serialize)]
pub struct LibrariesReport {
    pub server: ServerRef,
    pub libraries: Vec<LibraryRow>,
}

/// One episode to watch.
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeRow {
    pub id: String,
    pub season: u32,
    pub index: u32,
    pub title: String,
    pub minutes: Option<u64>,
}

/// One suggestion, with its reason, its minutes and Plex Web's link to it.
#[derive(Debug, Clone, Serialize)]
pub struct PickRow {
    pub id: String,
    pub title: String,
    pub kind: picker::Kind,
    pub year: Option<u16>,
    pub score: u8,
    pub reason: String,
    pub verdict: String,
    pub facts: Vec<picker::Fact>,
    /// A movie's minutes, or the suggested episode's.
    pub minutes: Option<u64>,
    pub content_rating: Option<String>,
    pub genres: Vec<String>,
    pub library: String,
    pub episode: Option<EpisodeRow>,
    /// Plex Web's page of the title (no token in it).
    pub watch_url: String,
}

/// Milliseconds as whole minutes, rounded; nothing for an unknown or zero length.
pub fn minutes(ms: Option<u64>) -> Option<u64> {
    ms.filter(|&m| m > 0).map(|m| (m + 30_000) / 60_000)
}

impl PickRow {
    /// The row of `p`, a pick from `catalog` of the server `machine_identifier`.
    pub fn of(p: &picker::Pick, catalog: &picker::Catalog, machine_identifier: &str) -> Self {
        let t = catalog.get(&p.title_id);
        let episode = p.episode.as_ref().map(|e| EpisodeRow {
            id: e.id.to_string(),
            season: e.season,
            index: e.index,
            title: e.title.to_string(),
            minutes: minutes(e.duration_ms),
        });
        PickRow {
            id: p.title_id.to_string(),
            title: p.title.to_string(),
            kind: t.map(|t| t.kind).unwrap_or_default(),
            year: t.and_then(|t| t.year),
            score: p.score,
            reason: p.reason.text(),
            verdict: p.reason.verdict.to_string(),
            facts: p.reason.facts.clone(),
            minutes: match &episode {
                Some(e) => e.minutes,
                None => minutes(t.and_then(|t| t.duration_ms)),
            },
            content_rating: t.and_then(|t| t.content_rating.as_deref().map(str::to_owned)),
            genres: t
                .map(|t| t.genres.iter().map(|g| g.to_string()).collect())
                .unwrap_or_default(),
            library: t.map(|t| t.library.to_string()).unwrap_or_default(),
            episode,
            watch_url: plex_client::web_link(machine_identifier, &p.title_id),
        }
    }
}

/// The catalog a pick chose from.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogInfo {
    pub titles: usize,
    /// From the cache (else just loaded).
    pub cached: bool,
    /// When it was loaded (RFC 3339).
    pub loaded_at: String,
    pub libraries: Vec<LibraryRef>,
}

/// The model that chose.
#[derive(Debug, Clone, Serialize)]
pub struct ModelRef {
    pub name: String,
    pub provider: String,
}

/// Who chose, when the model was asked.
#[derive(Debug, Clone)]
pub struct Curation {
    /// `model` or `engine`.
    pub chosen_by: &'static str,
    /// When the model chose.
    pub model: Option<ModelRef>,
    /// When the engine chose: why not the model.
    pub fallback: Option<String>,
    /// "Chosen by … on …", or the fallback note.
    pub note: String,
}

/// A pick: the top suggestion and the alternatives, where they come from, and for whom.
#[derive(Debug, Clone)]
pub struct PickReport {
    pub server: ServerRef,
    pub catalog: CatalogInfo,
    /// How many titles passed the filters.
    pub matches: usize,
    /// When the model was asked.
    pub curation: Option<Curation>,
    /// When picking for several people: their names.
    pub for_people: Option<Vec<String>>,
    pub top: PickRow,
    pub alternatives: Vec<PickRow>,
}

/// Unix seconds as RFC 3339 (the number itself when out of range).
pub fn rfc3339(epoch: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| epoch.to_string())
}

/// A title said "not this one" about.
#[derive(Debug, Clone, Serialize)]
pub struct Rejected {
    pub title_id: String,
    /// Its name, when the cached catalog knows it.
    pub title: Option<String>,
    pub reason: RejectReason,
    pub mood: Mood,
}

/// A title recorded as chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Watching {
    pub title_id: String,
    /// Its name, when the cached catalog knows it.
    pub title: Option<String>,
    /// Plex Web's page for it, when the server is known.
    pub watch_url: Option<String>,
    /// The top pick that was passed over, if another title was chosen.
    pub declined: Option<String>,
}

/// A mood, as a list of them shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MoodRow {
    pub id: &'static str,
    pub label: &'static str,
    pub description: &'static str,
}

/// Every mood.
pub fn moods() -> Vec<MoodRow> {
    Mood::ALL
        .iter()
        .map(|m| MoodRow {
            id: m.id(),
            label: m.label(),
            description: m.description(),
        })
        .collect()
}

/// The AI provider (no key, only whether one is stored).
#[derive(Debug, Clone, Serialize)]
pub struct ProviderRow {
    pub preset: String,
    pub label: String,
    pub base_url: String,
    pub model: String,
    pub has_key: bool,
}

/// The AI settings and what is sent to whom.
#[derive(Debug, Clone, Serialize)]
pub struct AiReport {
    pub enabled: bool,
    pub provider: Option<ProviderRow>,
    pub max_candidates: u32,
    pub timeout_secs: u32,
    pub privacy: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_rows_flatten_the_outcome() {
        let c = CandidateReport {
            rank: 2,
            uri: "https://a".into(),
            direct_ip: Some("127.0.0.3".into()),
            locality: Locality::Remote,
            security: Security::VerifiedHttps,
            outcome: Outcome::Connected { latency_ms: 12 },
        };
        let v = serde_json::to_value(CandidateRow::of(&c)).expect("json");
        assert_eq!(v["outcome"], "connected");
        assert_eq!(v["latency_ms"], 12);
        assert_eq!(v["locality"], "remote");
        assert_eq!(v["security"], "verified_https");
        assert_eq!(v["detail"], "connected in 12 ms");
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

    #[test]
    fn minutes_round_and_watch_links_are_encoded() {
        assert_eq!(minutes(Some(116 * 60_000 + 29_000)), Some(116));
        assert_eq!(minutes(Some(0)), None);
        assert_eq!(minutes(None), None);
        let catalog = picker::Catalog::new(vec![picker::Title::movie("4 2", "A")]);
        let pick = picker::Pick {
            title_id: "4 2".into(),
            title: "A".into(),
            score: 50,
            reason: picker::Reason {
                facts: Vec::new(),
                verdict: String::new(),
            },
            episode: None,
        };
        assert_eq!(
            PickRow::of(&pick, &catalog, "a/b").watch_url,
            "https://app.plex.tv/desktop/#!/server/a%2Fb/details?key=%2Flibrary%2Fmetadata%2F4%202"
        );
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
