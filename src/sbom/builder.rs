//! The one place where components, references and relationships become a [`Document`].
//!
//! Readers push components and edges (by reference string or by id) in document order; the
//! builder assigns ids, synthesizes missing refs, resolves references once everything is read,
//! and turns every oddity (duplicate refs, dangling references, `NOASSERTION` targets, unknown
//! fields) into a located warning. Readers never resolve references themselves, so every format
//! gets the same rules.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use super::error::IngestError;
use super::model::{
    Arena, Buffer, CompId, Component, Document, Format, Location, RelKind, Relationship,
    RootSource, Text, Warning,
};
use super::refmap::RefMap;

#[derive(Debug)]
enum End {
    Id(CompId),
    Ref(String),
}

/// An edge as read, resolved at [`Builder::finish`]. 40 bytes (two `End`s and a `Location`
/// were 120, and large documents have several edges per component): an end is a component id,
/// or [`REF_BIT`] and an index into [`Builder::edge_refs`]; the location, rarely present, is an
/// index into [`Builder::edge_locations`] or [`NO_LOCATION`].
#[derive(Debug)]
struct PendingEdge {
    from: u32,
    to: u32,
    kind: RelKind,
    location: u32,
}

const REF_BIT: u32 = 1 << 31;
const NO_LOCATION: u32 = u32::MAX;

/// Accumulates one document. See the module docs.
#[derive(Debug)]
pub struct Builder {
    pub source: String,
    pub format: Format,
    pub spec_version: String,
    pub name: Option<String>,
    pub serial: Option<String>,
    components: Vec<Component>,
    /// The input text, when the reader has one: released as the reader passes it.
    buffer: Option<Buffer>,
    /// Where the model's strings are copied.
    arena: RefCell<Arena>,
    /// How far into `buffer` the reader has made strings (a byte offset), and up to where the
    /// buffer was released.
    read_to: Cell<usize>,
    released_to: Cell<usize>,
    by_ref: RefMap,
    /// References that are valid in the document but are not components (SPDX document,
    /// CycloneDX services, SPDX 3 agents...). Edges touching them are dropped without a warning.
    non_components: FxHashSet<String>,
    edges: Vec<PendingEdge>,
    /// Edge ends not known when the edge was read (see [`PendingEdge`]).
    edge_refs: Vec<String>,
    /// Edge locations (see [`PendingEdge`]).
    edge_locations: Vec<Location>,
    roots: Vec<(End, Location)>,
    warnings: Vec<Warning>,
    unknown: BTreeMap<(String, String), (usize, Location)>,
}

impl Builder {
    pub fn new(source: impl Into<String>, format: Format) -> Builder {
        Builder {
            source: source.into(),
            format,
            spec_version: String::new(),
            name: None,
            serial: None,
            components: Vec::new(),
            buffer: None,
            arena: RefCell::new(Arena::new()),
            read_to: Cell::new(0),
            released_to: Cell::new(0),
            by_ref: RefMap::new(),
            non_components: FxHashSet::default(),
            edges: Vec::new(),
            edge_refs: Vec::new(),
            edge_locations: Vec::new(),
            roots: Vec::new(),
            warnings: Vec::new(),
            unknown: BTreeMap::new(),
        }
    }

    /// Set the input text the reader reads, so that [`Builder::text`] can release what it
    /// has passed ([`Buffer::release_before`]).
    pub fn set_buffer(&mut self, buf: Buffer) {
        self.buffer = Some(buf);
    }

    /// `s` as model text, copied into the document's [`Arena`]. When `s` is a slice of the
    /// input, the reader has got that far: every [`Builder::RELEASE_STEP`] bytes, the input
    /// up to [`Builder::RELEASE_LAG`] bytes before that point is released.
    pub fn text(&self, s: &str) -> Text {
        self.passed(s);
        self.arena.borrow_mut().text(s)
    }

    /// Bytes of input between two releases.
    pub const RELEASE_STEP: usize = 8 << 20;
    /// Bytes kept behind the furthest string made: a reader may still hold a few strings it
    /// read a little earlier (the fields of a component whose nested components it is
    /// reading). Releasing them anyway would be correct, as a released page reads back the
    /// same, but would cost a page fault to read them back.
    pub const RELEASE_LAG: usize = 1 << 20;

