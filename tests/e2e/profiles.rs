//! (f) Who's watching, in the real window, against the simulator's family Home: sign in,
//! choose the Family Server, open "Who's watching?", add Sam (protected: a wrong PIN is
//! refused with "try again", the right one accepted), pick "Unwatched", and check every title
//! on the results against what the server itself says the account and Sam have seen.

use serde_json::Value;

use plexpicker_ipc::events;

use super::{
    heard, listen_to_everything, pick_and_reveal, screenshot, sign_in, sim::Simulator, Window,
    SCREEN, SOON,
};

/// What the Family Server says about title `id` when asked with `token` (the account's or a
/// profile's own server token): (watched or started, finished).
fn seen_with(sim: &Simulator, token: &str, id: &str) -> bool {
    let http = sim
        .sim
        .connection("family-http")
        .expect("the family server's http route");
    let meta: Value = reqwest::blocking::Client::new()
        .get(format!("{}/library/metadata/{id}", http.uri))
        .header("Accept", "application/json")
        .header("X-Plex-Token", token)
        .send()
        .expect("the server answers")
        .json()
        .expect("JSON");
    let item = &meta["MediaContainer"]["Metadata"][0];
    let number = |key: &str| {
        item[key]
            .as_u64()
            .or_else(|| item[key].as_str().and_then(|s| s.parse().ok()))
    };
    match (number("leafCount"), number("viewedLeafCount")) {
        // A show is seen when every episode is (an episode left keeps it "unwatched").
        (Some(leaves), Some(viewed)) if leaves > 0 => viewed >= leaves,
        _ => number("viewCount").unwrap_or(0) > 0,
    }
}

#[test]
#[ignore = "needs the UI built and a display: run `cargo xtask test`"]
fn who_s_watching_adds_sam_with_his_pin_and_picks_what_neither_has_seen() {
    let sim = Simulator::start(
        plex_sim::Scenario::builtin("family")
            .expect("the family scenario")
            .pin_approve_after_ms(1500),
    );
    let family = sim.sim.server("Family Server").expect("the family server");
    let sam = sim.sim.profile("Sam").expect("Sam");
    let sam_token = sam
        .server_tokens
        .iter()
        .find(|(server, _)| server == "Family Server")
        .map(|(_, token)| token.clone())
        .expect("Sam's token for the family server");
    let data = tempfile::tempdir().expect("a data folder");
    let window = Window::open(&sim.env(data.path()));
    sign_in(&window);

    // Two servers: choose the family's; its libraries load without another click (the
    // libraries screen may not even show long enough to be seen).
    window.click(
        &format!(
            "#servers button.server[data-id='{}']",
            family.machine_identifier
        ),
        SCREEN,
    );
    window.wait_for("#picker", SCREEN);
    let alone = window.text("#who-is-watching", SOON);
    assert_eq!(alone, "Who's watching?");

    // The panel: the Home's four profiles; Sam with a wrong PIN, then the right one.
    listen_to_everything(&window);
    window.click("#who-is-watching", SOON);
    window.wait_for("#profiles-panel .profile-list", SCREEN);
    assert_eq!(window.count("#profiles-panel .avatar-button"), 4);
    let sam_button = format!("#profile-{}", sam.uuid);
    window.click(&sam_button, SOON);
    assert_eq!(
        window
            .attribute(&sam_button, "aria-pressed", SOON)
            .as_deref(),
        Some("true")
    );
    let pin_field = format!("#pin-{}", sam.uuid);
    window.type_into(&pin_field, "9999", SOON);
    window.click("#start-picking", SOON);
    let refused = window.wait_for_text("#profiles-error", SCREEN, |t| !t.is_empty());
    assert!(refused.contains("Try again"), "{refused}");
    window.type_into(&pin_field, "1234", SOON);
    screenshot(&window, "13-who-is-watching");
    window.click("#start-picking", SOON);
    window.wait_until("the panel to close", SCREEN, |w| {
        (!w.exists("#profiles-panel")).then_some(())
    });
    let room = window.text("#who-is-watching", SOON);
    assert!(room.contains("Sam"), "the header names the room: {room}");
    assert!(
        window.exists("#wheel-history [data-value='new_to_someone']"),
        "two people: New to someone is on the wheel"
    );
    // Sam's load was reported as it went, and nothing the window heard carried his tokens
    // or his PIN.
    let heard = heard(&window);
    assert!(
        heard
            .iter()
            .any(|h| h.starts_with(&format!("{} ", events::PROFILES))),
        "no progress for Sam's load: {heard:?}"
    );
    for secret in sam.server_tokens.iter().map(|(_, t)| t).chain([&sam.token]) {
        assert!(
            !heard.iter().any(|h| h.contains(secret.as_str())),
            "a token was heard"
        );
    }
    assert!(
        !heard.iter().any(|h| h.contains("1234")),
        "the PIN was heard"
    );

    // "Unwatched" for the room: new to both, by the server's own word.
    window.click("#wheel-history [data-value='unwatched']", SOON);
    pick_and_reveal(&window, None, "14-room-pick");
    let reason = window.text("#top-pick .pick-reason", SOON);
    assert!(
        reason.contains("none of you"),
        "the reason names the room: {reason}"
    );
    let mut ids = vec![window
        .attribute("#top-pick", "data-id", SOON)
        .expect("the top pick's id")];
    let alternatives = window.execute(
        "return [...document.querySelectorAll('#results .alternative')].map(b => b.dataset.id);",
        serde_json::json!([]),
    );
    ids.extend(
        alternatives
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string)),
    );
    assert!(ids.len() > 1, "alternatives too: {ids:?}");
    for id in &ids {
        assert!(
            !seen_with(&sim, &family.access_token, id),
            "{id} was seen by the account"
        );
        assert!(!seen_with(&sim, &sam_token, id), "{id} was seen by Sam");
    }
    // Sam's tokens went to plex.tv and the Family Server only, never the friend's server.
    for r in sim.sim.request_log() {
        if r.token_owner
            .as_deref()
            .is_some_and(|o| o.starts_with("profile:Sam"))
        {
            assert!(
                r.listener == "plex.tv" || r.server.as_deref() == Some("Family Server"),
                "Sam's token reached {:?} {:?}",
                r.listener,
                r.server
            );
        }
    }
}
