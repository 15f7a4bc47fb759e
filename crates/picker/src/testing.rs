//! Synthetic catalogs for tests, benches and demos.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::catalog::{Catalog, Episode, Kind, Title};
use crate::shared::Text;

/// The `now` synthetic catalogs are generated around (2025-06-15T15:06:40Z).
pub const SYNTHETIC_NOW: i64 = 1_750_000_000;

const GENRES: [&str; 24] = [
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Kids",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "Thriller",
    "War",
    "Western",
    "Film-Noir",
    "Biography",
    "Sport",
    "Sci-Fi & Fantasy",
    "Telenovela",
];

const CONTENT: [&str; 15] = [
    "G",
    "PG",
    "PG-13",
    "R",
    "NC-17",
    "TV-Y",
    "TV-Y7",
    "TV-G",
    "TV-PG",
    "TV-14",
    "TV-MA",
    "NR",
    "gb/15",
    "Not Rated",
    "us/PG-13",
];

const WORDS: [&str; 48] = [
    "a",
    "the",
    "young",
    "woman",
    "man",
    "town",
    "family",
    "discovers",
    "secret",
    "journey",
    "must",
    "city",
    "old",
    "friends",
    "world",
    "against",
    "time",
    "small",
    "new",
    "life",
    "war",
    "story",
    "with",
    "their",
    "after",
    "finds",
    "when",
    "her",
    "his",
    "detective",
    "night",
    "island",
    "school",
    "ship",
    "house",
    "river",
    "king",
    "stranger",
    "letter",
    "summer",
    "winter",
    "road",
    "mountain",
    "brother",
    "sister",
    "father",
    "mother",
    "village",
];

const KEYWORDS: [&str; 40] = [
    "dream",
    "memory",
    "reality",
    "paradox",
    "simulation",
    "dystopian",
    "regime",
    "wasteland",
    "future",
    "rebellion",
    "murder",
    "revenge",
    "corrupt",
    "brutal",
    "friendship",
    "heartwarming",
    "uplifting",
    "hope",
    "love",
    "romance",
    "wedding",
    "chase",
    "escape",
    "hostage",
    "heist",
    "slowly",
    "quiet",
    "haunting",
    "meditative",
    "epic",
    "stunning",
    "breathtaking",
    "sweeping",
    "joy",
    "killer",
    "trapped",
    "survival",
    "identity",
    "surveillance",
    "totalitarian",
];

fn maybe<T>(rng: &mut ChaCha8Rng, p: f64, f: impl FnOnce(&mut ChaCha8Rng) -> T) -> Option<T> {
    if rng.random_bool(p) {
        Some(f(rng))
    } else {
        None
    }
}

fn summary(rng: &mut ChaCha8Rng) -> String {
    let n = rng.random_range(20..60);
    let mut s = String::with_capacity(n * 7);
    for i in 0..n {
        if i > 0 {
            s.push(if rng.random_bool(0.08) { '.' } else { ' ' });
            s.push(' ');
        }
        let w = if rng.random_bool(0.04) {
            KEYWORDS[rng.random_range(0..KEYWORDS.len())]
        } else {
            WORDS[rng.random_range(0..WORDS.len())]
        };
        s.push_str(w);
    }
    s.push('.');
    s
}

fn rating(rng: &mut ChaCha8Rng) -> f32 {
    (rng.random_range(20..=98) as f32) / 10.0
}

/// A deterministic catalog of `n` titles (about 70 % movies, 30 % shows, most
/// shows with episodes loaded), with realistic gaps: missing years,
/// runtimes, ratings and content ratings. Ids are `"1"`, `"2"`, …
pub fn synthetic_catalog(n: usize, seed: u64) -> Catalog {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut titles = Vec::with_capacity(n);
    for i in 0..n {
        let kind = if rng.random_bool(0.7) {
            Kind::Movie
        } else {
            Kind::Show
        };
        let n_genres = rng.random_range(1..=3);
        let genres = (0..n_genres)
            .map(|_| Text::from(GENRES[rng.random_range(0..GENRES.len())]))
            .collect();
        let watched = rng.random_bool(0.4);
        let mut t = Title {
            id: (i + 1).to_string(),
            kind,
            title: format!("Title {}", i + 1),
            year: maybe(&mut rng, 0.97, |r| r.random_range(1950..=2025)),
            summary: summary(&mut rng),
            genres,
            directors: vec![format!("Director {}", rng.random_range(0..5000)).into()],
            cast: (0..3)
                .map(|_| format!("Actor {}", rng.random_range(0..20000)).into())
                .collect(),
            content_rating: maybe(&mut rng, 0.9, |r| {
                Text::from(CONTENT[r.random_range(0..CONTENT.len())])
            }),
            critic_rating: maybe(&mut rng, 0.7, rating),
            audience_rating: maybe(&mut rng, 0.85, rating),
            added_at: maybe(&mut rng, 0.95, |r| {
                SYNTHETIC_NOW - r.random_range(0..5 * 365 * 86_400)
            }),
            thumb: Some(format!("/library/metadata/{}/thumb", i + 1)),
            library: if kind == Kind::Movie {
                "Movies".into()
            } else {
                "TV Shows".into()
            },
            ..Title::default()
        };
        match kind {
            Kind::Movie => {
                t.duration_ms = maybe(&mut rng, 0.95, |r| {
                    r.random_range(70..=190) * 60_000 + r.random_range(0..60_000)
                });
                if watched {
                    t.view_count = rng.random_range(1..=4);
                    t.last_viewed_at = t.added_at.map(|a| a + 86_400);
                }
            }
            Kind::Show => {
                let seasons = rng.random_range(1..=4u32);
                let per = rng.random_range(4..=12u32);
                let ep_len = rng.random_range(20..=60u64) * 60_000;
                let seen = if watched {
                    rng.random_range(1..=seasons * per)
                } else {
                    0
                };
                let episodes: Vec<Episode> = (0..seasons * per)
                    .map(|k| Episode {
                        id: format!("{}-{k}", i + 1),
                        season: k / per + 1,
                        index: k % per + 1,
                        title: format!("Episode {}", k % per + 1),
                        duration_ms: Some(ep_len + rng.random_range(0..5) * 60_000),
                        view_count: u32::from(k < seen),
                    })
                    .collect();
                t.leaf_count = seasons * per;
                t.viewed_leaf_count = seen;
                if rng.random_bool(0.85) {
                    t.episodes = episodes;
                }
            }
        }
        titles.push(t);
    }
    Catalog { titles }
}
