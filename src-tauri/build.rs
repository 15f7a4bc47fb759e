//! Generates the app's ACL: every command the UI may call is declared here and must also be
//! granted in a capability (tauri.conf.json), so nothing is callable by accident.

/// Every `#[tauri::command]` registered in `src-tauri/src/lib.rs`.
const COMMANDS: &[&str] = &[
    "app_info",
    "startup",
    "about",
    "start_sign_in",
    "open_sign_in_page",
    "cancel_sign_in",
    "sign_in_with_token",
    "start_demo",
    "sign_out",
    "list_servers",
    "connect",
    "trust_certificate",
    "list_libraries",
    "load_libraries",
    "pick",
    "reject",
    "watch_in_plex",
    "set_insecure_connections",
    "ai_settings",
    "set_ai_provider",
    "test_ai_provider",
    "list_ai_models",
    "cancel_ai_pick",
    "set_use_model",
    "list_profiles",
    "choose_profiles",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        eprintln!("PlexPicker's build script failed: {err:#}");
        std::process::exit(1);
    }
}
