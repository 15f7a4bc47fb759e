//! The connected server's libraries: listing them, loading the chosen ones into the picker's
//! catalog with progress (and caching it), the start from the cache, and the quiet reload
//! after it.

use std::path::Path;
use std::sync::Arc;

use plex_client::{CancellationToken, Section, SectionKind, ServerConnection};
use plexpicker_ipc::{LibraryKind, LibraryView, LoadedCatalog, Startup};

use super::{Live, LiveCatalog, Reach, Session};
use crate::cache::{self, CachedCatalog};
use crate::connect;
use crate::library::{self, OnLoad};
use crate::report::{LibrariesReport, LibraryRow, OnNotice, ServerRef};
use crate::{views, Error, Result};

impl Session {
    /// The movie and TV libraries of the connected server, with item counts, and whether
    /// each is among the chosen ones (all are, until the user chooses).
    pub async fn libraries(&self) -> Result<Vec<LibraryView>> {
        let connection = self.connection()?;
        let chosen = self.settings().libraries;
        let sections = connection.sections().await?;
        let cancel = CancellationToken::new();
        let mut views = Vec::with_capacity(sections.len());
        for section in sections {
            let count = library::count(&connection, &section, &cancel).await.ok();
            views.push(LibraryView {
                chosen: chosen
                    .as_ref()
                    .is_none_or(|keys| keys.contains(&section.key)),
                kind: match section.kind {
                    SectionKind::Movie => LibraryKind::Movie,
                    SectionKind::Show => LibraryKind::Show,
                },
                key: section.key,
                title: section.title,
                count: count.map(|c| c as u64),
            });
        }
        Ok(views)
    }

    /// `reach.server` found and connected to (see [`Session::connect_server`]), and its
    /// movie and show libraries with their item counts (a count the server does not give is
    /// [`Error::CountMissing`]).
    pub async fn library_report(
        &self,
        reach: &Reach,
        on_notice: &OnNotice,
    ) -> Result<LibrariesReport> {
        let server = self.find_server(reach.server.as_deref(), on_notice).await?;
        self.connect_server(&server, reach, on_notice).await?;
        let mut rows = Vec::new();
        for library in self.libraries().await? {
            let Some(count) = library.count else {
                return Err(Error::CountMissing {
                    library: library.title,
                });
            };
            rows.push(LibraryRow {
                key: library.key,
                title: library.title,
                kind: match library.kind {
                    LibraryKind::Movie => SectionKind::Movie,
                    LibraryKind::Show => SectionKind::Show,
                },
                count: count as usize,
            });
        }
        Ok(LibrariesReport {
            server: ServerRef::of(&server),
            libraries: rows,
        })
    }

    /// The connected server's movie and show libraries.
    pub async fn sections(&self) -> Result<Vec<Section>> {
        Ok(self.connection()?.sections().await?)
    }

    /// Loads `sections` of the connected server into a catalog, ready to cache where the
    /// front end keeps it (the CLI: beside its settings, under its own selection).
    pub async fn load_sections(
        &self,
        sections: &[Section],
        on_load: OnLoad,
    ) -> Result<CachedCatalog> {
        let connection = self.connection()?;
        library::load(&connection, sections, self.begin_work(), on_load).await
    }

    /// Remembers `keys` as the chosen libraries and loads them (every item, and every
    /// episode of TV libraries) into the catalog the picker uses, caching it in `cache_dir`.
    pub async fn load_libraries(
        &self,
        keys: Vec<String>,
        cache_dir: &Path,
        on_load: OnLoad,
    ) -> Result<LoadedCatalog> {
        if keys.is_empty() {
            return Err(Error::Invalid(
                "Choose at least one library to pick from.".into(),
            ));
        }
        let connection = self.connection()?;
        self.update(|s| s.libraries = Some(keys.clone()))?;
        let cancel = self.begin_work();
        let live = load(&connection, Some(&keys), cancel, cache_dir, on_load).await?;
        let summary = live.summary.clone();
        put_catalog(&mut self.live(), live);
        // The people watching last time (the window names them from the start): their room
        // again, from the kept tokens. Best effort: the load itself succeeded.
        let remembered = self.settings().watching.len() > 1 && self.live().room.is_none();
        if remembered {
            if let Err(err) = self.restore_room().await {
                eprintln!("PlexPicker could not restore who is watching: {err}");
            }
        }
        Ok(summary)
    }

    /// Where the app stands after a (re)start, so the window lands on the right screen; the
    /// start-up notice is said once. The demo or the cached catalog is put in place first (see
    /// [`Session::restore`]); the flag is its answer.
    pub fn startup(&self, cache_dir: &Path) -> (Startup, bool) {
        self.restore(cache_dir);
        let settings = self.settings();
        let mut live = self.live();
        // Restored now or ahead of the window (see [`Session::restore`]): reported once.
        let restored = std::mem::take(&mut live.restored_unclaimed) && live.catalog.is_some();
        let startup = Startup {
            signed_in: settings.account.is_some(),
            account: settings.account.as_ref().and_then(|a| a.name.clone()),
            server: settings.server.as_ref().map(views::saved_server_view),
            catalog: live.catalog.as_ref().map(|c| c.summary.clone()),
            choices: settings.choices,
            notice: live.notice.take(),
            demo: settings.demo,
            watching: if settings.watching_names.len() > 1 {
                settings.watching_names
            } else {
                Vec::new()
            },
        };
        (startup, restored)
    }

