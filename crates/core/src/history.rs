//! What was really chosen.
//!
//! A pick records its top title as picked (it was shown). When the user then watches another
//! title ("Watch in Plex" on an alternative, `plexpicker-cli watch ID`), that title is what was
//! chosen: it is recorded as picked, and the declined top pick's entry from that pick is taken
//! back, so no-repeat cools off what people actually watched. (The picker has no "skipped"
//! event yet; taking the entry back leaves the declined title as if it had not been shown.)

use picker::{Event, History};

/// Records `chosen` as picked at `now`. When `offered` (the top pick the user saw) is another
/// title, its most recent "picked" entry is removed.
pub fn record_chosen(history: &mut History, chosen: &str, offered: Option<&str>, now: i64) {
    if let Some(top) = offered.filter(|top| *top != chosen) {
        if let Some(pos) = history
            .entries
            .iter()
            .rposition(|e| e.title_id == top && e.event == Event::Picked)
        {
            history.entries.remove(pos);
        }
    }
    let already = history
        .entries
        .last()
        .is_some_and(|e| e.title_id == chosen && e.event == Event::Picked);
    if !already {
        history.record_pick(chosen, now);
    }
}

/// The top pick of the most recent pick: the last "picked" entry.
pub fn last_offered(history: &History) -> Option<&str> {
    history
        .entries
        .iter()
        .rev()
        .find(|e| e.event == Event::Picked)
        .map(|e| e.title_id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picked(h: &History) -> Vec<&str> {
        h.entries
            .iter()
            .filter(|e| e.event == Event::Picked)
            .map(|e| e.title_id.as_str())
            .collect()
    }

    #[test]
    fn an_alternative_chosen_replaces_the_declined_top_pick() {
        let mut h = History::default();
        h.record_pick("old", 100);
        h.record_pick("top", 200);
        let offered = last_offered(&h).map(str::to_string);
        record_chosen(&mut h, "alt", offered.as_deref(), 210);
        assert_eq!(picked(&h), vec!["old", "alt"]);
    }

    #[test]
    fn the_top_pick_chosen_is_recorded_once() {
        let mut h = History::default();
        h.record_pick("top", 200);
        record_chosen(&mut h, "top", Some("top"), 210);
        assert_eq!(picked(&h), vec!["top"]);
        // Chosen without a pick before (the CLI's `watch ID` on any title).
        record_chosen(&mut h, "other", None, 220);
        assert_eq!(picked(&h), vec!["top", "other"]);
    }
}
