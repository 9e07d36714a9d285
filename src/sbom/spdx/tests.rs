//! Cross-serialisation and corpus tests, plus JSON / YAML mapping tests.
//!
//! The corpus tests read the third-party corpus in place: `$BOMVET_CORPUS`, else
//! `../shared/corpus` next to the crate. When it is absent they print a note and pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::sbom::{
    read_path, Builder, DepScope, Document, Format, IngestError, Limits, Location, PartyKind,
    ReadOptions, RelKind,
};

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("BOMVET_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: SBOM corpus not found at {} (set BOMVET_CORPUS); corpus test skipped",
            dir.display()
        );
        None
    }
}

fn read_file(path: &Path) -> Result<Document, IngestError> {
    read_path(path, &path.display().to_string(), &ReadOptions::default())
}

type Comp = (String, String, Option<String>, Option<String>);
type Edge = (String, String, String);

/// What must agree between serialisations of the same document.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    components: BTreeSet<Comp>,
    relationships: BTreeSet<Edge>,
    roots: BTreeSet<String>,
}

fn summary(d: &Document) -> Summary {
    Summary {
        components: d
            .components
            .iter()
            .map(|c| {
                (
                    c.bom_ref.to_string(),
                    c.name.to_string(),
                    c.version.as_deref().map(String::from),
                    c.purl.as_deref().map(String::from),
                )
            })
            .collect(),
        relationships: d
            .relationships
            .iter()
            .map(|r| {
                (
                    d.component(r.from).bom_ref.to_string(),
                    r.kind.name(),
                    d.component(r.to).bom_ref.to_string(),
                )
            })
            .collect(),
        roots: d
            .roots
            .iter()
            .map(|&r| d.component(r).bom_ref.to_string())
            .collect(),
    }
}

fn check_same(label: &str, files: &[(&str, Format)], dir: &Path) {
    let mut first: Option<(String, Summary)> = None;
    for (name, format) in files {
        let path = dir.join(name);
        let d = read_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(d.format, *format, "{name}");
        let s = summary(&d);
        assert!(!s.components.is_empty(), "{name}: no components");
        match &first {
            None => first = Some((name.to_string(), s)),
            Some((first_name, f)) => {
                assert_eq!(
                    f.components, s.components,
                    "{label}: components of {first_name} vs {name}"
                );
                assert_eq!(
                    f.relationships, s.relationships,
                    "{label}: relationships of {first_name} vs {name}"
                );
                assert_eq!(f.roots, s.roots, "{label}: roots of {first_name} vs {name}");
            }
        }
    }
    if let Some((_, f)) = first {
        eprintln!(
            "{label}: {} serialisations agree on {} components, {} relationships, {} roots",
            files.len(),
            f.components.len(),
            f.relationships.len(),
            f.roots.len()
        );
    }
}

#[test]
fn spec_example_serialisations_give_the_same_components_and_relationships() {
    let Some(c) = corpus() else { return };
    let v22 = c.join("spdx/spec-examples/v2.2.2");
    check_same(
        "SPDX 2.2 spec example",
        &[
            ("SPDXJSONExample-v2.2.spdx.json", Format::SpdxJson),
            ("SPDXYAMLExample-2.2.spdx.yaml", Format::SpdxYaml),
            ("SPDXXMLExample-v2.2.spdx.xml", Format::SpdxXml),
            ("SPDXTagExample-v2.2.spdx", Format::SpdxTagValue),
            ("SPDXRdfExample-v2.2.spdx.rdf.xml", Format::SpdxRdfXml),
        ],
        &v22,
    );
    let v23 = c.join("spdx/spec-examples/v2.3.1");
    check_same(
        "SPDX 2.3 spec example",
        &[
            ("SPDXJSONExample-v2.3.spdx.json", Format::SpdxJson),
            ("SPDXYAMLExample-2.3.spdx.yaml", Format::SpdxYaml),
            ("SPDXXMLExample-v2.3.spdx.xml", Format::SpdxXml),
            ("SPDXTagExample-v2.3.spdx", Format::SpdxTagValue),
            ("SPDXRdfExample-v2.3.spdx.rdf.xml", Format::SpdxRdfXml),
        ],
        &v23,
    );
    // spdx/tools-python's UTF-16 copies of the 2.2 example, next to the originals.
    let py = c.join("real-world/generator-fixtures/spdx-tools-python");
    if py.is_dir() {
        let utf16 = [
            ("SPDXJSONExample-UTF-16.spdx.json", Format::SpdxJson),
            ("SPDXYAMLExample-UTF-16.spdx.yaml", Format::SpdxYaml),
            ("SPDXXMLExample-UTF-16.spdx.xml", Format::SpdxXml),
            ("SPDXTagExample-UTF-16.spdx", Format::SpdxTagValue),
            ("SPDXRdfExample-UTF-16.spdx.rdf.xml", Format::SpdxRdfXml),
        ];
        check_same("SPDX 2.2 UTF-16 copies", &utf16, &py);
        let a = summary(&read_file(&v22.join("SPDXJSONExample-v2.2.spdx.json")).unwrap());
        let b = summary(&read_file(&py.join(utf16[0].0)).unwrap());
        assert_eq!(a, b, "the UTF-16 copy reads like the original");
    }
}

