//! Judging a stored settings value, beyond the unit tests: an older schema is never taken as
//! the current one (it must go through the migration, which moves its tokens out). Closes
//! survivors of mutation testing (docs/TESTING.md).

use plexpicker_core::settings::{decode, Problem, Settings, SCHEMA_VERSION};

#[test]
fn an_older_schema_is_not_read_as_the_current_one() {
    let current = serde_json::to_value(Settings::default()).unwrap();
    for old in 0..SCHEMA_VERSION {
        let mut value = current.clone();
        value["schema_version"] = serde_json::json!(old);
        match decode(value) {
            Err(Problem::Damaged(why)) => assert_eq!(
                why,
                format!("format {old} must be migrated first"),
                "format {old}"
            ),
            other => panic!("format {old}: {other:?}"),
        }
    }
    assert!(decode(current).is_ok());
}
