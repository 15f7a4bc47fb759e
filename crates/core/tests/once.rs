//! The one-shot use cases the CLI's commands are thin adapters of, against the simulator and
//! with no CLI in them: finding and connecting to a named server (with its notes), the
//! libraries with counts, a pick in one go (loaded, cached, reused only when it fits, the
//! selection checked), and recording "not this one" and what was watched by the cached
//! catalog's names. Each asserts on what the simulator received.

mod common;

use common::{last_event, setup, Saved};
use std::sync::{Arc, Mutex};

use picker::{Choices, Event, Format, Mood, RejectReason};
use plex_sim::{Scenario, Sim};
use plexpicker_core::connect::Choose;
use plexpicker_core::pick_cache;
use plexpicker_core::plex::CancellationToken;
use plexpicker_core::report::{Notice, OnNotice};
use plexpicker_core::secrets::MemorySecrets;
use plexpicker_core::session::{PickOnce, Reach, Session, SignInOutcome};
use plexpicker_core::settings::{SavedServer, Settings};
use plexpicker_core::Error;

struct Harness {
    sim: Sim,
    session: Session,
    dir: tempfile::TempDir,
    said: Arc<Mutex<Vec<Notice>>>,
}

impl Harness {
    fn notices(&self) -> OnNotice {
        let said = self.said.clone();
        Arc::new(move |n| said.lock().unwrap().push(n))
    }

    fn said(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.said.lock().unwrap())
    }

    fn plan(&self) -> PickOnce {
        PickOnce {
            server: None,
            libraries: Vec::new(),
            refresh: false,
            cache_file: pick_cache::path_in(self.dir.path()),
            people: None,
            choices: Choices::default(),
            seed: 7,
            utc_offset_minutes: 0,
            ai: false,
            stop: CancellationToken::new(),
            on_notice: self.notices(),
        }
    }

    /// Requests the simulated servers (not plex.tv) received since the last call.
    fn server_requests(&self) -> Vec<String> {
        let paths = self
            .sim
            .request_log()
            .into_iter()
            .filter(|r| r.listener == "pms")
            .map(|r| r.path)
            .collect();
        self.sim.clear_log();
        paths
    }
}

