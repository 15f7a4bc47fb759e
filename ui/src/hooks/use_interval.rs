use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Calls `on_tick` every `millis` while `active` is true and the component is mounted.
#[hook]
pub fn use_interval(millis: u32, active: bool, on_tick: Callback<()>) {
    let latest = use_mut_ref(|| on_tick.clone());
    *latest.borrow_mut() = on_tick;
    use_effect_with((millis, active), move |&(millis, active)| {
        let interval = active.then(|| {
            Interval::new(millis, move || {
                let callback = latest.borrow().clone();
                callback.emit(());
            })
        });
        move || drop(interval)
    });
}
