//! Deterministic synthetic SBOM generator, for benchmarks, load tests and end-to-end checks.
//!
//! Owns one thing: from (format, component count, seed) to the text of a CycloneDX JSON / XML,
//! SPDX 2.3 JSON or SPDX 2.3 tag-value document, plus the "truth" about the banned-vendor
//! components planted in it. The same inputs always give the same bytes (a self-written
//! SplitMix64 generator, no hash-map iteration order in the output).
//!
//! Shape of a generated document:
//! - one root (CycloneDX `metadata.component`, the SPDX package the document DESCRIBES) with a
//!   few direct dependencies;
//! - `components` inventory components over 10–30 dependency levels (fewer on small
//!   documents): every component has one parent on the level above, most have extra
//!   dependencies further down, a small "hot" set of deep components gets heavy fan-in (so
//!   diamonds are everywhere), and a few back edges make cycles;
//! - about 2% of components are nested in their parent (CycloneDX nested `components`,
//!   SPDX `CONTAINS`); nested components are leaves, so only they are reached through a
//!   containment and every planted exposure is known in advance;
//! - purls across npm, maven, pypi, golang, deb and generic, suppliers, authors, SHA-256
//!   hashes, licences (ids and expressions), properties, CPEs on about one in ten;
//! - ten planted components from the vendor registry, one per form the audit handles, each
//!   with the finding code and exposure a correct audit gives under the default policy: a
//!   Kaspersky mobile SDK nested inside another vendor's component (embedded via contains),
//!   Huawei HMS by purl (transitive), ByteDance Pangle (review: outside the designation's
//!   scope), a Hikvision SDK DLL known only by its file name (conditional on the use context),
//!   a Juniper Junos OS version that embedded Kaspersky's engine on unconfirmed identifiers
//!   (review-oem), a Kaspersky engine known only by its CPE as a direct dependency of the root,
//!   a firmware blob known only by its supplier (ZTE), a Huawei SDK listed in the inventory but
//!   attached to nothing (unattached), and D-Link NetDefendOS inside (banned-embedded through
//!   the OEM relation) and outside (oem-outside-period) the period it carried Kaspersky's
//!   engine.
//!
//! `ladder` writes the pathological graph for path counting (2^k distinct root paths), and
//! `registry` a registry padded with synthetic vendors; `raw` holds the raw-parse baselines and
//! `truth` checks an audit report against the planted truth (submodules, hidden like this one).
//!
//! Not part of bomvet's public API (`#[doc(hidden)]`): it is here so that `examples/gensbom`
//! and the benchmarks share one implementation.

use std::collections::VecDeque;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

pub mod clock;
pub mod ladder;
pub mod raw;
pub mod registry;
pub mod truth;

/// Output serialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenFormat {
    CdxJson,
    CdxXml,
    SpdxJson,
    SpdxTagValue,
}

impl GenFormat {
    /// `cdx-json`, `cdx-xml`, `spdx-json`, `spdx-tv`.
    pub fn parse(s: &str) -> Option<GenFormat> {
        Some(match s {
            "cdx-json" => GenFormat::CdxJson,
            "cdx-xml" => GenFormat::CdxXml,
            "spdx-json" => GenFormat::SpdxJson,
            "spdx-tv" => GenFormat::SpdxTagValue,
            _ => return None,
        })
    }
}

/// A small, fast, deterministic PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0; 0 gives 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A planted banned-vendor component and how it is reached (one entry of the truth file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planted {
    /// Its reference in the generated document (bom-ref or SPDXID).
    #[serde(rename = "ref")]
    pub reference: String,
    /// Registry id of the vendor a correct audit attributes it to.
    pub vendor: String,
    /// The finding code a correct audit gives it under the default policy.
    pub code: String,
    /// Its exposure (`direct`, `transitive`, `embedded`, `unattached`).
    pub exposure: String,
    /// What was planted, in words.
    pub what: String,
    /// One shortest path of references from the root to it (root first, it last); empty when
    /// nothing reaches it.
    pub path: Vec<String>,
    /// Number of distinct root paths to it, when the generator knows it exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paths: Option<u64>,
}

