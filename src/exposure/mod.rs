//! Exposure: how each component of one [`Document`] is reached from the product root(s).
//!
//! This module owns the graph analysis behind "how is this banned component exposed": the
//! classification ([`Exposure`]), one shortest witness path, the number of root-to-target paths
//! and the set of roots that reach a component. It reads only `Document::relationships` and
//! `Document::roots`; it knows nothing about vendors, policy or output.
//!
//! # Graph
//!
//! Every [`Relationship`](crate::sbom::Relationship) is a directed edge `from -> to`, whatever
//! its kind (depends-on of any scope, contains, static and dynamic link, pedigree ancestor /
//! descendant / variant, generated-from, other). Self-loops and parallel edges are allowed. The
//! roots are `Document::roots` (repeats ignored; there may be none, or many).
//!
//! # Classification
//!
//! Distances are shortest paths from the set of roots (multi-source BFS), so a shortest path
//! never passes through a second root: every edge but the first has a non-root source.
//!
//! - [`Exposure::Unattached`]: no root reaches the component.
//! - [`Exposure::Direct`]: the component is a root, or a root has an edge to it.
//! - [`Exposure::Embedded`]: the chosen shortest path has an embedding edge
//!   ([`RelKind::is_embedding`](crate::sbom::RelKind::is_embedding): contains, static link,
//!   pedigree ancestor / descendant / variant) whose source is not a root, i.e. the component
//!   sits inside some other component. `root contains X` is direct; `root contains A contains X`
//!   and `root depends-on A contains X` are embedded.
//! - [`Exposure::Transitive`]: anything else that is reached.
//!
//! # Which shortest path
//!
//! Among all shortest paths to a target the chosen one is fixed by, in order:
//! 1. an embedded path if there is one (nesting is never hidden by an equally short plain path);
//! 2. the earliest root in `Document::roots` order among the paths still allowed;
//! 3. walking back from the target, at each step the earliest relationship (document order)
//!    that still leads to a path allowed by 1 and 2.
//!
//! The choice depends only on the document, not on which targets were asked for.
//!
//! # Path counts
//!
//! With cycles the number of walks is infinite, so paths are counted on the condensation:
//! every strongly connected component (SCC) is collapsed to one node, a path enters and leaves
//! each SCC at most once, and two paths are distinct when their sequences of SCCs differ
//! (parallel edges, edge kinds and the route inside an SCC do not multiply the count). A path
//! starts at any SCC holding at least one root, so roots in the same SCC as each other, or in
//! the target's own SCC, count once. On an acyclic graph this is exactly the number of distinct
//! node sequences from a root to the target. Counts saturate at `u64::MAX`; paths are never
//! enumerated.
//!
//! # Cost
//!
//! [`Analysis::new`] is O(V + E) for the BFS, the iterative Tarjan and the counting (no
//! recursion: depth is bounded by memory only), plus the root sets: about
//! O((V_r + E_r + T) * ceil(k / 64)) word operations over the part of the graph that reaches a
//! target (V_r nodes, E_r edges, T targets, k roots reaching a target), in blocks that keep the
//! bitsets under 32 MiB, plus the size of the output. [`Analysis::path`] is O(path length).

mod graph;
mod roots;

#[cfg(test)]
mod tests;

use rustc_hash::FxHashMap;

use crate::sbom::{CompId, Document};
use graph::{Condensation, Graph, NONE};

/// How a component is reached from the product root(s). See the module docs for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    Direct,
    Transitive,
    Embedded,
    Unattached,
}

impl Exposure {
    /// Stable lower-case name used in JSON output (a contract: keep these).
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Direct => "direct",
            Exposure::Transitive => "transitive",
            Exposure::Embedded => "embedded",
            Exposure::Unattached => "unattached",
        }
    }
}

impl std::fmt::Display for Exposure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The best way found so far into a node, for one of the two path flavours.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// Rank of the root the best path starts from ([`NONE`]: no such path).
    rank: u32,
    /// Relationship index of the last edge ([`NONE`] at a root).
    rel: u32,
    /// Source of that edge.
    from: u32,
    /// For embedded paths: the last edge itself is the embedding edge, so the rest of the walk
    /// back only needs a shortest path (not another embedded one).
    satisfied: bool,
}

