//! "Who's watching?": the Plex Home's profiles, and the room of people picking together.
//!
//! The catalog is loaded once, as the account. For every other profile in the room only what
//! differs is fetched from the server, with that profile's own access token (the titles it
//! has watched or started, and for a restricted profile the ids it may see), all profiles in
//! parallel. A profile's plex.tv token goes only to plex.tv, its server token only to the
//! server it was issued for (plex-client checks both); both stay out of the settings, and a
//! PIN is used once and never kept. The tokens of the profiles in the room are kept in the
//! secret store, so the room comes back after a restart without asking for PINs again; a
//! profile that leaves the room has its token deleted, so adding a protected one back asks
//! for its PIN again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use picker::{ContentLevel, Member, Room};
use plex_client::{
    load_profiles, HomeUser, ProfileProgress, ProfileSession, ProfileTarget, ProfilesLoadOptions,
    Token,
};
use plexpicker_ipc::{ProfileView, RoomView};

use super::Session;
use crate::secrets::SecretKey;
use crate::{Error, Result};

/// Who a pick for several is for (see [`Session::people_for`]).
#[derive(Debug, Clone)]
pub struct PeopleFor {
    /// The people's profile ids, in the Home's order (the admin first).
    pub ids: Vec<String>,
    /// The profiles whose PIN to ask for, in the order they were named.
    pub pins: Vec<ProfileView>,
}

/// The profile `query` names: its id, else its name ignoring case.
fn find_profile<'a>(profiles: &'a [ProfileView], query: &str) -> Option<&'a ProfileView> {
    let q = query.trim();
    profiles.iter().find(|p| p.id == q).or_else(|| {
        profiles
            .iter()
            .find(|p| p.name.to_lowercase() == q.to_lowercase())
    })
}

/// Called with each profile's loading progress.
pub type OnProfileProgress = Arc<dyn Fn(ProfileProgress) + Send + Sync>;

impl Session {
    /// The Plex Home's profiles (the account alone, without a Home), the admin first, each
    /// saying whether it is watching now.
    pub async fn profiles(&self) -> Result<Vec<ProfileView>> {
        let users = self.home_users().await?;
        let watching = self.settings().watching;
        Ok(users
            .iter()
            .map(|u| ProfileView {
                id: u.uuid.clone(),
                name: u.title.clone(),
                admin: u.admin,
                protected: u.protected,
                restricted: u.restricted,
                guest: u.guest,
                watching: if watching.is_empty() {
                    u.admin
                } else {
                    watching.contains(&u.uuid)
                },
            })
            .collect())
    }

