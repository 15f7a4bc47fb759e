//! Plex Home: the profiles of the account's Home, switching to one, the profile's own access
//! token for a server, and what differs for a profile on that server (the titles it has
//! watched or started, and for a restricted profile the titles it may see at all).
//!
//! A profile's tokens are [`Token`]s like the account's: attached only through
//! `auth::attach`, sent only to plex.tv and to the server they were issued for. A PIN is
//! borrowed for one request and never kept.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use futures::future::join_all;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::client::PlexClient;
use crate::config::endpoints;
use crate::error::{Error, Result};
use crate::http::{check_status, fetch, parse_json, plex_error_code};
use crate::lenient;
use crate::library::{Item, LoadOptions, LoadProgress, Section, SectionKind};
use crate::server::ServerConnection;
use crate::token::Token;

/// One profile of the account's Plex Home (or the account itself when it has no Home).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeUser {
    /// Numeric id.
    pub id: Option<u64>,
    /// The id to switch with.
    pub uuid: String,
    /// Display name.
    pub title: String,
    /// Avatar URL.
    pub thumb: Option<String>,
    /// The Home's admin (the account that owns the Home).
    pub admin: bool,
    /// The Home's guest profile.
    pub guest: bool,
    /// A 4-digit PIN is needed to switch to it.
    pub protected: bool,
    /// A managed profile with content limits (the server hides titles above them).
    pub restricted: bool,
    /// `little_kid`, `older_kid`, `teen` for restricted profiles, when plex.tv says.
    pub restriction_profile: Option<String>,
}

/// The account's Plex Home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    /// False when the account has no Home (plex.tv answered 404): then `users` holds only
    /// the account itself, as the admin.
    pub has_home: bool,
    /// The Home's name.
    pub name: Option<String>,
    /// Every profile, the admin first.
    pub users: Vec<HomeUser>,
}

/// A profile switched to: its plex.tv token (a secret; never printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSession {
    /// The profile as plex.tv described it when switching.
    pub user: HomeUser,
    /// The profile's plex.tv token: for plex.tv only (a server refuses it).
    pub token: Token,
}

/// A profile's own access token for one server, from `/api/v2/resources` asked with the
/// profile's token. [`ServerConnection::for_profile`] uses it only on that server.
#[derive(Clone, PartialEq, Eq)]
pub struct ProfileAccess {
    /// The server it was issued for.
    pub machine_identifier: String,
    /// The profile's access token for that server.
    pub token: Token,
}

