//! multithread: one event loop per thread in Python, a multi-thread runtime in tokio.
//!
//! An asyncio event loop runs in one thread, and a thread runs at most one loop: to use several
//! cores, a Python program starts several threads or processes, each with a loop of its own.
//! tokio offers that too (a `current_thread` runtime per thread), and also a multi-thread
//! runtime: one scheduler over several worker threads. Each worker has a local run queue; an
//! idle worker steals half of a busy worker's queue (work stealing); and a task suspended on one
//! thread may be resumed on another. That is why `tokio::spawn` demands `Send`: the future,
//! with everything it holds across an `.await`, may move between threads.
//!
//! The demo builds tokio's runtimes itself: one `current_thread` runtime per thread, a
//! multi-thread runtime with its worker threads named so that the output can say which thread
//! polled what, and a `LocalSet`. Each part runs as a blocking job (`spawn_blocking`), because
//! a runtime's `block_on` blocks the thread that calls it; `main` waits for each part in turn,
//! and reports what is certain (every job finished, the results, in order) and, through
//! [`varying`], what is not (which thread ran what, timings). (asyncdemo's trace follows only
//! the demo's own runtime: the tasks of the runtimes built here do not appear in it.)

use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{tokio, varying};
use tokio::runtime::Builder;
use tokio::task::LocalSet;

// [region: per-thread]
/// Python's picture, in tokio: two OS threads, each driving a `current_thread` runtime of its
/// own (`asyncio.run` in each thread). Every task of a runtime runs on the thread that drives
/// it, so the runtimes never share a task, and a task may hold anything, `Send` or not, as far
/// as the threads are concerned (`tokio::spawn` still asks for `Send`; see `LocalSet` below).
fn one_runtime_per_thread() -> Vec<String> {
    let started = Instant::now();
    let threads: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|label| {
            std::thread::Builder::new()
                .name(format!("thread-{label}"))
                .spawn(move || {
                    // `asyncio.run(serve(label))`: a new runtime for this thread, dropped at the end.
                    let runtime = Builder::new_current_thread().enable_time().build().expect("runtime");
                    runtime.block_on(serve(label))
                })
                .expect("a thread")
        })
        .collect();
    let mut lines = Vec::new();
    // Join in a fixed order, whichever thread finished first.
    for (label, thread) in ["A", "B"].into_iter().zip(threads) {
        let (ran_on, results) = thread.join().expect("the thread finished");
        lines.push(format!("среда {label}: задачи выполнялись в потоках {ran_on:?}, результаты {results:?}"));
    }
    // Each runtime slept 0.3 s; one after the other they would take 0.6 s.
    lines.push(format!(
        "обе среды выполнения вместе: {} (по очереди было бы 0.6 с)",
        varying(format!("{:.2} с", started.elapsed().as_secs_f64()))
    ));
    lines
}

/// One thread's `main`: gathers three jobs spawned on this thread's runtime.
async fn serve(label: &'static str) -> (Vec<String>, Vec<String>) {
    let handles: Vec<_> = (0..3).map(|n| tokio::spawn(job(label, n))).collect();
    let mut ran_on = Vec::new();
    let mut results = Vec::new();
    for handle in handles {
        let (thread, result) = handle.await.expect("the job finished");
        if !ran_on.contains(&thread) {
            ran_on.push(thread);
        }
        results.push(result);
    }
    (ran_on, results)
}

/// Sleeps 0.3 s of real time, then says which thread it finished on.
async fn job(label: &str, number: u32) -> (String, String) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let thread = std::thread::current().name().unwrap_or("?").to_owned();
    (thread, format!("{label}{number}"))
}
// [end: per-thread]

// [region: jobs]
/// How the numbers are split: eight jobs of 25,000 numbers, each counted in chunks of 2,500.
const JOBS: u64 = 8;
const PER_JOB: u64 = 25_000;
const CHUNK: u64 = 2_500;

/// One job: counts the primes in `range`, a chunk at a time, yielding between chunks (a
/// well-behaved task does not hold a worker for long). Returns the count and the workers that
/// polled it, in order.
async fn count_primes(range: Range<u64>) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut polled_on: Vec<String> = Vec::new();
    for start in range.clone().step_by(CHUNK as usize) {
        // Which worker thread is polling this task now (named by `multi_thread` below).
        let worker = std::thread::current().name().unwrap_or("?").to_owned();
        if polled_on.last() != Some(&worker) {
            polled_on.push(worker);
        }
        count += (start..(start + CHUNK).min(range.end)).filter(|&n| is_prime(n)).count();
        // Give the worker back between chunks: the task is rescheduled on the worker that polled
        // it, in that worker's local queue, and an idle worker may steal it from there, so it
        // may continue on another thread.
        tokio::task::yield_now().await;
    }
    (count, polled_on)
}

fn is_prime(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| !n.is_multiple_of(d))
}

