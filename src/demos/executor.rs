//! executor: blocking code on a thread pool, awaited from async code.
//!
//! Python's `loop.run_in_executor(None, f)` runs the ordinary function `f` on the loop's default
//! executor (a `ThreadPoolExecutor`) and returns a `Future` that the loop completes when `f`
//! returns; `asyncio.to_thread(f, ...)` is the modern shortcut. tokio's counterpart is
//! `tokio::task::spawn_blocking(f)`: `f` runs on the runtime's blocking thread pool, and the
//! returned `JoinHandle` completes with `f`'s result. In both, the function is handed to a
//! thread at once: the thread runs it while the event loop goes on. What the lesson shows:
//!
//! - the job is not an async task: Python's `asyncio.all_tasks()` does not list an executor
//!   future, and tokio's count of live tasks does not count a blocking job (tokio calls it a
//!   "blocking task"; the trace shows it as a task of its own kind, Running on its thread);
//! - the job cannot be cancelled once it runs, because nothing can stop a thread's code
//!   halfway: a timeout on the waiting (Python's `wait_for`, tokio's `timeout`) stops the
//!   waiting, not the thread;
//! - at shutdown the job outlives its async counterpart, and both `asyncio.run` and dropping a
//!   tokio `Runtime` wait for it.
//!
//! On the demo's virtual clock, a job's `std::thread::sleep` takes virtual time while the
//! runtime goes on with its tasks, as real time would pass.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{std, tokio};
use tokio::runtime::Handle;
use tokio::time::{sleep, timeout};

// [region: jobs]
/// An ordinary, blocking function: the notes' `blocking()`. Called in a task, its
/// `std::thread::sleep` would hold the runtime's thread (the previous lesson); on the blocking
/// pool it holds only a pool thread.
fn blocking() {
    std::thread::sleep(Duration::from_millis(500));
    println!("Hello from a thread");
}

/// Plain synchronous work that returns a value: how many primes are below `limit`.
fn count_primes(limit: u64) -> usize {
    (2..limit).filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| !n.is_multiple_of(d))).count()
}

/// A job that blocks its thread for half a second; it reports its end through `log`.
fn slow_job(name: &str, log: impl Fn(&str)) {
    std::thread::sleep(Duration::from_millis(500));
    log(&format!("{name}: доработала"));
}
// [end: jobs]

pub async fn main() {
    // [region: hello]
    println!("Hello!");
    // `loop.run_in_executor(None, blocking)`: `spawn_blocking` hands the closure to a pool
    // thread, which starts it right away, and returns a handle. The job has no await points,
    // and once it runs it cannot be cancelled.
    let job = tokio::task::spawn_blocking(blocking);
    // `asyncio.all_tasks()` lists `main` only; tokio's count of live tasks is 0: `main` is not
    // a task (it is `block_on`'s future), and a blocking job is not counted.
    println!(
        "spawn_blocking вернул JoinHandle; задач в среде выполнения: {}",
        Handle::current().metrics().num_alive_tasks()
    );
    // `await asyncio.sleep(1.0)` while the thread works. Python never awaits the executor's
    // future here; we wait for the sleep and the job together, so that the job's end shows in
    // the trace as the wake it causes.
    let ((), joined) = tokio::join!(sleep(Duration::from_secs(1)), job);
    if let Err(error) = joined {
        println!("поток пула упал: {error}");
    }
    println!("Goodbye!");
    // [end: hello]

    // [region: to-thread]
    // `await asyncio.to_thread(count_primes, 10_000)`: awaiting the handle gives the closure's
    // return value (inside `Ok`; an `Err` if the closure panicked).
    match tokio::task::spawn_blocking(|| count_primes(10_000)).await {
        Ok(primes) => println!("spawn_blocking вернул: {primes}"),
        Err(error) => println!("поток пула упал: {error}"),
    }
    // [end: to-thread]

    // [region: outlive]
    // The job outlives the coroutine that awaits it. Python:
    // `await asyncio.wait_for(asyncio.to_thread(slow_job), timeout=0.1)` gives up after 0.1 s
    // and raises `TimeoutError`, but the thread keeps running. tokio's `timeout` is the same
    // tool: on expiry it drops the handle it waited on, which detaches the job; it does not
    // stop the thread. (`abort()` would not stop it either: a blocking job that has started
    // runs to the end.)
    println!("impatient: отдаю slow_job пулу потоков");
    let job = tokio::task::spawn_blocking(|| slow_job("slow_job", |line| println!("{line}")));
    match timeout(Duration::from_millis(100), job).await {
        Err(_elapsed) => println!("impatient: тайм-аут, поток не остановить; выхожу"),
        Ok(_) => println!("impatient: slow_job успела"),
    }
    // Nobody waits for the job any more, yet its line still comes, half a second after it
    // started.
    sleep(Duration::from_secs(1)).await;
    // [end: outlive]

    // [region: shutdown]
    // `asyncio.run` waits for the default executor's threads before it returns. Dropping a tokio
    // `Runtime` does the same: its drop blocks until every `spawn_blocking` job has returned
    // (`shutdown_timeout(d)` waits at most `d`, `shutdown_background()` not at all). To watch a
    // runtime being dropped, we build one on a pool thread, as a program's `main` would. (That
    // runtime is not the demo's: its tasks and jobs are not in the trace, and its clock is
    // real, so this part takes no virtual time.)
    let job = tokio::task::spawn_blocking(|| {
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
    match job.await {
        Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
        Err(error) => println!("поток пула упал: {error}"),
    }
    // [end: shutdown]
}
