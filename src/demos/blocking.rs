//! blocking: one blocking call in async code stops every task on the thread.
//!
//! An event loop is cooperative: it can switch tasks only at an await point. Python's
//! `time.sleep(2.5)` inside a coroutine has no await point: it holds the thread for two and a
//! half seconds, the loop stands still, and every other task starts late.
//! `await asyncio.sleep(2.5)` suspends only the coroutine that called it. The same holds in tokio:
//!
//! - `std::thread::sleep` (or a long CPU-bound loop, or any blocking I/O) in a task holds the
//!   runtime's thread: no other task runs, no timer is looked at, until it returns;
//! - `tokio::time::sleep(..).await` suspends only the task;
//! - the way out for blocking code that has to run: `spawn_blocking` (tokio's blocking thread
//!   pool, Python's `asyncio.to_thread` / `run_in_executor`), or `block_in_place` on the
//!   multi-thread runtime.
//!
//! Each round runs a ticker that wants to tick every second next to a sleeper that sleeps
//! 2.5 s in one of the three ways, and the ticker reports how late each tick came.
//!
//! On the demo's virtual clock a `std::thread::sleep` takes virtual time as a real one takes
//! real time: in a task it moves the clock on by its length while nothing else runs (the
//! thread is busy), and in a `spawn_blocking` job the clock goes on meanwhile, with the other
//! tasks. (tokio's own paused test clock would stand still during both.)

use std::time::Duration;

use super::{futures, std, tokio};
use futures::future::join_all;
use tokio::time::{Instant, sleep};

/// How often the ticker wants to tick, and how long the sleeper sleeps.
const PERIOD: Duration = Duration::from_secs(1);
const NAP: Duration = Duration::from_millis(2500);

// [region: ticker]
/// Wants to tick every second; reports when each tick came and how late it was.
///
/// Each `sleep(PERIOD).await` suspends this task and gives the thread back to the runtime;
/// the runtime wakes it when the timer is due, *if* the thread is free to notice.
async fn ticker() {
    let start = Instant::now();
    for n in 1..=3u32 {
        sleep(PERIOD).await;
        let now = start.elapsed();
        // A tick is never early; how late it is shows how long the thread was not ours.
        let late = now.saturating_sub(PERIOD * n);
        println!("тик {n}: в {} с, опоздание {} с", tenths(now), tenths(late));
    }
}

/// Seconds with one decimal, as Python's `f"{x:.1f}"` prints them.
fn tenths(span: Duration) -> String {
    format!("{:.1}", span.as_secs_f64())
}
// [end: ticker]

// [region: sleepers]
/// Round 1: `time.sleep(2.5)` in a coroutine.
///
/// `std::thread::sleep` holds the only thread of the runtime: no other task runs, no timer is
/// even looked at, until it returns. There is no await point here, so this task stays Running
/// the whole 2.5 s.
async fn sleeper_blocking() {
    println!("sleeper: std::thread::sleep(2.5 с)…");
    std::thread::sleep(NAP);
    println!("sleeper: std::thread::sleep вернул управление");
}

/// Round 2: `await asyncio.sleep(2.5)`.
///
/// `sleep(..).await` registers a timer and suspends this task: the thread goes back to the
/// runtime, which runs the ticker meanwhile.
async fn sleeper_async() {
    println!("sleeper: sleep(2.5 с).await…");
    sleep(NAP).await;
    println!("sleeper: sleep вернул управление");
}

/// Round 3: `await asyncio.to_thread(time.sleep, 2.5)`.
///
/// `spawn_blocking` hands the closure to tokio's blocking thread pool and returns a
/// `JoinHandle`: the job starts at once, on a pool thread (the trace shows it as a task of its
/// own kind). Awaiting the handle suspends only this task, and the blocking call holds a pool
/// thread, not the runtime's. (`tokio::task::block_in_place` is the other way out: on the
/// multi-thread runtime it tells the scheduler "this worker is about to block" and the worker's
/// other tasks move to another thread. On a `current_thread` runtime, like this one and like an
/// asyncio loop, there is no other worker, and it panics.)
async fn sleeper_thread() {
    println!("sleeper: spawn_blocking(thread::sleep(2.5 с)).await…");
    let job = tokio::task::spawn_blocking(|| std::thread::sleep(NAP));
    match job.await {
        Ok(()) => println!("sleeper: spawn_blocking вернул управление"),
        Err(error) => println!("sleeper: поток пула упал: {error}"),
    }
}
// [end: sleepers]

pub async fn main() {
    // [region: rounds]
    // Python: `await asyncio.gather(ticker(), sleeper())` for each kind of sleeper. The ticker
    // is spawned first, so it runs first and sets its 1 s timer before the sleeper starts.
    for (round, title) in (1..).zip([
        "1. std::thread::sleep в задаче",
        "2. tokio::time::sleep",
        "3. std::thread::sleep в spawn_blocking",
    ]) {
        println!("{title}");
        let ticker = tokio::spawn(ticker());
        let sleeper = match round {
            1 => tokio::spawn(sleeper_blocking()),
            2 => tokio::spawn(sleeper_async()),
            _ => tokio::spawn(sleeper_thread()),
        };
        // `join_all` is `gather`: `main` is Suspended until both tasks have finished.
        for joined in join_all(vec![ticker, sleeper]).await {
            if joined.is_err() {
                println!("задачу отменили");
            }
        }
    }
    // [end: rounds]
}
