//! The CI and procurement formats of `bomvet audit` end to end: SARIF, JUnit, Markdown, CSV and
//! HTML of every sample from one binary run each (which also exercises several `--format` /
//! `--output` pairs in one run), snapshot-tested; the SARIF validated against the upstream
//! SARIF 2.1.0 schema; the JUnit parsed back and counted against the JSON report; the CSV
//! counted against the inventory; the HTML rendered by headless Chromium when it is installed;
//! and a crafted SBOM with hostile component names through every renderer.
//!
//! `INSTA_UPDATE=always cargo test --test formats_cli` rewrites the snapshots.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use serde_json::Value;

mod common;
use common::*;

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

const HOSTILE: &str = "tests/fixtures/hostile/hostile-names.cdx.json";

const FORMATS: [&str; 5] = ["sarif", "junit", "markdown", "csv", "html"];

fn tempdir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// One run: every format to a file and the JSON report to stdout.
struct Run {
    code: i32,
    json: Value,
    out: BTreeMap<&'static str, String>,
    files: BTreeMap<&'static str, PathBuf>,
}

fn run_all(input: &str, extra: &[&str]) -> Run {
    let stem = Path::new(input)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace('.', "_");
    // Tests run in parallel and several audit the same sample: one directory per run.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = tempdir(&format!("formats-{stem}-{n}"));
    let mut cmd = bomvet();
    cmd.arg("audit").args(extra).arg(input);
    let mut files = BTreeMap::new();
    for f in FORMATS {
        let p = dir.join(format!("report.{f}"));
        let _ = std::fs::remove_file(&p);
        cmd.args(["--format", f, "--output"]).arg(&p);
        files.insert(f, p);
    }
    cmd.args(["--format", "json"]);
    let o = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{e}\n{stdout}\n{}",
            String::from_utf8_lossy(&o.stderr).into_owned()
        )
    });
    let out = files
        .iter()
        .map(|(f, p)| (*f, std::fs::read_to_string(p).unwrap()))
        .collect();
    Run {
        code: o.status.code().unwrap_or(-1),
        json,
        out,
        files,
    }
}

/// Replace what moves with the registry data or the crate version.
fn stable(s: &str, json: &Value) -> String {
    let reg = &json["registry"];
    let mut s = s
        .replace(reg["digest"].as_str().unwrap(), "[digest]")
        .replace(reg["version"].as_str().unwrap(), "[registry-version]");
    // Each layer's creation time follows the registry version.
    for layer in reg["layers"].as_array().into_iter().flatten() {
        if let Some(c) = layer["created"].as_str() {
            s = s.replace(c, "[created]");
        }
    }
    let serial = reg["serial"].to_string();
    for (from, to) in [
        (
            format!("\"serial\": {serial}"),
            "\"serial\": \"[serial]\"".to_string(),
        ),
        (format!("serial {serial}"), "serial [serial]".to_string()),
        (
            format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            "\"[bomvet-version]\"".to_string(),
        ),
    ] {
        s = s.replace(&from, &to);
    }
    s
}

fn sarif_validator() -> Option<jsonschema::Validator> {
    let path = root().join("../shared/schemas-upstream/sarif/sarif-schema-2.1.0.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the SARIF schema is missing at {} (CI=true makes that a failure)",
            path.display()
        );
        eprintln!(
            "note: {} not found; SARIF schema validation skipped",
            path.display()
        );
        return None;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    Some(jsonschema::validator_for(&schema).unwrap())
}

fn validate_sarif(v: &jsonschema::Validator, sarif: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF does not match the 2.1.0 schema: {errors:#?}"
    );
}

#[derive(Debug, Default, PartialEq)]
struct JunitCounts {
    suites: usize,
    cases: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn parse_junit(xml: &str) -> JunitCounts {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut n = JunitCounts::default();
    let mut declared: Option<(usize, usize, usize, usize)> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attr = |name: &str| -> usize {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name.as_bytes())
                        .map(|a| String::from_utf8_lossy(&a.value).parse::<usize>().unwrap())
                        .unwrap_or(0)
                };
                match e.name().as_ref() {
                    b"testsuites" => {
                        declared = Some((
                            attr("tests"),
                            attr("failures"),
                            attr("errors"),
                            attr("skipped"),
                        ))
                    }
                    b"testsuite" => n.suites += 1,
                    b"testcase" => n.cases += 1,
                    b"failure" => n.failures += 1,
                    b"error" => n.errors += 1,
                    b"skipped" => n.skipped += 1,
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("JUnit XML does not parse: {e}\n{xml}"),
        }
    }
    assert_eq!(
        declared,
        Some((n.cases, n.failures, n.errors, n.skipped)),
        "the totals on <testsuites> match the elements"
    );
    n
}

