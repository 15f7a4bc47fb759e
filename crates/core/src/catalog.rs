//! Loaded Plex items → the picker's catalog: the one place that knows both sides (plex-client
//! knows nothing of picking, and the picker does no I/O).
//!
//! Items are converted as they arrive ([`Titles`]), moving their strings rather than copying
//! them, and the strings that repeat across titles (genres, people, content ratings, the
//! library's name) are shared ([`picker::Interner`]): a big library is held once, compactly.

use std::collections::HashMap;

use picker::{Interner, Text};
use plex_client::{Item, ItemKind, LoadedLibrary};

/// Builds the picker's titles from Plex items, sharing the strings that repeat among them.
#[derive(Debug, Default)]
pub struct Titles {
    names: Interner,
}

impl Titles {
    /// A converter with nothing shared yet.
    pub fn new() -> Self {
        Titles::default()
    }

    /// The shared copy of a library's name.
    pub fn library(&mut self, name: &str) -> Text {
        self.names.text(name)
    }

    /// A movie or show of `library` as the picker sees it (a show without its episodes; see
    /// [`attach_episodes`]); `None` for any other kind of item.
    pub fn title(&mut self, it: Item, library: &Text) -> Option<picker::Title> {
        let kind = match it.kind {
            ItemKind::Movie => picker::Kind::Movie,
            ItemKind::Show => picker::Kind::Show,
            _ => return None,
        };
        let names = &mut self.names;
        let mut shared =
            |v: Vec<String>| -> Vec<Text> { v.into_iter().map(|s| names.owned(s)).collect() };
        let genres = shared(it.genres);
        let directors = shared(it.directors);
        let cast = shared(it.cast);
        Some(picker::Title {
            id: it.rating_key,
            kind,
            title: it.title,
            year: it.year.and_then(|y| u16::try_from(y).ok()),
            summary: it.summary.unwrap_or_default(),
            duration_ms: match kind {
                picker::Kind::Movie => it.duration.filter(|&d| d > 0),
                picker::Kind::Show => None,
            },
            genres,
            directors,
            cast,
            content_rating: it.content_rating.map(|r| self.names.owned(r)),
            critic_rating: it.critic_rating.map(|r| r as f32),
            audience_rating: it.audience_rating.map(|r| r as f32),
            view_count: it.view_count,
            last_viewed_at: it.last_viewed_at,
            added_at: it.added_at,
            thumb: it.thumb,
            library: library.clone(),
            leaf_count: it.leaf_count.unwrap_or(0),
            viewed_leaf_count: it.viewed_leaf_count.unwrap_or(0),
            episodes: Vec::new(),
        })
    }
}

/// An episode as the picker sees it, with its show's key (`None`: an episode of no show).
pub fn episode(it: Item) -> Option<(String, picker::Episode)> {
    let show = it.grandparent_rating_key?;
    Some((
        show,
        picker::Episode {
            id: it.rating_key,
            season: it.parent_index.unwrap_or(0),
            index: it.index.unwrap_or(0),
            title: it.title,
            duration_ms: it.duration.filter(|&d| d > 0),
            view_count: it.view_count,
        },
    ))
}

/// Gives each show of `titles` its episodes (in the order they came), by the show's key.
pub fn attach_episodes(titles: &mut [picker::Title], episodes: Vec<(String, picker::Episode)>) {
    let mut by_show: HashMap<String, Vec<picker::Episode>> = HashMap::new();
    for (show, e) in episodes {
        by_show.entry(show).or_default().push(e);
    }
    for t in titles {
        if let Some(eps) = by_show.remove(t.id.as_str()) {
            t.episodes = eps;
        }
    }
}

/// The picker's titles of one loaded section (shows carry their episodes).
pub fn titles(library: &LoadedLibrary) -> Vec<picker::Title> {
    titles_with(&mut Titles::new(), library)
}

fn titles_with(names: &mut Titles, library: &LoadedLibrary) -> Vec<picker::Title> {
    let name = names.library(&library.section.title);
    let mut out: Vec<picker::Title> = library
        .items
        .iter()
        .filter_map(|it| names.title(it.clone(), &name))
        .collect();
    attach_episodes(
        &mut out,
        library
            .episodes
            .iter()
            .cloned()
            .filter_map(episode)
            .collect(),
    );
    out
}

/// A catalog of every loaded section, in order.
pub fn catalog(libraries: &[LoadedLibrary]) -> picker::Catalog {
    let mut names = Titles::new();
    picker::Catalog::new(
        libraries
            .iter()
            .flat_map(|l| titles_with(&mut names, l))
            .collect(),
    )
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

    #[test]
    fn repeated_names_are_shared_across_titles_and_other_items_left_out() {
        let item = |key: &str, genre: &str| Item {
            rating_key: key.into(),
            kind: ItemKind::Movie,
            title: format!("Film {key}"),
            genres: vec![genre.into(), "Drama".into()],
            cast: vec!["Ann Lee".into()],
            content_rating: Some("PG".into()),
            ..Item::default()
        };
        let mut names = Titles::new();
        let library = names.library("Movies");
        let a = names.title(item("1", "Comedy"), &library).unwrap();
        let b = names.title(item("2", "Horror"), &library).unwrap();
        assert!(names
            .title(
                Item {
                    kind: ItemKind::Episode,
                    ..item("3", "Drama")
                },
                &library
            )
            .is_none());
        assert_eq!(
            (a.genres[1].as_str(), b.library.as_str()),
            ("Drama", "Movies")
        );
        // Drama, Comedy, Horror, Ann Lee, PG and the library: one copy each.
        assert_eq!(names.names.len(), 6);
        assert!(std::ptr::eq(a.genres[1].as_ptr(), b.genres[1].as_ptr()));
        assert!(std::ptr::eq(a.cast[0].as_ptr(), b.cast[0].as_ptr()));
        assert!(std::ptr::eq(a.library.as_ptr(), b.library.as_ptr()));
    }
}
