//! Attribution: which registry vendor (legal entity, products, OEM relations) a component comes
//! from, on what evidence, with what confidence, and its country of origin.
//!
//! This module owns the step from one [`Component`] to one [`Attribution`]. It reads every
//! field the model keeps through the registry [`Index`], so the cost per component does not
//! grow with the registry, and a component that matches nothing (the common case) allocates
//! nothing, unless a word of its names or free text starts some registry name or pattern.
//!
//! # Rules
//!
//! **Evidence.** Each index hit becomes an [`Evidence`] item: the component field and value,
//! the registry identifier (`<kind>:<value>`), its status and a confidence. The confidence is
//! the index's (high for CPE, purl, hash, SWID regid and exact names; medium for product names,
//! aliases, Java packages, file names, repositories; low for domains and keywords), capped to
//! low for free text (name and description read as text, property values) and to medium for a
//! purl namespace or group read as a publisher name. Items are deduplicated (the same field,
//! value and identifier once, at its best confidence).
//!
//! **A vendor match** is `confirmed` when at least one confirmed item of medium or high
//! confidence supports it; its `confidence` is that of its strongest confirmed item (low when
//! none is confirmed). Unconfirmed identifiers therefore never confirm a match, and free text
//! never does (it is low). Items of an OEM relation whose period excludes the component's
//! version (`in_period == Some(false)`) are listed but count for neither.
//!
//! **OEM relations.** A hit with an OEM relation means the component is the embedding
//! product (a Junos release embedding a Kaspersky engine). `in_period` tests the relation's
//! version range against the component's version (else its purl's, else its first CPE's).
//! With no range, the relation's `from` / `until` years decide when the version itself is a
//! calendar version (`2011`, `2011.2`); otherwise `None`. A relation with neither range nor
//! dates holds for every version (`Some(true)`). Without a version: `None`. The embedded
//! engine appears as the `product` of the OEM's evidence, not in [`VendorMatch::products`],
//! which lists products the component *is*.
//!
//! **Conflict.** A vendor *claims identity* of the component when a confirmed medium/high item
//! without product or OEM says so and either comes from a declared party (supplier,
//! manufacturer, author, publisher, originator) or the vendor has no product evidence on the
//! component (a CPE or purl naming only the vendor). Product, SDK and OEM evidence never
//! claims identity: a supplier "Acme" shipping a component whose CPE is Kaspersky Anti-Virus
//! is the embedded / resale case, not a conflict. `conflict` is true when two different
//! vendors claim identity, or when one vendor claims identity from an identifier (CPE, purl,
//! SWID, hash...) while the supplier or manufacturer names an organisation the registry does
//! not know.
//!
//! **Country.** See [`CountryOfOrigin`]: the registry country of the best vendor that claims
//! identity or matches a product (not OEM-only and not unconfirmed), which is the ultimate
//! parent's country when the registry gives one (control decides origin), else the matched
//! legal entity's, else the head office's; the declared country is the CycloneDX 1.6 address
//! of the manufacturer, else of the supplier. The registry country wins when both exist, and
//! a disagreement is flagged.

//!
//! # Cost
//!
//! Measured with the ignored `speed` test (`cargo test --release --lib resolve::tests::speed --
//! --ignored --nocapture`) against the real registry, on a shared two-core machine: about
//! 0.5 µs for a component with name, version, purl and CPE that matches nothing, about 3 µs for
//! one that fills every field (supplier, group, purl, CPE, hash, link, file name, property,
//! description) and matches nothing, about 6 µs for a matching one.

mod gather;

use std::borrow::Cow;
use std::cmp::Ordering;

use serde::{Serialize, Serializer};

use crate::registry::{
    Confidence, EntityId, IdentifierKind, Index, OemId, ProductId, Registry, Status, Vendor,
    VendorId,
};
use crate::sbom::Component;
use gather::{Gatherer, Raw};

/// Attributes components to registry vendors. Cheap to build; share it across components.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'r> {
    registry: &'r Registry,
    index: &'r Index,
}

