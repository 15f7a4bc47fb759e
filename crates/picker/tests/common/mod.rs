//! What the picker's property tests share.

use picker::{Choices, Filter, Format, History, Mood, Policy, WatchFilter};

/// The same choices with one filter lifted.
pub fn lift(c: &Choices, h: &History, f: Filter) -> (Choices, History) {
    let mut c = c.clone();
    let mut h = h.clone();
    match f {
        Filter::Format => c.format = Format::Any,
        Filter::Watch => c.watch = WatchFilter::All,
        Filter::IncludeGenres => c.include_genres.clear(),
        Filter::ExcludeGenres => c.exclude_genres.clear(),
        Filter::Years => c.years = None,
        Filter::ContentRating => c.max_content = None,
        Filter::CriticRating => c.min_critic = None,
        Filter::AudienceRating => c.min_audience = None,
        Filter::Runtime => c.runtime = None,
        Filter::Mood => c.mood = Mood::Anything,
        Filter::CoolOff => {
            // Keep "seen it" marks (they count as watched), drop every cool-off.
            h.policy = Policy {
                after_pick_secs: 0,
                after_skip_secs: 0,
                seen_it_secs: 0,
                too_long_secs: 0,
                not_in_mood_secs: 0,
                ..h.policy
            };
        }
    }
    (c, h)
}
