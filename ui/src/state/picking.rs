//! Picking and results: the wheels and filters, the spin, the pick, and what follows it.
//!
//! A press on Pick starts a spin: the three wheels land one after the other on their values
//! (timers, as [`Effect::After`]), while the backend picks. The result is revealed once both
//! the last wheel has landed and the pick has answered. With reduced motion the steps are the
//! same, only quicker and without movement.

use plexpicker_ipc::{
    Choices, ErrorDetails, ErrorKind, Filter, IpcError, PickView, RejectRequest, YearFilter,
};

use super::{Action, Effect, Effects, Screen, State};

/// How many wheels spin.
pub const WHEELS: u8 = 3;

/// When each wheel lands after Pick, in milliseconds.
const LANDINGS_MS: [u32; WHEELS as usize] = [700, 1050, 1400];
/// The same steps with reduced motion.
const LANDINGS_REDUCED_MS: [u32; WHEELS as usize] = [120, 240, 360];

/// Where the wheels stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spin {
    /// At rest, on their values.
    #[default]
    Still,
    /// Spin number `round`: the first `landed` wheels have landed.
    Spinning { round: u32, landed: u8 },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PickState {
    /// `pick` is running (or its answer waits for the wheels).
    pub busy: bool,
    /// Shown right under the Pick button.
    pub error: Option<IpcError>,
    pub spin: Spin,
    /// Counts spins, so a late timer from an old one is ignored.
    pub round: u32,
    /// The pick answered before the wheels landed: revealed when they do.
    pub pending: Option<PickView>,
}

impl PickState {
    /// Wheel `index` (0-based) is still turning.
    pub fn wheel_spinning(&self, index: u8) -> bool {
        matches!(self.spin, Spin::Spinning { landed, .. } if landed <= index)
    }

