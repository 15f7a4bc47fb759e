//! The UI's state and the reducer that changes it. Pure Rust with no DOM access, so every
//! transition is unit-tested natively.
//!
//! Components read the state and dispatch [`Action`]s. [`State::apply`] hands each action to
//! the module of its flow and returns the backend calls to make as data ([`Effect`]s);
//! [`crate::effects`] runs them and dispatches their answers. No page starts a call itself.
//!
//! - [`session`]: start, welcome, PIN sign-in, demo, sign-out, About
//! - [`servers`]: the server list, connecting and trusting a certificate
//! - [`libraries`]: the library list and loading it
//! - [`picking`]: the wheels, filters, the spin, the pick and its results
//! - [`ai`]: the AI provider panel, the "Let the model choose" switch, the model's thinking
//! - [`profiles`]: "Who's watching?": the Plex Home's profiles and the room

use std::rc::Rc;

use plexpicker_ipc::{
    About, AdvancedSignIn, AiProviderRequest, AiSettingsView, AiTestView, CandidateView, Choices,
    ConnectOutcome, ContentLevel, Format, InsecureConnections, IpcError, LibraryView, LoadProgress,
    LoadedCatalog, Mood, PickView, PinStarted, ProfileLoadProgress, ProfileView, ProfilesRequest,
    RejectReason, RejectRequest, RoomView, RuntimeLimit, ServerView, SignInEvent, Startup,
    TrustRequest, WatchFilter, YearFilter,
};

mod ai;
mod libraries;
mod picking;
mod profiles;
mod servers;
mod session;

pub use ai::{
    test_line, AiBusy, AiField, AiState, Thinking, CUSTOM_PRESET, MAX_CANDIDATES, TIMEOUT_SECS,
};
pub use libraries::{LibrariesState, LoadPhase};
pub use picking::{no_match_hint, PickState, ResultsState};
pub use profiles::{ProfilesPanel, ProfilesState};
pub use servers::{AfterConnect, ConnectPhase, ConnectState, ServersState};
pub use session::{advanced_request, Session, SignInPhase, SignInState, WelcomeBusy, WelcomeState};

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

impl<T> From<Result<T, IpcError>> for Remote<T> {
    fn from(result: Result<T, IpcError>) -> Self {
        match result {
            Ok(value) => Remote::Ready(value),
            Err(err) => Remote::Failed(err),
        }
    }
}

/// The whole UI state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    pub screen: Screen,
    /// Something to tell the user, in a dismissible banner.
    pub notice: Option<String>,
    /// Animations are replaced by steps without movement (the system asks for it, or the
    /// user switched motion off).
    pub reduced_motion: bool,
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
    /// AI curation: the provider's settings, its panel, a pick the model is thinking about.
    pub ai: AiState,
    /// "Who's watching?": the room and its panel.
    pub profiles: ProfilesState,
    /// Bumped whenever the server became reachable again (a connection, a finished load or
    /// background refresh): posters that failed before are asked for again.
    pub poster_retry: u32,
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

    /// Posters that failed may load now.
    pub(super) fn retry_posters(&mut self) {
        self.poster_retry = self.poster_retry.wrapping_add(1);
    }

    /// The year range chosen in the years filter: (from, to), either open.
    pub fn year_range(&self) -> (Option<u16>, Option<u16>) {
        match &self.choices.years {
            Some(YearFilter::Range { from, to }) => (*from, *to),
            _ => (None, None),
        }
    }
}

/// The decades the filter offers.
pub const DECADES: [u16; 11] = [
    1920, 1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020,
];

