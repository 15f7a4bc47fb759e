//! The app's commands, invoked through Tauri's IPC on the mock runtime (no window, no
//! display), with the app's real configuration, capabilities and store plugin, against the
//! Plex simulator on loopback.

mod ai;
mod harness;
mod profiles;
// Shared with the end-to-end tests, which use more of it.
#[allow(dead_code)]
#[path = "../support/sim.rs"]
mod sim;

use std::time::Duration;

use harness::App;
use plexpicker_ipc::command::{
    self, ListServersArgs, LoadLibrariesArgs, NoArgs, RequestArgs, SetInsecureConnectionsArgs,
    WatchInPlexArgs,
};
use plexpicker_ipc::{
    events, AdvancedSignIn, AppInfo, Choices, ConnectOutcome, ConnectRequest, ErrorDetails,
    ErrorKind, Format, InsecureConnections, LibraryView, LoadedCatalog, Mood, PickRequest,
    PickView, PinStarted, RejectReason, RejectRequest, RuntimeLimit, ServerView, Startup, TitleRef,
    TrustRequest, WatchFilter,
};
use serde_json::json;
use sim::Simulator;

/// `connect`'s arguments for the server `id`.
fn connect_to(id: &str) -> RequestArgs<ConnectRequest> {
    RequestArgs {
        request: ConnectRequest {
            server_id: id.to_string(),
        },
    }
}

/// `pick`'s arguments for `choices`.
fn pick_with(choices: &Choices) -> RequestArgs<PickRequest> {
    RequestArgs {
        request: PickRequest {
            choices: choices.clone(),
            ai: false,
        },
    }
}

/// `sign_in_with_token`'s arguments.
fn by_url(server_url: &str, token: &str) -> RequestArgs<AdvancedSignIn> {
    RequestArgs {
        request: AdvancedSignIn {
            server_url: server_url.to_string(),
            token: token.to_string(),
        },
    }
}

/// Signs in through the PIN the simulator approves and lists the account's servers.
fn signed_in(app: &App) -> Vec<ServerView> {
    app.call::<command::StartSignIn>(NoArgs {});
    app.wait_for_event(events::SIGN_IN, Duration::from_secs(15), |e| {
        e["state"] == "signed_in"
    });
    app.call::<command::ListServers>(ListServersArgs { refresh: true })
}

/// Signs in, connects to the account's first server and loads all its libraries.
fn loaded(app: &App) {
    let servers = signed_in(app);
    app.call::<command::Connect>(connect_to(&servers[0].id));
    let libraries: Vec<LibraryView> = app.call::<command::ListLibraries>(NoArgs {});
    app.call::<command::LoadLibraries>(LoadLibrariesArgs {
        keys: libraries.iter().map(|l| l.key.clone()).collect(),
    });
}

fn home_sim() -> Simulator {
    Simulator::home(300)
}

/// Every token the simulator knows: the account's and each server's access token.
fn every_token(sim: &Simulator) -> Vec<String> {
    let mut tokens = vec![sim.sim.account_token().to_string()];
    tokens.extend(sim.sim.servers().into_iter().map(|s| s.access_token));
    // The AI provider's key the tests set up is a secret too.
    tokens.push(ai::AI_KEY.to_string());
    tokens
}

/// The secret store's own file (the fallback: the tests never use the machine's keychain).
fn secrets_file(data: &std::path::Path) -> std::path::PathBuf {
    data.join("secrets").join("secrets.json")
}

/// Every file under `dir` except the secret store's: none may hold a token.
fn assert_no_token_in_files(dir: &std::path::Path, tokens: &[String]) -> usize {
    let secrets = secrets_file(dir);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = 0;
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path != secrets {
                files += 1;
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                for token in tokens {
                    assert!(!text.contains(token), "a token in {}", path.display());
                }
            }
        }
    }
    files
}

/// Files in the cache folder.
fn cached_files(data: &std::path::Path) -> usize {
    match std::fs::read_dir(data.join("cache")) {
        Ok(entries) => entries.count(),
        Err(_) => 0,
    }
}

#[test]
fn app_info_reports_the_product_name_and_the_cargo_version() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let info: AppInfo = app.call::<command::AppInfo>(NoArgs {});
    assert_eq!(info.name, "PlexPicker");
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.platform, std::env::consts::OS);
}

