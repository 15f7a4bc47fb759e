//! Loading a server's libraries into the picker's catalog: shared by the `load_libraries`
//! command and the background refresh after a start from the cached catalog (so no command
//! calls another command module's helpers).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use plex_client::{LoadOptions, SectionKind};
use plexpicker_ipc::{events, EpisodeProgress, IpcError, LoadProgress};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{now, AppState, LiveCatalog};
use plexpicker_core::cache::{self, CachedCatalog, LibraryRef};
use plexpicker_core::connect;
use plexpicker_core::views;

/// After a start from the cached catalog: reconnects (trying the remembered route first) and
/// reloads the chosen libraries without holding anything up, reporting on [`events::LOAD`].
/// The picker keeps working from the cache meanwhile; a failure leaves the cache in place.
pub async fn refresh_in_background<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let settings = state.settings();
    let (Some(account), Some(server)) = (&settings.account, &settings.server) else {
        return;
    };
    let (Ok(token), Ok(access_token)) = (state.account_token(), state.server_token(&server.id))
    else {
        return;
    };
    let (generation, cancel) = state.begin_generation();
    // Exactly like `connect`, for a plex.tv server and for one reached by URL and token alike:
    // the saved machine identifier is checked, the pins hold, the remembered route goes first.
    let start = connect::Start {
        full_race: false,
        cancel: cancel.clone(),
        on_event: None,
    };
    let options = connect::options(&settings, &server.id, start);
    let connection = if account.direct {
        // Reached by URL and token: only the saved machine may answer, and its pins hold.
        let Some(uri) = settings
            .last_connections
            .get(&server.id)
            .cloned()
            .or_else(|| server.connections.first().map(|c| c.uri.clone()))
        else {
            return;
        };
        state
            .client()
            .reconnect_direct(&uri, &token, &server.id, &options)
            .await
    } else {
        let listed = server.to_server(access_token);
        state.client().connect(&listed, &token, &options).await
    };
    let Ok(connected) = connection else {
        return;
    };
    let connection = connected.connection;
    {
        let mut live = state.live();
        if live.work_generation != generation {
            // The user connected elsewhere (or signed out) meanwhile.
            return;
        }
        live.connection = Some(connection.clone());
    }
    let keys = settings.libraries;
    // The header shows this progress while the picker keeps working from the cache.
    let emitter = app.clone();
    let report = move |progress: LoadProgress| {
        let _ = emitter.emit(events::LOAD, progress);
    };
    if let Ok(live) = load(&state, &connection, keys.as_ref(), cancel, report).await {
        let mut current = state.live();
        // Only if the user did not switch servers meanwhile.
        if current
            .catalog
            .as_ref()
            .and_then(|c| c.server_id.as_deref())
            == Some(server.id.as_str())
        {
            current.catalog = Some(Arc::new(live));
        }
    }
}

/// Loads `keys` (all movie and show libraries when `None`) into a catalog and caches it.
pub async fn load(
    state: &AppState,
    connection: &plex_client::ServerConnection,
    keys: Option<&Vec<String>>,
    cancel: plex_client::CancellationToken,
    report: impl Fn(LoadProgress) + Send + Sync + 'static,
) -> Result<LiveCatalog, IpcError> {
    let server_id = connection.machine_identifier().to_string();
    let sections: Vec<_> = connection
        .sections()
        .await
        .map_err(views::error)?
        .into_iter()
        .filter(|s| keys.is_none_or(|keys| keys.contains(&s.key)))
        .collect();
    let report = Arc::new(report);
    // Progress over all chosen libraries: items of the finished ones plus the current one's.
    let mut done = 0u64;
    let mut total_before = 0u64;
    let mut loaded = Vec::with_capacity(sections.len());
    for section in &sections {
        let title = section.title.clone();
        let report_titles = report.clone();
        let current_total = Arc::new(AtomicU64::new(0));
        let seen_total = current_total.clone();
        let options = LoadOptions {
            cancel: cancel.clone(),
            on_progress: Some(Arc::new(move |p: plex_client::LoadProgress| {
                seen_total.store(p.total as u64, Ordering::SeqCst);
                report_titles(LoadProgress {
                    library: title.clone(),
                    loaded: done + p.loaded as u64,
                    total: total_before + p.total as u64,
                    episodes: None,
                });
            })),
            ..LoadOptions::default()
        };
        let items = connection
            .section_items(section, &options)
            .await
            .map_err(views::error)?;
        // A show library's episodes come after its titles: a second phase, reported as such
        // so the window never sits at "N of N" while they load.
        let episodes = match section.kind {
            SectionKind::Movie => Vec::new(),
            SectionKind::Show => {
                let shows = items.len() as u64;
                let titles_read = done + shows;
                let titles_total = total_before + current_total.load(Ordering::SeqCst).max(shows);
                let report = report.clone();
                let title = section.title.clone();
                let progress = move |loaded: u64, total: u64| {
                    report(LoadProgress {
                        library: title.clone(),
                        loaded: titles_read,
                        total: titles_total,
                        episodes: Some(EpisodeProgress {
                            shows,
                            loaded,
                            total,
                        }),
                    })
                };
                progress(0, 0);
                connection
                    .section_episodes(
                        &section.key,
                        &LoadOptions {
                            cancel: cancel.clone(),
                            on_progress: Some(Arc::new(move |p: plex_client::LoadProgress| {
                                progress(p.loaded as u64, p.total as u64)
                            })),
                            ..LoadOptions::default()
                        },
                    )
                    .await
                    .map_err(views::error)?
            }
        };
        let library = plex_client::LoadedLibrary {
            section: section.clone(),
            items,
            episodes,
        };
        let items = library.items.len() as u64;
        done += items;
        total_before += current_total.load(Ordering::SeqCst).max(items);
        loaded.push(library);
    }
    let catalog = plexpicker_core::catalog::catalog(&loaded);
    let cached = CachedCatalog {
        server_id: server_id.clone(),
        server_name: connection.name().to_string(),
        selection: sections.iter().map(|s| s.key.clone()).collect(),
        libraries: sections
            .iter()
            .map(|s| LibraryRef {
                key: s.key.clone(),
                title: s.title.clone(),
                kind: s.kind,
            })
            .collect(),
        loaded_at: now(),
        catalog,
    };
    if let Err(err) = cache::save(&cache::file_for(&state.paths.cache, &server_id), &cached) {
        // The catalog still works; only the next start will not be instant.
        eprintln!("PlexPicker could not cache the catalog: {err}");
    }
    drop(loaded);
    let live = LiveCatalog::loaded(cached.catalog, server_id);
    release_freed_memory();
    Ok(live)
}

/// Gives what the load used and freed (pages of JSON, the client's items) back to the system:
/// glibc keeps freed heap pages otherwise, and the app would stay at the load's peak size for
/// as long as it runs.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free pages of the heap back to the system; it touches no
    // memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
