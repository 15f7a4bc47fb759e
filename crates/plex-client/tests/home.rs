//! Plex Home against the simulator's `family` scenario: profiles, no Home, switching with
//! a PIN, resources per profile, each profile's watched titles and a restricted profile's
//! visible ones, loaded in parallel; and the request log's proof that each profile's token
//! reached only plex.tv and its own server.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::*;
use plex_client::{
    load_profiles, Error, ErrorKind, HomeUser, ProfileProgress, ProfileSession, ProfileTarget,
    ProfilesLoadOptions, Section, SectionKind, ServerConnection, Token,
};
use plex_sim::{LoggedRequest, Sim};

fn user<'a>(users: &'a [HomeUser], title: &str) -> &'a HomeUser {
    users
        .iter()
        .find(|u| u.title == title)
        .unwrap_or_else(|| panic!("no profile {title}"))
}

async fn session(
    c: &plex_client::PlexClient,
    sim: &Sim,
    title: &str,
    pin: Option<&str>,
) -> ProfileSession {
    let home = c.home(&account(sim)).await.expect("home");
    c.switch_profile(&account(sim), user(&home.users, title), pin)
        .await
        .expect("switch")
}

/// The Family Server's connection as `title`.
async fn as_profile(
    c: &plex_client::PlexClient,
    sim: &Sim,
    admin: &ServerConnection,
    title: &str,
    pin: Option<&str>,
) -> ServerConnection {
    let s = session(c, sim, title, pin).await;
    let access = c
        .profile_access(&s, admin.machine_identifier())
        .await
        .expect("access");
    admin.for_profile(&access).expect("for profile")
}

fn switch_requests(log: &[LoggedRequest]) -> Vec<&LoggedRequest> {
    log.iter().filter(|r| r.path.ends_with("/switch")).collect()
}

#[tokio::test]
async fn lists_the_homes_profiles_admin_first() {
    let sim = start("family").await;
    let c = client(&sim);
    let home = c.home(&account(&sim)).await.unwrap();
    assert!(home.has_home);
    assert_eq!(home.name.as_deref(), Some("The Sim Family"));
    let titles: Vec<&str> = home.users.iter().map(|u| u.title.as_str()).collect();
    assert_eq!(titles, ["simuser", "Sam", "Kid", "Guest"]);
    assert!(home.users[0].admin && !home.users[0].protected);
    let sam = user(&home.users, "Sam");
    assert!(sam.protected && !sam.restricted && !sam.admin);
    assert_eq!(sam.uuid, sim.profile("Sam").unwrap().uuid);
    let kid = user(&home.users, "Kid");
    assert!(kid.restricted && !kid.protected);
    assert_eq!(kid.restriction_profile.as_deref(), Some("older_kid"));
    assert!(user(&home.users, "Guest").guest);
    let log = sim.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].path, "/api/v2/home/users");
    assert_eq!(log[0].token_owner.as_deref(), Some("account"));
    assert_no_token_in_urls(&sim, &log);
}

#[tokio::test]
async fn an_account_without_a_home_is_one_profile_not_an_error() {
    let sim = start("home").await;
    let c = client(&sim);
    let home = c.home(&account(&sim)).await.unwrap();
    assert!(!home.has_home);
    assert_eq!(home.users.len(), 1);
    assert!(home.users[0].admin);
    assert_eq!(home.users[0].title, "simuser");
    assert!(!home.users[0].uuid.is_empty());
    let paths: Vec<String> = sim.request_log().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/v2/home/users", "/api/v2/user"]);
    // A bad account token is still "sign in again", not "no Home".
    let e = c.home(&Token::new("not-a-token")).await.unwrap_err();
    assert!(e.is_sign_in_again(), "{e:?}");
}

