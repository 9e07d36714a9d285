//! The Markdown summary: fit to post as a pull-request comment or paste into a procurement memo.
//!
//! A verdict line, a table of documents (verdict, components, share attributed, counts), then
//! per document each finding with its component, vendor, path, evidence, citations and waiver.
//! Everything from a document is escaped ([`super::escape::markdown`] for prose,
//! [`super::escape::markdown_code`] for identifiers): no link, image, HTML, mention or table
//! break can come from an SBOM.

use std::fmt::Write;

use super::escape::{markdown as md, markdown_code as code};
use super::facts::{self, Escape};
use super::{DocumentReport, Finding, Report, Rollup};
use crate::policy::Level;

const ESCAPE: Escape = Escape { text: md, code };

/// `attributed` of `components` as a percentage with one decimal (0 when there are none).
pub(crate) fn share(attributed: usize, components: usize) -> String {
    if components == 0 {
        "0.0%".into()
    } else {
        format!("{:.1}%", attributed as f64 * 100.0 / components as f64)
    }
}

/// Render the report as GitHub-flavoured Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let verdict = if !report.errors.is_empty() {
        "**ERROR**: some inputs could not be audited"
    } else if s.deny > 0 {
        "**FAIL**: deny findings"
    } else {
        "**PASS**: no deny finding"
    };
    let _ = writeln!(out, "## bomvet audit: {verdict}\n");
    let _ = writeln!(
        out,
        "{} document(s) audited, {} failed to read, {} with deny findings; {} deny, {} warn, {} info, {} waived.\n",
        s.documents, s.errors, s.documents_with_deny, s.deny, s.warn, s.info, s.waived
    );
    if !report.documents.is_empty() || !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "| document | verdict | components | attributed | deny | warn | info | waived |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
        for d in &report.documents {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} ({}) | {} | {} | {} | {} |",
                code(&d.source),
                verdict_word(d),
                d.components,
                d.summary.attributed,
                share(d.summary.attributed, d.components),
                d.summary.deny,
                d.summary.warn,
                d.summary.info,
                d.summary.waived
            );
        }
        for e in &report.errors {
            let _ = writeln!(
                out,
                "| {} | **error** ({}) | | | | | | |",
                code(&e.source),
                md(&e.kind)
            );
        }
        out.push('\n');
    }
    if let Some(r) = &report.rollup {
        rollup(&mut out, r);
    }
    for d in &report.documents {
        document(&mut out, d);
    }
    if !report.policy_findings.is_empty() {
        let _ = writeln!(out, "### Policy\n");
        for f in &report.policy_findings {
            finding(&mut out, f);
        }
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "### Inputs that could not be audited\n");
        for e in &report.errors {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                code(&e.source),
                md(&e.kind),
                md(&e.message)
            );
        }
        out.push('\n');
    }
    let r = &report.registry;
    let _ = writeln!(
        out,
        "<sub>registry {} (serial {}, {}); policy {}</sub>",
        md(&r.version),
        r.serial,
        md(&r.digest),
        report
            .policy
            .source
            .as_deref()
            .map_or_else(|| "built-in defaults".to_string(), code)
    );
    out
}

/// The roll-up of a run over many documents: submissions (with a manifest), the vendors that
/// have findings, countries of origin. Vendors without findings are counted, not listed: a
/// memo names what needs a decision.
fn rollup(out: &mut String, r: &Rollup) {
    if !r.submissions.is_empty() {
        let _ = writeln!(
            out,
            "### Submissions
"
        );
        let _ = writeln!(
            out,
            "| vendor | product | verdict | documents | components | deny | warn | waived | banned vendors |"
        );
        let _ = writeln!(out, "|---|---|---|---:|---:|---:|---:|---:|---|");
        for s in &r.submissions {
            let verdict = match s.verdict.as_str() {
                "pass" => "pass".to_string(),
                v => format!("**{}**", v.to_uppercase()),
            };
            let documents = if s.errors > 0 {
                format!("{} (+{} failed)", s.documents.len(), s.errors)
            } else {
                s.documents.len().to_string()
            };
            let banned: Vec<String> = s.banned_vendors.iter().map(|v| md(&v.name)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {verdict} | {documents} | {} | {} | {} | {} | {} |",
                md(&s.vendor),
                md(&s.product),
                s.components,
                s.deny,
                s.warn,
                s.waived,
                banned.join(", ")
            );
        }
        out.push('\n');
    }
    let flagged: Vec<_> = r.vendors.iter().filter(|v| v.findings > 0).collect();
    if !flagged.is_empty() {
        let _ = writeln!(
            out,
            "### Vendors with findings
"
        );
        let _ = writeln!(
            out,
            "| vendor | country | documents | components | deny | warn | info | waived |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
        for v in &flagged {
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
                md(&v.name),
                code(&v.id),
                v.country.as_deref().map_or_else(|| "–".to_string(), md),
                v.documents,
                v.components,
                v.deny,
                v.warn,
                v.info,
                v.waived
            );
        }
        out.push('\n');
    }
    let others = r.vendors.len() - flagged.len();
    if others > 0 {
        let _ = writeln!(
            out,
            "{others} other registry vendor(s) have attributed components and no findings.\n"
        );
    }
    if !r.countries.is_empty() {
        let _ = writeln!(out, "### Countries of origin\n");
        let _ = writeln!(
            out,
            "| country | documents | components | findings | deny | warn | waived |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
        for c in &r.countries {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&c.code),
                c.documents,
                c.components,
                c.findings,
                c.deny,
                c.warn,
                c.waived
            );
        }
        out.push('\n');
    }
}

