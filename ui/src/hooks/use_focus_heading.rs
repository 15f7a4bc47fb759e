use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::state::Screen;

/// Moves keyboard and screen-reader focus to the new page's heading whenever the screen
/// changes, so people using a keyboard or a screen reader land where the content starts.
#[hook]
pub fn use_focus_heading(screen: Screen) {
    use_effect_with(screen, |_| {
        let heading = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("main h2").ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlElement>().ok());
        if let Some(heading) = heading {
            let _ = heading.focus();
        }
    });
}
