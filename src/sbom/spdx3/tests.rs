//! Tests of the SPDX 3 reader on small inline graphs.

use super::*;
use crate::sbom::{Document, Format};

const CTX: &str = r#""@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld""#;

fn doc_with(text: &str, limits: &Limits) -> Result<Document, IngestError> {
    let mut b = Builder::new("t", Format::Spdx3JsonLd);
    read(text, &mut b, limits)?;
    b.finish(false)
}

fn doc(text: &str) -> Document {
    doc_with(text, &Limits::default()).expect("reads")
}

/// A document whose `@graph` holds `elements` (a comma-separated list of JSON objects).
fn graph(elements: &str) -> String {
    format!(r#"{{ {CTX}, "@graph": [ {elements} ] }}"#)
}

fn comp<'d>(d: &'d Document, r: &str) -> &'d Component {
    d.components
        .iter()
        .find(|c| c.bom_ref == r)
        .unwrap_or_else(|| panic!("no component {r}"))
}

fn edges(d: &Document) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = d
        .relationships
        .iter()
        .filter(|r| !r.inferred)
        .map(|r| {
            (
                d.component(r.from).bom_ref.to_string(),
                d.component(r.to).bom_ref.to_string(),
                r.kind.name(),
            )
        })
        .collect();
    v.sort();
    v
}

fn codes(d: &Document) -> Vec<&'static str> {
    d.warnings.iter().map(|w| w.code).collect()
}

fn pkg(id: &str) -> String {
    format!(r#"{{"type": "software_Package", "spdxId": "{id}", "name": "{id}"}}"#)
}

fn rel(from: &str, ty: &str, to: &[&str]) -> String {
    let quoted: Vec<String> = to.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        r#"{{"type": "Relationship", "spdxId": "rel-{from}-{ty}-{}", "from": "{from}", "relationshipType": "{ty}", "to": [{}]}}"#,
        to.join("-"),
        quoted.join(",")
    )
}

// ---------------------------------------------------------------------------------------------
// Component fields.

#[test]
fn package_properties_map_onto_component_fields() {
    let d = doc(&graph(
        r#"{
        "type": "software_Package", "spdxId": "urn:p",
        "name": " openssl ", "software_packageVersion": "3.0.1",
        "software_packageUrl": "pkg:generic/openssl@3.0.1",
        "software_downloadLocation": "https://dl.example/openssl.tgz",
        "software_homePage": "https://openssl.org",
        "software_sourceInfo": "built from git tag openssl-3.0.1",
        "software_copyrightText": "Copyright OpenSSL",
        "description": "TLS library", "summary": "TLS",
        "software_primaryPurpose": "library", "software_additionalPurpose": ["source"],
        "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "ABCD"},
                          {"type": "Hash", "algorithm": "sha-1", "hashValue": "ef01"}],
        "externalIdentifier": [
            {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
             "identifier": "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*"},
            {"type": "ExternalIdentifier", "externalIdentifierType": "cpe22",
             "identifier": "cpe:/a:openssl:openssl:3.0.1"},
            {"type": "ExternalIdentifier", "externalIdentifierType": "swid",
             "identifier": "swid-tag-1"},
            {"type": "ExternalIdentifier", "externalIdentifierType": "gitoid",
             "identifier": "gitoid:blob:sha1:abc", "identifierLocator": ["https://loc.example"]},
            {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
             "identifier": "pkg:deb/debian/openssl@3.0.1"}],
        "externalRef": [{"type": "ExternalRef", "externalRefType": "vcs",
                         "locator": ["https://github.com/openssl/openssl", "git://x"]}],
        "comment": "spec-defined, not needed", "builtTime": "2024-01-01T00:00:00Z"
    }"#,
    ));
    assert_eq!(d.components.len(), 1);
    let c = &d.components[0];
    assert_eq!(c.bom_ref, "urn:p");
    assert!(!c.ref_synthesized);
    assert_eq!(c.name, "openssl");
    assert_eq!(c.version.as_deref(), Some("3.0.1"));
    assert_eq!(c.purl.as_deref(), Some("pkg:generic/openssl@3.0.1"));
    assert!(c
        .properties
        .contains(&("purl".into(), "pkg:deb/debian/openssl@3.0.1".into())));
    assert_eq!(c.kind.as_deref(), Some("library"));
    assert!(c
        .properties
        .contains(&("additionalPurpose".into(), "source".into())));
    assert_eq!(c.copyright.as_deref(), Some("Copyright OpenSSL"));
    assert_eq!(c.description.as_deref(), Some("TLS library"));
    assert!(c.properties.contains(&("summary".into(), "TLS".into())));
    assert_eq!(
        c.hashes,
        vec![Hash::new("SHA256", "abcd"), Hash::new("SHA1", "ef01")]
    );
    assert_eq!(c.cpes.len(), 2);
    assert_eq!(
        c.swid.as_ref().and_then(|s| s.tag_id.as_deref()),
        Some("swid-tag-1")
    );
    assert!(c.properties.contains(&(
        "externalIdentifier:gitoid".into(),
        "gitoid:blob:sha1:abc".into()
    )));
    let links: Vec<(&str, &str)> = c
        .links
        .iter()
        .map(|l| (l.kind.as_str(), l.url.as_str()))
        .collect();
    for want in [
        ("download", "https://dl.example/openssl.tgz"),
        ("homepage", "https://openssl.org"),
        ("source-info", "built from git tag openssl-3.0.1"),
        ("vcs", "https://github.com/openssl/openssl"),
        ("vcs", "git://x"),
        ("identifier-locator", "https://loc.example"),
    ] {
        assert!(links.contains(&want), "missing {want:?} in {links:?}");
    }
    assert_eq!(c.location, Location::pointer("/@graph/0"));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn summary_is_the_description_when_there_is_none() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p", "summary": "short"}"#,
    ));
    assert_eq!(d.components[0].description.as_deref(), Some("short"));
}

