//! Generation of single items from `(seed, ratingKey)`.

use super::words::*;
use super::{Brief, Catalog, Entity, Section};
use crate::node::Node;
use crate::rng::Rng;

/// The simulator's fixed "now" (2025-11-24), so generated data never depends on the clock.
pub const NOW: i64 = 1_764_000_000;

const F_TITLE: u64 = 1;
const F_YEAR: u64 = 2;
const F_ADDED: u64 = 3;
const F_RATING: u64 = 4;
const F_WATCH: u64 = 5;
const F_GENRE: u64 = 6;
const F_MISC: u64 = 7;
const F_SUMMARY: u64 = 8;
const F_PEOPLE: u64 = 9;
const F_MEDIA: u64 = 10;

fn rng(cat: &Catalog, key: u64, field: u64) -> Rng {
    Rng::for_item(cat.seed, key, field)
}

fn movie_title(r: &mut Rng) -> String {
    let adj = r.pick(TITLE_ADJECTIVES);
    let noun = r.pick(TITLE_NOUNS);
    match r.range(0, 9) {
        0..=2 => format!("The {adj} {noun}"),
        3..=4 => format!("{adj} {noun}"),
        5 => format!("{noun} of {}", r.pick(TITLE_PLACES)),
        6 => format!("The {noun}"),
        7 => format!("A {adj} {noun}"),
        8 => format!("{adj} {noun} {}", r.range(2, 4)),
        _ => format!("{noun}s of {}", r.pick(TITLE_PLACES)),
    }
}

fn title_sort(title: &str) -> String {
    for article in ["The ", "A ", "An "] {
        if let Some(rest) = title.strip_prefix(article) {
            return rest.to_string();
        }
    }
    title.to_string()
}

/// Years 1950..=2025, recent ones more likely.
fn year(r: &mut Rng) -> i32 {
    let u = r.unit();
    2025 - (u * u * 76.0) as i32
}

fn genres(r: &mut Rng) -> u32 {
    let n = r.range(1, 3);
    let mut mask = 0u32;
    for _ in 0..n {
        mask |= 1 << (r.next_u64() % GENRES.len() as u64);
    }
    mask
}

/// Genre ids are 100 + the index in [`GENRES`]. Accepts an id or a tag.
pub fn genre_mask(spec: &str) -> u32 {
    let mut mask = 0;
    for part in spec.split(',') {
        let part = part.trim();
        if let Ok(id) = part.parse::<u32>() {
            if (100..100 + GENRES.len() as u32).contains(&id) {
                mask |= 1 << (id - 100);
            }
        } else if let Some(i) = GENRES.iter().position(|g| g.eq_ignore_ascii_case(part)) {
            mask |= 1 << i;
        }
    }
    mask
}

