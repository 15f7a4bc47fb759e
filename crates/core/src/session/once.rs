//! A pick in one go, for a front end that lives for one command (the CLI): the catalog from
//! the cache when it fits (see [`crate::pick_cache`]), else the server found, connected to,
//! its libraries chosen and loaded (and cached); the room of people worked out when the pick
//! is for several; the engine's pick, or the model's among the engine's best; the top pick
//! recorded in the history; and the whole of it as a [`PickReport`].
//!
//! Also the rest of a one-shot front end's history: "not this one" ([`Session::not_this_one`])
//! and what was really chosen ([`Session::watching`]), both naming the title from the cache.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use picker::{Choices, Mood, PickContext, RejectReason, Room};
use plex_client::{CancellationToken, Section};
use plexpicker_ipc::LoadProgress;

use super::{now, LiveCatalog, OnProfileProgress, Reach, Session};
use crate::ai::{self, PickInput};
use crate::cache::CachedCatalog;
use crate::library::OnLoad;
use crate::report::{
    self, CatalogInfo, Curation, ModelRef, Notice, OnNotice, PickReport, PickRow, Rejected,
    ServerRef, Watching,
};
use crate::{history, pick_cache, Error, Result};

/// Who a pick is for besides the account: profile ids (the Home's order) and the PINs given,
/// by profile id. A PIN is used once and never kept.
#[derive(Debug, Clone, Default)]
pub struct People {
    pub ids: Vec<String>,
    pub pins: BTreeMap<String, String>,
}

/// A pick in one go (see [`Session::pick_once`]).
pub struct PickOnce {
    /// The server by name or machine identifier; `None`: the one chosen last.
    pub server: Option<String>,
    /// Library titles or keys to pick from; empty: every movie and show library.
    pub libraries: Vec<String>,
    /// Load again even when the cache fits.
    pub refresh: bool,
    /// The cached catalog's file.
    pub cache_file: PathBuf,
    /// Several people: who.
    pub people: Option<People>,
    pub choices: Choices,
    /// Same seed, same catalog, same choices and history: same pick.
    pub seed: u64,
    /// The local UTC offset, for a finish-by time.
    pub utc_offset_minutes: i32,
    /// Let the model choose among the engine's best.
    pub ai: bool,
    /// Stops the race and the loads (e.g. Ctrl-C). The model is stopped by dropping the
    /// future.
    pub stop: CancellationToken,
    /// Progress lines and notes.
    pub on_notice: OnNotice,
}

/// The catalog, where it came from, and the room over it when there are several people.
struct Got {
    cached: CachedCatalog,
    from_cache: bool,
    room: Option<(Option<Room>, Vec<String>)>,
}

impl Session {
    /// Whether a pick with `choices` can be made at all: the choices are valid and someone
    /// is signed in. Cheap: asks nobody.
    pub fn can_pick(&self, choices: &Choices) -> Result<()> {
        choices
            .validate()
            .map_err(|e| Error::Pick(picker::PickError::from(e)))?;
        self.account_token().map(drop)
    }

    /// Picks in one go (see the module docs). The catalog stays in the session (with the
    /// room), as the catalog picks choose from.
    pub async fn pick_once(&self, p: PickOnce) -> Result<PickReport> {
        let got = match &p.people {
            None => self.once_catalog(&p).await?,
            Some(people) => self.room_catalog(&p, people).await?,
        };
        let Got {
            cached,
            from_cache,
            room,
        } = got;
        let now = now();
        let ctx = PickContext::with_utc_offset(now, p.utc_offset_minutes, p.seed);
        let server = ServerRef {
            name: cached.server_name.clone(),
            machine_identifier: cached.server_id.clone(),
        };
        let libraries = cached.libraries.clone();
        let loaded_at = cached.loaded_at;
        let (room, for_people) = match room {
            Some((room, people)) => (room, Some(people)),
            None => (None, None),
        };
        let catalog = Arc::new(LiveCatalog::for_one_pick(cached));
        let room = room.map(|r| Arc::new(catalog.indexed.index_room(r)));
        {
            let mut live = self.live();
            live.catalog = Some(catalog.clone());
            live.room = room.clone();
        }
        let indexed = &catalog.indexed;
        let titles = indexed.catalog();
        let mid = server.machine_identifier.as_str();
        let settings = self.settings();
        let (top, alternatives, matches, curation) = if p.ai {
            let client = ai::client(&settings.ai, self.secrets());
            let input = PickInput {
                room: room.as_deref(),
                catalog: indexed,
                choices: &p.choices,
                history: &settings.history,
                ctx: &ctx,
            };
            let prepared = ai::prepare(&settings.ai, client, input, Vec::new())?;
            (p.on_notice)(Notice::Progress("Asking the model...".into()));
            // Stopping is the caller's: dropping this future stops waiting for the model.
            let got = ai::ask(prepared, std::future::pending()).await;
            let shown = |s: &ai::Suggestion| {
                let mut row = PickRow::of(&s.pick, titles, mid);
                row.reason = s.reason.clone();
                row.score = s.score;
                row
            };
            let curation = match &got.chosen_by {
                ai::ChosenBy::Model { model, provider } => Curation {
                    chosen_by: "model",
                    model: Some(ModelRef {
                        name: model.clone(),
                        provider: provider.clone(),
                    }),
                    fallback: None,
                    note: got.credit().unwrap_or_default(),
                },
                ai::ChosenBy::Engine(why) => Curation {
                    chosen_by: "engine",
                    model: None,
                    fallback: Some(why.detail()),
                    note: why.note(),
                },
            };
            (
                shown(&got.top),
                got.alternatives.iter().map(shown).collect::<Vec<_>>(),
                got.matches,
                Some(curation),
            )
        } else {
            let history = &settings.history;
            let result = match &room {
                Some(room) => indexed.pick_for(room, &p.choices, history, &ctx)?,
                None => indexed.pick(&p.choices, history, &ctx)?,
            };
            (
                PickRow::of(&result.top, titles, mid),
                result
                    .alternatives
                    .iter()
                    .map(|pick| PickRow::of(pick, titles, mid))
                    .collect(),
                result.matches,
                None,
            )
        };
        let picked = top.id.clone();
        self.update(|s| s.history.record_pick(picked, now))?;
        Ok(PickReport {
            server,
            catalog: CatalogInfo {
                titles: titles.len(),
                cached: from_cache,
                loaded_at: report::rfc3339(loaded_at),
                libraries,
            },
            matches,
            curation,
            for_people,
            top,
            alternatives,
        })
    }

