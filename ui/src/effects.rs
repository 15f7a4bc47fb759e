//! The runtime between the reducer and the backend: [`Dispatch`] applies an action to the
//! state, re-renders, and runs the [`Effect`]s the reducer returned; [`run`] turns each effect
//! into one typed backend call (or a timer) and dispatches its answer as an action.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use plexpicker_ipc::command::{
    self, ListServersArgs, LoadLibrariesArgs, NoArgs, RequestArgs, WatchInPlexArgs,
};
use plexpicker_ipc::{Command, ConnectRequest, IpcError, PickRequest, TitleRef};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::bridge;
use crate::state::{Action, Effect, State};

struct Store {
    state: RefCell<Rc<State>>,
    rerender: UseForceUpdateHandle,
    /// Actions dispatched while another is being applied, applied right after it.
    queue: RefCell<VecDeque<Action>>,
    applying: Cell<bool>,
}

/// Sends actions to the state. Cheap to clone; every clone is the same store.
#[derive(Clone)]
pub struct Dispatch(Rc<Store>);

impl PartialEq for Dispatch {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Dispatch {
    /// The state now.
    pub fn state(&self) -> Rc<State> {
        self.0.state.borrow().clone()
    }

    /// Applies `action`, re-renders if the state changed, and runs the effects it asked for.
    pub fn dispatch(&self, action: Action) {
        self.0.queue.borrow_mut().push_back(action);
        if self.0.applying.replace(true) {
            return;
        }
        loop {
            let Some(action) = self.0.queue.borrow_mut().pop_front() else {
                break;
            };
            let current = self.state();
            let (next, effects) = current.clone().reduce(action);
            if !Rc::ptr_eq(&current, &next) {
                *self.0.state.borrow_mut() = next;
                self.0.rerender.force_update();
            }
            for effect in effects {
                run(self, effect);
            }
        }
        self.0.applying.set(false);
    }

    /// A callback that dispatches `action` on every call, whatever it is called with.
    pub fn action<T: 'static>(&self, action: Action) -> Callback<T> {
        let dispatch = self.clone();
        Callback::from(move |_: T| dispatch.dispatch(action.clone()))
    }

    /// A callback that turns its value into an action and dispatches it.
    pub fn map<T: 'static>(&self, to_action: impl Fn(T) -> Action + 'static) -> Callback<T> {
        let dispatch = self.clone();
        Callback::from(move |value: T| dispatch.dispatch(to_action(value)))
    }
}

/// The app's state and its dispatcher, for the root component.
#[hook]
pub fn use_store() -> (Rc<State>, Dispatch) {
    let rerender = use_force_update();
    let dispatch = use_memo((), move |_| {
        Dispatch(Rc::new(Store {
            state: RefCell::new(Rc::new(State::default())),
            rerender,
            queue: RefCell::new(VecDeque::new()),
            applying: Cell::new(false),
        }))
    });
    ((*dispatch).state(), (*dispatch).clone())
}

/// Calls `C` with `args` and dispatches what `then` makes of the answer (nothing if `None`).
fn call<C: Command + 'static>(
    dispatch: &Dispatch,
    args: C::Args,
    then: impl FnOnce(Result<C::Output, IpcError>) -> Option<Action> + 'static,
) where
    C::Args: 'static,
{
    let dispatch = dispatch.clone();
    spawn_local(async move {
        let answer = bridge::invoke::<C>(&args).await;
        if let Some(action) = then(answer) {
            dispatch.dispatch(action);
        }
    });
}

