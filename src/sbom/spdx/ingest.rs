//! From SPDX 2 wire structs to the model: the field mapping shared by all five serialisations.
//!
//! Every reader hands packages, files, snippets, relationships and document fields to an
//! [`Ingest`] as it reads them; `Ingest` turns them into components, edges, roots and warnings
//! on the [`Builder`]. Choices made here:
//!
//! - Packages and files are components (files get kind `file`); snippets are not, but their ids
//!   are declared so relationships to them are dropped quietly. The document's SPDXID is a
//!   non-component.
//! - `primaryPackagePurpose` becomes the kind in lower case (`OPERATING_SYSTEM` →
//!   `operating-system`); absent means no kind.
//! - Supplier and originator go through [`Party::parse_spdx_actor`]; a bare name with no
//!   `Organization:` / `Person:` / `Tool:` prefix is kept and flagged (`unprefixed-supplier`,
//!   `unprefixed-originator`). `NONE` means no party.
//! - `downloadLocation` / `homepage` become links `download` / `homepage` (not when NOASSERTION
//!   or NONE). `sourceInfo` is free text: kept as the property `sourceInfo`, and every URL in it
//!   becomes a `source-info` link.
//! - External references: the first `purl` is the purl, further ones are `purl` links; `cpe22Type`
//!   / `cpe23Type` are CPEs; `swid` is the SWID tag id; any other type becomes a link of that kind
//!   when the locator is a URL, else the property `externalRef:<type>`.
//! - Licences: `licenseConcluded` then `licenseDeclared` (files: `licenseConcluded`), without
//!   NOASSERTION / NONE and without repeats.
//! - `description`, else `summary`, is the description. `packageFileName` / `fileName` are file
//!   names; a file's name is its `fileName`.
//! - `fileContributors` become the file's authors: SPDX defines them as the people and
//!   organisations who contributed to the file, which is what `authors` holds for CycloneDX.
//! - `hasFiles` (SPDX 2.2) is a contains edge package → file. In tag-value, a file that follows a
//!   package is contained in it (SPDX 2.2 clause 3 / 2.3 clause 5: files listed after a package
//!   belong to it) unless an explicit relationship names another container for it.
//! - `filesAnalyzed` is read but not kept: nothing in the audit depends on it.
//! - Roots: `documentDescribes`, `DOCUMENT DESCRIBES x` and `x DESCRIBED_BY DOCUMENT`. Buffered
//!   until the end so that the document's SPDXID may come after its relationships.

use crate::sbom::model::Text;
use rustc_hash::FxHashSet;
use thin_vec::ThinVec;

use super::relationships::{self, Known, Mapped};
use super::wire::{Checksum, File, Package, Relationship, Snippet, Str, Unknown};
use crate::sbom::builder::Builder;
use crate::sbom::model::{
    CompId, Component, Hash, Link, Location, Party, PartyKind, RelKind, Swid,
};

/// The location of element `index` of `array` (`/packages/3`), or its line.
fn element_loc(mode: LocMode, array: &str, index: usize, line: Option<u32>) -> Location {
    match mode {
        LocMode::Pointer => {
            let mut p = String::with_capacity(array.len() + 8);
            p.push('/');
            p.push_str(array);
            p.push('/');
            crate::sbom::push_index(&mut p, index);
            Location::pointer(p)
        }
        LocMode::Line => line.map(Location::line).unwrap_or_default(),
    }
}

/// How element locations are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocMode {
    /// JSON pointers built from the element's index (`/packages/3`): JSON and YAML.
    Pointer,
    /// The line each element carries: tag-value, XML, RDF/XML.
    Line,
}

struct PendingDescribes {
    element: String,
    related: String,
    flip: bool,
    location: Location,
}

/// The sink every SPDX 2 reader feeds. See the module docs.
pub struct Ingest<'b> {
    pub b: &'b mut Builder,
    mode: LocMode,
    doc_line: Option<u32>,
    doc_id: Option<String>,
    n_packages: usize,
    n_files: usize,
    n_snippets: usize,
    n_relationships: usize,
    n_describes: usize,
    describes: Vec<PendingDescribes>,
    /// Tag-value: (package, file) pairs implied by position.
    implied: Vec<(String, String, Location)>,
    /// Files some explicit relationship puts inside a container (tracked only when needed).
    explicit_contained: FxHashSet<String>,
    track_containment: bool,
    unknown_types: FxHashSet<String>,
}

