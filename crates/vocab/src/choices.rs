//! What the user asked for: format, history, mood and the extra filters.
//!
//! Every enum here serialises to a stable snake_case id (also returned by
//! `id()`), and has a human `label()` for the UI.

use serde::{Deserialize, Serialize};

use crate::filter::Filter;

/// Choices that do not make sense (a rating outside 0-10, a reversed year range, 25:00…):
/// what is wrong, in a few words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid choice: {0}")]
pub struct InvalidChoice(pub String);

/// Movies, shows or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Surprise me: movies and shows.
    #[default]
    Any,
    /// Movies only.
    Movie,
    /// TV shows only.
    Show,
}

impl Format {
    /// Every format, in UI order.
    pub const ALL: [Format; 3] = [Format::Any, Format::Movie, Format::Show];

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            Format::Any => "any",
            Format::Movie => "movie",
            Format::Show => "show",
        }
    }

    /// UI label.
    pub fn label(self) -> &'static str {
        match self {
            Format::Any => "Surprise me",
            Format::Movie => "Movie",
            Format::Show => "TV show",
        }
    }
}

/// Seen or not seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchFilter {
    /// Anything.
    #[default]
    All,
    /// Not seen yet (shows: with an unwatched episode).
    Unwatched,
    /// Seen before (shows: fully or partly watched).
    Rewatch,
    /// Watching together: at least one person in the room has not seen it (shows: someone
    /// has an unwatched episode). For one person it means the same as [`WatchFilter::Unwatched`].
    #[serde(alias = "new-to-someone")]
    NewToSomeone,
}

impl WatchFilter {
    /// Every choice, in UI order.
    pub const ALL: [WatchFilter; 4] = [
        WatchFilter::All,
        WatchFilter::Unwatched,
        WatchFilter::Rewatch,
        WatchFilter::NewToSomeone,
    ];

    /// The choices worth offering to `people` watching together, in UI order: the three of
    /// [`WatchFilter::ALL`] without "New to someone" for one person (or nobody chosen yet),
    /// all four for several.
    pub fn for_room(people: usize) -> &'static [WatchFilter] {
        if people > 1 {
            &Self::ALL
        } else {
            &[
                WatchFilter::All,
                WatchFilter::Unwatched,
                WatchFilter::Rewatch,
            ]
        }
    }

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            WatchFilter::All => "all",
            WatchFilter::Unwatched => "unwatched",
            WatchFilter::Rewatch => "rewatch",
            WatchFilter::NewToSomeone => "new_to_someone",
        }
    }

    /// UI label.
    pub fn label(self) -> &'static str {
        match self {
            WatchFilter::All => "All",
            WatchFilter::Unwatched => "Unwatched",
            WatchFilter::Rewatch => "Rewatch",
            WatchFilter::NewToSomeone => "New to someone",
        }
    }
}

/// The mood: a transparent rule set over catalog facts (the engine's `picker::moods` lists its rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    /// Open to anything.
    #[default]
    Anything,
    /// Date Night.
    DateNight,
    /// Mind Bending.
    MindBending,
    /// Brain Off / Popcorn.
    BrainOff,
    /// Dark & Gritty.
    DarkAndGritty,
    /// Feel Good.
    FeelGood,
    /// Edge of Seat.
    EdgeOfSeat,
    /// Family Fun.
    FamilyFun,
    /// 80s Nostalgia.
    EightiesNostalgia,
    /// Dystopian.
    Dystopian,
    /// Short & Sweet.
    ShortAndSweet,
    /// Critically Acclaimed.
    CriticallyAcclaimed,
    /// Hidden Gem.
    HiddenGem,
    /// Slow Burn.
    SlowBurn,
    /// Visual Masterpiece.
    VisualMasterpiece,
    /// Documentary.
    Documentary,
}

