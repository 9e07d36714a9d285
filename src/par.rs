//! Data parallelism on scoped threads, results in input order.
//!
//! Two shapes: [`map_dynamic`] hands out items one at a time (documents of a batch, whose costs
//! differ by orders of magnitude), [`map_contiguous`] splits a slice into one run per thread
//! (the components of one document, each about as costly as the next).

use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items [`map_contiguous`] stays on the calling thread: spawning costs more
/// than it saves.
pub const MIN_PARALLEL: usize = 2048;

/// Apply `f` to every item on up to `jobs` threads, each taking the next unclaimed item.
pub fn map_dynamic<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if jobs <= 1 || items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, R)>> = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs.min(items.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(p) => parts.push(p),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
    });
    let mut all: Vec<(usize, R)> = parts.into_iter().flatten().collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Apply `f` to every item, the slice cut into `threads` contiguous runs (the calling thread
/// takes the first). Sequential below [`MIN_PARALLEL`] items or with one thread.
pub fn map_contiguous<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() < MIN_PARALLEL {
        return items.iter().map(f).collect();
    }
    let per = items.len().div_ceil(threads);
    let mut runs = items.chunks(per);
    let Some(first) = runs.next() else {
        return Vec::new();
    };
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .map(|run| s.spawn(move || run.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = Vec::with_capacity(items.len());
        out.extend(first.iter().map(f));
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_keep_input_order_for_every_thread_count() {
        for n in [
            0usize,
            1,
            2,
            5,
            MIN_PARALLEL - 1,
            MIN_PARALLEL,
            3 * MIN_PARALLEL + 7,
        ] {
            let items: Vec<usize> = (0..n).collect();
            let want: Vec<usize> = items.iter().map(|i| i * 3 + 1).collect();
            for threads in [0, 1, 2, 3, 8] {
                assert_eq!(
                    map_contiguous(&items, threads, |i| i * 3 + 1),
                    want,
                    "{n} {threads}"
                );
                assert_eq!(
                    map_dynamic(&items, threads, |i| i * 3 + 1),
                    want,
                    "{n} {threads}"
                );
            }
        }
    }

    #[test]
    fn contiguous_runs_really_use_other_threads() {
        let items: Vec<u32> = (0..(4 * MIN_PARALLEL) as u32).collect();
        let ids = map_contiguous(&items, 2, |_| std::thread::current().id());
        let main = std::thread::current().id();
        assert_eq!(ids[0], main, "the calling thread takes the first run");
        assert!(
            ids.iter().any(|t| *t != main),
            "no item ran on a second thread"
        );
    }
}