    /// Note that the reader has read `s`, and release the input it has passed when that is a
    /// step further than the last release. [`Builder::text`] and the edge methods call this
    /// for every string they are given; a reader calls it itself for a part of the input it
    /// keeps no text of, lest that part stay resident to the end.
    pub fn passed(&self, s: &str) {
        let Some(buf) = &self.buffer else { return };
        let whole = buf.as_str();
        let start = (s.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        if start >= whole.len() {
            return;
        }
        let end = start + s.len();
        if end <= self.read_to.get() {
            return;
        }
        self.read_to.set(end);
        if end >= self.released_to.get() + Builder::RELEASE_STEP + Builder::RELEASE_LAG {
            let to = end - Builder::RELEASE_LAG;
            buf.release_before(to);
            self.released_to.set(to);
        }
    }

    /// Room for `n` components, the count of a key that nearly every component has (each
    /// reader knows one; see [`occurrences`]). Grown by doubling, the component vector of a
    /// large document ends up to half empty and is copied at every step; one memmem pass (a few
    /// ms per 100 MB) avoids both. The count is capped at one component per `min_bytes` of
    /// `text` (no real component is smaller) so that a file of nothing but the key cannot make
    /// us reserve many times its size.
    pub fn reserve_components(&mut self, text: &str, n: usize, min_bytes: usize) {
        self.reserve(n.min(text.len() / min_bytes.max(1)));
    }

    /// Room for `n` pending edges, capped at one per `min_bytes` of `text` as components are.
    /// Grown by doubling, the edge list of a large document is held twice while it is copied at
    /// its last growth (mimalloc copies large blocks), and at a million components that moment
    /// was the peak of the read; reserved up front it is allocated once, and room it never uses
    /// is never touched, so an estimate on the high side costs address space, not memory.
    pub fn reserve_edges(&mut self, text: &str, n: usize, min_bytes: usize) {
        // A hint: if the room cannot be had, the list grows as it goes.
        let _ = self.edges.try_reserve(n.min(text.len() / min_bytes.max(1)));
    }

    /// Room for `n` more components (avoids reallocation on big documents). A hint: if the
    /// room cannot be had, the lists grow as they go.
    pub fn reserve(&mut self, n: usize) {
        let _ = self.components.try_reserve(n);
        self.by_ref.reserve(n);
    }

    pub fn len(&self) -> usize {
        self.components.len()
    }

    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }

    /// The component with id `id` (for readers that fill in fields after adding).
    pub fn component_mut(&mut self, id: CompId) -> &mut Component {
        &mut self.components[id as usize]
    }

    /// Look up a component id by its reference (first occurrence wins).
    pub fn lookup(&self, r: &str) -> Option<CompId> {
        self.by_ref.get(r)
    }

    /// Add a component. An empty `bom_ref` gets a synthesized one (the purl, else
    /// `name@version`, else the location), marked `ref_synthesized`. A reference seen before
    /// is a `duplicate-ref` warning; references to it resolve to the first occurrence.
    pub fn add_component(&mut self, mut c: Component) -> CompId {
        let id = self.components.len() as CompId;
        c.shrink_to_fit();
        if c.bom_ref.is_empty() {
            c.bom_ref = self.synthesize_ref(&c, id);
            c.ref_synthesized = true;
        }
        self.check_identifiers(&c);
        let first = self.by_ref.insert_first(c.bom_ref.as_str(), id);
        if first != id {
            let first_loc = self.components[first as usize].location.clone();
            self.warn(
                "duplicate-ref",
                format!(
                    "reference {:?} is used again (first at {first_loc}); references to it resolve to the first",
                    c.bom_ref
                ),
                c.location.clone(),
            );
        }
        self.components.push(c);
        id
    }

    /// Invalid purls and CPEs are warnings (`invalid-purl`, `invalid-cpe`), never rejections.
    fn check_identifiers(&mut self, c: &Component) {
        if let Some(p) = &c.purl {
            if let Err(why) = super::purl::Purl::validate(p) {
                self.warn(
                    "invalid-purl",
                    format!("purl {p:?} of {:?} {why}", c.name),
                    c.location.clone(),
                );
            }
        }
        for cpe in &c.cpes {
            if let Err(why) = super::cpe::Cpe::parse(cpe) {
                self.warn(
                    "invalid-cpe",
                    format!("CPE {cpe:?} of {:?} {why}", c.name),
                    c.location.clone(),
                );
            }
        }
    }

