//! One of the picker's three wheels: a radio group usable by mouse, touch and keyboard.

use yew::prelude::*;

/// One option on a wheel.
#[derive(Debug, Clone, PartialEq)]
pub struct WheelOption {
    /// The choice's id, exposed as `data-value`.
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct WheelProps {
    /// The radio group's id (`wheel-format`, ...).
    pub id: AttrValue,
    pub label: AttrValue,
    pub options: Vec<WheelOption>,
    /// Index of the chosen option.
    pub selected: usize,
    pub on_select: Callback<usize>,
    /// A line under the wheel about the chosen option.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Extra class (the mood wheel is taller).
    #[prop_or_default]
    pub class: Classes,
}

/// Where an arrow key moves the selection: wraps around like a wheel.
pub fn step(selected: usize, len: usize, key: &str) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let selected = selected.min(len - 1);
    match key {
        "ArrowDown" | "ArrowRight" => Some((selected + 1) % len),
        "ArrowUp" | "ArrowLeft" => Some((selected + len - 1) % len),
        "Home" => Some(0),
        "End" => Some(len - 1),
        _ => None,
    }
}

#[function_component(Wheel)]
pub fn wheel(props: &WheelProps) -> Html {
    let refs = use_memo(props.options.len(), |len| {
        (0..*len).map(|_| NodeRef::default()).collect::<Vec<_>>()
    });
    // Set when the keyboard moved the selection: focus follows it after the render.
    let focus_pending = use_mut_ref(|| false);
    {
        let refs = refs.clone();
        let focus_pending = focus_pending.clone();
        let selected = props.selected;
        use_effect(move || {
            if std::mem::take(&mut *focus_pending.borrow_mut()) {
                if let Some(el) = refs
                    .get(selected)
                    .and_then(|r| r.cast::<web_sys::HtmlElement>())
                {
                    let _ = el.focus();
                }
            }
        });
    }

    let onkeydown = {
        let on_select = props.on_select.clone();
        let selected = props.selected;
        let len = props.options.len();
        let focus_pending = focus_pending.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(next) = step(selected, len, &e.key()) {
                e.prevent_default();
                *focus_pending.borrow_mut() = true;
                on_select.emit(next);
            }
        })
    };

    let label_id = format!("{}-label", props.id);
    let options = props.options.iter().enumerate().map(|(i, option)| {
        let checked = i == props.selected;
        let onclick = {
            let on_select = props.on_select.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(i))
        };
        let node_ref = refs.get(i).cloned().unwrap_or_default();
        html! {
            <button
                type="button"
                role="radio"
                class={classes!("wheel-option", checked.then_some("selected"))}
                data-value={option.value}
                aria-checked={if checked { "true" } else { "false" }}
                tabindex={if checked { "0" } else { "-1" }}
                ref={node_ref}
                {onclick}
            >
                { option.label }
            </button>
        }
    });

    html! {
        <div class={classes!("wheel", props.class.clone())}>
            <h3 class="wheel-label" id={label_id.clone()}>{ &props.label }</h3>
            <div
                id={&props.id}
                class="wheel-options"
                role="radiogroup"
                aria-labelledby={label_id}
                {onkeydown}
            >
                { for options }
            </div>
            if let Some(hint) = &props.hint {
                <p class="wheel-hint">{ hint }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn arrows_move_and_wrap() {
        assert_eq!(step(0, 3, "ArrowDown"), Some(1));
        assert_eq!(step(2, 3, "ArrowRight"), Some(0));
        assert_eq!(step(0, 3, "ArrowUp"), Some(2));
        assert_eq!(step(1, 3, "ArrowLeft"), Some(0));
        assert_eq!(step(1, 3, "Home"), Some(0));
        assert_eq!(step(0, 3, "End"), Some(2));
        assert_eq!(step(0, 3, "a"), None);
        assert_eq!(step(0, 0, "ArrowDown"), None);
        assert_eq!(step(9, 3, "ArrowDown"), Some(0));
    }
}
