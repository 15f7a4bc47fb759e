//! Signing in and out, the same for both front ends.
//!
//! Signing in keeps the token in the secret store first, and only then says "signed in" in
//! the settings, so the settings never claim an account whose token is missing. Signing out
//! forgets the account, the chosen server (and its libraries) and both of their tokens; the
//! client identifier, certificate pins, routes, history and the wheels stay.

use plex_client::{Token, User};

use crate::error::Result;
use crate::secrets::{SecretKey, Secrets};
use crate::settings::{Account, SavedServer, Settings};

/// The name an account is shown by: its user name, else its display name.
pub fn display_name(user: &User) -> Option<String> {
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    nonempty(&user.username).or_else(|| nonempty(&user.title))
}

/// Keeps the account's token (step one of signing in).
pub fn store_token(secrets: &(dyn Secrets + 'static), token: &Token) -> Result<()> {
    secrets.set_token(&SecretKey::AccountToken, token)
}

/// The settings of a signed-in account (step two, once its token is stored). `direct`: a
/// server reached by URL and token, with no plex.tv account behind it.
pub fn signed_in(settings: &mut Settings, name: Option<String>, direct: bool) {
    settings.account = Some(Account { name, direct });
    settings.demo = false;
}

/// Forgets the account in the settings, with the chosen server and its libraries (the demo
/// too). Returns what was forgotten, for [`forget_secrets`].
pub fn signed_out(settings: &mut Settings) -> SignedOut {
    let was_signed_in = settings.account.take().is_some();
    settings.libraries = None;
    settings.demo = false;
    SignedOut {
        was_signed_in,
        server: settings.server.take(),
        watching: {
            settings.watching_names.clear();
            std::mem::take(&mut settings.watching)
        },
    }
}

/// What [`signed_out`] forgot.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedOut {
    pub was_signed_in: bool,
    pub server: Option<SavedServer>,
    /// The Home profiles that were watching (their tokens go too).
    pub watching: Vec<String>,
}

/// Deletes the account's token, the forgotten server's access token and the tokens of the
/// profiles that were watching.
pub fn forget_secrets(secrets: &dyn Secrets, signed_out: &SignedOut) -> Result<()> {
    secrets.delete(&SecretKey::AccountToken)?;
    for profile in &signed_out.watching {
        secrets.delete(&SecretKey::ProfileToken(profile.clone()))?;
    }
    if let Some(server) = &signed_out.server {
        secrets.delete(&SecretKey::ServerAccessToken(server.id.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(username: Option<&str>, title: Option<&str>) -> User {
        User {
            id: None,
            uuid: None,
            username: username.map(str::to_string),
            title: title.map(str::to_string),
            thumb: None,
        }
    }

    #[test]
    fn the_user_name_first_then_the_display_name() {
        assert_eq!(
            display_name(&user(Some("sam"), Some("Sam S."))).as_deref(),
            Some("sam")
        );
        assert_eq!(
            display_name(&user(Some(" "), Some("Sam S."))).as_deref(),
            Some("Sam S.")
        );
        assert_eq!(display_name(&user(None, None)), None);
    }

    #[test]
    fn signing_out_forgets_the_account_and_server_and_keeps_the_rest() {
        let mut settings = Settings::default();
        signed_in(&mut settings, Some("sam".into()), false);
        settings.server = Some(SavedServer {
            id: "m1".into(),
            name: "Home".into(),
            owned: true,
            home: false,
            owner: None,
            https_required: false,
            has_access_token: true,
            connections: vec![],
        });
        settings.libraries = Some(vec!["1".into()]);
        settings
            .last_connections
            .insert("m1".into(), "https://10.0.0.2:32400".into());
        let identifier = settings.client_identifier.clone();
        let out = signed_out(&mut settings);
        assert!(out.was_signed_in);
        assert_eq!(out.server.as_ref().map(|s| s.id.as_str()), Some("m1"));
        assert_eq!(settings.account, None);
        assert_eq!(settings.server, None);
        assert_eq!(settings.libraries, None);
        assert_eq!(settings.client_identifier, identifier);
        assert!(settings.last_connections.contains_key("m1"));
        assert!(!signed_out(&mut settings).was_signed_in);
    }
}
