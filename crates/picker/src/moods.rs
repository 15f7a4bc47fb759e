//! The moods: each a transparent rule set over facts the catalog has.
//!
//! A mood has a *gate* (what a title must have to fit the mood at all) and
//! *points* added up to a 0-100 score. "q(N)" below means the mean of the
//! known ratings (critic and audience, 0-10) scaled to 0..N points, or N/2
//! when the title has no rating; "words" are whole words of the summary (see
//! `text.rs` for the lists). Runtime means a movie's runtime or, for a show,
//! the runtime of the episode offered.
//!
//! | mood | gate | points |
//! |---|---|---|
//! | Open to anything | none | 45 + q(30) + 10 unwatched + 10 added in the last 30 days |
//! | Date Night | romance or comedy; no horror, kids, documentary | 30 + 20 romance + 15 comedy + 10 runtime 80-130 min + 10 love words + q(25) |
//! | Mind Bending | mind words (dream, memory, reality, paradox…), or sci-fi with mystery/thriller | 30 + 25 mind words + 10 sci-fi + 10 mystery + 5 thriller + q(25) |
//! | Brain Off | action, comedy, adventure or animation; no documentary | 30 + 15 action + 15 comedy + 10 adventure + 10 runtime ≤ 110 min + audience q(30) |
//! | Dark & Gritty | crime, thriller, horror, war or noir; no family, kids, animation | 25 + 15 crime + 15 noir + 10 thriller + 10 war + 5 horror + 15 dark words (murder, revenge…) + 5 rated R/TV-MA or above + q(20) |
//! | Feel Good | comedy, family, music, romance or animation; no horror, war, thriller, crime | 30 + 15 comedy + 10 family + 10 music + 10 romance + 10 feel-good words + audience q(25) |
//! | Edge of Seat | thriller, action, horror or mystery | 25 + 20 thriller + 10 action + 10 horror + 10 mystery + 15 tension words (chase, escape…) + q(20) |
//! | Family Fun | rated PG/TV-PG or lower, or unrated and tagged family/kids; no horror | 30 + 15 family + 15 animation + 10 kids + 10 comedy + 5 adventure + q(25) |
//! | 80s Nostalgia | year 1980-1989 | 45 + 15 action/adventure/comedy/sci-fi/fantasy + 10 seen before + q(30) |
//! | Dystopian | dystopia words (dystopia, regime, wasteland…), or sci-fi with future words (future, rebellion…) | 35 + 20 dystopia words + 10 future words + 10 sci-fi + q(25) |
//! | Short & Sweet | known runtime ≤ 95 min (movies) or ≤ 30 min (episodes) | 40 + up to 30 the shorter it is + q(30) |
//! | Critically Acclaimed | critic rating ≥ 7.5 | 20 + 0..60 for critic 7.5..10 + audience q(20) |
//! | Hidden Gem | never watched, best rating ≥ 7 | 30 + 0..30 for best rating 7..10 + 0..30 for time in the library (full at 2 years) |
//! | Slow Burn | drama, mystery, western, history or noir; no comedy, action, animation, family, kids; long (movie ≥ 110 min, episode ≥ 50 min) or slow words | 30 + 10 drama + 10 mystery + 10 western + 15 long + 15 slow words + critic q(20) |
//! | Visual Masterpiece | sci-fi, fantasy, animation, adventure, war, western or history, best rating ≥ 7 | 25 + 20 visual words (epic, stunning…) + 10 movie ≥ 120 min + 10 sci-fi/fantasy/animation + q(35) |
//! | Documentary | documentary | 40 + q(35) + 15 unwatched + 10 added in the last 60 days |
//!

use crate::catalog::Kind;
use crate::choices::{ContentLevel, Mood};
use crate::text::{g, kw};

