//! The terminal report: each finding with its evidence, citations and the path from the root
//! drawn as a tree (the way cargo-deny draws inclusion graphs), then a summary table per run.
//! Everything taken from a document or the policy passes through [`terminal_safe`], so no escape
//! sequence in a component name or a waiver reason reaches the terminal. A waived finding is
//! shown with `(waived)` after its code and a `waived:` line naming the waiver and its reason;
//! findings about the policy's waivers follow the documents.

use std::fmt::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use owo_colors::OwoColorize;

use super::{Finding, Report, Rollup, WaiverRef};
use crate::output::terminal_safe;
use crate::policy::Level;

fn paint(s: &str, level: Level, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    match level {
        Level::Deny => s.red().bold().to_string(),
        Level::Warn => s.yellow().bold().to_string(),
        Level::Info => s.cyan().to_string(),
        Level::Allow => s.to_string(),
    }
}

fn dim(s: &str, color: bool) -> String {
    if color {
        s.dimmed().to_string()
    } else {
        s.to_string()
    }
}

/// Render the report for a terminal (`color` adds ANSI colours).
pub fn render(report: &Report, color: bool) -> String {
    let mut out = String::new();
    for d in &report.documents {
        let verdict = if d.summary.deny > 0 {
            paint("FAIL", Level::Deny, color)
        } else {
            "pass".to_string()
        };
        let _ = writeln!(
            out,
            "{} ({} {}, {} components, {} attributed) {}",
            terminal_safe(&d.source),
            d.format,
            terminal_safe(&d.spec_version),
            d.components,
            d.summary.attributed,
            verdict
        );
        if d.findings.is_empty() {
            let _ = writeln!(out, "  no findings");
        }
        for f in &d.findings {
            finding(&mut out, f, color);
        }
        out.push('\n');
    }
    if !report.policy_findings.is_empty() {
        let _ = writeln!(
            out,
            "policy {}",
            terminal_safe(report.policy.source.as_deref().unwrap_or("(defaults)"))
        );
        for f in &report.policy_findings {
            finding(&mut out, f, color);
        }
        out.push('\n');
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "{}: {} [{}]",
            terminal_safe(&e.source),
            paint("error", Level::Deny, color),
            e.kind
        );
        let _ = writeln!(out, "  {}", terminal_safe(&e.message));
        out.push('\n');
    }

    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    // The waived column appears only when something is waived, to keep the table narrow.
    let waived = report.summary.waived > 0;
    let mut header = vec![
        "document",
        "format",
        "components",
        "attributed",
        "deny",
        "warn",
        "info",
    ];
    if waived {
        header.push("waived");
    }
    header.push("verdict");
    t.set_header(header);
    for d in &report.documents {
        let mut row = vec![
            terminal_safe(&d.source).into_owned(),
            d.format.clone(),
            d.components.to_string(),
            d.summary.attributed.to_string(),
            d.summary.deny.to_string(),
            d.summary.warn.to_string(),
            d.summary.info.to_string(),
        ];
        if waived {
            row.push(d.summary.waived.to_string());
        }
        row.push(d.summary.verdict.clone());
        t.add_row(row);
    }
    for e in &report.errors {
        let mut row = vec![terminal_safe(&e.source).into_owned()];
        row.extend(std::iter::repeat_n(
            "-".to_string(),
            if waived { 7 } else { 6 },
        ));
        row.push("error".into());
        t.add_row(row);
    }
    let _ = writeln!(out, "{t}");
    if let Some(r) = &report.rollup {
        rollup(&mut out, r);
    }
    let s = &report.summary;
    let _ = write!(
        out,
        "{} document(s) audited, {} failed to read, {} with deny findings; {} deny, {} warn, {} info",
        s.documents, s.errors, s.documents_with_deny, s.deny, s.warn, s.info
    );
    if s.waived > 0 {
        let _ = write!(out, ", {} waived", s.waived);
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        dim(
            &format!(
                "registry {} (serial {}, {})",
                report.registry.version, report.registry.serial, report.registry.digest
            ),
            color
        )
    );
    // With more than the base layer, name each one so a finding can be traced to its data.
    if report.registry.layers.len() > 1 {
        for l in &report.registry.layers {
            let _ = writeln!(
                out,
                "{}",
                dim(
                    &format!(
                        "  layer {} {} {} (serial {}, {})",
                        l.kind,
                        terminal_safe(&l.source),
                        l.version,
                        l.serial,
                        l.digest
                    ),
                    color
                )
            );
            for o in &l.overrides {
                let _ = writeln!(
                    out,
                    "{}",
                    dim(
                        &format!(
                            "    overrides {} {}: {}",
                            terminal_safe(&o.file),
                            terminal_safe(&o.key),
                            terminal_safe(&o.reason)
                        ),
                        color
                    )
                );
            }
        }
    }
    out
}

