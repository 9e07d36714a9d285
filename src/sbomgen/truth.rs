//! Checks an audit report against the truth file of a generated document: every planted
//! component must be found with the expected finding code and exposure, and with a valid path
//! (it starts at a root of the document, every step is a relationship of the document, and it
//! ends at the component; empty for an unattached component), and, where the generator knows
//! it, the exact number of distinct root paths.
//!
//! The report is taken as JSON (one entry of `documents` in `bomvet audit --format json`), so
//! what is checked is what the command prints.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde_json::Value;

use super::Planted;
use crate::sbom::{CompId, Document};

/// Read a truth file written by [`super::truth_json`].
pub fn parse(text: &str) -> Result<Vec<Planted>, serde_json::Error> {
    serde_json::from_str(text)
}

/// The verdict on one planted component.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Verdict {
    #[serde(rename = "ref")]
    pub reference: String,
    pub code: String,
    /// A finding with the expected code exists for the component.
    pub found: bool,
    /// Its exposure is the expected one.
    pub exposure_ok: bool,
    /// Its path is valid in the document.
    pub path_ok: bool,
    /// Its path count is the expected one (true when the truth does not say).
    pub paths_ok: bool,
    /// What is wrong, in words (empty when everything holds).
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check `report` (one document of the JSON report) against `planted`; `doc` is the same
/// document as bomvet reads it, for the edges and roots.
pub fn check(planted: &[Planted], doc: &Document, report: &Value) -> Vec<Verdict> {
    let mut ids: FxHashMap<&str, CompId> = FxHashMap::default();
    for (i, c) in doc.components.iter().enumerate() {
        ids.entry(c.bom_ref.as_str()).or_insert(i as CompId);
    }
    let edges: FxHashSet<(CompId, CompId)> =
        doc.relationships.iter().map(|r| (r.from, r.to)).collect();
    let roots: FxHashSet<CompId> = doc.roots.iter().copied().collect();
    let findings: &[Value] = report
        .get("findings")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);

    planted
        .iter()
        .map(|p| {
            let mut v = Verdict {
                reference: p.reference.clone(),
                code: p.code.clone(),
                found: false,
                exposure_ok: false,
                path_ok: false,
                paths_ok: false,
                problems: Vec::new(),
            };
            let finding = findings.iter().find(|f| {
                f.pointer("/component/ref").and_then(Value::as_str) == Some(&p.reference)
                    && f.get("code").and_then(Value::as_str) == Some(&p.code)
            });
            let Some(f) = finding else {
                let got: Vec<&str> = findings
                    .iter()
                    .filter(|f| {
                        f.pointer("/component/ref").and_then(Value::as_str) == Some(&p.reference)
                    })
                    .filter_map(|f| f.get("code").and_then(Value::as_str))
                    .collect();
                v.problems.push(format!(
                    "no {} finding (found: {})",
                    p.code,
                    if got.is_empty() {
                        "none".to_string()
                    } else {
                        got.join(", ")
                    }
                ));
                return v;
            };
            v.found = true;
            let exposure = f.get("exposure").and_then(Value::as_str).unwrap_or("");
            v.exposure_ok = exposure == p.exposure;
            if !v.exposure_ok {
                v.problems
                    .push(format!("exposure {exposure}, expected {}", p.exposure));
            }
            let path: Vec<&str> = f
                .get("path")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match path_problem(&path, &p.reference, &ids, &edges, &roots, p.path.is_empty()) {
                None => v.path_ok = true,
                Some(problem) => v.problems.push(problem),
            }
            if !p.path.is_empty() && path.len() != p.path.len() {
                v.path_ok = false;
                v.problems.push(format!(
                    "path of {} steps, the shortest has {}",
                    path.len().saturating_sub(1),
                    p.path.len() - 1
                ));
            }
            let paths = f.get("paths").and_then(Value::as_u64);
            v.paths_ok = p.paths.is_none() || paths == p.paths;
            if !v.paths_ok {
                v.problems
                    .push(format!("paths {paths:?}, expected {:?}", p.paths));
            }
            v
        })
        .collect()
}

/// Why `path` is not a valid root path to `target` in the document, if it is not.
fn path_problem(
    path: &[&str],
    target: &str,
    ids: &FxHashMap<&str, CompId>,
    edges: &FxHashSet<(CompId, CompId)>,
    roots: &FxHashSet<CompId>,
    unattached: bool,
) -> Option<String> {
    if unattached {
        return (!path.is_empty()).then(|| "a path to an unattached component".to_string());
    }
    let (Some(first), Some(last)) = (path.first(), path.last()) else {
        return Some("no path".into());
    };
    if *last != target {
        return Some(format!("path ends at {last}"));
    }
    let mut prev = None;
    for r in path {
        let Some(&id) = ids.get(r) else {
            return Some(format!("path step {r} is not in the document"));
        };
        match prev {
            None if !roots.contains(&id) => {
                return Some(format!("path starts at {first}, not a root"))
            }
            Some(p) if !edges.contains(&(p, id)) => {
                return Some(format!("path step to {r} is not a relationship"))
            }
            _ => {}
        }
        prev = Some(id);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::{read_bytes, ReadOptions};
    use crate::sbomgen::{generate, GenFormat};

    fn finding(reference: &str, code: &str, exposure: &str, path: &[String]) -> Value {
        serde_json::json!({
            "code": code, "exposure": exposure, "path": path,
            "component": {"ref": reference, "name": "x"},
        })
    }

    fn setup() -> (Vec<Planted>, Document) {
        let g = generate(GenFormat::CdxJson, 400, 9);
        let d = read_bytes("t", g.text.as_bytes(), &ReadOptions::default()).unwrap();
        (g.planted, d)
    }

    #[test]
    fn the_generators_own_paths_pass_the_check() {
        let (planted, doc) = setup();
        let findings: Vec<Value> = planted
            .iter()
            .map(|p| finding(&p.reference, &p.code, &p.exposure, &p.path))
            .collect();
        let verdicts = check(&planted, &doc, &serde_json::json!({ "findings": findings }));
        assert!(verdicts.iter().all(Verdict::ok), "{verdicts:?}");
    }

    #[test]
    fn a_wrong_code_a_broken_path_or_a_wrong_exposure_fail() {
        let (planted, doc) = setup();
        let attached: Vec<&Planted> = planted.iter().filter(|p| p.path.len() > 2).collect();
        let (a, b, c) = (attached[0], attached[1], attached[2]);
        let mut skipped = b.path.clone();
        skipped.remove(1); // no longer a chain of relationships
        let findings = vec![
            finding(&a.reference, "review-vendor", &a.exposure, &a.path),
            finding(&b.reference, &b.code, &b.exposure, &skipped),
            finding(&c.reference, &c.code, "unattached", &c.path),
        ];
        let report = serde_json::json!({ "findings": findings });
        let verdicts = check(&[a.clone(), b.clone(), c.clone()], &doc, &report);
        assert!(!verdicts[0].found);
        assert!(
            verdicts[1].found && !verdicts[1].path_ok,
            "{:?}",
            verdicts[1]
        );
        assert!(verdicts[2].path_ok && !verdicts[2].exposure_ok);
        assert!(verdicts.iter().all(|v| !v.ok()));
    }

    #[test]
    fn truth_file_round_trips() {
        let g = generate(GenFormat::SpdxTagValue, 120, 2);
        assert_eq!(parse(&crate::sbomgen::truth_json(&g)).unwrap(), g.planted);
    }
}