fn verdict_word(d: &DocumentReport) -> &'static str {
    if d.summary.deny > 0 {
        "**FAIL**"
    } else {
        "pass"
    }
}

fn document(out: &mut String, d: &DocumentReport) {
    let _ = writeln!(out, "### {} — {}\n", code(&d.source), verdict_word(d));
    let mut facts = vec![format!("{} {}", d.format, md(&d.spec_version))];
    if let Some(n) = &d.name {
        facts.push(format!("document {}", md(n)));
    }
    if let Some(s) = &d.submission {
        facts.push(format!(
            "submitted by {} for {}",
            md(&s.vendor),
            md(&s.product)
        ));
    }
    facts.push(format!(
        "coverage: {} of {} components attributed to a registry vendor ({}), {} with unknown vendors, {} with no vendor information",
        d.summary.attributed,
        d.components,
        share(d.summary.attributed, d.components),
        d.summary.unresolved,
        d.summary.no_vendor_info
    ));
    let _ = writeln!(out, "{}\n", facts.join("; "));
    if d.findings.is_empty() {
        let _ = writeln!(out, "No findings.\n");
    }
    for f in &d.findings {
        finding(out, f);
    }
}

fn finding(out: &mut String, f: &Finding) {
    let sev = match (f.severity, f.is_waived()) {
        (_, true) => format!("~~{}~~ waived", f.severity),
        (Level::Deny, false) => "**deny**".into(),
        (l, false) => l.to_string(),
    };
    let _ = writeln!(out, "- {sev} `{}`: {}", f.code.as_str(), md(&f.message));
    let pad = "  ";
    if let Some(c) = &f.component {
        let _ = writeln!(out, "{pad}- component: {}", facts::component(c, &ESCAPE));
    }
    if let Some(line) = facts::vendor(f, &ESCAPE) {
        let _ = writeln!(out, "{pad}- vendor: {line}");
    }
    if let Some(o) = &f.oem {
        let _ = writeln!(out, "{pad}- OEM: {}", facts::oem(o, &ESCAPE));
    }
    if !f.path.is_empty() {
        let mut line = String::new();
        for (i, step) in f.path.iter().enumerate() {
            if i > 0 {
                let edge = f.path_edges.get(i - 1).map_or("", String::as_str);
                let _ = write!(line, " → _{}_ → ", md(edge));
            }
            line.push_str(&code(step));
        }
        let exposure = f.exposure.as_deref().unwrap_or("");
        let paths = match f.paths.unwrap_or(1) {
            1 => String::new(),
            u64::MAX => ", one of at least 18446744073709551615 paths".into(),
            n => format!(", one of {n} paths"),
        };
        let _ = writeln!(out, "{pad}- path ({}{paths}): {line}", md(exposure));
    } else if let Some(e) = &f.exposure {
        let _ = writeln!(out, "{pad}- exposure: {} (no root reaches it)", md(e));
    }
    for e in &f.evidence {
        let _ = writeln!(
            out,
            "{pad}- evidence: {} {} matches {} ({}, {})",
            md(&e.field),
            code(&e.value),
            code(&e.rule),
            md(&e.confidence),
            md(&e.status)
        );
    }
    for c in &f.citations {
        let _ = writeln!(out, "{pad}- citation: {}", facts::citation(c, &ESCAPE));
    }
    if let Some(c) = &f.country {
        if c.conflict || c.basis == "declared" {
            let _ = writeln!(out, "{pad}- country: {}", md(&c.reason));
        }
    }
    if let Some(w) = &f.waiver {
        let label = if f.is_waived() { "waived by" } else { "waiver" };
        let _ = writeln!(out, "{pad}- {label} {}", facts::waiver(w, &ESCAPE));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_a_rounded_percentage_and_zero_for_nothing() {
        assert_eq!(share(1, 3), "33.3%");
        assert_eq!(share(0, 0), "0.0%");
        assert_eq!(share(2, 2), "100.0%");
    }
}
