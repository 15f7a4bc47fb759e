//! Pure wording and parsing helpers: what the screens say, computed from data. No DOM, so
//! every rule here is unit-tested natively.

use plexpicker_ipc::{CandidateState, ClockTime, ContentLevel, ErrorKind, IpcError, RuntimeLimit};

/// The wheels' sentence comes from the wire contract, so the backend says the same words.
pub use plexpicker_ipc::{sentence_for, sentence_parts_for};

/// Seconds as `mm:ss` ("04:59"); minutes keep growing past 59.
pub fn mm_ss(secs: u64) -> String {
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

/// Minutes as "1 h 56 min" or "45 min".
pub fn runtime(minutes: u32) -> String {
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

/// 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 item" / "3 items".
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

/// A route's state in a few words: "Waiting", "Trying…", "Connected in 12 ms", "Failed: …".
pub fn candidate_state(state: &CandidateState) -> String {
    match state {
        CandidateState::Waiting => "Waiting".to_string(),
        CandidateState::Trying => "Trying…".to_string(),
        CandidateState::Connected { latency_ms } => format!("Connected in {latency_ms} ms"),
        CandidateState::Failed { reason, .. } => format!("Failed: {reason}"),
        CandidateState::Skipped { reason } => format!("Skipped: {reason}"),
    }
}

/// The advice for a failed route, if any.
pub fn candidate_advice(state: &CandidateState) -> Option<&str> {
    match state {
        CandidateState::Failed {
            advice: Some(advice),
            ..
        } if !advice.trim().is_empty() => Some(advice.as_str()),
        _ => None,
    }
}

/// A class name for the state, for styling.
pub fn candidate_class(state: &CandidateState) -> &'static str {
    match state {
        CandidateState::Waiting => "waiting",
        CandidateState::Trying => "trying",
        CandidateState::Connected { .. } => "connected",
        CandidateState::Failed { .. } => "failed",
        CandidateState::Skipped { .. } => "skipped",
    }
}

/// Whether the route failed because the server's certificate changed.
pub fn certificate_changed(state: &CandidateState) -> bool {
    matches!(
        state,
        CandidateState::Failed {
            certificate_changed: true,
            ..
        }
    )
}

/// The sentence to show for an error: its message, or a plain fallback for its kind when the
/// message is empty. Never JSON.
pub fn error_message(err: &IpcError) -> String {
    let message = err.message.trim();
    if !message.is_empty() {
        return message.to_string();
    }
    match err.kind {
        ErrorKind::Unauthorized => "Plex no longer accepts this sign-in. Sign in again.",
        ErrorKind::Unreachable => "The server could not be reached. Check it is on, then retry.",
        ErrorKind::RateLimited => "Plex asked us to slow down. Wait a minute, then try again.",
        ErrorKind::InvalidResponse => "The server sent an answer we could not read. Try again.",
        ErrorKind::TimedOut => "That took too long. Check your connection, then try again.",
        ErrorKind::Cancelled => "Cancelled.",
        ErrorKind::Storage => "Saved settings could not be read or written.",
        ErrorKind::InvalidRequest => "Something got out of step. Go back and try again.",
        ErrorKind::NoMatch => "Nothing matches these choices. Loosen a filter and pick again.",
        ErrorKind::NotFound => "That is no longer there. Go back and try again.",
        ErrorKind::Internal => "Something went wrong inside PlexPicker. Try again.",
    }
    .to_string()
}

/// The error means the user has to sign in again.
pub fn needs_sign_in(err: &IpcError) -> bool {
    err.kind == ErrorKind::Unauthorized
}

/// A "max minutes" field: a whole number from 1 to 1440, or nothing.
pub fn parse_minutes(text: &str) -> Option<u32> {
    let text = text.trim();
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() || value < 1.0 {
        return None;
    }
    let minutes = value.round().min(24.0 * 60.0);
    Some(minutes as u32)
}

/// A `type=time` field: "HH:MM" (or "HH:MM:SS"), or nothing.
pub fn parse_clock(text: &str) -> Option<ClockTime> {
    let mut parts = text.trim().split(':');
    let hour: u8 = parts.next()?.trim().parse().ok()?;
    let minute: u8 = parts.next()?.trim().parse().ok()?;
    (hour < 24 && minute < 60).then(|| ClockTime::new(hour, minute))
}

/// A minimum rating field: a number from 0 to 10 (clamped), or nothing.
pub fn parse_rating(text: &str) -> Option<f32> {
    let value: f32 = text.trim().replace(',', ".").parse().ok()?;
    value.is_finite().then(|| value.clamp(0.0, 10.0))
}

/// A rating as the field shows it ("7.5", "8").
pub fn rating_value(rating: f32) -> String {
    let rounded = (rating * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The load's second phase, once every title is read: the shows' episodes (when a show
/// library is chosen), never a bar sitting at "N of N".
pub fn load_finishing(total: u64, has_shows: bool) -> String {
    let titles = count(total, "title", "titles");
    if has_shows {
        format!("All {titles} read · loading the TV shows' episodes…")
    } else {
        format!("All {titles} read · finishing…")
    }
}

/// The second phase of a load: "Loading episodes of 40 shows… 1,234 of 5,678".
pub fn load_episodes(e: &plexpicker_ipc::EpisodeProgress) -> String {
    let shows = count(e.shows, "show", "shows");
    if e.total == 0 {
        format!("Loading episodes of {shows}…")
    } else {
        format!(
            "Loading episodes of {shows}… {} of {}",
            thousands(e.loaded.min(e.total)),
            thousands(e.total)
        )
    }
}

/// A card's score as the screen says it: "Match 83" (out of 100).
pub fn match_score(score: u8) -> String {
    format!("Match {}", score.min(100))
}

/// A score the model gave: "Model's score 92" (out of 100).
pub fn model_score(score: u8) -> String {
    format!("Model's score {}", score.min(100))
}

/// A rating with whose it is: "Critics 8.9".
pub fn rating_label(whose: &str, rating: &str) -> String {
    format!("{whose} {}", rating.trim())
}

/// A year field: a whole year from 1870 to 2200, or nothing.
pub fn parse_year(text: &str) -> Option<u16> {
    let year: u16 = text.trim().parse().ok()?;
    (1870..=2200).contains(&year).then_some(year)
}

/// The content level with this id.
pub fn content_level(id: &str) -> Option<ContentLevel> {
    ContentLevel::ALL.into_iter().find(|level| level.id() == id)
}

/// 1980 → "1980s".
pub fn decade_label(decade: u16) -> String {
    format!("{decade}s")
}

/// Initials for a poster placeholder: "The Big Lebowski" → "BL".
pub fn initials(title: &str) -> String {
    const SMALL: [&str; 5] = ["the", "a", "an", "of", "and"];
    let words: Vec<&str> = title.split_whitespace().collect();
    let mut picked: String = words
        .iter()
        .filter(|w| !SMALL.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if picked.is_empty() {
        picked = words
            .iter()
            .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
            .take(2)
            .flat_map(char::to_uppercase)
            .collect();
    }
    picked
}

/// What a field should show after the state changed: `None` keeps what the user typed (it
/// already says the same, or is unfinished); otherwise the state's value, or empty.
pub fn synced_text<T: Copy + PartialEq>(
    text: &str,
    current: Option<T>,
    parse: impl Fn(&str) -> Option<T>,
    show: impl Fn(T) -> String,
) -> Option<String> {
    match current {
        Some(value) => (parse(text) != Some(value)).then(|| show(value)),
        None => parse(text).is_some().then(String::new),
    }
}

/// The runtime limit after the "max minutes" field changed: `None` leaves it alone (an
/// unfinished number must not clear a finish-by time).
pub fn runtime_from_minutes(
    text: &str,
    current: Option<RuntimeLimit>,
) -> Option<Option<RuntimeLimit>> {
    match parse_minutes(text) {
        Some(minutes) => Some(Some(RuntimeLimit::MaxMinutes { minutes })),
        None => matches!(current, Some(RuntimeLimit::MaxMinutes { .. })).then_some(None),
    }
}

/// The runtime limit after the "finish by" field changed.
pub fn runtime_from_clock(
    text: &str,
    current: Option<RuntimeLimit>,
) -> Option<Option<RuntimeLimit>> {
    match parse_clock(text) {
        Some(at) => Some(Some(RuntimeLimit::FinishBy { at })),
        None => matches!(current, Some(RuntimeLimit::FinishBy { .. })).then_some(None),
    }
}

/// The minutes of a runtime limit, if it is one.
pub fn max_minutes(limit: Option<RuntimeLimit>) -> Option<u32> {
    match limit {
        Some(RuntimeLimit::MaxMinutes { minutes }) => Some(minutes),
        _ => None,
    }
}

/// The time of a finish-by limit, if it is one.
pub fn finish_by(limit: Option<RuntimeLimit>) -> Option<ClockTime> {
    match limit {
        Some(RuntimeLimit::FinishBy { at }) => Some(at),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_counts() {
        assert_eq!(mm_ss(0), "00:00");
        assert_eq!(mm_ss(299), "04:59");
        assert_eq!(mm_ss(1800), "30:00");
        assert_eq!(runtime(45), "45 min");
        assert_eq!(runtime(116), "1 h 56 min");
        assert_eq!(runtime(60), "1 h 00 min");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(count(1, "movie", "movies"), "1 movie");
        assert_eq!(count(2500, "movie", "movies"), "2,500 movies");
    }

    #[test]
    fn candidate_states_in_words() {
        assert_eq!(candidate_state(&CandidateState::Waiting), "Waiting");
        assert_eq!(candidate_state(&CandidateState::Trying), "Trying…");
        assert_eq!(
            candidate_state(&CandidateState::Connected { latency_ms: 12 }),
            "Connected in 12 ms"
        );
        let failed = CandidateState::Failed {
            reason: "The certificate changed".into(),
            advice: Some("Trust it if you replaced it".into()),
            certificate_changed: true,
        };
        assert_eq!(candidate_state(&failed), "Failed: The certificate changed");
        assert_eq!(
            candidate_advice(&failed),
            Some("Trust it if you replaced it")
        );
        assert!(certificate_changed(&failed));
        assert_eq!(candidate_class(&failed), "failed");
        let skipped = CandidateState::Skipped {
            reason: "a direct route won".into(),
        };
        assert_eq!(candidate_state(&skipped), "Skipped: a direct route won");
        assert_eq!(candidate_advice(&skipped), None);
        assert!(!certificate_changed(&skipped));
    }

    #[test]
    fn errors_read_as_sentences() {
        let err = IpcError::new(ErrorKind::TimedOut, "Plex took too long. Try again.");
        assert_eq!(error_message(&err), "Plex took too long. Try again.");
        let empty = IpcError::new(ErrorKind::Unauthorized, "  ");
        assert!(error_message(&empty).contains("Sign in again"));
        assert!(needs_sign_in(&empty));
        assert!(!needs_sign_in(&err));
    }

    #[test]
    fn fields_parse_forgivingly() {
        assert_eq!(parse_minutes("90"), Some(90));
        assert_eq!(parse_minutes(" 45.4 "), Some(45));
        assert_eq!(parse_minutes("0"), None);
        assert_eq!(parse_minutes("-5"), None);
        assert_eq!(parse_minutes(""), None);
        assert_eq!(parse_minutes("abc"), None);
        assert_eq!(parse_minutes("100000"), Some(1440));
        assert_eq!(parse_clock("23:30"), Some(ClockTime::new(23, 30)));
        assert_eq!(parse_clock("07:05:00"), Some(ClockTime::new(7, 5)));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(parse_clock(""), None);
        assert_eq!(parse_clock("7"), None);
        assert_eq!(parse_rating("7.5"), Some(7.5));
        assert_eq!(parse_rating("7,5"), Some(7.5));
        assert_eq!(parse_rating("12"), Some(10.0));
        assert_eq!(parse_rating("nan"), None);
        assert_eq!(parse_rating(""), None);
        assert_eq!(rating_value(7.5), "7.5");
        assert_eq!(rating_value(8.0), "8");
        assert_eq!(content_level("teens"), Some(ContentLevel::Teens));
        assert_eq!(content_level("x"), None);
        assert_eq!(decade_label(1980), "1980s");
    }

    #[test]
    fn a_full_bar_says_what_is_still_loading() {
        assert_eq!(
            load_finishing(1500, true),
            "All 1,500 titles read · loading the TV shows' episodes…"
        );
        assert_eq!(load_finishing(1, false), "All 1 title read · finishing…");
        let episodes = |loaded, total| plexpicker_ipc::EpisodeProgress {
            shows: 40,
            loaded,
            total,
        };
        assert_eq!(
            load_episodes(&episodes(0, 0)),
            "Loading episodes of 40 shows…"
        );
        assert_eq!(
            load_episodes(&episodes(1234, 5678)),
            "Loading episodes of 40 shows… 1,234 of 5,678"
        );
    }

    #[test]
    fn scores_ratings_and_years_read_plainly() {
        assert_eq!(match_score(83), "Match 83");
        assert_eq!(match_score(250), "Match 100");
        assert_eq!(model_score(92), "Model's score 92");
        assert_eq!(model_score(101), "Model's score 100");
        assert_eq!(rating_label("Critics", "8.9"), "Critics 8.9");
        assert_eq!(rating_label("Audience", " 7.6 "), "Audience 7.6");
        assert_eq!(parse_year(" 1984 "), Some(1984));
        assert_eq!(parse_year("84"), None);
        assert_eq!(parse_year("19a4"), None);
        assert_eq!(parse_year(""), None);
        assert_eq!(parse_year("99999"), None);
    }

    #[test]
    fn poster_initials() {
        assert_eq!(initials("The Big Lebowski"), "BL");
        assert_eq!(initials("Up"), "U");
        assert_eq!(initials("The"), "T");
        assert_eq!(initials("  "), "");
        assert_eq!(initials("2001: A Space Odyssey"), "2S");
    }

    #[test]
    fn fields_follow_the_state_without_eating_what_is_typed() {
        let show = |m: u32| m.to_string();
        // The state says what the field says: keep the text.
        assert_eq!(synced_text("90", Some(90), parse_minutes, show), None);
        // Unfinished text with nothing set: keep it.
        assert_eq!(synced_text("", None, parse_minutes, show), None);
        assert_eq!(synced_text("abc", None, parse_minutes, show), None);
        // Cleared elsewhere (reset, relax, the other runtime field): empty the field.
        assert_eq!(
            synced_text("90", None, parse_minutes, show),
            Some(String::new())
        );
        // Set elsewhere (startup choices): show it.
        assert_eq!(
            synced_text("", Some(45), parse_minutes, show),
            Some("45".into())
        );

        let by = RuntimeLimit::FinishBy {
            at: ClockTime::new(23, 0),
        };
        let max = RuntimeLimit::MaxMinutes { minutes: 90 };
        assert_eq!(runtime_from_minutes("90", Some(by)), Some(Some(max)));
        assert_eq!(runtime_from_minutes("", Some(by)), None);
        assert_eq!(runtime_from_minutes("", Some(max)), Some(None));
        assert_eq!(runtime_from_clock("23:00", Some(max)), Some(Some(by)));
        assert_eq!(runtime_from_clock("", Some(max)), None);
        assert_eq!(runtime_from_clock("", Some(by)), Some(None));
        assert_eq!(max_minutes(Some(max)), Some(90));
        assert_eq!(finish_by(Some(max)), None);
        assert_eq!(finish_by(Some(by)), Some(ClockTime::new(23, 0)));
    }
}
