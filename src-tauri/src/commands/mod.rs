//! The commands the UI can invoke: thin wrappers that unpack the request, call the core
//! (`plexpicker_core`, mostly through [`crate::state::AppState`]'s session) and turn its
//! errors into [`plexpicker_ipc::IpcError`] (`From<plexpicker_core::Error>`). Names and types come from
//! `plexpicker_ipc`.
//!
//! No command runs on the window's thread: the `async` ones by nature, the others marked
//! `#[tauri::command(async)]`, so reading the disk or waiting for the keychain never stalls
//! the window.

pub mod account;
pub mod ai;
pub mod app;
pub mod library;
pub mod picks;
pub mod profiles;
pub mod servers;

use plexpicker_ipc::{Command, IpcError};
use tauri::Runtime;

/// What command `C` answers, as the contract (`plexpicker_ipc::command`, the same the window's
/// calls are typed against) says: a command whose answer drifts from it does not compile.
pub type Output<C> = <C as Command>::Output;

/// [`Output`] or the error the window gets.
pub type Answer<C> = Result<Output<C>, IpcError>;

/// Opens `url` in the user's browser. The shell plugin's scope (tauri.conf.json) only lets
/// https URLs on plex.tv and app.plex.tv through; anything else is refused there.
pub fn open_in_browser<R: Runtime>(app: &tauri::AppHandle<R>, url: &str) -> bool {
    use tauri_plugin_shell::ShellExt;
    // `Shell::open` is deprecated in favour of the opener plugin; the app's stack is the
    // shell plugin, whose scope still guards this call.
    #[allow(deprecated)]
    let opened = app.shell().open(url, None);
    opened.is_ok()
}