#[test]
fn noassertion_download_and_copyright_are_not_values() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p",
            "software_downloadLocation": "NOASSERTION", "software_copyrightText": "NONE"}"#,
    ));
    let c = &d.components[0];
    assert!(c.links.is_empty());
    assert!(c.copyright.is_none());
}

#[test]
fn file_is_a_component_of_kind_file_with_its_name_as_file_name() {
    let d = doc(&graph(
        r#"{"type": "software_File", "spdxId": "f", "name": "./bin/app",
            "software_primaryPurpose": "executable",
            "verifiedUsing": [{"type": "Hash", "algorithm": "md5", "hashValue": "aa"}]}"#,
    ));
    let c = &d.components[0];
    assert_eq!(c.kind.as_deref(), Some("file"));
    assert_eq!(c.file_names, vec!["./bin/app".to_string()]);
    assert!(c
        .properties
        .contains(&("primaryPurpose".into(), "executable".into())));
    assert_eq!(c.hashes, vec![Hash::new("MD5", "aa")]);
}

#[test]
fn ai_and_dataset_packages_are_components_and_snippets_are_not() {
    let d = doc(&graph(
        r#"{"type": "ai_AIPackage", "spdxId": "m", "name": "model", "ai_domain": ["vision"]},
           {"type": "dataset_DatasetPackage", "spdxId": "ds", "name": "data",
            "dataset_datasetType": ["image"]},
           {"type": "ai_AIPackage", "spdxId": "m2", "name": "m2", "software_primaryPurpose": "application"},
           {"type": "software_Snippet", "spdxId": "s", "software_snippetFromFile": "m"}"#,
    ));
    assert_eq!(d.components.len(), 3);
    assert_eq!(
        comp(&d, "m").kind.as_deref(),
        Some("machine-learning-model")
    );
    assert_eq!(comp(&d, "ds").kind.as_deref(), Some("data"));
    assert_eq!(comp(&d, "m2").kind.as_deref(), Some("application"));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn every_spelling_of_classes_and_properties_reads_the_same() {
    let spellings = [
        r#"{"type": "software_Package", "spdxId": "p", "name": "n", "software_packageVersion": "1"}"#,
        r#"{"type": "software:Package", "spdxId": "p", "name": "n", "software:packageVersion": "1"}"#,
        r#"{"@type": "Package", "@id": "p", "spdx:name": "n", "packageVersion": "1"}"#,
        r#"{"type": "https://spdx.org/rdf/3.0.1/terms/Software/Package", "spdxId": "p",
            "https://spdx.org/rdf/3.0.1/terms/Core/name": "n",
            "https://spdx.org/rdf/3.0.1/terms/Software/packageVersion": "1"}"#,
        r#"{"type": ["Annotation-ish", "software_Package"], "spdxId": "p", "name": "n", "software_packageVersion": "1"}"#,
    ];
    for s in spellings {
        let d = doc(&graph(s));
        assert_eq!(d.components.len(), 1, "{s}");
        let c = &d.components[0];
        assert_eq!(
            (c.bom_ref.as_str(), c.name.as_str(), c.version.as_deref()),
            ("p", "n", Some("1")),
            "{s}"
        );
        assert!(d.warnings.is_empty(), "{s}: {:?}", d.warnings);
    }
}

#[test]
fn purpose_in_camel_case_becomes_kebab_kind() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "os", "software_primaryPurpose": "operatingSystem"}"#,
    ));
    assert_eq!(d.components[0].kind.as_deref(), Some("operating-system"));
}

#[test]
fn package_without_id_gets_a_synthesized_ref() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "name": "x", "software_packageVersion": "2"}"#,
    ));
    assert_eq!(d.components[0].bom_ref, "x@2");
    assert!(d.components[0].ref_synthesized);
}

#[test]
fn verification_code_is_a_hash_on_files_and_a_property_on_packages() {
    let d = doc(&graph(
        r#"{"type": "software_File", "spdxId": "f", "name": "f",
            "verifiedUsing": [{"type": "PackageVerificationCode", "algorithm": "sha256", "hashValue": "aa", "spdxId": "x"}]},
           {"type": "software_Package", "spdxId": "p", "name": "p",
            "verifiedUsing": [{"type": "PackageVerificationCode", "algorithm": "sha1", "hashValue": "bb"}]}"#,
    ));
    assert_eq!(comp(&d, "f").hashes, vec![Hash::new("SHA256", "aa")]);
    let p = comp(&d, "p");
    assert!(p.hashes.is_empty());
    assert!(p
        .properties
        .contains(&("packageVerificationCode".into(), "bb".into())));
}

