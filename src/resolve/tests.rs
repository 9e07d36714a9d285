use std::path::Path;
use std::sync::OnceLock;

use super::*;
use crate::registry::{read_dir, SourceFile};
use crate::sbom::{Address, Hash, Link, Party, PartyKind, Swid};

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry")
}

/// The frozen fixture registry.
fn fixture() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::load_dir(&fixture_dir()).unwrap())
}

/// Vendors added on top of the fixture (in memory, the fixture files stay as they are): Pango
/// with UltraAV (a vendor Kaspersky's US customers were moved to), and a test vendor with a hash
/// identifier and an OEM relation bounded by dates only.
const EXTRA: &[(&str, &str)] = &[
    (
        "vendors/pango.toml",
        r#"id = "pango"
name = "Pango Group"
kind = "vendor"
hq_country = "US"
status = "confirmed"
sources = ["pango-test"]

[[entity]]
name = "Pango Group"
country = "US"
relation = "parent"
status = "confirmed"
sources = ["pango-test"]

[[product]]
id = "ultraav"
name = "UltraAV"
kind = "product"
branded = true
status = "confirmed"
sources = ["pango-test"]

[source.pango-test]
title = "UltraAV test source"
publisher = "bomvet test suite"
date = "2026"
url = "https://example.invalid/pango"
"#,
    ),
    (
        "vendors/enginco.toml",
        r#"id = "enginco"
name = "Enginco"
kind = "vendor"
hq_country = "CH"
status = "confirmed"
sources = ["enginco-test"]

[[product]]
id = "enginco-engine"
name = "Enginco Scan Core"
kind = "oem-engine"
identifiers = [
  { kind = "hash", value = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", status = "confirmed", sources = ["enginco-test"] },
]
status = "confirmed"
sources = ["enginco-test"]

[[oem]]
id = "boxco-enginco"
embedder = "Boxco"
product = "Boxco Gateway"
engine = "enginco-engine"
identifiers = [
  { kind = "product-name", value = "Boxco Gateway", status = "confirmed", sources = ["enginco-test"] },
]
from = "2015"
until = "2018"
status = "confirmed"
sources = ["enginco-test"]

[source.enginco-test]
title = "Enginco test source"
publisher = "bomvet test suite"
date = "2026"
url = "https://example.invalid/enginco"
"#,
    ),
];

fn extended() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let (mut files, problems) = read_dir(&fixture_dir()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        files.extend(EXTRA.iter().map(|(p, t)| SourceFile {
            path: (*p).to_string(),
            text: Cow::Borrowed(*t),
        }));
        Registry::from_files(files, "fixture+extra".into(), Vec::new()).unwrap()
    })
}

fn attr(reg: &Registry, c: &Component) -> Attribution {
    Resolver::new(reg, reg.index()).attribute(c)
}

fn comp(name: &str) -> Component {
    Component {
        name: name.into(),
        ..Component::default()
    }
}

fn org(name: &str) -> Party {
    Party::new(PartyKind::Organization, name)
}

fn ids(reg: &Registry, a: &Attribution) -> Vec<String> {
    a.candidates
        .iter()
        .map(|m| reg.vendor(m.vendor).id.clone())
        .collect()
}

fn find<'a>(reg: &Registry, a: &'a Attribution, vendor: &str) -> Option<&'a VendorMatch> {
    a.candidates
        .iter()
        .find(|m| reg.vendor(m.vendor).id == vendor)
}

fn only<'a>(reg: &Registry, a: &'a Attribution, vendor: &str) -> &'a VendorMatch {
    assert_eq!(ids(reg, a), [vendor], "{a:#?}");
    &a.candidates[0]
}

fn fields(m: &VendorMatch) -> Vec<&str> {
    let mut f: Vec<&str> = m.evidence.iter().map(|e| e.field.as_str()).collect();
    f.dedup();
    f
}

fn product_ids(reg: &Registry, m: &VendorMatch) -> Vec<String> {
    m.products
        .iter()
        .map(|p| reg.product(*p).id.clone())
        .collect()
}

