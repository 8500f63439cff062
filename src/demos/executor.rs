//! executor: blocking code on a thread pool, awaited from async code.
//!
//! Python's `loop.run_in_executor(None, f)` runs the ordinary function `f` on the loop's default
//! executor (a `ThreadPoolExecutor`) and returns a `Future` that the loop completes when `f`
//! returns; `asyncio.to_thread(f, ...)` is the modern shortcut. tokio's counterpart is
//! `tokio::task::spawn_blocking(f)` (here [`engine::spawn_blocking`]): `f` runs on the runtime's
//! blocking thread pool, and the returned `JoinHandle` completes with `f`'s result. What the
//! lesson shows:
//!
//! - the job is not a task: `asyncio.all_tasks()` does not list an executor future, and
//!   `engine::all_tasks()` does not list a blocking job; the trace sees it only through the
//!   wake it causes ("woken from another thread") and the lines it prints;
//! - the job cannot be cancelled once it runs: a timeout on the waiting (Python's `wait_for`,
//!   tokio's `timeout`) stops the waiting, not the thread;
//! - at shutdown the job outlives its async counterpart, and both `asyncio.run` and dropping a
//!   tokio `Runtime` wait for it.
//!
//! On the demo's virtual clock a job is a real thread that stands for some virtual time: the
//! engine runs it when its task suspends, and delivers what it printed, and its result, when
//! that time is up (`engine::spawn_blocking_for`), so every run records the same events.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::engine::{self, AwaitExt};
use crate::say;

// [region: jobs]
/// An ordinary, blocking function: the notes' `blocking()`. Called in a task, its
/// `std::thread::sleep` would hold the runtime's thread (the previous lesson); on the blocking
/// pool it holds only a pool thread. (The real sleep is short; on the demo's clock the job
/// stands for the Python's half second: see `spawn_blocking_for` below.)
fn blocking() {
    std::thread::sleep(Duration::from_millis(20));
    say!("Hello from a thread");
}

/// Plain synchronous work that returns a value: how many primes are below `limit`.
fn count_primes(limit: u64) -> usize {
    (2..limit).filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| !n.is_multiple_of(d))).count()
}

/// A job that blocks its thread for a while; it reports its end through `log`.
fn slow_job(name: &str, log: impl Fn(&str)) {
    std::thread::sleep(Duration::from_millis(100));
    log(&format!("{name}: доработала"));
}
// [end: jobs]

/// Python's `time.sleep(0.5)` in the job: how long the jobs stand for on the virtual clock.
const HALF_A_SECOND: Duration = Duration::from_millis(500);

pub async fn main() {
    // [region: hello]
    say!("Hello!");
    // `loop.run_in_executor(None, blocking)`: `spawn_blocking` hands the closure to a pool
    // thread and returns a handle; no task was created: the runtime does not poll the job, the
    // job has no await points, and once it runs it cannot be cancelled. It starts as soon as
    // `main` gives control back to the runtime (at the `await` below), and, standing for half
    // a second, delivers its output and result at 0.5 s.
    let job = engine::spawn_blocking_for(HALF_A_SECOND, blocking);
    let names: Vec<String> = engine::all_tasks().into_iter().map(|task| task.name.into()).collect();
    say!("spawn_blocking вернул JoinHandle; задач в all_tasks(): {} {names:?}", names.len());
    // `await asyncio.sleep(1.0)` while the thread works. Python never awaits the executor's
    // future here; we wait for the sleep and the job together, so that the job's end shows in
    // the trace as the wake it causes (`woken from another thread`).
    let ((), joined) = async { tokio::join!(engine::sleep(Duration::from_secs(1)), job) }
        .awaiting("join!(sleep 1 s, blocking job)")
        .await;
    if let Err(error) = joined {
        say!("поток пула упал: {error}");
    }
    say!("Goodbye!");
    // [end: hello]

    // [region: to-thread]
    // `await asyncio.to_thread(count_primes, 10_000)`: awaiting the handle gives the closure's
    // return value (inside `Ok`; an `Err` if the closure panicked).
    match engine::spawn_blocking(|| count_primes(10_000)).awaiting("spawn_blocking (count_primes)").await {
        Ok(primes) => say!("spawn_blocking вернул: {primes}"),
        Err(error) => say!("поток пула упал: {error}"),
    }
    // [end: to-thread]

    // [region: outlive]
    // The job outlives the coroutine that awaits it. Python:
    // `await asyncio.wait_for(asyncio.to_thread(slow_job), timeout=0.1)` gives up after 0.1 s
    // and raises `TimeoutError`, but the thread keeps running. `engine::timeout` is tokio's
    // `timeout`, the same tool: on expiry it drops the handle it waited on, which detaches the
    // job; it does not stop the thread.
    say!("impatient: отдаю slow_job пулу потоков");
    let job = engine::spawn_blocking_for(HALF_A_SECOND, || slow_job("slow_job", |line| say!("{line}")));
    match engine::timeout(Duration::from_millis(100), job).awaiting("timeout 0.1 s (slow_job)").await {
        Err(engine::Elapsed) => say!("impatient: тайм-аут, поток не остановить; выхожу"),
        Ok(_) => say!("impatient: slow_job успела"),
    }
    // Nobody waits for the job any more, yet its line still comes, half a second after it
    // started.
    engine::sleep(Duration::from_secs(1)).await;
    // [end: outlive]

    // [region: shutdown]
    // `asyncio.run` waits for the default executor's threads before it returns. Dropping a tokio
    // `Runtime` does the same: its drop blocks until every `spawn_blocking` job has returned
    // (`shutdown_timeout(d)` waits at most `d`, `shutdown_background()` not at all). To watch a
    // runtime being dropped, we build one on a pool thread, as a program's `main` would.
    let job = engine::spawn_blocking(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let write = |log: &Arc<Mutex<Vec<String>>>, line: &str| {
            log.lock().expect("nobody panics holding the log").push(line.to_owned());
        };
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            write(&log, "main: spawn_blocking(slow_job 2) и выхожу");
            let log = log.clone();
            // The handle is dropped at once: the job is detached and keeps running.
            drop(tokio::task::spawn_blocking(move || slow_job("slow_job 2", |line| write(&log, line))));
        });
        // `main` has returned; dropping the runtime waits for the job.
        drop(runtime);
        write(&log, "drop(runtime) вернул управление: он дождался потока");
        Arc::try_unwrap(log).map(|log| log.into_inner().unwrap_or_default()).unwrap_or_default()
    });
    match job.awaiting("spawn_blocking (a runtime's life)").await {
        Ok(lines) => lines.iter().for_each(|line| say!("{line}")),
        Err(error) => say!("поток пула упал: {error}"),
    }
    // [end: shutdown]
}
