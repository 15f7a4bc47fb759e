//! The safe-file helpers through the public API: where a bare file name's folder is, what a
//! read that cannot even open the file says, and the set-aside naming scheme when one name is
//! taken several times in the same second. These close survivors of mutation testing
//! (docs/TESTING.md).

use std::path::{Path, PathBuf};

use plexpicker_core::fs::{
    is_set_aside_copy, parent_dir, read_capped, set_aside, timestamp, write_atomic, AsideReason,
};

#[test]
fn a_bare_file_name_lives_in_the_current_folder() {
    assert_eq!(parent_dir(Path::new("settings.json")), PathBuf::from("."));
    assert_eq!(
        parent_dir(Path::new("/a/b/settings.json")),
        PathBuf::from("/a/b")
    );
    assert_eq!(parent_dir(Path::new("a/settings.json")), PathBuf::from("a"));
}

/// Only a missing file is "nothing saved yet": any other failure to open it is an error, so
/// a file that cannot be read is never mistaken for no file (and then overwritten).
#[test]
fn a_file_that_cannot_be_opened_is_an_error_not_an_absent_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"x").unwrap();
    // A path through a regular file: ENOTDIR, not ENOENT.
    let err = read_capped(&file.join("settings.json"), 1024).unwrap_err();
    assert!(err.to_string().contains("settings.json"), "{err}");
    assert!(read_capped(&dir.path().join("missing.json"), 1024)
        .unwrap()
        .is_none());
}

/// When `<name>.damaged-<stamp>` is taken, the copy is `-2`, then `-3`: the earlier copies are
/// never overwritten.
#[test]
fn set_aside_numbers_copies_made_in_the_same_second() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    // The copies are named by the second: retry if the clock ticks over mid-test.
    for _ in 0..5 {
        let stamp = timestamp();
        let base = format!("settings.json.damaged-{stamp}");
        for taken in [base.clone(), format!("{base}-2")] {
            std::fs::write(dir.path().join(taken), b"earlier").unwrap();
        }
        write_atomic(&path, b"third").unwrap();
        let third = set_aside(&path, AsideReason::Damaged).unwrap();
        write_atomic(&path, b"fourth").unwrap();
        let fourth = set_aside(&path, AsideReason::Damaged).unwrap();
        if timestamp() != stamp {
            for e in std::fs::read_dir(dir.path()).unwrap() {
                std::fs::remove_file(e.unwrap().path()).unwrap();
            }
            continue;
        }
        assert_eq!(third, dir.path().join(format!("{base}-3")));
        assert_eq!(fourth, dir.path().join(format!("{base}-4")));
        assert_eq!(std::fs::read(&third).unwrap(), b"third");
        assert_eq!(std::fs::read(&fourth).unwrap(), b"fourth");
        assert_eq!(
            std::fs::read(dir.path().join(&base)).unwrap(),
            b"earlier",
            "an earlier copy was overwritten"
        );
        return;
    }
    panic!("the clock ticked over on every try");
}

#[test]
fn only_set_aside_copies_are_recognised() {
    assert!(is_set_aside_copy(
        "settings.json.damaged-20261130T021500Z",
        "settings.json"
    ));
    assert!(is_set_aside_copy(
        "settings.json.newer-20261130T021500Z-2",
        "settings.json"
    ));
    for other in [
        "settings.json",
        "settings.json.lock",
        "settings.json.tmp",
        "other.json.damaged-20261130T021500Z",
        "settings.json.broken-20261130T021500Z",
    ] {
        assert!(!is_set_aside_copy(other, "settings.json"), "{other}");
    }
}
