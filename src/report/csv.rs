//! The CSV inventory: one row per component of every document (not per finding), for
//! spreadsheets. Needs [`super::DocumentReport::inventory`], which the audit fills only when a
//! component listing is asked for.
//!
//! Each row says who the registry attributes the component to (vendor, legal entity, country and
//! its basis), the vendor's designations, and the component's verdict: its most severe unwaived
//! finding (`none` when it has no finding), with the number of findings and of waived ones. A
//! document whose inventory is empty gets no rows. Every field passes through
//! [`super::escape::csv`]: RFC 4180 quoting, and no cell a spreadsheet would evaluate.

use std::collections::HashMap;
use std::fmt::Write;

use super::escape::csv as cell;
use super::{severity_rank, DocumentReport, Finding, InventoryEntry, Report};

/// The header row, in column order.
pub const COLUMNS: [&str; 20] = [
    "document",
    "ref",
    "name",
    "version",
    "purl",
    "role",
    "attribution",
    "vendor_id",
    "vendor",
    "entity",
    "country",
    "country_basis",
    "designations",
    "verdict",
    "severity",
    "findings",
    "waived",
    "confidence",
    "evidence",
    "submission",
];

/// Render every document's inventory as CSV (CRLF line ends, as RFC 4180 says).
pub fn render(report: &Report) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for d in &report.documents {
        let mut by_ref: HashMap<&str, Vec<&Finding>> = HashMap::new();
        for f in &d.findings {
            if let Some(c) = &f.component {
                by_ref.entry(c.bom_ref.as_str()).or_default().push(f);
            }
        }
        for c in &d.inventory {
            let on = by_ref
                .get(c.bom_ref.as_str())
                .map_or(&[][..], Vec::as_slice);
            row(&mut out, d, c, on);
        }
    }
    out
}

/// The most severe finding (unwaived first), the number of findings and of waived ones.
fn verdict<'a>(on: &[&'a Finding]) -> (Option<&'a Finding>, usize, usize) {
    let waived = on.iter().filter(|f| f.is_waived()).count();
    let worst = on
        .iter()
        .copied()
        .min_by_key(|f| (f.is_waived(), severity_rank(f.severity), f.code));
    (worst, on.len(), waived)
}

fn row(out: &mut String, d: &DocumentReport, c: &InventoryEntry, on: &[&Finding]) {
    let (worst, count, waived) = verdict(on);
    let (code, severity) = match worst {
        None => ("none".to_string(), String::new()),
        Some(f) if f.is_waived() => (
            f.code.as_str().to_string(),
            format!("{} (waived)", f.severity),
        ),
        Some(f) => (f.code.as_str().to_string(), f.severity.to_string()),
    };
    let evidence = c
        .evidence
        .iter()
        .map(|e| format!("{}={} ~ {}", e.field, e.value, e.rule))
        .collect::<Vec<_>>()
        .join("; ");
    let fields: [String; 20] = [
        d.source.clone(),
        c.bom_ref.clone(),
        c.name.clone(),
        c.version.clone().unwrap_or_default(),
        c.purl.clone().unwrap_or_default(),
        c.role.clone().unwrap_or_default(),
        c.attribution.clone(),
        c.vendor.as_ref().map(|v| v.id.clone()).unwrap_or_default(),
        c.vendor
            .as_ref()
            .map(|v| v.name.clone())
            .unwrap_or_default(),
        c.entity.clone().unwrap_or_default(),
        c.country.clone().unwrap_or_default(),
        c.country_basis.clone().unwrap_or_default(),
        c.designations.join(" "),
        code,
        severity,
        count.to_string(),
        waived.to_string(),
        c.confidence.clone().unwrap_or_default(),
        evidence,
        d.submission
            .as_ref()
            .map(|s| format!("{} / {}", s.vendor, s.product))
            .unwrap_or_default(),
    ];
    let line: Vec<String> = fields.iter().map(|f| cell(f)).collect();
    let _ = write!(out, "{}\r\n", line.join(","));
}
