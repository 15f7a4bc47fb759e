//! The PlexPicker app shell: Tauri setup, plugins and thin commands.
//!
//! Commands unpack their request, call into the Tauri-free crates and map errors to
//! [`plexpicker_ipc::IpcError`]. Logic lives in `crates/`, not here.

pub mod commands;

/// Builds the Tauri application with every plugin and command PlexPicker uses.
///
/// Shared by [`run`] and by the command tests, which build it on Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>() -> tauri::Builder<R> {
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_shell::init())
        .invoke_handler(tauri::generate_handler![commands::app_info])
}

/// Starts the desktop (or mobile) app.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    if let Err(err) = builder().run(tauri::generate_context!()) {
        eprintln!("PlexPicker could not start its window: {err}");
        std::process::exit(1);
    }
}
