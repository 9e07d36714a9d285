//! The JSON Schema of the policy file (`schemas/policy.schema.json`), generated from
//! [`super::raw::RawPolicy`]. A test checks the committed file against this generator
//! (`BOMVET_UPDATE_SCHEMAS=1 cargo test --test policy_schema` rewrites it).

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::raw::RawPolicy;

/// Where the committed schema lives, relative to the crate root.
pub const SCHEMA_PATH: &str = "schemas/policy.schema.json";

/// The schema as a JSON value.
pub fn policy_schema() -> Value {
    let g = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let mut v = g.into_root_schema_for::<RawPolicy>().to_value();
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), Value::String("bomvet policy file".into()));
        o.insert(
            "description".into(),
            Value::String(
                "bomvet.toml, as JSON (TOML dates as YYYY-MM-DD strings). docs/policy.md documents \
                 every key. Generated from the Rust types; do not edit by hand."
                    .into(),
            ),
        );
    }
    v
}

/// The schema as committed: pretty JSON with a final newline.
pub fn policy_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&policy_schema()).unwrap_or_default();
    s.push('\n');
    s
}
