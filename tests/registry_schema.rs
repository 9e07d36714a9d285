//! The committed JSON Schema of the registry files matches the Rust types, and every TOML file
//! of the real registry and of the test fixture validates against it.

use std::path::Path;

use bomvet::registry::schema::{
    definition_for_path, vendor_registry_schema, vendor_registry_schema_text, SCHEMA_PATH,
};
use serde_json::{json, Value};

mod common;
use common::*;

#[test]
fn committed_schema_matches_the_rust_types() {
    assert_committed_schema(
        SCHEMA_PATH,
        &vendor_registry_schema_text(),
        "src/registry/model.rs",
        "registry_schema",
    );
}

/// A validator for one file kind: the committed schema with its root pointed at `def`.
fn validator(def: &str) -> jsonschema::Validator {
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join(SCHEMA_PATH)).expect("committed schema"),
    )
    .expect("schema is JSON");
    let schema = json!({
        "$schema": committed["$schema"],
        "$ref": format!("#/$defs/{def}"),
        "$defs": committed["$defs"],
    });
    jsonschema::validator_for(&schema).expect("valid schema")
}

fn errors(path: &str, text: &str) -> Vec<String> {
    let def = definition_for_path(path).unwrap_or_else(|| panic!("{path} has no schema"));
    let value: toml::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let instance = serde_json::to_value(value).unwrap();
    let v = validator(def);
    v.iter_errors(&instance)
        .map(|e| format!("{path}: {} at {}", e, e.instance_path))
        .collect()
}

fn check_dir(dir: &Path) -> usize {
    let (files, problems) = bomvet::registry::read_dir(dir).unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    let mut all = Vec::new();
    for f in &files {
        all.extend(errors(&f.path, &f.text));
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
    files.len()
}

#[test]
fn the_real_registry_validates_against_the_schema() {
    assert!(check_dir(&root().join("vendor-registry")) >= 4);
}

#[test]
fn the_fixture_registry_validates_against_the_schema() {
    assert!(check_dir(&root().join("tests/fixtures/registry")) >= 9);
}

#[test]
fn the_schema_rejects_unknown_keys_bad_enums_bad_ids_and_missing_keys() {
    let good = "id = \"acme\"\nname = \"Acme\"\nkind = \"vendor\"\nhq_country = \"US\"\nstatus = \"confirmed\"\nsources = [\"s\"]\n";
    assert!(errors("vendors/acme.toml", good).is_empty());
    for bad in [
        format!("{good}website = \"x\"\n"),
        good.replace("\"vendor\"", "\"vendr\""),
        good.replace("id = \"acme\"", "id = \"Acme Corp\""),
        good.replace("hq_country = \"US\"", "hq_country = \"usa\""),
        good.replace("sources = [\"s\"]\n", ""),
        good.replace("name = \"Acme\"\n", ""),
        format!("{good}[[product]]\nid = \"p\"\nname = \"P\"\nkind = \"sdk\"\nstatus = \"confirmed\"\nsources = []\n"),
    ] {
        assert!(!errors("vendors/acme.toml", &bad).is_empty(), "accepted:\n{bad}");
    }
    let src = "[sources.x]\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2020-1\"\nurl = \"https://x.invalid\"\n";
    assert!(!errors("sources.toml", src).is_empty(), "bad date accepted");
    let src = "[sources.x]\ntitle = \"T\"\npublisher = \"P\"\ndate = \"2020\"\n";
    assert!(
        !errors("sources.toml", src).is_empty(),
        "source without url or document accepted"
    );
}

#[test]
fn the_schema_root_accepts_each_file_kind() {
    let schema = vendor_registry_schema();
    let v = jsonschema::validator_for(&schema).unwrap();
    let reg: toml::Value = toml::from_str("[registry]\nversion = \"1\"\nserial = 1\n").unwrap();
    assert!(v.is_valid(&serde_json::to_value(reg).unwrap()));
    let junk = json!({"nothing": true});
    assert!(!v.is_valid(&junk));
}