/// `rating` and `audienceRating` (0..10, one decimal), each sometimes missing.
fn ratings(r: &mut Rng) -> (Option<f64>, Option<f64>) {
    let base: f64 = 3.0 + r.unit() * 6.5;
    let critic = (r.chance(0.8)).then(|| round1((base + r.unit() * 2.0 - 1.0).clamp(0.0, 10.0)));
    let audience = (r.chance(0.85)).then(|| round1((base + r.unit() * 1.4 - 0.7).clamp(0.0, 10.0)));
    (critic, audience)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// `(viewCount, lastViewedAt, viewOffset)` for a movie.
fn watch(r: &mut Rng, duration_ms: i64, added_at: i64) -> (Option<u32>, Option<i64>, Option<i64>) {
    if r.chance(0.3) {
        let count = r.range(1, 5) as u32;
        let last = (added_at + r.range(3_600, (NOW - added_at).max(3_601) as u64) as i64).min(NOW);
        (Some(count), Some(last), None)
    } else if r.chance(0.05) {
        let offset = (duration_ms as f64 * (0.1 + r.unit() * 0.8)) as i64;
        (None, Some(NOW - r.range(3_600, 90 * 86_400) as i64), Some(offset))
    } else {
        (None, None, None)
    }
}

fn added_at(r: &mut Rng, year: i32) -> i64 {
    // Never before the release year, never after NOW.
    let release = ((year - 1970) as i64) * 31_557_600;
    let earliest = release.max(NOW - 9 * 31_557_600);
    earliest + r.range(0, (NOW - earliest).max(1) as u64) as i64
}

fn summary(r: &mut Rng) -> String {
    if r.chance(0.03) {
        return String::new();
    }
    let subject = r.pick(SUMMARY_SUBJECTS);
    let mut s = format!(
        "{}{} {} {}. {}",
        subject[..1].to_uppercase(),
        &subject[1..],
        r.pick(SUMMARY_VERBS),
        r.pick(SUMMARY_OBJECTS),
        r.pick(SUMMARY_ENDINGS)
    );
    if r.chance(0.4) {
        s.push(' ');
        s.push_str(*r.pick(SUMMARY_ENDINGS));
    }
    s
}

fn person(r: &mut Rng) -> String {
    format!("{} {}", r.pick(FIRST_NAMES), r.pick(LAST_NAMES))
}

fn tag(tag: &'static str, id: u64, name: &str, filter: &'static str) -> Node {
    Node::new(tag)
        .attr("id", id)
        .attr("filter", format!("{filter}={id}"))
        .attr("tag", name)
}

fn person_id(name: &str) -> u64 {
    name.bytes().fold(5381u64, |h, b| h.wrapping_mul(33) ^ u64::from(b)) % 900_000 + 100_000
}

fn genre_nodes(mask: u32) -> Vec<Node> {
    (0..GENRES.len())
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| tag("Genre", 100 + i as u64, GENRES[i], "genre"))
        .collect()
}

fn people(r: &mut Rng, node: &mut Node, roles: u64) {
    let d = person(r);
    node.push(tag("Director", person_id(&d), &d, "director"));
    for _ in 0..r.range(1, 2) {
        let w = person(r);
        node.push(tag("Writer", person_id(&w), &w, "writer"));
    }
    for _ in 0..roles {
        let actor = person(r);
        node.push(
            tag("Role", person_id(&actor), &actor, "actor").attr("role", *r.pick(FIRST_NAMES)),
        );
    }
}

fn media(r: &mut Rng, key: u64, duration: i64, added: i64, file: &str) -> Node {
    let (width, height, res) = *r.pick(&[(1920, 1080, "1080"), (3840, 2160, "4k"), (1280, 720, "720"), (720, 480, "sd")]);
    let bitrate = r.range(1_500, 25_000) as i64;
    let container = *r.pick(&["mkv", "mp4", "avi"]);
    let part_id = key * 2 + 7;
    Node::new("Media")
        .attr("id", key * 2 + 5)
        .attr("duration", duration)
        .attr("bitrate", bitrate)
        .attr("width", width as i64)
        .attr("height", height as i64)
        .attr("aspectRatio", 1.78)
        .attr("audioChannels", *r.pick(&[2i64, 6, 8]))
        .attr("audioCodec", *r.pick(&["aac", "ac3", "eac3", "dca"]))
        .attr("videoCodec", *r.pick(&["h264", "hevc"]))
        .attr("videoResolution", res)
        .attr("container", container)
        .attr("videoFrameRate", "24p")
        .child(
            Node::new("Part")
                .attr("id", part_id)
                .attr("key", format!("/library/parts/{part_id}/{added}/file.{container}"))
                .attr("duration", duration)
                .attr("file", format!("{file}.{container}"))
                .attr("size", duration / 1000 * bitrate * 125)
                .attr("container", container),
        )
}

fn art(node: &mut Node, r: &mut Rng, key: u64, updated: i64) {
    // Most items have artwork; some have none.
    if r.chance(0.92) {
        node.set("thumb", format!("/library/metadata/{key}/thumb/{updated}"));
        node.set("art", format!("/library/metadata/{key}/art/{updated}"));
    }
}