/// Independent raw counts of packages + files, for comparison with the readers.
fn raw_count(format: Format, text: &str) -> usize {
    fn arr_len_json(v: &serde_json::Value, k: &str) -> usize {
        v.get(k).and_then(|a| a.as_array()).map_or(0, |a| a.len())
    }
    fn arr_len_yaml(v: &serde_yaml_ng::Value, k: &str) -> usize {
        v.get(k)
            .and_then(|a| a.as_sequence())
            .map_or(0, |a| a.len())
    }
    match format {
        Format::SpdxJson => {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            arr_len_json(&v, "packages") + arr_len_json(&v, "files")
        }
        Format::SpdxYaml => {
            let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).unwrap();
            arr_len_yaml(&v, "packages") + arr_len_yaml(&v, "files")
        }
        Format::SpdxTagValue => {
            // Drop <text> blocks, then count the section-starting tags.
            let mut rest = text;
            let mut plain = String::new();
            while let Some(i) = rest.find("<text>") {
                plain.push_str(&rest[..i]);
                rest = match rest[i..].find("</text>") {
                    Some(j) => &rest[i + j + 7..],
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
        Format::SpdxXml => {
            let mut r = quick_xml::Reader::from_str(text);
            let (mut depth, mut n) = (0usize, 0usize);
            loop {
                match r.read_event().unwrap() {
                    quick_xml::events::Event::Start(e) => {
                        depth += 1;
                        if depth == 2 && matches!(e.name().as_ref(), b"packages" | b"files") {
                            n += 1;
                        }
                    }
                    quick_xml::events::Event::Empty(e)
                        if depth == 1 && matches!(e.name().as_ref(), b"packages" | b"files") =>
                    {
                        n += 1;
                    }
                    quick_xml::events::Event::End(_) => depth -= 1,
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            n
        }
        Format::SpdxRdfXml => {
            let mut r = quick_xml::Reader::from_str(text);
            let mut seen = BTreeSet::new();
            loop {
                match r.read_event().unwrap() {
                    quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                        if matches!(e.name().as_ref(), b"spdx:Package" | b"spdx:File") {
                            if let Some(a) = e.try_get_attribute("rdf:about").unwrap() {
                                seen.insert(a.unescape_value().unwrap().into_owned());
                            }
                        }
                    }
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
            seen.len()
        }
        _ => unreachable!(),
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_spdx2_corpus_document_reads_with_the_raw_component_count() {
    let Some(c) = corpus() else { return };
    let mut files = Vec::new();
    for d in [
        "spdx/spec-examples",
        "spdx/spdx-examples",
        "real-world/generator-fixtures/sbomqs",
        "real-world/generator-fixtures/sbom-tool",
        "real-world/generator-fixtures/trivy",
        "real-world/generator-fixtures/syft",
        "real-world/generator-fixtures/spdx-tools-python",
    ] {
        walk(&c.join(d), &mut files);
    }
    let spdx2 = [
        Format::SpdxJson,
        Format::SpdxYaml,
        Format::SpdxXml,
        Format::SpdxTagValue,
        Format::SpdxRdfXml,
    ];
    let (mut read, mut bad_rejected, mut components) = (0, 0, 0);
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = crate::sbom::input::decode_text(&bytes) else {
            continue;
        };
        let deliberately_bad = path.to_string_lossy().contains("spdxjson/spdx/bad/");
        let format = match crate::sbom::detect::detect(&text) {
            Ok(crate::sbom::Detected::Sbom(f)) if spdx2.contains(&f) => f,
            _ => continue,
        };
        match read_file(&path) {
            Ok(d) => {
                let raw = raw_count(format, &text);
                assert_eq!(d.component_count(), raw, "{}", path.display());
                read += 1;
                components += raw;
            }
            Err(e) if deliberately_bad => {
                bad_rejected += 1;
                eprintln!("{} rejected cleanly: {e}", path.display());
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    eprintln!(
        "{read} SPDX 2 documents read ({components} components), {bad_rejected} deliberately bad ones rejected"
    );
    assert!(read >= 70, "expected the whole SPDX 2 corpus, read {read}");
}

// ---- JSON / YAML mapping ------------------------------------------------------------------

fn json(text: &str) -> Result<Document, IngestError> {
    let mut b = Builder::new("t", Format::SpdxJson);
    super::read_json(text, &mut b, &Limits::default())?;
    b.finish(false)
}

fn yaml(text: &str) -> Result<Document, IngestError> {
    let mut b = Builder::new("t", Format::SpdxYaml);
    super::read_yaml(text, &mut b, &Limits::default())?;
    b.finish(false)
}

const FULL: &str = r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "demo",
  "documentNamespace": "https://example.com/demo-1",
  "documentDescribes": ["SPDXRef-app"],
  "packages": [
    {
      "SPDXID": "SPDXRef-app",
      "name": "app",
      "versionInfo": "1.0",
      "primaryPackagePurpose": "OPERATING_SYSTEM",
      "supplier": "Organization: Acme (ops@acme.example)",
      "originator": "Person: Jane",
      "downloadLocation": "https://acme.example/app.tgz",
      "homepage": "https://acme.example",
      "sourceInfo": "built from git+https://git.acme.example/app.git at tag v1",
      "externalRefs": [
        {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:generic/app@1.0"},
        {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:deb/acme/app@1.0"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:acme:app:1.0:*:*:*:*:*:*:*"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe22Type", "referenceLocator": "cpe:/a:acme:app:1.0"},
        {"referenceCategory": "SECURITY", "referenceType": "swid", "referenceLocator": "swid:2df9de35-0aff-4a86-ace6-f7dddd1ade4c"},
        {"referenceCategory": "SECURITY", "referenceType": "advisory", "referenceLocator": "https://nvd.example/CVE-1"},
        {"referenceCategory": "OTHER", "referenceType": "https://example.com/demo-1#LocationRef-acmeforge", "referenceLocator": "acmecorp/acmenator/4.1.3"}
      ],
      "checksums": [{"algorithm": "SHA-256", "checksumValue": "ABCD"}],
      "licenseConcluded": "MIT",
      "licenseDeclared": "MIT OR Apache-2.0",
      "copyrightText": "Copyright Acme",
      "summary": "short",
      "description": "long",
      "packageFileName": "app-1.0.tgz",
      "filesAnalyzed": true,
      "hasFiles": ["SPDXRef-f"],
      "annotations": [{"annotator": "Person: x", "annotationDate": "2020-01-01T00:00:00Z", "annotationType": "OTHER", "comment": "c", "mood": "happy"}],
      "builtDate": "2020-01-01T00:00:00Z"
    },
    {
      "SPDXID": "SPDXRef-lib",
      "name": "lib",
      "supplier": "Huawei Technologies Co., Ltd.",
      "originator": "NOASSERTION",
      "downloadLocation": "NOASSERTION",
      "licenseConcluded": "NOASSERTION",
      "licenseDeclared": "NONE",
      "copyrightText": "NOASSERTION",
      "summary": "only a summary",
      "extra": 1
    }
  ],
  "files": [
    {
      "SPDXID": "SPDXRef-f",
      "fileName": "./src/main.c",
      "checksums": [{"algorithm": "SHA1", "checksumValue": "0102"}],
      "licenseConcluded": "GPL-2.0-only",
      "copyrightText": "Copyright Jane",
      "fileContributors": ["Jane Doe", "Organization: Acme"]
    }
  ],
  "snippets": [{"SPDXID": "SPDXRef-snip", "snippetFromFile": "SPDXRef-f", "ranges": []}],
  "relationships": [
    {"spdxElementId": "SPDXRef-lib", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-snip", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-f"},
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-app"}
  ],
  "creationInfo": {"created": "2020-01-01T00:00:00Z", "creators": ["Tool: x"], "colour": "blue"},
  "somethingElse": true
}"#;

#[test]
fn json_package_fields_map_to_the_model() {
    let d = json(FULL).unwrap();
    assert_eq!(d.spec_version, "2.3");
    assert_eq!(d.name.as_deref(), Some("demo"));
    assert_eq!(d.serial.as_deref(), Some("https://example.com/demo-1"));
    let app = &d.components[0];
    assert_eq!(app.bom_ref, "SPDXRef-app");
    assert_eq!(app.kind.as_deref(), Some("operating-system"));
    assert_eq!(app.version.as_deref(), Some("1.0"));
    let sup = app.supplier.as_ref().unwrap();
    assert_eq!(
        (sup.kind, sup.name.as_str()),
        (PartyKind::Organization, "Acme")
    );
    assert_eq!(sup.emails, vec!["ops@acme.example".to_string()]);
    assert_eq!(app.originators[0].kind, PartyKind::Person);
    assert_eq!(app.purl.as_deref(), Some("pkg:generic/app@1.0"));
    assert_eq!(app.cpes.len(), 2);
    assert_eq!(
        app.swid.as_ref().unwrap().tag_id.as_deref(),
        Some("2df9de35-0aff-4a86-ace6-f7dddd1ade4c")
    );
    let link = |kind: &str| -> Vec<&str> {
        app.links
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| l.url.as_str())
            .collect()
    };
    assert_eq!(link("download"), vec!["https://acme.example/app.tgz"]);
    assert_eq!(link("homepage"), vec!["https://acme.example"]);
    assert_eq!(link("purl"), vec!["pkg:deb/acme/app@1.0"]);
    assert_eq!(link("advisory"), vec!["https://nvd.example/CVE-1"]);
    assert_eq!(
        link("source-info"),
        vec!["git+https://git.acme.example/app.git"]
    );
    assert!(app.properties.contains(&(
        "externalRef:LocationRef-acmeforge".into(),
        "acmecorp/acmenator/4.1.3".into()
    )));
    assert!(app
        .properties
        .iter()
        .any(|(k, v)| k == "sourceInfo" && v.starts_with("built from")));
    assert_eq!(app.hashes[0].alg, "SHA256");
    assert_eq!(app.hashes[0].value, "abcd");
    assert_eq!(
        app.licenses,
        vec!["MIT".to_string(), "MIT OR Apache-2.0".to_string()]
    );
    assert_eq!(app.copyright.as_deref(), Some("Copyright Acme"));
    assert_eq!(app.description.as_deref(), Some("long"));
    assert_eq!(app.file_names, vec!["app-1.0.tgz".to_string()]);
    assert_eq!(app.location, Location::pointer("/packages/0"));
}

#[test]
fn json_noassertion_values_are_dropped_and_summary_is_the_fallback_description() {
    let d = json(FULL).unwrap();
    let lib = &d.components[1];
    assert!(lib.links.is_empty());
    assert!(lib.licenses.is_empty());
    assert_eq!(lib.copyright, None);
    assert_eq!(lib.kind, None);
    assert_eq!(lib.originators[0].kind, PartyKind::NoAssertion);
    assert_eq!(lib.description.as_deref(), Some("only a summary"));
}

#[test]
fn json_unprefixed_supplier_is_kept_and_warned_at_the_package() {
    let d = json(FULL).unwrap();
    let lib = &d.components[1];
    let sup = lib.supplier.as_ref().unwrap();
    assert_eq!(sup.kind, PartyKind::Unprefixed);
    assert_eq!(sup.name, "Huawei Technologies Co., Ltd.");
    let w = d
        .warnings
        .iter()
        .find(|w| w.code == "unprefixed-supplier")
        .unwrap();
    assert_eq!(w.location, Location::pointer("/packages/1"));
}

#[test]
fn json_file_fields_map_to_the_model() {
    let d = json(FULL).unwrap();
    let f = &d.components[2];
    assert_eq!(f.kind.as_deref(), Some("file"));
    assert_eq!(f.name, "./src/main.c");
    assert_eq!(f.file_names, vec!["./src/main.c".to_string()]);
    assert_eq!(f.hashes[0].alg, "SHA1");
    assert_eq!(f.licenses, vec!["GPL-2.0-only".to_string()]);
    assert_eq!(f.copyright.as_deref(), Some("Copyright Jane"));
    let authors: Vec<(PartyKind, &str)> = f
        .authors
        .iter()
        .map(|a| (a.kind, a.name.as_str()))
        .collect();
    assert_eq!(
        authors,
        vec![
            (PartyKind::Unprefixed, "Jane Doe"),
            (PartyKind::Organization, "Acme")
        ]
    );
    assert_eq!(f.location, Location::pointer("/files/0"));
    // Unprefixed file contributors are normal (free text): no warning for them.
    assert_eq!(
        d.warnings
            .iter()
            .filter(|w| w.code.starts_with("unprefixed"))
            .count(),
        1
    );
}

#[test]
fn json_relationships_roots_and_non_components() {
    let d = json(FULL).unwrap();
    // Snippets are not components.
    assert_eq!(d.component_count(), 3);
    let s = summary(&d);
    let expected: BTreeSet<Edge> = [
        ("SPDXRef-app".into(), "contains".into(), "SPDXRef-f".into()),
        (
            "SPDXRef-app".into(),
            "depends-on".into(),
            "SPDXRef-lib".into(),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(s.relationships, expected);
    assert_eq!(s.roots, ["SPDXRef-app".to_string()].into_iter().collect());
    // The document and the snippet are known elements: no dangling-ref warnings.
    assert!(
        !d.warnings.iter().any(|w| w.code == "dangling-ref"),
        "{:?}",
        d.warnings
    );
}

#[test]
fn json_unknown_keys_are_reported_once_each_with_pointers() {
    let d = json(FULL).unwrap();
    let unknown: Vec<(&str, String)> = d
        .warnings
        .iter()
        .filter(|w| w.code == "unknown-field")
        .map(|w| (w.message.as_str(), w.location.to_string()))
        .collect();
    let has = |key: &str, loc: &str| {
        unknown
            .iter()
            .any(|(m, l)| m.contains(&format!("`{key}`")) && l == loc)
    };
    assert!(has("mood", "/packages/0"), "{unknown:?}");
    assert!(has("extra", "/packages/1"), "{unknown:?}");
    assert!(has("colour", "/creationInfo"), "{unknown:?}");
    assert!(has("somethingElse", "/somethingElse"), "{unknown:?}");
    assert_eq!(unknown.len(), 4, "{unknown:?}");
}

#[test]
fn describes_relationships_declare_roots_in_either_direction() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2","SPDXID":"SPDXRef-DOCUMENT",
        "packages":[{"SPDXID":"SPDXRef-a","name":"a"},{"SPDXID":"SPDXRef-b","name":"b"},{"SPDXID":"SPDXRef-c","name":"c"}],
        "relationships":[
          {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"},
          {"spdxElementId":"SPDXRef-b","relationshipType":"DESCRIBED_BY","relatedSpdxElement":"SPDXRef-DOCUMENT"},
          {"spdxElementId":"SPDXRef-a","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-c"}
        ]}"#,
    )
    .unwrap();
    let s = summary(&d);
    assert_eq!(
        s.roots,
        ["SPDXRef-a".to_string(), "SPDXRef-b".to_string()]
            .into_iter()
            .collect()
    );
    assert!(s.relationships.contains(&(
        "SPDXRef-a".into(),
        "other(DESCRIBES)".into(),
        "SPDXRef-c".into()
    )));
}

#[test]
fn document_spdxid_after_relationships_still_declares_roots() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2",
        "relationships":[{"spdxElementId":"SPDXRef-DOC","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"}],
        "packages":[{"SPDXID":"SPDXRef-a","name":"a"}],
        "SPDXID":"SPDXRef-DOC"}"#,
    )
    .unwrap();
    assert_eq!(d.root_source, crate::sbom::RootSource::Declared);
    assert_eq!(d.roots, vec![0]);
}

#[test]
fn syft_nulls_where_arrays_belong_read_as_empty() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2","SPDXID":"SPDXRef-DOCUMENT","documentDescribes":null,
        "packages":[{"SPDXID":"SPDXRef-a","name":"a","licenseInfoFromFiles":null,"checksums":null,"externalRefs":null,"hasFiles":null}],
        "files":null,"relationships":null}"#,
    )
    .unwrap();
    assert_eq!(d.components.len(), 1);
    assert!(d.warnings.iter().all(|w| w.code != "unknown-field"));
}

#[test]
fn lone_values_where_arrays_belong_are_one_element_arrays() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2","documentDescribes":"SPDXRef-a",
        "packages":{"SPDXID":"SPDXRef-a","name":"a","hasFiles":"SPDXRef-f"},
        "files":[{"SPDXID":"SPDXRef-f","fileName":"f"}]}"#,
    )
    .unwrap();
    assert_eq!(d.components.len(), 2);
    assert_eq!(d.relationships[0].kind, RelKind::Contains);
    assert_eq!(d.roots, vec![0]);
}