#[tokio::test]
async fn switching_to_a_protected_profile_needs_its_pin() {
    let sim = start("family").await;
    let c = client(&sim);
    let home = c.home(&account(&sim)).await.unwrap();
    let sam = user(&home.users, "Sam");
    let wrong = c
        .switch_profile(&account(&sim), sam, Some("9999"))
        .await
        .unwrap_err();
    assert!(matches!(wrong, Error::WrongPin), "{wrong:?}");
    assert_eq!(wrong.kind(), ErrorKind::WrongPin);
    assert!(wrong.to_string().contains("try again"));
    let missing = c
        .switch_profile(&account(&sim), sam, None)
        .await
        .unwrap_err();
    assert!(matches!(missing, Error::WrongPin), "{missing:?}");
    // Not 4 digits: refused here, never sent.
    sim.clear_log();
    for bad in ["12a4", "123", "12345", "1 34"] {
        let e = c
            .switch_profile(&account(&sim), sam, Some(bad))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::WrongPin), "{bad}: {e:?}");
    }
    assert!(switch_requests(&sim.request_log()).is_empty());

    let s = c
        .switch_profile(&account(&sim), sam, Some("1234"))
        .await
        .unwrap();
    assert_eq!(s.token, Token::new(sim.profile("Sam").unwrap().token));
    assert_eq!(s.user.uuid, sam.uuid);
    assert!(!format!("{s:?}").contains(&sim.profile("Sam").unwrap().token));
    // The PIN went in the form body, not in the URL; the account token in the header.
    let log = sim.request_log();
    let sw = switch_requests(&log);
    assert_eq!(sw.len(), 1);
    assert_eq!(sw[0].method, "POST");
    assert_eq!(sw[0].query, None);
    assert!(!sw[0].path.contains("1234"));
    assert_eq!(sw[0].token_owner.as_deref(), Some("account"));

    // Unprotected profiles need no PIN.
    let kid = c
        .switch_profile(&account(&sim), user(&home.users, "Kid"), None)
        .await
        .unwrap();
    assert_eq!(kid.token, Token::new(sim.profile("Kid").unwrap().token));
    assert!(kid.user.restricted);
    // The admin is a profile too: switching to it gives the account's own token.
    let admin = c
        .switch_profile(&account(&sim), &home.users[0], None)
        .await
        .unwrap();
    assert!(admin.user.admin);
    assert_eq!(admin.token, account(&sim));
    // A bad account token is "sign in again", not a wrong PIN.
    let e = c
        .switch_profile(&Token::new("nope"), sam, Some("1234"))
        .await
        .unwrap_err();
    assert!(e.is_sign_in_again(), "{e:?}");
}

#[tokio::test]
async fn each_profile_gets_its_own_access_token_for_its_own_server_only() {
    let sim = start("family").await;
    let c = client(&sim);
    let family = server(&c, &sim, "Family Server").await;
    let friend = server(&c, &sim, "Friend Server").await;
    for (title, pin) in [("Sam", Some("1234")), ("Kid", None), ("Guest", None)] {
        let s = session(&c, &sim, title, pin).await;
        let access = c
            .profile_access(&s, &family.machine_identifier)
            .await
            .unwrap();
        let expected = sim.profile(title).unwrap();
        assert_eq!(
            access.token,
            Token::new(expected.server_token("Family Server").unwrap())
        );
        assert!(!format!("{access:?}").contains(expected.server_token("Family Server").unwrap()));
        let e = c
            .profile_access(&s, &friend.machine_identifier)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::ProfileNotOnServer), "{e:?}");
    }
}

fn section(key: &str, kind: SectionKind) -> Section {
    Section {
        key: key.into(),
        kind,
        title: String::new(),
        uuid: None,
        updated_at: None,
    }
}

#[tokio::test]
async fn watched_ids_are_each_profiles_own() {
    let sim = start("family").await;
    let c = client(&sim);
    let admin = connect(&c, &sim, "Family Server").await.connection;
    let sections = admin.sections().await.unwrap();
    let movies = sections
        .iter()
        .find(|s| s.kind == SectionKind::Movie)
        .unwrap();
    let shows = sections
        .iter()
        .find(|s| s.kind == SectionKind::Show)
        .unwrap();
    let sam = as_profile(&c, &sim, &admin, "Sam", Some("1234")).await;

    let opts = plex_client::LoadOptions {
        page_size: Some(40),
        ..Default::default()
    };
    let state = sam
        .profile_section_state(movies, false, &opts)
        .await
        .unwrap();
    assert!(state.visible.is_none());
    // What the filter returned is exactly what Sam's full listing shows as watched.
    let full = sam.section_items(movies, &opts).await.unwrap();
    let expected: HashSet<&str> = full
        .iter()
        .filter(|i| i.view_count >= 1)
        .map(|i| i.rating_key.as_str())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(state.watched_ids(), expected);
    assert_eq!(state.finished_ids(), expected);
    assert!(
        state.watched.len() < full.len() / 2,
        "only what differs is loaded"
    );
    // And it is not the account's.
    let admin_full = admin.section_items(movies, &opts).await.unwrap();
    let admin_watched: HashSet<&str> = admin_full
        .iter()
        .filter(|i| i.view_count >= 1)
        .map(|i| i.rating_key.as_str())
        .collect();
    assert_ne!(admin_watched, expected);

    // Shows: started or finished ones, with Sam's own counts.
    let shows_state = sam
        .profile_section_state(shows, false, &opts)
        .await
        .unwrap();
    let full_shows = sam.section_items(shows, &opts).await.unwrap();
    let started: HashSet<&str> = full_shows
        .iter()
        .filter(|i| i.viewed_leaf_count.unwrap_or(0) >= 1)
        .map(|i| i.rating_key.as_str())
        .collect();
    assert_eq!(shows_state.watched_ids(), started);
    let finished: HashSet<&str> = full_shows
        .iter()
        .filter(|i| i.viewed_leaf_count.is_some() && i.viewed_leaf_count == i.leaf_count)
        .map(|i| i.rating_key.as_str())
        .collect();
    assert_eq!(shows_state.finished_ids(), finished);

    // The filters went as PMS operators in the query, paged, with Sam's token.
    let log = sim.request_log();
    let filtered: Vec<&LoggedRequest> = log
        .iter()
        .filter(|r| r.query_param("viewCount>>").as_deref() == Some("1"))
        .collect();
    assert!(filtered.len() >= 2, "paged: {}", filtered.len());
    for r in filtered {
        assert_eq!(r.token_owner.as_deref(), Some("profile:Sam@Family Server"));
        assert!(r.query_param("X-Plex-Container-Size").is_some());
    }
    assert!(log
        .iter()
        .any(|r| r.query_param("viewedLeafCount>>").as_deref() == Some("1")));
}

