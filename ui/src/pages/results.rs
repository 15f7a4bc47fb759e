//! Results: the top pick, the alternatives, and what to do with them.

use plexpicker_ipc::RejectReason;
use yew::prelude::*;

use super::PageProps;
use crate::components::error_note::ErrorNote;
use crate::components::pick_card::TopPick;
use crate::components::poster::Poster;
use crate::components::thinking::ThinkingNote;
use crate::state::Action;
use crate::text;

#[function_component(Results)]
pub fn results(props: &PageProps) -> Html {
    let state = &props.state;
    let results = &state.results;
    let dispatch = props.dispatch.clone();
    let Some(view) = &results.view else {
        return html! {
            <section id="results" class="page results">
                <h2 tabindex="-1">{ "Nothing picked yet" }</h2>
                <button type="button" id="back-to-wheels" class="primary"
                    onclick={move |_: MouseEvent| dispatch.dispatch(Action::ShowPicker)}>{ "Back to the wheels" }</button>
            </section>
        };
    };
    let top = &view.top;
    let busy = results.busy;
    let curation = view.curation.as_ref();
    let by_model = curation.is_some_and(|c| c.by_model);
    let credit = curation
        .filter(|c| c.by_model)
        .and_then(|c| c.credit.clone())
        .filter(|c| !c.trim().is_empty());
    let note = curation
        .and_then(|c| c.note.clone())
        .filter(|n| !n.trim().is_empty());
    let score = |card_score: u8| {
        if by_model {
            text::model_score(card_score)
        } else {
            text::match_score(card_score)
        }
    };

    let on_watch = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            dispatch.dispatch(Action::WatchRequested);
        })
    };
    let click = |action: Action| dispatch.action::<MouseEvent>(action);
    let on_pick_again = click(Action::PickRequested);
    let reject = |reason: RejectReason| click(Action::RejectRequested(reason));
    let watch = if state.session.demo {
        html! {
            <p id="demo-title-note" class="demo-note" role="note">
                <strong>{ "Demo title" }</strong>
                { " · It is part of the built-in demo library, not on a Plex server, so there is nothing to open. Sign in to pick from your own libraries." }
            </p>
        }
    } else {
        html! {
            <a id="watch-in-plex" class="button primary" href={top.watch_url.clone()} onclick={on_watch}>
                { if top.episode.is_some() { "Watch this episode in Plex" } else { "Watch in Plex" } }
            </a>
        }
    };

    html! {
        <section id="results" class="page results" aria-busy={busy.to_string()}>
            <p class="results-sentence">
                { if view.sentence.trim().is_empty() { text::sentence_for(&state.choices, state.profiles.people()) } else { view.sentence.clone() } }
                <span class="matches">{ format!(" · {} matched", text::count(view.matches as u64, "title", "titles")) }</span>
            </p>
            // The model's answer could not be used (or was stopped): said first, then the
            // engine's own pick.
            <div class="curation-status" role="status">
                if let Some(note) = &note {
                    <p id="curation-note" class="curation-note">{ note }</p>
                }
            </div>
            <div class="results-layout">
                <TopPick key={top.id.clone()} card={top.clone()} poster_retry={state.poster_retry} {by_model} credit={credit.map(AttrValue::from)}>
                    <div class="actions reveal-step">
                        { watch }
                        <button type="button" id="not-this-one" class="secondary" disabled={busy}
                            aria-expanded={if results.asking { "true" } else { "false" }}
                            aria-controls="reject-reasons" onclick={click(Action::AskWhy)}>
                            { "Not this one" }
                        </button>
                        <button type="button" id="pick-again" class="secondary" disabled={busy} onclick={on_pick_again}>
                            { if busy { "Picking…" } else { "Pick again" } }
                        </button>
                        <button type="button" id="back-to-wheels" class="ghost" onclick={click(Action::ShowPicker)}>
                            { "Change the wheels" }
                        </button>
                    </div>
                    if results.asking {
                        <div id="reject-reasons" class="reject" role="group" aria-labelledby="reject-question">
                            <p id="reject-question">{ "Why not this one? PlexPicker will remember." }</p>
                            <div class="actions">
                                { for RejectReason::ALL.iter().map(|reason| html! {
                                    <button type="button" class="secondary" data-reason={reason.id()} disabled={busy}
                                        onclick={reject(*reason)}>{ reason.label() }</button>
                                }) }
                                <button type="button" id="cancel-reject" class="ghost" onclick={click(Action::CancelAsk)}>
                                    { "Never mind" }
                                </button>
                            </div>
                        </div>
                    }
                    if let Some(thinking) = state.ai.thinking.clone().filter(|_| busy) {
                        <ThinkingNote {thinking} on_cancel={dispatch.action::<()>(Action::CancelAiPick)} />
                    }
                    <div class="feedback">
                        if let Some(err) = &results.error {
                            <ErrorNote id="results-error" error={err.clone()} />
                        }
                    </div>
                </TopPick>
                if !view.alternatives.is_empty() {
                    <aside class="alternatives" aria-labelledby="alternatives-title">
                        <h3 id="alternatives-title">{ "Or perhaps" }</h3>
                        <ul>
                            { for view.alternatives.iter().enumerate().map(|(i, card)| html! {
                                <li key={card.id.clone()}>
                                    // The button's name is what it shows (title, facts, score), so
                                    // speech input can say what is on screen.
                                    <button type="button" class="alternative" data-id={card.id.clone()} disabled={busy}
                                        title={format!("Show {} instead", card.title)}
                                        onclick={click(Action::ShowAlternative(i))}>
                                        <Poster url={card.poster_url.clone().map(AttrValue::from)} title={card.title.clone()} class="small" retry={state.poster_retry} />
                                        <span class="alternative-text">
                                            <span class="alternative-title">{ &card.title }</span>
                                            <span class="alternative-facts">
                                                { [card.year.map(|y| y.to_string()), card.minutes.map(text::runtime), Some(card.kind_label.clone())]
                                                    .into_iter().flatten().collect::<Vec<_>>().join(" · ") }
                                            </span>
                                            <span class="alternative-score">{ score(card.score) }</span>
                                            if by_model && !card.reason.trim().is_empty() {
                                                <span class="alternative-reason">{ &card.reason }</span>
                                            }
                                        </span>
                                    </button>
                                </li>
                            }) }
                        </ul>
                    </aside>
                }
            </div>
        </section>
    }
}
