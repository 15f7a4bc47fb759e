//! Session and sign-in: the start, the Welcome page, the PIN sign-in, the demo, signing out
//! and the About panel.

use plexpicker_ipc::{AdvancedSignIn, ErrorKind, IpcError, ServerView, SignInEvent, Startup};

use super::{Action, AfterConnect, Effect, Effects, Remote, Screen, State};

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

impl State {
    /// Back to Welcome with nothing of the old session left (the notice and the motion
    /// setting stay).
    fn signed_out(&self) -> State {
        State {
            screen: Screen::Welcome,
            notice: self.notice.clone(),
            reduced_motion: self.reduced_motion,
            // The AI provider belongs to the device, not to the Plex account.
            ai: super::AiState {
                settings: self.ai.settings.clone(),
                ..super::AiState::default()
            },
            ..State::default()
        }
    }
}

pub(super) fn apply(state: &mut State, action: Action, fx: &mut Effects) {
    match action {
        Action::Opened { reduced_motion } => {
            state.reduced_motion = reduced_motion;
            fx.push(Effect::Startup);
            // Whether the picker offers "Let the model choose".
            fx.push(Effect::AiSettings);
        }
        Action::StartupLoaded(Ok(startup)) => {
            state.screen = landing(&startup);
            state.notice = startup.notice.clone().filter(|n| !n.trim().is_empty());
            state.choices = startup.choices.clone();
            state.profiles.room = startup.watching.clone();
            state.session = Session {
                signed_in: startup.signed_in,
                account: startup.account.clone(),
                server: startup.server.clone(),
                demo: startup.demo && startup.catalog.is_some(),
            };
            match state.screen {
                Screen::Picker => state.catalog = startup.catalog,
                Screen::Connecting => {
                    state.start_connect(startup.server, AfterConnect::Libraries, fx)
                }
                Screen::Servers => state.show_servers(false, true, fx),
                _ => {}
            }
        }
        Action::StartupLoaded(Err(err)) => {
            state.screen = Screen::Welcome;
            state.welcome.error = Some(err);
        }
        Action::DismissNotice => state.notice = None,
        Action::SetReducedMotion(reduced) => state.reduced_motion = reduced,

        Action::ToggleAdvanced => {
            state.welcome.advanced_open = !state.welcome.advanced_open;
            state.welcome.error = None;
        }
        Action::SignInRequested => {
            state.screen = Screen::Waiting;
            state.sign_in = SignInState::default();
            state.welcome.error = None;
            fx.push(Effect::StartSignIn);
        }
        Action::PinStarted(result) => {
            if state.screen != Screen::Waiting || state.sign_in.phase != SignInPhase::Starting {
                return;
            }
            match result {
                Ok(pin) => {
                    state.sign_in.phase = SignInPhase::Waiting;
                    state.sign_in.code = Some(pin.code);
                    state.sign_in.secs_left = pin.expires_in_secs;
                    state.sign_in.browser_opened = pin.browser_opened;
                }
                Err(err) => state.sign_in.phase = SignInPhase::Failed(err),
            }
        }
        Action::SignInEvent(event) => {
            if state.screen != Screen::Waiting {
                return;
            }
            match event {
                SignInEvent::Waiting { secs_left } => {
                    if matches!(
                        state.sign_in.phase,
                        SignInPhase::Waiting | SignInPhase::Starting
                    ) {
                        state.sign_in.secs_left = secs_left;
                    }
                }
                SignInEvent::SignedIn { account } => {
                    state.session.signed_in = true;
                    state.session.demo = false;
                    state.session.account = account;
                    state.sign_in = SignInState::default();
                    state.show_servers(false, true, fx);
                }
                SignInEvent::Expired => {
                    state.sign_in.phase = SignInPhase::Expired;
                    state.sign_in.secs_left = 0;
                }
                SignInEvent::Cancelled => {
                    state.screen = Screen::Welcome;
                    state.sign_in = SignInState::default();
                }
                SignInEvent::Failed { error } => {
                    state.sign_in.phase = SignInPhase::Failed(error);
                }
            }
        }
        Action::Tick
            if state.screen == Screen::Waiting && state.sign_in.phase == SignInPhase::Waiting =>
        {
            state.sign_in.secs_left = state.sign_in.secs_left.saturating_sub(1);
        }
        Action::ReopenSignInPage if state.screen == Screen::Waiting => {
            fx.push(Effect::OpenSignInPage);
        }
        Action::PageOpened(result) => {
            state.sign_in.reopen_error = result.err();
            if state.sign_in.reopen_error.is_none() {
                state.sign_in.browser_opened = true;
            }
        }
        Action::CancelSignIn => {
            state.screen = Screen::Welcome;
            state.sign_in = SignInState::default();
            fx.push(Effect::CancelSignIn);
        }
        Action::AdvancedRequested(request) => {
            if state.welcome.busy.is_some() {
                return;
            }
            state.welcome.busy = Some(WelcomeBusy::Advanced);
            state.welcome.error = None;
            fx.push(Effect::SignInWithToken(request));
        }
        Action::AdvancedFinished(result) => {
            if state.welcome.busy != Some(WelcomeBusy::Advanced) {
                return;
            }
            state.welcome.busy = None;
            match result {
                Ok(server) => {
                    state.session = Session {
                        signed_in: true,
                        account: None,
                        server: Some(server.clone()),
                        demo: false,
                    };
                    state.connect.server = Some(server);
                    state.connect.phase = super::ConnectPhase::Connected;
                    state.welcome.advanced_open = false;
                    state.show_libraries(true, fx);
                }
                Err(err) => state.welcome.error = Some(err),
            }
        }
        Action::AdvancedInvalid(message) => {
            state.welcome.error = Some(IpcError::new(ErrorKind::InvalidRequest, message));
        }
        Action::DemoRequested => {
            if state.welcome.busy.is_some() {
                return;
            }
            state.welcome.busy = Some(WelcomeBusy::Demo);
            state.welcome.error = None;
            fx.push(Effect::StartDemo);
        }
        Action::DemoFinished(result) => {
            if state.welcome.busy != Some(WelcomeBusy::Demo) {
                return;
            }
            state.welcome.busy = None;
            match result {
                Ok(catalog) => {
                    state.session = Session {
                        demo: true,
                        ..Session::default()
                    };
                    state.catalog = Some(catalog);
                    state.screen = Screen::Picker;
                    state.pick = super::PickState::default();
                }
                Err(err) => state.welcome.error = Some(err),
            }
        }
        Action::SignOutRequested => fx.push(Effect::SignOut),
        Action::SignedOut(result) => {
            let mut next = state.signed_out();
            if let Err(err) = result {
                next.notice = Some(format!(
                    "Signing out did not finish: {}",
                    crate::text::error_message(&err)
                ));
            }
            *state = next;
        }
        Action::OpenAbout => {
            state.about = Some(Remote::Loading);
            state.ai.panel = None;
            fx.push(Effect::About);
            // About shows what the AI provider is sent, as the backend words it now.
            fx.push(Effect::AiSettings);
        }
        Action::AboutLoaded(result) if state.about.is_some() => {
            state.about = Some(result.into());
        }
        Action::SetInsecureConnections(when) if state.about.is_some() => {
            fx.push(Effect::SetInsecureConnections(when));
        }
        Action::CloseAbout => state.about = None,
        // Other flows' actions are routed to their own modules.
        _ => {}
    }
}