/// The future given to `block_on`: spawns the jobs and awaits their handles in order, so the
/// results come back in order, whoever ran what.
///
/// It is not a task, and it does not run on a worker: `block_on` polls it on the thread that
/// called `block_on` (here a thread of the demo's blocking pool). So its `tokio::spawn`s come
/// from outside the workers and go to the runtime's shared (injection) queue, where the workers
/// pick them up. A task spawned *inside* a task goes to that worker's own local queue instead.
async fn split_and_count() -> Vec<(Range<u64>, usize, Vec<String>)> {
    // `tokio::spawn` on the multi-thread runtime: the future must be `Send`, because the task
    // may be polled on any worker thread.
    let handles: Vec<_> = (0..JOBS)
        .map(|job| {
            let range = job * PER_JOB..(job + 1) * PER_JOB;
            (range.clone(), tokio::spawn(count_primes(range)))
        })
        .collect();
    let mut results = Vec::new();
    for (range, handle) in handles {
        let (count, polled_on) = handle.await.expect("every job finishes");
        results.push((range, count, polled_on));
    }
    results
}

/// tokio's multi-thread runtime with `workers` worker threads, named `worker-0`, `worker-1`…:
/// each worker has a local run queue, tasks spawned from outside the workers go to a shared
/// queue, and an idle worker steals half of a busy worker's local queue.
fn multi_thread(workers: usize) -> tokio::runtime::Runtime {
    let next = Arc::new(AtomicUsize::new(0));
    Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name_fn(move || format!("worker-{}", next.fetch_add(1, Ordering::Relaxed)))
        .build()
        .expect("a multi-thread runtime")
}

/// Runs the jobs on one worker and on four, and reports.
fn work_stealing() -> Vec<String> {
    let started = Instant::now();
    let alone = multi_thread(1).block_on(split_and_count());
    let one_thread = started.elapsed();
    let started = Instant::now();
    let results = multi_thread(4).block_on(split_and_count());
    let four_threads = started.elapsed();

    let mut lines = vec![format!("пул из 4 потоков: {} задач из {JOBS} завершились", results.len())];
    let mut workers_used = Vec::new();
    let mut moved = 0;
    for (range, count, polled_on) in &results {
        lines.push(format!(
            "[{}, {}): {count} простых; опрашивали {}",
            range.start,
            range.end,
            varying(polled_on.join(" → "))
        ));
        moved += usize::from(polled_on.len() > 1);
        for worker in polled_on {
            if !workers_used.contains(worker) {
                workers_used.push(worker.clone());
            }
        }
    }
    let total: usize = results.iter().map(|(_, count, _)| count).sum();
    let total_alone: usize = alone.iter().map(|(_, count, _)| count).sum();
    lines
        .push(format!("всего простых меньше {}: {total}; в пуле из 1 потока: {total_alone}", JOBS * PER_JOB));
    lines.push(format!(
        "потоков в работе: {} из 4; сменили поток между опросами: {} из {JOBS}",
        varying(workers_used.len()),
        varying(moved)
    ));
    lines.push(format!(
        "время: 1 поток {}, 4 потока {}",
        varying(format!("{:.3} с", one_thread.as_secs_f64())),
        varying(format!("{:.3} с", four_threads.as_secs_f64()))
    ));
    lines
}
// [end: jobs]

// [region: local]
/// A future that is not `Send` (it keeps an `Rc` across `.await`) cannot go to `tokio::spawn`.
/// `LocalSet` runs such tasks on the one thread that drives it: `spawn_local` has no `Send`
/// bound, because the task never leaves this thread.
fn local_tasks() -> Vec<String> {
    // A paused clock of its own, like the demo's: the sleeps below take no real time.
    let runtime = Builder::new_current_thread().enable_time().start_paused(true).build().expect("runtime");
    let local = LocalSet::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    let counter = Rc::new(Cell::new(0));
    local.block_on(&runtime, async {
        let tasks: Vec<_> = [("a", 15), ("b", 25), ("c", 40)]
            .into_iter()
            .map(|(name, every)| {
                let (log, counter) = (log.clone(), counter.clone());
                tokio::task::spawn_local(async move {
                    for step in 1..=2 {
                        // `counter` and `log` are `Rc`s, alive across this await: fine here,
                        // and a compile error in a task given to `tokio::spawn`.
                        tokio::time::sleep(Duration::from_millis(every)).await;
                        counter.set(counter.get() + 1);
                        log.borrow_mut().push(format!("local {name}: шаг {step}"));
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a local task finished");
        }
    });
    log.borrow_mut().push(format!("local: общий счётчик (Rc<Cell<u32>>) = {}", counter.get()));
    log.take()
}
// [end: local]

pub async fn main() {
    // [region: main]
    // Each part runs on the blocking pool (see the executor lesson): its threads are real, and
    // `main` only waits for the part's result. One part at a time, so their timings do not mix.
    print_part(tokio::task::spawn_blocking(one_runtime_per_thread).await);
    print_part(tokio::task::spawn_blocking(work_stealing).await);
    print_part(tokio::task::spawn_blocking(local_tasks).await);
    // [end: main]
}

/// Prints the lines a part returned, or why it returned none.
fn print_part(part: Result<Vec<String>, tokio::task::JoinError>) {
    match part {
        Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
        Err(error) => println!("поток пула упал: {error}"),
    }
}