/// What the JUnit output must hold for a JSON report.
fn expected_junit(json: &Value) -> JunitCounts {
    let mut n = JunitCounts::default();
    for d in json["documents"].as_array().unwrap() {
        n.suites += 1;
        let findings = d["findings"].as_array().unwrap();
        n.cases += findings.len();
        let deny = findings
            .iter()
            .filter(|f| f["severity"] == "deny" && f.get("waiver").is_none())
            .count();
        n.failures += deny;
        n.skipped += findings
            .iter()
            .filter(|f| f.get("waiver").is_some())
            .count();
        if deny == 0 {
            n.cases += 1; // the passing "no deny finding" case
        }
    }
    if let Some(p) = json.get("policy_findings").and_then(Value::as_array) {
        n.suites += 1;
        n.cases += p.len();
        n.failures += p.iter().filter(|f| f["severity"] == "deny").count();
    }
    let errors = json["errors"].as_array().unwrap().len();
    n.suites += errors;
    n.cases += errors;
    n.errors += errors;
    n
}

#[test]
fn every_sample_has_a_snapshot_in_every_format_and_the_structured_ones_check_out() {
    let validator = sarif_validator();
    for s in SAMPLES {
        let name = Path::new(s)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        let run = run_all(s, &[]);
        assert!(run.code == 0 || run.code == 1, "{s}: exit {}", run.code);

        let sarif: Value = serde_json::from_str(&run.out["sarif"]).unwrap();
        if let Some(v) = &validator {
            validate_sarif(v, &sarif, s);
            // The validator is live: a level SARIF does not know is refused.
            let mut bad = sarif.clone();
            bad["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] =
                "fatal".into();
            assert!(!v.is_valid(&bad), "the schema check accepts anything");
        }
        let findings: usize = run.json["documents"][0]["findings"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            sarif["runs"][0]["results"].as_array().unwrap().len(),
            findings,
            "{s}: one SARIF result per finding"
        );

        assert_eq!(
            parse_junit(&run.out["junit"]),
            expected_junit(&run.json),
            "{s}: JUnit counts"
        );

        let inventory = run.json["documents"][0]["inventory"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(inventory > 0, "{s}: the csv/html run lists components");
        assert_eq!(
            run.out["csv"]
                .split("\r\n")
                .filter(|l| !l.is_empty())
                .count(),
            inventory + 1,
            "{s}: one CSV row per component plus the header"
        );

        for f in FORMATS {
            insta::assert_snapshot!(format!("{name}_{f}"), stable(&run.out[f], &run.json));
        }
    }
}

#[test]
fn waived_findings_are_suppressions_skips_and_shown_as_waived() {
    let dir = tempdir("waived");
    let policy = dir.join("bomvet.toml");
    std::fs::write(
        &policy,
        r#"[[waivers]]
id = "kav-removal"
purl = "pkg:generic/kaspersky/kav-sdk"
reason = "replaced in 7.5; <b>tracked</b> in the removal plan"
approved_by = "CISO"
ticket = "SEC-123"
expires = 2099-01-01

[[waivers]]
id = "stale"
name = "no-such-component"
reason = "left over"
"#,
    )
    .unwrap();
    let policy = policy.to_str().unwrap();
    let run = run_all(
        "samples/mail-gateway-firmware.cdx.json",
        &["--policy", policy, "--today", "2025-06-01"],
    );
    assert_eq!(run.code, 0, "the only deny finding is waived");
    assert_eq!(run.json["summary"]["waived"], 1);
    let lifecycle: Vec<&str> = run.json["policy_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(lifecycle, ["waiver-unused"]);

    let sarif: Value = serde_json::from_str(&run.out["sarif"]).unwrap();
    if let Some(v) = sarif_validator() {
        validate_sarif(&v, &sarif, "waived report");
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(
        suppressed.len(),
        1,
        "only the waived finding, not the waiver-unused one"
    );
    assert_eq!(suppressed[0]["ruleId"], "banned-embedded");
    let s = &suppressed[0]["suppressions"][0];
    assert_eq!(s["kind"], "external");
    assert_eq!(
        s["justification"],
        "replaced in 7.5; <b>tracked</b> in the removal plan"
    );
    let unused = results
        .iter()
        .find(|r| r["ruleId"] == "waiver-unused")
        .expect("the policy finding is a result");
    assert!(
        unused["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("bomvet.toml")
    );

    let n = parse_junit(&run.out["junit"]);
    assert_eq!(n, expected_junit(&run.json));
    assert_eq!(n.failures, 0, "a waived deny finding is not a failure");
    assert_eq!(n.skipped, 1);

    let md = &run.out["markdown"];
    assert!(md.contains("waived by `kav-removal`"), "{md}");
    assert!(md.contains("\\<b\\>tracked"), "{md}");
    assert!(md.contains("`waiver-unused`"), "{md}");

    let html = &run.out["html"];
    assert!(html.contains("deny, waived"));
    assert!(html.contains("&lt;b&gt;tracked"));
    assert!(!html.contains("<b>tracked"));
    assert!(html.contains("waiver-unused"));

    let csv = &run.out["csv"];
    let row = csv
        .lines()
        .find(|l| l.contains(",kav-sdk@8.10.1.1147,"))
        .expect("a row for the SDK");
    assert!(row.contains(",banned-embedded,deny (waived),1,1,"), "{row}");
}

#[test]
fn several_formats_in_one_run_go_where_each_output_says() {
    let dir = tempdir("multi-format");
    let sarif = dir.join("a.sarif");
    let _ = std::fs::remove_file(&sarif);
    let o = bomvet()
        .args(["audit", "--format", "sarif", "--output"])
        .arg(&sarif)
        .args([
            "--format",
            "table",
            "samples/mail-gateway-firmware.cdx.json",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("deny[banned-embedded]"), "{table}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");

    // One format with its output before it, as before several formats were allowed.
    let json = dir.join("r.json");
    let o = bomvet()
        .args(["audit", "-o"])
        .arg(&json)
        .args(["--format", "json", "samples/web-service.spdx"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["schema_version"], "1");
}

#[test]
fn ambiguous_format_and_output_combinations_are_exit_2() {
    let dir = tempdir("multi-format-bad");
    let a = dir.join("a.out");
    let a = a.to_str().unwrap();
    let b = dir.join("b.out");
    let b = b.to_str().unwrap();
    for (args, want) in [
        (vec!["--format", "sarif", "--format", "table"], "stdout"),
        (
            vec!["--output", a, "--format", "sarif", "--format", "json"],
            "before any --format",
        ),
        (vec!["--format", "sarif", "-o", a, "-o", b], "--output"),
        (
            vec!["--format", "sarif", "-o", a, "--format", "json", "-o", a],
            "two formats",
        ),
    ] {
        let o = bomvet()
            .arg("audit")
            .args(&args)
            .arg("samples/web-service.spdx")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

// ---- hostile names ----

const ESC: char = '\u{1b}';

#[test]
fn hostile_names_are_inert_in_the_table() {
    let o = bomvet().args(["audit", HOSTILE]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains(ESC) && !out.contains('\u{7}'), "{out}");
    assert!(out.contains("\\u{1b}[31mRED"), "{out}");
}

#[test]
fn hostile_names_are_inert_in_markdown() {
    let md = &run_all(HOSTILE, &[]).out["markdown"];
    assert!(!md.contains(ESC) && !md.contains('\u{7}'));
    assert!(
        md.contains("\\u\\{1b\\}[31mRED") || md.contains("\\u\\{1b\\}\\[31mRED"),
        "{md}"
    );
    // Every occurrence of markup from a name is backslash-escaped (or inside a code span).
    for needle in ["<img", "<b>", "[click]", "*bold", "`tick"] {
        for (i, _) in md.match_indices(needle) {
            let before = &md[..i];
            let escaped = before.ends_with('\\');
            let in_code = before.matches('`').count() % 2 == 1;
            assert!(escaped || in_code, "live {needle:?} at {i}: {md}");
        }
    }
    assert!(md.contains("\\<img src=x onerror=alert\\(1\\)\\>"), "{md}");
    assert!(md.contains("\\*\\*bold\\*\\*"), "{md}");
    assert!(!md.contains(" @octocat"), "a live mention: {md}");
    assert!(md.contains("@\u{200B}octocat"), "{md}");
    // Line breaks in names are escaped, so no name starts a line (a heading or a list item).
    assert!(md.lines().all(|l| !l.starts_with('\\')), "{md}");
}

#[test]
fn hostile_names_are_inert_in_html() {
    let html = &run_all(HOSTILE, &[]).out["html"];
    assert!(!html.contains(ESC));
    assert!(!html.contains("<img"), "raw img tag");
    assert!(!html.contains("<script"), "a script tag");
    assert!(!html.contains("<b>App"), "raw b tag");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        !html.contains("href=\"javascript"),
        "a live javascript link"
    );
}

#[test]
fn hostile_names_are_inert_in_sarif() {
    let run = run_all(HOSTILE, &[]);
    let text = &run.out["sarif"];
    assert!(!text.contains(ESC), "raw ESC in the file");
    let v: Value = serde_json::from_str(text).unwrap();
    if let Some(val) = sarif_validator() {
        validate_sarif(&val, &v, HOSTILE);
    }
    for r in v["runs"][0]["results"].as_array().unwrap() {
        assert!(
            r["message"].get("markdown").is_none(),
            "only plain-text messages, which viewers never interpret"
        );
    }
    for rule in v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule["help"].get("markdown").is_none());
    }
}

#[test]
fn hostile_names_are_inert_in_junit() {
    let xml = &run_all(HOSTILE, &[]).out["junit"];
    assert!(!xml.contains(ESC) && !xml.contains('\u{7}'));
    let n = parse_junit(xml);
    assert_eq!(n.failures, 1);
    // Only bomvet's own elements: nothing from a name became markup.
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                assert!(
                    [
                        "testsuites",
                        "testsuite",
                        "testcase",
                        "properties",
                        "property",
                        "failure",
                        "error",
                        "skipped",
                        "system-out"
                    ]
                    .contains(&name.as_str()),
                    "unexpected element <{name}>"
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
}

#[test]
fn hostile_names_are_inert_in_csv() {
    let csv = &run_all(HOSTILE, &[]).out["csv"];
    assert!(!csv.contains(ESC));
    let rows: Vec<Vec<String>> = parse_csv(csv);
    let header = &rows[0];
    assert_eq!(header[0], "document");
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would evaluate: {cell:?}"
            );
        }
    }
    let names: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(names.contains(&"'=cmd|' /C calc'!A0"), "{names:?}");
    assert!(names.contains(&"'+1-2"), "{names:?}");
}

/// A small RFC 4180 reader (quoted fields, doubled quotes, CRLF rows).
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

// ---- headless Chromium ----

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BOMVET_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The DOM Chromium builds from the file, or `None` (with a note) when it cannot run.
fn dump_dom(file: &Path) -> Option<String> {
    let Some(bin) = chromium() else {
        eprintln!(
            "note: chromium not found (PATH or BOMVET_CHROMIUM); HTML rendering test skipped"
        );
        return None;
    };
    let profile = tempdir("chromium-profile");
    let mut child = std::process::Command::new(&bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > Duration::from_secs(90) => {
                let _ = child.kill();
                let _ = child.wait();
                eprintln!("note: chromium did not finish within 90 s; HTML rendering test skipped");
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(_) => return None,
        }
    }
    let dom = reader.join().ok()?;
    if dom.trim().is_empty() {
        eprintln!("note: chromium printed no DOM; HTML rendering test skipped");
        return None;
    }
    Some(dom)
}

#[test]
fn the_html_report_renders_in_headless_chromium_with_its_findings() {
    let run = run_all(
        "samples/mail-gateway-firmware.cdx.json",
        &["samples/android-app.cdx.xml"],
    );
    let Some(dom) = dump_dom(&run.files["html"]) else {
        return;
    };
    assert!(dom.contains("id=\"verdict\""), "the page was parsed");
    for d in run.json["documents"].as_array().unwrap() {
        for f in d["findings"].as_array().unwrap() {
            let code = f["code"].as_str().unwrap();
            assert!(dom.contains(code), "{code} missing from the DOM");
            if let Some(r) = f["component"]["ref"].as_str() {
                assert!(dom.contains(r), "{r} missing from the DOM");
            }
        }
    }
    assert!(dom.contains("<svg"), "the charts are in the DOM");
    assert!(!dom.contains("<script"), "no script in the page");

    let hostile = run_all(HOSTILE, &[]);
    let Some(dom) = dump_dom(&hostile.files["html"]) else {
        return;
    };
    assert!(
        dom.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the hostile name is text in the DOM"
    );
    assert!(!dom.contains("<img"), "no element was created from a name");
}
