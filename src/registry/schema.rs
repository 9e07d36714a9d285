//! The JSON Schema of the registry's TOML files (`schemas/vendor-registry.schema.json`),
//! generated from the raw types. The root accepts any one registry file; `$defs` holds one
//! definition per file kind (`RegistryFile`, `SourcesFile`, `DesignationsFile`,
//! `CountriesFile`, `VendorFile`) so a validator can pick the one a path calls for
//! ([`definition_for_path`]).

use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use super::load::FileRole;
use super::model::*;

/// Where the committed schema lives, relative to the crate root.
pub const SCHEMA_PATH: &str = "schemas/vendor-registry.schema.json";

/// The schema as a JSON value.
pub fn vendor_registry_schema() -> Value {
    let mut g = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let files = [
        g.subschema_for::<RawRegistryFile>(),
        g.subschema_for::<RawSourcesFile>(),
        g.subschema_for::<RawDesignationsFile>(),
        g.subschema_for::<RawCountriesFile>(),
        g.subschema_for::<RawVendorFile>(),
    ];
    let defs = g.take_definitions(true);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "bomvet vendor registry file",
        "description": "One TOML file of the bomvet vendor registry (vendor-registry/README.md), \
            read as JSON. Generated from the Rust types; do not edit by hand \
            (BOMVET_UPDATE_SCHEMAS=1 cargo test --test registry_schema).",
        "oneOf": files.iter().map(|s| s.as_value().clone()).collect::<Vec<_>>(),
        "$defs": defs,
    })
}

/// The schema as committed: pretty JSON with a final newline.
pub fn vendor_registry_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&vendor_registry_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// The `$defs` entry that describes the file at `path` (relative to the registry directory).
pub fn definition_for_path(path: &str) -> Option<&'static str> {
    Some(match FileRole::of(path) {
        FileRole::Registry => "RegistryFile",
        FileRole::Sources => "SourcesFile",
        FileRole::Designations => "DesignationsFile",
        FileRole::Countries => "CountriesFile",
        FileRole::Vendor => "VendorFile",
        FileRole::Unknown => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_kind_has_a_definition() {
        let s = vendor_registry_schema();
        for p in [
            "registry.toml",
            "sources.toml",
            "designations.toml",
            "countries.toml",
            "vendors/x.toml",
        ] {
            let d = definition_for_path(p).unwrap();
            assert!(s["$defs"][d].is_object(), "{d}");
        }
        assert_eq!(definition_for_path("README.toml"), None);
        assert_eq!(s["oneOf"].as_array().map(Vec::len), Some(5));
    }
}
