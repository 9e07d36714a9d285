//! Helpers shared by the integration tests: the binary in a known environment, its output, and
//! JSON Schema validators for the committed schemas.
// Each test crate uses its own subset.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// The package root (tests run the binary from here; fixture paths are relative to it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `bomvet` binary, run from the package root without colour and with an empty registry
/// cache: an installed registry bundle on the machine must not change what tests see.
pub fn bomvet() -> Command {
    let mut c = Command::cargo_bin("bomvet").unwrap();
    c.current_dir(root())
        .env("NO_COLOR", "1")
        .env("BOMVET_CACHE_DIR", root().join("target/no-bomvet-cache"));
    c
}

/// Exit code (-1 when killed by a signal), stdout and stderr of `cmd`.
pub fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `bomvet ARGS...`: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    output(bomvet().args(args))
}

/// A validator for the JSON Schema committed at `path` (relative to the package root).
pub fn validator(path: &str) -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// A validator for the report schema.
pub fn report_validator() -> jsonschema::Validator {
    validator("schemas/report.schema.json")
}

/// The schema committed at `path` (relative to the package root) equals `generated`, the one
/// made from the Rust types in `source`; with `BOMVET_UPDATE_SCHEMAS=1` it is rewritten
/// instead. `test` names the test target that regenerates it.
pub fn assert_committed_schema(path: &str, generated: &str, source: &str, test: &str) {
    let file = root().join(path);
    if std::env::var("BOMVET_UPDATE_SCHEMAS").as_deref() == Ok("1") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == generated,
        "{path} differs from the schema generated from {source}.\n\
         Regenerate it with: BOMVET_UPDATE_SCHEMAS=1 cargo test --test {test}"
    );
}