/// Trimmed, non-empty, and not `NOASSERTION` / `NONE`.
pub fn value<'s>(s: &'s Option<Str<'_>>) -> Option<&'s str> {
    let s = s.as_deref()?.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE") {
        None
    } else {
        Some(s)
    }
}

fn text(s: &Option<Str<'_>>) -> Option<String> {
    let s = s.as_deref()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn looks_like_url(s: &str) -> bool {
    match s.find("://") {
        Some(i) => {
            i > 0
                && s[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// URLs embedded in free text (`uses x from git://host/repo.git.`), trailing punctuation off.
fn urls_in(text: &str) -> impl Iterator<Item = &str> {
    // Most source info has no URL at all: skip the word split then.
    let words = if memchr::memmem::find(text.as_bytes(), b"://").is_some() {
        text
    } else {
        ""
    };
    words
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',', ';', ')', ']', '"', '\'']))
        .map(|w| w.trim_start_matches(['(', '[', '"', '\'', '<']))
        .filter(|w| looks_like_url(w))
}

/// Trimmed and non-empty.
fn part<'s>(s: &'s Option<Str<'_>>) -> Option<&'s str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn push_unique(v: &mut ThinVec<Text>, s: Text) {
    if !v.contains(&s) {
        v.push(s);
    }
}

impl<'b> Ingest<'b> {
    pub fn new(b: &'b mut Builder, mode: LocMode) -> Ingest<'b> {
        Ingest {
            b,
            mode,
            doc_line: None,
            doc_id: None,
            n_packages: 0,
            n_files: 0,
            n_snippets: 0,
            n_relationships: 0,
            n_describes: 0,
            describes: Vec::new(),
            implied: Vec::new(),
            explicit_contained: FxHashSet::default(),
            track_containment: false,
            unknown_types: FxHashSet::default(),
        }
    }

    /// Record which files explicit relationships put into containers, so that containment
    /// implied by position ([`Ingest::implied_contains`]) can yield to them.
    pub fn track_containment(&mut self) {
        self.track_containment = true;
    }

    /// Where element `index` of `array` is; a pointer goes in the arena (there is one per
    /// package and file).
    fn loc(&self, array: &str, index: usize, line: Option<u32>) -> Location {
        let mut loc = element_loc(self.mode, array, index, line);
        if let Some(p) = loc.pointer.take() {
            loc.pointer = Some(self.b.text(&p));
        }
        loc
    }

    fn doc_loc(&self, key: &str) -> Location {
        match self.mode {
            LocMode::Pointer => Location::pointer(format!("/{}", pointer_escape(key))),
            LocMode::Line => self.doc_line.map(Location::line).unwrap_or_default(),
        }
    }

    pub fn document_line(&mut self, line: u32) {
        self.doc_line = Some(line);
    }

    pub fn spec_version(&mut self, v: &str) {
        let v = v.trim();
        let bare = match v.get(..5) {
            Some(p) if p.eq_ignore_ascii_case("SPDX-") => &v[5..],
            _ => v,
        };
        if !bare.starts_with("2.") {
            let loc = self.doc_loc("spdxVersion");
            self.b.warn(
                "unexpected-spdx-version",
                format!("spdxVersion {v:?} is not SPDX 2.x; read as SPDX 2"),
                loc,
            );
        }
        self.b.spec_version = bare.to_string();
    }

    pub fn document_id(&mut self, id: &str) {
        self.doc_id = Some(id.trim().to_string());
    }

    pub fn document_name(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            self.b.name = Some(name.to_string());
        }
    }

    pub fn namespace(&mut self, ns: &str) {
        let ns = ns.trim();
        if !ns.is_empty() {
            self.b.serial = Some(ns.to_string());
        }
    }

    /// Unknown keys found inside the document-level object `context` (`creationInfo`, ...).
    pub fn document_unknown(&mut self, context: &str, unknown: Unknown<'_>) {
        for (ctx, key) in unknown {
            let loc = self.doc_loc(context);
            self.b.unknown_field(ctx, &key, || loc);
        }
    }

    /// An unknown key of the document object itself.
    pub fn document_unknown_key(&mut self, key: &str) {
        let loc = self.doc_loc(key);
        self.b.unknown_field("document", key, || loc);
    }

    fn report_unknown(&mut self, unknown: Unknown<'_>, loc: &Location) {
        for (ctx, key) in unknown {
            self.b.unknown_field(ctx, &key, || loc.clone());
        }
    }

    /// A `documentDescribes` entry.
    pub fn describes(&mut self, id: &str, line: Option<u32>) {
        let idx = self.n_describes;
        self.n_describes += 1;
        let loc = match (self.mode, line) {
            (LocMode::Line, None) => self.doc_line.map(Location::line).unwrap_or_default(),
            _ => self.loc("documentDescribes", idx, line),
        };
        let id = id.trim();
        if !id.is_empty() {
            self.b.root_by_ref(id, loc);
        }
    }

    fn actor(
        &mut self,
        s: &Option<Str<'_>>,
        code: &'static str,
        what: &str,
        loc: &Location,
    ) -> Option<Party> {
        let s = s.as_deref()?.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("NONE") {
            return None;
        }
        let p = Party::parse_spdx_actor_with(s, |x| self.b.text(x));
        if p.kind == PartyKind::Unprefixed {
            self.b.warn(
                code,
                format!(
                    "{what} {s:?} has no `Organization:`, `Person:` or `Tool:` prefix; kept as a plain name"
                ),
                loc.clone(),
            );
        }
        Some(p)
    }

    fn hashes(&mut self, checksums: Vec<Checksum<'_>>, loc: &Location) -> Vec<Hash> {
        let mut out = Vec::with_capacity(checksums.len());
        for c in checksums {
            if let (Some(alg), Some(v)) = (value(&c.algorithm), value(&c.value)) {
                out.push(Hash::from_text(self.b.text(alg), self.b.text(v)));
            }
            self.report_unknown(c.unknown, loc);
        }
        out
    }

    fn id_of(&mut self, id: &Option<Str<'_>>, what: &str, loc: &Location) -> Text {
        match id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => self.b.text(id),
            _ => {
                self.b.warn(
                    "missing-spdxid",
                    format!("{what} has no SPDXID; a reference is made up"),
                    loc.clone(),
                );
                Text::empty()
            }
        }
    }

    /// A package: becomes a component. Returns its id.
    pub fn package(&mut self, p: Package<'_>) -> CompId {
        let idx = self.n_packages;
        self.n_packages += 1;
        let loc = self.loc("packages", idx, p.line);
        let bom_ref = self.id_of(&p.spdxid, "package", &loc);
        let name = match p.name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => self.b.text(n),
            _ => {
                self.b.warn(
                    "missing-name",
                    format!("package {bom_ref:?} has no name"),
                    loc.clone(),
                );
                Text::empty()
            }
        };
        let mut c = Component {
            bom_ref,
            kind: value(&p.purpose)
                .map(|k| k.to_ascii_lowercase().replace('_', "-"))
                .map(Text::from),
            name,
            version: value(&p.version).map(|v| self.b.text(v)),
            location: loc.clone(),
            ..Component::default()
        };
        c.supplier = self.actor(&p.supplier, "unprefixed-supplier", "supplier", &loc);
        if let Some(o) = self.actor(&p.originator, "unprefixed-originator", "originator", &loc) {
            c.originators.push(o);
        }
        if let Some(u) = value(&p.download_location) {
            c.links.push(Link {
                kind: "download".into(),
                url: self.b.text(u),
            });
        }
        if let Some(u) = value(&p.homepage) {
            c.links.push(Link {
                kind: "homepage".into(),
                url: self.b.text(u),
            });
        }
        if let Some(s) = value(&p.source_info) {
            for u in urls_in(s) {
                c.links.push(Link {
                    kind: "source-info".into(),
                    url: self.b.text(u),
                });
            }
            c.properties.push(("sourceInfo".into(), self.b.text(s)));
        }
        for r in p.external_refs {
            self.report_unknown(r.unknown, &loc);
            let (Some(kind), Some(locator)) = (value(&r.kind), value(&r.locator)) else {
                continue;
            };
            // A document-defined type is `LocationRef-x` in tag-value and
            // `<namespace>#LocationRef-x` elsewhere: keep the short form.
            let kind = match kind.rsplit_once('#') {
                Some((_, frag)) if frag.starts_with("LocationRef-") => frag,
                _ => kind,
            };
            if kind.eq_ignore_ascii_case("purl") {
                match &c.purl {
                    None => c.purl = Some(self.b.text(locator)),
                    Some(first) if first == locator => {}
                    Some(_) => c.links.push(Link {
                        kind: "purl".into(),
                        url: self.b.text(locator),
                    }),
                }
            } else if kind.eq_ignore_ascii_case("cpe23Type")
                || kind.eq_ignore_ascii_case("cpe22Type")
            {
                push_unique(&mut c.cpes, self.b.text(locator));
            } else if kind.eq_ignore_ascii_case("swid") {
                let tag = locator.strip_prefix("swid:").unwrap_or(locator);
                if c.swid.is_none() {
                    c.swid = Some(Box::new(Swid {
                        tag_id: Some(tag.into()),
                        ..Swid::default()
                    }));
                }
            } else if looks_like_url(locator) {
                c.links.push(Link {
                    kind: self.b.text(kind),
                    url: self.b.text(locator),
                });
            } else {
                c.properties
                    .push((format!("externalRef:{kind}").into(), self.b.text(locator)));
            }
        }
        c.hashes = self.hashes(p.checksums, &loc).into();
        for l in [value(&p.license_concluded), value(&p.license_declared)]
            .into_iter()
            .flatten()
        {
            push_unique(&mut c.licenses, self.b.text(l));
        }
        c.copyright = value(&p.copyright).map(|v| self.b.text(v));
        c.description = text(&p.description)
            .or_else(|| text(&p.summary))
            .map(Text::from);
        if let Some(f) = value(&p.file_name) {
            c.file_names.push(self.b.text(f));
        }
        self.report_unknown(p.unknown, &loc);
        let id = self.b.add_component(c);
        for f in p.has_files {
            let f = f.trim();
            if !f.is_empty() {
                self.b.edge_id_ref(id, f, RelKind::Contains, loc.clone());
            }
        }
        id
    }

    /// A file: becomes a component of kind `file`. Returns its id.
    pub fn file(&mut self, f: File<'_>) -> CompId {
        let idx = self.n_files;
        self.n_files += 1;
        let loc = self.loc("files", idx, f.line);
        let bom_ref = self.id_of(&f.spdxid, "file", &loc);
        let name = match f.name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => {
                self.b.warn(
                    "missing-name",
                    format!("file {bom_ref:?} has no fileName"),
                    loc.clone(),
                );
                String::new()
            }
        };
        let mut c = Component {
            bom_ref,
            kind: Some("file".into()),
            file_names: if name.is_empty() {
                ThinVec::new()
            } else {
                thin_vec::thin_vec![name.clone().into()]
            },
            name: name.into(),
            location: loc.clone(),
            ..Component::default()
        };
        c.hashes = self.hashes(f.checksums, &loc).into();
        if let Some(l) = value(&f.license_concluded) {
            c.licenses.push(self.b.text(l));
        }
        c.copyright = value(&f.copyright).map(|v| self.b.text(v));
        for who in &f.contributors {
            let who = who.trim();
            if !who.is_empty() && !who.eq_ignore_ascii_case("NOASSERTION") {
                c.authors.push(Party::parse_spdx_actor(who));
            }
        }
        self.report_unknown(f.unknown, &loc);
        self.b.add_component(c)
    }

    /// A snippet: not a component; its id is declared so edges to it are dropped quietly.
    pub fn snippet(&mut self, s: Snippet<'_>) {
        let idx = self.n_snippets;
        self.n_snippets += 1;
        let loc = self.loc("snippets", idx, s.line);
        if let Some(id) = value(&s.spdxid) {
            self.b.add_non_component(id);
        }
        self.report_unknown(s.unknown, &loc);
    }

    /// A relationship, mapped by [`relationships::map`]. Its location is made only when it is
    /// shown or kept (a warning, a `DESCRIBES`, an end not known yet): a document has several
    /// relationships per package, and formatting a pointer for each was a tenth of the read.
    pub fn relationship(&mut self, r: Relationship<'_>) {
        let idx = self.n_relationships;
        self.n_relationships += 1;
        let (mode, line) = (self.mode, r.line);
        let loc = move || element_loc(mode, "relationships", idx, line);
        if !r.unknown.is_empty() {
            self.report_unknown(r.unknown, &loc());
        }
        let (Some(a), Some(t), Some(c)) = (part(&r.element), part(&r.kind), part(&r.related))
        else {
            self.b.warn(
                "incomplete-relationship",
                "relationship without spdxElementId, relationshipType or relatedSpdxElement; ignored",
                loc(),
            );
            return;
        };
        let (mapped, known, name) = relationships::map(t);
        match known {
            Known::Yes => {}
            Known::Misspelt => self.b.warn(
                "misspelt-relationship",
                format!("relationship type {t:?} read as DESCRIBES"),
                loc(),
            ),
            Known::No => {
                if self.unknown_types.insert(name.to_string()) {
                    self.b.warn(
                        "unknown-relationship-type",
                        format!(
                            "relationship type {t:?} is not defined by SPDX 2.3; kept as other({name})"
                        ),
                        loc(),
                    );
                }
            }
        }
        match mapped {
            Mapped::Describes { flip } => self.describes.push(PendingDescribes {
                element: a.to_string(),
                related: c.to_string(),
                flip,
                location: loc(),
            }),
            Mapped::Edge { kind, flip } => {
                let (from, to) = if flip { (c, a) } else { (a, c) };
                if self.track_containment && kind == RelKind::Contains {
                    self.explicit_contained.insert(to.to_string());
                }
                self.b.edge_by_ref_lazy(from, to, kind, loc);
            }
        }
    }

    /// Tag-value: `file` follows `package`, so the package contains it unless an explicit
    /// relationship says which element contains it.
    pub fn implied_contains(&mut self, package: &str, file: &str, loc: Location) {
        self.implied
            .push((package.to_string(), file.to_string(), loc));
    }

    /// Resolve what had to wait for the whole document.
    pub fn finish(mut self) {
        let doc = self
            .doc_id
            .take()
            .unwrap_or_else(|| "SPDXRef-DOCUMENT".to_string());
        if self.b.spec_version.is_empty() {
            let loc = self.doc_loc("spdxVersion");
            self.b.warn(
                "missing-spdx-version",
                "the document has no SPDX version",
                loc,
            );
        }
        for d in std::mem::take(&mut self.describes) {
            let (subject, object) = if d.flip {
                (&d.related, &d.element)
            } else {
                (&d.element, &d.related)
            };
            if *subject == doc {
                self.b.root_by_ref(object, d.location);
            } else {
                let name = if d.flip { "DESCRIBED_BY" } else { "DESCRIBES" };
                self.b
                    .edge_by_ref(subject, object, RelKind::Other(name.into()), d.location);
            }
        }
        for (pkg, file, loc) in std::mem::take(&mut self.implied) {
            if !self.explicit_contained.contains(&file) {
                self.b.edge_by_ref(&pkg, &file, RelKind::Contains, loc);
            }
        }
        self.b.add_non_component(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noassertion_and_none_are_no_value() {
        assert_eq!(value(&Some(Str::borrowed(" NOASSERTION "))), None);
        assert_eq!(value(&Some(Str::borrowed("none"))), None);
        assert_eq!(value(&Some(Str::borrowed(""))), None);
        assert_eq!(value(&Some(Str::borrowed(" MIT "))), Some("MIT"));
    }

    #[test]
    fn urls_are_found_in_free_text() {
        let v: Vec<&str> =
            urls_in("uses glibc-2_11-branch from git://sourceware.org/git/glibc.git.").collect();
        assert_eq!(v, vec!["git://sourceware.org/git/glibc.git"]);
        assert!(
            urls_in("acquired package info from APK DB: /lib/apk/db/installed")
                .next()
                .is_none()
        );
    }

    #[test]
    fn url_detection_needs_a_scheme() {
        assert!(looks_like_url("https://example.com/x"));
        assert!(looks_like_url("git+ssh://host/repo"));
        assert!(!looks_like_url("acmecorp/acmenator/4.1.3-alpha"));
        assert!(!looks_like_url("://nothing"));
        assert!(!looks_like_url("see https://x y"));
    }

    #[test]
    fn pointer_keys_are_escaped() {
        assert_eq!(pointer_escape("a/b~c"), "a~1b~0c");
    }
}
