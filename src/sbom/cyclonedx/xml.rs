//! CycloneDX XML 1.0–1.7 reader: one streaming pass over the document (quick-xml pull parser,
//! no DOM) feeding the [`Builder`].
//!
//! What it maps:
//! - `<bom>` in any `http://cyclonedx.org/schema/bom/1.x` namespace (anything else is not an
//!   SBOM): the namespace gives the spec version, `serialNumber` the serial.
//! - `metadata/component`: the subject (`is_metadata`, declared root, document name);
//!   `metadata/supplier` and the legacy `metadata/manufacture` (else the 1.6+
//!   `metadata/manufacturer`, which names who made the BOM) fill its supplier / manufacturer
//!   when it has none.
//! - `components/component` at every depth (nested ones get a `Contains` edge from their
//!   parent). Components nested in the metadata component are inventory too.
//! - pedigree `ancestors` / `descendants` / `variants` components: graph nodes marked
//!   `is_pedigree`, linked from their component with `Ancestor` / `Descendant` / `Variant`.
//! - `dependencies/dependency[@ref]` nesting → `DependsOn` edges (1.6 `provides` →
//!   `Other("provides")`), and the same for the 1.1 dependency-graph extension
//!   (`http://cyclonedx.org/schema/ext/dependency-graph/1.0`), at BOM level or inside a
//!   component (then the component depends on the listed refs).
//! - services (and metadata tools) are declared non-components so that dependencies on them
//!   are not dangling.
//! - Evidence: occurrence locations and `filename` identity-method values become file names;
//!   an identity whose `field` is `purl` / `cpe` gives its `concludedValue` as the component's
//!   purl / CPE when the component itself declares none.
//! - Properties named `…:cpe23` / `…:cpe` (syft's `syft:cpe23`) add CPEs; every property is
//!   kept as well.
//! - Component locations are the line of their `<component>` start tag.
//!
//! Warnings of its own: `missing-name`, `missing-ref` (a dependency without `ref`),
//! `unknown-spec-version` (a `…/bom/1.x` after 1.7), `unknown-entity`, `dangling-ampersand`,
//! `trailing-content`.
//!
//! Elements of other namespaces (extensions, XML signatures) are skipped silently; unknown
//! CycloneDX elements in a component, the metadata or the BOM are reported through
//! [`Builder::unknown_field`]. Entities are never expanded (no DTD processing, no XXE):
//! references to anything but the five predefined entities and character references are
//! kept as written and reported once as `unknown-entity`.

mod scan;
#[cfg(test)]
mod tests;

use crate::sbom::model::Text;
use std::borrow::Cow;
use thin_vec::ThinVec;

use crate::sbom::builder::occurrences;
use crate::sbom::model::{
    Address, CompId, Component, DepScope, Hash, Link, Location, Party, PartyKind, RelKind, Swid,
};
use crate::sbom::{Builder, IngestError, Limits};

use scan::{Ev, Ns, Scanner, Tag, BOM_NS_PREFIX};

