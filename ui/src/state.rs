//! The UI's state and the reducer that changes it. Pure Rust with no DOM access, so every
//! transition is unit-tested natively. Components only read this state and dispatch
//! [`Action`]s; the calls to the backend live in [`crate::effects`].

use std::rc::Rc;

use plexpicker_ipc::{
    About, AdvancedSignIn, CandidateView, Choices, ConnectOutcome, ContentLevel, ErrorDetails,
    ErrorKind, Format, IpcError, LibraryView, LoadProgress, LoadedCatalog, Mood, PickView,
    PinStarted, RuntimeLimit, ServerView, SignInEvent, Startup, WatchFilter, YearFilter,
};
use yew::Reducible;

/// Which page the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// Waiting for the backend's `startup` answer.
    #[default]
    Starting,
    Welcome,
    /// Waiting for the user to approve the PIN on Plex's page.
    Waiting,
    Servers,
    Connecting,
    Libraries,
    Picker,
    Results,
}

/// Something fetched from the backend.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Remote<T> {
    #[default]
    Loading,
    Ready(T),
    Failed(IpcError),
}

impl<T> Remote<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(value) => Some(value),
            _ => None,
        }
    }
}

/// Who is signed in and to what.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    pub signed_in: bool,
    pub account: Option<String>,
    /// The server in use (or chosen last).
    pub server: Option<ServerView>,
    /// The demo library is in use.
    pub demo: bool,
}

/// What the Welcome page is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WelcomeBusy {
    Advanced,
    Demo,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct WelcomeState {
    pub advanced_open: bool,
    pub busy: Option<WelcomeBusy>,
    pub error: Option<IpcError>,
}

/// Where a PIN sign-in stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SignInPhase {
    /// `start_sign_in` has not answered yet.
    #[default]
    Starting,
    /// The code is on screen; waiting for approval.
    Waiting,
    /// The code expired before it was approved.
    Expired,
    /// It went wrong: the error says what to do.
    Failed(IpcError),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignInState {
    pub phase: SignInPhase,
    pub code: Option<String>,
    pub secs_left: u64,
    pub browser_opened: bool,
    /// Opening the page again failed.
    pub reopen_error: Option<IpcError>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServersState {
    /// Bumped whenever the list should be (re)loaded; the page loads it on a change.
    pub request: u32,
    /// Ask plex.tv again rather than use what the backend knows.
    pub refresh: bool,
    pub list: Remote<Vec<ServerView>>,
}

/// Where a connection attempt stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ConnectPhase {
    #[default]
    Running,
    Connected,
    Failed(IpcError),
}

/// What happens when a connection works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AfterConnect {
    /// Go on to choose libraries.
    #[default]
    Libraries,
    /// Stay and say so (a connection check while a catalog is loaded).
    Report,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConnectState {
    /// Bumped for every attempt; the page runs `connect` on a change and answers are matched
    /// to it, so a late answer from an old attempt is ignored.
    pub attempt: u32,
    pub server: Option<ServerView>,
    pub candidates: Vec<CandidateView>,
    pub phase: ConnectPhase,
    pub after: AfterConnect,
    /// The candidate whose certificate is being trusted.
    pub trusting: Option<String>,
    pub trust_error: Option<IpcError>,
}

/// Where loading the chosen libraries stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LoadPhase {
    #[default]
    Idle,
    /// Loading; the last progress report, if one came.
    Loading(Option<LoadProgress>),
    Failed(IpcError),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LibrariesState {
    /// Bumped whenever the list should be (re)loaded.
    pub request: u32,
    pub list: Remote<Vec<LibraryView>>,
    pub load: LoadPhase,
}

