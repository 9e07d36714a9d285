//! The ladder: the graph that makes naive path enumeration explode. A root, then `rungs` levels
//! of two components each where both components of a level depend on both of the next, and a
//! banned component (Kaspersky, by CPE) below the last level. Level `i` is reached by `2^(i-1)`
//! distinct root paths, so the planted component has exactly `2^rungs` of them: 2^60 with 60
//! rungs, far beyond anything that can be listed, while the document has only `2 * rungs + 2`
//! components and `4 * rungs` edges. An audit must count, not enumerate, to stay linear.
//!
//! Written as CycloneDX 1.6 JSON; the truth carries the exact path count (saturated at
//! `u64::MAX` from 64 rungs on, as bomvet reports it).

use std::fmt::Write as _;

use super::{push_json_str, Generated, Planted};

const ROOT: &str = "pkg:generic/ladder/root@1.0.0";
const TARGET: &str = "pkg:generic/ladder-av-engine@21.3.10";

fn rung(side: char, level: usize) -> String {
    format!("pkg:generic/ladder/{side}-{level}@1.0.0")
}

/// Distinct root paths to the component below `rungs` levels, saturating like bomvet.
pub fn path_count(rungs: usize) -> u64 {
    if rungs >= 64 {
        u64::MAX
    } else {
        1u64 << rungs
    }
}

/// A ladder of `rungs` levels (at least 1).
pub fn ladder(rungs: usize) -> Generated {
    let rungs = rungs.max(1);
    let mut s = String::with_capacity(rungs * 400 + 1024);
    s.push_str(
        "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"version\": 1,\n",
    );
    let _ = writeln!(
        s,
        "  \"metadata\": {{\"component\": {{\"type\": \"application\", \"bom-ref\": \"{ROOT}\", \
         \"name\": \"ladder-{rungs}\", \"version\": \"1.0.0\", \"purl\": \"{ROOT}\"}}}},"
    );
    s.push_str("  \"components\": [");
    for level in 1..=rungs {
        for side in ['a', 'b'] {
            let r = rung(side, level);
            s.push_str("\n    {\"type\": \"library\", \"bom-ref\": ");
            push_json_str(&mut s, &r);
            let _ = write!(
                s,
                ", \"name\": \"{side}-{level}\", \"version\": \"1.0.0\", \"purl\": "
            );
            push_json_str(&mut s, &r);
            s.push_str("},");
        }
    }
    let _ = write!(
        s,
        "\n    {{\"type\": \"library\", \"bom-ref\": \"{TARGET}\", \"name\": \"av-engine-core\", \
         \"version\": \"21.3.10\", \"cpe\": \"cpe:2.3:a:kaspersky:anti-virus:21.3.10:*:*:*:*:*:*:*\", \
         \"purl\": \"{TARGET}\"}}\n  ],\n  \"dependencies\": ["
    );
    let pair = |level: usize| format!("[\"{}\", \"{}\"]", rung('a', level), rung('b', level));
    let _ = write!(
        s,
        "\n    {{\"ref\": \"{ROOT}\", \"dependsOn\": {}}}",
        pair(1)
    );
    for level in 1..=rungs {
        let below = if level == rungs {
            format!("[\"{TARGET}\"]")
        } else {
            pair(level + 1)
        };
        for side in ['a', 'b'] {
            let _ = write!(
                s,
                ",\n    {{\"ref\": \"{}\", \"dependsOn\": {below}}}",
                rung(side, level)
            );
        }
    }
    let _ = write!(
        s,
        ",\n    {{\"ref\": \"{TARGET}\", \"dependsOn\": []}}\n  ]\n}}\n"
    );

    let mut path = vec![ROOT.to_string()];
    path.extend((1..=rungs).map(|l| rung('a', l)));
    path.push(TARGET.to_string());
    Generated {
        text: s,
        planted: vec![Planted {
            reference: TARGET.into(),
            vendor: "kaspersky".into(),
            code: "banned-vendor".into(),
            exposure: "transitive".into(),
            what: format!("Kaspersky engine below a ladder of {rungs} levels"),
            path,
            paths: Some(path_count(rungs)),
        }],
        components: 2 * rungs + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposure::Analysis;
    use crate::sbom::{read_bytes, ReadOptions};

    fn count(rungs: usize) -> u64 {
        let g = ladder(rungs);
        let d = read_bytes("ladder", g.text.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(d.component_count(), g.components);
        let t = d
            .components
            .iter()
            .position(|c| c.bom_ref == TARGET)
            .unwrap() as u32;
        Analysis::new(&d, &[t]).paths(t)
    }

    #[test]
    fn the_planted_component_has_two_to_the_rungs_paths() {
        assert_eq!(count(1), 2);
        assert_eq!(count(7), 128);
        assert_eq!(count(60), 1 << 60);
    }

    #[test]
    fn counts_saturate_from_64_rungs() {
        assert_eq!(path_count(63), 1 << 63);
        assert_eq!(path_count(64), u64::MAX);
        assert_eq!(count(70), u64::MAX);
    }
}
