//! Full metadata nodes of movies, shows, seasons, episodes, artists and photos.

use super::facts::*;
use super::fields::*;
use super::words::*;
use super::{Catalog, Entity, Section};
use crate::node::Node;

/// The full metadata node of an entity.
pub(super) fn node(cat: &Catalog, e: Entity) -> Node {
    match e {
        Entity::Movie { section, key } => movie(cat, &cat.sections[section], key),
        Entity::Show { section, show } => show_node(cat, section, show),
        Entity::Season { section, season } => season_node(cat, section, season),
        Entity::Episode {
            section,
            season,
            index,
        } => episode_node(cat, section, season, index),
        Entity::Artist { section, key } => artist(cat, &cat.sections[section], key),
        Entity::Photo { section, key } => photo(cat, &cat.sections[section], key),
    }
}

fn movie(cat: &Catalog, sec: &Section, key: u64) -> Node {
    let (title, y, added, audience, genre_mask) =
        movie_core(cat, Entity::Movie { section: 0, key }, key);
    let (critic, _) = ratings(&mut rng(cat, key, F_RATING));
    let duration = movie_duration(cat, key);
    let mut misc = rng(cat, key, F_MISC);
    misc.range(0, 0);
    let updated = added + rng(cat, key, F_ADDED).range(0, 86_400) as i64;
    let mut n = Node::keyed("Video", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}"))
        .attr(
            "guid",
            format!("plex://movie/{}", rng(cat, key, F_MEDIA).hex(24)),
        )
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
        n.set("tagline", *misc.pick(TAGLINES));
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
        n.set(
            "audienceRatingImage",
            "rottentomatoes://image.rating.upright",
        );
    }
    let file = format!("/data/movies/{title} ({y})/{title} ({y})");
    n.push(media(
        &mut rng(cat, key, F_MEDIA),
        key,
        duration,
        added,
        &file,
    ));
    images(&mut n);
    for g in genre_nodes(genre_mask) {
        n.push(g);
    }
    let mut p = rng(cat, key, F_PEOPLE);
    let country = *p.pick(COUNTRIES);
    n.push(tag(
        "Country",
        50 + COUNTRIES.iter().position(|c| *c == country).unwrap_or(0) as u64,
        country,
        "country",
    ));
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
        n.push(
            Node::new("Image")
                .attr("alt", title.clone())
                .attr("type", "coverPoster")
                .attr("url", thumb),
        );
        if let Some(crate::node::Val::Str(a)) = n.get("art").cloned() {
            n.push(
                Node::new("Image")
                    .attr("alt", title)
                    .attr("type", "background")
                    .attr("url", a),
            );
        }
    }
}

fn show_node(cat: &Catalog, section: usize, show: usize) -> Node {
    let sec = &cat.sections[section];
    let shape = &sec.shows[show];
    let key = shape.key;
    let (title, y, added, audience, genre_mask) =
        movie_core(cat, Entity::Show { section, show }, key);
    let (critic, _) = ratings(&mut rng(cat, key, F_RATING));
    let mut misc = rng(cat, key, F_MISC);
    let episode_minutes = *misc.pick(&[22i64, 25, 30, 42, 45, 50, 58]);
    let updated = added + 86_400;
    let mut n = Node::keyed("Directory", "Metadata")
        .attr("ratingKey", key.to_string())
        .attr("key", format!("/library/metadata/{key}/children"))
        .attr(
            "guid",
            format!("plex://show/{}", rng(cat, key, F_MEDIA).hex(24)),
        )
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
    n.push(tag(
        "Country",
        50 + COUNTRIES.iter().position(|c| *c == country).unwrap_or(0) as u64,
        country,
        "country",
    ));
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
        .attr(
            "guid",
            format!("plex://season/{}", rng(cat, s.key, F_MEDIA).hex(24)),
        )
        .attr("type", "season")
        .attr("title", format!("Season {}", s.index))
        .attr("parentKey", format!("/library/metadata/{}", shape.key))
        .attr("parentTitle", show_title)
        .attr("summary", "")
        .attr("index", s.index)
        .attr("parentIndex", 1i64);
    section_attrs(&mut n, sec);
    n.set(
        "thumb",
        format!("/library/metadata/{}/thumb/{}", s.key, show_added + 86_400),
    );
    n.set(
        "parentThumb",
        format!(
            "/library/metadata/{}/thumb/{}",
            shape.key,
            show_added + 86_400
        ),
    );
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
        .attr(
            "guid",
            format!("plex://episode/{}", rng(cat, key, F_MEDIA).hex(24)),
        )
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
    n.set(
        "parentThumb",
        format!("/library/metadata/{}/thumb/{updated}", s.key),
    );
    n.set(
        "grandparentThumb",
        format!("/library/metadata/{}/thumb/{updated}", shape.key),
    );
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
    n.push(media(
        &mut rng(cat, key, F_MEDIA),
        key,
        ep.duration,
        ep.added_at,
        &file,
    ));
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
        .attr(
            "guid",
            format!("plex://artist/{}", rng(cat, key, F_MEDIA).hex(24)),
        )
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
    n.set(
        "thumb",
        format!("/library/metadata/{key}/thumb/{}", added + 60),
    );
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
                    .attr(
                        "key",
                        format!("/library/parts/{}/{added}/file.jpg", key * 2 + 7),
                    )
                    .attr("file", format!("/data/photos/{title}.jpg"))
                    .attr("size", misc.range(900_000, 4_000_000))
                    .attr("container", "jpeg"),
            ),
    );
    n
}
