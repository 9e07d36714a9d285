//! Verdict rules against the frozen fixture registry (tests/fixtures/registry), on small
//! CycloneDX documents written inline.

use std::path::Path;
use std::sync::OnceLock;

use super::*;
use crate::policy::Located;
use crate::registry::model::UseContext;
use crate::sbom::{read_text, ReadOptions};

fn fixture() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        Registry::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry"))
            .expect("fixture registry loads")
    })
}

/// A product root that depends on `direct` and contains `vendorbox`, which contains `inner`.
fn doc(direct: &str, inner: &str) -> Document {
    let text = format!(
        r#"{{
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "metadata": {{"component": {{"bom-ref": "root", "type": "firmware", "name": "appliance"}}}},
  "components": [
    {direct},
    {{"bom-ref": "vendorbox", "type": "library", "name": "scanner", "supplier": {{"name": "Acme Scanners"}},
      "components": [{inner}]}}
  ],
  "dependencies": [{{"ref": "root", "dependsOn": ["direct", "vendorbox"]}}]
}}"#
    );
    read_text("test.cdx.json", &text, &ReadOptions::default(), 0).expect("test document reads")
}

const PLAIN: &str = r#"{"bom-ref": "direct", "type": "library", "name": "zlib", "version": "1.3"}"#;
const PLAIN_INNER: &str = r#"{"bom-ref": "inner", "type": "library", "name": "libyaml"}"#;

fn enforced(id: &str) -> Located<String> {
    Located {
        value: id.into(),
        line: 1,
        column: 1,
        key: "enforce[0]".into(),
    }
}

fn audit_with(policy: &Policy, d: &Document) -> DocumentReport {
    let reg = fixture();
    Auditor::new(reg, reg.index(), policy, today())
        .audit(d)
        .expect("audit")
}

fn today() -> Day {
    Day::parse("2025-06-01").expect("a date")
}

fn audit(d: &Document) -> DocumentReport {
    audit_with(&Policy::default(), d)
}

fn finding<'a>(r: &'a DocumentReport, reference: &str) -> Vec<&'a Finding> {
    r.findings
        .iter()
        .filter(|f| f.component.as_ref().is_some_and(|c| c.bom_ref == reference))
        .collect()
}

#[test]
fn a_kaspersky_cpe_as_a_direct_dependency_is_banned_vendor_direct() {
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kav", "cpe": "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"}"#,
        PLAIN_INNER,
    );
    let r = audit(&d);
    let f = finding(&r, "direct");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].code, Code::BannedVendor);
    assert_eq!(f[0].severity, Level::Deny);
    assert_eq!(f[0].exposure.as_deref(), Some("direct"));
    assert_eq!(f[0].path, vec!["root", "direct"]);
    assert!(f[0].designations.iter().any(|d| d == "us-far-52.204-23"));
    assert_eq!(r.summary.verdict, "fail");
}

#[test]
fn kaspersky_code_inside_another_vendors_component_is_banned_embedded() {
    let d = doc(
        PLAIN,
        r#"{"bom-ref": "inner", "type": "library", "name": "engine", "cpe": "cpe:2.3:a:kaspersky:anti-virus_sdk:8:*:*:*:*:*:*:*"}"#,
    );
    let r = audit(&d);
    let f = finding(&r, "inner");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].code, Code::BannedEmbedded);
    assert_eq!(f[0].exposure.as_deref(), Some("embedded"));
    assert_eq!(f[0].path, vec!["root", "vendorbox", "inner"]);
    assert_eq!(f[0].path_edges, vec!["depends-on", "contains"]);
    // BOD 17-01 reaches branded products only, not code inside another product.
    assert!(!f[0].designations.iter().any(|d| d == "us-bod-17-01"));
}

#[test]
fn the_entity_list_alone_never_bans() {
    let mut p = Policy::default();
    p.enforce = Some(vec![enforced("us-bis-entity-list")]);
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kav", "cpe": "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"}"#,
        PLAIN_INNER,
    );
    let r = audit_with(&p, &d);
    let f = finding(&r, "direct");
    assert_eq!(f[0].code, Code::ReviewVendor, "{:#?}", r.findings);
    assert_eq!(f[0].severity, Level::Warn);
}

