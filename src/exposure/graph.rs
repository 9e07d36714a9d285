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

/// One node being explored by the depth-first search.
#[derive(Debug)]
struct Frame {
    node: u32,
    /// Position of the next out-edge to look at.
    next: usize,
    /// No edge from the node's subtree has reached an earlier open node (yet).
    first: bool,
}

impl Frame {
    fn new(node: u32) -> Frame {
        Frame {
            node,
            next: 0,
            first: true,
        }
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
    /// Tarjan's algorithm from every root in rank order, in Pearce's one-array form and with an
    /// explicit call stack instead of recursion (depth is limited only by memory). Time O(V + E)
    /// and one `u32` per node plus the stacks.
    ///
    /// `rindex[v]` is 0 while `v` is unvisited; while `v` is open it holds its DFS number, lowered
    /// to the smallest number reachable; once `v`'s SCC is complete it holds a component number
    /// counted down from `n` (never 0). Completed numbers are never below an open DFS number (there
    /// are never more open nodes than components left to number), so the strict `<` below
    /// ignores completed nodes without an on-stack flag.
    pub fn new(g: &Graph) -> Condensation {
        let n = g.n;
        let mut rindex = vec![0u32; n];
        let mut next_index: u32 = 1;
        let mut done: u32 = 0;
        // Nodes whose SCC is still open and that are not the SCC's first-visited node.
        let mut stack: Vec<u32> = Vec::new();
        let mut call: Vec<Frame> = Vec::new();
        let mut members = Vec::new();
        let mut member_start = vec![0usize];

        for &root in &g.roots {
            if rindex[root as usize] != 0 {
                continue;
            }
            rindex[root as usize] = next_index;
            next_index += 1;
            call.push(Frame::new(root));

            while let Some(frame) = call.last_mut() {
                let v = frame.node as usize;
                if let Some(arc) = g.out(frame.node).get(frame.next) {
                    let w = arc.to as usize;
                    if rindex[w] == 0 {
                        // Descend; the same edge is looked at again once `w` is finished.
                        rindex[w] = next_index;
                        next_index += 1;
                        call.push(Frame::new(arc.to));
                        continue;
                    }
                    frame.next += 1;
                    if rindex[w] < rindex[v] {
                        rindex[v] = rindex[w];
                        frame.first = false;
                    }
                    continue;
                }
                let first = frame.first;
                call.pop();
                if !first {
                    stack.push(v as u32);
                    continue;
                }
                // `v` is the first-visited node of a complete SCC: number it.
                let comp = n as u32 - done;
                done += 1;
                next_index -= 1;
                while let Some(&w) = stack.last() {
                    if rindex[v] > rindex[w as usize] {
                        break;
                    }
                    stack.pop();
                    rindex[w as usize] = comp;
                    next_index -= 1;
                    members.push(w);
                }
                rindex[v] = comp;
                members.push(v as u32);
                member_start.push(members.len());
            }
        }

        // Component numbers run down from n in completion order; SCC ids run up from 0.
        let scc_of = rindex
            .into_iter()
            .map(|r| if r == 0 { NONE } else { n as u32 - r })
            .collect();
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
