//! Why asynchronous code: three requests of one second each, one after another (3 s) and then
//! concurrently (1 s), all on one thread.
//!
//! The requests stand for I/O-bound work (an HTTP call, a database query, a file read): almost
//! all of their time is spent waiting for an answer. Waiting needs no CPU, so while one request
//! waits, the same thread can start the others. That is what Python's asyncio is for, and what
//! tokio is for in Rust.
//!
//! One difference shapes everything after this lesson. Python ships its event loop in the
//! standard library (`asyncio`). Rust's language gives only `async`/`await` and the `Future`
//! trait; the runtime that runs futures, the event loop's counterpart, is a library you pick:
//! tokio here. This demo's `main` runs the way `#[tokio::main(flavor = "current_thread")]` runs
//! it: the program builds a single-threaded runtime and hands `main` to its `block_on` (see the
//! event-loop lesson).
//!
//! Time in the demo is virtual: the seconds of waiting pass instantly, in the same order.

use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;
use tokio::runtime::Handle;
use tokio::time::{Instant, sleep};

/// Whole seconds since `start`: `[3 с]`. `tokio::time::Instant` reads the runtime's clock: in
/// the demo, the virtual one.
fn since(start: Instant) -> String {
    format!("[{} с]", start.elapsed().as_secs())
}

// [region: request]
/// One "request": sends, waits one second for the answer, returns it.
///
/// `async fn` is `async def`: a function whose body can stop at an await point and carry on
/// later from the same place.
async fn request(name: &'static str, start: Instant) -> String {
    println!("{} {name}: запрос отправлен", since(start));
    // Waiting for the answer: `await asyncio.sleep(1)`. The task is Suspended on a timer and
    // the thread is free to run other tasks meanwhile. (A real request would wait on a socket
    // instead of a timer; the waiting is the same.)
    sleep(Duration::from_secs(1)).await;
    println!("{} {name}: ответ получен", since(start));
    format!("ответ {name}")
}
// [end: request]

pub async fn main() {
    let start = Instant::now();
    // [region: sequential]
    // One after another. `request(name).await` runs the request inside `main` and waits for it
    // to finish before the loop goes on: three waits of 1 s add up to 3 s.
    let started = Instant::now();
    for name in ["A", "B", "C"] {
        request(name, start).await;
    }
    println!("по очереди: {} с", started.elapsed().as_secs());
    // [end: sequential]

    // [region: concurrent]
    // Concurrently: `asyncio.gather(request("A"), request("B"), request("C"))`. Each
    // `tokio::spawn` makes a task (Python's `create_task`); all three start, reach their
    // `sleep` and wait at the same time, so the three waits overlap: 1 s in total. `join_all`
    // waits for all of them and returns the answers in the order of the handles, as `gather`
    // does. (More in the lessons on tasks and on gather.)
    let started = Instant::now();
    let handles = ["A", "B", "C"].map(|name| tokio::spawn(request(name, start)));
    let answers: Vec<String> = join_all(handles)
        .await
        .into_iter()
        .map(|joined| match joined {
            Ok(answer) => answer,
            // `Err(JoinError)`: the task panicked or was aborted (asyncdemo's live view can
            // abort a task with `c`). Report it rather than panic.
            Err(_) => "(отменён)".to_owned(),
        })
        .collect();
    println!("конкурентно: {} с, {answers:?}", started.elapsed().as_secs());
    // [end: concurrent]

    // [region: one-thread]
    // All of it ran on one thread. A `current_thread` runtime, the closest match of an asyncio
    // event loop, runs every task on the thread that started it. (tokio's default,
    // multi-threaded runtime would spread tasks over several threads; then they also run in
    // parallel, which asyncio never does.)
    let runtime = Handle::current();
    println!(
        "среда выполнения: {:?}, потоков: {}",
        runtime.runtime_flavor(),
        runtime.metrics().num_workers()
    );
    // [end: one-thread]
}
