//! The app's commands, invoked through Tauri's IPC on the mock runtime (no window, no display),
//! with the app's real configuration and capabilities.

use plexpicker_ipc::{commands, AppInfo};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

/// The app on the mock runtime, and its main window.
fn app() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = plexpicker_lib::builder_on(mock_builder())
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("a mock window");
    (app, window)
}

fn try_invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<serde_json::Value, String> {
    let response = get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a url"),
            body: tauri::ipc::InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map_err(|err| err.to_string())?;
    Ok(response.deserialize().expect("a JSON answer"))
}

#[test]
fn app_info_reports_the_product_name_and_the_cargo_version() {
    let (_app, window) = app();
    let answer = try_invoke(&window, commands::APP_INFO).expect("app_info answers");
    let info: AppInfo = serde_json::from_value(answer).expect("an AppInfo");
    assert_eq!(info.name, "PlexPicker");
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.platform, std::env::consts::OS);
}

/// The webview gets no permissions beyond the app's own commands: settings (and the token in
/// them) and the browser are reachable only through the backend.
#[test]
fn the_window_cannot_read_the_store_or_open_urls_directly() {
    let (_app, window) = app();
    for cmd in ["plugin:store|load", "plugin:store|get", "plugin:shell|open"] {
        let err = try_invoke(&window, cmd).expect_err(cmd);
        assert!(err.contains("not allowed"), "{cmd}: {err}");
    }
}