/// A backend call the reducer asks for, or a timer. [`crate::effects::run`] carries it out and
/// dispatches the answer as an [`Action`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `startup` → [`Action::StartupLoaded`].
    Startup,
    /// `start_sign_in` → [`Action::PinStarted`].
    StartSignIn,
    /// `open_sign_in_page` → [`Action::PageOpened`].
    OpenSignInPage,
    /// `cancel_sign_in`, answer ignored (the PIN simply expires if it fails).
    CancelSignIn,
    /// `sign_in_with_token` → [`Action::AdvancedFinished`].
    SignInWithToken(AdvancedSignIn),
    /// `start_demo` → [`Action::DemoFinished`].
    StartDemo,
    /// `list_servers` → [`Action::ServersLoaded`] for `request`.
    ListServers { request: u32, refresh: bool },
    /// `connect` → [`Action::ConnectFinished`] for `attempt`.
    Connect { attempt: u32, server_id: String },
    /// `trust_certificate` → [`Action::TrustFinished`].
    TrustCertificate(TrustRequest),
    /// `list_libraries` → [`Action::LibrariesLoaded`] for `request`.
    ListLibraries { request: u32 },
    /// `load_libraries` → [`Action::LoadFinished`].
    LoadLibraries { keys: Vec<String> },
    /// `pick` → [`Action::PickFinished`].
    Pick(Choices),
    /// `pick` with the model choosing (`PickRequest.ai`) → [`Action::PickFinished`].
    AiPick(Choices),
    /// `ai_settings` → [`Action::AiSettingsLoaded`].
    AiSettings,
    /// `set_ai_provider` → [`Action::AiSaved`].
    SetAiProvider(AiProviderRequest),
    /// `test_ai_provider` → [`Action::AiTested`].
    TestAiProvider,
    /// `list_ai_models` → [`Action::AiModelsListed`].
    ListAiModels,
    /// `set_use_model`; only a failure is dispatched ([`Action::UseModelFailed`]).
    SetUseModel(bool),
    /// `cancel_ai_pick`, answer ignored: the pick itself answers with the engine's pick.
    CancelAiPick,
    /// `reject` → [`Action::RejectFinished`].
    Reject(RejectRequest),
    /// `watch_in_plex`; only a failure is dispatched ([`Action::WatchFailed`]).
    WatchInPlex {
        title_id: String,
        /// A show's suggested episode, which is what opens.
        episode_id: Option<String>,
    },
    /// `list_profiles` → [`Action::ProfilesLoaded`].
    ListProfiles,
    /// `choose_profiles` → [`Action::ProfilesChosen`].
    ChooseProfiles(ProfilesRequest),
    /// `sign_out` → [`Action::SignedOut`].
    SignOut,
    /// `about` → [`Action::AboutLoaded`].
    About,
    /// `set_insecure_connections` → [`Action::AboutLoaded`].
    SetInsecureConnections(InsecureConnections),
    /// Dispatches `then` after `millis` milliseconds.
    After { millis: u32, then: Box<Action> },
}

