//! The format-neutral SBOM model.
//!
//! Every reader (CycloneDX JSON/XML, SPDX 2 JSON/YAML/tag-value/XML/RDF, SPDX 3 JSON-LD)
//! produces a [`Document`]. Nothing downstream (registry matching, exposure, policy, reports)
//! ever sees a wire format again, so every field the audit needs must live here.
//!
//! This module owns data only: no parsing, no policy, no printing.

use std::fmt;

use thin_vec::ThinVec;

pub use super::text::{Arena, Buffer, FileMap, Text};

/// Index of a component inside [`Document::components`].
pub type CompId = u32;

/// The concrete serialisation a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxYaml,
    SpdxTagValue,
    SpdxRdfXml,
    SpdxXml,
    Spdx3JsonLd,
}

impl Format {
    /// Stable kebab-case name used in JSON output (a contract: keep these).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CycloneDxJson => "cyclonedx-json",
            Format::CycloneDxXml => "cyclonedx-xml",
            Format::SpdxJson => "spdx-json",
            Format::SpdxYaml => "spdx-yaml",
            Format::SpdxTagValue => "spdx-tag-value",
            Format::SpdxRdfXml => "spdx-rdf-xml",
            Format::SpdxXml => "spdx-xml",
            Format::Spdx3JsonLd => "spdx3-json-ld",
        }
    }

    /// The family name shown to people ("CycloneDX", "SPDX").
    pub fn family(self) -> &'static str {
        match self {
            Format::CycloneDxJson | Format::CycloneDxXml => "CycloneDX",
            _ => "SPDX",
        }
    }

    /// True for formats whose locations are JSON pointers (as opposed to line numbers).
    pub fn is_json_like(self) -> bool {
        matches!(
            self,
            Format::CycloneDxJson | Format::SpdxJson | Format::Spdx3JsonLd | Format::SpdxYaml
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where something sits in its document, for diagnostics.
///
/// JSON-like formats give a JSON pointer (RFC 6901, e.g. `/components/3/supplier`);
/// line-oriented formats give a 1-based line. Either may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// A [`Text`] so that a reader can put it in the document's arena (one per component).
    pub pointer: Option<Text>,
    pub line: Option<u32>,
}

impl Location {
    pub fn pointer(p: impl Into<Text>) -> Self {
        Location {
            pointer: Some(p.into()),
            line: None,
        }
    }
    pub fn line(line: u32) -> Self {
        Location {
            pointer: None,
            line: Some(line),
        }
    }
    pub fn none() -> Self {
        Location::default()
    }
    pub fn is_empty(&self) -> bool {
        self.pointer.is_none() && self.line.is_none()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.pointer, self.line) {
            (Some(p), Some(l)) => write!(f, "line {l} ({p})"),
            (Some(p), None) => f.write_str(if p.is_empty() { "/" } else { p }),
            (None, Some(l)) => write!(f, "line {l}"),
            (None, None) => f.write_str("-"),
        }
    }
}

/// What kind of party a supplier / originator / author is.
///
/// SPDX writes `Organization: X`, `Person: Y`, `Tool: Z` or `NOASSERTION`; real documents also
/// carry plain names with no prefix (`Unprefixed`). CycloneDX organisational entities are
/// `Organization`, organisational contacts and `author` strings are `Person` unless known better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartyKind {
    Organization,
    Person,
    Tool,
    NoAssertion,
    Unprefixed,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Organization => "organization",
            PartyKind::Person => "person",
            PartyKind::Tool => "tool",
            PartyKind::NoAssertion => "noassertion",
            PartyKind::Unprefixed => "unprefixed",
        }
    }
}

/// A postal address (CycloneDX 1.6+ `organizationalEntity.address`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// ISO 3166-1 alpha-2 code as written (not validated here; the audit decides).
    pub country: Option<Text>,
    pub region: Option<Text>,
    pub locality: Option<Text>,
    pub postal_code: Option<Text>,
    pub street: Option<Text>,
}

/// A supplier, manufacturer, author, publisher or originator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub kind: PartyKind,
    /// The name as written, trimmed. Empty only for `NOASSERTION`.
    pub name: Text,
    /// Every e-mail address known for the party (contact e-mails included).
    pub emails: ThinVec<Text>,
    /// Every URL known for the party.
    pub urls: ThinVec<Text>,
    /// Addresses; CycloneDX 1.6 allows one per entity, kept as a list for the SPDX 3 case.
    pub addresses: ThinVec<Address>,
}