/// The spec versions this reader knows; another `…/bom/x` namespace reads with a warning.
const KNOWN_VERSIONS: &[&str] = &["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// CycloneDX elements of `<bom>` that bomvet does not need (not unknown).
const BOM_KNOWN: &[&[u8]] = &[
    b"externalReferences",
    b"compositions",
    b"properties",
    b"vulnerabilities",
    b"annotations",
    b"formulation",
    b"declarations",
    b"definitions",
    b"citations",
    b"signature",
];

/// CycloneDX elements of `<metadata>` that bomvet does not need.
const METADATA_KNOWN: &[&[u8]] = &[
    b"timestamp",
    b"lifecycles",
    b"authors",
    b"licenses",
    b"properties",
    b"distributionConstraints",
];

/// CycloneDX elements of `<component>` that bomvet does not need.
const COMPONENT_KNOWN: &[&[u8]] = &[
    b"modified",
    b"versionRange",
    b"patentAssertions",
    b"omniborId",
    b"swhid",
    b"releaseNotes",
    b"modelCard",
    b"data",
    b"cryptoProperties",
    b"tags",
    b"signature",
];

/// Read a CycloneDX XML document into `b`.
pub fn read(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    // Most documents give every component a `bom-ref` attribute.
    let refs = occurrences(text, b"bom-ref=");
    b.reserve_components(text, refs, 64);
    // Edges: the inner `<dependency ref=...>` elements (the outer ones are counted too), plus
    // at most one `contains` or pedigree edge per component. Room never used is never touched
    // (see `Builder::reserve_edges`).
    b.reserve_edges(text, occurrences(text, b"<dependency ") + refs, 24);
    let mut x = Scanner::new(text, limits.max_depth);
    let root = loop {
        match x.next()? {
            Ev::Start(t) => break t,
            Ev::Eof => {
                return Err(IngestError::NotSbom {
                    found: "XML without a root element".into(),
                    looked_for: LOOKED_FOR.into(),
                })
            }
            _ => {}
        }
    };
    let ns = x.root_ns.clone().unwrap_or_default();
    let version = ns
        .strip_prefix(BOM_NS_PREFIX)
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    // `…/bom/1.<n>`; the spec suite's invalid-namespace files use `…/bom/11` and `…/bom/12`.
    let version_ok = version
        .strip_prefix("1.")
        .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|c| c.is_ascii_digit()));
    if !root.is(b"bom") || !version_ok {
        let name = String::from_utf8_lossy(root.start.name().into_inner()).into_owned();
        let found = if ns.is_empty() {
            format!("an XML document with root element <{name}> in no namespace")
        } else {
            format!("an XML document with root element <{name}> in namespace {ns:?}")
        };
        return Err(IngestError::NotSbom {
            found,
            looked_for: LOOKED_FOR.into(),
        });
    }
    if !KNOWN_VERSIONS.contains(&version.as_str()) {
        let loc = x.location(root.pos);
        b.warn(
            "unknown-spec-version",
            format!("CycloneDX namespace {ns:?} names a version after 1.7; read as 1.7"),
            loc,
        );
    }
    b.spec_version = version;
    if let Some(serial) = x.attr(&root, b"serialNumber")? {
        let serial = serial.trim();
        if !serial.is_empty() {
            b.serial = Some(serial.to_string());
        }
    }

    let mut r = Reader {
        x,
        b,
        stack: vec![Frame::Bom],
        stage: Vec::new(),
        ids: Vec::new(),
        open_components: 0,
        in_metadata: false,
        meta_supplier: None,
        meta_manufacturer: None,
        meta_manufacture: None,
    };
    r.run()?;
    r.trailing()?;
    r.report_oddities();
    Ok(())
}

const LOOKED_FOR: &str =
    "a CycloneDX XML <bom> in a `http://cyclonedx.org/schema/bom/1.x` namespace";

/// What the element being read is; one per open element that holds components or
/// dependencies (leaf structures are read by dedicated functions, not through the stack).
enum Frame {
    Bom,
    Metadata,
    /// A list whose `<component>` children are components: `components` (top level or
    /// nested) or a pedigree list.
    List {
        parent: Option<usize>,
        kind: ListKind,
        pedigree: bool,
    },
    /// A component; `slot` indexes [`Reader::stage`].
    Component {
        slot: usize,
    },
    Pedigree {
        slot: usize,
    },
    /// `dependencies` (core, or the 1.1 extension); `owner` is the component holding an
    /// extension graph.
    Deps {
        owner: Option<usize>,
    },
    /// One `dependency` and its ref.
    Dep {
        r: Option<String>,
    },
}

#[derive(Clone, Copy)]
enum ListKind {
    Top,
    Nested,
    Ancestors,
    Descendants,
    Variants,
}

impl ListKind {
    fn rel(self) -> RelKind {
        match self {
            ListKind::Top | ListKind::Nested => RelKind::Contains,
            ListKind::Ancestors => RelKind::Ancestor,
            ListKind::Descendants => RelKind::Descendant,
            ListKind::Variants => RelKind::Variant,
        }
    }
}

/// A component read but not yet handed to the builder: a top-level component and everything
/// nested in it are staged until it ends, so that each is complete (fields after nested
/// components included) when added, parents before children.
struct Staged {
    comp: Component,
    /// Index of the parent in the stage and the edge kind parent → this.
    parent: Option<(usize, RelKind)>,
    /// Dependency-graph extension refs this component depends on, with their location.
    deps: Vec<(String, Location)>,
    /// `evidence/identity` concluded purl / CPEs (used when the component has none).
    evidence_purl: Option<Text>,
    evidence_cpes: ThinVec<Text>,
}