impl fmt::Debug for ProfileAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileAccess")
            .field("machine_identifier", &self.machine_identifier)
            .field("token", &self.token)
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHome {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    users: Vec<RawHomeUser>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHomeUser {
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    id: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    friendly_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    thumb: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    admin: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    guest: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    protected: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    restricted: bool,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    restriction_profile: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    auth_token: Option<String>,
}

impl RawHomeUser {
    /// `None` without a uuid (nothing to switch with).
    fn into_user(self) -> Option<(HomeUser, Option<String>)> {
        let uuid = self.uuid.filter(|u| !u.trim().is_empty())?;
        let title = [self.friendly_name, self.title, self.username]
            .into_iter()
            .flatten()
            .find(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "Profile".to_string());
        Some((
            HomeUser {
                id: self.id,
                uuid,
                title,
                thumb: self.thumb,
                admin: self.admin,
                guest: self.guest,
                protected: self.protected,
                restricted: self.restricted,
                restriction_profile: self.restriction_profile,
            },
            self.auth_token,
        ))
    }
}

/// Most profiles kept from one answer (plex.tv allows 15 per Home).
const MAX_HOME_USERS: usize = 100;

/// A PIN is 4 digits; anything else cannot be right and is not sent.
fn valid_pin(pin: &str) -> bool {
    pin.len() == 4 && pin.bytes().all(|b| b.is_ascii_digit())
}

impl PlexClient {
    /// The profiles of the account's Plex Home (`GET /api/v2/home/users`), the admin first.
    ///
    /// An account without a Home (404) is not an error: the answer then holds one profile,
    /// the account itself (from `GET /api/v2/user`), with `has_home: false`.
    pub async fn home(&self, account: &Token) -> Result<Home> {
        let ep = endpoints::HOME_USERS;
        let req = crate::auth::attach(self.inner.plex_tv.get(self.plex_tv_url(ep)), account)?;
        let t = &self.inner.cfg.timeouts;
        let f = fetch(req, ep, t.request, self.inner.cfg.limits.max_body_bytes).await?;
        match check_status(&f, ep) {
            Ok(()) => {}
            Err(Error::NotFound { .. }) => {
                let me = self.user(account).await?;
                let user = HomeUser {
                    id: me.id,
                    uuid: me.uuid.unwrap_or_default(),
                    title: me
                        .title
                        .or(me.username)
                        .filter(|t| !t.trim().is_empty())
                        .unwrap_or_else(|| "Me".to_string()),
                    thumb: me.thumb,
                    admin: true,
                    guest: false,
                    protected: false,
                    restricted: false,
                    restriction_profile: None,
                };
                return Ok(Home {
                    has_home: false,
                    name: None,
                    users: vec![user],
                });
            }
            Err(e) => return Err(e),
        }
        let raw: RawHome = parse_json(&f.body, ep)?;
        let mut users: Vec<HomeUser> = raw
            .users
            .into_iter()
            .filter_map(|u| u.into_user().map(|(u, _)| u))
            .take(MAX_HOME_USERS)
            .collect();
        if users.is_empty() {
            return Err(Error::invalid(ep, "a home without any profile"));
        }
        // The admin first, whatever order plex.tv used.
        users.sort_by_key(|u| !u.admin);
        Ok(Home {
            has_home: true,
            name: raw.name,
            users,
        })
    }

    /// Switches to a Home profile (`POST /api/v2/home/users/{uuid}/switch`), sending `pin` as
    /// a form parameter (never in the URL) when given; the PIN is not kept.
    ///
    /// A wrong or missing PIN for a protected profile is [`Error::WrongPin`] ("try again"); a
    /// PIN that is not 4 digits is refused before anything is sent.
    pub async fn switch_profile(
        &self,
        account: &Token,
        user: &HomeUser,
        pin: Option<&str>,
    ) -> Result<ProfileSession> {
        let ep = endpoints::HOME_USERS;
        let pin = pin.map(str::trim).filter(|p| !p.is_empty());
        if pin.is_some_and(|p| !valid_pin(p)) {
            return Err(Error::WrongPin);
        }
        if user.uuid.trim().is_empty() {
            return Err(Error::NotFound {
                what: "a profile without an id".into(),
            });
        }
        let url = self.plex_tv_url(&endpoints::home_user_switch(&user.uuid));
        let mut req = crate::auth::attach(self.inner.plex_tv.post(url), account)?;
        req = req.header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        );
        req = match pin {
            Some(p) => req.body(format!("pin={p}")),
            None => req.body(""),
        };
        let t = &self.inner.cfg.timeouts;
        let f = fetch(req, ep, t.request, self.inner.cfg.limits.max_body_bytes).await?;
        if matches!(f.status.as_u16(), 401 | 403) && plex_error_code(&f.body) != Some(1001) {
            return Err(Error::WrongPin);
        }
        check_status(&f, ep)?;
        let raw: RawHomeUser = parse_json(&f.body, ep)?;
        let (mut switched, token) = raw
            .into_user()
            .ok_or_else(|| Error::invalid(ep, "switched profile without an id"))?;
        let token = token
            .filter(|t| !t.trim().is_empty())
            .map(Token::new)
            .ok_or_else(|| Error::invalid(ep, "switched profile without a token"))?;
        if switched.uuid != user.uuid {
            // plex.tv switched to someone else: do not use that token as this profile's.
            return Err(Error::invalid(ep, "switched to a different profile"));
        }
        switched.admin |= user.admin;
        Ok(ProfileSession {
            user: switched,
            token,
        })
    }

    /// The profile's own access token for the server `machine_identifier`, from
    /// `/api/v2/resources` asked with the profile's token.
    ///
    /// [`Error::ProfileNotOnServer`] when plex.tv does not list that server for the profile.
    pub async fn profile_access(
        &self,
        profile: &ProfileSession,
        machine_identifier: &str,
    ) -> Result<ProfileAccess> {
        let servers = self.servers(&profile.token).await?;
        let server = servers
            .into_iter()
            .find(|s| s.machine_identifier == machine_identifier)
            .ok_or(Error::ProfileNotOnServer)?;
        // An owned server listed without an access token would mean the profile's plex.tv
        // token, which servers refuse: only a real access token will do.
        let token = server
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or(Error::ProfileNotOnServer)?;
        Ok(ProfileAccess {
            machine_identifier: server.machine_identifier,
            token,
        })
    }
}