#[tokio::test]
async fn a_restricted_profile_sees_only_what_the_server_shows_it() {
    let sim = start("family").await;
    let c = client(&sim);
    let admin = connect(&c, &sim, "Family Server").await.connection;
    let movies = section("1", SectionKind::Movie);
    let kid = as_profile(&c, &sim, &admin, "Kid", None).await;
    let state = kid
        .profile_section_state(&movies, true, &Default::default())
        .await
        .unwrap();
    let visible = state.visible.clone().expect("restricted: visible ids");
    let all = admin
        .section_items(&movies, &Default::default())
        .await
        .unwrap();
    let allowed = ["G", "PG"];
    let expected: HashSet<String> = all
        .iter()
        .filter(|i| allowed.contains(&i.content_rating.as_deref().unwrap_or("")))
        .map(|i| i.rating_key.clone())
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    assert_eq!(visible, expected);
    let hidden = all
        .iter()
        .find(|i| !expected.contains(&i.rating_key))
        .unwrap();
    assert!(!state.may_see(&hidden.rating_key));
    for w in &state.watched {
        assert!(
            state.may_see(&w.rating_key),
            "watched titles are visible ones"
        );
    }
}

#[tokio::test]
async fn profiles_load_in_parallel_with_progress_each_and_their_tokens_stay_home() {
    let sim = start("family").await;
    let c = client(&sim);
    let admin = connect(&c, &sim, "Family Server").await.connection;
    let friend = connect(&c, &sim, "Friend Server").await.connection;
    let sections = admin.sections().await.unwrap();
    let mut targets = Vec::new();
    for (title, pin, restricted) in [
        ("Sam", Some("1234"), false),
        ("Kid", None, true),
        ("Guest", None, false),
    ] {
        let conn = as_profile(&c, &sim, &admin, title, pin).await;
        targets.push(ProfileTarget {
            profile: title.to_string(),
            connection: conn,
            restricted,
        });
    }
    // A profile's access token is never put on another server's route.
    let s = session(&c, &sim, "Sam", Some("1234")).await;
    let access = c
        .profile_access(&s, admin.machine_identifier())
        .await
        .unwrap();
    assert!(matches!(
        friend.for_profile(&access),
        Err(Error::ProfileNotOnServer)
    ));

    let progress = Events::<ProfileProgress>::default();
    let p2 = progress.clone();
    let opts = ProfilesLoadOptions {
        on_progress: Some(Arc::new(move |p| p2.push(p))),
        ..Default::default()
    };
    let loaded = load_profiles(&targets, &sections, &opts).await;
    assert_eq!(loaded.len(), 3);
    let mut per_profile = Vec::new();
    for (l, t) in loaded.iter().zip(&targets) {
        assert_eq!(l.profile, t.profile);
        let states = l.sections.as_ref().expect("loaded");
        assert_eq!(states.len(), sections.len());
        assert_eq!(states[0].visible.is_some(), t.restricted);
        per_profile.push(
            states[0]
                .watched_ids()
                .into_iter()
                .map(String::from)
                .collect::<HashSet<_>>(),
        );
    }
    assert_ne!(per_profile[0], per_profile[2], "Sam and Guest differ");
    let events = progress.all();
    for title in ["Sam", "Kid", "Guest"] {
        let mine: Vec<&ProfileProgress> = events.iter().filter(|p| p.profile == title).collect();
        assert!(!mine.is_empty(), "progress for {title}");
        assert!(mine.iter().all(|p| p.sections_total == sections.len()));
        assert!(mine.iter().any(|p| p.sections_done == sections.len() - 1));
    }

    // Cancelled: every profile stops with Cancelled.
    let cancelled = ProfilesLoadOptions::default();
    cancelled.cancel.cancel();
    for l in load_profiles(&targets, &sections, &cancelled).await {
        assert!(matches!(l.sections, Err(Error::Cancelled)));
    }

    // The log: each profile's plex.tv token reached only plex.tv, its access token only the
    // Family Server, and no profile token ever reached the Friend Server.
    let log = sim.request_log();
    let family = sim.server("Family Server").unwrap();
    let mut profile_requests = 0;
    for r in &log {
        let Some(owner) = r.token_owner.as_deref() else {
            continue;
        };
        if let Some(who) = owner.strip_prefix("profile:") {
            profile_requests += 1;
            match who.split_once('@') {
                None => assert_eq!(r.listener, "plex.tv", "{owner} on {:?}", r.server),
                Some((_, server)) => {
                    assert_eq!(server, "Family Server");
                    assert_eq!(r.listener, "pms");
                    assert_eq!(r.server.as_deref(), Some("Family Server"), "{owner}");
                }
            }
        }
        if r.server.as_deref() == Some("Friend Server") {
            assert!(
                !owner.starts_with("profile:"),
                "{owner} reached the friend's server"
            );
        }
        assert_ne!(owner, "unknown");
    }
    assert!(profile_requests > 10);
    let mut profile_tokens: Vec<String> = Vec::new();
    for p in sim.profiles() {
        profile_tokens.push(p.token.clone());
        profile_tokens.extend(p.server_tokens.iter().map(|(_, t)| t.clone()));
    }
    for r in &log {
        let url = format!("{}?{}", r.path, r.query.clone().unwrap_or_default());
        for t in &profile_tokens {
            assert!(!url.contains(t.as_str()), "a profile token in a url");
        }
        if r.listener == "pms" && r.server.as_deref() != Some(family.name.as_str()) {
            let sent = r.header("x-plex-token").unwrap_or_default();
            assert!(!profile_tokens.iter().any(|t| t == sent));
        }
    }
    assert_no_token_in_urls(&sim, &log);
}

