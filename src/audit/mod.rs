//! The audit: attribution ([`crate::resolve`]) and exposure ([`crate::exposure`]) of one
//! document, turned into findings under a [`Policy`].
//!
//! This module decides verdicts. For every component it asks the resolver which registry
//! vendors the evidence names; for each designated vendor it works out which of the vendor's
//! designations reach the component (product lists, exempt products, named entities, the
//! branded-products scope, review-only products) and whether the evidence is strong enough
//! (confirmed and at least medium confidence) to stand behind a `deny`. Unconfirmed or weak
//! evidence, or a product outside every designation, gives `review-vendor`; §889's use-context
//! limit gives `conditional-vendor` unless the policy declares a matching use context; a
//! registry OEM relation gives `banned-embedded` inside its period. The exposure analysis then
//! says how each flagged component is reached, which also separates `banned-embedded` from
//! `banned-vendor`.
//!
//! It produces [`report`] values and never prints.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::exposure::{Analysis, Exposure};
use crate::policy::date::Day;
use crate::policy::waiver::{self, Subject, Waiver};
use crate::policy::{Code, Level, Policy};
use crate::registry::index::{Confidence, Index};
use crate::registry::model::{
    Designation, Oem, ProductKind, Registry, Scope, Status, Vendor, VendorDesignation, VendorId,
};
use crate::report::{
    self, Citation, ComponentRef, CountryInfo, DocumentReport, DocumentSummary, EvidenceEntry,
    Finding, NamedRef, OemRef, VendorRef, WaiverRef,
};
use crate::resolve::{Attribution, Evidence, Resolver, VendorMatch};
use crate::sbom::{CompId, Document};

/// Why a document could not be audited (it was read, but there is nothing to audit).
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuditError {
    #[error("the document lists no components: an empty SBOM cannot pass an audit")]
    NoComponents,
}

impl AuditError {
    pub fn kind(&self) -> &'static str {
        match self {
            AuditError::NoComponents => "no-components",
        }
    }
}

/// Audits documents against one registry and one policy. Cheap to share across threads.
pub struct Auditor<'r> {
    registry: &'r Registry,
    resolver: Resolver<'r>,
    policy: &'r Policy,
    concern: FxHashSet<String>,
    today: Day,
    inventory: bool,
    threads: usize,
}

/// A finding before exposure is known.
struct Pending {
    comp: CompId,
    kind: PendingKind,
    vendor: Option<VendorId>,
    matched: Option<VendorMatch>,
    designations: Vec<(usize, usize)>, // (vendor designation index, designation index)
    others: Vec<VendorId>,
    country: Option<CountryInfo>,
    message_hint: &'static str,
}

