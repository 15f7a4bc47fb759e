//! Connecting: every route to the server, live, and a diagnosis in plain words if none works.

use yew::prelude::*;

use super::PageProps;
use crate::components::candidate::Candidate;
use crate::components::error_note::ErrorNote;
use crate::state::{Action, AfterConnect, ConnectPhase};
use crate::text;

#[function_component(Connecting)]
pub fn connecting(props: &PageProps) -> Html {
    let state = &props.state;
    let connect = &state.connect;
    let name = connect
        .server
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_else(|| "your server".to_string());

    let click = |action: Action| props.dispatch.action::<MouseEvent>(action);
    let on_trust = props.dispatch.map(Action::TrustRequested);
    let on_sign_out = click(Action::SignOutRequested);

    let failed = matches!(connect.phase, ConnectPhase::Failed(_));
    let list = html! {
        <ol id="candidates" class="candidates" aria-label="Routes to the server">
            { for connect.candidates.iter().map(|c| html! {
                <Candidate
                    key={c.id.clone()}
                    candidate={c.clone()}
                    can_trust={failed}
                    trusting={connect.trusting.as_deref() == Some(c.id.as_str())}
                    on_trust={on_trust.clone()}
                />
            }) }
            if connect.candidates.is_empty() && connect.phase == ConnectPhase::Running {
                { for (0..3).map(|_| html! { <li class="candidate-skeleton skeleton-row" aria-hidden="true"></li> }) }
            }
        </ol>
    };
    let back_to_picker = state.catalog.is_some().then(|| {
        html! {
            <button type="button" id="back-to-picker" class="secondary" onclick={click(Action::ShowPicker)}>
                { "Back to the wheels" }
            </button>
        }
    });

    let title = match &connect.phase {
        ConnectPhase::Running => format!("Connecting to {name}"),
        ConnectPhase::Connected => format!("Connected to {name}"),
        ConnectPhase::Failed(_) => format!("Could not reach {name}"),
    };
    let body = match &connect.phase {
        ConnectPhase::Running => html! {
            <>
                <p class="status" role="status">
                    { "Trying every route to the server at once; the fastest one that works wins." }
                </p>
                { list }
            </>
        },
        ConnectPhase::Connected => html! {
            <>
                <p id="connect-done" class="status success" role="status">
                    { "Everything works: PlexPicker can reach the server." }
                </p>
                { list }
                <div class="actions">
                    { back_to_picker }
                    if connect.after == AfterConnect::Report {
                        <button type="button" id="choose-libraries" class="secondary" onclick={click(Action::ShowLibraries)}>
                            { "Reload libraries" }
                        </button>
                    }
                </div>
            </>
        },
        ConnectPhase::Failed(err) => html! {
            <section id="diagnosis" class="diagnosis" aria-label="What went wrong">
                <ErrorNote id="connect-error" error={err.clone()}>
                    if text::needs_sign_in(err) {
                        <button type="button" id="sign-in-again" class="primary" onclick={on_sign_out}>{ "Sign in again" }</button>
                    }
                    <button type="button" id="retry" class="primary" onclick={click(Action::RetryConnect)}>{ "Retry" }</button>
                    <button type="button" id="back-to-servers" class="secondary" onclick={click(Action::ShowServers)}>
                        { "Choose another server" }
                    </button>
                    { back_to_picker }
                </ErrorNote>
                if !connect.candidates.is_empty() {
                    <p class="hint">{ "What happened on each route:" }</p>
                }
                { list }
                if let Some(err) = &connect.trust_error {
                    <ErrorNote id="trust-error" error={err.clone()} />
                }
            </section>
        },
    };

    html! {
        <section id="connecting" class="page connecting" aria-labelledby="connecting-title" aria-busy={(connect.phase == ConnectPhase::Running).to_string()}>
            <h2 id="connecting-title" tabindex="-1">{ title }</h2>
            { body }
        </section>
    }
}
