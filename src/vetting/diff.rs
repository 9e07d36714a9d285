//! `bomvet diff OLD NEW`: the exposure added, removed and unchanged between two audited versions
//! of a product's SBOM, for tracking a removal plan over time.
//!
//! Findings are matched by finding code, vendor id and component identity. The identity is the
//! component's purl without version, qualifiers or subpath (`pkg:generic/kaspersky/kav-sdk`)
//! when it has a valid one, else its name compared without case; a document-level finding
//! (`unknown-vendor`) matches the same code in the other document. When several findings share
//! a key they are paired in report order and the surplus is added or removed. Versions,
//! severities, paths and waivers may differ between the two sides of an unchanged finding.
//!
//! The wire types here are the JSON contract of `bomvet diff --format json`
//! (`schemas/diff.schema.json`, generated from them); the renderers are pure functions of a
//! [`DiffReport`].

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use schemars::JsonSchema;
use serde::Serialize;

use crate::output::terminal_safe;
use crate::policy::{Code, Level};
use crate::report::{DocumentReport, Finding, PolicyInfo, RegistryInfo, VendorRef};
use crate::sbom::purl::Purl;

/// The version of the JSON diff shape.
pub const DIFF_SCHEMA_VERSION: &str = "1";

/// Where the committed schema lives, relative to the crate root.
pub const SCHEMA_PATH: &str = "schemas/diff.schema.json";

/// The result of `bomvet diff`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiffReport {
    /// Version of this JSON shape (`"1"`).
    pub schema_version: String,
    /// The registry both documents were audited with.
    pub registry: RegistryInfo,
    /// The policy in force for both.
    pub policy: PolicyInfo,
    pub old: DiffSide,
    pub new: DiffSide,
    /// Findings of NEW that OLD does not have.
    pub added: Vec<DiffEntry>,
    /// Findings of OLD that NEW no longer has.
    pub removed: Vec<DiffEntry>,
    /// Findings in both (each entry carries both sides).
    pub unchanged: Vec<DiffEntry>,
    pub summary: DiffSummary,
}

/// One of the two documents, summarised.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiffSide {
    pub source: String,
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub components: usize,
    pub attributed: usize,
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub waived: usize,
    /// `fail` or `pass`, as `bomvet audit` says.
    pub verdict: String,
}

/// One matched key with the finding on each side that has it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DiffEntry {
    pub code: Code,
    /// The vendor named (absent for document-level findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorRef>,
    /// `purl`, `name` or `document`: what `identity` is.
    pub matched_by: String,
    /// The purl without version, the lower-cased name, or empty for a document-level finding.
    pub identity: String,
    /// The finding in OLD (absent for an added one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Finding>,
    /// The finding in NEW (absent for a removed one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Finding>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct DiffSummary {
    pub added: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Findings that count as deny in NEW and did not in OLD (added, or raised to deny, or no
    /// longer waived). Any makes `bomvet diff` exit 1.
    pub new_deny: usize,
}

impl DiffEntry {
    /// The finding shown for this entry: NEW's when there is one.
    pub fn current(&self) -> Option<&Finding> {
        self.new.as_ref().or(self.old.as_ref())
    }
}

fn counts_as_deny(f: &Finding) -> bool {
    f.severity == Level::Deny && f.waiver.is_none()
}

/// The match key of a finding: (code, vendor id, matched_by, identity).
fn key(f: &Finding) -> (Code, String, &'static str, String) {
    let vendor = f.vendor.as_ref().map(|v| v.id.clone()).unwrap_or_default();
    let (by, identity) = match &f.component {
        None => ("document", String::new()),
        Some(c) => match c.purl.as_deref().and_then(|p| Purl::parse(p).ok()) {
            Some(p) => {
                let mut s = format!("pkg:{}/", p.ty);
                if let Some(ns) = &p.namespace {
                    let _ = write!(s, "{ns}/");
                }
                s.push_str(&p.name);
                ("purl", s)
            }
            None => ("name", c.name.trim().to_lowercase()),
        },
    };
    (f.code, vendor, by, identity)
}

