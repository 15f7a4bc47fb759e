//! The app itself: what it is, where it stands at start-up, and what it keeps.

use plexpicker_ipc::command;
use plexpicker_ipc::{About, AppInfo, InsecureConnections};
use tauri::{AppHandle, Runtime, State};

use super::{Answer, Output};
use crate::state::AppState;
use plexpicker_core::views;

/// What the app says about itself (name, version, platform).
#[tauri::command(async)]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> Output<command::AppInfo> {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        platform: std::env::consts::OS.to_string(),
    }
}

/// Where the app stands after a (re)start, so the window lands on the right screen. A cached
/// catalog is put in place at once.
#[tauri::command(async)]
pub fn startup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Output<command::Startup> {
    let (startup, restored) = state.startup(&state.paths.cache);
    if restored {
        tauri::async_runtime::spawn(crate::loading::refresh_in_background(app));
    }
    startup
}

/// Version, where things are kept, and what is sent to whom.
#[tauri::command(async)]
pub fn about<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Output<command::About> {
    let settings = state.settings();
    About {
        app: app_info(app),
        insecure_connections: views::insecure_connections(settings.allow_insecure),
        settings_path: state.paths.settings.display().to_string(),
        cache_path: state.paths.cache.display().to_string(),
        privacy: vec![
            "PlexPicker keeps the server you chose, your library choices, your last picks and the wheels' settings in a settings file on this device, and a copy of your libraries' titles in a cache folder. Nothing leaves this device except the requests below.".into(),
            state.secrets().backend().describe(),
            "To sign in, PlexPicker asks plex.tv for a code and opens Plex's own page in your browser: you type your password only there, never into PlexPicker.".into(),
            "Your Plex sign-in is sent only to plex.tv and, as a request header (never in an address), to a server once it has proved to be the server you chose. A friend's server only ever receives the access it granted you.".into(),
            plexpicker_core::ai::privacy(&settings.ai),
            "Apart from these, PlexPicker sends nothing to anyone: no analytics, no tracking. Signing out deletes the sign-in and the cached libraries.".into(),
        ],
    }
}

/// Saves "Allow insecure connections" (used from the next connection on) and answers the About
/// panel as it now reads.
#[tauri::command(async)]
pub fn set_insecure_connections<R: Runtime>(
    when: InsecureConnections,
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Answer<command::SetInsecureConnections> {
    state.update(|s| s.allow_insecure = views::allow_insecure(when))?;
    Ok(about(app, state))
}
