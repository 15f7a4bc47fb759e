//! The facts sorting and filtering need (cheap), and the core facts items share.

use super::fields::*;
use super::words::{
    ARTIST_NOUNS, ARTIST_WORDS, EPISODE_WORDS, MOVIE_RATINGS, NETWORKS, STUDIOS, TV_RATINGS,
};
use super::{Brief, Catalog, Entity};

/// Sort/filter summary of an entity (cheap: only the fields it needs).
pub(super) fn brief(cat: &Catalog, e: Entity) -> Brief {
    match e {
        Entity::Movie { key, .. } | Entity::Artist { key, .. } | Entity::Photo { key, .. } => {
            let (title, y, added, rating, genres) = movie_core(cat, e, key);
            let duration = movie_duration(cat, key);
            let (vc, last, _) = watch(&mut rng(cat, key, F_WATCH), duration, added);
            Brief {
                key,
                title_sort: title_sort(&title).into(),
                added_at: added,
                year: y,
                rating: rating.unwrap_or(0.0) as f32,
                watched: vc.is_some(),
                last_viewed_at: last.unwrap_or(0),
                genres,
            }
        }
        Entity::Show { section, show } => {
            let sec = &cat.sections[section];
            let shape = &sec.shows[show];
            let (title, y, added, rating, genres) = movie_core(cat, e, shape.key);
            Brief {
                key: shape.key,
                title_sort: title_sort(&title).into(),
                added_at: added,
                year: y,
                rating: rating.unwrap_or(0.0) as f32,
                watched: shape.viewed_leaf_count == shape.leaf_count,
                last_viewed_at: if shape.viewed_leaf_count > 0 {
                    show_last_viewed(cat, shape.key)
                } else {
                    0
                },
                genres,
            }
        }
        Entity::Season { section, season } => {
            let s = &cat.sections[section].seasons[season];
            Brief {
                key: s.key,
                title_sort: format!("Season {}", s.index).into(),
                added_at: 0,
                year: 0,
                rating: 0.0,
                watched: false,
                last_viewed_at: 0,
                genres: 0,
            }
        }
        Entity::Episode {
            section,
            season,
            index,
        } => {
            let ep = episode_facts(cat, section, season, index);
            Brief {
                key: ep.key,
                title_sort: ep.title.into(),
                added_at: ep.added_at,
                year: ep.year,
                rating: ep.audience.unwrap_or(0.0) as f32,
                watched: ep.view_count.is_some(),
                last_viewed_at: ep.last_viewed_at.unwrap_or(0),
                genres: ep.show_genres,
            }
        }
    }
}

/// `(title, year, addedAt, audienceRating, genre mask)` of a top-level item.
pub(super) fn movie_core(
    cat: &Catalog,
    e: Entity,
    key: u64,
) -> (String, i32, i64, Option<f64>, u32) {
    let mut t = rng(cat, key, F_TITLE);
    let title = match e {
        Entity::Artist { .. } => format!("{} {}", t.pick(ARTIST_WORDS), t.pick(ARTIST_NOUNS)),
        Entity::Photo { .. } => format!("IMG_{:04}", key % 10_000),
        _ => movie_title(&mut t),
    };
    let y = year(&mut rng(cat, key, F_YEAR));
    let added = added_at(&mut rng(cat, key, F_ADDED), y);
    let (_, audience) = ratings(&mut rng(cat, key, F_RATING));
    let g = genres(&mut rng(cat, key, F_GENRE));
    (title, y, added, audience, g)
}

pub(super) fn movie_duration(cat: &Catalog, key: u64) -> i64 {
    let mut r = rng(cat, key, F_MISC);
    (r.range(80, 180) * 60_000 + r.range(0, 59_999)) as i64
}

pub(super) fn show_last_viewed(cat: &Catalog, key: u64) -> i64 {
    NOW - rng(cat, key, F_WATCH).range(3_600, 400 * 86_400) as i64
}

pub(super) struct EpisodeFacts {
    pub key: u64,
    pub title: String,
    pub year: i32,
    pub added_at: i64,
    pub duration: i64,
    pub audience: Option<f64>,
    pub critic: Option<f64>,
    pub view_count: Option<u32>,
    pub last_viewed_at: Option<i64>,
    pub show_genres: u32,
}

pub(super) fn episode_facts(
    cat: &Catalog,
    section: usize,
    season: usize,
    index: u32,
) -> EpisodeFacts {
    let sec = &cat.sections[section];
    let s = &sec.seasons[season];
    let shape = &sec.shows[s.show];
    let key = s.first_episode_key + u64::from(index);
    let show_year = year(&mut rng(cat, shape.key, F_YEAR));
    let y = (show_year + s.index as i32 - 1).min(2025);
    let show_added = added_at(&mut rng(cat, shape.key, F_ADDED), show_year);
    let mut m = rng(cat, key, F_MISC);
    let base = *rng(cat, shape.key, F_MISC).pick(&[22i64, 25, 30, 42, 45, 50, 58]);
    let duration =
        ((base + m.range(0, 4) as i64 - 2).clamp(20, 60)) * 60_000 + m.range(0, 59_999) as i64;
    let title = if index == 0 && s.index == 1 {
        "Pilot".to_string()
    } else {
        let mut t = rng(cat, key, F_TITLE);
        t.pick(EPISODE_WORDS).to_string()
    };
    let (critic, audience) = ratings(&mut rng(cat, key, F_RATING));
    let watched = s.show_prefix + index < shape.viewed_leaf_count;
    let (view_count, last_viewed_at) = if watched {
        let mut w = rng(cat, key, F_WATCH);
        (
            Some(w.range(1, 2) as u32),
            Some(NOW - w.range(3_600, 300 * 86_400) as i64),
        )
    } else {
        (None, None)
    };
    EpisodeFacts {
        key,
        title,
        year: y,
        added_at: (show_added + i64::from(s.show_prefix + index) * 3_600).min(NOW),
        duration,
        audience,
        critic,
        view_count,
        last_viewed_at,
        show_genres: genres(&mut rng(cat, shape.key, F_GENRE)),
    }
}

