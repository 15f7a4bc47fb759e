//! What every dialog (About, AI curation, Who's watching?) does the same way: focus on its
//! Close button when it opens and back on the button that opened it when it closes; Escape
//! and a click on the dimmed backdrop close it; Tab never leaves it.

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The refs and handlers a dialog's markup wires up (see [`use_dialog`]).
pub struct Dialog {
    /// The Close button: focused when the dialog opens.
    pub close_ref: NodeRef,
    /// The dialog itself: Tab wraps inside it.
    pub panel_ref: NodeRef,
    /// The dimmed backdrop: a click on it (not inside the dialog) closes.
    pub backdrop_ref: NodeRef,
    /// On the backdrop: Escape closes, Tab wraps.
    pub onkeydown: Callback<KeyboardEvent>,
    /// On the backdrop.
    pub onclick: Callback<MouseEvent>,
}

/// A dialog's behaviour: `on_close` closes it; focus returns to the element `opener` (by id).
#[hook]
pub fn use_dialog(on_close: Callback<()>, opener: &'static str) -> Dialog {
    let close_ref = use_node_ref();
    {
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
            move || focus_by_id(opener)
        });
    }
    let panel_ref = use_node_ref();
    let onkeydown = {
        let on_close = on_close.clone();
        let panel_ref = panel_ref.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                on_close.emit(());
            }
            "Tab" => {
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
    let backdrop_ref = use_node_ref();
    let onclick = {
        let backdrop_ref = backdrop_ref.clone();
        Callback::from(move |e: MouseEvent| {
            let target = e.target().map(JsValue::from);
            let backdrop = backdrop_ref.get().map(JsValue::from);
            if target.is_some() && target == backdrop {
                on_close.emit(());
            }
        })
    };
    Dialog {
        close_ref,
        panel_ref,
        backdrop_ref,
        onkeydown,
        onclick,
    }
}

fn focus_by_id(id: &str) {
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
fn wrap_focus(panel: &web_sys::Element, backwards: bool) -> Option<web_sys::HtmlElement> {
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
