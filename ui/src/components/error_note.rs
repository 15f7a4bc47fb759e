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
    html! {
        <div id={&props.id} class="error-note" role="alert">
            <p class="error-message">{ text::error_message(&props.error) }</p>
            <div class="actions">{ props.children.clone() }</div>
        </div>
    }
}