fn finding(out: &mut String, f: &Finding, color: bool) {
    let head = format!("{}[{}]", f.severity.as_str(), f.code.as_str());
    // A waived finding keeps its severity but is not painted as one: it does not count.
    let head = if f.waiver.is_some() && !f.code.is_waiver_lifecycle() {
        format!(
            "{} {}",
            dim(&head, color),
            paint("(waived)", Level::Info, color)
        )
    } else {
        paint(&head, f.severity, color)
    };
    let _ = writeln!(out, "  {}: {}", head, terminal_safe(&f.message));
    let pad = "      ";
    if let Some(w) = &f.waiver {
        let label = if f.code.is_waiver_lifecycle() {
            "waiver"
        } else {
            "waived"
        };
        let _ = writeln!(out, "{pad}{label}: {}", waiver_line(w));
    }
    if let Some(v) = &f.vendor {
        let mut line = format!("vendor: {} ({}", terminal_safe(&v.name), v.id);
        if let Some(c) = &v.country {
            let _ = write!(line, ", {c}");
        }
        line.push(')');
        if let Some(e) = &f.entity {
            let _ = write!(line, ", entity {}", terminal_safe(e));
        }
        if let Some(p) = &f.product {
            let _ = write!(line, ", {} {}", p.kind, terminal_safe(&p.name));
        }
        let _ = writeln!(out, "{pad}{line}");
    }
    if let Some(o) = &f.oem {
        let _ = writeln!(
            out,
            "{pad}OEM: {} {} ({}){}",
            terminal_safe(&o.embedder),
            terminal_safe(&o.product),
            o.period,
            super::facts::period_note(o)
        );
    }
    for c in &f.citations {
        let mut line = format!("designation: {}", c.id);
        if let Some(cl) = &c.clause {
            let _ = write!(line, " — {}", terminal_safe(cl));
        }
        if let Some(e) = &c.effective {
            let _ = write!(line, " (effective {e})");
        }
        let _ = writeln!(out, "{pad}{line}");
    }
    for e in &f.evidence {
        let _ = writeln!(
            out,
            "{pad}evidence: {} = {} matches {} ({}, {})",
            e.field,
            terminal_safe(&e.value),
            terminal_safe(&e.rule),
            e.confidence,
            e.status
        );
    }
    if let Some(c) = &f.country {
        if c.conflict || c.basis == "declared" {
            let _ = writeln!(out, "{pad}country: {}", terminal_safe(&c.reason));
        }
    }
    for v in &f.other_vendors {
        let _ = writeln!(
            out,
            "{pad}also points at: {} ({})",
            terminal_safe(&v.name),
            v.id
        );
    }
    if let Some(exposure) = &f.exposure {
        if f.path.is_empty() {
            let _ = writeln!(out, "{pad}exposure: {exposure} (no root reaches it)");
        } else {
            let paths = f.paths.unwrap_or(1);
            let count = if paths == u64::MAX {
                "at least 18446744073709551615 paths".to_string()
            } else if paths == 1 {
                "1 path".to_string()
            } else {
                format!("{paths} paths")
            };
            let _ = writeln!(out, "{pad}exposure: {exposure}, {count}; shortest:");
            for (i, r) in f.path.iter().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "{pad}  {}", terminal_safe(r));
                } else {
                    let edge = f.path_edges.get(i - 1).map(String::as_str).unwrap_or("");
                    let _ = writeln!(
                        out,
                        "{pad}  {}└─ {} {}",
                        "   ".repeat(i - 1),
                        dim(edge, color),
                        terminal_safe(r)
                    );
                }
            }
            if f.roots.len() > 1 {
                let _ = writeln!(
                    out,
                    "{pad}reached from {} roots: {}",
                    f.roots.len(),
                    f.roots
                        .iter()
                        .map(|r| terminal_safe(r).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
    }
}

/// `ID (bomvet.toml:12): reason; approved by X; ticket Y; expires Z`.
fn waiver_line(w: &WaiverRef) -> String {
    let mut line = terminal_safe(&w.id).into_owned();
    if let Some(l) = &w.location {
        let _ = write!(line, " ({})", terminal_safe(l));
    }
    let _ = write!(line, ": {}", terminal_safe(&w.reason));
    if let Some(a) = &w.approved_by {
        let _ = write!(line, "; approved by {}", terminal_safe(a));
    }
    if let Some(t) = &w.ticket {
        let _ = write!(line, "; ticket {}", terminal_safe(t));
    }
    if let Some(e) = &w.expires {
        let _ = write!(line, "; expires {e}");
    }
    line
}

/// The roll-up of a run over many documents: per submission (with a manifest), per vendor and
/// per country of origin, each as a table.
fn rollup(out: &mut String, r: &Rollup) {
    let waived =
        r.vendors.iter().any(|v| v.waived > 0) || r.submissions.iter().any(|s| s.waived > 0);
    let table = |header: Vec<&str>| {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header);
        t
    };
    let counts = |deny: usize, warn: usize, w: usize| {
        let mut v = vec![deny.to_string(), warn.to_string()];
        if waived {
            v.push(w.to_string());
        }
        v
    };
    let with_waived = |mut h: Vec<&'static str>, at: usize| {
        if waived {
            h.insert(at, "waived");
        }
        h
    };
    if !r.submissions.is_empty() {
        let mut t = table(with_waived(
            vec![
                "submission",
                "documents",
                "components",
                "deny",
                "warn",
                "verdict",
                "banned vendors",
            ],
            5,
        ));
        for s in &r.submissions {
            let mut row = vec![
                format!(
                    "{} / {}",
                    terminal_safe(&s.vendor),
                    terminal_safe(&s.product)
                ),
                if s.errors > 0 {
                    format!("{} (+{} failed)", s.documents.len(), s.errors)
                } else {
                    s.documents.len().to_string()
                },
                s.components.to_string(),
            ];
            row.extend(counts(s.deny, s.warn, s.waived));
            row.push(s.verdict.clone());
            row.push(
                s.banned_vendors
                    .iter()
                    .map(|v| terminal_safe(&v.name).into_owned())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            t.add_row(row);
        }
        let _ = writeln!(out, "\nsubmissions\n{t}");
    }
    if !r.vendors.is_empty() {
        let mut t = table(with_waived(
            vec![
                "vendor",
                "country",
                "documents",
                "components",
                "findings",
                "deny",
                "warn",
            ],
            7,
        ));
        for v in &r.vendors {
            let mut row = vec![
                format!("{} ({})", terminal_safe(&v.name), v.id),
                v.country.clone().unwrap_or_else(|| "-".into()),
                v.documents.to_string(),
                v.components.to_string(),
                v.findings.to_string(),
            ];
            row.extend(counts(v.deny, v.warn, v.waived));
            t.add_row(row);
        }
        let _ = writeln!(out, "\nvendors\n{t}");
    }
    if !r.countries.is_empty() {
        let mut t = table(with_waived(
            vec![
                "country",
                "documents",
                "components",
                "findings",
                "deny",
                "warn",
            ],
            6,
        ));
        for c in &r.countries {
            let mut row = vec![
                terminal_safe(&c.code).into_owned(),
                c.documents.to_string(),
                c.components.to_string(),
                c.findings.to_string(),
            ];
            row.extend(counts(c.deny, c.warn, c.waived));
            t.add_row(row);
        }
        let _ = writeln!(out, "\ncountries of origin\n{t}");
    }
}
