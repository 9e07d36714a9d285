//! Small hand-built reports for the renderers' unit tests.

use super::*;

pub fn finding(code: Code, severity: Level, bom_ref: &str) -> Finding {
    Finding {
        code,
        severity,
        message: format!("{bom_ref} is from Example"),
        vendor: Some(VendorRef {
            id: "example".into(),
            name: "Example".into(),
            country: Some("RU".into()),
        }),
        designations: Vec::new(),
        citations: Vec::new(),
        component: Some(ComponentRef {
            bom_ref: bom_ref.into(),
            name: bom_ref.into(),
            version: None,
            purl: None,
            location: Some("line 7".into()),
        }),
        exposure: Some("direct".into()),
        path: vec!["root".into(), bom_ref.into()],
        path_edges: vec!["depends-on".into()],
        paths: Some(1),
        roots: vec!["root".into()],
        evidence: Vec::new(),
        confidence: Some("high".into()),
        product: None,
        entity: None,
        oem: None,
        country: None,
        other_vendors: Vec::new(),
        sources: Vec::new(),
        waiver: None,
    }
}

pub fn document(source: &str, findings: Vec<Finding>) -> DocumentReport {
    let deny = findings
        .iter()
        .filter(|f| f.severity == Level::Deny && f.waiver.is_none())
        .count();
    DocumentReport {
        source: source.into(),
        format: "spdx-tag-value".into(),
        spec_version: "SPDX-2.3".into(),
        name: None,
        components: 3,
        roots: vec!["root".into()],
        summary: DocumentSummary {
            components: 3,
            attributed: 1,
            deny,
            verdict: if deny > 0 { "fail" } else { "pass" }.into(),
            ..DocumentSummary::default()
        },
        findings,
        ingest_warnings: BTreeMap::new(),
        submission: None,
        inventory: Vec::new(),
    }
}

/// The embedded registry as reports of the tests name it.
pub fn registry_info() -> RegistryInfo {
    RegistryInfo {
        version: "test".into(),
        serial: 1,
        digest: "sha256:00".into(),
        origin: "embedded".into(),
        layers: Vec::new(),
    }
}

/// The default policy (no file, no waivers) as reports of the tests describe it.
pub fn policy_info() -> PolicyInfo {
    PolicyInfo {
        source: None,
        use_context: Vec::new(),
        levels: BTreeMap::new(),
        enforce: None,
        countries_of_concern: Vec::new(),
        designations: BTreeMap::new(),
        unresolved: None,
        waivers: Vec::new(),
        waivers_checked_on: None,
    }
}

pub fn report(documents: Vec<DocumentReport>) -> Report {
    let deny = documents.iter().map(|d| d.summary.deny).sum();
    Report {
        schema_version: SCHEMA_VERSION.into(),
        registry: registry_info(),
        policy: policy_info(),
        summary: RunSummary {
            documents: documents.len(),
            deny,
            ..RunSummary::default()
        },
        documents,
        policy_findings: Vec::new(),
        errors: Vec::new(),
        skipped: Vec::new(),
        rollup: None,
    }
}