/// The webview gets no permissions beyond the app's own commands: settings (and the token in
/// them) and the browser are reachable only through the backend.
#[test]
fn the_window_cannot_read_the_store_or_open_urls_directly() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    for cmd in [
        "plugin:store|load",
        "plugin:store|get",
        "plugin:shell|open",
        "plugin:window|close",
        "plugin:webview|create_webview",
        "plugin:path|resolve_directory",
    ] {
        // Plugin commands are not in the app's contract: called by name.
        let err = app.try_invoke(cmd, json!({})).expect_err(cmd);
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
}

/// Every command of the contract (`plexpicker_ipc::command::ALL`, the list the window's calls
/// are typed against) is registered and granted to the window: called without arguments each
/// one answers, or fails on its arguments or its state, never as unknown or not allowed.
#[test]
fn every_command_of_the_contract_is_registered_and_granted() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    for &name in command::ALL {
        // Either the command ran (its errors are IpcError objects) or Tauri refused the missing
        // arguments; an unregistered or ungranted command is refused with a plain sentence.
        match app.try_invoke(name, json!({})) {
            Ok(_) | Err(serde_json::Value::Object(_)) => {}
            Err(serde_json::Value::String(refusal)) => assert!(
                refusal.starts_with("invalid args"),
                "{name} is not registered or not granted: {refusal}"
            ),
            Err(other) => panic!("{name}: {other}"),
        }
    }
}

