//! The audit report: one value that every output format renders.
//!
//! These are wire types (their JSON shape is a versioned contract described by
//! `schemas/report.schema.json`, generated from them), kept apart from the domain types of
//! [`crate::resolve`], [`crate::exposure`] and [`crate::registry`]. Renderers in the submodules
//! are pure functions of a [`Report`]; the exit status is computed from it too.

pub mod csv;
pub mod escape;
mod facts;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod schema;
pub mod table;
#[cfg(test)]
pub(crate) mod testutil;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::policy::{Code, Level};

/// The version of the JSON report shape. Bumped on any incompatible change.
pub const SCHEMA_VERSION: &str = "1";

/// The whole result of one `bomvet audit` run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    /// Version of this JSON shape (`"1"`).
    pub schema_version: String,
    /// The registry the findings were made with.
    pub registry: RegistryInfo,
    /// The policy in force.
    pub policy: PolicyInfo,
    /// One entry per document read, in input order.
    pub documents: Vec<DocumentReport>,
    /// Findings about the policy itself rather than a document (`waiver-unused`,
    /// `waiver-expiring`, `waiver-expired`); counted in `summary`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy_findings: Vec<Finding>,
    /// Inputs that could not be audited.
    pub errors: Vec<ErrorEntry>,
    /// Files found in directories that are not SBOMs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedEntry>,
    /// Totals over every document.
    pub summary: RunSummary,
    /// Totals per submission, vendor and country, for a run over several inputs or a
    /// manifest (absent for a single document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollup: Option<Rollup>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RegistryInfo {
    pub version: String,
    pub serial: u64,
    /// `sha256:` digest of the registry's files.
    pub digest: String,
    /// `embedded`, the directory given with `--registry`, or the installed bundle file.
    pub origin: String,
    /// Every registry layer in use, base first, then overlays in order (as `registry status`
    /// lists them). `digest` above is the digest of all of them together.
    pub layers: Vec<RegistryLayer>,
}

/// One registry layer: the base (embedded, an installed bundle, or `--registry DIR`) or an
/// overlay.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct RegistryLayer {
    /// `embedded`, `bundle`, `dir` or `overlay`.
    pub kind: String,
    pub version: String,
    pub serial: u64,
    /// `sha256:` digest of the layer's files.
    pub digest: String,
    /// `embedded`, the bundle file or the directory.
    pub source: String,
    /// Creation time (`YYYY-MM-DDTHH:MM:SSZ`): signed for bundles, else derived from a
    /// calendar version (`2026.11.23`); null when unknown.
    pub created: Option<String>,
    /// Expiry time of a bundle; null for other layers.
    pub expires: Option<String>,
    /// Base claims an overlay replaced (`override = true`), with the reason given.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub overrides: Vec<RegistryOverride>,
}

/// A base claim replaced by an overlay.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq)]
pub struct RegistryOverride {
    /// The overlay file, relative to the overlay directory.
    pub file: String,
    /// The key path of the replaced claim.
    pub key: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PolicyInfo {
    /// The policy file, or null for the built-in defaults.
    pub source: Option<String>,
    /// The declared use context (§889's purposes), possibly empty.
    pub use_context: Vec<String>,
    /// Levels that differ from the defaults, by code.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub levels: BTreeMap<String, Level>,
    /// Enforced designations, when the policy limits them (absent = all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforce: Option<Vec<String>>,
    /// ISO codes whose undesignated vendors raise `adversary-country`.
    pub countries_of_concern: Vec<String>,
    /// Levels set per designation id (`[designations]`), if any.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub designations: BTreeMap<String, Level>,
    /// The limit on unresolved components (`[unresolved]`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unresolved: Option<UnresolvedInfo>,
    /// Every waiver of the policy, in file order (used or not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverRef>,
    /// The day waiver expiry was checked against (`YYYY-MM-DD`), when the policy has waivers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waivers_checked_on: Option<String>,
}

/// The policy's limit on unresolved components.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnresolvedInfo {
    /// Percent of a document's components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_count: Option<usize>,
    /// The level of `unknown-vendor` when exceeded.
    pub level: Level,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentReport {
    /// The input as given (relative paths stay relative; `-` for stdin).
    pub source: String,
    /// `cyclonedx-json`, `cyclonedx-xml`, `spdx-json`, `spdx-yaml`, `spdx-tag-value`,
    /// `spdx-rdf-xml`, `spdx-xml` or `spdx3-json-ld`.
    pub format: String,
    pub spec_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Number of components (as `bomvet inspect` counts them).
    pub components: usize,
    /// Root component refs.
    pub roots: Vec<String>,
    /// Sorted: severity (deny first), code, component ref.
    pub findings: Vec<Finding>,
    pub summary: DocumentSummary,
    /// Ingestion warnings (odd but readable input), counted by code.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ingest_warnings: BTreeMap<String, usize>,
    /// Who submitted the document and for which product, when a submission manifest says so;
    /// the HTML report groups documents by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission: Option<Submission>,
    /// Every component with its attribution, in document order. Filled only when an output
    /// that lists components (`csv`, `html`) is requested; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inventory: Vec<InventoryEntry>,
}

/// The submitting vendor and product of a document (from a submission manifest).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Submission {
    pub vendor: String,
    pub product: String,
}