#[test]
fn out_of_line_external_identifiers_are_resolved_in_any_order() {
    // Microsoft sbom-tool: externalIdentifier holds ids of top-level ExternalIdentifier elements.
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p",
            "externalIdentifier": ["ext-1", "ext-missing"]},
           {"type": "ExternalIdentifier", "spdxId": "ext-1", "externalIdentifierType": "purl",
            "identifier": "pkg:nuget/Foo@1.0"}"#,
    ));
    assert_eq!(d.components.len(), 1);
    assert_eq!(d.components[0].purl.as_deref(), Some("pkg:nuget/Foo@1.0"));
    assert_eq!(codes(&d), vec!["dangling-ref"]);
}

// ---------------------------------------------------------------------------------------------
// Agents.

#[test]
fn supplier_and_originators_resolve_to_agents_defined_later() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p",
            "suppliedBy": "org", "originatedBy": ["person", "tool", "sw", "agent"]},
           {"type": "Organization", "spdxId": "org", "name": "AO Kaspersky Lab",
            "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "email", "identifier": "info@kaspersky.com"}],
            "externalRef": [{"type": "ExternalRef", "externalRefType": "altWebPage", "locator": ["https://kaspersky.com"]}]},
           {"type": "Person", "spdxId": "person", "name": "Jane"},
           {"type": "Tool", "spdxId": "tool", "name": "builder"},
           {"type": "SoftwareAgent", "spdxId": "sw", "name": "bot"},
           {"type": "Agent", "spdxId": "agent", "name": "someone"}"#,
    ));
    let c = &d.components[0];
    let s = c.supplier.as_ref().expect("supplier");
    assert_eq!(s.kind, PartyKind::Organization);
    assert_eq!(s.name, "AO Kaspersky Lab");
    assert_eq!(s.emails, vec!["info@kaspersky.com".to_string()]);
    assert_eq!(s.urls, vec!["https://kaspersky.com".to_string()]);
    let kinds: Vec<(PartyKind, &str)> = c
        .originators
        .iter()
        .map(|p| (p.kind, p.name.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (PartyKind::Person, "Jane"),
            (PartyKind::Tool, "builder"),
            (PartyKind::Tool, "bot"),
            (PartyKind::Unprefixed, "someone"),
        ]
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn supplier_given_before_and_after_the_agent_resolve_alike() {
    let agent = r#"{"type": "Organization", "spdxId": "org", "name": "Huawei"}"#;
    let p = r#"{"type": "software_Package", "spdxId": "p", "name": "p", "suppliedBy": "org"}"#;
    for text in [
        graph(&format!("{agent},{p}")),
        graph(&format!("{p},{agent}")),
    ] {
        let d = doc(&text);
        assert_eq!(
            d.components[0].supplier.as_ref().map(|s| s.name.as_str()),
            Some("Huawei")
        );
    }
}

#[test]
fn inline_supplier_object_is_a_party_and_defines_the_agent() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p",
            "suppliedBy": {"type": "Organization", "spdxId": "org", "name": "ZTE"}},
           {"type": "software_Package", "spdxId": "q", "name": "q", "suppliedBy": "org"},
           {"type": "Relationship", "spdxId": "r", "from": "p", "relationshipType": "dependsOn", "to": ["org"]}"#,
    ));
    for r in ["p", "q"] {
        let s = comp(&d, r).supplier.as_ref().expect("supplier");
        assert_eq!((s.kind, s.name.as_str()), (PartyKind::Organization, "ZTE"));
    }
    assert!(d.relationships.iter().all(|r| r.inferred));
    assert!(!codes(&d).contains(&"dangling-ref"));
}

#[test]
fn spdx2_style_agent_names_are_split() {
    // sbom-tool: `"type": "Organization", "name": "Organization: Microsoft"`.
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p", "suppliedBy": "org", "originatedBy": ["a", "na"]},
           {"type": "Organization", "spdxId": "org", "name": "Organization: Microsoft (opensource@microsoft.com)"},
           {"type": "Agent", "spdxId": "a", "name": "Person: Jane"},
           {"type": "Organization", "spdxId": "na", "name": "NOASSERTION"}"#,
    ));
    let c = &d.components[0];
    let s = c.supplier.as_ref().unwrap();
    assert_eq!(
        (s.kind, s.name.as_str()),
        (PartyKind::Organization, "Microsoft")
    );
    assert_eq!(s.emails, vec!["opensource@microsoft.com".to_string()]);
    assert_eq!(c.originators[0].kind, PartyKind::Person);
    assert_eq!(c.originators[0].name, "Jane");
    assert_eq!(c.originators[1].kind, PartyKind::NoAssertion);
}