fn side(d: &DocumentReport) -> DiffSide {
    DiffSide {
        source: d.source.clone(),
        format: d.format.clone(),
        name: d.name.clone(),
        components: d.components,
        attributed: d.summary.attributed,
        deny: d.summary.deny,
        warn: d.summary.warn,
        info: d.summary.info,
        waived: d.summary.waived,
        verdict: d.summary.verdict.clone(),
    }
}

/// Compare two audited documents.
pub fn diff(
    old: &DocumentReport,
    new: &DocumentReport,
    registry: RegistryInfo,
    policy: PolicyInfo,
) -> DiffReport {
    type Key = (Code, String, &'static str, String);
    let mut groups: BTreeMap<Key, (Vec<&Finding>, Vec<&Finding>)> = BTreeMap::new();
    for f in &old.findings {
        groups.entry(key(f)).or_default().0.push(f);
    }
    for f in &new.findings {
        groups.entry(key(f)).or_default().1.push(f);
    }
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut unchanged = Vec::new();
    let mut new_deny = 0;
    for ((code, _, by, identity), (olds, news)) in groups {
        let n = olds.len().max(news.len());
        for i in 0..n {
            let (o, nw) = (olds.get(i).copied(), news.get(i).copied());
            let vendor = nw.or(o).and_then(|f| f.vendor.clone());
            if nw.is_some_and(counts_as_deny) && !o.is_some_and(counts_as_deny) {
                new_deny += 1;
            }
            let entry = DiffEntry {
                code,
                vendor,
                matched_by: by.to_string(),
                identity: identity.clone(),
                old: o.cloned(),
                new: nw.cloned(),
            };
            match (o, nw) {
                (Some(_), Some(_)) => unchanged.push(entry),
                (None, Some(_)) => added.push(entry),
                (Some(_), None) => removed.push(entry),
                (None, None) => {}
            }
        }
    }
    // Report order: severity (deny first), then code, vendor, identity.
    let order = |e: &DiffEntry| {
        (
            e.current()
                .map_or(3, |f| crate::report::severity_rank(f.severity)),
            e.code,
            e.vendor.as_ref().map(|v| v.id.clone()),
            e.identity.clone(),
        )
    };
    for list in [&mut added, &mut removed, &mut unchanged] {
        list.sort_by_key(order);
    }
    DiffReport {
        schema_version: DIFF_SCHEMA_VERSION.into(),
        registry,
        policy,
        old: side(old),
        new: side(new),
        summary: DiffSummary {
            added: added.len(),
            removed: removed.len(),
            unchanged: unchanged.len(),
            new_deny,
        },
        added,
        removed,
        unchanged,
    }
}

/// The JSON diff (schema `schemas/diff.schema.json`).
pub fn render_json(d: &DiffReport) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of [`DiffReport`].
pub fn schema() -> serde_json::Value {
    let g = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut v = g.into_root_schema_for::<DiffReport>().to_value();
    if let Some(o) = v.as_object_mut() {
        o.insert("title".into(), "bomvet diff report".into());
        o.insert(
            "description".into(),
            "The JSON output of `bomvet diff --format json`, schema_version 1. Generated from \
             the Rust types; do not edit by hand."
                .into(),
        );
    }
    v
}

/// The schema as committed: pretty JSON with a final newline.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// `Kaspersky Anti-Virus SDK 8.10.1.1147` or the finding's message for a document-level one.
fn what(f: &Finding) -> String {
    match &f.component {
        Some(c) => match &c.version {
            Some(v) => format!("{} {}", c.name, v),
            None => c.name.clone(),
        },
        None => f.message.clone(),
    }
}

fn vendor_label(v: &VendorRef) -> String {
    match &v.country {
        Some(c) => format!("{} ({}, {})", v.name, v.id, c),
        None => format!("{} ({})", v.name, v.id),
    }
}

fn head(f: &Finding) -> String {
    let waived = if f.waiver.is_some() { " (waived)" } else { "" };
    format!("{}[{}]{waived}", f.severity.as_str(), f.code.as_str())
}

/// What changed on an unchanged entry: version, severity, waiver, exposure.
fn changes(old: &Finding, new: &Finding) -> Vec<String> {
    let mut out = Vec::new();
    let version = |f: &Finding| f.component.as_ref().and_then(|c| c.version.clone());
    if version(old) != version(new) {
        out.push(format!(
            "version {} → {}",
            version(old).unwrap_or_else(|| "?".into()),
            version(new).unwrap_or_else(|| "?".into())
        ));
    }
    if old.severity != new.severity {
        out.push(format!("severity {} → {}", old.severity, new.severity));
    }
    match (&old.waiver, &new.waiver) {
        (None, Some(w)) => out.push(format!("now waived ({})", w.id)),
        (Some(w), None) => out.push(format!("no longer waived (was {})", w.id)),
        _ => {}
    }
    if old.exposure != new.exposure {
        out.push(format!(
            "exposure {} → {}",
            old.exposure.as_deref().unwrap_or("-"),
            new.exposure.as_deref().unwrap_or("-")
        ));
    }
    if old.path != new.path && old.exposure == new.exposure {
        out.push("path changed".into());
    }
    out
}

/// Render for a terminal: the three lists with paths, then old and new side by side.
pub fn render_table(d: &DiffReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "diff {} → {}",
        terminal_safe(&d.old.source),
        terminal_safe(&d.new.source)
    );
    for (title, list, mark) in [
        ("removed", &d.removed, '-'),
        ("added", &d.added, '+'),
        ("unchanged", &d.unchanged, '='),
    ] {
        let _ = writeln!(out, "\n{title} ({})", list.len());
        if list.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for e in list {
            let Some(f) = e.current() else { continue };
            let mut line = format!("  {mark} {}", head(f));
            if let Some(v) = &e.vendor {
                let _ = write!(line, " {}", terminal_safe(&vendor_label(v)));
            }
            let _ = write!(line, ": {}", terminal_safe(&what(f)));
            let _ = writeln!(out, "{line}");
            if e.matched_by == "purl" {
                let _ = writeln!(out, "      matched by purl {}", terminal_safe(&e.identity));
            }
            if let (Some(o), Some(n)) = (&e.old, &e.new) {
                let c = changes(o, n);
                if !c.is_empty() {
                    let _ = writeln!(out, "      changed: {}", terminal_safe(&c.join("; ")));
                }
            }
            if !f.path.is_empty() {
                let label = if e.new.is_some() {
                    "path"
                } else {
                    "was reached by"
                };
                let _ = writeln!(
                    out,
                    "      {label} ({}):",
                    f.exposure.as_deref().unwrap_or("-")
                );
                for (i, r) in f.path.iter().enumerate() {
                    if i == 0 {
                        let _ = writeln!(out, "        {}", terminal_safe(r));
                    } else {
                        let edge = f.path_edges.get(i - 1).map(String::as_str).unwrap_or("");
                        let _ = writeln!(
                            out,
                            "        {}└─ {} {}",
                            "   ".repeat(i - 1),
                            edge,
                            terminal_safe(r)
                        );
                    }
                }
            }
        }
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["", "old", "new"]);
    for (label, o, n) in side_rows(d) {
        t.add_row(vec![label.to_string(), o, n]);
    }
    let _ = writeln!(out, "\n{t}");
    let _ = writeln!(out, "{}", verdict_line(d));
    out
}

