//! Loading libraries into the picker's catalog, with progress over all of them: the app's
//! session and the CLI's `pick --refresh` load the same way.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use plex_client::{CancellationToken, LoadOptions, Section, SectionKind, ServerConnection};
use plexpicker_ipc::{EpisodeProgress, LoadProgress};

use crate::cache::{CachedCatalog, LibraryRef};
use crate::session::now;
use crate::Result;

/// The number of movies or shows in a section: one page of size 0 (only the total); for a
/// server that leaves `totalSize` out of such a page, one page of size 1 and its total.
pub async fn count(
    connection: &ServerConnection,
    section: &Section,
    cancel: &CancellationToken,
) -> Result<usize> {
    match connection.section_size(&section.key).await {
        Ok(n) => return Ok(n),
        Err(plex_client::Error::InvalidResponse { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    const UNKNOWN: usize = usize::MAX;
    let total = Arc::new(AtomicUsize::new(UNKNOWN));
    let stop = cancel.child_token();
    let opts = LoadOptions {
        cancel: stop.clone(),
        on_progress: Some(Arc::new({
            let total = total.clone();
            let stop = stop.clone();
            move |p: plex_client::LoadProgress| {
                let _ =
                    total.compare_exchange(UNKNOWN, p.total, Ordering::SeqCst, Ordering::SeqCst);
                stop.cancel();
            }
        })),
        page_size: Some(1),
        pages_in_flight: Some(1),
    };
    match connection.section_items(section, &opts).await {
        Ok(items) => Ok(items.len()),
        Err(plex_client::Error::Cancelled) if !cancel.is_cancelled() => {
            match total.load(Ordering::SeqCst) {
                UNKNOWN => Err(plex_client::Error::InvalidResponse {
                    endpoint: format!("/library/sections/{}/all", section.key),
                    detail: format!(
                        "the server did not say how many items {} has",
                        section.title
                    ),
                }
                .into()),
                n => Ok(n),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Called with the load's progress over all the chosen libraries.
pub type OnLoad = Arc<dyn Fn(LoadProgress) + Send + Sync>;

/// Loads `sections` of `connection` (every item, and every episode of TV libraries) into a
/// catalog, ready to cache. Progress runs over all of them: the items of the finished ones
/// plus the current one's; a show library's episodes are a second phase, reported as such so
/// the window never sits at "N of N" while they load.
pub async fn load(
    connection: &ServerConnection,
    sections: &[Section],
    cancel: CancellationToken,
    on_load: OnLoad,
) -> Result<CachedCatalog> {
    let server_id = connection.machine_identifier().to_string();
    let mut done = 0u64;
    let mut total_before = 0u64;
    // Each page of items becomes titles as it arrives (the items are not kept).
    let mut names = crate::catalog::Titles::new();
    let mut all: Vec<picker::Title> = Vec::new();
    for section in sections {
        let title = section.title.clone();
        let report = on_load.clone();
        let current_total = Arc::new(AtomicU64::new(0));
        let seen_total = current_total.clone();
        let options = LoadOptions {
            cancel: cancel.clone(),
            on_progress: Some(Arc::new(move |p: plex_client::LoadProgress| {
                seen_total.store(p.total as u64, Ordering::SeqCst);
                report(LoadProgress {
                    library: title.clone(),
                    loaded: done + p.loaded as u64,
                    total: total_before + p.total as u64,
                    episodes: None,
                });
            })),
            ..LoadOptions::default()
        };
        let library = names.library(&section.title);
        let mut received = 0u64;
        let mut titles = connection
            .section_items_with(section, &options, |item| {
                received += 1;
                names.title(item, &library)
            })
            .await?;
        match section.kind {
            SectionKind::Movie => {}
            SectionKind::Show => {
                let shows = received;
                let titles_read = done + shows;
                let titles_total = total_before + current_total.load(Ordering::SeqCst).max(shows);
                let report = on_load.clone();
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
                let options = LoadOptions {
                    cancel: cancel.clone(),
                    on_progress: Some(Arc::new(move |p: plex_client::LoadProgress| {
                        progress(p.loaded as u64, p.total as u64)
                    })),
                    ..LoadOptions::default()
                };
                let episodes = connection
                    .section_episodes_with(&section.key, &options, crate::catalog::episode)
                    .await?;
                crate::catalog::attach_episodes(&mut titles, episodes);
            }
        }
        done += received;
        total_before += current_total.load(Ordering::SeqCst).max(received);
        if all.is_empty() {
            // The usual single library: its list becomes the catalog's, not copied into it.
            all = titles;
        } else {
            all.append(&mut titles);
        }
    }
    let catalog = picker::IndexedCatalog::new(picker::Catalog::new(all));
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
    Ok(cached)
}

/// Gives what a load used and freed (pages of JSON, the client's items) back to the system:
/// glibc keeps freed heap pages otherwise, and the process would stay at the load's peak size
/// for as long as it runs.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free pages of the heap back to the system; it touches no
    // memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