/// Kaspersky is at most a low, unconfirmed candidate.
fn at_most_low_kaspersky(reg: &Registry, a: &Attribution) {
    if let Some(m) = find(reg, a, "kaspersky") {
        assert!(!m.confirmed, "{m:#?}");
        assert_eq!(m.confidence, Confidence::Low, "{m:#?}");
        assert!(m.evidence.iter().all(|e| e.confidence == Confidence::Low));
    }
}

// ----- evidence kinds -------------------------------------------------------------------------

#[test]
fn supplier_legal_entity_name_is_high_confirmed_and_names_the_entity() {
    let reg = fixture();
    let mut c = comp("avp");
    c.supplier = Some(org("AO Kaspersky Lab"));
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert!(m.confirmed);
    assert_eq!(m.confidence, Confidence::High);
    assert_eq!(reg.entity(m.entity.unwrap()).name, "AO Kaspersky Lab");
    let e = &m.evidence[0];
    assert_eq!(
        (e.field.as_str(), e.value.as_str(), e.rule.as_str()),
        ("supplier", "AO Kaspersky Lab", "name:AO Kaspersky Lab")
    );
    assert!(a.has_vendor_fields);
    assert!(!a.conflict);
    // A name that fits several legal entities names none of them.
    c.supplier = Some(org("Kaspersky Lab"));
    let a = attr(reg, &c);
    assert_eq!(only(reg, &a, "kaspersky").entity, None);
}

#[test]
fn manufacturer_author_publisher_and_originator_names_are_read() {
    let reg = fixture();
    for set in [
        |c: &mut Component| c.manufacturer = Some(Box::new(org("Kaspersky Lab"))),
        |c: &mut Component| c.authors.push(org("KASPERSKY LAB, INC.")),
        |c: &mut Component| c.publisher = Some("Kaspersky Lab ZAO".into()),
        |c: &mut Component| {
            c.originators
                .push(Party::parse_spdx_actor("Organization: OOO Kaspersky Group"))
        },
    ] {
        let mut c = comp("x");
        set(&mut c);
        let a = attr(reg, &c);
        let m = only(reg, &a, "kaspersky");
        assert!(m.confirmed, "{m:#?}");
        assert_eq!(m.confidence, Confidence::High);
        assert!(
            ["manufacturer", "author", "publisher", "originator"]
                .contains(&m.evidence[0].field.as_str()),
            "{m:#?}"
        );
    }
}

#[test]
fn party_emails_and_urls_are_low_domain_evidence() {
    let reg = fixture();
    let mut c = comp("x");
    let mut p = org("Somebody Else");
    p.emails.push("support@kaspersky.com".into());
    p.urls.push("https://usa.kaspersky.com/".into());
    c.supplier = Some(p);
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(fields(m), ["supplier.email", "supplier.url"]);
    assert!(m.evidence.iter().all(|e| e.kind == IdentifierKind::Domain));
    assert_eq!(m.confidence, Confidence::Low);
    assert!(!m.confirmed, "a domain alone never confirms");
}

