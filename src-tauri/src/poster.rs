//! Serves posters to the webview through the `poster:` scheme. The backend fetches the image
//! from the server with the token; the page only ever sees `poster://localhost/<title id>`.

use tauri::http::{Response, StatusCode};
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

/// Poster size asked of the server's photo transcoder (2:3, enough for a large card).
const WIDTH: u32 = 400;
const HEIGHT: u32 = 600;

/// Answers one poster request. A missing title, poster or connection is a 404: the page then
/// shows its placeholder.
pub async fn respond<R: Runtime>(app: &AppHandle<R>, path: &str) -> Response<Vec<u8>> {
    let id = path.trim_start_matches('/');
    let state = app.state::<AppState>();
    let found = {
        let live = state.live();
        let thumb = live
            .catalog
            .as_ref()
            .and_then(|c| c.indexed.catalog().get(id))
            .and_then(|t| t.thumb.clone());
        thumb.zip(live.connection.clone())
    };
    let Some((thumb, connection)) = found else {
        return status(StatusCode::NOT_FOUND);
    };
    match connection.poster(&thumb, WIDTH, HEIGHT).await {
        Ok(bytes) => Response::builder()
            .header("Content-Type", image_type(&bytes))
            .header("Cache-Control", "max-age=86400")
            .body(bytes.to_vec())
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(_) => status(StatusCode::NOT_FOUND),
    }
}

fn status(code: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = code;
    response
}

/// The image's type from its first bytes (Plex sends JPEG or PNG).
fn image_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8]) {
        "image/jpeg"
    } else if bytes.starts_with(b"RIFF") {
        "image/webp"
    } else {
        "application/octet-stream"
    }
}
