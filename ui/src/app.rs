//! The root component: owns the state, listens to the backend's events, and shows the page
//! for the current screen.

use plexpicker_ipc::{events, CandidateView, LoadProgress, SignInEvent};
use yew::prelude::*;

use crate::components::about::AboutPanel;
use crate::components::header::Header;
use crate::components::notice::Notice;
use crate::effects;
use crate::hooks::{use_event, use_focus_heading};
use crate::pages::{
    connecting::Connecting, libraries::Libraries, picker::Picker, results::Results,
    servers::Servers, waiting::Waiting, welcome::Welcome,
};
use crate::state::{Action, Screen, State};
use crate::text;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    let dispatch = state.dispatcher();

    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| effects::startup(dispatch));
    }
    // Listened to for the app's whole life, so no event is missed while a page mounts.
    use_event::<SignInEvent>(events::SIGN_IN, dispatching(&dispatch, Action::SignInEvent));
    use_event::<CandidateView>(
        events::CONNECT,
        dispatching(&dispatch, Action::CandidateUpdated),
    );
    use_event::<LoadProgress>(events::LOAD, dispatching(&dispatch, Action::LoadProgressed));
    use_focus_heading(state.screen);

    let page = match state.screen {
        Screen::Starting => html! {
            <section id="starting" class="page starting" aria-busy="true">
                <h2 tabindex="-1" class="sr-only">{ "Starting" }</h2>
                <p class="status" role="status">{ "Starting…" }</p>
                <div class="skeleton block"></div>
            </section>
        },
        Screen::Welcome => html! { <Welcome state={state.clone()} /> },
        Screen::Waiting => html! { <Waiting state={state.clone()} /> },
        Screen::Servers => html! { <Servers state={state.clone()} /> },
        Screen::Connecting => html! { <Connecting state={state.clone()} /> },
        Screen::Libraries => html! { <Libraries state={state.clone()} /> },
        Screen::Picker => html! { <Picker state={state.clone()} /> },
        Screen::Results => html! { <Results state={state.clone()} /> },
    };

    let callback = |make: fn(effects::Dispatch)| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: ()| make(dispatch.clone()))
    };
    let on_switch = callback(|d| d.dispatch(Action::ShowServers));
    let on_check = callback(|d| d.dispatch(Action::CheckConnection));
    let on_sign_out = callback(effects::sign_out);
    let on_about = callback(effects::about);
    let on_close_about = callback(|d| d.dispatch(Action::CloseAbout));
    let on_dismiss = callback(|d| d.dispatch(Action::DismissNotice));

    let in_session = state.in_session() && state.screen != Screen::Waiting;
    let server = state
        .session
        .server
        .as_ref()
        .map(|s| AttrValue::from(s.name.clone()));
    let refreshing = state.refreshing.as_ref().map(|p| {
        AttrValue::from(format!(
            "Updating library… {} of {}",
            text::thousands(p.loaded),
            text::thousands(p.total)
        ))
    });

    html! {
        <>
            <Header
                {in_session}
                demo={state.session.demo}
                {server}
                {refreshing}
                {on_switch}
                {on_check}
                {on_sign_out}
                {on_about}
            />
            if let Some(notice) = &state.notice {
                <Notice message={notice.clone()} {on_dismiss} />
            }
            <main id="main" class="main">{ page }</main>
            if let Some(about) = &state.about {
                <AboutPanel about={about.clone()} on_close={on_close_about} />
            }
        </>
    }
}

/// A callback that turns a value into an action and dispatches it.
fn dispatching<T: 'static>(
    dispatch: &effects::Dispatch,
    to_action: fn(T) -> Action,
) -> Callback<T> {
    let dispatch = dispatch.clone();
    Callback::from(move |value: T| dispatch.dispatch(to_action(value)))
}