async fn signed_in(scenario: &str, settings: Settings) -> Harness {
    let sim = Sim::start(
        Scenario::builtin(scenario)
            .unwrap()
            .pin_approve_after_ms(50),
    )
    .await
    .unwrap();
    let session = Session::new(
        setup(&sim),
        settings,
        Box::new(Saved::default()),
        Arc::new(MemorySecrets::default()),
        None,
    );
    let pending = session.start_sign_in().await.unwrap();
    let outcome = session.finish_sign_in(pending, None).await;
    assert!(
        matches!(outcome, Some(SignInOutcome::SignedIn { .. })),
        "{outcome:?}"
    );
    Harness {
        sim,
        session,
        dir: tempfile::tempdir().unwrap(),
        said: Arc::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pick_in_one_go_loads_once_then_reuses_the_cache_only_while_it_fits() {
    let h = signed_in("home", Settings::default()).await;
    h.sim.clear_log();

    // The first pick: the server found, connected to, every library loaded and cached.
    let first = h.session.pick_once(h.plan()).await.unwrap();
    assert!(!first.catalog.cached);
    assert!(first.catalog.titles > 0);
    let loads = h.server_requests();
    assert!(loads.iter().any(|p| p.ends_with("/all")), "{loads:?}");
    let loading: Vec<Notice> = h.said();
    assert_eq!(
        loading,
        vec![
            Notice::Progress("Loading Movies...".into()),
            Notice::Progress("Loading TV Shows...".into())
        ],
        "each library said once"
    );
    assert!(pick_cache::path_in(h.dir.path()).exists());
    let server_id = first.server.machine_identifier.clone();
    assert!(first.top.watch_url.contains(&server_id));
    assert_eq!(
        h.session
            .settings()
            .history
            .entries
            .last()
            .unwrap()
            .title_id,
        first.top.id,
        "the top pick is recorded"
    );

    // The next: from the cache, and the server is not asked anything.
    let again = h.session.pick_once(h.plan()).await.unwrap();
    assert!(again.catalog.cached);
    assert_eq!(again.catalog.titles, first.catalog.titles);
    assert_ne!(again.top.id, first.top.id, "a recent pick cools off");
    assert_eq!(h.server_requests(), Vec::<String>::new());

    // The server by its name fits the cache too; a refresh loads again.
    let by_name = PickOnce {
        server: Some(first.server.name.to_uppercase()),
        ..h.plan()
    };
    assert!(h.session.pick_once(by_name).await.unwrap().catalog.cached);
    assert_eq!(h.server_requests(), Vec::<String>::new());
    let refresh = PickOnce {
        refresh: true,
        ..h.plan()
    };
    assert!(!h.session.pick_once(refresh).await.unwrap().catalog.cached);
    assert!(h.server_requests().iter().any(|p| p.ends_with("/all")));

    // Another selection is another catalog: only the movies, loaded.
    let movies = PickOnce {
        libraries: vec![" movies".into()],
        choices: Choices {
            format: Format::Movie,
            ..Choices::default()
        },
        ..h.plan()
    };
    let got = h.session.pick_once(movies).await.unwrap();
    assert!(!got.catalog.cached);
    assert_eq!(got.catalog.libraries.len(), 1);
    assert_eq!(got.catalog.libraries[0].title, "Movies");
    let sections: Vec<String> = h
        .server_requests()
        .into_iter()
        .filter(|p| p.starts_with("/library/sections/") && p.ends_with("/all"))
        .collect();
    assert_eq!(sections.len(), 1, "only the movies loaded: {sections:?}");

    // A library that is not there says so, and names the server.
    let nope = PickOnce {
        libraries: vec!["Nope".into()],
        ..h.plan()
    };
    match h.session.pick_once(nope).await {
        Err(e @ Error::LibraryNotFound { .. }) => {
            assert!(e.to_string().contains("\"nope\""), "{e}")
        }
        other => panic!("{:?}", other.map(|r| r.top.id)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chosen_server_that_left_the_account_is_said_and_the_owned_one_used() {
    let gone = SavedServer::direct("gone-machine", "Old Server", "http://127.0.0.1:9");
    let settings = Settings {
        server: Some(gone),
        ..Settings::default()
    };
    let h = signed_in("friends", settings).await;
    let server = h.session.find_server(None, &h.notices()).await.unwrap();
    assert!(server.owned, "the owned one: {}", server.name);
    let said = h.said();
    assert!(
        matches!(&said[..], [Notice::Note { kind: "server_gone", message }]
            if message.contains("Old Server") && message.contains(&server.name)),
        "{said:?}"
    );
    // Named: by id, or by name ignoring case; a name nobody has is not found.
    let by_name = h
        .session
        .find_server(Some(&server.name.to_lowercase()), &h.notices())
        .await
        .unwrap();
    assert_eq!(by_name.machine_identifier, server.machine_identifier);
    assert!(matches!(
        h.session.find_server(Some("Nobody's"), &h.notices()).await,
        Err(Error::ServerNotFound(_))
    ));

    // Its libraries, with counts, from the server itself; nothing was said.
    h.sim.clear_log();
    let reach = Reach {
        server: Some(server.machine_identifier.clone()),
        ..Reach::default()
    };
    let libraries = h
        .session
        .library_report(&reach, &h.notices())
        .await
        .unwrap();
    assert_eq!(
        libraries.server.machine_identifier,
        server.machine_identifier
    );
    assert!(!libraries.libraries.is_empty());
    assert!(libraries.libraries.iter().all(|l| l.count > 0));
    assert!(h
        .sim
        .request_log()
        .iter()
        .any(|r| r.listener == "pms" && r.server.as_deref() == Some(server.name.as_str())));
    assert!(h.said().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connect_report_names_the_route_and_every_candidate_and_chooses_the_server() {
    let h = signed_in("friends", Settings::default()).await;
    let reach = Reach {
        full_race: true,
        choose: Choose::Always,
        ..Reach::default()
    };
    let report = h.session.connect_named(&reach, &h.notices()).await.unwrap();
    assert!(!report.candidates.is_empty());
    assert!(report
        .candidates
        .iter()
        .any(|c| c.outcome == "connected" && c.uri == report.connection.uri));
    assert!(!report.connection.fast_path, "a full race");
    let json = serde_json::to_value(&report).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // Exactly the CLI's shape: what is only for people (ownership, the whole diagnosis)
    // stays out of it.
    assert_eq!(
        keys,
        ["candidates", "connection", "new_certificate_pin", "server"]
    );
    assert_eq!(
        h.session.settings().server.map(|s| s.id),
        Some(report.server.machine_identifier.clone())
    );
    let served: Vec<_> = h
        .sim
        .request_log()
        .into_iter()
        .filter(|r| r.listener == "pms")
        .collect();
    assert!(served
        .iter()
        .all(|r| r.server.as_deref() == Some(report.server.name.as_str())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_this_one_and_watching_name_titles_from_the_cache_and_record_what_was_chosen() {
    let h = signed_in("home", Settings::default()).await;
    let picked = h.session.pick_once(h.plan()).await.unwrap();
    let cache = pick_cache::path_in(h.dir.path());
    h.sim.clear_log();

    let alt = &picked.alternatives[0];
    let rejected = h
        .session
        .not_this_one(
            &format!(" {} ", alt.id),
            RejectReason::SeenIt,
            Mood::FeelGood,
            &cache,
        )
        .unwrap();
    assert_eq!(rejected.title_id, alt.id);
    assert_eq!(rejected.title.as_deref(), Some(alt.title.as_str()));
    let last = h
        .session
        .settings()
        .history
        .entries
        .last()
        .cloned()
        .unwrap();
    assert_eq!(last.title_id, alt.id);
    assert!(matches!(last.event, Event::Rejected { .. }), "{last:?}");

    // Watching another alternative: it is chosen, the top pick passed over.
    let other = &picked.alternatives[1];
    let watching = h.session.watching(&other.id, &cache).unwrap();
    assert_eq!(watching.title.as_deref(), Some(other.title.as_str()));
    assert_eq!(watching.declined.as_deref(), Some(picked.top.id.as_str()));
    assert_eq!(
        watching.watch_url.as_deref(),
        Some(other.watch_url.as_str())
    );
    let history = h.session.settings().history;
    let event_of = |id: &str| last_event(&history, id);
    assert_eq!(event_of(&picked.top.id), Some(Event::Skipped));
    assert_eq!(event_of(&other.id), Some(Event::Picked));

    // Without a cache the title has no name, and the link comes from the chosen server.
    std::fs::remove_file(&cache).unwrap();
    let bare = h.session.watching("12345", &cache).unwrap();
    assert_eq!(bare.title, None);
    assert!(bare
        .watch_url
        .is_some_and(|u| u.contains(&picked.server.machine_identifier)));
    assert!(
        h.sim.request_log().is_empty(),
        "recording asks nobody anything"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pin_sign_in_in_one_go_shows_the_code_once_and_says_when_it_ran_out() {
    let fresh = |sim: &Sim| {
        Session::new(
            setup(sim),
            Settings::default(),
            Box::new(Saved::default()),
            Arc::new(MemorySecrets::default()),
            None,
        )
    };
    let sim = Sim::start(Scenario::builtin("home").unwrap().pin_approve_after_ms(50))
        .await
        .unwrap();
    let s = fresh(&sim);
    let shown = Mutex::new(Vec::new());
    let name = s
        .sign_in_with_pin(Some(std::time::Duration::from_millis(20)), |p| {
            shown
                .lock()
                .unwrap()
                .push((p.pin.code.clone(), p.auth_url.clone()))
        })
        .await
        .unwrap();
    let shown = shown.into_inner().unwrap();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].1.contains(&shown[0].0), "the page names the code");
    assert!(name.is_some());
    assert!(s.account_token().is_ok(), "signed in");
    let pins: Vec<_> = sim
        .request_log()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v2/pins"))
        .collect();
    assert!(pins.iter().any(|r| r.method == "POST"), "a PIN was created");

    // Nobody approves, and the code runs out.
    let sim = Sim::start(Scenario::builtin("home").unwrap().pin_expires_in_secs(1))
        .await
        .unwrap();
    let s = fresh(&sim);
    let expired = s
        .sign_in_with_pin(Some(std::time::Duration::from_millis(50)), |_| {})
        .await;
    assert!(matches!(expired, Err(Error::SignInExpired)), "{expired:?}");
    assert!(matches!(s.account_token(), Err(Error::NotSignedIn)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_people_named_are_matched_to_the_home_and_a_pick_for_them_keeps_sam_s_sign_in() {
    let h = signed_in("family", Settings::default()).await;
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let profiles = h.session.profiles().await.unwrap();
    let id_of = |name: &str| {
        profiles
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.id.clone())
            .unwrap()
    };
    let admin = profiles.iter().find(|p| p.admin).unwrap().id.clone();

    // Sam is protected: a PIN, or nothing.
    let needs = h.session.people_for(&names(&["sam"]), &[]).await;
    assert!(
        matches!(&needs, Err(Error::PinNeeded { profile }) if profile == "Sam"),
        "{needs:?}"
    );
    let sam = h
        .session
        .people_for(&names(&["sam"]), &names(&["SAM"]))
        .await
        .unwrap();
    assert_eq!(
        sam.ids,
        vec![admin.clone(), id_of("Sam")],
        "the admin first"
    );
    assert_eq!(sam.pins.len(), 1);
    assert_eq!(sam.pins[0].name, "Sam");
    // Everyone, in the Home's order, each once.
    let all = h
        .session
        .people_for(&names(&["Kid", "all"]), &names(&["Sam"]))
        .await
        .unwrap();
    let home: Vec<String> = profiles.iter().map(|p| p.id.clone()).collect();
    assert_eq!(all.ids, home);
    // What cannot be matched says so.
    match h.session.people_for(&names(&["Nobody"]), &[]).await {
        Err(Error::NoSuchProfile { name, profiles }) => {
            assert_eq!(name, "Nobody");
            assert!(
                profiles.contains("Sam") && profiles.contains("Kid"),
                "{profiles}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        h.session.people_for(&names(&["Kid"]), &names(&["Sam"])).await,
        Err(Error::PinForAbsent { profile, .. }) if profile == "Sam"
    ));
    assert!(matches!(
        h.session
            .people_for(&names(&["Sam"]), &names(&["Sam", "sam"]))
            .await,
        Err(Error::PinTwice { .. })
    ));
    assert!(matches!(
        h.session.people_for(&[], &names(&["Ghost"])).await,
        Err(Error::PinForNoProfile { .. })
    ));

    // A wrong PIN is plex.tv's answer, said as such.
    let people = |pin: &str| plexpicker_core::session::People {
        ids: sam.ids.clone(),
        pins: [(id_of("Sam"), pin.to_string())].into(),
    };
    let wrong = PickOnce {
        people: Some(people("0000")),
        ..h.plan()
    };
    let got = h.session.pick_once(wrong).await;
    assert!(
        matches!(
            got,
            Err(Error::Plex(plexpicker_core::plex::Error::WrongPin))
        ),
        "{:?}",
        got.map(|r| r.top.id)
    );

    // The right one: a pick for both, from the catalog loaded meanwhile; Sam's PIN went to
    // plex.tv once, and Sam's sign-in is kept, so the next time needs no PIN.
    h.sim.clear_log();
    let right = PickOnce {
        people: Some(people("1234")),
        ..h.plan()
    };
    let report = h.session.pick_once(right).await.unwrap();
    let for_people = report.for_people.unwrap();
    assert_eq!(for_people.len(), 2);
    assert!(for_people.contains(&"Sam".to_string()));
    let switches: Vec<_> = h
        .sim
        .request_log()
        .into_iter()
        .filter(|r| r.path.ends_with("/switch"))
        .collect();
    assert_eq!(switches.len(), 1, "{switches:?}");
    let again = h.session.people_for(&names(&["Sam"]), &[]).await.unwrap();
    assert!(again.pins.is_empty(), "Sam's sign-in was kept");
    // From the cache, for the same people, without a PIN this time.
    let cached = PickOnce {
        people: Some(plexpicker_core::session::People {
            ids: again.ids,
            pins: Default::default(),
        }),
        ..h.plan()
    };
    let report = h.session.pick_once(cached).await.unwrap();
    assert!(report.catalog.cached);
    assert_eq!(report.for_people.map(|p| p.len()), Some(2));
}
