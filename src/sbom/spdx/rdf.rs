//! SPDX 2 RDF/XML: a small RDF/XML reader for the SPDX vocabulary (`http://spdx.org/rdf/terms#`).
//!
//! Two steps. First the XML becomes a compact element tree (namespace-resolved names, the
//! `rdf:about` / `rdf:resource` / `rdf:nodeID` / `rdf:parseType` attributes, text, line).
//! Then the tree is read as striped RDF/XML: node elements (typed `spdx:Package`, or
//! `rdf:Description` with an `rdf:type`) alternate with property elements, whose object is an
//! `rdf:resource`, an `rdf:nodeID`, a nested node element, or a literal.
//!
//! - Element ids are the fragment after `#` of the node's URI, percent-decoded (`SPDXRef-x`).
//!   A URI in another document's namespace becomes `DocumentRef-<id>:<fragment>` through the
//!   document's `spdx:externalDocumentRef`s; `spdx:noassertion` / `spdx:none` become
//!   `NOASSERTION` / `NONE`.
//! - A package or file may be described in several places (nested where it is first used, then
//!   referenced by URI): the descriptions are merged, the first value of each field winning. The
//!   component's location is its first description's line.
//! - Relationships (`spdx:relationship` / `spdx:Relationship`) belong to the node they sit in;
//!   their type is the `relationshipType_*` resource in camel case, converted to the upper snake
//!   case of the other serialisations. `spdx:hasFile`, `spdx:describesPackage` and the 2.0
//!   `spdx:referencesFile` are read too.
//! - Licences written as RDF structures (`DisjunctiveLicenseSet`, `WithExceptionOperator`,
//!   `ListedLicense`, ...) are turned back into SPDX licence expressions.
//! - Properties outside what bomvet reads are skipped without a warning (the SPDX ontology is
//!   large and open); nested nodes below them are still visited, so no package is missed.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use rustc_hash::FxHashMap;

use super::ingest::{Ingest, LocMode};
use super::relationships::from_rdf_name;
use super::wire::{Checksum, ExternalRef, File, FlexBool, Package, Relationship, Str};
use super::xmlutil::{reborrow, resolve_ref, xml_error, LineCounter, TextAcc};
use crate::sbom::error::line_col;
use crate::sbom::{Builder, IngestError, Limits, Location};

const FORMAT: &str = "SPDX RDF/XML";
const SPDX_NS: &str = "http://spdx.org/rdf/terms#";
const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS_NS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const DOAP_NS: &str = "http://usefulinc.com/ns/doap#";
const LICENSES_PREFIX: &str = "http://spdx.org/licenses/";
const REFERENCES_PREFIX: &str = "http://spdx.org/rdf/references/";
const NONE_IDX: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Spdx,
    Rdf,
    Rdfs,
    Doap,
    Other,
}

fn ns_of(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(ns) => match ns.as_ref() {
            b if b == SPDX_NS.as_bytes() => Ns::Spdx,
            b if b == RDF_NS.as_bytes() => Ns::Rdf,
            b if b == RDFS_NS.as_bytes() => Ns::Rdfs,
            b if b == DOAP_NS.as_bytes() => Ns::Doap,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

/// One XML element of the tree.
struct Node<'a> {
    ns: Ns,
    local: Cow<'a, str>,
    about: Option<String>,
    resource: Option<String>,
    node_id: Option<String>,
    parse_resource: bool,
    text: Option<TextAcc<'a>>,
    first_child: u32,
    last_child: u32,
    next: u32,
    line: u32,
}

impl Node<'_> {
    fn is(&self, ns: Ns, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    root: u32,
}

impl<'a> Tree<'a> {
    fn children(&self, i: u32) -> Children<'_, 'a> {
        Children {
            tree: self,
            next: self
                .nodes
                .get(i as usize)
                .map_or(NONE_IDX, |n| n.first_child),
        }
    }

    fn node(&self, i: u32) -> &Node<'a> {
        &self.nodes[i as usize]
    }

    /// The literal text of a property element (trimmed; `None` when empty).
    fn text(&mut self, i: u32) -> Option<Str<'a>> {
        let t = self.nodes.get_mut(i as usize)?.text.take()?.take();
        let trimmed = t.trim();
        if trimmed.is_empty() {
            return None;
        }
        Some(if trimmed.len() == t.len() {
            Str(t)
        } else {
            match t {
                Cow::Borrowed(b) => Str::borrowed(b.trim()),
                Cow::Owned(o) => Str::owned(o.trim().to_string()),
            }
        })
    }
}

struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next == NONE_IDX {
            return None;
        }
        let i = self.next;
        self.next = self.tree.nodes.get(i as usize).map_or(NONE_IDX, |n| n.next);
        Some(i)
    }
}

