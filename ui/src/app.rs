//! The root component: owns the state, listens to the backend's events, and shows the page
//! for the current screen.

use plexpicker_ipc::{events, CandidateView, LoadProgress, ProfileLoadProgress, SignInEvent};
use yew::prelude::*;

use crate::components::about::AboutPanel;
use crate::components::ai_panel::AiPanel;
use crate::components::header::Header;
use crate::components::notice::Notice;
use crate::components::profiles::WhoIsWatching;
use crate::effects;
use crate::hooks::{use_event, use_focus_heading};
use crate::pages::{
    connecting::Connecting, libraries::Libraries, picker::Picker, results::Results,
    servers::Servers, waiting::Waiting, welcome::Welcome,
};
use crate::state::{Action, Screen};
use crate::text;

#[function_component(App)]
pub fn app() -> Html {
    let (state, dispatch) = effects::use_store();
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            dispatch.dispatch(Action::Opened {
                reduced_motion: prefers_reduced_motion(),
            })
        });
    }
    // Listened to for the app's whole life, so no event is missed while a page mounts.
    use_event::<SignInEvent>(events::SIGN_IN, dispatch.map(Action::SignInEvent));
    use_event::<CandidateView>(events::CONNECT, dispatch.map(Action::CandidateUpdated));
    use_event::<LoadProgress>(events::LOAD, dispatch.map(Action::LoadProgressed));
    use_event::<ProfileLoadProgress>(events::PROFILES, dispatch.map(Action::ProfileProgressed));
    use_focus_heading(state.screen);

    let page = match state.screen {
        Screen::Starting => html! {
            <section id="starting" class="page starting" aria-busy="true">
                <h2 tabindex="-1" class="sr-only">{ "Starting" }</h2>
                <p class="status" role="status">{ "Starting…" }</p>
                <div class="skeleton block"></div>
            </section>
        },
        Screen::Welcome => html! { <Welcome state={state.clone()} dispatch={dispatch.clone()} /> },
        Screen::Waiting => html! { <Waiting state={state.clone()} dispatch={dispatch.clone()} /> },
        Screen::Servers => html! { <Servers state={state.clone()} dispatch={dispatch.clone()} /> },
        Screen::Connecting => {
            html! { <Connecting state={state.clone()} dispatch={dispatch.clone()} /> }
        }
        Screen::Libraries => {
            html! { <Libraries state={state.clone()} dispatch={dispatch.clone()} /> }
        }
        Screen::Picker => html! { <Picker state={state.clone()} dispatch={dispatch.clone()} /> },
        Screen::Results => html! { <Results state={state.clone()} dispatch={dispatch.clone()} /> },
    };

    let on_switch = dispatch.action(Action::ShowServers);
    let on_check = dispatch.action(Action::CheckConnection);
    let on_libraries = dispatch.action(Action::ShowLibraries);
    let on_sign_out = dispatch.action(Action::SignOutRequested);
    let on_about = dispatch.action(Action::OpenAbout);
    let on_close_about = dispatch.action(Action::CloseAbout);
    let on_insecure = dispatch.map(Action::SetInsecureConnections);
    let on_dismiss = dispatch.action(Action::DismissNotice);
    let on_ai = dispatch.action(Action::OpenAi);
    let on_profiles = dispatch.action(Action::OpenProfiles);
    let watching: Vec<AttrValue> = state
        .profiles
        .room
        .iter()
        .map(|n| AttrValue::from(n.clone()))
        .collect();
    let ai_privacy = state
        .ai
        .settings
        .as_ref()
        .map(|s| AttrValue::from(s.privacy.clone()));

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
                {on_libraries}
                {on_sign_out}
                {on_about}
                on_ai={on_ai.clone()}
                {watching}
                {on_profiles}
            />
            if let Some(notice) = &state.notice {
                <Notice message={notice.clone()} {on_dismiss} />
            }
            <main id="main" class={classes!("main", state.reduced_motion.then_some("reduce-motion"))}
                data-motion={if state.reduced_motion { "reduced" } else { "full" }}>{ page }</main>
            if let Some(about) = &state.about {
                <AboutPanel about={about.clone()} on_close={on_close_about} on_insecure={on_insecure} {ai_privacy} {on_ai} />
            }
            if state.ai.panel.is_some() {
                <AiPanel state={state.clone()} dispatch={dispatch.clone()} />
            }
            if state.profiles.panel.is_some() {
                <WhoIsWatching state={state.clone()} dispatch={dispatch.clone()} />
            }
        </>
    }
}

/// The system asks for reduced motion (`prefers-reduced-motion: reduce`).
fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches())
}
