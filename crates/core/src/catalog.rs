//! Loaded Plex items → the picker's catalog: the one place that knows both sides (plex-client
//! knows nothing of picking, and the picker does no I/O).

use std::collections::HashMap;

use plex_client::{Item, ItemKind, LoadedLibrary};

/// A movie or show as the picker sees it (a show without its episodes; see [`titles`]).
pub fn title(it: &Item) -> picker::Title {
    let kind = if it.kind == ItemKind::Show {
        picker::Kind::Show
    } else {
        picker::Kind::Movie
    };
    picker::Title {
        id: it.rating_key.clone(),
        kind,
        title: it.title.clone(),
        year: it.year.and_then(|y| u16::try_from(y).ok()),
        summary: it.summary.clone().unwrap_or_default(),
        duration_ms: match kind {
            picker::Kind::Movie => it.duration.filter(|&d| d > 0),
            picker::Kind::Show => None,
        },
        genres: it.genres.clone(),
        directors: it.directors.clone(),
        cast: it.cast.clone(),
        content_rating: it.content_rating.clone(),
        critic_rating: it.critic_rating.map(|r| r as f32),
        audience_rating: it.audience_rating.map(|r| r as f32),
        view_count: it.view_count,
        last_viewed_at: it.last_viewed_at,
        added_at: it.added_at,
        thumb: it.thumb.clone(),
        library: String::new(),
        leaf_count: it.leaf_count.unwrap_or(0),
        viewed_leaf_count: it.viewed_leaf_count.unwrap_or(0),
        episodes: Vec::new(),
    }
}

/// An episode as the picker sees it.
pub fn episode(it: &Item) -> picker::Episode {
    picker::Episode {
        id: it.rating_key.clone(),
        season: it.parent_index.unwrap_or(0),
        index: it.index.unwrap_or(0),
        title: it.title.clone(),
        duration_ms: it.duration.filter(|&d| d > 0),
        view_count: it.view_count,
    }
}

/// The picker's titles of one loaded section (shows carry their episodes).
pub fn titles(library: &LoadedLibrary) -> Vec<picker::Title> {
    let mut by_show: HashMap<&str, Vec<picker::Episode>> = HashMap::new();
    for e in &library.episodes {
        if let Some(show) = e.grandparent_rating_key.as_deref() {
            by_show.entry(show).or_default().push(episode(e));
        }
    }
    library
        .items
        .iter()
        .filter(|it| matches!(it.kind, ItemKind::Movie | ItemKind::Show))
        .map(|it| {
            let mut t = title(it);
            t.library = library.section.title.clone();
            if let Some(eps) = by_show.remove(it.rating_key.as_str()) {
                t.episodes = eps;
            }
            t
        })
        .collect()
}

/// A catalog of every loaded section, in order.
pub fn catalog(libraries: &[LoadedLibrary]) -> picker::Catalog {
    picker::Catalog::new(libraries.iter().flat_map(titles).collect())
}

#[cfg(test)]
mod tests {
    use plex_client::{Section, SectionKind};

    use super::*;

    #[test]
    fn converts_to_picker() {
        let show = Item {
            rating_key: "22".into(),
            kind: ItemKind::Show,
            title: "The 100".into(),
            year: Some(2014),
            duration: Some(2_700_000),
            critic_rating: Some(8.3),
            leaf_count: Some(18),
            viewed_leaf_count: Some(2),
            ..Item::default()
        };
        let ep = Item {
            rating_key: "23".into(),
            kind: ItemKind::Episode,
            grandparent_rating_key: Some("22".into()),
            parent_index: Some(1),
            index: Some(2),
            duration: Some(2_600_000),
            ..Item::default()
        };
        let lib = LoadedLibrary {
            section: Section {
                key: "2".into(),
                kind: SectionKind::Show,
                title: "TV".into(),
                uuid: None,
                updated_at: None,
            },
            items: vec![show],
            episodes: vec![ep],
        };
        let c = catalog(&[lib]);
        assert_eq!(c.len(), 1);
        let t = &c.titles[0];
        assert_eq!(t.kind, picker::Kind::Show);
        assert_eq!(t.year, Some(2014));
        assert_eq!(t.duration_ms, None);
        assert_eq!(t.library, "TV");
        assert_eq!(t.leaf_count, 18);
        assert_eq!(t.episodes.len(), 1);
        assert_eq!((t.episodes[0].season, t.episodes[0].index), (1, 2));
        assert!((t.critic_rating.unwrap_or(0.0) - 8.3).abs() < 1e-5);
    }
}
