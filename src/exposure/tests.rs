//! Tests for the exposure analysis: hand-built graphs for each rule, large graphs for depth and
//! saturation, and property tests against independent brute-force searches.

use super::*;
use crate::sbom::{Component, DepScope, Document, Format, RelKind, Relationship, RootSource};

const DEP: RelKind = RelKind::DependsOn(DepScope::Unspecified);

fn doc(n: usize, edges: &[(u32, u32, RelKind)], roots: &[u32]) -> Document {
    Document {
        source: "test".into(),
        format: Format::CycloneDxJson,
        spec_version: "1.6".into(),
        name: None,
        serial: None,
        components: (0..n)
            .map(|i| Component {
                bom_ref: format!("c{i}").into(),
                name: format!("c{i}").into(),
                ..Component::default()
            })
            .collect(),
        relationships: edges
            .iter()
            .map(|(from, to, kind)| Relationship {
                from: *from,
                to: *to,
                kind: kind.clone(),
                inferred: false,
            })
            .collect(),
        roots: roots.to_vec(),
        root_source: RootSource::Declared,
        warnings: Vec::new(),
    }
}

fn all(n: usize) -> Vec<CompId> {
    (0..n as u32).collect()
}

fn analyse(n: usize, edges: &[(u32, u32, RelKind)], roots: &[u32]) -> Analysis {
    Analysis::new(&doc(n, edges, roots), &all(n))
}

/// A chain of `k` diamonds: node 3i fans out to 3i+1 and 3i+2, which both lead to 3i+3.
/// The last node (3k) is reached by 2^k paths from root 0.
fn diamond_ladder(k: usize) -> (usize, Vec<(u32, u32, RelKind)>) {
    let mut edges = Vec::new();
    for i in 0..k as u32 {
        let a = 3 * i;
        edges.push((a, a + 1, DEP));
        edges.push((a, a + 2, DEP));
        edges.push((a + 1, a + 3, DEP));
        edges.push((a + 2, a + 3, DEP));
    }
    (3 * k + 1, edges)
}

#[test]
fn exposure_names_are_stable_and_serialise_lowercase() {
    let all = [
        (Exposure::Direct, "direct"),
        (Exposure::Transitive, "transitive"),
        (Exposure::Embedded, "embedded"),
        (Exposure::Unattached, "unattached"),
    ];
    for (e, name) in all {
        assert_eq!(e.as_str(), name);
        assert_eq!(e.to_string(), name);
        assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{name}\""));
    }
}

#[test]
fn diamond_counts_both_branches_and_picks_the_earlier_edge() {
    // 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3
    let a = analyse(
        4,
        &[(0, 2, DEP), (0, 1, DEP), (1, 3, DEP), (2, 3, DEP)],
        &[0],
    );
    assert_eq!(a.paths(3), 2);
    assert_eq!(a.exposure(3), Exposure::Transitive);
    assert_eq!(a.distance(3), Some(2));
    // Walking back from 3 the earliest relationship into 3 is 1 -> 3.
    assert_eq!(a.path(3), vec![0, 1, 3]);
    assert_eq!(a.path_edges(3), vec![1, 2]);
    assert_eq!(a.roots(3), vec![0]);
    assert_eq!(a.exposure(1), Exposure::Direct);
    assert_eq!(a.paths(1), 1);
}

#[test]
fn ladder_of_sixty_diamonds_has_exactly_two_to_the_sixty_paths() {
    let (n, edges) = diamond_ladder(60);
    let a = analyse(n, &edges, &[0]);
    assert_eq!(a.paths(n as u32 - 1), 1u64 << 60);
    assert_eq!(a.paths(n as u32 - 4), 1u64 << 59);
    assert_eq!(a.distance(n as u32 - 1), Some(120));
}

#[test]
fn path_counts_saturate_just_past_u64() {
    let (n, edges) = diamond_ladder(64);
    let a = analyse(n, &edges, &[0]);
    // 2^63 still fits; 2^64 does not.
    assert_eq!(a.paths(n as u32 - 4), 1u64 << 63);
    assert_eq!(a.paths(n as u32 - 1), u64::MAX);
}

