//! The PlexPicker app shell: Tauri setup, plugins and thin commands.
//!
//! Commands unpack their request, call into the Tauri-free crates and map errors to
//! [`plexpicker_ipc::IpcError`]. Logic lives in `crates/`, not here.

pub mod commands;

/// Adds every plugin and command PlexPicker uses to `builder`.
///
/// Shared by [`run`] and by the command tests, which pass Tauri's mock builder.
pub fn builder_on<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_shell::init())
        .invoke_handler(tauri::generate_handler![commands::app_info])
}

/// Starts the desktop (or mobile) app.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    if let Err(err) = builder_on(tauri::Builder::default()).run(tauri::generate_context!()) {
        eprintln!("PlexPicker could not start its window: {err}");
        std::process::exit(1);
    }
}