    /// The cached catalog, when there is one that fits and no refresh was asked for.
    fn fitting_cache(&self, p: &PickOnce) -> Option<CachedCatalog> {
        if p.refresh {
            return None;
        }
        let selection = pick_cache::selection_key(&p.libraries);
        let want = p
            .server
            .clone()
            .or_else(|| self.settings().server.map(|s| s.id))?;
        pick_cache::load(&p.cache_file, Some(&want), &selection, now())
    }

    /// The catalog: from the cache when it fits, else loaded from the server (and cached).
    async fn once_catalog(&self, p: &PickOnce) -> Result<Got> {
        if let Some(cached) = self.fitting_cache(p) {
            return Ok(Got {
                cached,
                from_cache: true,
                room: None,
            });
        }
        let selection = pick_cache::selection_key(&p.libraries);
        let chosen = self.sections_to_load(p, &selection).await?;
        let mut cached = self
            .load_sections(&chosen, loading_said(&p.on_notice))
            .await?;
        cached.selection = selection;
        save_cache(p, &cached);
        Ok(Got {
            cached,
            from_cache: false,
            room: None,
        })
    }

    /// Connects to the server (named, else the one chosen before) and answers the movie and
    /// show libraries to load (the named ones, else all of them).
    async fn sections_to_load(&self, p: &PickOnce, selection: &[String]) -> Result<Vec<Section>> {
        let reach = Reach {
            server: p.server.clone(),
            stop: Some(p.stop.clone()),
            ..Reach::default()
        };
        let server = self.find_server(p.server.as_deref(), &p.on_notice).await?;
        self.connect_server(&server, &reach, &p.on_notice).await?;
        let sections = self.sections().await?;
        if sections.is_empty() {
            return Err(Error::NoLibraries {
                server: server.name,
            });
        }
        if selection.is_empty() {
            return Ok(sections);
        }
        for want in selection {
            if !sections
                .iter()
                .any(|s| s.title.to_lowercase() == *want || s.key == *want)
            {
                return Err(Error::LibraryNotFound {
                    name: want.clone(),
                    server: server.name,
                });
            }
        }
        Ok(sections
            .into_iter()
            .filter(|s| selection.contains(&s.title.to_lowercase()) || selection.contains(&s.key))
            .collect())
    }

    /// The catalog and the room, for a pick for several people. The room's per-profile load
    /// needs the server, so the session connects even with a cached catalog. The catalog and
    /// the other profiles' watch state load at once: they are independent (the room is worked
    /// out over the catalog afterwards, as the session does whenever its catalog changes).
    async fn room_catalog(&self, p: &PickOnce, people: &People) -> Result<Got> {
        if let Some(cached) = self.fitting_cache(p) {
            if self.connection().is_err() {
                let reach = Reach {
                    stop: Some(p.stop.clone()),
                    ..Reach::default()
                };
                let server = self
                    .find_server(Some(&cached.server_id), &p.on_notice)
                    .await?;
                self.connect_server(&server, &reach, &p.on_notice).await?;
            }
            let room = self.choose_room(p, people, &cached.server_id).await?;
            return Ok(Got {
                cached,
                from_cache: true,
                room: Some(room),
            });
        }
        let selection = pick_cache::selection_key(&p.libraries);
        let sections = self.sections_to_load(p, &selection).await?;
        let connection = self.connection()?;
        let load = crate::library::load(
            &connection,
            &sections,
            p.stop.child_token(),
            loading_said(&p.on_notice),
        );
        let (mut cached, room) = tokio::try_join!(
            load,
            self.choose_room(p, people, connection.machine_identifier())
        )?;
        cached.selection = selection;
        save_cache(p, &cached);
        Ok(Got {
            cached,
            from_cache: false,
            room: Some(room),
        })
    }

