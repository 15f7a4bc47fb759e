//! Waiting for Plex: the code, the time left, and what to do.

use yew::prelude::*;

use super::PageProps;
use crate::components::error_note::ErrorNote;
use crate::hooks::use_interval;
use crate::state::{Action, SignInPhase};
use crate::text;

#[function_component(Waiting)]
pub fn waiting(props: &PageProps) -> Html {
    let sign_in = &props.state.sign_in;
    let counting = sign_in.phase == SignInPhase::Waiting && sign_in.secs_left > 0;
    {
        let dispatch = props.dispatch.clone();
        use_interval(
            1000,
            counting,
            Callback::from(move |_| dispatch.dispatch(Action::Tick)),
        );
    }

    let on_open = props
        .dispatch
        .action::<MouseEvent>(Action::ReopenSignInPage);
    let on_cancel = props.dispatch.action::<MouseEvent>(Action::CancelSignIn);
    let on_restart = props.dispatch.action::<MouseEvent>(Action::SignInRequested);
    let cancel = |label: &'static str| {
        html! {
            <button type="button" id="cancel-sign-in" class="ghost" onclick={on_cancel.clone()}>{ label }</button>
        }
    };

    let code = sign_in.code.clone().unwrap_or_default();
    let body = match &sign_in.phase {
        SignInPhase::Starting => html! {
            <>
                <p class="status" role="status">{ "Asking Plex for a code…" }</p>
                <div class="pin-box skeleton" aria-hidden="true"></div>
                <div class="actions">{ cancel("Cancel") }</div>
            </>
        },
        SignInPhase::Waiting => html! {
            <>
                <p class="status" role="status">
                    { "Approve PlexPicker on the Plex page in your browser. That page does the work: you never need to type a code, here or there. This window moves on by itself once you approve." }
                </p>
                if !sign_in.browser_opened {
                    <p class="warning">{ "Your browser did not open. Press “Open the Plex page again”." }</p>
                }
                <div class="actions">
                    <button type="button" id="open-page-again" class="primary" onclick={on_open}>
                        { "Open the Plex page again" }
                    </button>
                    { cancel("Cancel") }
                </div>
                <p class="pin-compare">
                    <span class="pin-label">{ "Plex's page may show this code, for comparing only: " }</span>
                    <code id="pin-code" class="pin-code">{ code }</code>
                    <span class="pin-label">
                        { " · Time left " }
                        <span id="pin-time-left" role="timer">{ text::mm_ss(sign_in.secs_left) }</span>
                    </span>
                </p>
                if let Some(err) = &sign_in.reopen_error {
                    <ErrorNote id="open-page-error" error={err.clone()} />
                }
            </>
        },
        SignInPhase::Expired => html! {
            <>
                <p id="sign-in-expired" class="status" role="alert">
                    { "That code expired before it was approved. Get a new code and approve it on the Plex page." }
                </p>
                <div class="actions">
                    <button type="button" id="new-code" class="primary" onclick={on_restart}>{ "Get a new code" }</button>
                    { cancel("Cancel") }
                </div>
            </>
        },
        SignInPhase::Failed(err) => html! {
            <ErrorNote id="sign-in-error" error={err.clone()}>
                <button type="button" id="try-again" class="primary" onclick={on_restart}>{ "Try again" }</button>
                { cancel("Back") }
            </ErrorNote>
        },
    };

    html! {
        <section id="waiting" class="page waiting" aria-labelledby="waiting-title">
            <h2 id="waiting-title" tabindex="-1">{ "Waiting for Plex" }</h2>
            { body }
        </section>
    }
}