/// Sign in with a PIN the simulator approves, choose the server (its race has failing routes),
/// load the libraries, pick with filters, reject, restart straight onto the picker, sign out.
#[test]
fn from_sign_in_to_a_pick_and_back_after_a_restart() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let token = sim.sim.account_token().to_string();
    let home = sim.sim.server("Home Server").unwrap();
    let app = App::start(sim.options(data.path()));

    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(!startup.signed_in);
    // No keychain here: said once, with where the sign-in is kept instead.
    let notice = startup.notice.expect("the secret store notice");
    assert!(
        notice.contains(&secrets_file(data.path()).display().to_string()),
        "{notice}"
    );

    let pin: PinStarted = app.call::<command::StartSignIn>(NoArgs {});
    assert!(!pin.code.is_empty());
    assert!(pin.expires_in_secs > 0);
    assert!(
        !pin.browser_opened,
        "a simulated plex.tv's page is never opened"
    );
    let signed_in = app.wait_for_event(events::SIGN_IN, Duration::from_secs(15), |e| {
        e["state"] == "signed_in"
    });
    let account_name = signed_in["account"].as_str().expect("a name").to_string();
    assert!(!account_name.is_empty());

    let servers: Vec<ServerView> =
        app.call::<command::ListServers>(ListServersArgs { refresh: true });
    let server = servers.iter().find(|s| s.name == "Home Server").unwrap();
    assert!(server.owned);
    assert_eq!(server.id, home.machine_identifier);

    let outcome: ConnectOutcome = app.call::<command::Connect>(connect_to(&server.id));
    assert_eq!(outcome.candidates.iter().filter(|c| c.winner).count(), 1);
    assert!(
        outcome
            .candidates
            .iter()
            .any(|c| matches!(c.state, plexpicker_ipc::CandidateState::Failed { .. })),
        "the plex.direct names do not resolve here, so some routes fail: {:?}",
        outcome.candidates
    );
    assert!(!app.events(events::CONNECT).is_empty(), "live race updates");

    let libraries: Vec<LibraryView> = app.call::<command::ListLibraries>(NoArgs {});
    assert_eq!(libraries.len(), 2, "movies and TV only: {libraries:?}");
    for library in &libraries {
        let expected = home
            .libraries
            .iter()
            .find(|l| l.key == library.key)
            .unwrap();
        assert_eq!(library.count, Some(u64::from(expected.count)));
        assert!(library.chosen);
    }
    let keys: Vec<&str> = libraries.iter().map(|l| l.key.as_str()).collect();
    let catalog: LoadedCatalog = app.call::<command::LoadLibraries>(LoadLibrariesArgs {
        keys: keys.iter().map(|k| k.to_string()).collect(),
    });
    let movies = libraries.iter().find(|l| l.title == "Movies").unwrap();
    assert_eq!(Some(catalog.movies), movies.count);
    assert!(catalog.shows > 0);
    let progress = app.events(events::LOAD);
    let loaded: Vec<u64> = progress
        .iter()
        .map(|e| e["loaded"].as_u64().unwrap_or_default())
        .collect();
    assert!(
        loaded.windows(2).all(|w| w[0] <= w[1]),
        "progress only moves forward: {loaded:?}"
    );
    let last = progress.last().expect("load progress");
    assert_eq!(last["loaded"], last["total"]);
    assert_eq!(last["total"].as_u64(), Some(catalog.movies + catalog.shows));
    // The show library's episodes are a second phase of their own: it names the shows and
    // counts episodes up to the server's total, so the window never sits at "N of N".
    let episodes: Vec<plexpicker_ipc::EpisodeProgress> = progress
        .iter()
        .filter_map(|e| serde_json::from_value::<plexpicker_ipc::LoadProgress>(e.clone()).ok())
        .filter_map(|p| p.episodes)
        .collect();
    let last_episodes = episodes.last().expect("an episode phase");
    assert_eq!(last_episodes.shows, catalog.shows);
    assert!(last_episodes.total > 0);
    assert_eq!(last_episodes.loaded, last_episodes.total);
    assert!(
        episodes.windows(2).all(|w| w[0].loaded <= w[1].loaded),
        "{episodes:?}"
    );

    let choices = Choices {
        format: Format::Movie,
        watch: WatchFilter::Unwatched,
        mood: Mood::Anything,
        runtime: Some(RuntimeLimit::MaxMinutes { minutes: 150 }),
        ..Choices::default()
    };
    let pick: PickView = app.call::<command::Pick>(pick_with(&choices));
    let link = format!(
        "https://app.plex.tv/desktop/#!/server/{}/details?key=%2Flibrary%2Fmetadata%2F{}",
        home.machine_identifier, pick.top.id
    );
    assert_eq!(pick.top.watch_url, link);
    assert!(pick.top.minutes.is_some_and(|m| m <= 150), "{:?}", pick.top);
    assert_eq!(pick.top.kind_label, "Movie");
    assert!(!pick.top.reason.is_empty());
    let mut ids: Vec<&str> = pick.alternatives.iter().map(|c| c.id.as_str()).collect();
    ids.push(&pick.top.id);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), pick.alternatives.len() + 1, "all distinct");

    let again: PickView = app.call::<command::Reject>(RequestArgs {
        request: RejectRequest {
            title_id: pick.top.id.clone(),
            reason: RejectReason::SeenIt,
            choices: choices.clone(),
        },
    });
    assert_ne!(
        again.top.id, pick.top.id,
        "a rejected title is not offered again"
    );

    // No token, and no server's access token, ever reaches the window: not in any command's
    // answer, not in any event, the store plugin's `store://change` included.
    app.call::<command::About>(NoArgs {});
    assert!(
        !app.events("store://change").is_empty(),
        "the settings' change events were recorded"
    );
    let sent = app.everything_sent();
    assert!(sent.contains(&account_name) && sent.contains(&pick.top.id));
    for secret in every_token(&sim) {
        assert!(!sent.contains(&secret), "a token reached the window");
    }
    // ...nor any file but the secret store's.
    assert!(assert_no_token_in_files(data.path(), &every_token(&sim)) >= 2);
    assert!(std::fs::read_to_string(secrets_file(data.path()))
        .unwrap()
        .contains(&token));
    assert!(cached_files(data.path()) > 0, "the catalog was cached");
    drop(app);

    // Restart: straight onto the picker, still signed in, with the last choices.
    let app = App::start(sim.options(data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(startup.signed_in);
    assert_eq!(startup.notice, None, "the notice was said once");
    assert_eq!(startup.account.as_deref(), Some(account_name.as_str()));
    assert_eq!(
        startup.server.as_ref().map(|s| s.id.as_str()),
        Some(home.machine_identifier.as_str())
    );
    let cached = startup.catalog.expect("the cached catalog");
    assert!(cached.from_cache);
    assert_eq!(cached.movies, catalog.movies);
    assert_eq!(
        serde_json::to_value(&startup.choices).unwrap()["format"],
        "movie"
    );
    let pick: PickView = app.call::<command::Pick>(pick_with(&choices));
    assert!(!pick.top.id.is_empty(), "picks work from the cache alone");
    // Meanwhile the catalog refreshes in the background, reporting its progress.
    app.wait_for_event(events::LOAD, Duration::from_secs(20), |e| {
        e["loaded"] == e["total"] && e["total"].as_u64() == Some(catalog.movies + catalog.shows)
    });

    for secret in every_token(&sim) {
        assert!(
            !app.everything_sent().contains(&secret),
            "after the restart"
        );
    }

    // Sign out: back to nothing, and the cache and the token are gone from the disk.
    assert!(cached_files(data.path()) > 0);
    app.call::<command::SignOut>(NoArgs {});
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(!startup.signed_in);
    assert!(startup.server.is_none());
    assert_eq!(cached_files(data.path()), 0, "the cache is gone");
    let secrets = std::fs::read_to_string(secrets_file(data.path())).unwrap();
    for secret in every_token(&sim) {
        assert!(!secrets.contains(&secret), "a token outlived the sign-out");
    }
    drop(app);
    let app = App::start(sim.options(data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(!startup.signed_in);
    assert!(startup.catalog.is_none());
}

/// Asking for a new code while one is waiting replaces it: the replaced one neither clears
/// the new one nor tells the window it was cancelled, and the new one signs in.
#[test]
fn a_new_code_replaces_the_waiting_one() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let first: PinStarted = app.call::<command::StartSignIn>(NoArgs {});
    let second: PinStarted = app.call::<command::StartSignIn>(NoArgs {});
    assert_ne!(first.code, second.code);
    app.wait_for_event(events::SIGN_IN, Duration::from_secs(15), |e| {
        e["state"] == "signed_in"
    });
    let states: Vec<String> = app
        .events(events::SIGN_IN)
        .iter()
        .map(|e| e["state"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        !states.iter().any(|s| s == "cancelled"),
        "the replaced sign-in must not report itself: {states:?}"
    );
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(startup.signed_in);
}

/// No route works: the error carries every route and why; once the server is reachable
/// again, retrying works.
#[test]
fn an_unreachable_server_explains_itself_and_retry_works() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let servers = signed_in(&app);
    let id = servers[0].id.clone();
    let home = sim.sim.server("Home Server").unwrap();
    sim.set_all_faults("Home Server", plex_sim::Fault::Refuse);
    let err = app.call_err::<command::Connect>(connect_to(&id));
    assert_eq!(err.kind, ErrorKind::Unreachable);
    assert!(err.message.contains("Home Server"), "{}", err.message);
    match err.details {
        Some(ErrorDetails::Diagnosis { candidates }) => {
            assert!(candidates.len() >= home.connections.len());
            assert!(candidates
                .iter()
                .all(|c| !matches!(c.state, plexpicker_ipc::CandidateState::Connected { .. })));
        }
        other => panic!("no diagnosis: {other:?}"),
    }
    sim.set_all_faults("Home Server", plex_sim::Fault::None);
    let outcome: ConnectOutcome = app.call::<command::Connect>(connect_to(&id));
    assert!(outcome.candidates.iter().any(|c| c.winner));
}

/// "Connect by URL and token" reaches the server without plex.tv.
#[test]
fn connect_by_url_and_token() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let http = sim.sim.connection("home-local-http").unwrap();
    let home = sim.sim.server("Home Server").unwrap();
    let bad = app.call_err::<command::SignInWithToken>(by_url("not a url", "x"));
    assert_eq!(bad.kind, ErrorKind::InvalidRequest);
    let server: ServerView =
        app.call::<command::SignInWithToken>(by_url(&http.uri, &home.access_token));
    assert_eq!(server.id, home.machine_identifier);
    let libraries: Vec<LibraryView> = app.call::<command::ListLibraries>(NoArgs {});
    assert_eq!(libraries.len(), 2);
    let servers: Vec<ServerView> =
        app.call::<command::ListServers>(ListServersArgs { refresh: true });
    assert_eq!(servers, vec![server]);
}

/// "Allow insecure connections: never" (saved from the About panel) keeps the token off plain
/// http: connecting by an http address then fails, and the server's http listener never sees
/// the token. Back to "on the same network", the same address works (it is the server's own
/// local address).
#[test]
fn never_allowing_insecure_connections_keeps_the_token_off_http() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let about: plexpicker_ipc::About = app.call::<command::About>(NoArgs {});
    assert_eq!(
        about.insecure_connections,
        plexpicker_ipc::InsecureConnections::SameNetwork
    );
    let about: plexpicker_ipc::About =
        app.call::<command::SetInsecureConnections>(SetInsecureConnectionsArgs {
            when: InsecureConnections::Never,
        });
    assert_eq!(
        about.insecure_connections,
        plexpicker_ipc::InsecureConnections::Never
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.path().join("settings.json")).unwrap())
            .unwrap();
    assert_eq!(saved["settings"]["allow_insecure"], "never", "{saved}");

    let http = sim.sim.connection("home-local-http").unwrap();
    let home = sim.sim.server("Home Server").unwrap();
    sim.sim.clear_log();
    let refused = app.call_err::<command::SignInWithToken>(by_url(&http.uri, &home.access_token));
    assert_ne!(refused.kind, ErrorKind::InvalidRequest, "{refused:?}");
    let to_http: Vec<_> = sim
        .sim
        .request_log()
        .into_iter()
        .filter(|r| r.connection_id.as_deref() == Some("home-local-http"))
        .collect();
    assert!(
        to_http.iter().all(|r| !r.carries_token()),
        "the token went over http: {to_http:?}"
    );

    app.call::<command::SetInsecureConnections>(SetInsecureConnectionsArgs {
        when: InsecureConnections::SameNetwork,
    });
    let server: ServerView =
        app.call::<command::SignInWithToken>(by_url(&http.uri, &home.access_token));
    assert_eq!(server.id, home.machine_identifier);
}