    pub fn spinning(&self) -> bool {
        matches!(self.spin, Spin::Spinning { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultsState {
    pub view: Option<PickView>,
    /// "Not this one" is asking why.
    pub asking: bool,
    /// A reject or a new pick is running.
    pub busy: bool,
    /// Shown under the Results buttons.
    pub error: Option<IpcError>,
}

/// What a no-match error suggests: the filter to lift and how many titles would match.
pub fn no_match_hint(err: &IpcError) -> Option<(Filter, u64)> {
    match (&err.kind, &err.details) {
        (ErrorKind::NoMatch, Some(ErrorDetails::NoMatch { filter, without })) if *without > 0 => {
            Some((*filter, *without))
        }
        _ => None,
    }
}

fn toggle(list: &mut Vec<String>, item: String) -> bool {
    if let Some(i) = list.iter().position(|g| g.eq_ignore_ascii_case(&item)) {
        list.remove(i);
        false
    } else {
        list.push(item);
        true
    }
}

fn remove(list: &mut Vec<String>, item: &str) {
    list.retain(|g| !g.eq_ignore_ascii_case(item));
}

impl State {
    fn show_results(&mut self, view: PickView) {
        self.screen = Screen::Results;
        self.results = ResultsState {
            view: Some(view),
            ..ResultsState::default()
        };
        self.pick = PickState {
            round: self.pick.round,
            ..PickState::default()
        };
    }

    fn set_choices(&mut self, change: impl FnOnce(&mut Choices)) {
        change(&mut self.choices);
        self.pick.error = None;
    }

    /// The backend call for a pick: with the model when the user lets it choose (the
    /// thinking state starts), else the engine's.
    fn pick_effect(&mut self) -> Effect {
        if self.start_thinking() {
            Effect::AiPick(self.choices.clone())
        } else {
            Effect::Pick(self.choices.clone())
        }
    }

    /// Pick on the wheels: the spin starts and the backend picks.
    fn start_spin(&mut self, fx: &mut Effects) {
        self.pick.busy = true;
        self.pick.error = None;
        self.pick.pending = None;
        self.pick.round = self.pick.round.wrapping_add(1);
        let round = self.pick.round;
        self.pick.spin = Spin::Spinning { round, landed: 0 };
        fx.push(self.pick_effect());
        let landings = if self.reduced_motion {
            LANDINGS_REDUCED_MS
        } else {
            LANDINGS_MS
        };
        fx.extend(landings.into_iter().map(|millis| Effect::After {
            millis,
            then: Box::new(Action::SpinStep(round)),
        }));
    }
}

/// A pick's (or a reject's) answer, on the screen that asked for it.
fn finished(state: &mut State, result: Result<PickView, IpcError>) {
    match state.screen {
        Screen::Picker if state.pick.busy => match result {
            Ok(view) if state.pick.spinning() => state.pick.pending = Some(view),
            Ok(view) => state.show_results(view),
            Err(err) => {
                // The wheels stop where they are meant to and the reason shows at once.
                state.pick.busy = false;
                state.pick.spin = Spin::Still;
                state.pick.pending = None;
                state.pick.error = Some(err);
            }
        },
        Screen::Results if state.results.busy => match result {
            Ok(view) => state.show_results(view),
            Err(err) => {
                state.results.busy = false;
                state.results.error = Some(err);
            }
        },
        _ => {}
    }
}

pub(super) fn apply(state: &mut State, action: Action, fx: &mut Effects) {
    match action {
        Action::ShowPicker if state.catalog.is_some() => {
            state.screen = Screen::Picker;
            state.pick = PickState {
                round: state.pick.round,
                ..PickState::default()
            };
            state.results.asking = false;
        }
        Action::SetFormat(format) => state.set_choices(|c| c.format = format),
        Action::SetWatch(watch) => state.set_choices(|c| c.watch = watch),
        Action::SetMood(mood) => state.set_choices(|c| c.mood = mood),
        Action::SetRuntime(limit) => state.set_choices(|c| c.runtime = limit),
        Action::ToggleIncludeGenre(genre) => state.set_choices(|c| {
            if toggle(&mut c.include_genres, genre.clone()) {
                remove(&mut c.exclude_genres, &genre);
            }
        }),
        Action::ToggleExcludeGenre(genre) => state.set_choices(|c| {
            if toggle(&mut c.exclude_genres, genre.clone()) {
                remove(&mut c.include_genres, &genre);
            }
        }),
        Action::ToggleDecade(decade) => state.set_choices(|c| {
            let mut decades = match &c.years {
                Some(YearFilter::Decades { decades }) => decades.clone(),
                _ => Vec::new(),
            };
            if let Some(i) = decades.iter().position(|d| *d == decade) {
                decades.remove(i);
            } else {
                decades.push(decade);
                decades.sort_unstable();
            }
            c.years = (!decades.is_empty()).then_some(YearFilter::Decades { decades });
        }),
        Action::SetYearRange { from, to } => state.set_choices(|c| {
            // A reversed range is put the right way round rather than refused.
            let (from, to) = match (from, to) {
                (Some(f), Some(t)) if f > t => (Some(t), Some(f)),
                other => other,
            };
            c.years = match (from, to) {
                (None, None) => None,
                (from, to) => Some(YearFilter::Range { from, to }),
            };
        }),
        Action::SetMaxContent(level) => state.set_choices(|c| c.max_content = level),
        Action::SetMinCritic(rating) => state.set_choices(|c| c.min_critic = rating),
        Action::SetMinAudience(rating) => state.set_choices(|c| c.min_audience = rating),
        Action::SetChoices(choices) => state.set_choices(|c| *c = choices),
        Action::ResetFilters => state.set_choices(|c| {
            *c = Choices {
                format: c.format,
                watch: c.watch,
                mood: c.mood,
                ..Choices::default()
            }
        }),
        Action::ToggleFilters => state.filters_open = !state.filters_open,
        Action::PickRequested => match state.screen {
            Screen::Picker if !state.pick.busy => state.start_spin(fx),
            Screen::Results if !state.results.busy => {
                state.results.busy = true;
                state.results.asking = false;
                state.results.error = None;
                fx.push(state.pick_effect());
            }
            _ => {}
        },
        Action::SpinStep(round) => {
            let Spin::Spinning { round: now, landed } = state.pick.spin else {
                return;
            };
            if round != now {
                return;
            }
            let landed = landed.saturating_add(1);
            if landed < WHEELS {
                state.pick.spin = Spin::Spinning { round, landed };
                return;
            }
            state.pick.spin = Spin::Still;
            if let Some(view) = state.pick.pending.take() {
                if state.screen == Screen::Picker {
                    state.show_results(view);
                }
            }
        }
        Action::PickFinished(result) | Action::RejectFinished(result) => {
            // The model answered, or the engine did in its place.
            state.ai.thinking = None;
            finished(state, result);
        }

        Action::ShowAlternative(index) => {
            if state.results.busy {
                return;
            }
            if let Some(view) = &mut state.results.view {
                if let Some(alternative) = view.alternatives.get_mut(index) {
                    std::mem::swap(&mut view.top, alternative);
                    state.results.asking = false;
                    state.results.error = None;
                }
            }
        }
        Action::AskWhy if state.results.view.is_some() && !state.results.busy => {
            state.results.asking = true;
            state.results.error = None;
        }
        Action::CancelAsk => state.results.asking = false,
        Action::RejectRequested(reason) => {
            if state.screen != Screen::Results || state.results.busy {
                return;
            }
            let Some(view) = &state.results.view else {
                return;
            };
            fx.push(Effect::Reject(RejectRequest {
                title_id: view.top.id.clone(),
                reason,
                choices: state.choices.clone(),
            }));
            state.results.busy = true;
            state.results.error = None;
        }
        Action::WatchRequested => {
            // The demo's titles are not on any server: there is nothing to open.
            if state.session.demo {
                return;
            }
            if let Some(view) = &state.results.view {
                fx.push(Effect::WatchInPlex {
                    title_id: view.top.id.clone(),
                    episode_id: view.top.episode_id.clone(),
                });
            }
        }
        Action::WatchFailed(err) => state.results.error = Some(err),
        // Other flows' actions are routed to their own modules.
        _ => {}
    }
}
