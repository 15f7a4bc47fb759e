//! The wire contract between PlexPicker's Yew UI and its Tauri backend.
//!
//! Every command name and its request and response types live here, so the UI (compiled to
//! wasm) and the backend (native) share one definition and cannot drift apart. Nothing in this
//! crate may depend on Tauri, on the network or on the DOM: it builds for both targets.

mod error;

pub use error::{ErrorKind, IpcError};

use serde::{Deserialize, Serialize};

/// Command names, as registered with `tauri::generate_handler!` and invoked by the UI.
pub mod commands {
    /// Returns [`crate::AppInfo`]. Takes no arguments.
    pub const APP_INFO: &str = "app_info";
}

/// What the app says about itself: shown in the window title bar and the About panel.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
