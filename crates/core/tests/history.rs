//! Recording what was really chosen, beyond the unit tests: the declined top pick's "picked"
//! entry is the one taken back, never a "not this one" mark on it and never another title's
//! pick. These close survivors of mutation testing (docs/TESTING.md).

use picker::{Event, History, Mood, RejectReason};
use plexpicker_core::history::{last_offered, record_chosen};

fn entries(h: &History) -> Vec<(&str, bool)> {
    h.entries
        .iter()
        .map(|e| (e.title_id.as_str(), e.event == Event::Picked))
        .collect()
}

/// "Not this one" on the top pick stays (it still means "not this one") when an alternative
/// is chosen; only the top pick's "picked" entry is taken back.
#[test]
fn a_not_this_one_mark_on_the_declined_pick_stays() {
    let mut h = History::default();
    h.record_pick("top", 200);
    h.reject("top", RejectReason::NotInTheMood, Mood::Anything, 205);
    assert_eq!(last_offered(&h), Some("top"));
    record_chosen(&mut h, "alt", Some("top"), 210);
    assert_eq!(entries(&h), vec![("top", false), ("alt", true)]);
}

/// The offered title's own entry is taken back, even when a later pick of another title
/// follows it.
#[test]
fn only_the_offered_title_s_pick_is_taken_back() {
    let mut h = History::default();
    h.record_pick("top", 200);
    h.record_pick("later", 205);
    record_chosen(&mut h, "alt", Some("top"), 210);
    assert_eq!(entries(&h), vec![("later", true), ("alt", true)]);
}
