//! Recording what was really chosen, beyond the unit tests: the declined top pick's "picked"
//! entry is the one that becomes "skipped", never a "not this one" mark on it and never another
//! title's pick. These close survivors of mutation testing (docs/TESTING.md).

use picker::{Event, History, Mood, RejectReason};
use plexpicker_core::history::{last_offered, record_chosen};

/// Each entry's title and what it records: "picked", "skipped" or "rejected".
fn entries(h: &History) -> Vec<(&str, &'static str)> {
    h.entries
        .iter()
        .map(|e| {
            let what = match e.event {
                Event::Picked => "picked",
                Event::Skipped => "skipped",
                Event::Rejected { .. } => "rejected",
            };
            (e.title_id.as_str(), what)
        })
        .collect()
}

/// "Not this one" on the top pick stays (it still means "not this one") when an alternative
/// is chosen; only the top pick's "picked" entry becomes "skipped".
#[test]
fn a_not_this_one_mark_on_the_declined_pick_stays() {
    let mut h = History::default();
    h.record_pick("top", 200);
    h.reject("top", RejectReason::NotInTheMood, Mood::Anything, 205);
    assert_eq!(last_offered(&h), Some("top"));
    record_chosen(&mut h, "alt", Some("top"), 210);
    assert_eq!(
        entries(&h),
        vec![("top", "skipped"), ("top", "rejected"), ("alt", "picked")]
    );
}

/// Only the offered title's own entry becomes "skipped", even when a later pick of another
/// title follows it.
#[test]
fn only_the_offered_title_s_pick_is_skipped() {
    let mut h = History::default();
    h.record_pick("top", 200);
    h.record_pick("later", 205);
    record_chosen(&mut h, "alt", Some("top"), 210);
    assert_eq!(
        entries(&h),
        vec![("top", "skipped"), ("later", "picked"), ("alt", "picked")]
    );
}
