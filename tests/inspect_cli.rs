//! `bomvet inspect` end to end: detection from content, every serialisation, transparent
//! gzip / UTF-16 / stdin, hostile inputs (exit 2, a clear error, never a panic), batches where
//! one bad file does not stop the others, `--strict`, and snapshots of the JSON and table output.

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::*;

fn tmp(name: &str, data: &[u8]) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("inspect-cli");
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

fn inspect_json(args: &[&str]) -> (i32, Value, String) {
    let out = bomvet()
        .arg("inspect")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SMALL_CDX: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "version": 1,
  "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "app", "version": "1.0"}},
  "components": [
    {"bom-ref": "lib-a", "type": "library", "name": "lib-a", "version": "2.0", "purl": "pkg:npm/lib-a@2.0",
     "components": [{"bom-ref": "inner", "type": "library", "name": "inner"}]},
    {"bom-ref": "lib-b", "type": "library", "name": "lib-b"}
  ],
  "dependencies": [
    {"ref": "app", "dependsOn": ["lib-a", "lib-b"]},
    {"ref": "lib-b", "dependsOn": ["ghost"]}
  ]
}"#;

#[test]
fn a_small_cyclonedx_document_is_summarised() {
    let p = tmp("small.cdx.json", SMALL_CDX.as_bytes());
    let (code, v, _) = inspect_json(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    let d = &v["documents"][0];
    assert_eq!(d["format"], "cyclonedx-json");
    assert_eq!(d["spec_version"], "1.6");
    assert_eq!(
        d["components"], 3,
        "nested components count, metadata.component does not"
    );
    assert_eq!(d["roots"][0], "app");
    assert_eq!(d["relationship_counts"]["contains"], 1);
    assert_eq!(d["relationship_counts"]["depends-on"], 2);
    let codes: Vec<&str> = d["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"dangling-ref"), "{codes:?}");
    let mut v = v;
    v["documents"][0]["source"] = "[source]".into();
    insta::assert_json_snapshot!("small_cdx_inspect", v);
}

#[test]
fn the_format_is_detected_from_content_not_the_file_name() {
    let p = tmp("misleading.xml", SMALL_CDX.as_bytes());
    let (code, v, _) = inspect_json(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["documents"][0]["format"], "cyclonedx-json");
}

#[test]
fn gzip_utf16_and_stdin_are_read_transparently() {
    let gz = flate2_like_gzip(SMALL_CDX.as_bytes());
    let p = tmp("small.cdx.json.gz", &gz);
    let (code, v, _) = inspect_json(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["documents"][0]["components"], 3);

    let mut utf16 = vec![0xFF, 0xFE];
    for u in SMALL_CDX.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let p = tmp("small-utf16le.cdx.json", &utf16);
    let (code, v, _) = inspect_json(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["documents"][0]["components"], 3);

    let out = bomvet()
        .args(["inspect", "--format", "json", "-"])
        .write_stdin(SMALL_CDX)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["source"], "-");
}

/// A gzip member with stored (uncompressed) deflate blocks, written by hand so the test does
/// not share code with the reader it checks.
fn flate2_like_gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let chunks: Vec<&[u8]> = data.chunks(65535).collect();
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = c.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn hostile_inputs_are_clean_errors_with_exit_2() {
    let deep = format!(
        "{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{}{}]}}",
        "{\"type\":\"library\",\"name\":\"x\",\"components\":[".repeat(300),
        "]}".repeat(300)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.json", Vec::new(), "empty"),
        (
            "not-sbom.json",
            br#"{"hello": "world"}"#.to_vec(),
            "not-sbom",
        ),
        (
            "syntax.cdx.json",
            b"{\"bomFormat\": \"CycloneDX\",\n \"specVersion\": \"1.6\",\n \"components\": [}"
                .to_vec(),
            "syntax",
        ),
        (
            "truncated.cdx.json",
            SMALL_CDX.as_bytes()[..SMALL_CDX.len() / 2].to_vec(),
            "truncated",
        ),
        (
            "wrong-type.cdx.json",
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"lots"}"#.to_vec(),
            "type",
        ),
        ("deep.cdx.json", deep.into_bytes(), "too-deep"),
        ("binary.bin", (0u8..=255).cycle().take(4096).collect(), ""),
    ];
    for (name, data, kind) in cases {
        let p = tmp(name, &data);
        let (code, v, err) = inspect_json(&[p.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: {v}");
        let e = &v["errors"][0];
        assert!(e["source"].as_str().unwrap().ends_with(name));
        if !kind.is_empty() {
            assert_eq!(e["kind"], kind, "{name}: {e}");
        }
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(err.contains(name), "the message names the file: {err}");
    }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let p = tmp(
        "syntax-line.cdx.json",
        b"{\"bomFormat\": \"CycloneDX\",\n \"specVersion\": \"1.6\",\n \"components\": [}",
    );
    let (_, v, _) = inspect_json(&[p.to_str().unwrap()]);
    let msg = v["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("line 3"), "{msg}");
}

#[test]
fn an_absurd_size_is_refused_under_the_configured_limit() {
    let p = tmp("big.cdx.json", SMALL_CDX.as_bytes());
    let (code, v, _) = inspect_json(&["--max-size", "100", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["kind"], "too-large");
}

#[test]
fn one_bad_file_in_a_batch_does_not_stop_the_others() {
    let good = tmp("batch-good.cdx.json", SMALL_CDX.as_bytes());
    let bad = tmp("batch-bad.cdx.json", b"{\"bomFormat\": \"CycloneDX\", ");
    let (code, v, _) = inspect_json(&[
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
        "samples/web-service.spdx",
    ]);
    assert_eq!(code, 2);
    assert_eq!(v["documents"].as_array().unwrap().len(), 2);
    assert_eq!(v["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let p = tmp("strict.cdx.json", SMALL_CDX.as_bytes());
    let (code, _, _) = inspect_json(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, v, _) = inspect_json(&["--strict", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["errors"][0]["kind"], "strict");
}

#[test]
fn spdx_of_relationships_are_flipped() {
    let doc = r#"{
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
  "name": "flip", "documentNamespace": "https://example.com/flip",
  "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: test"]},
  "packages": [
    {"SPDXID": "SPDXRef-app", "name": "app", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-lib", "name": "lib", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-part", "name": "part", "downloadLocation": "NOASSERTION"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-lib", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-part", "relationshipType": "CONTAINED_BY", "relatedSpdxElement": "SPDXRef-lib"}
  ]
}"#;
    let p = tmp("flip.spdx.json", doc.as_bytes());
    let (code, v, _) = inspect_json(&[p.to_str().unwrap()]);
    assert_eq!(code, 0);
    let d = &v["documents"][0];
    assert_eq!(d["format"], "spdx-json");
    assert_eq!(d["roots"][0], "SPDXRef-app");
    assert_eq!(d["relationship_counts"]["depends-on"], 1);
    assert_eq!(d["relationship_counts"]["contains"], 1);
    // The flipped edges make app → lib → part one chain: audit's path shows it.
    let out = bomvet()
        .args(["inspect", "--components", "--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["documents"][0]["component_list"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn every_sample_has_a_table_snapshot() {
    let mut all = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    entries.sort();
    for p in entries {
        let rel = p
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let out = bomvet().args(["inspect", &rel]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{rel}");
        all.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    insta::assert_snapshot!("samples_inspect_table", all);
}

#[test]
fn terminal_escapes_in_a_name_are_shown_inert() {
    let doc = SMALL_CDX.replace("\"name\": \"lib-b\"", "\"name\": \"lib-b\\u001b[31mRED\"");
    let p = tmp("escape.cdx.json", doc.as_bytes());
    let out = bomvet()
        .args(["inspect", "--components"])
        .arg(&p)
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(!s.contains('\u{1b}'), "{s}");
    assert!(s.contains("\\u{1b}[31mRED"), "{s}");
}

/// A mapped input is given back to the page cache as the reader passes it (every 8 MiB):
/// every component must still read as it does from a plain read, in the components, the
/// dependency section after them, and the XML dependency list whose references are kept as
/// no text.
#[test]
fn released_input_reads_the_same_as_read_input() {
    use bomvet::sbomgen::{generate, GenFormat};
    for format in [GenFormat::CdxJson, GenFormat::CdxXml] {
        let g = generate(format, 30_000, 11);
        assert!(
            g.text.len() > 17 << 20,
            "the input must be large enough to be released: {} bytes",
            g.text.len()
        );
        let p = tmp(&format!("released-{format:?}"), g.text.as_bytes());
        let p = p.to_str().unwrap();
        let (code, mapped, _) = inspect_json(&["--components", p]);
        let (code_read, read, _) = inspect_json(&["--components", "--no-mmap", p]);
        assert_eq!((code, code_read), (0, 0), "{format:?}");
        assert!(mapped["documents"][0]["components"].as_u64().unwrap() >= 30_000);
        assert_eq!(mapped, read, "{format:?}: mapped and read reports differ");
    }
}

/// Files of a megabyte and more are mapped into memory rather than read (unless `--no-mmap`):
/// the report must not depend on which, for plain UTF-8, gzip, UTF-16, a byte order mark and
/// invalid UTF-8 alike.
#[test]
fn large_files_read_the_same_mapped_or_not() {
    use bomvet::sbomgen::{generate, GenFormat};
    let g = generate(GenFormat::CdxJson, 3_000, 7);
    assert!(
        g.text.len() > 1 << 20,
        "the input must be large enough to be mapped"
    );
    let mut utf16 = vec![0xFE, 0xFF];
    for u in g.text.encode_utf16() {
        utf16.extend_from_slice(&u.to_be_bytes());
    }
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(g.text.as_bytes());
    let mut latin1 = g.text.as_bytes().to_vec();
    let at = latin1.len() / 2;
    latin1[at] = 0xE9;
    let spdx = generate(GenFormat::SpdxTagValue, 3_000, 7);
    let files = [
        ("large.cdx.json", g.text.as_bytes().to_vec(), 0),
        ("large.cdx.json.gz", flate2_like_gzip(g.text.as_bytes()), 0),
        ("large-utf16be.cdx.json", utf16, 0),
        ("large-bom.cdx.json", bom, 0),
        ("large-latin1.cdx.json", latin1, 2),
        ("large.spdx", spdx.text.into_bytes(), 0),
    ];
    for (name, data, want) in files {
        let p = tmp(name, &data);
        let p = p.to_str().unwrap();
        let (code, mapped, _) = inspect_json(&["--components", p]);
        let (code_read, read, _) = inspect_json(&["--components", "--no-mmap", p]);
        assert_eq!((code, code_read), (want, want), "{name}");
        assert_eq!(mapped, read, "{name}: mapped and read reports differ");
        if want == 0 {
            assert!(mapped["documents"][0]["components"].as_u64().unwrap() >= 3_000);
        } else {
            let msg = mapped["errors"][0]["message"].as_str().unwrap();
            assert!(msg.contains("line"), "{name}: {msg}");
        }
    }
}
