//! The HTML evidence report for procurement: one self-contained file (inline CSS and SVG; no
//! script, font, image or style sheet fetched from anywhere), readable offline and printable.
//!
//! Per document: the verdict, the share of components attributed to a registry vendor, bar
//! charts of components by country of origin and by vendor, each finding with its component,
//! vendor, path from the root, evidence, citations and waiver, and (when the audit listed them)
//! every component in a collapsed table. When documents carry a [`super::Submission`] they are
//! grouped by submitting vendor and product. Every string from a document or the registry passes
//! through [`super::escape::html`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::escape::html as h;
use super::facts::{self, Escape};
use super::markdown::share;
use super::{DocumentReport, Finding, Report, Submission};

const ESCAPE: Escape = Escape {
    text: h,
    code: html_code,
};

/// An identifier from the document, escaped, in a code element.
fn html_code(s: &str) -> String {
    format!("<code>{}</code>", h(s))
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1d2330;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d5dae3;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin-top:1.6rem}h4{margin:.2rem 0 .4rem;font-size:1rem}
code{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:.88em;background:#f1f3f7;padding:0 .2em;border-radius:3px;word-break:break-all}
table{border-collapse:collapse;margin:.4rem 0}th,td{border:1px solid #d5dae3;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f3f7}td.n{text-align:right}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.8rem;font-weight:600;font-size:.85rem}
.fail,.deny{background:#fde2e1;color:#9b1c1c}.pass{background:#def7e5;color:#1b6b3a}.warn{background:#fff3cd;color:#7a5700}
.info,.allow{background:#e3efff;color:#1e4f91}.waived{background:#ececec;color:#555}.error{background:#fde2e1;color:#9b1c1c}
.document{border:1px solid #d5dae3;border-radius:6px;padding:.6rem 1.2rem;margin:1rem 0}
.finding{border-left:4px solid #9aa3b5;padding:.3rem .8rem;margin:.8rem 0;background:#fafbfc}
.finding.sev-deny{border-left-color:#c81e1e;background:#fffafa}.finding.sev-warn{border-left-color:#d69e00}.finding.is-waived{border-left-color:#9e9e9e;opacity:.85}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.3rem 0}dt{font-weight:600;color:#4a5468}dd{margin:0}
ol.path{margin:0;padding-left:1.2rem}ol.path li span.edge{color:#6b7487;font-style:italic;margin-right:.3rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.charts figure{margin:0}figcaption{font-weight:600;margin-bottom:.2rem}
.meter{background:#e6e9ef;border-radius:3px;height:.7rem;width:16rem;display:inline-block;vertical-align:middle}
.meter span{display:block;height:100%;background:#2f6fdb;border-radius:3px}
footer{margin-top:2rem;color:#6b7487;font-size:.85rem}
@media print{.document{break-inside:avoid-page}details{display:block}}
";

/// Render the report as one self-contained HTML page.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let (word, class) = if !report.errors.is_empty() {
        ("ERROR", "error")
    } else if s.deny > 0 {
        ("FAIL", "fail")
    } else {
        ("PASS", "pass")
    };
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"bomvet\">\n");
    out.push_str("<title>bomvet evidence report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header>\n");
    let _ = writeln!(
        out,
        "<h1>bomvet evidence report <span class=\"badge {class}\" id=\"verdict\">{word}</span></h1>"
    );
    let _ = writeln!(
        out,
        "<p>{} document(s) audited, {} failed to read, {} with deny findings; {} deny, {} warn, {} info, {} waived.</p>",
        s.documents, s.errors, s.documents_with_deny, s.deny, s.warn, s.info, s.waived
    );
    overview(&mut out, report);
    out.push_str("</header>\n<main>\n");

    let grouped = report.documents.iter().any(|d| d.submission.is_some());
    if grouped {
        let mut groups: BTreeMap<Option<&Submission>, Vec<(usize, &DocumentReport)>> =
            BTreeMap::new();
        for (i, d) in report.documents.iter().enumerate() {
            groups
                .entry(d.submission.as_ref())
                .or_default()
                .push((i, d));
        }
        // Submissions first (by vendor, then product); documents outside the manifest last.
        let mut ordered: Vec<_> = groups.into_iter().collect();
        ordered.sort_by_key(|(k, _)| k.is_none());
        for (sub, docs) in ordered {
            out.push_str("<section class=\"submission\">\n");
            match sub {
                Some(sub) => {
                    let fails = docs.iter().filter(|(_, d)| d.summary.deny > 0).count();
                    let _ = writeln!(
                        out,
                        "<h2>{} — {} <span class=\"badge {}\">{}</span></h2>",
                        h(&sub.vendor),
                        h(&sub.product),
                        if fails > 0 { "fail" } else { "pass" },
                        if fails > 0 { "FAIL" } else { "pass" }
                    );
                }
                None => out.push_str("<h2>Documents not in the submission manifest</h2>\n"),
            }
            for (i, d) in docs {
                document(&mut out, i, d);
            }
            out.push_str("</section>\n");
        }
    } else {
        for (i, d) in report.documents.iter().enumerate() {
            document(&mut out, i, d);
        }
    }
    if !report.policy_findings.is_empty() {
        out.push_str("<section class=\"policy\">\n<h2>Policy</h2>\n");
        for f in &report.policy_findings {
            finding(&mut out, f);
        }
        out.push_str("</section>\n");
    }
    if !report.errors.is_empty() {
        out.push_str(
            "<section class=\"errors\">\n<h2>Inputs that could not be audited</h2>\n<ul>\n",
        );
        for e in &report.errors {
            let _ = writeln!(
                out,
                "<li><code>{}</code> <span class=\"badge error\">{}</span> {}</li>",
                h(&e.source),
                h(&e.kind),
                h(&e.message)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</main>\n<footer>\n");
    let r = &report.registry;
    let _ = writeln!(
        out,
        "<p>Registry {} (serial {}, <code>{}</code>, {}). Policy: {}{}.</p>",
        h(&r.version),
        r.serial,
        h(&r.digest),
        h(&r.origin),
        report.policy.source.as_deref().map_or_else(
            || "built-in defaults".to_string(),
            |p| format!("<code>{}</code>", h(p))
        ),
        if report.policy.use_context.is_empty() {
            String::new()
        } else {
            format!(
                "; declared use context: {}",
                h(&report.policy.use_context.join(", "))
            )
        }
    );
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

fn overview(out: &mut String, report: &Report) {
    if report.documents.is_empty() {
        return;
    }
    out.push_str("<table class=\"overview\">\n<thead><tr><th>document</th><th>submission</th><th>verdict</th><th>components</th><th>attributed</th><th>deny</th><th>warn</th><th>info</th><th>waived</th></tr></thead>\n<tbody>\n");
    for (i, d) in report.documents.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#doc-{i}\"><code>{}</code></a></td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{} ({})</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            h(&d.source),
            d.submission
                .as_ref()
                .map(|s| format!("{} — {}", h(&s.vendor), h(&s.product)))
                .unwrap_or_default(),
            verdict_badge(d),
            d.components,
            d.summary.attributed,
            share(d.summary.attributed, d.components),
            d.summary.deny,
            d.summary.warn,
            d.summary.info,
            d.summary.waived
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

fn verdict_badge(d: &DocumentReport) -> &'static str {
    if d.summary.deny > 0 {
        "<span class=\"badge fail\">FAIL</span>"
    } else {
        "<span class=\"badge pass\">pass</span>"
    }
}

fn document(out: &mut String, i: usize, d: &DocumentReport) {
    let _ = writeln!(out, "<article class=\"document\" id=\"doc-{i}\">");
    let _ = writeln!(
        out,
        "<h3><code>{}</code> {}</h3>",
        h(&d.source),
        verdict_badge(d)
    );
    let mut facts = vec![format!("{} {}", h(&d.format), h(&d.spec_version))];
    if let Some(n) = &d.name {
        facts.push(format!("document “{}”", h(n)));
    }
    if let Some(s) = &d.submission {
        facts.push(format!(
            "submitted by {} for {}",
            h(&s.vendor),
            h(&s.product)
        ));
    }
    facts.push(format!("{} components", d.components));
    let _ = writeln!(out, "<p>{}</p>", facts.join(" · "));
    let pct = if d.components == 0 {
        0.0
    } else {
        d.summary.attributed as f64 * 100.0 / d.components as f64
    };
    let _ = writeln!(
        out,
        "<p class=\"coverage\">Attributed to a registry vendor: <strong>{} of {} ({})</strong> <span class=\"meter\" role=\"img\" aria-label=\"{}\"><span style=\"width:{pct:.1}%\"></span></span><br>{} with vendor fields matching no registry vendor, {} with no vendor information.</p>",
        d.summary.attributed,
        d.components,
        share(d.summary.attributed, d.components),
        share(d.summary.attributed, d.components),
        d.summary.unresolved,
        d.summary.no_vendor_info
    );

    // Charts: components by country of origin and by vendor.
    let mut countries: Vec<(String, usize)> = d
        .summary
        .countries
        .iter()
        .map(|(c, n)| (c.clone(), *n))
        .collect();
    let with_country: usize = countries.iter().map(|(_, n)| n).sum();
    if d.components > with_country {
        countries.push(("unknown".into(), d.components - with_country));
    }
    let names = vendor_names(d);
    let mut vendors: Vec<(String, usize)> = d
        .summary
        .vendors
        .iter()
        .map(|(id, n)| (names.get(id.as_str()).map_or(id.clone(), |s| s.clone()), *n))
        .collect();
    if d.components > d.summary.attributed {
        vendors.push(("not attributed".into(), d.components - d.summary.attributed));
    }
    out.push_str("<div class=\"charts\">\n");
    chart(out, "Components by country of origin", &countries);
    chart(out, "Components by vendor", &vendors);
    out.push_str("</div>\n");

    let _ = writeln!(out, "<h4>Findings ({})</h4>", d.findings.len());
    if d.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    for f in &d.findings {
        finding(out, f);
    }
    if !d.ingest_warnings.is_empty() {
        let list: Vec<String> = d
            .ingest_warnings
            .iter()
            .map(|(k, n)| format!("{} ×{n}", h(k)))
            .collect();
        let _ = writeln!(out, "<p>Ingestion warnings: {}</p>", list.join(", "));
    }
    if !d.inventory.is_empty() {
        inventory(out, d);
    }
    out.push_str("</article>\n");
}

/// Vendor id → name, from the inventory and the findings.
fn vendor_names(d: &DocumentReport) -> BTreeMap<&str, String> {
    let mut names = BTreeMap::new();
    let refs = d
        .inventory
        .iter()
        .filter_map(|c| c.vendor.as_ref())
        .chain(d.findings.iter().filter_map(|f| f.vendor.as_ref()));
    for v in refs {
        names.entry(v.id.as_str()).or_insert_with(|| v.name.clone());
    }
    names
}

/// A horizontal bar chart in inline SVG, largest first; beyond 12 bars the rest are summed as
/// "other".
fn chart(out: &mut String, title: &str, data: &[(String, usize)]) {
    let mut rows: Vec<(String, usize)> = data.iter().filter(|(_, n)| *n > 0).cloned().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if rows.len() > 12 {
        let rest: usize = rows[11..].iter().map(|(_, n)| n).sum();
        rows.truncate(11);
        rows.push(("other".into(), rest));
    }
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (150.0, 220.0, 20.0);
    let height = row_h * rows.len().max(1) as f64 + 4.0;
    let width = label_w + bar_w + 50.0;
    let _ = writeln!(out, "<figure>\n<figcaption>{}</figcaption>", h(title));
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui,sans-serif\" font-size=\"12\">",
        h(title)
    );
    let _ = writeln!(out, "<title>{}</title>", h(title));
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"0\" y=\"14\" fill=\"#6b7487\">no components</text>"
        );
    }
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (*n as f64 / max as f64 * bar_w).max(1.0);
        let shown: String = if label.chars().count() > 22 {
            label.chars().take(21).collect::<String>() + "…"
        } else {
            label.clone()
        };
        let _ = writeln!(
            out,
            "<g><title>{}: {n}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#2f6fdb\" rx=\"2\"/><text x=\"{:.1}\" y=\"{}\">{n}</text></g>",
            h(label),
            label_w - 6.0,
            y + 13.0,
            h(&shown),
            y + 2.0,
            row_h - 5.0,
            label_w + w + 4.0,
            y + 13.0
        );
    }
    out.push_str("</svg>\n</figure>\n");
}

fn finding(out: &mut String, f: &Finding) {
    let sev = f.severity.as_str();
    let waived = if f.is_waived() { " is-waived" } else { "" };
    let _ = writeln!(out, "<div class=\"finding sev-{sev}{waived}\">");
    let badge = if f.is_waived() {
        format!("<span class=\"badge waived\">{sev}, waived</span>")
    } else {
        format!("<span class=\"badge {sev}\">{sev}</span>")
    };
    let _ = writeln!(
        out,
        "<h4>{badge} <code>{}</code> <span class=\"message\">{}</span></h4>\n<dl>",
        f.code.as_str(),
        h(&f.message)
    );
    if let Some(c) = &f.component {
        let s = facts::component(c, &ESCAPE);
        let _ = writeln!(out, "<dt>Component</dt><dd>{s}</dd>");
    }
    if let Some(s) = facts::vendor(f, &ESCAPE) {
        let _ = writeln!(out, "<dt>Vendor</dt><dd>{s}</dd>");
    }
    if let Some(o) = &f.oem {
        let _ = writeln!(out, "<dt>OEM</dt><dd>{}</dd>", facts::oem(o, &ESCAPE));
    }
    if let Some(c) = &f.country {
        let _ = writeln!(
            out,
            "<dt>Country</dt><dd>{} ({}){}</dd>",
            h(&c.code),
            h(&c.basis),
            if c.conflict || c.basis == "declared" {
                format!(": {}", h(&c.reason))
            } else {
                String::new()
            }
        );
    }
    if !f.path.is_empty() {
        let paths = match f.paths.unwrap_or(1) {
            1 => "1 path".to_string(),
            u64::MAX => "at least 18446744073709551615 paths".to_string(),
            n => format!("{n} paths"),
        };
        let _ = writeln!(
            out,
            "<dt>Path</dt><dd>{} ({paths}; shortest shown)<ol class=\"path\">",
            h(f.exposure.as_deref().unwrap_or(""))
        );
        for (i, step) in f.path.iter().enumerate() {
            let edge = i
                .checked_sub(1)
                .and_then(|e| f.path_edges.get(e))
                .map(|e| format!("<span class=\"edge\">{}</span>", h(e)))
                .unwrap_or_default();
            let _ = writeln!(out, "<li>{edge}<code>{}</code></li>", h(step));
        }
        out.push_str("</ol></dd>\n");
    } else if let Some(e) = &f.exposure {
        let _ = writeln!(out, "<dt>Path</dt><dd>{} (no root reaches it)</dd>", h(e));
    }
    if !f.evidence.is_empty() {
        out.push_str("<dt>Evidence</dt><dd><table><thead><tr><th>field</th><th>value</th><th>registry rule</th><th>confidence</th><th>status</th></tr></thead><tbody>\n");
        for e in &f.evidence {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                h(&e.field),
                h(&e.value),
                h(&e.rule),
                h(&e.confidence),
                h(&e.status)
            );
        }
        out.push_str("</tbody></table></dd>\n");
    }
    if !f.citations.is_empty() {
        out.push_str("<dt>Citations</dt><dd><ul>\n");
        for c in &f.citations {
            let s = facts::citation(c, &ESCAPE);
            let _ = writeln!(out, "<li>{s}</li>");
        }
        out.push_str("</ul></dd>\n");
    }
    if let Some(w) = &f.waiver {
        let s = facts::waiver(w, &ESCAPE);
        let _ = writeln!(out, "<dt>Waiver</dt><dd>{s}</dd>");
    }
    out.push_str("</dl>\n</div>\n");
}

fn inventory(out: &mut String, d: &DocumentReport) {
    let _ = writeln!(
        out,
        "<details><summary>Component list ({} entries)</summary>\n<table class=\"inventory\"><thead><tr><th>ref</th><th>name</th><th>version</th><th>vendor</th><th>country</th><th>designations</th><th>findings</th></tr></thead><tbody>",
        d.inventory.len()
    );
    let mut by_ref: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &d.findings {
        if let Some(c) = &f.component {
            by_ref.entry(c.bom_ref.as_str()).or_default().push(f);
        }
    }
    for c in &d.inventory {
        let findings = by_ref
            .get(c.bom_ref.as_str())
            .map_or(&[][..], Vec::as_slice);
        let worst = findings
            .iter()
            .filter(|f| !f.is_waived())
            .map(|f| f.severity)
            .max();
        let cell = match worst {
            Some(l) => format!(
                "<span class=\"badge {}\">{}</span>",
                l.as_str(),
                findings
                    .iter()
                    .map(|f| f.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None if !findings.is_empty() => "<span class=\"badge waived\">waived</span>".into(),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&c.bom_ref),
            h(&c.name),
            h(c.version.as_deref().unwrap_or("")),
            c.vendor.as_ref().map(|v| h(&v.name)).unwrap_or_default(),
            c.country
                .as_ref()
                .map(|co| format!(
                    "{} ({})",
                    h(co),
                    h(c.country_basis.as_deref().unwrap_or(""))
                ))
                .unwrap_or_default(),
            h(&c.designations.join(", ")),
            cell
        );
    }
    out.push_str("</tbody></table>\n</details>\n");
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{document, finding, report};
    use super::super::WaiverRef;
    use super::*;
    use crate::policy::{Code, Level};

    fn sub(vendor: &str, product: &str) -> Option<Submission> {
        Some(Submission {
            vendor: vendor.into(),
            product: product.into(),
        })
    }

    #[test]
    fn documents_are_grouped_by_submitting_vendor_and_product() {
        let mut a = document(
            "a.spdx",
            vec![finding(Code::BannedVendor, Level::Deny, "x")],
        );
        a.submission = sub("Zeta Corp", "Gateway");
        let mut b = document("b.spdx", Vec::new());
        b.submission = sub("Acme", "Router");
        let c = document("c.spdx", Vec::new());
        let mut d = document("d.spdx", Vec::new());
        d.submission = sub("Zeta Corp", "Gateway");
        let html = render(&report(vec![a, b, c, d]));
        let pos = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
        // Acme before Zeta; both Zeta documents under one heading; the unlisted one last.
        assert!(pos("<h2>Acme — Router") < pos("<h2>Zeta Corp — Gateway"));
        assert_eq!(html.matches("<h2>Zeta Corp — Gateway").count(), 1);
        assert!(pos("<h2>Zeta Corp — Gateway") < pos("id=\"doc-0\""));
        assert!(pos("id=\"doc-0\"") < pos("id=\"doc-3\""));
        assert!(pos("id=\"doc-3\"") < pos("not in the submission manifest"));
        assert!(pos("not in the submission manifest") < pos("id=\"doc-2\""));
    }

    #[test]
    fn without_submissions_there_are_no_group_headings() {
        let html = render(&report(vec![document("a.spdx", Vec::new())]));
        assert!(!html.contains("class=\"submission\""));
        assert!(html.contains("id=\"doc-0\""));
    }

    #[test]
    fn a_waived_finding_is_shown_as_waived_with_its_reason() {
        let mut f = finding(Code::BannedVendor, Level::Deny, "x");
        f.waiver = Some(WaiverRef {
            id: "w1".into(),
            reason: "removal planned".into(),
            approved_by: None,
            ticket: None,
            expires: None,
            location: None,
        });
        let html = render(&report(vec![document("a.spdx", vec![f])]));
        assert!(html.contains("deny, waived"));
        assert!(html.contains("removal planned"));
        assert!(html.contains("id=\"verdict\">PASS"));
    }

    #[test]
    fn the_chart_sums_bars_beyond_twelve_into_other() {
        let data: Vec<(String, usize)> = (0..20).map(|i| (format!("c{i:02}"), 20 - i)).collect();
        let mut out = String::new();
        chart(&mut out, "t", &data);
        assert_eq!(out.matches("<rect").count(), 12);
        let rest: usize = (11..20).map(|i| 20 - i).sum();
        assert!(out.contains(&format!("<title>other: {rest}</title>")));
    }
}