#[test]
fn ladder_of_seventy_diamonds_saturates() {
    let (n, edges) = diamond_ladder(70);
    let a = analyse(n, &edges, &[0]);
    assert_eq!(a.paths(n as u32 - 1), u64::MAX);
    assert_eq!(a.exposure(n as u32 - 1), Exposure::Transitive);
}

#[test]
fn cycle_is_collapsed_when_counting_paths() {
    // 0 -> 1, 0 -> 2, 1 <-> 2, 1 -> 3, 2 -> 3
    let a = analyse(
        4,
        &[
            (0, 1, DEP),
            (0, 2, DEP),
            (1, 2, DEP),
            (2, 1, DEP),
            (1, 3, DEP),
            (2, 3, DEP),
        ],
        &[0],
    );
    // {1, 2} is one SCC: the only condensation path to 3 is 0 -> {1,2} -> 3.
    assert_eq!(a.paths(1), 1);
    assert_eq!(a.paths(2), 1);
    assert_eq!(a.paths(3), 1);
    assert_eq!(a.distance(3), Some(2));
    assert_eq!(a.exposure(2), Exposure::Direct);
}

#[test]
fn long_cycle_terminates_and_reports_shortest_distances() {
    // 0 -> 1 -> 2 -> 3 -> 1, and 3 -> 4
    let a = analyse(
        5,
        &[
            (0, 1, DEP),
            (1, 2, DEP),
            (2, 3, DEP),
            (3, 1, DEP),
            (3, 4, DEP),
        ],
        &[0],
    );
    assert_eq!(a.path(4), vec![0, 1, 2, 3, 4]);
    assert_eq!(a.paths(4), 1);
    assert_eq!(a.exposure(4), Exposure::Transitive);
    assert_eq!(a.roots(4), vec![0]);
}

#[test]
fn self_loops_change_nothing() {
    let a = analyse(
        3,
        &[
            (0, 0, DEP),
            (0, 1, DEP),
            (1, 1, RelKind::Contains),
            (1, 2, DEP),
        ],
        &[0],
    );
    assert_eq!(a.paths(0), 1);
    assert_eq!(a.paths(1), 1);
    assert_eq!(a.paths(2), 1);
    assert_eq!(a.path(0), vec![0]);
    assert_eq!(a.exposure(0), Exposure::Direct);
    assert_eq!(a.exposure(1), Exposure::Direct);
    assert_eq!(a.exposure(2), Exposure::Transitive);
}

#[test]
fn root_inside_a_cycle_counts_once() {
    // 0 -> 1 -> 0, 1 -> 2
    let a = analyse(3, &[(0, 1, DEP), (1, 0, DEP), (1, 2, DEP)], &[0]);
    assert_eq!(a.paths(0), 1);
    assert_eq!(a.paths(1), 1);
    assert_eq!(a.paths(2), 1);
    assert_eq!(a.exposure(0), Exposure::Direct);
    assert_eq!(a.path(0), vec![0]);
    assert_eq!(a.path(2), vec![0, 1, 2]);
}

#[test]
fn root_in_the_targets_scc_counts_once_plus_paths_from_other_roots() {
    // roots 0 and 2; 0 <-> 1; 2 -> 1
    let a = analyse(3, &[(0, 1, DEP), (1, 0, DEP), (2, 1, DEP)], &[0, 2]);
    assert_eq!(a.paths(1), 2);
    assert_eq!(a.paths(0), 2);
    assert_eq!(a.roots(1), vec![0, 2]);
    assert_eq!(a.roots(0), vec![0, 2]);
}

#[test]
fn several_roots_are_listed_in_document_order() {
    // roots listed as [2, 0, 2]; 0 -> 1, 2 -> 1, 2 -> 3 -> 1, 4 isolated
    let edges = [(0, 1, DEP), (2, 1, DEP), (2, 3, DEP), (3, 1, DEP)];
    let a = analyse(5, &edges, &[2, 0, 2]);
    assert_eq!(a.roots(1), vec![2, 0]);
    assert_eq!(a.paths(1), 3);
    assert_eq!(a.exposure(1), Exposure::Direct);
    // Both roots are one edge away: the first root in document order wins.
    assert_eq!(a.path(1), vec![2, 1]);
    assert_eq!(a.roots(3), vec![2]);
    assert_eq!(a.roots(0), vec![0]);
    assert!(a.roots(4).is_empty());
}