#[test]
fn string_booleans_and_missing_fields_are_tolerated() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2","packages":[{"packageName":"x","SPDXID":"SPDXRef-x","filesAnalyzed":"false"}]}"#,
    )
    .unwrap();
    let codes: Vec<&str> = d.warnings.iter().map(|w| w.code).collect();
    assert!(codes.contains(&"missing-name"), "{codes:?}");
    assert!(codes.contains(&"unknown-field"), "{codes:?}");
}

#[test]
fn missing_spdxid_is_synthesized_and_warned() {
    let d =
        json(r#"{"spdxVersion":"SPDX-2.2","packages":[{"name":"x","versionInfo":"1"}]}"#).unwrap();
    assert!(d.components[0].ref_synthesized);
    assert!(d.warnings.iter().any(|w| w.code == "missing-spdxid"));
}

#[test]
fn relationship_without_all_three_parts_is_warned_and_skipped() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2","packages":[{"SPDXID":"SPDXRef-a","name":"a"}],
        "relationships":[{"spdxElementId":"SPDXRef-a","relationshipType":"CONTAINS"}]}"#,
    )
    .unwrap();
    assert!(d.relationships.is_empty());
    assert!(d
        .warnings
        .iter()
        .any(|w| w.code == "incomplete-relationship"));
}

