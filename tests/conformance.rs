//! Conformance of ingestion over the third-party SBOM corpus (see the corpus README).
//!
//! The corpus is read in place from `$BOMVET_CORPUS`, else `../shared/corpus` next to the crate.
//! When it is absent the test prints a note and passes, except under `CI=true`, where a missing
//! corpus is a failure (CI must not go green on nothing).
//!
//! Rules, applied to every file by what it is, never by its name alone:
//! - a file the specification marks as invalid (`invalid-*`, `informal-invalid-*`) or that sits
//!   in a folder named `invalid` or `bad` may be read (warnings allowed) or rejected with an
//!   error, but must never panic;
//! - a file that the independent classifier below cannot recognise as an SBOM (or whose JSON /
//!   XML does not even parse) must be rejected with an error, never panic;
//! - every other file must read, and its component count must equal a count made here from the
//!   raw text with `serde_json::Value`, `serde_yaml_ng::Value` and `quick_xml` events,
//!   independently of bomvet's readers:
//!   CycloneDX: `components` at every depth (nested components, and those nested in
//!   `metadata.component`), not `metadata.component` itself and nothing under `pedigree`;
//!   SPDX 2: packages + files; SPDX 3: `software_Package` / `software_File` elements and their
//!   subclasses `ai_AIPackage` / `dataset_DatasetPackage`, distinct by id; tag-value:
//!   `PackageName:` / `FileName:` lines outside `<text>` blocks.
//!
//! Per-folder totals go to stderr (`cargo test --test conformance -- --nocapture`).

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use bomvet::sbom::{read_path, Document, ReadOptions};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("BOMVET_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    let msg = format!(
        "SBOM corpus not found at {} (set BOMVET_CORPUS to its folder)",
        dir.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; CI=true requires it");
    }
    eprintln!("note: {msg}; conformance test skipped");
    None
}

/// Licence texts, READMEs and provenance tables that sit next to the documents.
fn is_not_a_document(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    ((name.starts_with("license") || name.starts_with("copying")) && !name.contains('.'))
        || name.ends_with(".md")
        || name.ends_with(".tsv")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if !is_not_a_document(&p) {
            out.push(p);
        }
    }
}

// ---- independent decoding and classification ----------------------------------------------

/// UTF-8 (optional BOM) or UTF-16 with a BOM; gzip is not expected in the corpus.
fn decode(bytes: &[u8]) -> Option<String> {
    let utf16 = |be: bool| {
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    CdxJson,
    CdxXml,
    SpdxJson,
    SpdxYaml,
    SpdxTagValue,
    SpdxXml,
    SpdxRdf,
    Spdx3,
}

/// What the raw text is, and its component count, or `None` when it is no SBOM we know.
fn classify_and_count(text: &str) -> Option<(Kind, usize)> {
    let t = text.trim_start();
    match t.as_bytes().first()? {
        b'{' => {
            // JSON Lines (an attestation file): the first value.
            let v = serde_json::Deserializer::from_str(t)
                .into_iter::<Value>()
                .next()?
                .ok()?;
            json_sbom(&v, 0)
        }
        b'<' => xml_sbom(t),
        _ => {
            if t.lines()
                .any(|l| l.trim_start().starts_with("SPDXVersion:"))
            {
                Some((Kind::SpdxTagValue, tag_value_count(t)))
            } else if t.lines().any(|l| l.starts_with("spdxVersion:")) {
                let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(t).ok()?;
                let len = |k: &str| v.get(k).and_then(|a| a.as_sequence()).map_or(0, Vec::len);
                Some((Kind::SpdxYaml, len("packages") + len("files")))
            } else {
                None
            }
        }
    }
}

fn json_sbom(v: &Value, depth: u8) -> Option<(Kind, usize)> {
    let obj = v.as_object()?;
    if depth < 3 {
        if let Some(payload) = obj.get("payload").and_then(Value::as_str) {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(payload.trim())
                .ok()?;
            let inner: Value = serde_json::from_str(&decode(&raw)?).ok()?;
            return json_sbom(&inner, depth + 1);
        }
        if obj.contains_key("predicateType") {
            return json_sbom(obj.get("predicate")?, depth + 1);
        }
    }
    if obj.contains_key("bomFormat") {
        return Some((Kind::CdxJson, cdx_json_count(v)));
    }
    if obj.contains_key("spdxVersion") {
        let len = |k: &str| v.get(k).and_then(Value::as_array).map_or(0, Vec::len);
        return Some((Kind::SpdxJson, len("packages") + len("files")));
    }
    if obj
        .get("@context")
        .is_some_and(|c| c.to_string().contains("spdx.org/rdf/3"))
    {
        let mut ids = BTreeSet::new();
        let mut anonymous = 0;
        spdx3_walk(v, &mut ids, &mut anonymous);
        return Some((Kind::Spdx3, ids.len() + anonymous));
    }
    None
}

fn cdx_json_count(bom: &Value) -> usize {
    fn list(v: Option<&Value>) -> usize {
        v.and_then(Value::as_array).map_or(0, |a| {
            a.iter()
                .filter(|c| c.is_object())
                .map(|c| 1 + list(c.get("components")))
                .sum()
        })
    }
    let meta = bom.pointer("/metadata/component/components");
    list(bom.get("components")) + list(meta)
}

/// SPDX 3 software elements at any depth (graph entries, or elements written inline).
fn spdx3_walk(v: &Value, ids: &mut BTreeSet<String>, anonymous: &mut usize) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| spdx3_walk(x, ids, anonymous)),
        Value::Object(o) => {
            let ty = o
                .get("type")
                .or_else(|| o.get("@type"))
                .and_then(Value::as_str);
            if ty.is_some_and(is_spdx3_software) {
                match o
                    .get("spdxId")
                    .or_else(|| o.get("@id"))
                    .and_then(Value::as_str)
                {
                    Some(id) => {
                        ids.insert(id.to_string());
                    }
                    None => *anonymous += 1,
                }
            }
            o.values().for_each(|x| spdx3_walk(x, ids, anonymous));
        }
        _ => {}
    }
}

