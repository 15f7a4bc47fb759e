//! Picking (by the engine, or by a model among the engine's best), "not this one", and what
//! was really chosen. The front end brings the clock ([`PickContext`]: now, the local time of
//! day, a seed) and shows the [`PickView`].

use std::sync::Arc;

use picker::{Choices, PickContext};
use plexpicker_ipc::{sentence_for, PickCard, PickView, RejectRequest, TitleRef};

use super::{LiveCatalog, Session};
use crate::ai::{self, PickInput};
use crate::{history, views, Error, Result};

impl Session {
    /// The catalog the picker chooses from, or [`Error::NothingToPick`].
    pub fn catalog(&self) -> Result<Arc<LiveCatalog>> {
        self.live().catalog.clone().ok_or(Error::NothingToPick)
    }

    /// Picks with the wheels and filters; remembers the choices (even when nothing matched)
    /// and the top pick.
    pub fn pick(&self, choices: Choices, ctx: &PickContext) -> Result<PickView> {
        let catalog = self.catalog()?;
        let history = self.settings().history;
        let room = self.live().room.clone();
        let result = match &room {
            Some(room) => catalog.indexed.pick_for(room, &choices, &history, ctx),
            None => catalog.indexed.pick(&choices, &history, ctx),
        };
        let picked = result.as_ref().ok().map(|r| r.top.title_id.clone());
        self.update(|s| {
            s.choices = choices.clone();
            if let Some(id) = picked {
                s.history.record_pick(id, ctx.now);
            }
        })?;
        let result = result?;
        let card = |pick: &picker::Pick| self.card(&catalog, pick);
        Ok(PickView {
            top: card(&result.top)?,
            alternatives: result
                .alternatives
                .iter()
                .map(card)
                .collect::<Result<_>>()?,
            sentence: sentence_for(&choices, room.as_ref().map_or(1, |r| r.room().len())),
            matches: result.matches,
            curation: None,
        })
    }

    /// "Not this one": remembers why, then picks again with the same choices.
    pub fn reject(&self, request: RejectRequest, ctx: &PickContext) -> Result<PickView> {
        let mood = request.choices.mood;
        self.update(|s| {
            s.history
                .reject(request.title_id.clone(), request.reason, mood, ctx.now)
        })?;
        self.pick(request.choices, ctx)
    }

    /// A pick the model chooses among the engine's best candidates, or the engine's own pick
    /// with a note. "Pick again" with unchanged choices leaves out the model's earlier picks;
    /// [`Session::cancel_ai_pick`] stops waiting for the model.
    pub async fn pick_with_model(&self, choices: Choices, ctx: &PickContext) -> Result<PickView> {
        let catalog = self.catalog()?;
        let settings = self.settings();
        let client = ai::client(&settings.ai, self.secrets());
        let exclude = self.live().ai_memory.exclusions(&choices);
        let room = self.live().room.clone();
        let input = PickInput {
            room: room.as_deref(),
            catalog: &catalog.indexed,
            choices: &choices,
            history: &settings.history,
            ctx,
        };
        let prepared = match ai::prepare(&settings.ai, client, input, exclude) {
            Ok(p) => p,
            Err(err) => {
                // The wheels are remembered even when nothing matched.
                self.update(|s| s.choices = choices.clone())?;
                return Err(err.into());
            }
        };
        let (generation, stop) = self.begin_ai_pick();
        let got = ai::ask(prepared, async move { stop.cancelled().await }).await;
        {
            let mut live = self.live();
            if live.ai_pick.as_ref().is_some_and(|(g, _)| *g == generation) {
                live.ai_pick = None;
            }
            live.ai_memory.remember(&choices, &got);
        }
        let top_id = got.top.pick.title_id.clone();
        self.update(|s| {
            s.choices = choices.clone();
            s.history.record_pick(top_id, ctx.now);
        })?;
        let card = |suggestion: &ai::Suggestion| -> Result<PickCard> {
            let mut card = self.card(&catalog, &suggestion.pick)?;
            card.reason = suggestion.reason.clone();
            card.score = suggestion.score;
            Ok(card)
        };
        Ok(PickView {
            top: card(&got.top)?,
            alternatives: got.alternatives.iter().map(card).collect::<Result<_>>()?,
            sentence: sentence_for(&choices, room.as_ref().map_or(1, |r| r.room().len())),
            matches: got.matches,
            curation: Some(got.curation_view()),
        })
    }

    /// Stops waiting for the model: the pick in progress answers at once with the engine's.
    pub fn cancel_ai_pick(&self) {
        if let Some((_, waiting)) = self.live().ai_pick.take() {
            waiting.cancel();
        }
    }

    /// "Watch in Plex" on `title` (the top pick or an alternative): records it as chosen (and
    /// a passed-over top pick as skipped) and answers the Plex Web address that plays it.
    pub fn watch(&self, title: &TitleRef, now: i64) -> Result<String> {
        let catalog = self.catalog()?;
        let Some(server_id) = catalog.server_id.as_deref() else {
            return Err(Error::Invalid(
                "Demo titles cannot be played. Sign in with Plex to watch your own libraries."
                    .into(),
            ));
        };
        let Some(chosen) = catalog.indexed.catalog().get(&title.title_id) else {
            return Err(Error::NotFound(
                "That title is not in your libraries any more. Pick again.".into(),
            ));
        };
        // A show opens on the episode its card suggested, which must be one of its own.
        let plays = match &title.episode_id {
            None => title.title_id.as_str(),
            Some(id) if chosen.episodes.iter().any(|e| &e.id == id) => id.as_str(),
            Some(_) => {
                return Err(Error::NotFound(
                    "That episode is not in this show any more. Pick again.".into(),
                ))
            }
        };
        self.update(|s| {
            let offered = history::last_offered(&s.history).map(str::to_string);
            history::record_chosen(&mut s.history, &title.title_id, offered.as_deref(), now)
        })?;
        Ok(plex_client::web_link(server_id, plays))
    }

    /// One suggestion as the results screen shows it.
    fn card(&self, catalog: &LiveCatalog, pick: &picker::Pick) -> Result<PickCard> {
        let title = catalog
            .indexed
            .catalog()
            .get(&pick.title_id)
            .ok_or_else(|| Error::Internal("A picked title vanished. Pick again.".into()))?;
        Ok(views::pick_card(title, pick, catalog.server_id.as_deref()))
    }
}