/// What bomvet can say about who made a component.
#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    /// Vendors with evidence, best-supported first (confirmed before unconfirmed, then
    /// confidence, then amount of evidence, then vendor id). Empty = unresolved.
    pub candidates: Vec<VendorMatch>,
    /// True when different vendors claim the component with comparable support (see the
    /// module documentation for the rule); reported, never silently resolved.
    pub conflict: bool,
    pub country: Option<CountryOfOrigin>,
    /// True when the component carries any vendor-identifying field at all (supplier,
    /// manufacturer, authors, publisher, originators, purl namespace, CPE vendor, SWID regid,
    /// a URL or e-mail address): tells "unknown vendor" from "no vendor information".
    pub has_vendor_fields: bool,
}

/// One vendor and the evidence for it.
#[derive(Debug, Clone, Serialize)]
pub struct VendorMatch {
    #[serde(serialize_with = "ser_id")]
    pub vendor: VendorId,
    /// The legal entity named by the strongest evidence that names one.
    #[serde(serialize_with = "ser_opt_id")]
    pub entity: Option<EntityId>,
    /// Products the component matched directly (SDKs, engines, branded apps ...), sorted.
    #[serde(serialize_with = "ser_ids")]
    pub products: Vec<ProductId>,
    /// OEM relations: the component is a third-party product embedding this vendor's code.
    pub oems: Vec<OemMatch>,
    /// Every item, deduplicated; strongest first, then by field, value and rule.
    pub evidence: Vec<Evidence>,
    /// Strongest confirmed evidence (low if only unconfirmed).
    pub confidence: Confidence,
    /// At least one confirmed evidence item of confidence >= medium.
    pub confirmed: bool,
}

/// An OEM relation of a vendor matched by a component.
#[derive(Debug, Clone, Serialize)]
pub struct OemMatch {
    #[serde(serialize_with = "ser_id")]
    pub oem: OemId,
    /// Version or date condition: `Some(true)` inside, `Some(false)` outside, `None` cannot
    /// tell (no version, or only dates and a version that is not a year).
    pub in_period: Option<bool>,
    pub evidence: Vec<Evidence>,
}

/// One piece of evidence: a component value that matched a registry identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Where in the component: `supplier`, `supplier.email`, `supplier.url`, `manufacturer`,
    /// `author`, `publisher`, `originator`, `purl`, `cpe`, `swid`, `hash`, `url`, `name`,
    /// `group`, `file-name`, `description`, `property`.
    pub field: String,
    /// The component's value as written.
    pub value: String,
    /// The registry identifier that matched, `<kind>:<value>` (e.g. `cpe-vendor:kaspersky`).
    pub rule: String,
    pub kind: IdentifierKind,
    pub confidence: Confidence,
    pub status: Status,
    #[serde(serialize_with = "ser_opt_id")]
    pub product: Option<ProductId>,
    #[serde(serialize_with = "ser_opt_id")]
    pub oem: Option<OemId>,
    #[serde(serialize_with = "ser_opt_id")]
    pub entity: Option<EntityId>,
}

/// Where the country of origin comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountryBasis {
    /// CycloneDX 1.6 `address.country` of the manufacturer or supplier.
    Declared,
    /// The vendor's head-office country in the registry.
    RegistryHq,
    /// The vendor's ultimate parent's country in the registry.
    RegistryParent,
    /// The country of the legal entity the evidence named.
    Entity,
}

/// The country of origin of a component, and how it was decided.
#[derive(Debug, Clone, Serialize)]
pub struct CountryOfOrigin {
    /// ISO 3166-1 alpha-2 code used.
    pub country: String,
    pub basis: CountryBasis,
    /// The country the document declares, when it declares one.
    pub declared: Option<String>,
    /// The country the registry gives, when a vendor was attributed.
    pub registry: Option<String>,
    /// Declared and registry countries disagree (both are reported).
    pub conflict: bool,
    /// One sentence: which was used and why.
    pub reason: String,
    /// The registry's status for the country when it comes from the registry; unconfirmed when
    /// only declared.
    pub status: Status,
}

trait RawId: Copy {
    fn raw(self) -> u32;
}
macro_rules! raw_id {
    ($($t:ty),*) => {$(impl RawId for $t { fn raw(self) -> u32 { self.0 } })*};
}
raw_id!(VendorId, ProductId, OemId, EntityId);

