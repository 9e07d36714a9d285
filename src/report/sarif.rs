//! The SARIF 2.1.0 log: what code-scanning services (GitHub code scanning, Azure DevOps, GitLab
//! through converters, IDE viewers) read.
//!
//! One run; one rule per finding code, with its help text; one result per finding, located in
//! the SBOM file it came from (the line when the reader knows it, the JSON pointer of the
//! component as a logical location) with the path from the root as a code flow. Waived findings
//! are results with an external, accepted suppression whose justification is the waiver's
//! reason. Inputs that could not be read are error notifications of the invocation. Registry and
//! policy go in the run's properties. Only plain-text messages are written (no Markdown
//! messages), so nothing from a document is ever interpreted by a viewer.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{Finding, Report};
use crate::policy::{Code, Level};

/// The SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";

/// Render the report as a SARIF 2.1.0 log (pretty JSON, final newline).
pub fn render(report: &Report) -> String {
    let rules = rule_codes(report);
    let mut results = Vec::new();
    for d in &report.documents {
        for f in &d.findings {
            results.push(result(f, &d.source, &rules));
        }
    }
    let policy_file = report.policy.source.as_deref();
    for f in &report.policy_findings {
        let file = f
            .waiver
            .as_ref()
            .and_then(|w| w.location.as_deref())
            .map(split_location)
            .map(|(file, _)| file)
            .or(policy_file);
        results.push(result(f, file.unwrap_or(""), &rules));
    }
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", e.kind, e.message) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": uri(&e.source) } }
                }],
                "properties": { "kind": e.kind },
            })
        })
        .collect();
    let mut artifacts: Vec<Value> = Vec::new();
    for d in &report.documents {
        let mut props = Map::new();
        props.insert("format".into(), d.format.clone().into());
        props.insert("specVersion".into(), d.spec_version.clone().into());
        props.insert("components".into(), d.components.into());
        props.insert("attributed".into(), d.summary.attributed.into());
        props.insert("verdict".into(), d.summary.verdict.clone().into());
        if let Some(s) = &d.submission {
            props.insert("submission".into(), json!(s));
        }
        artifacts.push(json!({
            "location": { "uri": uri(&d.source) },
            "roles": ["analysisTarget"],
            "properties": props,
        }));
    }
    let log = json!({
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "bomvet",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|c| rule(c)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {
                "registry": report.registry,
                "policy": report.policy,
                "summary": report.summary,
            },
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// Every known code (so rule indexes are stable from run to run), then any other code a
/// finding carries, in order.
fn rule_codes(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let all = report
        .documents
        .iter()
        .flat_map(|d| d.findings.iter())
        .chain(report.policy_findings.iter());
    for f in all {
        let code = f.code.as_str();
        if !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
    }
    out
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Info | Level::Allow => "note",
    }
}

/// Short and full help for a code, in bomvet's words (docs/codes.md has the long form).
fn help(code: &str) -> (&'static str, &'static str) {
    match code {
        "banned-vendor" => (
            "Component from a banned vendor",
            "The component is developed or provided by a vendor that an enforced designation reaches, on confirmed evidence of at least medium confidence. Remove or replace it, or record a waiver with a reason in the policy file.",
        ),
        "banned-embedded" => (
            "Banned vendor's code embedded in another component",
            "A banned vendor's component sits inside another component (contains, static link or pedigree below the root), or the component is a third-party product that embedded the vendor's engine, under a registry OEM relation, at a version or date inside the period it did. Embedded code is covered by the same designations as the vendor's own products.",
        ),
        "conditional-vendor" => (
            "Vendor designated only for certain uses",
            "The vendor is designated only for certain uses (Section 889 for Hytera, Hikvision and Dahua: public safety, security of government facilities, surveillance of critical infrastructure, other national-security purposes), and the declared use context includes none of them. Declare the use context in the policy (or --use-context) to make it a ban.",
        ),
        "review-vendor" => (
            "Designated vendor matched, not firmly enough for a ban",
            "A designated vendor is matched, but on unconfirmed or weak evidence, or the matched product is outside every designation of the vendor. Someone should look at the evidence and decide.",
        ),
        "review-oem" => (
            "Product that embedded a designated vendor's engine in some versions",
            "The component matches a product that embedded a designated vendor's engine in some versions or years, and its version cannot be placed inside or outside that period. Check the version.",
        ),
        "oem-outside-period" => (
            "Product outside the period it embedded a designated engine",
            "The component matches a product that embedded a designated vendor's engine, at a version or date outside the period it did.",
        ),
        "adversary-country" => (
            "Vendor from a country of concern",
            "The component's vendor has no enforced designation, but its country of origin is a country of concern (by default the foreign adversaries of 15 CFR 791.4; countries_of_concern in the policy changes the list).",
        ),
        "vendor-conflict" => (
            "Evidence names several vendors",
            "The component's evidence names different vendors with comparable support; bomvet reports the conflict rather than picking one.",
        ),
        "country-conflict" => (
            "Declared country differs from the registry's",
            "The country declared in the SBOM differs from the registry's country for the matched vendor; both are shown with the one used.",
        ),
        "unknown-vendor" => (
            "Components whose vendor matches no registry entry",
            "How many components carry vendor fields that match no registry vendor: the share of the document bomvet could not attribute. Raise it to deny to gate on attribution coverage.",
        ),
        "waiver-expired" => (
            "Expired waiver",
            "A waiver in the policy file is past its expiry date: it no longer waives anything. Renew it with a new date and reason, or remove it.",
        ),
        "waiver-expiring" => (
            "Waiver expiring soon",
            "A waiver in the policy file expires within 30 days.",
        ),
        "waiver-unused" => (
            "Waiver that matched nothing",
            "A waiver in the policy file matched no finding in this run; it may be stale.",
        ),
        _ => (
            "bomvet finding",
            "See docs/codes.md for what this finding code means.",
        ),
    }
}

fn rule(code: &str) -> Value {
    let (short, full) = help(code);
    let default = Code::parse(code).map_or(Level::Warn, Code::default_level);
    let name: String = code
        .split('-')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect();
    json!({
        "id": code,
        "name": name,
        "shortDescription": { "text": short },
        "fullDescription": { "text": full },
        "help": { "text": format!("{full} Finding code {code}; docs/codes.md describes every code.") },
        "defaultConfiguration": { "level": level(default) },
        "properties": { "tags": ["supply-chain", "sbom", "security"] },
    })
}

/// `file:line` (a waiver's location) into its parts.
fn split_location(s: &str) -> (&str, Option<u64>) {
    match s.rsplit_once(':') {
        Some((f, l)) => match l.parse::<u64>() {
            Ok(n) => (f, Some(n)),
            Err(_) => (s, None),
        },
        None => (s, None),
    }
}

/// The input as given, as a URI reference: characters a URI cannot hold are percent-encoded,
/// backslashes become slashes, and `-` (stdin) stays `-`.
fn uri(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for b in source.bytes() {
        match b {
            b'\\' => out.push('/'),
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            // A colon is kept only where it cannot be read as a scheme (after a slash).
            b':' if out.contains('/') => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn result(f: &Finding, source: &str, rules: &[String]) -> Value {
    let code = f.code.as_str();
    let index = rules.iter().position(|r| r == code).unwrap_or(0);
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": uri(source) }));
    let mut logical: Vec<Value> = Vec::new();
    if let Some(c) = &f.component {
        match c.location.as_deref() {
            Some(l) if l.starts_with("line ") => {
                if let Ok(n) = l.trim_start_matches("line ").parse::<u64>() {
                    if n > 0 {
                        physical.insert("region".into(), json!({ "startLine": n }));
                    }
                }
            }
            Some(pointer) => logical.push(json!({
                "name": c.bom_ref,
                "fullyQualifiedName": pointer,
                "kind": "element",
            })),
            None => {}
        }
        if logical.is_empty() {
            logical.push(json!({ "name": c.bom_ref, "kind": "element" }));
        }
    } else if let Some((_, Some(n))) = f
        .waiver
        .as_ref()
        .and_then(|w| w.location.as_deref())
        .map(split_location)
    {
        if n > 0 {
            physical.insert("region".into(), json!({ "startLine": n }));
        }
    }
    let mut location = Map::new();
    if !source.is_empty() {
        location.insert("physicalLocation".into(), Value::Object(physical));
    }
    if !logical.is_empty() {
        location.insert("logicalLocations".into(), Value::Array(logical));
    }
    let mut r = Map::new();
    r.insert("ruleId".into(), code.into());
    r.insert("ruleIndex".into(), index.into());
    r.insert("level".into(), level(f.severity).into());
    r.insert("message".into(), json!({ "text": f.message }));
    if !location.is_empty() {
        r.insert("locations".into(), json!([Value::Object(location)]));
    }
    if f.path.len() > 1 {
        let steps: Vec<Value> = f
            .path
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let text = match i.checked_sub(1).and_then(|e| f.path_edges.get(e)) {
                    Some(edge) => format!("{edge} {step}"),
                    None => format!("root {step}"),
                };
                json!({
                    "location": {
                        "logicalLocations": [{ "name": step, "kind": "element" }],
                        "message": { "text": text },
                    },
                    "nestingLevel": i,
                    "executionOrder": i + 1,
                })
            })
            .collect();
        r.insert(
            "codeFlows".into(),
            json!([{
                "message": { "text": format!("shortest path from a root ({} path(s) in all)", f.paths.unwrap_or(1)) },
                "threadFlows": [{ "locations": steps }],
            }]),
        );
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ "bomvetFinding/v1": fingerprint(f, source) }),
    );
    if let Some(w) = f.waiver.as_ref().filter(|_| f.is_waived()) {
        let mut props = Map::new();
        props.insert("waiver".into(), w.id.clone().into());
        if let Some(a) = &w.approved_by {
            props.insert("approvedBy".into(), a.clone().into());
        }
        if let Some(t) = &w.ticket {
            props.insert("ticket".into(), t.clone().into());
        }
        if let Some(e) = &w.expires {
            props.insert("expires".into(), e.clone().into());
        }
        let mut s = Map::new();
        s.insert("kind".into(), "external".into());
        s.insert("status".into(), "accepted".into());
        s.insert("justification".into(), w.reason.clone().into());
        if let Some(l) = &w.location {
            let (file, line) = split_location(l);
            let mut phys = json!({ "artifactLocation": { "uri": uri(file) } });
            if let Some(n) = line.filter(|n| *n > 0) {
                phys["region"] = json!({ "startLine": n });
            }
            s.insert("location".into(), json!({ "physicalLocation": phys }));
        }
        s.insert("properties".into(), Value::Object(props));
        r.insert("suppressions".into(), json!([Value::Object(s)]));
    }
    let mut props = Map::new();
    props.insert("severity".into(), f.severity.as_str().into());
    for (k, v) in [
        ("vendor", serde_json::to_value(&f.vendor)),
        ("component", serde_json::to_value(&f.component)),
        ("exposure", serde_json::to_value(&f.exposure)),
        ("confidence", serde_json::to_value(&f.confidence)),
        ("entity", serde_json::to_value(&f.entity)),
        ("product", serde_json::to_value(&f.product)),
        ("oem", serde_json::to_value(&f.oem)),
        ("country", serde_json::to_value(&f.country)),
    ] {
        if let Ok(v) = v {
            if !v.is_null() {
                props.insert(k.into(), v);
            }
        }
    }
    if !f.designations.is_empty() {
        props.insert("designations".into(), json!(f.designations));
    }
    if !f.citations.is_empty() {
        props.insert("citations".into(), json!(f.citations));
    }
    if !f.evidence.is_empty() {
        props.insert("evidence".into(), json!(f.evidence));
    }
    if !f.roots.is_empty() {
        props.insert("roots".into(), json!(f.roots));
    }
    if let Some(w) = f.waiver.as_ref().filter(|_| !f.is_waived()) {
        props.insert("waiver".into(), json!(w));
    }
    props.insert("tags".into(), json!(["sbom", code]));
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

/// Stable across runs and line moves: the document, code, component ref and vendor.
fn fingerprint(f: &Finding, source: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        source,
        f.code.as_str(),
        f.component.as_ref().map_or("", |c| c.bom_ref.as_str()),
        f.vendor.as_ref().map_or("", |v| v.id.as_str()),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{document, finding, report};
    use super::super::{ErrorEntry, WaiverRef};
    use super::*;

    #[test]
    fn a_line_location_is_a_region_and_a_pointer_a_logical_location() {
        let mut f = finding(Code::BannedVendor, Level::Deny, "x");
        let mut g = finding(Code::ReviewVendor, Level::Warn, "y");
        g.component.as_mut().unwrap().location = Some("/components/3".into());
        f.waiver = Some(WaiverRef {
            id: "w".into(),
            reason: "approved exception".into(),
            approved_by: None,
            ticket: None,
            expires: None,
            location: Some("bomvet.toml:4".into()),
        });
        let mut r = report(vec![document("dir/a b.spdx", vec![f, g])]);
        r.errors.push(ErrorEntry {
            source: "bad.json".into(),
            kind: "syntax".into(),
            message: "bad".into(),
            submission: None,
        });
        let v: Value = serde_json::from_str(&render(&r)).unwrap();
        let run = &v["runs"][0];
        let res = run["results"].as_array().unwrap();
        let loc = &res[0]["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "dir/a%20b.spdx"
        );
        assert_eq!(loc["physicalLocation"]["region"]["startLine"], 7);
        assert_eq!(res[0]["level"], "error");
        assert_eq!(res[0]["suppressions"][0]["kind"], "external");
        assert_eq!(
            res[0]["suppressions"][0]["justification"],
            "approved exception"
        );
        let loc = &res[1]["locations"][0];
        assert!(loc["physicalLocation"].get("region").is_none());
        assert_eq!(
            loc["logicalLocations"][0]["fullyQualifiedName"],
            "/components/3"
        );
        assert!(res[1].get("suppressions").is_none());
        let steps = &res[0]["codeFlows"][0]["threadFlows"][0]["locations"];
        assert_eq!(steps.as_array().unwrap().len(), 2);
        assert_eq!(steps[1]["location"]["message"]["text"], "depends-on x");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(
            rules[res[1]["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "review-vendor"
        );
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(
            run["invocations"][0]["toolExecutionNotifications"][0]["level"],
            "error"
        );
        assert_eq!(run["properties"]["registry"]["digest"], "sha256:00");
    }

    #[test]
    fn uri_encodes_spaces_and_keeps_relative_paths() {
        assert_eq!(uri("samples/a b.json"), "samples/a%20b.json");
        assert_eq!(uri("dir\\x.json"), "dir/x.json");
        assert_eq!(uri("-"), "-");
        assert_eq!(uri("c:x"), "c%3Ax");
        assert_eq!(uri("a/c:x"), "a/c:x");
    }

    #[test]
    fn waiver_locations_split_on_the_last_colon() {
        assert_eq!(split_location("bomvet.toml:12"), ("bomvet.toml", Some(12)));
        assert_eq!(split_location("bomvet.toml"), ("bomvet.toml", None));
    }

    #[test]
    fn every_known_code_has_its_own_help() {
        for c in Code::ALL {
            assert_ne!(help(c.as_str()).0, "bomvet finding", "{}", c.as_str());
        }
    }
}