#[test]
fn supplier_noassertion_element_and_bad_references() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": "p", "suppliedBy": "NoAssertionElement"},
           {"type": "software_Package", "spdxId": "q", "name": "q", "suppliedBy": "nobody"},
           {"type": "software_Package", "spdxId": "r", "name": "r", "suppliedBy": "p"},
           {"type": "software_Package", "spdxId": "s", "name": "s", "suppliedBy": "https://spdx.org/rdf/3.0.1/terms/Core/NoneElement"}"#,
    ));
    assert_eq!(
        comp(&d, "p").supplier.as_ref().map(|s| s.kind),
        Some(PartyKind::NoAssertion)
    );
    assert!(comp(&d, "q").supplier.is_none());
    assert!(comp(&d, "r").supplier.is_none());
    assert!(comp(&d, "s").supplier.is_none());
    let c = codes(&d);
    assert!(c.contains(&"dangling-ref"), "{c:?}");
    assert!(c.contains(&"not-an-agent"), "{c:?}");
}

#[test]
fn out_of_line_agent_email() {
    let d = doc(&graph(
        r#"{"type": "Person", "spdxId": "a", "name": "Jo", "externalIdentifier": ["e"]},
           {"type": "ExternalIdentifier", "spdxId": "e", "externalIdentifierType": "email", "identifier": "jo@x.example"},
           {"type": "software_Package", "spdxId": "p", "name": "p", "suppliedBy": "a"}"#,
    ));
    assert_eq!(
        d.components[0].supplier.as_ref().unwrap().emails,
        vec!["jo@x.example".to_string()]
    );
}

// ---------------------------------------------------------------------------------------------
// Licences.

#[test]
fn licence_relationships_become_component_licences_not_edges() {
    let d = doc(&graph(
        &[
            rel("p", "hasConcludedLicense", &["lic-expr"]),
            rel(
                "p",
                "hasDeclaredLicense",
                &["https://spdx.org/licenses/MIT"],
            ),
            rel("p", "HAS_DECLARED_LICENSE", &["lic-expr"]),
            rel(
                "p",
                "hasDeclaredLicense",
                &["expandedlicensing_NoAssertionLicense"],
            ),
            rel("p", "hasDeclaredLicense", &["el-noassert"]),
            pkg("p"),
            r#"{"type": "simplelicensing_LicenseExpression", "spdxId": "lic-expr",
                "simplelicensing_licenseExpression": "Apache-2.0 OR GPL-2.0-only"}"#
                .into(),
            r#"{"type": "Element", "spdxId": "el-noassert", "name": "NOASSERTION"}"#.into(),
        ]
        .join(","),
    ));
    let c = comp(&d, "p");
    assert_eq!(
        c.licenses,
        vec!["Apache-2.0 OR GPL-2.0-only".to_string(), "MIT".to_string()]
    );
    assert!(d.relationships.is_empty());
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn expanded_licence_trees_are_rendered_as_expressions() {
    let d = doc(&graph(
        &[
            pkg("p"),
            rel("p", "hasConcludedLicense", &["set"]),
            r#"{"type": "expandedlicensing_ConjunctiveLicenseSet", "spdxId": "set",
                "expandedlicensing_member": ["https://spdx.org/licenses/MIT", "or", "with", "later"]}"#
                .into(),
            r#"{"type": "expandedlicensing_DisjunctiveLicenseSet", "spdxId": "or",
                "expandedlicensing_member": ["https://spdx.org/licenses/BSD-3-Clause", "custom"]}"#
                .into(),
            r#"{"type": "expandedlicensing_CustomLicense", "spdxId": "https://x.example/LicenseRef-mine",
                "simplelicensing_licenseText": "do what you like"}"#
                .into(),
            r#"{"type": "expandedlicensing_ListedLicense", "spdxId": "custom", "name": "Zlib"}"#.into(),
            r#"{"type": "expandedlicensing_WithAdditionOperator", "spdxId": "with",
                "expandedlicensing_subjectExtendableLicense": "https://spdx.org/licenses/GPL-2.0-only",
                "expandedlicensing_subjectAddition": "exc"}"#
                .into(),
            r#"{"type": "expandedlicensing_ListedLicenseException", "spdxId": "https://spdx.org/licenses/Classpath-exception-2.0"}"#
                .into(),
            r#"{"type": "expandedlicensing_OrLaterOperator", "spdxId": "later",
                "expandedlicensing_subjectLicense": "https://spdx.org/licenses/LGPL-2.1"}"#
                .into(),
            rel("p", "hasDeclaredLicense", &["https://x.example/LicenseRef-mine"]),
        ]
        .join(",")
        .replace("\"exc\"", "\"https://spdx.org/licenses/Classpath-exception-2.0\""),
    ));
    assert_eq!(
        comp(&d, "p").licenses,
        vec![
            "MIT AND (BSD-3-Clause OR Zlib) AND GPL-2.0-only WITH Classpath-exception-2.0 AND LGPL-2.1+"
                .to_string(),
            "LicenseRef-mine".to_string()
        ]
    );
}

#[test]
fn licence_cycles_and_dangling_licences_warn() {
    let d = doc(&graph(
        &[
            pkg("p"),
            rel("p", "hasConcludedLicense", &["a", "nowhere"]),
            r#"{"type": "expandedlicensing_ConjunctiveLicenseSet", "spdxId": "a", "expandedlicensing_member": ["b"]}"#.into(),
            r#"{"type": "expandedlicensing_DisjunctiveLicenseSet", "spdxId": "b", "expandedlicensing_member": ["a"]}"#.into(),
        ]
        .join(","),
    ));
    let c = codes(&d);
    assert!(c.contains(&"licence-cycle"), "{c:?}");
    assert!(c.contains(&"dangling-ref"), "{c:?}");
}

