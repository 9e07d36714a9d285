//! The sample SBOMs under `samples/`: each one must read with `bomvet inspect --format json`
//! without errors or warnings, and bomvet's component count and roots must agree with a count
//! and a root taken here, independently of bomvet's readers, from the raw JSON / XML /
//! tag-value text. Every file in `samples/` (but the README) must be listed here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use quick_xml::events::Event;
use serde_json::Value;

/// How to count a sample independently of bomvet.
#[derive(Clone, Copy)]
enum Raw {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
    Spdx3JsonLd,
}

struct Sample {
    file: &'static str,
    format: &'static str,
    spec_version: &'static str,
    raw: Raw,
}

const SAMPLES: &[Sample] = &[
    Sample {
        file: "mail-gateway-firmware.cdx.json",
        format: "cyclonedx-json",
        spec_version: "1.6",
        raw: Raw::CycloneDxJson,
    },
    Sample {
        file: "rmm-platform.spdx.json",
        format: "spdx-json",
        spec_version: "2.3",
        raw: Raw::SpdxJson,
    },
    Sample {
        file: "android-app.cdx.xml",
        format: "cyclonedx-xml",
        spec_version: "1.6",
        raw: Raw::CycloneDxXml,
    },
    Sample {
        file: "vms-server.cdx.json",
        format: "cyclonedx-json",
        spec_version: "1.5",
        raw: Raw::CycloneDxJson,
    },
    Sample {
        file: "web-service.spdx",
        format: "spdx-tag-value",
        spec_version: "2.3",
        raw: Raw::SpdxTagValue,
    },
    Sample {
        file: "near-misses.cdx.json",
        format: "cyclonedx-json",
        spec_version: "1.5",
        raw: Raw::CycloneDxJson,
    },
    Sample {
        file: "juniper-srx-oem.cdx.json",
        format: "cyclonedx-json",
        spec_version: "1.6",
        raw: Raw::CycloneDxJson,
    },
    Sample {
        file: "spdx3-edge-gateway.spdx3.json",
        format: "spdx3-json-ld",
        spec_version: "3.0.1",
        raw: Raw::Spdx3JsonLd,
    },
];