/// A generated document.
#[derive(Debug, Clone)]
pub struct Generated {
    pub text: String,
    pub planted: Vec<Planted>,
    /// Inventory components (the root is not counted; for SPDX it is one more package).
    pub components: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Eco {
    Npm,
    Maven,
    Pypi,
    Golang,
    Deb,
    Generic,
}

#[derive(Debug, Clone, Default)]
struct Comp {
    kind: &'static str,
    group: Option<String>,
    name: String,
    version: String,
    purl: String,
    supplier: Option<String>,
    author: Option<String>,
    cpe: Option<String>,
    hash: String,
    license: &'static str,
    properties: Vec<(&'static str, String)>,
    file_name: Option<String>,
    /// Nested in (CycloneDX) / contained by (SPDX) this component.
    parent: Option<usize>,
    deps: Vec<usize>,
    children: Vec<usize>,
    spdx_id: String,
}

const WORDS: &[&str] = &[
    "fast", "json", "core", "util", "http", "parse", "stream", "async", "crypto", "log", "yaml",
    "xml", "cache", "pool", "net", "io", "codec", "auth", "token", "glob", "path", "event", "emit",
    "color", "chalk", "mime", "form", "data", "uuid", "time", "date", "zip", "tar", "compress",
    "buffer", "retry", "queue", "config", "env", "schema", "valid", "test", "mock", "grpc",
    "proto", "sql", "orm", "redis", "kafka", "metrics", "trace",
];
const SUPPLIERS: &[&str] = &[
    "Acme Software Inc.",
    "Globex Corporation",
    "Initech GmbH",
    "Umbrella Open Source Foundation",
    "Stark Industries Ltd.",
    "Wayne Enterprises",
    "Hooli LLC",
    "Vandelay Industries",
    "The Apache Software Foundation",
    "Eclipse Foundation",
];
const AUTHORS: &[&str] = &[
    "Jane Doe",
    "John Roe",
    "Ana Silva",
    "Kenji Sato",
    "Priya Natarajan",
    "Lars Eriksen",
    "Fatima Zahra",
    "Chen Wei",
];
const LICENSES: &[&str] = &[
    "MIT",
    "MIT",
    "Apache-2.0",
    "Apache-2.0",
    "BSD-3-Clause",
    "ISC",
    "GPL-2.0-only",
    "LGPL-2.1-or-later",
    "MIT OR Apache-2.0",
    "MPL-2.0",
];

fn ecosystem(rng: &mut Rng) -> Eco {
    match rng.below(100) {
        0..=34 => Eco::Npm,
        35..=59 => Eco::Maven,
        60..=74 => Eco::Pypi,
        75..=86 => Eco::Golang,
        87..=95 => Eco::Deb,
        _ => Eco::Generic,
    }
}

fn hex64(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(64);
    for _ in 0..4 {
        let _ = write!(s, "{:016x}", rng.next_u64());
    }
    s
}

fn regular(rng: &mut Rng, i: usize) -> Comp {
    let eco = ecosystem(rng);
    let a = rng.pick(WORDS);
    let b = rng.pick(WORDS);
    let base = format!("{a}-{b}-{i:x}");
    let version = format!("{}.{}.{}", rng.below(12), rng.below(30), rng.below(20));
    let supplier = rng.pick(SUPPLIERS).to_string();
    let vendor_slug = supplier
        .split_whitespace()
        .find(|w| *w != "The")
        .unwrap_or("acme")
        .to_ascii_lowercase();
    let mut properties = Vec::new();
    let (group, name, purl, kind) = match eco {
        Eco::Npm => {
            let scoped = rng.chance(0.3);
            let group = scoped.then(|| format!("@{vendor_slug}"));
            let purl = match &group {
                Some(g) => format!("pkg:npm/%40{}/{base}@{version}", &g[1..]),
                None => format!("pkg:npm/{base}@{version}"),
            };
            properties.push(("cdx:npm:package:path", format!("node_modules/{base}")));
            (group, base, purl, "library")
        }
        Eco::Maven => {
            let group = format!("org.{vendor_slug}.{a}");
            let purl = format!("pkg:maven/{group}/{base}@{version}?type=jar");
            (Some(group), base, purl, "library")
        }
        Eco::Pypi => {
            let name = base.replace('-', "_");
            let purl = format!("pkg:pypi/{name}@{version}");
            (None, name, purl, "library")
        }
        Eco::Golang => {
            let ns = format!("github.com/{vendor_slug}/{a}");
            let purl = format!("pkg:golang/{ns}/{base}@v{version}");
            (Some(ns), base, purl, "library")
        }
        Eco::Deb => {
            let purl = format!("pkg:deb/debian/lib{base}@{version}-1?arch=amd64&distro=debian-12");
            (None, format!("lib{base}"), purl, "library")
        }
        Eco::Generic => {
            let purl = format!("pkg:generic/{vendor_slug}/{base}@{version}");
            (None, base, purl, "application")
        }
    };
    if rng.chance(0.5) {
        properties.push(("syft:package:foundBy", "sbom-cataloger".to_string()));
    }
    let cpe = rng.chance(0.1).then(|| {
        format!(
            "cpe:2.3:a:{vendor_slug}:{}:{version}:*:*:*:*:*:*:*",
            name.replace('@', "")
        )
    });
    Comp {
        kind,
        group,
        name,
        version,
        purl,
        supplier: rng.chance(0.8).then_some(supplier),
        author: rng.chance(0.4).then(|| rng.pick(AUTHORS).to_string()),
        cpe,
        hash: hex64(rng),
        license: LICENSES[rng.below(LICENSES.len())],
        properties,
        ..Comp::default()
    }
}

/// Where a planted component is attached in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attach {
    /// Nested in (CycloneDX) / contained by (SPDX) a component some levels down.
    Nested,
    /// A dependency of a component some levels down.
    Dependency,
    /// A direct dependency of the root.
    Root,
    /// Listed, but no relationship reaches it.
    Nothing,
}

/// One planted component with what a correct audit says about it.
struct Plant {
    comp: Comp,
    vendor: &'static str,
    code: &'static str,
    exposure: &'static str,
    what: &'static str,
    attach: Attach,
}

/// The planted components, one per form the audit handles.
fn planted(rng: &mut Rng) -> Vec<Plant> {
    let c = |kind, group: Option<&str>, name: &str, version: &str, purl: &str| Comp {
        kind,
        group: group.map(str::to_string),
        name: name.to_string(),
        version: version.to_string(),
        purl: purl.to_string(),
        license: "LicenseRef-proprietary",
        ..Comp::default()
    };
    let mut kav = c(
        "library",
        Some("com.kavsdk"),
        "kavsdk-mobile",
        "5.14.0.1157",
        "pkg:maven/com.kavsdk/kavsdk-mobile@5.14.0.1157?type=aar",
    );
    kav.file_name = Some("libs/KL_Mobile_SDK_Android_5.14.0.1157.aar".into());
    let mut hms = c(
        "library",
        Some("com.huawei.hms"),
        "push",
        "6.11.0.300",
        "pkg:maven/com.huawei.hms/push@6.11.0.300?type=aar",
    );
    hms.author = Some("Huawei developer relations".into());
    let pangle = c(
        "library",
        Some("com.pangle.global"),
        "ads-sdk",
        "5.8.0.8",
        "pkg:maven/com.pangle.global/ads-sdk@5.8.0.8",
    );
    let mut hik = c(
        "library",
        None,
        "camera-bridge-native",
        "6.1.9.48",
        "pkg:generic/camera-bridge-native@6.1.9.48",
    );
    hik.file_name = Some("bin/win64/HCNetSDK.dll".into());
    let mut junos = c(
        "operating-system",
        None,
        "Junos OS",
        "12.1X46-D10",
        "pkg:generic/juniper/junos@12.1X46-D10",
    );
    junos.supplier = Some("Juniper Networks".into());
    junos.cpe = Some("cpe:2.3:o:juniper:junos:12.1x46:d10:*:*:*:*:*:*".into());
    // Nothing but the CPE names the vendor: neutral name, namespace-less purl.
    let mut engine = c(
        "library",
        None,
        "av-engine-core",
        "21.3.10",
        "pkg:generic/av-engine-core@21.3.10",
    );
    engine.cpe = Some("cpe:2.3:a:kaspersky:anti-virus:21.3.10:*:*:*:*:*:*:*".into());
    // Nothing but the supplier's legal name names the vendor.
    let mut blob = c(
        "firmware",
        None,
        "baseband-blob",
        "3.2.1",
        "pkg:generic/baseband-blob@3.2.1",
    );
    blob.supplier = Some("ZTE Corporation".into());
    let agc = c(
        "library",
        Some("com.huawei.agconnect"),
        "agconnect-core",
        "1.9.1.301",
        "pkg:maven/com.huawei.agconnect/agconnect-core@1.9.1.301",
    );
    let mut netdefend_in = c(
        "operating-system",
        None,
        "NetDefendOS",
        "2.40.03",
        "pkg:generic/dlink/netdefendos@2.40.03",
    );
    netdefend_in.supplier = Some("D-Link Corporation".into());
    let mut netdefend_out = c(
        "operating-system",
        None,
        "NetDefendOS",
        "2.60.01",
        "pkg:generic/dlink/netdefendos@2.60.01",
    );
    netdefend_out.supplier = Some("D-Link Corporation".into());
    let mut out = vec![
        Plant {
            comp: kav,
            vendor: "kaspersky",
            code: "banned-embedded",
            exposure: "embedded",
            what: "Kaspersky mobile SDK (com.kavsdk) nested inside another vendor's component",
            attach: Attach::Nested,
        },
        Plant {
            comp: hms,
            vendor: "huawei",
            code: "banned-vendor",
            exposure: "transitive",
            what: "Huawei HMS Core push (pkg:maven/com.huawei.hms)",
            attach: Attach::Dependency,
        },
        Plant {
            comp: pangle,
            vendor: "bytedance",
            code: "review-vendor",
            exposure: "transitive",
            what: "ByteDance Pangle ads SDK (outside FAR 52.204-27's covered application)",
            attach: Attach::Dependency,
        },
        Plant {
            comp: hik,
            vendor: "hikvision",
            code: "conditional-vendor",
            exposure: "transitive",
            what: "Hikvision HCNetSDK.dll under an unrelated name (Section 889 use context)",
            attach: Attach::Dependency,
        },
        Plant {
            comp: junos,
            vendor: "kaspersky",
            code: "review-oem",
            exposure: "transitive",
            what: "Juniper Junos OS 12.1X46 (SRX UTM antivirus embeds Kaspersky's engine; \
                   unconfirmed identifiers only)",
            attach: Attach::Dependency,
        },
        Plant {
            comp: engine,
            vendor: "kaspersky",
            code: "banned-vendor",
            exposure: "direct",
            what: "Kaspersky Anti-Virus engine known only by its CPE, a direct dependency",
            attach: Attach::Root,
        },
        Plant {
            comp: blob,
            vendor: "zte",
            code: "banned-vendor",
            exposure: "transitive",
            what: "Firmware blob known only by its supplier, ZTE Corporation",
            attach: Attach::Dependency,
        },
        Plant {
            comp: agc,
            vendor: "huawei",
            code: "banned-vendor",
            exposure: "unattached",
            what: "Huawei AppGallery Connect SDK listed but attached to nothing",
            attach: Attach::Nothing,
        },
        Plant {
            comp: netdefend_in,
            vendor: "kaspersky",
            code: "banned-embedded",
            exposure: "embedded",
            what: "D-Link NetDefendOS 2.40.03 (Kaspersky's engine, inside the OEM period)",
            attach: Attach::Dependency,
        },
        Plant {
            comp: netdefend_out,
            vendor: "kaspersky",
            code: "oem-outside-period",
            exposure: "transitive",
            what: "D-Link NetDefendOS 2.60.01 (after the OEM period)",
            attach: Attach::Dependency,
        },
    ];
    for p in &mut out {
        p.comp.hash = hex64(rng);
    }
    out
}

/// Number of planted components in a document of at least [`PLANT_FROM`] components.
pub const PLANTED: usize = 10;
/// Smallest component count that gets planted components.
pub const PLANT_FROM: usize = 50;

/// Generate one document.
pub fn generate(format: GenFormat, components: usize, seed: u64) -> Generated {
    let mut rng = Rng::new(seed);
    let n = components.max(1);
    let plant = n >= PLANT_FROM;
    let n_regular = if plant { n - PLANTED } else { n };

    // Index 0 is the root.
    let mut comps: Vec<Comp> = Vec::with_capacity(n + 1);
    comps.push(Comp {
        kind: "application",
        group: None,
        name: format!("gensbom-app-{seed}"),
        version: "1.0.0".into(),
        purl: format!("pkg:generic/gensbom-app-{seed}@1.0.0"),
        supplier: Some(SUPPLIERS[0].to_string()),
        license: "Apache-2.0",
        hash: hex64(&mut rng),
        ..Comp::default()
    });
    for i in 1..=n_regular {
        comps.push(regular(&mut rng, i));
    }

    // Levels: a few direct dependencies, the rest spread in index order over the levels below.
    let depth = (10 + rng.below(21)).min((n_regular / 3).max(2));
    let direct = (3 + rng.below(5)).min(n_regular);
    let mut level = vec![0usize; n_regular + 1];
    let mut level_start = vec![usize::MAX; depth + 2];
    for (i, l) in level.iter_mut().enumerate().skip(1) {
        *l = if i <= direct {
            1
        } else {
            let rest = (n_regular - direct).max(1);
            2 + (i - direct - 1) * (depth - 1) / rest
        };
        level_start[*l] = level_start[*l].min(i);
    }
    level_start[depth + 1] = n_regular + 1;
    for l in (1..=depth).rev() {
        if level_start[l] == usize::MAX {
            level_start[l] = level_start[l + 1];
        }
    }
    let range = |l: usize| level_start[l]..level_start[(l + 1).min(depth + 1)];
    // The hot set: deep components everyone ends up depending on.
    let deep_from = level_start[(depth / 2).max(2).min(depth)];
    let hot: Vec<usize> = (0..(8 + n_regular / 200))
        .map(|_| deep_from + rng.below(n_regular + 1 - deep_from.min(n_regular)))
        .filter(|&h| (1..=n_regular).contains(&h))
        .collect();

    for i in 1..=n_regular {
        let l = level[i];
        if l == 1 {
            comps[0].deps.push(i);
            continue;
        }
        let r = range(l - 1);
        let p = not_nested(&comps, r.clone(), r.start + rng.below(r.len()));
        if rng.chance(0.02) {
            comps[i].parent = Some(p);
            comps[p].children.push(i);
        } else {
            comps[p].deps.push(i);
        }
    }
    for i in 1..=n_regular {
        let l = level[i];
        // Nested components are leaves: nothing is reached through them but themselves.
        if l >= depth || comps[i].parent.is_some() {
            continue;
        }
        let extra = *rng.pick(&[0usize, 0, 1, 1, 2, 3]);
        for _ in 0..extra {
            let t = if !hot.is_empty() && rng.chance(0.35) {
                *rng.pick(&hot)
            } else {
                let lo = level_start[l + 1];
                let hi = level_start[(l + 4).min(depth + 1)];
                lo + rng.below(hi - lo)
            };
            if t > i && t <= n_regular && !comps[i].deps.contains(&t) {
                comps[i].deps.push(t);
            }
        }
    }
    // Cycles: a few back edges to a shallower level (never to the root).
    if depth >= 3 {
        for _ in 0..(1 + n_regular / 2000) {
            let from = level_start[3] + rng.below(n_regular + 1 - level_start[3]);
            let to = 1 + rng.below(level_start[level[from] - 1] - 1);
            if from <= n_regular && comps[from].parent.is_none() && !comps[from].deps.contains(&to)
            {
                comps[from].deps.push(to);
            }
        }
    }

    let mut planted_ids = Vec::new();
    if plant {
        for Plant {
            mut comp,
            vendor,
            code,
            exposure,
            what,
            attach,
        } in planted(&mut rng)
        {
            let id = comps.len();
            let l = 2 + rng.below(depth.saturating_sub(1).max(1));
            let r = range(l.min(depth));
            let host = not_nested(&comps, r.clone(), r.start + rng.below(r.len()));
            match attach {
                Attach::Nested => {
                    // The host becomes another vendor's product bundling the SDK.
                    comps[host].supplier = Some("Globex Mobile Security Ltd.".into());
                    comps[host].kind = "framework";
                    comp.parent = Some(host);
                    comps[host].children.push(id);
                }
                Attach::Dependency => comps[host].deps.push(id),
                Attach::Root => comps[0].deps.push(id),
                Attach::Nothing => {}
            }
            comps.push(comp);
            planted_ids.push((id, vendor, code, exposure, what));
        }
    }
    for (i, c) in comps.iter_mut().enumerate() {
        c.spdx_id = if i == 0 {
            "SPDXRef-Package-root".into()
        } else {
            format!("SPDXRef-Package-{i}")
        };
    }

    let spdx = matches!(format, GenFormat::SpdxJson | GenFormat::SpdxTagValue);
    let reference = |c: &Comp| {
        if spdx {
            c.spdx_id.clone()
        } else {
            c.purl.clone()
        }
    };
    let paths = shortest_paths(&comps);
    let planted = planted_ids
        .into_iter()
        .map(|(id, vendor, code, exposure, what)| Planted {
            reference: reference(&comps[id]),
            vendor: vendor.to_string(),
            code: code.to_string(),
            exposure: exposure.to_string(),
            what: what.to_string(),
            path: path_to(&paths, id)
                .into_iter()
                .map(|i| reference(&comps[i]))
                .collect(),
            paths: None,
        })
        .collect();

    let text = match format {
        GenFormat::CdxJson => cdx_json(&comps, seed),
        GenFormat::CdxXml => cdx_xml(&comps, seed),
        GenFormat::SpdxJson => spdx_json(&comps, seed),
        GenFormat::SpdxTagValue => spdx_tv(&comps, seed),
    };
    Generated {
        text,
        planted,
        components: comps.len() - 1,
    }
}

/// `pick`, or the next component of `range` after it (wrapping) that is not nested in
/// another; `pick` itself if all are. Keeps every path through a *contains* edge ending at the
/// nested component, so the exposure of everything else is decided by dependencies alone.
fn not_nested(comps: &[Comp], range: std::ops::Range<usize>, pick: usize) -> usize {
    let len = range.len();
    (0..len)
        .map(|k| range.start + (pick - range.start + k) % len)
        .find(|&i| comps.get(i).is_some_and(|c| c.parent.is_none()))
        .unwrap_or(pick)
}

/// BFS predecessor of every component reachable from the root over dependency and
/// containment edges.
fn shortest_paths(comps: &[Comp]) -> Vec<usize> {
    let mut prev = vec![usize::MAX; comps.len()];
    let mut queue = VecDeque::from([0usize]);
    prev[0] = 0;
    while let Some(i) = queue.pop_front() {
        for &j in comps[i].deps.iter().chain(&comps[i].children) {
            if prev[j] == usize::MAX {
                prev[j] = i;
                queue.push_back(j);
            }
        }
    }
    prev
}

fn path_to(prev: &[usize], id: usize) -> Vec<usize> {
    if prev.get(id).is_none_or(|&p| p == usize::MAX) {
        return Vec::new();
    }
    let mut path = vec![id];
    let mut at = id;
    while at != 0 && prev[at] != usize::MAX {
        at = prev[at];
        path.push(at);
    }
    path.reverse();
    path
}

/// The truth file: the planted components as a JSON array (read back with
/// [`truth::parse`]).
pub fn truth_json(g: &Generated) -> String {
    let mut s = serde_json::to_string_pretty(&g.planted).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

pub(crate) fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_xml(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn serial(seed: u64) -> String {
    let mut r = Rng::new(seed ^ 0xA5A5);
    let (a, b) = (r.next_u64(), r.next_u64());
    format!(
        "urn:uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

// ---- CycloneDX JSON ------------------------------------------------------------------------

fn cdx_json(comps: &[Comp], seed: u64) -> String {
    let mut s = String::with_capacity(comps.len() * 900);
    s.push_str("{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n");
    let _ = writeln!(
        s,
        "  \"serialNumber\": \"{}\",\n  \"version\": 1,",
        serial(seed)
    );
    s.push_str("  \"metadata\": {\n    \"timestamp\": \"2025-01-01T00:00:00Z\",\n");
    s.push_str("    \"tools\": {\"components\": [{\"type\": \"application\", \"name\": \"bomvet-gensbom\"}]},\n");
    s.push_str("    \"component\": ");
    cdx_json_comp(&mut s, comps, 0, false);
    s.push_str("\n  },\n  \"components\": [");
    let mut first = true;
    for (i, c) in comps.iter().enumerate().skip(1) {
        if c.parent.is_none() {
            if !first {
                s.push(',');
            }
            first = false;
            s.push_str("\n    ");
            cdx_json_comp(&mut s, comps, i, true);
        }
    }
    s.push_str("\n  ],\n  \"dependencies\": [");
    for (i, c) in comps.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("\n    {\"ref\": ");
        push_json_str(&mut s, &c.purl);
        s.push_str(", \"dependsOn\": [");
        for (k, &d) in c.deps.iter().enumerate() {
            if k > 0 {
                s.push_str(", ");
            }
            push_json_str(&mut s, &comps[d].purl);
        }
        s.push_str("]}");
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn cdx_json_comp(s: &mut String, comps: &[Comp], i: usize, nest: bool) {
    let c = &comps[i];
    let _ = write!(s, "{{\"type\": \"{}\", \"bom-ref\": ", c.kind);
    push_json_str(s, &c.purl);
    if let Some(sup) = &c.supplier {
        s.push_str(", \"supplier\": {\"name\": ");
        push_json_str(s, sup);
        s.push('}');
    }
    if let Some(a) = &c.author {
        s.push_str(", \"authors\": [{\"name\": ");
        push_json_str(s, a);
        s.push_str("}]");
    }
    if let Some(g) = &c.group {
        s.push_str(", \"group\": ");
        push_json_str(s, g);
    }
    s.push_str(", \"name\": ");
    push_json_str(s, &c.name);
    s.push_str(", \"version\": ");
    push_json_str(s, &c.version);
    if !c.hash.is_empty() {
        let _ = write!(
            s,
            ", \"hashes\": [{{\"alg\": \"SHA-256\", \"content\": \"{}\"}}]",
            c.hash
        );
    }
    if c.license.contains(' ') {
        s.push_str(", \"licenses\": [{\"expression\": ");
        push_json_str(s, c.license);
        s.push_str("}]");
    } else if c.license.starts_with("LicenseRef-") {
        s.push_str(", \"licenses\": [{\"license\": {\"name\": ");
        push_json_str(s, c.license);
        s.push_str("}}]");
    } else {
        s.push_str(", \"licenses\": [{\"license\": {\"id\": ");
        push_json_str(s, c.license);
        s.push_str("}}]");
    }
    if let Some(cpe) = &c.cpe {
        s.push_str(", \"cpe\": ");
        push_json_str(s, cpe);
    }
    s.push_str(", \"purl\": ");
    push_json_str(s, &c.purl);
    if !c.properties.is_empty() {
        s.push_str(", \"properties\": [");
        for (k, (name, value)) in c.properties.iter().enumerate() {
            if k > 0 {
                s.push_str(", ");
            }
            s.push_str("{\"name\": ");
            push_json_str(s, name);
            s.push_str(", \"value\": ");
            push_json_str(s, value);
            s.push('}');
        }
        s.push(']');
    }
    if nest && !c.children.is_empty() {
        s.push_str(", \"components\": [");
        for (k, &ch) in c.children.iter().enumerate() {
            if k > 0 {
                s.push_str(", ");
            }
            cdx_json_comp(s, comps, ch, true);
        }
        s.push(']');
    }
    if let Some(f) = &c.file_name {
        s.push_str(", \"evidence\": {\"occurrences\": [{\"location\": ");
        push_json_str(s, f);
        s.push_str("}]}");
    }
    s.push('}');
}

// ---- CycloneDX XML -------------------------------------------------------------------------

fn cdx_xml(comps: &[Comp], seed: u64) -> String {
    let mut s = String::with_capacity(comps.len() * 1100);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" serialNumber=\"{}\" version=\"1\">",
        serial(seed)
    );
    s.push_str("  <metadata>\n    <timestamp>2025-01-01T00:00:00Z</timestamp>\n");
    s.push_str("    <tools><components><component type=\"application\"><name>bomvet-gensbom</name></component></components></tools>\n");
    cdx_xml_comp(&mut s, comps, 0, false, 2);
    s.push_str("  </metadata>\n  <components>\n");
    for (i, c) in comps.iter().enumerate().skip(1) {
        if c.parent.is_none() {
            cdx_xml_comp(&mut s, comps, i, true, 2);
        }
    }
    s.push_str("  </components>\n  <dependencies>\n");
    for c in comps {
        s.push_str("    <dependency ref=\"");
        push_xml(&mut s, &c.purl);
        if c.deps.is_empty() {
            s.push_str("\"/>\n");
            continue;
        }
        s.push_str("\">");
        for &d in &c.deps {
            s.push_str("<dependency ref=\"");
            push_xml(&mut s, &comps[d].purl);
            s.push_str("\"/>");
        }
        s.push_str("</dependency>\n");
    }
    s.push_str("  </dependencies>\n</bom>\n");
    s
}

fn xml_elem(s: &mut String, tag: &str, value: &str) {
    let _ = write!(s, "<{tag}>");
    push_xml(s, value);
    let _ = write!(s, "</{tag}>");
}

fn cdx_xml_comp(s: &mut String, comps: &[Comp], i: usize, nest: bool, indent: usize) {
    let c = &comps[i];
    let pad = "  ".repeat(indent);
    let _ = write!(s, "{pad}<component type=\"{}\" bom-ref=\"", c.kind);
    push_xml(s, &c.purl);
    s.push_str("\">");
    if let Some(sup) = &c.supplier {
        s.push_str("<supplier>");
        xml_elem(s, "name", sup);
        s.push_str("</supplier>");
    }
    if let Some(a) = &c.author {
        s.push_str("<authors><author>");
        xml_elem(s, "name", a);
        s.push_str("</author></authors>");
    }
    if let Some(g) = &c.group {
        xml_elem(s, "group", g);
    }
    xml_elem(s, "name", &c.name);
    xml_elem(s, "version", &c.version);
    if !c.hash.is_empty() {
        let _ = write!(
            s,
            "<hashes><hash alg=\"SHA-256\">{}</hash></hashes>",
            c.hash
        );
    }
    if c.license.contains(' ') {
        s.push_str("<licenses>");
        xml_elem(s, "expression", c.license);
        s.push_str("</licenses>");
    } else if c.license.starts_with("LicenseRef-") {
        s.push_str("<licenses><license>");
        xml_elem(s, "name", c.license);
        s.push_str("</license></licenses>");
    } else {
        s.push_str("<licenses><license>");
        xml_elem(s, "id", c.license);
        s.push_str("</license></licenses>");
    }
    if let Some(cpe) = &c.cpe {
        xml_elem(s, "cpe", cpe);
    }
    xml_elem(s, "purl", &c.purl);
    if !c.properties.is_empty() {
        s.push_str("<properties>");
        for (name, value) in &c.properties {
            s.push_str("<property name=\"");
            push_xml(s, name);
            s.push_str("\">");
            push_xml(s, value);
            s.push_str("</property>");
        }
        s.push_str("</properties>");
    }
    if nest && !c.children.is_empty() {
        s.push('\n');
        let _ = writeln!(s, "{pad}  <components>");
        for &ch in &c.children {
            cdx_xml_comp(s, comps, ch, true, indent + 2);
        }
        let _ = write!(s, "{pad}  </components>");
    }
    if let Some(f) = &c.file_name {
        s.push_str("<evidence><occurrences><occurrence>");
        xml_elem(s, "location", f);
        s.push_str("</occurrence></occurrences></evidence>");
    }
    s.push_str("</component>\n");
}

// ---- SPDX 2.3 ------------------------------------------------------------------------------

fn spdx_json(comps: &[Comp], seed: u64) -> String {
    let mut s = String::with_capacity(comps.len() * 1100);
    s.push_str("{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"dataLicense\": \"CC0-1.0\",\n");
    s.push_str("  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n");
    let _ = writeln!(s, "  \"name\": \"gensbom-{seed}\",");
    let _ = writeln!(
        s,
        "  \"documentNamespace\": \"https://gensbom.invalid/spdx/{seed}-{}\",",
        &serial(seed)[9..]
    );
    s.push_str("  \"creationInfo\": {\"created\": \"2025-01-01T00:00:00Z\", \"creators\": [\"Tool: bomvet-gensbom\"]},\n");
    s.push_str("  \"packages\": [");
    for (i, c) in comps.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("\n    {\"SPDXID\": ");
        push_json_str(&mut s, &c.spdx_id);
        s.push_str(", \"name\": ");
        push_json_str(&mut s, &c.name);
        s.push_str(", \"versionInfo\": ");
        push_json_str(&mut s, &c.version);
        if let Some(sup) = &c.supplier {
            s.push_str(", \"supplier\": ");
            push_json_str(&mut s, &format!("Organization: {sup}"));
        }
        if let Some(a) = &c.author {
            s.push_str(", \"originator\": ");
            push_json_str(&mut s, &format!("Person: {a}"));
        }
        if let Some(f) = &c.file_name {
            s.push_str(", \"packageFileName\": ");
            push_json_str(&mut s, f);
        }
        s.push_str(", \"downloadLocation\": \"NOASSERTION\", \"filesAnalyzed\": false");
        if !c.hash.is_empty() {
            let _ = write!(
                s,
                ", \"checksums\": [{{\"algorithm\": \"SHA256\", \"checksumValue\": \"{}\"}}]",
                c.hash
            );
        }
        s.push_str(", \"licenseConcluded\": \"NOASSERTION\", \"licenseDeclared\": ");
        push_json_str(&mut s, c.license);
        s.push_str(", \"copyrightText\": \"NOASSERTION\", \"externalRefs\": [");
        s.push_str("{\"referenceCategory\": \"PACKAGE-MANAGER\", \"referenceType\": \"purl\", \"referenceLocator\": ");
        push_json_str(&mut s, &c.purl);
        s.push('}');
        if let Some(cpe) = &c.cpe {
            s.push_str(", {\"referenceCategory\": \"SECURITY\", \"referenceType\": \"cpe23Type\", \"referenceLocator\": ");
            push_json_str(&mut s, cpe);
            s.push('}');
        }
        s.push_str("]}");
    }
    s.push_str("\n  ],\n  \"relationships\": [\n");
    s.push_str("    {\"spdxElementId\": \"SPDXRef-DOCUMENT\", \"relationshipType\": \"DESCRIBES\", \"relatedSpdxElement\": \"SPDXRef-Package-root\"}");
    for c in comps {
        for (ty, list) in [("DEPENDS_ON", &c.deps), ("CONTAINS", &c.children)] {
            for &d in list {
                s.push_str(",\n    {\"spdxElementId\": ");
                push_json_str(&mut s, &c.spdx_id);
                let _ = write!(
                    s,
                    ", \"relationshipType\": \"{ty}\", \"relatedSpdxElement\": "
                );
                push_json_str(&mut s, &comps[d].spdx_id);
                s.push('}');
            }
        }
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn spdx_tv(comps: &[Comp], seed: u64) -> String {
    let mut s = String::with_capacity(comps.len() * 800);
    s.push_str("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n");
    let _ = writeln!(s, "DocumentName: gensbom-{seed}");
    let _ = writeln!(
        s,
        "DocumentNamespace: https://gensbom.invalid/spdx/{seed}-{}",
        &serial(seed)[9..]
    );
    s.push_str("Creator: Tool: bomvet-gensbom\nCreated: 2025-01-01T00:00:00Z\n");
    s.push_str("Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-root\n");
    for c in comps {
        let _ = writeln!(s, "\nPackageName: {}\nSPDXID: {}", c.name, c.spdx_id);
        let _ = writeln!(s, "PackageVersion: {}", c.version);
        if let Some(f) = &c.file_name {
            let _ = writeln!(s, "PackageFileName: {f}");
        }
        if let Some(sup) = &c.supplier {
            let _ = writeln!(s, "PackageSupplier: Organization: {sup}");
        }
        if let Some(a) = &c.author {
            let _ = writeln!(s, "PackageOriginator: Person: {a}");
        }
        s.push_str("PackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n");
        if !c.hash.is_empty() {
            let _ = writeln!(s, "PackageChecksum: SHA256: {}", c.hash);
        }
        let _ = writeln!(
            s,
            "PackageLicenseConcluded: NOASSERTION\nPackageLicenseDeclared: {}",
            c.license
        );
        s.push_str("PackageCopyrightText: NOASSERTION\n");
        let _ = writeln!(s, "ExternalRef: PACKAGE-MANAGER purl {}", c.purl);
        if let Some(cpe) = &c.cpe {
            let _ = writeln!(s, "ExternalRef: SECURITY cpe23Type {cpe}");
        }
    }
    s.push('\n');
    for c in comps {
        for (ty, list) in [("DEPENDS_ON", &c.deps), ("CONTAINS", &c.children)] {
            for &d in list {
                let _ = writeln!(s, "Relationship: {} {ty} {}", c.spdx_id, comps[d].spdx_id);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests;