impl Mood {
    /// Every mood, in UI order.
    pub const ALL: [Mood; 16] = [
        Mood::Anything,
        Mood::DateNight,
        Mood::MindBending,
        Mood::BrainOff,
        Mood::DarkAndGritty,
        Mood::FeelGood,
        Mood::EdgeOfSeat,
        Mood::FamilyFun,
        Mood::EightiesNostalgia,
        Mood::Dystopian,
        Mood::ShortAndSweet,
        Mood::CriticallyAcclaimed,
        Mood::HiddenGem,
        Mood::SlowBurn,
        Mood::VisualMasterpiece,
        Mood::Documentary,
    ];

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            Mood::Anything => "anything",
            Mood::DateNight => "date_night",
            Mood::MindBending => "mind_bending",
            Mood::BrainOff => "brain_off",
            Mood::DarkAndGritty => "dark_and_gritty",
            Mood::FeelGood => "feel_good",
            Mood::EdgeOfSeat => "edge_of_seat",
            Mood::FamilyFun => "family_fun",
            Mood::EightiesNostalgia => "eighties_nostalgia",
            Mood::Dystopian => "dystopian",
            Mood::ShortAndSweet => "short_and_sweet",
            Mood::CriticallyAcclaimed => "critically_acclaimed",
            Mood::HiddenGem => "hidden_gem",
            Mood::SlowBurn => "slow_burn",
            Mood::VisualMasterpiece => "visual_masterpiece",
            Mood::Documentary => "documentary",
        }
    }

    /// UI label.
    pub fn label(self) -> &'static str {
        match self {
            Mood::Anything => "Open to anything",
            Mood::DateNight => "Date Night",
            Mood::MindBending => "Mind Bending",
            Mood::BrainOff => "Brain Off / Popcorn",
            Mood::DarkAndGritty => "Dark & Gritty",
            Mood::FeelGood => "Feel Good",
            Mood::EdgeOfSeat => "Edge of Seat",
            Mood::FamilyFun => "Family Fun",
            Mood::EightiesNostalgia => "80s Nostalgia",
            Mood::Dystopian => "Dystopian",
            Mood::ShortAndSweet => "Short & Sweet",
            Mood::CriticallyAcclaimed => "Critically Acclaimed",
            Mood::HiddenGem => "Hidden Gem",
            Mood::SlowBurn => "Slow Burn",
            Mood::VisualMasterpiece => "Visual Masterpiece",
            Mood::Documentary => "Documentary",
        }
    }

    /// One line saying what the mood looks for (its rules, in words).
    pub fn description(self) -> &'static str {
        match self {
            Mood::Anything => {
                "The best-rated things in your libraries, with a nudge for unseen and new"
            }
            Mood::DateNight => "Romance and comedy that two can share, nothing too long, no horror",
            Mood::MindBending => "Sci-fi and mysteries about dreams, memory and twisted realities",
            Mood::BrainOff => "Action, comedy and adventure that crowds loved; no homework",
            Mood::DarkAndGritty => {
                "Crime, thrillers, noir and war, with murder and revenge in the summary"
            }
            Mood::FeelGood => {
                "Comedy, family, music and romance to leave you smiling; no horror or war"
            }
            Mood::EdgeOfSeat => "Thrillers and action with chases, escapes and countdowns",
            Mood::FamilyFun => {
                "Rated PG / TV-PG or lower, or tagged family or kids; animation and comedy first"
            }
            Mood::EightiesNostalgia => "Released between 1980 and 1989",
            Mood::Dystopian => {
                "Summaries about dystopias, regimes, wastelands and rebellions in the future"
            }
            Mood::ShortAndSweet => {
                "Movies up to 95 minutes, episodes up to 30; shorter scores higher"
            }
            Mood::CriticallyAcclaimed => "A critic rating of 7.5 or more; higher is better",
            Mood::HiddenGem => {
                "Unwatched, rated 7 or more, and waiting in your library the longest"
            }
            Mood::SlowBurn => "Long, patient dramas, mysteries and westerns that critics rate",
            Mood::VisualMasterpiece => "Well-rated sci-fi, fantasy, animation, adventure and epics",
            Mood::Documentary => "Documentaries, best rated and unseen first",
        }
    }
}

/// A wall-clock time of day, local to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClockTime {
    /// 0-23.
    pub hour: u8,
    /// 0-59.
    pub minute: u8,
}

