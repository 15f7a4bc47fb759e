//! "Who's watching?": the Plex Home's profiles as avatars, chosen together; a protected
//! profile's PIN is typed in the panel, sent once and forgotten. The History wheel then reads
//! for the room ("New to someone" appears when several people watch).

use std::collections::BTreeMap;

use plexpicker_ipc::{
    ErrorKind, IpcError, ProfileLoadProgress, ProfileView, ProfilesRequest, RoomView, WatchFilter,
};

use super::{Action, Effect, Effects, Remote, State};

/// The people watching, and the panel to choose them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfilesState {
    /// The panel: `None` when closed.
    pub panel: Option<ProfilesPanel>,
    /// Who is watching, by name, when the account is not alone.
    pub room: Vec<String>,
}

impl ProfilesState {
    /// How many people the History wheel reads for (one when the account is alone).
    pub fn people(&self) -> usize {
        self.room.len().max(1)
    }
}

/// The open "Who's watching?" panel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfilesPanel {
    pub list: Remote<Vec<ProfileView>>,
    /// The profiles chosen, by id, in the Home's order.
    pub selected: Vec<String>,
    /// PINs typed for protected profiles, by id: digits only, at most 4. Sent once with
    /// "Start picking", then cleared whatever the answer.
    pub pins: BTreeMap<String, String>,
    /// Waiting for `choose_profiles` (each other profile's watch state is loading).
    pub busy: bool,
    /// Each loading profile's progress, by id, while busy.
    pub progress: BTreeMap<String, ProfileLoadProgress>,
    pub error: Option<IpcError>,
}

impl ProfilesPanel {
    /// The chosen profiles that need their PIN typed: protected, and not watching already
    /// (the backend keeps the token of a profile in the room, not its PIN).
    pub fn needs_pin(&self, profile: &ProfileView) -> bool {
        profile.protected
            && !profile.admin
            && !profile.watching
            && self.selected.contains(&profile.id)
    }

    /// "Sam: library 1 of 2, 120 of 400" for every profile loading, in the Home's order.
    pub fn progress_lines(&self) -> Vec<String> {
        let Some(list) = self.list.ready() else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|p| {
                let at = self.progress.get(&p.id)?;
                let library = (at.sections_done + 1).min(at.sections_total.max(1));
                Some(format!(
                    "{}: library {library} of {}, {} of {}",
                    p.name,
                    at.sections_total.max(1),
                    at.loaded.min(at.total),
                    at.total
                ))
            })
            .collect()
    }

    /// The request for "Start picking", or what is missing in plain words.
    pub fn request(&self) -> Result<ProfilesRequest, String> {
        let Some(list) = self.list.ready() else {
            return Err("The profiles are still loading.".into());
        };
        if self.selected.is_empty() {
            return Err("Choose who is watching.".into());
        }
        let mut pins = BTreeMap::new();
        for profile in list.iter().filter(|p| self.needs_pin(p)) {
            match self.pins.get(&profile.id) {
                Some(pin) if pin.len() == 4 => {
                    pins.insert(profile.id.clone(), pin.clone());
                }
                _ => return Err(format!("Enter {}'s 4-digit PIN.", profile.name)),
            }
        }
        Ok(ProfilesRequest {
            ids: self.selected.clone(),
            pins,
        })
    }
}

/// Digits only, at most 4.
fn pin_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).take(4).collect()
}

pub(super) fn apply(state: &mut State, action: Action, effects: &mut Effects) {
    match action {
        Action::OpenProfiles => {
            state.profiles.panel = Some(ProfilesPanel::default());
            state.about = None;
            state.ai.panel = None;
            effects.push(Effect::ListProfiles);
        }
        Action::CloseProfiles => state.profiles.panel = None,
        Action::ProfilesLoaded(result) => {
            let Some(panel) = &mut state.profiles.panel else {
                return;
            };
            if let Ok(list) = &result {
                panel.selected = list
                    .iter()
                    .filter(|p| p.watching)
                    .map(|p| p.id.clone())
                    .collect();
            }
            panel.list = result.into();
        }
        Action::ToggleProfile(id) => {
            let Some(panel) = &mut state.profiles.panel else {
                return;
            };
            if panel.busy {
                return;
            }
            panel.error = None;
            if panel.selected.contains(&id) {
                panel.selected.retain(|s| *s != id);
                panel.pins.remove(&id);
            } else if let Some(list) = panel.list.ready() {
                // Kept in the Home's order, so the room reads the same way every time.
                panel.selected.push(id);
                panel
                    .selected
                    .sort_by_key(|s| list.iter().position(|p| &p.id == s));
            }
        }
        Action::ProfilePin { id, pin } => {
            if let Some(panel) = &mut state.profiles.panel {
                panel.error = None;
                panel.pins.insert(id, pin_digits(&pin));
            }
        }
        Action::ChooseProfilesRequested => {
            let Some(panel) = &mut state.profiles.panel else {
                return;
            };
            if panel.busy {
                return;
            }
            match panel.request() {
                Ok(request) => {
                    panel.busy = true;
                    panel.error = None;
                    panel.progress.clear();
                    // The PINs leave the window's state as they leave for the backend.
                    panel.pins.clear();
                    effects.push(Effect::ChooseProfiles(request));
                }
                Err(message) => {
                    panel.error = Some(IpcError::new(ErrorKind::InvalidRequest, message));
                }
            }
        }
        Action::ProfileProgressed(progress) => {
            if let Some(panel) = state.profiles.panel.as_mut().filter(|p| p.busy) {
                panel.progress.insert(progress.id.clone(), progress);
            }
        }
        Action::ProfilesChosen(result) => match result {
            Ok(RoomView { people }) => {
                state.profiles.room = if people.len() > 1 { people } else { Vec::new() };
                state.profiles.panel = None;
                // "New to someone" needs someone else in the room.
                if !WatchFilter::for_room(state.profiles.people()).contains(&state.choices.watch) {
                    state.choices.watch = WatchFilter::Unwatched;
                }
            }
            Err(err) => {
                if let Some(panel) = &mut state.profiles.panel {
                    panel.busy = false;
                    panel.error = Some(err);
                }
            }
        },
        _ => {}
    }
}
