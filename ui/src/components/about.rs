//! The About panel: version, where things are kept, and what is sent where.

use plexpicker_ipc::{About, InsecureConnections};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::dialog::use_dialog;
use crate::components::error_note::ErrorNote;
use crate::state::Remote;

#[derive(Properties, PartialEq)]
pub struct AboutProps {
    pub about: Remote<About>,
    pub on_close: Callback<()>,
    /// "Allow insecure connections" changed.
    pub on_insecure: Callback<InsecureConnections>,
    /// What an AI provider is sent and to whom (`None` until the AI settings arrive).
    #[prop_or_default]
    pub ai_privacy: Option<AttrValue>,
    /// "AI curation settings": the provider panel.
    pub on_ai: Callback<()>,
}

#[function_component(AboutPanel)]
pub fn about_panel(props: &AboutProps) -> Html {
    let dialog = use_dialog(props.on_close.clone(), "about");
    let onclick = props.on_close.reform(|_: MouseEvent| ());
    let on_insecure = {
        let on_insecure = props.on_insecure.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|select| select.value());
            if let Some(when) = InsecureConnections::ALL
                .into_iter()
                .find(|w| Some(w.id()) == value.as_deref())
            {
                on_insecure.emit(when);
            }
        })
    };
    let body = match &props.about {
        Remote::Loading => html! {
            <div class="skeleton-block" aria-busy="true">
                <p class="status" role="status">{ "Loading…" }</p>
                <div class="skeleton line"></div>
                <div class="skeleton line"></div>
                <div class="skeleton line short"></div>
            </div>
        },
        Remote::Failed(err) => html! { <ErrorNote id="about-error" error={err.clone()} /> },
        Remote::Ready(about) => html! {
            <>
                <p id="about-version" class="about-version">{ about.app.display_name() }</p>
                <dl class="about-paths">
                    <dt>{ "Settings" }</dt>
                    <dd><code id="about-settings">{ &about.settings_path }</code></dd>
                    <dt>{ "Library cache" }</dt>
                    <dd><code id="about-cache">{ &about.cache_path }</code></dd>
                </dl>
                <h3>{ "Connections" }</h3>
                <label for="insecure-connections">{ "Allow insecure connections" }</label>
                <select id="insecure-connections" onchange={on_insecure.clone()}>
                    { for InsecureConnections::ALL.iter().map(|w| html! {
                        <option value={w.id()} selected={*w == about.insecure_connections}>{ w.label() }</option>
                    }) }
                </select>
                <p class="hint">{ "When PlexPicker may send your sign-in over plain http instead of https. \"On the same network\" allows it only to your own server at its home address, when PlexPicker is on that network and no secure route works." }</p>
                <h3>{ "Privacy" }</h3>
                <div id="about-privacy" class="about-privacy">
                    { for about.privacy.iter().map(|p| html! { <p>{ p }</p> }) }
                </div>
                <h3>{ "AI curation" }</h3>
                <div id="about-ai-privacy" class="about-privacy">
                    if let Some(text) = &props.ai_privacy {
                        { crate::components::ai_panel::paragraphs(text) }
                    } else {
                        <p>{ "Nothing is sent to any AI provider unless you set one up." }</p>
                    }
                </div>
                <div class="actions">
                    <button type="button" id="about-ai" class="secondary" onclick={props.on_ai.reform(|_: MouseEvent| ())}>
                        { "AI curation settings" }
                    </button>
                </div>
            </>
        },
    };
    html! {
        <div class="overlay" ref={dialog.backdrop_ref} onkeydown={dialog.onkeydown} onclick={dialog.onclick}>
            <div id="about-panel" class="panel about" role="dialog" aria-modal="true" aria-labelledby="about-title" ref={dialog.panel_ref}>
                <div class="panel-head">
                    <h2 id="about-title">{ "About PlexPicker" }</h2>
                    <button type="button" id="close-about" class="ghost" ref={dialog.close_ref} {onclick}>{ "Close" }</button>
                </div>
                { body }
            </div>
        </div>
    }
}
