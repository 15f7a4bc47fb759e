//! "Who's watching?" through the app's commands, against the simulator's family Home: the
//! profiles listed, a protected profile's PIN asked for and checked, picks new to both people,
//! and no profile token (nor the PIN) in any answer, event or file but the secret store's.

use std::collections::BTreeMap;

use plexpicker_ipc::command::{self, NoArgs, RequestArgs};
use plexpicker_ipc::{
    Choices, ErrorKind, PickView, ProfileView, ProfilesRequest, RoomView, WatchFilter,
};

use super::harness::App;
use super::sim::Simulator;
use super::{assert_no_token_in_files, connect_to, every_token, pick_with, signed_in};

fn choose(ids: &[String], pins: &[(&str, &str)]) -> RequestArgs<ProfilesRequest> {
    RequestArgs {
        request: ProfilesRequest {
            ids: ids.to_vec(),
            pins: pins
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
        },
    }
}

#[test]
fn who_s_watching_asks_for_sam_s_pin_and_picks_what_neither_has_seen() {
    let sim = Simulator::start(
        plex_sim::Scenario::builtin("family")
            .unwrap()
            .pin_approve_after_ms(200),
    );
    let data = tempfile::tempdir().unwrap();
    let app = App::start(sim.options(data.path()));
    let servers = signed_in(&app);
    let family = servers.iter().find(|s| s.name == "Family Server").unwrap();
    app.call::<command::Connect>(connect_to(&family.id));
    let libraries: Vec<plexpicker_ipc::LibraryView> = app.call::<command::ListLibraries>(NoArgs {});
    app.call::<command::LoadLibraries>(plexpicker_ipc::command::LoadLibrariesArgs {
        keys: libraries.iter().map(|l| l.key.clone()).collect(),
    });

    let profiles: Vec<ProfileView> = app.call::<command::ListProfiles>(NoArgs {});
    assert!(profiles[0].admin && profiles[0].watching);
    let sam = profiles.iter().find(|p| p.name == "Sam").expect("Sam");
    assert!(sam.protected && !sam.watching);
    let both = [profiles[0].id.clone(), sam.id.clone()];

    let wrong = app
        .try_call::<command::ChooseProfiles>(choose(&both, &[(&sam.id, "9999")]))
        .expect_err("a wrong PIN");
    let wrong: plexpicker_ipc::IpcError = serde_json::from_value(wrong).unwrap();
    assert_eq!(wrong.kind, ErrorKind::Unauthorized, "{wrong:?}");
    assert!(wrong.message.contains("Try again"), "{}", wrong.message);
    let room: RoomView = app.call::<command::ChooseProfiles>(choose(&both, &[(&sam.id, "1234")]));
    assert_eq!(room.people.len(), 2);
    let listed: Vec<ProfileView> = app.call::<command::ListProfiles>(NoArgs {});
    assert!(listed.iter().find(|p| p.name == "Sam").unwrap().watching);

    let choices = Choices {
        watch: WatchFilter::Unwatched,
        ..Choices::default()
    };
    let view: PickView = app.call::<command::Pick>(pick_with(&choices));
    assert!(
        view.sentence.contains("new to all of you"),
        "the sentence speaks of the room: {}",
        view.sentence
    );
    let reasons = std::iter::once(&view.top)
        .chain(&view.alternatives)
        .map(|c| c.reason.as_str())
        .collect::<Vec<_>>();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("none of you has seen it")),
        "{reasons:?}"
    );

    // Sam's plex.tv token and server token, and the PIN, reach the window nowhere and no file
    // but the secret store's.
    let sam_info = sim.sim.profile("Sam").unwrap();
    let mut secrets = every_token(&sim);
    secrets.push(sam_info.token.clone());
    secrets.extend(sam_info.server_tokens.iter().map(|(_, t)| t.clone()));
    let sent = app.everything_sent();
    for secret in &secrets {
        assert!(
            !sent.contains(secret.as_str()),
            "a token reached the window"
        );
    }
    assert!(!sent.contains("1234"), "the PIN came back to the window");
    assert!(assert_no_token_in_files(data.path(), &secrets) > 0);
}