#[test]
fn unknown_relationship_types_warn_once_per_type() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.2","packages":[{"SPDXID":"SPDXRef-a","name":"a"},{"SPDXID":"SPDXRef-b","name":"b"}],
        "relationships":[
          {"spdxElementId":"SPDXRef-a","relationshipType":"FRIEND_OF","relatedSpdxElement":"SPDXRef-b"},
          {"spdxElementId":"SPDXRef-b","relationshipType":"FRIEND_OF","relatedSpdxElement":"SPDXRef-a"}
        ]}"#,
    )
    .unwrap();
    let n = d
        .warnings
        .iter()
        .filter(|w| w.code == "unknown-relationship-type")
        .count();
    assert_eq!(n, 1);
    assert_eq!(d.relationships.len(), 2);
}

#[test]
fn build_tool_of_becomes_a_build_dependency_of_the_target() {
    let d = json(
        r#"{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-gcc","name":"gcc"},{"SPDXID":"SPDXRef-app","name":"app"}],
        "relationships":[{"spdxElementId":"SPDXRef-gcc","relationshipType":"BUILD_TOOL_OF","relatedSpdxElement":"SPDXRef-app"}]}"#,
    )
    .unwrap();
    let r = &d.relationships[0];
    assert_eq!(d.component(r.from).name, "app");
    assert_eq!(d.component(r.to).name, "gcc");
    assert_eq!(r.kind, RelKind::DependsOn(DepScope::Build));
}