impl ClockTime {
    /// A time of day (not validated here; [`Choices::validate`] does).
    pub fn new(hour: u8, minute: u8) -> Self {
        ClockTime { hour, minute }
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u32 {
        u32::from(self.hour) * 60 + u32::from(self.minute)
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// How much time there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RuntimeLimit {
    /// At most this many minutes.
    MaxMinutes {
        /// The limit, inclusive.
        minutes: u32,
    },
    /// Must finish by this local time of day.
    ///
    /// If the time is later today, the budget is the minutes until then. If it
    /// is earlier than now, it means tomorrow only when that is at most 12 h
    /// away (now 23:10, finish by 01:00 ⇒ 110 min); otherwise it has passed and
    /// the engine answers "finish time passed". A finish time
    /// equal to now leaves 0 minutes, so nothing fits.
    FinishBy {
        /// The local time the title must be over by.
        at: ClockTime,
    },
}

/// Which years.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum YearFilter {
    /// Inclusive range; either end may be open.
    Range {
        /// First year, inclusive.
        from: Option<u16>,
        /// Last year, inclusive.
        to: Option<u16>,
    },
    /// Any of these decades, each given by its first year (1980 = the 1980s).
    Decades {
        /// Decade starts, e.g. `[1980, 1990]`.
        decades: Vec<u16>,
    },
}

impl YearFilter {
    /// Whether a year passes. Titles without a year never pass a year filter.
    pub fn admits(&self, year: Option<u16>) -> bool {
        let Some(y) = year else { return false };
        match self {
            YearFilter::Range { from, to } => {
                from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t)
            }
            YearFilter::Decades { decades } => decades.iter().any(|&d| y / 10 == d / 10),
        }
    }
}

/// One kids-to-adult scale for US movie and TV content ratings.
///
/// `TV-Y < TV-Y7 < G = TV-G < PG = TV-PG < PG-13 = TV-14 < R = TV-MA < NC-17`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentLevel {
    /// TV-Y.
    Preschool,
    /// TV-Y7 (and TV-Y7-FV).
    Kids,
    /// G, TV-G.
    General,
    /// PG, TV-PG.
    Parental,
    /// PG-13, TV-14.
    Teens,
    /// R, TV-MA.
    Mature,
    /// NC-17 (and X).
    AdultsOnly,
}

impl ContentLevel {
    /// Every level, kids to adult.
    pub const ALL: [ContentLevel; 7] = [
        ContentLevel::Preschool,
        ContentLevel::Kids,
        ContentLevel::General,
        ContentLevel::Parental,
        ContentLevel::Teens,
        ContentLevel::Mature,
        ContentLevel::AdultsOnly,
    ];

    /// Stable id (the serde name).
    pub fn id(self) -> &'static str {
        match self {
            ContentLevel::Preschool => "preschool",
            ContentLevel::Kids => "kids",
            ContentLevel::General => "general",
            ContentLevel::Parental => "parental",
            ContentLevel::Teens => "teens",
            ContentLevel::Mature => "mature",
            ContentLevel::AdultsOnly => "adults_only",
        }
    }

    /// UI label naming the ratings at this level.
    pub fn label(self) -> &'static str {
        match self {
            ContentLevel::Preschool => "TV-Y",
            ContentLevel::Kids => "TV-Y7",
            ContentLevel::General => "G / TV-G",
            ContentLevel::Parental => "PG / TV-PG",
            ContentLevel::Teens => "PG-13 / TV-14",
            ContentLevel::Mature => "R / TV-MA",
            ContentLevel::AdultsOnly => "NC-17",
        }
    }

    /// The level of a Plex content rating (`PG-13`, `TV-MA`, `us/PG`), or
    /// `None` for unknown, unrated (`NR`, `Not Rated`) and non-US ratings.
    pub fn parse(rating: &str) -> Option<ContentLevel> {
        let r = rating.trim();
        let r = match r.split_once('/') {
            Some((country, rest)) if country.eq_ignore_ascii_case("us") => rest.trim(),
            Some(_) => return None,
            None => r,
        };
        const TABLE: [(&str, ContentLevel); 13] = [
            ("TV-Y", ContentLevel::Preschool),
            ("TV-Y7", ContentLevel::Kids),
            ("TV-Y7-FV", ContentLevel::Kids),
            ("G", ContentLevel::General),
            ("TV-G", ContentLevel::General),
            ("PG", ContentLevel::Parental),
            ("TV-PG", ContentLevel::Parental),
            ("PG-13", ContentLevel::Teens),
            ("TV-14", ContentLevel::Teens),
            ("R", ContentLevel::Mature),
            ("TV-MA", ContentLevel::Mature),
            ("NC-17", ContentLevel::AdultsOnly),
            ("X", ContentLevel::AdultsOnly),
        ];
        TABLE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(r))
            .map(|&(_, level)| level)
    }
}

