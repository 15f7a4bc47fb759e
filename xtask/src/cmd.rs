//! Running other programs, with the one-line errors xtask promises.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// An xtask failure: one sentence saying what failed and what to do.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Result<T = ()> = std::result::Result<T, Error>;

/// Makes an [`Error`] from a message.
pub fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(Error(message.into()))
}

/// The workspace root (the folder that holds the top-level Cargo.toml).
pub fn root() -> PathBuf {
    // xtask lives in <root>/xtask.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The `cargo` that started us, so nested builds use the same toolchain.
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root());
    command
}

/// A command run from the workspace root.
pub fn program(name: &str) -> Command {
    let mut command = Command::new(name);
    command.current_dir(root());
    command
}

/// Prints `what`, runs `command` with inherited output and fails unless it succeeds.
pub fn run(what: &str, command: &mut Command) -> Result {
    println!("\n==> {what}");
    let status = command
        .status()
        .map_err(|err| Error(format!("{what}: could not start {command:?}: {err}")))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!("{what} failed ({status})"))
    }
}

/// Runs `command` quietly and returns its trimmed stdout if it succeeded.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Whether `name` can be started at all (it is on PATH).
pub fn exists(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Puts cargo's install folder on PATH for this process and its children, so tools that
/// `cargo install` just placed there are found even where the shell's PATH lacks it.
pub fn add_cargo_bin_to_path() {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let Some(bin) = cargo_home.map(|home| home.join("bin")) else {
        return;
    };
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|p| p == bin) {
        return;
    }
    let joined = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)));
    if let Ok(joined) = joined {
        // Safe: xtask is single-threaded when it sets this, before starting any child.
        std::env::set_var("PATH", joined);
    }
}
