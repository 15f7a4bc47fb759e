//! Calls into the Tauri backend. A rejected or undecodable answer becomes an [`IpcError`],
//! never a panic.

use plexpicker_ipc::IpcError;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke` (the app sets `withGlobalTauri`).
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Invokes backend command `cmd` with `args` and decodes its answer.
pub async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, IpcError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(IpcError::bridge)?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(IpcError::bridge),
        Err(rejection) => Err(serde_wasm_bindgen::from_value::<IpcError>(rejection.clone())
            .unwrap_or_else(|_| IpcError::bridge(describe(&rejection)))),
    }
}

/// Invokes a backend command that takes no arguments.
pub async fn invoke0<T: DeserializeOwned>(cmd: &str) -> Result<T, IpcError> {
    invoke(cmd, &NoArgs {}).await
}

#[derive(Serialize)]
struct NoArgs {}

fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| js_sys::JSON::stringify(value).ok().map(String::from))
        .unwrap_or_else(|| "no details".to_string())
}
