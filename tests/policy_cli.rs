//! The policy file through the real binary: the waiver lifecycle (active, expiring, expired,
//! unused) with a fixed clock (`--today`), what waivers do to counts and exit codes, levels per
//! designation, the unresolved limit, policy errors (snapshot-tested), and `bomvet init`.
//!
//! Policies live in tests/fixtures/policies/ and are passed by relative path, so messages and
//! snapshots hold no machine path.

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::*;

/// `bomvet audit --format json ARGS`, validated against the report schema.
fn audit_json(args: &[&str]) -> (i32, Value) {
    let mut a = vec!["audit", "--format", "json"];
    a.extend_from_slice(args);
    let (code, out, err) = run(&a);
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

fn tempdir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const LIFECYCLE: &str = "tests/fixtures/policies/lifecycle.toml";
const ANDROID: &str = "samples/android-app.cdx.xml";
const GATEWAY: &str = "samples/mail-gateway-firmware.cdx.json";

fn findings(v: &Value) -> Vec<&Value> {
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["findings"].as_array().unwrap())
        .collect()
}

fn finding_named<'a>(v: &'a Value, name: &str) -> &'a Value {
    findings(v)
        .into_iter()
        .find(|f| f["component"]["name"] == name)
        .unwrap_or_else(|| panic!("a finding for {name}"))
}

