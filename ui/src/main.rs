//! PlexPicker's front end: a Yew app compiled to wasm and loaded by the Tauri window.
//!
//! - [`state`]: every screen's state and the reducer (pure, tested natively)
//! - [`text`]: what the screens say, computed from data (pure, tested natively)
//! - [`bridge`]: `invoke` and `listen` over `window.__TAURI__`
//! - [`effects`]: the backend calls, each dispatching what it answered
//! - [`hooks`], [`components`], [`pages`], [`app`]: the view

mod app;
mod bridge;
mod components;
mod effects;
mod hooks;
mod pages;
mod state;
mod text;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