    fn synthesize_ref(&self, c: &Component, id: CompId) -> Text {
        if let Some(p) = &c.purl {
            if !p.is_empty() && !self.by_ref.contains(p.as_str()) {
                return p.clone();
            }
        }
        let nv = match &c.version {
            Some(v) if !v.is_empty() => format!("{}@{}", c.label_name(), v),
            _ => c.label_name(),
        };
        if !nv.is_empty() && !self.by_ref.contains(nv.as_str()) {
            return nv.into();
        }
        Text::from(match &c.location.pointer {
            Some(p) => format!("bomvet:{p}"),
            None => match c.location.line {
                Some(l) => format!("bomvet:line-{l}"),
                None => format!("bomvet:component-{id}"),
            },
        })
    }

    /// Declare a reference that exists in the document but is not a component.
    pub fn add_non_component(&mut self, r: impl Into<String>) {
        self.non_components.insert(r.into());
    }

    /// A reference as an edge end: the component id when the reference is already known (it
    /// can only resolve to that id later: the first occurrence wins), else the reference,
    /// resolved at [`Builder::finish`]. Resolving early saves a string per edge end.
    fn end(&self, r: &str) -> End {
        match self.by_ref.get(r) {
            Some(id) => End::Id(id),
            None => End::Ref(r.to_string()),
        }
    }

    /// An edge end as stored in a [`PendingEdge`].
    fn edge_end(&mut self, r: &str) -> u32 {
        self.passed(r);
        match self.by_ref.get(r) {
            Some(id) => id,
            None => {
                let code = REF_BIT | self.edge_refs.len() as u32;
                self.edge_refs.push(r.to_string());
                code
            }
        }
    }

    fn push_edge(&mut self, from: u32, to: u32, kind: RelKind, location: Location) {
        let location = if location.pointer.is_none() && location.line.is_none() {
            NO_LOCATION
        } else {
            self.edge_locations.push(location);
            (self.edge_locations.len() - 1) as u32
        };
        self.edges.push(PendingEdge {
            from,
            to,
            kind,
            location,
        });
    }

    /// An edge between two references, resolved at [`Builder::finish`].
    pub fn edge_by_ref(&mut self, from: &str, to: &str, kind: RelKind, location: Location) {
        let from = self.edge_end(from);
        let to = self.edge_end(to);
        self.push_edge(from, to, kind, location);
    }

    /// An edge between a known component and a reference.
    pub fn edge_id_ref(&mut self, from: CompId, to: &str, kind: RelKind, location: Location) {
        let to = self.edge_end(to);
        self.push_edge(from, to, kind, location);
    }

    /// [`Builder::edge_by_ref`] with the location made only if an end is not known yet (it is
    /// only ever shown when an end fails to resolve): big dependency graphs whose ends are all
    /// known skip one string per edge.
    pub fn edge_by_ref_lazy(
        &mut self,
        from: &str,
        to: &str,
        kind: RelKind,
        location: impl FnOnce() -> Location,
    ) {
        let from = self.edge_end(from);
        self.push_lazy(from, to, kind, location);
    }

    /// [`Builder::edge_id_ref`] with a lazily made location (see [`Builder::edge_by_ref_lazy`]).
    pub fn edge_id_ref_lazy(
        &mut self,
        from: CompId,
        to: &str,
        kind: RelKind,
        location: impl FnOnce() -> Location,
    ) {
        self.push_lazy(from, to, kind, location);
    }

    fn push_lazy(
        &mut self,
        from: u32,
        to: &str,
        kind: RelKind,
        location: impl FnOnce() -> Location,
    ) {
        let to = self.edge_end(to);
        let location = if (from | to) & REF_BIT == 0 {
            Location::none()
        } else {
            location()
        };
        self.push_edge(from, to, kind, location);
    }

    /// An edge between two components already added.
    pub fn edge(&mut self, from: CompId, to: CompId, kind: RelKind) {
        self.edges.push(PendingEdge {
            from,
            to,
            kind,
            location: NO_LOCATION,
        });
    }

    pub fn root_by_ref(&mut self, r: &str, location: Location) {
        let end = self.end(r);
        self.roots.push((end, location));
    }

    pub fn root(&mut self, id: CompId) {
        self.roots.push((End::Id(id), Location::none()));
    }

    pub fn warn(&mut self, code: &'static str, message: impl Into<String>, location: Location) {
        self.warnings.push(Warning {
            code,
            message: message.into(),
            location,
        });
    }