/// One component of a document and what the registry says about it, whether or not it raised
/// a finding. Verdicts are not repeated here: they are the findings whose `component.ref` is
/// this entry's `ref`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct InventoryEntry {
    #[serde(rename = "ref")]
    pub bom_ref: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// `metadata` for the document's own subject, `pedigree` for an ancestor listed in a
    /// pedigree; absent for ordinary components (the ones counted in `components`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `attributed` (a registry vendor matched), `unresolved` (vendor fields that match no
    /// registry vendor) or `no-vendor-info`.
    pub attribution: String,
    /// The best-supported registry vendor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorRef>,
    /// The registry legal entity the evidence names, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Country of origin used (ISO code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `declared`, `registry-hq`, `registry-parent` or `entity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_basis: Option<String>,
    /// Ids of every designation the registry lists for the vendor (enforced or not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub designations: Vec<String>,
    /// Overall confidence of the attribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// The evidence for the vendor, one item per field, value and kind of identifier.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceEntry>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    pub code: Code,
    pub severity: Level,
    /// One sentence saying what was found.
    pub message: String,
    /// The vendor the component is attributed to (absent for document-level findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorRef>,
    /// Ids of the designations this finding rests on.
    pub designations: Vec<String>,
    /// The designations in full: clause, effective date, sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<ComponentRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<String>,
    /// Component refs from a root to the component, as in the input document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
    /// The relationship kind of each step of `path` (one fewer than `path`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path_edges: Vec<String>,
    /// Number of distinct paths from the roots (saturating).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<u64>,
    /// Every root that reaches the component.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roots: Vec<String>,
    pub evidence: Vec<EvidenceEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// The registry product (SDK, engine, app) matched, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<NamedRef>,
    /// The registry legal entity matched, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The registry OEM relation that makes this an embedded finding, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oem: Option<OemRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryInfo>,
    /// Other vendors the evidence also points at (conflicts are reported, not resolved).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_vendors: Vec<VendorRef>,
    /// Registry source keys behind the attribution and the designations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The policy waiver that covers this finding, if any. A waived finding stays in the
    /// report with its severity, but is not counted in `deny`/`warn`/`info` and does not
    /// change the exit status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRef>,
}

impl Finding {
    /// A finding about a whole document or the policy (no component, path or evidence).
    pub fn bare(code: Code, severity: Level, message: String) -> Finding {
        Finding {
            code,
            severity,
            message,
            vendor: None,
            designations: Vec::new(),
            citations: Vec::new(),
            component: None,
            exposure: None,
            path: Vec::new(),
            path_edges: Vec::new(),
            paths: None,
            roots: Vec::new(),
            evidence: Vec::new(),
            confidence: None,
            product: None,
            entity: None,
            oem: None,
            country: None,
            other_vendors: Vec::new(),
            sources: Vec::new(),
            waiver: None,
        }
    }
}