impl Step {
    const EMPTY: Step = Step {
        rank: NONE,
        rel: NONE,
        from: NONE,
        satisfied: false,
    };

    fn reached(&self) -> bool {
        self.rank != NONE
    }

    /// Earlier root first, then earlier relationship.
    fn beats(&self, other: &Step) -> bool {
        (self.rank, self.rel) < (other.rank, other.rel)
    }
}

/// One analysis of a document's graph, computed once, for a set of target components.
///
/// [`exposure`](Analysis::exposure), [`path`](Analysis::path) and [`paths`](Analysis::paths)
/// answer for any component; [`roots`](Analysis::roots) is precomputed for the targets given to
/// [`new`](Analysis::new) and computed on demand (O(V + E)) for any other component.
/// Ids outside the document are unattached.
#[derive(Debug)]
pub struct Analysis {
    graph: Graph,
    cond: Condensation,
    /// Shortest distance from the nearest root, [`NONE`] when unreached.
    dist: Vec<u32>,
    /// Best shortest path of any kind.
    any: Vec<Step>,
    /// Best embedded shortest path, when one exists.
    embedded: Vec<Step>,
    /// Path count per SCC.
    counts: Vec<u64>,
    /// Target id -> index into `root_sets`.
    target_slot: FxHashMap<u32, usize>,
    root_sets: Vec<Vec<CompId>>,
}

impl Analysis {
    /// Analyse `targets` (any subset of the document's components; duplicates allowed).
    pub fn new(doc: &Document, targets: &[CompId]) -> Analysis {
        let graph = Graph::new(doc);
        let (dist, any, embedded) = shortest_paths(&graph);
        let cond = Condensation::new(&graph);
        let counts = count_paths(&graph, &cond);

        let mut target_slot = FxHashMap::default();
        let mut distinct = Vec::new();
        for &t in targets {
            if graph.contains(t) && !target_slot.contains_key(&t) {
                target_slot.insert(t, distinct.len());
                distinct.push(t);
            }
        }
        let root_sets = roots::root_sets(&graph, &cond, &distinct);
        Analysis {
            graph,
            cond,
            dist,
            any,
            embedded,
            counts,
            target_slot,
            root_sets,
        }
    }

    /// The exposure of `target`.
    pub fn exposure(&self, target: CompId) -> Exposure {
        match self.distance(target) {
            None => Exposure::Unattached,
            Some(0 | 1) => Exposure::Direct,
            Some(_) if self.embedded[target as usize].reached() => Exposure::Embedded,
            Some(_) => Exposure::Transitive,
        }
    }

    /// Number of edges on a shortest path from a root; `None` when unattached.
    pub fn distance(&self, target: CompId) -> Option<u32> {
        match self.dist.get(target as usize) {
            Some(&d) if d != NONE => Some(d),
            _ => None,
        }
    }

    /// One shortest path from a root to the target, root first, target last (`[root]` for a root
    /// itself); empty when unattached. The choice is documented in the module docs.
    pub fn path(&self, target: CompId) -> Vec<CompId> {
        let mut nodes = Vec::new();
        self.walk(target, |node, _| nodes.push(node));
        nodes.reverse();
        nodes
    }

    /// The relationships (indices into `Document::relationships`) along [`path`](Self::path),
    /// in the same order: `path_edges[i]` goes from `path[i]` to `path[i + 1]`. Empty for a root
    /// and for an unattached component.
    pub fn path_edges(&self, target: CompId) -> Vec<usize> {
        let mut rels = Vec::new();
        self.walk(target, |_, rel| {
            if let Some(rel) = rel {
                rels.push(rel as usize);
            }
        });
        rels.reverse();
        rels
    }

    /// Number of distinct root-to-target paths, saturating at `u64::MAX` (never enumerated).
    /// Counted on the condensation; see the module docs.
    pub fn paths(&self, target: CompId) -> u64 {
        match self.cond.scc_of.get(target as usize) {
            Some(&s) if s != NONE => self.counts[s as usize],
            _ => 0,
        }
    }

