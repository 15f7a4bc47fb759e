//! PlexPicker's front end: a Yew app compiled to wasm and loaded by the Tauri window.

mod app;
mod bridge;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
