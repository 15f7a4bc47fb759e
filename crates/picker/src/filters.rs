//! The filters, in the fixed order the nothing-matches diagnosis uses, and
//! their evaluation for one title.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::catalog::{episode_order, valid_duration, Episode, Kind, Title};
use crate::choices::{Choices, ContentLevel, Format, RuntimeLimit, WatchFilter, YearFilter};
use crate::fxhash::{seeded_hash, FxBuild};
use crate::history::History;
use crate::moods::{self, Features};
use crate::text::{self, norm_eq};

/// One filter. `Filter::ORDER` is the fixed order they are applied in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Movies / shows.
    Format,
    /// Unwatched / rewatch.
    Watch,
    /// Genres to include (any of).
    IncludeGenres,
    /// Genres to exclude (none of).
    ExcludeGenres,
    /// Year range or decades.
    Years,
    /// Content-rating ceiling.
    ContentRating,
    /// Minimum critic rating.
    CriticRating,
    /// Minimum audience rating.
    AudienceRating,
    /// At most N minutes / finish by HH:MM.
    Runtime,
    /// The mood's gate.
    Mood,
    /// Recently picked or turned down.
    CoolOff,
}

impl Filter {
    /// The fixed order.
    pub const ORDER: [Filter; 11] = [
        Filter::Format,
        Filter::Watch,
        Filter::IncludeGenres,
        Filter::ExcludeGenres,
        Filter::Years,
        Filter::ContentRating,
        Filter::CriticRating,
        Filter::AudienceRating,
        Filter::Runtime,
        Filter::Mood,
        Filter::CoolOff,
    ];

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            Filter::Format => "format",
            Filter::Watch => "watch",
            Filter::IncludeGenres => "include_genres",
            Filter::ExcludeGenres => "exclude_genres",
            Filter::Years => "years",
            Filter::ContentRating => "content_rating",
            Filter::CriticRating => "critic_rating",
            Filter::AudienceRating => "audience_rating",
            Filter::Runtime => "runtime",
            Filter::Mood => "mood",
            Filter::CoolOff => "cool_off",
        }
    }

    /// "the runtime limit": what "N without …" names.
    pub fn noun(self) -> &'static str {
        match self {
            Filter::Format => "the format choice",
            Filter::Watch => "the watched/unwatched choice",
            Filter::IncludeGenres => "the genre choice",
            Filter::ExcludeGenres => "the excluded genres",
            Filter::Years => "the year range",
            Filter::ContentRating => "the content-rating ceiling",
            Filter::CriticRating => "the minimum critic rating",
            Filter::AudienceRating => "the minimum audience rating",
            Filter::Runtime => "the runtime limit",
            Filter::Mood => "the mood",
            Filter::CoolOff => "the cool-off on recent picks",
        }
    }

    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// Per-pick state shared by every title: the choices, normalised once.
pub(crate) struct Prepared<'a> {
    pub choices: &'a Choices,
    pub now: i64,
    pub seed: u64,
    include: Vec<String>,
    exclude: Vec<String>,
    /// Time budget in ms, if any.
    pub budget_ms: Option<u64>,
    cooling: HashSet<&'a str, FxBuild>,
    seen: HashSet<&'a str, FxBuild>,
    /// Bits of the active filters.
    pub active: u16,
    words: bool,
    content: bool,
}

/// One title with the facts computed so far (lazily).
pub(crate) struct Item<'a> {
    pub title: &'a Title,
    genres: Option<u32>,
    level: Option<Option<ContentLevel>>,
    episode: Option<Option<(&'a Episode, bool)>>,
}

impl<'a> Item<'a> {
    pub fn new(title: &'a Title) -> Self {
        Item { title, genres: None, level: None, episode: None }
    }
}

