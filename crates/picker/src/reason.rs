//! Why a title was picked: structured facts from its metadata plus a verdict,
//! rendered to one line ("A 1986 adventure film, 1 h 56 min, critics 8.1: pure 80s nostalgia").
//!
//! Every [`Fact`] is copied from the item (or, for [`Fact::InLibrary`], derived
//! from its `added_at` and the `now` of the pick), so a reason never claims
//! anything the metadata does not say; the verdict names the mood's opinion
//! and quotes no numbers.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use crate::catalog::Kind;

/// One fact about the item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "fact")]
pub enum Fact {
    /// Movie or show (`Title::kind`).
    Kind {
        /// The kind.
        kind: Kind,
    },
    /// Release year (`Title::year`).
    Year {
        /// The year.
        year: u16,
    },
    /// One of `Title::genres`, as spelled there.
    Genre {
        /// The genre tag.
        genre: String,
    },
    /// A movie's runtime (`Title::duration_ms`).
    Runtime {
        /// Milliseconds.
        ms: u64,
    },
    /// The episode offered (a copy of one of `Title::episodes`).
    Episode {
        /// Season number.
        season: u32,
        /// Episode number.
        index: u32,
        /// Episode title.
        title: String,
        /// Runtime, when known.
        duration_ms: Option<u64>,
        /// True for the next unwatched episode, false for a rewatch.
        next_up: bool,
    },
    /// `Title::critic_rating`.
    CriticRating {
        /// 0-10.
        rating: f32,
    },
    /// `Title::audience_rating`.
    AudienceRating {
        /// 0-10.
        rating: f32,
    },
    /// `Title::content_rating`.
    ContentRating {
        /// As Plex spells it.
        rating: String,
    },
    /// Never watched (movies: `view_count == 0`; shows: no watched episode).
    Unwatched,
    /// Watched before (`view_count` times; for shows, partly or fully).
    WatchedBefore {
        /// `Title::view_count`.
        times: u32,
    },
    /// Shows: unwatched episodes left, of the total (`Title::episodes_left`).
    EpisodesLeft {
        /// Unwatched.
        left: u32,
        /// All.
        total: u32,
    },
    /// Watching together: nobody in the room has watched or started it.
    NoneOfYouHasSeen,
    /// Watching together: everyone in the room has seen it (shows: every episode).
    AllOfYouHaveSeen,
    /// Watching together (movies): new to these people; the others have seen it.
    NewTo {
        /// Display names, in room order.
        names: Vec<String>,
    },
    /// Watching together (shows): the person furthest behind, and by how many episodes
    /// they trail the one furthest ahead.
    Behind {
        /// Display name.
        name: String,
        /// Episodes behind.
        episodes: u32,
    },
    /// Whole days since `Title::added_at`, at the pick's `now`.
    InLibrary {
        /// Days.
        days: u32,
    },
    /// Words that occur in `Title::summary` (lowercase, whole words).
    SummaryMentions {
        /// The words.
        words: Vec<String>,
    },
}

/// Why: facts, then the mood's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Facts from the item's metadata, in the order they are rendered.
    pub facts: Vec<Fact>,
    /// The mood's opinion, e.g. "pure 80s nostalgia".
    pub verdict: String,
}