fn parse_tree<'a>(text: &'a str, limits: &Limits) -> Result<Tree<'a>, IngestError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut lines = LineCounter::new(text);
    let mut nodes: Vec<Node<'a>> = Vec::new();
    let mut stack: Vec<u32> = Vec::new();
    let mut root = NONE_IDX;
    loop {
        let pos = reader.buffer_position() as usize;
        let (ns, ev) = match reader.read_resolved_event() {
            Ok((r, ev)) => (ns_of(&r), ev),
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(xml_error(FORMAT, text, at, &e));
            }
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(ev, Event::Start(_));
                if stack.len() >= limits.max_depth {
                    return Err(IngestError::TooDeep {
                        limit: limits.max_depth,
                        location: Location::line(lines.line_at(pos)),
                    });
                }
                let idx = nodes.len() as u32;
                let mut node = new_node(text, &reader, e, ns, lines.line_at(pos))
                    .map_err(|e| xml_error(FORMAT, text, pos, &e))?;
                if let Some(&parent) = stack.last() {
                    let p = &mut nodes[parent as usize];
                    // Text around child elements is formatting, not a value.
                    p.text = None;
                    if p.first_child == NONE_IDX {
                        p.first_child = idx;
                    } else {
                        let last = p.last_child;
                        nodes[last as usize].next = idx;
                    }
                    nodes[parent as usize].last_child = idx;
                } else if root == NONE_IDX {
                    root = idx;
                }
                if !is_start {
                    node.text = None;
                }
                nodes.push(node);
                if is_start {
                    stack.push(idx);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                if let Some(&top) = stack.last() {
                    let n = &mut nodes[top as usize];
                    if n.first_child == NONE_IDX {
                        if let Some(acc) = &mut n.text {
                            let s = t.xml10_content().map_err(|e| {
                                xml_error(FORMAT, text, pos, &quick_xml::Error::from(e))
                            })?;
                            acc.push(s);
                        }
                    }
                }
            }
            Event::CData(t) => {
                if let Some(&top) = stack.last() {
                    let n = &mut nodes[top as usize];
                    if n.first_child == NONE_IDX {
                        if let Some(acc) = &mut n.text {
                            let s = t.decode().map_err(|e| {
                                xml_error(FORMAT, text, pos, &quick_xml::Error::from(e))
                            })?;
                            acc.push(s);
                        }
                    }
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&top) = stack.last() {
                    let n = &mut nodes[top as usize];
                    if n.first_child == NONE_IDX {
                        if let Some(acc) = &mut n.text {
                            acc.push_str(&resolve_ref(&r));
                        }
                    }
                }
            }
            Event::Eof => {
                if !stack.is_empty() {
                    let (line, column) = line_col(text, text.len());
                    return Err(IngestError::Truncated {
                        format: FORMAT,
                        line,
                        column,
                    });
                }
                break;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    Ok(Tree { nodes, root })
}

fn new_node<'a>(
    text: &'a str,
    reader: &NsReader<&'a [u8]>,
    e: &BytesStart<'_>,
    ns: Ns,
    line: u32,
) -> Result<Node<'a>, quick_xml::Error> {
    let local = e.local_name();
    let local = match reborrow(text, local.as_ref()) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(String::from_utf8_lossy(local.as_ref()).into_owned()),
    };
    let mut node = Node {
        ns,
        local,
        about: None,
        resource: None,
        node_id: None,
        parse_resource: false,
        text: Some(TextAcc::default()),
        first_child: NONE_IDX,
        last_child: NONE_IDX,
        next: NONE_IDX,
        line,
    };
    for attr in e.attributes().with_checks(false) {
        let attr = attr?;
        let (r, local) = reader.resolve_attribute(attr.key);
        if ns_of(&r) != Ns::Rdf {
            continue;
        }
        let slot = match local.as_ref() {
            b"about" => &mut node.about,
            b"resource" => &mut node.resource,
            b"nodeID" => &mut node.node_id,
            b"parseType" => {
                node.parse_resource = &*attr.unescape_value()? == "Resource";
                continue;
            }
            _ => continue,
        };
        *slot = Some(attr.unescape_value()?.into_owned());
    }
    Ok(node)
}

/// Decode `%XX` escapes (fragments of SPDX element URIs, e.g. `%3A` for `:`).
fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// What a node element describes, as far as bomvet cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Document,
    Package,
    File,
    Snippet,
    Relationship,
    Other,
}

