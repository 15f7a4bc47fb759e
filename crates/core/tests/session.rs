//! The core's [`Session`] against the simulator, with no Tauri in it: signing in by PIN and
//! by URL and token, connecting, trusting nothing the user was not shown, signing out, and a
//! cancelled connect that finishes late. The app's command tests drive the same use cases
//! through the window's commands; these prove the core alone does it.

mod common;

use common::{last_event, setup, Saved};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use picker::{Choices, Event, PickContext};
use plex_client::RaceEvent;
use plex_sim::{Fault, Scenario, Sim};
use plexpicker_core::client::ClientSetup;
use plexpicker_core::secrets::{MemorySecrets, SecretKey, Secrets};
use plexpicker_core::session::{OnRaceEvent, ServerList, Session, SignInOutcome};
use plexpicker_core::settings::{SavedServer, Settings, SettingsFile};
use plexpicker_core::Error;
use plexpicker_ipc::{LoadProgress, TitleRef};

struct Harness {
    sim: Sim,
    session: Arc<Session>,
    secrets: Arc<MemorySecrets>,
    saved: Saved,
}

async fn start(scenario: Scenario) -> Harness {
    let sim = Sim::start(scenario).await.expect("the simulator starts");
    let secrets = Arc::new(MemorySecrets::default());
    let saved = Saved::default();
    let session = Arc::new(Session::new(
        setup(&sim),
        Settings::default(),
        Box::new(saved.clone()),
        secrets.clone(),
        None,
    ));
    Harness {
        sim,
        session,
        secrets,
        saved,
    }
}

async fn signed_in(h: &Harness) {
    let pending = h.session.start_sign_in().await.expect("a PIN");
    let outcome = h.session.finish_sign_in(pending, None).await;
    assert!(
        matches!(outcome, Some(SignInOutcome::SignedIn { .. })),
        "{outcome:?}"
    );
}

/// The `friends` scenario, signed in, with the account's servers from plex.tv.
async fn friends_signed_in() -> (Harness, Vec<plex_client::Server>) {
    let h = start(
        Scenario::builtin("friends")
            .unwrap()
            .pin_approve_after_ms(100),
    )
    .await;
    signed_in(&h).await;
    match h.session.servers(true).await.unwrap() {
        ServerList::Account(servers) => (h, servers),
        ServerList::Direct(_) => panic!("an account's list"),
    }
}