    /// Every root that reaches the target, in document root order.
    pub fn roots(&self, target: CompId) -> Vec<CompId> {
        if let Some(&slot) = self.target_slot.get(&target) {
            return self.root_sets[slot].clone();
        }
        if !self.graph.contains(target) {
            return Vec::new();
        }
        roots::root_sets(&self.graph, &self.cond, &[target])
            .pop()
            .unwrap_or_default()
    }

    /// Number of components and of edges analysed (edges with an end outside the document are
    /// not counted).
    pub fn size(&self) -> (usize, usize) {
        (self.graph.n, self.graph.edge_count())
    }

    /// Walk the chosen path back from `target` to its root, calling `visit(node, edge into the
    /// node's successor)`: first `(target, None)`, then `(pred, Some(rel))` for each step.
    fn walk(&self, target: CompId, mut visit: impl FnMut(CompId, Option<u32>)) {
        let Some(d) = self.distance(target) else {
            return;
        };
        visit(target, None);
        let mut need_embedded = self.embedded[target as usize].reached();
        let mut cur = target;
        for _ in 0..d {
            let step = if need_embedded {
                self.embedded[cur as usize]
            } else {
                self.any[cur as usize]
            };
            if step.from == NONE {
                break;
            }
            if step.satisfied {
                need_embedded = false;
            }
            visit(step.from, Some(step.rel));
            cur = step.from;
        }
    }
}

/// Multi-source BFS from the roots, choosing for every node the best predecessor edge of each
/// flavour (any shortest path; embedded shortest path). Nodes leave the queue in non-decreasing
/// distance, so all predecessors of a node on shortest paths are settled before it is expanded.
fn shortest_paths(g: &Graph) -> (Vec<u32>, Vec<Step>, Vec<Step>) {
    let mut dist = vec![NONE; g.n];
    let mut any = vec![Step::EMPTY; g.n];
    let mut embedded = vec![Step::EMPTY; g.n];
    let mut queue: Vec<u32> = Vec::with_capacity(g.roots.len());
    for (rank, &r) in g.roots.iter().enumerate() {
        dist[r as usize] = 0;
        any[r as usize] = Step {
            rank: rank as u32,
            ..Step::EMPTY
        };
        queue.push(r);
    }
    let mut head = 0;
    while let Some(&u) = queue.get(head) {
        head += 1;
        let du = dist[u as usize];
        let via_any = any[u as usize];
        let via_embedded = embedded[u as usize];
        for arc in g.out(u) {
            let w = arc.to as usize;
            if dist[w] == NONE {
                dist[w] = du + 1;
                queue.push(arc.to);
            }
            if dist[w] != du + 1 {
                continue;
            }
            let cand = Step {
                rank: via_any.rank,
                rel: arc.rel,
                from: u,
                satisfied: false,
            };
            if cand.beats(&any[w]) {
                any[w] = cand;
            }
            // An embedding edge whose source is not a root makes the path embedded whatever
            // came before; otherwise the prefix must already be embedded.
            let cand = if arc.embedding && du > 0 {
                Some(Step {
                    satisfied: true,
                    ..cand
                })
            } else if via_embedded.reached() {
                Some(Step {
                    rank: via_embedded.rank,
                    ..cand
                })
            } else {
                None
            };
            if let Some(cand) = cand {
                if cand.beats(&embedded[w]) {
                    embedded[w] = cand;
                }
            }
        }
    }
    (dist, any, embedded)
}

/// Path counts per SCC: 1 for an SCC holding a root, plus the counts of every distinct
/// predecessor SCC, in topological order (decreasing SCC id), saturating.
fn count_paths(g: &Graph, c: &Condensation) -> Vec<u64> {
    let nscc = c.count();
    let mut counts = vec![0u64; nscc];
    for &r in &g.roots {
        counts[c.scc_of[r as usize] as usize] = 1;
    }
    // stamp[t] == s: the condensation edge s -> t was already added.
    let mut stamp = vec![NONE; nscc];
    for s in (0..nscc).rev() {
        let cs = counts[s];
        if cs == 0 {
            continue;
        }
        for &u in c.members(s) {
            for arc in g.out(u) {
                let t = c.scc_of[arc.to as usize];
                if t as usize == s || stamp[t as usize] == s as u32 {
                    continue;
                }
                stamp[t as usize] = s as u32;
                counts[t as usize] = counts[t as usize].saturating_add(cs);
            }
        }
    }
    counts
}
