//! The graph structures behind [`super::Analysis`]: a compact forward adjacency built from a
//! document's relationships, the distinct product roots, and the strongly connected components
//! of the part of the graph reachable from those roots (iterative Tarjan, no recursion).
//!
//! Everything here is internal; ids handed in by a document are validated once, in
//! [`Graph::new`], so the rest of the module can index its own arrays freely.

use crate::sbom::Document;

/// "No value" marker for node ids, SCC ids, distances, ranks and relationship indices.
pub(crate) const NONE: u32 = u32::MAX;

/// One outgoing edge as stored in the adjacency.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arc {
    /// Target node.
    pub to: u32,
    /// Index of the relationship in `Document::relationships`.
    pub rel: u32,
    /// `RelKind::is_embedding()` of that relationship.
    pub embedding: bool,
}

/// Forward adjacency in compressed sparse row form. Out-edges of every node keep document order.
#[derive(Debug)]
pub(crate) struct Graph {
    /// Number of nodes (components), capped at `u32::MAX` so that [`NONE`] is never a node.
    pub n: usize,
    /// `start[v]..start[v + 1]` is the slice of `arcs` leaving `v`.
    start: Vec<usize>,
    arcs: Vec<Arc>,
    /// Distinct, in-range roots in the order of `Document::roots`; the position is the rank.
    pub roots: Vec<u32>,
}

impl Graph {
    /// Build the adjacency. Relationships with an end outside the component list (impossible for
    /// documents from the builder, but the model is a plain struct) and relationships past index
    /// `u32::MAX - 1` are skipped; so are roots outside the component list and repeated roots.
    pub fn new(doc: &Document) -> Graph {
        let n = doc.components.len().min(NONE as usize);
        let valid = |from: u32, to: u32| (from as usize) < n && (to as usize) < n;
        let rels = doc.relationships.iter().take(NONE as usize).enumerate();

        let mut start = vec![0usize; n + 1];
        for (_, r) in rels.clone() {
            if valid(r.from, r.to) {
                start[r.from as usize + 1] += 1;
            }
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let placeholder = Arc {
            to: 0,
            rel: 0,
            embedding: false,
        };
        let mut arcs = vec![placeholder; start[n]];
        for (i, r) in rels {
            if valid(r.from, r.to) {
                let slot = &mut fill[r.from as usize];
                arcs[*slot] = Arc {
                    to: r.to,
                    rel: i as u32,
                    embedding: r.kind.is_embedding(),
                };
                *slot += 1;
            }
        }

        let mut seen = vec![false; n];
        let mut roots = Vec::new();
        for &r in &doc.roots {
            if (r as usize) < n && !seen[r as usize] {
                seen[r as usize] = true;
                roots.push(r);
            }
        }
        Graph {
            n,
            start,
            arcs,
            roots,
        }
    }

    /// True when `v` is a node of this graph.
    pub fn contains(&self, v: u32) -> bool {
        (v as usize) < self.n
    }

    /// Out-edges of `v`, in document order.
    pub fn out(&self, v: u32) -> &[Arc] {
        let v = v as usize;
        &self.arcs[self.start[v]..self.start[v + 1]]
    }

    /// Number of stored edges.
    pub fn edge_count(&self) -> usize {
        self.arcs.len()
    }
}

/// Strongly connected components of the subgraph reachable from the roots.
///
/// SCC ids are assigned in Tarjan's completion order, so every edge between two different SCCs
/// goes from a higher id to a lower one: decreasing id is a topological order, increasing id a
/// reverse topological order.
#[derive(Debug)]
pub(crate) struct Condensation {
    /// SCC of every node, [`NONE`] for nodes no root reaches.
    pub scc_of: Vec<u32>,
    /// Nodes grouped by SCC; `member_start[s]..member_start[s + 1]` are the members of `s`.
    members: Vec<u32>,
    member_start: Vec<usize>,
}

impl Condensation {
    /// Iterative Tarjan from every root in rank order. Memory and time O(V + E) of the reachable
    /// part; the explicit call stack replaces recursion, so depth is limited only by memory.
    pub fn new(g: &Graph) -> Condensation {
        let n = g.n;
        let mut index = vec![NONE; n];
        let mut low = vec![NONE; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        // (node, position of the next out-edge to look at)
        let mut call: Vec<(u32, usize)> = Vec::new();
        let mut counter: u32 = 0;

        let mut scc_of = vec![NONE; n];
        let mut members = Vec::new();
        let mut member_start = vec![0usize];

        for &root in &g.roots {
            if index[root as usize] != NONE {
                continue;
            }
            index[root as usize] = counter;
            low[root as usize] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root as usize] = true;
            call.push((root, 0));

            while let Some(frame) = call.last_mut() {
                let v = frame.0;
                let out = g.out(v);
                if let Some(arc) = out.get(frame.1) {
                    frame.1 += 1;
                    let w = arc.to as usize;
                    if index[w] == NONE {
                        index[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        stack.push(arc.to);
                        on_stack[w] = true;
                        call.push((arc.to, 0));
                    } else if on_stack[w] {
                        let lv = &mut low[v as usize];
                        *lv = (*lv).min(index[w]);
                    }
                    continue;
                }
                call.pop();
                let lv = low[v as usize];
                if let Some(&(parent, _)) = call.last() {
                    let lp = &mut low[parent as usize];
                    *lp = (*lp).min(lv);
                }
                if lv == index[v as usize] {
                    let id = (member_start.len() - 1) as u32;
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        scc_of[w as usize] = id;
                        members.push(w);
                        if w == v {
                            break;
                        }
                    }
                    member_start.push(members.len());
                }
            }
        }
        Condensation {
            scc_of,
            members,
            member_start,
        }
    }

    /// Number of SCCs.
    pub fn count(&self) -> usize {
        self.member_start.len() - 1
    }

    /// Members of SCC `s`.
    pub fn members(&self, s: usize) -> &[u32] {
        &self.members[self.member_start[s]..self.member_start[s + 1]]
    }
}