fn ser_id<T: RawId, S: Serializer>(id: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(id.raw())
}
fn ser_opt_id<T: RawId, S: Serializer>(id: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_some(&id.raw()),
        None => s.serialize_none(),
    }
}
fn ser_ids<T: RawId, S: Serializer>(ids: &[T], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ids.iter().map(|i| i.raw()))
}

/// The status of a vendor's country claim.
// The registry model gains an optional `country_status` (README: defaults to the vendor's
// `status`); until then the vendor's status stands for it.
fn country_status(v: &Vendor) -> Status {
    v.provenance.status
}

/// Per-vendor summary used to rank and to decide conflicts and country.
struct Group {
    m: VendorMatch,
    /// Confirmed medium/high identity claim (see the module docs).
    claims_identity: bool,
    /// The identity claim comes only from identifiers, not from a declared party.
    claim_from_identifier_only: bool,
    /// Confirmed medium/high evidence that is not an OEM relation.
    direct: bool,
}

impl<'r> Resolver<'r> {
    /// A resolver over `registry` and its `index` (build the index from the same registry).
    pub fn new(registry: &'r Registry, index: &'r Index) -> Self {
        Resolver { registry, index }
    }

    /// Attribute one component.
    pub fn attribute(&self, c: &Component) -> Attribution {
        let g = Gatherer::new(self.index).gather(c);
        let has_vendor_fields = g.has_vendor_fields;
        if g.raws.is_empty() {
            return Attribution {
                candidates: Vec::new(),
                conflict: false,
                country: self.country(c, None),
                has_vendor_fields,
            };
        }
        let version = g.version.as_deref();
        let mut groups = self.groups(g.raws, version);
        groups.sort_by(|a, b| self.rank(&a.m, &b.m));

        let claimants: Vec<&Group> = groups.iter().filter(|g| g.claims_identity).collect();
        let conflict = claimants.len() > 1
            || (g.unmatched_declared_party
                && claimants.iter().any(|g| g.claim_from_identifier_only));

        // Country: the best vendor the component is (identity or product), not one it merely
        // embeds through an OEM relation, and not an unconfirmed one.
        // (`direct` implies `confirmed`; an identity claim implies `direct`.)
        let origin = groups.iter().find(|g| g.direct).map(|g| &g.m);
        let country = self.country(c, origin);
        Attribution {
            candidates: groups.into_iter().map(|g| g.m).collect(),
            conflict,
            country,
            has_vendor_fields,
        }
    }

    fn vendor_key(&self, v: VendorId) -> &str {
        self.registry
            .vendors
            .get(v.index())
            .map_or("", |v| v.id.as_str())
    }

    fn rank(&self, a: &VendorMatch, b: &VendorMatch) -> Ordering {
        b.confirmed
            .cmp(&a.confirmed)
            .then(b.confidence.cmp(&a.confidence))
            .then(b.evidence.len().cmp(&a.evidence.len()))
            .then_with(|| self.vendor_key(a.vendor).cmp(self.vendor_key(b.vendor)))
            .then(a.vendor.cmp(&b.vendor))
    }

    /// Deduplicate the raw hits and group them by vendor.
    fn groups(&self, mut raws: Vec<Raw<'_, '_>>, version: Option<&str>) -> Vec<Group> {
        // Same vendor, field, value and rule: keep the strongest.
        raws.sort_by(|a, b| {
            a.hit
                .vendor
                .cmp(&b.hit.vendor)
                .then(a.field.cmp(b.field))
                .then(a.value.cmp(&b.value))
                .then(a.hit.rule_id.cmp(&b.hit.rule_id))
                .then(b.confidence.cmp(&a.confidence))
        });
        raws.dedup_by(|later, kept| {
            later.hit.vendor == kept.hit.vendor
                && later.field == kept.field
                && later.value == kept.value
                && later.hit.rule_id == kept.hit.rule_id
        });

        let mut out: Vec<Group> = Vec::new();
        let mut start = 0;
        while start < raws.len() {
            let vendor = raws[start].hit.vendor;
            let end = raws[start..]
                .iter()
                .position(|r| r.hit.vendor != vendor)
                .map_or(raws.len(), |n| start + n);
            out.push(self.group(vendor, &raws[start..end], version));
            start = end;
        }
        out
    }

