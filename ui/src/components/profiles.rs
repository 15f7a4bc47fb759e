//! "Who's watching?": the Plex Home's profiles as avatars to press, a PIN field under a
//! protected one, and "Start picking". Opened from the header.

use std::rc::Rc;

use plexpicker_ipc::ProfileView;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::dialog::use_dialog;
use crate::components::error_note::ErrorNote;
use crate::effects::Dispatch;
use crate::state::{Action, ProfilesPanel, Remote, State};

#[derive(Properties)]
pub struct ProfilesPanelProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

impl PartialEq for ProfilesPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}

/// The avatar's letter: the name's first letter, upper case.
fn initial(name: &str) -> String {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".into())
}

/// What a profile is, in a few words under its name.
fn kind(profile: &ProfileView) -> &'static str {
    match profile {
        p if p.admin => "You",
        p if p.guest => "Guest",
        p if p.restricted => "Kids' limits",
        p if p.protected => "PIN",
        _ => "",
    }
}

#[function_component(WhoIsWatching)]
pub fn who_is_watching(props: &ProfilesPanelProps) -> Html {
    let dispatch = props.dispatch.clone();
    let on_close = dispatch.action::<()>(Action::CloseProfiles);
    let dialog = use_dialog(on_close.clone(), "who-is-watching");
    let panel = props.state.profiles.panel.clone().unwrap_or_default();
    let body = match &panel.list {
        Remote::Loading => html! {
            <div class="skeleton-block" aria-busy="true">
                <p class="status" role="status">{ "Loading your Plex Home…" }</p>
                <div class="skeleton line"></div>
            </div>
        },
        Remote::Failed(err) => html! {
            <ErrorNote id="profiles-load-error" error={err.clone()}>
                <button type="button" class="secondary" onclick={dispatch.action::<MouseEvent>(Action::OpenProfiles)}>{ "Try again" }</button>
            </ErrorNote>
        },
        Remote::Ready(list) => profiles_body(list, &panel, &dispatch),
    };
    html! {
        <div class="overlay" ref={dialog.backdrop_ref} onkeydown={dialog.onkeydown} onclick={dialog.onclick}>
            <div id="profiles-panel" class="panel profiles" role="dialog" aria-modal="true" aria-labelledby="profiles-title" ref={dialog.panel_ref}>
                <div class="panel-head">
                    <h2 id="profiles-title">{ "Who's watching?" }</h2>
                    <button type="button" id="close-profiles" class="ghost" ref={dialog.close_ref} onclick={on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
                </div>
                { body }
            </div>
        </div>
    }
}

fn profiles_body(list: &[ProfileView], panel: &ProfilesPanel, dispatch: &Dispatch) -> Html {
    let busy = panel.busy;
    let alone = list.len() < 2;
    let avatars = list.iter().map(|p| {
        let chosen = panel.selected.contains(&p.id);
        let toggle = dispatch.action::<MouseEvent>(Action::ToggleProfile(p.id.clone()));
        let pin = panel.needs_pin(p).then(|| {
            let id = p.id.clone();
            let oninput = dispatch.map(move |e: InputEvent| Action::ProfilePin {
                id: id.clone(),
                pin: e.target_unchecked_into::<HtmlInputElement>().value(),
            });
            let field = format!("pin-{}", p.id);
            html! {
                <div class="pin-field">
                    <label for={field.clone()}>{ format!("{}'s PIN", p.name) }</label>
                    <input id={field} class="pin" type="password" inputmode="numeric"
                        autocomplete="off" maxlength="4" disabled={busy}
                        value={panel.pins.get(&p.id).cloned().unwrap_or_default()} {oninput} />
                </div>
            }
        });
        html! {
            <li class="profile">
                <button type="button" id={format!("profile-{}", p.id)}
                    class={classes!("avatar-button", chosen.then_some("chosen"))}
                    aria-pressed={chosen.to_string()} disabled={busy} onclick={toggle}>
                    <span class="avatar" aria-hidden="true">{ initial(&p.name) }</span>
                    <span class="profile-name">{ &p.name }</span>
                    <span class="profile-kind">{ kind(p) }</span>
                </button>
                { for pin }
            </li>
        }
    });
    html! {
        <>
            <p class="hint">
                if alone {
                    { "This Plex account has no other profiles: PlexPicker picks for you." }
                } else {
                    { "Choose everyone on the sofa. \u{201c}Unwatched\u{201d} then means new to all of you, and the strictest content limit among you applies." }
                }
            </p>
            <ul class="profile-list" aria-label="Profiles">{ for avatars }</ul>
            if busy {
                <ul id="profiles-progress" class="status profiles-progress" role="status">
                    { for panel.progress_lines().into_iter().map(|line| html! { <li>{ line }</li> }) }
                </ul>
            }
            if let Some(err) = &panel.error {
                <ErrorNote id="profiles-error" error={err.clone()} />
            }
            <div class="actions">
                <button type="button" id="start-picking" class="primary" disabled={busy}
                    onclick={dispatch.action::<MouseEvent>(Action::ChooseProfilesRequested)}>
                    if busy { { "Loading what each of you has watched…" } } else { { "Start picking" } }
                </button>
            </div>
        </>
    }
}
