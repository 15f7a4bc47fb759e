//! Generates the app's ACL: every command the UI may call is declared here and must also be
//! granted in a capability (tauri.conf.json), so nothing is callable by accident.

fn main() {
    let commands = tauri_build::AppManifest::new().commands(&["app_info"]);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands))
    {
        eprintln!("PlexPicker's build script failed: {err:#}");
        std::process::exit(1);
    }
}
