//! The commands the UI can invoke. Names and types come from `plexpicker_ipc`.

use plexpicker_ipc::AppInfo;

/// What the app says about itself (name, version, platform).
#[tauri::command]
pub fn app_info<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        platform: std::env::consts::OS.to_string(),
    }
}
