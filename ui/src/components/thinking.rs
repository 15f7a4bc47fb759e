//! The model is thinking: what it is asked, and Cancel (the engine's pick follows at once).

use yew::prelude::*;

use crate::state::Thinking;

#[derive(Properties, PartialEq)]
pub struct ThinkingProps {
    pub thinking: Thinking,
    pub on_cancel: Callback<()>,
}

#[function_component(ThinkingNote)]
pub fn thinking_note(props: &ThinkingProps) -> Html {
    let cancelling = props.thinking.cancelling;
    html! {
        <div id="ai-thinking" class="ai-thinking" data-cancelling={cancelling.to_string()}>
            <span class="thinking-dot" aria-hidden="true"></span>
            <p id="ai-thinking-label" class="thinking-label" role="status">
                { if cancelling { "Stopping the model… PlexPicker's own pick is on its way." .to_string() } else { props.thinking.label.clone() } }
            </p>
            <button type="button" id="cancel-ai" class="secondary" disabled={cancelling}
                onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                { "Cancel" }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChooserProps {
    /// The model chooses.
    pub use_model: bool,
    /// "llama3.2 on Ollama".
    pub model: AttrValue,
    /// A pick is running: the switch waits.
    pub disabled: bool,
    pub on_change: Callback<bool>,
}

/// "PlexPicker chooses" / "Let the model choose", as two radio buttons.
#[function_component(Chooser)]
pub fn chooser(props: &ChooserProps) -> Html {
    let pick = |model: bool| props.on_change.reform(move |_: Event| model);
    html! {
        <fieldset id="chooser" class="chooser" disabled={props.disabled}>
            <legend class="chooser-legend">{ "Who chooses" }</legend>
            <label class={classes!("chooser-option", (!props.use_model).then_some("on"))} for="chooser-engine">
                <input type="radio" name="chooser" id="chooser-engine" value="engine"
                    checked={!props.use_model} onchange={pick(false)} />
                <span>{ "PlexPicker chooses" }</span>
            </label>
            <label class={classes!("chooser-option", props.use_model.then_some("on"))} for="chooser-model">
                <input type="radio" name="chooser" id="chooser-model" value="model"
                    checked={props.use_model} onchange={pick(true)} aria-describedby="chooser-model-name" />
                <span>{ "Let the model choose" }</span>
                <span id="chooser-model-name" class="chooser-model">{ &props.model }</span>
            </label>
        </fieldset>
    }
}