/// Everything that can happen to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    // Session and sign-in ([`session`])
    /// The window opened; whether the system asks for reduced motion.
    Opened {
        reduced_motion: bool,
    },
    /// `startup` answered.
    StartupLoaded(Result<Startup, IpcError>),
    DismissNotice,
    /// Motion on or off, from the in-app switch.
    SetReducedMotion(bool),
    ToggleAdvanced,
    /// "Sign in with Plex" (or "New code" / "Try again").
    SignInRequested,
    /// `start_sign_in` answered.
    PinStarted(Result<PinStarted, IpcError>),
    /// An event on `events::SIGN_IN`.
    SignInEvent(SignInEvent),
    /// One second passed on the Waiting page.
    Tick,
    /// "Open the Plex page again".
    ReopenSignInPage,
    /// `open_sign_in_page` answered.
    PageOpened(Result<(), IpcError>),
    /// "Cancel": back to Welcome.
    CancelSignIn,
    /// "Connect" on the advanced form, filled in properly.
    AdvancedRequested(AdvancedSignIn),
    AdvancedFinished(Result<ServerView, IpcError>),
    /// The advanced form was not filled in properly.
    AdvancedInvalid(String),
    /// "Try the demo".
    DemoRequested,
    DemoFinished(Result<LoadedCatalog, IpcError>),
    /// "Sign out" / "Exit demo".
    SignOutRequested,
    /// `sign_out` answered (the UI resets either way).
    SignedOut(Result<(), IpcError>),
    OpenAbout,
    AboutLoaded(Result<About, IpcError>),
    /// "Allow insecure connections" changed in the About panel.
    SetInsecureConnections(InsecureConnections),
    CloseAbout,

    // Servers and connecting ([`servers`])
    /// "Switch": show the server list.
    ShowServers,
    /// "Refresh": ask plex.tv again.
    RefreshServers,
    ServersLoaded {
        request: u32,
        result: Result<Vec<ServerView>, IpcError>,
    },
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
    /// "Trust the new certificate" on a candidate, by id.
    TrustRequested(String),
    /// `trust_certificate` answered; on success a new attempt starts.
    TrustFinished(Result<(), IpcError>),

    // Libraries ([`libraries`])
    /// Go to the library list (after a connection check).
    ShowLibraries,
    LibrariesLoaded {
        request: u32,
        result: Result<Vec<LibraryView>, IpcError>,
    },
    /// Tick or untick a library by key.
    ToggleLibrary(String),
    /// "Load" the chosen libraries.
    LoadRequested,
    /// An event on `events::LOAD`.
    LoadProgressed(LoadProgress),
    LoadFinished(Result<LoadedCatalog, IpcError>),

    // Picking and results ([`picking`])
    /// Back to the wheels.
    ShowPicker,
    SetFormat(Format),
    SetWatch(WatchFilter),
    SetMood(Mood),
    SetRuntime(Option<RuntimeLimit>),
    ToggleIncludeGenre(String),
    ToggleExcludeGenre(String),
    ToggleDecade(u16),
    /// A year range (either end open); both open clears it.
    SetYearRange {
        from: Option<u16>,
        to: Option<u16>,
    },
    SetMaxContent(Option<ContentLevel>),
    SetMinCritic(Option<f32>),
    SetMinAudience(Option<f32>),
    /// Replace all choices at once (relaxing the filter a no-match named).
    SetChoices(Choices),
    ResetFilters,
    ToggleFilters,
    /// "Pick" or "Pick again".
    PickRequested,
    /// One more wheel landed in spin number `round`.
    SpinStep(u32),
    PickFinished(Result<PickView, IpcError>),
    /// An alternative was chosen: it becomes the top pick.
    ShowAlternative(usize),
    /// "Not this one": ask why.
    AskWhy,
    CancelAsk,
    /// A reason was chosen.
    RejectRequested(RejectReason),
    RejectFinished(Result<PickView, IpcError>),
    /// "Watch in Plex" on the top pick.
    WatchRequested,
    /// "Watch in Plex" could not open the title.
    WatchFailed(IpcError),

    // AI curation ([`ai`])
    /// "AI curation" in the header or in About: the provider panel.
    OpenAi,
    CloseAi,
    AiSettingsLoaded(Result<AiSettingsView, IpcError>),
    /// A provider preset was chosen (by id): its address fills the form.
    AiChoosePreset(String),
    AiFormChanged(AiField),
    /// "Remove" the saved key (or keep it after all) with the next save.
    AiRemoveKey(bool),
    /// "Save".
    AiSaveRequested,
    /// "Test": save, then test.
    AiTestRequested,
    /// "List models": save, then list.
    AiListModelsRequested,
    /// `set_ai_provider` answered.
    AiSaved(Result<AiSettingsView, IpcError>),
    AiTested(Result<AiTestView, IpcError>),
    AiModelsListed(Result<Vec<String>, IpcError>),
    /// A model was chosen from the listed ones.
    AiChooseModel(String),
    /// "Let the model choose" (true) or "PlexPicker chooses" (false).
    SetUseModel(bool),
    UseModelFailed(IpcError),
    /// "Cancel" while the model thinks.
    CancelAiPick,

    // Who's watching ([`profiles`])
    /// "Who's watching?" in the header: the profiles panel.
    OpenProfiles,
    CloseProfiles,
    ProfilesLoaded(Result<Vec<ProfileView>, IpcError>),
    /// A profile's avatar was pressed: in or out of the room.
    ToggleProfile(String),
    /// A protected profile's PIN field changed.
    ProfilePin {
        id: String,
        pin: String,
    },
    /// "Start picking".
    ChooseProfilesRequested,
    /// An event on `events::PROFILES`: one profile's watch state loading.
    ProfileProgressed(ProfileLoadProgress),
    ProfilesChosen(Result<RoomView, IpcError>),
}