fn every_token(sim: &Sim) -> Vec<String> {
    let mut tokens = vec![sim.account_token().to_string()];
    tokens.extend(sim.servers().into_iter().map(|s| s.access_token));
    tokens
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_sign_in_keeps_the_token_in_the_secret_store_and_never_in_the_settings() {
    let h = start(Scenario::builtin("home").unwrap().pin_approve_after_ms(200)).await;
    let pending = h.session.start_sign_in().await.expect("a PIN");
    assert_eq!(
        h.session.sign_in_page().as_deref(),
        Some(pending.auth_url.as_str())
    );
    let outcome = h.session.finish_sign_in(pending, None).await;
    assert!(
        matches!(&outcome, Some(SignInOutcome::SignedIn { account: Some(_) })),
        "{outcome:?}"
    );
    assert_eq!(
        h.session.sign_in_page(),
        None,
        "the finished sign-in is cleared"
    );
    let stored = h.secrets.get(&SecretKey::AccountToken).unwrap();
    assert_eq!(stored.as_deref(), Some(h.sim.account_token()));
    assert!(h.session.settings().account.is_some());
    let saved = h.saved.all();
    assert!(!saved.is_empty(), "the account was saved");
    for json in saved {
        for token in every_token(&h.sim) {
            assert!(!json.contains(&token), "a token in the settings: {json}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sign_in_saves_nothing() {
    let h = start(
        Scenario::builtin("home")
            .unwrap()
            .pin_approve_after_ms(1500),
    )
    .await;
    let pending = h.session.start_sign_in().await.expect("a PIN");
    let session = h.session.clone();
    let waiting = tokio::spawn(async move { session.finish_sign_in(pending, None).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    h.session.cancel_sign_in();
    let outcome = waiting.await.unwrap();
    assert!(
        matches!(outcome, Some(SignInOutcome::Cancelled)),
        "{outcome:?}"
    );
    assert!(h.session.settings().account.is_none());
    assert_eq!(h.secrets.get(&SecretKey::AccountToken).unwrap(), None);
    assert!(matches!(
        h.session.servers(false).await,
        Err(Error::NotSignedIn)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_remembers_the_route_and_the_server_s_access_token_and_sign_out_forgets_them() {
    let (h, servers) = friends_signed_in().await;
    let shared = servers
        .iter()
        .find(|s| !s.owned && s.access_token.is_some())
        .expect("a shared server with its own token");
    let events = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = events.clone();
    let on_event: OnRaceEvent = Arc::new(move |event: &RaceEvent, server: &SavedServer| {
        seen.lock()
            .unwrap()
            .push(format!("{}:{event:?}", server.id));
    });
    let connected = h
        .session
        .connect(&shared.machine_identifier, Some(on_event))
        .await
        .expect("connected");
    assert_eq!(connected.server.id, shared.machine_identifier);
    assert!(connected.winner.is_some());
    assert!(
        !events.lock().unwrap().is_empty(),
        "the race reported progress"
    );
    assert!(h.session.connection().is_ok());
    let settings = h.session.settings();
    assert_eq!(
        settings.server.as_ref().map(|s| s.id.as_str()),
        Some(shared.machine_identifier.as_str())
    );
    assert!(settings
        .last_connections
        .contains_key(&shared.machine_identifier));
    let key = SecretKey::ServerAccessToken(shared.machine_identifier.clone());
    assert!(h.secrets.get(&key).unwrap().is_some());
    // Nothing the user was shown, nothing to trust.
    let trusted = h.session.trust_certificate(&shared.machine_identifier, "0");
    assert!(matches!(trusted, Err(Error::Invalid(_))), "{trusted:?}");

    let cache = tempfile::tempdir().unwrap();
    std::fs::write(cache.path().join("catalog-x.bin"), b"cached").unwrap();
    h.session.sign_out(cache.path()).unwrap();
    assert_eq!(h.secrets.get(&SecretKey::AccountToken).unwrap(), None);
    assert_eq!(h.secrets.get(&key).unwrap(), None);
    let settings = h.session.settings();
    assert!(settings.account.is_none() && settings.server.is_none());
    assert!(matches!(h.session.connection(), Err(Error::NotConnected)));
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        0,
        "the cache is gone"
    );
}

/// A connect that a newer one cancels, and that only finishes after the newer one has
/// connected (held inside its own progress report), must not clear the newer connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancelled_connect_finishing_late_keeps_its_successor_s_connection() {
    let (h, servers) = friends_signed_in().await;
    let id_of = |name: &str| {
        servers
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name}"))
            .machine_identifier
            .clone()
    };
    let (first, second) = (id_of("Alice's Server"), id_of("Home Server"));
    for c in h.sim.server("Alice's Server").unwrap().connections {
        h.sim.set_fault(&c.id, Fault::Hang);
    }
    // (held, released)
    let gate = Arc::new((Mutex::new((false, false)), Condvar::new()));
    let held = gate.clone();
    let first_id = first.clone();
    let on_event: OnRaceEvent = Arc::new(move |_: &RaceEvent, server: &SavedServer| {
        if server.id != first_id {
            return;
        }
        let (lock, turn) = &*held;
        let mut state = lock.lock().unwrap();
        if state.0 {
            return;
        }
        state.0 = true;
        turn.notify_all();
        let _ = turn
            .wait_timeout_while(state, Duration::from_secs(30), |s| !s.1)
            .unwrap();
    });
    let session = h.session.clone();
    let late = tokio::spawn(async move { session.connect(&first, Some(on_event)).await });
    let waiter = gate.clone();
    tokio::task::spawn_blocking(move || {
        let (lock, turn) = &*waiter;
        let state = lock.lock().unwrap();
        let (_state, timeout) = turn
            .wait_timeout_while(state, Duration::from_secs(15), |s| !s.0)
            .unwrap();
        assert!(!timeout.timed_out(), "the first race never started");
    })
    .await
    .unwrap();
    let newer = h
        .session
        .connect(&second, None)
        .await
        .expect("the newer connect");
    assert_eq!(newer.server.id, second);
    {
        let (lock, turn) = &*gate;
        lock.lock().unwrap().1 = true;
        turn.notify_all();
    }
    let answer = late.await.unwrap();
    assert!(answer.is_err(), "the cancelled connect answered");
    let kept = h
        .session
        .connection()
        .expect("the newer connection is kept");
    assert_eq!(kept.machine_identifier(), second);
    assert_eq!(
        h.session.settings().server.map(|s| s.id),
        Some(second),
        "the newer server stays chosen"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_reached_by_url_and_token_is_checked_before_the_token_is_kept() {
    let h = start(Scenario::builtin("home").unwrap()).await;
    let bad = h.session.sign_in_with_token("192.168.1.5:32400", "x").await;
    assert!(matches!(bad, Err(Error::Invalid(_))), "{bad:?}");
    let server = h.sim.server("Home Server").unwrap();
    let http = server
        .connections
        .iter()
        .find(|c| c.uri.starts_with("http://"))
        .expect("an http route");
    let empty = h.session.sign_in_with_token(&http.uri, "  ").await;
    assert!(matches!(empty, Err(Error::Invalid(_))), "{empty:?}");
    let wrong = h.session.sign_in_with_token(&http.uri, "not-a-token").await;
    assert!(wrong.is_err(), "a wrong token was accepted");
    assert_eq!(h.secrets.get(&SecretKey::AccountToken).unwrap(), None);

    let saved = h
        .session
        .sign_in_with_token(&format!("{}/", http.uri), h.sim.account_token())
        .await
        .expect("signed in by URL and token");
    assert_eq!(
        saved.connections[0].uri, http.uri,
        "the address is kept without its slash"
    );
    assert!(h.session.settings().account.is_some_and(|a| a.direct));
    assert!(h.session.connection().is_ok());
    let ServerList::Direct(listed) = h.session.servers(true).await.unwrap() else {
        panic!("a direct sign-in lists its one server, without plex.tv");
    };
    assert_eq!(listed, vec![saved]);
    // Who's watching: the account alone, without asking plex.tv either.
    let profiles = h.session.profiles().await.expect("the account alone");
    assert_eq!(profiles.len(), 1);
    assert!(profiles[0].admin && profiles[0].watching);
    let room = h
        .session
        .choose_profiles(&[profiles[0].id.clone()], &Default::default(), None)
        .await
        .expect("the account alone watches");
    assert_eq!(room.people.len(), 1);
    assert!(
        !h.sim.request_log().iter().any(|r| r.listener == "plex.tv"),
        "plex.tv was asked"
    );
}

/// Loading the chosen libraries reports progress that only goes forward and ends at the
/// total, caches the catalog, and a new session over the same settings starts from that
/// cache; a pick from it is remembered, and "watch" records what was really chosen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libraries_load_with_progress_and_a_restart_picks_from_the_cache() {
    let (h, servers) = friends_signed_in().await;
    let home = servers.iter().find(|s| s.name == "Home Server").unwrap();
    assert!(matches!(
        h.session.libraries().await,
        Err(Error::NotConnected)
    ));
    h.session
        .connect(&home.machine_identifier, None)
        .await
        .expect("connected");
    let libraries = h.session.libraries().await.unwrap();
    assert!(
        libraries.iter().all(|l| l.chosen),
        "all chosen until the user chooses"
    );
    let keys: Vec<String> = libraries.iter().map(|l| l.key.clone()).collect();
    let empty = h
        .session
        .load_libraries(Vec::new(), Path::new("/nonexistent"), Arc::new(|_| {}))
        .await;
    assert!(matches!(empty, Err(Error::Invalid(_))), "{empty:?}");

    let cache = tempfile::tempdir().unwrap();
    let progress = Arc::new(Mutex::new(Vec::<LoadProgress>::new()));
    let seen = progress.clone();
    let summary = h
        .session
        .load_libraries(
            keys.clone(),
            cache.path(),
            Arc::new(move |p| seen.lock().unwrap().push(p)),
        )
        .await
        .expect("loaded");
    let expected: u64 = libraries.iter().filter_map(|l| l.count).sum();
    assert_eq!(summary.movies + summary.shows, expected);
    assert!(!summary.from_cache);
    let progress = progress.lock().unwrap().clone();
    assert!(!progress.is_empty());
    assert!(
        progress.windows(2).all(|w| w[0].loaded <= w[1].loaded),
        "progress went back: {progress:?}"
    );
    assert!(progress.iter().all(|p| p.loaded <= p.total), "{progress:?}");
    assert_eq!(h.session.settings().libraries, Some(keys));

    // A restart: the same settings and secrets, a new session, the cache in place at once.
    let again = Session::new(
        setup(&h.sim),
        h.session.settings(),
        Box::new(h.saved.clone()),
        h.secrets.clone(),
        Some("said once".into()),
    );
    // The app restores as its process starts, before the window asks: decoded once, and the
    // window's first `startup` still hears that it came from the cache (once).
    assert!(again.restore(cache.path()), "restored ahead of the window");
    assert!(!again.restore(cache.path()), "decoded once");
    let (startup, restored) = again.startup(cache.path());
    assert!(restored, "the cached catalog was not restored");
    assert!(startup.signed_in);
    assert_eq!(startup.notice.as_deref(), Some("said once"));
    let (later, restored_again) = again.startup(cache.path());
    assert_eq!(later.notice, None, "the notice is said once");
    assert!(!restored_again, "the restore is reported once");
    let cached = startup.catalog.expect("the cached catalog");
    assert!(cached.from_cache);
    assert_eq!(cached.movies + cached.shows, expected);

    let ctx = PickContext::new(1_750_000_000, 20 * 60, 7);
    let view = again.pick(Choices::default(), &ctx).expect("a pick");
    let top = view.top.id.clone();
    assert!(again
        .settings()
        .history
        .entries
        .iter()
        .any(|e| e.title_id == top));
    let alternative = view.alternatives.first().expect("an alternative").clone();
    let url = again
        .watch(
            &TitleRef {
                title_id: alternative.id.clone(),
                episode_id: alternative.episode_id.clone(),
            },
            ctx.now + 60,
        )
        .expect("a Plex Web address");
    assert!(url.contains(&home.machine_identifier), "{url}");
    let history = again.settings().history;
    let event_of = |id: &str| last_event(&history, id);
    assert_eq!(
        event_of(&top),
        Some(Event::Skipped),
        "the passed-over top pick"
    );
    assert_eq!(
        event_of(&alternative.id),
        Some(Event::Picked),
        "the one watched"
    );
    let gone = again.watch(
        &TitleRef {
            title_id: "no-such-title".into(),
            episode_id: None,
        },
        ctx.now,
    );
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
}

/// Two sessions over one settings file (two CLI commands at once): each change re-reads the
/// file under its lock, so neither undoes the other.
#[test]
fn sessions_sharing_the_settings_file_keep_each_other_s_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli-settings.json");
    let open = || {
        let file = SettingsFile::new(path.clone());
        Session::new(
            ClientSetup::new("id", "1.0", "CLI", "Test"),
            Settings::default(),
            Box::new(file),
            Arc::new(MemorySecrets::default()),
            None,
        )
    };
    let (one, two) = (open(), open());
    one.update(|s| s.demo = true).unwrap();
    two.update(|s| s.libraries = Some(vec!["1".into()]))
        .unwrap();
    let read = SettingsFile::new(path.clone());
    let on_disk = read.update(|_| {}).unwrap();
    assert!(on_disk.demo, "the first session's change was undone");
    assert_eq!(on_disk.libraries, Some(vec!["1".to_string()]));
    assert!(
        two.settings().demo,
        "the second session sees the first's change"
    );
    let answer = one.update(|s| s.libraries.clone()).unwrap();
    assert_eq!(
        answer,
        Some(vec!["1".to_string()]),
        "changes start from the file"
    );
}
