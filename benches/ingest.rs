//! Ingestion throughput per format against a raw parse of the same bytes.
//!
//! Inputs come from the generator (`bomvet::sbomgen`, fixed seeds), so every run measures the
//! same documents. Pairs, each on identical bytes:
//! - CycloneDX JSON: `serde_json::from_slice::<IgnoredAny>` vs `bomvet::sbom::read_bytes`;
//! - CycloneDX XML: a quick-xml event scan (every event read, nothing kept) vs `read_bytes`;
//! - SPDX 2.3 JSON: `IgnoredAny` vs `read_bytes`;
//! - SPDX 2.3 tag-value: a line split (each line split at its first `:`) vs `read_bytes`.
//!
//! Time is on-CPU time of the benchmarking thread (`/proc/thread-self/schedstat`), not wall
//! time: the machines this runs on are shared, and time spent waiting for a core says nothing
//! about the code. Where that file is missing the wall clock is used.
//!
//! `BOMVET_BENCH_COMPONENTS` overrides the component count (default 100000).
//! Run: `cargo bench --bench ingest`; medians are in `target/criterion/*/*/new/estimates.json`.

use std::hint::black_box;
use std::time::Duration;

use bomvet::sbom::{read_bytes, ReadOptions};
use bomvet::sbomgen::{generate, GenFormat};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use serde::de::IgnoredAny;

/// On-CPU nanoseconds of the calling thread, or `None` where the kernel does not say.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Criterion measurement: thread CPU time in nanoseconds (wall time as a fallback).
struct CpuTime {
    wall: WallTime,
}

impl Measurement for CpuTime {
    type Intermediate = (Option<u64>, std::time::Instant);
    type Value = u64;

    fn start(&self) -> Self::Intermediate {
        (cpu_ns(), std::time::Instant::now())
    }
    fn end(&self, (cpu, wall): Self::Intermediate) -> u64 {
        match (cpu, cpu_ns()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall.elapsed().as_nanos() as u64,
        }
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

fn criterion() -> Criterion<CpuTime> {
    Criterion::default().with_measurement(CpuTime { wall: WallTime })
}

fn components() -> usize {
    std::env::var("BOMVET_BENCH_COMPONENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn xml_scan(text: &str) -> usize {
    let mut r = quick_xml::Reader::from_str(text);
    let mut n = 0usize;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}

fn line_split(text: &str) -> usize {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| k.len() ^ v.trim().len())
        .fold(0, usize::wrapping_add)
}

fn bomvet_read(bytes: &[u8]) -> usize {
    let opts = ReadOptions::default();
    read_bytes("bench", bytes, &opts)
        .map(|d| d.components.len())
        .unwrap_or(0)
}

fn pair(g: &mut BenchmarkGroup<'_, CpuTime>, bytes: &[u8], raw: impl Fn(&[u8]) -> usize) {
    // Sanity: both sides must accept the input, or the comparison means nothing.
    assert!(raw(bytes) > 0, "raw parser rejected the input");
    assert!(bomvet_read(bytes) > 0, "bomvet rejected the input");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("raw", |b| b.iter(|| raw(black_box(bytes))));
    g.bench_function("bomvet", |b| b.iter(|| bomvet_read(black_box(bytes))));
}

fn ingest(c: &mut Criterion<CpuTime>) {
    let n = components();
    type Raw = fn(&[u8]) -> usize;
    let cases: [(&str, GenFormat, Raw); 4] = [
        ("cdx-json", GenFormat::CdxJson, |b| {
            serde_json::from_slice::<IgnoredAny>(b).map_or(0, |_| 1)
        }),
        ("cdx-xml", GenFormat::CdxXml, |b| {
            std::str::from_utf8(b).map_or(0, xml_scan)
        }),
        ("spdx-json", GenFormat::SpdxJson, |b| {
            serde_json::from_slice::<IgnoredAny>(b).map_or(0, |_| 1)
        }),
        ("spdx-tv", GenFormat::SpdxTagValue, |b| {
            std::str::from_utf8(b).map_or(0, line_split)
        }),
    ];
    for (name, format, raw) in cases {
        let doc = generate(format, n, 1);
        let mut g = c.benchmark_group(format!("{name}-{n}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(8));
        pair(&mut g, doc.text.as_bytes(), raw);
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = criterion();
    targets = ingest
}
criterion_main!(benches);