enum Record<'a> {
    Package(Box<Package<'a>>),
    File(Box<File<'a>>),
}

struct Reader<'t, 'a> {
    tree: &'t mut Tree<'a>,
    doc_ns: String,
    external: FxHashMap<String, String>,
    blank: usize,
    records: Vec<Record<'a>>,
    by_id: FxHashMap<String, usize>,
    snippets: Vec<(String, u32)>,
    relationships: Vec<Relationship<'a>>,
    describes: Vec<(String, u32)>,
    doc_id: Option<String>,
    doc_line: Option<u32>,
    spec_version: Option<Str<'a>>,
    name: Option<Str<'a>>,
    conflicts: Vec<(String, u32)>,
}

impl<'t, 'a> Reader<'t, 'a> {
    /// Element id of a URI: see the module docs.
    fn id_from_uri(&self, uri: &str) -> String {
        let uri = uri.trim();
        let Some(hash) = uri.rfind('#') else {
            return uri.to_string();
        };
        let (base, frag) = (&uri[..hash], percent_decode(&uri[hash + 1..]));
        if base == self.doc_ns || self.doc_ns.is_empty() {
            return frag.into_owned();
        }
        if let Some(docref) = self.external.get(base) {
            return format!("{docref}:{frag}");
        }
        if format!("{base}#") == SPDX_NS {
            return match &*frag {
                "noassertion" => "NOASSERTION".into(),
                "none" => "NONE".into(),
                other => other.to_string(),
            };
        }
        uri.to_string()
    }

    fn class(&self, n: u32) -> Class {
        let node = self.tree.node(n);
        let name: Cow<'_, str> = if node.is(Ns::Rdf, "Description") {
            let ty = self
                .tree
                .children(n)
                .map(|c| self.tree.node(c))
                .find(|c| c.is(Ns::Rdf, "type"))
                .and_then(|c| c.resource.as_deref())
                .and_then(|r| r.strip_prefix(SPDX_NS));
            match ty {
                Some(t) => Cow::Owned(t.to_string()),
                None => return Class::Other,
            }
        } else if node.ns == Ns::Spdx {
            Cow::Borrowed(&*node.local)
        } else {
            return Class::Other;
        };
        match &*name {
            "SpdxDocument" => Class::Document,
            "Package" => Class::Package,
            "File" => Class::File,
            "Snippet" => Class::Snippet,
            "Relationship" => Class::Relationship,
            _ => Class::Other,
        }
    }

    fn subject(&mut self, n: u32) -> String {
        let node = self.tree.node(n);
        if let Some(about) = &node.about {
            return self.id_from_uri(about);
        }
        if let Some(id) = &node.node_id {
            return format!("_:{id}");
        }
        self.blank += 1;
        format!("_:bomvet{}", self.blank)
    }

    /// The object of property `p` as an element id: a resource, a blank node id, a nested node
    /// (read on the way), or the literal text.
    fn object(&mut self, p: u32) -> Option<String> {
        let node = self.tree.node(p);
        if let Some(r) = &node.resource {
            return Some(self.id_from_uri(r));
        }
        if let Some(id) = &node.node_id {
            return Some(format!("_:{id}"));
        }
        if let Some(child) = self.tree.children(p).next() {
            return Some(self.node(child));
        }
        self.tree.text(p).map(|s| s.0.into_owned())
    }

    /// A literal property value; a resource (`spdx:noassertion`) reads as its id.
    fn literal(&mut self, p: u32) -> Option<Str<'a>> {
        if let Some(r) = self.tree.node(p).resource.clone() {
            return Some(Str::owned(self.id_from_uri(&r)));
        }
        self.tree.text(p)
    }

    /// The last segment of a vocabulary resource (`...#purpose_library` → `purpose_library`).
    fn vocab(&mut self, p: u32) -> Option<String> {
        if let Some(r) = &self.tree.node(p).resource {
            let tail = r.rsplit(['#', '/']).next().unwrap_or(r);
            return Some(tail.to_string());
        }
        self.tree.text(p).map(|s| s.0.into_owned())
    }

    /// A licence property as an SPDX licence expression.
    fn license(&mut self, p: u32) -> Option<String> {
        if let Some(r) = self.tree.node(p).resource.clone() {
            return Some(self.license_uri(&r));
        }
        if let Some(child) = self.tree.children(p).next() {
            return self.license_node(child);
        }
        self.tree.text(p).map(|s| s.0.into_owned())
    }

    fn license_uri(&self, uri: &str) -> String {
        if let Some(id) = uri.strip_prefix(LICENSES_PREFIX) {
            return id.trim_end_matches(".html").to_string();
        }
        self.id_from_uri(uri)
    }

    fn license_node(&mut self, n: u32) -> Option<String> {
        let node = self.tree.node(n);
        let local = node.local.to_string();
        let about = node.about.clone();
        let props: Vec<u32> = self.tree.children(n).collect();
        let member = |r: &mut Self, name: &str| -> Vec<String> {
            let wanted: Vec<u32> = props
                .iter()
                .copied()
                .filter(|&c| r.tree.node(c).is(Ns::Spdx, name))
                .collect();
            wanted.into_iter().filter_map(|c| r.license(c)).collect()
        };
        match local.as_str() {
            "ConjunctiveLicenseSet" | "DisjunctiveLicenseSet" => {
                let op = if local.starts_with('C') {
                    " AND "
                } else {
                    " OR "
                };
                let mut m = member(self, "member");
                m.sort();
                match m.len() {
                    0 => None,
                    1 => m.pop(),
                    _ => Some(format!("({})", m.join(op))),
                }
            }
            "WithExceptionOperator" => {
                let lic = member(self, "member").pop()?;
                let exc = props
                    .iter()
                    .find(|&&c| self.tree.node(c).is(Ns::Spdx, "licenseException"))
                    .copied()
                    .and_then(|c| self.exception(c));
                Some(match exc {
                    Some(e) => format!("{lic} WITH {e}"),
                    None => lic,
                })
            }
            "OrLaterOperator" => member(self, "member").pop().map(|l| format!("{l}+")),
            _ => {
                if let Some(a) = about {
                    return Some(self.license_uri(&a));
                }
                let id = props
                    .iter()
                    .find(|&&c| self.tree.node(c).is(Ns::Spdx, "licenseId"))
                    .copied()?;
                self.tree.text(id).map(|s| s.0.into_owned())
            }
        }
    }

    fn exception(&mut self, p: u32) -> Option<String> {
        if let Some(r) = &self.tree.node(p).resource {
            return Some(r.rsplit(['/', '#']).next().unwrap_or(r).to_string());
        }
        let child = self.tree.children(p).next()?;
        let id = self
            .tree
            .children(child)
            .find(|&c| self.tree.node(c).is(Ns::Spdx, "licenseExceptionId"))?;
        self.tree.text(id).map(|s| s.0.into_owned())
    }

    fn checksum(&mut self, p: u32) -> Option<Checksum<'a>> {
        let node = self.tree.children(p).next()?;
        let mut c = Checksum::default();
        let props: Vec<u32> = self.tree.children(node).collect();
        for q in props {
            let n = self.tree.node(q);
            if n.is(Ns::Spdx, "algorithm") {
                c.algorithm = self.vocab(q).map(|a| {
                    Str::owned(
                        a.strip_prefix("checksumAlgorithm_")
                            .unwrap_or(&a)
                            .to_uppercase(),
                    )
                });
            } else if n.is(Ns::Spdx, "checksumValue") {
                c.value = self.tree.text(q);
            }
        }
        Some(c)
    }

    fn external_ref(&mut self, p: u32) -> Option<ExternalRef<'a>> {
        let node = self.tree.children(p).next()?;
        let mut r = ExternalRef::default();
        let props: Vec<u32> = self.tree.children(node).collect();
        for q in props {
            let n = self.tree.node(q);
            if n.is(Ns::Spdx, "referenceCategory") {
                r.category = self.vocab(q).map(|c| {
                    let c = c
                        .strip_prefix("referenceCategory_")
                        .unwrap_or(&c)
                        .to_string();
                    Str::owned(from_rdf_name(&c).replace('_', "-"))
                });
            } else if n.is(Ns::Spdx, "referenceType") {
                let res = n.resource.clone();
                r.kind = match res {
                    // A listed reference type: its name; any other type is kept as its URI.
                    Some(uri) => Some(Str::owned(match uri.strip_prefix(REFERENCES_PREFIX) {
                        Some(t) => t.to_string(),
                        None => uri,
                    })),
                    None => self.object(q).map(Str::owned),
                };
            } else if n.is(Ns::Spdx, "referenceLocator") {
                r.locator = self.tree.text(q);
            }
        }
        Some(r)
    }

    fn relationship(&mut self, subject: &str, p: u32) {
        let Some(node) = self.tree.children(p).next() else {
            return;
        };
        let mut rel = Relationship {
            element: Some(Str::owned(subject.to_string())),
            line: Some(self.tree.node(node).line),
            ..Relationship::default()
        };
        let props: Vec<u32> = self.tree.children(node).collect();
        for q in props {
            let n = self.tree.node(q);
            if n.is(Ns::Spdx, "relatedSpdxElement") {
                rel.related = self.object(q).map(Str::owned);
            } else if n.is(Ns::Spdx, "relationshipType") {
                rel.kind = self.vocab(q).map(|t| Str::owned(from_rdf_name(&t)));
            } else if n.is(Ns::Spdx, "spdxElementId") {
                rel.element = self.object(q).map(Str::owned);
            } else {
                self.visit_nested(q);
            }
        }
        self.relationships.push(rel);
    }

    /// Visit node elements below a property bomvet does not read (they may be packages).
    fn visit_nested(&mut self, p: u32) {
        if self.tree.node(p).parse_resource {
            let kids: Vec<u32> = self.tree.children(p).collect();
            for k in kids {
                self.visit_nested(k);
            }
            return;
        }
        let kids: Vec<u32> = self.tree.children(p).collect();
        for k in kids {
            self.node(k);
        }
    }

    /// Read a node element; returns its id.
    fn node(&mut self, n: u32) -> String {
        let class = self.class(n);
        let id = self.subject(n);
        let line = self.tree.node(n).line;
        let props: Vec<u32> = self.tree.children(n).collect();
        match class {
            Class::Package => {
                let mut p = Package {
                    spdxid: Some(Str::owned(id.clone())),
                    line: Some(line),
                    ..Package::default()
                };
                for q in props {
                    self.package_prop(&id, &mut p, q);
                }
                self.merge(id.clone(), Record::Package(Box::new(p)), line);
            }
            Class::File => {
                let mut f = File {
                    spdxid: Some(Str::owned(id.clone())),
                    line: Some(line),
                    ..File::default()
                };
                for q in props {
                    self.file_prop(&id, &mut f, q);
                }
                self.merge(id.clone(), Record::File(Box::new(f)), line);
            }
            Class::Document => {
                if self.doc_id.is_none() {
                    self.doc_id = Some(id.clone());
                    self.doc_line = Some(line);
                }
                for q in props {
                    self.document_prop(&id, q);
                }
            }
            Class::Snippet => {
                self.snippets.push((id.clone(), line));
                for q in props {
                    self.common_prop(&id, q);
                }
            }
            Class::Relationship | Class::Other => {
                for q in props {
                    self.common_prop(&id, q);
                }
            }
        }
        id
    }

    fn common_prop(&mut self, subject: &str, q: u32) {
        if self.tree.node(q).is(Ns::Spdx, "relationship") {
            self.relationship(subject, q);
        } else {
            self.visit_nested(q);
        }
    }

    fn package_prop(&mut self, id: &str, p: &mut Package<'a>, q: u32) {
        let n = self.tree.node(q);
        let name = if n.ns == Ns::Spdx || (n.ns == Ns::Doap && n.local == "homepage") {
            n.local.to_string()
        } else {
            return self.visit_nested(q);
        };
        match name.as_str() {
            "name" => p.name = self.tree.text(q),
            "versionInfo" => p.version = self.tree.text(q),
            "supplier" => p.supplier = self.literal(q),
            "originator" => p.originator = self.literal(q),
            "downloadLocation" => p.download_location = self.literal(q),
            "homepage" => p.homepage = self.literal(q),
            "sourceInfo" => p.source_info = self.tree.text(q),
            "externalRef" => p.external_refs.extend(self.external_ref(q)),
            "checksum" => p.checksums.extend(self.checksum(q)),
            "licenseConcluded" => p.license_concluded = self.license(q).map(Str::owned),
            "licenseDeclared" => p.license_declared = self.license(q).map(Str::owned),
            "copyrightText" => p.copyright = self.literal(q),
            "description" => p.description = self.tree.text(q),
            "summary" => p.summary = self.tree.text(q),
            "packageFileName" => p.file_name = self.tree.text(q),
            "filesAnalyzed" => {
                p.files_analyzed = FlexBool(self.tree.text(q).and_then(|t| {
                    if t.eq_ignore_ascii_case("true") {
                        Some(true)
                    } else if t.eq_ignore_ascii_case("false") {
                        Some(false)
                    } else {
                        None
                    }
                }))
            }
            "hasFile" => {
                if let Some(f) = self.object(q) {
                    p.has_files.push(Str::owned(f));
                }
            }
            "primaryPackagePurpose" => {
                p.purpose = self.vocab(q).map(|v| {
                    Str::owned(
                        v.strip_prefix("purpose_")
                            .unwrap_or(&v)
                            .to_ascii_uppercase(),
                    )
                })
            }
            _ => self.common_prop(id, q),
        }
    }

    fn file_prop(&mut self, id: &str, f: &mut File<'a>, q: u32) {
        let n = self.tree.node(q);
        if n.ns != Ns::Spdx {
            return self.visit_nested(q);
        }
        let name = n.local.to_string();
        match name.as_str() {
            "fileName" => f.name = self.tree.text(q),
            "checksum" => f.checksums.extend(self.checksum(q)),
            "licenseConcluded" => f.license_concluded = self.license(q).map(Str::owned),
            "copyrightText" => f.copyright = self.literal(q),
            "fileContributor" => f.contributors.extend(self.tree.text(q)),
            _ => self.common_prop(id, q),
        }
    }

    fn document_prop(&mut self, id: &str, q: u32) {
        let n = self.tree.node(q);
        if n.ns != Ns::Spdx {
            return self.visit_nested(q);
        }
        let name = n.local.to_string();
        let line = n.line;
        match name.as_str() {
            "specVersion" => self.spec_version = self.tree.text(q),
            "name" => self.name = self.tree.text(q),
            "describesPackage" | "referencesFile" => {
                if let Some(x) = self.object(q) {
                    self.describes.push((x, line));
                }
            }
            _ => self.common_prop(id, q),
        }
    }

    /// Merge one description into the record of its element (first value of each field wins).
    fn merge(&mut self, id: String, rec: Record<'a>, line: u32) {
        let Some(&i) = self.by_id.get(&id) else {
            self.by_id.insert(id, self.records.len());
            self.records.push(rec);
            return;
        };
        fn opt<T>(a: &mut Option<T>, b: Option<T>) {
            if a.is_none() {
                *a = b;
            }
        }
        fn vec<T>(a: &mut Vec<T>, b: Vec<T>) {
            if a.is_empty() {
                *a = b;
            }
        }
        match (&mut self.records[i], rec) {
            (Record::Package(a), Record::Package(b)) => {
                let b = *b;
                opt(&mut a.name, b.name);
                opt(&mut a.version, b.version);
                opt(&mut a.supplier, b.supplier);
                opt(&mut a.originator, b.originator);
                opt(&mut a.download_location, b.download_location);
                opt(&mut a.homepage, b.homepage);
                opt(&mut a.source_info, b.source_info);
                vec(&mut a.external_refs, b.external_refs);
                vec(&mut a.checksums, b.checksums);
                opt(&mut a.license_concluded, b.license_concluded);
                opt(&mut a.license_declared, b.license_declared);
                opt(&mut a.copyright, b.copyright);
                opt(&mut a.description, b.description);
                opt(&mut a.summary, b.summary);
                opt(&mut a.file_name, b.file_name);
                if a.files_analyzed.0.is_none() {
                    a.files_analyzed = b.files_analyzed;
                }
                a.has_files.extend(b.has_files);
                opt(&mut a.purpose, b.purpose);
            }
            (Record::File(a), Record::File(b)) => {
                let b = *b;
                opt(&mut a.name, b.name);
                vec(&mut a.checksums, b.checksums);
                opt(&mut a.license_concluded, b.license_concluded);
                opt(&mut a.copyright, b.copyright);
                vec(&mut a.contributors, b.contributors);
            }
            _ => self.conflicts.push((id, line)),
        }
    }
}

