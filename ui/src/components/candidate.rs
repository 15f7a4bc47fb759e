//! One route to a server, live while racing and in the diagnosis.

use plexpicker_ipc::{CandidateView, RouteKind};
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct CandidateProps {
    pub candidate: CandidateView,
    /// Offer "Trust the new certificate" when the route failed because it changed.
    #[prop_or_default]
    pub can_trust: bool,
    /// A trust request for this route is running.
    #[prop_or_default]
    pub trusting: bool,
    #[prop_or_default]
    pub on_trust: Callback<String>,
}

fn kind_label(kind: RouteKind) -> &'static str {
    match kind {
        RouteKind::Local => "On your network",
        RouteKind::Remote => "Over the internet",
        RouteKind::Relay => "Through Plex's relay",
    }
}

#[function_component(Candidate)]
pub fn candidate(props: &CandidateProps) -> Html {
    let c = &props.candidate;
    let state_class = text::candidate_class(&c.state);
    let offer_trust = props.can_trust && text::certificate_changed(&c.state);
    let onclick = {
        let id = c.id.clone();
        props.on_trust.reform(move |_: MouseEvent| id.clone())
    };
    html! {
        <li class={classes!("candidate", state_class, c.winner.then_some("winner"))} data-id={c.id.clone()}>
            <div class="candidate-head">
                <span class="candidate-label">{ &c.label }</span>
                if c.winner {
                    <span class="winner-mark" aria-label="Fastest working route">{ "✓ In use" }</span>
                }
            </div>
            <span class="candidate-kind">{ kind_label(c.kind) }</span>
            <code class="candidate-address">{ &c.address }</code>
            <span class="candidate-state">{ text::candidate_state(&c.state) }</span>
            if let Some(advice) = text::candidate_advice(&c.state) {
                <span class="candidate-advice">{ advice }</span>
            }
            if offer_trust {
                <button type="button" class="trust-certificate secondary" disabled={props.trusting} {onclick}>
                    { if props.trusting { "Trusting…" } else { "Trust the new certificate" } }
                </button>
            }
        </li>
    }
}
