//! The typed contract: one zero-sized type per backend command, naming the command, the
//! arguments it takes and what it answers. The UI's one generic `invoke::<C>` is written against
//! this trait, so a command whose arguments or answer change no longer compiles on the side that
//! did not follow.
//!
//! Arguments are the JSON object Tauri hands the command: one key per Rust parameter, in
//! camelCase (`sign_in_with_token(request: AdvancedSignIn)` takes `{ "request": { ... } }`).
//! A command without parameters takes `{}` ([`NoArgs`]); a command that answers nothing answers
//! `null` (`()`).

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::commands as names;

/// One backend command: its registered name, its arguments and its answer.
pub trait Command {
    /// The name registered with `tauri::generate_handler!` (one of [`crate::commands`]).
    const NAME: &'static str;
    /// The `invoke` arguments, as Tauri reads them (camelCase keys).
    type Args: Serialize + DeserializeOwned;
    /// What the command answers when it succeeds (failures are [`crate::IpcError`]).
    type Output: Serialize + DeserializeOwned;
}

/// No arguments: serialises as `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoArgs {}

/// `{ request }`: the commands that take one request struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestArgs<T> {
    pub request: T,
}

/// `list_servers(refresh: bool)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListServersArgs {
    /// Ask plex.tv again rather than use what the backend knows.
    pub refresh: bool,
}

/// `load_libraries(keys: Vec<String>)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadLibrariesArgs {
    /// The section keys of the chosen libraries.
    pub keys: Vec<String>,
}

/// `watch_in_plex(title: TitleRef)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchInPlexArgs {
    pub title: crate::TitleRef,
}

/// `set_insecure_connections(when: InsecureConnections)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetInsecureConnectionsArgs {
    pub when: crate::InsecureConnections,
}

/// `set_use_model(use_model: bool)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetUseModelArgs {
    /// "Let the model choose" (true) or "PlexPicker chooses" (false).
    pub use_model: bool,
}