impl Party {
    pub fn new(kind: PartyKind, name: impl Into<Text>) -> Self {
        Party {
            kind,
            name: name.into(),
            emails: ThinVec::new(),
            urls: ThinVec::new(),
            addresses: ThinVec::new(),
        }
    }

    /// Parse an SPDX 2 actor string: `Organization: Acme (ops@acme.example)`, `Person: Jane`,
    /// `Tool: syft-0.91`, `NOASSERTION`, or a bare name (kind `Unprefixed`).
    pub fn parse_spdx_actor(s: &str) -> Party {
        Party::parse_spdx_actor_with(s, |x| Text::from(x))
    }

    /// [`Party::parse_spdx_actor`], making each string with `text` (e.g. shared with the
    /// document's buffer, since the name and e-mail are slices of `s`).
    pub fn parse_spdx_actor_with(s: &str, text: impl Fn(&str) -> Text) -> Party {
        let s = s.trim();
        if s.eq_ignore_ascii_case("NOASSERTION") {
            return Party::new(PartyKind::NoAssertion, "");
        }
        let (kind, rest) = match s.split_once(':') {
            Some((k, rest)) => match k.trim() {
                k if k.eq_ignore_ascii_case("Organization") => (PartyKind::Organization, rest),
                k if k.eq_ignore_ascii_case("Person") => (PartyKind::Person, rest),
                k if k.eq_ignore_ascii_case("Tool") => (PartyKind::Tool, rest),
                _ => (PartyKind::Unprefixed, s),
            },
            None => (PartyKind::Unprefixed, s),
        };
        let rest = rest.trim();
        // A trailing "(email)" holds the e-mail; an empty "()" is common and means none.
        if let Some(open) = rest.rfind('(') {
            if rest.ends_with(')') {
                let email = rest[open + 1..rest.len() - 1].trim();
                let name = rest[..open].trim();
                let mut p = Party::new(kind, text(name));
                if !email.is_empty() {
                    p.emails.push(text(email));
                }
                return p;
            }
        }
        Party::new(kind, text(rest))
    }
}

/// A hash as written (algorithm name normalised to upper case without dashes: `SHA256`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hash {
    pub alg: Text,
    pub value: Text,
}

impl Hash {
    pub fn new(alg: &str, value: &str) -> Hash {
        Hash::from_text(Text::from(alg), Text::from(value))
    }

    /// Normalise without copying what is already normal: well-known algorithm names become
    /// constants and a trimmed lower-case value is kept as it is (usually shared with the input).
    pub fn from_text(alg: Text, value: Text) -> Hash {
        let alg = match hash_alg(&alg) {
            Some(known) => Text::from_static(known.name),
            None => Text::from(
                alg.chars()
                    .filter(|c| *c != '-' && *c != '_')
                    .collect::<String>()
                    .to_ascii_uppercase(),
            ),
        };
        let value = value.trimmed();
        let value = if value.bytes().any(|b| b.is_ascii_uppercase()) {
            Text::from(value.to_ascii_lowercase())
        } else {
            value
        };
        Hash { alg, value }
    }
}

/// A well-known hash algorithm: its normalised name (upper case, no `-` / `_`: `SHA256`), the
/// hex digits of its digest (`None` for a variable length, as BLAKE3), and whether CycloneDX
/// defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashAlg {
    pub name: &'static str,
    pub hex_len: Option<usize>,
    pub cyclonedx: bool,
}

