//! The audit's stages on a large generated SBOM, on CPU time like `benches/ingest.rs`:
//! - `attribute`: `Resolver::attribute` over every component (attribution against the
//!   registry index; per-component time = median / components), with the embedded registry and
//!   with one padded to ten times as many vendors (`bomvet::sbomgen::registry`);
//! - `exposure`: `exposure::Analysis` of the planted components (SCCs, path counts, shortest
//!   paths, root sets), on the generated document and on a ladder with 2^rungs root paths
//!   (saturated) of about the same size;
//! - `audit`: `Auditor::audit` of the read document (attribution + exposure + verdicts), with
//!   both registries, and `read+audit` from the bytes (what `bomvet audit` does minus the file
//!   read and the rendering).
//!
//! `BOMVET_BENCH_COMPONENTS` overrides the component count (default 100000).
//! Run: `cargo bench --bench audit`; medians are in `target/criterion/*/*/new/estimates.json`.

use std::hint::black_box;
use std::time::Duration;

use bomvet::audit::Auditor;
use bomvet::exposure::Analysis;
use bomvet::policy::date::Day;
use bomvet::policy::Policy;
use bomvet::registry::model::Registry;
use bomvet::resolve::Resolver;
use bomvet::sbom::{read_bytes, CompId, Document, ReadOptions};
use bomvet::sbomgen::{generate, ladder, registry, GenFormat, Generated};
use criterion::{criterion_group, criterion_main, SamplingMode, Throughput};

#[path = "common/cpu.rs"]
mod cpu;
use cpu::{criterion, CpuTime};

// The allocator the `bomvet` binary uses (see `src/main.rs`), so that these figures are the
// binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Group<'a> = criterion::BenchmarkGroup<'a, CpuTime>;

fn read(g: &Generated) -> Document {
    read_bytes("bench", g.text.as_bytes(), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("generated document rejected: {e}"))
}

fn planted_ids(g: &Generated, d: &Document) -> Vec<CompId> {
    let mut ids: Vec<CompId> = d
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| g.planted.iter().any(|p| p.reference == c.bom_ref))
        .map(|(i, _)| i as CompId)
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids.len(),
        g.planted.len(),
        "planted components not all read"
    );
    ids
}

fn configure(g: &mut Group<'_>) {
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
}

fn audit(c: &mut criterion::Criterion<CpuTime>) {
    let n = cpu::components(100_000);
    let gen = generate(GenFormat::CdxJson, n, 1);
    let doc = read(&gen);
    let targets = planted_ids(&gen, &doc);
    let real = Registry::embedded().unwrap_or_else(|e| panic!("{e}"));
    let padded = Registry::from_files(registry::padded(10), "padded".into(), Vec::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let policy = Policy::default();
    let today = Day::from_system_time(std::time::SystemTime::now());
    let registries: [(&str, &Registry); 2] = [("registry-1x", real), ("registry-10x", &padded)];

    let mut g = c.benchmark_group(format!("attribute-{n}"));
    configure(&mut g);
    g.throughput(Throughput::Elements(doc.components.len() as u64));
    for (name, reg) in registries {
        let resolver = Resolver::new(reg, reg.index());
        g.bench_function(name, |b| {
            b.iter(|| {
                doc.components
                    .iter()
                    .map(|c| resolver.attribute(black_box(c)).candidates.len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group(format!("exposure-{n}"));
    configure(&mut g);
    g.bench_function("generated", |b| {
        b.iter(|| Analysis::new(black_box(&doc), &targets).size())
    });
    let lad = ladder::ladder(n / 2);
    let lad_doc = read(&lad);
    let lad_targets = planted_ids(&lad, &lad_doc);
    g.bench_function("ladder", |b| {
        b.iter(|| Analysis::new(black_box(&lad_doc), &lad_targets).size())
    });
    g.finish();

    let mut g = c.benchmark_group(format!("audit-{n}"));
    configure(&mut g);
    g.throughput(Throughput::Bytes(gen.text.len() as u64));
    for (name, reg) in registries {
        let auditor = Auditor::new(reg, reg.index(), &policy, today);
        g.bench_function(name, |b| {
            b.iter(|| auditor.audit(black_box(&doc)).map(|r| r.findings.len()))
        });
    }
    let auditor = Auditor::new(real, real.index(), &policy, today);
    g.bench_function("read+audit", |b| {
        b.iter(|| {
            let d = read_bytes(
                "bench",
                black_box(gen.text.as_bytes()),
                &ReadOptions::default(),
            );
            d.map(|d| auditor.audit(&d).map(|r| r.findings.len()))
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = audit
}
criterion_main!(benches);
