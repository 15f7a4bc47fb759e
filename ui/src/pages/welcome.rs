//! Welcome: sign in with Plex, connect by URL and token, or try the demo.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::PageProps;
use crate::components::error_note::ErrorNote;
use crate::state::{advanced_request, Action, WelcomeBusy};

#[function_component(Welcome)]
pub fn welcome(props: &PageProps) -> Html {
    let state = &props.state.welcome;
    let url = use_state(String::new);
    let token = use_state(String::new);
    let busy = state.busy;

    let on_sign_in = props.dispatch.action::<MouseEvent>(Action::SignInRequested);
    let on_demo = props.dispatch.action::<MouseEvent>(Action::DemoRequested);
    let on_advanced = props.dispatch.action::<MouseEvent>(Action::ToggleAdvanced);
    let on_url = {
        let url = url.clone();
        Callback::from(move |e: InputEvent| {
            url.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_token = {
        let token = token.clone();
        Callback::from(move |e: InputEvent| {
            token.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_submit = {
        let dispatch = props.dispatch.clone();
        let url = url.clone();
        let token = token.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match advanced_request(&url, &token) {
                Ok(request) => dispatch.dispatch(Action::AdvancedRequested(request)),
                Err(message) => dispatch.dispatch(Action::AdvancedInvalid(message)),
            }
        })
    };

    html! {
        <section id="welcome" class="page welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title" tabindex="-1">{ "What do we watch tonight?" }</h2>
            <p class="lede">
                { "PlexPicker looks through the movies and shows on your Plex server and picks one for tonight, from three simple choices." }
            </p>
            <div class="welcome-actions">
                <button type="button" id="sign-in" class="primary big" disabled={busy.is_some()} onclick={on_sign_in}>
                    { "Sign in with Plex" }
                </button>
                <button type="button" id="demo" class="secondary big" disabled={busy.is_some()} onclick={on_demo}>
                    { if busy == Some(WelcomeBusy::Demo) { "Opening the demo…" } else { "Try the demo" } }
                </button>
            </div>
            <p class="hint">{ "The demo uses a built-in library: no account, no network." }</p>
            <button
                type="button"
                id="advanced"
                class="link"
                aria-expanded={if state.advanced_open { "true" } else { "false" }}
                aria-controls="advanced-form"
                onclick={on_advanced}
            >
                { "Advanced: connect by URL and token" }
            </button>
            if state.advanced_open {
                <form id="advanced-form" class="advanced-form" onsubmit={on_submit} novalidate=true>
                    <label class="field">
                        <span>{ "Server address" }</span>
                        <input id="advanced-url" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                            placeholder="http://192.168.1.5:32400" value={(*url).clone()} oninput={on_url} />
                    </label>
                    <label class="field">
                        <span>{ "X-Plex-Token" }</span>
                        <input id="advanced-token" type="password" autocomplete="off" spellcheck="false"
                            value={(*token).clone()} oninput={on_token} />
                    </label>
                    <p class="hint">{ "The token is kept on this device and sent only to that server." }</p>
                    <button type="submit" id="advanced-connect" class="primary" disabled={busy.is_some()}>
                        { if busy == Some(WelcomeBusy::Advanced) { "Connecting…" } else { "Connect" } }
                    </button>
                </form>
            }
            <div class="feedback">
                if let Some(err) = &state.error {
                    <ErrorNote id="welcome-error" error={err.clone()} />
                }
            </div>
        </section>
    }
}
