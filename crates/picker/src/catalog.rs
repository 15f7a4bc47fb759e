//! The catalog: plain public data mirroring Plex metadata.
//!
//! `plex-client` converts its loaded items into [`Title`]s. Everything here is
//! serde so a [`Catalog`] can be cached on disk; every field other than `id`,
//! `kind` and `title` has a serde default so older caches keep loading.

use serde::{Deserialize, Serialize};

use crate::shared::Text;

/// Movie or TV show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A film (Plex type `movie`).
    #[default]
    Movie,
    /// A TV show (Plex type `show`).
    Show,
}

/// One episode of a show (Plex type `episode`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Episode {
    /// The episode's Plex ratingKey.
    pub id: String,
    /// Season number (Plex `parentIndex`); 0 is "Specials".
    pub season: u32,
    /// Episode number within the season (Plex `index`).
    pub index: u32,
    /// Episode title.
    pub title: String,
    /// Runtime in milliseconds (Plex `duration`); `None` or 0 means unknown.
    pub duration_ms: Option<u64>,
    /// How many times it was watched (Plex `viewCount`).
    pub view_count: u32,
}

/// One movie or show of a Plex library.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Title {
    /// The Plex ratingKey.
    pub id: String,
    /// Movie or show.
    pub kind: Kind,
    /// Display title.
    pub title: String,
    /// Release year.
    pub year: Option<u16>,
    /// Plot summary.
    pub summary: String,
    /// Runtime in milliseconds (movies; shows leave it `None`). `None` or 0 means unknown.
    pub duration_ms: Option<u64>,
    /// Genre tags as Plex spells them (shared: see [`Text`]).
    pub genres: Vec<Text>,
    /// Director tags (shared).
    pub directors: Vec<Text>,
    /// Cast (role tags, shared).
    pub cast: Vec<Text>,
    /// Plex `contentRating`, e.g. `PG-13`, `TV-MA`, `gb/15` (shared).
    pub content_rating: Option<Text>,
    /// Critic rating, 0-10. NaN or out-of-range values are treated as missing.
    pub critic_rating: Option<f32>,
    /// Audience rating, 0-10. NaN or out-of-range values are treated as missing.
    pub audience_rating: Option<f32>,
    /// Plex `viewCount`.
    pub view_count: u32,
    /// Plex `lastViewedAt`, epoch seconds.
    pub last_viewed_at: Option<i64>,
    /// Plex `addedAt`, epoch seconds.
    pub added_at: Option<i64>,
    /// Plex `thumb` path (opaque to the picker).
    pub thumb: Option<String>,
    /// Library section title (shared).
    pub library: Text,
    /// Shows: number of episodes (Plex `leafCount`).
    pub leaf_count: u32,
    /// Shows: number of watched episodes (Plex `viewedLeafCount`).
    pub viewed_leaf_count: u32,
    /// Shows: the episodes, when loaded; may be empty.
    pub episodes: Vec<Episode>,
}

/// Everything the picker can choose from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Catalog {
    /// The titles, in library order.
    pub titles: Vec<Title>,
}

/// A rating if it is a usable 0-10 number (not NaN, not out of range).
pub(crate) fn valid_rating(r: Option<f32>) -> Option<f32> {
    r.filter(|v| v.is_finite() && (0.0..=10.0).contains(v))
}

/// A duration if it is known and non-zero.
pub(crate) fn valid_duration(d: Option<u64>) -> Option<u64> {
    d.filter(|&ms| ms > 0)
}

impl Title {
    /// A movie with just an id and a title; fill the rest with struct update syntax.
    pub fn movie(id: impl Into<String>, title: impl Into<String>) -> Self {
        Title {
            id: id.into(),
            kind: Kind::Movie,
            title: title.into(),
            ..Title::default()
        }
    }

    /// A show with just an id and a title; fill the rest with struct update syntax.
    pub fn show(id: impl Into<String>, title: impl Into<String>) -> Self {
        Title {
            id: id.into(),
            kind: Kind::Show,
            title: title.into(),
            ..Title::default()
        }
    }

    /// The critic rating if it is a usable 0-10 number.
    pub fn critic(&self) -> Option<f32> {
        valid_rating(self.critic_rating)
    }

    /// The audience rating if it is a usable 0-10 number.
    pub fn audience(&self) -> Option<f32> {
        valid_rating(self.audience_rating)
    }

    /// Whether there is something not yet watched.
    ///
    /// Movies: `view_count == 0`. Shows: an episode with `view_count == 0` when
    /// episodes are loaded, else `viewed_leaf_count < leaf_count`.
    pub fn has_unwatched(&self) -> bool {
        match self.kind {
            Kind::Movie => self.view_count == 0,
            Kind::Show if self.episodes.is_empty() => self.viewed_leaf_count < self.leaf_count,
            Kind::Show => self.episodes.iter().any(|e| e.view_count == 0),
        }
    }

