//! The JSON Schema of the audit report (`schemas/report.schema.json`), generated from the wire
//! types in [`super`]. A test checks the committed file against this generator
//! (`BOMVET_UPDATE_SCHEMAS=1 cargo test --test report_schema` rewrites it).

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::Report;

/// Where the committed schema lives, relative to the crate root.
pub const SCHEMA_PATH: &str = "schemas/report.schema.json";

/// The schema as a JSON value.
pub fn report_schema() -> Value {
    let g = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let schema = g.into_root_schema_for::<Report>();
    let mut v = schema.to_value();
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), Value::String("bomvet audit report".into()));
        o.insert(
            "description".into(),
            Value::String(
                "The JSON output of `bomvet audit --format json`, schema_version 1. Generated from \
                 the Rust types; do not edit by hand."
                    .into(),
            ),
        );
    }
    v
}

/// The schema as committed: pretty JSON with a final newline.
pub fn report_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&report_schema()).unwrap_or_default();
    s.push('\n');
    s
}