/// Everything the user chose.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Choices {
    /// Movies, shows or both.
    pub format: Format,
    /// Seen or unseen.
    pub watch: WatchFilter,
    /// The mood.
    pub mood: Mood,
    /// Time budget.
    pub runtime: Option<RuntimeLimit>,
    /// Keep titles with any of these genres (empty: no constraint). Compared
    /// ignoring case, spaces and punctuation.
    pub include_genres: Vec<String>,
    /// Drop titles with any of these genres.
    pub exclude_genres: Vec<String>,
    /// Which years.
    pub years: Option<YearFilter>,
    /// Highest content rating allowed; titles with an unknown rating are excluded when set.
    pub max_content: Option<ContentLevel>,
    /// Minimum critic rating (0-10); titles without one are excluded when set.
    pub min_critic: Option<f32>,
    /// Minimum audience rating (0-10); titles without one are excluded when set.
    pub min_audience: Option<f32>,
}

impl Choices {
    /// The same choices with `filter` lifted: what "try without the time limit" picks with.
    /// `None` when lifting it changes nothing (it was not set, or it is the cool-off, which
    /// lives in the history, not in the choices).
    pub fn without(&self, filter: Filter) -> Option<Choices> {
        let mut next = self.clone();
        match filter {
            Filter::Format => next.format = Format::Any,
            Filter::Watch => next.watch = WatchFilter::All,
            Filter::IncludeGenres => next.include_genres.clear(),
            Filter::ExcludeGenres => next.exclude_genres.clear(),
            Filter::Years => next.years = None,
            Filter::ContentRating => next.max_content = None,
            Filter::CriticRating => next.min_critic = None,
            Filter::AudienceRating => next.min_audience = None,
            Filter::Runtime => next.runtime = None,
            Filter::Mood => next.mood = Mood::Anything,
            Filter::CoolOff => return None,
        }
        (next != *self).then_some(next)
    }