// ---------------------------------------------------------------------------------------------
// Relationships.

#[test]
fn relationship_types_map_with_fixed_direction() {
    let mut els: Vec<String> = ["a", "b", "c"].iter().map(|p| pkg(p)).collect();
    for (ty, from, to) in [
        ("dependsOn", "a", "b"),
        ("contains", "a", "c"),
        ("hasStaticLink", "b", "c"),
        ("hasDynamicLink", "c", "b"),
        ("ancestorOf", "a", "b"),
        ("descendantOf", "b", "c"),
        ("hasVariant", "c", "a"),
        ("variantOf", "b", "a"),
        ("generates", "a", "c"),
        ("hasOptionalDependency", "b", "a"),
        ("hasProvidedDependency", "c", "a"),
        ("hasPrerequisite", "c", "b"),
        ("hasDistributionArtifact", "a", "b"),
        ("amendedBy", "a", "c"),
        ("DEPENDENCY_OF", "c", "a"),
        ("DEV_DEPENDENCY_OF", "b", "c"),
        ("CONTAINED_BY", "b", "a"),
        ("hasTest", "b", "c"),
    ] {
        els.push(rel(from, ty, &[to]));
    }
    let d = doc(&graph(&els.join(",")));
    let want: Vec<(String, String, String)> = [
        ("a", "b", "depends-on"),
        ("a", "c", "contains"),
        ("b", "c", "static-link"),
        ("c", "b", "dynamic-link"),
        ("b", "a", "ancestor"),
        ("b", "c", "ancestor"),
        ("c", "a", "variant"),
        ("b", "a", "variant"),
        ("c", "a", "generated-from"),
        ("b", "a", "depends-on:optional"),
        ("c", "a", "depends-on:provided"),
        ("c", "b", "depends-on"),
        ("a", "b", "other(hasDistributionArtifact)"),
        ("c", "a", "other(amendedBy)"),
        ("a", "c", "depends-on"),
        ("c", "b", "depends-on:dev"),
        ("a", "b", "contains"),
        ("b", "c", "other(hasTest)"),
    ]
    .iter()
    .map(|(f, t, k)| (f.to_string(), t.to_string(), k.to_string()))
    .collect();
    let mut want = want;
    want.sort();
    assert_eq!(edges(&d), want);
    // The edges form cycles, so the builder finds no root; nothing else is reported.
    assert_eq!(codes(&d), vec!["no-root"]);
}

#[test]
fn lifecycle_scope_refines_depends_on_only() {
    let mut els: Vec<String> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|p| pkg(p))
        .collect();
    for (to, scope, ty) in [
        ("b", "build", "dependsOn"),
        ("c", "development", "dependsOn"),
        ("d", "runtime", "dependsOn"),
        ("e", "test", "dependsOn"),
        ("f", "other", "dependsOn"),
        ("b", "build", "hasStaticLink"),
    ] {
        els.push(format!(
            r#"{{"type": "LifecycleScopedRelationship", "spdxId": "r-{to}-{ty}", "from": "a",
                "relationshipType": "{ty}", "to": ["{to}"], "scope": "{scope}"}}"#
        ));
    }
    let d = doc(&graph(&els.join(",")));
    let kinds: Vec<String> = edges(&d).into_iter().map(|(_, _, k)| k).collect();
    assert_eq!(
        kinds,
        vec![
            "depends-on:build",
            "static-link",
            "depends-on:dev",
            "depends-on:runtime",
            "depends-on:test",
            "depends-on"
        ]
    );
}

#[test]
fn one_from_many_to() {
    let d = doc(&graph(
        &[
            pkg("a"),
            pkg("b"),
            pkg("c"),
            rel("a", "contains", &["b", "c"]),
        ]
        .join(","),
    ));
    assert_eq!(edges(&d).len(), 2);
}

#[test]
fn edges_to_non_components_are_dropped_silently() {
    let d = doc(&graph(
        &[
            pkg("a"),
            r#"{"type": "Organization", "spdxId": "org", "name": "o"}"#.into(),
            r#"{"type": "SpdxDocument", "spdxId": "doc", "rootElement": ["a"]}"#.into(),
            r#"{"type": "Annotation", "spdxId": "ann", "subject": "a", "statement": "s"}"#.into(),
            r#"{"type": "software_Snippet", "spdxId": "snip"}"#.into(),
            rel("a", "dependsOn", &["org", "ann", "snip"]),
            rel("doc", "contains", &["a"]),
            rel("org", "hasDocumentation", &["a"]),
        ]
        .join(","),
    ));
    assert!(d.relationships.is_empty());
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn noassertion_unknown_and_external_targets() {
    let d = doc(&format!(
        r#"{{ {CTX}, "@graph": [ {}, {}, {}, {},
            {{"type": "SpdxDocument", "spdxId": "doc", "rootElement": ["a"],
              "import": [{{"type": "ExternalMap", "externalSpdxId": "other-doc#pkg"}}]}},
            {{"type": "ExternalMap", "spdxId": "DocumentRef-x", "externalSpdxId": "ext-2"}} ] }}"#,
        pkg("a"),
        rel("a", "dependsOn", &["NoAssertionElement", "NoneElement"]),
        rel("a", "dependsOn", &["ghost", "other-doc#pkg", "ext-2"]),
        rel("a", "dependsOn", &[]),
    ));
    assert!(d.relationships.iter().all(|r| r.inferred));
    let mut c = codes(&d);
    c.sort();
    assert_eq!(
        c,
        vec![
            "dangling-ref",
            "external-ref",
            "external-ref",
            "noassertion-target",
            "noassertion-target"
        ]
    );
    let dangling = d
        .warnings
        .iter()
        .find(|w| w.code == "dangling-ref")
        .unwrap();
    assert_eq!(dangling.location, Location::pointer("/@graph/2"));
}

