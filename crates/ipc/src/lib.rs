//! The wire contract between PlexPicker's Yew UI and its Tauri backend.
//!
//! Every command name, event name and their payload types live here, so the UI (compiled to
//! wasm) and the backend (native) share one definition and cannot drift apart. Nothing in this
//! crate may depend on Tauri, on the network or on the DOM: it builds for both targets.
//!
//! The UI never receives a token or a URL with a token in it: servers, titles and routes are
//! referred to by opaque ids (a server's machine identifier, a title's rating key).

mod ai;
pub mod command;
mod connect;
mod error;
mod library;
mod picks;
mod profiles;
mod session;

pub use ai::{
    AiKeyChange, AiPresetView, AiProviderRequest, AiProviderView, AiSettingsView, AiTestView,
    CurationView, STOPPED_NOTE,
};
pub use command::Command;
pub use connect::{CandidateState, CandidateView, ConnectOutcome, RouteKind};
pub use error::{ErrorDetails, ErrorKind, IpcError};
pub use library::{EpisodeProgress, LibraryKind, LibraryView, LoadProgress, LoadedCatalog};
pub use picks::{
    sentence, sentence_for, sentence_parts, sentence_parts_for, PickCard, PickRequest, PickView,
    RejectRequest, Segment, TitleRef,
};
pub use profiles::{ProfileLoadProgress, ProfileView, ProfilesRequest, RoomView};
pub use session::{
    About, AdvancedSignIn, AppInfo, ConnectRequest, InsecureConnections, PinStarted, ServerView,
    SignInEvent, Startup, TrustRequest,
};

/// The picker's choices travel as the picker's own types: one definition for the engine, the
/// backend and the UI.
pub use picker_vocab::{
    Choices, ClockTime, ContentLevel, Filter, Format, Mood, RejectReason, RuntimeLimit,
    WatchFilter, YearFilter,
};

/// Command names, as registered with `tauri::generate_handler!` and invoked by the UI.
/// Each line says what the command takes (as camelCase keys of the `invoke` arguments) and
/// what it returns.
pub mod commands {
    /// () → [`crate::AppInfo`].
    pub const APP_INFO: &str = "app_info";
    /// () → [`crate::Startup`]: where the app stands after a (re)start.
    pub const STARTUP: &str = "startup";
    /// () → [`crate::PinStarted`]; then [`crate::SignInEvent`]s on [`crate::events::SIGN_IN`].
    pub const START_SIGN_IN: &str = "start_sign_in";
    /// () → (): opens Plex's approval page in the browser again.
    pub const OPEN_SIGN_IN_PAGE: &str = "open_sign_in_page";
    /// () → (): stops waiting for the PIN.
    pub const CANCEL_SIGN_IN: &str = "cancel_sign_in";
    /// `{ request: AdvancedSignIn }` → [`crate::ServerView`]: connect by URL and token.
    pub const SIGN_IN_WITH_TOKEN: &str = "sign_in_with_token";
    /// () → [`crate::LoadedCatalog`]: the built-in demo library, no account and no network.
    pub const START_DEMO: &str = "start_demo";
    /// `{ refresh: bool }` → `Vec<ServerView>`.
    pub const LIST_SERVERS: &str = "list_servers";
    /// () → `Vec<ProfileView>`: the Plex Home's profiles (the account alone without a Home).
    pub const LIST_PROFILES: &str = "list_profiles";
    /// `{ request: ProfilesRequest }` → [`crate::RoomView`]: who is watching (loads each
    /// other profile's watch state).
    pub const CHOOSE_PROFILES: &str = "choose_profiles";
    /// `{ request: ConnectRequest }` → [`crate::ConnectOutcome`]; [`crate::CandidateView`]s on
    /// [`crate::events::CONNECT`] while racing. Fails with details `Diagnosis` when no route works.
    pub const CONNECT: &str = "connect";
    /// `{ request: TrustRequest }` → (): accept a server's new self-signed certificate.
    pub const TRUST_CERTIFICATE: &str = "trust_certificate";
    /// () → `Vec<LibraryView>` of the connected server (movie and show libraries only).
    pub const LIST_LIBRARIES: &str = "list_libraries";
    /// `{ keys: Vec<String> }` → [`crate::LoadedCatalog`]; [`crate::LoadProgress`] on
    /// [`crate::events::LOAD`].
    pub const LOAD_LIBRARIES: &str = "load_libraries";
    /// `{ request: PickRequest }` → [`crate::PickView`]. Fails with details `NoMatch`.
    pub const PICK: &str = "pick";
    /// `{ request: RejectRequest }` → [`crate::PickView`]: "not this one", then a new pick.
    pub const REJECT: &str = "reject";
    /// `{ title: TitleRef }` → (): opens the title in Plex Web.
    pub const WATCH_IN_PLEX: &str = "watch_in_plex";
    /// () → (): forgets the token and the server.
    pub const SIGN_OUT: &str = "sign_out";
    /// () → [`crate::About`].
    pub const ABOUT: &str = "about";
    /// `{ when: InsecureConnections }` → [`crate::About`]: saves "Allow insecure connections".
    pub const SET_INSECURE_CONNECTIONS: &str = "set_insecure_connections";
    /// () → [`crate::AiSettingsView`]: the AI provider panel.
    pub const AI_SETTINGS: &str = "ai_settings";
    /// `{ request: AiProviderRequest }` → [`crate::AiSettingsView`]: saves the provider (the
    /// key goes to the secret store).
    pub const SET_AI_PROVIDER: &str = "set_ai_provider";
    /// () → [`crate::AiTestView`]: one tiny request to the saved provider.
    pub const TEST_AI_PROVIDER: &str = "test_ai_provider";
    /// () → `Vec<String>`: the saved provider's models (`GET {base}/models`).
    pub const LIST_AI_MODELS: &str = "list_ai_models";
    /// () → (): a `pick` with `ai: true` that is waiting for the model answers at once with
    /// the engine's pick and the note [`crate::STOPPED_NOTE`].
    pub const CANCEL_AI_PICK: &str = "cancel_ai_pick";
    /// `{ useModel: bool }` → (): remembers the picker's "Let the model choose" switch.
    pub const SET_USE_MODEL: &str = "set_use_model";
}