/// (code, waiver id) of every policy finding.
fn policy_findings(v: &Value) -> Vec<(String, String)> {
    v["policy_findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["code"].as_str().unwrap().to_string(),
                        f["waiver"]["id"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn waiver_lifecycle_active_expiring_expired_and_unused_on_a_fixed_day() {
    let (code, v) = audit_json(&[
        "--policy",
        LIFECYCLE,
        "--today",
        "2025-06-01",
        ANDROID,
        GATEWAY,
    ]);
    // Active: the HMS base finding is waived, keeps its severity, and names its waiver.
    let base = finding_named(&v, "base");
    assert_eq!(base["severity"], "deny");
    assert_eq!(base["waiver"]["id"], "hms-base");
    assert_eq!(
        base["waiver"]["reason"],
        "HMS base kept until the store build drops it"
    );
    assert_eq!(base["waiver"]["ticket"], "MOB-88");
    assert_eq!(base["waiver"]["expires"], "2026-01-31");
    assert_eq!(base["waiver"]["location"], format!("{LIFECYCLE}:5"));
    // Expiring: still waives the Kaspersky SDK.
    let kav = finding_named(&v, "Kaspersky Anti-Virus SDK");
    assert_eq!(kav["waiver"]["id"], "kav-gateway");
    // Expired: agconnect-core is not waived any more.
    let agc = finding_named(&v, "agconnect-core");
    assert!(agc.get("waiver").is_none());
    assert_eq!(agc["severity"], "deny");
    // Only one of HMS's version range: other Huawei components stay unwaived.
    assert!(finding_named(&v, "push").get("waiver").is_none());

    assert_eq!(
        policy_findings(&v),
        pairs(&[
            ("waiver-expiring", "kav-gateway"),
            ("waiver-expired", "agconnect"),
            ("waiver-unused", "zte-modems"),
        ])
    );
    for f in v["policy_findings"].as_array().unwrap() {
        assert_eq!(f["severity"], "warn");
    }
    assert_eq!(v["policy"]["waivers_checked_on"], "2025-06-01");
    assert_eq!(v["policy"]["waivers"].as_array().unwrap().len(), 4);

    // Counts: waived findings are counted apart; the policy findings count in the run.
    let android = &v["documents"][0]["summary"];
    let gateway = &v["documents"][1]["summary"];
    assert_eq!(android["waived"], 1);
    assert_eq!(gateway["waived"], 1);
    assert_eq!(gateway["deny"], 0);
    assert_eq!(gateway["verdict"], "pass");
    let s = &v["summary"];
    assert_eq!(s["waived"], 2);
    let doc_warn: u64 = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["summary"]["warn"].as_u64().unwrap())
        .sum();
    assert_eq!(s["warn"].as_u64().unwrap(), doc_warn + 3);
    let listed_deny = findings(&v)
        .iter()
        .filter(|f| f["severity"] == "deny" && f.get("waiver").is_none())
        .count() as u64;
    assert_eq!(s["deny"].as_u64().unwrap(), listed_deny);
    assert_eq!(code, 1, "the unwaived Huawei components still fail the run");
}

#[test]
fn a_waiver_stops_counting_the_day_after_it_expires() {
    // Its last day: still waived, and the gateway passes.
    let (code, v) = audit_json(&["--policy", LIFECYCLE, "--today", "2025-06-15", GATEWAY]);
    assert_eq!(code, 0);
    assert_eq!(
        finding_named(&v, "Kaspersky Anti-Virus SDK")["waiver"]["id"],
        "kav-gateway"
    );
    assert!(policy_findings(&v).contains(&("waiver-expiring".into(), "kav-gateway".into())));
    // The day after: the ban counts again and the waiver is reported as expired.
    let (code, v) = audit_json(&["--policy", LIFECYCLE, "--today", "2025-06-16", GATEWAY]);
    assert_eq!(code, 1);
    let kav = finding_named(&v, "Kaspersky Anti-Virus SDK");
    assert!(kav.get("waiver").is_none());
    assert_eq!(v["documents"][0]["summary"]["verdict"], "fail");
    assert!(policy_findings(&v).contains(&("waiver-expired".into(), "kav-gateway".into())));
}

#[test]
fn waiver_findings_follow_their_levels_and_a_deny_fails_the_run() {
    // Waive the gateway's only deny finding; the unused waivers alone decide the exit code.
    let (code, v) = audit_json(&["--policy", LIFECYCLE, "--today", "2025-06-01", GATEWAY]);
    assert_eq!(code, 0);
    assert!(policy_findings(&v).contains(&("waiver-unused".into(), "zte-modems".into())));
    let (code, v) = audit_json(&[
        "--policy",
        LIFECYCLE,
        "--today",
        "2025-06-01",
        "--deny",
        "waiver-unused",
        GATEWAY,
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["documents"][0]["summary"]["deny"], 0);
    assert!(v["summary"]["deny"].as_u64().unwrap() >= 1);
    let (_, v) = audit_json(&[
        "--policy",
        LIFECYCLE,
        "--today",
        "2025-06-01",
        "--allow",
        "waiver-unused",
        GATEWAY,
    ]);
    assert!(!policy_findings(&v)
        .iter()
        .any(|(c, _)| c == "waiver-unused"));
}

#[test]
fn no_waiver_is_called_unused_when_an_input_failed() {
    let dir = tempdir("policy-incomplete");
    let bad = dir.join("broken.cdx.json");
    std::fs::write(&bad, "{\"bomFormat\": \"CycloneDX\", \"components\": [").unwrap();
    let (code, v) = audit_json(&[
        "--policy",
        LIFECYCLE,
        "--today",
        "2025-06-01",
        GATEWAY,
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(!policy_findings(&v)
        .iter()
        .any(|(c, _)| c == "waiver-unused"));
    assert!(policy_findings(&v)
        .iter()
        .any(|(c, _)| c == "waiver-expired"));
}

#[test]
fn the_table_marks_waived_findings_with_their_waiver_and_reason() {
    let (code, out, _) = run(&[
        "audit",
        "--policy",
        LIFECYCLE,
        "--today",
        "2025-06-01",
        GATEWAY,
    ]);
    assert_eq!(code, 0);
    let out: String = out
        .lines()
        .filter(|l| !l.starts_with("registry "))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("lifecycle_gateway_table", out);
}

#[test]
fn the_lifecycle_json_is_stable() {
    let (_, mut v) = audit_json(&[
        "--policy",
        LIFECYCLE,
        "--today",
        "2025-06-01",
        ANDROID,
        GATEWAY,
    ]);
    v["registry"]["digest"] = "[digest]".into();
    v["registry"]["version"] = "[version]".into();
    v["registry"]["serial"] = "[serial]".into();
    // The policy part and the counts; the findings themselves are covered by audit_cli.
    let view = serde_json::json!({
        "policy": v["policy"],
        "policy_findings": v["policy_findings"],
        "summary": v["summary"],
        "waived": findings(&v)
            .iter()
            .filter(|f| f.get("waiver").is_some())
            .map(|f| serde_json::json!({
                "code": f["code"],
                "severity": f["severity"],
                "component": f["component"]["ref"],
                "waiver": f["waiver"],
            }))
            .collect::<Vec<_>>(),
    });
    insta::assert_json_snapshot!("lifecycle_json", view);
}

#[test]
fn policy_errors_are_all_listed_with_line_and_key_and_exit_2() {
    let (code, out, err) = run(&[
        "audit",
        "--policy",
        "tests/fixtures/policies/broken.toml",
        "samples/web-service.spdx",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "nothing is audited with a broken policy");
    insta::assert_snapshot!("broken_policy_errors", err);
}

#[test]
fn ids_the_registry_does_not_know_are_errors_with_line_and_key() {
    let (code, out, err) = run(&[
        "audit",
        "--policy",
        "tests/fixtures/policies/unknown-ids.toml",
        "samples/web-service.spdx",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("unknown_ids_errors", err);
}

fn write_policy(name: &str, text: &str) -> PathBuf {
    let dir = tempdir(name);
    let p = dir.join("bomvet.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn designation_levels_lower_a_ban_only_when_every_designation_it_rests_on_is_lowered() {
    let (code, v) = audit_json(&[GATEWAY]);
    assert_eq!(code, 1);
    let kav = finding_named(&v, "Kaspersky Anti-Virus SDK");
    let ids: Vec<String> = kav["designations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 2, "{ids:?}");

    let one = write_policy(
        "designations-one",
        &format!("[designations]\n{:?} = \"warn\"\n", ids[0]),
    );
    let (code, v) = audit_json(&["--policy", one.to_str().unwrap(), GATEWAY]);
    assert_eq!(code, 1, "the other designations still ban it");
    assert_eq!(
        finding_named(&v, "Kaspersky Anti-Virus SDK")["severity"],
        "deny"
    );

    let all: String = ids.iter().map(|d| format!("{d:?} = \"warn\"\n")).collect();
    let all = write_policy("designations-all", &format!("[designations]\n{all}"));
    let (code, v) = audit_json(&["--policy", all.to_str().unwrap(), GATEWAY]);
    assert_eq!(code, 0);
    assert_eq!(
        finding_named(&v, "Kaspersky Anti-Virus SDK")["severity"],
        "warn"
    );
    assert_eq!(v["policy"]["designations"][&ids[0]], "warn");

    // A command-line level for the code wins over the table.
    let (code, _) = audit_json(&[
        "--policy",
        all.to_str().unwrap(),
        "--deny",
        "banned-embedded",
        GATEWAY,
    ]);
    assert_eq!(code, 1);
}

#[test]
fn the_unresolved_limit_turns_unknown_vendor_into_a_deny_when_exceeded() {
    // The gateway has 66 of 67 components unresolved; its ban is lowered to isolate the limit.
    let over = write_policy(
        "unresolved-over",
        "[levels]\nbanned-embedded = \"warn\"\n[unresolved]\nmax_share = 50\n",
    );
    let (code, v) = audit_json(&["--policy", over.to_str().unwrap(), GATEWAY]);
    assert_eq!(code, 1);
    let f = findings(&v)
        .into_iter()
        .find(|f| f["code"] == "unknown-vendor")
        .unwrap();
    assert_eq!(f["severity"], "deny");
    assert!(
        f["message"].as_str().unwrap().contains("at most 50%"),
        "{f}"
    );

    let under = write_policy(
        "unresolved-under",
        "[levels]\nbanned-embedded = \"warn\"\n[unresolved]\nmax_count = 66\nlevel = \"warn\"\n",
    );
    let (code, v) = audit_json(&["--policy", under.to_str().unwrap(), GATEWAY]);
    assert_eq!(code, 0);
    let f = findings(&v)
        .into_iter()
        .find(|f| f["code"] == "unknown-vendor")
        .unwrap();
    assert_eq!(f["severity"], "info", "66 is not more than 66");
}

#[test]
fn init_writes_a_starter_policy_that_audit_loads() {
    let dir = tempdir("init");
    let out = bomvet().current_dir(&dir).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.join("bomvet.toml")).unwrap();
    assert!(written.contains("[[waivers]]"));
    // `bomvet audit` in that directory picks it up with no problem.
    let sample = root().join("samples/web-service.spdx");
    let out = bomvet()
        .current_dir(&dir)
        .args(["audit", "--format", "json", sample.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["policy"]["source"], "bomvet.toml");
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempdir("init-force");
    let target = dir.join("custom.toml");
    std::fs::write(&target, "# mine\n").unwrap();
    let out = bomvet()
        .args(["init", "--output", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "# mine\n");
    let out = bomvet()
        .args(["init", "--force", "--output", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        bomvet::policy::starter::STARTER_POLICY
    );
}

#[test]
fn a_malformed_today_is_rejected() {
    let (code, _, err) = run(&["audit", "--today", "2025-02-30", GATEWAY]);
    assert_eq!(code, 2);
    assert!(err.contains("2025-02-30"), "{err}");
}