#[test]
fn designations_the_policy_does_not_enforce_leave_the_country_check() {
    let mut p = Policy::default();
    p.enforce = Some(vec![enforced("us-far-52.204-25-telecom")]);
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kav", "cpe": "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"}"#,
        PLAIN_INNER,
    );
    let r = audit_with(&p, &d);
    let f = finding(&r, "direct");
    assert_eq!(f[0].code, Code::AdversaryCountry, "{:#?}", r.findings);
}

#[test]
fn hikvision_is_conditional_until_a_section_889_use_is_declared() {
    let hik = r#"{"bom-ref": "direct", "type": "library", "name": "device-sdk", "supplier": {"name": "Hangzhou Hikvision Digital Technology Co., Ltd."}}"#;
    let d = doc(hik, PLAIN_INNER);
    // The fixture also lists Hikvision on a covered list without a use limit: enforce only §889.
    let mut p = Policy::default();
    p.enforce = Some(vec![enforced("us-far-52.204-25-video-surveillance")]);
    let r = audit_with(&p, &d);
    let f = finding(&r, "direct");
    assert_eq!(f[0].code, Code::ConditionalVendor, "{:#?}", r.findings);
    assert_eq!(f[0].severity, Level::Warn);

    p.use_context = vec![UseContext::CriticalInfrastructureSurveillance];
    let r = audit_with(&p, &d);
    let f = finding(&r, "direct");
    assert_eq!(f[0].code, Code::BannedVendor, "{:#?}", r.findings);
    assert_eq!(f[0].severity, Level::Deny);
}

#[test]
fn unconfirmed_evidence_alone_is_a_review_not_a_ban() {
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "agent", "swid": {"tagId": "x", "name": "agent", "version": "1", "regid": "regid.1997-10.com.kaspersky"}}"#,
        PLAIN_INNER,
    );
    let r = audit(&d);
    let f = finding(&r, "direct");
    assert!(!f.is_empty(), "{:#?}", r.findings);
    assert!(f.iter().all(|f| f.severity != Level::Deny), "{f:#?}");
    assert_eq!(f[0].code, Code::ReviewVendor);
}

#[test]
fn a_look_alike_vendor_is_not_kaspersky() {
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kasper-backup", "supplier": {"name": "Kasper Systems AG"}}"#,
        PLAIN_INNER,
    );
    let r = audit(&d);
    assert!(finding(&r, "direct").is_empty(), "{:#?}", r.findings);
    assert_eq!(r.summary.deny, 0);
    assert_eq!(r.summary.vendors.get("kasper-systems"), Some(&1));
}

#[test]
fn allow_drops_a_finding_and_the_verdict_follows() {
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kav", "cpe": "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"}"#,
        PLAIN_INNER,
    );
    let mut p = Policy::default();
    p.set_level(Code::BannedVendor, Level::Allow);
    let r = audit_with(&p, &d);
    assert!(finding(&r, "direct").is_empty());
    assert_eq!(r.summary.verdict, "pass");
}

#[test]
fn unresolved_vendors_are_counted_in_one_document_finding() {
    let d = doc(PLAIN, PLAIN_INNER);
    let r = audit(&d);
    assert_eq!(
        r.summary.components, 3,
        "the metadata component is not counted"
    );
    // "Acme Scanners" names a vendor the registry does not know; zlib and libyaml name none.
    assert_eq!(r.summary.unresolved, 1);
    assert_eq!(r.summary.no_vendor_info, 2);
    let f: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.code == Code::UnknownVendor)
        .collect();
    assert_eq!(f.len(), 1);
    assert!(f[0].component.is_none());
    assert!(
        f[0].message.starts_with("1 of 3 components"),
        "{}",
        f[0].message
    );
}

