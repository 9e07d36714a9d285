//! Vetting many submissions, end to end through the binary: a directory of samples audited in
//! parallel with its roll-up, submission manifests (TOML and CSV, good and broken), `--quiet`,
//! the progress bar, and `bomvet diff` between two versions of a sample (snapshots of the table
//! and Markdown forms, the JSON validated against schemas/diff.schema.json).

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::*;

/// Run and parse JSON output, checked against `schema`.
fn json(args: &[&str], schema: &str) -> (i32, Value, String) {
    let (code, out, err) = run(args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"));
    let errors: Vec<String> = validator(schema)
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "output does not match {schema}: {errors:#?}"
    );
    (code, v, err)
}

fn audit_json(args: &[&str]) -> (i32, Value, String) {
    let mut a = vec!["audit", "--format", "json"];
    a.extend_from_slice(args);
    json(&a, "schemas/report.schema.json")
}

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap()
}

const V1: &str = "samples/mail-gateway-firmware.cdx.json";
const V2: &str = "tests/fixtures/vetting/mail-gateway-firmware-v2.cdx.json";

#[test]
fn a_directory_run_ends_with_a_rollup_consistent_with_its_documents() {
    let (code, v, _) = audit_json(&["-j", "2", "samples"]);
    assert_eq!(code, 1);
    let r = &v["rollup"];
    let docs = arr(&v["documents"]);
    let sbom_files = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name();
            let n = n.to_string_lossy();
            !n.starts_with('.') && n != "README.md"
        })
        .count();
    assert_eq!(r["documents"], sbom_files);
    assert_eq!(r["documents"], docs.len());
    assert_eq!(r["failed"], 0);
    assert_eq!(r["skipped"], 1, "samples/README.md is not an SBOM");
    let with_deny = docs
        .iter()
        .filter(|d| d["summary"]["deny"].as_u64().unwrap() > 0)
        .count();
    assert_eq!(r["with_deny"], with_deny);
    assert_eq!(r["with_deny"], v["summary"]["documents_with_deny"]);

    // Per vendor: findings and documents recounted from the documents.
    for vendor in arr(&r["vendors"]) {
        let id = vendor["id"].as_str().unwrap();
        let mut findings = 0;
        let mut deny = 0;
        let mut documents = 0;
        let mut components = 0;
        for d in docs {
            let mine: Vec<&Value> = arr(&d["findings"])
                .iter()
                .filter(|f| f["vendor"]["id"] == id)
                .collect();
            findings += mine.len();
            deny += mine
                .iter()
                .filter(|f| f["severity"] == "deny" && f.get("waiver").is_none())
                .count();
            let attributed = d["summary"]["vendors"][id].as_u64().unwrap_or(0);
            components += attributed;
            documents += usize::from(!mine.is_empty() || attributed > 0);
        }
        assert_eq!(vendor["findings"], findings, "{id}");
        assert_eq!(vendor["deny"], deny, "{id}");
        assert_eq!(vendor["documents"], documents, "{id}");
        assert_eq!(vendor["components"], components, "{id}");
    }
    let ids: Vec<&str> = arr(&r["vendors"])
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    for banned in ["kaspersky", "huawei"] {
        assert!(ids.contains(&banned), "{ids:?}");
    }
    // Sorted by deny findings, most first.
    let denies: Vec<u64> = arr(&r["vendors"])
        .iter()
        .map(|v| v["deny"].as_u64().unwrap())
        .collect();
    assert!(denies.windows(2).all(|w| w[0] >= w[1]), "{denies:?}");

    // Per country: RU holds every Kaspersky finding.
    let ru = arr(&r["countries"])
        .iter()
        .find(|c| c["code"] == "RU")
        .expect("RU in the roll-up");
    let kaspersky = arr(&r["vendors"])
        .iter()
        .find(|v| v["id"] == "kaspersky")
        .unwrap();
    assert!(ru["findings"].as_u64().unwrap() >= kaspersky["findings"].as_u64().unwrap());
    assert!(
        r.get("submissions").is_none(),
        "no manifest, no submissions"
    );
}

#[test]
fn the_rollup_does_not_depend_on_the_job_count() {
    let (_, one, _) = run(&["audit", "--format", "json", "-j", "1", "samples"]);
    let (_, two, _) = run(&["audit", "--format", "json", "-j", "2", "samples"]);
    assert_eq!(one, two);
}

#[test]
fn a_single_document_has_no_rollup() {
    let (_, v, _) = audit_json(&[V1]);
    assert!(v.get("rollup").is_none());
    let (_, table, _) = run(&["audit", V1]);
    assert!(!table.contains("\nvendors\n"), "{table}");
}

