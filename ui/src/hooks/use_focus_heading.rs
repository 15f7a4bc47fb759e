use wasm_bindgen::JsCast;
use web_sys::{FocusOptions, HtmlElement};
use yew::prelude::*;

use crate::state::Screen;

/// Moves keyboard and screen-reader focus to the new page's heading whenever the screen
/// changes, so people using a keyboard or a screen reader land where the content starts.
#[hook]
pub fn use_focus_heading(screen: Screen) {
    use_effect_with(screen, |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        // A new page starts at its top, not where the last one was scrolled to.
        window.scroll_to_with_x_and_y(0.0, 0.0);
        let heading = window
            .document()
            .and_then(|d| d.query_selector("main h2").ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlElement>().ok());
        if let Some(heading) = heading {
            let options = FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = heading.focus_with_options(&options);
        }
    });
}