#[test]
fn purl_namespace_identifier_matches_the_product_with_high_confidence() {
    let reg = fixture();
    let mut c = comp("hexa-ui");
    c.purl = Some("pkg:npm/%40kaspersky/hexa-ui@1.2.3".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(product_ids(reg, m), ["kaspersky-uif"]);
    assert_eq!((m.confidence, m.confirmed), (Confidence::High, true));
    assert_eq!(m.evidence[0].rule, "purl:pkg:npm/@kaspersky");
    assert_eq!(m.evidence[0].value, "pkg:npm/%40kaspersky/hexa-ui@1.2.3");
}

#[test]
fn a_generic_purl_namespace_is_read_as_a_publisher_name_at_medium() {
    let reg = fixture();
    let mut c = comp("thing");
    c.purl = Some("pkg:generic/kaspersky/thing@8".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(m.evidence.len(), 1, "{m:#?}");
    assert_eq!(
        (m.evidence[0].field.as_str(), m.evidence[0].confidence),
        ("purl", Confidence::Medium)
    );
    assert!(m.confirmed);
}

#[test]
fn cpe_vendor_and_product_match_in_both_cpe_syntaxes_and_with_escapes() {
    let reg = fixture();
    for cpe in [
        "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*",
        "cpe:2.3:a:Kaspersky:Anti\\-Virus:21.3:*:*:*:*:*:*:*",
        "cpe:/a:kaspersky_lab:kaspersky_anti-virus:2012",
        "cpe:/a:kaspersky%5flab:kaspersky_anti-virus",
    ] {
        let mut c = comp("av");
        c.cpes.push(cpe.into());
        let a = attr(reg, &c);
        let m = only(reg, &a, "kaspersky");
        assert_eq!(product_ids(reg, m), ["kaspersky-anti-virus"], "{cpe}");
        assert_eq!((m.confidence, m.confirmed), (Confidence::High, true));
        let kinds: Vec<IdentifierKind> = m.evidence.iter().map(|e| e.kind).collect();
        assert!(kinds.contains(&IdentifierKind::CpeVendor), "{cpe}");
        assert!(kinds.contains(&IdentifierKind::CpeProduct), "{cpe}");
        assert!(m.evidence.iter().all(|e| e.value == cpe));
    }
    let mut c = comp("av");
    c.cpes
        .push("cpe:2.3:a:kasperskyx:anti-virus:1:*:*:*:*:*:*:*".into());
    c.cpes.push("not a cpe".into());
    assert!(attr(reg, &c).candidates.is_empty());
}

#[test]
fn swid_regid_and_tag_id_match_but_an_unconfirmed_identifier_never_confirms() {
    let reg = fixture();
    let mut c = comp("kis");
    c.swid = Some(Box::new(Swid {
        regid: Some("regid.1997-10.com.kaspersky".into()),
        tag_id: Some("regid.1997-10.com.kaspersky_KIS_21.3".into()),
        ..Swid::default()
    }));
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(m.evidence.len(), 2, "{m:#?}");
    assert!(m.evidence.iter().all(|e| e.field == "swid"
        && e.confidence == Confidence::High
        && e.status == Status::Unconfirmed));
    assert!(!m.confirmed);
    assert_eq!(m.confidence, Confidence::Low);
    assert!(a.has_vendor_fields);
}

#[test]
fn hashes_match_whatever_the_algorithm_spelling() {
    let reg = extended();
    let mut c = comp("libscan.so");
    c.hashes.push(Hash::new(
        "SHA-256",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
    ));
    c.hashes.push(Hash::new(
        "SHA-1",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    ));
    let a = attr(reg, &c);
    let m = only(reg, &a, "enginco");
    assert_eq!(m.evidence.len(), 1);
    assert_eq!(m.evidence[0].field, "hash");
    assert!(m.evidence[0].value.starts_with("SHA256:e3b0"));
    assert_eq!(product_ids(reg, m), ["enginco-engine"]);
    assert_eq!((m.confidence, m.confirmed), (Confidence::High, true));
}

#[test]
fn links_hit_domains_low_and_repositories_medium() {
    let reg = fixture();
    let mut c = comp("push");
    c.links.push(Link {
        kind: "distribution".into(),
        url: "https://developer.huawei.com/repo/com/huawei/hms/push/6.1/push-6.1.aar".into(),
    });
    let a = attr(reg, &c);
    let m = only(reg, &a, "huawei");
    let got: Vec<(IdentifierKind, Confidence)> =
        m.evidence.iter().map(|e| (e.kind, e.confidence)).collect();
    assert_eq!(
        got,
        [
            (IdentifierKind::Repository, Confidence::Medium),
            (IdentifierKind::Domain, Confidence::Low)
        ]
    );
    assert!(m.confirmed);
    assert_eq!(fields(m), ["url"]);
}

#[test]
fn component_name_matches_a_product_alias_at_medium() {
    let reg = fixture();
    let a = attr(reg, &comp("KAV SDK"));
    let m = only(reg, &a, "kaspersky");
    assert_eq!(product_ids(reg, m), ["kaspersky-anti-virus-sdk"]);
    assert_eq!((m.confidence, m.confirmed), (Confidence::Medium, true));
    // The name read as text finds the same rule: kept once, at its best confidence.
    assert_eq!(m.evidence.len(), 1, "{m:#?}");
    assert!(
        !a.has_vendor_fields,
        "a component name is not a vendor field"
    );
}

#[test]
fn a_dotted_group_is_read_as_a_java_package() {
    let reg = fixture();
    let mut c = comp("sdk");
    c.group = Some("com.kavsdk.antivirus".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(m.evidence[0].field, "group");
    assert_eq!(m.evidence[0].kind, IdentifierKind::JavaPackage);
    assert_eq!(product_ids(reg, m), ["kaspersky-mobile-security-sdk"]);
}

#[test]
fn a_maven_group_already_read_through_the_purl_is_not_read_twice() {
    let reg = fixture();
    let mut c = comp("sdk");
    c.group = Some("com.kavsdk".into());
    c.purl = Some("pkg:maven/com.kavsdk/sdk@5".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(fields(m), ["purl"]);
    assert_eq!(m.evidence[0].kind, IdentifierKind::JavaPackage);
    // A different group is still read.
    c.group = Some("com.kavsdk.extra".into());
    assert_eq!(
        fields(only(reg, &attr(reg, &c), "kaspersky")),
        ["group", "purl"]
    );
}

#[test]
fn group_and_name_together_can_name_a_product() {
    let reg = fixture();
    let mut c = comp("Anti-Virus SDK");
    c.group = Some("Kaspersky".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert!(
        m.evidence
            .iter()
            .any(|e| e.field == "name" && e.value == "Kaspersky Anti-Virus SDK"),
        "{m:#?}"
    );
    assert_eq!(product_ids(reg, m), ["kaspersky-anti-virus-sdk"]);
}

#[test]
fn file_names_and_paths_match_products() {
    let reg = fixture();
    let mut c = comp("app");
    c.file_names
        .push("libs/KL_Mobile_SDK_Android_5.18.0.215_FullRelease.aar".into());
    c.file_names.push("C:\\AV\\KAVEHOST.EXE".into());
    c.file_names.push("README.md".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    let mut got = product_ids(reg, m);
    got.sort();
    assert_eq!(
        got,
        ["kaspersky-mobile-security-sdk", "kaspersky-scan-engine"]
    );
    assert!(m.evidence.iter().all(|e| e.field == "file-name"));
    assert_eq!(m.confidence, Confidence::Medium);
}

#[test]
fn description_and_properties_are_low_text_evidence_only() {
    let reg = fixture();
    let mut c = comp("scanner");
    c.description = Some("Bundles the Kaspersky Anti-Virus SDK for mail scanning.".into());
    c.properties
        .push(("vendor:engine".into(), "kaspersky-lab-engine".into()));
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(fields(m), ["description", "property"]);
    assert!(m.evidence.iter().all(|e| e.confidence == Confidence::Low));
    assert!(!m.confirmed);
    assert!(a.country.is_none(), "no country from low evidence");
}

#[test]
fn a_component_without_any_vendor_field_says_so() {
    let reg = fixture();
    let a = attr(reg, &comp("left-pad"));
    assert!(a.candidates.is_empty() && !a.has_vendor_fields && !a.conflict);
    assert!(a.country.is_none());
    let mut c = comp("left-pad");
    c.supplier = Some(org("Nobody In The Registry"));
    let a = attr(reg, &c);
    assert!(a.candidates.is_empty());
    assert!(a.has_vendor_fields);
    let mut c = comp("left-pad");
    c.supplier = Some(Party::parse_spdx_actor("NOASSERTION"));
    c.purl = Some("pkg:npm/left-pad@1.3.0".into());
    assert!(!attr(reg, &c).has_vendor_fields);
    c.cpes
        .push("cpe:2.3:a:left-pad_project:left-pad:1.3.0:*:*:*:*:*:*:*".into());
    assert!(attr(reg, &c).has_vendor_fields);
}

// ----- near misses ----------------------------------------------------------------------------

#[test]
fn lookalike_and_near_miss_names_do_not_become_kaspersky() {
    let reg = fixture();
    let mut c = comp("x");
    c.supplier = Some(org("Kaspersky Systems"));
    assert!(attr(reg, &c).candidates.is_empty());
    c.supplier = Some(org("Kasper Systems Inc."));
    let a = attr(reg, &c);
    only(reg, &a, "kasper-systems");
}

#[test]
fn a_third_party_client_named_after_a_vendor_is_not_attributed() {
    let reg = fixture();
    let mut c = comp("kaspersky-client");
    c.purl = Some("pkg:npm/kaspersky-client@2.0.1".into());
    c.supplier = Some(Party::new(PartyKind::Person, "Jane Developer"));
    c.description = Some("Unofficial Node client for the Kaspersky Security Center API".into());
    let a = attr(reg, &c);
    at_most_low_kaspersky(reg, &a);
    assert!(a.country.is_none());
}

#[test]
fn a_migration_tool_mentioning_a_product_stays_low() {
    let reg = fixture();
    let mut c = comp("Kaspersky to Defender migration");
    c.description =
        Some("Removes Kaspersky Endpoint Security and onboards machines to Defender.".into());
    c.supplier = Some(org("Contoso Ltd"));
    let a = attr(reg, &c);
    let m = find(reg, &a, "kaspersky").expect("the description is evidence");
    assert_eq!(m.evidence[0].field, "description");
    at_most_low_kaspersky(reg, &a);
    assert!(!a.conflict, "low evidence never conflicts");
}

#[test]
fn ultraav_resolves_to_pango_not_kaspersky() {
    let reg = extended();
    let mut c = comp("UltraAV");
    c.supplier = Some(org("Pango Group"));
    c.description = Some("Replaces Kaspersky Anti-Virus for migrated US customers".into());
    let a = attr(reg, &c);
    assert_eq!(ids(reg, &a)[0], "pango");
    let m = &a.candidates[0];
    assert!(m.confirmed);
    assert_eq!(product_ids(reg, m), ["ultraav"]);
    at_most_low_kaspersky(reg, &a);
    assert!(!a.conflict);
    assert_eq!(a.country.as_ref().unwrap().country, "US");
}

// ----- conflict -------------------------------------------------------------------------------

fn juniper_supplied(cpe: &str) -> Component {
    let mut c = comp("component");
    c.supplier = Some(org("Juniper Networks, Inc."));
    c.cpes.push(cpe.into());
    c
}

#[test]
fn a_product_identifier_under_another_supplier_is_the_embedded_case_not_a_conflict() {
    let reg = fixture();
    let a = attr(
        reg,
        &juniper_supplied("cpe:2.3:a:kaspersky:anti-virus:8:*:*:*:*:*:*:*"),
    );
    assert_eq!(ids(reg, &a).len(), 2);
    assert!(!a.conflict, "{a:#?}");
    let mut c = comp("av");
    c.supplier = Some(org("Acme Corp"));
    c.cpes
        .push("cpe:2.3:a:kaspersky:anti-virus:8:*:*:*:*:*:*:*".into());
    assert!(!attr(reg, &c).conflict);
}

#[test]
fn two_vendor_identities_conflict() {
    let reg = fixture();
    let a = attr(
        reg,
        &juniper_supplied("cpe:2.3:a:kaspersky:unknown_tool:1:*:*:*:*:*:*:*"),
    );
    assert!(a.conflict, "{a:#?}");
    let mut c = comp("x");
    c.supplier = Some(org("Kasper Systems AG"));
    c.manufacturer = Some(Box::new(org("AO Kaspersky Lab")));
    assert!(attr(reg, &c).conflict);
}

#[test]
fn an_unknown_supplier_against_a_vendor_only_identifier_conflicts() {
    let reg = fixture();
    let mut c = comp("x");
    c.supplier = Some(org("Acme Corp"));
    c.cpes
        .push("cpe:2.3:a:kaspersky:unknown_tool:1:*:*:*:*:*:*:*".into());
    let a = attr(reg, &c);
    assert_eq!(ids(reg, &a), ["kaspersky"]);
    assert!(a.conflict);
    // The same identifier with no declared supplier is no conflict.
    c.supplier = None;
    assert!(!attr(reg, &c).conflict);
    // Nor with a supplier that is a person.
    c.supplier = Some(Party::new(PartyKind::Person, "Jane"));
    assert!(!attr(reg, &c).conflict);
}

#[test]
fn supplier_and_cpe_of_the_same_vendor_agree() {
    let reg = fixture();
    let mut c = comp("x");
    c.supplier = Some(org("Kaspersky Lab"));
    c.cpes
        .push("cpe:2.3:a:kaspersky:unknown_tool:1:*:*:*:*:*:*:*".into());
    let a = attr(reg, &c);
    assert!(!a.conflict);
    assert_eq!(fields(only(reg, &a, "kaspersky")), ["cpe", "supplier"]);
}

// ----- country --------------------------------------------------------------------------------

fn with_country(mut p: Party, cc: &str) -> Party {
    p.addresses.push(Address {
        country: Some(cc.into()),
        ..Address::default()
    });
    p
}

#[test]
fn declared_country_alone_is_used_and_unconfirmed() {
    let reg = fixture();
    let mut c = comp("x");
    c.supplier = Some(with_country(org("Nobody"), "de"));
    let co = attr(reg, &c).country.unwrap();
    assert_eq!(co.country, "DE");
    assert_eq!(co.basis, CountryBasis::Declared);
    assert_eq!(co.status, Status::Unconfirmed);
    assert_eq!(
        (co.declared.as_deref(), co.registry.as_deref()),
        (Some("DE"), None)
    );
    assert!(!co.conflict);
    c.supplier = Some(with_country(org("Nobody"), "Germany"));
    assert!(attr(reg, &c).country.is_none(), "not an alpha-2 code");
}

#[test]
fn registry_country_prefers_the_ultimate_parent_and_flags_a_disagreeing_declaration() {
    let reg = fixture();
    let mut c = comp("x");
    c.supplier = Some(with_country(org("Kaspersky Labs Limited"), "GB"));
    let co = attr(reg, &c).country.unwrap();
    assert_eq!(co.country, "RU");
    assert_eq!(co.basis, CountryBasis::RegistryParent);
    assert_eq!(co.declared.as_deref(), Some("GB"));
    assert_eq!(co.registry.as_deref(), Some("RU"));
    assert!(co.conflict);
    assert_eq!(co.status, Status::Confirmed);
    assert!(
        co.reason.contains("GB") && co.reason.contains("RU"),
        "{}",
        co.reason
    );

    c.supplier = Some(with_country(org("AO Kaspersky Lab"), "RU"));
    let co = attr(reg, &c).country.unwrap();
    assert!(!co.conflict);
}

#[test]
fn registry_country_falls_back_to_the_entity_then_the_head_office() {
    let reg = fixture();
    let mut c = comp("x");
    c.supplier = Some(org("Juniper Networks, Inc."));
    let co = attr(reg, &c).country.unwrap();
    assert_eq!(
        (co.country.as_str(), co.basis),
        ("US", CountryBasis::Entity)
    );
    let mut c = comp("x");
    c.cpes.push("cpe:2.3:o:huawei:vrp:8:*:*:*:*:*:*:*".into());
    let co = attr(reg, &c).country.unwrap();
    assert_eq!(
        (co.country.as_str(), co.basis),
        ("CN", CountryBasis::RegistryHq)
    );
}

// ----- OEM relations --------------------------------------------------------------------------

fn junos(version: Option<&str>) -> Component {
    let mut c = comp("junos");
    c.version = version.map(Into::into);
    c.cpes
        .push("cpe:2.3:o:juniper:junos:*:*:*:*:*:*:*:*".into());
    c
}

#[test]
fn an_oem_relation_inside_its_version_range_is_confirmed() {
    let reg = fixture();
    let a = attr(reg, &junos(Some("10.4R3")));
    let k = find(reg, &a, "kaspersky").unwrap();
    assert_eq!(k.oems.len(), 1);
    assert_eq!(reg.oem(k.oems[0].oem).id, "juniper-srx-kaspersky-av");
    assert_eq!(k.oems[0].in_period, Some(true));
    assert!(k.confirmed);
    assert!(
        k.products.is_empty(),
        "the engine is embedded, not the component"
    );
    assert_eq!(
        k.oems[0].evidence[0]
            .product
            .map(|p| reg.product(p).id.as_str()),
        Some("kaspersky-anti-virus-sdk")
    );
    assert!(!a.conflict, "{a:#?}");
    // The component is Juniper's: its country is not the embedded vendor's.
    assert_eq!(a.country.unwrap().country, "US");
}

#[test]
fn an_oem_relation_outside_its_version_range_is_listed_but_not_confirmed() {
    let reg = fixture();
    let a = attr(reg, &junos(Some("18.4R1")));
    let k = find(reg, &a, "kaspersky").unwrap();
    assert_eq!(k.oems[0].in_period, Some(false));
    assert!(!k.confirmed);
    assert_eq!(k.confidence, Confidence::Low);
    assert_eq!(ids(reg, &a), ["juniper", "kaspersky"]);
}

#[test]
fn an_oem_relation_without_a_version_cannot_tell() {
    let reg = fixture();
    let a = attr(reg, &junos(None));
    assert_eq!(find(reg, &a, "kaspersky").unwrap().oems[0].in_period, None);
    // The CPE's own version stands in for a missing component version.
    let mut c = junos(None);
    c.cpes = thin_vec::thin_vec!["cpe:2.3:o:juniper:junos:11.1:*:*:*:*:*:*:*".into()];
    let a = attr(reg, &c);
    assert_eq!(
        find(reg, &a, "kaspersky").unwrap().oems[0].in_period,
        Some(true)
    );
}

#[test]
fn an_oem_relation_bounded_by_dates_uses_calendar_versions_only() {
    let reg = extended();
    let period = |v: Option<&str>| {
        let mut c = comp("Boxco Gateway");
        c.version = v.map(Into::into);
        let a = attr(reg, &c);
        find(reg, &a, "enginco").unwrap().oems[0].in_period
    };
    assert_eq!(period(Some("2016.2")), Some(true));
    assert_eq!(period(Some("2018")), Some(true));
    assert_eq!(period(Some("2019.1")), Some(false));
    assert_eq!(period(Some("2014")), Some(false));
    assert_eq!(period(Some("4.2.1")), None);
    assert_eq!(period(None), None);
}

// ----- ordering -------------------------------------------------------------------------------

#[test]
fn candidates_rank_confirmed_then_confidence_then_evidence() {
    let reg = fixture();
    let mut c = comp("x");
    c.description = Some("uses hcnetsdk".into());
    c.supplier = Some(org("Huawei Technologies Co., Ltd."));
    c.links.push(Link {
        kind: "website".into(),
        url: "https://www.kaspersky.com".into(),
    });
    let a = attr(reg, &c);
    assert_eq!(ids(reg, &a), ["huawei", "hikvision", "kaspersky"]);
    // Same input, same output.
    let b = attr(reg, &c);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

#[test]
fn repeated_values_give_one_evidence_item() {
    let reg = fixture();
    let mut c = comp("x");
    for _ in 0..3 {
        c.cpes
            .push("cpe:2.3:a:kaspersky:unknown:1:*:*:*:*:*:*:*".into());
    }
    let a = attr(reg, &c);
    assert_eq!(only(reg, &a, "kaspersky").evidence.len(), 1);
}

// ----- the real registry ----------------------------------------------------------------------

/// The real registry: the embedded copy, or, while the data uses keys this build's model does
/// not know yet (`country_status`, designation `entities`, `embedder_vendor` ids of vendors
/// not yet in the data), the same files with those optional lines dropped. Identifiers are
/// untouched either way.
fn real() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    if let Ok(r) = Registry::embedded() {
        return r;
    }
    REG.get_or_init(|| {
        let files = crate::registry::embedded_files()
            .into_iter()
            .map(|f| {
                let text: String = f
                    .text
                    .lines()
                    .filter(|l| {
                        let l = l.trim_start();
                        !(l.starts_with("country_status")
                            || l.starts_with("entities")
                            || l.starts_with("embedder_vendor"))
                    })
                    .map(|l| format!("{l}\n"))
                    .collect();
                SourceFile {
                    path: f.path,
                    text: Cow::Owned(text),
                }
            })
            .collect();
        Registry::from_files(files, "embedded (adapted)".into(), Vec::new()).unwrap()
    })
}

#[test]
fn the_embedded_registry_attributes_kaspersky_cpe_and_generic_purl() {
    let reg = real();
    let mut c = comp("anti-virus");
    c.cpes
        .push("cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert_eq!(product_ids(reg, m), ["kaspersky-anti-virus"]);
    assert_eq!((m.confidence, m.confirmed), (Confidence::High, true));
    assert_eq!(a.country.as_ref().unwrap().country, "RU");

    // The real data has no `pkg:generic` identifier: the namespace reads as the vendor's name
    // and the package name as the SDK's alias ("KAV SDK").
    let mut c = comp("kav-sdk");
    c.version = Some("8".into());
    c.purl = Some("pkg:generic/kaspersky/kav-sdk@8".into());
    let a = attr(reg, &c);
    let m = only(reg, &a, "kaspersky");
    assert!(m.confirmed);
    assert_eq!(m.confidence, Confidence::Medium);
    assert_eq!(product_ids(reg, m), ["kaspersky-anti-virus-sdk"]);
}

/// `cargo test --release --lib resolve::tests::speed -- --ignored --nocapture`
#[test]
#[ignore]
fn speed() {
    let reg = real();
    let r = Resolver::new(reg, reg.index());
    let mut miss = comp("jackson-databind");
    miss.group = Some("com.fasterxml.jackson.core".into());
    miss.version = Some("2.15.2".into());
    miss.purl = Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2".into());
    miss.cpes
        .push("cpe:2.3:a:fasterxml:jackson-databind:2.15.2:*:*:*:*:*:*:*".into());
    miss.supplier = Some(org("FasterXML"));
    miss.description = Some("General data-binding functionality for Jackson".into());
    miss.hashes.push(Hash::new(
        "SHA-256",
        "0b6a9c9a7e6f4d4b1e7d3c2a1b0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29",
    ));
    miss.links.push(Link {
        kind: "vcs".into(),
        url: "https://github.com/FasterXML/jackson-databind".into(),
    });
    miss.file_names
        .push("BOOT-INF/lib/jackson-databind-2.15.2.jar".into());
    miss.properties.push((
        "syft:package:foundBy".into(),
        "java-archive-cataloger".into(),
    ));
    let mut hit = comp("kav-sdk");
    hit.purl = Some("pkg:generic/kaspersky/kav-sdk@8".into());
    hit.cpes
        .push("cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*".into());
    hit.supplier = Some(org("AO Kaspersky Lab"));
    let mut small = comp("left-pad");
    small.version = Some("1.3.0".into());
    small.purl = Some("pkg:npm/left-pad@1.3.0".into());
    small
        .cpes
        .push("cpe:2.3:a:left-pad_project:left-pad:1.3.0:*:*:*:*:node.js:*:*".into());
    // The best of several rounds: the machine may be shared.
    let only = std::env::var("BOMVET_SPEED_ONLY").ok();
    for (label, c) in [
        ("no-match (name, purl, CPE)", &small),
        ("no-match (every field)", &miss),
        ("match", &hit),
    ] {
        if only.as_deref().is_some_and(|o| !label.starts_with(o)) {
            continue;
        }
        let n = 100_000u32;
        let mut best = u128::MAX;
        for _ in 0..7 {
            let t = std::time::Instant::now();
            for _ in 0..n {
                std::hint::black_box(r.attribute(std::hint::black_box(c)));
            }
            best = best.min(t.elapsed().as_nanos() / u128::from(n));
        }
        println!("{label}: {best} ns/component");
    }
    assert!(r.attribute(&miss).candidates.is_empty());
}