impl<'a> Prepared<'a> {
    /// `budget_min`: minutes available (already resolved from a finish-by time).
    pub fn new(choices: &'a Choices, history: &'a History, now: i64, seed: u64, budget_min: Option<u32>) -> Self {
        let norm = |v: &Vec<String>| -> Vec<String> {
            v.iter().map(|s| text::normalized(s)).filter(|s| !s.is_empty()).collect()
        };
        let include = norm(&choices.include_genres);
        let exclude = norm(&choices.exclude_genres);
        let cooling = history.cooling_set(choices.mood, now);
        let seen = history.seen_set();
        let mut active = 0u16;
        let mut on = |f: Filter, cond: bool| {
            if cond {
                active |= f.bit();
            }
        };
        on(Filter::Format, choices.format != Format::Any);
        on(Filter::Watch, choices.watch != WatchFilter::All);
        on(Filter::IncludeGenres, !include.is_empty());
        on(Filter::ExcludeGenres, !exclude.is_empty());
        on(Filter::Years, choices.years.is_some());
        on(Filter::ContentRating, choices.max_content.is_some());
        on(Filter::CriticRating, choices.min_critic.is_some());
        on(Filter::AudienceRating, choices.min_audience.is_some());
        on(Filter::Runtime, budget_min.is_some());
        on(Filter::Mood, choices.mood != crate::Mood::Anything);
        on(Filter::CoolOff, !cooling.is_empty());
        Prepared {
            choices,
            now,
            seed,
            include,
            exclude,
            budget_ms: budget_min.map(|m| u64::from(m) * 60_000),
            cooling,
            seen,
            active,
            words: moods::uses_words(choices.mood),
            content: moods::uses_content(choices.mood),
        }
    }

    pub fn is_active(&self, f: Filter) -> bool {
        self.active & f.bit() != 0
    }

    fn marked_seen(&self, t: &Title) -> bool {
        !self.seen.is_empty() && self.seen.contains(t.id.as_str())
    }

    pub fn watched(&self, t: &Title) -> bool {
        t.was_watched() || self.marked_seen(t)
    }

    pub fn unwatched(&self, t: &Title) -> bool {
        t.has_unwatched() && !self.marked_seen(t)
    }

    fn genres(&self, item: &mut Item<'a>) -> u32 {
        *item.genres.get_or_insert_with(|| text::genre_set(&item.title.genres))
    }

    fn level(&self, item: &mut Item<'a>) -> Option<ContentLevel> {
        *item
            .level
            .get_or_insert_with(|| item.title.content_rating.as_deref().and_then(ContentLevel::parse))
    }

    fn fits(&self, ms: Option<u64>) -> bool {
        match self.budget_ms {
            None => true,
            Some(b) => valid_duration(ms).is_some_and(|ms| ms <= b),
        }
    }

    /// The episode a show would be offered with, and whether it is the next
    /// unwatched one (`true`) or a rewatch (`false`).
    ///
    /// Unwatched: the next unwatched episode. Rewatch: a watched episode (any,
    /// if none is marked watched) that fits the time budget if one does,
    /// chosen by a hash of the seed and the show's id. All: the next
    /// unwatched episode if there is one, else as for Rewatch.
    pub fn episode(&self, item: &mut Item<'a>) -> Option<(&'a Episode, bool)> {
        if let Some(e) = item.episode {
            return e;
        }
        let t = item.title;
        let e = if t.kind != Kind::Show || t.episodes.is_empty() {
            None
        } else {
            let next = match self.choices.watch {
                WatchFilter::Rewatch => None,
                _ => t.next_unwatched_episode(),
            };
            match next {
                Some(n) => Some((n, true)),
                None => self.rewatch_episode(t).map(|e| (e, false)),
            }
        };
        item.episode = Some(e);
        e
    }

