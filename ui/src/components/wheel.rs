//! One of the picker's three wheels: a radio group usable by mouse, touch and keyboard. It
//! turns with the mouse wheel, a swipe and the arrow keys; while the picker spins it shows
//! a light running through its options, and it lands on its value when it stops.

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
    /// Spinning: the wheel has not landed yet.
    #[prop_or_default]
    pub spinning: bool,
    /// A pick is running: turning does nothing.
    #[prop_or_default]
    pub locked: bool,
}

/// Pixels of scroll-wheel travel per option.
const WHEEL_NOTCH: f64 = 60.0;
/// Pixels of swipe per option; shorter moves are taps.
const SWIPE_ROW: f64 = 44.0;

/// `selected` turned by `steps` options (negative: back), wrapping around like a wheel.
pub fn turn(selected: usize, len: usize, steps: i64) -> Option<usize> {
    if len == 0 || steps == 0 {
        return None;
    }
    let len = len as i64;
    let selected = (selected as i64).min(len - 1);
    Some((selected + steps).rem_euclid(len) as usize)
}

/// Options a swipe moves: up or left moves on, down or right moves back; along the longer
/// axis, one option per [`SWIPE_ROW`] pixels, at most three. Short moves are taps: 0.
pub fn swipe_steps(dx: f64, dy: f64) -> i64 {
    let along = if dx.abs() > dy.abs() { dx } else { dy };
    if !along.is_finite() || along.abs() < SWIPE_ROW * 0.6 {
        return 0;
    }
    let rows = (-along / SWIPE_ROW).round().clamp(-3.0, 3.0) as i64;
    if rows == 0 {
        -along.signum() as i64
    } else {
        rows
    }
}

/// Adds scroll-wheel travel to `pending`; returns the options to turn (one per notch) and
/// what is left over.
pub fn wheel_steps(pending: f64, delta: f64) -> (i64, f64) {
    if !delta.is_finite() {
        return (0, pending);
    }
    let total = pending + delta;
    let steps = (total / WHEEL_NOTCH).trunc();
    (steps as i64, total - steps * WHEEL_NOTCH)
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

    // Scroll-wheel travel not yet worth a notch, and where a touch started.
    let wheel_travel = use_mut_ref(|| 0.0_f64);
    let touch_start = use_mut_ref(|| None::<(f64, f64)>);
    let onwheel = {
        let on_select = props.on_select.clone();
        let (selected, len, locked) = (props.selected, props.options.len(), props.locked);
        let wheel_travel = wheel_travel.clone();
        Callback::from(move |e: WheelEvent| {
            if locked {
                return;
            }
            e.prevent_default();
            // Line and page modes (deltaMode 1, 2) count as whole notches.
            let delta = match e.delta_mode() {
                0 => e.delta_y(),
                _ => e.delta_y().signum() * WHEEL_NOTCH,
            };
            let pending = *wheel_travel.borrow();
            let (steps, left) = wheel_steps(pending, delta);
            *wheel_travel.borrow_mut() = left;
            if let Some(next) = turn(selected, len, steps) {
                on_select.emit(next);
            }
        })
    };
    let ontouchstart = {
        let touch_start = touch_start.clone();
        Callback::from(move |e: TouchEvent| {
            *touch_start.borrow_mut() = e
                .touches()
                .get(0)
                .map(|t| (f64::from(t.client_x()), f64::from(t.client_y())));
        })
    };
    let ontouchend = {
        let on_select = props.on_select.clone();
        let (selected, len, locked) = (props.selected, props.options.len(), props.locked);
        Callback::from(move |e: TouchEvent| {
            let start = touch_start.borrow_mut().take();
            let end = e
                .changed_touches()
                .get(0)
                .map(|t| (f64::from(t.client_x()), f64::from(t.client_y())));
            let (Some((x0, y0)), Some((x1, y1))) = (start, end) else {
                return;
            };
            if locked {
                return;
            }
            if let Some(next) = turn(selected, len, swipe_steps(x1 - x0, y1 - y0)) {
                e.prevent_default();
                on_select.emit(next);
            }
        })
    };

    let onkeydown = {
        let on_select = props.on_select.clone();
        let selected = props.selected;
        let len = props.options.len();
        let focus_pending = focus_pending.clone();
        let locked = props.locked;
        Callback::from(move |e: KeyboardEvent| {
            if locked {
                return;
            }
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
            let locked = props.locked;
            Callback::from(move |_: MouseEvent| {
                if !locked {
                    on_select.emit(i);
                }
            })
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
        <div class={classes!("wheel", props.class.clone(), props.spinning.then_some("spinning"))}
            data-state={if props.spinning { "spinning" } else { "landed" }}>
            <h3 class="wheel-label" id={label_id.clone()}>{ &props.label }</h3>
            <div
                id={&props.id}
                class="wheel-options"
                role="radiogroup"
                aria-labelledby={label_id}
                aria-busy={if props.spinning { "true" } else { "false" }}
                {onkeydown}
                {onwheel}
                {ontouchstart}
                {ontouchend}
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
    use super::{step, swipe_steps, turn, wheel_steps};

    #[test]
    fn turns_wrap_both_ways() {
        assert_eq!(turn(0, 3, 1), Some(1));
        assert_eq!(turn(2, 3, 1), Some(0));
        assert_eq!(turn(0, 3, -1), Some(2));
        assert_eq!(turn(1, 16, -3), Some(14));
        assert_eq!(turn(1, 3, 0), None);
        assert_eq!(turn(0, 0, 1), None);
        assert_eq!(turn(9, 3, 1), Some(0));
    }

    #[test]
    fn swipes_move_along_their_longer_axis() {
        // Up (finger moves up, negative y) moves on; down moves back.
        assert_eq!(swipe_steps(2.0, -50.0), 1);
        assert_eq!(swipe_steps(0.0, 50.0), -1);
        assert_eq!(swipe_steps(0.0, -140.0), 3);
        assert_eq!(swipe_steps(0.0, -1000.0), 3);
        assert_eq!(swipe_steps(-60.0, 10.0), 1);
        // Taps and nonsense do nothing.
        assert_eq!(swipe_steps(5.0, 8.0), 0);
        assert_eq!(swipe_steps(f64::NAN, f64::NAN), 0);
    }

    #[test]
    fn the_mouse_wheel_turns_one_option_per_notch() {
        assert_eq!(wheel_steps(0.0, 30.0), (0, 30.0));
        assert_eq!(wheel_steps(30.0, 30.0), (1, 0.0));
        assert_eq!(wheel_steps(0.0, -130.0), (-2, -10.0));
        assert_eq!(wheel_steps(10.0, f64::INFINITY), (0, 10.0));
    }

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
