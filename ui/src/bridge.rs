//! Calls into the Tauri backend and listens to its events. A rejected or undecodable answer
//! becomes an [`IpcError`], never a panic; an undecodable event is logged and dropped.

use std::cell::RefCell;
use std::rc::Rc;

use plexpicker_ipc::{Command, IpcError};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke` (the app sets `withGlobalTauri`).
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// `window.__TAURI__.event.listen`: a promise of the function that stops listening.
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
}

/// Serialises invoke arguments as plain JS objects (maps and options as JSON would have them).
fn to_js<A: Serialize>(args: &A) -> Result<JsValue, serde_wasm_bindgen::Error> {
    args.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

async fn invoke_raw<A: Serialize>(cmd: &str, args: &A) -> Result<JsValue, IpcError> {
    let args = to_js(args).map_err(IpcError::bridge)?;
    tauri_invoke(cmd, args).await.map_err(|rejection| {
        serde_wasm_bindgen::from_value::<IpcError>(rejection.clone())
            .unwrap_or_else(|_| IpcError::bridge(describe(&rejection)))
    })
}

/// Invokes backend command `C` with `args` and decodes its answer as the contract says.
pub async fn invoke<C: Command>(args: &C::Args) -> Result<C::Output, IpcError> {
    let value = invoke_raw(C::NAME, args).await?;
    serde_wasm_bindgen::from_value(value).map_err(IpcError::bridge)
}

fn describe(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .or_else(|| {
            // Some other object: its `message`, if it has one (never the raw JSON).
            js_sys::Reflect::get(value, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "no details".to_string())
}

/// A subscription to a backend event; dropping it stops listening.
pub struct Listener {
    inner: Rc<RefCell<ListenerInner>>,
}

#[derive(Default)]
struct ListenerInner {
    /// Kept alive while the backend may call it.
    closure: Option<Closure<dyn FnMut(JsValue)>>,
    unlisten: Option<js_sys::Function>,
    dropped: bool,
}

/// Calls `handler` with each payload of `event` until the returned [`Listener`] is dropped.
pub fn listen<T, F>(event: &'static str, mut handler: F) -> Listener
where
    T: DeserializeOwned + 'static,
    F: FnMut(T) + 'static,
{
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload = js_sys::Reflect::get(&message, &JsValue::from_str("payload"))
            .unwrap_or(JsValue::UNDEFINED);
        match serde_wasm_bindgen::from_value::<T>(payload) {
            Ok(payload) => handler(payload),
            Err(err) => console_warn(&format!("PlexPicker: ignored a malformed {event}: {err}")),
        }
    });
    let inner = Rc::new(RefCell::new(ListenerInner::default()));
    let task = inner.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let promise = match tauri_listen(event, &closure) {
            Ok(promise) => promise,
            Err(err) => {
                console_warn(&format!(
                    "PlexPicker: cannot listen to {event}: {}",
                    describe(&err)
                ));
                return;
            }
        };
        let unlisten = match JsFuture::from(promise).await {
            Ok(f) => f.dyn_into::<js_sys::Function>().ok(),
            Err(err) => {
                console_warn(&format!(
                    "PlexPicker: cannot listen to {event}: {}",
                    describe(&err)
                ));
                None
            }
        };
        let mut state = task.borrow_mut();
        match unlisten {
            Some(unlisten) if state.dropped => {
                // Unmounted while the subscription was being set up: undo it now.
                let _ = unlisten.call0(&JsValue::NULL);
            }
            Some(unlisten) => {
                state.unlisten = Some(unlisten);
                state.closure = Some(closure);
            }
            None => {}
        }
    });
    Listener { inner }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let mut state = self.inner.borrow_mut();
        state.dropped = true;
        if let Some(unlisten) = state.unlisten.take() {
            let _ = unlisten.call0(&JsValue::NULL);
        }
        state.closure = None;
    }
}
