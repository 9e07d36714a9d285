//! `bomvet registry list|show|lint|export` driven through the real binary, on the frozen
//! fixture (`tests/fixtures/registry`) and on broken copies of it.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::*;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry")
}

fn fx() -> String {
    fixture().display().to_string()
}

/// A fresh copy of the fixture under the test temp directory.
fn copy_fixture(name: &str) -> PathBuf {
    let dst = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("registry-{name}"));
    let _ = std::fs::remove_dir_all(&dst);
    copy_dir(&fixture(), &dst);
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn list_shows_every_vendor_of_the_fixture() {
    let (code, out, err) = run(&["registry", "--registry", &fx(), "list"]);
    assert_eq!(code, 0, "{err}");
    for id in [
        "kaspersky",
        "hikvision",
        "huawei",
        "juniper",
        "kasper-systems",
    ] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
    assert!(
        out.contains("registry 2026.01.15 (serial 7, sha256:"),
        "{out}"
    );
}

#[test]
fn list_json_has_designations_and_counts() {
    let (code, out, err) = run(&["registry", "list", "--registry", &fx(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["registry"]["version"], "2026.01.15");
    assert_eq!(v["registry"]["serial"], 7);
    let vendors = v["vendors"].as_array().unwrap();
    assert_eq!(vendors.len(), 5);
    let k = vendors.iter().find(|v| v["id"] == "kaspersky").unwrap();
    assert_eq!(k["hq_country"], "RU");
    assert_eq!(k["products"], 8);
    assert_eq!(k["oem_relations"], 1);
    assert!(k["designations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "us-bod-17-01"));
    let j = vendors.iter().find(|v| v["id"] == "juniper").unwrap();
    assert_eq!(j["embeds"], 1);
    assert_eq!(j["designations"].as_array().unwrap().len(), 0);
}

#[test]
fn show_prints_a_vendor_with_its_sources_in_full() {
    let (code, out, err) = run(&["registry", "--registry", &fx(), "show", "kaspersky"]);
    assert_eq!(code, 0, "{err}");
    for needle in [
        "Vendor kaspersky — Kaspersky",
        "HQ country: RU (Russian Federation)",
        "exempt: kaspersky-threat-intelligence",
        "АО «Лаборатория Касперского»",
        "juniper-srx-kaspersky-av",
        "versions >= 9.5, < 12.2",
        "Sources",
        "bod-17-01: BOD 17-01: Removal of Kaspersky-branded Products. Cybersecurity and Infrastructure Security Agency (DHS), 2017-09-13. https://www.cisa.gov/",
        "(Case 1:17-cv-02697 (D.D.C.))",
    ] {
        assert!(out.contains(needle), "{needle:?} missing:\n{out}");
    }
}

#[test]
fn show_resolves_products_oems_designations_and_sources() {
    let (code, out, _) = run(&[
        "registry",
        "--registry",
        &fx(),
        "show",
        "kaspersky-threat-intelligence",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("us-bod-17-01 — exempt"), "{out}");
    assert!(out.contains("us-far-52.204-23 — applies"), "{out}");
    let (code, out, _) = run(&[
        "registry",
        "--registry",
        &fx(),
        "show",
        "juniper-srx-kaspersky-av",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("OEM relation juniper-srx-kaspersky-av"),
        "{out}"
    );
    let (code, out, _) = run(&[
        "registry",
        "--registry",
        &fx(),
        "show",
        "us-far-52.204-25-video-surveillance",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("use context: public-safety"), "{out}");
    assert!(out.contains("vendors: hikvision"), "{out}");
    let (code, out, _) = run(&[
        "registry",
        "--registry",
        &fx(),
        "show",
        "fcc-covered-list",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matches"][0]["type"], "source");
    assert_eq!(
        v["matches"][0]["source"]["publisher"],
        "Federal Communications Commission"
    );
}

#[test]
fn show_json_nests_products_and_lists_cited_sources() {
    let (code, out, _) = run(&[
        "registry",
        "--registry",
        &fx(),
        "show",
        "huawei",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let m = &v["matches"][0];
    assert_eq!(m["type"], "vendor");
    assert_eq!(m["vendor"]["id"], "huawei");
    assert_eq!(m["vendor"]["products"][0]["id"], "huawei-hms-core");
    let keys: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"hms-core-docs") && keys.contains(&"far-52-204-25"),
        "{keys:?}"
    );
}

#[test]
fn show_of_an_unknown_id_fails_with_a_suggestion() {
    let (code, out, err) = run(&["registry", "--registry", &fx(), "show", "hikvison"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("did you mean \"hikvision\""), "{err}");
}

#[test]
fn lint_of_the_fixture_is_clean() {
    let (code, out, err) = run(&["registry", "lint", &fx()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 error(s), 0 warning(s), 0 note(s)"), "{out}");
}

#[test]
fn lint_of_a_broken_copy_lists_every_problem_with_file_and_key() {
    let dir = copy_fixture("broken");
    // A typo'd key.
    edit(
        &dir,
        "vendors/kaspersky.toml",
        "summary = \"Russian",
        "sumary = \"Russian",
    );
    // A bad country code.
    edit(
        &dir,
        "vendors/hikvision.toml",
        "hq_country = \"CN\"",
        "hq_country = \"XX\"",
    );
    // A source key that is not defined, and a claim without sources.
    edit(&dir, "vendors/huawei.toml", "sources = [\"hms-core-docs\"] },\n  { kind = \"purl\", value = \"pkg:maven/com.huawei.agconnect\"", "sources = [\"hms-docs\"] },\n  { kind = \"purl\", value = \"pkg:maven/com.huawei.agconnect\"");
    edit(
        &dir,
        "vendors/juniper.toml",
        "status = \"confirmed\"\nsources = [\"juniper-corporate\"]\n\n[[entity]]",
        "status = \"confirmed\"\n\n[[entity]]",
    );
    // A dangling product id.
    edit(
        &dir,
        "vendors/kaspersky.toml",
        "engine = \"kaspersky-anti-virus-sdk\"",
        "engine = \"kaspersky-av-sdk\"",
    );
    // A bad version range.
    edit(
        &dir,
        "vendors/kaspersky.toml",
        "versions = \">= 9.5, < 12.2\"",
        "versions = \">= 9.5 < 12.2\"",
    );
    // A wrong type and a bad enum value in the same file as other problems.
    edit(
        &dir,
        "designations.toml",
        "affiliates = true\nsuccessors = true\nsummary = \"Federal",
        "affiliates = \"yes\"\nsuccessors = true\nsummary = \"Federal",
    );
    edit(
        &dir,
        "vendors/huawei.toml",
        "relation = \"parent\"",
        "relation = \"mother\"",
    );

    let d = dir.display().to_string();
    let (code, out, err) = run(&["registry", "lint", &d]);
    assert_eq!(code, 2, "{out}{err}");
    for needle in [
        "vendors/kaspersky.toml:6:1: error[unknown-key]: sumary: unknown key `sumary`; did you mean `summary`?",
        "vendors/hikvision.toml:4:14: error[unknown-country]: hq_country: \"XX\" is not a country code",
        "vendors/huawei.toml:48:89: error[unknown-source]: product[0].identifiers[0].sources[0]: source \"hms-docs\" is not defined",
        "vendors/juniper.toml:1:6: error[no-sources]: sources: every claim needs sources",
        "error[dangling-reference]: oem[0].engine: product \"kaspersky-av-sdk\" is not a product of vendor \"kaspersky\"",
        "error[bad-version-range]: oem[0].versions:",
        "designations.toml:10:14: error[invalid-type]: designation[0].affiliates:",
        "vendors/huawei.toml:24:12: error[unknown-value]: entity[0].relation: `mother` is not allowed here",
    ] {
        assert!(out.contains(needle), "{needle:?} missing:\n{out}");
    }
    assert!(
        out.contains(": 9 file(s), 8 error(s), 0 warning(s)"),
        "{out}"
    );
    // The same problems, as JSON.
    let (code, out, _) = run(&["registry", "lint", &d, "--format", "json"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"], 8);
    let p = v["problems"].as_array().unwrap();
    assert!(p.iter().any(|p| p["file"] == "vendors/kaspersky.toml"
        && p["key"] == "oem[0].versions"
        && p["code"] == "bad-version-range"
        && p["line"].is_u64()));
}

#[test]
fn every_command_refuses_a_broken_registry_and_lists_its_problems() {
    let dir = copy_fixture("refused");
    edit(
        &dir,
        "vendors/kaspersky.toml",
        "hq_country = \"RU\"",
        "hq_country = \"SU\"",
    );
    edit(
        &dir,
        "countries.toml",
        "status = \"confirmed\"",
        "status = \"maybe\"",
    );
    let d = dir.display().to_string();
    for cmd in [vec!["list"], vec!["show", "kaspersky"], vec!["export"]] {
        let mut args = vec!["registry", "--registry", d.as_str()];
        args.extend(cmd.iter().copied());
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{cmd:?}");
        assert!(out.is_empty(), "{cmd:?}: {out}");
        assert!(err.contains("has 2 error(s)"), "{err}");
        assert!(
            err.contains("vendors/kaspersky.toml:4:14: error[unknown-country]: hq_country"),
            "{err}"
        );
        assert!(
            err.contains("countries.toml:") && err.contains("group[0].status"),
            "{err}"
        );
    }
}

#[test]
fn a_missing_registry_directory_is_an_error() {
    let (code, _, err) = run(&["registry", "--registry", "/nonexistent/registry", "list"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the registry at /nonexistent/registry"),
        "{err}"
    );
    let (code, _, err) = run(&["registry", "lint", "/nonexistent/registry"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn export_is_one_json_document_with_version_and_digest() {
    let (code, out, err) = run(&[
        "registry",
        "--registry",
        &fx(),
        "export",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["registry"]["version"], "2026.01.15");
    assert_eq!(v["registry"]["serial"], 7);
    let digest = v["registry"]["digest"].as_str().unwrap();
    assert!(digest.starts_with("sha256:") && digest.len() == 71);
    assert_eq!(v["designations"].as_array().unwrap().len(), 7);
    assert_eq!(v["countries"]["RU"], "Russian Federation");
    let k = v["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "kaspersky")
        .unwrap();
    assert_eq!(k["products"].as_array().unwrap().len(), 8);
    assert_eq!(k["oems"][0]["versions"], ">= 9.5, < 12.2");
    assert_eq!(k["oems"][0]["from"], "2009");
    assert_eq!(k["entities"][0]["name"], "AO Kaspersky Lab");
    // The digest is the one lint reports for the same directory.
    let (_, lint, _) = run(&["registry", "lint", &fx(), "--format", "json"]);
    let l: Value = serde_json::from_str(&lint).unwrap();
    assert_eq!(l["digest"], digest);
}

#[test]
fn export_writes_to_a_file_with_output() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("registry-export.json");
    let _ = std::fs::remove_file(&path);
    let p = path.display().to_string();
    let (code, out, err) = run(&["registry", "--registry", &fx(), "export", "-o", &p]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["vendors"].as_array().unwrap().len(), 5);
}

#[test]
fn the_embedded_registry_is_used_without_registry() {
    let (code, out, err) = run(&["registry", "lint"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("embedded"), "{out}");
    let (code, out, err) = run(&["registry", "export"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["registry"]["origin"], "embedded");
}