/// The algorithm `alg` names in any of its usual spellings (compared without case, `-` or `_`:
/// `SHA-256`, `sha256` and `SHA_256` are one), or `None` for one not in the table.
pub fn hash_alg(alg: &str) -> Option<HashAlg> {
    const fn a(name: &'static str, hex_len: Option<usize>, cyclonedx: bool) -> HashAlg {
        HashAlg {
            name,
            hex_len,
            cyclonedx,
        }
    }
    const KNOWN: &[HashAlg] = &[
        a("MD5", Some(32), true),
        a("SHA1", Some(40), true),
        a("SHA224", Some(56), false),
        a("SHA256", Some(64), true),
        a("SHA384", Some(96), true),
        a("SHA512", Some(128), true),
        a("SHA3256", Some(64), true),
        a("SHA3384", Some(96), true),
        a("SHA3512", Some(128), true),
        a("BLAKE2B256", Some(64), true),
        a("BLAKE2B384", Some(96), true),
        a("BLAKE2B512", Some(128), true),
        a("BLAKE3", None, true),
        a("STREEBOG256", Some(64), true),
        a("STREEBOG512", Some(128), true),
    ];
    let mut buf = [0u8; 16];
    let mut n = 0;
    for b in alg.trim().bytes() {
        if b == b'-' || b == b'_' {
            continue;
        }
        *buf.get_mut(n)? = b.to_ascii_uppercase();
        n += 1;
    }
    let norm = buf.get(..n)?;
    KNOWN.iter().copied().find(|k| k.name.as_bytes() == norm)
}

/// ISO/IEC 19770-2 SWID tag identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swid {
    pub tag_id: Option<Text>,
    /// The registration id of the tag creator (`regid.1997-01.com.kaspersky`).
    pub regid: Option<Text>,
    pub name: Option<Text>,
    pub version: Option<Text>,
}

/// A URL attached to a component, with the kind the document gave it
/// (`website`, `vcs`, `distribution`, `homepage`, `download`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: Text,
    pub url: Text,
}

/// One component: a CycloneDX component, an SPDX package or file, an SPDX 3 software element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Component {
    /// bom-ref / SPDXID / spdxId; synthesized when the document gave none.
    pub bom_ref: Text,
    /// True when `bom_ref` was made up by bomvet.
    pub ref_synthesized: bool,
    /// True for the CycloneDX `metadata.component` (the subject of the BOM, not an inventory
    /// entry): it is a node of the graph and usually a root, but not counted as a component.
    pub is_metadata: bool,
    /// True for a CycloneDX pedigree entry (`pedigree.ancestors` / `descendants` / `variants`,
    /// and anything nested in one): a graph node that describes where a component came from,
    /// not an inventory entry, so it is not counted.
    pub is_pedigree: bool,
    /// CycloneDX `type`, SPDX `primaryPackagePurpose` (lower-cased), `file` for SPDX files.
    pub kind: Option<Text>,
    pub name: Text,
    pub version: Option<Text>,
    /// CycloneDX `group` (Maven groupId, npm scope...).
    pub group: Option<Text>,
    /// Package URL as written.
    pub purl: Option<Text>,
    /// Every CPE (2.2 URI or 2.3 formatted string) as written.
    pub cpes: ThinVec<Text>,
    /// Boxed: rare, and large inline.
    pub swid: Option<Box<Swid>>,
    pub hashes: ThinVec<Hash>,
    /// CycloneDX `supplier`; SPDX `supplier` / `PackageSupplier`; SPDX 3 `suppliedBy`.
    pub supplier: Option<Party>,
    /// CycloneDX 1.6 `manufacturer`, or the legacy `metadata.manufacture` for the subject.
    pub manufacturer: Option<Box<Party>>,
    /// CycloneDX 1.6 `authors` and the legacy `author` string; SPDX 3 `originatedBy` is in
    /// `originators`.
    pub authors: ThinVec<Party>,
    /// CycloneDX `publisher`.
    pub publisher: Option<Text>,
    /// SPDX `originator` / `PackageOriginator`; SPDX 3 `originatedBy`.
    pub originators: ThinVec<Party>,
    /// Every URL: external references, homepage, download location, source info.
    pub links: ThinVec<Link>,
    /// Licences as written (ids, names or expressions), in document order.
    pub licenses: ThinVec<Text>,
    pub copyright: Option<Text>,
    pub description: Option<Text>,
    /// CycloneDX `properties`, SPDX annotations are not properties.
    pub properties: ThinVec<(Text, Text)>,
    /// File names: CycloneDX `evidence.identity` / `evidence.occurrences` locations, SPDX
    /// `fileName` / `packageFileName`, files contained in a package.
    pub file_names: ThinVec<Text>,
    /// CycloneDX `scope` (`required`, `optional`, `excluded`) when given.
    pub scope: Option<Text>,
    /// Where the component sits in its document.
    pub location: Location,
}

