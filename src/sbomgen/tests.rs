//! The generator's promises: determinism, documents bomvet reads with the stated component
//! count, a dependency graph of the advertised shape, and truthful planted paths.

use std::collections::VecDeque;

use super::*;
use crate::sbom::{read_bytes, Document, ReadOptions};

const ALL: [GenFormat; 4] = [
    GenFormat::CdxJson,
    GenFormat::CdxXml,
    GenFormat::SpdxJson,
    GenFormat::SpdxTagValue,
];

fn read(g: &Generated) -> Document {
    read_bytes("gen", g.text.as_bytes(), &ReadOptions::default()).unwrap()
}

/// Shortest hop count from the document's root to every component (usize::MAX: unreachable).
fn distances(d: &Document) -> Vec<usize> {
    let mut adj = vec![Vec::new(); d.components.len()];
    for r in &d.relationships {
        adj[r.from as usize].push(r.to as usize);
    }
    let mut dist = vec![usize::MAX; d.components.len()];
    let mut q = VecDeque::new();
    for &r in &d.roots {
        dist[r as usize] = 0;
        q.push_back(r as usize);
    }
    while let Some(i) = q.pop_front() {
        for &j in &adj[i] {
            if dist[j] == usize::MAX {
                dist[j] = dist[i] + 1;
                q.push_back(j);
            }
        }
    }
    dist
}

#[test]
fn same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    for f in ALL {
        assert_eq!(generate(f, 300, 7).text, generate(f, 300, 7).text);
        assert_ne!(generate(f, 300, 7).text, generate(f, 300, 8).text);
    }
}

#[test]
fn every_format_reads_cleanly_with_the_requested_component_count() {
    for f in ALL {
        let g = generate(f, 2000, 42);
        let d = read(&g);
        // SPDX has no metadata subject: the root is one more package.
        let extra = usize::from(matches!(f, GenFormat::SpdxJson | GenFormat::SpdxTagValue));
        assert_eq!(d.component_count(), 2000 + extra, "{f:?}");
        assert_eq!(d.roots.len(), 1, "{f:?}");
        let warnings: Vec<_> = d.warnings.iter().map(|w| w.code).collect();
        assert!(warnings.is_empty(), "{f:?}: {warnings:?}");
    }
}

#[test]
fn graph_is_deep_with_fan_in_cycles_and_everything_reachable() {
    let g = generate(GenFormat::CdxJson, 5000, 3);
    let d = read(&g);
    let dist = distances(&d);
    let unattached: Vec<&str> = g
        .planted
        .iter()
        .filter(|p| p.exposure == "unattached")
        .map(|p| p.reference.as_str())
        .collect();
    assert_eq!(unattached.len(), 1);
    for (i, x) in dist.iter().enumerate() {
        let planted_unattached = unattached.contains(&d.components[i].bom_ref.as_str());
        assert_eq!(
            *x == usize::MAX,
            planted_unattached,
            "{}",
            d.components[i].bom_ref
        );
    }
    let deepest = dist
        .iter()
        .filter(|&&x| x != usize::MAX)
        .max()
        .copied()
        .unwrap_or(0);
    assert!((10..=31).contains(&deepest), "depth {deepest}");
    let mut indegree = vec![0usize; d.components.len()];
    for r in &d.relationships {
        indegree[r.to as usize] += 1;
    }
    assert!(indegree.iter().any(|&n| n >= 20), "no heavy fan-in");
    // A back edge to a component at most as deep as its source closes a cycle.
    let back = d
        .relationships
        .iter()
        .filter(|r| dist[r.to as usize] < dist[r.from as usize] && r.to != d.roots[0])
        .filter(|r| dist[r.from as usize] != usize::MAX)
        .count();
    assert!(back > 0, "no cycle");
    let direct = d
        .relationships
        .iter()
        .filter(|r| r.from == d.roots[0])
        .count();
    // 3 to 7 generated, plus the planted direct dependency.
    assert!((4..=8).contains(&direct), "{direct} direct dependencies");
}

#[test]
fn planted_paths_are_shortest_paths_in_the_read_document() {
    for f in ALL {
        let g = generate(f, 3000, 11);
        assert_eq!(g.planted.len(), PLANTED, "{f:?}");
        let d = read(&g);
        let dist = distances(&d);
        let id = |r: &str| {
            d.components
                .iter()
                .position(|c| c.bom_ref == r)
                .unwrap_or_else(|| panic!("{f:?}: {r} not in the document"))
        };
        for p in &g.planted {
            if p.exposure == "unattached" {
                assert!(p.path.is_empty());
                assert_eq!(dist[id(&p.reference)], usize::MAX, "{f:?}: reachable");
                continue;
            }
            assert_eq!(
                p.path.len() == 2,
                p.exposure == "direct",
                "{f:?}: {}",
                p.reference
            );
            assert_eq!(p.path.last(), Some(&p.reference));
            assert_eq!(id(&p.path[0]), d.roots[0] as usize, "{f:?}");
            for w in p.path.windows(2) {
                let (a, b) = (id(&w[0]) as u32, id(&w[1]) as u32);
                assert!(
                    d.relationships.iter().any(|r| r.from == a && r.to == b),
                    "{f:?}: no edge {} -> {}",
                    w[0],
                    w[1]
                );
            }
            assert_eq!(
                dist[id(&p.reference)],
                p.path.len() - 1,
                "{f:?}: not shortest"
            );
        }
    }
}

#[test]
fn truth_file_is_json_naming_each_planted_vendor() {
    let g = generate(GenFormat::CdxJson, 500, 5);
    let v: serde_json::Value = serde_json::from_str(&truth_json(&g)).unwrap();
    let vendors: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["vendor"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        vendors,
        [
            "kaspersky",
            "huawei",
            "bytedance",
            "hikvision",
            "kaspersky",
            "kaspersky",
            "zte",
            "huawei",
            "kaspersky",
            "kaspersky"
        ]
    );
}

/// The audit, end to end through the library, gives every planted component the code, the
/// exposure and a valid path the truth promises, in every format.
#[test]
fn the_audit_finds_every_planted_component_as_the_truth_says() {
    use crate::audit::Auditor;
    use crate::policy::Policy;
    use crate::registry::model::Registry;
    let reg = Registry::embedded().unwrap();
    let policy = Policy::default();
    let today = crate::policy::date::Day::parse("2025-06-01").unwrap();
    let auditor = Auditor::new(reg, reg.index(), &policy, today);
    for (f, seed) in ALL.iter().flat_map(|f| [(*f, 3), (*f, 21), (*f, 40)]) {
        let g = generate(f, 1500, seed);
        let d = read(&g);
        let report = serde_json::to_value(auditor.audit(&d).unwrap()).unwrap();
        let verdicts = truth::check(&g.planted, &d, &report);
        let bad: Vec<_> = verdicts.iter().filter(|v| !v.ok()).collect();
        assert!(bad.is_empty(), "{f:?} seed {seed}: {bad:?}");
    }
}

#[test]
fn small_documents_get_no_planted_components() {
    let g = generate(GenFormat::CdxJson, PLANT_FROM - 1, 1);
    assert!(g.planted.is_empty());
    assert_eq!(read(&g).component_count(), PLANT_FROM - 1);
}