    /// Works the room out ([`Session::choose_profiles`]: PINs used once, each other
    /// profile's watch state loaded from the connected server). It does so over the
    /// session's catalog; the one put here is a stand-in (the room is indexed over the real
    /// one by [`Session::pick_once`]). Answers the room (`None`: the account alone) and the
    /// people's names.
    async fn choose_room(
        &self,
        p: &PickOnce,
        people: &People,
        server_id: &str,
    ) -> Result<(Option<Room>, Vec<String>)> {
        {
            let mut live = self.live();
            live.room = None;
            live.catalog = Some(Arc::new(LiveCatalog::loaded(
                picker::Catalog::default(),
                server_id.to_string(),
            )));
        }
        let on_progress: OnProfileProgress = said_once(
            p.on_notice.clone(),
            "Loading what each of you has watched...",
        );
        let view = self
            .choose_profiles(&people.ids, &people.pins, Some(on_progress))
            .await?;
        let room = self.live().room.as_ref().map(|r| r.room().clone());
        Ok((room, view.people))
    }

    /// "Not this one" about `title_id`: remembered in the history (why, and for which mood),
    /// so picks leave it out for a while. Its name comes from the cached catalog, if there.
    pub fn not_this_one(
        &self,
        title_id: &str,
        reason: RejectReason,
        mood: Mood,
        cache_file: &std::path::Path,
    ) -> Result<Rejected> {
        let id = title_id.trim().to_string();
        let rejected = id.clone();
        self.update(|s| s.history.reject(rejected, reason, mood, now()))?;
        let title = pick_cache::load_any(cache_file)
            .and_then(|c| c.catalog.catalog().get(&id).map(|t| t.title.to_string()));
        Ok(Rejected {
            title_id: id,
            title,
            reason,
            mood,
        })
    }

    /// `title_id` was really chosen (the top pick or an alternative): recorded as picked,
    /// and a passed-over top pick as skipped. Its name and Plex Web's page come from the
    /// cached catalog (the page, else from the chosen server).
    pub fn watching(&self, title_id: &str, cache_file: &std::path::Path) -> Result<Watching> {
        let id = title_id.trim().to_string();
        let now = now();
        let declined = self.update(|s| {
            let offered = history::last_offered(&s.history).map(str::to_string);
            history::record_chosen(&mut s.history, &id, offered.as_deref(), now);
            offered.filter(|top| *top != id)
        })?;
        let cached = pick_cache::load_any(cache_file);
        let title = cached
            .as_ref()
            .and_then(|c| c.catalog.catalog().get(&id).map(|t| t.title.to_string()));
        let watch_url = cached
            .as_ref()
            .map(|c| c.server_id.clone())
            .or_else(|| self.settings().server.map(|s| s.id))
            .map(|server| plex_client::web_link(&server, &id));
        Ok(Watching {
            title_id: id,
            title,
            watch_url,
            declined,
        })
    }
}

/// "Loading X..." once per library, as its first page arrives.
fn loading_said(on_notice: &OnNotice) -> OnLoad {
    let said = Mutex::new(String::new());
    let on_notice = on_notice.clone();
    Arc::new(move |p: LoadProgress| {
        let mut last = said.lock().unwrap_or_else(|e| e.into_inner());
        if *last != p.library {
            on_notice(Notice::Progress(format!("Loading {}...", p.library)));
            last.clone_from(&p.library);
        }
    })
}

/// A progress callback that says `line` once, at the first report.
fn said_once<T>(on_notice: OnNotice, line: &'static str) -> Arc<dyn Fn(T) + Send + Sync> {
    let said = std::sync::atomic::AtomicBool::new(false);
    Arc::new(move |_: T| {
        if !said.swap(true, std::sync::atomic::Ordering::Relaxed) {
            on_notice(Notice::Progress(line.into()));
        }
    })
}

/// Caches a catalog just loaded; a failure is only a note (the next pick loads it again).
fn save_cache(p: &PickOnce, cached: &CachedCatalog) {
    if let Err(e) = pick_cache::save(&p.cache_file, cached) {
        report::note(
            &p.on_notice,
            "cache_not_saved",
            format!(
                "could not cache the catalog in {} ({e}); the next pick will load it again",
                p.cache_file.display()
            ),
        );
    }
}