    fn rewatch_episode(&self, t: &'a Title) -> Option<&'a Episode> {
        let mut pool: Vec<&Episode> = t.episodes.iter().filter(|e| e.view_count > 0).collect();
        if pool.is_empty() {
            pool = t.episodes.iter().collect();
        }
        if self.budget_ms.is_some() && pool.iter().any(|e| self.fits(e.duration_ms)) {
            pool.retain(|e| self.fits(e.duration_ms));
        }
        pool.sort_by(|a, b| episode_order(a).cmp(&episode_order(b)));
        let n = pool.len() as u64;
        if n == 0 {
            return None;
        }
        pool.get((seeded_hash(self.seed, &t.id) % n) as usize).copied()
    }

    /// The runtime a title is judged by: a movie's, or its offered episode's.
    pub fn runtime_ms(&self, item: &mut Item<'a>) -> Option<u64> {
        match item.title.kind {
            Kind::Movie => valid_duration(item.title.duration_ms),
            Kind::Show => self.episode(item).and_then(|(e, _)| valid_duration(e.duration_ms)),
        }
    }

    /// The facts the mood looks at; `with_words` scans the summary.
    pub fn features(&self, item: &mut Item<'a>, with_words: bool) -> Features<'a> {
        let t = item.title;
        Features {
            title: t,
            genres: self.genres(item),
            runtime_ms: self.runtime_ms(item),
            critic: t.critic(),
            audience: t.audience(),
            level: if self.content { self.level(item) } else { None },
            watched: self.watched(t),
            unwatched: self.unwatched(t),
            added_days: t
                .added_at
                .filter(|&a| a <= self.now)
                .map(|a| u32::try_from((self.now - a) / 86_400).unwrap_or(u32::MAX)),
            words: if with_words && self.words { text::keyword_set(&t.summary) } else { 0 },
        }
    }

    /// Whether the title passes filter `f` (which must be active to matter).
    pub fn passes(&self, f: Filter, item: &mut Item<'a>) -> bool {
        let t = item.title;
        let c = self.choices;
        match f {
            Filter::Format => match c.format {
                Format::Any => true,
                Format::Movie => t.kind == Kind::Movie,
                Format::Show => t.kind == Kind::Show,
            },
            Filter::Watch => match c.watch {
                WatchFilter::All => true,
                WatchFilter::Unwatched => self.unwatched(t),
                WatchFilter::Rewatch => self.watched(t),
            },
            Filter::IncludeGenres => {
                self.include.is_empty()
                    || t.genres.iter().any(|g| self.include.iter().any(|n| norm_eq(g, n)))
            }
            Filter::ExcludeGenres => !t.genres.iter().any(|g| self.exclude.iter().any(|n| norm_eq(g, n))),
            Filter::Years => c.years.as_ref().is_none_or(|y: &YearFilter| y.admits(t.year)),
            Filter::ContentRating => match c.max_content {
                None => true,
                Some(max) => self.level(item).is_some_and(|l| l <= max),
            },
            Filter::CriticRating => c.min_critic.is_none_or(|m| t.critic().is_some_and(|r| r >= m)),
            Filter::AudienceRating => c.min_audience.is_none_or(|m| t.audience().is_some_and(|r| r >= m)),
            Filter::Runtime => self.budget_ms.is_none() || self.fits(self.runtime_ms(item)),
            Filter::Mood => {
                let f = self.features(item, true);
                moods::evaluate(c.mood, &f).is_some()
            }
            Filter::CoolOff => self.cooling.is_empty() || !self.cooling.contains(t.id.as_str()),
        }
    }
}

/// The time budget in minutes for a runtime limit at local time `local_minutes`
/// (minutes since midnight). `Err(())` when a finish-by time has passed.
#[allow(clippy::result_unit_err)]
pub fn budget_minutes(limit: Option<RuntimeLimit>, local_minutes: u32) -> Result<Option<u32>, ()> {
    match limit {
        None => Ok(None),
        Some(RuntimeLimit::MaxMinutes { minutes }) => Ok(Some(minutes)),
        Some(RuntimeLimit::FinishBy { at }) => {
            let now = local_minutes % 1440;
            let at = at.minutes();
            if at >= now {
                Ok(Some(at - now))
            } else {
                let wrapped = at + 1440 - now;
                if wrapped <= 12 * 60 {
                    Ok(Some(wrapped))
                } else {
                    Err(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choices::ClockTime;

    fn fb(h: u8, m: u8) -> Option<RuntimeLimit> {
        Some(RuntimeLimit::FinishBy { at: ClockTime::new(h, m) })
    }

    #[test]
    fn finish_by_budgets() {
        // 20:00 now.
        let now = 20 * 60;
        assert_eq!(budget_minutes(fb(22, 30), now), Ok(Some(150)));
        assert_eq!(budget_minutes(fb(20, 0), now), Ok(Some(0)));
        // After midnight, within 12 h: tomorrow.
        assert_eq!(budget_minutes(fb(1, 0), now), Ok(Some(300)));
        assert_eq!(budget_minutes(fb(8, 0), now), Ok(Some(720)));
        // Earlier today and more than 12 h away: passed.
        assert_eq!(budget_minutes(fb(8, 1), now), Err(()));
        assert_eq!(budget_minutes(fb(19, 59), now), Err(()));
        assert_eq!(budget_minutes(Some(RuntimeLimit::MaxMinutes { minutes: 45 }), now), Ok(Some(45)));
        assert_eq!(budget_minutes(None, now), Ok(None));
        // Out-of-range local time wraps.
        assert_eq!(budget_minutes(fb(22, 30), now + 1440), Ok(Some(150)));
    }

    #[test]
    fn filter_ids_are_serde_names() {
        for f in Filter::ORDER {
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.id()));
        }
        assert!(Filter::ORDER.windows(2).all(|w| w[0] < w[1]));
    }
}