/// The facts a mood looks at, for one candidate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Features {
    pub kind: Kind,
    pub year: Option<u16>,
    /// Canonical genre bits (`text::g`).
    pub genres: u32,
    /// Movie runtime or the offered episode's runtime, when known.
    pub runtime_ms: Option<u64>,
    pub critic: Option<f32>,
    pub audience: Option<f32>,
    pub level: Option<ContentLevel>,
    /// Seen before (or marked "seen it").
    pub watched: bool,
    /// Has something unwatched (and not marked "seen it").
    pub unwatched: bool,
    /// Whole days since `added_at`.
    pub added_days: Option<u32>,
    /// Summary keyword groups (`text::kw`).
    pub words: u32,
}

/// A mood's verdict on one candidate, plus what the reason should cite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Eval {
    pub score: u8,
    /// Genre bits worth naming first.
    pub cite_genres: u32,
    /// Keyword groups whose words should be quoted.
    pub cite_words: u32,
    pub cite_content: bool,
    pub cite_added: bool,
    pub cite_unwatched: bool,
    pub cite_watched: bool,
    pub verdict: &'static str,
}

/// Whether a mood's rules look at the runtime (the only fact that may need
/// an episode chosen).
pub(crate) fn uses_runtime(mood: Mood) -> bool {
    matches!(
        mood,
        Mood::DateNight
            | Mood::BrainOff
            | Mood::ShortAndSweet
            | Mood::SlowBurn
            | Mood::VisualMasterpiece
    )
}

const MIN: u64 = 60_000;

fn mean_rating(f: &Features) -> Option<f32> {
    match (f.critic, f.audience) {
        (Some(c), Some(a)) => Some((c + a) / 2.0),
        (Some(r), None) | (None, Some(r)) => Some(r),
        (None, None) => None,
    }
}

fn best_rating(f: &Features) -> Option<f32> {
    match (f.critic, f.audience) {
        (Some(c), Some(a)) => Some(c.max(a)),
        (Some(r), None) | (None, Some(r)) => Some(r),
        (None, None) => None,
    }
}

/// `r` (0-10) scaled to 0..max points; half when unknown.
fn scaled(r: Option<f32>, max: i32) -> i32 {
    match r {
        Some(r) => (r.clamp(0.0, 10.0) / 10.0 * max as f32).round() as i32,
        None => max / 2,
    }
}

fn q(f: &Features, max: i32) -> i32 {
    scaled(mean_rating(f), max)
}

fn audience_q(f: &Features, max: i32) -> i32 {
    scaled(f.audience.or(f.critic), max)
}

fn critic_q(f: &Features, max: i32) -> i32 {
    scaled(f.critic.or(f.audience), max)
}

fn pts(cond: bool, p: i32) -> i32 {
    if cond {
        p
    } else {
        0
    }
}

fn runtime_between(f: &Features, lo_min: u64, hi_min: u64) -> bool {
    f.runtime_ms
        .is_some_and(|ms| ms >= lo_min * MIN && ms <= hi_min * MIN)
}

fn is_show(f: &Features) -> bool {
    f.kind == Kind::Show
}

impl Eval {
    fn new(score: i32, verdict: &'static str) -> Self {
        Eval {
            score: score.clamp(0, 100) as u8,
            cite_genres: 0,
            cite_words: 0,
            cite_content: false,
            cite_added: false,
            cite_unwatched: false,
            cite_watched: false,
            verdict,
        }
    }
    fn genres(mut self, mask: u32) -> Self {
        self.cite_genres = mask;
        self
    }
    fn words(mut self, mask: u32) -> Self {
        self.cite_words = mask;
        self
    }
}