macro_rules! commands {
    ($($(#[$doc:meta])* $ty:ident = $name:ident, $args:ty => $output:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
            pub struct $ty;

            impl Command for $ty {
                const NAME: &'static str = names::$name;
                type Args = $args;
                type Output = $output;
            }
        )*

        /// Every command's name, for the backend's registration test.
        pub const ALL: &[&str] = &[$(names::$name),*];
    };
}

commands! {
    /// What the app is: name, version, platform.
    AppInfo = APP_INFO, NoArgs => crate::AppInfo;
    /// Where the app stands after a (re)start.
    Startup = STARTUP, NoArgs => crate::Startup;
    /// Starts a PIN sign-in; [`crate::SignInEvent`]s follow on [`crate::events::SIGN_IN`].
    StartSignIn = START_SIGN_IN, NoArgs => crate::PinStarted;
    /// Opens Plex's approval page in the browser again.
    OpenSignInPage = OPEN_SIGN_IN_PAGE, NoArgs => ();
    /// Stops waiting for the PIN.
    CancelSignIn = CANCEL_SIGN_IN, NoArgs => ();
    /// Connects by URL and token.
    SignInWithToken = SIGN_IN_WITH_TOKEN, RequestArgs<crate::AdvancedSignIn> => crate::ServerView;
    /// The built-in demo library.
    StartDemo = START_DEMO, NoArgs => crate::LoadedCatalog;
    /// The servers the account can use.
    ListServers = LIST_SERVERS, ListServersArgs => Vec<crate::ServerView>;
    /// The Plex Home's profiles.
    ListProfiles = LIST_PROFILES, NoArgs => Vec<crate::ProfileView>;
    /// Who is watching: loads each other profile's watch state.
    ChooseProfiles = CHOOSE_PROFILES, RequestArgs<crate::ProfilesRequest> => crate::RoomView;
    /// Races the routes to a server; [`crate::CandidateView`]s on [`crate::events::CONNECT`].
    Connect = CONNECT, RequestArgs<crate::ConnectRequest> => crate::ConnectOutcome;
    /// Accepts a server's new self-signed certificate.
    TrustCertificate = TRUST_CERTIFICATE, RequestArgs<crate::TrustRequest> => ();
    /// The connected server's movie and show libraries.
    ListLibraries = LIST_LIBRARIES, NoArgs => Vec<crate::LibraryView>;
    /// Loads the chosen libraries; [`crate::LoadProgress`] on [`crate::events::LOAD`].
    LoadLibraries = LOAD_LIBRARIES, LoadLibrariesArgs => crate::LoadedCatalog;
    /// Picks something.
    Pick = PICK, RequestArgs<crate::PickRequest> => crate::PickView;
    /// "Not this one", then a new pick.
    Reject = REJECT, RequestArgs<crate::RejectRequest> => crate::PickView;
    /// Opens the title in Plex Web.
    WatchInPlex = WATCH_IN_PLEX, WatchInPlexArgs => ();
    /// Forgets the token and the server.
    SignOut = SIGN_OUT, NoArgs => ();
    /// The About panel.
    About = ABOUT, NoArgs => crate::About;
    /// Saves "Allow insecure connections"; answers the About panel as it now reads.
    SetInsecureConnections = SET_INSECURE_CONNECTIONS, SetInsecureConnectionsArgs => crate::About;
    /// The AI provider panel.
    AiSettings = AI_SETTINGS, NoArgs => crate::AiSettingsView;
    /// Saves the AI provider (the key goes to the secret store, never back).
    SetAiProvider = SET_AI_PROVIDER, RequestArgs<crate::AiProviderRequest> => crate::AiSettingsView;
    /// One tiny request to the saved provider: latency or the exact problem.
    TestAiProvider = TEST_AI_PROVIDER, NoArgs => crate::AiTestView;
    /// The saved provider's models.
    ListAiModels = LIST_AI_MODELS, NoArgs => Vec<String>;
    /// Stops waiting for the model: the pending pick answers with the engine's pick.
    CancelAiPick = CANCEL_AI_PICK, NoArgs => ();
    /// Remembers "Let the model choose".
    SetUseModel = SET_USE_MODEL, SetUseModelArgs => ();
}

#[cfg(test)]
mod tests {
    //! The contract against the JSON the current backend reads and writes. The type
    //! assertions fail to compile when a command's arguments or answer change; the JSON checks
    //! fail when their wire shape does.

    use serde_json::{json, Value};

    use super::*;
    use crate::{
        Choices, ConnectOutcome, ErrorKind, IpcError, LibraryKind, LibraryView, LoadedCatalog,
        PickCard, PickView, RejectReason, ServerView,
    };

    /// Compiles only when `C` takes `A` and answers `O`.
    fn types<C: Command<Args = A, Output = O>, A, O>() -> &'static str {
        C::NAME
    }

    fn args<C: Command>(value: Value) -> C::Args {
        let args: C::Args = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{}: {value} does not decode: {e}", C::NAME));
        assert_eq!(
            serde_json::to_value(&args).unwrap(),
            value,
            "{} re-encodes its arguments differently",
            C::NAME
        );
        args
    }

    fn output<C: Command>(value: Value) -> C::Output {
        let out: C::Output = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{}: {value} does not decode: {e}", C::NAME));
        assert_eq!(serde_json::to_value(&out).unwrap(), value, "{}", C::NAME);
        out
    }

    fn server() -> ServerView {
        ServerView {
            id: "m1".into(),
            name: "Home".into(),
            owned: true,
            owner: None,
            home: false,
            online: true,
        }
    }

    fn card() -> PickCard {
        PickCard {
            id: "42".into(),
            title: "Heat".into(),
            year: Some(1995),
            kind_label: "Movie".into(),
            minutes: Some(170),
            critic_rating: Some("8.3".into()),
            audience_rating: None,
            content_rating: Some("R".into()),
            genres: vec!["Crime".into()],
            summary: "A heist.".into(),
            reason: "Rated 8.3".into(),
            episode: None,
            episode_id: None,
            poster_url: Some("poster://localhost/42".into()),
            watch_url: "https://app.plex.tv/desktop/#!/server/m1/details?key=x".into(),
            score: 83,
        }
    }

    #[test]
    fn every_command_has_its_types() {
        use crate::commands as n;
        let pairs = [
            (types::<AppInfo, NoArgs, crate::AppInfo>(), n::APP_INFO),
            (types::<Startup, NoArgs, crate::Startup>(), n::STARTUP),
            (
                types::<StartSignIn, NoArgs, crate::PinStarted>(),
                n::START_SIGN_IN,
            ),
            (types::<OpenSignInPage, NoArgs, ()>(), n::OPEN_SIGN_IN_PAGE),
            (types::<CancelSignIn, NoArgs, ()>(), n::CANCEL_SIGN_IN),
            (
                types::<SignInWithToken, RequestArgs<crate::AdvancedSignIn>, ServerView>(),
                n::SIGN_IN_WITH_TOKEN,
            ),
            (types::<StartDemo, NoArgs, LoadedCatalog>(), n::START_DEMO),
            (
                types::<ListServers, ListServersArgs, Vec<ServerView>>(),
                n::LIST_SERVERS,
            ),
            (
                types::<Connect, RequestArgs<crate::ConnectRequest>, ConnectOutcome>(),
                n::CONNECT,
            ),
            (
                types::<TrustCertificate, RequestArgs<crate::TrustRequest>, ()>(),
                n::TRUST_CERTIFICATE,
            ),
            (
                types::<ListLibraries, NoArgs, Vec<LibraryView>>(),
                n::LIST_LIBRARIES,
            ),
            (
                types::<LoadLibraries, LoadLibrariesArgs, LoadedCatalog>(),
                n::LOAD_LIBRARIES,
            ),
            (
                types::<Pick, RequestArgs<crate::PickRequest>, PickView>(),
                n::PICK,
            ),
            (
                types::<Reject, RequestArgs<crate::RejectRequest>, PickView>(),
                n::REJECT,
            ),
            (
                types::<WatchInPlex, WatchInPlexArgs, ()>(),
                n::WATCH_IN_PLEX,
            ),
            (types::<SignOut, NoArgs, ()>(), n::SIGN_OUT),
            (types::<About, NoArgs, crate::About>(), n::ABOUT),
            (
                types::<SetInsecureConnections, SetInsecureConnectionsArgs, crate::About>(),
                n::SET_INSECURE_CONNECTIONS,
            ),
            (
                types::<AiSettings, NoArgs, crate::AiSettingsView>(),
                n::AI_SETTINGS,
            ),
            (
                types::<SetAiProvider, RequestArgs<crate::AiProviderRequest>, crate::AiSettingsView>(
                ),
                n::SET_AI_PROVIDER,
            ),
            (
                types::<TestAiProvider, NoArgs, crate::AiTestView>(),
                n::TEST_AI_PROVIDER,
            ),
            (
                types::<ListAiModels, NoArgs, Vec<String>>(),
                n::LIST_AI_MODELS,
            ),
            (types::<CancelAiPick, NoArgs, ()>(), n::CANCEL_AI_PICK),
            (
                types::<ListProfiles, NoArgs, Vec<crate::ProfileView>>(),
                n::LIST_PROFILES,
            ),
            (
                types::<ChooseProfiles, RequestArgs<crate::ProfilesRequest>, crate::RoomView>(),
                n::CHOOSE_PROFILES,
            ),
            (
                types::<SetUseModel, SetUseModelArgs, ()>(),
                n::SET_USE_MODEL,
            ),
        ];
        for (name, expected) in pairs {
            assert_eq!(name, expected);
        }
        assert_eq!(ALL.len(), pairs.len());
        let mut names: Vec<_> = ALL.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "command names are distinct");
    }

    #[test]
    fn arguments_are_the_json_tauri_reads() {
        assert_eq!(serde_json::to_value(NoArgs {}).unwrap(), json!({}));
        let advanced = args::<SignInWithToken>(json!({
            "request": {"serverUrl": "http://127.0.0.1:32400", "token": "t"}
        }));
        assert_eq!(advanced.request.server_url, "http://127.0.0.1:32400");
        assert!(args::<ListServers>(json!({"refresh": true})).refresh);
        assert_eq!(
            args::<Connect>(json!({"request": {"serverId": "m1"}}))
                .request
                .server_id,
            "m1"
        );
        let trust = args::<TrustCertificate>(json!({
            "request": {"serverId": "m1", "candidateId": "c2"}
        }));
        assert_eq!(trust.request.candidate_id, "c2");
        assert_eq!(
            args::<LoadLibraries>(json!({"keys": ["1", "2"]})).keys,
            ["1", "2"]
        );
        let choices = serde_json::to_value(Choices::default()).unwrap();
        let pick = args::<Pick>(json!({"request": {"choices": choices, "ai": false}}));
        assert!(!pick.request.ai);
        // A window that predates the switch sends no `ai`: the engine picks.
        let old: crate::PickRequest = serde_json::from_value(json!({"choices": choices})).unwrap();
        assert!(!old.ai);
        assert!(
            args::<Pick>(json!({"request": {"choices": choices, "ai": true}}))
                .request
                .ai
        );
        assert!(args::<SetUseModel>(json!({"useModel": true})).use_model);
        let provider = args::<SetAiProvider>(json!({"request": {
            "preset": "custom", "baseUrl": "http://127.0.0.1:9/v1", "model": "m",
            "key": {"set": "sk-1"}, "enabled": true, "maxCandidates": 60, "timeoutSecs": 60
        }}));
        assert_eq!(provider.request.key, crate::AiKeyChange::Set("sk-1".into()));
        let keep = args::<SetAiProvider>(json!({"request": {
            "preset": "ollama", "baseUrl": "http://127.0.0.1:11434/v1", "model": "llama3.2",
            "key": "keep", "enabled": false, "maxCandidates": 10, "timeoutSecs": 30
        }}));
        assert_eq!(keep.request.key, crate::AiKeyChange::Keep);
        let reject = args::<Reject>(json!({
            "request": {"titleId": "42", "reason": "seen_it", "choices": choices}
        }));
        assert_eq!(reject.request.reason, RejectReason::SeenIt);
        assert_eq!(
            args::<WatchInPlex>(json!({"title": {"titleId": "42"}}))
                .title
                .title_id,
            "42"
        );
    }

    #[test]
    fn outputs_are_the_json_the_backend_writes() {
        output::<OpenSignInPage>(Value::Null);
        output::<SignOut>(Value::Null);
        let pin = output::<StartSignIn>(json!({
            "code": "ABCD", "expiresInSecs": 600, "browserOpened": true
        }));
        assert_eq!(pin.expires_in_secs, 600);
        let servers = output::<ListServers>(serde_json::to_value(vec![server()]).unwrap());
        assert_eq!(servers, [server()]);
        output::<Connect>(json!({
            "server": serde_json::to_value(server()).unwrap(),
            "candidates": [{
                "id": "c1", "label": "Local", "address": "https://127.0.0.1:32400",
                "kind": "local", "state": {"state": "connected", "latency_ms": 3}, "winner": true
            }]
        }));
        let libraries = output::<ListLibraries>(json!([
            {"key": "1", "title": "Movies", "kind": "movie", "count": 10, "chosen": true}
        ]));
        assert_eq!(libraries[0].kind, LibraryKind::Movie);
        let catalog = output::<LoadLibraries>(json!({
            "movies": 10, "shows": 2, "genres": ["Drama"], "loadedAt": 1, "fromCache": false
        }));
        assert_eq!(catalog.movies, 10);
        let view = PickView {
            top: card(),
            alternatives: vec![],
            sentence: "Let's watch a movie.".into(),
            matches: 3,
            curation: None,
        };
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["top"]["watchUrl"], card().watch_url);
        assert_eq!(json["top"]["score"], 83);
        assert_eq!(output::<Pick>(json.clone()), view);
        // A backend that predates curation writes no `curation`.
        let mut old = json;
        old.as_object_mut().unwrap().remove("curation");
        assert_eq!(serde_json::from_value::<PickView>(old).unwrap(), view);
        let curated = output::<Pick>(json!({
            "top": serde_json::to_value(card()).unwrap(), "alternatives": [],
            "sentence": "s", "matches": 3,
            "curation": {"byModel": false, "credit": null,
                         "note": crate::STOPPED_NOTE}
        }));
        assert_eq!(
            curated.curation.unwrap().note.as_deref(),
            Some("You stopped the model. Showing PlexPicker's own pick.")
        );
        let settings = output::<AiSettings>(json!({
            "presets": [{"id": "ollama", "label": "Ollama",
                         "baseUrl": "http://127.0.0.1:11434/v1", "needsKey": false}],
            "provider": {"preset": "ollama", "baseUrl": "http://127.0.0.1:11434/v1",
                         "model": "llama3.2", "hasKey": false},
            "enabled": true, "useModel": false, "maxCandidates": 60, "timeoutSecs": 60,
            "privacy": "p"
        }));
        assert_eq!(settings.provider.unwrap().model, "llama3.2");
        let test = output::<TestAiProvider>(json!({
            "latencyMs": 12, "model": "llama3.2", "provider": "Ollama"
        }));
        assert_eq!(test.latency_ms, 12);
        assert_eq!(output::<ListAiModels>(json!(["a", "b"])), ["a", "b"]);
        output::<CancelAiPick>(Value::Null);
        output::<SetUseModel>(Value::Null);
        let startup = output::<Startup>(json!({
            "signedIn": false, "account": null, "server": null, "catalog": null,
            "choices": serde_json::to_value(Choices::default()).unwrap(),
            "notice": null, "demo": false, "watching": ["Ann", "Sam"]
        }));
        assert!(!startup.signed_in);
        assert_eq!(startup.watching, ["Ann", "Sam"]);
        // A backend from before "Who's watching?" says nothing of it: the account alone.
        let older: crate::Startup = serde_json::from_value(json!({
            "signedIn": false, "account": null, "server": null, "catalog": null,
            "choices": serde_json::to_value(Choices::default()).unwrap(),
            "notice": null, "demo": false
        }))
        .unwrap();
        assert!(older.watching.is_empty());
        // Failures are the one error type, whatever the command.
        let err: IpcError =
            serde_json::from_value(json!({"kind": "no_match", "message": "Nothing."})).unwrap();
        assert_eq!(err.kind, ErrorKind::NoMatch);
    }
}