    /// Checks the choices make sense: ratings are numbers in 0-10, a year
    /// range is not reversed, a finish-by time is a real time of day.
    pub fn validate(&self) -> Result<(), InvalidChoice> {
        for (name, v) in [
            ("minimum critic rating", self.min_critic),
            ("minimum audience rating", self.min_audience),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                    return Err(InvalidChoice(format!("{name} must be between 0 and 10")));
                }
            }
        }
        if let Some(YearFilter::Range {
            from: Some(f),
            to: Some(t),
        }) = &self.years
        {
            if f > t {
                return Err(InvalidChoice(format!("year range {f}-{t} is reversed")));
            }
        }
        if let Some(RuntimeLimit::FinishBy { at }) = self.runtime {
            if at.hour > 23 || at.minute > 59 {
                return Err(InvalidChoice(format!(
                    "finish-by time {}:{:02} is not a time of day",
                    at.hour, at.minute
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_lifts_exactly_one_filter() {
        let all = Choices {
            format: Format::Movie,
            watch: WatchFilter::Unwatched,
            mood: Mood::FeelGood,
            runtime: Some(RuntimeLimit::MaxMinutes { minutes: 90 }),
            include_genres: vec!["Comedy".into()],
            exclude_genres: vec!["Horror".into()],
            years: Some(YearFilter::Decades {
                decades: vec![1990],
            }),
            max_content: Some(ContentLevel::ALL[1]),
            min_critic: Some(6.0),
            min_audience: Some(7.0),
        };
        for filter in Filter::ORDER {
            match all.without(filter) {
                None => assert_eq!(filter, Filter::CoolOff),
                Some(lifted) => {
                    // Exactly one field differs, and lifting it again changes nothing.
                    assert_ne!(lifted, all, "{filter:?}");
                    assert_eq!(lifted.without(filter), None, "{filter:?}");
                    let mut back = lifted.clone();
                    match filter {
                        Filter::Format => back.format = all.format,
                        Filter::Watch => back.watch = all.watch,
                        Filter::IncludeGenres => back.include_genres = all.include_genres.clone(),
                        Filter::ExcludeGenres => back.exclude_genres = all.exclude_genres.clone(),
                        Filter::Years => back.years = all.years.clone(),
                        Filter::ContentRating => back.max_content = all.max_content,
                        Filter::CriticRating => back.min_critic = all.min_critic,
                        Filter::AudienceRating => back.min_audience = all.min_audience,
                        Filter::Runtime => back.runtime = all.runtime,
                        Filter::Mood => back.mood = all.mood,
                        Filter::CoolOff => unreachable!(),
                    }
                    assert_eq!(back, all, "{filter:?} lifted more than itself");
                }
            }
        }
        assert_eq!(Choices::default().without(Filter::Runtime), None);
    }

    #[test]
    fn content_levels_follow_both_scales() {
        let movie = ["G", "PG", "PG-13", "R", "NC-17"].map(|r| ContentLevel::parse(r).unwrap());
        assert!(movie.windows(2).all(|w| w[0] < w[1]));
        let tv = ["TV-Y", "TV-Y7", "TV-G", "TV-PG", "TV-14", "TV-MA"]
            .map(|r| ContentLevel::parse(r).unwrap());
        assert!(tv.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ContentLevel::parse(" us/pg-13 "), Some(ContentLevel::Teens));
        assert_eq!(ContentLevel::parse("TV-Y7-FV"), Some(ContentLevel::Kids));
        for unknown in ["NR", "Not Rated", "Unrated", "gb/15", "", "Approved"] {
            assert_eq!(ContentLevel::parse(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn year_filters() {
        let r = YearFilter::Range {
            from: Some(1980),
            to: Some(1989),
        };
        assert!(r.admits(Some(1980)) && r.admits(Some(1989)));
        assert!(!r.admits(Some(1990)) && !r.admits(None));
        let open = YearFilter::Range {
            from: None,
            to: Some(2000),
        };
        assert!(open.admits(Some(1920)));
        let d = YearFilter::Decades {
            decades: vec![1980, 2000],
        };
        assert!(d.admits(Some(1985)) && d.admits(Some(2009)) && !d.admits(Some(1995)));
    }

    #[test]
    fn ids_are_the_serde_names_and_distinct() {
        for m in Mood::ALL {
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("\"{}\"", m.id())
            );
            assert!(!m.label().is_empty() && !m.description().is_empty());
        }
        let mut ids: Vec<_> = Mood::ALL.iter().map(|m| m.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Mood::ALL.len());
        for f in Format::ALL {
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.id())
            );
        }
        for w in WatchFilter::ALL {
            assert_eq!(
                serde_json::to_string(&w).unwrap(),
                format!("\"{}\"", w.id())
            );
        }
        assert_eq!(
            serde_json::from_str::<WatchFilter>("\"new-to-someone\"").unwrap(),
            WatchFilter::NewToSomeone
        );
        for c in ContentLevel::ALL {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.id())
            );
        }
    }

    #[test]
    fn the_room_offers_new_to_someone_only_to_several_people() {
        assert_eq!(
            WatchFilter::for_room(1),
            &[
                WatchFilter::All,
                WatchFilter::Unwatched,
                WatchFilter::Rewatch
            ]
        );
        assert_eq!(WatchFilter::for_room(0), WatchFilter::for_room(1));
        assert_eq!(WatchFilter::for_room(2), &WatchFilter::ALL);
        assert_eq!(WatchFilter::for_room(5), &WatchFilter::ALL);
        assert_eq!(WatchFilter::NewToSomeone.label(), "New to someone");
        let mut ids: Vec<_> = WatchFilter::ALL.iter().map(|w| w.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), WatchFilter::ALL.len());
    }

    #[test]
    fn validation() {
        let ok = Choices::default();
        assert!(ok.validate().is_ok());
        let bad = Choices {
            min_critic: Some(f32::NAN),
            ..Choices::default()
        };
        assert!(matches!(bad.validate(), Err(InvalidChoice(_))));
        let bad = Choices {
            years: Some(YearFilter::Range {
                from: Some(2000),
                to: Some(1990),
            }),
            ..Choices::default()
        };
        assert!(bad.validate().is_err());
        let bad = Choices {
            runtime: Some(RuntimeLimit::FinishBy {
                at: ClockTime::new(24, 0),
            }),
            ..Choices::default()
        };
        assert!(bad.validate().is_err());
    }
}