/// "1 h 56 min" / "45 min" (rounded to the nearest minute, at least 1).
pub fn format_duration(ms: u64) -> String {
    let minutes = (ms.saturating_add(30_000) / 60_000).max(1);
    if minutes >= 60 {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

fn article(next: &str) -> &'static str {
    let lower = next.to_ascii_lowercase();
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        || lower.starts_with('8')
        || lower.starts_with("18")
        || lower.starts_with("11");
    if vowel {
        "An"
    } else {
        "A"
    }
}

/// "Sam", "Sam and Alex", "Sam, Alex and Kim".
fn and_list(names: &[String]) -> String {
    let names: Vec<&str> = names.iter().map(|n| n.trim()).collect();
    match names.split_last() {
        None => "someone".to_string(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

impl Reason {
    /// The one-line text.
    pub fn text(&self) -> String {
        let mut kind = Kind::Movie;
        let mut year = None;
        let mut genres: Vec<String> = Vec::new();
        let mut rest: Vec<String> = Vec::new();
        for f in &self.facts {
            match f {
                Fact::Kind { kind: k } => kind = *k,
                Fact::Year { year: y } => year = Some(*y),
                Fact::Genre { genre: g } => genres.push(g.trim().to_lowercase()),
                Fact::Runtime { ms } => rest.push(format_duration(*ms)),
                Fact::Episode {
                    season,
                    index,
                    title,
                    duration_ms,
                    next_up,
                } => {
                    let mut s = String::from(if *next_up { "next up " } else { "revisit " });
                    let _ = write!(s, "S{season}E{index}");
                    if !title.trim().is_empty() {
                        let _ = write!(s, " “{}”", title.trim());
                    }
                    if let Some(ms) = duration_ms.filter(|&ms| ms > 0) {
                        let _ = write!(s, " ({})", format_duration(ms));
                    }
                    rest.push(s);
                }
                Fact::CriticRating { rating } => rest.push(format!("critics {rating:.1}")),
                Fact::AudienceRating { rating } => rest.push(format!("audience {rating:.1}")),
                Fact::ContentRating { rating } => rest.push(format!("rated {}", rating.trim())),
                Fact::Unwatched => rest.push("unwatched".into()),
                Fact::WatchedBefore { times: 0 | 1 } => rest.push("seen before".into()),
                Fact::WatchedBefore { times } => rest.push(format!("seen {times} times")),
                Fact::EpisodesLeft { left, total } => {
                    rest.push(format!("{left} of {total} episodes unwatched"))
                }
                Fact::NoneOfYouHasSeen => rest.push("none of you has seen it".into()),
                Fact::AllOfYouHaveSeen => rest.push("all of you have seen it".into()),
                Fact::NewTo { names } => rest.push(format!("new to {}", and_list(names))),
                Fact::Behind { name, episodes } => rest.push(format!(
                    "{} is {episodes} episode{} behind",
                    name.trim(),
                    if *episodes == 1 { "" } else { "s" }
                )),
                Fact::InLibrary { days } => rest.push(match days {
                    0 => "added today".to_string(),
                    1..=59 => format!("added {days} days ago"),
                    60..=729 => format!("in your library for {} months", days / 30),
                    _ => format!("in your library for {} years", days / 365),
                }),
                Fact::SummaryMentions { words } => {
                    let quoted: Vec<String> = words.iter().map(|w| format!("“{w}”")).collect();
                    rest.push(format!("mentions {}", quoted.join(" and ")));
                }
            }
        }
        let noun = match kind {
            Kind::Movie => "film",
            Kind::Show => "series",
        };
        let mut lead = String::new();
        if let Some(y) = year {
            let _ = write!(lead, "{y} ");
        }
        let genre = genres.join(" and ");
        lead.push_str(&genre);
        // "A 1967 film-noir", not "film-noir film".
        if !(kind == Kind::Movie && genres.last().is_some_and(|g| g.contains("film"))) {
            if !genre.is_empty() {
                lead.push(' ');
            }
            lead.push_str(noun);
        }
        let mut out = format!("{} {lead}", article(&lead));
        for r in rest {
            out.push_str(", ");
            out.push_str(&r);
        }
        if !self.verdict.is_empty() {
            out.push_str(": ");
            out.push_str(&self.verdict);
        }
        out
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_example() {
        let r = Reason {
            facts: vec![
                Fact::Kind { kind: Kind::Movie },
                Fact::Year { year: 1986 },
                Fact::Genre {
                    genre: "Adventure".into(),
                },
                Fact::Runtime { ms: 116 * 60_000 },
                Fact::CriticRating { rating: 8.1 },
            ],
            verdict: "pure 80s nostalgia".into(),
        };
        assert_eq!(
            r.text(),
            "A 1986 adventure film, 1 h 56 min, critics 8.1: pure 80s nostalgia"
        );
    }

    #[test]
    fn renders_shows_and_articles() {
        let r = Reason {
            facts: vec![
                Fact::Kind { kind: Kind::Show },
                Fact::Genre {
                    genre: "Animation".into(),
                },
                Fact::Episode {
                    season: 2,
                    index: 3,
                    title: "Pilot".into(),
                    duration_ms: Some(22 * 60_000),
                    next_up: true,
                },
                Fact::EpisodesLeft { left: 5, total: 20 },
                Fact::InLibrary { days: 400 },
                Fact::SummaryMentions {
                    words: vec!["dream".into(), "memory".into()],
                },
            ],
            verdict: "v".into(),
        };
        assert_eq!(
            r.text(),
            "An animation series, next up S2E3 “Pilot” (22 min), 5 of 20 episodes unwatched, \
             in your library for 13 months, mentions “dream” and “memory”: v"
        );
        assert_eq!(
            Reason {
                facts: vec![],
                verdict: String::new()
            }
            .text(),
            "A film"
        );
        let room = |facts| {
            Reason {
                facts,
                verdict: String::new(),
            }
            .text()
        };
        assert_eq!(
            room(vec![Fact::NoneOfYouHasSeen]),
            "A film, none of you has seen it"
        );
        assert_eq!(
            room(vec![Fact::NewTo {
                names: vec!["Sam".into(), "Alex".into(), "Kim".into()]
            }]),
            "A film, new to Sam, Alex and Kim"
        );
        assert_eq!(
            room(vec![Fact::NewTo {
                names: vec!["Sam".into()]
            }]),
            "A film, new to Sam"
        );
        assert_eq!(
            room(vec![
                Fact::Kind { kind: Kind::Show },
                Fact::Behind {
                    name: "Sam".into(),
                    episodes: 3
                }
            ]),
            "A series, Sam is 3 episodes behind"
        );
        assert_eq!(
            room(vec![Fact::Behind {
                name: "Sam".into(),
                episodes: 1
            }]),
            "A film, Sam is 1 episode behind"
        );
        assert_eq!(
            room(vec![Fact::AllOfYouHaveSeen]),
            "A film, all of you have seen it"
        );
        assert_eq!(format_duration(1), "1 min");
        assert_eq!(format_duration(89_999), "1 min");
        assert_eq!(format_duration(90_000), "2 min");
        assert_eq!(format_duration(60 * 60_000), "1 h 00 min");
    }
}
