//! "Who's watching?" in the core against the simulator's `family` Home (an admin; Sam,
//! protected by the PIN 1234; Kid, restricted to PG; a guest): the profiles listed, a PIN
//! asked for and checked, the room's pick new to everyone in it (checked against what the
//! server says each of them watched), profile tokens only where they belong and only in the
//! secret store, the room back after a restart without the PIN, and gone with sign-out.

mod common;

use common::{setup, Saved};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use picker::{Choices, Kind, PickContext, WatchFilter};
use plex_client::{ConnectOptions, Token};
use plex_sim::{Scenario, Sim};
use plexpicker_core::secrets::{MemorySecrets, SecretKey, Secrets};
use plexpicker_core::session::{ServerList, Session, SignInOutcome};
use plexpicker_core::settings::Settings;
use plexpicker_core::Error;

fn session(sim: &Sim, settings: Settings, secrets: Arc<MemorySecrets>, saved: &Saved) -> Session {
    Session::new(setup(sim), settings, Box::new(saved.clone()), secrets, None)
}

/// Signed in, connected to the Family Server, its libraries loaded.
async fn ready(s: &Session, cache: &std::path::Path) {
    let pending = s.start_sign_in().await.unwrap();
    let outcome = s.finish_sign_in(pending, None).await;
    assert!(
        matches!(outcome, Some(SignInOutcome::SignedIn { .. })),
        "{outcome:?}"
    );
    family_loaded(s, cache).await;
}

/// Connected to the Family Server (the session is signed in), its libraries loaded.
async fn family_loaded(s: &Session, cache: &std::path::Path) {
    let ServerList::Account(servers) = s.servers(true).await.unwrap() else {
        panic!("an account");
    };
    let family = servers.iter().find(|x| x.name == "Family Server").unwrap();
    s.connect(&family.machine_identifier, None).await.unwrap();
    let keys = s
        .libraries()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.key)
        .collect();
    s.load_libraries(keys, cache, Arc::new(|_| {}))
        .await
        .unwrap();
}