struct Reader<'a, 'b> {
    x: Scanner<'a>,
    b: &'b mut Builder,
    stack: Vec<Frame>,
    stage: Vec<Staged>,
    ids: Vec<CompId>,
    /// Component frames currently open.
    open_components: usize,
    in_metadata: bool,
    meta_supplier: Option<Party>,
    meta_manufacturer: Option<Party>,
    meta_manufacture: Option<Party>,
}

impl<'a> Reader<'a, '_> {
    fn run(&mut self) -> Result<(), IngestError> {
        while !self.stack.is_empty() {
            match self.x.next()? {
                Ev::Start(tag) => self.start(tag)?,
                Ev::End => self.end(),
                Ev::Eof => return Err(self.x.truncated()),
                Ev::Text(_) | Ev::CData(_) | Ev::Ref(_) => {}
            }
        }
        Ok(())
    }

    /// Dispatch a start tag on the innermost frame. Every branch either pushes a frame (its end
    /// tag pops it) or consumes the element up to and including its end tag.
    fn start(&mut self, tag: Tag<'a>) -> Result<(), IngestError> {
        match self.stack.last() {
            Some(Frame::Bom) => self.in_bom(tag),
            Some(Frame::Metadata) => self.in_metadata(tag),
            Some(&Frame::List {
                parent,
                kind,
                pedigree,
            }) => {
                if tag.is(b"component") {
                    self.start_component(&tag, parent.map(|p| (p, kind.rel())), false, pedigree)
                } else {
                    if tag.ns == Ns::Bom {
                        self.unknown("components", &tag);
                    }
                    self.x.skip()
                }
            }
            Some(&Frame::Component { slot }) => self.in_component(slot, tag),
            Some(&Frame::Pedigree { slot }) => {
                let kind = match tag.local() {
                    b"ancestors" if tag.ns == Ns::Bom => ListKind::Ancestors,
                    b"descendants" if tag.ns == Ns::Bom => ListKind::Descendants,
                    b"variants" if tag.ns == Ns::Bom => ListKind::Variants,
                    _ => return self.x.skip(),
                };
                self.stack.push(Frame::List {
                    parent: Some(slot),
                    kind,
                    pedigree: true,
                });
                Ok(())
            }
            Some(&Frame::Deps { owner }) => self.in_deps(owner, tag),
            Some(Frame::Dep { .. }) => self.in_dep(tag),
            None => self.x.skip(),
        }
    }

    fn end(&mut self) {
        match self.stack.pop() {
            Some(Frame::Component { slot }) => self.end_component(slot),
            Some(Frame::Metadata) => self.end_metadata(),
            _ => {}
        }
    }

    fn unknown(&mut self, context: &str, tag: &Tag<'_>) {
        let key = String::from_utf8_lossy(tag.local());
        let x = &mut self.x;
        self.b.unknown_field(context, &key, || x.location(tag.pos));
    }

    fn in_bom(&mut self, tag: Tag<'a>) -> Result<(), IngestError> {
        match tag.ns {
            Ns::Bom => match tag.local() {
                b"metadata" => {
                    self.in_metadata = true;
                    self.stack.push(Frame::Metadata);
                    Ok(())
                }
                b"components" => {
                    self.stack.push(Frame::List {
                        parent: None,
                        kind: ListKind::Top,
                        pedigree: false,
                    });
                    Ok(())
                }
                b"dependencies" => {
                    self.stack.push(Frame::Deps { owner: None });
                    Ok(())
                }
                b"services" => self.skip_declaring(&[b"service"]),
                name if BOM_KNOWN.contains(&name) => self.x.skip(),
                _ => {
                    self.unknown("bom", &tag);
                    self.x.skip()
                }
            },
            Ns::DepGraph if tag.local() == b"dependencies" => {
                self.stack.push(Frame::Deps { owner: None });
                Ok(())
            }
            _ => self.x.skip(),
        }
    }

    fn in_metadata(&mut self, tag: Tag<'a>) -> Result<(), IngestError> {
        if tag.ns != Ns::Bom {
            return self.x.skip();
        }
        match tag.local() {
            b"component" => self.start_component(&tag, None, true, false),
            b"supplier" => {
                self.meta_supplier = self.org_entity()?;
                Ok(())
            }
            b"manufacturer" => {
                self.meta_manufacturer = self.org_entity()?;
                Ok(())
            }
            b"manufacture" => {
                self.meta_manufacture = self.org_entity()?;
                Ok(())
            }
            // Tool components and services (1.5+) may be referenced by dependencies.
            b"tools" => self.skip_declaring(&[b"component", b"service"]),
            name if METADATA_KNOWN.contains(&name) => self.x.skip(),
            _ => {
                self.unknown("metadata", &tag);
                self.x.skip()
            }
        }
    }

    fn end_metadata(&mut self) {
        self.in_metadata = false;
        let supplier = self.meta_supplier.take();
        // The legacy `manufacture` is about the subject; 1.6 `metadata/manufacturer` is, by the
        // spec, the organisation that made the BOM, so it only stands in when nothing better is
        // known.
        let manufacturer = self
            .meta_manufacture
            .take()
            .or(self.meta_manufacturer.take());
        if let Some(s) = self.stage.iter_mut().find(|s| s.comp.is_metadata) {
            if s.comp.supplier.is_none() {
                s.comp.supplier = supplier;
            }
            if s.comp.manufacturer.is_none() {
                s.comp.manufacturer = manufacturer.map(Box::new);
            }
        }
        self.flush();
    }

    fn start_component(
        &mut self,
        tag: &Tag<'a>,
        parent: Option<(usize, RelKind)>,
        is_metadata: bool,
        is_pedigree: bool,
    ) -> Result<(), IngestError> {
        let mut attrs = [None, None];
        self.x.attrs(tag, &[b"bom-ref", b"type"], &mut attrs)?;
        let [bom_ref, kind] = attrs;
        let bom_ref = bom_ref.map(|r| self.b.text(&r)).unwrap_or_default();
        let kind = kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let kind = kind.map(|k| self.b.text(k));
        let location = self.x.location(tag.pos);
        let slot = self.stage.len();
        self.stage.push(Staged {
            comp: Component {
                bom_ref,
                is_metadata,
                is_pedigree,
                kind,
                location,
                ..Component::default()
            },
            parent,
            deps: Vec::new(),
            evidence_purl: None,
            evidence_cpes: ThinVec::new(),
        });
        self.stack.push(Frame::Component { slot });
        self.open_components += 1;
        Ok(())
    }

    fn end_component(&mut self, slot: usize) {
        self.open_components = self.open_components.saturating_sub(1);
        if let Some(s) = self.stage.get_mut(slot) {
            if s.comp.purl.is_none() {
                s.comp.purl = s.evidence_purl.take();
            }
            if s.comp.cpes.is_empty() {
                s.comp.cpes = std::mem::take(&mut s.evidence_cpes);
            }
            dedup_in_order(&mut s.comp.cpes);
            dedup_in_order(&mut s.comp.file_names);
            if s.comp.name.is_empty() {
                let loc = s.comp.location.clone();
                self.b.warn(
                    "missing-name",
                    "component without a name (required by CycloneDX)",
                    loc,
                );
            }
        }
        if self.open_components == 0 && !self.in_metadata {
            self.flush();
        }
    }

    /// Hand every staged component to the builder, parents first.
    fn flush(&mut self) {
        self.ids.clear();
        for s in self.stage.drain(..) {
            let metadata_name = s.comp.is_metadata.then(|| s.comp.name.clone());
            let id = self.b.add_component(s.comp);
            self.ids.push(id);
            if let Some((p, kind)) = s.parent {
                if let Some(&pid) = self.ids.get(p) {
                    self.b.edge(pid, id, kind);
                }
            }
            for (r, loc) in s.deps {
                self.b
                    .edge_id_ref(id, &r, RelKind::DependsOn(DepScope::Unspecified), loc);
            }
            if let Some(name) = metadata_name {
                self.b.root(id);
                if self.b.name.is_none() && !name.is_empty() {
                    self.b.name = Some(name.to_string());
                }
            }
        }
    }

    fn comp(&mut self, slot: usize) -> &mut Component {
        // A slot is pushed with its frame and the stage is drained only when no component
        // frame is open, so every slot named by an open frame exists.
        &mut self.stage[slot].comp
    }

    fn in_component(&mut self, slot: usize, tag: Tag<'a>) -> Result<(), IngestError> {
        match tag.ns {
            Ns::Bom => {}
            Ns::DepGraph if tag.local() == b"dependencies" => {
                self.stack.push(Frame::Deps { owner: Some(slot) });
                return Ok(());
            }
            _ => return self.x.skip(),
        }
        match tag.local() {
            b"name" => {
                let v = self.text()?.unwrap_or_default();
                self.comp(slot).name = v;
            }
            b"version" => {
                let v = self.text()?;
                self.comp(slot).version = v;
            }
            b"group" => {
                let v = self.text()?;
                self.comp(slot).group = v;
            }
            b"purl" => {
                let v = self.text()?;
                self.comp(slot).purl = v;
            }
            b"cpe" => {
                if let Some(v) = self.text()? {
                    self.comp(slot).cpes.push(v);
                }
            }
            b"description" => {
                let v = self.text()?;
                self.comp(slot).description = v;
            }
            b"copyright" => {
                let v = self.text()?;
                self.comp(slot).copyright = v;
            }
            b"publisher" => {
                let v = self.text()?;
                self.comp(slot).publisher = v;
            }
            b"scope" => {
                let v = self.text()?;
                self.comp(slot).scope = v;
            }
            b"author" => {
                // Legacy (1.2–1.5) free-text author.
                if let Some(v) = self.text()? {
                    self.comp(slot)
                        .authors
                        .push(Party::new(PartyKind::Person, v));
                }
            }
            b"authors" => {
                self.children(|r, t| {
                    if !t.is(b"author") {
                        return r.x.skip();
                    }
                    if let Some(p) = r.contact()? {
                        r.comp(slot).authors.push(p);
                    }
                    Ok(())
                })?;
            }
            b"supplier" => {
                let v = self.org_entity()?;
                self.comp(slot).supplier = v;
            }
            b"manufacturer" => {
                let v = self.org_entity()?;
                self.comp(slot).manufacturer = v.map(Box::new);
            }
            b"hashes" => {
                self.children(|r, t| {
                    if !t.is(b"hash") {
                        return r.x.skip();
                    }
                    let alg = r.x.attr(&t, b"alg")?;
                    let value = r.x.text()?;
                    if !value.trim().is_empty() {
                        let alg = r.b.text(alg.as_deref().unwrap_or(""));
                        let h = Hash::from_text(alg, r.b.text(value.trim()));
                        r.comp(slot).hashes.push(h);
                    }
                    Ok(())
                })?;
            }
            b"licenses" => self.licenses(slot)?,
            b"swid" => {
                let swid = Swid {
                    tag_id: self.x.attr(&tag, b"tagId")?.map(|v| self.b.text(&v)),
                    regid: None,
                    name: self.x.attr(&tag, b"name")?.map(|v| self.b.text(&v)),
                    version: self.x.attr(&tag, b"version")?.map(|v| self.b.text(&v)),
                };
                self.comp(slot).swid = Some(Box::new(swid));
                self.x.skip()?;
            }
            b"externalReferences" => {
                self.children(|r, t| {
                    if !t.is(b"reference") {
                        return r.x.skip();
                    }
                    let kind = r.x.attr(&t, b"type")?;
                    r.children(|r, t| {
                        if !t.is(b"url") {
                            return r.x.skip();
                        }
                        if let Some(url) = r.text()? {
                            let kind = r.b.text(kind.as_deref().unwrap_or("").trim());
                            r.comp(slot).links.push(Link { kind, url });
                        }
                        Ok(())
                    })
                })?;
            }
            b"properties" => {
                self.children(|r, t| {
                    if !t.is(b"property") {
                        return r.x.skip();
                    }
                    let name = r.x.attr(&t, b"name")?;
                    let name = r.b.text(name.as_deref().unwrap_or(""));
                    let value = r.text()?.unwrap_or_default();
                    let c = r.comp(slot);
                    if is_cpe_property(&name) && !value.is_empty() {
                        c.cpes.push(value.clone());
                    }
                    c.properties.push((name, value));
                    Ok(())
                })?;
            }
            b"evidence" => self.evidence(slot)?,
            b"components" => {
                let pedigree = self.comp(slot).is_pedigree;
                self.stack.push(Frame::List {
                    parent: Some(slot),
                    kind: ListKind::Nested,
                    pedigree,
                });
            }
            b"pedigree" => self.stack.push(Frame::Pedigree { slot }),
            name if COMPONENT_KNOWN.contains(&name) => self.x.skip()?,
            _ => {
                self.unknown("component", &tag);
                self.x.skip()?;
            }
        }
        Ok(())
    }

    /// `evidence`: occurrence locations and `filename` identity methods → file names;
    /// concluded purl / CPE identities kept aside for components without identifiers.
    fn evidence(&mut self, slot: usize) -> Result<(), IngestError> {
        let mut files: Vec<Text> = Vec::new();
        let mut purl = None;
        let mut cpes = Vec::new();
        self.children(|r, t| match t.local() {
            b"identity" if t.ns == Ns::Bom => {
                let mut field = None;
                let mut concluded = None;
                r.children(|r, t| match t.local() {
                    b"field" if t.ns == Ns::Bom => {
                        field = r.text()?;
                        Ok(())
                    }
                    b"concludedValue" if t.ns == Ns::Bom => {
                        concluded = r.text()?;
                        Ok(())
                    }
                    b"methods" if t.ns == Ns::Bom => r.children(|r, t| {
                        if !t.is(b"method") {
                            return r.x.skip();
                        }
                        let mut technique = None;
                        let mut value = None;
                        r.children(|r, t| match t.local() {
                            b"technique" if t.ns == Ns::Bom => {
                                technique = r.text()?;
                                Ok(())
                            }
                            b"value" if t.ns == Ns::Bom => {
                                value = r.text()?;
                                Ok(())
                            }
                            _ => r.x.skip(),
                        })?;
                        if let (Some("filename"), Some(v)) = (technique.as_deref(), value) {
                            files.push(v);
                        }
                        Ok(())
                    }),
                    _ => r.x.skip(),
                })?;
                match (field.as_deref(), concluded) {
                    (Some("purl"), Some(v)) => {
                        purl.get_or_insert(v);
                    }
                    (Some("cpe"), Some(v)) => cpes.push(v),
                    _ => {}
                }
                Ok(())
            }
            b"occurrences" if t.ns == Ns::Bom => r.children(|r, t| {
                if !t.is(b"occurrence") {
                    return r.x.skip();
                }
                r.children(|r, t| {
                    if !t.is(b"location") {
                        return r.x.skip();
                    }
                    if let Some(v) = r.text()? {
                        files.push(v);
                    }
                    Ok(())
                })
            }),
            _ => r.x.skip(),
        })?;
        let s = &mut self.stage[slot];
        s.comp.file_names.extend(files);
        if s.evidence_purl.is_none() {
            s.evidence_purl = purl;
        }
        s.evidence_cpes.extend(cpes);
        Ok(())
    }

    /// `licenses`: `license/id` (else `license/name`), `expression` text and the 1.7
    /// `expression-detailed/@expression`, as written.
    fn licenses(&mut self, slot: usize) -> Result<(), IngestError> {
        self.children(|r, t| {
            if t.ns != Ns::Bom {
                return r.x.skip();
            }
            match t.local() {
                b"license" => {
                    let mut id = None;
                    let mut name = None;
                    r.children(|r, t| match t.local() {
                        b"id" if t.ns == Ns::Bom => {
                            id = r.text()?;
                            Ok(())
                        }
                        b"name" if t.ns == Ns::Bom => {
                            name = r.text()?;
                            Ok(())
                        }
                        _ => r.x.skip(),
                    })?;
                    if let Some(l) = id.or(name) {
                        r.comp(slot).licenses.push(l);
                    }
                    Ok(())
                }
                b"expression" => {
                    if let Some(e) = r.text()? {
                        r.comp(slot).licenses.push(e);
                    }
                    Ok(())
                }
                b"expression-detailed" => {
                    let e = r.x.attr(&t, b"expression")?;
                    if let Some(e) = e.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                        let e = r.b.text(e);
                        r.comp(slot).licenses.push(e);
                    }
                    r.x.skip()
                }
                _ => r.x.skip(),
            }
        })
    }

    /// An `organizationalEntity` (supplier, manufacturer): name, urls, contacts' e-mails,
    /// address. `None` when it says nothing.
    fn org_entity(&mut self) -> Result<Option<Party>, IngestError> {
        let mut p = Party::new(PartyKind::Organization, "");
        self.children(|r, t| {
            if t.ns != Ns::Bom {
                return r.x.skip();
            }
            match t.local() {
                b"name" => {
                    p.name = r.text()?.unwrap_or_default();
                    Ok(())
                }
                b"url" => {
                    if let Some(u) = r.text()? {
                        p.urls.push(u);
                    }
                    Ok(())
                }
                b"contact" => {
                    if let Some(c) = r.contact()? {
                        p.emails.extend(c.emails);
                    }
                    Ok(())
                }
                b"address" => {
                    let mut a = Address::default();
                    r.children(|r, t| {
                        if t.ns != Ns::Bom {
                            return r.x.skip();
                        }
                        let field = match t.local() {
                            b"country" => &mut a.country,
                            b"region" => &mut a.region,
                            b"locality" => &mut a.locality,
                            b"postalCode" => &mut a.postal_code,
                            b"streetAddress" => &mut a.street,
                            _ => return r.x.skip(),
                        };
                        *field = r.text()?;
                        Ok(())
                    })?;
                    if a != Address::default() {
                        p.addresses.push(a);
                    }
                    Ok(())
                }
                _ => r.x.skip(),
            }
        })?;
        let empty = p.name.is_empty() && p.urls.is_empty() && p.emails.is_empty();
        Ok((!empty || !p.addresses.is_empty()).then_some(p))
    }

    /// An `organizationalContact` (a 1.6 author, a supplier contact): name and e-mail.
    fn contact(&mut self) -> Result<Option<Party>, IngestError> {
        let mut p = Party::new(PartyKind::Person, "");
        self.children(|r, t| {
            if t.ns != Ns::Bom {
                return r.x.skip();
            }
            match t.local() {
                b"name" => {
                    p.name = r.text()?.unwrap_or_default();
                    Ok(())
                }
                b"email" => {
                    if let Some(e) = r.text()? {
                        p.emails.push(e);
                    }
                    Ok(())
                }
                _ => r.x.skip(),
            }
        })?;
        Ok((!p.name.is_empty() || !p.emails.is_empty()).then_some(p))
    }

    /// `dependencies`: each `dependency` child opens a frame; inside a component (the 1.1
    /// extension) the component depends on each listed ref.
    fn in_deps(&mut self, owner: Option<usize>, tag: Tag<'a>) -> Result<(), IngestError> {
        if tag.local() != b"dependency" || tag.ns == Ns::Other {
            if tag.ns == Ns::Bom {
                self.unknown("dependencies", &tag);
            }
            return self.x.skip();
        }
        let r = self.dep_ref(&tag)?;
        if let (Some(slot), Some(r)) = (owner, &r) {
            let loc = self.x.location(tag.pos);
            self.stage[slot].deps.push((r.clone(), loc));
        }
        self.stack.push(Frame::Dep { r });
        Ok(())
    }

    /// Inside a `dependency`: nested `dependency` → depends-on edge from the enclosing ref,
    /// `provides` (1.6+) → `Other("provides")`.
    fn in_dep(&mut self, tag: Tag<'a>) -> Result<(), IngestError> {
        let local = tag.local();
        let provides = local == b"provides" && tag.ns == Ns::Bom;
        if !(provides || (local == b"dependency" && tag.ns != Ns::Other)) {
            return self.x.skip();
        }
        let child = self.dep_ref(&tag)?;
        if let (Some(Frame::Dep { r: Some(parent) }), Some(child)) = (self.stack.last(), &child) {
            let loc = self.x.location(tag.pos);
            let kind = if provides {
                RelKind::Other("provides".into())
            } else {
                RelKind::DependsOn(DepScope::Unspecified)
            };
            self.b.edge_by_ref(parent, child, kind, loc);
        }
        if provides {
            self.x.skip()
        } else {
            self.stack.push(Frame::Dep { r: child });
            Ok(())
        }
    }

    /// The `ref` of a dependency; a missing or empty one is a warning.
    fn dep_ref(&mut self, tag: &Tag<'a>) -> Result<Option<String>, IngestError> {
        let r = self.x.attr(tag, b"ref")?;
        if let Some(Cow::Borrowed(r)) = &r {
            // Nothing of a dependency list is kept as text: say how far the reading got.
            self.b.passed(r);
        }
        match r.map(Cow::into_owned) {
            Some(r) if !r.is_empty() => Ok(Some(r)),
            _ => {
                let loc = self.x.location(tag.pos);
                self.b.warn(
                    "missing-ref",
                    format!(
                        "<{}> without a `ref`; its edges are ignored",
                        String::from_utf8_lossy(tag.local())
                    ),
                    loc,
                );
                Ok(None)
            }
        }
    }

    /// Skip the current element, declaring the `bom-ref` of every CycloneDX element named in
    /// `names` inside it as a non-component (services, tools).
    fn skip_declaring(&mut self, names: &[&[u8]]) -> Result<(), IngestError> {
        let target = self.x.depth().saturating_sub(1);
        loop {
            match self.x.next()? {
                Ev::Start(t) if t.ns == Ns::Bom && names.contains(&t.local()) => {
                    if let Some(r) = self.x.attr(&t, b"bom-ref")? {
                        self.b.add_non_component(r.into_owned());
                    }
                }
                Ev::End if self.x.depth() == target => return Ok(()),
                Ev::Eof => return Err(self.x.truncated()),
                _ => {}
            }
        }
    }

    /// Call `f` for each child element of the element whose start tag was just read; `f`
    /// must consume the child (read its text, recurse, or skip it). Consumes the end tag.
    fn children(
        &mut self,
        mut f: impl FnMut(&mut Self, Tag<'a>) -> Result<(), IngestError>,
    ) -> Result<(), IngestError> {
        loop {
            match self.x.next()? {
                Ev::Start(t) => f(self, t)?,
                Ev::End => return Ok(()),
                Ev::Eof => return Err(self.x.truncated()),
                Ev::Text(_) | Ev::CData(_) | Ev::Ref(_) => {}
            }
        }
    }

    /// Trimmed text of the current element; `None` when empty.
    fn text(&mut self) -> Result<Option<Text>, IngestError> {
        let t = self.x.text()?;
        let trimmed = t.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.b.text(trimmed)))
    }

    /// After the root's end tag: anything but whitespace, comments and processing
    /// instructions is ignored with a warning.
    fn trailing(&mut self) -> Result<(), IngestError> {
        loop {
            let ev = match self.x.next() {
                Ok(ev) => ev,
                Err(_) => {
                    self.b.warn(
                        "trailing-content",
                        "unreadable content after the end of <bom> is ignored",
                        Location::none(),
                    );
                    return Ok(());
                }
            };
            let junk = match ev {
                Ev::Eof => return Ok(()),
                Ev::Text(t) => t.iter().any(|c| !c.is_ascii_whitespace()),
                Ev::Start(_) | Ev::End | Ev::CData(_) | Ev::Ref(_) => true,
            };
            if junk {
                self.b.warn(
                    "trailing-content",
                    "content after the end of <bom> is ignored",
                    Location::none(),
                );
                return Ok(());
            }
        }
    }

    fn report_oddities(&mut self) {
        let odd = std::mem::take(&mut self.x.odd);
        if let Some((first, pos)) = odd.first_unknown_entity {
            let loc = self.x.location(pos);
            self.b.warn(
                "unknown-entity",
                format!(
                    "{} reference(s) to undeclared or external entities (first: {first}) kept as written; entities are never expanded",
                    odd.unknown_entities
                ),
                loc,
            );
        }
        if let Some(pos) = odd.first_dangling_amp {
            let loc = self.x.location(pos);
            self.b.warn(
                "dangling-ampersand",
                format!(
                    "{} bare `&` in text (ill-formed XML) kept as text",
                    odd.dangling_amps
                ),
                loc,
            );
        }
    }
}

/// Drop repeated values, keeping the first of each (linear, for hostile repetition counts).
fn dedup_in_order(v: &mut ThinVec<Text>) {
    if v.len() < 2 {
        return;
    }
    let keep: Vec<bool> = {
        let mut seen = rustc_hash::FxHashSet::default();
        v.iter().map(|s| seen.insert(s.as_str())).collect()
    };
    let mut keep = keep.into_iter();
    v.retain(|_| keep.next().unwrap_or(true));
}

/// Properties that carry extra CPEs (`syft:cpe23`, `…:cpe`).
fn is_cpe_property(name: &str) -> bool {
    let last = name.rsplit(':').next().unwrap_or(name);
    last.eq_ignore_ascii_case("cpe23") || last.eq_ignore_ascii_case("cpe")
}
