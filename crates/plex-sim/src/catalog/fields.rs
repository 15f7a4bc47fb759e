//! Value generators: titles, years, ratings, summaries, people, media, tags.

use super::words::*;
use super::{Catalog, Section};
use crate::node::Node;
use crate::rng::Rng;

pub const NOW: i64 = 1_764_000_000;

pub(super) const F_TITLE: u64 = 1;
pub(super) const F_YEAR: u64 = 2;
pub(super) const F_ADDED: u64 = 3;
pub(super) const F_RATING: u64 = 4;
pub(super) const F_WATCH: u64 = 5;
pub(super) const F_GENRE: u64 = 6;
pub(super) const F_MISC: u64 = 7;
pub(super) const F_SUMMARY: u64 = 8;
pub(super) const F_PEOPLE: u64 = 9;
pub(super) const F_MEDIA: u64 = 10;

pub(super) fn rng(cat: &Catalog, key: u64, field: u64) -> Rng {
    Rng::for_item(cat.seed, key, field)
}

pub(super) fn movie_title(r: &mut Rng) -> String {
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

pub(super) fn title_sort(title: &str) -> String {
    for article in ["The ", "A ", "An "] {
        if let Some(rest) = title.strip_prefix(article) {
            return rest.to_string();
        }
    }
    title.to_string()
}

/// Years 1950..=2025, recent ones more likely.
pub(super) fn year(r: &mut Rng) -> i32 {
    let u = r.unit();
    2025 - (u * u * 76.0) as i32
}

pub(super) fn genres(r: &mut Rng) -> u32 {
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
pub(super) fn ratings(r: &mut Rng) -> (Option<f64>, Option<f64>) {
    let base: f64 = 3.0 + r.unit() * 6.5;
    let critic = (r.chance(0.8)).then(|| round1((base + r.unit() * 2.0 - 1.0).clamp(0.0, 10.0)));
    let audience = (r.chance(0.85)).then(|| round1((base + r.unit() * 1.4 - 0.7).clamp(0.0, 10.0)));
    (critic, audience)
}

pub(super) fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// `(viewCount, lastViewedAt, viewOffset)` for a movie.
pub(super) fn watch(
    r: &mut Rng,
    duration_ms: i64,
    added_at: i64,
) -> (Option<u32>, Option<i64>, Option<i64>) {
    if r.chance(0.3) {
        let count = r.range(1, 5) as u32;
        let last = (added_at + r.range(3_600, (NOW - added_at).max(3_601) as u64) as i64).min(NOW);
        (Some(count), Some(last), None)
    } else if r.chance(0.05) {
        let offset = (duration_ms as f64 * (0.1 + r.unit() * 0.8)) as i64;
        (
            None,
            Some(NOW - r.range(3_600, 90 * 86_400) as i64),
            Some(offset),
        )
    } else {
        (None, None, None)
    }
}

pub(super) fn added_at(r: &mut Rng, year: i32) -> i64 {
    // Never before the release year, never after NOW.
    let release = ((year - 1970) as i64) * 31_557_600;
    let earliest = release.max(NOW - 9 * 31_557_600);
    earliest + r.range(0, (NOW - earliest).max(1) as u64) as i64
}

pub(super) fn summary(r: &mut Rng) -> String {
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
        let ending: &&str = r.pick(SUMMARY_ENDINGS);
        s.push_str(ending);
    }
    s
}

pub(super) fn person(r: &mut Rng) -> String {
    format!("{} {}", r.pick(FIRST_NAMES), r.pick(LAST_NAMES))
}

pub(super) fn tag(tag: &'static str, id: u64, name: &str, filter: &'static str) -> Node {
    Node::new(tag)
        .attr("id", id)
        .attr("filter", format!("{filter}={id}"))
        .attr("tag", name)
}

pub(super) fn person_id(name: &str) -> u64 {
    name.bytes()
        .fold(5381u64, |h, b| h.wrapping_mul(33) ^ u64::from(b))
        % 900_000
        + 100_000
}

pub(super) fn genre_nodes(mask: u32) -> Vec<Node> {
    (0..GENRES.len())
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| tag("Genre", 100 + i as u64, GENRES[i], "genre"))
        .collect()
}

pub(super) fn people(r: &mut Rng, node: &mut Node, roles: u64) {
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

pub(super) fn media(r: &mut Rng, key: u64, duration: i64, added: i64, file: &str) -> Node {
    let (width, height, res) = *r.pick(&[
        (1920, 1080, "1080"),
        (3840, 2160, "4k"),
        (1280, 720, "720"),
        (720, 480, "sd"),
    ]);
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
                .attr(
                    "key",
                    format!("/library/parts/{part_id}/{added}/file.{container}"),
                )
                .attr("duration", duration)
                .attr("file", format!("{file}.{container}"))
                .attr("size", duration / 1000 * bitrate * 125)
                .attr("container", container),
        )
}

pub(super) fn art(node: &mut Node, r: &mut Rng, key: u64, updated: i64) {
    // Most items have artwork; some have none.
    if r.chance(0.92) {
        node.set("thumb", format!("/library/metadata/{key}/thumb/{updated}"));
        node.set("art", format!("/library/metadata/{key}/art/{updated}"));
    }
}

pub(super) fn section_attrs(node: &mut Node, sec: &Section) {
    node.set("librarySectionTitle", sec.title.clone());
    node.set("librarySectionID", sec.key);
    node.set(
        "librarySectionKey",
        format!("/library/sections/{}", sec.key),
    );
}

pub(super) fn opt<T: Into<crate::node::Val>>(node: &mut Node, name: &'static str, v: Option<T>) {
    if let Some(v) = v {
        node.set(name, v);
    }
}

pub(super) fn date(year: i32, r: &mut Rng) -> String {
    format!("{year}-{:02}-{:02}", r.range(1, 12), r.range(1, 28))
}
