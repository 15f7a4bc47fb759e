//! Libraries: choose which movie and TV libraries to pick from, and load them.

use plexpicker_ipc::{LibraryKind, LibraryView, LoadProgress};
use yew::prelude::*;

use super::PageProps;
use crate::components::error_note::ErrorNote;
use crate::state::{Action, LoadPhase, Remote};
use crate::text;

fn kind_words(kind: LibraryKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        LibraryKind::Movie => ("Movies", "movie", "movies"),
        LibraryKind::Show => ("TV shows", "show", "shows"),
    }
}

#[function_component(Libraries)]
pub fn libraries(props: &PageProps) -> Html {
    let libraries = &props.state.libraries;
    let loading = libraries.loading();
    let keys = libraries.chosen_keys();
    let dispatch = &props.dispatch;
    let on_load = dispatch.action::<MouseEvent>(Action::LoadRequested);
    let on_retry = dispatch.action::<MouseEvent>(Action::ShowLibraries);
    let on_switch = dispatch.action::<MouseEvent>(Action::ShowServers);
    let on_sign_out = dispatch.action::<MouseEvent>(Action::SignOutRequested);
    let toggle = |library: &LibraryView| {
        dispatch.action::<Event>(Action::ToggleLibrary(library.key.clone()))
    };

    let list = match &libraries.list {
        Remote::Loading => html! {
            <ul class="library-list" aria-busy="true" aria-label="Loading libraries">
                { for (0..2).map(|_| html! { <li class="library-skeleton skeleton-row"></li> }) }
            </ul>
        },
        Remote::Failed(err) => html! {
            <ErrorNote id="libraries-error" error={err.clone()}>
                if text::needs_sign_in(err) {
                    <button type="button" id="sign-in-again" class="primary" onclick={on_sign_out}>{ "Sign in again" }</button>
                } else {
                    <button type="button" id="retry-libraries" class="primary" onclick={on_retry}>{ "Try again" }</button>
                }
                <button type="button" id="back-to-servers" class="secondary" onclick={on_switch.clone()}>{ "Choose another server" }</button>
            </ErrorNote>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <div class="empty">
                <p id="no-libraries">{ "This server has no movie or TV libraries you can see. Add one in Plex, or choose another server." }</p>
                <button type="button" id="back-to-servers" class="secondary" onclick={on_switch.clone()}>{ "Choose another server" }</button>
            </div>
        },
        Remote::Ready(list) => html! {
            <ul class="library-list">
                { for list.iter().map(|library| {
                    let (kind, one, many) = kind_words(library.kind);
                    html! {
                        <li key={library.key.clone()}>
                            <label class={classes!("library", library.chosen.then_some("chosen"))} data-key={library.key.clone()}>
                                <input type="checkbox" checked={library.chosen} disabled={loading} onchange={toggle(library)} />
                                <span class="library-title">{ &library.title }</span>
                                <span class="library-kind">{ kind }</span>
                                <span class="library-count">
                                    { library.count.map(|n| text::count(n, one, many)).unwrap_or_default() }
                                </span>
                            </label>
                        </li>
                    }
                }) }
            </ul>
        },
    };

    let ready = libraries.list.ready().is_some_and(|l| !l.is_empty());
    let has_shows = libraries
        .list
        .ready()
        .is_some_and(|list| list.iter().any(|l| l.chosen && l.kind == LibraryKind::Show));
    let progress = match &libraries.load {
        // The second phase: a show library's episodes, counted on their own bar.
        LoadPhase::Loading(Some(LoadProgress {
            episodes: Some(e), ..
        })) => html! {
            <>
                if e.total > 0 {
                    <progress id="load-progress" max={e.total.to_string()} value={e.loaded.min(e.total).to_string()} aria-label="Loading episodes"></progress>
                } else {
                    <progress id="load-progress" aria-label="Loading episodes"></progress>
                }
                <p id="load-count" class="status load-episodes" role="status">
                    { text::load_episodes(e) }
                </p>
            </>
        },
        // Every title read but the load goes on: the shows' episodes are being read. The bar
        // turns indeterminate rather than sit full.
        LoadPhase::Loading(Some(p)) if p.total > 0 && p.loaded >= p.total => html! {
            <>
                <progress id="load-progress" aria-label="Loading libraries"></progress>
                <p id="load-count" class="status load-episodes" role="status">
                    { text::load_finishing(p.total, has_shows) }
                </p>
            </>
        },
        LoadPhase::Loading(Some(p)) => html! {
            <>
                <progress id="load-progress" max={p.total.max(1).to_string()} value={p.loaded.min(p.total).to_string()} aria-label="Loading libraries"></progress>
                <p id="load-count" class="status" role="status">
                    { format!("{} of {} loaded", text::thousands(p.loaded), text::thousands(p.total)) }
                    if !p.library.is_empty() {
                        <span class="load-library">{ format!(" · {}", p.library) }</span>
                    }
                </p>
            </>
        },
        LoadPhase::Loading(None) => html! {
            <>
                <progress id="load-progress" aria-label="Loading libraries"></progress>
                <p id="load-count" class="status" role="status">{ "Starting to load…" }</p>
            </>
        },
        LoadPhase::Failed(err) => html! { <ErrorNote id="load-error" error={err.clone()} /> },
        LoadPhase::Idle => html! {
            if ready && keys.is_empty() {
                <p class="hint" role="status">{ "Tick at least one library to pick from." }</p>
            }
        },
    };

    html! {
        <section id="libraries" class="page libraries" aria-labelledby="libraries-title">
            <h2 id="libraries-title" tabindex="-1">{ "Choose libraries" }</h2>
            <p class="lede">{ "PlexPicker picks from the libraries you tick. Loading reads titles only: nothing on the server changes." }</p>
            { list }
            if ready {
                <div class="actions">
                    <button type="button" id="load-libraries" class="primary big" disabled={loading || keys.is_empty()} onclick={on_load}>
                        { if loading { "Loading…" } else if matches!(libraries.load, LoadPhase::Failed(_)) { "Try loading again" } else { "Load" } }
                    </button>
                </div>
            }
            <div class="load-status">{ progress }</div>
        </section>
    }
}