fn section_attrs(node: &mut Node, sec: &Section) {
    node.set("librarySectionTitle", sec.title.clone());
    node.set("librarySectionID", sec.key);
    node.set("librarySectionKey", format!("/library/sections/{}", sec.key));
}

fn opt<T: Into<crate::node::Val>>(node: &mut Node, name: &'static str, v: Option<T>) {
    if let Some(v) = v {
        node.set(name, v);
    }
}

fn date(year: i32, r: &mut Rng) -> String {
    format!("{year}-{:02}-{:02}", r.range(1, 12), r.range(1, 28))
}

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
                last_viewed_at: if shape.viewed_leaf_count > 0 { show_last_viewed(cat, shape.key) } else { 0 },
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
        Entity::Episode { section, season, index } => {
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
fn movie_core(cat: &Catalog, e: Entity, key: u64) -> (String, i32, i64, Option<f64>, u32) {
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

fn movie_duration(cat: &Catalog, key: u64) -> i64 {
    let mut r = rng(cat, key, F_MISC);
    (r.range(80, 180) * 60_000 + r.range(0, 59_999)) as i64
}

fn show_last_viewed(cat: &Catalog, key: u64) -> i64 {
    NOW - rng(cat, key, F_WATCH).range(3_600, 400 * 86_400) as i64
}

struct EpisodeFacts {
    key: u64,
    title: String,
    year: i32,
    added_at: i64,
    duration: i64,
    audience: Option<f64>,
    critic: Option<f64>,
    view_count: Option<u32>,
    last_viewed_at: Option<i64>,
    show_genres: u32,
}

fn episode_facts(cat: &Catalog, section: usize, season: usize, index: u32) -> EpisodeFacts {
    let sec = &cat.sections[section];
    let s = &sec.seasons[season];
    let shape = &sec.shows[s.show];
    let key = s.first_episode_key + u64::from(index);
    let show_year = year(&mut rng(cat, shape.key, F_YEAR));
    let y = (show_year + s.index as i32 - 1).min(2025);
    let show_added = added_at(&mut rng(cat, shape.key, F_ADDED), show_year);
    let mut m = rng(cat, key, F_MISC);
    let base = *rng(cat, shape.key, F_MISC).pick(&[22i64, 25, 30, 42, 45, 50, 58]);
    let duration = ((base + m.range(0, 4) as i64 - 2).clamp(20, 60)) * 60_000 + m.range(0, 59_999) as i64;
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
        (Some(w.range(1, 2) as u32), Some(NOW - w.range(3_600, 300 * 86_400) as i64))
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

/// The full metadata node of an entity.
pub(super) fn node(cat: &Catalog, e: Entity) -> Node {
    match e {
        Entity::Movie { section, key } => movie(cat, &cat.sections[section], key),
        Entity::Show { section, show } => show_node(cat, section, show),
        Entity::Season { section, season } => season_node(cat, section, season),
        Entity::Episode { section, season, index } => episode_node(cat, section, season, index),
        Entity::Artist { section, key } => artist(cat, &cat.sections[section], key),
        Entity::Photo { section, key } => photo(cat, &cat.sections[section], key),
    }
}

fn movie(cat: &Catalog, sec: &Section, key: u64) -> Node {
    let (title, y, added, audience, genre_mask) = movie_core(cat, Entity::Movie { section: 0, key }, key);
    let (critic, _) = ratings(&mut rng(cat, key, F_RATING));
    let duration = movie_duration(cat, key);
    let mut misc = rng(cat, key, F_MISC);
    misc.range(0, 0);
    let updated = added + rng(cat, key, F_ADDED).range(0, 86_400) as i64;
    let mut n = Node::keyed("Video", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}"))
        .attr("guid", format!("plex://movie/{}", rng(cat, key, F_MEDIA).hex(24)))
        .attr("studio", *misc.pick(STUDIOS))
        .attr("type", "movie")
        .attr("title", title.clone());
    let ts = title_sort(&title);
    if ts != title {
        n.set("titleSort", ts);
    }
    section_attrs(&mut n, sec);
    n.set("contentRating", *misc.pick(MOVIE_RATINGS));
    n.set("summary", summary(&mut rng(cat, key, F_SUMMARY)));
    opt(&mut n, "rating", critic);
    opt(&mut n, "audienceRating", audience);
    let (vc, last, offset) = watch(&mut rng(cat, key, F_WATCH), duration, added);
    opt(&mut n, "viewCount", vc);
    opt(&mut n, "viewOffset", offset);
    opt(&mut n, "lastViewedAt", last);
    n.set("year", i64::from(y));
    if misc.chance(0.6) {
        n.set("tagline", format!("Every {} has a {}.", misc.pick(TITLE_NOUNS).to_lowercase(), misc.pick(TITLE_NOUNS).to_lowercase()));
    }
    art(&mut n, &mut misc, key, updated);
    n.set("duration", duration);
    n.set("originallyAvailableAt", date(y, &mut misc));
    n.set("addedAt", added);
    n.set("updatedAt", updated);
    if critic.is_some() {
        n.set("ratingImage", "rottentomatoes://image.rating.ripe");
    }
    if audience.is_some() {
        n.set("audienceRatingImage", "rottentomatoes://image.rating.upright");
    }
    let file = format!("/data/movies/{title} ({y})/{title} ({y})");
    n.push(media(&mut rng(cat, key, F_MEDIA), key, duration, added, &file));
    images(&mut n);
    for g in genre_nodes(genre_mask) {
        n.push(g);
    }
    let mut p = rng(cat, key, F_PEOPLE);
    let country = *p.pick(COUNTRIES);
    n.push(tag("Country", 50 + COUNTRIES.iter().position(|c| *c == country).unwrap_or(0) as u64, country, "country"));
    let roles = p.range(2, 6);
    people(&mut p, &mut n, roles);
    n
}

fn images(n: &mut Node) {
    if let Some(crate::node::Val::Str(thumb)) = n.get("thumb").cloned() {
        let title = match n.get("title") {
            Some(crate::node::Val::Str(t)) => t.clone(),
            _ => String::new(),
        };
        n.push(Node::new("Image").attr("alt", title.clone()).attr("type", "coverPoster").attr("url", thumb));
        if let Some(crate::node::Val::Str(a)) = n.get("art").cloned() {
            n.push(Node::new("Image").attr("alt", title).attr("type", "background").attr("url", a));
        }
    }
}

fn show_node(cat: &Catalog, section: usize, show: usize) -> Node {
    let sec = &cat.sections[section];
    let shape = &sec.shows[show];
    let key = shape.key;
    let (title, y, added, audience, genre_mask) = movie_core(cat, Entity::Show { section, show }, key);
    let (critic, _) = ratings(&mut rng(cat, key, F_RATING));
    let mut misc = rng(cat, key, F_MISC);
    let episode_minutes = *misc.pick(&[22i64, 25, 30, 42, 45, 50, 58]);
    let updated = added + 86_400;
    let mut n = Node::keyed("Directory", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}/children"))
        .attr("guid", format!("plex://show/{}", rng(cat, key, F_MEDIA).hex(24)))
        .attr("studio", *misc.pick(NETWORKS))
        .attr("type", "show")
        .attr("title", title.clone());
    let ts = title_sort(&title);
    if ts != title {
        n.set("titleSort", ts);
    }
    section_attrs(&mut n, sec);
    n.set("contentRating", *misc.pick(TV_RATINGS));
    n.set("summary", summary(&mut rng(cat, key, F_SUMMARY)));
    n.set("index", 1i64);
    opt(&mut n, "rating", critic);
    opt(&mut n, "audienceRating", audience);
    n.set("year", i64::from(y));
    art(&mut n, &mut misc, key, updated);
    n.set("duration", episode_minutes * 60_000);
    n.set("originallyAvailableAt", date(y, &mut misc));
    n.set("leafCount", shape.leaf_count);
    n.set("viewedLeafCount", shape.viewed_leaf_count);
    n.set("childCount", shape.season_count);
    if shape.viewed_leaf_count > 0 {
        n.set("lastViewedAt", show_last_viewed(cat, key));
    }
    n.set("addedAt", added);
    n.set("updatedAt", updated);
    images(&mut n);
    for g in genre_nodes(genre_mask) {
        n.push(g);
    }
    let mut p = rng(cat, key, F_PEOPLE);
    let country = *p.pick(COUNTRIES);
    n.push(tag("Country", 50 + COUNTRIES.iter().position(|c| *c == country).unwrap_or(0) as u64, country, "country"));
    for _ in 0..p.range(2, 5) {
        let actor = person(&mut p);
        n.push(tag("Role", person_id(&actor), &actor, "actor").attr("role", *p.pick(FIRST_NAMES)));
    }
    n
}

fn show_title(cat: &Catalog, key: u64) -> String {
    movie_title(&mut rng(cat, key, F_TITLE))
}

fn season_node(cat: &Catalog, section: usize, season: usize) -> Node {
    let sec = &cat.sections[section];
    let s = &sec.seasons[season];
    let shape = &sec.shows[s.show];
    let show_title = show_title(cat, shape.key);
    let viewed = shape
        .viewed_leaf_count
        .saturating_sub(s.show_prefix)
        .min(s.episodes);
    let show_year = year(&mut rng(cat, shape.key, F_YEAR));
    let show_added = added_at(&mut rng(cat, shape.key, F_ADDED), show_year);
    let mut n = Node::keyed("Directory", "Metadata")
        .attr("ratingKey", s.key.to_string())
        .attr("key", format!("/library/metadata/{}/children", s.key))
        .attr("parentRatingKey", shape.key.to_string())
        .attr("guid", format!("plex://season/{}", rng(cat, s.key, F_MEDIA).hex(24)))
        .attr("type", "season")
        .attr("title", format!("Season {}", s.index))
        .attr("parentKey", format!("/library/metadata/{}", shape.key))
        .attr("parentTitle", show_title)
        .attr("summary", "")
        .attr("index", s.index)
        .attr("parentIndex", 1i64);
    section_attrs(&mut n, sec);
    n.set("thumb", format!("/library/metadata/{}/thumb/{}", s.key, show_added + 86_400));
    n.set("parentThumb", format!("/library/metadata/{}/thumb/{}", shape.key, show_added + 86_400));
    n.set("leafCount", s.episodes);
    n.set("viewedLeafCount", viewed);
    n.set("addedAt", show_added);
    n.set("updatedAt", show_added + 86_400);
    n
}

fn episode_node(cat: &Catalog, section: usize, season: usize, index: u32) -> Node {
    let sec = &cat.sections[section];
    let s = &sec.seasons[season];
    let shape = &sec.shows[s.show];
    let ep = episode_facts(cat, section, season, index);
    let key = ep.key;
    let show_title = show_title(cat, shape.key);
    let mut misc = rng(cat, shape.key, F_MISC);
    misc.next_u64();
    misc.next_u64();
    let content_rating = *misc.pick(TV_RATINGS);
    let mut n = Node::keyed("Video", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}"))
        .attr("parentRatingKey", s.key.to_string())
        .attr("grandparentRatingKey", shape.key.to_string())
        .attr("guid", format!("plex://episode/{}", rng(cat, key, F_MEDIA).hex(24)))
        .attr("type", "episode")
        .attr("title", ep.title.clone())
        .attr("grandparentKey", format!("/library/metadata/{}", shape.key))
        .attr("parentKey", format!("/library/metadata/{}", s.key));
    section_attrs(&mut n, sec);
    n.set("grandparentTitle", show_title.clone());
    n.set("parentTitle", format!("Season {}", s.index));
    n.set("contentRating", content_rating);
    n.set("summary", summary(&mut rng(cat, key, F_SUMMARY)));
    n.set("index", index + 1);
    n.set("parentIndex", s.index);
    opt(&mut n, "rating", ep.critic);
    opt(&mut n, "audienceRating", ep.audience);
    opt(&mut n, "viewCount", ep.view_count);
    opt(&mut n, "lastViewedAt", ep.last_viewed_at);
    n.set("year", i64::from(ep.year));
    let updated = ep.added_at + 600;
    let mut r = rng(cat, key, F_ADDED);
    if r.chance(0.95) {
        n.set("thumb", format!("/library/metadata/{key}/thumb/{updated}"));
    }
    n.set("parentThumb", format!("/library/metadata/{}/thumb/{updated}", s.key));
    n.set("grandparentThumb", format!("/library/metadata/{}/thumb/{updated}", shape.key));
    n.set("duration", ep.duration);
    n.set("originallyAvailableAt", date(ep.year, &mut r));
    n.set("addedAt", ep.added_at);
    n.set("updatedAt", updated);
    let file = format!(
        "/data/tv/{show_title}/Season {:02}/{show_title} - s{:02}e{:02}",
        s.index,
        s.index,
        index + 1
    );
    n.push(media(&mut rng(cat, key, F_MEDIA), key, ep.duration, ep.added_at, &file));
    let mut p = rng(cat, key, F_PEOPLE);
    let d = person(&mut p);
    n.push(tag("Director", person_id(&d), &d, "director"));
    let w = person(&mut p);
    n.push(tag("Writer", person_id(&w), &w, "writer"));
    n
}

fn artist(cat: &Catalog, sec: &Section, key: u64) -> Node {
    let (title, _, added, _, genre_mask) = movie_core(cat, Entity::Artist { section: 0, key }, key);
    let mut misc = rng(cat, key, F_MISC);
    let mut n = Node::keyed("Directory", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}/children"))
        .attr("guid", format!("plex://artist/{}", rng(cat, key, F_MEDIA).hex(24)))
        .attr("type", "artist")
        .attr("title", title);
    section_attrs(&mut n, sec);
    n.set("summary", summary(&mut rng(cat, key, F_SUMMARY)));
    n.set("index", 1i64);
    art(&mut n, &mut misc, key, added + 3_600);
    n.set("addedAt", added);
    n.set("updatedAt", added + 3_600);
    for g in genre_nodes(genre_mask & 0b1000_0000_0000) {
        n.push(g);
    }
    n
}

fn photo(cat: &Catalog, sec: &Section, key: u64) -> Node {
    let (title, y, added, _, _) = movie_core(cat, Entity::Photo { section: 0, key }, key);
    let mut misc = rng(cat, key, F_MISC);
    let mut n = Node::keyed("Photo", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}"))
        .attr("guid", format!("local://{key}"))
        .attr("type", "photo")
        .attr("title", title.clone());
    section_attrs(&mut n, sec);
    n.set("year", i64::from(y));
    n.set("originallyAvailableAt", date(y, &mut misc));
    n.set("thumb", format!("/library/metadata/{key}/thumb/{}", added + 60));
    n.set("addedAt", added);
    n.set("updatedAt", added + 60);
    n.push(
        Node::new("Media")
            .attr("id", key * 2 + 5)
            .attr("width", 4032i64)
            .attr("height", 3024i64)
            .attr("container", "jpeg")
            .child(
                Node::new("Part")
                    .attr("id", key * 2 + 7)
                    .attr("key", format!("/library/parts/{}/{added}/file.jpg", key * 2 + 7))
                    .attr("file", format!("/data/photos/{title}.jpg"))
                    .attr("size", misc.range(900_000, 4_000_000))
                    .attr("container", "jpeg"),
            ),
    );
    n
}