/// The demo needs no account and no network, and goes through the same pick commands.
#[test]
fn the_demo_picks_without_an_account() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let catalog: LoadedCatalog = app.call::<command::StartDemo>(NoArgs {});
    assert!(catalog.movies + catalog.shows >= 60);
    let pick: PickView = app.call::<command::Pick>(pick_with(&Choices {
        mood: Mood::DateNight,
        ..Choices::default()
    }));
    assert!(pick.top.id.starts_with("demo-"));
    assert_eq!(pick.top.watch_url, "", "demo titles have nothing to play");
    assert!(pick.top.poster_url.is_none(), "the placeholder is shown");
    let err = app.call_err::<command::WatchInPlex>(WatchInPlexArgs {
        title: TitleRef {
            title_id: pick.top.id.clone(),
            episode_id: None,
        },
    });
    assert!(err.message.contains("Sign in"), "{}", err.message);
    assert!(
        sim.sim.request_log().is_empty(),
        "the demo sent nothing to Plex"
    );
    drop(app);
    let app = App::start(sim.options(data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(startup.demo);
    assert!(
        startup.catalog.is_some(),
        "the demo comes back after a restart"
    );
}

/// A damaged settings file: the app starts, says so, keeps a copy, and starts fresh.
#[test]
fn a_damaged_settings_file_is_reported_and_kept() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("settings.json"), b"{\"settings\": {oops").unwrap();
    let app = App::start(sim.options(data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    let notice = startup.notice.expect("a notice");
    assert!(notice.contains("damaged"), "{notice}");
    assert!(!startup.signed_in);
    let kept: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("settings.json.damaged-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read(kept[0].path()).unwrap(),
        b"{\"settings\": {oops"
    );
    assert!(notice.contains(&kept[0].path().display().to_string()));
    // The notice is said once.
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert_eq!(startup.notice, None);
}

/// Settings written by a newer PlexPicker are not overwritten either.
#[test]
fn settings_from_a_newer_version_are_kept() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let newer = json!({"settings": {"schema_version": 99, "client_identifier": "x"}});
    std::fs::write(data.path().join("settings.json"), newer.to_string()).unwrap();
    let app = App::start(sim.options(data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    let notice = startup.notice.unwrap();
    assert!(notice.contains("newer version"), "{notice}");
    let kept: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("settings.json.newer-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "one kept copy");
    let copy: serde_json::Value =
        serde_json::from_slice(&std::fs::read(kept[0].path()).unwrap()).unwrap();
    assert_eq!(copy, newer, "the newer file is kept as it was");
    assert!(notice.contains(&kept[0].path().display().to_string()));
    // The app went on with fresh settings of its own format.
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(file["settings"]["schema_version"], 2);
}

/// Today's settings.json (schema 1, the token inside; the fixture the core's migration test
/// uses, with the simulator's tokens): the next start moves the tokens to the secret store,
/// takes them out of the file, and the user is still signed in.
#[test]
fn an_old_settings_file_is_migrated_without_signing_in_again() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let home = sim.sim.server("Home Server").unwrap();
    let fixture = include_str!("../../crates/core/tests/fixtures/app-settings-v1.json")
        .replace("app-fixture-account-token", sim.sim.account_token())
        .replace("app-fixture-server-access-token", &home.access_token)
        .replace("fixture-machine-1", &home.machine_identifier);
    std::fs::write(data.path().join("settings.json"), fixture).unwrap();
    let app = App::start(sim.options(data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(startup.signed_in);
    assert_eq!(startup.account.as_deref(), Some("Ann"));
    assert_eq!(
        startup.server.as_ref().map(|s| s.id.as_str()),
        Some(home.machine_identifier.as_str())
    );
    let servers: Vec<ServerView> =
        app.call::<command::ListServers>(ListServersArgs { refresh: true });
    assert!(servers.iter().any(|s| s.id == home.machine_identifier));
    let text = std::fs::read_to_string(data.path().join("settings.json")).unwrap();
    assert!(text.contains("\"schema_version\": 2"), "{text}");
    assert_no_token_in_files(data.path(), &every_token(&sim));
    let secrets = std::fs::read_to_string(secrets_file(data.path())).unwrap();
    assert!(secrets.contains(sim.sim.account_token()));
    assert!(secrets.contains(&home.access_token));
    for secret in every_token(&sim) {
        assert!(!app.everything_sent().contains(&secret));
    }
}

/// The app's options pointing at `url` as plex.tv (a [`sim::SlowPlexTv`] relay).
fn options_via(sim: &Simulator, url: &str, data: &std::path::Path) -> plexpicker_lib::Options {
    let mut options = sim.options(data);
    options.plex_tv_url = Some(url.to_string());
    options
}

/// Cancel pressed while the approved PIN's account is still being fetched: nothing is saved,
/// the window hears "cancelled", the token is in no store.
#[test]
fn a_pin_approved_after_cancel_is_not_saved() {
    let sim = home_sim();
    let slow = sim.slow_plex_tv();
    slow.hold("/api/v2/user", 1500);
    let data = tempfile::tempdir().unwrap();
    let app = App::start(options_via(&sim, &slow.url, data.path()));
    app.call::<command::StartSignIn>(NoArgs {});
    // The PIN was approved and the app is asking plex.tv who signed in: Cancel now.
    slow.wait_held(1);
    app.call::<command::CancelSignIn>(NoArgs {});
    let last = app.wait_for_event(events::SIGN_IN, Duration::from_secs(15), |e| {
        e["state"] != "waiting"
    });
    assert_eq!(last["state"], "cancelled", "{last}");
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(!startup.signed_in, "a cancelled sign-in was saved");
    let secrets = std::fs::read_to_string(secrets_file(data.path())).unwrap_or_default();
    assert!(!secrets.contains(sim.sim.account_token()));
    // Still cancelled after a restart.
    drop(app);
    let app = App::start(options_via(&sim, &slow.url, data.path()));
    let startup: Startup = app.call::<command::Startup>(NoArgs {});
    assert!(!startup.signed_in);
}

/// Sign-out while the server list is on its way: the late list does not refill the state of
/// the next session (its first list comes fresh from plex.tv).
#[test]
fn a_server_list_finishing_after_sign_out_does_not_refill() {
    let sim = home_sim();
    let slow = sim.slow_plex_tv();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(options_via(&sim, &slow.url, data.path()));
    let sign_in = |app: &App| {
        let before = app.events(events::SIGN_IN).len();
        app.call::<command::StartSignIn>(NoArgs {});
        app.wait_for_event(events::SIGN_IN, Duration::from_secs(15), |_| {
            app.events(events::SIGN_IN)[before..]
                .iter()
                .any(|e| e["state"] == "signed_in")
        });
    };
    sign_in(&app);
    slow.hold("/api/v2/resources", 1500);
    let invoker = app.invoker();
    let late = std::thread::spawn(move || {
        invoker.try_call::<command::ListServers>(ListServersArgs { refresh: true })
    });
    slow.wait_held(1);
    app.call::<command::SignOut>(NoArgs {});
    let answer = late.join().unwrap();
    assert!(answer.is_err(), "the late list was answered: {answer:?}");

    // A new session: its first (non-refresh) list must ask plex.tv, not reuse the late one.
    slow.hold("/nothing", 0);
    sign_in(&app);
    sim.sim.clear_log();
    let servers: Vec<ServerView> =
        app.call::<command::ListServers>(ListServersArgs { refresh: false });
    assert!(!servers.is_empty());
    assert!(
        sim.sim
            .request_log()
            .iter()
            .any(|r| r.path.starts_with("/api/v2/resources")),
        "the list came from the signed-out session"
    );
}

/// A connect that is cancelled by a newer one and only then finishes (here: held inside its
/// own progress event until the newer one has connected) must not clear the connection the
/// newer one made.
#[test]
fn a_cancelled_connect_finishing_late_keeps_its_successor_s_connection() {
    let sim = Simulator::start(
        plex_sim::Scenario::builtin("friends")
            .unwrap()
            .pin_approve_after_ms(300),
    );
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let servers = signed_in(&app);
    let id_of = |name: &str| {
        servers
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} in {servers:?}"))
            .id
            .clone()
    };
    let (first, second) = (id_of("Alice's Server"), id_of("Home Server"));
    // The first server never answers, so its race only ends by being cancelled.
    sim.set_all_faults("Alice's Server", plex_sim::Fault::Hang);
    let first_routes: Vec<String> = sim
        .sim
        .server("Alice's Server")
        .unwrap()
        .connections
        .into_iter()
        .map(|c| c.uri)
        .collect();
    // The first race's first progress event holds it until the test lets go.
    let gate = std::sync::Arc::new((
        std::sync::Mutex::new((false, false)),
        std::sync::Condvar::new(),
    ));
    let held = gate.clone();
    app.on_event(events::CONNECT, move |e| {
        let ours = e["address"]
            .as_str()
            .is_some_and(|a| first_routes.iter().any(|r| r == a));
        let (lock, turn) = &*held;
        let mut state = lock.lock().unwrap();
        if !ours || state.0 {
            return;
        }
        state.0 = true; // held
        turn.notify_all();
        let _ = turn
            .wait_timeout_while(state, Duration::from_secs(30), |s| !s.1)
            .unwrap();
    });
    let invoker = app.invoker();
    let late = std::thread::spawn(move || invoker.try_call::<command::Connect>(connect_to(&first)));
    {
        let (lock, turn) = &*gate;
        let state = lock.lock().unwrap();
        let (state, timeout) = turn
            .wait_timeout_while(state, Duration::from_secs(15), |s| !s.0)
            .unwrap();
        assert!(
            !timeout.timed_out(),
            "the first race never started: {:?}",
            *state
        );
    }
    // The newer connect cancels the first and wins while the first is still held.
    let outcome: ConnectOutcome = app.call::<command::Connect>(connect_to(&second));
    assert_eq!(outcome.server.id, second);
    {
        let (lock, turn) = &*gate;
        lock.lock().unwrap().1 = true;
        turn.notify_all();
    }
    let answer = late.join().unwrap();
    assert!(answer.is_err(), "the cancelled connect answered {answer:?}");
    // The newer connection is still there: its libraries can be listed.
    let libraries: Vec<LibraryView> = app.call::<command::ListLibraries>(NoArgs {});
    assert!(!libraries.is_empty());
}

/// "Trust the new certificate" pins exactly the certificate the failed race saw (and the
/// window showed), never whatever the server shows next.
#[test]
fn trusting_a_new_certificate_pins_exactly_the_one_shown() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let servers = signed_in(&app);
    let id = servers
        .iter()
        .find(|s| s.name == "Home Server")
        .unwrap()
        .id
        .clone();
    // Only the self-signed route works.
    for route in [
        "home-local-http",
        "home-local-plex-direct",
        "home-remote-plex-direct",
        "home-relay",
    ] {
        assert!(sim.sim.set_fault(route, plex_sim::Fault::Refuse));
    }
    let connect = || app.try_call::<command::Connect>(connect_to(&id));
    connect().expect("the self-signed route is pinned on first use");
    let pins = || -> serde_json::Value {
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(data.path().join("settings.json")).unwrap())
                .unwrap();
        file["settings"]["pins"].clone()
    };
    let first = sim
        .sim
        .connection("home-local-self-signed")
        .unwrap()
        .self_signed_sha256
        .unwrap();
    let place = pins()
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v.as_str() == Some(first.as_str()))
        .map(|(k, _)| k.clone())
        .expect("the first certificate is pinned");

    // The server shows a new certificate: refused, and the window is offered to trust it.
    let shown = sim
        .sim
        .rotate_self_signed("home-local-self-signed")
        .unwrap();
    let err = app.call_err::<command::Connect>(connect_to(&id));
    let Some(ErrorDetails::Diagnosis { candidates }) = err.details else {
        panic!("no diagnosis: {err:?}");
    };
    let changed = candidates
        .iter()
        .find(|c| {
            matches!(
                c.state,
                plexpicker_ipc::CandidateState::Failed {
                    certificate_changed: true,
                    ..
                }
            )
        })
        .expect("a route whose certificate changed");

    // ...and changes again before the user says yes: the pin is the one shown, so the next
    // race still refuses what the server shows now.
    let now_shown = sim
        .sim
        .rotate_self_signed("home-local-self-signed")
        .unwrap();
    assert_ne!(now_shown, shown);
    app.call::<command::TrustCertificate>(RequestArgs {
        request: TrustRequest {
            server_id: id.clone(),
            candidate_id: changed.id.clone(),
        },
    });
    assert_eq!(pins()[&place], shown.as_str(), "exactly the one shown");
    assert!(
        connect().is_err(),
        "a certificate nobody was shown is refused"
    );
}