/// The waiver that covers a finding, as the policy file states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct WaiverRef {
    /// The waiver's id in the policy file (its `id` key, else `waiver-N`, 1-based).
    pub id: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// `YYYY-MM-DD`, the last day the waiver applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where the waiver is written (`bomvet.toml:12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct VendorRef {
    pub id: String,
    pub name: String,
    /// ISO 3166-1 alpha-2 code of the country of origin used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NamedRef {
    pub id: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OemRef {
    pub id: String,
    pub embedder: String,
    pub product: String,
    /// `true` inside the period the engine shipped, `false` outside, absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_period: Option<bool>,
    /// The period as the registry states it (versions and/or dates).
    pub period: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Citation {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    pub authority: String,
    /// When the designation started to apply to this vendor, if the registry says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentRef {
    #[serde(rename = "ref")]
    pub bom_ref: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Where the component sits in the input (JSON pointer or `line N`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EvidenceEntry {
    /// The component field (`supplier`, `purl`, `cpe`, `name`, `url`, ...).
    pub field: String,
    /// The component's value as written.
    pub value: String,
    /// The registry identifier that matched, `kind:value`.
    pub rule: String,
    pub confidence: String,
    /// `confirmed` or `unconfirmed` (the registry claim's status).
    pub status: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CountryInfo {
    /// The ISO code used.
    pub code: String,
    /// `declared`, `registry-hq`, `registry-parent` or `entity`.
    pub basis: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    pub conflict: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct DocumentSummary {
    pub components: usize,
    /// Components attributed to a registry vendor.
    pub attributed: usize,
    /// Components with vendor fields that match no registry vendor.
    pub unresolved: usize,
    /// Components with no vendor information at all.
    pub no_vendor_info: usize,
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    /// Findings covered by a waiver (not counted in `deny`, `warn` or `info`).
    pub waived: usize,
    /// Attributed components per vendor id.
    pub vendors: BTreeMap<String, usize>,
    /// Components per country of origin (attributed or declared).
    pub countries: BTreeMap<String, usize>,
    /// `fail` when a deny finding exists, `pass` otherwise.
    pub verdict: String,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct RunSummary {
    pub documents: usize,
    pub errors: usize,
    pub documents_with_deny: usize,
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub waived: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorEntry {
    pub source: String,
    /// Stable error kind (`syntax`, `not-sbom`, `empty`, `no-components`, ...).
    pub kind: String,
    pub message: String,
    /// The submission the input belongs to, when it came from a `--manifest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission: Option<Submission>,
}

/// The roll-up of a run over many documents: what a vetting desk reads first.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Rollup {
    /// Documents read and audited.
    pub documents: usize,
    /// Inputs that could not be read or audited.
    pub failed: usize,
    /// Files found in directories that are not SBOMs.
    pub skipped: usize,
    /// Documents with at least one deny finding (waived ones do not count).
    pub with_deny: usize,
    /// One entry per submission of the manifest, in manifest order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub submissions: Vec<SubmissionRollup>,
    /// Every vendor with attributed components or findings. Sorted: deny findings, findings,
    /// documents (most first), then id.
    pub vendors: Vec<VendorRollup>,
    /// Every country of origin with components or findings, sorted like `vendors`.
    pub countries: Vec<CountryRollup>,
}

/// One submission (vendor and product) of a manifest.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SubmissionRollup {
    pub vendor: String,
    pub product: String,
    /// `error` when one of its SBOMs could not be audited, else `fail` when a deny finding
    /// remains, else `pass`.
    pub verdict: String,
    /// Its documents (sources as in `documents`).
    pub documents: Vec<String>,
    /// Its inputs that could not be audited.
    pub errors: usize,
    pub components: usize,
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub waived: usize,
    /// Vendors of its `banned-vendor` and `banned-embedded` findings, waived or not.
    pub banned_vendors: Vec<VendorRef>,
}

/// A vendor across every document of the run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VendorRollup {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Documents with a component attributed to it or a finding naming it.
    pub documents: usize,
    /// Components attributed to it, over every document.
    pub components: usize,
    /// Findings naming it, waived ones included.
    pub findings: usize,
    /// Its findings that count at each level (not waived).
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub waived: usize,
}

/// A country of origin across every document of the run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CountryRollup {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Documents with a component from it or a finding about a vendor from it.
    pub documents: usize,
    /// Components from it, over every document.
    pub components: usize,
    /// Findings about vendors from it, waived ones included.
    pub findings: usize,
    pub deny: usize,
    pub warn: usize,
    pub info: usize,
    pub waived: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SkippedEntry {
    pub source: String,
    pub reason: String,
}

impl Report {
    /// Exit status: 2 if any input could not be used, else 1 if any deny finding, else 0.
    pub fn status(&self) -> crate::commands::Status {
        use crate::commands::Status;
        if !self.errors.is_empty() {
            Status::Error
        } else if self.summary.deny > 0 {
            Status::Deny
        } else {
            Status::Ok
        }
    }
}

impl Finding {
    /// The finding is covered by a waiver (and so does not count). Findings about a waiver
    /// itself (`waiver-expired`, ...) also carry the waiver, as their subject, and are not
    /// waived.
    pub fn is_waived(&self) -> bool {
        self.waiver.is_some() && !self.code.is_waiver_lifecycle()
    }
}

/// Severity order for sorting: deny first.
pub fn severity_rank(l: Level) -> u8 {
    match l {
        Level::Deny => 0,
        Level::Warn => 1,
        Level::Info => 2,
        Level::Allow => 3,
    }
}
