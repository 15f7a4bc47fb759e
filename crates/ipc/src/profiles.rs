//! "Who's watching?": the Plex Home's profiles and the people picking together.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One profile of the account's Plex Home (the account itself included, first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// The profile's uuid: the id the UI uses for it.
    pub id: String,
    pub name: String,
    /// The Home's admin: the signed-in account.
    pub admin: bool,
    /// Switching to it needs its 4-digit PIN.
    pub protected: bool,
    /// A managed profile with content limits (the strictest limit in the room applies).
    pub restricted: bool,
    pub guest: bool,
    /// Among the people watching now.
    pub watching: bool,
}

/// Who is watching: the profiles chosen, and the PINs of protected ones. A PIN goes to the
/// backend once, to plex.tv once, and is never kept.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesRequest {
    /// Profile ids ([`ProfileView::id`]); empty means the account alone.
    pub ids: Vec<String>,
    /// Profile id → PIN, for protected profiles.
    #[serde(default)]
    pub pins: BTreeMap<String, String>,
}

impl fmt::Debug for ProfilesRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfilesRequest")
            .field("ids", &self.ids)
            .field("pins", &self.pins.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The people picking together, by name, the account first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomView {
    pub people: Vec<String>,
}

/// One profile's watch state loading (profiles load in parallel), emitted on
/// [`crate::events::PROFILES`] while `choose_profiles` runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileLoadProgress {
    /// The profile ([`ProfileView::id`]).
    pub id: String,
    /// Libraries finished for this profile, of `sections_total`.
    pub sections_done: u32,
    pub sections_total: u32,
    /// Items read of the current library's listing, of `total`.
    pub loaded: u64,
    pub total: u64,
}
