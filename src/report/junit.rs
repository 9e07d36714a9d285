//! The JUnit XML report: what GitLab (`artifacts:reports:junit`), Jenkins (the JUnit plug-in)
//! and Azure DevOps (`PublishTestResults@2`, format JUnit) show as test results.
//!
//! One `<testsuite>` per document, one `<testcase>` per finding, and one passing test case
//! `no deny finding` for a document without (unwaived) deny findings, so a clean document still
//! shows as a passed check. A deny finding is a `<failure>`; warn and info findings pass and
//! carry their details in `<system-out>` (all three services show it on the test case); a
//! waived finding is `<skipped>` with the waiver, visible but not failing. An input that could
//! not be read is its own suite with an `<error>`; findings about the policy itself (waiver
//! lifecycle) form a `policy` suite. No timestamps or durations: the output is deterministic.

use std::fmt::Write;

use super::escape::xml;
use super::{Finding, Report};
use crate::policy::Level;

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.tests += o.tests;
        self.failures += o.failures;
        self.errors += o.errors;
        self.skipped += o.skipped;
    }
}

/// Render the report as JUnit XML.
pub fn render(report: &Report) -> String {
    let mut suites = String::new();
    let mut total = Counts::default();
    for d in &report.documents {
        let mut body = String::new();
        let mut n = Counts::default();
        let _ = writeln!(body, "    <properties>");
        let mut props = vec![
            ("format", d.format.clone()),
            ("spec-version", d.spec_version.clone()),
            ("components", d.components.to_string()),
            ("attributed", d.summary.attributed.to_string()),
            ("verdict", d.summary.verdict.clone()),
        ];
        if let Some(s) = &d.submission {
            props.push(("submitting-vendor", s.vendor.clone()));
            props.push(("product", s.product.clone()));
        }
        for (k, v) in props {
            let _ = writeln!(body, "      <property name=\"{k}\" value=\"{}\"/>", xml(&v));
        }
        let _ = writeln!(body, "    </properties>");
        for f in &d.findings {
            testcase(&mut body, f, &d.source, &mut n);
        }
        let denied = d
            .findings
            .iter()
            .any(|f| f.severity == Level::Deny && !f.is_waived());
        if !denied {
            n.tests += 1;
            let _ = writeln!(
                body,
                "    <testcase name=\"no deny finding\" classname=\"bomvet.verdict\" file=\"{}\"/>",
                xml(&d.source)
            );
        }
        suite(&mut suites, &d.source, &n, &body);
        total.add(&n);
    }
    if !report.policy_findings.is_empty() {
        let mut body = String::new();
        let mut n = Counts::default();
        let file = report.policy.source.as_deref().unwrap_or("policy");
        for f in &report.policy_findings {
            testcase(&mut body, f, file, &mut n);
        }
        suite(&mut suites, "policy", &n, &body);
        total.add(&n);
    }
    for e in &report.errors {
        let n = Counts {
            tests: 1,
            errors: 1,
            ..Counts::default()
        };
        let mut body = String::new();
        let _ = writeln!(
            body,
            "    <testcase name=\"read and audit\" classname=\"bomvet.input\" file=\"{}\">",
            xml(&e.source)
        );
        let _ = writeln!(
            body,
            "      <error message=\"{}\" type=\"{}\">{}</error>",
            xml(&e.message),
            xml(&e.kind),
            xml(&e.message)
        );
        let _ = writeln!(body, "    </testcase>");
        suite(&mut suites, &e.source, &n, &body);
        total.add(&n);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"bomvet audit\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        total.tests, total.failures, total.errors, total.skipped
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}

fn suite(out: &mut String, name: &str, n: &Counts, body: &str) {
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        xml(name),
        n.tests,
        n.failures,
        n.errors,
        n.skipped
    );
    out.push_str(body);
    let _ = writeln!(out, "  </testsuite>");
}

/// The test case name: code, then component (ref) and vendor, so the same finding keeps its
/// name from run to run and the CI services can track it.
fn case_name(f: &Finding) -> String {
    let mut name = f.code.as_str().to_string();
    if let Some(c) = &f.component {
        let _ = write!(name, ": {}", c.bom_ref);
    }
    if let Some(v) = &f.vendor {
        let _ = write!(name, " ({})", v.id);
    }
    name
}

