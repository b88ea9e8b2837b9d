//! The loader's one pattern of parallelism: jobs (files, or pieces of one big file) are read and
//! parsed on a rayon pool while the calling thread builds the graph from the results strictly
//! in job order, with a bounded number of jobs ahead so that memory stays bounded.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// How many threads `threads` stands for (0: one per core).
pub(crate) fn thread_count(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// Runs `work` on every job on a pool of `threads` threads (0: rayon's global pool, one per
/// core), at most two jobs per thread ahead of the consumer, and hands each result to
/// `consume` on this thread in job order. `consume` returns `false` to stop: jobs not started
/// yet are skipped. Results are freed on the pool (freeing a parsed file is work too).
pub(crate) fn ordered<J, R, W, C>(
    threads: usize,
    jobs: impl IntoIterator<Item = J>,
    work: W,
    consume: C,
) where
    J: Send,
    R: Send,
    W: Fn(J) -> R + Sync,
    C: FnMut(&mut R) -> bool,
{
    let pool = match threads {
        0 => None,
        n => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
    };
    let width = pool
        .as_ref()
        .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let stop = AtomicBool::new(false);
    let (work, stop) = (&work, &stop);
    match &pool {
        Some(pool) => pool.in_place_scope(|s| run(s, 2 * width, jobs, work, stop, consume)),
        None => rayon::in_place_scope(|s| run(s, 2 * width, jobs, work, stop, consume)),
    }
}

fn run<'s, J, R, W, C>(
    scope: &rayon::Scope<'s>,
    window: usize,
    jobs: impl IntoIterator<Item = J>,
    work: &'s W,
    stop: &'s AtomicBool,
    mut consume: C,
) where
    J: Send + 's,
    R: Send + 's,
    W: Fn(J) -> R + Sync,
    C: FnMut(&mut R) -> bool,
{
    let mut jobs = jobs.into_iter();
    let mut in_flight: VecDeque<mpsc::Receiver<R>> = VecDeque::with_capacity(window);
    let mut start_next = |in_flight: &mut VecDeque<mpsc::Receiver<R>>| {
        if let Some(job) = jobs.next() {
            let (tx, rx) = mpsc::sync_channel(1);
            scope.spawn(move |_| {
                if !stop.load(Ordering::Relaxed) {
                    let _ = tx.send(work(job));
                }
            });
            in_flight.push_back(rx);
        }
    };
    for _ in 0..window {
        start_next(&mut in_flight);
    }
    while let Some(rx) = in_flight.pop_front() {
        // A worker that panicked sends nothing; the scope re-raises its panic on return.
        let Ok(mut result) = rx.recv() else { break };
        start_next(&mut in_flight);
        let go_on = consume(&mut result);
        scope.spawn(move |_| drop(result));
        if !go_on {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_job_order_and_stop_when_asked() {
        for threads in [0, 1, 3] {
            let mut seen = Vec::new();
            ordered(
                threads,
                0..100u64,
                |i| {
                    // Later jobs finish first.
                    std::thread::sleep(std::time::Duration::from_micros(100 - i));
                    i * 2
                },
                |r| {
                    seen.push(*r);
                    true
                },
            );
            assert_eq!(seen, (0..100).map(|i| i * 2).collect::<Vec<_>>());
            let mut seen = Vec::new();
            ordered(
                threads,
                0..100u64,
                |i| i,
                |r| {
                    seen.push(*r);
                    *r < 10
                },
            );
            assert_eq!(seen, (0..=10).collect::<Vec<_>>());
        }
    }
}
