//! Cancellation: stopping a task, cleaning up after it, and shutting a server down without
//! losing data.
//!
//! Python's `task.cancel()` raises `CancelledError` inside the coroutine at the `await` where it
//! is suspended; the coroutine can catch it, run async cleanup (even `await` more), and should
//! re-raise it. Rust has no exceptions to throw into a future. The counterparts:
//!
//! - `JoinHandle::abort()`: the runtime *drops* the task's future at its current await point.
//!   Nothing after that `.await` runs, and no async code runs at all; only `Drop` impls do, so
//!   synchronous cleanup goes in a `Drop` guard;
//! - a `CancellationToken` (tokio-util): a request the task checks itself, with `select!`, between
//!   two pieces of work. That is graceful shutdown: the task finishes what it is doing (a
//!   database write, which is async), then returns normally;
//! - `abort()` for what is left: the notes' "Hello-ish world" shutdown idiom, through the
//!   handles the program kept (tokio has no `all_tasks()`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{futures, tokio, tokio_util};
use futures::future::join_all;
use tokio::runtime::Handle;
use tokio::task::JoinError;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;

// [region: worker]
/// A cleanup guard: its `drop` runs however the future that owns it ends, and when a task is
/// aborted that is the only code of the task that still runs.
///
/// This is where Python's `except asyncio.CancelledError:` block goes in Rust. It is
/// synchronous: a `Drop` cannot `.await`, so it can close a file or log a line, but not finish a
/// network round trip. (It runs when the runtime drops the aborted task's future, on the
/// runtime's thread; what it prints belongs to that task.)
struct Cleanup {
    /// The step the worker is on; the guard lives inside the worker's future, so the loop can
    /// update it.
    step: u32,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        println!("worker: отмена во время шага {}, убираю за собой (Drop)", self.step);
    }
}

/// Works in steps of 200 ms, forever, until someone aborts it.
async fn worker() {
    let mut cleanup = Cleanup { step: 0 };
    loop {
        cleanup.step += 1;
        // The await point where an abort catches the task. Python would raise `CancelledError`
        // right here; Rust drops the whole future here instead: the `println!` below never runs
        // for the step that was cancelled, and `cleanup` is dropped along with the future.
        sleep(Duration::from_millis(200)).await;
        println!("worker: шаг {}", cleanup.step);
    }
}
// [end: worker]

// [region: writer]
/// The "database": a record is in it once its write has completed. A plain `std` mutex is fine
/// in async code as long as the lock is never held across an `.await` (here it never is).
type Db = Arc<Mutex<Vec<String>>>;

/// One write: takes 300 ms, and the record lands in the database only at the end. Cut short,
/// the write is lost.
async fn write(name: &str, record: String, db: &Db) {
    sleep(Duration::from_millis(300)).await;
    db.lock().expect("no task panics while holding the lock").push(record.clone());
    println!("{name}: записала {record}");
}

/// Serves requests (one every `period`) and writes each to the database, until `shutdown` is
/// cancelled. Returns how many records it wrote.
async fn writer(name: &'static str, period: Duration, shutdown: CancellationToken, db: Db) -> usize {
    let mut written = 0;
    loop {
        // `select!` waits for whichever branch is ready first and drops the others (dropping
        // is how Rust cancels, here too: the losing `sleep` is simply thrown away). The
        // branches: the shutdown request, or the next request to serve. `biased;` polls them in
        // the order written (tokio's default is random), so shutdown wins a tie and every run
        // prints the same transcript. In Python this would be an `asyncio.Event` raced with
        // `asyncio.wait(..., return_when=FIRST_COMPLETED)`; the notes use `cancel()` instead,
        // which interrupts whatever the task awaits, a write included.
        let next = tokio::select! {
            biased;
            () = shutdown.cancelled() => None,
            () = sleep(period) => Some(written + 1),
        };
        let Some(number) = next else { break };
        written = number;
        // The write is *not* a branch of the `select!`: once started, it always completes. That
        // is the whole point of cooperative cancellation. With `abort()` the runtime could drop
        // the task in the middle of this `.await` and the record would be lost; a `Drop` guard
        // could not save it, since saving it means awaiting the database.
        write(name, format!("{name}/{written}"), &db).await;
    }
    println!("{name}: получила запрос на завершение, выхожу (записей: {written})");
    written
}

