//! The About panel: version, where things are kept, and what is sent where.

use plexpicker_ipc::{About, InsecureConnections};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::error_note::ErrorNote;
use crate::state::Remote;

pub(crate) fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// What the dialog's controls can be focused by Tab.
const FOCUSABLE: &str =
    "button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])";

/// Where Tab must go instead of leaving `panel`: `None` lets the browser move focus inside.
pub(crate) fn wrap_focus(
    panel: &web_sys::Element,
    backwards: bool,
) -> Option<web_sys::HtmlElement> {
    let nodes = panel.query_selector_all(FOCUSABLE).ok()?;
    let controls: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.get(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let first = controls.first()?.clone();
    let last = controls.last()?.clone();
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let inside = active
        .as_ref()
        .is_some_and(|a| panel.contains(Some(a.as_ref())));
    let at = |edge: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| AsRef::<JsValue>::as_ref(a) == AsRef::<JsValue>::as_ref(edge))
    };
    wrap(inside, at(&first), at(&last), backwards).map(|edge| match edge {
        Edge::First => first,
        Edge::Last => last,
    })
}

/// An end of the dialog's list of controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    First,
    Last,
}

/// Where Tab goes when focus is `inside` the dialog (on its first and/or last control, or
/// neither): `None` lets the browser move it, since it stays inside.
fn wrap(inside: bool, at_first: bool, at_last: bool, backwards: bool) -> Option<Edge> {
    match (inside, backwards) {
        (false, false) => Some(Edge::First),
        (false, true) => Some(Edge::Last),
        (true, false) if at_last => Some(Edge::First),
        (true, true) if at_first => Some(Edge::Last),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{wrap, Edge};

    #[test]
    fn tab_never_leaves_the_dialog() {
        // Past the last control: back to the first; before the first: on to the last.
        assert_eq!(wrap(true, false, true, false), Some(Edge::First));
        assert_eq!(wrap(true, true, false, true), Some(Edge::Last));
        // One control only: it keeps focus both ways.
        assert_eq!(wrap(true, true, true, false), Some(Edge::First));
        assert_eq!(wrap(true, true, true, true), Some(Edge::Last));
        // In the middle: the browser moves focus, still inside.
        assert_eq!(wrap(true, false, false, false), None);
        assert_eq!(wrap(true, false, false, true), None);
        // Focus got outside somehow: it is brought back in.
        assert_eq!(wrap(false, false, false, false), Some(Edge::First));
        assert_eq!(wrap(false, false, false, true), Some(Edge::Last));
    }
}

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
    let panel_ref = use_node_ref();
    let onkeydown = {
        let on_close = props.on_close.clone();
        let panel_ref = panel_ref.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                on_close.emit(());
            }
            "Tab" => {
                // Focus stays inside the dialog until it closes: Tab past the last control
                // comes back to the first, Shift+Tab before the first goes to the last.
                if let Some(panel) = panel_ref.cast::<web_sys::Element>() {
                    if let Some(target) = wrap_focus(&panel, e.shift_key()) {
                        e.prevent_default();
                        let _ = target.focus();
                    }
                }
            }
            _ => {}
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
        <div class="overlay" ref={backdrop_ref} {onkeydown} onclick={on_backdrop}>
            <div id="about-panel" class="panel about" role="dialog" aria-modal="true" aria-labelledby="about-title" ref={panel_ref}>
                <div class="panel-head">
                    <h2 id="about-title">{ "About PlexPicker" }</h2>
                    <button type="button" id="close-about" class="ghost" ref={close_ref} {onclick}>{ "Close" }</button>
                </div>
                { body }
            </div>
        </div>
    }
}