/// Carries out one effect.
pub fn run(dispatch: &Dispatch, effect: Effect) {
    let d = dispatch;
    match effect {
        Effect::Startup => {
            call::<command::Startup>(d, NoArgs {}, |r| Some(Action::StartupLoaded(r)))
        }
        Effect::StartSignIn => {
            call::<command::StartSignIn>(d, NoArgs {}, |r| Some(Action::PinStarted(r)))
        }
        Effect::OpenSignInPage => {
            call::<command::OpenSignInPage>(d, NoArgs {}, |r| Some(Action::PageOpened(r)))
        }
        // Nothing to tell the user if stopping fails: the PIN simply expires.
        Effect::CancelSignIn => call::<command::CancelSignIn>(d, NoArgs {}, |_| None),
        Effect::SignInWithToken(request) => {
            call::<command::SignInWithToken>(d, RequestArgs { request }, |r| {
                Some(Action::AdvancedFinished(r))
            })
        }
        Effect::StartDemo => {
            call::<command::StartDemo>(d, NoArgs {}, |r| Some(Action::DemoFinished(r)))
        }
        Effect::ListServers { request, refresh } => {
            call::<command::ListServers>(d, ListServersArgs { refresh }, move |result| {
                Some(Action::ServersLoaded { request, result })
            })
        }
        Effect::Connect { attempt, server_id } => call::<command::Connect>(
            d,
            RequestArgs {
                request: ConnectRequest { server_id },
            },
            move |result| Some(Action::ConnectFinished { attempt, result }),
        ),
        Effect::TrustCertificate(request) => {
            call::<command::TrustCertificate>(d, RequestArgs { request }, |r| {
                Some(Action::TrustFinished(r))
            })
        }
        Effect::ListLibraries { request } => {
            call::<command::ListLibraries>(d, NoArgs {}, move |result| {
                Some(Action::LibrariesLoaded { request, result })
            })
        }
        Effect::LoadLibraries { keys } => {
            call::<command::LoadLibraries>(d, LoadLibrariesArgs { keys }, |r| {
                Some(Action::LoadFinished(r))
            })
        }
        Effect::Pick(choices) => call::<command::Pick>(
            d,
            RequestArgs {
                request: PickRequest { choices, ai: false },
            },
            |r| Some(Action::PickFinished(r)),
        ),
        Effect::AiPick(choices) => call::<command::Pick>(
            d,
            RequestArgs {
                request: PickRequest { choices, ai: true },
            },
            |r| Some(Action::PickFinished(r)),
        ),
        Effect::AiSettings => {
            call::<command::AiSettings>(d, NoArgs {}, |r| Some(Action::AiSettingsLoaded(r)))
        }
        Effect::SetAiProvider(request) => {
            call::<command::SetAiProvider>(d, RequestArgs { request }, |r| Some(Action::AiSaved(r)))
        }
        Effect::TestAiProvider => {
            call::<command::TestAiProvider>(d, NoArgs {}, |r| Some(Action::AiTested(r)))
        }
        Effect::ListAiModels => {
            call::<command::ListAiModels>(d, NoArgs {}, |r| Some(Action::AiModelsListed(r)))
        }
        Effect::SetUseModel(on) => {
            call::<command::SetUseModel>(d, command::SetUseModelArgs { use_model: on }, |r| {
                r.err().map(Action::UseModelFailed)
            })
        }
        // The pick that is waiting answers with the engine's pick and the note.
        Effect::CancelAiPick => call::<command::CancelAiPick>(d, NoArgs {}, |_| None),
        Effect::Reject(request) => call::<command::Reject>(d, RequestArgs { request }, |r| {
            Some(Action::RejectFinished(r))
        }),
        Effect::WatchInPlex {
            title_id,
            episode_id,
        } => call::<command::WatchInPlex>(
            d,
            WatchInPlexArgs {
                title: TitleRef {
                    title_id,
                    episode_id,
                },
            },
            |r| r.err().map(Action::WatchFailed),
        ),
        Effect::ListProfiles => {
            call::<command::ListProfiles>(d, NoArgs {}, |r| Some(Action::ProfilesLoaded(r)))
        }
        Effect::ChooseProfiles(request) => {
            call::<command::ChooseProfiles>(d, RequestArgs { request }, |r| {
                Some(Action::ProfilesChosen(r))
            })
        }
        Effect::SignOut => call::<command::SignOut>(d, NoArgs {}, |r| Some(Action::SignedOut(r))),
        Effect::About => call::<command::About>(d, NoArgs {}, |r| Some(Action::AboutLoaded(r))),
        Effect::SetInsecureConnections(when) => call::<command::SetInsecureConnections>(
            d,
            command::SetInsecureConnectionsArgs { when },
            |r| Some(Action::AboutLoaded(r)),
        ),
        Effect::After { millis, then } => {
            let dispatch = dispatch.clone();
            Timeout::new(millis, move || dispatch.dispatch(*then)).forget();
        }
    }
}