/// A background task that ignores the token: collects statistics every 500 ms, forever.
async fn stats() {
    loop {
        sleep(Duration::from_millis(500)).await;
    }
}
// [end: writer]

pub async fn main() {
    // [region: cancel]
    // `asyncio.create_task(worker(), name="worker")`.
    let worker = tokio::spawn(worker());
    sleep(Duration::from_millis(500)).await;

    // `task.cancel()`. Like it, `abort()` only *asks*: the worker is suspended on its timer and
    // this task is still running, so nothing has happened to the worker yet. The runtime drops
    // its future when it next gets control, after `main` suspends on the line below.
    worker.abort();
    println!("сразу после abort(): is_finished() = {}", worker.is_finished());

    // `await task` raises `CancelledError` in Python; awaiting the handle of an aborted task
    // gives `Err(JoinError)` whose `is_cancelled()` is true (`task.cancelled()`).
    let outcome = worker.await;
    let cancelled = outcome.is_err_and(|error| error.is_cancelled());
    println!("await handle: Err(JoinError), is_cancelled() = {cancelled}");
    // [end: cancel]

    // [region: shutdown]
    // Restarting a server under load: the writers must not lose a record half-written. One
    // token is shared by every task that should stop on request (`clone` gives another handle
    // to the same token; `child_token()` would give one that can also be cancelled alone).
    let shutdown = CancellationToken::new();
    let db = Db::default();
    let names = ["writer-1", "writer-2"];
    let writers = vec![
        tokio::spawn(writer(names[0], Duration::from_millis(400), shutdown.clone(), db.clone())),
        tokio::spawn(writer(names[1], Duration::from_millis(600), shutdown.clone(), db.clone())),
    ];
    let stats = tokio::spawn(stats());
    sleep(Duration::from_millis(1250)).await;

    // Ask for shutdown. `cancel()` wakes every task waiting in `shutdown.cancelled()`; a task
    // busy writing sees the request only when it comes back to its `select!`.
    println!("main: перезапуск сервера, прошу задачи завершиться");
    shutdown.cancel();

    // Wait for the writers to finish on their own: writer-2 was idle and leaves at once,
    // writer-1 completes the write it is in the middle of first.
    let results = join_all(writers).await;

    // The notes' "Hello-ish world" idiom: whatever is still alive (`asyncio.all_tasks()`, minus
    // `main`'s own task) does not listen to the token and has nothing to lose: abort it, then wait
    // until it is really gone. tokio has no `all_tasks()`, only a count of the live tasks;
    // aborting goes through the handles we kept. (Keep many such tasks in a `JoinSet` and
    // call `shutdown()`: it aborts them all and waits for them.)
    println!("ещё работают задач: {}", Handle::current().metrics().num_alive_tasks());
    stats.abort();
    let stats_outcome = stats.await;

    // The status of every task, as in the notes' report.
    for (name, outcome) in names.iter().zip(&results) {
        println!("{name}: {}", describe(outcome));
    }
    println!("stats: {}", describe(&stats_outcome));
    let saved = db.lock().expect("no task panics while holding the lock");
    println!("записей в базе: {} — {:?}", saved.len(), *saved);
    // [end: shutdown]
}

/// A finished task's status in words: Done with its result, Cancelled, or Failed.
fn describe<T: std::fmt::Debug>(outcome: &Result<T, JoinError>) -> String {
    match outcome {
        Ok(value) => format!("завершена (Done), вернула {value:?}"),
        Err(error) if error.is_cancelled() => "отменена (Cancelled)".into(),
        Err(_) => "упала с ошибкой (Failed)".into(),
    }
}