#[test]
fn malformed_relationships_warn() {
    let d = doc(&graph(
        &[
            pkg("a"),
            r#"{"type": "Relationship", "spdxId": "r1", "relationshipType": "dependsOn", "to": ["a"]}"#.into(),
            r#"{"type": "Relationship", "spdxId": "r2", "from": "a", "to": ["a"]}"#.into(),
        ]
        .join(","),
    ));
    assert_eq!(
        codes(&d),
        vec!["malformed-relationship", "malformed-relationship"]
    );
}

#[test]
fn relationship_ends_as_single_values_and_inline_objects() {
    // JSON-LD compaction writes one-element arrays as bare values.
    let d = doc(&graph(
        &[
            pkg("a"),
            pkg("b"),
            pkg("c"),
            r#"{"type": "Relationship", "spdxId": "r", "from": ["a"], "relationshipType": "dependsOn", "to": "b"}"#.into(),
            r#"{"type": "Relationship", "spdxId": "r2", "from": {"spdxId": "a"}, "relationshipType": "contains", "to": [{"spdxId": "c"}]}"#.into(),
        ]
        .join(","),
    ));
    assert_eq!(edges(&d).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Roots, document metadata.

#[test]
fn roots_go_through_nested_sboms_and_survive_cycles() {
    let d = doc(&graph(
        &[
            r#"{"type": "SpdxDocument", "spdxId": "doc", "name": "My doc", "rootElement": ["sbom"]}"#.into(),
            r#"{"type": "software_Sbom", "spdxId": "sbom", "rootElement": ["bundle", "app"]}"#.into(),
            r#"{"type": "Bundle", "spdxId": "bundle", "rootElement": ["sbom", "lib"]}"#.into(),
            pkg("app"),
            pkg("lib"),
            pkg("other"),
            rel("app", "dependsOn", &["other"]),
        ]
        .join(","),
    ));
    let roots: Vec<&str> = d
        .roots
        .iter()
        .map(|&r| d.component(r).bom_ref.as_str())
        .collect();
    assert_eq!(roots, vec!["lib", "app"]);
    assert_eq!(d.root_source, crate::sbom::RootSource::Declared);
    assert_eq!(d.name.as_deref(), Some("My doc"));
    assert_eq!(d.serial.as_deref(), Some("doc"));
}

#[test]
fn describes_from_a_document_or_an_undefined_id_declares_roots() {
    // sbom-tool: `SPDXRef-DOCUMENT DESCRIBES SPDXRef-RootPackage`, with no such document id.
    let d = doc(&graph(
        &[
            pkg("root"),
            pkg("dep"),
            rel("SPDXRef-DOCUMENT", "DESCRIBES", &["root"]),
            rel("root", "DEPENDS_ON", &["dep"]),
            rel("root", "describes", &["dep"]),
        ]
        .join(","),
    ));
    assert_eq!(d.roots.len(), 1);
    assert_eq!(d.component(d.roots[0]).bom_ref, "root");
    assert_eq!(
        edges(&d),
        vec![
            ("root".into(), "dep".into(), "depends-on".into()),
            ("root".into(), "dep".into(), "other(describes)".into())
        ]
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn spec_version_comes_from_the_context_then_creation_info() {
    for (ctx, want) in [
        (
            r#""https://spdx.org/rdf/3.0.0/spdx-context.jsonld""#,
            "3.0.0",
        ),
        (
            r#""https://spdx.org/rdf/3.0.1/spdx-context.jsonld""#,
            "3.0.1",
        ),
        (
            r#"["https://spdx.org/rdf/3.0.1/spdx-context.json"]"#,
            "3.0.1",
        ),
        (
            r#"["https://spdx.org/rdf/3.0.0/spdx-context.jsonld", {"ns": "https://x#"}]"#,
            "3.0.0",
        ),
        (r#"{"ns": "https://x#"}"#, "3.0.9"),
    ] {
        let text = format!(
            r#"{{"@context": {ctx}, "@graph": [
                {{"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.9", "created": "2024"}}]}}"#
        );
        assert_eq!(doc(&text).spec_version, want, "{ctx}");
    }
    let none = doc(r#"{"@graph": []}"#);
    assert_eq!(none.spec_version, "3");
}

#[test]
fn inline_creation_info_gives_the_version() {
    let d = doc(
        r#"{"@context": {"x": "y"}, "@graph": [{"type": "software_Package", "spdxId": "p", "name": "p",
            "creationInfo": {"type": "CreationInfo", "specVersion": "3.0.0", "created": "2024"}}]}"#,
    );
    assert_eq!(d.spec_version, "3.0.0");
}

