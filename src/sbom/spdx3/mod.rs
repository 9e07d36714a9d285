//! SPDX 3.0 JSON-LD reader (3.0.0 and 3.0.1 contexts, compact JSON-LD as the spec and real
//! generators write it).
//!
//! This module owns the step from an SPDX 3 JSON-LD text to [`Builder`] calls: which graph
//! elements are components (`software_Package`, `software_File`, `ai_AIPackage`,
//! `dataset_DatasetPackage`), how their properties map onto [`Component`], how agents and
//! licence elements referenced by id are resolved into suppliers and licence strings, how
//! relationships become component edges, and which elements are roots.
//!
//! Reading is one streaming pass over `@graph` plus one resolution pass:
//! 1. each graph entry is read into a borrowed `node::Node`, classified by its `type`, and
//!    reduced at once to what is needed later (a pending [`Component`], an agent, a licence, a
//!    relationship's ends, a collection's root elements); the entry's tree is then dropped;
//! 2. once the whole graph is known (elements may refer to ones that come later), suppliers,
//!    originators, licences and sbom-tool's out-of-line external identifiers are resolved,
//!    components are added in document order, then edges and roots.
//!
//! Property, class and vocabulary names are compared by local name (`vocab::local`), so the
//! 3.0.0 / 3.0.1 compact spellings (`software_packageVersion`), `software:` / `spdx:` prefixes
//! and full IRIs are all the same property. Element ids are kept as written (compact IRIs are
//! not expanded against the context: documents use one spelling per id).

mod node;
mod vocab;

#[cfg(test)]
mod tests;

use crate::sbom::model::Text;
use std::borrow::Cow;
use thin_vec::ThinVec;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::sbom::{
    Builder, Component, DepScope, Hash, IngestError, Limits, Link, Location, Party, PartyKind,
    RelKind, Swid,
};

use node::{Ctx, KeySeed, Node, NodeSeed};
use vocab::{Class, LicenceClass, PackageFlavour, RelMeaning, Special};

const FORMAT: &str = "SPDX 3 JSON-LD";

/// Deepest licence expression tree followed (sets of sets of ...).
const MAX_LICENCE_DEPTH: usize = 64;

/// Longest licence expression built from a licence tree; a tree that shares sub-trees could
/// otherwise double in size at every level.
const MAX_LICENCE_TEXT: usize = 16 * 1024;

/// Read an SPDX 3 JSON-LD document into `b`.
pub fn read(text: &str, b: &mut Builder, limits: &Limits) -> Result<(), IngestError> {
    let ctx = Ctx::new(limits.max_depth.max(1));
    let mut col = Collector::new(b);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = TopSeed {
        col: &mut col,
        ctx: &ctx,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Err(e) = parsed {
        if let Some(err) = ctx.failure.take() {
            return Err(err);
        }
        return Err(IngestError::from_json(FORMAT, &e));
    }
    col.finish();
    Ok(())
}

/// JSON pointer of a graph entry (`None`: the top-level object itself).
pub(crate) fn pointer(index: Option<usize>) -> String {
    match index {
        Some(i) => format!("/@graph/{i}"),
        None => String::new(),
    }
}

/// RFC 6901 escaping of one pointer segment.
fn escape_segment(s: &str) -> Cow<'_, str> {
    if s.contains(['~', '/']) {
        Cow::Owned(s.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(s)
    }
}

// ---------------------------------------------------------------------------------------------
// Streaming over the top-level object and `@graph`.

struct TopSeed<'c, 'a, 'b> {
    col: &'c mut Collector<'a, 'b>,
    ctx: &'c Ctx,
}

impl<'a> DeserializeSeed<'a> for TopSeed<'_, 'a, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'a> Visitor<'a> for TopSeed<'_, 'a, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON-LD object with `@context` and `@graph`")
    }
    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
        let mut saw_graph = false;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_ref() {
                "@graph" => {
                    saw_graph = true;
                    map.next_value_seed(GraphSeed {
                        col: &mut *self.col,
                        ctx: self.ctx,
                    })?;
                }
                "@context" => {
                    let n = map.next_value_seed(NodeSeed {
                        ctx: self.ctx,
                        depth: 2,
                    })?;
                    self.col.context(&n);
                }
                _ => {
                    let n = map.next_value_seed(NodeSeed {
                        ctx: self.ctx,
                        depth: 2,
                    })?;
                    rest.push((key, n));
                }
            }
        }
        self.ctx.current.set(None);
        let has_type = rest
            .iter()
            .any(|(k, _)| matches!(vocab::local(k), "type" | "@type"));
        if has_type || (!saw_graph && !rest.is_empty()) {
            // A single element written without `@graph` (the spdx-3-model snippets do this).
            self.col
                .element(None, Node::Obj(rest))
                .map_err(|e| self.ctx.fail(e))?;
        } else {
            for (k, _) in rest {
                if !k.starts_with('@') {
                    self.col
                        .b
                        .unknown_field("SPDX 3 document", &k, || Location::pointer(""));
                }
            }
        }
        Ok(())
    }
}

struct GraphSeed<'c, 'a, 'b> {
    col: &'c mut Collector<'a, 'b>,
    ctx: &'c Ctx,
}

impl<'a> DeserializeSeed<'a> for GraphSeed<'_, 'a, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'a> Visitor<'a> for GraphSeed<'_, 'a, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("`@graph` as an array of elements")
    }
    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.ctx.max_depth < 2 {
            return Err(self.ctx.fail(IngestError::TooDeep {
                limit: self.ctx.max_depth,
                location: Location::pointer("/@graph"),
            }));
        }
        let mut i = 0usize;
        loop {
            self.ctx.current.set(Some(i));
            let Some(n) = seq.next_element_seed(NodeSeed {
                ctx: self.ctx,
                depth: 3,
            })?
            else {
                break;
            };
            self.col.element(Some(i), n).map_err(|e| self.ctx.fail(e))?;
            i += 1;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// What is kept of each element until the graph is complete.

/// A supplier / originator reference.
#[derive(Debug)]
enum AgentRef<'a> {
    Id(Cow<'a, str>),
    Inline(Party),
}

#[derive(Debug)]
struct Pending<'a> {
    /// Boxed: components are big and the pending list grows by doubling.
    c: Box<Component>,
    index: Option<usize>,
    supplier: Option<AgentRef<'a>>,
    originators: Vec<AgentRef<'a>>,
    /// `externalIdentifier` entries given as ids of top-level ExternalIdentifier elements.
    ext_id_refs: Vec<Cow<'a, str>>,
    /// Every purl seen: `software_packageUrl` first, then external identifiers.
    purls: Vec<String>,
}