impl Component {
    /// Give back the spare capacity of the list fields. Readers fill them by pushing, which
    /// reserves room for four at the first element; with one or two values per list and a
    /// million components that slack is a large share of the model (see docs/PERFORMANCE.md).
    /// The builder calls this once per component.
    pub fn shrink_to_fit(&mut self) {
        fn shrink<T>(v: &mut ThinVec<T>) {
            if v.capacity() > v.len() {
                v.shrink_to_fit();
            }
        }
        shrink(&mut self.cpes);
        shrink(&mut self.hashes);
        shrink(&mut self.authors);
        shrink(&mut self.originators);
        shrink(&mut self.links);
        shrink(&mut self.licenses);
        shrink(&mut self.properties);
        shrink(&mut self.file_names);
    }

    /// A short human label: `group/name@version` (parts omitted when absent).
    pub fn label(&self) -> String {
        let mut s = String::new();
        if let Some(g) = &self.group {
            if !g.is_empty() {
                s.push_str(g);
                s.push('/');
            }
        }
        s.push_str(&self.name);
        if let Some(v) = &self.version {
            if !v.is_empty() {
                s.push('@');
                s.push_str(v);
            }
        }
        s
    }
}

/// Flavour of a depends-on edge, where the format says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DepScope {
    Unspecified,
    Runtime,
    Dev,
    Optional,
    Build,
    Test,
    Provided,
}

impl DepScope {
    pub fn as_str(self) -> &'static str {
        match self {
            DepScope::Unspecified => "",
            DepScope::Runtime => "runtime",
            DepScope::Dev => "dev",
            DepScope::Optional => "optional",
            DepScope::Build => "build",
            DepScope::Test => "test",
            DepScope::Provided => "provided",
        }
    }
}

/// The kind of a relationship. Direction is fixed: an edge `from -> to` always reads
/// "`from` depends on / contains / links / derives from `to`". `*_OF` and `*_BY`
/// relationships are flipped by the readers so that this holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelKind {
    DependsOn(DepScope),
    /// `from` contains `to` (CycloneDX nested components, SPDX CONTAINS / hasFile, SPDX 3 contains).
    Contains,
    StaticLink,
    DynamicLink,
    /// `to` is a pedigree ancestor of `from` (from derives from to).
    Ancestor,
    /// `to` is a pedigree descendant of `from`.
    Descendant,
    /// `to` is a pedigree variant of `from`.
    Variant,
    /// `from` was generated from `to`.
    GeneratedFrom,
    /// Anything else, with the relationship name as the document wrote it.
    Other(String),
}

impl RelKind {
    /// Stable name used in counts and JSON (`depends-on`, `depends-on:dev`, `contains`...).
    pub fn name(&self) -> String {
        match self {
            RelKind::DependsOn(DepScope::Unspecified) => "depends-on".into(),
            RelKind::DependsOn(s) => format!("depends-on:{}", s.as_str()),
            RelKind::Contains => "contains".into(),
            RelKind::StaticLink => "static-link".into(),
            RelKind::DynamicLink => "dynamic-link".into(),
            RelKind::Ancestor => "ancestor".into(),
            RelKind::Descendant => "descendant".into(),
            RelKind::Variant => "variant".into(),
            RelKind::GeneratedFrom => "generated-from".into(),
            RelKind::Other(n) => format!("other({n})"),
        }
    }

    /// True for edges through which the target's code ends up inside the source
    /// (containment, linking, pedigree ancestry): reaching a component this way is "embedded".
    pub fn is_embedding(&self) -> bool {
        matches!(
            self,
            RelKind::Contains
                | RelKind::StaticLink
                | RelKind::Ancestor
                | RelKind::Variant
                | RelKind::Descendant
        )
    }
}

/// A typed, directed edge between two components of the same document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub from: CompId,
    pub to: CompId,
    pub kind: RelKind,
    /// True when bomvet added the edge (e.g. a document with no dependency graph at all has its
    /// top-level components attached to its root).
    pub inferred: bool,
}

/// A warning-level oddity found while reading: never a rejection (unless `--strict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable kebab-case code (`unknown-field`, `dangling-ref`, `duplicate-ref`, ...).
    pub code: &'static str,
    pub message: String,
    pub location: Location,
}

