//! The PlexPicker app shell: Tauri setup, plugins, state and thin commands.
//!
//! Commands unpack their request, call the Tauri-free core (`plexpicker-core`, whose
//! [`plexpicker_core::session::Session`] the state derefs to) and turn its errors into
//! [`plexpicker_ipc::IpcError`]. Logic lives in `crates/`, not here.

mod clock;
pub mod commands;
pub mod config;
mod loading;
mod poster;
pub mod settings;
mod state;
mod store;

use plexpicker_core::session::Session;
use tauri::{Manager, Runtime};

pub use crate::config::Options;

use crate::config::Paths;
use crate::state::AppState;

/// Adds every plugin, command and protocol PlexPicker uses to `builder`.
///
/// Shared by [`run`] and by the command tests, which pass Tauri's mock builder and their own
/// [`Options`].
pub fn builder_on<R: Runtime>(builder: tauri::Builder<R>, options: Options) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_shell::init())
        .register_asynchronous_uri_scheme_protocol(
            plexpicker_ipc::POSTER_SCHEME,
            |ctx, request, responder| {
                let app = ctx.app_handle().clone();
                let path = request.uri().path().to_string();
                tauri::async_runtime::spawn(async move {
                    responder.respond(poster::respond(&app, &path).await);
                });
            },
        )
        .setup(move |app| manage_state(app.handle(), &options))
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::startup,
            commands::app::about,
            commands::account::start_sign_in,
            commands::account::open_sign_in_page,
            commands::account::cancel_sign_in,
            commands::account::sign_in_with_token,
            commands::account::start_demo,
            commands::account::sign_out,
            commands::servers::list_servers,
            commands::servers::connect,
            commands::servers::trust_certificate,
            commands::library::list_libraries,
            commands::library::load_libraries,
            commands::picks::pick,
            commands::picks::reject,
            commands::picks::watch_in_plex,
            commands::app::set_insecure_connections,
            commands::ai::ai_settings,
            commands::ai::set_ai_provider,
            commands::ai::test_ai_provider,
            commands::ai::list_ai_models,
            commands::ai::cancel_ai_pick,
            commands::ai::set_use_model,
            commands::profiles::list_profiles,
            commands::profiles::choose_profiles,
        ])
}

/// Opens the settings, builds the Plex client and puts the app's state in place. Called by
/// the app's setup hook; tests on the mock runtime, where that hook does not run, call it
/// themselves.
pub fn manage_state<R: Runtime>(
    app: &tauri::AppHandle<R>,
    options: &Options,
) -> Result<(), Box<dyn std::error::Error>> {
    let state = init(app, options)?;
    app.manage(state);
    // The cached catalog is decoded while the window and its web view start, not when the
    // window first asks for it: `startup` then finds it in place.
    let handle = app.clone();
    std::thread::Builder::new()
        .name("restore-catalog".into())
        .spawn(move || {
            let state = handle.state::<AppState>();
            state.restore(&state.paths.cache);
        })?;
    Ok(())
}

fn init<R: Runtime>(
    app: &tauri::AppHandle<R>,
    options: &Options,
) -> Result<AppState, Box<dyn std::error::Error>> {
    let paths = Paths::new(
        options.data_dir.as_ref(),
        app.path().app_data_dir()?,
        app.path().app_cache_dir()?,
    );
    let mut opened = store::open(app, &paths, options)?;
    // Said once: where the sign-in is kept when there is no keychain.
    let backend = opened.secrets.backend();
    if backend.is_fallback() && !opened.settings.told_secrets_in_file {
        opened.settings.told_secrets_in_file = true;
        opened.store.save(&opened.settings)?;
        let said = backend.describe();
        opened.notice = Some(match opened.notice.take() {
            Some(notice) => format!("{notice} {said}"),
            None => said,
        });
    }
    if let Some(notice) = &opened.notice {
        eprintln!("PlexPicker: {notice}");
    }
    let version = app.package_info().version.to_string();
    let setup = config::client_setup(options, &opened.settings.client_identifier, &version);
    let core = Session::new(
        setup,
        opened.settings,
        Box::new(opened.store),
        opened.secrets,
        opened.notice,
    );
    // Built now, so a setup that cannot work stops the start with its reason.
    core.client()?;
    Ok(AppState::new(paths, options.plex_tv_url.is_some(), core))
}

/// Starts the desktop (or mobile) app.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let app = builder_on(tauri::Builder::default(), Options::from_env());
    if let Err(err) = app.run(tauri::generate_context!()) {
        eprintln!("PlexPicker could not start its window: {err}");
        std::process::exit(1);
    }
}