#[test]
fn the_table_ends_with_vendor_and_country_rollup_tables() {
    let (_, table, _) = run(&["audit", "-j", "2", "samples"]);
    let vendors = table.find("\nvendors\n").expect("a vendors table");
    let countries = table
        .find("\ncountries of origin\n")
        .expect("a countries table");
    let docs = table.find("│ document").expect("the documents table");
    assert!(docs < vendors && vendors < countries, "{table}");
    assert!(table[vendors..countries].contains("Kaspersky (kaspersky)"));
    assert!(table[countries..].contains("│ RU"));
}

fn submissions(v: &Value) -> Vec<(String, String, String, usize, Vec<String>)> {
    arr(&v["rollup"]["submissions"])
        .iter()
        .map(|s| {
            (
                s["vendor"].as_str().unwrap().to_string(),
                s["product"].as_str().unwrap().to_string(),
                s["verdict"].as_str().unwrap().to_string(),
                arr(&s["documents"]).len(),
                arr(&s["banned_vendors"])
                    .iter()
                    .map(|b| b["id"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_toml_manifest_groups_the_rollup_by_submission() {
    let (code, v, err) = audit_json(&["--manifest", "tests/fixtures/vetting/schedule.toml"]);
    assert_eq!(code, 1, "{err}");
    let s = submissions(&v);
    assert_eq!(
        s,
        vec![
            (
                "Northwind Networks".into(),
                "MailShield 7400".into(),
                "fail".into(),
                1,
                vec!["kaspersky".into()]
            ),
            (
                "Corvid Vision".into(),
                "SentryView VMS".into(),
                "pass".into(),
                1,
                vec![]
            ),
            (
                "Lumen Harbor".into(),
                "TrailMate".into(),
                "fail".into(),
                2,
                vec!["huawei".into()]
            ),
        ]
    );
    // Each document carries its submission, and its source is relative to the manifest.
    for d in arr(&v["documents"]) {
        assert!(d["submission"]["vendor"].is_string(), "{d:#}");
        let src = d["source"].as_str().unwrap();
        assert!(root().join(src).is_file(), "{src}");
    }
    // The submission's counts add up its documents'.
    let lumen = &arr(&v["rollup"]["submissions"])[2];
    let deny: u64 = arr(&v["documents"])
        .iter()
        .filter(|d| d["submission"]["vendor"] == "Lumen Harbor")
        .map(|d| d["summary"]["deny"].as_u64().unwrap())
        .sum();
    assert_eq!(lumen["deny"], deny);
}

#[test]
fn a_csv_manifest_means_the_same_as_the_toml_one() {
    let (_, toml, _) = audit_json(&["--manifest", "tests/fixtures/vetting/schedule.toml"]);
    let (_, csv, _) = audit_json(&["--manifest", "tests/fixtures/vetting/schedule.csv"]);
    assert_eq!(toml["rollup"], csv["rollup"]);
    assert_eq!(toml["documents"], csv["documents"]);
}

#[test]
fn manifest_inputs_and_command_line_inputs_are_audited_together() {
    let (_, v, _) = audit_json(&[
        "--manifest",
        "tests/fixtures/vetting/schedule.csv",
        "samples/near-misses.cdx.json",
    ]);
    let docs = arr(&v["documents"]);
    assert_eq!(docs.len(), 5);
    let last = docs.last().unwrap();
    assert_eq!(last["source"], "samples/near-misses.cdx.json");
    assert!(last.get("submission").is_none());
    assert_eq!(arr(&v["rollup"]["submissions"]).len(), 3);
}

#[test]
fn the_table_lists_submissions_with_verdicts_and_banned_vendors() {
    let (_, table, _) = run(&[
        "audit",
        "--manifest",
        "tests/fixtures/vetting/schedule.toml",
    ]);
    let at = table.find("\nsubmissions\n").expect("a submissions table");
    let part = &table[at..];
    let row = part
        .lines()
        .find(|l| l.contains("Northwind Networks / MailShield 7400"))
        .expect("a row per submission");
    assert!(row.contains("fail") && row.contains("Kaspersky"), "{row}");
}

#[test]
fn the_markdown_summary_has_the_rollup_between_the_documents_table_and_the_findings() {
    let (code, md, err) = run(&[
        "audit",
        "--format",
        "markdown",
        "--manifest",
        "tests/fixtures/vetting/schedule.toml",
    ]);
    assert_eq!(code, 1, "{err}");
    let at = |h: &str| md.find(h).unwrap_or_else(|| panic!("no {h:?} in\n{md}"));
    let (subs, vendors, countries) = (
        at("### Submissions"),
        at("### Vendors with findings"),
        at("### Countries of origin"),
    );
    assert!(at("| document | verdict |") < subs && subs < vendors && vendors < countries);
    // The first finding section comes after the roll-up.
    assert!(countries < at("### `"), "{md}");
    let row = |needle: &str| {
        md.lines()
            .find(|l| l.starts_with('|') && l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle:?}"))
    };
    let mail = row("| Northwind Networks | MailShield 7400 |");
    assert!(
        mail.contains("**FAIL**") && mail.contains("Kaspersky"),
        "{mail}"
    );
    assert!(row("| Corvid Vision | SentryView VMS |").contains("| pass |"));
    assert!(row("(`kaspersky`)").contains("| RU |"), "{md}");
    // The same counts as the JSON roll-up.
    let (_, v, _) = audit_json(&["--manifest", "tests/fixtures/vetting/schedule.toml"]);
    let lumen = &arr(&v["rollup"]["submissions"])[2];
    let cells: Vec<&str> = row("| Lumen Harbor | TrailMate |")
        .split('|')
        .map(str::trim)
        .collect();
    assert_eq!(cells[4], "2");
    assert_eq!(cells[5], lumen["components"].to_string());
    assert_eq!(cells[6], lumen["deny"].to_string());
}

#[test]
fn a_broken_toml_manifest_is_exit_2_with_every_problem_located() {
    let (code, out, err) = run(&["audit", "--manifest", "tests/fixtures/vetting/broken.toml"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    for want in [
        "broken.toml:1:1: submission[0].product: missing `product`",
        "broken.toml:8:8: submission[1].sbom: SBOM \"../../../samples/no-such-file.cdx.json\" not found",
        "broken.toml:9:1: submission[1].colour: unknown key `colour`",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

#[test]
fn a_broken_csv_manifest_is_exit_2_with_every_problem_located() {
    let (code, out, err) = run(&["audit", "--manifest", "tests/fixtures/vetting/broken.csv"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    for want in [
        "broken.csv:2:1: 2 field(s), the header has 3",
        "broken.csv:3:15: product: `product` is empty",
        "broken.csv:4:1: 4 field(s), the header has 3",
        "broken.csv:5:11: sbom: SBOM \"../../../samples/missing.cdx.json\" not found",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

#[test]
fn a_missing_manifest_file_is_exit_2() {
    let (code, _, err) = run(&["audit", "--manifest", "tests/fixtures/vetting/nope.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read manifest"), "{err}");
}

#[test]
fn without_inputs_or_a_manifest_audit_is_a_usage_error() {
    let (code, _, err) = run(&["audit"]);
    assert_eq!(code, 2);
    assert!(err.contains("INPUT"), "{err}");
}

#[test]
fn quiet_drops_notes_but_keeps_errors() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vetting-quiet");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "not an SBOM\n").unwrap();
    std::fs::write(
        dir.join("broken.cdx.json"),
        "{\"bomFormat\": \"CycloneDX\", \"components\": [",
    )
    .unwrap();
    std::fs::copy(root().join(V1), dir.join("gateway.cdx.json")).unwrap();
    let d = dir.to_str().unwrap();
    let (code, _, err) = run(&["audit", d]);
    assert_eq!(code, 2);
    assert!(err.contains("note: 1 file(s)"), "{err}");
    assert!(err.contains("broken.cdx.json"), "{err}");
    let (code, _, err) = run(&["audit", "--quiet", d]);
    assert_eq!(code, 2);
    assert!(!err.contains("note:"), "{err}");
    assert!(
        err.contains("error: ") && err.contains("broken.cdx.json"),
        "{err}"
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let (_, _, err) = run(&["audit", "-j", "2", "samples"]);
    assert!(!err.contains("auditing"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

/// With a terminal (util-linux `script` gives one), the bar is drawn on stderr, and `--quiet`
/// removes it. Skipped with a note where `script` is absent.
#[test]
fn a_progress_bar_on_a_terminal_unless_quiet() {
    // `script` must exist and be able to open a pseudo-terminal here.
    let usable = std::process::Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !usable {
        eprintln!("note: `script` not found or no pseudo-terminal; progress bar test skipped");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("bomvet");
    let under_tty = |extra: &str| {
        let cmd = format!("{} audit {extra} -j 2 samples >/dev/null", bin.display());
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(root())
            .env("BOMVET_CACHE_DIR", root().join("target/no-bomvet-cache"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = under_tty("");
    assert!(shown.contains("auditing"), "{shown:?}");
    assert!(shown.contains("inputs"), "{shown:?}");
    let quiet = under_tty("--quiet");
    assert!(!quiet.contains("auditing"), "{quiet:?}");
}

fn diff(args: &[&str]) -> (i32, String, String) {
    let mut a = vec!["diff"];
    a.extend_from_slice(args);
    run(&a)
}

fn without_registry_line(s: &str) -> String {
    s.lines()
        .map(|l| {
            if l.starts_with("registry ") {
                "registry [version] (serial [serial], [digest])"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn removing_the_kaspersky_sdk_shows_as_removed_exposure_and_exits_0() {
    let (code, v, _) = json(
        &["diff", "--format", "json", V1, V2],
        "schemas/diff.schema.json",
    );
    assert_eq!(code, 0);
    let removed = arr(&v["removed"]);
    assert_eq!(removed.len(), 1);
    let r = &removed[0];
    assert_eq!(r["code"], "banned-embedded");
    assert_eq!(r["vendor"]["id"], "kaspersky");
    assert_eq!(r["matched_by"], "purl");
    assert_eq!(r["identity"], "pkg:generic/kaspersky/kav-sdk");
    assert!(r.get("new").is_none());
    assert!(arr(&r["old"]["path"]).len() >= 4, "the old path is kept");
    assert!(arr(&v["added"]).is_empty());
    assert_eq!(v["old"]["verdict"], "fail");
    assert_eq!(v["new"]["verdict"], "pass");
    assert_eq!(v["summary"]["new_deny"], 0);
    // Every finding of both sides is in exactly one list.
    let old_n = arr(&v["unchanged"]).len() + removed.len();
    let (_, old_audit, _) = audit_json(&[V1]);
    assert_eq!(old_n, arr(&old_audit["documents"][0]["findings"]).len());
}

#[test]
fn adding_a_banned_component_exits_1() {
    let (code, v, _) = json(
        &["diff", "--format", "json", V2, V1],
        "schemas/diff.schema.json",
    );
    assert_eq!(code, 1);
    assert_eq!(arr(&v["added"]).len(), 1);
    assert_eq!(v["added"][0]["new"]["severity"], "deny");
    assert_eq!(v["summary"]["new_deny"], 1);
}

#[test]
fn a_document_against_itself_is_all_unchanged() {
    let (code, v, _) = json(
        &["diff", "--format", "json", V1, V1],
        "schemas/diff.schema.json",
    );
    assert_eq!(code, 0, "an existing deny finding is not new");
    assert!(arr(&v["added"]).is_empty() && arr(&v["removed"]).is_empty());
    let (_, a, _) = audit_json(&[V1]);
    assert_eq!(
        arr(&v["unchanged"]).len(),
        arr(&a["documents"][0]["findings"]).len()
    );
}

#[test]
fn lowering_a_code_in_the_policy_applies_to_both_sides() {
    let (code, v, _) = json(
        &[
            "diff",
            "--format",
            "json",
            "--warn",
            "banned-embedded",
            V2,
            V1,
        ],
        "schemas/diff.schema.json",
    );
    assert_eq!(code, 0, "the added finding is warn under this policy");
    assert_eq!(v["added"][0]["new"]["severity"], "warn");
}

#[test]
fn diff_errors_are_exit_2() {
    let (code, out, err) = diff(&[V1, "samples/no-such.cdx.json"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no-such.cdx.json"), "{err}");
    let (code, _, err) = diff(&[V1, "samples"]);
    assert_eq!(code, 2);
    assert!(err.contains("compares two SBOM files"), "{err}");
}

#[test]
fn diff_table_snapshot() {
    let (_, out, _) = diff(&[V1, V2]);
    insta::assert_snapshot!("diff_mail_gateway_table", without_registry_line(&out));
}

#[test]
fn diff_markdown_snapshot() {
    let (_, out, _) = diff(&["--format", "markdown", V2, V1]);
    insta::assert_snapshot!("diff_mail_gateway_markdown", without_registry_line(&out));
}

#[test]
fn committed_diff_schema_matches_the_rust_types() {
    use bomvet::vetting::diff::{schema_text, SCHEMA_PATH};
    assert_committed_schema(
        SCHEMA_PATH,
        &schema_text(),
        "src/vetting/diff.rs",
        "vetting_cli",
    );
}