    /// Whether it was seen before (fully or partly, for shows).
    ///
    /// Movies: `view_count > 0`. Shows: `viewed_leaf_count > 0`, `view_count > 0`
    /// or any loaded episode with `view_count > 0`.
    pub fn was_watched(&self) -> bool {
        match self.kind {
            Kind::Movie => self.view_count > 0,
            Kind::Show => {
                self.viewed_leaf_count > 0
                    || self.view_count > 0
                    || self.episodes.iter().any(|e| e.view_count > 0)
            }
        }
    }

    /// Shows: (unwatched episodes, total episodes), from the loaded episodes if
    /// any, else from the leaf counts. `None` for movies or when unknown.
    pub fn episodes_left(&self) -> Option<(u32, u32)> {
        if self.kind != Kind::Show {
            return None;
        }
        if self.episodes.is_empty() {
            if self.leaf_count == 0 || self.viewed_leaf_count > self.leaf_count {
                return None;
            }
            return Some((self.leaf_count - self.viewed_leaf_count, self.leaf_count));
        }
        let total = u32::try_from(self.episodes.len()).unwrap_or(u32::MAX);
        let left = u32::try_from(self.episodes.iter().filter(|e| e.view_count == 0).count())
            .unwrap_or(u32::MAX);
        Some((left, total))
    }

    /// The next episode to watch: the first unwatched one by (season, index),
    /// regular seasons before season 0 ("Specials").
    pub fn next_unwatched_episode(&self) -> Option<&Episode> {
        self.episodes
            .iter()
            .filter(|e| e.view_count == 0)
            .min_by_key(|e| episode_order(e))
    }
}

/// Sort key putting regular seasons in order and specials (season 0) last.
pub(crate) fn episode_order(e: &Episode) -> (bool, u32, u32, &str) {
    (e.season == 0, e.season, e.index, e.id.as_str())
}

impl Catalog {
    /// A catalog of these titles.
    pub fn new(titles: Vec<Title>) -> Self {
        Catalog { titles }
    }

    /// Number of titles.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// Whether there are no titles.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// The first title with this id.
    pub fn get(&self, id: &str) -> Option<&Title> {
        self.titles.iter().find(|t| t.id == id)
    }

    /// Every distinct genre (first spelling seen, compared case- and
    /// punctuation-insensitively), sorted, for a genre chooser.
    pub fn genres(&self) -> Vec<String> {
        let mut seen: Vec<(String, String)> = Vec::new();
        for t in &self.titles {
            for g in &t.genres {
                let key = crate::text::normalized(g);
                if key.is_empty() {
                    continue;
                }
                if let Err(pos) = seen.binary_search_by(|(k, _)| k.cmp(&key)) {
                    seen.insert(pos, (key, g.trim().to_string()));
                }
            }
        }
        seen.into_iter().map(|(_, g)| g).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(season: u32, index: u32, views: u32) -> Episode {
        Episode {
            id: format!("{season}-{index}"),
            season,
            index,
            view_count: views,
            ..Episode::default()
        }
    }

    #[test]
    fn next_unwatched_skips_specials_and_watched() {
        let mut s = Title::show("1", "S");
        s.episodes = vec![ep(0, 1, 0), ep(2, 1, 0), ep(1, 2, 0), ep(1, 1, 1)];
        assert_eq!(
            s.next_unwatched_episode().map(|e| e.id.as_str()),
            Some("1-2")
        );
        s.episodes = vec![ep(0, 1, 0), ep(1, 1, 1)];
        assert_eq!(
            s.next_unwatched_episode().map(|e| e.id.as_str()),
            Some("0-1")
        );
    }

    #[test]
    fn watched_status_of_shows() {
        let mut s = Title::show("1", "S");
        s.leaf_count = 10;
        s.viewed_leaf_count = 3;
        assert!(s.has_unwatched() && s.was_watched());
        assert_eq!(s.episodes_left(), Some((7, 10)));
        s.viewed_leaf_count = 10;
        assert!(!s.has_unwatched() && s.was_watched());
        s.episodes = vec![ep(1, 1, 1), ep(1, 2, 0)];
        assert!(s.has_unwatched());
        assert_eq!(s.episodes_left(), Some((1, 2)));
    }

    #[test]
    fn invalid_ratings_are_missing() {
        let mut m = Title::movie("1", "M");
        m.critic_rating = Some(f32::NAN);
        m.audience_rating = Some(11.0);
        assert_eq!(m.critic(), None);
        assert_eq!(m.audience(), None);
        m.critic_rating = Some(7.5);
        assert_eq!(m.critic(), Some(7.5));
    }

    #[test]
    fn genres_are_deduplicated() {
        let mut a = Title::movie("1", "A");
        a.genres = vec!["Sci-Fi".into(), "Drama".into()];
        let mut b = Title::movie("2", "B");
        b.genres = vec!["sci fi".into(), "Comedy".into(), "  ".into()];
        let c = Catalog::new(vec![a, b]);
        assert_eq!(c.genres(), vec!["Comedy", "Drama", "Sci-Fi"]);
    }
}