#[test]
fn spdx_version_is_stripped_and_odd_versions_warn() {
    let d = json(r#"{"spdxVersion":"SPDX-2.1"}"#).unwrap();
    assert_eq!(d.spec_version, "2.1");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let d = json(r#"{"spdxVersion":"SPDX-3.0"}"#).unwrap();
    assert!(d
        .warnings
        .iter()
        .any(|w| w.code == "unexpected-spdx-version"));
    let d = json(r#"{"name":"x"}"#).unwrap();
    assert!(d.warnings.iter().any(|w| w.code == "missing-spdx-version"));
}

#[test]
fn hostile_json_inputs_are_clean_errors() {
    assert!(matches!(
        json(r#"{"spdxVersion":"SPDX-2.2","packages":[{"SPDXID":"#),
        Err(IngestError::Truncated { .. })
    ));
    assert!(matches!(
        json(r#"{"spdxVersion":"SPDX-2.2","packages":[{"name":{"x":1}}]}"#),
        Err(IngestError::Type { .. })
    ));
    assert!(matches!(json(r#"[1,2]"#), Err(IngestError::Type { .. })));
    assert!(matches!(json(""), Err(IngestError::Truncated { .. })));
    assert!(matches!(
        json("{} trailing"),
        Err(IngestError::Syntax { .. })
    ));
    // Deep nesting at a typed position is a type error; in an unknown field it is skipped
    // without recursion (serde_json ignores values iteratively), so it cannot exhaust the stack.
    let deep = format!("{{\"packages\":{}{}}}", "[".repeat(200), "]".repeat(200));
    assert!(json(&deep).is_err());
    let deep = format!("{{\"x\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let d = json(&deep).unwrap();
    assert!(d.warnings.iter().any(|w| w.code == "unknown-field"));
}

#[test]
fn yaml_reads_like_json_with_pointers_and_verbatim_versions() {
    let d = yaml(
        "spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: demo\ndocumentDescribes:\n- SPDXRef-a\npackages:\n- SPDXID: SPDXRef-a\n  name: a\n  versionInfo: 1.10\n  filesAnalyzed: false\n  externalRefs:\n  - referenceCategory: PACKAGE-MANAGER\n    referenceType: purl\n    referenceLocator: pkg:npm/a@1.10\n- SPDXID: SPDXRef-b\n  name: b\n  bogus: 1\nrelationships:\n- spdxElementId: SPDXRef-a\n  relationshipType: DEPENDS_ON\n  relatedSpdxElement: SPDXRef-b\n",
    )
    .unwrap();
    assert_eq!(d.spec_version, "2.3");
    assert_eq!(d.components[0].version.as_deref(), Some("1.10"));
    assert_eq!(d.components[0].purl.as_deref(), Some("pkg:npm/a@1.10"));
    assert_eq!(d.components[1].location, Location::pointer("/packages/1"));
    assert_eq!(d.relationships.len(), 1);
    assert_eq!(d.roots, vec![0]);
    assert!(d
        .warnings
        .iter()
        .any(|w| w.code == "unknown-field" && w.location == Location::pointer("/packages/1")));
}

#[test]
fn hostile_yaml_inputs_are_clean_errors() {
    assert!(matches!(
        yaml("spdxVersion: SPDX-2.3\nname: \"unterminated\n"),
        Err(IngestError::Syntax { .. } | IngestError::Truncated { .. })
    ));
    assert!(matches!(
        yaml("spdxVersion: SPDX-2.3\npackages:\n- name:\n    nested: map\n"),
        Err(IngestError::Type { .. })
    ));
    assert!(yaml("- a\n- b\n").is_err());
    let deep = format!(
        "spdxVersion: x\nbogus: {}{}\n",
        "[".repeat(300),
        "]".repeat(300)
    );
    // Skipped or refused, never a crash.
    let _ = yaml(&deep);
}
