use std::collections::BTreeMap;

use plexpicker_ipc::{ProfileView, ProfilesRequest, RoomView};

use super::*;

fn profile(id: &str, name: &str, admin: bool, protected: bool, watching: bool) -> ProfileView {
    ProfileView {
        id: id.into(),
        name: name.into(),
        admin,
        protected,
        restricted: false,
        guest: false,
        watching,
    }
}

/// The family: Ann (the account, watching), Sam (PIN), Kid.
fn family() -> Vec<ProfileView> {
    vec![
        profile("ann", "Ann", true, false, true),
        profile("sam", "Sam", false, true, false),
        profile("kid", "Kid", false, false, false),
    ]
}

/// The panel open on the picker, the family loaded.
fn open() -> State {
    reduce(
        on_picker(),
        [Action::OpenProfiles, Action::ProfilesLoaded(Ok(family()))],
    )
}

#[test]
fn opening_asks_for_the_profiles_and_preselects_who_watches() {
    let (state, effects) = run(on_picker(), [Action::OpenProfiles]);
    assert_eq!(calls(&effects), [Effect::ListProfiles]);
    assert_eq!(state.profiles.panel.as_ref().unwrap().list, Remote::Loading);
    let state = open();
    assert_eq!(state.profiles.panel.unwrap().selected, ["ann"]);
}

#[test]
fn a_protected_profile_needs_its_four_digits_before_anything_is_sent() {
    let state = reduce(open(), [Action::ToggleProfile("sam".into())]);
    let (state, effects) = run(state, [Action::ChooseProfilesRequested]);
    assert!(calls(&effects).is_empty(), "nothing sent without Sam's PIN");
    let error = state
        .profiles
        .panel
        .as_ref()
        .unwrap()
        .error
        .clone()
        .unwrap();
    assert!(
        error.message.contains("Sam's 4-digit PIN"),
        "{}",
        error.message
    );
    // Letters are dropped, and at most four digits kept.
    let state = reduce(
        state,
        [Action::ProfilePin {
            id: "sam".into(),
            pin: "12a345".into(),
        }],
    );
    assert_eq!(state.profiles.panel.as_ref().unwrap().pins["sam"], "1234");
    let (state, effects) = run(state, [Action::ChooseProfilesRequested]);
    assert_eq!(
        calls(&effects),
        [Effect::ChooseProfiles(ProfilesRequest {
            ids: vec!["ann".into(), "sam".into()],
            pins: BTreeMap::from([("sam".into(), "1234".into())]),
        })]
    );
    let panel = state.profiles.panel.unwrap();
    assert!(panel.busy);
    assert!(
        panel.pins.is_empty(),
        "the PIN leaves the state as it is sent"
    );
}

#[test]
fn the_room_keeps_the_home_s_order_and_a_wrong_pin_says_try_again() {
    // Chosen out of order: sent in the Home's order.
    let state = reduce(
        open(),
        [
            Action::ToggleProfile("kid".into()),
            Action::ToggleProfile("sam".into()),
            Action::ProfilePin {
                id: "sam".into(),
                pin: "9999".into(),
            },
        ],
    );
    let (state, effects) = run(state, [Action::ChooseProfilesRequested]);
    let Effect::ChooseProfiles(request) = &calls(&effects)[0] else {
        panic!("{effects:?}");
    };
    assert_eq!(request.ids, ["ann", "sam", "kid"]);
    let wrong = IpcError::new(ErrorKind::Unauthorized, "That PIN is not right. Try again.");
    let state = reduce(state, [Action::ProfilesChosen(Err(wrong.clone()))]);
    let panel = state.profiles.panel.as_ref().unwrap();
    assert!(!panel.busy);
    assert_eq!(panel.error.as_ref(), Some(&wrong));
    assert!(state.profiles.room.is_empty(), "nothing changed");
}

#[test]
fn a_room_of_several_offers_new_to_someone_and_alone_takes_it_away() {
    let state = reduce(
        open(),
        [Action::ProfilesChosen(Ok(RoomView {
            people: vec!["Ann".into(), "Kid".into()],
        }))],
    );
    assert!(state.profiles.panel.is_none(), "the panel closes");
    assert_eq!(state.profiles.room, ["Ann", "Kid"]);
    assert_eq!(state.profiles.people(), 2);
    let state = reduce(state, [Action::SetWatch(WatchFilter::NewToSomeone)]);
    assert_eq!(state.choices.watch, WatchFilter::NewToSomeone);
    // Back to the account alone: "New to someone" is not on the wheel any more.
    let state = reduce(
        state,
        [
            Action::OpenProfiles,
            Action::ProfilesLoaded(Ok(family())),
            Action::ProfilesChosen(Ok(RoomView {
                people: vec!["Ann".into()],
            })),
        ],
    );
    assert!(state.profiles.room.is_empty());
    assert_eq!(state.choices.watch, WatchFilter::Unwatched);
}

#[test]
fn choosing_nobody_is_refused_and_sign_out_forgets_the_room() {
    let state = reduce(open(), [Action::ToggleProfile("ann".into())]);
    let (state, effects) = run(state, [Action::ChooseProfilesRequested]);
    assert!(calls(&effects).is_empty());
    assert!(state
        .profiles
        .panel
        .as_ref()
        .unwrap()
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("Choose who is watching"));
    let state = reduce(
        state,
        [
            Action::ProfilesChosen(Ok(RoomView {
                people: vec!["Ann".into(), "Sam".into()],
            })),
            Action::SignedOut(Ok(())),
        ],
    );
    assert_eq!(state.profiles, ProfilesState::default());
}

#[test]
fn a_restart_shows_who_was_watching() {
    let startup = Startup {
        watching: vec!["Ann".into(), "Sam".into()],
        signed_in: true,
        account: Some("Ann".into()),
        server: Some(server("s1")),
        catalog: Some(catalog()),
        choices: Choices::default(),
        notice: None,
        demo: false,
    };
    let state = reduce(State::default(), [Action::StartupLoaded(Ok(startup))]);
    assert_eq!(state.profiles.room, ["Ann", "Sam"]);
}