/// Read SPDX 2 RDF/XML.
pub fn read(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    let mut tree = parse_tree(text, limits)?;
    if tree.root == NONE_IDX {
        return Err(IngestError::Empty);
    }
    let (doc_ns, external) = namespaces(&tree);
    let mut r = Reader {
        tree: &mut tree,
        doc_ns,
        external,
        blank: 0,
        records: Vec::new(),
        by_id: FxHashMap::default(),
        snippets: Vec::new(),
        relationships: Vec::new(),
        describes: Vec::new(),
        doc_id: None,
        doc_line: None,
        spec_version: None,
        name: None,
        conflicts: Vec::new(),
    };
    let root = r.tree.root;
    if r.tree.node(root).is(Ns::Rdf, "RDF") {
        let tops: Vec<u32> = r.tree.children(root).collect();
        for n in tops {
            r.node(n);
        }
    } else {
        // A lone node element without the rdf:RDF wrapper.
        r.node(root);
    }

    let mut ing = Ingest::new(b, LocMode::Line);
    if let Some(line) = r.doc_line {
        ing.document_line(line);
    }
    if let Some(v) = &r.spec_version {
        ing.spec_version(v);
    }
    if let Some(id) = &r.doc_id {
        ing.document_id(id);
    }
    if let Some(n) = &r.name {
        ing.document_name(n);
    }
    if !r.doc_ns.is_empty() {
        ing.namespace(&r.doc_ns);
    }
    for (id, line) in std::mem::take(&mut r.conflicts) {
        ing.b.warn(
            "conflicting-type",
            format!("{id:?} is described both as a package and as a file; the first is kept"),
            Location::line(line),
        );
    }
    for rec in std::mem::take(&mut r.records) {
        match rec {
            Record::Package(p) => {
                ing.package(*p);
            }
            Record::File(f) => {
                ing.file(*f);
            }
        }
    }
    for (id, line) in std::mem::take(&mut r.snippets) {
        ing.snippet(super::wire::Snippet {
            spdxid: Some(Str::owned(id)),
            line: Some(line),
            unknown: Vec::new(),
        });
    }
    for rel in std::mem::take(&mut r.relationships) {
        ing.relationship(rel);
    }
    for (id, line) in std::mem::take(&mut r.describes) {
        ing.describes(&id, Some(line));
    }
    ing.finish();
    Ok(())
}