    /// Record a field the reader does not know. Aggregated per (context, key) so that a
    /// million components with the same extension field give one warning, not a million.
    pub fn unknown_field(&mut self, context: &str, key: &str, location: impl FnOnce() -> Location) {
        match self
            .unknown
            .get_mut(&(context.to_string(), key.to_string()))
        {
            Some((n, _)) => *n += 1,
            None => {
                self.unknown
                    .insert((context.to_string(), key.to_string()), (1, location()));
            }
        }
    }

    /// Resolve references, infer roots where none were declared, and produce the document.
    /// With `strict`, any warning turns into [`IngestError::Strict`].
    pub fn finish(mut self, strict: bool) -> Result<Document, IngestError> {
        for ((context, key), (n, loc)) in std::mem::take(&mut self.unknown) {
            let times = if n > 1 {
                format!(" ({n} times; first shown)")
            } else {
                String::new()
            };
            self.warnings.push(Warning {
                code: "unknown-field",
                message: format!("unknown field `{key}` in {context}{times}"),
                location: loc,
            });
        }

        let edges = std::mem::take(&mut self.edges);
        let mut edge_refs = std::mem::take(&mut self.edge_refs);
        let mut edge_locations = std::mem::take(&mut self.edge_locations);
        // `PendingEdge` and `Relationship` have the same size and alignment (a test checks),
        // so this collect writes the relationships over the pending edges in their allocation
        // instead of holding both lists at the peak of the read.
        let mut relationships: Vec<Relationship> = edges
            .into_iter()
            .filter_map(|e| {
                let location = match edge_locations.get_mut(e.location as usize) {
                    Some(l) => std::mem::take(l),
                    None => Location::none(),
                };
                let mut end = |code: u32| match code & REF_BIT {
                    0 => End::Id(code),
                    _ => End::Ref(std::mem::take(&mut edge_refs[(code & !REF_BIT) as usize])),
                };
                let (from, to) = (end(e.from), end(e.to));
                let from = self.resolve(&from, &location, "source");
                let to = self.resolve(&to, &location, "target");
                Some(Relationship {
                    from: from?,
                    to: to?,
                    kind: e.kind,
                    inferred: false,
                })
            })
            .collect();

        let mut roots = Vec::new();
        let mut root_set = FxHashSet::default();
        let declared = std::mem::take(&mut self.roots);
        for (r, loc) in &declared {
            if let Some(id) = self.resolve(r, loc, "root") {
                if root_set.insert(id) {
                    roots.push(id);
                }
            }
        }
        // Every reference is resolved: the map goes before `drop_repeated` allocates.
        self.by_ref = RefMap::empty();
        drop_repeated(&mut relationships, self.components.len());

        let n = self.components.len();
        let mut indegree = vec![0u32; n];
        let mut outdegree = vec![0u32; n];
        for r in &relationships {
            if r.from != r.to {
                indegree[r.to as usize] += 1;
                outdegree[r.from as usize] += 1;
            }
        }

        let root_source = if roots.is_empty() {
            roots = (0..n as CompId)
                .filter(|&i| indegree[i as usize] == 0)
                .collect();
            if roots.is_empty() && n > 0 {
                self.warnings.push(Warning {
                    code: "no-root",
                    message: "no root declared and every component is pointed to by another (a cycle); no root".into(),
                    location: Location::none(),
                });
            }
            RootSource::Inferred
        } else {
            // A single declared root that the document's graph never links to anything: the
            // document lists an inventory without a dependency graph. Attach the components
            // nothing points to as inferred direct dependencies of the root.
            if roots.len() == 1 && outdegree[roots[0] as usize] == 0 {
                let root = roots[0];
                let orphans: Vec<CompId> = (0..n as CompId)
                    .filter(|&i| i != root && indegree[i as usize] == 0)
                    .collect();
                if !orphans.is_empty() {
                    self.warnings.push(Warning {
                        code: "root-not-linked",
                        message: format!(
                            "the root {:?} has no relationships; {} unlinked component(s) are treated as its direct dependencies",
                            self.components[root as usize].bom_ref,
                            orphans.len()
                        ),
                        location: self.components[root as usize].location.clone(),
                    });
                    for o in orphans {
                        relationships.push(Relationship {
                            from: root,
                            to: o,
                            kind: RelKind::DependsOn(super::model::DepScope::Unspecified),
                            inferred: true,
                        });
                    }
                }
            }
            RootSource::Declared
        };

        if strict && !self.warnings.is_empty() {
            let first = self.warnings[0].clone();
            return Err(IngestError::Strict {
                count: self.warnings.len(),
                first: Box::new(first),
            });
        }

        Ok(Document {
            source: self.source,
            format: self.format,
            spec_version: self.spec_version,
            name: self.name,
            serial: self.serial,
            components: self.components,
            relationships,
            roots,
            root_source,
            warnings: self.warnings,
        })
    }