#[test]
fn a_root_reached_from_another_root_is_direct_and_lists_both() {
    let a = analyse(3, &[(0, 1, DEP), (1, 2, DEP)], &[0, 1]);
    assert_eq!(a.exposure(1), Exposure::Direct);
    assert_eq!(a.path(1), vec![1]);
    assert_eq!(a.roots(1), vec![0, 1]);
    assert_eq!(a.paths(1), 2);
    assert_eq!(a.path(2), vec![1, 2]);
    assert_eq!(a.paths(2), 2);
}

#[test]
fn unreached_components_are_unattached() {
    let a = analyse(4, &[(0, 1, DEP), (2, 3, RelKind::Contains)], &[0]);
    for t in [2, 3] {
        assert_eq!(a.exposure(t), Exposure::Unattached);
        assert!(a.path(t).is_empty());
        assert!(a.path_edges(t).is_empty());
        assert_eq!(a.paths(t), 0);
        assert!(a.roots(t).is_empty());
        assert_eq!(a.distance(t), None);
    }
}

#[test]
fn without_roots_everything_is_unattached() {
    let a = analyse(3, &[(0, 1, DEP), (1, 2, DEP)], &[]);
    for t in 0..3 {
        assert_eq!(a.exposure(t), Exposure::Unattached);
        assert_eq!(a.paths(t), 0);
        assert!(a.roots(t).is_empty());
    }
}

#[test]
fn ids_outside_the_document_are_unattached_and_ignored() {
    // An edge and a root pointing past the component list, and a target past it too.
    let d = doc(
        2,
        &[(0, 1, DEP), (0, 9, DEP), (9, 1, RelKind::Contains)],
        &[0, 7],
    );
    let a = Analysis::new(&d, &[1, 5, u32::MAX]);
    assert_eq!(a.size(), (2, 1));
    assert_eq!(a.exposure(1), Exposure::Direct);
    assert_eq!(a.roots(1), vec![0]);
    for t in [5, 9, u32::MAX] {
        assert_eq!(a.exposure(t), Exposure::Unattached);
        assert!(a.path(t).is_empty());
        assert_eq!(a.paths(t), 0);
        assert!(a.roots(t).is_empty());
    }
}

#[test]
fn containment_directly_under_a_root_is_direct() {
    let a = analyse(2, &[(0, 1, RelKind::Contains)], &[0]);
    assert_eq!(a.exposure(1), Exposure::Direct);
    let a = analyse(2, &[(0, 1, RelKind::StaticLink)], &[0]);
    assert_eq!(a.exposure(1), Exposure::Direct);
}

#[test]
fn containment_below_another_component_is_embedded() {
    // root contains A contains X
    let a = analyse(
        3,
        &[(0, 1, RelKind::Contains), (1, 2, RelKind::Contains)],
        &[0],
    );
    assert_eq!(a.exposure(2), Exposure::Embedded);
    // root depends-on A contains X
    let a = analyse(3, &[(0, 1, DEP), (1, 2, RelKind::Contains)], &[0]);
    assert_eq!(a.exposure(2), Exposure::Embedded);
    // root depends-on A, A statically links X
    let a = analyse(3, &[(0, 1, DEP), (1, 2, RelKind::StaticLink)], &[0]);
    assert_eq!(a.exposure(2), Exposure::Embedded);
    // pedigree: A derives from X
    for kind in [RelKind::Ancestor, RelKind::Descendant, RelKind::Variant] {
        let a = analyse(3, &[(0, 1, DEP), (1, 2, kind)], &[0]);
        assert_eq!(a.exposure(2), Exposure::Embedded);
    }
    // nesting earlier on the path makes everything below it embedded
    let a = analyse(
        4,
        &[(0, 1, DEP), (1, 2, RelKind::Contains), (2, 3, DEP)],
        &[0],
    );
    assert_eq!(a.exposure(3), Exposure::Embedded);
}

#[test]
fn non_embedding_chains_are_transitive() {
    let kinds = [
        DEP,
        RelKind::DependsOn(DepScope::Dev),
        RelKind::DynamicLink,
        RelKind::GeneratedFrom,
        RelKind::Other("TEST_OF".into()),
    ];
    for kind in kinds {
        let a = analyse(3, &[(0, 1, kind.clone()), (1, 2, kind)], &[0]);
        assert_eq!(a.exposure(2), Exposure::Transitive);
    }
    // root contains A depends-on X: the containment is at the root, X is only a dependency.
    let a = analyse(3, &[(0, 1, RelKind::Contains), (1, 2, DEP)], &[0]);
    assert_eq!(a.exposure(2), Exposure::Transitive);
}

