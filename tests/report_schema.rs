//! The committed JSON Schema of the audit report matches the Rust types.

use bomvet::report::schema::{report_schema_text, SCHEMA_PATH};

mod common;
use common::*;

#[test]
fn committed_report_schema_matches_the_rust_types() {
    assert_committed_schema(
        SCHEMA_PATH,
        &report_schema_text(),
        "src/report/mod.rs",
        "report_schema",
    );
}

#[test]
fn the_report_schema_is_a_valid_json_schema() {
    let schema: serde_json::Value = serde_json::from_str(&report_schema_text()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    assert_eq!(schema["properties"]["schema_version"]["type"], "string");
}
