//! Registry data types: the raw serde shapes of the TOML files (`Raw*`, strict: unknown keys are
//! errors, spans kept for every value a check may point at) and the validated [`Registry`] the
//! rest of bomvet uses (typed indices, resolved references, parsed dates and version ranges).
//!
//! The JSON Schema in `schemas/vendor-registry.schema.json` is generated from the raw types.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use super::version::{Version, VersionRange};

/// Pattern of every id and source key: lower-case letters and digits in segments joined by
/// `-` or `.` (`us-far-52.204-23`, `kaspersky-anti-virus-sdk`).
pub const ID_PATTERN: &str = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$";
/// Pattern of a date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub const DATE_PATTERN: &str = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$";
/// Pattern of an ISO 3166-1 alpha-2 code (membership is checked against `countries.toml`).
pub const COUNTRY_PATTERN: &str = r"^[A-Z]{2}$";

// ---------------------------------------------------------------------------------------------
// Enumerations shared by the raw and the validated model.
// ---------------------------------------------------------------------------------------------

/// Whether a named source says it (`confirmed`) or it was found only in a weak source or not at
/// all (`unconfirmed`: may raise a review, never a banned verdict on its own).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Unconfirmed,
    Confirmed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Unconfirmed => "unconfirmed",
        }
    }
}

/// What kind of party a vendor file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VendorKind {
    /// A maker of products, SDKs, engines or services.
    Vendor,
    /// A telecommunications carrier.
    Carrier,
    /// A name that resembles a designated vendor but is a different party.
    Lookalike,
}

/// How a legal entity relates to the vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Parent,
    Subsidiary,
    Affiliate,
    Successor,
    FormerName,
    Holding,
    Brand,
}

/// What a product entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProductKind {
    Product,
    Sdk,
    OemEngine,
    Service,
    Os,
    App,
    Firmware,
    Hardware,
    OpenSource,
    Integration,
}

/// What a designation reaches (see the table in `vendor-registry/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    BrandedProducts,
    InWholeOrInPart,
    IntegratedOrWhiteLabel,
    NamedEntities,
    NamedEntitiesUseContext,
    CoveredApplication,
    CoveredList,
    EntityList,
    ExclusionOrder,
    Sanctions,
}

/// The purposes that limit a `named-entities-use-context` designation (§889).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UseContext {
    PublicSafety,
    GovernmentFacilitySecurity,
    CriticalInfrastructureSurveillance,
    NationalSecurity,
}

/// How an SBOM field can name a vendor or product (see "Identifier kinds" in the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdentifierKind {
    Name,
    CpeVendor,
    CpeProduct,
    Purl,
    Domain,
    SwidRegid,
    FileName,
    JavaPackage,
    Hash,
    ProductName,
    Keyword,
    Repository,
}

impl IdentifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Name => "name",
            IdentifierKind::CpeVendor => "cpe-vendor",
            IdentifierKind::CpeProduct => "cpe-product",
            IdentifierKind::Purl => "purl",
            IdentifierKind::Domain => "domain",
            IdentifierKind::SwidRegid => "swid-regid",
            IdentifierKind::FileName => "file-name",
            IdentifierKind::JavaPackage => "java-package",
            IdentifierKind::Hash => "hash",
            IdentifierKind::ProductName => "product-name",
            IdentifierKind::Keyword => "keyword",
            IdentifierKind::Repository => "repository",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! kebab_display {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The serde name is the kebab-case spelling users write.
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(s)) => f.write_str(&s),
                    _ => write!(f, "{self:?}"),
                }
            }
        }
    )*};
}
kebab_display!(Status, VendorKind, Relation, ProductKind, Scope, UseContext);

/// Schema transform: `sources` is required (serde defaults it so that the linter, not the
/// parser, reports a claim without sources).
fn require_sources(schema: &mut schemars::Schema) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    let req = obj
        .entry("required")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    if let Some(a) = req.as_array_mut() {
        if !a.iter().any(|v| v == "sources") {
            a.push("sources".into());
        }
    }
    if let Some(p) = obj
        .get_mut("properties")
        .and_then(|p| p.get_mut("sources"))
        .and_then(|s| s.as_object_mut())
    {
        p.remove("default");
    }
}