#[test]
fn an_equally_short_embedded_path_wins_over_earlier_plain_ones() {
    // Plain path 0 -> 1 -> 3 uses earlier relationships; 0 -> 2 contains 3 is as short.
    let edges = [
        (0, 1, DEP),
        (1, 3, DEP),
        (0, 2, DEP),
        (2, 3, RelKind::Contains),
    ];
    let a = analyse(4, &edges, &[0]);
    assert_eq!(a.exposure(3), Exposure::Embedded);
    assert_eq!(a.path(3), vec![0, 2, 3]);
    assert_eq!(a.path_edges(3), vec![2, 3]);
}

#[test]
fn a_longer_embedded_path_does_not_beat_a_shorter_plain_one() {
    let edges = [
        (0, 1, DEP),
        (1, 2, RelKind::Contains),
        (2, 3, RelKind::Contains),
        (0, 4, DEP),
        (4, 3, DEP),
    ];
    let a = analyse(5, &edges, &[0]);
    assert_eq!(a.exposure(3), Exposure::Transitive);
    assert_eq!(a.path(3), vec![0, 4, 3]);
}

#[test]
fn parallel_edges_pick_the_embedding_one_when_it_matters() {
    // 0 -> 1, then 1 -> 2 twice: depends-on first, contains second.
    let edges = [(0, 1, DEP), (1, 2, DEP), (1, 2, RelKind::Contains)];
    let a = analyse(3, &edges, &[0]);
    assert_eq!(a.exposure(2), Exposure::Embedded);
    assert_eq!(a.path_edges(2), vec![0, 2]);
    // Parallel edges are one condensation edge.
    assert_eq!(a.paths(2), 1);
}

#[test]
fn embedded_prefix_is_followed_back_to_the_embedding_edge() {
    // Two shortest routes to 4: 0 -> 1 -> 3 -> 4 (plain) and 0 -> 2 =contains=> 3 -> 4.
    // The path to 4 must go through the containment even though 1 -> 3 comes first.
    let edges = [
        (0, 1, DEP),
        (1, 3, DEP),
        (0, 2, DEP),
        (2, 3, RelKind::Contains),
        (3, 4, DEP),
    ];
    let a = analyse(5, &edges, &[0]);
    assert_eq!(a.exposure(4), Exposure::Embedded);
    assert_eq!(a.path(4), vec![0, 2, 3, 4]);
}

#[test]
fn after_the_embedding_edge_the_earliest_root_is_preferred() {
    // roots [0, 1]. 0 -> 2, 1 -> 2 (both plain), 2 =contains=> 3. Root 0 is earlier.
    let edges = [(1, 2, DEP), (0, 2, DEP), (2, 3, RelKind::Contains)];
    let a = analyse(4, &edges, &[0, 1]);
    assert_eq!(a.path(3), vec![0, 2, 3]);
    assert_eq!(a.exposure(3), Exposure::Embedded);
    assert_eq!(a.roots(3), vec![0, 1]);
}

#[test]
fn deep_chain_of_two_hundred_thousand_nodes() {
    let n = 200_000usize;
    let edges: Vec<_> = (0..n as u32 - 1).map(|i| (i, i + 1, DEP)).collect();
    let d = doc(n, &edges, &[0]);
    let last = n as u32 - 1;
    let a = Analysis::new(&d, &[last, 1]);
    assert_eq!(a.distance(last), Some(last));
    assert_eq!(a.path(last).len(), n);
    assert_eq!(a.paths(last), 1);
    assert_eq!(a.roots(last), vec![0]);
    assert_eq!(a.exposure(last), Exposure::Transitive);
}

#[test]
fn deep_cycle_of_two_hundred_thousand_nodes_is_one_scc() {
    let n = 200_000usize;
    let mut edges: Vec<_> = (0..n as u32 - 1).map(|i| (i, i + 1, DEP)).collect();
    edges.push((n as u32 - 1, 0, DEP));
    let d = doc(n, &edges, &[0]);
    let a = Analysis::new(&d, &[n as u32 / 2]);
    assert_eq!(a.cond.count(), 1);
    assert_eq!(a.paths(n as u32 / 2), 1);
    assert_eq!(a.roots(n as u32 / 2), vec![0]);
}