/// The flows an action belongs to: each has its own module.
enum Flow {
    Session,
    Servers,
    Libraries,
    Picking,
    Ai,
    Profiles,
}

impl Action {
    fn flow(&self) -> Flow {
        use Action::*;
        match self {
            Opened { .. }
            | StartupLoaded(_)
            | DismissNotice
            | SetReducedMotion(_)
            | ToggleAdvanced
            | SignInRequested
            | PinStarted(_)
            | SignInEvent(_)
            | Tick
            | ReopenSignInPage
            | PageOpened(_)
            | CancelSignIn
            | AdvancedRequested(_)
            | AdvancedFinished(_)
            | AdvancedInvalid(_)
            | DemoRequested
            | DemoFinished(_)
            | SignOutRequested
            | SignedOut(_)
            | OpenAbout
            | AboutLoaded(_)
            | SetInsecureConnections(_)
            | CloseAbout => Flow::Session,
            ShowServers
            | RefreshServers
            | ServersLoaded { .. }
            | ChooseServer(_)
            | CheckConnection
            | RetryConnect
            | CandidateUpdated(_)
            | ConnectFinished { .. }
            | TrustRequested(_)
            | TrustFinished(_) => Flow::Servers,
            ShowLibraries
            | LibrariesLoaded { .. }
            | ToggleLibrary(_)
            | LoadRequested
            | LoadProgressed(_)
            | LoadFinished(_) => Flow::Libraries,
            ShowPicker
            | SetFormat(_)
            | SetWatch(_)
            | SetMood(_)
            | SetRuntime(_)
            | ToggleIncludeGenre(_)
            | ToggleExcludeGenre(_)
            | ToggleDecade(_)
            | SetYearRange { .. }
            | SetMaxContent(_)
            | SetMinCritic(_)
            | SetMinAudience(_)
            | SetChoices(_)
            | ResetFilters
            | ToggleFilters
            | PickRequested
            | SpinStep(_)
            | PickFinished(_)
            | ShowAlternative(_)
            | AskWhy
            | CancelAsk
            | RejectRequested(_)
            | RejectFinished(_)
            | WatchRequested
            | WatchFailed(_) => Flow::Picking,
            OpenAi
            | CloseAi
            | AiSettingsLoaded(_)
            | AiChoosePreset(_)
            | AiFormChanged(_)
            | AiRemoveKey(_)
            | AiSaveRequested
            | AiTestRequested
            | AiListModelsRequested
            | AiSaved(_)
            | AiTested(_)
            | AiModelsListed(_)
            | AiChooseModel(_)
            | SetUseModel(_)
            | UseModelFailed(_)
            | CancelAiPick => Flow::Ai,
            OpenProfiles
            | CloseProfiles
            | ProfilesLoaded(_)
            | ToggleProfile(_)
            | ProfilePin { .. }
            | ChooseProfilesRequested
            | ProfileProgressed(_)
            | ProfilesChosen(_) => Flow::Profiles,
        }
    }
}

/// The effects an action asks for, in order.
pub type Effects = Vec<Effect>;

impl State {
    /// Applies one action and returns the backend calls to make. Answers that arrive for a
    /// screen the user has left are ignored.
    pub fn apply(&mut self, action: Action) -> Effects {
        let mut effects = Effects::new();
        match action.flow() {
            Flow::Session => session::apply(self, action, &mut effects),
            Flow::Servers => servers::apply(self, action, &mut effects),
            Flow::Libraries => libraries::apply(self, action, &mut effects),
            Flow::Picking => picking::apply(self, action, &mut effects),
            Flow::Ai => ai::apply(self, action, &mut effects),
            Flow::Profiles => profiles::apply(self, action, &mut effects),
        }
        effects
    }

    /// The next state and its effects; the same `Rc` when nothing changed, so nothing
    /// re-renders.
    pub fn reduce(self: Rc<Self>, action: Action) -> (Rc<Self>, Effects) {
        let mut next = (*self).clone();
        let effects = next.apply(action);
        if next == *self {
            (self, effects)
        } else {
            (Rc::new(next), effects)
        }
    }
}

#[cfg(test)]
mod tests;