/// What the server says `profile` has seen, from its own listing as that profile: movies it
/// watched, shows it finished ("unwatched" for a show is an episode left for everyone, the
/// rule the picker's solo pick has always had).
async fn seen_by(sim: &Sim, profile: &str, pin: Option<&str>) -> HashSet<String> {
    let mut config = setup(sim).config();
    config.race.relay_delay = std::time::Duration::from_millis(300);
    let client = plex_client::PlexClient::new(config).unwrap();
    let account = Token::new(sim.account_token());
    let server = client
        .servers(&account)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Family Server")
        .unwrap();
    let admin = client
        .connect(&server, &account, &ConnectOptions::default())
        .await
        .unwrap()
        .connection;
    let home = client.home(&account).await.unwrap();
    let user = home.users.iter().find(|u| u.title == profile).unwrap();
    let session = client.switch_profile(&account, user, pin).await.unwrap();
    let access = client
        .profile_access(&session, admin.machine_identifier())
        .await
        .unwrap();
    let as_profile = admin.for_profile(&access).unwrap();
    let mut seen = HashSet::new();
    for section in as_profile.sections().await.unwrap() {
        let items = as_profile
            .section_items(&section, &Default::default())
            .await
            .unwrap();
        seen.extend(
            items
                .into_iter()
                .filter(|i| match (i.viewed_leaf_count, i.leaf_count) {
                    (Some(viewed), Some(leaves)) => leaves > 0 && viewed >= leaves,
                    _ => i.view_count > 0,
                })
                .map(|i| i.rating_key),
        );
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_of_two_picks_what_neither_has_seen_and_keeps_sam_s_token_where_it_belongs() {
    let sim = Sim::start(
        Scenario::builtin("family")
            .unwrap()
            .pin_approve_after_ms(100),
    )
    .await
    .unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let saved = Saved::default();
    let cache = tempfile::tempdir().unwrap();
    let s = session(&sim, Settings::default(), secrets.clone(), &saved);
    ready(&s, cache.path()).await;

    let profiles = s.profiles().await.unwrap();
    let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
    assert!(profiles[0].admin, "the admin first: {names:?}");
    assert!(
        names.contains(&"Sam") && names.contains(&"Kid"),
        "{names:?}"
    );
    assert!(profiles[0].watching, "the account alone watches by default");
    let id = |name: &str| profiles.iter().find(|p| p.name == name).unwrap().id.clone();
    let (admin, sam) = (profiles[0].id.clone(), id("Sam"));
    assert!(profiles.iter().find(|p| p.id == sam).unwrap().protected);

    // Sam is protected: no PIN, a wrong PIN, then the right one.
    let both = [admin.clone(), sam.clone()];
    let none = s.choose_profiles(&both, &BTreeMap::new(), None).await;
    assert!(matches!(none, Err(Error::Invalid(_))), "{none:?}");
    let wrong = BTreeMap::from([(sam.clone(), "0000".to_string())]);
    let refused = s.choose_profiles(&both, &wrong, None).await;
    assert!(
        matches!(refused, Err(Error::Plex(plex_client::Error::WrongPin))),
        "{refused:?}"
    );
    assert!(
        s.settings().watching.is_empty(),
        "a refused PIN changes nothing"
    );
    let progress = Arc::new(Mutex::new(0usize));
    let counted = progress.clone();
    let pins = BTreeMap::from([(sam.clone(), "1234".to_string())]);
    let room = s
        .choose_profiles(
            &both,
            &pins,
            Some(Arc::new(move |_| *counted.lock().unwrap() += 1)),
        )
        .await
        .expect("a room of two");
    assert_eq!(room.people.len(), 2);
    assert!(room.people.contains(&"Sam".to_string()));
    assert!(
        *progress.lock().unwrap() > 0,
        "Sam's load reported progress"
    );
    assert_eq!(s.settings().watching, both.to_vec());

    // Every suggestion is new to both, by what the server says each has seen.
    let sam_seen = seen_by(&sim, "Sam", Some("1234")).await;
    assert!(!sam_seen.is_empty());
    let catalog = s.catalog().unwrap();
    let choices = Choices {
        watch: WatchFilter::Unwatched,
        ..Choices::default()
    };
    for seed in 0..5 {
        let view = s
            .pick(
                choices.clone(),
                &PickContext::new(1_750_000_000, 20 * 60, seed),
            )
            .unwrap();
        for card in std::iter::once(&view.top).chain(&view.alternatives) {
            assert!(
                !sam_seen.contains(&card.id),
                "{} was seen by Sam",
                card.title
            );
            let title = catalog.indexed.catalog().get(&card.id).unwrap();
            let account_seen = match title.kind {
                Kind::Movie => title.view_count > 0,
                Kind::Show => {
                    !title.episodes.is_empty() && title.episodes.iter().all(|e| e.view_count > 0)
                }
            };
            assert!(
                !account_seen,
                "{} was seen by the account: {title:?} {:?}",
                card.title, card.reason
            );
        }
    }

    // Sam's tokens: plex.tv and the Family Server only; kept only in the secret store.
    let log = sim.request_log();
    let sams: Vec<_> = log
        .iter()
        .filter(|r| {
            r.token_owner
                .as_deref()
                .is_some_and(|o| o.starts_with("profile:Sam"))
        })
        .collect();
    assert!(!sams.is_empty());
    for r in &sams {
        assert!(
            r.listener == "plex.tv" || r.server.as_deref() == Some("Family Server"),
            "Sam's token reached {:?} {:?}",
            r.listener,
            r.server
        );
    }
    let kept = secrets.get(&SecretKey::ProfileToken(sam.clone())).unwrap();
    assert!(kept.is_some(), "Sam's token is in the secret store");
    for json in saved.all().iter() {
        assert!(
            !json.contains(kept.as_deref().unwrap()),
            "a profile token in the settings"
        );
        assert!(!json.contains("1234"), "the PIN in the settings");
    }

    // A restart: the room comes back from the kept token, with no PIN.
    let again = session(&sim, s.settings(), secrets.clone(), &saved);
    let (_, restored) = again.startup(cache.path());
    assert!(restored);
    sim.clear_log();
    again.reload(cache.path(), Arc::new(|_| {})).await;
    let back = again.restore_room().await.unwrap().expect("the room");
    assert_eq!(back.people, room.people);
    assert!(
        !sim.request_log()
            .iter()
            .any(|r| r.path.ends_with("/switch")),
        "no switch (so no PIN) was needed"
    );

    // A restart whose cache is gone: loading the libraries brings the room back too.
    let cold = tempfile::tempdir().unwrap();
    let third = session(&sim, again.settings(), secrets.clone(), &saved);
    let (_, restored) = third.startup(cold.path());
    assert!(!restored, "no cache there");
    family_loaded(&third, cold.path()).await;
    let view = third
        .pick(
            choices.clone(),
            &PickContext::new(1_750_000_000, 20 * 60, 9),
        )
        .unwrap();
    assert!(
        view.sentence.contains("new to all of you"),
        "{}",
        view.sentence
    );

    // Sam leaves the room: the token goes, and coming back needs the PIN again.
    again
        .choose_profiles(std::slice::from_ref(&admin), &BTreeMap::new(), None)
        .await
        .unwrap();
    assert_eq!(
        secrets.get(&SecretKey::ProfileToken(sam.clone())).unwrap(),
        None
    );
    let without_pin = again.choose_profiles(&both, &BTreeMap::new(), None).await;
    assert!(
        matches!(without_pin, Err(Error::Invalid(_))),
        "{without_pin:?}"
    );

    // Sign-out forgets the profiles' tokens too.
    again.choose_profiles(&both, &pins, None).await.unwrap();
    again.sign_out(cache.path()).unwrap();
    assert_eq!(secrets.get(&SecretKey::ProfileToken(sam)).unwrap(), None);
    assert!(again.settings().watching.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restricted_member_keeps_the_room_within_their_limit() {
    let sim = Sim::start(
        Scenario::builtin("family")
            .unwrap()
            .pin_approve_after_ms(100),
    )
    .await
    .unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let saved = Saved::default();
    let cache = tempfile::tempdir().unwrap();
    let s = session(&sim, Settings::default(), secrets, &saved);
    ready(&s, cache.path()).await;
    let profiles = s.profiles().await.unwrap();
    let kid = profiles.iter().find(|p| p.name == "Kid").unwrap();
    assert!(kid.restricted);
    let ids = [profiles[0].id.clone(), kid.id.clone()];
    s.choose_profiles(&ids, &BTreeMap::new(), None)
        .await
        .unwrap();
    let catalog = s.catalog().unwrap();
    for seed in 0..5 {
        let view = s
            .pick(
                Choices::default(),
                &PickContext::new(1_750_000_000, 20 * 60, seed),
            )
            .unwrap();
        for card in std::iter::once(&view.top).chain(&view.alternatives) {
            let title = catalog.indexed.catalog().get(&card.id).unwrap();
            let rating = title.content_rating.as_deref().unwrap_or("");
            assert!(
                ["G", "PG", "TV-Y", "TV-Y7", "TV-G", "TV-PG"].contains(&rating),
                "{} ({rating}) is above Kid's limit",
                card.title
            );
        }
    }
}
