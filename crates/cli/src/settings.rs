//! Where the settings file lives. Its schema, its safe writes and the secret store are the
//! core's (`plexpicker_core`): the file holds no token.
//!
//! Location: `--config PATH`, else `$PLEXPICKER_CONFIG`, else
//! `$XDG_CONFIG_HOME/plexpicker/cli-settings.json`, else `~/.config/plexpicker/cli-settings.json`
//! (`%APPDATA%\plexpicker\cli-settings.json` on Windows).

use std::path::PathBuf;

/// The default file name inside the config directory.
pub const FILE_NAME: &str = "cli-settings.json";

/// The default path from the environment (no `--config`).
pub fn default_path() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(p) = env("PLEXPICKER_CONFIG") {
        return Some(p);
    }
    let dir = if let Some(x) = env("XDG_CONFIG_HOME") {
        x
    } else if cfg!(windows) {
        env("APPDATA")?
    } else {
        env("HOME")?.join(".config")
    };
    Some(dir.join("plexpicker").join(FILE_NAME))
}

/// A core error as the CLI says it: what happened and what to do.
pub fn storage_error(e: plexpicker_core::Error) -> crate::error::CliError {
    let advice = e.advice();
    crate::error::CliError::Storage(format!(
        "{e}; {}{}",
        advice[..1].to_lowercase(),
        advice[1..].trim_end_matches('.')
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_errors_say_what_to_do() {
        let e = storage_error(plexpicker_core::Error::io(
            "write",
            "/x/cli-settings.json",
            std::io::Error::other("disk full"),
        ));
        let text = e.to_string();
        assert!(text.starts_with("could not write /x/cli-settings.json: disk full; check"));
        assert!(!text.ends_with('.'));
    }
}