#[tokio::test]
async fn a_misbehaving_plex_tv_home_is_a_clear_error_and_no_token_goes_astray() {
    use plex_sim::HomeFault;
    let sim = start("family").await;
    let c = client(&sim);
    let home = c.home(&account(&sim)).await.unwrap();
    let sam = user(&home.users, "Sam").clone();
    let kid = user(&home.users, "Kid").clone();

    // 403 for a wrong PIN is a wrong PIN too.
    sim.set_home_fault(HomeFault::WrongPinForbidden);
    let e = c
        .switch_profile(&account(&sim), &sam, Some("0000"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::WrongPin), "{e:?}");

    // plex.tv switching to someone else: that token is not taken as Kid's, nor used.
    sim.set_home_fault(HomeFault::SwitchAnswersOtherProfile);
    sim.clear_log();
    let e = c
        .switch_profile(&account(&sim), &kid, None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e:?}");
    let log = sim.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].token_owner.as_deref(), Some("account"));

    // A cut-off or absurd list of profiles.
    sim.set_home_fault(HomeFault::TruncatedUsers);
    let e = c.home(&account(&sim)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e:?}");
    sim.set_home_fault(HomeFault::HugeUsers);
    let huge = c.home(&account(&sim)).await.unwrap();
    assert!(huge.users.len() <= 100, "{}", huge.users.len());

    // Resources without the profile's access token: no access, and the profile's plex.tv
    // token is never tried on the server instead.
    sim.set_home_fault(HomeFault::None);
    let s = c
        .switch_profile(&account(&sim), &sam, Some("1234"))
        .await
        .unwrap();
    sim.set_home_fault(HomeFault::ResourcesWithoutTokens);
    sim.clear_log();
    let family = sim.server("Family Server").unwrap();
    let e = c
        .profile_access(&s, &family.machine_identifier)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::ProfileNotOnServer), "{e:?}");
    for r in sim.request_log() {
        assert_eq!(r.listener, "plex.tv", "nothing reached a server");
    }
}
