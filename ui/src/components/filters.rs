//! "More filters": time, genres, decades or a year range, content rating and minimum critic
//! and audience ratings.

use plexpicker_ipc::{Choices, ContentLevel};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::{Action, DECADES};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    pub choices: Choices,
    /// Every genre in the catalog.
    pub genres: Vec<String>,
    /// The chosen decades.
    pub decades: Vec<u16>,
    /// The chosen year range (from, to), either open.
    pub year_range: (Option<u16>, Option<u16>),
    /// A change to the choices.
    pub on_change: Callback<Action>,
}

/// A text field that shows what the user types and follows outside changes to its value.
#[hook]
fn use_synced_text<T: Copy + PartialEq + 'static>(
    current: Option<T>,
    parse: fn(&str) -> Option<T>,
    show: fn(T) -> String,
) -> UseStateHandle<String> {
    let text = use_state(|| current.map(show).unwrap_or_default());
    {
        let text = text.clone();
        use_effect_with(current, move |current| {
            if let Some(next) = text::synced_text(&text, *current, parse, show) {
                text.set(next);
            }
        });
    }
    text
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn chips(
    id: &'static str,
    label: &'static str,
    items: &[(String, String, bool)],
    on_toggle: Callback<String>,
) -> Html {
    html! {
        <div id={id} class="chips" role="group" aria-label={label}>
            { for items.iter().map(|(value, shown, pressed)| {
                let onclick = {
                    let value = value.clone();
                    on_toggle.reform(move |_: MouseEvent| value.clone())
                };
                html! {
                    <button
                        type="button"
                        class={classes!("chip", pressed.then_some("on"))}
                        data-value={value.clone()}
                        aria-pressed={if *pressed { "true" } else { "false" }}
                        {onclick}
                    >
                        { shown }
                    </button>
                }
            }) }
        </div>
    }
}

#[function_component(Filters)]
pub fn filters(props: &FiltersProps) -> Html {
    let choices = &props.choices;
    let minutes = use_synced_text(
        text::max_minutes(choices.runtime),
        text::parse_minutes,
        |m| m.to_string(),
    );
    let finish = use_synced_text(text::finish_by(choices.runtime), text::parse_clock, |at| {
        at.to_string()
    });
    let rating = use_synced_text(choices.min_critic, text::parse_rating, text::rating_value);
    let audience = use_synced_text(choices.min_audience, text::parse_rating, text::rating_value);
    let (from, to) = props.year_range;
    let year_from = use_synced_text(from, text::parse_year, |y| y.to_string());
    let year_to = use_synced_text(to, text::parse_year, |y| y.to_string());

    let on_minutes = {
        let minutes = minutes.clone();
        let on_change = props.on_change.clone();
        let current = choices.runtime;
        Callback::from(move |e: InputEvent| {
            let value = input_value(&e);
            if let Some(limit) = text::runtime_from_minutes(&value, current) {
                on_change.emit(Action::SetRuntime(limit));
            }
            minutes.set(value);
        })
    };
    let on_finish = {
        let finish = finish.clone();
        let on_change = props.on_change.clone();
        let current = choices.runtime;
        Callback::from(move |e: InputEvent| {
            let value = input_value(&e);
            if let Some(limit) = text::runtime_from_clock(&value, current) {
                on_change.emit(Action::SetRuntime(limit));
            }
            finish.set(value);
        })
    };
    let on_rating = {
        let rating = rating.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let value = input_value(&e);
            on_change.emit(Action::SetMinCritic(text::parse_rating(&value)));
            rating.set(value);
        })
    };
    let on_audience = {
        let audience = audience.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let value = input_value(&e);
            on_change.emit(Action::SetMinAudience(text::parse_rating(&value)));
            audience.set(value);
        })
    };
    // A year field changes the range once it holds a whole year, or when it is emptied while
    // a range is set (an unfinished year must not clear the decades).
    let year_input = |field: UseStateHandle<String>, is_from: bool| {
        let on_change = props.on_change.clone();
        let range_set = from.is_some() || to.is_some();
        Callback::from(move |e: InputEvent| {
            let value = input_value(&e);
            let year = text::parse_year(&value);
            if year.is_some() || (value.trim().is_empty() && range_set) {
                on_change.emit(if is_from {
                    Action::SetYearRange { from: year, to }
                } else {
                    Action::SetYearRange { from, to: year }
                });
            }
            field.set(value);
        })
    };
    let on_year_from = year_input(year_from.clone(), true);
    let on_year_to = year_input(year_to.clone(), false);
    let on_content = props.on_change.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::SetMaxContent(text::content_level(&value))
    });
    let on_reset = props.on_change.reform(|_: MouseEvent| Action::ResetFilters);

    let has = |list: &[String], genre: &str| list.iter().any(|g| g.eq_ignore_ascii_case(genre));
    let include: Vec<_> = props
        .genres
        .iter()
        .map(|g| (g.clone(), g.clone(), has(&choices.include_genres, g)))
        .collect();
    let exclude: Vec<_> = props
        .genres
        .iter()
        .map(|g| (g.clone(), g.clone(), has(&choices.exclude_genres, g)))
        .collect();
    let decades: Vec<_> = DECADES
        .iter()
        .map(|d| {
            (
                d.to_string(),
                text::decade_label(*d),
                props.decades.contains(d),
            )
        })
        .collect();
    let on_include = props.on_change.reform(Action::ToggleIncludeGenre);
    let on_exclude = props.on_change.reform(Action::ToggleExcludeGenre);
    let on_decade = props.on_change.reform(|value: String| {
        // The chips carry the decades' own numbers, so this always parses.
        Action::ToggleDecade(value.parse().unwrap_or_default())
    });
    let max_content = choices
        .max_content
        .map(ContentLevel::id)
        .unwrap_or_default();

    html! {
        <div id="filters-panel" class="filters">
            <fieldset class="filter-group time">
                <legend>{ "Time" }</legend>
                <div class="field-row">
                    <label class="field">
                        <span>{ "At most (minutes)" }</span>
                        <input id="max-minutes" type="number" inputmode="numeric" min="1" max="1440" step="5"
                            placeholder="Any length" value={(*minutes).clone()} oninput={on_minutes} />
                    </label>
                    <span class="or" aria-hidden="true">{ "or" }</span>
                    <label class="field">
                        <span>{ "Finish by" }</span>
                        <input id="finish-by" type="time" value={(*finish).clone()} oninput={on_finish} />
                    </label>
                </div>
            </fieldset>
            if !props.genres.is_empty() {
                <fieldset class="filter-group">
                    <legend>{ "Only these genres" }</legend>
                    { chips("include-genres", "Only these genres", &include, on_include) }
                </fieldset>
                <fieldset class="filter-group">
                    <legend>{ "Never these genres" }</legend>
                    { chips("exclude-genres", "Never these genres", &exclude, on_exclude) }
                </fieldset>
            }
            <fieldset class="filter-group">
                <legend>{ "Decades" }</legend>
                { chips("decades", "Decades", &decades, on_decade) }
                <div class="field-row">
                    <label class="field">
                        <span>{ "Or from year" }</span>
                        <input id="year-from" type="number" inputmode="numeric" min="1870" max="2200" step="1"
                            placeholder="Any" value={(*year_from).clone()} oninput={on_year_from} />
                    </label>
                    <label class="field">
                        <span>{ "To year" }</span>
                        <input id="year-to" type="number" inputmode="numeric" min="1870" max="2200" step="1"
                            placeholder="Any" value={(*year_to).clone()} oninput={on_year_to} />
                    </label>
                </div>
            </fieldset>
            <div class="field-row">
                <label class="field">
                    <span>{ "Content rating up to" }</span>
                    <select id="max-content" onchange={on_content}>
                        <option value="" selected={choices.max_content.is_none()}>{ "No limit" }</option>
                        { for ContentLevel::ALL.iter().map(|level| html! {
                            <option value={level.id()} selected={level.id() == max_content}>{ level.label() }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Minimum critic rating (0–10)" }</span>
                    <input id="min-rating" type="number" inputmode="decimal" min="0" max="10" step="0.5"
                        placeholder="Any" value={(*rating).clone()} oninput={on_rating} />
                </label>
                <label class="field">
                    <span>{ "Minimum audience rating (0–10)" }</span>
                    <input id="min-audience" type="number" inputmode="decimal" min="0" max="10" step="0.5"
                        placeholder="Any" value={(*audience).clone()} oninput={on_audience} />
                </label>
            </div>
            <button type="button" id="reset-filters" class="ghost" onclick={on_reset}>{ "Clear these filters" }</button>
        </div>
    }
}
