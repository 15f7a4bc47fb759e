//! A dismissible banner for something the user should know.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub message: AttrValue,
    pub on_dismiss: Callback<()>,
}

#[function_component(Notice)]
pub fn notice(props: &NoticeProps) -> Html {
    let onclick = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div id="notice" class="notice" role="alert">
            <p>{ &props.message }</p>
            <button type="button" id="dismiss-notice" class="ghost" aria-label="Dismiss this notice" {onclick}>
                { "Dismiss" }
            </button>
        </div>
    }
}