/// Schema transform: a source needs `url` or `document`.
fn require_url_or_document(schema: &mut schemars::Schema) {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "anyOf".into(),
            serde_json::json!([{ "required": ["url"] }, { "required": ["document"] }]),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Raw file shapes (what the TOML says). Spanned values keep byte ranges for diagnostics.
// ---------------------------------------------------------------------------------------------

/// `registry.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RegistryFile", title = "registry.toml")]
pub struct RawRegistryFile {
    pub registry: RawRegistryMeta,
}

/// Identity of this copy of the registry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RegistryMeta")]
pub struct RawRegistryMeta {
    /// Calendar version of the data, e.g. `2026.11.23`.
    #[schemars(with = "String", length(min = 1))]
    pub version: Spanned<String>,
    /// Monotonic serial; bundles and updates compare it.
    #[schemars(range(min = 1))]
    pub serial: u64,
    pub description: Option<String>,
}

/// `sources.toml`: sources cited from several files.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SourcesFile", title = "sources.toml")]
pub struct RawSourcesFile {
    /// Source key (kebab-case, unique across the registry) → source.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>")]
    pub sources: BTreeMap<String, Spanned<RawSource>>,
}

/// A document a claim rests on. Needs `title`, `publisher`, `date` and `url` or `document`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_url_or_document)]
#[schemars(rename = "Source")]
pub struct RawSource {
    #[schemars(with = "String", required, length(min = 1))]
    pub title: Option<Spanned<String>>,
    #[schemars(with = "String", required, length(min = 1))]
    pub publisher: Option<Spanned<String>>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[schemars(with = "String", required, pattern(DATE_PATTERN))]
    pub date: Option<Spanned<String>>,
    /// `http(s)://` address of the copy read.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// Number(s) identifying the document: FR Doc, Public Notice, case number.
    pub document: Option<String>,
    /// E.g. that the copy read is not the canonical document.
    pub note: Option<String>,
}

/// `designations.toml`: every rule bomvet knows.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DesignationsFile", title = "designations.toml")]
pub struct RawDesignationsFile {
    #[serde(default)]
    #[schemars(with = "Vec<RawDesignation>")]
    pub designation: Vec<Spanned<RawDesignation>>,
    /// Sources defined in this file.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>")]
    pub sources: BTreeMap<String, Spanned<RawSource>>,
}

/// A law, order or list.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "Designation")]
pub struct RawDesignation {
    /// Unique id that reports cite, e.g. `us-far-52.204-23`.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    pub title: String,
    pub authority: String,
    /// ISO 3166-1 alpha-2 code or a country group id.
    #[schemars(with = "String")]
    pub jurisdiction: Spanned<String>,
    pub citation: Option<String>,
    /// The clause a finding quotes.
    pub clause: Option<String>,
    #[schemars(with = "Option<String>", pattern(DATE_PATTERN))]
    pub issued: Option<Spanned<String>>,
    #[schemars(with = "Option<String>", pattern(DATE_PATTERN))]
    pub effective: Option<Spanned<String>>,
    pub scope: Scope,
    /// Reaches subsidiaries / affiliates / entities under common control.
    #[serde(default)]
    pub affiliates: bool,
    #[serde(default)]
    pub successors: bool,
    pub summary: Option<String>,
    /// Only for `scope = "named-entities-use-context"`.
    #[serde(default)]
    pub use_context: Vec<UseContext>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    pub notes: Option<String>,
}

/// `countries.toml`: ISO 3166-1 alpha-2 codes and named country groups.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CountriesFile", title = "countries.toml")]
pub struct RawCountriesFile {
    /// Code → English short name.
    #[schemars(with = "BTreeMap<String, String>")]
    pub countries: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawCountryGroup>")]
    pub group: Vec<Spanned<RawCountryGroup>>,
    /// Sources defined in this file.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>")]
    pub sources: BTreeMap<String, Spanned<RawSource>>,
}

/// A named set of countries (e.g. the foreign adversaries of 15 CFR 791.4).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "CountryGroup")]
pub struct RawCountryGroup {
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    pub title: String,
    #[schemars(with = "Vec<String>")]
    pub members: Vec<Spanned<String>>,
    pub note: Option<String>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
}

/// `vendors/<id>.toml`: one vendor.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "VendorFile", title = "vendors/<id>.toml")]
pub struct RawVendorFile {
    /// Equals the file stem.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    /// Display name.
    #[schemars(with = "String", length(min = 1))]
    pub name: Spanned<String>,
    pub kind: VendorKind,
    #[schemars(with = "String", pattern(COUNTRY_PATTERN))]
    pub hq_country: Spanned<String>,
    #[schemars(with = "Option<String>", pattern(COUNTRY_PATTERN))]
    pub ultimate_parent_country: Option<Spanned<String>>,
    /// Status of `hq_country` / `ultimate_parent_country` when it differs from the vendor's
    /// `status` (default: `status`), e.g. a country that is common knowledge only.
    pub country_status: Option<Status>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    /// Designations that apply to this vendor.
    #[serde(default)]
    #[schemars(with = "Vec<RawVendorDesignation>")]
    pub designation: Vec<Spanned<RawVendorDesignation>>,
    /// Legal entities.
    #[serde(default)]
    #[schemars(with = "Vec<RawEntity>")]
    pub entity: Vec<Spanned<RawEntity>>,
    /// Vendor-wide identifiers: how SBOM fields name this vendor.
    #[serde(default)]
    #[schemars(with = "Vec<RawIdentifier>")]
    pub identifier: Vec<Spanned<RawIdentifier>>,
    /// Products, SDKs, OEM engines, services, apps, open-source projects.
    #[serde(default)]
    #[schemars(with = "Vec<RawProduct>")]
    pub product: Vec<Spanned<RawProduct>>,
    /// Third-party products that embed this vendor's technology.
    #[serde(default)]
    #[schemars(with = "Vec<RawOem>")]
    pub oem: Vec<Spanned<RawOem>>,
    /// Sources defined in this file (`[source.<key>]`; `sources` is the vendor's own claim).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawSource>")]
    pub source: BTreeMap<String, Spanned<RawSource>>,
}

/// A designation as it applies to one vendor.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "VendorDesignation")]
pub struct RawVendorDesignation {
    /// An id from `designations.toml`.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    /// When it started to apply to this vendor.
    #[schemars(with = "Option<String>", pattern(DATE_PATTERN))]
    pub since: Option<Spanned<String>>,
    /// Product ids of this vendor the designation is limited to.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub products: Vec<Spanned<String>>,
    /// Product ids of this vendor the designation does not reach.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exempt_products: Vec<Spanned<String>>,
    /// `name`s of this file's `[[entity]]` entries the designation names; empty = the vendor
    /// as a whole.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub entities: Vec<Spanned<String>>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    pub notes: Option<String>,
}

/// A legal entity of the vendor.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "Entity")]
pub struct RawEntity {
    #[schemars(with = "String", length(min = 1))]
    pub name: Spanned<String>,
    #[schemars(with = "Option<String>", pattern(COUNTRY_PATTERN))]
    pub country: Option<Spanned<String>>,
    pub relation: Relation,
    /// Other spellings as they appear in SBOM fields.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Vec<Spanned<String>>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    pub notes: Option<String>,
}

/// How an SBOM field names the vendor, product or embedding product.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "Identifier")]
pub struct RawIdentifier {
    pub kind: IdentifierKind,
    #[schemars(with = "String", length(min = 1))]
    pub value: Spanned<String>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    pub notes: Option<String>,
}

/// A product, SDK, OEM engine, service, app or open-source project of the vendor.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "Product")]
pub struct RawProduct {
    /// Unique in the registry.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    #[schemars(with = "String", length(min = 1))]
    pub name: Spanned<String>,
    pub kind: ProductKind,
    /// Sold under the vendor's brand.
    #[serde(default)]
    pub branded: bool,
    /// Matches raise a review, never a banned verdict.
    #[serde(default)]
    pub review_only: bool,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawIdentifier>")]
    pub identifiers: Vec<Spanned<RawIdentifier>>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    /// Interpretation is allowed here.
    pub notes: Option<String>,
}

/// A third-party product that embeds the vendor's technology.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_sources)]
#[schemars(rename = "Oem")]
pub struct RawOem {
    /// Unique in the registry.
    #[schemars(with = "String", pattern(ID_PATTERN))]
    pub id: Spanned<String>,
    /// Display name of the embedding company.
    pub embedder: String,
    /// A vendor id in this registry.
    #[schemars(with = "Option<String>", pattern(ID_PATTERN))]
    pub embedder_vendor: Option<Spanned<String>>,
    /// The embedding product.
    pub product: String,
    /// A product id of this vendor (the embedded engine / SDK).
    #[schemars(with = "Option<String>", pattern(ID_PATTERN))]
    pub engine: Option<Spanned<String>>,
    /// Identify the embedding product in an SBOM.
    #[serde(default)]
    #[schemars(with = "Vec<RawIdentifier>")]
    pub identifiers: Vec<Spanned<RawIdentifier>>,
    /// Version range of the embedding product, e.g. `>= 9.5, < 12.1`.
    #[schemars(with = "Option<String>")]
    pub versions: Option<Spanned<String>>,
    #[schemars(with = "Option<String>", pattern(DATE_PATTERN))]
    pub from: Option<Spanned<String>>,
    #[schemars(with = "Option<String>", pattern(DATE_PATTERN))]
    pub until: Option<Spanned<String>>,
    pub status: Status,
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub sources: Vec<Spanned<String>>,
    pub notes: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Dates.
// ---------------------------------------------------------------------------------------------

/// A date of known precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    /// Parse a date; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("{s:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
        let parts: Vec<&str> = s.split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let year = num(parts[0], 4).ok_or_else(bad)?;
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 2).ok_or_else(bad)?),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => Some(num(d, 2).ok_or_else(bad)?),
            None => None,
        };
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(format!("{s:?} has month {m}; months are 01 to 12"));
            }
            if let Some(d) = day {
                let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                let max = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                if d == 0 || d > max {
                    return Err(format!("{s:?} has day {d}; that month has {max} days"));
                }
            }
        }
        Ok(Date {
            year: year as u16,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

// ---------------------------------------------------------------------------------------------
// The validated registry.
// ---------------------------------------------------------------------------------------------

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
id_type!(
    /// Index into [`Registry::vendors`].
    VendorId,
    /// Index into [`Registry::products`].
    ProductId,
    /// Index into [`Registry::oems`].
    OemId,
    /// Index into [`Registry::entities`].
    EntityId,
    /// Index into [`Registry::designations`].
    DesignationId,
    /// Index into [`Registry::sources`].
    SourceId,
    /// Index into [`Registry::country_groups`].
    CountryGroupId
);

/// Identity of the data: version and serial from `registry.toml`, digest of the files.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryMeta {
    pub version: String,
    pub serial: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `sha256:<hex>` over the sorted (relative path, content) pairs of the files read.
    pub digest: String,
    /// Where the data came from: `embedded` or the directory given.
    pub origin: String,
}

/// A source, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub key: String,
    pub title: String,
    pub publisher: String,
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The file that defines it.
    #[serde(skip)]
    pub file: String,
}

