//! `bomvet inspect`: what bomvet reads from each document.

use std::collections::BTreeMap;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

use super::{Outcome, Status};
use crate::cli::{InspectArgs, InspectFormat};
use crate::inputs::{self, ReadOutcome};
use crate::output::terminal_safe;
use crate::sbom::{Component, Document};

/// JSON wire shape of `inspect` (a contract: keep these names).
#[derive(Debug, Serialize)]
pub struct InspectReport {
    pub documents: Vec<DocSummary>,
    pub errors: Vec<ErrorEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedEntry>,
}

#[derive(Debug, Serialize)]
pub struct DocSummary {
    pub source: String,
    pub format: &'static str,
    pub spec_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub components: usize,
    pub relationships: usize,
    pub relationship_counts: BTreeMap<String, usize>,
    pub roots: Vec<String>,
    pub root_source: &'static str,
    pub warnings: Vec<WarningEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_list: Option<Vec<ComponentEntry>>,
}

#[derive(Debug, Serialize)]
pub struct WarningEntry {
    pub code: &'static str,
    pub message: String,
    pub location: String,
}

#[derive(Debug, Serialize)]
pub struct ErrorEntry {
    pub source: String,
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct SkippedEntry {
    pub source: String,
    pub reason: String,
}

/// A component's normalized identity.
#[derive(Debug, Serialize)]
pub struct ComponentEntry {
    #[serde(rename = "ref")]
    pub bom_ref: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ref_synthesized: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cpes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub originators: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_names: Vec<String>,
    pub location: String,
}

fn party(p: &crate::sbom::Party) -> String {
    match p.kind {
        crate::sbom::PartyKind::NoAssertion => "NOASSERTION".into(),
        crate::sbom::PartyKind::Unprefixed => p.name.to_string(),
        k => format!("{}: {}", k.as_str(), p.name),
    }
}

fn component_entry(c: &Component) -> ComponentEntry {
    let country = c
        .supplier
        .iter()
        .chain(c.manufacturer.as_deref())
        .flat_map(|p| p.addresses.iter())
        .find_map(|a| a.country.clone());
    ComponentEntry {
        bom_ref: c.bom_ref.to_string(),
        ref_synthesized: c.ref_synthesized,
        kind: c.kind.as_deref().map(String::from),
        name: c.name.to_string(),
        version: c.version.as_deref().map(String::from),
        group: c.group.as_deref().map(String::from),
        purl: c.purl.as_deref().map(String::from),
        cpes: c.cpes.iter().map(|t| t.to_string()).collect(),
        supplier: c.supplier.as_ref().map(party),
        manufacturer: c.manufacturer.as_deref().map(party),
        authors: c.authors.iter().map(party).collect(),
        originators: c.originators.iter().map(party).collect(),
        country: country.map(String::from),
        hashes: c
            .hashes
            .iter()
            .map(|h| format!("{}:{}", h.alg, h.value))
            .collect(),
        file_names: c.file_names.iter().map(|t| t.to_string()).collect(),
        location: c.location.to_string(),
    }
}

/// Summarise one document.
pub fn summarize(doc: &Document, with_components: bool) -> DocSummary {
    DocSummary {
        source: doc.source.clone(),
        format: doc.format.as_str(),
        spec_version: doc.spec_version.clone(),
        name: doc.name.clone(),
        components: doc.component_count(),
        relationships: doc.relationships.len(),
        relationship_counts: doc.relationship_counts().into_iter().collect(),
        roots: doc
            .roots
            .iter()
            .map(|&r| doc.component(r).bom_ref.clone())
            .map(String::from)
            .collect(),
        root_source: match doc.root_source {
            crate::sbom::RootSource::Declared => "declared",
            crate::sbom::RootSource::Inferred => "inferred",
        },
        warnings: doc
            .warnings
            .iter()
            .map(|w| WarningEntry {
                code: w.code,
                message: w.message.clone(),
                location: w.location.to_string(),
            })
            .collect(),
        component_list: with_components.then(|| {
            doc.components
                .iter()
                .filter(|c| !c.is_metadata)
                .map(component_entry)
                .collect()
        }),
    }
}

/// Run `inspect`.
pub fn run(args: &InspectArgs) -> Outcome {
    let opts = crate::commands::audit::read_options(
        args.read.max_size,
        args.read.strict,
        args.read.no_mmap,
    );
    let mut report = InspectReport {
        documents: Vec::new(),
        errors: Vec::new(),
        skipped: Vec::new(),
    };
    let mut messages = Vec::new();
    let fetch = args.read.net.fetch_options();
    for spec in inputs::expand(&args.read.inputs) {
        match inputs::read_with(&spec, &opts, &fetch) {
            ReadOutcome::Read(doc) => report.documents.push(summarize(&doc, args.components)),
            ReadOutcome::Skipped { source, reason } => {
                report.skipped.push(SkippedEntry { source, reason })
            }
            ReadOutcome::Failed(e) => {
                messages.push(format!("error: {}: {}", e.source, e.error));
                report.errors.push(ErrorEntry {
                    source: e.source,
                    kind: e.error.kind(),
                    message: e.error.to_string(),
                });
            }
        }
    }
    let status = if report.errors.is_empty() {
        Status::Ok
    } else {
        Status::Error
    };
    let stdout = match args.format {
        InspectFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
        InspectFormat::Table => render_table(&report),
    };
    Outcome {
        stdout,
        messages,
        status,
    }
}

fn render_table(report: &InspectReport) -> String {
    let mut out = String::new();
    for d in &report.documents {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        t.set_header(vec![terminal_safe(&d.source).into_owned(), String::new()]);
        t.add_row(vec![
            "format".to_string(),
            format!("{} {}", d.format, d.spec_version),
        ]);
        if let Some(n) = &d.name {
            t.add_row(vec!["name".to_string(), terminal_safe(n).into_owned()]);
        }
        t.add_row(vec!["components".to_string(), d.components.to_string()]);
        let rels = if d.relationship_counts.is_empty() {
            "0".to_string()
        } else {
            d.relationship_counts
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        t.add_row(vec!["relationships".to_string(), rels]);
        t.add_row(vec![
            format!("roots ({})", d.root_source),
            d.roots
                .iter()
                .map(|r| terminal_safe(r).into_owned())
                .collect::<Vec<_>>()
                .join("\n"),
        ]);
        t.add_row(vec!["warnings".to_string(), d.warnings.len().to_string()]);
        out.push_str(&t.to_string());
        out.push('\n');
        for w in &d.warnings {
            out.push_str(&format!(
                "  warning[{}]: {} ({})\n",
                w.code,
                terminal_safe(&w.message),
                terminal_safe(&w.location)
            ));
        }
        if let Some(list) = &d.component_list {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            t.set_header(vec!["ref", "name", "version", "purl / cpe", "supplier"]);
            for c in list {
                t.add_row(vec![
                    terminal_safe(&c.bom_ref).into_owned(),
                    terminal_safe(&c.name).into_owned(),
                    terminal_safe(c.version.as_deref().unwrap_or("")).into_owned(),
                    terminal_safe(
                        c.purl
                            .as_deref()
                            .or(c.cpes.first().map(String::as_str))
                            .unwrap_or(""),
                    )
                    .into_owned(),
                    terminal_safe(c.supplier.as_deref().unwrap_or("")).into_owned(),
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        out.push('\n');
    }
    for s in &report.skipped {
        out.push_str(&format!(
            "skipped: {}: {}\n",
            terminal_safe(&s.source),
            s.reason
        ));
    }
    out
}