impl LibrariesState {
    /// The keys of the chosen libraries.
    pub fn chosen_keys(&self) -> Vec<String> {
        self.list
            .ready()
            .map(|list| {
                list.iter()
                    .filter(|l| l.chosen)
                    .map(|l| l.key.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PickState {
    pub busy: bool,
    /// Shown right under the Pick button.
    pub error: Option<IpcError>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultsState {
    pub view: Option<PickView>,
    /// "Not this one" is asking why.
    pub asking: bool,
    /// A reject or a new pick is running.
    pub busy: bool,
    /// Shown under the Results buttons.
    pub error: Option<IpcError>,
}

/// The whole UI state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub screen: Screen,
    /// Something to tell the user, in a dismissible banner.
    pub notice: Option<String>,
    pub session: Session,
    pub welcome: WelcomeState,
    pub sign_in: SignInState,
    pub servers: ServersState,
    pub connect: ConnectState,
    pub libraries: LibrariesState,
    pub catalog: Option<LoadedCatalog>,
    /// Progress of a background refresh of a cached catalog.
    pub refreshing: Option<LoadProgress>,
    pub choices: Choices,
    pub filters_open: bool,
    pub pick: PickState,
    pub results: ResultsState,
    /// The About panel: `None` when closed.
    pub about: Option<Remote<About>>,
}

impl State {
    /// Signed in or in the demo: the header shows the session controls.
    pub fn in_session(&self) -> bool {
        self.session.signed_in || self.session.demo || self.catalog.is_some()
    }

    /// How many "More filters" are set.
    pub fn active_filters(&self) -> usize {
        let c = &self.choices;
        [
            c.runtime.is_some(),
            !c.include_genres.is_empty(),
            !c.exclude_genres.is_empty(),
            c.years.is_some(),
            c.max_content.is_some(),
            c.min_critic.is_some(),
            c.min_audience.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count()
    }

    /// The decades chosen in the years filter.
    pub fn decades(&self) -> Vec<u16> {
        match &self.choices.years {
            Some(YearFilter::Decades { decades }) => decades.clone(),
            _ => Vec::new(),
        }
    }
}

/// The decades the filter offers.
pub const DECADES: [u16; 11] = [
    1920, 1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020,
];

/// Everything that can happen to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // Start
    /// `startup` answered.
    StartupLoaded(Result<Startup, IpcError>),
    DismissNotice,

    // Welcome and sign-in
    ToggleAdvanced,
    /// "Sign in with Plex" (or "New code" / "Try again"): `start_sign_in` is running.
    SignInRequested,
    /// `start_sign_in` answered.
    PinStarted(Result<PinStarted, IpcError>),
    /// An event on `events::SIGN_IN`.
    SignInEvent(SignInEvent),
    /// One second passed on the Waiting page.
    Tick,
    /// `open_sign_in_page` answered.
    PageOpened(Result<(), IpcError>),
    /// "Cancel": back to Welcome.
    CancelSignIn,
    /// "Connect" on the advanced form: `sign_in_with_token` is running.
    AdvancedRequested,
    AdvancedFinished(Result<ServerView, IpcError>),
    /// The advanced form was not filled in properly.
    AdvancedInvalid(String),
    /// "Try the demo": `start_demo` is running.
    DemoRequested,
    DemoFinished(Result<LoadedCatalog, IpcError>),

    // Servers
    /// "Switch": show the server list.
    ShowServers,
    /// "Refresh": ask plex.tv again.
    RefreshServers,
    ServersLoaded {
        request: u32,
        result: Result<Vec<ServerView>, IpcError>,
    },

    // Connecting
    /// A server was chosen: connect to it, then choose libraries.
    ChooseServer(ServerView),
    /// "Check connection": connect again to the current server.
    CheckConnection,
    /// "Retry" after a failure.
    RetryConnect,
    /// An event on `events::CONNECT`.
    CandidateUpdated(CandidateView),
    ConnectFinished {
        attempt: u32,
        result: Result<ConnectOutcome, IpcError>,
    },
    /// "Trust the new certificate" on a candidate: `trust_certificate` is running.
    TrustRequested(String),
    /// `trust_certificate` answered; on success a new attempt starts.
    TrustFinished(Result<(), IpcError>),

    // Libraries
    /// Go to the library list (after a connection check).
    ShowLibraries,
    LibrariesLoaded {
        request: u32,
        result: Result<Vec<LibraryView>, IpcError>,
    },
    /// Tick or untick a library by key.
    ToggleLibrary(String),
    /// "Load": `load_libraries` is running.
    LoadRequested,
    /// An event on `events::LOAD`.
    LoadProgressed(LoadProgress),
    LoadFinished(Result<LoadedCatalog, IpcError>),

    // Picker
    /// Back to the wheels.
    ShowPicker,
    SetFormat(Format),
    SetWatch(WatchFilter),
    SetMood(Mood),
    SetRuntime(Option<RuntimeLimit>),
    ToggleIncludeGenre(String),
    ToggleExcludeGenre(String),
    ToggleDecade(u16),
    SetMaxContent(Option<ContentLevel>),
    SetMinCritic(Option<f32>),
    /// Replace all choices at once (relaxing the filter a no-match named).
    SetChoices(Choices),
    ResetFilters,
    ToggleFilters,
    /// "Pick" or "Pick again": `pick` is running.
    PickRequested,
    PickFinished(Result<PickView, IpcError>),

    // Results
    /// An alternative was chosen: it becomes the top pick.
    ShowAlternative(usize),
    /// "Not this one": ask why.
    AskWhy,
    CancelAsk,
    /// A reason was chosen: `reject` is running.
    RejectRequested,
    RejectFinished(Result<PickView, IpcError>),
    /// "Watch in Plex" could not open the title.
    WatchFailed(IpcError),

    // Session
    /// "Sign out" / "Exit demo" answered (the UI resets either way).
    SignedOut(Result<(), IpcError>),
    OpenAbout,
    AboutLoaded(Result<About, IpcError>),
    CloseAbout,
}

/// Where the app lands after a (re)start.
pub fn landing(startup: &Startup) -> Screen {
    match startup {
        Startup {
            catalog: Some(_), ..
        } => Screen::Picker,
        Startup {
            signed_in: true,
            server: Some(_),
            ..
        } => Screen::Connecting,
        Startup {
            signed_in: true, ..
        } => Screen::Servers,
        _ => Screen::Welcome,
    }
}

/// The choices without the filter a no-match named (`picker::Filter` ids), if the UI can lift
/// it.
pub fn relaxed(choices: &Choices, filter: &str) -> Option<Choices> {
    let mut next = choices.clone();
    match filter {
        "format" => next.format = Format::Any,
        "watch" => next.watch = WatchFilter::All,
        "mood" => next.mood = Mood::Anything,
        "include_genres" => next.include_genres.clear(),
        "exclude_genres" => next.exclude_genres.clear(),
        "years" => next.years = None,
        "content_rating" => next.max_content = None,
        "critic_rating" => next.min_critic = None,
        "audience_rating" => next.min_audience = None,
        "runtime" => next.runtime = None,
        _ => return None,
    }
    (next != *choices).then_some(next)
}

/// What a no-match error suggests: the filter to lift and how many titles would match.
pub fn no_match_hint(err: &IpcError) -> Option<(String, u64)> {
    match (&err.kind, &err.details) {
        (ErrorKind::NoMatch, Some(ErrorDetails::NoMatch { filter, without })) if *without > 0 => {
            Some((filter.clone(), *without))
        }
        _ => None,
    }
}

/// The advanced form's request, or what is missing in plain words.
pub fn advanced_request(url: &str, token: &str) -> Result<AdvancedSignIn, String> {
    let url = url.trim();
    let token = token.trim();
    match (url.is_empty(), token.is_empty()) {
        (true, true) => Err("Enter your server's address and an X-Plex-Token.".into()),
        (true, false) => Err("Enter your server's address, like http://192.168.1.5:32400.".into()),
        (false, true) => Err("Enter an X-Plex-Token for that server.".into()),
        (false, false) => Ok(AdvancedSignIn {
            server_url: url.to_string(),
            token: token.to_string(),
        }),
    }
}

/// The words for a `picker::Filter` id, for a "Try without …" button.
pub fn filter_noun(filter: &str) -> &'static str {
    match filter {
        "format" => "the format choice",
        "watch" => "the watched choice",
        "mood" => "the mood",
        "include_genres" => "the genre choice",
        "exclude_genres" => "the excluded genres",
        "years" => "the decades",
        "content_rating" => "the content-rating ceiling",
        "critic_rating" => "the minimum rating",
        "audience_rating" => "the minimum audience rating",
        "runtime" => "the time limit",
        _ => "that filter",
    }
}

fn toggle(list: &mut Vec<String>, item: String) -> bool {
    if let Some(i) = list.iter().position(|g| g.eq_ignore_ascii_case(&item)) {
        list.remove(i);
        false
    } else {
        list.push(item);
        true
    }
}

fn remove(list: &mut Vec<String>, item: &str) {
    list.retain(|g| !g.eq_ignore_ascii_case(item));
}

impl State {
    /// Back to Welcome with nothing of the old session left (the notice stays).
    fn signed_out(&self) -> State {
        State {
            screen: Screen::Welcome,
            notice: self.notice.clone(),
            ..State::default()
        }
    }

    fn start_connect(&mut self, server: Option<ServerView>, after: AfterConnect) {
        self.screen = Screen::Connecting;
        self.connect.attempt = self.connect.attempt.wrapping_add(1);
        if server.is_some() {
            self.connect.server = server;
        }
        self.connect.candidates.clear();
        self.connect.phase = ConnectPhase::Running;
        self.connect.after = after;
        self.connect.trusting = None;
        self.connect.trust_error = None;
    }

    fn show_servers(&mut self, refresh: bool) {
        self.screen = Screen::Servers;
        self.servers.request = self.servers.request.wrapping_add(1);
        self.servers.refresh = refresh;
        self.servers.list = Remote::Loading;
    }

    fn show_libraries(&mut self) {
        self.screen = Screen::Libraries;
        self.libraries.request = self.libraries.request.wrapping_add(1);
        self.libraries.list = Remote::Loading;
        self.libraries.load = LoadPhase::Idle;
    }

    fn show_results(&mut self, view: PickView) {
        self.screen = Screen::Results;
        self.results = ResultsState {
            view: Some(view),
            ..ResultsState::default()
        };
        self.pick = PickState::default();
    }

    /// Applies one action. Answers that arrive for a screen the user has left are ignored.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::StartupLoaded(Ok(startup)) => {
                self.screen = landing(&startup);
                self.notice = startup.notice.clone().filter(|n| !n.trim().is_empty());
                self.choices = startup.choices.clone();
                self.session = Session {
                    signed_in: startup.signed_in,
                    account: startup.account.clone(),
                    server: startup.server.clone(),
                    demo: startup.demo && startup.catalog.is_some(),
                };
                match self.screen {
                    Screen::Picker => self.catalog = startup.catalog,
                    Screen::Connecting => {
                        self.start_connect(startup.server, AfterConnect::Libraries)
                    }
                    Screen::Servers => self.show_servers(false),
                    _ => {}
                }
            }
            Action::StartupLoaded(Err(err)) => {
                self.screen = Screen::Welcome;
                self.welcome.error = Some(err);
            }
            Action::DismissNotice => self.notice = None,

            Action::ToggleAdvanced => {
                self.welcome.advanced_open = !self.welcome.advanced_open;
                self.welcome.error = None;
            }
            Action::SignInRequested => {
                self.screen = Screen::Waiting;
                self.sign_in = SignInState::default();
                self.welcome.error = None;
            }
            Action::PinStarted(result) => {
                if self.screen != Screen::Waiting || self.sign_in.phase != SignInPhase::Starting {
                    return;
                }
                match result {
                    Ok(pin) => {
                        self.sign_in.phase = SignInPhase::Waiting;
                        self.sign_in.code = Some(pin.code);
                        self.sign_in.secs_left = pin.expires_in_secs;
                        self.sign_in.browser_opened = pin.browser_opened;
                    }
                    Err(err) => self.sign_in.phase = SignInPhase::Failed(err),
                }
            }
            Action::SignInEvent(event) => {
                if self.screen != Screen::Waiting {
                    return;
                }
                match event {
                    SignInEvent::Waiting { secs_left } => {
                        if matches!(
                            self.sign_in.phase,
                            SignInPhase::Waiting | SignInPhase::Starting
                        ) {
                            self.sign_in.secs_left = secs_left;
                        }
                    }
                    SignInEvent::SignedIn { account } => {
                        self.session.signed_in = true;
                        self.session.demo = false;
                        self.session.account = account;
                        self.sign_in = SignInState::default();
                        self.show_servers(false);
                    }
                    SignInEvent::Expired => {
                        self.sign_in.phase = SignInPhase::Expired;
                        self.sign_in.secs_left = 0;
                    }
                    SignInEvent::Cancelled => {
                        self.screen = Screen::Welcome;
                        self.sign_in = SignInState::default();
                    }
                    SignInEvent::Failed { error } => {
                        self.sign_in.phase = SignInPhase::Failed(error);
                    }
                }
            }
            Action::Tick => {
                if self.screen == Screen::Waiting && self.sign_in.phase == SignInPhase::Waiting {
                    self.sign_in.secs_left = self.sign_in.secs_left.saturating_sub(1);
                }
            }
            Action::PageOpened(result) => {
                self.sign_in.reopen_error = result.err();
                if self.sign_in.reopen_error.is_none() {
                    self.sign_in.browser_opened = true;
                }
            }
            Action::CancelSignIn => {
                self.screen = Screen::Welcome;
                self.sign_in = SignInState::default();
            }
            Action::AdvancedRequested => {
                self.welcome.busy = Some(WelcomeBusy::Advanced);
                self.welcome.error = None;
            }
            Action::AdvancedFinished(result) => {
                if self.welcome.busy != Some(WelcomeBusy::Advanced) {
                    return;
                }
                self.welcome.busy = None;
                match result {
                    Ok(server) => {
                        self.session = Session {
                            signed_in: true,
                            account: None,
                            server: Some(server.clone()),
                            demo: false,
                        };
                        self.connect.server = Some(server);
                        self.connect.phase = ConnectPhase::Connected;
                        self.welcome.advanced_open = false;
                        self.show_libraries();
                    }
                    Err(err) => self.welcome.error = Some(err),
                }
            }
            Action::AdvancedInvalid(message) => {
                self.welcome.error = Some(IpcError::new(ErrorKind::InvalidRequest, message));
            }
            Action::DemoRequested => {
                self.welcome.busy = Some(WelcomeBusy::Demo);
                self.welcome.error = None;
            }
            Action::DemoFinished(result) => {
                if self.welcome.busy != Some(WelcomeBusy::Demo) {
                    return;
                }
                self.welcome.busy = None;
                match result {
                    Ok(catalog) => {
                        self.session = Session {
                            demo: true,
                            ..Session::default()
                        };
                        self.catalog = Some(catalog);
                        self.screen = Screen::Picker;
                        self.pick = PickState::default();
                    }
                    Err(err) => self.welcome.error = Some(err),
                }
            }

            Action::ShowServers => {
                if self.session.signed_in {
                    self.show_servers(false);
                }
            }
            Action::RefreshServers => self.show_servers(true),
            Action::ServersLoaded { request, result } => {
                if self.screen != Screen::Servers || request != self.servers.request {
                    return;
                }
                self.servers.list = match result {
                    Ok(list) => Remote::Ready(list),
                    Err(err) => Remote::Failed(err),
                };
            }

            Action::ChooseServer(server) => {
                self.session.server = Some(server.clone());
                self.start_connect(Some(server), AfterConnect::Libraries);
            }
            Action::CheckConnection => {
                if self.session.demo || self.session.server.is_none() {
                    return;
                }
                let after = if self.catalog.is_some() {
                    AfterConnect::Report
                } else {
                    AfterConnect::Libraries
                };
                self.start_connect(self.session.server.clone(), after);
            }
            Action::RetryConnect => {
                let after = self.connect.after;
                self.start_connect(None, after);
            }
            Action::CandidateUpdated(view) => {
                if self.screen != Screen::Connecting || self.connect.phase != ConnectPhase::Running
                {
                    return;
                }
                merge_candidate(&mut self.connect.candidates, view);
            }
            Action::ConnectFinished { attempt, result } => {
                if self.screen != Screen::Connecting || attempt != self.connect.attempt {
                    return;
                }
                match result {
                    Ok(outcome) => {
                        self.connect.candidates = outcome.candidates;
                        self.connect.server = Some(outcome.server.clone());
                        self.session.server = Some(outcome.server);
                        self.connect.phase = ConnectPhase::Connected;
                        if self.connect.after == AfterConnect::Libraries {
                            self.show_libraries();
                        }
                    }
                    Err(err) => {
                        if let Some(ErrorDetails::Diagnosis { candidates }) = &err.details {
                            if !candidates.is_empty() {
                                self.connect.candidates = candidates.clone();
                            }
                        }
                        self.connect.phase = ConnectPhase::Failed(err);
                    }
                }
            }
            Action::TrustRequested(candidate) => {
                self.connect.trusting = Some(candidate);
                self.connect.trust_error = None;
            }
            Action::TrustFinished(result) => {
                if self.screen != Screen::Connecting || self.connect.trusting.is_none() {
                    return;
                }
                self.connect.trusting = None;
                match result {
                    Ok(()) => {
                        let after = self.connect.after;
                        self.start_connect(None, after);
                    }
                    Err(err) => self.connect.trust_error = Some(err),
                }
            }

            Action::ShowLibraries => {
                if self.session.signed_in {
                    self.show_libraries();
                }
            }
            Action::LibrariesLoaded { request, result } => {
                if self.screen != Screen::Libraries || request != self.libraries.request {
                    return;
                }
                self.libraries.list = match result {
                    Ok(list) => Remote::Ready(list),
                    Err(err) => Remote::Failed(err),
                };
            }
            Action::ToggleLibrary(key) => {
                if matches!(self.libraries.load, LoadPhase::Loading(_)) {
                    return;
                }
                if let Remote::Ready(list) = &mut self.libraries.list {
                    if let Some(library) = list.iter_mut().find(|l| l.key == key) {
                        library.chosen = !library.chosen;
                    }
                }
            }
            Action::LoadRequested => {
                self.libraries.load = LoadPhase::Loading(None);
            }
            Action::LoadProgressed(progress) => {
                if let LoadPhase::Loading(last) = &mut self.libraries.load {
                    if self.screen == Screen::Libraries {
                        *last = Some(progress);
                        return;
                    }
                }
                // Not loading on this screen: a cached catalog is being refreshed.
                if self.catalog.is_some() {
                    self.refreshing = (progress.loaded < progress.total).then_some(progress);
                }
            }
            Action::LoadFinished(result) => {
                if self.screen != Screen::Libraries
                    || !matches!(self.libraries.load, LoadPhase::Loading(_))
                {
                    return;
                }
                match result {
                    Ok(catalog) => {
                        self.libraries.load = LoadPhase::Idle;
                        self.catalog = Some(catalog);
                        self.refreshing = None;
                        self.screen = Screen::Picker;
                        self.pick = PickState::default();
                        self.results = ResultsState::default();
                    }
                    Err(err) => self.libraries.load = LoadPhase::Failed(err),
                }
            }

            Action::ShowPicker => {
                if self.catalog.is_some() {
                    self.screen = Screen::Picker;
                    self.pick = PickState::default();
                    self.results.asking = false;
                }
            }
            Action::SetFormat(format) => self.set_choices(|c| c.format = format),
            Action::SetWatch(watch) => self.set_choices(|c| c.watch = watch),
            Action::SetMood(mood) => self.set_choices(|c| c.mood = mood),
            Action::SetRuntime(limit) => self.set_choices(|c| c.runtime = limit),
            Action::ToggleIncludeGenre(genre) => self.set_choices(|c| {
                if toggle(&mut c.include_genres, genre.clone()) {
                    remove(&mut c.exclude_genres, &genre);
                }
            }),
            Action::ToggleExcludeGenre(genre) => self.set_choices(|c| {
                if toggle(&mut c.exclude_genres, genre.clone()) {
                    remove(&mut c.include_genres, &genre);
                }
            }),
            Action::ToggleDecade(decade) => self.set_choices(|c| {
                let mut decades = match &c.years {
                    Some(YearFilter::Decades { decades }) => decades.clone(),
                    _ => Vec::new(),
                };
                if let Some(i) = decades.iter().position(|d| *d == decade) {
                    decades.remove(i);
                } else {
                    decades.push(decade);
                    decades.sort_unstable();
                }
                c.years = (!decades.is_empty()).then_some(YearFilter::Decades { decades });
            }),
            Action::SetMaxContent(level) => self.set_choices(|c| c.max_content = level),
            Action::SetMinCritic(rating) => self.set_choices(|c| c.min_critic = rating),
            Action::SetChoices(choices) => self.set_choices(|c| *c = choices),
            Action::ResetFilters => self.set_choices(|c| {
                *c = Choices {
                    format: c.format,
                    watch: c.watch,
                    mood: c.mood,
                    ..Choices::default()
                }
            }),
            Action::ToggleFilters => self.filters_open = !self.filters_open,
            Action::PickRequested => match self.screen {
                Screen::Picker => {
                    self.pick.busy = true;
                    self.pick.error = None;
                }
                Screen::Results => {
                    self.results.busy = true;
                    self.results.asking = false;
                    self.results.error = None;
                }
                _ => {}
            },
            Action::PickFinished(result) | Action::RejectFinished(result) => match self.screen {
                Screen::Picker if self.pick.busy => match result {
                    Ok(view) => self.show_results(view),
                    Err(err) => {
                        self.pick.busy = false;
                        self.pick.error = Some(err);
                    }
                },
                Screen::Results if self.results.busy => match result {
                    Ok(view) => self.show_results(view),
                    Err(err) => {
                        self.results.busy = false;
                        self.results.error = Some(err);
                    }
                },
                _ => {}
            },

            Action::ShowAlternative(index) => {
                if self.results.busy {
                    return;
                }
                if let Some(view) = &mut self.results.view {
                    if let Some(alternative) = view.alternatives.get_mut(index) {
                        std::mem::swap(&mut view.top, alternative);
                        self.results.asking = false;
                        self.results.error = None;
                    }
                }
            }
            Action::AskWhy => {
                if self.results.view.is_some() && !self.results.busy {
                    self.results.asking = true;
                    self.results.error = None;
                }
            }
            Action::CancelAsk => self.results.asking = false,
            Action::RejectRequested => {
                if self.screen == Screen::Results {
                    self.results.busy = true;
                    self.results.error = None;
                }
            }
            Action::WatchFailed(err) => self.results.error = Some(err),

            Action::SignedOut(result) => {
                let mut next = self.signed_out();
                if let Err(err) = result {
                    next.notice = Some(format!(
                        "Signing out did not finish: {}",
                        crate::text::error_message(&err)
                    ));
                }
                *self = next;
            }
            Action::OpenAbout => self.about = Some(Remote::Loading),
            Action::AboutLoaded(result) => {
                if self.about.is_some() {
                    self.about = Some(match result {
                        Ok(about) => Remote::Ready(about),
                        Err(err) => Remote::Failed(err),
                    });
                }
            }
            Action::CloseAbout => self.about = None,
        }
    }

    fn set_choices(&mut self, change: impl FnOnce(&mut Choices)) {
        change(&mut self.choices);
        self.pick.error = None;
    }
}

/// Puts `view` into the list: replaces the candidate with the same id, or adds it. A winner
/// is the only winner.
pub fn merge_candidate(candidates: &mut Vec<CandidateView>, view: CandidateView) {
    if view.winner {
        for other in candidates.iter_mut() {
            other.winner = false;
        }
    }
    match candidates.iter_mut().find(|c| c.id == view.id) {
        Some(existing) => *existing = view,
        None => candidates.push(view),
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests;
