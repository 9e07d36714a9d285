//! The committed JSON Schema of the policy file matches the Rust types, and every policy we
//! ship or document (the starter file of `bomvet init`, each example in docs/policy.md)
//! validates against it and loads through the real parser.

use bomvet::policy::schema::{policy_schema, policy_schema_text, SCHEMA_PATH};
use bomvet::policy::starter::STARTER_POLICY;
use bomvet::policy::Policy;
use bomvet::registry::model::Registry;
use serde_json::Value;

mod common;
use common::*;

#[test]
fn committed_policy_schema_matches_the_rust_types() {
    assert_committed_schema(
        SCHEMA_PATH,
        &policy_schema_text(),
        "src/policy/raw.rs",
        "policy_schema",
    );
}

/// TOML → JSON the way the schema describes the file: dates become `YYYY-MM-DD` strings.
fn to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

fn schema_errors(text: &str) -> Vec<String> {
    let schema = policy_schema();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let value = to_json(toml::Value::Table(
        toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}")),
    ));
    validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

/// Every ```toml block of a Markdown file.
fn toml_blocks(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start() == "```toml" => current = Some(String::new()),
            Some(block) if line.trim_start() == "```" => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn the_schema_rejects_unknown_keys_everywhere() {
    let schema = policy_schema();
    assert_eq!(schema["additionalProperties"], false);
    for bad in [
        "colour = 1\n",
        "[levels]\nno-such-code = \"deny\"\n",
        "[unresolved]\nmax_share = 5.0\nmaximum = 3\n",
        "[[waivers]]\ncode = \"review-vendor\"\nreason = \"x\"\nowner = \"me\"\n",
        "[[waivers]]\ncode = \"review-vendor\"\n",
        "[levels]\nbanned-vendor = \"sometimes\"\n",
    ] {
        assert!(!schema_errors(bad).is_empty(), "{bad}");
        assert!(Policy::parse(bad, "bad.toml").is_err(), "{bad}");
    }
}

#[test]
fn the_starter_policy_validates_against_the_schema() {
    assert_eq!(schema_errors(STARTER_POLICY), Vec::<String>::new());
}

#[test]
fn every_policy_example_in_the_docs_and_readme_validates_and_loads() {
    let mut examples = toml_blocks("docs/policy.md");
    assert!(examples.len() >= 5, "docs/policy.md has its examples");
    // The README's policy example too (its only TOML block).
    examples.extend(toml_blocks("README.md"));
    let registry = Registry::embedded().expect("embedded registry");
    for ex in examples {
        assert_eq!(schema_errors(&ex), Vec::<String>::new(), "{ex}");
        let p = Policy::parse(&ex, "example.toml")
            .unwrap_or_else(|e| panic!("{e}: {:#?}\n{ex}", e.lines()));
        assert_eq!(p.check_against(registry), vec![], "{ex}");
    }
}
