//! The root component.

use plexpicker_ipc::{commands, AppInfo};
use yew::prelude::*;

use crate::bridge;
use crate::state::{Action, Backend, State};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);

    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let answer = bridge::invoke0::<AppInfo>(commands::APP_INFO).await;
                state.dispatch(Action::AppInfoLoaded(answer));
            });
        });
    }

    let status = match &state.backend {
        Backend::Connecting => html! {
            <p id="app-status" class="status" aria-live="polite">{ "Starting…" }</p>
        },
        Backend::Ready(info) => html! {
            <p id="app-status" class="status" aria-live="polite">{ info.display_name() }</p>
        },
        Backend::Failed(err) => html! {
            <p id="app-status" class="status error" role="alert">{ &err.message }</p>
        },
    };

    html! {
        <main class="shell">
            <h1 class="brand">{ "Plex" }<span>{ "Picker" }</span></h1>
            <p class="tagline">{ "What do we watch tonight?" }</p>
            { status }
        </main>
    }
}