fn is_spdx3_software(ty: &str) -> bool {
    let local = ty.rsplit(['/', '#', ':']).next().unwrap_or(ty);
    matches!(
        local,
        "software_Package"
            | "software_File"
            | "ai_AIPackage"
            | "dataset_DatasetPackage"
            | "Package"
            | "File"
            | "AIPackage"
            | "DatasetPackage"
    )
}

fn tag_value_count(text: &str) -> usize {
    let mut rest = text;
    let mut plain = String::new();
    while let Some(i) = rest.find("<text>") {
        plain.push_str(&rest[..i]);
        rest = match rest[i..].find("</text>") {
            Some(j) => &rest[i + j + "</text>".len()..],
            None => "",
        };
    }
    plain.push_str(rest);
    plain
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("PackageName:") || l.starts_with("FileName:"))
        .count()
}

const CDX_NS: &[u8] = b"http://cyclonedx.org/schema/bom/1.";
const SPDX_TERMS: &[u8] = b"http://spdx.org/rdf/terms#";
const RDF_NS: &[u8] = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#";

fn xml_sbom(text: &str) -> Option<(Kind, usize)> {
    let mut r = NsReader::from_str(text);
    // The root element decides the kind.
    let kind = loop {
        match r.read_resolved_event().ok()? {
            (ns, Event::Start(e)) | (ns, Event::Empty(e)) => {
                let local = e.local_name().as_ref().to_vec();
                let ns = match ns {
                    ResolveResult::Bound(n) => n.as_ref().to_vec(),
                    _ => Vec::new(),
                };
                break match local.as_slice() {
                    b"bom" if ns.starts_with(CDX_NS) => Kind::CdxXml,
                    b"RDF" if ns == RDF_NS => Kind::SpdxRdf,
                    b"Document" | b"SpdxDocument" => Kind::SpdxXml,
                    _ => return None,
                };
            }
            (_, Event::Eof) => return None,
            _ => {}
        }
    };
    let mut r = NsReader::from_str(text);
    let n = match kind {
        Kind::CdxXml => cdx_xml_count(&mut r)?,
        Kind::SpdxRdf => rdf_count(&mut r)?,
        _ => spdx_xml_count(&mut r)?,
    };
    Some((kind, n))
}

/// `<component>` children of `<components>` whose ancestors are only `bom`, `metadata`,
/// `components` and `component` (so nothing under `pedigree` or elsewhere), CycloneDX
/// namespace only.
fn cdx_xml_count(r: &mut NsReader<&[u8]>) -> Option<usize> {
    let mut stack: Vec<(bool, Vec<u8>)> = Vec::new();
    let mut n = 0;
    let counts = |stack: &[(bool, Vec<u8>)], e: &BytesStart, cdx: bool| {
        cdx && e.local_name().as_ref() == b"component"
            && stack.last().is_some_and(|(_, l)| l == b"components")
            && stack.iter().all(|(c, l)| {
                *c && matches!(
                    l.as_slice(),
                    b"bom" | b"metadata" | b"components" | b"component"
                )
            })
    };
    loop {
        let (ns, ev) = r.read_resolved_event().ok()?;
        let cdx = matches!(&ns, ResolveResult::Bound(n) if n.as_ref().starts_with(CDX_NS));
        match ev {
            Event::Start(e) => {
                n += usize::from(counts(&stack, &e, cdx));
                stack.push((cdx, e.local_name().as_ref().to_vec()));
            }
            Event::Empty(e) => n += usize::from(counts(&stack, &e, cdx)),
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => return Some(n),
            _ => {}
        }
    }
}