#[test]
fn duplicate_targets_get_the_same_answers() {
    let edges = [(0, 1, DEP), (1, 2, RelKind::Contains)];
    let d = doc(3, &edges, &[0]);
    let a = Analysis::new(&d, &[2, 2, 1, 2]);
    assert_eq!(a.roots(2), vec![0]);
    assert_eq!(a.exposure(2), Exposure::Embedded);
}

#[test]
fn roots_of_a_component_that_was_not_a_target_are_computed_on_demand() {
    let edges = [(0, 1, DEP), (2, 1, DEP), (1, 3, DEP)];
    let d = doc(4, &edges, &[0, 2]);
    let with = Analysis::new(&d, &all(4));
    let without = Analysis::new(&d, &[]);
    for t in 0..4 {
        assert_eq!(with.roots(t), without.roots(t));
    }
    assert_eq!(without.roots(3), vec![0, 2]);
}

#[test]
fn many_roots_across_words_and_blocks_stay_in_document_order() {
    // 200 roots (ids 0..200, listed in reverse), every third one reaching the hub 200,
    // which reaches 201. 202 is reached only by root 5.
    let mut edges = Vec::new();
    for r in (0..200u32).step_by(3) {
        edges.push((r, 200, DEP));
    }
    edges.push((200, 201, DEP));
    edges.push((5, 202, DEP));
    let roots: Vec<u32> = (0..200u32).rev().collect();
    let d = doc(203, &edges, &roots);
    let expected: Vec<u32> = (0..200u32).rev().filter(|r| r % 3 == 0).collect();
    let g = Graph::new(&d);
    let c = Condensation::new(&g);
    for budget in [1, 2, 3, 1 << 22] {
        let sets = roots::root_sets_with_budget(&g, &c, &[201, 202, 200], budget);
        assert_eq!(sets[0], expected, "budget {budget}");
        assert_eq!(sets[1], vec![5], "budget {budget}");
        assert_eq!(sets[2], expected, "budget {budget}");
    }
    let a = Analysis::new(&d, &[201]);
    assert_eq!(a.roots(201), expected);
    assert_eq!(a.paths(201), expected.len() as u64);
}

/// Measures a 1M-node / 3M-edge random graph. Run with
/// `cargo test --release --lib exposure::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_one_million_nodes_three_million_edges() {
    let n = 1_000_000usize;
    let m = 3_000_000usize;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let kinds = [DEP, RelKind::Contains, RelKind::DynamicLink];
    let edges: Vec<_> = (0..m)
        .map(|_| {
            let a = (next() % n as u64) as u32;
            let b = (next() % n as u64) as u32;
            (a, b, kinds[(next() % 3) as usize].clone())
        })
        .collect();
    let roots: Vec<u32> = (0..1000).map(|_| (next() % n as u64) as u32).collect();
    let d = doc(n, &edges, &roots);
    let targets: Vec<u32> = (0..1000).map(|_| (next() % n as u64) as u32).collect();
    let cpu0 = cpu_seconds();
    let t0 = std::time::Instant::now();
    let a = Analysis::new(&d, &targets);
    let built = t0.elapsed();
    let cpu_built = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let mut len = 0usize;
    let mut roots_total = 0usize;
    for &t in &targets {
        len += a.path(t).len();
        roots_total += a.roots(t).len();
        let _ = a.paths(t);
        let _ = a.exposure(t);
    }
    println!(
        "n={n} m={m} roots=1000 targets=1000: new {built:?} (cpu {cpu_built:?} s), queries {:?}, path len sum {len}, roots sum {roots_total}, sccs {}",
        t0.elapsed() - built,
        a.cond.count()
    );
}