/// "Watch in Plex" on an alternative records that title as chosen and the top pick it passed
/// over as skipped.
#[test]
fn watching_an_alternative_records_what_was_chosen() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    loaded(&app);
    let pick: PickView = app.call::<command::Pick>(pick_with(&Choices::default()));
    let alt = pick.alternatives[0].id.clone();
    // The mock runtime has no browser: the answer may be an error, the record is made first.
    let _ = app.try_call::<command::WatchInPlex>(WatchInPlexArgs {
        title: TitleRef {
            title_id: alt.clone(),
            episode_id: None,
        },
    });
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.path().join("settings.json")).unwrap()).unwrap();
    let with = |kind: &str| -> Vec<&str> {
        file["settings"]["history"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"]["kind"] == kind)
            .map(|e| e["title_id"].as_str().unwrap())
            .collect()
    };
    assert_eq!(
        with("picked"),
        vec![alt.as_str()],
        "top pick was {}",
        pick.top.id
    );
    assert_eq!(with("skipped"), vec![pick.top.id.as_str()]);
}

/// "Watch in Plex" on a show hands the shell the suggested episode's page, not the show's; an
/// episode that is not the show's own is refused. (The mock runtime has no browser, so the
/// command fails and says the address to open: the one the shell was given.)
#[test]
fn watching_a_show_opens_its_suggested_episode() {
    let sim = home_sim();
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    loaded(&app);
    let pick: PickView = app.call::<command::Pick>(pick_with(&Choices {
        format: Format::Show,
        ..Choices::default()
    }));
    let episode = pick
        .top
        .episode_id
        .clone()
        .expect("a show's card names its episode");
    assert!(
        pick.top
            .watch_url
            .ends_with(&format!("%2Flibrary%2Fmetadata%2F{episode}")),
        "{}",
        pick.top.watch_url
    );
    let watch = |episode_id: Option<String>| {
        app.call_err::<command::WatchInPlex>(WatchInPlexArgs {
            title: TitleRef {
                title_id: pick.top.id.clone(),
                episode_id,
            },
        })
    };
    let opened = watch(Some(episode.clone()));
    assert!(
        opened.message.contains(&pick.top.watch_url),
        "the shell got another address: {}",
        opened.message
    );
    let stranger = watch(Some(pick.alternatives[0].id.clone()));
    assert_eq!(stranger.kind, ErrorKind::NotFound, "{stranger:?}");
}