impl Pending {
    /// A finding with a fixed code about the component's best-attributed vendor.
    fn fixed(
        comp: CompId,
        code: Code,
        best: &VendorMatch,
        country: &Option<CountryInfo>,
        others: Vec<VendorId>,
    ) -> Pending {
        Pending {
            comp,
            kind: PendingKind::Fixed(code),
            vendor: Some(best.vendor),
            matched: Some(best.clone()),
            designations: Vec::new(),
            others,
            country: country.clone(),
            message_hint: "",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PendingKind {
    /// Banned; embedded or not is decided by exposure.
    Banned,
    /// OEM relation inside its period: embedded whatever the graph says.
    BannedOem,
    Fixed(Code),
}

fn wire<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl<'r> Auditor<'r> {
    /// `today` decides which waivers have expired (the library never reads the clock).
    pub fn new(registry: &'r Registry, index: &'r Index, policy: &'r Policy, today: Day) -> Self {
        Auditor {
            registry,
            resolver: Resolver::new(registry, index),
            policy,
            concern: policy.concern_countries(registry).into_iter().collect(),
            today,
            inventory: false,
            threads: 1,
        }
    }

    /// Also list every component with its attribution in [`DocumentReport::inventory`] (for
    /// outputs that show components, not only findings). Off by default: it costs memory.
    pub fn with_inventory(mut self, on: bool) -> Self {
        self.inventory = on;
        self
    }

    /// Attribute the components of each document on up to `threads` threads (1, the default,
    /// keeps the audit on the calling thread). The report is the same whatever the count.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Audit one document.
    pub fn audit(&self, doc: &Document) -> Result<DocumentReport, AuditError> {
        let components = doc.component_count();
        if components == 0 {
            return Err(AuditError::NoComponents);
        }
        let reg = self.registry;
        let mut summary = DocumentSummary {
            components,
            ..DocumentSummary::default()
        };
        let mut pending: Vec<Pending> = Vec::new();
        let mut unresolved = 0usize;
        let mut inventory = Vec::new();

        // Attribution, the costly part, runs in parallel a block at a time (so that only one
        // block of attributions is held at once); the verdicts that follow are sequential.
        const BLOCK: usize = 16 * 1024;
        for (b, block) in doc.components.chunks(BLOCK).enumerate() {
            let attrs: Vec<Attribution> =
                crate::par::map_contiguous(block, self.threads, |c| self.resolver.attribute(c));
            for (k, (c, attr)) in block.iter().zip(attrs).enumerate() {
                let id = (b * BLOCK + k) as CompId;
                let counted = !c.is_metadata && !c.is_pedigree;
                if self.inventory {
                    inventory.push(self.inventory_entry(c, &attr));
                }
                if counted {
                    if let Some(co) = &attr.country {
                        *summary.countries.entry(co.country.clone()).or_default() += 1;
                    }
                }
                let Some(best) = attr.candidates.first() else {
                    if counted {
                        if attr.has_vendor_fields {
                            unresolved += 1;
                        } else {
                            summary.no_vendor_info += 1;
                        }
                    }
                    // A declared country of concern with no registry vendor still matters.
                    if let Some(co) = &attr.country {
                        if self.concern.contains(&co.country) {
                            pending.push(Pending {
                                comp: id,
                                kind: PendingKind::Fixed(Code::AdversaryCountry),
                                vendor: None,
                                matched: None,
                                designations: Vec::new(),
                                others: Vec::new(),
                                country: Some(country_info(co)),
                                message_hint: "declared in the SBOM",
                            });
                        }
                    }
                    continue;
                };
                if counted {
                    summary.attributed += 1;
                    *summary
                        .vendors
                        .entry(reg.vendor(best.vendor).id.clone())
                        .or_default() += 1;
                }
                let country = attr.country.as_ref().map(country_info);
                let all_vendors: Vec<VendorId> = attr.candidates.iter().map(|m| m.vendor).collect();
                let mut flagged_designated = false;
                for m in &attr.candidates {
                    let vendor = reg.vendor(m.vendor);
                    if !vendor.is_designated() {
                        continue;
                    }
                    flagged_designated = true;
                    let others: Vec<VendorId> = all_vendors
                        .iter()
                        .copied()
                        .filter(|v| *v != m.vendor)
                        .collect();
                    let (kind, designations, hint) = self.verdict(vendor, m);
                    // The component's country of origin is its attributed vendor's; a designated
                    // vendor behind another one (an OEM engine) is shown with its own country.
                    let country = if m.vendor == best.vendor {
                        country.clone()
                    } else {
                        None
                    };
                    pending.push(Pending {
                        comp: id,
                        kind,
                        vendor: Some(m.vendor),
                        matched: Some(m.clone()),
                        designations,
                        others,
                        country,
                        message_hint: hint,
                    });
                }
                if !flagged_designated {
                    if let Some(co) = &attr.country {
                        if self.concern.contains(&co.country) {
                            pending.push(Pending::fixed(
                                id,
                                Code::AdversaryCountry,
                                best,
                                &country,
                                Vec::new(),
                            ));
                        }
                    }
                }
                if attr.conflict {
                    let others = all_vendors.iter().copied().skip(1).collect();
                    pending.push(Pending::fixed(
                        id,
                        Code::VendorConflict,
                        best,
                        &country,
                        others,
                    ));
                }
                if let Some(co) = &attr.country {
                    if co.conflict {
                        pending.push(Pending::fixed(
                            id,
                            Code::CountryConflict,
                            best,
                            &country,
                            Vec::new(),
                        ));
                    }
                }
            }
        }
        summary.unresolved = unresolved;

        // Exposure of every flagged component, in one analysis.
        let mut targets: Vec<CompId> = pending.iter().map(|p| p.comp).collect();
        targets.sort_unstable();
        targets.dedup();
        let analysis = Analysis::new(doc, &targets);

        let mut findings = Vec::with_capacity(pending.len() + 1);
        for p in pending {
            if let Some(f) = self.finish(doc, &analysis, p) {
                findings.push(f);
            }
        }
        if unresolved > 0 {
            let (level, limit) = self.policy.unknown_vendor_level(unresolved, components);
            if level != Level::Allow {
                let share = unresolved as f64 * 100.0 / components as f64;
                let mut message = format!(
                    "{unresolved} of {components} components ({share:.1}%) name a vendor that matches no registry entry"
                );
                if let Some(l) = limit {
                    message.push_str(&format!("; the policy allows at most {}", l.describe()));
                }
                findings.push(Finding::bare(Code::UnknownVendor, level, message));
            }
        }
        findings.sort_by(|a, b| {
            (
                report::severity_rank(a.severity),
                a.code,
                a.component.as_ref().map(|c| c.bom_ref.as_str()),
                a.vendor.as_ref().map(|v| v.id.as_str()),
            )
                .cmp(&(
                    report::severity_rank(b.severity),
                    b.code,
                    b.component.as_ref().map(|c| c.bom_ref.as_str()),
                    b.vendor.as_ref().map(|v| v.id.as_str()),
                ))
        });
        for f in &mut findings {
            if let Some(i) = waiver::covering(&self.policy.waivers, &subject(f), self.today) {
                f.waiver = self.policy.waivers.get(i).map(waiver_ref);
            }
        }
        for f in &findings {
            if f.waiver.is_some() {
                summary.waived += 1;
                continue;
            }
            match f.severity {
                Level::Deny => summary.deny += 1,
                Level::Warn => summary.warn += 1,
                Level::Info => summary.info += 1,
                Level::Allow => {}
            }
        }
        summary.verdict = if summary.deny > 0 { "fail" } else { "pass" }.into();

        let mut ingest_warnings = BTreeMap::new();
        for w in &doc.warnings {
            *ingest_warnings.entry(w.code.to_string()).or_default() += 1;
        }
        Ok(DocumentReport {
            source: doc.source.clone(),
            format: doc.format.as_str().to_string(),
            spec_version: doc.spec_version.clone(),
            name: doc.name.clone(),
            components,
            roots: doc
                .roots
                .iter()
                .map(|r| doc.component(*r).bom_ref.clone())
                .map(String::from)
                .collect(),
            findings,
            summary,
            ingest_warnings,
            submission: None,
            inventory,
        })
    }

    fn inventory_entry(
        &self,
        c: &crate::sbom::Component,
        attr: &Attribution,
    ) -> report::InventoryEntry {
        let reg = self.registry;
        let best = attr.candidates.first();
        let vendor = best.map(|m| reg.vendor(m.vendor));
        let attribution = if best.is_some() {
            "attributed"
        } else if attr.has_vendor_fields {
            "unresolved"
        } else {
            "no-vendor-info"
        };
        report::InventoryEntry {
            bom_ref: c.bom_ref.to_string(),
            name: c.name.to_string(),
            version: c.version.as_deref().map(String::from),
            purl: c.purl.as_deref().map(String::from),
            role: if c.is_metadata {
                Some("metadata".into())
            } else if c.is_pedigree {
                Some("pedigree".into())
            } else {
                None
            },
            attribution: attribution.into(),
            vendor: vendor.map(|v| VendorRef {
                id: v.id.clone(),
                name: v.name.clone(),
                country: Some(v.hq_country.clone()),
            }),
            entity: best
                .and_then(|m| m.entity)
                .map(|e| reg.entity(e).name.clone()),
            country: attr.country.as_ref().map(|co| co.country.clone()),
            country_basis: attr.country.as_ref().map(|co| wire(&co.basis)),
            designations: vendor
                .map(|v| {
                    v.designations
                        .iter()
                        .map(|vd| reg.designation(vd.designation).id.clone())
                        .collect()
                })
                .unwrap_or_default(),
            confidence: best.map(|m| wire(&m.confidence)),
            evidence: best
                .map(|m| {
                    condense(&m.evidence)
                        .into_iter()
                        .map(evidence_entry)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Which of `vendor`'s designations reach the match, and what that makes the finding.
    fn verdict(
        &self,
        vendor: &Vendor,
        m: &VendorMatch,
    ) -> (PendingKind, Vec<(usize, usize)>, &'static str) {
        let reg = self.registry;
        let mut reaching: Vec<(usize, usize, &Designation)> = Vec::new();
        for (vi, vd) in vendor.designations.iter().enumerate() {
            if !self.policy.enforces(&vd.id) {
                continue;
            }
            let d = reg.designation(vd.designation);
            if self.reaches(vd, d, m) {
                reaching.push((vi, vd.designation.index(), d));
            }
        }
        let oem_only = !m.oems.is_empty() && m.evidence.iter().all(|e| e.oem.is_some());
        let in_period = m
            .oems
            .iter()
            .map(|o| o.in_period)
            .max_by_key(|p| match p {
                Some(true) => 2,
                None => 1,
                Some(false) => 0,
            })
            .flatten();
        if oem_only && in_period == Some(false) {
            let ids = reaching.iter().map(|(v, d, _)| (*v, *d)).collect();
            return (
                PendingKind::Fixed(Code::OemOutsidePeriod),
                ids,
                "its version or date is outside the period",
            );
        }
        if reaching.is_empty() {
            let any_enforced = vendor
                .designations
                .iter()
                .any(|vd| self.policy.enforces(&vd.id));
            if !any_enforced {
                // The policy enforces none of this vendor's designations: judge it by country.
                return (
                    PendingKind::Fixed(Code::AdversaryCountry),
                    Vec::new(),
                    "none of the vendor's designations is enforced",
                );
            }
            return (
                PendingKind::Fixed(Code::ReviewVendor),
                Vec::new(),
                "product outside the scope of the vendor's designations",
            );
        }
        let ids: Vec<(usize, usize)> = reaching.iter().map(|(v, d, _)| (*v, *d)).collect();
        // The Entity List (an export-licence requirement) and sanctions on named persons are
        // context: cited with a ban, never a ban on their own.
        let context = |d: &Designation| matches!(d.scope, Scope::EntityList | Scope::Sanctions);
        if reaching.iter().all(|(_, _, d)| context(d)) {
            return (
                PendingKind::Fixed(Code::ReviewVendor),
                ids,
                "listed only on an export-control or sanctions list, which is not a use ban",
            );
        }
        // §889's use-context limit: firm designations are those without it, or whose purposes
        // the declared use context meets; context designations ride along with firm ones.
        let binding: Vec<(usize, usize)> = reaching
            .iter()
            .filter(|(_, _, d)| {
                !context(d)
                    && (d.scope != Scope::NamedEntitiesUseContext
                        || self.policy.use_context_matches(&d.use_context))
            })
            .map(|(v, d, _)| (*v, *d))
            .collect();
        let firm: Vec<(usize, usize)> = if binding.is_empty() {
            Vec::new()
        } else {
            reaching
                .iter()
                .filter(|(_, _, d)| {
                    context(d)
                        || d.scope != Scope::NamedEntitiesUseContext
                        || self.policy.use_context_matches(&d.use_context)
                })
                .map(|(v, d, _)| (*v, *d))
                .collect()
        };
        if oem_only {
            // The embedding product's own identity is often only an unconfirmed, review-level
            // identifier (every Junos OS, every ZyNOS); a ban needs a confirmed identifier of the
            // OEM relation (the engine's configuration keyword, the exact appliance model) and
            // a version or date inside the period.
            let oem_confirmed = m
                .evidence
                .iter()
                .any(|e| e.oem.is_some() && e.status == Status::Confirmed);
            if in_period == Some(true) && oem_confirmed && !firm.is_empty() {
                return (
                    PendingKind::BannedOem,
                    firm,
                    "OEM relation within its period",
                );
            }
            let hint = if in_period.is_none() {
                "its version cannot be placed in the period"
            } else if !oem_confirmed {
                "matched on unconfirmed identifiers only"
            } else {
                "designated only for certain uses; no matching use context declared"
            };
            return (PendingKind::Fixed(Code::ReviewOem), ids, hint);
        }
        let strong = m.confirmed && m.confidence >= Confidence::Medium;
        if !strong {
            let hint = if m.confirmed {
                "weak evidence only"
            } else {
                "unconfirmed registry evidence only"
            };
            return (PendingKind::Fixed(Code::ReviewVendor), ids, hint);
        }
        if firm.is_empty() {
            return (
                PendingKind::Fixed(Code::ConditionalVendor),
                ids,
                "designated only for certain uses; no matching use context declared",
            );
        }
        (PendingKind::Banned, firm, "")
    }

    /// Whether designation `d` (as listed for the vendor by `vd`) reaches match `m`.
    fn reaches(&self, vd: &VendorDesignation, d: &Designation, m: &VendorMatch) -> bool {
        let reg = self.registry;
        // Products reached through an OEM relation count as the engine they embed.
        let mut products = strong_products(m);
        for o in &m.oems {
            if let Some(e) = reg.oem(o.oem).engine_id {
                products.push(e);
            }
        }
        if !vd.product_ids.is_empty() && !products.iter().any(|p| vd.product_ids.contains(p)) {
            return false;
        }
        if !products.is_empty() && products.iter().all(|p| vd.exempt_product_ids.contains(p)) {
            return false;
        }
        if !vd.reaches_entity(m.entity) {
            return false;
        }
        if !products.is_empty() && products.iter().all(|p| reg.product(*p).review_only) {
            return false;
        }
        match d.scope {
            Scope::BrandedProducts => products.iter().any(|p| reg.product(*p).branded),
            _ => true,
        }
    }

    fn finish(&self, doc: &Document, analysis: &Analysis, p: Pending) -> Option<Finding> {
        let reg = self.registry;
        let exposure = match p.kind {
            PendingKind::BannedOem => Exposure::Embedded,
            _ => analysis.exposure(p.comp),
        };
        let code = match p.kind {
            PendingKind::Banned if exposure == Exposure::Embedded => Code::BannedEmbedded,
            PendingKind::Banned => Code::BannedVendor,
            PendingKind::BannedOem => Code::BannedEmbedded,
            PendingKind::Fixed(c) => c,
        };
        let vendor = p.vendor.map(|v| reg.vendor(v));
        let designation_ids: Vec<String> = vendor
            .map(|v| {
                p.designations
                    .iter()
                    .filter_map(|(vi, _)| v.designations.get(*vi))
                    .map(|vd| reg.designation(vd.designation).id.clone())
                    .collect()
            })
            .unwrap_or_default();
        let level = self.policy.finding_level(code, &designation_ids);
        if level == Level::Allow {
            return None;
        }
        let c = doc.component(p.comp);
        let path_ids = analysis.path(p.comp);
        let path_edges = analysis
            .path_edges(p.comp)
            .into_iter()
            .filter_map(|i| doc.relationships.get(i))
            .map(|r| r.kind.name())
            .collect();
        let path: Vec<String> = path_ids
            .iter()
            .map(|id| doc.component(*id).bom_ref.clone())
            .map(String::from)
            .collect();
        let m = p.matched.as_ref();
        let vendor_ref = vendor.map(|v| VendorRef {
            id: v.id.clone(),
            name: v.name.clone(),
            country: p
                .country
                .as_ref()
                .map(|c| c.code.clone())
                .or_else(|| Some(v.hq_country.clone())),
        });
        let mut sources: BTreeSet<String> = BTreeSet::new();
        let mut citations = Vec::new();
        if let Some(v) = vendor {
            sources.extend(v.provenance.sources.iter().cloned());
            for (vi, _) in &p.designations {
                let Some(vd) = v.designations.get(*vi) else {
                    continue;
                };
                let d = reg.designation(vd.designation);
                sources.extend(vd.provenance.sources.iter().cloned());
                citations.push(citation(d, vd));
            }
        }
        let product = m
            .and_then(|m| strong_products(m).first().copied())
            .map(|pid| {
                let pr = reg.product(pid);
                sources.extend(pr.provenance.sources.iter().cloned());
                NamedRef {
                    id: pr.id.clone(),
                    name: pr.name.clone(),
                    kind: wire::<ProductKind>(&pr.kind),
                }
            });
        let oem = m.and_then(|m| m.oems.first()).map(|o| {
            let rel = reg.oem(o.oem);
            sources.extend(rel.provenance.sources.iter().cloned());
            OemRef {
                id: rel.id.clone(),
                embedder: rel.embedder.clone(),
                product: rel.product.clone(),
                in_period: o.in_period,
                period: period(rel),
            }
        });
        let entity = m.and_then(|m| m.entity).map(|e| reg.entity(e).name.clone());
        let evidence: Vec<EvidenceEntry> = m
            .map(|m| {
                condense(&m.evidence)
                    .into_iter()
                    .map(evidence_entry)
                    .collect()
            })
            .unwrap_or_default();
        let other_vendors = p
            .others
            .iter()
            .map(|v| {
                let v = reg.vendor(*v);
                VendorRef {
                    id: v.id.clone(),
                    name: v.name.clone(),
                    country: Some(v.hq_country.clone()),
                }
            })
            .collect();
        let label = c.label();
        let vname = vendor
            .map(|v| v.name.as_str())
            .unwrap_or("an unknown vendor");
        let message = match code {
            Code::BannedVendor => format!("{label} is developed or provided by {vname}"),
            Code::BannedEmbedded if oem.is_some() => {
                format!("{label} embeds technology of {vname} ({})", p.message_hint)
            }
            Code::BannedEmbedded => {
                format!("{label} from {vname} is embedded in another component")
            }
            Code::ConditionalVendor => format!("{label} is from {vname}: {}", p.message_hint),
            Code::ReviewVendor => format!("{label} may be from {vname}: {}", p.message_hint),
            Code::ReviewOem | Code::OemOutsidePeriod => {
                format!(
                    "{label} embedded technology of {vname} in some versions: {}",
                    p.message_hint
                )
            }
            Code::AdversaryCountry => {
                let cc = p.country.as_ref().map(|c| c.code.as_str()).unwrap_or("?");
                if p.message_hint.is_empty() {
                    format!("{label} is from {vname} ({cc}), a country of concern")
                } else {
                    format!(
                        "{label} is from {vname} ({cc}), a country of concern; {}",
                        p.message_hint
                    )
                }
            }
            Code::VendorConflict => format!("evidence for {label} names several vendors"),
            Code::CountryConflict => format!(
                "{label}: {}",
                p.country.as_ref().map(|c| c.reason.as_str()).unwrap_or("")
            ),
            Code::UnknownVendor => format!("{label} names an unknown vendor"),
            Code::WaiverExpired | Code::WaiverExpiring | Code::WaiverUnused => String::new(),
        };
        Some(Finding {
            code,
            severity: level,
            message,
            vendor: vendor_ref,
            designations: designation_ids,
            citations,
            component: Some(ComponentRef {
                bom_ref: c.bom_ref.to_string(),
                name: c.name.to_string(),
                version: c.version.as_deref().map(String::from),
                purl: c.purl.as_deref().map(String::from),
                location: Some(c.location.to_string()).filter(|l| l != "-"),
            }),
            exposure: Some(exposure.as_str().to_string()),
            path,
            path_edges,
            paths: Some(analysis.paths(p.comp)),
            roots: analysis
                .roots(p.comp)
                .iter()
                .map(|r| doc.component(*r).bom_ref.clone())
                .map(String::from)
                .collect(),
            evidence,
            confidence: m.map(|m| wire(&m.confidence)),
            product,
            entity,
            oem,
            country: p.country,
            other_vendors,
            sources: sources.into_iter().collect(),
            waiver: None,
        })
    }
}

/// What waivers are matched against in a finding.
pub fn subject(f: &Finding) -> Subject<'_> {
    let c = f.component.as_ref();
    Subject {
        code: Some(f.code),
        vendor: f.vendor.as_ref().map(|v| v.id.as_str()),
        name: c.map(|c| c.name.as_str()),
        version: c.and_then(|c| c.version.as_deref()),
        purl: c.and_then(|c| c.purl.as_deref()),
        bom_ref: c.map(|c| c.bom_ref.as_str()),
    }
}

/// A waiver as reports show it.
pub fn waiver_ref(w: &Waiver) -> WaiverRef {
    WaiverRef {
        id: w.id.clone(),
        reason: w.reason.clone(),
        approved_by: w.approved_by.clone(),
        ticket: w.ticket.clone(),
        expires: w.expires.map(|d| d.to_string()),
        location: Some(w.location.clone()),
    }
}

/// The findings about the policy's waivers for a whole run (`Report.policy_findings`):
/// `waiver-expired`, `waiver-expiring`, `waiver-unused`, at the policy's levels (`allow` drops
/// them). Usage is collected from the documents' findings after they were audited (in
/// parallel); `complete` says whether every input was audited.
pub fn waiver_findings(
    policy: &Policy,
    documents: &[DocumentReport],
    today: Day,
    complete: bool,
) -> Vec<Finding> {
    let used: BTreeSet<String> = documents
        .iter()
        .flat_map(|d| d.findings.iter())
        .filter_map(|f| f.waiver.as_ref().map(|w| w.id.clone()))
        .collect();
    let mut out = Vec::new();
    for l in waiver::lifecycle(&policy.waivers, &used, today, complete) {
        let level = policy.level(l.code);
        let Some(w) = policy.waivers.get(l.waiver) else {
            continue;
        };
        if level == Level::Allow {
            continue;
        }
        out.push(Finding {
            waiver: Some(waiver_ref(w)),
            ..Finding::bare(l.code, level, l.message)
        });
    }
    // Deny first, then file order (a stable sort keeps it within a level).
    out.sort_by_key(|f| report::severity_rank(f.severity));
    out
}

/// Products named by confirmed evidence of at least medium confidence (a keyword in a
/// description does not make an SDK a branded product); all matched products when none is.
fn strong_products(m: &VendorMatch) -> Vec<crate::registry::model::ProductId> {
    let mut out: Vec<_> = m
        .evidence
        .iter()
        .filter(|e| e.status == Status::Confirmed && e.confidence >= Confidence::Medium)
        .filter_map(|e| e.product)
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        m.products.clone()
    } else {
        out
    }
}

/// One evidence item per component field, value and kind of identifier: a supplier name that
/// matches five aliases of the same vendor after normalisation is shown once, with the alias
/// closest to what the SBOM says (confirmed first, then stronger, then exact spelling).
fn condense(evidence: &[Evidence]) -> Vec<&Evidence> {
    let mut best: Vec<&Evidence> = Vec::new();
    for e in evidence {
        let same = best.iter_mut().find(|b| {
            b.field == e.field
                && b.value == e.value
                && b.kind == e.kind
                && b.product == e.product
                && b.oem == e.oem
        });
        match same {
            None => best.push(e),
            Some(b) => {
                if rank(e) > rank(b) {
                    *b = e;
                }
            }
        }
    }
    best
}

fn rank(e: &Evidence) -> (bool, Confidence, bool) {
    let rule_value = e.rule.split_once(':').map_or(e.rule.as_str(), |(_, v)| v);
    (
        e.status == Status::Confirmed,
        e.confidence,
        rule_value.eq_ignore_ascii_case(&e.value),
    )
}

fn evidence_entry(e: &Evidence) -> EvidenceEntry {
    EvidenceEntry {
        field: e.field.clone(),
        value: e.value.clone(),
        rule: e.rule.clone(),
        confidence: wire(&e.confidence),
        status: e.status.as_str().to_string(),
    }
}

fn citation(d: &Designation, vd: &VendorDesignation) -> Citation {
    Citation {
        id: d.id.clone(),
        title: d.title.clone(),
        clause: d.clause.clone(),
        effective: d.effective.map(|e| e.to_string()),
        authority: d.authority.clone(),
        since: vd.since.map(|s| s.to_string()),
        sources: d.provenance.sources.clone(),
    }
}

fn period(o: &Oem) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &o.versions {
        parts.push(format!("versions {v}"));
    }
    match (o.from, o.until) {
        (Some(f), Some(u)) => parts.push(format!("{f} to {u}")),
        (Some(f), None) => parts.push(format!("from {f}")),
        (None, Some(u)) => parts.push(format!("until {u}")),
        (None, None) => {}
    }
    if parts.is_empty() {
        "unbounded".into()
    } else {
        parts.join(", ")
    }
}

fn country_info(c: &crate::resolve::CountryOfOrigin) -> CountryInfo {
    CountryInfo {
        code: c.country.clone(),
        basis: wire(&c.basis),
        declared: c.declared.clone(),
        registry: c.registry.clone(),
        conflict: c.conflict,
        reason: c.reason.clone(),
    }
}

#[cfg(test)]
mod tests;