/// User + system CPU time of this process in seconds (Linux only; `None` elsewhere), so that a
/// measurement on a busy machine is not just wall-clock time.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(ticks / 100.0)
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const INF: u32 = u32::MAX;

    fn kind(k: u8) -> RelKind {
        match k {
            0 => DEP,
            1 => RelKind::Contains,
            2 => RelKind::DynamicLink,
            3 => RelKind::StaticLink,
            _ => RelKind::Ancestor,
        }
    }

    fn is_embedding(k: u8) -> bool {
        matches!(k, 1 | 3 | 4)
    }

    type Case = (usize, Vec<(u32, u32, u8)>, Vec<u32>);

    fn graphs(max_nodes: usize, max_edges: usize) -> impl Strategy<Value = Case> {
        (1..=max_nodes).prop_flat_map(move |n| {
            let e = (0..n as u32, 0..n as u32, 0u8..5);
            (
                Just(n),
                proptest::collection::vec(e, 0..=max_edges),
                proptest::collection::vec(0..n as u32, 0..4),
            )
        })
    }

    fn build(case: &Case) -> Document {
        let (n, edges, roots) = case;
        let edges: Vec<_> = edges.iter().map(|&(a, b, k)| (a, b, kind(k))).collect();
        doc(*n, &edges, roots)
    }

    /// All-pairs shortest edge counts (Floyd–Warshall), INF when unreachable.
    fn floyd(n: usize, edges: &[(u32, u32, u8)]) -> Vec<Vec<u32>> {
        let mut d = vec![vec![INF; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0;
        }
        for &(a, b, _) in edges {
            if a != b {
                d[a as usize][b as usize] = 1;
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if d[i][k] != INF && d[k][j] != INF && d[i][k] + d[k][j] < d[i][j] {
                        d[i][j] = d[i][k] + d[k][j];
                    }
                }
            }
        }
        d
    }

    fn distinct(roots: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        for &r in roots {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    /// Every shortest path (as relationship indices) from any root to `t`, with its root.
    fn shortest_paths(case: &Case, d: &[Vec<u32>], t: u32, best: u32) -> Vec<(u32, Vec<usize>)> {
        let (_, edges, roots) = case;
        let mut out = Vec::new();
        for r in distinct(roots) {
            if d[r as usize][t as usize] != best {
                continue;
            }
            let mut stack = vec![(r, Vec::<usize>::new())];
            while let Some((v, rels)) = stack.pop() {
                if rels.len() as u32 == best {
                    if v == t {
                        out.push((r, rels));
                    }
                    continue;
                }
                for (i, &(a, b, _)) in edges.iter().enumerate() {
                    let left = best - rels.len() as u32 - 1;
                    if a == v && d[b as usize][t as usize] == left {
                        let mut next = rels.clone();
                        next.push(i);
                        stack.push((b, next));
                    }
                }
            }
        }
        out
    }

    /// Paths counted on the condensation, by plain enumeration.
    fn condensation_paths(case: &Case, d: &[Vec<u32>], t: u32) -> u64 {
        let (n, edges, roots) = case;
        let n = *n;
        // SCC representative: smallest node mutually reachable with v.
        let rep = |v: usize| {
            (0..n)
                .find(|&u| d[u][v] != INF && d[v][u] != INF)
                .unwrap_or(v)
        };
        let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b, _) in edges {
            let (ra, rb) = (rep(a as usize), rep(b as usize));
            if ra != rb && !dag[ra].contains(&rb) {
                dag[ra].push(rb);
            }
        }
        let target = rep(t as usize);
        let mut starts: Vec<usize> = roots.iter().map(|&r| rep(r as usize)).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut count = 0u64;
        for s in starts {
            let mut stack = vec![s];
            while let Some(v) = stack.pop() {
                if v == target {
                    count += 1;
                }
                stack.extend(dag[v].iter().copied());
            }
        }
        count
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Distance, reachability, roots, path validity, classification and the path choice
        /// agree with brute force on random small graphs with cycles and parallel edges.
        #[test]
        fn analysis_matches_brute_force(case in graphs(7, 14)) {
            let document = build(&case);
            let (n, edges, roots) = &case;
            let a = Analysis::new(&document, &all(*n));
            let d = floyd(*n, edges);
            let root_order = distinct(roots);
            for t in 0..*n as u32 {
                let best = root_order.iter().map(|&r| d[r as usize][t as usize]).min().unwrap_or(INF);
                let reaching: Vec<u32> = root_order
                    .iter()
                    .copied()
                    .filter(|&r| d[r as usize][t as usize] != INF)
                    .collect();
                prop_assert_eq!(a.roots(t), reaching);
                if best == INF {
                    prop_assert_eq!(a.exposure(t), Exposure::Unattached);
                    prop_assert!(a.path(t).is_empty());
                    prop_assert_eq!(a.paths(t), 0);
                    continue;
                }
                prop_assert_eq!(a.distance(t), Some(best));

                // path() is a real path from a root, and path_edges() are its edges.
                let path = a.path(t);
                let rels = a.path_edges(t);
                prop_assert_eq!(path.len() as u32, best + 1);
                prop_assert_eq!(rels.len() as u32, best);
                prop_assert!(root_order.contains(&path[0]));
                prop_assert_eq!(*path.last().unwrap(), t);
                for (i, &rel) in rels.iter().enumerate() {
                    let (from, to, _) = edges[rel];
                    prop_assert_eq!((from, to), (path[i], path[i + 1]));
                }

                // Classification against every shortest path.
                let is_root = |v: u32| root_order.contains(&v);
                let embedded = |p: &[usize]| p.iter().any(|&i| {
                    let (from, _, k) = edges[i];
                    is_embedding(k) && !is_root(from)
                });
                let all_paths = shortest_paths(&case, &d, t, best);
                prop_assert!(!all_paths.is_empty());
                let any_embedded = all_paths.iter().any(|(_, p)| embedded(p));
                let expected = if best <= 1 {
                    Exposure::Direct
                } else if any_embedded {
                    Exposure::Embedded
                } else {
                    Exposure::Transitive
                };
                prop_assert_eq!(a.exposure(t), expected);
                prop_assert_eq!(embedded(&rels), expected == Exposure::Embedded);

                // The documented choice: embedded if possible, then earliest root, then
                // earliest relationships walking back from the target.
                let rank = |r: u32| root_order.iter().position(|&x| x == r).unwrap();
                let chosen = all_paths
                    .iter()
                    .filter(|(_, p)| !any_embedded || embedded(p))
                    .min_by_key(|(r, p)| (rank(*r), p.iter().rev().copied().collect::<Vec<_>>()))
                    .unwrap();
                prop_assert_eq!(path[0], chosen.0);
                prop_assert_eq!(&rels, &chosen.1);

                prop_assert_eq!(a.paths(t), condensation_paths(&case, &d, t));
            }
        }

        /// On random DAGs the count is the number of distinct root-to-target node sequences,
        /// enumerated directly on the graph.
        #[test]
        fn path_counts_on_dags_match_enumeration(case in graphs(8, 20)) {
            // Keep only forward edges (a < b) to get a DAG.
            let (n, edges, roots) = case;
            let edges: Vec<_> = edges.into_iter().filter(|(a, b, _)| a < b).collect();
            let case = (n, edges, roots);
            let a = Analysis::new(&build(&case), &all(n));
            let (_, edges, roots) = &case;
            for t in 0..n as u32 {
                let mut seqs = std::collections::BTreeSet::new();
                for r in distinct(roots) {
                    let mut stack = vec![vec![r]];
                    while let Some(p) = stack.pop() {
                        let v = *p.last().unwrap();
                        if v == t {
                            seqs.insert(p.clone());
                        }
                        for &(x, y, _) in edges.iter() {
                            if x == v {
                                let mut q = p.clone();
                                q.push(y);
                                stack.push(q);
                            }
                        }
                    }
                }
                prop_assert_eq!(a.paths(t), seqs.len() as u64);
            }
        }

        /// Root sets do not depend on the block size used to compute them.
        #[test]
        fn root_sets_are_independent_of_the_block_budget(
            case in (60usize..300).prop_flat_map(|n| (
                Just(n),
                proptest::collection::vec((0..n as u32, 0..n as u32, 0u8..5), 0..=2 * n),
                proptest::collection::vec(0..n as u32, 0..n),
            )),
            budget in 1usize..4,
        ) {
            let (n, _, _) = case;
            let d = build(&case);
            let g = Graph::new(&d);
            let c = Condensation::new(&g);
            let targets = all(n);
            prop_assert_eq!(
                roots::root_sets_with_budget(&g, &c, &targets, budget),
                roots::root_sets_with_budget(&g, &c, &targets, 1 << 22)
            );
        }
    }
}
