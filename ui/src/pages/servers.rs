//! Servers: choose which Plex Media Server to use.

use plexpicker_ipc::ServerView;
use yew::prelude::*;

use super::PageProps;
use crate::components::error_note::ErrorNote;
use crate::state::{Action, Remote};
use crate::text;

#[function_component(Servers)]
pub fn servers(props: &PageProps) -> Html {
    let servers = &props.state.servers;
    let dispatch = &props.dispatch;
    let on_refresh = dispatch.action::<MouseEvent>(Action::RefreshServers);
    let on_sign_out = dispatch.action::<MouseEvent>(Action::SignOutRequested);
    let choose =
        |server: &ServerView| dispatch.action::<MouseEvent>(Action::ChooseServer(server.clone()));
    let loading = matches!(servers.list, Remote::Loading);

    let body = match &servers.list {
        Remote::Loading => html! {
            <ul class="server-list" aria-busy="true" aria-label="Loading servers">
                { for (0..3).map(|_| html! { <li><div class="server-skeleton skeleton-row"></div></li> }) }
            </ul>
        },
        Remote::Failed(err) => html! {
            <ErrorNote id="servers-error" error={err.clone()}>
                if text::needs_sign_in(err) {
                    <button type="button" id="sign-in-again" class="primary" onclick={on_sign_out.clone()}>{ "Sign in again" }</button>
                } else {
                    <button type="button" id="retry-servers" class="primary" onclick={on_refresh.clone()}>{ "Try again" }</button>
                }
            </ErrorNote>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p id="no-servers" class="empty">
                { "This Plex account has no servers yet. Set up Plex Media Server, or ask a friend to share theirs, then press Refresh." }
            </p>
        },
        Remote::Ready(list) => html! {
            <ul class="server-list">
                { for list.iter().map(|server| html! {
                    <li key={server.id.clone()}>
                        <button type="button" class={classes!("server", (!server.online).then_some("offline"))}
                            data-id={server.id.clone()} onclick={choose(server)}>
                            <span class="server-name">{ &server.name }</span>
                            <span class="server-owner">{ server.ownership_label() }</span>
                            <span class={classes!("server-status", if server.online { "online" } else { "offline" })}>
                                { if server.online { "Online" } else { "Offline" } }
                            </span>
                        </button>
                    </li>
                }) }
            </ul>
        },
    };

    html! {
        <section id="servers" class="page servers" aria-labelledby="servers-title">
            <div class="page-head">
                <h2 id="servers-title" tabindex="-1">{ "Choose a server" }</h2>
                <button type="button" id="refresh-servers" class="secondary" disabled={loading} onclick={on_refresh.clone()}>
                    { "Refresh" }
                </button>
            </div>
            <p class="hint" role="status">
                { if loading { "Asking Plex which servers you can use…" } else { "Offline servers may still answer: Plex only saw them last a while ago." } }
            </p>
            { body }
        </section>
    }
}
