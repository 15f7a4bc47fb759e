//! The picker: the three wheels, the sentence they make, more filters, and Pick.

use plexpicker_ipc::{Format, Mood, WatchFilter};
use yew::prelude::*;

use super::PageProps;
use crate::components::error_note::ErrorNote;
use crate::components::filters::Filters;
use crate::components::thinking::{Chooser, ThinkingNote};
use crate::components::wheel::{Wheel, WheelOption};
use crate::effects::Dispatch;
use crate::state::{no_match_hint, Action};
use crate::text;

#[function_component(Picker)]
pub fn picker(props: &PageProps) -> Html {
    let state = &props.state;
    let choices = &state.choices;
    let dispatch = props.dispatch.clone();

    let format_options: Vec<_> = Format::ALL
        .iter()
        .map(|f| WheelOption {
            value: f.id(),
            label: f.label(),
        })
        .collect();
    // "New to someone" only when several people watch.
    let people = state.profiles.people();
    let watch_choices = WatchFilter::for_room(people);
    let watch_options: Vec<_> = watch_choices
        .iter()
        .map(|w| WheelOption {
            value: w.id(),
            label: w.label(),
        })
        .collect();
    let mood_options: Vec<_> = Mood::ALL
        .iter()
        .map(|m| WheelOption {
            value: m.id(),
            label: m.label(),
        })
        .collect();
    let index = |found: Option<usize>| found.unwrap_or_default();
    let format_index = index(Format::ALL.iter().position(|f| *f == choices.format));
    let watch_index = index(watch_choices.iter().position(|w| *w == choices.watch));
    let mood_index = index(Mood::ALL.iter().position(|m| *m == choices.mood));

    let on_format = reform_index(&dispatch, |i| {
        Format::ALL.get(i).copied().map(Action::SetFormat)
    });
    let on_watch = reform_index(&dispatch, move |i| {
        WatchFilter::for_room(people)
            .get(i)
            .copied()
            .map(Action::SetWatch)
    });
    let on_mood = reform_index(&dispatch, |i| {
        Mood::ALL.get(i).copied().map(Action::SetMood)
    });
    let on_filters = dispatch.action::<MouseEvent>(Action::ToggleFilters);
    let on_change = dispatch.map(|action: Action| action);
    let on_pick = dispatch.action::<MouseEvent>(Action::PickRequested);
    let on_motion = dispatch.action::<MouseEvent>(Action::SetReducedMotion(!state.reduced_motion));

    let catalog_line = state.catalog.as_ref().map(|c| {
        let mut line = format!(
            "Picking from {} and {}",
            text::count(c.movies, "movie", "movies"),
            text::count(c.shows, "TV show", "TV shows")
        );
        if state.session.demo {
            line.push_str(" in the demo library");
        } else if c.from_cache {
            line.push_str(", as loaded last time");
        }
        line
    });
    let genres = state
        .catalog
        .as_ref()
        .map(|c| c.genres.clone())
        .unwrap_or_default();
    let active = state.active_filters();
    let busy = state.pick.busy;
    let spinning = state.pick.spinning();
    let spin = |index: u8| state.pick.wheel_spinning(index);

    let feedback = state.pick.error.as_ref().map(|err| {
        let relax = no_match_hint(err).and_then(|(filter, without)| {
            choices.without(filter).map(|next| (filter, without, next))
        });
        html! {
            <ErrorNote id="pick-error" error={err.clone()}>
                if let Some((filter, without, next)) = relax {
                    <button type="button" id="relax-filter" class="secondary" onclick={{
                        let dispatch = dispatch.clone();
                        Callback::from(move |_: MouseEvent| {
                            dispatch.dispatch(Action::SetChoices(next.clone()));
                            dispatch.dispatch(Action::PickRequested);
                        })
                    }}>
                        { format!("Try without {} ({})", filter.noun(), text::count(without, "title", "titles")) }
                    </button>
                }
            </ErrorNote>
        }
    });

    html! {
        <section id="picker" class={classes!("page", "picker", spinning.then_some("spinning"))}
            data-spin={if spinning { "spinning" } else { "still" }} aria-labelledby="picker-title">
            <h2 id="picker-title" tabindex="-1">{ "What are we in the mood for?" }</h2>
            if let Some(line) = catalog_line {
                <p class="catalog-line">{ line }</p>
            }
            <div class="wheels">
                <Wheel id="wheel-format" label="Format" options={format_options} selected={format_index} on_select={on_format}
                    spinning={spin(0)} locked={busy} />
                <Wheel id="wheel-history" label="History" options={watch_options} selected={watch_index} on_select={on_watch}
                    spinning={spin(1)} locked={busy} />
                <Wheel id="wheel-mood" label="Mood" class="tall" options={mood_options} selected={mood_index} on_select={on_mood}
                    spinning={spin(2)} locked={busy} hint={AttrValue::from(choices.mood.description())} />
            </div>
            <p id="sentence" class="sentence" aria-live="polite">
                { for text::sentence_parts_for(choices, people).into_iter().map(|s| if s.emphasis {
                    html! { <strong>{ s.text }</strong> }
                } else {
                    html! { { s.text } }
                }) }
            </p>
            <div class="more">
                <button type="button" id="more-filters" class="ghost"
                    aria-expanded={if state.filters_open { "true" } else { "false" }}
                    aria-controls="filters-panel" onclick={on_filters}>
                    { if active > 0 { format!("More filters ({active})") } else { "More filters".to_string() } }
                </button>
                if state.filters_open {
                    <Filters choices={choices.clone()} genres={genres} decades={state.decades()}
                        year_range={state.year_range()} {on_change} />
                }
            </div>
            if state.ai.available() {
                <Chooser use_model={state.ai.use_model()}
                    model={AttrValue::from(state.ai.model_label().unwrap_or_default())}
                    disabled={busy} on_change={dispatch.map(Action::SetUseModel)} />
            }
            <div class="pick-row">
                <button type="button" id="pick" class="primary huge" disabled={busy} aria-busy={busy.to_string()} onclick={on_pick}>
                    { if spinning { "Spinning…" } else if busy { "Picking…" } else { "Pick" } }
                </button>
            </div>
            <p id="spin-status" class="sr-only" role="status">
                { if spinning { "The wheels are spinning…" } else { "" } }
            </p>
            if let Some(thinking) = state.ai.thinking.clone().filter(|_| busy) {
                <ThinkingNote {thinking} on_cancel={dispatch.action(Action::CancelAiPick)} />
            }
            <div class="feedback">{ for feedback }</div>
            <div class="motion-row">
                <button type="button" id="reduce-motion" class="ghost small"
                    aria-pressed={if state.reduced_motion { "true" } else { "false" }} onclick={on_motion}>
                    { "Reduce motion" }
                </button>
            </div>
        </section>
    }
}

/// A wheel's index callback: the choice at that index, if there is one.
fn reform_index(
    dispatch: &Dispatch,
    to_action: impl Fn(usize) -> Option<Action> + 'static,
) -> Callback<usize> {
    let dispatch = dispatch.clone();
    Callback::from(move |i: usize| {
        if let Some(action) = to_action(i) {
            dispatch.dispatch(action);
        }
    })
}