fn side_rows(d: &DiffReport) -> Vec<(&'static str, String, String)> {
    let (o, n) = (&d.old, &d.new);
    let mut rows = vec![
        ("verdict", o.verdict.clone(), n.verdict.clone()),
        (
            "components",
            o.components.to_string(),
            n.components.to_string(),
        ),
        (
            "attributed",
            o.attributed.to_string(),
            n.attributed.to_string(),
        ),
        ("deny", o.deny.to_string(), n.deny.to_string()),
        ("warn", o.warn.to_string(), n.warn.to_string()),
        ("info", o.info.to_string(), n.info.to_string()),
    ];
    if o.waived + n.waived > 0 {
        rows.push(("waived", o.waived.to_string(), n.waived.to_string()));
    }
    rows
}

fn verdict_line(d: &DiffReport) -> String {
    let s = &d.summary;
    let tail = match s.new_deny {
        0 => "no new deny finding".to_string(),
        1 => "1 new deny finding".to_string(),
        n => format!("{n} new deny findings"),
    };
    format!(
        "{} removed, {} added, {} unchanged; {tail}",
        s.removed, s.added, s.unchanged
    )
}

/// Make document text inert in Markdown (and in the HTML Markdown allows): no markup,
/// no table-cell break, no line break, no control character.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// Render as Markdown: a summary fit for a pull-request comment or a removal-plan record.
pub fn render_markdown(d: &DiffReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## SBOM diff: {} → {}\n",
        md_escape(&d.old.source),
        md_escape(&d.new.source)
    );
    let _ = writeln!(out, "**{}**\n", md_escape(&verdict_line(d)));
    let _ = writeln!(out, "| | old | new |\n|---|---|---|");
    for (label, o, n) in side_rows(d) {
        let _ = writeln!(out, "| {label} | {} | {} |", md_escape(&o), md_escape(&n));
    }
    for (title, list) in [
        ("Removed", &d.removed),
        ("Added", &d.added),
        ("Unchanged", &d.unchanged),
    ] {
        let _ = writeln!(out, "\n### {title} ({})\n", list.len());
        if list.is_empty() {
            let _ = writeln!(out, "None.");
            continue;
        }
        let both = list.iter().any(|e| e.old.is_some() && e.new.is_some());
        let _ = writeln!(
            out,
            "| severity | code | vendor | component | exposure | path |{}\n|---|---|---|---|---|---|{}",
            if both { " changes |" } else { "" },
            if both { "---|" } else { "" }
        );
        for e in list {
            let Some(f) = e.current() else { continue };
            let path = f
                .path
                .iter()
                .map(|r| md_escape(r))
                .collect::<Vec<_>>()
                .join(" → ");
            let waived = if f.waiver.is_some() { " (waived)" } else { "" };
            let mut row = format!(
                "| {}{waived} | {} | {} | {} | {} | {} |",
                f.severity.as_str(),
                f.code.as_str(),
                e.vendor
                    .as_ref()
                    .map(|v| md_escape(&vendor_label(v)))
                    .unwrap_or_default(),
                md_escape(&what(f)),
                f.exposure.as_deref().unwrap_or(""),
                path,
            );
            if let (true, Some(o), Some(n)) = (both, &e.old, &e.new) {
                let _ = write!(row, " {} |", md_escape(&changes(o, n).join("; ")));
            }
            let _ = writeln!(out, "{row}");
        }
    }
    let _ = writeln!(
        out,
        "\nregistry {} (serial {}, {})",
        md_escape(&d.registry.version),
        d.registry.serial,
        md_escape(&d.registry.digest)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::{policy_info, registry_info};
    use crate::vetting::rollup::tests::{component, doc, finding, waived};

    fn run(old: Vec<Finding>, new: Vec<Finding>) -> DiffReport {
        diff(
            &doc("old", old),
            &doc("new", new),
            registry_info(),
            policy_info(),
        )
    }

    const K: Option<(&str, &str)> = Some(("kaspersky", "RU"));

    fn kav(version: &str, purl_tail: &str) -> Finding {
        component(
            finding(Code::BannedEmbedded, Level::Deny, K),
            "KAV SDK",
            version,
            Some(&format!(
                "pkg:generic/kaspersky/kav-sdk@{version}{purl_tail}"
            )),
        )
    }

    #[test]
    fn a_version_bump_is_unchanged_exposure_matched_by_purl() {
        let d = run(vec![kav("8.10", "")], vec![kav("8.11", "?arch=x86_64")]);
        assert_eq!(
            (d.summary.added, d.summary.removed, d.summary.unchanged),
            (0, 0, 1)
        );
        let e = &d.unchanged[0];
        assert_eq!(e.matched_by, "purl");
        assert_eq!(e.identity, "pkg:generic/kaspersky/kav-sdk");
        let (Some(o), Some(n)) = (&e.old, &e.new) else {
            panic!("both sides")
        };
        assert_eq!(changes(o, n), vec!["version 8.10 → 8.11"]);
        assert_eq!(d.summary.new_deny, 0);
    }

    #[test]
    fn without_a_purl_the_name_is_compared_without_case() {
        let a = component(
            finding(Code::BannedVendor, Level::Deny, K),
            "Kaspersky Agent",
            "1",
            None,
        );
        let b = component(
            finding(Code::BannedVendor, Level::Deny, K),
            "KASPERSKY agent ",
            "2",
            None,
        );
        let d = run(vec![a], vec![b]);
        assert_eq!(d.unchanged.len(), 1);
        assert_eq!(d.unchanged[0].matched_by, "name");
        assert_eq!(d.unchanged[0].identity, "kaspersky agent");
    }

    #[test]
    fn the_same_component_under_another_code_or_vendor_is_not_the_same_exposure() {
        let a = kav("8.10", "");
        let mut b = kav("8.10", "");
        b.code = Code::BannedVendor;
        let d = run(vec![a], vec![b]);
        assert_eq!((d.summary.added, d.summary.removed), (1, 1));
        assert_eq!(d.summary.new_deny, 1);
    }

    #[test]
    fn surplus_findings_with_one_key_are_added() {
        let d = run(vec![kav("8.10", "")], vec![kav("8.10", ""), kav("9.0", "")]);
        assert_eq!((d.summary.unchanged, d.summary.added), (1, 1));
        assert_eq!(d.summary.new_deny, 1);
    }

    #[test]
    fn a_finding_no_longer_waived_is_a_new_deny_and_a_newly_waived_one_is_not() {
        let d = run(vec![waived(kav("8.10", ""))], vec![kav("8.10", "")]);
        assert_eq!(d.summary.new_deny, 1);
        assert_eq!(
            changes(
                d.unchanged[0].old.as_ref().unwrap(),
                d.unchanged[0].new.as_ref().unwrap()
            ),
            vec!["no longer waived (was w1)"]
        );
        let d = run(vec![kav("8.10", "")], vec![waived(kav("8.10", ""))]);
        assert_eq!(d.summary.new_deny, 0);
    }

    #[test]
    fn a_removed_warn_and_an_added_warn_never_make_a_new_deny() {
        let w = |n: &str| component(finding(Code::ReviewVendor, Level::Warn, K), n, "1", None);
        let d = run(vec![w("a")], vec![w("b")]);
        assert_eq!(
            (d.summary.added, d.summary.removed, d.summary.new_deny),
            (1, 1, 0)
        );
    }

    #[test]
    fn markdown_shows_document_text_inert() {
        let evil = "x<script>alert(1)</script>|[click](javascript:alert(1))\n# head `code` *b*";
        let out = md_escape(evil);
        assert!(!out.contains("<script>"));
        assert!(!out.contains('\n'));
        assert!(!out.contains("[click]"));
        assert!(!out.replace("\\|", "").contains('|'));
        assert!(out.contains("&lt;script&gt;"));
        let d = run(
            Vec::new(),
            vec![component(
                finding(Code::BannedVendor, Level::Deny, K),
                evil,
                "1",
                None,
            )],
        );
        let md = render_markdown(&d);
        assert!(!md.contains("<script>"), "{md}");
        let row = md.lines().find(|l| l.contains("banned-vendor")).unwrap();
        assert_eq!(row.matches(" | ").count(), 5, "one row, six cells: {row}");
    }

    #[test]
    fn the_table_shows_terminal_escapes_inert() {
        let name = "lib\u{1b}[31mred\u{1b}[0m";
        let d = run(
            Vec::new(),
            vec![component(
                finding(Code::BannedVendor, Level::Deny, K),
                name,
                "1",
                None,
            )],
        );
        let out = render_table(&d);
        assert!(!out.contains('\u{1b}'));
        assert!(out.contains("\\u{1b}[31mred"));
    }
}
