//! The About panel: version, where things are kept, and what is sent where.

use plexpicker_ipc::About;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::error_note::ErrorNote;
use crate::state::Remote;

fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct AboutProps {
    pub about: Remote<About>,
    pub on_close: Callback<()>,
}

#[function_component(AboutPanel)]
pub fn about_panel(props: &AboutProps) -> Html {
    let close_ref = use_node_ref();
    {
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
            // Closed: give focus back to the About button that opened the panel.
            || focus_by_id("about")
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let onclick = props.on_close.reform(|_: MouseEvent| ());
    // A click on the dimmed backdrop (not inside the panel) closes it too.
    let backdrop_ref = use_node_ref();
    let on_backdrop = {
        let on_close = props.on_close.clone();
        let backdrop_ref = backdrop_ref.clone();
        Callback::from(move |e: MouseEvent| {
            let target = e.target().map(JsValue::from);
            let backdrop = backdrop_ref.get().map(JsValue::from);
            if target.is_some() && target == backdrop {
                on_close.emit(());
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
                <h3>{ "Privacy" }</h3>
                <div id="about-privacy" class="about-privacy">
                    { for about.privacy.iter().map(|p| html! { <p>{ p }</p> }) }
                </div>
            </>
        },
    };
    html! {
        <div class="overlay" ref={backdrop_ref} {onkeydown} onclick={on_backdrop}>
            <div id="about-panel" class="panel about" role="dialog" aria-modal="true" aria-labelledby="about-title">
                <div class="panel-head">
                    <h2 id="about-title">{ "About PlexPicker" }</h2>
                    <button type="button" id="close-about" class="ghost" ref={close_ref} {onclick}>{ "Close" }</button>
                </div>
                { body }
            </div>
        </div>
    }
}