impl ServerConnection {
    /// The same verified route to this server, carrying a profile's access token instead of
    /// the account's. [`Error::ProfileNotOnServer`] when the token was issued for another
    /// server: it is never sent here.
    pub fn for_profile(&self, access: &ProfileAccess) -> Result<ServerConnection> {
        if access.machine_identifier != self.inner.machine_identifier || access.token.is_empty() {
            return Err(Error::ProfileNotOnServer);
        }
        Ok(self.with_token(access.token.clone()))
    }
}

/// What differs for one profile in one section.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProfileSectionState {
    /// The section's key.
    pub section_key: String,
    /// Movies the profile has watched (`viewCount>>=1`) and shows it has started or finished
    /// (`viewedLeafCount>>=1`), with their counts as the profile sees them.
    pub watched: Vec<Item>,
    /// For a restricted profile, every id it may see; `None`: it sees what the account sees.
    pub visible: Option<HashSet<String>>,
}

impl ProfileSectionState {
    /// Ids of the titles the profile has watched or started.
    pub fn watched_ids(&self) -> HashSet<&str> {
        self.watched.iter().map(|i| i.rating_key.as_str()).collect()
    }

    /// Ids of the titles the profile has finished (movies watched, shows with every episode
    /// watched).
    pub fn finished_ids(&self) -> HashSet<&str> {
        self.watched
            .iter()
            .filter(|i| match (i.viewed_leaf_count, i.leaf_count) {
                (Some(v), Some(l)) => l > 0 && v >= l,
                _ => i.view_count > 0,
            })
            .map(|i| i.rating_key.as_str())
            .collect()
    }

    /// Whether the profile may see a title.
    pub fn may_see(&self, rating_key: &str) -> bool {
        self.visible.as_ref().is_none_or(|v| v.contains(rating_key))
    }
}

impl ServerConnection {
    /// What differs for this connection's profile in a section, paged like a library load:
    /// the titles it has watched or started and, when `restricted`, the ids it may see.
    pub async fn profile_section_state(
        &self,
        section: &Section,
        restricted: bool,
        opts: &LoadOptions,
    ) -> Result<ProfileSectionState> {
        let path = endpoints::section_all(&section.key);
        let (ty, watched_filter) = match section.kind {
            SectionKind::Movie => (1, "viewCount%3E%3E=1"),
            SectionKind::Show => (2, "viewedLeafCount%3E%3E=1"),
        };
        let watched = self
            .paged(&path, &format!("type={ty}&{watched_filter}"), opts)
            .await?;
        let visible = if restricted {
            let all = self.paged(&path, &format!("type={ty}"), opts).await?;
            Some(all.into_iter().map(|i| i.rating_key).collect())
        } else {
            None
        };
        Ok(ProfileSectionState {
            section_key: section.key.clone(),
            watched,
            visible,
        })
    }
}

/// One profile to load: its connection (from [`ServerConnection::for_profile`]) and whether
/// it is restricted.
#[derive(Debug, Clone)]
pub struct ProfileTarget {
    /// The caller's id for the profile (its uuid), echoed in progress and results.
    pub profile: String,
    /// The server, as the profile.
    pub connection: ServerConnection,
    /// A restricted profile: its visible ids are loaded too.
    pub restricted: bool,
}