    fn group(&self, vendor: VendorId, raws: &[Raw<'_, '_>], version: Option<&str>) -> Group {
        // OEM relations and whether each holds for this version.
        let mut oem_period: Vec<(OemId, Option<bool>)> = Vec::new();
        for r in raws {
            if let Some(o) = r.hit.oem {
                if !oem_period.iter().any(|(id, _)| *id == o) {
                    oem_period.push((o, self.in_period(o, version)));
                }
            }
        }
        let period_of = |o: OemId| {
            oem_period
                .iter()
                .find(|(id, _)| *id == o)
                .and_then(|(_, p)| *p)
        };
        // Items that count: not from an OEM relation known not to hold for this version.
        let counts = |r: &Raw<'_, '_>| r.hit.oem.is_none_or(|o| period_of(o) != Some(false));
        let strong = |r: &Raw<'_, '_>| {
            r.hit.status == Status::Confirmed && r.confidence >= Confidence::Medium
        };

        let confidence = raws
            .iter()
            .filter(|r| counts(r) && r.hit.status == Status::Confirmed)
            .map(|r| r.confidence)
            .max()
            .unwrap_or(Confidence::Low);
        let confirmed = raws.iter().any(|r| counts(r) && strong(r));
        let has_product = raws
            .iter()
            .any(|r| r.hit.oem.is_none() && r.hit.product.is_some() && strong(r));
        let identity = |r: &&Raw<'_, '_>| {
            strong(r)
                && r.hit.product.is_none()
                && r.hit.oem.is_none()
                && (r.declared || !has_product)
        };
        let claims_identity = raws.iter().any(|r| identity(&r));
        let claim_from_identifier_only =
            claims_identity && !raws.iter().filter(identity).any(|r| r.declared);
        let direct = raws.iter().any(|r| r.hit.oem.is_none() && strong(r));

        let entity = pick_entity(raws);

        let mut products: Vec<ProductId> = raws
            .iter()
            .filter(|r| r.hit.oem.is_none())
            .filter_map(|r| r.hit.product)
            .collect();
        products.sort();
        products.dedup();

        let mut evidence: Vec<Evidence> = raws.iter().map(evidence).collect();
        sort_evidence(&mut evidence);
        evidence.dedup();

        let mut oems = oem_period
            .iter()
            .map(|&(oem, in_period)| OemMatch {
                oem,
                in_period,
                evidence: evidence
                    .iter()
                    .filter(|e| e.oem == Some(oem))
                    .cloned()
                    .collect(),
            })
            .collect::<Vec<_>>();
        oems.sort_by_key(|o| o.oem);

        Group {
            m: VendorMatch {
                vendor,
                entity,
                products,
                oems,
                evidence,
                confidence,
                confirmed,
            },
            claims_identity,
            claim_from_identifier_only,
            direct,
        }
    }

    /// Whether an OEM relation holds for `version` (see the module docs).
    fn in_period(&self, oem: OemId, version: Option<&str>) -> Option<bool> {
        let o = self.registry.oems.get(oem.index())?;
        if let Some(range) = &o.versions {
            return version.map(|v| range.contains(v));
        }
        if o.from.is_none() && o.until.is_none() {
            return Some(true);
        }
        let year = calendar_year(version?)?;
        let after_from = o.from.is_none_or(|f| year >= f.year);
        let before_until = o.until.is_none_or(|u| year <= u.year);
        Some(after_from && before_until)
    }