/// Event names the backend emits to the window.
pub mod events {
    /// Payload [`crate::SignInEvent`].
    pub const SIGN_IN: &str = "plexpicker://sign-in";
    /// Payload [`crate::CandidateView`]: one route's state changed.
    pub const CONNECT: &str = "plexpicker://connect";
    /// Payload [`crate::LoadProgress`].
    pub const LOAD: &str = "plexpicker://load";
    /// Payload [`crate::ProfileLoadProgress`]: one profile's watch state loading.
    pub const PROFILES: &str = "plexpicker://profiles";
}

/// The custom URI scheme that serves posters to the webview: `poster://localhost/<title id>`
/// (on Windows and Android `http://poster.localhost/<title id>`). The backend fetches the image
/// with the token; the page only ever sees this URL.
pub const POSTER_SCHEME: &str = "poster";

/// The URL the webview loads a title's poster from.
pub fn poster_url(title_id: &str, windows_style: bool) -> String {
    let id: String = title_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if windows_style {
        format!("http://{POSTER_SCHEME}.localhost/{id}")
    } else {
        format!("{POSTER_SCHEME}://localhost/{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poster_urls_carry_only_a_clean_id() {
        assert_eq!(poster_url("123", false), "poster://localhost/123");
        assert_eq!(poster_url("123", true), "http://poster.localhost/123");
        assert_eq!(
            poster_url("../../x?X-Plex-Token=1", false),
            "poster://localhost/xX-Plex-Token1"
        );
    }

    #[test]
    fn poster_ids_keep_only_ascii_letters_digits_dash_and_underscore() {
        // Every character of the first planes, and a few beyond: each is kept exactly when it
        // is an ASCII letter or digit, '-' or '_' (an allow-list, so '%', '#', '&', spaces and
        // non-ASCII letters can never reach the URL).
        let samples = (0u32..0x800)
            .chain([0x2028, 0xFEFF, 0xFF05, 0x1F3AC])
            .filter_map(char::from_u32);
        for c in samples {
            let allowed = c.is_ascii_alphanumeric() || c == '-' || c == '_';
            let expected = if allowed {
                format!("a{c}b")
            } else {
                "ab".to_string()
            };
            for windows_style in [false, true] {
                let url = poster_url(&format!("a{c}b"), windows_style);
                assert!(
                    url.ends_with(&format!("/{expected}")),
                    "{c:?} (U+{:04X}) gave {url}",
                    c as u32
                );
            }
        }
        assert_eq!(
            poster_url("%2e%2e#x&y=é", false),
            "poster://localhost/2e2exy"
        );
    }

    #[test]
    fn app_info_json_is_camel_case_and_round_trips() {
        let info = AppInfo {
            name: "PlexPicker".into(),
            version: "1.2.3".into(),
            platform: "linux".into(),
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "PlexPicker", "version": "1.2.3", "platform": "linux"})
        );
        let back: AppInfo = serde_json::from_value(json).unwrap();
        assert_eq!(back, info);
        assert_eq!(back.display_name(), "PlexPicker 1.2.3");
    }

    #[test]
    fn sign_in_events_are_tagged_by_state() {
        assert_eq!(
            serde_json::to_value(SignInEvent::Waiting { secs_left: 42 }).unwrap(),
            serde_json::json!({"state": "waiting", "secs_left": 42})
        );
        assert_eq!(
            serde_json::to_value(SignInEvent::Expired).unwrap(),
            serde_json::json!({"state": "expired"})
        );
    }

    #[test]
    fn ownership_labels() {
        let mut server = ServerView {
            id: "m".into(),
            name: "Home".into(),
            owned: true,
            owner: None,
            home: false,
            online: true,
        };
        assert_eq!(server.ownership_label(), "Yours");
        server.owned = false;
        server.owner = Some("Alice".into());
        assert_eq!(server.ownership_label(), "Shared by Alice");
    }
}
