//! The commands the UI can invoke: thin wrappers that unpack the request, call into the
//! crates and map errors to [`plexpicker_ipc::IpcError`]. Names and types come from
//! `plexpicker_ipc`.

pub mod account;
pub mod ai;
pub mod app;
pub mod library;
pub mod picks;
pub mod servers;

use plexpicker_ipc::{Command, ErrorKind, IpcError};
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

/// The error for commands that need a signed-in account.
pub fn not_signed_in() -> IpcError {
    IpcError::new(
        ErrorKind::Unauthorized,
        "You are not signed in. Sign in with Plex first.",
    )
}

/// The error for commands that need a connected server.
pub fn not_connected() -> IpcError {
    IpcError::new(
        ErrorKind::Unreachable,
        "PlexPicker is not connected to a server. Choose a server first.",
    )
}