/// The mood's gate and score for a candidate; `None` when it does not fit the mood.
pub(crate) fn evaluate(mood: Mood, f: &Features) -> Option<Eval> {
    let gs = f.genres;
    let has = |m: u32| gs & m != 0;
    let w = |m: u32| f.words & m != 0;
    let e = match mood {
        Mood::Anything => {
            let recent = f.added_days.is_some_and(|d| d <= 30);
            let top = mean_rating(f).is_some_and(|r| r >= 8.0);
            let verdict = if top {
                "among the best-rated in your libraries"
            } else if recent {
                "fresh in your library"
            } else {
                "a solid choice for tonight"
            };
            let mut e = Eval::new(
                45 + q(f, 30) + pts(f.unwatched, 10) + pts(recent, 10),
                verdict,
            );
            e.cite_unwatched = f.unwatched;
            e.cite_added = recent;
            e
        }
        Mood::DateNight => {
            if !has(g::ROMANCE | g::COMEDY) || has(g::HORROR | g::KIDS | g::DOCUMENTARY) {
                return None;
            }
            let score = 30
                + pts(has(g::ROMANCE), 20)
                + pts(has(g::COMEDY), 15)
                + pts(runtime_between(f, 80, 130), 10)
                + pts(w(kw::LOVE), 10)
                + q(f, 25);
            let verdict = match (has(g::ROMANCE), has(g::COMEDY)) {
                (true, true) => "a romantic comedy for two",
                (true, false) => "romance for two",
                _ => "laughs to share",
            };
            Eval::new(score, verdict)
                .genres(g::ROMANCE | g::COMEDY)
                .words(kw::LOVE)
        }
        Mood::MindBending => {
            let combo = has(g::SCIFI) && has(g::MYSTERY | g::THRILLER);
            if !w(kw::MIND) && !combo {
                return None;
            }
            let score = 30
                + pts(w(kw::MIND), 25)
                + pts(has(g::SCIFI), 10)
                + pts(has(g::MYSTERY), 10)
                + pts(has(g::THRILLER), 5)
                + critic_q(f, 25);
            Eval::new(score, "one to untangle afterwards")
                .genres(g::SCIFI | g::MYSTERY | g::THRILLER)
                .words(kw::MIND)
        }
        Mood::BrainOff => {
            if !has(g::ACTION | g::COMEDY | g::ADVENTURE | g::ANIMATION) || has(g::DOCUMENTARY) {
                return None;
            }
            let score = 30
                + pts(has(g::ACTION), 15)
                + pts(has(g::COMEDY), 15)
                + pts(has(g::ADVENTURE), 10)
                + pts(f.runtime_ms.is_some_and(|ms| ms <= 110 * MIN), 10)
                + audience_q(f, 30);
            let verdict = if f.audience.is_some_and(|a| a >= 7.0) {
                "crowd-pleasing popcorn fun"
            } else {
                "easy popcorn fun"
            };
            Eval::new(score, verdict).genres(g::ACTION | g::COMEDY | g::ADVENTURE | g::ANIMATION)
        }
        Mood::DarkAndGritty => {
            if !has(g::CRIME | g::THRILLER | g::HORROR | g::WAR | g::NOIR)
                || has(g::FAMILY | g::KIDS | g::ANIMATION)
            {
                return None;
            }
            let mature = f.level.is_some_and(|l| l >= ContentLevel::Mature);
            let score = 25
                + pts(has(g::CRIME), 15)
                + pts(has(g::NOIR), 15)
                + pts(has(g::THRILLER), 10)
                + pts(has(g::WAR), 10)
                + pts(has(g::HORROR), 5)
                + pts(w(kw::DARK), 15)
                + pts(mature, 5)
                + q(f, 20);
            let mut e = Eval::new(score, "dark and gritty, as ordered")
                .genres(g::NOIR | g::CRIME | g::THRILLER | g::WAR | g::HORROR)
                .words(kw::DARK);
            e.cite_content = mature;
            e
        }
        Mood::FeelGood => {
            if !has(g::COMEDY | g::FAMILY | g::MUSIC | g::ROMANCE | g::ANIMATION)
                || has(g::HORROR | g::WAR | g::THRILLER | g::CRIME)
            {
                return None;
            }
            let score = 30
                + pts(has(g::COMEDY), 15)
                + pts(has(g::FAMILY), 10)
                + pts(has(g::MUSIC), 10)
                + pts(has(g::ROMANCE), 10)
                + pts(w(kw::FEELGOOD), 10)
                + audience_q(f, 25);
            Eval::new(score, "to leave you smiling")
                .genres(g::COMEDY | g::FAMILY | g::MUSIC | g::ROMANCE | g::ANIMATION)
                .words(kw::FEELGOOD)
        }
        Mood::EdgeOfSeat => {
            if !has(g::THRILLER | g::ACTION | g::HORROR | g::MYSTERY) {
                return None;
            }
            let score = 25
                + pts(has(g::THRILLER), 20)
                + pts(has(g::ACTION), 10)
                + pts(has(g::HORROR), 10)
                + pts(has(g::MYSTERY), 10)
                + pts(w(kw::TENSION), 15)
                + q(f, 20);
            Eval::new(score, "one to watch from the edge of your seat")
                .genres(g::THRILLER | g::ACTION | g::HORROR | g::MYSTERY)
                .words(kw::TENSION)
        }
        Mood::FamilyFun => {
            let ok_rating = match f.level {
                Some(l) => l <= ContentLevel::Parental,
                None => has(g::FAMILY | g::KIDS),
            };
            if !ok_rating || has(g::HORROR) {
                return None;
            }
            let score = 30
                + pts(has(g::FAMILY), 15)
                + pts(has(g::ANIMATION), 15)
                + pts(has(g::KIDS), 10)
                + pts(has(g::COMEDY), 10)
                + pts(has(g::ADVENTURE), 5)
                + q(f, 25);
            let mut e = Eval::new(score, "fun for the whole family")
                .genres(g::FAMILY | g::ANIMATION | g::KIDS | g::COMEDY | g::ADVENTURE);
            e.cite_content = f.level.is_some();
            e
        }
        Mood::EightiesNostalgia => {
            if !f.year.is_some_and(|y| (1980..=1989).contains(&y)) {
                return None;
            }
            let fun = g::ACTION | g::ADVENTURE | g::COMEDY | g::SCIFI | g::FANTASY;
            let score = 45 + pts(has(fun), 15) + pts(f.watched, 10) + q(f, 30);
            let mut e = Eval::new(score, "pure 80s nostalgia").genres(fun);
            e.cite_watched = f.watched;
            e
        }
        Mood::Dystopian => {
            let futuristic = has(g::SCIFI) && w(kw::FUTURE);
            if !(w(kw::DYSTOPIA) || futuristic) {
                return None;
            }
            let score = 35
                + pts(w(kw::DYSTOPIA), 20)
                + pts(w(kw::FUTURE), 10)
                + pts(has(g::SCIFI), 10)
                + q(f, 25);
            Eval::new(score, "a glimpse of a world gone wrong")
                .genres(g::SCIFI)
                .words(kw::DYSTOPIA | kw::FUTURE)
        }
        Mood::ShortAndSweet => {
            let limit = if is_show(f) { 30 * MIN } else { 95 * MIN };
            let ms = f.runtime_ms.filter(|&ms| ms <= limit)?;
            let shortness = ((limit - ms) as f64 / limit as f64 * 30.0).round() as i32;
            Eval::new(40 + shortness + q(f, 30), "short and sweet")
        }
        Mood::CriticallyAcclaimed => {
            let c = f.critic.filter(|&c| c >= 7.5)?;
            let score = 20 + ((c - 7.5) / 2.5 * 60.0).round() as i32 + scaled(f.audience, 20);
            Eval::new(score, "acclaimed by the critics")
        }
        Mood::HiddenGem => {
            let best = best_rating(f).filter(|&r| r >= 7.0)?;
            if f.watched {
                return None;
            }
            let rating = ((best - 7.0) / 3.0 * 30.0).round() as i32;
            let waiting = f
                .added_days
                .map_or(0, |d| (d.min(730) as f32 / 730.0 * 30.0).round() as i32);
            let mut e = Eval::new(
                30 + rating + waiting,
                "a hidden gem waiting in your library",
            );
            e.cite_unwatched = true;
            e.cite_added = f.added_days.is_some();
            e
        }
        Mood::SlowBurn => {
            if !has(g::DRAMA | g::MYSTERY | g::WESTERN | g::HISTORY | g::NOIR)
                || has(g::COMEDY | g::ACTION | g::ANIMATION | g::FAMILY | g::KIDS)
            {
                return None;
            }
            let long_min = if is_show(f) { 50 } else { 110 };
            let long = f.runtime_ms.is_some_and(|ms| ms >= long_min * MIN);
            if !long && !w(kw::SLOW) {
                return None;
            }
            let score = 30
                + pts(has(g::DRAMA), 10)
                + pts(has(g::MYSTERY), 10)
                + pts(has(g::WESTERN), 10)
                + pts(long, 15)
                + pts(w(kw::SLOW), 15)
                + critic_q(f, 20);
            Eval::new(score, "a slow burn that rewards patience")
                .genres(g::DRAMA | g::MYSTERY | g::WESTERN | g::HISTORY | g::NOIR)
                .words(kw::SLOW)
        }
        Mood::VisualMasterpiece => {
            let visual = g::SCIFI
                | g::FANTASY
                | g::ANIMATION
                | g::ADVENTURE
                | g::WAR
                | g::WESTERN
                | g::HISTORY;
            if !has(visual) || best_rating(f).is_none_or(|r| r < 7.0) {
                return None;
            }
            let score = 25
                + pts(w(kw::VISUAL), 20)
                + pts(
                    !is_show(f) && f.runtime_ms.is_some_and(|ms| ms >= 120 * MIN),
                    10,
                )
                + pts(has(g::SCIFI | g::FANTASY | g::ANIMATION), 10)
                + q(f, 35);
            Eval::new(score, "made for the biggest screen you have")
                .genres(visual)
                .words(kw::VISUAL)
        }
        Mood::Documentary => {
            if !has(g::DOCUMENTARY) {
                return None;
            }
            let recent = f.added_days.is_some_and(|d| d <= 60);
            let mut e = Eval::new(
                40 + q(f, 35) + pts(f.unwatched, 15) + pts(recent, 10),
                "a true story to learn from tonight",
            )
            .genres(g::DOCUMENTARY);
            e.cite_unwatched = f.unwatched;
            e.cite_added = recent;
            e
        }
    };
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Title;
    use crate::text::genre_set;

    const M: u64 = 60_000;

    fn title(year: Option<u16>) -> Title {
        Title {
            year,
            ..Title::movie("1", "T")
        }
    }

    /// Features with the given genres and everything else unknown.
    fn feats(t: &Title, genres: &[&str]) -> Features {
        let genres: Vec<String> = genres.iter().map(|s| s.to_string()).collect();
        Features {
            kind: t.kind,
            year: t.year,
            genres: genre_set(&genres),
            runtime_ms: None,
            critic: None,
            audience: None,
            level: None,
            watched: false,
            unwatched: true,
            added_days: None,
            words: 0,
        }
    }

    fn score(mood: Mood, f: &Features) -> Option<u8> {
        evaluate(mood, f).map(|e| e.score)
    }

    #[test]
    fn anything_prefers_rated_unseen_and_new() {
        let t = title(None);
        let base = feats(&t, &[]);
        // 45 + q(30) unknown = 15, + 10 unwatched.
        assert_eq!(score(Mood::Anything, &base), Some(70));
        let rated = Features {
            critic: Some(9.0),
            audience: Some(8.0),
            ..base
        };
        assert_eq!(score(Mood::Anything, &rated), Some(45 + 26 + 10));
        assert_eq!(
            evaluate(Mood::Anything, &rated).unwrap().verdict,
            "among the best-rated in your libraries"
        );
        let seen_new = Features {
            unwatched: false,
            added_days: Some(3),
            ..base
        };
        let e = evaluate(Mood::Anything, &seen_new).unwrap();
        assert_eq!(
            (e.score, e.cite_added, e.cite_unwatched),
            (45 + 15 + 10, true, false)
        );
    }

    #[test]
    fn date_night() {
        let t = title(None);
        assert_eq!(score(Mood::DateNight, &feats(&t, &["Drama"])), None);
        assert_eq!(
            score(Mood::DateNight, &feats(&t, &["Romance", "Horror"])),
            None
        );
        assert_eq!(
            score(Mood::DateNight, &feats(&t, &["Comedy", "Kids"])),
            None
        );
        let romcom = Features {
            runtime_ms: Some(100 * M),
            words: kw::LOVE,
            ..feats(&t, &["Romance", "Comedy"])
        };
        assert_eq!(
            score(Mood::DateNight, &romcom),
            Some(30 + 20 + 15 + 10 + 10 + 12)
        );
        assert_eq!(
            evaluate(Mood::DateNight, &romcom).unwrap().verdict,
            "a romantic comedy for two"
        );
        let long = Features {
            runtime_ms: Some(140 * M),
            ..romcom
        };
        assert_eq!(score(Mood::DateNight, &long), Some(30 + 20 + 15 + 10 + 12));
    }

    #[test]
    fn mind_bending() {
        let t = title(None);
        assert_eq!(
            score(Mood::MindBending, &feats(&t, &["Science Fiction"])),
            None
        );
        assert_eq!(
            score(Mood::MindBending, &feats(&t, &["Sci-Fi", "Mystery"])),
            Some(30 + 10 + 10 + 12)
        );
        let words = Features {
            words: kw::MIND,
            critic: Some(8.0),
            ..feats(&t, &["Drama"])
        };
        assert_eq!(score(Mood::MindBending, &words), Some(30 + 25 + 20));
    }

    #[test]
    fn brain_off() {
        let t = title(None);
        assert_eq!(score(Mood::BrainOff, &feats(&t, &["Drama"])), None);
        assert_eq!(
            score(Mood::BrainOff, &feats(&t, &["Comedy", "Documentary"])),
            None
        );
        let f = Features {
            runtime_ms: Some(95 * M),
            audience: Some(8.0),
            critic: Some(2.0),
            ..feats(&t, &["Action", "Comedy"])
        };
        // Audience only: 8.0 → 24 points; critics ignored.
        assert_eq!(score(Mood::BrainOff, &f), Some(30 + 15 + 15 + 10 + 24));
        assert_eq!(
            evaluate(Mood::BrainOff, &f).unwrap().verdict,
            "crowd-pleasing popcorn fun"
        );
    }

    #[test]
    fn dark_and_gritty() {
        let t = title(None);
        assert_eq!(score(Mood::DarkAndGritty, &feats(&t, &["Comedy"])), None);
        assert_eq!(
            score(Mood::DarkAndGritty, &feats(&t, &["Crime", "Animation"])),
            None
        );
        let f = Features {
            words: kw::DARK,
            level: Some(ContentLevel::Mature),
            ..feats(&t, &["Crime", "Film-Noir"])
        };
        let e = evaluate(Mood::DarkAndGritty, &f).unwrap();
        assert_eq!(e.score, 25 + 15 + 15 + 15 + 5 + 10);
        assert!(e.cite_content);
    }

    #[test]
    fn feel_good() {
        let t = title(None);
        assert_eq!(
            score(Mood::FeelGood, &feats(&t, &["Comedy", "Horror"])),
            None
        );
        assert_eq!(score(Mood::FeelGood, &feats(&t, &["Drama"])), None);
        let f = Features {
            words: kw::FEELGOOD,
            audience: Some(10.0),
            ..feats(&t, &["Comedy", "Music"])
        };
        assert_eq!(score(Mood::FeelGood, &f), Some(30 + 15 + 10 + 10 + 25));
    }

    #[test]
    fn edge_of_seat() {
        let t = title(None);
        assert_eq!(score(Mood::EdgeOfSeat, &feats(&t, &["Romance"])), None);
        let f = Features {
            words: kw::TENSION,
            ..feats(&t, &["Thriller", "Action"])
        };
        assert_eq!(score(Mood::EdgeOfSeat, &f), Some(25 + 20 + 10 + 15 + 10));
    }

    #[test]
    fn family_fun() {
        let t = title(None);
        // A known rating decides.
        let pg13 = Features {
            level: Some(ContentLevel::Teens),
            ..feats(&t, &["Family"])
        };
        assert_eq!(score(Mood::FamilyFun, &pg13), None);
        let g = Features {
            level: Some(ContentLevel::General),
            ..feats(&t, &["Animation", "Comedy"])
        };
        let e = evaluate(Mood::FamilyFun, &g).unwrap();
        assert_eq!((e.score, e.cite_content), (30 + 15 + 10 + 12, true));
        // Unrated: only if tagged family or kids; never horror.
        assert_eq!(score(Mood::FamilyFun, &feats(&t, &["Animation"])), None);
        assert!(score(Mood::FamilyFun, &feats(&t, &["Kids"])).is_some());
        let horror = Features {
            level: Some(ContentLevel::Parental),
            ..feats(&t, &["Horror"])
        };
        assert_eq!(score(Mood::FamilyFun, &horror), None);
    }

    #[test]
    fn eighties() {
        for (year, fits) in [
            (Some(1979), false),
            (Some(1980), true),
            (Some(1989), true),
            (Some(1990), false),
            (None, false),
        ] {
            let t = title(year);
            assert_eq!(
                score(Mood::EightiesNostalgia, &feats(&t, &[])).is_some(),
                fits,
                "{year:?}"
            );
        }
        let t = title(Some(1986));
        let f = Features {
            watched: true,
            critic: Some(8.0),
            ..feats(&t, &["Adventure"])
        };
        let e = evaluate(Mood::EightiesNostalgia, &f).unwrap();
        assert_eq!(
            (e.score, e.cite_watched, e.verdict),
            (45 + 15 + 10 + 24, true, "pure 80s nostalgia")
        );
    }

    #[test]
    fn dystopian() {
        let t = title(None);
        assert_eq!(
            score(Mood::Dystopian, &feats(&t, &["Science Fiction"])),
            None
        );
        let future_only = Features {
            words: kw::FUTURE,
            ..feats(&t, &["Drama"])
        };
        assert_eq!(score(Mood::Dystopian, &future_only), None);
        let scifi_future = Features {
            words: kw::FUTURE,
            ..feats(&t, &["Sci-Fi"])
        };
        assert_eq!(
            score(Mood::Dystopian, &scifi_future),
            Some(35 + 10 + 10 + 12)
        );
        let words = Features {
            words: kw::DYSTOPIA,
            ..feats(&t, &["Drama"])
        };
        assert_eq!(score(Mood::Dystopian, &words), Some(35 + 20 + 12));
    }

    #[test]
    fn short_and_sweet() {
        let t = title(None);
        assert_eq!(
            score(Mood::ShortAndSweet, &feats(&t, &[])),
            None,
            "unknown runtime"
        );
        let long = Features {
            runtime_ms: Some(96 * M),
            ..feats(&t, &[])
        };
        assert_eq!(score(Mood::ShortAndSweet, &long), None);
        let short = Features {
            runtime_ms: Some(76 * M),
            ..feats(&t, &[])
        };
        let shorter = Features {
            runtime_ms: Some(60 * M),
            ..feats(&t, &[])
        };
        assert!(score(Mood::ShortAndSweet, &shorter) > score(Mood::ShortAndSweet, &short));
        assert_eq!(score(Mood::ShortAndSweet, &short), Some(40 + 6 + 15));
        let show = Title::show("s", "S");
        let ep = Features {
            runtime_ms: Some(31 * M),
            ..feats(&show, &[])
        };
        assert_eq!(score(Mood::ShortAndSweet, &ep), None);
    }

    #[test]
    fn critically_acclaimed() {
        let t = title(None);
        let low = Features {
            critic: Some(7.4),
            audience: Some(10.0),
            ..feats(&t, &[])
        };
        assert_eq!(score(Mood::CriticallyAcclaimed, &low), None);
        let top = Features {
            critic: Some(10.0),
            audience: Some(5.0),
            ..feats(&t, &[])
        };
        assert_eq!(score(Mood::CriticallyAcclaimed, &top), Some(20 + 60 + 10));
        let nan_is_missing = Features {
            critic: None,
            ..top
        };
        assert_eq!(score(Mood::CriticallyAcclaimed, &nan_is_missing), None);
    }

    #[test]
    fn hidden_gem() {
        let t = title(None);
        let f = Features {
            audience: Some(8.5),
            added_days: Some(730),
            ..feats(&t, &[])
        };
        let e = evaluate(Mood::HiddenGem, &f).unwrap();
        assert_eq!(
            (e.score, e.cite_added, e.cite_unwatched),
            (30 + 15 + 30, true, true)
        );
        assert_eq!(
            score(Mood::HiddenGem, &Features { watched: true, ..f }),
            None
        );
        assert_eq!(
            score(
                Mood::HiddenGem,
                &Features {
                    audience: Some(6.9),
                    ..f
                }
            ),
            None
        );
        let newer = Features {
            added_days: Some(30),
            ..f
        };
        assert!(score(Mood::HiddenGem, &newer) < score(Mood::HiddenGem, &f));
    }

    #[test]
    fn slow_burn() {
        let t = title(None);
        let short_drama = Features {
            runtime_ms: Some(100 * M),
            ..feats(&t, &["Drama"])
        };
        assert_eq!(score(Mood::SlowBurn, &short_drama), None);
        let long = Features {
            runtime_ms: Some(150 * M),
            critic: Some(9.0),
            ..feats(&t, &["Drama", "Western"])
        };
        assert_eq!(score(Mood::SlowBurn, &long), Some(30 + 10 + 10 + 15 + 18));
        let comedy = Features {
            genres: long.genres | g::COMEDY,
            ..long
        };
        assert_eq!(score(Mood::SlowBurn, &comedy), None);
        let quiet = Features {
            words: kw::SLOW,
            ..short_drama
        };
        assert_eq!(score(Mood::SlowBurn, &quiet), Some(30 + 10 + 15 + 10));
    }

    #[test]
    fn visual_masterpiece() {
        let t = title(None);
        assert_eq!(
            score(Mood::VisualMasterpiece, &feats(&t, &["Fantasy"])),
            None,
            "unrated"
        );
        let f = Features {
            critic: Some(8.0),
            runtime_ms: Some(150 * M),
            words: kw::VISUAL,
            ..feats(&t, &["Fantasy"])
        };
        assert_eq!(
            score(Mood::VisualMasterpiece, &f),
            Some(25 + 20 + 10 + 10 + 28)
        );
        let drama = Features {
            genres: g::DRAMA,
            ..f
        };
        assert_eq!(score(Mood::VisualMasterpiece, &drama), None);
    }

    #[test]
    fn documentary() {
        let t = title(None);
        assert_eq!(score(Mood::Documentary, &feats(&t, &["Drama"])), None);
        let f = Features {
            added_days: Some(10),
            ..feats(&t, &["Documentary"])
        };
        assert_eq!(score(Mood::Documentary, &f), Some(40 + 17 + 15 + 10));
    }

    #[test]
    fn scores_stay_in_range_for_extreme_inputs() {
        let t = title(Some(1985));
        let all = Features {
            genres: u32::MAX,
            runtime_ms: Some(1),
            critic: Some(10.0),
            audience: Some(10.0),
            level: Some(ContentLevel::Preschool),
            watched: true,
            unwatched: true,
            added_days: Some(u32::MAX),
            words: u32::MAX,
            ..feats(&t, &[])
        };
        for mood in Mood::ALL {
            if let Some(s) = score(mood, &all) {
                assert!(s <= 100, "{mood:?}");
            }
        }
    }
}