/// SPDX XML: `packages` and `files` children of the root.
fn spdx_xml_count(r: &mut NsReader<&[u8]>) -> Option<usize> {
    let (mut depth, mut n) = (0usize, 0usize);
    loop {
        match r.read_event().ok()? {
            Event::Start(e) => {
                depth += 1;
                if depth == 2 && matches!(e.local_name().as_ref(), b"packages" | b"files") {
                    n += 1;
                }
            }
            Event::Empty(e)
                if depth == 1 && matches!(e.local_name().as_ref(), b"packages" | b"files") =>
            {
                n += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => return Some(n),
            _ => {}
        }
    }
}

/// SPDX RDF/XML: `spdx:Package` / `spdx:File` nodes, distinct by `rdf:about` (a node may be
/// described in several places); nodes without one count once each.
fn rdf_count(r: &mut NsReader<&[u8]>) -> Option<usize> {
    let mut about = BTreeSet::new();
    let mut anonymous = 0;
    loop {
        let (ns, ev) = r.read_resolved_event().ok()?;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let spdx = matches!(&ns, ResolveResult::Bound(n) if n.as_ref() == SPDX_TERMS);
                if spdx && matches!(e.local_name().as_ref(), b"Package" | b"File") {
                    let id = e
                        .attributes()
                        .filter_map(Result::ok)
                        .find(|a| matches!(a.key.local_name().as_ref(), b"about" | b"nodeID"));
                    match id {
                        Some(a) => {
                            about.insert(a.value.into_owned());
                        }
                        None => anonymous += 1,
                    }
                }
            }
            Event::Eof => return Some(about.len() + anonymous),
            _ => {}
        }
    }
}

// ---- the test ------------------------------------------------------------------------------

/// May be read or rejected (never panic): the suite's invalid documents and folders of
/// deliberately broken ones.
fn may_be_invalid(rel: &Path) -> bool {
    rel.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c == "invalid" || c == "bad"
    }) || rel.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with("invalid-") || n.starts_with("informal-invalid-")
    })
}

#[derive(Default)]
struct Tally {
    files: usize,
    read: usize,
    rejected: usize,
    components: usize,
    bytes: u64,
    kinds: BTreeMap<Kind, usize>,
}

/// The folder a file is reported under: two levels below the corpus root, three under
/// `real-world/generator-fixtures`.
fn group(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let depth = if parts.len() > 1 && parts[1] == "generator-fixtures" {
        3
    } else {
        2
    };
    parts
        .iter()
        .take(depth)
        .cloned()
        .collect::<Vec<_>>()
        .join("/")
}

fn read_guarded(path: &Path) -> Result<Result<Document, String>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        read_path(path, &path.display().to_string(), &ReadOptions::default())
            .map_err(|e| e.to_string())
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn every_corpus_document_reads_or_is_rejected_cleanly_with_the_raw_component_count() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(
        files.len() > 1000,
        "corpus at {} holds only {} documents; expected the full corpus",
        root.display(),
        files.len()
    );

    let mut failures = Vec::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for path in &files {
        let rel = path.strip_prefix(&root).unwrap_or(path);
        let bytes = std::fs::read(path).unwrap_or_default();
        let raw = decode(&bytes).and_then(|t| classify_and_count(&t));
        let lenient = may_be_invalid(rel);
        let t = tallies.entry(group(rel)).or_default();
        t.files += 1;
        t.bytes += bytes.len() as u64;
        let outcome = match read_guarded(path) {
            Err(panic) => {
                failures.push(format!("{}: PANIC {panic}", rel.display()));
                continue;
            }
            Ok(o) => o,
        };
        match (outcome, raw) {
            (Ok(doc), Some((kind, expected))) => {
                t.read += 1;
                *t.kinds.entry(kind).or_default() += 1;
                t.components += doc.component_count();
                if !lenient && doc.component_count() != expected {
                    failures.push(format!(
                        "{} ({kind:?}): bomvet counts {} components, the raw text holds {expected}",
                        rel.display(),
                        doc.component_count()
                    ));
                }
            }
            (Ok(doc), None) => {
                t.read += 1;
                if !lenient {
                    failures.push(format!(
                        "{}: read as {} although it is no SBOM the independent classifier knows",
                        rel.display(),
                        doc.format
                    ));
                }
            }
            (Err(e), raw) => {
                t.rejected += 1;
                if !lenient && raw.is_some() {
                    failures.push(format!("{}: {e}", rel.display()));
                } else {
                    eprintln!("  rejected cleanly: {}: {e}", rel.display());
                }
            }
        }
    }

    eprintln!(
        "{:<48} {:>6} {:>6} {:>8} {:>10} {:>10}  kinds",
        "folder", "files", "read", "rejected", "components", "bytes"
    );
    for (g, t) in &tallies {
        eprintln!(
            "{g:<48} {:>6} {:>6} {:>8} {:>10} {:>10}  {:?}",
            t.files, t.read, t.rejected, t.components, t.bytes, t.kinds
        );
    }
    let total: usize = tallies.values().map(|t| t.files).sum();
    let read: usize = tallies.values().map(|t| t.read).sum();
    let comps: usize = tallies.values().map(|t| t.components).sum();
    eprintln!("total: {total} documents, {read} read, {comps} components");
    assert!(
        failures.is_empty(),
        "{} of {total} corpus documents fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