/// The document's namespace (its URI without `#SPDXRef-DOCUMENT`) and the namespaces of the
/// external documents it names, mapped to their `DocumentRef-` ids.
fn namespaces(tree: &Tree<'_>) -> (String, FxHashMap<String, String>) {
    let mut doc_ns = String::new();
    let mut external = FxHashMap::default();
    for (i, n) in tree.nodes.iter().enumerate() {
        if n.is(Ns::Spdx, "SpdxDocument") && doc_ns.is_empty() {
            if let Some(about) = &n.about {
                doc_ns = about.split('#').next().unwrap_or(about).to_string();
            }
        }
        if !n.is(Ns::Spdx, "ExternalDocumentRef") {
            continue;
        }
        let mut id = n
            .about
            .as_deref()
            .and_then(|a| a.rsplit_once('#'))
            .map(|(_, f)| percent_decode(f).into_owned());
        let mut target = None;
        for c in tree.children(i as u32) {
            let cn = tree.node(c);
            if cn.is(Ns::Spdx, "externalDocumentId") && id.is_none() {
                id = cn.text.as_ref().map(|t| t.as_str().trim().to_string());
            } else if cn.is(Ns::Spdx, "spdxDocument") {
                target = cn.resource.clone().or_else(|| {
                    tree.children(c)
                        .next()
                        .and_then(|d| tree.node(d).about.clone())
                });
            }
        }
        if let (Some(id), Some(t)) = (id, target) {
            external.insert(t.trim_end_matches('#').to_string(), id);
        }
    }
    (doc_ns, external)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::{Document, Format, RelKind};

    fn read_str(t: &str) -> Result<Document, IngestError> {
        let mut b = Builder::new("t", Format::SpdxRdfXml);
        read(t, &mut b, &Limits::default())?;
        b.finish(false)
    }

    const NS: &str = "http://example.com/doc";

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?>
<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#"
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
    xmlns:doap="http://usefulinc.com/ns/doap#">
  <spdx:SpdxDocument rdf:about="{NS}#SPDXRef-DOCUMENT">
    <spdx:specVersion>SPDX-2.3</spdx:specVersion>
    <spdx:name>demo</spdx:name>
{body}
  </spdx:SpdxDocument>
</rdf:RDF>
"#
        )
    }

    #[test]
    fn nested_packages_relationships_and_licences_are_read() {
        let t = doc(&format!(
            r#"    <spdx:relationship>
      <spdx:Relationship>
        <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_describes"/>
        <spdx:relatedSpdxElement>
          <spdx:Package rdf:about="{NS}#SPDXRef-app">
            <spdx:name>app</spdx:name>
            <spdx:versionInfo>1.0</spdx:versionInfo>
            <spdx:supplier>Organization: Acme</spdx:supplier>
            <doap:homepage>https://acme.example</doap:homepage>
            <spdx:licenseConcluded>
              <spdx:DisjunctiveLicenseSet>
                <spdx:member rdf:resource="http://spdx.org/licenses/MIT"/>
                <spdx:member rdf:resource="{NS}#LicenseRef-x"/>
              </spdx:DisjunctiveLicenseSet>
            </spdx:licenseConcluded>
            <spdx:licenseDeclared rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
            <spdx:checksum>
              <spdx:Checksum>
                <spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_sha256"/>
                <spdx:checksumValue>AA</spdx:checksumValue>
              </spdx:Checksum>
            </spdx:checksum>
            <spdx:externalRef>
              <spdx:ExternalRef>
                <spdx:referenceCategory rdf:resource="http://spdx.org/rdf/terms#referenceCategory_packageManager"/>
                <spdx:referenceType rdf:resource="http://spdx.org/rdf/references/purl"/>
                <spdx:referenceLocator>pkg:npm/app@1.0</spdx:referenceLocator>
              </spdx:ExternalRef>
            </spdx:externalRef>
            <spdx:hasFile>
              <spdx:File rdf:about="{NS}#SPDXRef-f">
                <spdx:fileName>./a.c</spdx:fileName>
              </spdx:File>
            </spdx:hasFile>
            <spdx:relationship>
              <spdx:Relationship>
                <spdx:relatedSpdxElement rdf:resource="{NS}#SPDXRef-lib"/>
                <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependencyOf"/>
              </spdx:Relationship>
            </spdx:relationship>
          </spdx:Package>
        </spdx:relatedSpdxElement>
      </spdx:Relationship>
    </spdx:relationship>
    <spdx:describesPackage>
      <spdx:Package rdf:about="{NS}#SPDXRef-lib">
        <spdx:name>lib</spdx:name>
      </spdx:Package>
    </spdx:describesPackage>"#
        ));
        let d = read_str(&t).unwrap();
        assert_eq!(d.spec_version, "2.3");
        assert_eq!(d.serial.as_deref(), Some(NS));
        let refs: Vec<&str> = d.components.iter().map(|c| c.bom_ref.as_str()).collect();
        assert_eq!(refs, vec!["SPDXRef-f", "SPDXRef-app", "SPDXRef-lib"]);
        let app = &d.components[1];
        assert_eq!(app.name, "app");
        assert_eq!(app.licenses, vec!["(LicenseRef-x OR MIT)".to_string()]);
        assert_eq!(app.hashes[0].alg, "SHA256");
        assert_eq!(app.purl.as_deref(), Some("pkg:npm/app@1.0"));
        assert!(app.links.iter().any(|l| l.kind == "homepage"));
        assert_eq!(app.location, Location::line(13));
        let mut roots: Vec<&str> = d
            .roots
            .iter()
            .map(|&r| d.component(r).bom_ref.as_str())
            .collect();
        roots.sort();
        assert_eq!(roots, vec!["SPDXRef-app", "SPDXRef-lib"]);
        let e: Vec<(String, RelKind, String)> = d
            .relationships
            .iter()
            .map(|r| {
                (
                    d.component(r.from).bom_ref.to_string(),
                    r.kind.clone(),
                    d.component(r.to).bom_ref.to_string(),
                )
            })
            .collect();
        assert!(e.contains(&("SPDXRef-app".into(), RelKind::Contains, "SPDXRef-f".into())));
        assert!(e.contains(&(
            "SPDXRef-lib".into(),
            RelKind::DependsOn(crate::sbom::DepScope::Unspecified),
            "SPDXRef-app".into()
        )));
    }

    #[test]
    fn descriptions_of_one_element_are_merged() {
        let t = format!(
            r#"<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <spdx:Package rdf:about="{NS}#SPDXRef-p"><spdx:name>p</spdx:name></spdx:Package>
  <spdx:SpdxDocument rdf:about="{NS}#SPDXRef-DOCUMENT"><spdx:specVersion>SPDX-2.2</spdx:specVersion></spdx:SpdxDocument>
  <rdf:Description rdf:about="{NS}#SPDXRef-p">
    <rdf:type rdf:resource="http://spdx.org/rdf/terms#Package"/>
    <spdx:versionInfo>2</spdx:versionInfo>
  </rdf:Description>
</rdf:RDF>"#
        );
        let d = read_str(&t).unwrap();
        assert_eq!(d.components.len(), 1);
        assert_eq!(d.components[0].name, "p");
        assert_eq!(d.components[0].version.as_deref(), Some("2"));
        assert_eq!(d.components[0].location, Location::line(2));
    }

    #[test]
    fn external_document_elements_become_document_refs() {
        let t = doc(&format!(
            r#"    <spdx:externalDocumentRef>
      <spdx:ExternalDocumentRef rdf:about="{NS}#DocumentRef-other">
        <spdx:spdxDocument rdf:resource="http://example.com/other"/>
      </spdx:ExternalDocumentRef>
    </spdx:externalDocumentRef>
    <spdx:relationship>
      <spdx:Relationship>
        <spdx:relatedSpdxElement rdf:resource="http://example.com/other#SPDXRef-x"/>
        <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_describes"/>
      </spdx:Relationship>
    </spdx:relationship>"#
        ));
        let d = read_str(&t).unwrap();
        let w = d
            .warnings
            .iter()
            .find(|w| w.code == "external-ref")
            .unwrap();
        assert!(
            w.message.contains("DocumentRef-other:SPDXRef-x"),
            "{}",
            w.message
        );
    }

    #[test]
    fn truncated_rdf_is_an_error() {
        let t = doc("");
        let e = read_str(&t[..t.len() - 30]).unwrap_err();
        assert!(
            matches!(
                e,
                IngestError::Truncated { .. } | IngestError::Syntax { .. }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn deep_rdf_is_rejected() {
        let mut t =
            String::from(r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">"#);
        for _ in 0..300 {
            t.push_str("<a>");
        }
        for _ in 0..300 {
            t.push_str("</a>");
        }
        t.push_str("</rdf:RDF>");
        assert!(matches!(read_str(&t), Err(IngestError::TooDeep { .. })));
    }

    #[test]
    fn empty_and_non_spdx_rdf_read_cleanly() {
        assert!(matches!(read_str(""), Err(IngestError::Empty)));
        let d = read_str(r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="x"/></rdf:RDF>"#)
            .unwrap();
        assert!(d.components.is_empty());
        assert!(d.warnings.iter().any(|w| w.code == "missing-spdx-version"));
    }

    #[test]
    fn blank_node_packages_get_node_ids() {
        let t = r#"<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <spdx:Package rdf:nodeID="n1"><spdx:name>a</spdx:name>
    <spdx:relationship><spdx:Relationship>
      <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependsOn"/>
      <spdx:relatedSpdxElement rdf:nodeID="n2"/>
    </spdx:Relationship></spdx:relationship>
  </spdx:Package>
  <spdx:Package rdf:nodeID="n2"><spdx:name>b</spdx:name></spdx:Package>
</rdf:RDF>"#;
        let d = read_str(t).unwrap();
        assert_eq!(d.components[0].bom_ref, "_:n1");
        assert_eq!(d.relationships.len(), 1);
        assert_eq!(d.component(d.relationships[0].to).name, "b");
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(
            percent_decode("DocumentRef-a%3ASPDXRef-b"),
            "DocumentRef-a:SPDXRef-b"
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