    fn resolve(&mut self, end: &End, location: &Location, role: &str) -> Option<CompId> {
        match end {
            End::Id(id) => Some(*id),
            End::Ref(r) => {
                if let Some(id) = self.by_ref.get(r.as_str()) {
                    return Some(id);
                }
                if self.non_components.contains(r) {
                    return None;
                }
                let t = r.trim();
                let (code, msg) = if t.eq_ignore_ascii_case("NOASSERTION")
                    || t.eq_ignore_ascii_case("NONE")
                {
                    (
                        "noassertion-target",
                        format!("relationship {role} is {t}; the relationship is ignored"),
                    )
                } else if t.starts_with("DocumentRef-") {
                    (
                        "external-ref",
                        format!("relationship {role} {r:?} is in another document; not followed"),
                    )
                } else {
                    (
                        "dangling-ref",
                        format!("relationship {role} {r:?} names no component in this document"),
                    )
                };
                self.warnings.push(Warning {
                    code,
                    message: msg,
                    location: location.clone(),
                });
                None
            }
        }
    }
}

impl Component {
    /// `group/name` or `name`.
    pub fn label_name(&self) -> String {
        match &self.group {
            Some(g) if !g.is_empty() => format!("{g}/{}", self.name),
            _ => self.name.to_string(),
        }
    }
}

/// How often `needle` occurs in `text` (one memmem pass: a few ms per 100 MB).
pub fn occurrences(text: &str, needle: &[u8]) -> usize {
    memchr::memmem::find_iter(text.as_bytes(), needle).count()
}