#[derive(Debug)]
struct Agent<'a> {
    party: Party,
    ext_id_refs: Vec<Cow<'a, str>>,
}

#[derive(Debug)]
enum Licence<'a> {
    Text(String),
    Set {
        and: bool,
        members: Vec<Cow<'a, str>>,
    },
    OrLater(Option<Cow<'a, str>>),
    With(Option<Cow<'a, str>>, Option<Cow<'a, str>>),
    Nothing,
}

#[derive(Debug)]
struct ExtId {
    ty: String,
    identifier: String,
    locators: Vec<String>,
}

#[derive(Debug)]
struct Rel<'a> {
    index: Option<usize>,
    from: Option<Cow<'a, str>>,
    to: Vec<Cow<'a, str>>,
    ty: Cow<'a, str>,
    scope: Option<Cow<'a, str>>,
}

#[derive(Debug)]
struct Collection<'a> {
    index: Option<usize>,
    roots: Vec<Cow<'a, str>>,
}

/// How a relationship end is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Component,
    /// An element of the graph that is not a component.
    NonComponent(Class),
    /// Imported from another document (`ExternalMap`, `SpdxDocument.import`).
    External,
    Special(Special),
    Unknown,
}

struct Collector<'a, 'b> {
    b: &'b mut Builder,
    context_version: Option<String>,
    info_version: Option<String>,
    doc_seen: bool,
    pending: Vec<Pending<'a>>,
    components: FxHashMap<Cow<'a, str>, usize>,
    classes: FxHashMap<Cow<'a, str>, Class>,
    agents: FxHashMap<Cow<'a, str>, Agent<'a>>,
    licences: FxHashMap<Cow<'a, str>, Licence<'a>>,
    ext_ids: FxHashMap<Cow<'a, str>, ExtId>,
    external: FxHashSet<Cow<'a, str>>,
    rels: Vec<Rel<'a>>,
    collections: Vec<Collection<'a>>,
    collection_ids: FxHashMap<Cow<'a, str>, usize>,
    untyped: (usize, Option<usize>),
    not_objects: (usize, Option<usize>),
    /// Collections whose root elements have been declared.
    expanded: FxHashSet<usize>,
    /// Rendered licence elements, by id.
    licence_text: FxHashMap<String, Option<String>>,
}

/// A string property value: strings as they are; numbers and booleans spelled out; a
/// one-element array or a JSON-LD `{"@value": ...}` object unwrapped; null is absent.
fn string<'a>(v: Node<'a>, at: &dyn Fn() -> String) -> Result<Option<Cow<'a, str>>, IngestError> {
    match v {
        Node::Str(s) => Ok(Some(s)),
        Node::Null => Ok(None),
        Node::Num(n) => Ok(Some(Cow::Owned(n.to_string()))),
        Node::Bool(x) => Ok(Some(Cow::Owned(x.to_string()))),
        Node::List(items) => match items.into_iter().next() {
            Some(first) => string(first, at),
            None => Ok(None),
        },
        Node::Obj(pairs) => {
            for (k, v) in pairs {
                if k == "@value" {
                    return string(v, at);
                }
            }
            Err(IngestError::Type {
                location: Location::pointer(at()),
                message: "expected a string, found an object".into(),
            })
        }
    }
}