/// How the roots were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootSource {
    /// `metadata.component`, DESCRIBES / documentDescribes, SPDX 3 rootElement.
    Declared,
    /// No declared root: the components nothing points to.
    Inferred,
}

/// One SBOM document in the neutral model.
#[derive(Debug, Clone)]
pub struct Document {
    /// The input as given on the command line (`-` for stdin), never made absolute.
    pub source: String,
    pub format: Format,
    /// `1.6`, `2.3`, `3.0.1`...
    pub spec_version: String,
    /// Document name (SPDX `name`, CycloneDX metadata component name) when there is one.
    pub name: Option<String>,
    /// CycloneDX serialNumber / SPDX documentNamespace / SPDX 3 document spdxId.
    pub serial: Option<String>,
    pub components: Vec<Component>,
    pub relationships: Vec<Relationship>,
    pub roots: Vec<CompId>,
    pub root_source: RootSource,
    pub warnings: Vec<Warning>,
}

impl Document {
    /// Number of inventory components (the metadata subject and pedigree entries are not
    /// counted).
    pub fn component_count(&self) -> usize {
        self.components
            .iter()
            .filter(|c| !c.is_metadata && !c.is_pedigree)
            .count()
    }

    pub fn component(&self, id: CompId) -> &Component {
        &self.components[id as usize]
    }

    /// Relationship counts by kind name, sorted by name.
    pub fn relationship_counts(&self) -> Vec<(String, usize)> {
        let mut map = std::collections::BTreeMap::<String, usize>::new();
        for r in &self.relationships {
            *map.entry(r.kind.name()).or_default() += 1;
        }
        map.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million components are a million of these: rare parts are boxed, strings are
    /// two-word [`Text`]s and lists one-word `ThinVec`s (empty ones allocate nothing), so that
    /// the model stays well under the size of typical input per component.
    #[test]
    fn component_stays_compact() {
        assert!(
            std::mem::size_of::<Component>() <= 336,
            "{}",
            std::mem::size_of::<Component>()
        );
        assert_eq!(std::mem::size_of::<Text>(), 16);
        assert_eq!(std::mem::size_of::<ThinVec<Text>>(), 8);
        assert!(std::mem::size_of::<Party>() <= 48);
    }

    #[test]
    fn spdx_actor_with_prefix_and_email() {
        let p = Party::parse_spdx_actor("Organization: AO Kaspersky Lab (info@kaspersky.com)");
        assert_eq!(p.kind, PartyKind::Organization);
        assert_eq!(p.name, "AO Kaspersky Lab");
        assert_eq!(p.emails, vec!["info@kaspersky.com".to_string()]);
    }

    #[test]
    fn spdx_actor_noassertion_and_unprefixed() {
        assert_eq!(
            Party::parse_spdx_actor(" NOASSERTION ").kind,
            PartyKind::NoAssertion
        );
        let p = Party::parse_spdx_actor("Huawei Technologies Co., Ltd.");
        assert_eq!(p.kind, PartyKind::Unprefixed);
        assert_eq!(p.name, "Huawei Technologies Co., Ltd.");
    }

    #[test]
    fn spdx_actor_empty_email_parens() {
        let p = Party::parse_spdx_actor("Person: Jane Doe ()");
        assert_eq!(p.kind, PartyKind::Person);
        assert_eq!(p.name, "Jane Doe");
        assert!(p.emails.is_empty());
    }

    #[test]
    fn unknown_prefix_is_kept_as_unprefixed_name() {
        let p = Party::parse_spdx_actor("Vendor: Foo");
        assert_eq!(p.kind, PartyKind::Unprefixed);
        assert_eq!(p.name, "Vendor: Foo");
    }

    #[test]
    fn hash_alg_is_normalised() {
        let h = Hash::new("sha-256", "ABCD");
        assert_eq!(h.alg, "SHA256");
        assert_eq!(h.value, "abcd");
    }

    #[test]
    fn relkind_names_are_stable() {
        assert_eq!(RelKind::DependsOn(DepScope::Dev).name(), "depends-on:dev");
        assert_eq!(RelKind::Other("TEST_OF".into()).name(), "other(TEST_OF)");
    }
}