/// A generator for one field of one item as a Home profile sees it (its own watch state).
fn profile_rng(cat: &Catalog, profile: u64, key: u64, field: u64) -> crate::rng::Rng {
    crate::rng::Rng::for_item(cat.seed ^ crate::rng::mix(profile), key, field)
}

/// Episodes of a show watched by a viewer (`None`: the account).
pub(super) fn show_viewed_leaves(
    cat: &Catalog,
    section: usize,
    show: usize,
    profile: Option<u64>,
) -> u32 {
    let shape = &cat.sections[section].shows[show];
    let Some(p) = profile else {
        return shape.viewed_leaf_count;
    };
    let mut r = profile_rng(cat, p, shape.key, 0x5A9E);
    let mode = r.unit();
    if mode < 0.45 {
        0
    } else if mode < 0.80 {
        r.range(1, u64::from(shape.leaf_count.saturating_sub(1).max(1))) as u32
    } else {
        shape.leaf_count
    }
}

/// The watch state of an entity as a viewer sees it (`None`: the account, as the nodes show it).
pub(super) fn watch_state(cat: &Catalog, e: Entity, profile: Option<u64>) -> super::WatchState {
    let wr = |key: u64, field: u64| match profile {
        None => rng(cat, key, field),
        Some(p) => profile_rng(cat, p, key, field),
    };
    match e {
        Entity::Movie { key, .. } => {
            let y = year(&mut rng(cat, key, F_YEAR));
            let added = added_at(&mut rng(cat, key, F_ADDED), y);
            let (vc, last, offset) = watch(&mut wr(key, F_WATCH), movie_duration(cat, key), added);
            super::WatchState {
                view_count: vc.unwrap_or(0),
                view_offset: offset,
                last_viewed_at: last,
                viewed_leaf_count: None,
                leaf_count: None,
            }
        }
        Entity::Show { section, show } => {
            let shape = &cat.sections[section].shows[show];
            let viewed = show_viewed_leaves(cat, section, show, profile);
            super::WatchState {
                view_count: 0,
                view_offset: None,
                last_viewed_at: (viewed > 0)
                    .then(|| NOW - wr(shape.key, F_WATCH).range(3_600, 400 * 86_400) as i64),
                viewed_leaf_count: Some(viewed),
                leaf_count: Some(shape.leaf_count),
            }
        }
        Entity::Season { section, season } => {
            let s = &cat.sections[section].seasons[season];
            let viewed = show_viewed_leaves(cat, section, s.show, profile)
                .saturating_sub(s.show_prefix)
                .min(s.episodes);
            super::WatchState {
                viewed_leaf_count: Some(viewed),
                leaf_count: Some(s.episodes),
                ..super::WatchState::default()
            }
        }
        Entity::Episode {
            section,
            season,
            index,
        } => {
            let s = &cat.sections[section].seasons[season];
            let key = s.first_episode_key + u64::from(index);
            let watched = s.show_prefix + index < show_viewed_leaves(cat, section, s.show, profile);
            if watched {
                let mut w = wr(key, F_WATCH);
                super::WatchState {
                    view_count: w.range(1, 2) as u32,
                    last_viewed_at: Some(NOW - w.range(3_600, 300 * 86_400) as i64),
                    ..super::WatchState::default()
                }
            } else {
                super::WatchState::default()
            }
        }
        Entity::Artist { .. } | Entity::Photo { .. } => super::WatchState::default(),
    }
}

/// The content rating the item's node carries (episodes and seasons: their show's).
pub(super) fn content_rating(cat: &Catalog, e: Entity) -> Option<&'static str> {
    let show_rating = |key: u64| {
        let mut misc = rng(cat, key, F_MISC);
        misc.pick(&[22i64, 25, 30, 42, 45, 50, 58]);
        misc.pick(NETWORKS);
        *misc.pick(TV_RATINGS)
    };
    match e {
        Entity::Movie { key, .. } => {
            let mut misc = rng(cat, key, F_MISC);
            misc.range(0, 0);
            misc.pick(STUDIOS);
            Some(*misc.pick(MOVIE_RATINGS))
        }
        Entity::Show { section, show } => Some(show_rating(cat.sections[section].shows[show].key)),
        Entity::Season { section, season }
        | Entity::Episode {
            section, season, ..
        } => {
            let sec = &cat.sections[section];
            Some(show_rating(sec.shows[sec.seasons[season].show].key))
        }
        Entity::Artist { .. } | Entity::Photo { .. } => None,
    }
}