    /// Who a pick for several is for: `names` (profile names ignoring case, ids, or `all`)
    /// and `pin_for` (the profiles whose PIN will be given) matched to the Home's profiles.
    /// The account (the Home's admin) is always one of the people. Every protected profile
    /// among them needs its PIN, or a sign-in kept from an earlier pick. Answers the people's
    /// ids in the Home's order and, in `pin_for`'s order, the profiles whose PIN to ask for.
    pub async fn people_for(&self, names: &[String], pin_for: &[String]) -> Result<PeopleFor> {
        let profiles = self.profiles().await?;
        let all_names = || {
            profiles
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut chosen: Vec<&ProfileView> = profiles.iter().filter(|p| p.admin).collect();
        for name in names {
            if name.trim().eq_ignore_ascii_case("all") {
                chosen.extend(profiles.iter());
                continue;
            }
            let p = find_profile(&profiles, name).ok_or_else(|| Error::NoSuchProfile {
                name: name.clone(),
                profiles: all_names(),
            })?;
            chosen.push(p);
        }
        // In the Home's order (the admin first), each once.
        let ids: Vec<String> = profiles
            .iter()
            .filter(|p| chosen.iter().any(|c| c.id == p.id))
            .map(|p| p.id.clone())
            .collect();
        let mut pinned: Vec<&ProfileView> = Vec::new();
        for name in pin_for {
            let p = find_profile(&profiles, name).ok_or_else(|| Error::PinForNoProfile {
                name: name.clone(),
                profiles: all_names(),
            })?;
            if !ids.contains(&p.id) {
                return Err(Error::PinForAbsent {
                    name: name.clone(),
                    profile: p.name.clone(),
                });
            }
            if pinned.iter().any(|q| q.id == p.id) {
                return Err(Error::PinTwice { name: name.clone() });
            }
            pinned.push(p);
        }
        for p in profiles.iter().filter(|p| ids.contains(&p.id)) {
            if p.protected && !p.admin && !pinned.iter().any(|q| q.id == p.id) {
                let kept = self
                    .secrets()
                    .token(&SecretKey::ProfileToken(p.id.clone()))
                    .map_err(Error::secret_store)?;
                if kept.is_none() {
                    return Err(Error::PinNeeded {
                        profile: p.name.clone(),
                    });
                }
            }
        }
        Ok(PeopleFor {
            ids,
            pins: pinned.into_iter().cloned().collect(),
        })
    }

    /// The people picking together: `ids` (profile ids; empty, or the admin alone, is the
    /// account alone), with `pins` for protected profiles. Loads every other profile's watch
    /// state from the connected server, works the room out over the catalog, and remembers
    /// the choice. A wrong PIN is [`plex_client::Error::WrongPin`]: nothing changes.
    pub async fn choose_profiles(
        &self,
        ids: &[String],
        pins: &BTreeMap<String, String>,
        on_progress: Option<OnProfileProgress>,
    ) -> Result<RoomView> {
        let session = self.session();
        let users = self.home_users().await?;
        let mut chosen = Vec::with_capacity(ids.len());
        for id in ids {
            let user = users.iter().find(|u| &u.uuid == id).ok_or_else(|| {
                Error::NotFound(
                    "That profile is not in your Plex Home any more. Choose again.".into(),
                )
            })?;
            if !chosen.iter().any(|u: &&HomeUser| u.uuid == user.uuid) {
                chosen.push(user);
            }
        }
        let alone = chosen.iter().all(|u| u.admin);
        if alone {
            self.forget_profiles(&[])?;
            self.live().room = None;
            let people: Vec<String> = chosen.iter().map(|u| u.title.clone()).collect();
            self.update(|s| {
                s.watching = chosen.iter().map(|u| u.uuid.clone()).collect();
                s.watching_names = people.clone();
            })?;
            return Ok(RoomView { people });
        }
        let catalog = self.catalog()?;
        let connection = self.connection()?;
        let account = self.account_token()?;
        let client = self.client()?;
        // Each other profile's own tokens: plex.tv's (switching, with its PIN when given or
        // needed), then the server's.
        let mut sessions = Vec::new();
        let mut targets = Vec::new();
        for user in chosen.iter().filter(|u| !u.admin) {
            let profile = self
                .profile_session(&account, user, pins.get(&user.uuid))
                .await?;
            let access = client
                .profile_access(&profile, connection.machine_identifier())
                .await?;
            targets.push(ProfileTarget {
                profile: user.uuid.clone(),
                connection: connection.for_profile(&access)?,
                restricted: user.restricted,
            });
            sessions.push(profile);
        }
        let keys = self.settings().libraries;
        let sections: Vec<_> = connection
            .sections()
            .await?
            .into_iter()
            .filter(|s| keys.as_ref().is_none_or(|k| k.contains(&s.key)))
            .collect();
        let options = ProfilesLoadOptions {
            cancel: self.begin_work(),
            on_progress,
        };
        let mut states = HashMap::new();
        for loaded in load_profiles(&targets, &sections, &options).await {
            let name = chosen
                .iter()
                .find(|u| u.uuid == loaded.profile)
                .map_or("a profile", |u| u.title.as_str());
            match loaded.sections {
                Ok(sections) => {
                    states.insert(loaded.profile, sections);
                }
                Err(err) => {
                    return Err(Error::Internal(format!(
                        "PlexPicker could not load what {name} has watched ({err}). Try again, or choose without {name}."
                    )))
                }
            }
        }
        let members = chosen
            .iter()
            .map(|user| {
                if user.admin {
                    return Member::account(user.title.clone());
                }
                let mut seen = HashMap::new();
                let mut visible: Option<HashSet<String>> = None;
                for state in states.get(&user.uuid).into_iter().flatten() {
                    for item in &state.watched {
                        let count = item.viewed_leaf_count.unwrap_or(item.view_count);
                        seen.insert(item.rating_key.clone(), count);
                    }
                    if let Some(ids) = &state.visible {
                        visible
                            .get_or_insert_with(HashSet::new)
                            .extend(ids.iter().cloned());
                    }
                }
                let mut member = Member::profile(user.title.clone(), seen);
                member.visible = visible;
                member.max_content = content_limit(user);
                member
            })
            .collect();
        let room = catalog.indexed.index_room(Room::new(members));
        // Signed out (or in again) meanwhile: this room belongs to a session that is over.
        let mut live = self.live();
        if live.session != session {
            return Err(Error::NotSignedIn);
        }
        for profile in &sessions {
            let key = SecretKey::ProfileToken(profile.user.uuid.clone());
            self.secrets()
                .set_token(&key, &profile.token)
                .map_err(Error::secret_store)?;
        }
        let keep: Vec<String> = sessions.iter().map(|p| p.user.uuid.clone()).collect();
        self.forget_profiles(&keep)?;
        let people: Vec<String> = chosen.iter().map(|u| u.title.clone()).collect();
        self.update(|s| {
            s.watching = chosen.iter().map(|u| u.uuid.clone()).collect();
            s.watching_names = people.clone();
        })?;
        live.room = Some(Arc::new(room));
        Ok(RoomView { people })
    }

    /// After a restart or a new catalog: works the remembered room out again, with the
    /// tokens kept in the secret store (no PIN is asked for). Nothing to do for the account
    /// alone; a failure leaves the account alone, and the choice remembered.
    pub async fn restore_room(&self) -> Result<Option<RoomView>> {
        let watching = self.settings().watching;
        if watching.len() < 2 {
            return Ok(None);
        }
        self.choose_profiles(&watching, &BTreeMap::new(), None)
            .await
            .map(Some)
    }

    /// The Home's users, as last fetched (fetched the first time). Signed in by URL and
    /// token there is no plex.tv account to ask: the account alone.
    async fn home_users(&self) -> Result<Vec<HomeUser>> {
        if let Some(home) = &self.live().home {
            return Ok(home.users.clone());
        }
        let account = self.settings().account.ok_or(Error::NotSignedIn)?;
        if account.direct {
            return Ok(vec![HomeUser {
                id: None,
                uuid: "account".into(),
                title: account.name.unwrap_or_else(|| "You".into()),
                thumb: None,
                admin: true,
                guest: false,
                protected: false,
                restricted: false,
                restriction_profile: None,
            }]);
        }
        let account = self.account_token()?;
        let home = self.client()?.home(&account).await?;
        let users = home.users.clone();
        self.live().home = Some(home);
        Ok(users)
    }

    /// A profile's plex.tv session: switched with `pin` when given, else with the token
    /// kept from before, else switched without a PIN (a protected profile then needs one).
    async fn profile_session(
        &self,
        account: &Token,
        user: &HomeUser,
        pin: Option<&String>,
    ) -> Result<ProfileSession> {
        let client = self.client()?;
        if let Some(pin) = pin {
            return Ok(client.switch_profile(account, user, Some(pin)).await?);
        }
        let kept = self
            .secrets()
            .token(&SecretKey::ProfileToken(user.uuid.clone()))
            .map_err(Error::secret_store)?;
        match kept {
            Some(token) => Ok(ProfileSession {
                user: user.clone(),
                token,
            }),
            None if user.protected => Err(Error::Invalid(format!(
                "{} is protected with a PIN. Enter it to pick with {}.",
                user.title, user.title
            ))),
            None => Ok(client.switch_profile(account, user, None).await?),
        }
    }

    /// Deletes the kept tokens of the profiles that were watching, except `keep`.
    fn forget_profiles(&self, keep: &[String]) -> Result<()> {
        for id in self.settings().watching {
            if !keep.contains(&id) {
                self.secrets()
                    .delete(&SecretKey::ProfileToken(id))
                    .map_err(Error::secret_store)?;
            }
        }
        Ok(())
    }
}

/// The content limit of a managed profile, as plex.tv names its restriction profiles.
fn content_limit(user: &HomeUser) -> Option<ContentLevel> {
    match user.restriction_profile.as_deref()? {
        "little_kid" => Some(ContentLevel::General),
        "older_kid" => Some(ContentLevel::Parental),
        "teen" => Some(ContentLevel::Teens),
        _ => None,
    }
}