#[test]
fn single_element_without_graph_is_read() {
    let d = doc(
        r#"{"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld",
            "type": "software_Package", "spdxId": "https://some.namespace#p", "name": "pkg",
            "creationInfo": {"type": "CreationInfo", "specVersion": "3.0.0", "created": "2022", "createdBy": []}}"#,
    );
    assert_eq!(d.components.len(), 1);
    assert_eq!(d.components[0].location, Location::pointer(""));
    assert_eq!(d.spec_version, "3.0.0");
    let agent = doc(
        r#"{"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "type": "Person", "spdxId": "x", "name": "J"}"#,
    );
    assert_eq!(agent.components.len(), 0);
    assert!(agent.warnings.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Unknown things.

#[test]
fn unknown_component_properties_are_aggregated_unknown_fields() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "a", "name": "a", "x-vendor": 1},
           {"type": "software_Package", "spdxId": "b", "name": "b", "x-vendor": 2, "ai_domain": ["ok"]},
           {"type": "Organization", "spdxId": "o", "name": "o", "x-vendor": 3}"#,
    ));
    assert_eq!(codes(&d), vec!["unknown-field"]);
    let w = &d.warnings[0];
    assert!(
        w.message.contains("x-vendor") && w.message.contains("2 times"),
        "{}",
        w.message
    );
    assert_eq!(w.location, Location::pointer("/@graph/0/x-vendor"));
}

#[test]
fn unknown_element_types_give_one_warning_per_type_and_are_not_dangling() {
    let d = doc(&graph(
        &[
            pkg("a"),
            r#"{"type": "acme_Widget", "spdxId": "w1"}"#.into(),
            r#"{"type": "acme_Widget", "spdxId": "w2"}"#.into(),
            r#"{"type": "acme_Gadget", "spdxId": "g1"}"#.into(),
            rel("a", "dependsOn", &["w1"]),
        ]
        .join(","),
    ));
    let mut msgs: Vec<&str> = d.warnings.iter().map(|w| w.message.as_str()).collect();
    msgs.sort();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].contains("acme_Gadget"));
    assert!(msgs[1].contains("acme_Widget") && msgs[1].contains("2 times"));
    assert!(codes(&d).iter().all(|c| *c == "unknown-field"));
}

#[test]
fn untyped_and_non_object_entries_are_skipped_with_a_warning() {
    let d = doc(&graph(
        r#"{"spdxId": "x", "name": "n"}, "just-a-string", 5, null"#,
    ));
    assert_eq!(d.components.len(), 0);
    assert_eq!(codes(&d), vec!["untyped-element", "graph-entry-not-object"]);
}

#[test]
fn duplicate_component_ids_warn_and_licences_go_to_the_first() {
    let d = doc(&graph(
        &[
            pkg("a"),
            pkg("a"),
            rel(
                "a",
                "hasDeclaredLicense",
                &["https://spdx.org/licenses/MIT"],
            ),
        ]
        .join(","),
    ));
    assert_eq!(d.components.len(), 2);
    assert_eq!(d.components[0].licenses, vec!["MIT".to_string()]);
    assert!(d.components[1].licenses.is_empty());
    assert_eq!(codes(&d), vec!["duplicate-ref"]);
}

// ---------------------------------------------------------------------------------------------
// Hostile input.

#[test]
fn truncated_input_is_a_truncation_error() {
    let text = graph(&pkg("a"));
    let cut = &text[..text.len() - 10];
    assert!(matches!(
        doc_with(cut, &Limits::default()),
        Err(IngestError::Truncated { .. })
    ));
    assert!(matches!(
        doc_with("", &Limits::default()),
        Err(IngestError::Truncated { .. })
    ));
}

