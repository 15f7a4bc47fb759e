//! Asking for a pick and showing it.

use serde::{Deserialize, Serialize};

use crate::{Choices, RejectReason};

/// "Pick something": the wheels and filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PickRequest {
    pub choices: Choices,
    /// "Let the model choose": ask the AI provider to choose among the engine's candidates.
    /// The pick falls back to the engine's own (with a note) when the model cannot be used.
    #[serde(default)]
    pub ai: bool,
}

/// "Not this one", with why; a new pick with the same choices follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectRequest {
    pub title_id: String,
    pub reason: RejectReason,
    pub choices: Choices,
}

/// A title, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TitleRef {
    pub title_id: String,
    /// For a show: the episode its card suggested, which "Watch in Plex" opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episode_id: Option<String>,
}

/// One suggestion, with everything the Results screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickCard {
    /// The title's id (its Plex rating key).
    pub id: String,
    pub title: String,
    pub year: Option<u16>,
    /// "Movie" or "TV show".
    pub kind_label: String,
    /// Runtime in minutes (a show: the suggested episode's).
    pub minutes: Option<u32>,
    /// The critics' rating out of 10, for example "8.9" (Plex's `rating`).
    pub critic_rating: Option<String>,
    /// The audience's rating out of 10, for example "7.6" (Plex's `audienceRating`).
    pub audience_rating: Option<String>,
    pub content_rating: Option<String>,
    pub genres: Vec<String>,
    pub summary: String,
    /// Why this one, in one line that cites only the item's own facts.
    pub reason: String,
    /// For a show: the episode to watch, for example "S2 · E5 · The Return".
    pub episode: Option<String>,
    /// For a show: that episode's id (its Plex rating key).
    #[serde(default)]
    pub episode_id: Option<String>,
    /// Where the webview loads the poster from (see [`crate::poster_url`]); `None` shows the
    /// placeholder.
    pub poster_url: Option<String>,
    /// The Plex Web link that plays it ("Watch in Plex"): for a show, the suggested episode.
    pub watch_url: String,
    /// 0 to 100.
    pub score: u8,
}

/// A pick: the top suggestion and up to six alternatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickView {
    pub top: PickCard,
    pub alternatives: Vec<PickCard>,
    /// The sentence the wheels make, for example "Let's watch a movie that is unwatched and
    /// feels like Date Night".
    pub sentence: String,
    /// How many titles matched the choices.
    pub matches: usize,
    /// Present when the pick was asked with the model (`PickRequest::ai`): whether the model
    /// chose (then each card's `reason` and `score` are the model's) and, if not, why.
    #[serde(default)]
    pub curation: Option<crate::CurationView>,
}

/// One piece of the wheels' sentence; `emphasis` marks the words the wheels chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub emphasis: bool,
}

fn plain(text: &str) -> Segment {
    Segment {
        text: text.to_string(),
        emphasis: false,
    }
}

fn chosen(text: &str) -> Segment {
    Segment {
        text: text.to_string(),
        emphasis: true,
    }
}

/// "a" or "an" before `word`.
fn article(word: &str) -> &'static str {
    let lower = word.to_ascii_lowercase();
    if lower.starts_with(['a', 'e', 'i', 'o', 'u']) || lower.starts_with('8') {
        "an"
    } else {
        "a"
    }
}

/// The sentence the wheels make, in parts so the chosen words can stand out: "Let's watch a
/// movie that is unwatched and feels like Date Night." One definition for the Picker screen,
/// the Results screen and the backend.
pub fn sentence_parts(choices: &Choices) -> Vec<Segment> {
    sentence_parts_for(choices, 1)
}

/// [`sentence_parts`] for `people` watching together: the History wheel then speaks of the
/// room ("new to all of you").
pub fn sentence_parts_for(choices: &Choices, people: usize) -> Vec<Segment> {
    use crate::{Format, Mood, WatchFilter};
    let noun = match choices.format {
        Format::Any => "movie or show",
        Format::Movie => "movie",
        Format::Show => "TV show",
    };
    let room = people > 1;
    let watch = match choices.watch {
        WatchFilter::All => "new or seen before",
        WatchFilter::Unwatched if room => "new to all of you",
        WatchFilter::Unwatched => "unwatched",
        WatchFilter::Rewatch if room => "seen by all of you",
        WatchFilter::Rewatch => "a rewatch",
        WatchFilter::NewToSomeone if room => "new to at least one of you",
        // Alone, "new to someone" is new to you.
        WatchFilter::NewToSomeone => "unwatched",
    };
    let mood = match choices.mood {
        Mood::Anything => "anything",
        other => other.label(),
    };
    vec![
        plain(&format!("Let's watch {} ", article(noun))),
        chosen(noun),
        plain(" that is "),
        chosen(watch),
        plain(" and feels like "),
        chosen(mood),
        plain("."),
    ]
}

/// The sentence as one line of text.
pub fn sentence(choices: &Choices) -> String {
    sentence_for(choices, 1)
}

/// The sentence as one line of text, for `people` watching together.
pub fn sentence_for(choices: &Choices, people: usize) -> String {
    sentence_parts_for(choices, people)
        .into_iter()
        .map(|s| s.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, Mood, WatchFilter};

    #[test]
    fn the_sentence_follows_the_wheels() {
        assert_eq!(
            sentence(&Choices::default()),
            "Let's watch a movie or show that is new or seen before and feels like anything."
        );
        let choices = Choices {
            format: Format::Movie,
            watch: WatchFilter::Unwatched,
            mood: Mood::DateNight,
            ..Choices::default()
        };
        assert_eq!(
            sentence(&choices),
            "Let's watch a movie that is unwatched and feels like Date Night."
        );
        let chosen: Vec<String> = sentence_parts(&choices)
            .into_iter()
            .filter(|s| s.emphasis)
            .map(|s| s.text)
            .collect();
        assert_eq!(chosen, ["movie", "unwatched", "Date Night"]);
        let show = Choices {
            format: Format::Show,
            watch: WatchFilter::Rewatch,
            mood: Mood::EightiesNostalgia,
            ..Choices::default()
        };
        assert_eq!(
            sentence(&show),
            "Let's watch a TV show that is a rewatch and feels like 80s Nostalgia."
        );
        // Several people: the History wheel speaks of the room.
        let together = Choices {
            watch: WatchFilter::Unwatched,
            ..Choices::default()
        };
        assert_eq!(
            sentence_for(&together, 2),
            "Let's watch a movie or show that is new to all of you and feels like anything."
        );
        assert!(sentence_for(&show, 3).contains("seen by all of you"));
        let someone = Choices {
            watch: WatchFilter::NewToSomeone,
            ..Choices::default()
        };
        assert!(sentence_for(&someone, 2).contains("new to at least one of you"));
        assert_eq!(sentence(&someone), sentence(&together));
        assert_eq!(article("hour"), "a");
        assert_eq!(article("episode"), "an");
    }
}