/// A list-valued property: JSON-LD compaction writes one-element lists as the bare value.
fn list(v: Node<'_>) -> Vec<Node<'_>> {
    match v {
        Node::List(items) => items,
        Node::Null => Vec::new(),
        other => vec![other],
    }
}

/// An element reference: an id string, or an inline element object (its `spdxId` / `@id`).
fn reference(v: Node<'_>) -> Option<Cow<'_, str>> {
    match v {
        Node::Str(s) if !s.trim().is_empty() => Some(s),
        Node::Obj(pairs) => pairs.into_iter().find_map(|(k, v)| match (k.as_ref(), v) {
            ("spdxId" | "@id", Node::Str(s)) if !s.trim().is_empty() => Some(s),
            _ => None,
        }),
        _ => None,
    }
}

/// Push `x` unless it is already there. Only short lists are searched, so that a hostile
/// element with 100 000 hashes costs linear time (duplicates beyond that are kept).
fn push_unique<T: PartialEq>(v: &mut ThinVec<T>, x: T) {
    if v.len() >= 16 || !v.contains(&x) {
        v.push(x);
    }
}

fn owned(s: Cow<'_, str>) -> String {
    let t = s.trim();
    if t.len() == s.len() {
        s.into_owned()
    } else {
        t.to_string()
    }
}

impl<'a, 'b> Collector<'a, 'b> {
    fn new(b: &'b mut Builder) -> Self {
        Collector {
            b,
            context_version: None,
            info_version: None,
            doc_seen: false,
            pending: Vec::new(),
            components: FxHashMap::default(),
            classes: FxHashMap::default(),
            agents: FxHashMap::default(),
            licences: FxHashMap::default(),
            ext_ids: FxHashMap::default(),
            external: FxHashSet::default(),
            rels: Vec::new(),
            collections: Vec::new(),
            collection_ids: FxHashMap::default(),
            untyped: (0, None),
            not_objects: (0, None),
            expanded: FxHashSet::default(),
            licence_text: FxHashMap::default(),
        }
    }

    /// `@context`: a URL, an array of URLs and inline term maps. The first SPDX context URL
    /// gives the spec version (`https://spdx.org/rdf/3.0.1/spdx-context.jsonld`; sbom-tool
    /// writes `.../spdx-context.json`).
    fn context(&mut self, n: &Node<'_>) {
        match n {
            Node::Str(s) if self.context_version.is_none() => {
                self.context_version = version_in_context(s);
            }
            Node::List(items) => items.iter().for_each(|i| self.context(i)),
            _ => {}
        }
    }

    fn register(&mut self, id: Cow<'a, str>, class: Class) {
        self.b.add_non_component(id.as_ref());
        self.classes.entry(id).or_insert(class);
    }

    /// Take one graph entry.
    fn element(&mut self, index: Option<usize>, n: Node<'a>) -> Result<(), IngestError> {
        let Node::Obj(mut pairs) = n else {
            self.not_objects.0 += 1;
            self.not_objects.1.get_or_insert(index.unwrap_or(0));
            return Ok(());
        };
        // Type and ids first: generators put `type` anywhere (sbom-tool: last).
        let mut class = None;
        let mut type_written: Option<Cow<'a, str>> = None;
        let mut spdx_id: Option<Cow<'a, str>> = None;
        let mut node_id: Option<Cow<'a, str>> = None;
        for (k, v) in pairs.iter_mut() {
            match vocab::local(k) {
                "type" | "@type" => {
                    let candidates: Vec<Cow<'a, str>> = match std::mem::replace(v, Node::Null) {
                        Node::Str(s) => vec![s],
                        Node::List(items) => items
                            .into_iter()
                            .filter_map(|i| match i {
                                Node::Str(s) => Some(s),
                                _ => None,
                            })
                            .collect(),
                        other => {
                            return Err(IngestError::Type {
                                location: Location::pointer(format!(
                                    "{}/{}",
                                    pointer(index),
                                    escape_segment(k)
                                )),
                                message: format!(
                                    "element type must be a string, found {}",
                                    other.json_type()
                                ),
                            })
                        }
                    };
                    // With several types, the first one bomvet knows decides.
                    for t in candidates {
                        let c = vocab::classify(vocab::local(&t));
                        if class.is_none() || (class == Some(Class::Unknown) && c != Class::Unknown)
                        {
                            class = Some(c);
                            type_written = Some(t);
                        }
                    }
                }
                "spdxId" => spdx_id = reference(std::mem::replace(v, Node::Null)),
                "@id" => node_id = reference(std::mem::replace(v, Node::Null)),
                _ => {}
            }
        }
        let Some(class) = class else {
            self.untyped.0 += 1;
            self.untyped.1.get_or_insert(index.unwrap_or(0));
            return Ok(());
        };
        let type_written = type_written.unwrap_or(Cow::Borrowed(""));
        // `spdxId` names elements; `@id` names blank nodes (creation info). Either may be used.
        let id = spdx_id.clone().or_else(|| node_id.clone());
        if !matches!(class, Class::Package(_) | Class::File | Class::Relationship) {
            for i in [&spdx_id, &node_id].into_iter().flatten() {
                self.register(i.clone(), class);
            }
        }
        match class {
            Class::Package(_) | Class::File => {
                self.component(index, class, &type_written, id, pairs)?
            }
            Class::Relationship => self.relationship(index, pairs)?,
            Class::Collection { document } => self.collection(index, document, id, pairs)?,
            Class::Agent(kind) => {
                let agent = self.agent(index, kind, pairs)?;
                if let Some(id) = id {
                    self.agents.entry(id).or_insert(agent);
                }
            }
            Class::Licence(lc) => {
                let l = self.licence(index, lc, id.as_deref(), pairs)?;
                if let Some(id) = id {
                    self.licences.entry(id).or_insert(l);
                }
            }
            Class::CreationInfo => self.creation_info(index, pairs)?,
            Class::ExternalIdentifier => {
                let e = ext_id(index, pairs)?;
                if let (Some(id), Some(e)) = (id, e) {
                    self.ext_ids.entry(id).or_insert(e);
                }
            }
            Class::ExternalMap => {
                for (k, v) in pairs {
                    if vocab::local(&k) == "externalSpdxId" {
                        if let Some(r) = reference(v) {
                            self.external.insert(r);
                        }
                    }
                }
                if let Some(id) = id {
                    self.external.insert(id);
                }
            }
            Class::Known => self.scan_creation_info(index, pairs)?,
            Class::Unknown => {
                self.b.unknown_field("@graph", &type_written, || {
                    Location::pointer(pointer(index))
                });
            }
        }
        Ok(())
    }

    /// An inline `creationInfo` object may carry the spec version.
    fn scan_creation_info(
        &mut self,
        index: Option<usize>,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<(), IngestError> {
        for (k, v) in pairs {
            if vocab::local(&k) == "creationInfo" {
                if let Node::Obj(ci) = v {
                    self.creation_info(index, ci)?;
                }
            }
        }
        Ok(())
    }

    fn creation_info(
        &mut self,
        index: Option<usize>,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<(), IngestError> {
        if self.info_version.is_some() {
            return Ok(());
        }
        for (k, v) in pairs {
            if vocab::local(&k) == "specVersion" {
                let at = || format!("{}/{}", pointer(index), escape_segment(&k));
                if let Some(s) = string(v, &at)? {
                    if !s.trim().is_empty() {
                        self.info_version = Some(owned(s));
                    }
                }
            }
        }
        Ok(())
    }

    fn component(
        &mut self,
        index: Option<usize>,
        class: Class,
        type_written: &str,
        id: Option<Cow<'a, str>>,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<(), IngestError> {
        let ptr = pointer(index);
        let is_file = class == Class::File;
        let mut c = Box::new(Component {
            bom_ref: id
                .as_deref()
                .map(str::trim)
                .unwrap_or("")
                .to_string()
                .into(),
            location: Location::pointer(ptr.clone()),
            ..Default::default()
        });
        let mut supplier = None;
        let mut originators = Vec::new();
        let mut ext_id_refs = Vec::new();
        let mut purls = Vec::new();
        let mut package_url = None;
        let mut summary = None;
        let mut primary = None;
        let mut additional = Vec::new();
        for (k, v) in pairs {
            let at = || format!("{ptr}/{}", escape_segment(&k));
            let key = vocab::local(&k);
            match key {
                "type" | "@type" | "spdxId" | "@id" | "@context" => {}
                "name" => {
                    if let Some(s) = string(v, &at)? {
                        c.name = owned(s).into();
                    }
                }
                "packageVersion" => c.version = string(v, &at)?.map(owned).map(Text::from),
                "packageUrl" => package_url = string(v, &at)?.map(owned),
                "downloadLocation" | "homePage" | "sourceInfo" => {
                    if let Some(s) = string(v, &at)? {
                        if !vocab::is_no_value(&s) {
                            let kind = match key {
                                "downloadLocation" => "download",
                                "homePage" => "homepage",
                                _ => "source-info",
                            };
                            c.links.push(Link {
                                kind: kind.into(),
                                url: owned(s).into(),
                            });
                        }
                    }
                }
                "copyrightText" => {
                    c.copyright = string(v, &at)?
                        .filter(|s| !vocab::is_no_value(s))
                        .map(owned)
                        .map(Text::from)
                }
                "description" => c.description = string(v, &at)?.map(owned).map(Text::from),
                "summary" => summary = string(v, &at)?.map(owned),
                "primaryPurpose" => primary = string(v, &at)?.map(owned),
                "additionalPurpose" => {
                    for item in list(v) {
                        if let Some(s) = string(item, &at)? {
                            additional.push(owned(s));
                        }
                    }
                }
                "suppliedBy" => {
                    supplier = list(v)
                        .into_iter()
                        .next()
                        .and_then(|a| self.agent_ref(index, a).transpose())
                        .transpose()?;
                }
                "originatedBy" => {
                    for a in list(v) {
                        if let Some(r) = self.agent_ref(index, a)? {
                            originators.push(r);
                        }
                    }
                }
                "externalIdentifier" => {
                    for item in list(v) {
                        match item {
                            Node::Obj(e) => {
                                if let Some(e) = ext_id(index, e)? {
                                    apply_ext_id(&mut c, &mut purls, e);
                                }
                            }
                            Node::Str(r) => ext_id_refs.push(r),
                            _ => {}
                        }
                    }
                }
                "externalRef" => {
                    for item in list(v) {
                        if let Node::Obj(e) = item {
                            for (kind, url) in ext_ref(index, e)? {
                                c.links.push(Link {
                                    kind: kind.into(),
                                    url: url.into(),
                                });
                            }
                        }
                    }
                }
                "verifiedUsing" => {
                    for item in list(v) {
                        if let Node::Obj(h) = item {
                            integrity(&mut c, is_file, index, h)?;
                        }
                    }
                }
                "contentIdentifier" => {
                    for item in list(v) {
                        if let Node::Obj(ci) = item {
                            let mut ty = None;
                            let mut value = None;
                            for (k, v) in ci {
                                let at = || format!("{ptr}/contentIdentifier");
                                match vocab::local(&k) {
                                    "contentIdentifierType" => ty = string(v, &at)?,
                                    "contentIdentifierValue" => value = string(v, &at)?,
                                    _ => {}
                                }
                            }
                            if let Some(value) = value {
                                let ty = ty.as_deref().map(vocab::local).unwrap_or("unknown");
                                c.properties.push((
                                    format!("contentIdentifier:{ty}").into(),
                                    owned(value).into(),
                                ));
                            }
                        }
                    }
                }
                "creationInfo" => {
                    if let Node::Obj(ci) = v {
                        self.creation_info(index, ci)?;
                    }
                }
                k2 if vocab::is_known_property(k2) => {}
                _ => {
                    let context = format!("SPDX 3 {} element", type_written.trim());
                    self.b
                        .unknown_field(&context, &k, || Location::pointer(at()))
                }
            }
        }
        if let Some(u) = package_url {
            purls.insert(0, u);
        }
        match (&c.description, summary) {
            (None, Some(s)) => c.description = Some(s.into()),
            (Some(_), Some(s)) => c.properties.push(("summary".into(), s.into())),
            _ => {}
        }
        if is_file {
            c.kind = Some("file".into());
            if !c.name.is_empty() {
                c.file_names.push(c.name.clone());
            }
            if let Some(pp) = primary {
                c.properties.push(("primaryPurpose".into(), pp.into()));
            }
        } else {
            c.kind = primary
                .as_deref()
                .or(additional.first().map(String::as_str))
                .map(vocab::purpose_kind)
                .or(match class {
                    Class::Package(PackageFlavour::Ai) => Some("machine-learning-model".into()),
                    Class::Package(PackageFlavour::Dataset) => Some("data".into()),
                    _ => None,
                })
                .map(Text::from);
        }
        for a in additional {
            c.properties.push(("additionalPurpose".into(), a.into()));
        }
        if let Some(id) = id {
            let next = self.pending.len();
            self.components.entry(id).or_insert(next);
        }
        self.pending.push(Pending {
            c,
            index,
            supplier,
            originators,
            ext_id_refs,
            purls,
        });
        Ok(())
    }

    /// A `suppliedBy` / `originatedBy` value: an agent id, or an inline agent object (which
    /// also defines that agent for the rest of the document when it has an id).
    fn agent_ref(
        &mut self,
        index: Option<usize>,
        v: Node<'a>,
    ) -> Result<Option<AgentRef<'a>>, IngestError> {
        match v {
            Node::Str(s) if !s.trim().is_empty() => Ok(Some(AgentRef::Id(s))),
            Node::Obj(mut pairs) => {
                let mut kind = PartyKind::Unprefixed;
                let mut id = None;
                for (k, v) in pairs.iter_mut() {
                    match vocab::local(k) {
                        "type" | "@type" => {
                            if let Node::Str(t) = v {
                                if let Class::Agent(k) = vocab::classify(vocab::local(t)) {
                                    kind = k;
                                }
                            }
                        }
                        "spdxId" | "@id" => id = reference(std::mem::replace(v, Node::Null)),
                        _ => {}
                    }
                }
                let agent = self.agent(index, kind, pairs)?;
                let party = agent.party.clone();
                if let Some(id) = id {
                    self.register(id.clone(), Class::Agent(kind));
                    self.agents.entry(id).or_insert(agent);
                }
                Ok(Some(AgentRef::Inline(party)))
            }
            _ => Ok(None),
        }
    }

    fn agent(
        &mut self,
        index: Option<usize>,
        kind: PartyKind,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<Agent<'a>, IngestError> {
        let mut party = Party::new(kind, "");
        let mut ext_id_refs = Vec::new();
        for (k, v) in pairs {
            let at = || format!("{}/{}", pointer(index), escape_segment(&k));
            match vocab::local(&k) {
                "name" => {
                    if let Some(s) = string(v, &at)? {
                        party.name = owned(s).into();
                    }
                }
                "externalIdentifier" => {
                    for item in list(v) {
                        match item {
                            Node::Obj(e) => {
                                if let Some(e) = ext_id(index, e)? {
                                    apply_agent_ext_id(&mut party, e);
                                }
                            }
                            Node::Str(r) => ext_id_refs.push(r),
                            _ => {}
                        }
                    }
                }
                "externalRef" => {
                    for item in list(v) {
                        if let Node::Obj(e) = item {
                            for (_, url) in ext_ref(index, e)? {
                                add_contact(&mut party, url);
                            }
                        }
                    }
                }
                "creationInfo" => {
                    if let Node::Obj(ci) = v {
                        self.creation_info(index, ci)?;
                    }
                }
                _ => {}
            }
        }
        // sbom-tool names agents the SPDX 2 way: `Organization: Microsoft`, `NOASSERTION`.
        let name = party.name.trim();
        let spdx2 = name.eq_ignore_ascii_case("NOASSERTION")
            || ["organization:", "person:", "tool:"].iter().any(|p| {
                name.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
            });
        if spdx2 {
            let parsed = Party::parse_spdx_actor(name);
            if parsed.kind == PartyKind::NoAssertion || party.kind == PartyKind::Unprefixed {
                party.kind = parsed.kind;
            }
            party.name = parsed.name;
            for e in parsed.emails {
                push_unique(&mut party.emails, e);
            }
        }
        Ok(Agent { party, ext_id_refs })
    }

    fn licence(
        &mut self,
        index: Option<usize>,
        lc: LicenceClass,
        id: Option<&str>,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<Licence<'a>, IngestError> {
        let mut name = None;
        let mut expression = None;
        let mut members = Vec::new();
        let mut subject = None;
        let mut addition = None;
        for (k, v) in pairs {
            let at = || format!("{}/{}", pointer(index), escape_segment(&k));
            match vocab::local(&k) {
                "name" => name = string(v, &at)?,
                "licenseExpression" => expression = string(v, &at)?,
                "member" => members.extend(list(v).into_iter().filter_map(reference)),
                "subjectLicense" | "subjectExtendableLicense" => subject = reference(v),
                "subjectAddition" => addition = reference(v),
                "creationInfo" => {
                    if let Node::Obj(ci) = v {
                        self.creation_info(index, ci)?;
                    }
                }
                _ => {}
            }
        }
        Ok(match lc {
            LicenceClass::Expression => match expression.or(name) {
                Some(e) => Licence::Text(owned(e)),
                None => Licence::Nothing,
            },
            LicenceClass::Named => match name {
                Some(n) if !n.trim().is_empty() => Licence::Text(owned(n)),
                // A listed licence is known by its IRI; a custom one by its id.
                _ => match id {
                    Some(id) => Licence::Text(vocab::id_tail(id).to_string()),
                    None => Licence::Nothing,
                },
            },
            LicenceClass::Conjunctive | LicenceClass::Disjunctive => Licence::Set {
                and: lc == LicenceClass::Conjunctive,
                members,
            },
            LicenceClass::OrLater => Licence::OrLater(subject),
            LicenceClass::WithAddition => Licence::With(subject, addition),
            LicenceClass::NoAssertion | LicenceClass::None => Licence::Nothing,
        })
    }

    fn relationship(
        &mut self,
        index: Option<usize>,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<(), IngestError> {
        let mut rel = Rel {
            index,
            from: None,
            to: Vec::new(),
            ty: Cow::Borrowed(""),
            scope: None,
        };
        for (k, v) in pairs {
            let at = || format!("{}/{}", pointer(index), escape_segment(&k));
            match vocab::local(&k) {
                "from" => rel.from = list(v).into_iter().next().and_then(reference),
                "to" => rel.to.extend(list(v).into_iter().filter_map(reference)),
                "relationshipType" => rel.ty = string(v, &at)?.unwrap_or_default(),
                "scope" => rel.scope = string(v, &at)?,
                "creationInfo" => {
                    if let Node::Obj(ci) = v {
                        self.creation_info(index, ci)?;
                    }
                }
                _ => {}
            }
        }
        self.rels.push(rel);
        Ok(())
    }

    fn collection(
        &mut self,
        index: Option<usize>,
        document: bool,
        id: Option<Cow<'a, str>>,
        pairs: Vec<(Cow<'a, str>, Node<'a>)>,
    ) -> Result<(), IngestError> {
        let mut roots = Vec::new();
        let mut name = None;
        for (k, v) in pairs {
            let at = || format!("{}/{}", pointer(index), escape_segment(&k));
            match vocab::local(&k) {
                "rootElement" => roots.extend(list(v).into_iter().filter_map(reference)),
                "name" => name = string(v, &at)?,
                "import" => {
                    for item in list(v) {
                        if let Node::Obj(m) = item {
                            for (k, v) in m {
                                if vocab::local(&k) == "externalSpdxId" {
                                    if let Some(r) = reference(v) {
                                        self.external.insert(r);
                                    }
                                }
                            }
                        }
                    }
                }
                "creationInfo" => {
                    if let Node::Obj(ci) = v {
                        self.creation_info(index, ci)?;
                    }
                }
                _ => {}
            }
        }
        if document && !self.doc_seen {
            self.doc_seen = true;
            self.b.name = name.map(owned).filter(|n| !n.is_empty());
            self.b.serial = id.as_deref().map(|s| s.trim().to_string());
        }
        if let Some(id) = id {
            let next = self.collections.len();
            self.collection_ids.entry(id).or_insert(next);
        }
        self.collections.push(Collection { index, roots });
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Resolution, once the whole graph has been read.

    fn end(&self, r: &str) -> End {
        if self.components.contains_key(r) {
            End::Component
        } else if let Some(c) = self.classes.get(r) {
            End::NonComponent(*c)
        } else if self.external.contains(r) {
            End::External
        } else if let Some(s) = vocab::special(r) {
            End::Special(s)
        } else {
            End::Unknown
        }
    }

    fn finish(mut self) {
        self.b.spec_version = self
            .context_version
            .take()
            .or(self.info_version.take())
            .unwrap_or_else(|| "3".into());
        if self.untyped.0 > 0 {
            self.b.warn(
                "untyped-element",
                format!(
                    "{} graph entr{} without a `type`; ignored",
                    self.untyped.0,
                    if self.untyped.0 == 1 { "y" } else { "ies" }
                ),
                Location::pointer(pointer(self.untyped.1)),
            );
        }
        if self.not_objects.0 > 0 {
            self.b.warn(
                "graph-entry-not-object",
                format!(
                    "{} graph entr{} not an object; ignored",
                    self.not_objects.0,
                    if self.not_objects.0 == 1 {
                        "y is"
                    } else {
                        "ies are"
                    }
                ),
                Location::pointer(pointer(self.not_objects.1)),
            );
        }

        // Agents' out-of-line external identifiers (sbom-tool).
        for agent in self.agents.values_mut() {
            for r in std::mem::take(&mut agent.ext_id_refs) {
                if let Some(e) = self.ext_ids.get(r.as_ref()) {
                    apply_agent_ext_id(&mut agent.party, clone_ext(e));
                }
            }
        }

        // Licences become component fields, not edges.
        let rels = std::mem::take(&mut self.rels);
        let mut meanings: FxHashMap<&str, RelMeaning> = FxHashMap::default();
        for rel in &rels {
            let meaning = meanings
                .entry(rel.ty.as_ref())
                .or_insert_with(|| vocab::relationship(&rel.ty));
            if *meaning != RelMeaning::Licence {
                continue;
            }
            let Some(from) = rel.from.as_deref() else {
                continue;
            };
            let Some(&pi) = self.components.get(from) else {
                continue;
            };
            for to in &rel.to {
                if let Some(text) = self.render_licence(to, rel.index, 0, &mut Vec::new()) {
                    push_unique(&mut self.pending[pi].c.licenses, text.into());
                }
            }
        }

        // Components, in document order.
        let pending = std::mem::take(&mut self.pending);
        self.b.reserve(pending.len());
        for mut p in pending {
            for r in std::mem::take(&mut p.ext_id_refs) {
                match self.ext_ids.get(r.as_ref()) {
                    Some(e) => apply_ext_id(&mut p.c, &mut p.purls, clone_ext(e)),
                    None => self.b.warn(
                        "dangling-ref",
                        format!("external identifier {r:?} names no ExternalIdentifier element"),
                        Location::pointer(pointer(p.index)),
                    ),
                }
            }
            let mut purls = std::mem::take(&mut p.purls).into_iter();
            p.c.purl = purls.next().map(Text::from);
            for other in purls {
                if Some(other.as_str()) != p.c.purl.as_deref()
                    && !p
                        .c
                        .properties
                        .iter()
                        .any(|(k, v)| k == "purl" && *v == other)
                {
                    p.c.properties.push(("purl".into(), other.into()));
                }
            }
            if let Some(s) = p.supplier.take() {
                p.c.supplier = self.resolve_agent(s, "supplier", p.index);
            }
            for o in std::mem::take(&mut p.originators) {
                if let Some(party) = self.resolve_agent(o, "originator", p.index) {
                    p.c.originators.push(party);
                }
            }
            self.b.add_component(*p.c);
        }

        // Edges.
        for rel in &rels {
            let meaning = &meanings[rel.ty.as_ref()];
            let loc = || Location::pointer(pointer(rel.index));
            if rel.ty.trim().is_empty() {
                self.b.warn(
                    "malformed-relationship",
                    "relationship without a `relationshipType`; ignored",
                    loc(),
                );
                continue;
            }
            let Some(from) = rel.from.as_deref() else {
                self.b.warn(
                    "malformed-relationship",
                    format!("{} relationship without `from`; ignored", rel.ty),
                    loc(),
                );
                continue;
            };
            let from_end = self.end(from);
            let (kind, flip) = match meaning {
                RelMeaning::Licence => continue,
                RelMeaning::Describes if from_end != End::Component => {
                    // From the document, an SBOM, or an id defined nowhere (sbom-tool's
                    // `SPDXRef-DOCUMENT`): the targets are what the document is about.
                    for to in &rel.to {
                        self.root(to, rel.index);
                    }
                    continue;
                }
                RelMeaning::Describes => (RelKind::Other(rel.ty.trim().to_string()), false),
                RelMeaning::Edge { kind, flip, scoped } => {
                    let kind = match (kind, &rel.scope) {
                        (RelKind::DependsOn(DepScope::Unspecified), Some(s)) if *scoped => {
                            RelKind::DependsOn(vocab::dep_scope(s))
                        }
                        _ => kind.clone(),
                    };
                    (kind, *flip)
                }
            };
            match from_end {
                End::NonComponent(_) => continue,
                End::External => {
                    self.b.warn(
                        "external-ref",
                        format!(
                            "relationship source {from:?} is in another document; not followed"
                        ),
                        loc(),
                    );
                    continue;
                }
                _ => {}
            }
            let from_ref = match from_end {
                End::Special(s) => s.as_ref_str(),
                _ => from,
            };
            for to in &rel.to {
                let to_ref = match self.end(to) {
                    End::NonComponent(_) => continue,
                    End::External => {
                        self.b.warn(
                            "external-ref",
                            format!(
                                "relationship target {:?} is in another document; not followed",
                                to.as_ref()
                            ),
                            loc(),
                        );
                        continue;
                    }
                    End::Special(s) => s.as_ref_str(),
                    End::Component | End::Unknown => to.as_ref(),
                };
                if flip {
                    self.b.edge_by_ref(to_ref, from_ref, kind.clone(), loc());
                } else {
                    self.b.edge_by_ref(from_ref, to_ref, kind.clone(), loc());
                }
            }
        }

        // Roots: every collection's root elements, through nested SBOMs / BOMs / bundles.
        let collections = std::mem::take(&mut self.collections);
        for (ci, c) in collections.iter().enumerate() {
            if self.expanded.insert(ci) {
                let start = c.roots.iter().map(|r| (r.as_ref(), c.index)).collect();
                self.roots_from(&collections, start);
            }
        }
        self.collections = collections;
    }

    /// Declare `r` a root (expanding collections).
    fn root(&mut self, r: &str, index: Option<usize>) {
        let collections = std::mem::take(&mut self.collections);
        self.roots_from(&collections, vec![(r, index)]);
        self.collections = collections;
    }

    /// Declare `start` roots, replacing each SBOM / BOM / bundle / document among them by its
    /// own root elements. Iterative, and each collection is expanded once per document, so
    /// neither deep nor cyclic nesting is a problem.
    fn roots_from<'x>(
        &mut self,
        collections: &'x [Collection<'a>],
        start: Vec<(&'x str, Option<usize>)>,
    ) {
        let mut work = start;
        work.reverse();
        while let Some((r, index)) = work.pop() {
            if let Some(&ci) = self.collection_ids.get(r) {
                if self.expanded.insert(ci) {
                    if let Some(c) = collections.get(ci) {
                        work.extend(c.roots.iter().rev().map(|r| (r.as_ref(), c.index)));
                    }
                }
                continue;
            }
            match self.end(r) {
                End::Component | End::Unknown => {
                    self.b.root_by_ref(r, Location::pointer(pointer(index)))
                }
                End::External => self.b.warn(
                    "external-ref",
                    format!("root element {r:?} is in another document; not followed"),
                    Location::pointer(pointer(index)),
                ),
                End::NonComponent(_) | End::Special(_) => {}
            }
        }
    }

    fn resolve_agent(
        &mut self,
        r: AgentRef<'a>,
        role: &str,
        index: Option<usize>,
    ) -> Option<Party> {
        match r {
            AgentRef::Inline(p) => Some(p),
            AgentRef::Id(id) => {
                if let Some(a) = self.agents.get(id.as_ref()) {
                    return Some(a.party.clone());
                }
                match self.end(&id) {
                    End::Special(Special::NoAssertion) => {
                        Some(Party::new(PartyKind::NoAssertion, ""))
                    }
                    End::Special(Special::None) => None,
                    End::External => {
                        self.b.warn(
                            "external-ref",
                            format!("{role} {id:?} is in another document; not followed"),
                            Location::pointer(pointer(index)),
                        );
                        None
                    }
                    End::Component | End::NonComponent(_) => {
                        self.b.warn(
                            "not-an-agent",
                            format!("{role} {id:?} is not an agent (person, organization, tool); ignored"),
                            Location::pointer(pointer(index)),
                        );
                        None
                    }
                    End::Unknown => {
                        self.b.warn(
                            "dangling-ref",
                            format!("{role} {id:?} names no agent in this document"),
                            Location::pointer(pointer(index)),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The licence text for a licence element id, `None` for NOASSERTION / NONE. Each licence
    /// element is rendered once (licence trees may share sub-trees).
    fn render_licence(
        &mut self,
        r: &str,
        index: Option<usize>,
        depth: usize,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        if let Some(done) = self.licence_text.get(r) {
            return done.clone();
        }
        let text = self.render_licence_once(r, index, depth, stack);
        self.licence_text.insert(r.to_string(), text.clone());
        text
    }

    fn render_licence_once(
        &mut self,
        r: &str,
        index: Option<usize>,
        depth: usize,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        if depth > MAX_LICENCE_DEPTH || stack.iter().any(|s| s == r) {
            self.b.warn(
                "licence-cycle",
                format!("licence {r:?} refers back to itself or nests too deeply; ignored"),
                Location::pointer(pointer(index)),
            );
            return None;
        }
        let Some(l) = self.licences.get(r) else {
            if vocab::special(r).is_some() {
                return None;
            }
            if vocab::is_listed_licence_iri(r) {
                return Some(vocab::id_tail(r).to_string());
            }
            if self.components.contains_key(r) || self.classes.contains_key(r) {
                self.b.warn(
                    "not-a-licence",
                    format!("licence relationship target {r:?} is not a licence element; ignored"),
                    Location::pointer(pointer(index)),
                );
            } else {
                self.b.warn(
                    "dangling-ref",
                    format!("licence {r:?} names no licence element in this document"),
                    Location::pointer(pointer(index)),
                );
            }
            return None;
        };
        let text = match l {
            Licence::Text(t) if vocab::is_no_value(t) => return None,
            Licence::Text(t) => return Some(t.clone()),
            Licence::Nothing => return None,
            Licence::Set { and, members } => {
                let (and, members) = (*and, members.clone());
                stack.push(r.to_string());
                let parts: Vec<String> = members
                    .iter()
                    .filter_map(|m| {
                        let compound =
                            matches!(self.licences.get(m.as_ref()), Some(Licence::Set { members, .. }) if members.len() > 1);
                        let t = self.render_licence(m, index, depth + 1, stack)?;
                        Some(if compound { format!("({t})") } else { t })
                    })
                    .collect();
                stack.pop();
                let text = parts.join(if and { " AND " } else { " OR " });
                if text.len() > MAX_LICENCE_TEXT {
                    self.b.warn(
                        "licence-too-long",
                        format!(
                            "licence {r:?} renders to {} bytes (more than {MAX_LICENCE_TEXT}); ignored",
                            text.len()
                        ),
                        Location::pointer(pointer(index)),
                    );
                    return None;
                }
                text
            }
            Licence::OrLater(subject) => {
                let subject = subject.clone()?;
                stack.push(r.to_string());
                let t = self.render_licence(&subject, index, depth + 1, stack);
                stack.pop();
                format!("{}+", t?)
            }
            Licence::With(subject, addition) => {
                let (subject, addition) = (subject.clone()?, addition.clone());
                stack.push(r.to_string());
                let s = self.render_licence(&subject, index, depth + 1, stack);
                let a = addition.and_then(|a| self.render_licence(&a, index, depth + 1, stack));
                stack.pop();
                match (s, a) {
                    (Some(s), Some(a)) => format!("{s} WITH {a}"),
                    (Some(s), None) => s,
                    (None, _) => return None,
                }
            }
        };
        (!text.is_empty()).then_some(text)
    }
}

/// The SPDX version in a context URL: `https://spdx.org/rdf/3.0.1/spdx-context.jsonld` → `3.0.1`.
fn version_in_context(url: &str) -> Option<String> {
    let i = url.find("spdx.org/rdf/")?;
    let rest = &url[i + "spdx.org/rdf/".len()..];
    let v = rest.split('/').next()?;
    (v.starts_with('3') && v.chars().all(|c| c.is_ascii_digit() || c == '.')).then(|| v.into())
}

fn ext_id(
    index: Option<usize>,
    pairs: Vec<(Cow<'_, str>, Node<'_>)>,
) -> Result<Option<ExtId>, IngestError> {
    let mut ty = None;
    let mut identifier = None;
    let mut locators = Vec::new();
    for (k, v) in pairs {
        let at = || {
            format!(
                "{}/externalIdentifier/{}",
                pointer(index),
                escape_segment(&k)
            )
        };
        match vocab::local(&k) {
            "externalIdentifierType" => ty = string(v, &at)?,
            "identifier" => identifier = string(v, &at)?,
            "identifierLocator" => {
                for l in list(v) {
                    if let Some(s) = string(l, &at)? {
                        locators.push(owned(s));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(identifier.map(|i| ExtId {
        ty: ty.as_deref().map(vocab::local).unwrap_or("").to_string(),
        identifier: owned(i),
        locators,
    }))
}

fn clone_ext(e: &ExtId) -> ExtId {
    ExtId {
        ty: e.ty.clone(),
        identifier: e.identifier.clone(),
        locators: e.locators.clone(),
    }
}

/// A component's external identifier: purls, CPEs and SWID tags where the model has a field,
/// everything else (gitoid, swhid, other...) as a property `externalIdentifier:<type>`.
fn apply_ext_id(c: &mut Component, purls: &mut Vec<String>, e: ExtId) {
    for l in e.locators {
        c.links.push(Link {
            kind: "identifier-locator".into(),
            url: l.into(),
        });
    }
    let ty = e.ty.as_str();
    if ty.eq_ignore_ascii_case("packageUrl") || ty.eq_ignore_ascii_case("purl") {
        purls.push(e.identifier);
    } else if ty.eq_ignore_ascii_case("cpe22") || ty.eq_ignore_ascii_case("cpe23") {
        push_unique(&mut c.cpes, e.identifier.into());
    } else if ty.eq_ignore_ascii_case("swid") && c.swid.is_none() {
        c.swid = Some(Box::new(Swid {
            tag_id: Some(e.identifier.into()),
            ..Default::default()
        }));
    } else {
        let key = if ty.is_empty() { "unknown" } else { ty };
        c.properties.push((
            format!("externalIdentifier:{key}").into(),
            e.identifier.into(),
        ));
    }
}

/// An agent's external identifier: e-mail addresses and URLs.
fn apply_agent_ext_id(p: &mut Party, e: ExtId) {
    if e.ty.eq_ignore_ascii_case("email") {
        let m = e.identifier.trim_start_matches("mailto:").to_string();
        push_unique(&mut p.emails, m.into());
    } else if e.identifier.contains("://") {
        add_contact(p, e.identifier);
    }
    for l in e.locators {
        add_contact(p, l);
    }
}

fn add_contact(p: &mut Party, url: String) {
    if let Some(m) = url.strip_prefix("mailto:") {
        push_unique(&mut p.emails, m.to_string().into());
    } else {
        push_unique(&mut p.urls, url.into());
    }
}

/// An `externalRef`: one link per locator, kind = `externalRefType` as written (local name).
fn ext_ref(
    index: Option<usize>,
    pairs: Vec<(Cow<'_, str>, Node<'_>)>,
) -> Result<Vec<(String, String)>, IngestError> {
    let mut ty = None;
    let mut locators = Vec::new();
    for (k, v) in pairs {
        let at = || format!("{}/externalRef/{}", pointer(index), escape_segment(&k));
        match vocab::local(&k) {
            "externalRefType" => ty = string(v, &at)?,
            "locator" => {
                for l in list(v) {
                    if let Some(s) = string(l, &at)? {
                        if !s.trim().is_empty() {
                            locators.push(owned(s));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let kind = ty
        .as_deref()
        .map(vocab::local)
        .unwrap_or("other")
        .to_string();
    Ok(locators.into_iter().map(|l| (kind.clone(), l)).collect())
}

/// A `verifiedUsing` entry. `Hash` → a hash. `PackageVerificationCode` on a package is the
/// SPDX 2 verification code (a digest over file digests, not of any artifact): kept as the
/// property `packageVerificationCode`; on a file it can only be the file's own digest
/// (Microsoft sbom-tool writes file hashes so) and becomes a hash.
fn integrity(
    c: &mut Component,
    is_file: bool,
    index: Option<usize>,
    pairs: Vec<(Cow<'_, str>, Node<'_>)>,
) -> Result<(), IngestError> {
    let mut ty = None;
    let mut alg = None;
    let mut value = None;
    for (k, v) in pairs {
        let at = || format!("{}/verifiedUsing/{}", pointer(index), escape_segment(&k));
        match vocab::local(&k) {
            "type" | "@type" => ty = string(v, &at)?,
            "algorithm" => alg = string(v, &at)?,
            "hashValue" => value = string(v, &at)?,
            _ => {}
        }
    }
    let (Some(alg), Some(value)) = (alg, value) else {
        return Ok(());
    };
    if value.trim().is_empty() {
        return Ok(());
    }
    let pvc = ty
        .as_deref()
        .is_some_and(|t| vocab::local(t) == "PackageVerificationCode");
    if pvc && !is_file {
        c.properties
            .push(("packageVerificationCode".into(), owned(value).into()));
    } else {
        let h = Hash::new(vocab::local(&alg), &value);
        push_unique(&mut c.hashes, h);
    }
    Ok(())
}
