//! Who the user is, which server they use, and the app itself.

use serde::{Deserialize, Serialize};

use crate::library::LoadedCatalog;
use crate::Choices;

/// What the app says about itself: shown in the About panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The product name people see, "PlexPicker".
    pub name: String,
    /// The app's version, from Cargo.toml.
    pub version: String,
    /// The operating system the backend runs on (`linux`, `windows`, `macos`, `android`, `ios`).
    pub platform: String,
}

impl AppInfo {
    /// The line the UI shows, for example "PlexPicker 0.1.0".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// Where the app stands when the window opens, so it can land on the right screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    /// Signed in to a Plex account (or connected by URL and token).
    pub signed_in: bool,
    /// The account's name, when known.
    pub account: Option<String>,
    /// The server chosen last, if any.
    pub server: Option<ServerView>,
    /// The catalog cached from last time, if any: the picker can open at once.
    pub catalog: Option<LoadedCatalog>,
    /// The choices on the wheels last time.
    pub choices: Choices,
    /// Something the user should know about the start, in plain words (for example: the
    /// settings file was damaged and a copy was kept).
    pub notice: Option<String>,
    /// The demo library is in use.
    pub demo: bool,
    /// Who is watching, by name, when the account is not alone ("Who's watching?").
    #[serde(default)]
    pub watching: Vec<String>,
}

/// A PIN is waiting for the user's approval on Plex's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PinStarted {
    /// The code Plex shows on its page.
    pub code: String,
    /// Seconds until the code expires.
    pub expires_in_secs: u64,
    /// Whether the browser could be opened (if not, the UI offers to try again).
    pub browser_opened: bool,
}

/// Progress of a sign-in, emitted on [`crate::events::SIGN_IN`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum SignInEvent {
    /// Still waiting; this many seconds are left.
    Waiting { secs_left: u64 },
    /// Approved: the account's name, when known.
    SignedIn { account: Option<String> },
    /// The code expired before it was approved.
    Expired,
    /// The user cancelled.
    Cancelled,
    /// Something went wrong; the error says what to do.
    Failed { error: crate::IpcError },
}

/// "Advanced: connect by URL and token".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvancedSignIn {
    /// The server's address, for example `http://192.168.1.5:32400`.
    pub server_url: String,
    /// An X-Plex-Token. It goes to the backend once and never comes back.
    pub token: String,
}

/// A Plex Media Server the account can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerView {
    /// The server's machine identifier: the id the UI uses for it.
    pub id: String,
    pub name: String,
    /// You own it.
    pub owned: bool,
    /// Shared with you by this person (for servers you do not own).
    pub owner: Option<String>,
    /// Part of your Plex Home.
    pub home: bool,
    /// Plex saw it online recently.
    pub online: bool,
}

impl ServerView {
    /// "Yours" or "Shared by NAME", as the server list shows it.
    pub fn ownership_label(&self) -> String {
        match (&self.owner, self.owned) {
            (_, true) => "Yours".to_string(),
            (Some(owner), false) => format!("Shared by {owner}"),
            (None, false) => "Shared with you".to_string(),
        }
    }
}

/// Which server to connect to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectRequest {
    pub server_id: String,
}

/// Trust a server's new certificate at one route (after a "certificate changed" failure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustRequest {
    pub server_id: String,
    /// The candidate's id from [`crate::CandidateView::id`].
    pub candidate_id: String,
}

/// The About panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub app: AppInfo,
    /// "Allow insecure connections": when the sign-in may travel over plain http.
    #[serde(default)]
    pub insecure_connections: InsecureConnections,
    /// Where settings live on this device.
    pub settings_path: String,
    /// Where the catalog cache lives on this device.
    pub cache_path: String,
    /// What is stored and what is sent to whom, in plain words, one paragraph per item.
    pub privacy: Vec<String>,
}

/// "Allow insecure connections", as in Plex's own apps: when a token may be sent over plain
/// http rather than https.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsecureConnections {
    /// Never: https only.
    Never,
    /// Only to a server of yours at its local address, when PlexPicker is on that server's
    /// network and no https route works (the default).
    #[default]
    SameNetwork,
    /// Always: remote http routes too.
    Always,
}

impl InsecureConnections {
    /// Every choice, in the order the window offers them.
    pub const ALL: [InsecureConnections; 3] = [
        InsecureConnections::Never,
        InsecureConnections::SameNetwork,
        InsecureConnections::Always,
    ];

    /// The serde name.
    pub fn id(self) -> &'static str {
        match self {
            InsecureConnections::Never => "never",
            InsecureConnections::SameNetwork => "same_network",
            InsecureConnections::Always => "always",
        }
    }

    /// What the window shows.
    pub fn label(self) -> &'static str {
        match self {
            InsecureConnections::Never => "Never",
            InsecureConnections::SameNetwork => "On the same network",
            InsecureConnections::Always => "Always",
        }
    }
}
