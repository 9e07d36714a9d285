//! The committed JSON Schema of the audit report matches the Rust types.

use std::path::PathBuf;

use bomvet::report::schema::{report_schema_text, SCHEMA_PATH};

#[test]
fn committed_report_schema_matches_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
    let generated = report_schema_text();
    if std::env::var("BOMVET_UPDATE_SCHEMAS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{SCHEMA_PATH} differs from the schema generated from src/report/mod.rs.\n\
         Regenerate it with: BOMVET_UPDATE_SCHEMAS=1 cargo test --test report_schema"
    );
}

#[test]
fn the_report_schema_is_a_valid_json_schema() {
    let schema: serde_json::Value = serde_json::from_str(&report_schema_text()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    assert_eq!(schema["properties"]["schema_version"]["type"], "string");
}
