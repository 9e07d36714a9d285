//! Clocks for the benchmarks and the scale tool: on-CPU time of the calling thread, read from
//! `/proc/thread-self/schedstat` (Linux), so that time spent waiting for a core on a shared
//! machine does not count; wall time where the kernel does not say.

use std::time::{Duration, Instant};

/// On-CPU nanoseconds of the calling thread so far, or `None` where the kernel does not say.
/// The kernel brings the figure up to date at scheduler ticks and context switches, so it is
/// exact only to a few milliseconds: fine for the reads of tens of milliseconds and more that
/// it measures.
pub fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// CPU and wall time of one call of `f` on this thread (CPU falls back to wall).
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Duration, Duration) {
    let (cpu0, wall0) = (thread_cpu_ns(), Instant::now());
    let r = f();
    let wall = wall0.elapsed();
    let cpu = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
        _ => wall,
    };
    (r, cpu, wall)
}

/// Median of the samples (the mean of the two middle ones for an even count); zero if none.
pub fn median(samples: &[Duration]) -> Duration {
    let mut v = samples.to_vec();
    v.sort_unstable();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(5), ms(1), ms(3)]), ms(3));
        assert_eq!(
            median(&[ms(4), ms(1), ms(3), ms(2)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn busy_work_takes_cpu_time() {
        // The kernel's count advances at scheduler ticks (a few ms), so the work must last
        // several of them, in debug and release builds alike.
        let (sum, cpu, wall) = measure(|| {
            let start = Instant::now();
            let (mut a, mut b) = (0u64, 0u64);
            while start.elapsed() < Duration::from_millis(40) {
                b += 1;
                a ^= std::hint::black_box(b).wrapping_mul(31);
            }
            a | 1
        });
        assert!(std::hint::black_box(sum) > 0);
        assert!(
            cpu > Duration::ZERO && wall > Duration::ZERO,
            "cpu {cpu:?} wall {wall:?}"
        );
    }
}