/// Drop the relationships that repeat an earlier one (same ends, same kind), keeping document
/// order. A repeat can only share its source, so the relationships are grouped by source (a
/// counting sort of their indexes) and each group, short in real graphs, is checked on its own:
/// a hash set of every edge cost a cache miss per edge and several times the memory at a
/// million components (docs/PERFORMANCE.md, step 10).
fn drop_repeated(rels: &mut Vec<Relationship>, n: usize) {
    if rels.len() < 2 {
        return;
    }
    // Counting sort: `next[v]` starts as the first slot of `v`'s group and, once every
    // relationship is placed (in document order), is the slot after its last, which is also
    // where the next group begins.
    let mut next = vec![0u32; n + 1];
    for r in rels.iter() {
        next[r.from as usize + 1] += 1;
    }
    for v in 0..n {
        next[v + 1] += next[v];
    }
    let mut order = vec![0u32; rels.len()];
    for (i, r) in rels.iter().enumerate() {
        let slot = &mut next[r.from as usize];
        order[*slot as usize] = i as u32;
        *slot += 1;
    }
    let mut repeated = vec![false; rels.len()];
    let mut wide: FxHashSet<(CompId, &RelKind)> = FxHashSet::default();
    for v in 0..n {
        let begin = if v == 0 { 0 } else { next[v - 1] as usize };
        let group = &order[begin..next[v] as usize];
        if group.len() <= 32 {
            for (k, &i) in group.iter().enumerate() {
                let r = &rels[i as usize];
                repeated[i as usize] = group[..k].iter().any(|&j| {
                    let q = &rels[j as usize];
                    q.to == r.to && q.kind == r.kind
                });
            }
        } else {
            wide.clear();
            for &i in group {
                let r = &rels[i as usize];
                repeated[i as usize] = !wide.insert((r.to, &r.kind));
            }
        }
    }
    drop(wide);
    let mut i = 0;
    rels.retain(|_| {
        i += 1;
        !repeated[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sbom::model::DepScope;

    fn comp(r: &str, name: &str) -> Component {
        Component {
            bom_ref: r.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_input_is_released_a_step_at_a_time_behind_the_reader() {
        let step = Builder::RELEASE_STEP;
        let lag = Builder::RELEASE_LAG;
        let buf = Buffer::new("x".repeat(2 * step + 2 * lag));
        let text = buf.as_str();
        let mut b = Builder::new("t", Format::CycloneDxJson);
        b.set_buffer(buf.clone());
        // Strings from elsewhere say nothing about the reading.
        assert_eq!(b.text("elsewhere"), "elsewhere");
        assert_eq!((b.read_to.get(), b.released_to.get()), (0, 0));
        let end = step + lag - 1;
        assert_eq!(b.text(&text[end - 3..end]), "xxx");
        assert_eq!((b.read_to.get(), b.released_to.get()), (end, 0));
        b.passed(&text[end..end + 1]);
        assert_eq!(b.released_to.get(), step, "released up to the lag behind");
        // Going back releases nothing; the next release is a step further on.
        b.passed(&text[10..20]);
        b.passed(&text[2 * step + lag - 2..2 * step + lag - 1]);
        assert_eq!(b.released_to.get(), step);
        let _ = b.edge_end(&text[2 * step + lag - 1..2 * step + lag]);
        assert_eq!(b.released_to.get(), 2 * step);
    }

    /// The read's peak holds the pending edges; `finish` turns them into relationships in
    /// the same allocation only while the two types have the same layout.
    #[test]
    fn pending_edges_and_relationships_share_a_layout() {
        use std::mem::{align_of, size_of};
        assert_eq!(size_of::<PendingEdge>(), size_of::<Relationship>());
        assert_eq!(align_of::<PendingEdge>(), align_of::<Relationship>());
    }

    #[test]
    fn resolves_edges_and_reports_dangling() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        b.add_component(comp("a", "a"));
        b.add_component(comp("b", "b"));
        b.edge_by_ref(
            "a",
            "b",
            RelKind::DependsOn(DepScope::Unspecified),
            Location::none(),
        );
        b.edge_by_ref(
            "a",
            "zzz",
            RelKind::Contains,
            Location::pointer("/dependencies/0"),
        );
        b.edge_by_ref("a", "NOASSERTION", RelKind::Contains, Location::none());
        let d = b.finish(false).unwrap();
        assert_eq!(d.relationships.len(), 1);
        let codes: Vec<_> = d.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, vec!["dangling-ref", "noassertion-target"]);
        assert_eq!(d.roots, vec![0]);
        assert_eq!(d.root_source, RootSource::Inferred);
    }

    #[test]
    fn reservation_follows_the_count_but_never_exceeds_the_cap() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        let doc = r#"{"components": [{"bom-ref": "a", "name": "a"}, {"bom-ref": "b"}]}"#;
        b.reserve_components(doc, occurrences(doc, b"\"bom-ref\""), 8);
        assert!(b.components.capacity() >= 2);
        b.reserve_edges(doc, 3, 8);
        assert!(b.edges.capacity() >= 3);
        // A hostile file of nothing but the needle: one component per 64 bytes at most.
        let mut b = Builder::new("t", Format::CycloneDxJson);
        let hostile = "\"bom-ref\"".repeat(100_000);
        let n = occurrences(&hostile, b"\"bom-ref\"");
        assert_eq!(n, 100_000);
        b.reserve_components(&hostile, n, 64);
        assert!(b.components.capacity() <= hostile.len() / 64 + 4);
        b.reserve_edges(&hostile, 10 * n, 64);
        assert!(b.edges.capacity() <= hostile.len() / 64 + 4);
    }

    #[test]
    fn lazy_edges_build_their_location_only_for_unknown_ends() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        let a = b.add_component(comp("a", "a"));
        b.add_component(comp("b", "b"));
        let mut made = 0;
        let dep = RelKind::DependsOn(DepScope::Unspecified);
        b.edge_by_ref_lazy("a", "b", dep.clone(), || {
            made += 1;
            Location::pointer("/dependencies/0")
        });
        b.edge_id_ref_lazy(a, "b", RelKind::Contains, || {
            made += 1;
            Location::pointer("/x")
        });
        assert_eq!(made, 0);
        b.edge_by_ref_lazy("a", "later", dep.clone(), || {
            made += 1;
            Location::pointer("/dependencies/1/dependsOn/0")
        });
        b.edge_id_ref_lazy(a, "nowhere", dep, || {
            made += 1;
            Location::pointer("/dependencies/1/dependsOn/1")
        });
        assert_eq!(made, 2);
        b.add_component(comp("later", "later"));
        let d = b.finish(false).unwrap();
        assert_eq!(d.relationships.len(), 3);
        let dangling: Vec<_> = d
            .warnings
            .iter()
            .filter(|w| w.code == "dangling-ref")
            .map(|w| w.location.pointer.as_deref())
            .collect();
        assert_eq!(dangling, [Some("/dependencies/1/dependsOn/1")]);
    }

    #[test]
    fn duplicate_refs_warn_and_resolve_to_first() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        b.add_component(comp("x", "first"));
        b.add_component(comp("x", "second"));
        b.add_component(comp("y", "y"));
        b.edge_by_ref("y", "x", RelKind::Contains, Location::none());
        let d = b.finish(false).unwrap();
        assert_eq!(d.components.len(), 2 + 1);
        assert_eq!(d.relationships[0].to, 0);
        assert!(d.warnings.iter().any(|w| w.code == "duplicate-ref"));
    }

    #[test]
    fn synthesized_refs_are_unique_and_marked() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        let mut c = comp("", "lib");
        c.version = Some("1.0".into());
        c.location = Location::pointer("/components/0");
        b.add_component(c.clone());
        c.location = Location::pointer("/components/1");
        b.add_component(c);
        let d = b.finish(false).unwrap();
        assert_eq!(d.components[0].bom_ref, "lib@1.0");
        assert_eq!(d.components[1].bom_ref, "bomvet:/components/1");
        assert!(d.components.iter().all(|c| c.ref_synthesized));
    }

    #[test]
    fn unlinked_root_gets_inferred_edges() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        let root = b.add_component(comp("root", "root"));
        b.add_component(comp("a", "a"));
        b.add_component(comp("b", "b"));
        b.root(root);
        let d = b.finish(false).unwrap();
        assert_eq!(d.relationships.len(), 2);
        assert!(d.relationships.iter().all(|r| r.inferred && r.from == 0));
        assert!(d.warnings.iter().any(|w| w.code == "root-not-linked"));
    }

    #[test]
    fn strict_turns_warnings_into_an_error() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        b.add_component(comp("a", "a"));
        b.unknown_field("component", "x-extra", || {
            Location::pointer("/components/0/x-extra")
        });
        assert!(matches!(
            b.finish(true),
            Err(IngestError::Strict { count: 1, .. })
        ));
    }

    #[test]
    fn unknown_fields_are_aggregated() {
        let mut b = Builder::new("t", Format::CycloneDxJson);
        for i in 0..1000 {
            b.unknown_field("component", "foo", || {
                Location::pointer(format!("/components/{i}/foo"))
            });
        }
        let d = b.finish(false).unwrap();
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].message.contains("1000 times"));
        assert_eq!(
            d.warnings[0].location.pointer.as_deref(),
            Some("/components/0/foo")
        );
    }

    #[test]
    fn cycle_only_graph_has_no_root_and_says_so() {
        let mut b = Builder::new("t", Format::SpdxJson);
        b.add_component(comp("a", "a"));
        b.add_component(comp("b", "b"));
        b.edge_by_ref("a", "b", RelKind::Contains, Location::none());
        b.edge_by_ref("b", "a", RelKind::Contains, Location::none());
        let d = b.finish(false).unwrap();
        assert!(d.roots.is_empty());
        assert!(d.warnings.iter().any(|w| w.code == "no-root"));
    }

    proptest::proptest! {
        /// `drop_repeated` keeps exactly the first of each (from, to, kind), in document order,
        /// on groups both narrower and wider than its quadratic check.
        #[test]
        fn repeated_relationships_are_dropped_as_a_set_would(
            edges in proptest::collection::vec((0u32..6, 0u32..40, 0u8..4), 0..400),
        ) {
            let kind = |k: u8| match k {
                0 => RelKind::Contains,
                1 => RelKind::DependsOn(DepScope::Runtime),
                2 => RelKind::Other("AMENDS".into()),
                _ => RelKind::Other("PATCH_FOR".into()),
            };
            let mut rels: Vec<Relationship> = edges
                .iter()
                .map(|&(from, to, k)| Relationship { from, to, kind: kind(k), inferred: false })
                .collect();
            let mut seen = std::collections::HashSet::new();
            let want: Vec<(u32, u32, RelKind)> = edges
                .iter()
                .map(|&(f, t, k)| (f, t, kind(k)))
                .filter(|e| seen.insert(e.clone()))
                .collect();
            drop_repeated(&mut rels, 40);
            let got: Vec<(u32, u32, RelKind)> =
                rels.into_iter().map(|r| (r.from, r.to, r.kind)).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
