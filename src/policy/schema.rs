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
    strip_null(&mut v);
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

/// TOML has no null: an optional key is absent, never null. Drop the `null` alternatives that
/// the generator adds for `Option` fields, so the schema says exactly what a file may hold.
fn strip_null(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(types)) = o.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    o.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(alts)) = o.get("anyOf") {
                let kept: Vec<Value> = alts
                    .iter()
                    .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
                    .cloned()
                    .collect();
                if let [only] = kept.as_slice() {
                    let only = only.clone();
                    o.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, val) in inner {
                            o.entry(k).or_insert(val);
                        }
                    }
                } else {
                    o.insert("anyOf".into(), Value::Array(kept));
                }
            }
            for val in o.values_mut() {
                strip_null(val);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_null),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_has_no_null_and_accepts_exactly_the_keys_the_reader_does() {
        let s = policy_schema();
        assert!(!policy_schema_text().contains("\"null\""));
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            k.sort();
            k
        };
        let sorted = |a: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(keys(&s), sorted(&super::super::raw::TOP_KEYS));
        assert_eq!(
            keys(&s["$defs"]["RawWaiver"]),
            sorted(&super::super::raw::WAIVER_KEYS)
        );
        assert_eq!(
            keys(&s["$defs"]["RawUnresolved"]),
            sorted(&super::super::raw::UNRESOLVED_KEYS)
        );
        let codes: Vec<String> = crate::policy::Code::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        let mut codes_sorted = codes.clone();
        codes_sorted.sort();
        assert_eq!(keys(&s["properties"]["levels"]), codes_sorted);
    }
}