/// Everything a reader needs about a finding, as plain text.
fn details(f: &Finding) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}[{}]: {}", f.severity, f.code.as_str(), f.message);
    if let Some(v) = &f.vendor {
        let _ = write!(s, "vendor: {} ({})", v.name, v.id);
        if let Some(c) = &v.country {
            let _ = write!(s, ", country {c}");
        }
        s.push('\n');
    }
    if let Some(c) = &f.component {
        let _ = write!(s, "component: {}", c.name);
        if let Some(v) = &c.version {
            let _ = write!(s, " {v}");
        }
        let _ = write!(s, " (ref {})", c.bom_ref);
        if let Some(p) = &c.purl {
            let _ = write!(s, ", {p}");
        }
        if let Some(l) = &c.location {
            let _ = write!(s, ", at {l}");
        }
        s.push('\n');
    }
    if !f.path.is_empty() {
        let mut line = String::from("path: ");
        for (i, step) in f.path.iter().enumerate() {
            if i > 0 {
                let edge = f.path_edges.get(i - 1).map_or("->", String::as_str);
                let _ = write!(line, " -[{edge}]-> ");
            }
            line.push_str(step);
        }
        let _ = writeln!(s, "{line}");
    }
    for e in &f.evidence {
        let _ = writeln!(
            s,
            "evidence: {} = {} matches {} ({}, {})",
            e.field, e.value, e.rule, e.confidence, e.status
        );
    }
    for c in &f.citations {
        let _ = write!(s, "designation: {} ({})", c.id, c.title);
        if let Some(e) = &c.effective {
            let _ = write!(s, ", effective {e}");
        }
        s.push('\n');
    }
    if let Some(w) = &f.waiver {
        if f.is_waived() {
            let _ = write!(s, "waived by {}: {}", w.id, w.reason);
        } else {
            let _ = write!(s, "waiver {}: {}", w.id, w.reason);
        }
        if let Some(l) = &w.location {
            let _ = write!(s, " ({l})");
        }
        if let Some(a) = &w.approved_by {
            let _ = write!(s, "; approved by {a}");
        }
        if let Some(t) = &w.ticket {
            let _ = write!(s, "; ticket {t}");
        }
        if let Some(e) = &w.expires {
            let _ = write!(s, "; expires {e}");
        }
        s.push('\n');
    }
    s
}

fn testcase(out: &mut String, f: &Finding, file: &str, n: &mut Counts) {
    n.tests += 1;
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"bomvet.{}\" file=\"{}\">",
        xml(&case_name(f)),
        f.code.as_str(),
        xml(file)
    );
    // Line by line: the line breaks between the details stay line breaks.
    let text = details(f).lines().map(xml).collect::<Vec<_>>().join("\n");
    if let Some(w) = f.waiver.as_ref().filter(|_| f.is_waived()) {
        n.skipped += 1;
        let _ = writeln!(
            out,
            "      <skipped message=\"{}\"/>",
            xml(&format!("waived by {}: {}", w.id, w.reason))
        );
        let _ = writeln!(out, "      <system-out>{text}</system-out>");
    } else if f.severity == Level::Deny {
        n.failures += 1;
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{text}</failure>",
            xml(&f.message),
            f.code.as_str()
        );
    } else {
        let _ = writeln!(out, "      <system-out>{text}</system-out>");
    }
    let _ = writeln!(out, "    </testcase>");
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{document, finding, report};
    use super::super::{ErrorEntry, WaiverRef};
    use super::*;
    use crate::policy::Code;

    #[test]
    fn deny_fails_warn_passes_waived_skips_and_errors_error() {
        let mut waived = finding(Code::BannedVendor, Level::Deny, "w");
        waived.waiver = Some(WaiverRef {
            id: "w1".into(),
            reason: "ok until replaced".into(),
            approved_by: None,
            ticket: None,
            expires: None,
            location: None,
        });
        let failing = document(
            "a.spdx",
            vec![
                finding(Code::BannedVendor, Level::Deny, "x"),
                finding(Code::ReviewVendor, Level::Warn, "y"),
            ],
        );
        let waived_only = document("b.spdx", vec![waived]);
        let clean = document("c.spdx", Vec::new());
        let mut r = report(vec![failing, waived_only, clean]);
        r.errors.push(ErrorEntry {
            source: "bad.json".into(),
            kind: "syntax".into(),
            message: "unexpected end".into(),
            submission: None,
        });
        let x = render(&r);
        assert!(
            x.contains(
                r#"<testsuites name="bomvet audit" tests="6" failures="1" errors="1" skipped="1">"#
            ),
            "{x}"
        );
        assert!(
            x.contains(
                r#"<testsuite name="a.spdx" tests="2" failures="1" errors="0" skipped="0">"#
            ),
            "{x}"
        );
        // A waived deny and a clean document each get the passing verdict case.
        assert!(
            x.contains(
                r#"<testsuite name="b.spdx" tests="2" failures="0" errors="0" skipped="1">"#
            ),
            "{x}"
        );
        assert!(
            x.contains(
                r#"<testsuite name="c.spdx" tests="1" failures="0" errors="0" skipped="0">"#
            ),
            "{x}"
        );
        assert!(
            x.contains(r#"<skipped message="waived by w1: ok until replaced"/>"#),
            "{x}"
        );
        assert!(
            x.contains(r#"<error message="unexpected end" type="syntax">"#),
            "{x}"
        );
        assert!(x.contains("<system-out>warn[review-vendor]"), "{x}");
    }
}