#[test]
fn wrong_types_are_type_errors_with_a_location() {
    let e = doc_with(
        &graph(r#"{"type": "software_Package", "spdxId": "p", "name": {"x": 1}}"#),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        IngestError::Type {
            location: Location::pointer("/@graph/0/name"),
            message: "expected a string, found an object".into()
        }
    );
    let e = doc_with(&graph(r#"{"type": 7, "spdxId": "p"}"#), &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, IngestError::Type { location, .. } if location.pointer.as_deref() == Some("/@graph/0/type")),
        "{e:?}"
    );
    for bad in [
        format!(r#"{{ {CTX}, "@graph": "nope" }}"#),
        r#"[1, 2]"#.to_string(),
        r#""text""#.to_string(),
    ] {
        let e = doc_with(&bad, &Limits::default()).unwrap_err();
        assert!(matches!(e, IngestError::Type { .. }), "{bad}: {e:?}");
    }
}

#[test]
fn values_that_are_numbers_or_wrapped_are_accepted() {
    let d = doc(&graph(
        r#"{"type": "software_Package", "spdxId": "p", "name": ["n"], "software_packageVersion": 2.5,
            "description": {"@value": "d"}}"#,
    ));
    let c = &d.components[0];
    assert_eq!(c.name, "n");
    assert_eq!(c.version.as_deref(), Some("2.5"));
    assert_eq!(c.description.as_deref(), Some("d"));
}

#[test]
fn nesting_over_the_limit_is_too_deep() {
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let text = graph(&format!(
        r#"{{"type": "software_Package", "spdxId": "p", "name": "p", "comment": {deep}}}"#
    ));
    let limits = Limits {
        max_depth: 16,
        ..Limits::default()
    };
    match doc_with(&text, &limits) {
        Err(IngestError::TooDeep { limit, location }) => {
            assert_eq!(limit, 16);
            assert_eq!(location, Location::pointer("/@graph/0"));
        }
        other => panic!("expected too deep, got {other:?}"),
    }
    // serde_json's own recursion limit also ends in TooDeep, never a stack overflow.
    let very = graph(&"[".repeat(100_000));
    assert!(matches!(
        doc_with(&very, &Limits::default()),
        Err(IngestError::TooDeep { .. })
    ));
}

#[test]
fn empty_graph_and_empty_object_read_as_empty_documents() {
    assert_eq!(doc(&graph("")).components.len(), 0);
    assert_eq!(doc("{}").components.len(), 0);
}

#[test]
fn trailing_garbage_is_a_syntax_error() {
    let text = format!("{} x", graph(""));
    assert!(matches!(
        doc_with(&text, &Limits::default()),
        Err(IngestError::Syntax { .. })
    ));
}

#[test]
fn top_level_extra_keys_beside_graph_are_unknown_fields() {
    let d = doc(&format!(
        r#"{{ {CTX}, "@graph": [], "extra": 1, "@id": "x" }}"#
    ));
    assert_eq!(codes(&d), vec!["unknown-field"]);
}

#[test]
fn licence_trees_sharing_subtrees_stay_bounded() {
    // Each set names the next one twice: rendering naively doubles 40 times.
    let mut els = vec![pkg("p"), rel("p", "hasConcludedLicense", &["set-0"])];
    for i in 0..40 {
        els.push(format!(
            r#"{{"type": "expandedlicensing_ConjunctiveLicenseSet", "spdxId": "set-{i}",
                "expandedlicensing_member": ["set-{n}", "set-{n}"]}}"#,
            n = i + 1
        ));
    }
    els.push(r#"{"type": "simplelicensing_LicenseExpression", "spdxId": "set-40", "simplelicensing_licenseExpression": "MIT"}"#.into());
    let d = doc(&graph(&els.join(",")));
    assert!(d.components[0].licenses.is_empty());
    assert!(codes(&d).contains(&"licence-too-long"));
}

#[test]
fn long_chains_of_nested_sboms_do_not_recurse() {
    let n = 100_000;
    let mut els = vec![pkg("app")];
    for i in 0..n {
        let next = if i + 1 == n {
            "app".to_string()
        } else {
            format!("sbom-{}", i + 1)
        };
        els.push(format!(
            r#"{{"type": "software_Sbom", "spdxId": "sbom-{i}", "rootElement": ["{next}", "sbom-0"]}}"#
        ));
    }
    let d = doc(&graph(&els.join(",")));
    assert_eq!(d.roots.len(), 1);
    assert_eq!(d.component(d.roots[0]).bom_ref, "app");
}

#[test]
fn huge_lists_on_one_component_cost_linear_time() {
    let n = 50_000;
    let hashes: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"type": "Hash", "algorithm": "sha256", "hashValue": "{i:064x}"}}"#))
        .collect();
    let text = graph(&format!(
        r#"{{"type": "software_Package", "spdxId": "p", "name": "p", "verifiedUsing": [{}]}}"#,
        hashes.join(",")
    ));
    let d = doc(&text);
    assert_eq!(d.components[0].hashes.len(), n);
}

#[test]
fn truncated_or_corrupted_documents_never_panic() {
    let text = graph(
        &[
            r#"{"type": "SpdxDocument", "spdxId": "doc", "name": "d", "rootElement": ["sbom"]}"#.to_string(),
            r#"{"type": "software_Sbom", "spdxId": "sbom", "rootElement": ["a"]}"#.to_string(),
            r#"{"type": "software_Package", "spdxId": "a", "name": "a", "suppliedBy": "o",
                "verifiedUsing": [{"type": "Hash", "algorithm": "sha1", "hashValue": "aa"}],
                "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:npm/a@1"}]}"#
                .to_string(),
            r#"{"type": "Organization", "spdxId": "o", "name": "o"}"#.to_string(),
            pkg("b"),
            rel("a", "dependsOn", &["b"]),
            rel("a", "hasDeclaredLicense", &["l"]),
            r#"{"type": "simplelicensing_LicenseExpression", "spdxId": "l", "simplelicensing_licenseExpression": "MIT"}"#.to_string(),
        ]
        .join(","),
    );
    assert_eq!(doc(&text).components.len(), 2);
    for cut in 0..text.len() {
        if text.is_char_boundary(cut) {
            let _ = doc_with(&text[..cut], &Limits::default());
        }
    }
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        for sub in [b'"', b'{', b']', b'0', b',', b'x'] {
            let mut m = bytes.to_vec();
            m[i] = sub;
            if let Ok(s) = std::str::from_utf8(&m) {
                let _ = doc_with(s, &Limits::default());
            }
        }
    }
}
