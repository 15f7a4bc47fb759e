//! The app on Tauri's mock runtime, with its real configuration and capabilities, pointed at
//! a simulator on loopback and a private data folder.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plexpicker_ipc::Command;
use plexpicker_lib::Options;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow, WebviewWindowBuilder};

/// Every event the window may listen to: the app's own and the plugins' (the store plugin
/// broadcasts every change of the settings as `store://change`).
pub const EVERY_EVENT: &[&str] = &[
    plexpicker_ipc::events::SIGN_IN,
    plexpicker_ipc::events::CONNECT,
    plexpicker_ipc::events::LOAD,
    "store://change",
];

/// The app, its main window, every event it emitted and every command answer it gave.
pub struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    events: Arc<Mutex<Vec<(String, Value)>>>,
    answers: Arc<Mutex<Vec<(String, Value)>>>,
}

/// Invokes commands from another thread (a command still running while the test goes on).
#[derive(Clone)]
pub struct Invoker {
    window: WebviewWindow<MockRuntime>,
    answers: Arc<Mutex<Vec<(String, Value)>>>,
}

/// A command's arguments as Tauri reads them.
fn to_args(args: &impl serde::Serialize) -> Value {
    serde_json::to_value(args).expect("the arguments encode")
}

impl Invoker {
    /// Calls `C` and returns its raw answer or error.
    pub fn try_call<C: Command>(&self, args: C::Args) -> Result<Value, Value> {
        self.try_invoke(C::NAME, to_args(&args))
    }

    pub fn try_invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let answer = invoke_on(&self.window, cmd, args);
        let recorded = match &answer {
            Ok(v) | Err(v) => v.clone(),
        };
        self.answers
            .lock()
            .unwrap()
            .push((cmd.to_string(), recorded));
        answer
    }
}

fn invoke_on(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let response = get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )?;
    Ok(response.deserialize().expect("a JSON answer"))
}

impl App {
    pub fn start(options: Options) -> Self {
        let app = plexpicker_lib::builder_on(mock_builder(), options.clone())
            .build(tauri::generate_context!())
            .expect("the app builds on the mock runtime");
        // The setup hook runs only when an event loop starts; the mock app has none.
        plexpicker_lib::manage_state(app.handle(), &options).expect("the app's state");
        let events = Arc::new(Mutex::new(Vec::new()));
        for &name in EVERY_EVENT {
            let events = events.clone();
            app.listen_any(name, move |event| {
                let payload = serde_json::from_str(event.payload()).unwrap_or(Value::Null);
                events.lock().unwrap().push((name.to_string(), payload));
            });
        }
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("a mock window");
        Self {
            _app: app,
            window,
            events,
            answers: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Invokes `cmd` with `args` as the window would; the rejection comes back as JSON.
    pub fn try_invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let answer = self.invoke_raw(cmd, args);
        let recorded = match &answer {
            Ok(v) | Err(v) => v.clone(),
        };
        self.answers
            .lock()
            .unwrap()
            .push((cmd.to_string(), recorded));
        answer
    }

    fn invoke_raw(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke_on(&self.window, cmd, args)
    }

    /// Runs `f` with every `name` event's payload, on the thread that emits it, before the
    /// emitting code goes on: a test can block it there to hold that work at a known point.
    pub fn on_event(&self, name: &'static str, f: impl Fn(&Value) + Send + 'static) {
        self._app.listen_any(name, move |event| {
            f(&serde_json::from_str(event.payload()).unwrap_or(Value::Null))
        });
    }

    /// A handle that invokes commands from another thread.
    pub fn invoker(&self) -> Invoker {
        Invoker {
            window: self.window.clone(),
            answers: self.answers.clone(),
        }
    }

    /// Calls `C` with its typed arguments and decodes its typed answer (the contract in
    /// `plexpicker_ipc::command`, the same the window uses): a backend that drifts from it
    /// fails here, and a test that drifts from it does not compile.
    pub fn call<C: Command>(&self, args: C::Args) -> C::Output {
        self.invoke(C::NAME, to_args(&args))
    }

    /// Calls `C`, which must fail, and returns its error.
    pub fn call_err<C: Command>(&self, args: C::Args) -> plexpicker_ipc::IpcError {
        self.invoke_err(C::NAME, to_args(&args))
    }

    /// Calls `C` and returns its raw answer or error.
    pub fn try_call<C: Command>(&self, args: C::Args) -> Result<Value, Value> {
        self.try_invoke(C::NAME, to_args(&args))
    }

    /// Invokes `cmd` and decodes its answer, failing the test if it was rejected.
    pub fn invoke<T: DeserializeOwned>(&self, cmd: &str, args: Value) -> T {
        let value = self
            .try_invoke(cmd, args)
            .unwrap_or_else(|err| panic!("{cmd} was rejected: {err}"));
        serde_json::from_value(value.clone())
            .unwrap_or_else(|err| panic!("{cmd} answered {value}: {err}"))
    }

    /// Invokes `cmd`, which must fail, and returns its error.
    pub fn invoke_err(&self, cmd: &str, args: Value) -> plexpicker_ipc::IpcError {
        match self.try_invoke(cmd, args) {
            Ok(value) => panic!("{cmd} should have failed but answered {value}"),
            Err(err) => serde_json::from_value(err.clone())
                .unwrap_or_else(|e| panic!("{cmd} failed with {err}, not an IpcError: {e}")),
        }
    }

    /// Every event emitted so far, by name.
    pub fn events(&self, name: &str) -> Vec<Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Everything the window was sent: every event and every command answer (or error) so
    /// far, as one string (to search for secrets).
    pub fn everything_sent(&self) -> String {
        format!(
            "{:?}\n{:?}",
            self.events.lock().unwrap(),
            self.answers.lock().unwrap()
        )
    }

    /// Waits until an event `name` satisfies `done`.
    pub fn wait_for_event(
        &self,
        name: &str,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = self.events(name).into_iter().find(|v| done(v)) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no matching {name} event within {timeout:?}; got {:?}",
                self.events(name)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