    /// The country of origin from the declared address and the attributed vendor.
    fn country(&self, c: &Component, origin: Option<&VendorMatch>) -> Option<CountryOfOrigin> {
        let declared = declared_country(c);
        let reg = origin.and_then(|m| {
            let v = self.registry.vendors.get(m.vendor.index())?;
            let entity_country = m
                .entity
                .and_then(|e| self.registry.entities.get(e.index()))
                .and_then(|e| e.country.as_deref());
            let (country, basis) = if let Some(p) = v.ultimate_parent_country.as_deref() {
                (p, CountryBasis::RegistryParent)
            } else if let Some(e) = entity_country {
                (e, CountryBasis::Entity)
            } else {
                (v.hq_country.as_str(), CountryBasis::RegistryHq)
            };
            Some((v, country, basis))
        });
        match (declared, reg) {
            (None, None) => None,
            (Some(d), None) => Some(CountryOfOrigin {
                country: d.clone(),
                basis: CountryBasis::Declared,
                reason: format!(
                    "{d} is the country the SBOM declares; no confirmed registry vendor gives one."
                ),
                declared: Some(d),
                registry: None,
                conflict: false,
                status: Status::Unconfirmed,
            }),
            (declared, Some((v, country, basis))) => {
                let conflict = declared.as_deref().is_some_and(|d| d != country);
                let what = match basis {
                    CountryBasis::RegistryParent => "country of the ultimate parent",
                    CountryBasis::Entity => "country of the matched legal entity",
                    _ => "head-office country",
                };
                let mut reason = format!(
                    "{country} is the registry's {what} of {} (attributed on confirmed evidence)",
                    v.name
                );
                match &declared {
                    Some(d) if conflict => {
                        reason.push_str(&format!("; the SBOM declares {d}, which disagrees."))
                    }
                    Some(_) => reason.push_str("; the SBOM declares the same."),
                    None => reason.push('.'),
                }
                Some(CountryOfOrigin {
                    country: country.to_string(),
                    basis,
                    declared,
                    registry: Some(country.to_string()),
                    conflict,
                    reason,
                    status: country_status(v),
                })
            }
        }
    }
}

/// The legal entity the evidence names: among the strongest items naming an entity (status,
/// confidence, then a value written exactly as the entity's name), the entity if only one is
/// named; `None` when a value fits several entities equally (`Kaspersky Lab` normalises like
/// `AO Kaspersky Lab` and `Kaspersky Lab, Inc.`).
fn pick_entity(raws: &[Raw<'_, '_>]) -> Option<EntityId> {
    let score = |r: &Raw<'_, '_>| {
        (
            r.hit.status,
            r.confidence,
            r.hit.rule.trim().eq_ignore_ascii_case(r.value.trim()),
        )
    };
    let best = raws
        .iter()
        .filter(|r| r.hit.entity.is_some())
        .map(score)
        .max()?;
    let mut top = raws
        .iter()
        .filter(|r| r.hit.entity.is_some() && score(r) == best)
        .filter_map(|r| r.hit.entity);
    let first = top.next()?;
    top.all(|e| e == first).then_some(first)
}

/// The year of a calendar version (`2011`, `2011.2`, `2011-05`), if it is one.
fn calendar_year(v: &str) -> Option<u16> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let digits = v.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let y: u16 = v.get(..4)?.parse().ok()?;
    (1980..=2100).contains(&y).then_some(y)
}

/// The CycloneDX 1.6 address country of the manufacturer, else of the supplier: two ASCII
/// letters, upper-cased; anything else is ignored.
fn declared_country(c: &Component) -> Option<String> {
    [c.manufacturer.as_deref(), c.supplier.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|p| p.addresses.iter())
        .filter_map(|a| a.country.as_deref().map(str::trim))
        .find(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(|s| s.to_ascii_uppercase())
}

fn evidence(r: &Raw<'_, '_>) -> Evidence {
    Evidence {
        field: r.field.to_string(),
        value: Cow::clone(&r.value).into_owned(),
        rule: format!("{}:{}", r.hit.kind.as_str(), r.hit.rule),
        kind: r.hit.kind,
        confidence: r.confidence,
        status: r.hit.status,
        product: r.hit.product,
        oem: r.hit.oem,
        entity: r.hit.entity,
    }
}

/// Strongest first (confidence, then confirmed), then field, value and rule.
fn sort_evidence(ev: &mut [Evidence]) {
    ev.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then(b.status.cmp(&a.status))
            .then_with(|| a.field.cmp(&b.field))
            .then_with(|| a.value.cmp(&b.value))
            .then_with(|| a.rule.cmp(&b.rule))
            .then(a.product.cmp(&b.product))
            .then(a.oem.cmp(&b.oem))
            .then(a.entity.cmp(&b.entity))
    });
}

#[cfg(test)]
mod tests;
