//! The CLI's settings file (`SettingsFile`) and the kept copy of a bad one, in the cases
//! mutation testing found nothing checked (docs/TESTING.md): what `save` writes is what the
//! next start reads, a file too large to read is set aside while one that cannot be read at
//! all is an error (never renamed), and a token inside a list is taken out of a kept copy too.

use std::path::Path;

use plexpicker_core::fs::AsideReason;
use plexpicker_core::settings::{self, Problem, Settings, SettingsFile, MAX_SETTINGS_BYTES};

/// The migration hook of `SettingsFile::open`, for tests whose files are never of an older
/// schema.
fn no_migration(
    _: serde_json::Value,
) -> plexpicker_core::Result<std::result::Result<Settings, Problem>> {
    panic!("nothing here is of an older schema")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn what_is_saved_is_what_the_next_start_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli-settings.json");
    let file = SettingsFile::new(path.clone());
    assert_eq!(file.path(), path);
    assert_eq!(file.dir(), dir.path());
    let first = file.open(no_migration).unwrap();
    assert!(first.notice.is_none());
    let mut settings = first.settings;
    settings.demo = true;
    settings.libraries = Some(vec!["3".into()]);
    file.save(&settings).unwrap();
    let again = SettingsFile::new(path).open(no_migration).unwrap();
    assert_eq!(again.settings, settings);
    assert!(again.notice.is_none() && !again.migrated);
}

#[test]
fn a_file_too_large_is_set_aside_and_one_that_cannot_be_read_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli-settings.json");
    let huge = vec![b' '; usize::try_from(MAX_SETTINGS_BYTES).unwrap() + 1];
    std::fs::write(&path, &huge).unwrap();
    let opened = SettingsFile::new(path.clone()).open(no_migration).unwrap();
    let notice = opened.notice.expect("the file was set aside");
    assert!(matches!(notice.problem, Problem::Damaged(_)));
    assert_eq!(
        std::fs::metadata(&notice.kept_at).unwrap().len(),
        huge.len() as u64
    );
    // Fresh settings were written in its place.
    assert!(std::fs::metadata(&path).unwrap().len() < 100_000);

    // A folder where the file should be cannot be read: that is an error to report, not a
    // damaged file to rename.
    let other = tempfile::tempdir().unwrap();
    let blocked = other.path().join("cli-settings.json");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("inside"), b"x").unwrap();
    let err = SettingsFile::new(blocked.clone())
        .open(no_migration)
        .unwrap_err();
    assert!(!err.to_string().is_empty());
    assert!(blocked.is_dir());
    assert_eq!(
        names_in(other.path()),
        ["cli-settings.json", "cli-settings.json.lock"]
    );
}

#[test]
fn a_kept_copy_loses_tokens_nested_in_lists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    // Only inside lists: a server list and a list of lists.
    let old = serde_json::json!({
        "schema_version": 1,
        "servers": [{ "name": "Home", "accessToken": "nested-server-token" }],
        "deep": [[{ "token": "deeper-account-token" }], 3, "text"]
    });
    std::fs::write(&path, serde_json::to_vec(&old).unwrap()).unwrap();
    let kept = settings::set_aside(&path, AsideReason::Damaged).unwrap();
    let text = std::fs::read_to_string(&kept).unwrap();
    assert!(!text.contains("nested-server-token"), "{text}");
    assert!(!text.contains("deeper-account-token"), "{text}");
    // The rest is kept.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["servers"][0]["name"], "Home");
    assert_eq!(value["deep"][1], 3);
    assert!(!path.exists());
}
