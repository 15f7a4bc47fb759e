//! What was really chosen.
//!
//! A pick records its top title as picked (it was shown). When the user then watches another
//! title ("Watch in Plex" on an alternative, `plexpicker-cli watch ID`), that title is what was
//! chosen: it is recorded as picked, and the declined top pick's entry from that pick becomes
//! "skipped" (a shorter cool-off: passed over tonight, not refused), so no-repeat cools off
//! what people actually watched.

use picker::{Event, History};

/// Records `chosen` as picked at `now`. When `offered` (the top pick the user saw) is another
/// title, its most recent "picked" entry becomes "skipped", at the time it was shown.
pub fn record_chosen(history: &mut History, chosen: &str, offered: Option<&str>, now: i64) {
    if let Some(top) = offered.filter(|top| *top != chosen) {
        if let Some(pos) = history
            .entries
            .iter()
            .rposition(|e| e.title_id == top && e.event == Event::Picked)
        {
            history.entries[pos].event = Event::Skipped;
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

    fn with(h: &History, event: Event) -> Vec<&str> {
        h.entries
            .iter()
            .filter(|e| e.event == event)
            .map(|e| e.title_id.as_str())
            .collect()
    }

    fn picked(h: &History) -> Vec<&str> {
        with(h, Event::Picked)
    }

    #[test]
    fn an_alternative_chosen_is_picked_and_the_declined_top_pick_skipped() {
        let mut h = History::default();
        h.record_pick("old", 100);
        h.record_pick("top", 200);
        let offered = last_offered(&h).map(str::to_string);
        record_chosen(&mut h, "alt", offered.as_deref(), 210);
        assert_eq!(picked(&h), vec!["old", "alt"]);
        assert_eq!(with(&h, Event::Skipped), vec!["top"]);
        let skipped = h.entries.iter().find(|e| e.title_id == "top").unwrap();
        assert_eq!(skipped.at, 200, "skipped when it was shown");
        // The skipped title cools off for a day, not for a pick's three days.
        assert!(h.is_cooling("top", 200 + 23 * 3600));
        assert!(!h.is_cooling("top", 200 + 25 * 3600));
        assert!(h.is_cooling("alt", 210 + 2 * 24 * 3600));
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
