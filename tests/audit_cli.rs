//! `bomvet audit` end to end: the real binary on the bundled samples, snapshot-tested in table
//! and JSON form, the JSON validated against schemas/report.schema.json, and exit codes.
//!
//! The samples are audited with the embedded registry; the snapshots therefore move when the
//! registry data changes, which is intended: a data change that alters a verdict on a sample
//! must be reviewed (`INSTA_UPDATE=always cargo test --test audit_cli` rewrites them).

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::*;

fn audit(args: &[&str]) -> (i32, String, String) {
    let out = bomvet().arg("audit").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_report(args: &[&str]) -> (i32, Value) {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    let (code, out, err) = audit(&a);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"));
    let errors: Vec<String> = report_validator()
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match its schema: {errors:#?}"
    );
    (code, v)
}

fn codes(doc: &Value) -> Vec<(String, String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["vendor"]["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

const SAMPLES: [&str; 8] = [
    "samples/mail-gateway-firmware.cdx.json",
    "samples/rmm-platform.spdx.json",
    "samples/android-app.cdx.xml",
    "samples/vms-server.cdx.json",
    "samples/web-service.spdx",
    "samples/near-misses.cdx.json",
    "samples/juniper-srx-oem.cdx.json",
    "samples/spdx3-edge-gateway.spdx3.json",
];

#[test]
fn every_sample_has_json_and_table_snapshots() {
    for s in SAMPLES {
        let name = Path::new(s)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        let (_, mut json) = json_report(&[s]);
        json["registry"]["digest"] = "[digest]".into();
        json["registry"]["version"] = "[version]".into();
        json["registry"]["serial"] = "[serial]".into();
        for l in json["registry"]["layers"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            for k in ["digest", "version", "serial", "created"] {
                l[k] = format!("[{k}]").into();
            }
        }
        insta::assert_json_snapshot!(format!("{name}_json"), json);
        let (_, table, _) = audit(&[s]);
        let table = table
            .lines()
            .map(|l| {
                if l.starts_with("registry ") {
                    "registry [version] (serial [serial], [digest])"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(format!("{name}_table"), table);
    }
}

#[test]
fn the_mail_gateway_fails_on_the_kaspersky_sdk_nested_three_levels_down() {
    let (code, v) = json_report(&["samples/mail-gateway-firmware.cdx.json"]);
    assert_eq!(code, 1);
    let doc = &v["documents"][0];
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["vendor"]["id"] == "kaspersky" && f["severity"] == "deny")
        .expect("a deny finding for Kaspersky");
    assert_eq!(f["code"], "banned-embedded");
    assert_eq!(f["exposure"], "embedded");
    let path = f["path"].as_array().unwrap();
    assert!(path.len() >= 4, "root → service → plug-in → SDK: {path:?}");
    assert_eq!(path[0], doc["roots"][0]);
    assert_eq!(path.last().unwrap(), &f["component"]["ref"]);
    assert!(f["designations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "us-far-52.204-23"));
    assert!(!f["evidence"].as_array().unwrap().is_empty());
    assert_eq!(f["vendor"]["country"], "RU");
}

#[test]
fn the_clean_web_service_passes() {
    let (code, v) = json_report(&["samples/web-service.spdx"]);
    assert_eq!(code, 0);
    let doc = &v["documents"][0];
    assert_eq!(doc["summary"]["deny"], 0);
    assert_eq!(doc["summary"]["verdict"], "pass");
}

#[test]
fn near_misses_are_not_banned() {
    let (code, v) = json_report(&["samples/near-misses.cdx.json"]);
    assert_eq!(code, 0, "{:#?}", codes(&v["documents"][0]));
    for (code, sev, _) in codes(&v["documents"][0]) {
        assert_ne!(sev, "deny", "{code}");
    }
}

#[test]
fn hikvision_is_conditional_unless_a_section_889_use_is_declared() {
    let (code, v) = json_report(&["samples/vms-server.cdx.json"]);
    assert_eq!(code, 0);
    let c = codes(&v["documents"][0]);
    assert!(
        c.iter()
            .any(|(code, sev, vendor)| code == "conditional-vendor"
                && sev == "warn"
                && vendor == "hikvision"),
        "{c:#?}"
    );
    let (code, v) = json_report(&[
        "--use-context",
        "public-safety",
        "samples/vms-server.cdx.json",
    ]);
    assert_eq!(code, 1);
    let c = codes(&v["documents"][0]);
    assert!(
        c.iter()
            .any(|(code, sev, vendor)| code.starts_with("banned-")
                && sev == "deny"
                && vendor == "hikvision"),
        "{c:#?}"
    );
    assert_eq!(v["policy"]["use_context"][0], "public-safety");
}

#[test]
fn the_juniper_srx_inside_the_engine_period_is_an_embedded_finding() {
    let (code, v) = json_report(&["samples/juniper-srx-oem.cdx.json"]);
    assert_eq!(code, 1);
    let doc = &v["documents"][0];
    let f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] == "deny")
        .expect("a deny finding");
    assert_eq!(f["code"], "banned-embedded");
    assert_eq!(f["vendor"]["id"], "kaspersky");
    assert_eq!(f["oem"]["in_period"], true);
}

#[test]
fn every_sample_meets_its_documented_exit_code() {
    for (s, want) in [
        ("samples/mail-gateway-firmware.cdx.json", 1),
        ("samples/rmm-platform.spdx.json", 1),
        ("samples/android-app.cdx.xml", 1),
        ("samples/vms-server.cdx.json", 0),
        ("samples/web-service.spdx", 0),
        ("samples/near-misses.cdx.json", 0),
        ("samples/juniper-srx-oem.cdx.json", 1),
        ("samples/spdx3-edge-gateway.spdx3.json", 1),
    ] {
        let (code, _, err) = audit(&[s]);
        assert_eq!(code, want, "{s}: {err}");
    }
}

#[test]
fn a_bad_input_is_exit_2_and_the_other_inputs_are_still_audited() {
    let dir = tempdir("bad-input");
    let bad = dir.join("broken.cdx.json");
    std::fs::write(
        &bad,
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [",
    )
    .unwrap();
    let (code, v) = json_report(&[
        "samples/mail-gateway-firmware.cdx.json",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "an unreadable input takes precedence over deny");
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    assert_eq!(v["errors"].as_array().unwrap().len(), 1);
    assert!(v["errors"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("broken.cdx.json"));
    assert!(v["documents"][0]["summary"]["deny"].as_u64().unwrap() > 0);
}

#[test]
fn a_document_without_components_is_an_error_not_a_pass() {
    let dir = tempdir("empty-doc");
    let f = dir.join("empty.cdx.json");
    std::fs::write(
        &f,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}"#,
    )
    .unwrap();
    let (code, v) = json_report(&[f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["kind"], "no-components");
}

#[test]
fn a_policy_with_problems_is_exit_2_with_every_line() {
    let dir = tempdir("bad-policy");
    let p = dir.join("policy.toml");
    std::fs::write(&p, "colour = 1\n[levels]\nbanned-vendor = \"sometimes\"\n").unwrap();
    let (code, out, err) = audit(&["--policy", p.to_str().unwrap(), "samples/web-service.spdx"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains(":1:1: colour: unknown key"), "{err}");
    assert!(
        err.contains(":3:17: levels.banned-vendor: unknown level"),
        "{err}"
    );
}

#[test]
fn a_policy_can_lower_a_code_and_the_exit_code_follows() {
    let (code, v) = json_report(&[
        "--warn",
        "banned-embedded",
        "--warn",
        "banned-vendor",
        "samples/mail-gateway-firmware.cdx.json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["documents"][0]["summary"]["deny"], 0);
    assert_eq!(v["policy"]["levels"]["banned-embedded"], "warn");
}

#[test]
fn an_unknown_code_on_the_command_line_is_exit_2() {
    let (code, _, err) = audit(&["--deny", "no-such-code", "samples/web-service.spdx"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a finding code"), "{err}");
}

#[test]
fn output_is_deterministic_across_runs_and_job_counts() {
    let all: Vec<&str> = SAMPLES.to_vec();
    let mut a = vec!["--format", "json", "-j", "1"];
    a.extend(all.iter());
    let (_, one, _) = audit(&a);
    let mut b = vec!["--format", "json", "-j", "4"];
    b.extend(all.iter());
    let (_, four, _) = audit(&b);
    assert_eq!(one, four);
    let v: Value = serde_json::from_str(&one).unwrap();
    let sources: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, all, "documents in input order");
}

#[test]
fn stdin_is_read_with_a_dash() {
    let data = std::fs::read(root().join("samples/mail-gateway-firmware.cdx.json")).unwrap();
    let out = bomvet()
        .args(["audit", "--format", "json", "-"])
        .write_stdin(data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["source"], "-");
}

fn tempdir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}