/// What the raw document says: its inventory, its declared roots and its edges (from, to).
struct RawFacts {
    components: BTreeSet<String>,
    roots: Vec<String>,
    edges: Vec<(String, String)>,
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn cdx_walk(list: &Value, parent: Option<&str>, facts: &mut RawFacts) {
    for c in list.as_array().into_iter().flatten() {
        let r = str_of(c, "bom-ref").to_string();
        if let Some(p) = parent {
            facts.edges.push((p.to_string(), r.clone()));
        }
        if let Some(nested) = c.get("components") {
            cdx_walk(nested, Some(&r), facts);
        }
        facts.components.insert(r);
    }
}

fn cyclonedx_json(text: &str) -> RawFacts {
    let v: Value = serde_json::from_str(text).expect("sample is JSON");
    let mut facts = RawFacts {
        components: BTreeSet::new(),
        roots: vec![str_of(&v["metadata"]["component"], "bom-ref").to_string()],
        edges: Vec::new(),
    };
    cdx_walk(&v["components"], None, &mut facts);
    for d in v["dependencies"].as_array().into_iter().flatten() {
        for to in d["dependsOn"].as_array().into_iter().flatten() {
            let to = to.as_str().unwrap_or_default();
            facts.edges.push((str_of(d, "ref").into(), to.into()));
        }
    }
    facts
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

fn cyclonedx_xml(text: &str) -> RawFacts {
    let mut facts = RawFacts {
        components: BTreeSet::new(),
        roots: Vec::new(),
        edges: Vec::new(),
    };
    let mut reader = quick_xml::Reader::from_str(text);
    // Element names of the open elements, and the bom-ref of each open <component>/<dependency>.
    let mut stack: Vec<String> = Vec::new();
    let mut refs: Vec<Option<String>> = Vec::new();
    loop {
        let (e, empty) = match reader.read_event().expect("sample is well-formed XML") {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                refs.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let in_metadata = stack.iter().any(|s| s == "metadata");
        let this_ref = match name.as_str() {
            "component" if stack.last().map(String::as_str) == Some("metadata") => {
                let r = attr(&e, b"bom-ref");
                facts.roots.extend(r.clone());
                r
            }
            "component"
                if !in_metadata && stack.last().map(String::as_str) == Some("components") =>
            {
                let r = attr(&e, b"bom-ref").unwrap_or_default();
                // The enclosing <components> carries its parent <component>'s ref (None at the top).
                let parent = refs.last().cloned().flatten();
                if let Some(p) = parent {
                    facts.edges.push((p, r.clone()));
                }
                facts.components.insert(r.clone());
                Some(r)
            }
            "dependency" => {
                let r = attr(&e, b"ref");
                if let Some(Some(from)) = refs.last() {
                    if stack.last().map(String::as_str) == Some("dependency") {
                        facts
                            .edges
                            .push((from.clone(), r.clone().unwrap_or_default()));
                    }
                }
                r
            }
            _ => refs
                .last()
                .cloned()
                .flatten()
                .filter(|_| name == "components"),
        };
        if !empty {
            stack.push(name);
            refs.push(this_ref);
        }
    }
    facts
}

/// SPDX 2 relationship types whose edge runs from the related element to the element.
fn spdx2_edge(a: &str, ty: &str, b: &str) -> Option<(String, String)> {
    match ty {
        "DESCRIBES" => None,
        t if t.ends_with("_OF") || t.ends_with("_BY") => Some((b.into(), a.into())),
        _ => Some((a.into(), b.into())),
    }
}

fn spdx_json(text: &str) -> RawFacts {
    let v: Value = serde_json::from_str(text).expect("sample is JSON");
    let mut facts = RawFacts {
        components: BTreeSet::new(),
        roots: Vec::new(),
        edges: Vec::new(),
    };
    for key in ["packages", "files", "snippets"] {
        for p in v[key].as_array().into_iter().flatten() {
            facts.components.insert(str_of(p, "SPDXID").into());
        }
    }
    for r in v["relationships"].as_array().into_iter().flatten() {
        let (a, ty, b) = (
            str_of(r, "spdxElementId"),
            str_of(r, "relationshipType"),
            str_of(r, "relatedSpdxElement"),
        );
        if ty == "DESCRIBES" && a == "SPDXRef-DOCUMENT" {
            facts.roots.push(b.into());
        }
        facts.edges.extend(spdx2_edge(a, ty, b));
    }
    facts
}

fn spdx_tag_value(text: &str) -> RawFacts {
    let mut facts = RawFacts {
        components: BTreeSet::new(),
        roots: Vec::new(),
        edges: Vec::new(),
    };
    // The SPDXID line that follows a PackageName / FileName line names that element.
    let mut element_open = false;
    for line in text.lines() {
        if line.starts_with("PackageName:") || line.starts_with("FileName:") {
            element_open = true;
        } else if let Some(id) = line.strip_prefix("SPDXID:") {
            if element_open {
                facts.components.insert(id.trim().into());
                element_open = false;
            }
        } else if let Some(rel) = line.strip_prefix("Relationship:") {
            let parts: Vec<&str> = rel.split_whitespace().collect();
            if let [a, ty, b] = parts[..] {
                if ty == "DESCRIBES" && a == "SPDXRef-DOCUMENT" {
                    facts.roots.push(b.into());
                }
                facts.edges.extend(spdx2_edge(a, ty, b));
            }
        }
    }
    facts
}

fn spdx3_json_ld(text: &str) -> RawFacts {
    let v: Value = serde_json::from_str(text).expect("sample is JSON");
    let mut facts = RawFacts {
        components: BTreeSet::new(),
        roots: Vec::new(),
        edges: Vec::new(),
    };
    let graph = v["@graph"].as_array().cloned().unwrap_or_default();
    for el in &graph {
        let id = str_of(el, "spdxId");
        match str_of(el, "type") {
            "software_Package" | "software_File" => {
                facts.components.insert(id.into());
            }
            "software_Sbom" => facts.roots.extend(
                el["rootElement"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(String::from),
            ),
            "Relationship" | "LifecycleScopedRelationship" => {
                let from = str_of(el, "from");
                for to in el["to"].as_array().into_iter().flatten() {
                    facts
                        .edges
                        .push((from.into(), to.as_str().unwrap_or_default().into()));
                }
            }
            _ => {}
        }
    }
    facts
}

fn raw_facts(raw: Raw, text: &str) -> RawFacts {
    match raw {
        Raw::CycloneDxJson => cyclonedx_json(text),
        Raw::CycloneDxXml => cyclonedx_xml(text),
        Raw::SpdxJson => spdx_json(text),
        Raw::SpdxTagValue => spdx_tag_value(text),
        Raw::Spdx3JsonLd => spdx3_json_ld(text),
    }
}

fn inspect(path: &Path) -> Value {
    let out = Command::cargo_bin("bomvet")
        .expect("binary builds")
        .args(["inspect", "--format", "json"])
        .arg(path)
        .output()
        .expect("bomvet runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}: stderr: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("inspect prints JSON")
}

#[test]
fn every_sample_file_is_covered_by_this_test() {
    let listed: BTreeSet<&str> = SAMPLES.iter().map(|s| s.file).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(samples_dir())
        .expect("samples/ exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
    assert_eq!(listed, on_disk);
}

#[test]
fn every_sample_reads_without_errors_or_warnings_in_its_declared_format() {
    for s in SAMPLES {
        let report = inspect(&samples_dir().join(s.file));
        assert_eq!(report["errors"], Value::Array(vec![]), "{}", s.file);
        let doc = &report["documents"][0];
        assert_eq!(doc["format"], s.format, "{}", s.file);
        assert_eq!(doc["spec_version"], s.spec_version, "{}", s.file);
        assert_eq!(doc["warnings"], Value::Array(vec![]), "{}", s.file);
        assert_eq!(doc["root_source"], "declared", "{}", s.file);
    }
}

#[test]
fn every_sample_has_the_component_count_and_root_its_raw_text_declares() {
    for s in SAMPLES {
        let path = samples_dir().join(s.file);
        let text = std::fs::read_to_string(&path).expect("sample readable");
        let facts = raw_facts(s.raw, &text);
        let report = inspect(&path);
        let doc = &report["documents"][0];
        assert_eq!(
            doc["components"].as_u64(),
            Some(facts.components.len() as u64),
            "{}",
            s.file
        );
        let roots: Vec<&str> = doc["roots"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(roots, facts.roots, "{}", s.file);
    }
}

#[test]
fn every_sample_is_a_realistic_graph_reaching_each_component_from_its_root() {
    for s in SAMPLES {
        let text = std::fs::read_to_string(samples_dir().join(s.file)).expect("sample readable");
        let facts = raw_facts(s.raw, &text);
        let n = facts.components.len();
        assert!((30..=200).contains(&n), "{}: {n} components", s.file);
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut todo: Vec<&str> = facts.roots.iter().map(String::as_str).collect();
        while let Some(x) = todo.pop() {
            if seen.insert(x) {
                todo.extend(
                    facts
                        .edges
                        .iter()
                        .filter(|(from, _)| from == x)
                        .map(|(_, to)| to.as_str()),
                );
            }
        }
        let unreached: Vec<&String> = facts
            .components
            .iter()
            .filter(|c| !seen.contains(c.as_str()))
            .collect();
        assert!(unreached.is_empty(), "{}: unreached {unreached:?}", s.file);
    }
}