#[test]
fn a_document_without_components_cannot_pass() {
    let text =
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": []}"#;
    let d = read_text("empty.cdx.json", text, &ReadOptions::default(), 0).unwrap();
    let reg = fixture();
    let p = Policy::default();
    let err = Auditor::new(reg, reg.index(), &p, today())
        .audit(&d)
        .unwrap_err();
    assert_eq!(err.kind(), "no-components");
}

#[test]
fn findings_are_sorted_deny_first() {
    let hik = r#"{"bom-ref": "direct", "type": "library", "name": "device-sdk", "supplier": {"name": "Hangzhou Hikvision Digital Technology Co., Ltd."}}"#;
    let kav = r#"{"bom-ref": "inner", "type": "library", "name": "engine", "cpe": "cpe:2.3:a:kaspersky:anti-virus_sdk:8:*:*:*:*:*:*:*"}"#;
    let r = audit(&doc(hik, kav));
    let ranks: Vec<u8> = r
        .findings
        .iter()
        .map(|f| report::severity_rank(f.severity))
        .collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted);
    assert_eq!(r.findings[0].severity, Level::Deny);
}

#[test]
fn a_waived_ban_keeps_its_severity_but_counts_as_waived_and_passes() {
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kav", "version": "21.3", "cpe": "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"}"#,
        PLAIN_INNER,
    );
    let p = Policy::parse(
        "[[waivers]]\nref = \"direct\"\ncode = \"banned-vendor\"\nreason = \"accepted\"\n",
        "bomvet.toml",
    )
    .expect("policy");
    let r = audit_with(&p, &d);
    let f = finding(&r, "direct");
    assert_eq!(f[0].severity, Level::Deny);
    assert_eq!(
        f[0].waiver.as_ref().map(|w| w.id.as_str()),
        Some("waiver-1")
    );
    assert_eq!(r.summary.deny, 0);
    assert_eq!(r.summary.waived, 1);
    assert_eq!(r.summary.verdict, "pass");
    // Usage is read back from the findings: the waiver was used, so no lifecycle finding.
    let lifecycle = waiver_findings(&p, std::slice::from_ref(&r), today(), true);
    assert!(lifecycle.is_empty(), "{lifecycle:#?}");
}

#[test]
fn an_expired_waiver_does_not_waive_and_is_reported() {
    let d = doc(
        r#"{"bom-ref": "direct", "type": "application", "name": "kav", "cpe": "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"}"#,
        PLAIN_INNER,
    );
    let p = Policy::parse(
        "[[waivers]]\nvendor = \"kaspersky\"\nreason = \"accepted\"\nexpires = 2025-05-31\n",
        "bomvet.toml",
    )
    .expect("policy");
    let r = audit_with(&p, &d);
    assert!(finding(&r, "direct")[0].waiver.is_none());
    assert_eq!(r.summary.verdict, "fail");
    let lifecycle = waiver_findings(&p, std::slice::from_ref(&r), today(), true);
    let codes: Vec<Code> = lifecycle.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec![Code::WaiverExpired]);
    assert_eq!(
        lifecycle[0].waiver.as_ref().map(|w| w.id.as_str()),
        Some("waiver-1")
    );
}

#[test]
fn the_report_is_the_same_whatever_the_thread_count() {
    // Enough components for several parallel runs per block, with planted banned vendors.
    let g = crate::sbomgen::generate(crate::sbomgen::GenFormat::CdxJson, 5_000, 7);
    let d = read_text("gen.cdx.json", &g.text, &ReadOptions::default(), 0).expect("reads");
    assert!(d.component_count() > crate::par::MIN_PARALLEL);
    let reg = Registry::embedded().expect("embedded registry");
    let policy = Policy::default();
    let report = |threads| {
        let r = Auditor::new(reg, reg.index(), &policy, today())
            .with_inventory(true)
            .with_threads(threads)
            .audit(&d)
            .expect("audit");
        serde_json::to_string(&r).expect("serialises")
    };
    let one = report(1);
    assert!(
        one.contains("banned-embedded"),
        "the planted components were not found"
    );
    for threads in [2, 3] {
        assert!(
            one == report(threads),
            "{threads} threads changed the report"
        );
    }
}
