//! The roll-up of a run: documents audited, failed and with deny findings, then totals per
//! submission (from a manifest), per vendor and per country of origin. A pure function of the
//! report's documents and errors, plus a lookup for names of vendors no finding names.

use std::collections::{BTreeMap, BTreeSet};

use crate::policy::{Code, Level};
use crate::report::{
    CountryRollup, DocumentReport, ErrorEntry, Finding, Rollup, Submission, SubmissionRollup,
    VendorRef, VendorRollup,
};

/// Counts of findings by how they count.
#[derive(Default, Clone, Copy)]
struct Counts {
    findings: usize,
    deny: usize,
    warn: usize,
    info: usize,
    waived: usize,
}

impl Counts {
    fn add(&mut self, f: &Finding) {
        self.findings += 1;
        if f.waiver.is_some() {
            self.waived += 1;
            return;
        }
        match f.severity {
            Level::Deny => self.deny += 1,
            Level::Warn => self.warn += 1,
            Level::Info => self.info += 1,
            Level::Allow => {}
        }
    }
}

#[derive(Default)]
struct Acc {
    documents: usize,
    components: usize,
    counts: Counts,
}

/// The country a finding is about: the component's country of origin, else its vendor's.
fn finding_country(f: &Finding) -> Option<&str> {
    f.country
        .as_ref()
        .map(|c| c.code.as_str())
        .or_else(|| f.vendor.as_ref().and_then(|v| v.country.as_deref()))
}

/// Build the roll-up. `submissions` lists the manifest's submissions in manifest order (empty
/// without a manifest); `vendor` names a vendor id that no finding names (attributed
/// components only), or returns `None` to show the id.
pub fn build(
    documents: &[DocumentReport],
    errors: &[ErrorEntry],
    skipped: usize,
    submissions: &[Submission],
    vendor: &dyn Fn(&str) -> Option<VendorRef>,
) -> Rollup {
    let mut vendors: BTreeMap<String, (Option<VendorRef>, Acc)> = BTreeMap::new();
    let mut countries: BTreeMap<String, Acc> = BTreeMap::new();
    for d in documents {
        let mut seen_v = BTreeSet::new();
        let mut seen_c = BTreeSet::new();
        for (id, n) in &d.summary.vendors {
            let e = vendors.entry(id.clone()).or_default();
            e.1.components += n;
            seen_v.insert(id.clone());
        }
        for (code, n) in &d.summary.countries {
            countries.entry(code.clone()).or_default().components += n;
            seen_c.insert(code.clone());
        }
        for f in &d.findings {
            if let Some(v) = &f.vendor {
                let e = vendors.entry(v.id.clone()).or_default();
                if e.0.is_none() {
                    e.0 = Some(v.clone());
                }
                e.1.counts.add(f);
                seen_v.insert(v.id.clone());
            }
            if let Some(c) = finding_country(f) {
                countries.entry(c.to_string()).or_default().counts.add(f);
                seen_c.insert(c.to_string());
            }
        }
        for id in seen_v {
            if let Some(e) = vendors.get_mut(&id) {
                e.1.documents += 1;
            }
        }
        for c in seen_c {
            if let Some(e) = countries.get_mut(&c) {
                e.documents += 1;
            }
        }
    }

    let mut vendor_rows: Vec<VendorRollup> = vendors
        .into_iter()
        .map(|(id, (named, acc))| {
            let r = named.or_else(|| vendor(&id));
            VendorRollup {
                name: r.as_ref().map_or_else(|| id.clone(), |r| r.name.clone()),
                country: r.and_then(|r| r.country),
                id,
                documents: acc.documents,
                components: acc.components,
                findings: acc.counts.findings,
                deny: acc.counts.deny,
                warn: acc.counts.warn,
                info: acc.counts.info,
                waived: acc.counts.waived,
            }
        })
        .collect();
    vendor_rows.sort_by(|a, b| {
        (b.deny, b.findings, b.documents)
            .cmp(&(a.deny, a.findings, a.documents))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut country_rows: Vec<CountryRollup> = countries
        .into_iter()
        .map(|(code, acc)| CountryRollup {
            code,
            documents: acc.documents,
            components: acc.components,
            findings: acc.counts.findings,
            deny: acc.counts.deny,
            warn: acc.counts.warn,
            info: acc.counts.info,
            waived: acc.counts.waived,
        })
        .collect();
    country_rows.sort_by(|a, b| {
        (b.deny, b.findings, b.documents)
            .cmp(&(a.deny, a.findings, a.documents))
            .then_with(|| a.code.cmp(&b.code))
    });

    Rollup {
        documents: documents.len(),
        failed: errors.len(),
        skipped,
        with_deny: documents.iter().filter(|d| d.summary.deny > 0).count(),
        submissions: submissions
            .iter()
            .map(|s| submission(s, documents, errors))
            .collect(),
        vendors: vendor_rows,
        countries: country_rows,
    }
}

fn submission(
    s: &Submission,
    documents: &[DocumentReport],
    errors: &[ErrorEntry],
) -> SubmissionRollup {
    let mine = |o: &Option<Submission>| o.as_ref() == Some(s);
    let docs: Vec<&DocumentReport> = documents.iter().filter(|d| mine(&d.submission)).collect();
    let failed = errors.iter().filter(|e| mine(&e.submission)).count();
    let mut counts = Counts::default();
    let mut banned: BTreeMap<String, VendorRef> = BTreeMap::new();
    let mut components = 0;
    for d in &docs {
        components += d.components;
        for f in &d.findings {
            counts.add(f);
            if matches!(f.code, Code::BannedVendor | Code::BannedEmbedded) {
                if let Some(v) = &f.vendor {
                    banned.entry(v.id.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
    let verdict = if failed > 0 {
        "error"
    } else if counts.deny > 0 {
        "fail"
    } else {
        "pass"
    };
    SubmissionRollup {
        vendor: s.vendor.clone(),
        product: s.product.clone(),
        verdict: verdict.into(),
        documents: docs.iter().map(|d| d.source.clone()).collect(),
        errors: failed,
        components,
        deny: counts.deny,
        warn: counts.warn,
        info: counts.info,
        waived: counts.waived,
        banned_vendors: banned.into_values().collect(),
    }
}
