//! The AI curation panel: which OpenAI-compatible provider may choose among the titles
//! PlexPicker found, with Test, List models, Save, and what is sent to it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::dialog::use_dialog;
use crate::components::error_note::ErrorNote;
use crate::effects::Dispatch;
use crate::state::{
    test_line, Action, AiBusy, AiField, State, CUSTOM_PRESET, MAX_CANDIDATES, TIMEOUT_SECS,
};

#[derive(Properties)]
pub struct AiPanelProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

impl PartialEq for AiPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn select_value(e: &Event) -> Option<String> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
}

/// The privacy text as paragraphs (blank lines or line breaks split it).
pub fn paragraphs(text: &str) -> Html {
    html! {
        { for text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| html! { <p>{ l.to_string() }</p> }) }
    }
}

#[function_component(AiPanel)]
pub fn ai_panel(props: &AiPanelProps) -> Html {
    let dispatch = props.dispatch.clone();
    let on_close = dispatch.action::<()>(Action::CloseAi);
    let dialog = use_dialog(on_close.clone(), "ai-open");
    let state = &props.state;
    let body = match (&state.ai.panel, &state.ai.settings) {
        (Some(panel), _) if panel.loading => html! {
            <div class="skeleton-block" aria-busy="true">
                <p class="status" role="status">{ "Loading…" }</p>
                <div class="skeleton line"></div>
                <div class="skeleton line short"></div>
            </div>
        },
        (Some(panel), _) if panel.load_error.is_some() => html! {
            <ErrorNote id="ai-load-error" error={panel.load_error.clone().unwrap_or_else(|| plexpicker_ipc::IpcError::bridge("no details"))}>
                <button type="button" class="secondary" onclick={dispatch.action::<MouseEvent>(Action::OpenAi)}>{ "Try again" }</button>
            </ErrorNote>
        },
        (Some(panel), Some(settings)) => {
            let form = &panel.form;
            let busy = panel.busy;
            let field = |to: fn(String) -> AiField| {
                dispatch.map(move |e: InputEvent| Action::AiFormChanged(to(input_value(&e))))
            };
            let on_preset = {
                let dispatch = dispatch.clone();
                Callback::from(move |e: Event| {
                    if let Some(id) = select_value(&e) {
                        dispatch.dispatch(Action::AiChoosePreset(id));
                    }
                })
            };
            let on_model_list = {
                let dispatch = dispatch.clone();
                Callback::from(move |e: Event| {
                    if let Some(model) = select_value(&e).filter(|m| !m.is_empty()) {
                        dispatch.dispatch(Action::AiChooseModel(model));
                    }
                })
            };
            let on_enabled = dispatch.map(|e: Event| {
                Action::AiFormChanged(AiField::Enabled(
                    e.target_unchecked_into::<HtmlInputElement>().checked(),
                ))
            });
            let preset = settings.presets.iter().find(|p| p.id == form.preset);
            let needs_key = preset.is_some_and(|p| p.needs_key);
            let saved_provider = settings.provider.as_ref();
            // The saved key belongs to the saved provider.
            let has_key = saved_provider.is_some_and(|p| p.has_key);
            let custom = form.preset == CUSTOM_PRESET;
            let click = |action: Action| dispatch.action::<MouseEvent>(action);
            let label = |what: &'static str, doing: &'static str, now: AiBusy| {
                if busy == Some(now) {
                    doing
                } else {
                    what
                }
            };
            html! {
                <form class="ai-form" novalidate={true} onsubmit={dispatch.map(|e: SubmitEvent| { e.prevent_default(); Action::AiSaveRequested })}>
                    <p class="hint">{ "Off unless you switch it on. The model only chooses among titles PlexPicker has already found with your choices; it cannot add a title that is not in your library." }</p>
                    <label class="check-row" for="ai-enabled">
                        <input type="checkbox" id="ai-enabled" checked={form.enabled} onchange={on_enabled} />
                        <span>{ "Offer \"Let the model choose\" on the picker" }</span>
                    </label>
                    <div class="field">
                        <label for="ai-preset">{ "Provider" }</label>
                        <select id="ai-preset" onchange={on_preset} aria-describedby="ai-preset-hint">
                            { for settings.presets.iter().map(|p| html! {
                                <option value={p.id.clone()} selected={p.id == form.preset}>{ &p.label }</option>
                            }) }
                        </select>
                        <span id="ai-preset-hint" class="hint">
                            { if custom { "Any server that speaks OpenAI's chat completions." } else { "Its usual address is filled in; change it if yours differs." } }
                        </span>
                    </div>
                    <div class="field">
                        <label for="ai-base-url">{ "Address (base URL)" }</label>
                        <input id="ai-base-url" type="url" inputmode="url" autocomplete="off" spellcheck="false"
                            placeholder="http://127.0.0.1:11434/v1"
                            value={form.base_url.clone()} oninput={field(AiField::BaseUrl)} />
                    </div>
                    <div class="field">
                        <label for="ai-model">{ "Model" }</label>
                        <div class="inline-field">
                            <input id="ai-model" type="text" autocomplete="off" spellcheck="false"
                                placeholder="llama3.2"
                                value={form.model.clone()} oninput={field(AiField::Model)} />
                            <button type="button" id="ai-list-models" class="secondary" disabled={busy.is_some()}
                                onclick={click(Action::AiListModelsRequested)}>
                                { label("List models", "Listing…", AiBusy::Listing) }
                            </button>
                        </div>
                    </div>
                    if let Some(models) = &panel.models {
                        <div class="field">
                            <label for="ai-model-list">{ format!("Models on this server ({})", models.len()) }</label>
                            <select id="ai-model-list" onchange={on_model_list}>
                                { for models.iter().map(|m| html! {
                                    <option value={m.clone()} selected={*m == form.model}>{ m }</option>
                                }) }
                            </select>
                        </div>
                    }
                    <div class="field">
                        <label for="ai-key">{ if has_key { "New API key" } else { "API key" } }</label>
                        if has_key && !form.remove_key {
                            <div class="inline-field">
                                <p id="ai-key-saved" class="key-saved">{ "A key is saved." }</p>
                                <button type="button" id="ai-remove-key" class="secondary" onclick={click(Action::AiRemoveKey(true))}>{ "Remove" }</button>
                            </div>
                        }
                        if has_key && form.remove_key {
                            <div class="inline-field">
                                <p id="ai-key-removing" class="warning">{ "The saved key will be removed when you save." }</p>
                                <button type="button" id="ai-keep-key" class="secondary" onclick={click(Action::AiRemoveKey(false))}>{ "Keep it" }</button>
                            </div>
                        }
                        <input id="ai-key" type="password" autocomplete="off" spellcheck="false"
                            aria-describedby="ai-key-hint"
                            value={form.key.clone()} oninput={field(AiField::Key)} />
                        <span id="ai-key-hint" class="hint">
                            { if needs_key { "This provider needs a key. It is kept in the system's keychain and never shown again." }
                              else { "Usually not needed for a server on this machine. A key is kept in the system's keychain and never shown again." } }
                        </span>
                    </div>
                    <div class="field-row">
                        <div class="field">
                            <label for="ai-max-candidates">{ "Titles to offer the model" }</label>
                            <input id="ai-max-candidates" type="text" inputmode="numeric" autocomplete="off"
                                aria-describedby="ai-max-candidates-hint"
                                value={form.max_candidates.clone()} oninput={field(AiField::MaxCandidates)} />
                            <span id="ai-max-candidates-hint" class="hint">{ format!("The best-ranked matches, {} to {}.", MAX_CANDIDATES.0, MAX_CANDIDATES.1) }</span>
                        </div>
                        <div class="field">
                            <label for="ai-timeout">{ "Seconds to wait for an answer" }</label>
                            <input id="ai-timeout" type="text" inputmode="numeric" autocomplete="off"
                                aria-describedby="ai-timeout-hint"
                                value={form.timeout_secs.clone()} oninput={field(AiField::TimeoutSecs)} />
                            <span id="ai-timeout-hint" class="hint">{ format!("{} to {}; then PlexPicker picks on its own.", TIMEOUT_SECS.0, TIMEOUT_SECS.1) }</span>
                        </div>
                    </div>
                    <div class="actions">
                        <button type="button" id="ai-test" class="secondary" disabled={busy.is_some()}
                            aria-describedby="ai-test-hint" onclick={click(Action::AiTestRequested)}>
                            { label("Test", "Testing…", AiBusy::Testing) }
                        </button>
                        <button type="submit" id="ai-save" class="primary" disabled={busy.is_some()}>
                            { label("Save", "Saving…", AiBusy::Saving) }
                        </button>
                    </div>
                    <p id="ai-test-hint" class="hint">{ "Test and List models save these settings first, then ask the server." }</p>
                    <div id="ai-status" class="ai-status" role="status">
                        if let Some(Ok(test)) = &panel.test {
                            <p id="ai-test-result" class="status success">{ test_line(test) }</p>
                        }
                        if panel.saved {
                            <p id="ai-saved" class="status success">
                                { if form.enabled { "Saved. The picker now offers \"Let the model choose\"." } else { "Saved. The model is switched off." } }
                            </p>
                        }
                    </div>
                    if let Some(Err(err)) = &panel.test {
                        <ErrorNote id="ai-test-error" error={err.clone()} />
                    }
                    if let Some(err) = &panel.error {
                        <ErrorNote id="ai-error" error={err.clone()} />
                    }
                    <h3>{ "What the provider is sent" }</h3>
                    <div id="ai-privacy" class="about-privacy">{ paragraphs(&settings.privacy) }</div>
                </form>
            }
        }
        _ => html! {},
    };
    html! {
        <div class="overlay" ref={dialog.backdrop_ref} onkeydown={dialog.onkeydown} onclick={dialog.onclick}>
            <div id="ai-panel" class="panel ai" role="dialog" aria-modal="true" aria-labelledby="ai-title" ref={dialog.panel_ref}>
                <div class="panel-head">
                    <h2 id="ai-title">{ "AI curation" }</h2>
                    <button type="button" id="close-ai" class="ghost" ref={dialog.close_ref}
                        onclick={on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
                </div>
                { body }
            </div>
        </div>
    }
}