    /// At start-up: the demo, or the cached catalog of the chosen server, put in place at
    /// once. True when a cached catalog was restored, so the front end may reload it in the
    /// background ([`Session::reload`]).
    ///
    /// The app calls this as the process starts, on its own thread, so the cache is decoded
    /// while the window and its web view start; the next [`Session::startup`] then finds the
    /// catalog in place and still reports it as restored (once). Called twice, or by
    /// `startup` while the first call runs, the cache is decoded once: the second call waits
    /// for the first and returns false.
    pub fn restore(&self, cache_dir: &Path) -> bool {
        let settings = self.settings();
        let mut live = self.live();
        if live.catalog.is_some() {
            return false;
        }
        if settings.demo {
            live.catalog = Some(Arc::new(LiveCatalog::demo()));
            return false;
        }
        let (Some(_), Some(server)) = (&settings.account, &settings.server) else {
            return false;
        };
        let file = cache::file_for(cache_dir, &server.id);
        match cache::load(&file, &server.id) {
            Some(cached) => {
                live.catalog = Some(Arc::new(LiveCatalog::from_cache(cached)));
                live.restored_unclaimed = true;
                true
            }
            None => false,
        }
    }

    /// After a start from the cache: reconnects (the remembered route first, the saved
    /// machine identifier checked, the pins held) and reloads the chosen libraries without
    /// holding anything up. The picker keeps working from the cache meanwhile; any failure
    /// leaves it in place, and so does a user who connected elsewhere or signed out.
    pub async fn reload(&self, cache_dir: &Path, on_load: OnLoad) {
        let settings = self.settings();
        let (Some(account), Some(server)) = (&settings.account, &settings.server) else {
            return;
        };
        let (Ok(token), Ok(access_token)) = (self.account_token(), self.server_token(&server.id))
        else {
            return;
        };
        let Ok(client) = self.client() else {
            return;
        };
        let (generation, cancel) = self.begin_generation();
        let start = connect::Start {
            full_race: false,
            cancel: cancel.clone(),
            on_event: None,
        };
        let options = connect::options(&settings, &server.id, start);
        let connected = if account.direct {
            // Reached by URL and token: only the saved machine may answer.
            let Some(uri) = settings
                .last_connections
                .get(&server.id)
                .cloned()
                .or_else(|| server.connections.first().map(|c| c.uri.clone()))
            else {
                return;
            };
            client
                .reconnect_direct(&uri, &token, &server.id, &options)
                .await
        } else {
            let listed = server.to_server(access_token);
            client.connect(&listed, &token, &options).await
        };
        let Ok(connected) = connected else {
            return;
        };
        let connection = connected.connection;
        {
            let mut live = self.live();
            if live.work_generation != generation {
                return;
            }
            live.connection = Some(connection.clone());
        }
        let keys = settings.libraries;
        if let Ok(loaded) = load(&connection, keys.as_ref(), cancel, cache_dir, on_load).await {
            let mut current = self.live();
            let same_server = current
                .catalog
                .as_ref()
                .and_then(|c| c.server_id.as_deref())
                == Some(server.id.as_str());
            if same_server {
                put_catalog(&mut current, loaded);
            }
        }
    }
}

/// Loads `keys` (all movie and show libraries when `None`) into a catalog and caches it in
/// `cache_dir`.
async fn load(
    connection: &ServerConnection,
    keys: Option<&Vec<String>>,
    cancel: CancellationToken,
    cache_dir: &Path,
    on_load: OnLoad,
) -> Result<LiveCatalog> {
    let sections: Vec<_> = connection
        .sections()
        .await?
        .into_iter()
        .filter(|s| keys.is_none_or(|keys| keys.contains(&s.key)))
        .collect();
    let cached = library::load(connection, &sections, cancel, on_load).await?;
    if let Err(err) = cache::save(&cache::file_for(cache_dir, &cached.server_id), &cached) {
        // The catalog still works; only the next start will not be instant.
        eprintln!("PlexPicker could not cache the catalog: {err}");
    }
    let live = LiveCatalog::loaded(cached.catalog, cached.server_id);
    library::release_freed_memory();
    Ok(live)
}

/// Makes `catalog` the one the picker chooses from; the room, if any, is worked out over it
/// again (the people are the same, their titles are the new catalog's).
fn put_catalog(live: &mut Live, catalog: LiveCatalog) {
    if let Some(room) = live.room.take() {
        live.room = Some(Arc::new(catalog.indexed.index_room(room.room().clone())));
    }
    live.catalog = Some(Arc::new(catalog));
}
