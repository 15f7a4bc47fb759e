//! An error where the user is looking: the message in plain words, then what to do next.

use plexpicker_ipc::IpcError;
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct ErrorNoteProps {
    pub id: AttrValue,
    pub error: IpcError,
    /// Buttons for the next step.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(ErrorNote)]
pub fn error_note(props: &ErrorNoteProps) -> Html {
    let node = use_node_ref();
    {
        // A new error scrolls into view, so it appears where the user is looking.
        let node = node.clone();
        use_effect_with(props.error.clone(), move |_| {
            if let Some(element) = node.cast::<web_sys::Element>() {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                element.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    html! {
        <div id={&props.id} class="error-note" role="alert" ref={node}>
            <p class="error-message">{ text::error_message(&props.error) }</p>
            <div class="actions">{ props.children.clone() }</div>
        </div>
    }
}
