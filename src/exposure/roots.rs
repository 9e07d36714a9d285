//! Which roots reach which targets: bitsets of roots propagated over the condensation, restricted
//! to the SCCs that can reach a target, processed in blocks of roots so memory stays bounded.
//!
//! Cost: one O(V + E) pass marks the SCCs that reach a target ("relevant"); then the relevant
//! roots (those in relevant SCCs) are split into blocks of `64 * w` roots, where `w` words per
//! relevant SCC keep the block within [`BUDGET_WORDS`]. Each block costs O((V_r + E_r + T) * w)
//! word operations over the relevant part (V_r nodes, E_r edges, T targets), and SCCs with an
//! empty mask are skipped. In total about O((V_r + E_r + T) * ceil(k / 64)) for k relevant roots,
//! in ceil(k / (64 * w)) passes, plus the size of the output.

use super::graph::{Condensation, Graph, NONE};
use crate::sbom::CompId;

/// Upper bound on the bitset memory of one block, in 64-bit words (32 MiB).
const BUDGET_WORDS: usize = 1 << 22;

/// For every target (distinct, in-range node ids), the roots that reach it, in root rank order.
/// Targets no root reaches get an empty list.
pub(crate) fn root_sets(g: &Graph, c: &Condensation, targets: &[u32]) -> Vec<Vec<CompId>> {
    root_sets_with_budget(g, c, targets, BUDGET_WORDS)
}

/// [`root_sets`] with an explicit bitset budget in words (tests use tiny budgets to force many
/// blocks).
pub(crate) fn root_sets_with_budget(
    g: &Graph,
    c: &Condensation,
    targets: &[u32],
    budget_words: usize,
) -> Vec<Vec<CompId>> {
    let mut out = vec![Vec::new(); targets.len()];
    let nscc = c.count();
    if nscc == 0 || targets.is_empty() {
        return out;
    }

    // SCCs that reach some target. Increasing id is a reverse topological order, so every
    // successor is decided before its predecessors.
    let mut relevant = vec![false; nscc];
    for &t in targets {
        let s = c.scc_of[t as usize];
        if s != NONE {
            relevant[s as usize] = true;
        }
    }
    for s in 0..nscc {
        if relevant[s] {
            continue;
        }
        relevant[s] = c.members(s).iter().any(|&u| {
            g.out(u)
                .iter()
                .any(|a| relevant[c.scc_of[a.to as usize] as usize])
        });
    }

    // Dense numbering of the relevant SCCs, in topological order (decreasing SCC id).
    let mut dense = vec![NONE; nscc];
    let mut order: Vec<u32> = Vec::new();
    for s in (0..nscc).rev() {
        if relevant[s] {
            dense[s] = order.len() as u32;
            order.push(s as u32);
        }
    }
    let roots: Vec<u32> = g
        .roots
        .iter()
        .copied()
        .filter(|&r| relevant[c.scc_of[r as usize] as usize])
        .collect();
    if roots.is_empty() {
        return out;
    }

    let words_needed = roots.len().div_ceil(64);
    let w = words_needed.min((budget_words / order.len()).max(1));
    let block = 64 * w;
    let mut masks = vec![0u64; order.len() * w];

    for chunk in roots.chunks(block) {
        masks.iter_mut().for_each(|m| *m = 0);
        for (bit, &r) in chunk.iter().enumerate() {
            let d = dense[c.scc_of[r as usize] as usize] as usize;
            masks[d * w + bit / 64] |= 1u64 << (bit % 64);
        }
        for (d, &s) in order.iter().enumerate() {
            if masks[d * w..(d + 1) * w].iter().all(|&m| m == 0) {
                continue;
            }
            for &u in c.members(s as usize) {
                for a in g.out(u) {
                    let t = c.scc_of[a.to as usize];
                    if t == s {
                        continue;
                    }
                    let dt = dense[t as usize];
                    if dt == NONE {
                        continue;
                    }
                    // Edges go to later positions in `order`, so the source slice and the
                    // target slice never overlap.
                    let (head, tail) = masks.split_at_mut(dt as usize * w);
                    let src = &head[d * w..(d + 1) * w];
                    for (dst, m) in tail[..w].iter_mut().zip(src) {
                        *dst |= *m;
                    }
                }
            }
        }
        for (slot, &t) in targets.iter().enumerate() {
            let s = c.scc_of[t as usize];
            if s == NONE {
                continue;
            }
            let d = dense[s as usize] as usize;
            for (wi, &m) in masks[d * w..(d + 1) * w].iter().enumerate() {
                let mut m = m;
                while m != 0 {
                    let bit = wi * 64 + m.trailing_zeros() as usize;
                    m &= m - 1;
                    if let Some(&r) = chunk.get(bit) {
                        out[slot].push(r);
                    }
                }
            }
        }
    }
    out
}
