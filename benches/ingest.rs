//! Ingestion throughput per format against a raw parse of the same bytes.
//!
//! Inputs come from the generator (`bomvet::sbomgen`, fixed seeds), so every run measures the
//! same documents. Pairs, each on identical bytes (the raw side is `bomvet::sbomgen::raw`, the
//! same baselines `examples/scale.rs` uses):
//! - CycloneDX JSON: `serde_json::from_slice::<IgnoredAny>` vs `bomvet::sbom::read_vec`;
//! - CycloneDX XML: a quick-xml event scan (every event read, nothing kept) vs `read_vec`;
//! - SPDX 2.3 JSON: `IgnoredAny` vs `read_vec`;
//! - SPDX 2.3 tag-value: a line split (each line split at its first `:`) vs `read_vec`.
//!
//! Time is on-CPU time of the benchmarking thread (`/proc/thread-self/schedstat`, see
//! `benches/common/cpu.rs`), not wall time: the machines this runs on are shared, and time spent
//! waiting for a core says nothing about the code. Where that file is missing the wall clock is
//! used.
//!
//! `BOMVET_BENCH_COMPONENTS` overrides the component count (default 100000).
//! Run: `cargo bench --bench ingest`; medians are in `target/criterion/*/*/new/estimates.json`.

use std::hint::black_box;
use std::time::Duration;

use bomvet::sbom::{read_vec, Document, ReadOptions};
use bomvet::sbomgen::raw::RawKind;
use bomvet::sbomgen::{generate, GenFormat};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkGroup, Throughput};

#[path = "common/cpu.rs"]
mod cpu;
use cpu::{criterion, CpuTime};

// The allocator the `bomvet` binary uses (see `src/main.rs`), so that these figures are the
// binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// bomvet's read of bytes it owns (as a file's bytes are once read or mapped): the copy that
/// hands them over and the model's drop happen outside the measurement, as the raw parse
/// neither copies nor builds anything.
fn bomvet_read(bytes: Vec<u8>) -> Option<Document> {
    read_vec("bench", bytes, &ReadOptions::default()).ok()
}

fn pair(g: &mut BenchmarkGroup<'_, CpuTime>, bytes: &[u8], raw: RawKind) {
    // Sanity: both sides must accept the input, or the comparison means nothing.
    assert!(raw.scan(bytes).is_some(), "raw parser rejected the input");
    assert!(
        bomvet_read(bytes.to_vec()).is_some_and(|d| !d.components.is_empty()),
        "bomvet rejected the input"
    );
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("raw", |b| b.iter(|| raw.scan(black_box(bytes))));
    g.bench_function("bomvet", |b| {
        b.iter_batched(
            || bytes.to_vec(),
            |owned| bomvet_read(black_box(owned)),
            BatchSize::LargeInput,
        )
    });
}

fn ingest(c: &mut criterion::Criterion<CpuTime>) {
    let n = cpu::components(100_000);
    let cases = [
        ("cdx-json", GenFormat::CdxJson),
        ("cdx-xml", GenFormat::CdxXml),
        ("spdx-json", GenFormat::SpdxJson),
        ("spdx-tv", GenFormat::SpdxTagValue),
    ];
    for (name, format) in cases {
        let doc = generate(format, n, 1);
        let mut g = c.benchmark_group(format!("{name}-{n}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(8));
        pair(&mut g, doc.text.as_bytes(), RawKind::of(format));
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = ingest
}
criterion_main!(benches);