/// A claim's provenance: status and sources.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub status: Status,
    /// Source keys, as written.
    pub sources: Vec<String>,
    #[serde(skip)]
    pub source_ids: Vec<SourceId>,
}

/// A law, order or list.
#[derive(Debug, Clone, Serialize)]
pub struct Designation {
    pub id: String,
    pub title: String,
    pub authority: String,
    pub jurisdiction: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<Date>,
    pub scope: Scope,
    pub affiliates: bool,
    pub successors: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub use_context: Vec<UseContext>,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A named set of countries.
#[derive(Debug, Clone, Serialize)]
pub struct CountryGroup {
    pub id: String,
    pub title: String,
    pub members: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A vendor (or carrier, or lookalike).
#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub kind: VendorKind,
    pub hq_country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ultimate_parent_country: Option<String>,
    /// Status of `hq_country` / `ultimate_parent_country` (`country_status` of the file, else
    /// the vendor's own status).
    pub country_status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(flatten)]
    pub provenance: Provenance,
    pub designations: Vec<VendorDesignation>,
    #[serde(skip)]
    pub entities: Vec<EntityId>,
    pub identifiers: Vec<Identifier>,
    #[serde(skip)]
    pub products: Vec<ProductId>,
    #[serde(skip)]
    pub oems: Vec<OemId>,
    /// Relative path of the vendor file.
    #[serde(skip)]
    pub file: String,
}

