//! Criterion measurement shared by the benches: on-CPU time of the benchmarking thread
//! (`bomvet::sbomgen::clock`), not wall time: the machines this runs on are shared, and time
//! spent waiting for a core says nothing about the code. Where the kernel does not say, the
//! wall clock is used.

use bomvet::sbomgen::clock::thread_cpu_ns;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::Criterion;

/// Criterion measurement: thread CPU time in nanoseconds (wall time as a fallback).
pub struct CpuTime {
    wall: WallTime,
}

impl Measurement for CpuTime {
    type Intermediate = (Option<u64>, std::time::Instant);
    type Value = u64;

    fn start(&self) -> Self::Intermediate {
        (thread_cpu_ns(), std::time::Instant::now())
    }
    fn end(&self, (cpu, wall): Self::Intermediate) -> u64 {
        match (cpu, thread_cpu_ns()) {
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

/// A criterion configured with [`CpuTime`].
pub fn criterion() -> Criterion<CpuTime> {
    Criterion::default().with_measurement(CpuTime { wall: WallTime })
}

/// `BOMVET_BENCH_COMPONENTS`, else `default`.
pub fn components(default: usize) -> usize {
    std::env::var("BOMVET_BENCH_COMPONENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
