//! "Who's watching?": the Plex Home's profiles, and choosing the people picking together.

use plexpicker_ipc::command;
use plexpicker_ipc::ProfilesRequest;
use tauri::State;

use super::Answer;
use crate::state::AppState;

/// The Home's profiles (the account alone without a Home), each saying whether it watches.
#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Answer<command::ListProfiles> {
    Ok(state.profiles().await?)
}

/// Who is watching: switches to protected profiles with their PINs (used once, never kept)
/// and loads each other profile's watch state; picks are then new to everyone chosen.
#[tauri::command]
pub async fn choose_profiles(
    request: ProfilesRequest,
    state: State<'_, AppState>,
) -> Answer<command::ChooseProfiles> {
    Ok(state
        .choose_profiles(&request.ids, &request.pins, None)
        .await?)
}