/// Progress of one profile's load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileProgress {
    /// The profile (as given in [`ProfileTarget::profile`]).
    pub profile: String,
    /// The section being loaded.
    pub section_key: String,
    /// Sections finished for this profile.
    pub sections_done: usize,
    /// Sections to load for this profile.
    pub sections_total: usize,
    /// The current listing's progress.
    pub listing: LoadProgress,
}

/// Options of [`load_profiles`].
#[derive(Clone, Default)]
pub struct ProfilesLoadOptions {
    /// Cancels every profile's load.
    pub cancel: CancellationToken,
    /// Called after each page of each profile.
    pub on_progress: Option<Arc<dyn Fn(ProfileProgress) + Send + Sync>>,
}

impl fmt::Debug for ProfilesLoadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfilesLoadOptions")
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

/// One profile's outcome: its state per section, or why it failed (the others still load).
#[derive(Debug)]
pub struct ProfileLoaded {
    /// The profile (as given).
    pub profile: String,
    /// Its state for every section, in the order given.
    pub sections: Result<Vec<ProfileSectionState>>,
}

/// Loads what differs for several profiles in parallel (each profile's sections one after
/// the other), reporting progress per profile. Results come in the order of `targets`.
pub async fn load_profiles(
    targets: &[ProfileTarget],
    sections: &[Section],
    opts: &ProfilesLoadOptions,
) -> Vec<ProfileLoaded> {
    let work = targets.iter().map(|t| async move {
        let mut out = Vec::with_capacity(sections.len());
        for (done, section) in sections.iter().enumerate() {
            let cb = opts.on_progress.clone().map(|cb| {
                let profile = t.profile.clone();
                let key = section.key.clone();
                let total = sections.len();
                Arc::new(move |listing: LoadProgress| {
                    cb(ProfileProgress {
                        profile: profile.clone(),
                        section_key: key.clone(),
                        sections_done: done,
                        sections_total: total,
                        listing,
                    })
                }) as Arc<dyn Fn(LoadProgress) + Send + Sync>
            });
            let load = LoadOptions {
                cancel: opts.cancel.clone(),
                on_progress: cb,
                ..LoadOptions::default()
            };
            match t
                .connection
                .profile_section_state(section, t.restricted, &load)
                .await
            {
                Ok(s) => out.push(s),
                Err(e) => {
                    return ProfileLoaded {
                        profile: t.profile.clone(),
                        sections: Err(e),
                    }
                }
            }
        }
        ProfileLoaded {
            profile: t.profile.clone(),
            sections: Ok(out),
        }
    });
    join_all(work).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_home_answers_are_tolerated() {
        let body = br#"{"id":"5","name":null,"users":[
            {"id":"7","uuid":"abc","title":"","friendlyName":null,"username":"sam1",
             "admin":"1","protected":1,"restricted":"0","extra":{"x":[1]}},
            {"id":8,"title":"No uuid"},
            5,
            {"uuid":"def","title":"Kid","restricted":true,"restrictionProfile":"little_kid",
             "authToken":"SECRET"}
        ]}"#;
        let raw: RawHome = serde_json::from_slice(body).unwrap();
        let users: Vec<HomeUser> = raw
            .users
            .into_iter()
            .filter_map(|u| u.into_user().map(|(u, _)| u))
            .collect();
        assert_eq!(users.len(), 2, "no uuid, no profile");
        assert_eq!(users[0].title, "sam1");
        assert!(users[0].admin && users[0].protected && !users[0].restricted);
        assert_eq!(users[0].id, Some(7));
        assert!(users[1].restricted);
        assert!(!format!("{users:?}").contains("SECRET"));
        let raw: RawHome = serde_json::from_slice(br#"{"users":null}"#).unwrap();
        assert!(raw.users.is_empty());
        assert!(valid_pin("0042") && !valid_pin("42") && !valid_pin("４２４２"));
    }
}
