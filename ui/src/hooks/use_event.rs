use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::bridge;

/// Calls `on_event` with each payload of backend event `name` while the component is mounted;
/// stops listening when it unmounts. The latest `on_event` is always the one called.
#[hook]
pub fn use_event<T>(name: &'static str, on_event: Callback<T>)
where
    T: DeserializeOwned + 'static,
{
    let latest = use_mut_ref(|| on_event.clone());
    *latest.borrow_mut() = on_event;
    use_effect_with(name, move |name| {
        let listener = bridge::listen::<T, _>(name, move |payload| {
            let callback = latest.borrow().clone();
            callback.emit(payload);
        });
        move || drop(listener)
    });
}