impl Vendor {
    /// Whether any designation applies to this vendor.
    pub fn is_designated(&self) -> bool {
        !self.designations.is_empty()
    }
}

/// A designation as it applies to one vendor.
#[derive(Debug, Clone, Serialize)]
pub struct VendorDesignation {
    pub id: String,
    #[serde(skip)]
    pub designation: DesignationId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    #[serde(skip)]
    pub product_ids: Vec<ProductId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exempt_products: Vec<String>,
    #[serde(skip)]
    pub exempt_product_ids: Vec<ProductId>,
    /// Names of the vendor's legal entities the designation names, as written; empty = the
    /// vendor as a whole.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    /// The same entities, resolved (indices into [`Registry::entities`]).
    #[serde(skip)]
    pub entity_ids: Vec<EntityId>,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl VendorDesignation {
    /// Whether this designation reaches a match attributed to `entity` (`None`: a match with
    /// no legal entity, such as a product or a domain). A designation that names no entities
    /// reaches the whole vendor; one that names entities reaches those entities and matches
    /// with no entity, not the vendor's other entities.
    pub fn reaches_entity(&self, entity: Option<EntityId>) -> bool {
        match entity {
            Some(e) if !self.entity_ids.is_empty() => self.entity_ids.contains(&e),
            _ => true,
        }
    }
}

/// A legal entity of a vendor.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    #[serde(skip)]
    pub vendor: VendorId,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub relation: Relation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// An identifier (a rule the index matches SBOM fields against).
#[derive(Debug, Clone, Serialize)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A product of a vendor.
#[derive(Debug, Clone, Serialize)]
pub struct Product {
    pub id: String,
    #[serde(skip)]
    pub vendor: VendorId,
    pub name: String,
    pub kind: ProductKind,
    pub branded: bool,
    pub review_only: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub identifiers: Vec<Identifier>,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A third-party product that embeds a vendor's technology.
#[derive(Debug, Clone, Serialize)]
pub struct Oem {
    pub id: String,
    /// The vendor whose technology is embedded.
    #[serde(skip)]
    pub vendor: VendorId,
    pub embedder: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedder_vendor: Option<String>,
    #[serde(skip)]
    pub embedder_vendor_id: Option<VendorId>,
    pub product: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(skip)]
    pub engine_id: Option<ProductId>,
    pub identifiers: Vec<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<VersionRange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The validated registry. Build it with [`Registry::embedded`] or [`Registry::load_dir`].
#[derive(Debug)]
pub struct Registry {
    pub meta: RegistryMeta,
    pub sources: Vec<Source>,
    pub designations: Vec<Designation>,
    /// ISO 3166-1 alpha-2 code → name.
    pub countries: BTreeMap<String, String>,
    pub country_groups: Vec<CountryGroup>,
    pub vendors: Vec<Vendor>,
    pub entities: Vec<Entity>,
    pub products: Vec<Product>,
    pub oems: Vec<Oem>,
    /// Lint warnings and notes of the data (errors make loading fail).
    pub problems: Vec<super::Problem>,
    pub(crate) vendor_ids: rustc_hash::FxHashMap<String, VendorId>,
    pub(crate) product_ids: rustc_hash::FxHashMap<String, ProductId>,
    pub(crate) oem_ids: rustc_hash::FxHashMap<String, OemId>,
    pub(crate) designation_ids: rustc_hash::FxHashMap<String, DesignationId>,
    pub(crate) source_ids: rustc_hash::FxHashMap<String, SourceId>,
    pub(crate) index: std::sync::OnceLock<super::index::Index>,
}

impl Registry {
    pub fn vendor(&self, id: VendorId) -> &Vendor {
        &self.vendors[id.index()]
    }
    pub fn product(&self, id: ProductId) -> &Product {
        &self.products[id.index()]
    }
    pub fn oem(&self, id: OemId) -> &Oem {
        &self.oems[id.index()]
    }
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }
    pub fn designation(&self, id: DesignationId) -> &Designation {
        &self.designations[id.index()]
    }
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.index()]
    }
    pub fn vendor_by_id(&self, id: &str) -> Option<VendorId> {
        self.vendor_ids.get(id).copied()
    }
    pub fn product_by_id(&self, id: &str) -> Option<ProductId> {
        self.product_ids.get(id).copied()
    }
    pub fn oem_by_id(&self, id: &str) -> Option<OemId> {
        self.oem_ids.get(id).copied()
    }
    pub fn designation_by_id(&self, id: &str) -> Option<DesignationId> {
        self.designation_ids.get(id).copied()
    }
    pub fn source_by_key(&self, key: &str) -> Option<SourceId> {
        self.source_ids.get(key).copied()
    }

    /// The matching index, built on first use and kept.
    pub fn index(&self) -> &super::index::Index {
        self.index.get_or_init(|| super::index::Index::build(self))
    }

    /// Whether `code` is a known ISO 3166-1 alpha-2 code.
    pub fn is_country(&self, code: &str) -> bool {
        self.countries.contains_key(code)
    }

    /// Country groups that contain `code`.
    pub fn groups_of(&self, code: &str) -> impl Iterator<Item = &CountryGroup> {
        let code = code.to_string();
        self.country_groups
            .iter()
            .filter(move |g| g.members.contains(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_each_precision_parse() {
        assert_eq!(
            Date::parse("2017").unwrap(),
            Date {
                year: 2017,
                month: None,
                day: None
            }
        );
        assert_eq!(Date::parse("2017-09").unwrap().month, Some(9));
        assert_eq!(Date::parse("2017-09-13").unwrap().day, Some(13));
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn impossible_or_malformed_dates_are_rejected() {
        for s in [
            "",
            "17",
            "2017-9",
            "2017-13",
            "2017-00",
            "2023-02-29",
            "2017-04-31",
            "2017/09/13",
            "2017-09-13T00:00",
            "２０１７",
            "2017-09-1a",
            "1900-02-29",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
        assert!(Date::parse("2000-02-29").is_ok());
    }

    #[test]
    fn status_orders_unconfirmed_below_confirmed() {
        assert!(Status::Unconfirmed < Status::Confirmed);
        assert_eq!(
            Status::Confirmed.min(Status::Unconfirmed),
            Status::Unconfirmed
        );
    }

    fn designation(entity_ids: Vec<EntityId>) -> VendorDesignation {
        VendorDesignation {
            id: "d".into(),
            designation: DesignationId(0),
            since: None,
            products: Vec::new(),
            product_ids: Vec::new(),
            exempt_products: Vec::new(),
            exempt_product_ids: Vec::new(),
            entities: entity_ids.iter().map(|e| format!("e{}", e.0)).collect(),
            entity_ids,
            provenance: Provenance {
                status: Status::Confirmed,
                sources: vec!["s".into()],
                source_ids: Vec::new(),
            },
            notes: None,
        }
    }

    #[test]
    fn a_designation_naming_entities_reaches_only_those_entities_and_entityless_matches() {
        let d = designation(vec![EntityId(3), EntityId(5)]);
        assert!(d.reaches_entity(Some(EntityId(3))));
        assert!(d.reaches_entity(Some(EntityId(5))));
        assert!(!d.reaches_entity(Some(EntityId(4))));
        assert!(d.reaches_entity(None));
    }

    #[test]
    fn a_designation_naming_no_entities_reaches_the_whole_vendor() {
        let d = designation(Vec::new());
        assert!(d.reaches_entity(Some(EntityId(4))));
        assert!(d.reaches_entity(None));
    }

    #[test]
    fn enums_display_as_written_in_toml() {
        assert_eq!(
            Scope::NamedEntitiesUseContext.to_string(),
            "named-entities-use-context"
        );
        assert_eq!(Relation::FormerName.to_string(), "former-name");
        assert_eq!(IdentifierKind::SwidRegid.to_string(), "swid-regid");
    }
}
