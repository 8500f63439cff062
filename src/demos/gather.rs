//! gather: run many things at once and collect their results in order.
//!
//! Python's `asyncio.gather(*aws)` wraps each coroutine in a task, waits for all of them and
//! returns their results *in the order of the arguments*, whatever order they finished in. The
//! Rust counterparts:
//!
//! - `join_all(handles)` over spawned tasks: the closest match (results in argument order);
//! - `try_join_all`: like `gather` without `return_exceptions`: the first error ends the wait;
//! - `join!(a, b)`: waits for a fixed set of futures *inside the current task*, no new tasks;
//! - `JoinSet`: a set of tasks whose results come back in completion order.

use std::time::Duration;

use super::{futures, tokio};
use futures::future::{join_all, try_join_all};
use tokio::task::{JoinError, JoinSet};
use tokio::time::sleep;

// [region: coro]
/// One of the notes' ten coroutines: sleeps a random 1–5 s, then reports.
///
/// `async fn` is Python's `async def`: calling `coro(3)` runs nothing yet, it only builds a
/// future (a coroutine object). The body runs when a task polls it.
async fn coro(number: u64) -> u64 {
    // The run seeds `fastrand` once (asyncdemo's `--seed`, 42 by default), so the "random"
    // sleeps are the same on every run, as `random.seed(42)` makes them in the Python original.
    // The two generators differ, so the sleeps themselves differ from Python's.
    let rand_time = fastrand::u64(1..=5);
    // `sleep(...).await` is `await asyncio.sleep(...)`: the task is Suspended on a timer and
    // the runtime runs other tasks meanwhile.
    sleep(Duration::from_secs(rand_time)).await;
    println!("номер выполнения: {number}, время выполнения: {rand_time} сек");
    number
}
// [end: coro]

pub async fn main() {
    // [region: gather]
    // `asyncio.gather(*[coro(i) for i in range(10)])`: gather turns each coroutine into a task.
    // In Rust we spawn the tasks ourselves; each `tokio::spawn` is `asyncio.create_task` and
    // returns a `JoinHandle` (Python's `Task`) that we can await.
    let handles: Vec<_> = (0..10).map(|i| tokio::spawn(coro(i))).collect();

    // `join_all` waits for every handle and returns the results in the order of the handles,
    // however the tasks' completion order came out: exactly `gather`'s guarantee. While it
    // waits, `main` is Suspended; the ten tasks run, sleep and finish. Each result is a
    // `Result<u64, JoinError>`: `Err` only if the task panicked or was cancelled.
    // (`Err` if a task was cancelled: press `c` on one. Python's `gather` would raise
    // `CancelledError` then; here that task's result is missing from the list.)
    let mut results: Vec<u64> = Vec::new();
    for (number, joined) in join_all(handles).await.into_iter().enumerate() {
        match joined {
            Ok(value) => results.push(value),
            Err(error) => println!("coro({number}): {}, результата нет", join_error(&error)),
        }
    }
    println!("результаты gather: {results:?}");
    // [end: gather]

    // [region: exceptions]
    // `gather(..., return_exceptions=True)` returns exceptions as values in the result list.
    // A Rust task reports a failure by returning `Err`: for tokio that task ended normally
    // (Done, with an `Err` value), and `join_all` hands back every outcome, in order. (A
    // *panic* is what makes a tokio task fail: then awaiting its handle gives a `JoinError`.)
    let fragile = vec![
        tokio::spawn(checked(1, false)),
        tokio::spawn(checked(2, true)),
        tokio::spawn(checked(3, false)),
    ];
    let outcomes: Vec<String> = join_all(fragile)
        .await
        .into_iter()
        .map(|joined| match joined {
            Ok(Ok(value)) => value.to_string(),
            Ok(Err(error)) => format!("ValueError('{error}')"),
            // A cancelled task: Python's `return_exceptions=True` gives `CancelledError()` too.
            Err(_) => "CancelledError()".to_owned(),
        })
        .collect();
    println!("return_exceptions=True: [{}]", outcomes.join(", "));

    // Without `return_exceptions`, `gather` raises the first exception, but the other tasks
    // keep running. `try_join_all` behaves the same way: it returns at the first `Err`; the
    // other handles are dropped, and dropping a `JoinHandle` does not cancel its task, so the
    // rest run on.
    let strict = vec![tokio::spawn(checked(4, true)), tokio::spawn(checked(5, false))];
    let first_error = try_join_all(strict.into_iter().map(|handle| async move {
        // A cancelled task (press `c`) stops `try_join_all` as `CancelledError` stops `gather`.
        handle.await.unwrap_or_else(|_| Err("CancelledError".to_owned()))
    }))
    .await;
    match first_error {
        Err(error) => println!("без return_exceptions: {error}"),
        Ok(values) => println!("без return_exceptions: все задачи успешны: {values:?}"),
    }
    // [end: exceptions]

    // [region: join]
    // `join!` waits for a fixed number of futures concurrently *inside this task*: no new
    // tasks are created, `main` itself polls both futures. Python's `gather` always makes
    // tasks; in Rust that is a choice. The two sleeps overlap, so this part takes 1 s, not
    // 1.9 s.
    let (a, b) = tokio::join!(coro1(), coro2());
    println!("join! вернул ({a}, {b})");
    // [end: join]

    // [region: joinset]
    // A `JoinSet` hands results back in *completion* order (like `asyncio.as_completed`), not
    // argument order: the 3-second task was spawned first but comes back last.
    let mut set = JoinSet::new();
    for (number, seconds) in [(1, 3), (2, 1), (3, 2)] {
        set.spawn(delay(number, seconds));
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(number) => println!("JoinSet: {number}"),
            Err(error) => println!("JoinSet: задача {}", join_error(&error)),
        }
    }
    // [end: joinset]
}

/// What a `JoinError` says: the task was cancelled, or it panicked.
fn join_error(error: &JoinError) -> &'static str {
    if error.is_cancelled() { "отменена" } else { "упала с паникой" }
}

/// Sleeps 1 s, then returns `number`, or an error if asked to.
async fn checked(number: u64, fail: bool) -> Result<u64, String> {
    sleep(Duration::from_secs(1)).await;
    if fail { Err(format!("плохое число {number}")) } else { Ok(number) }
}

async fn coro1() -> &'static str {
    sleep(Duration::from_secs(1)).await;
    println!("я выполняюсь coro111");
    "coro1"
}

async fn coro2() -> &'static str {
    sleep(Duration::from_millis(900)).await;
    println!("я выполняюсь coro222");
    "coro2"
}

/// Sleeps `seconds`, then returns `number`.
async fn delay(number: u64, seconds: u64) -> u64 {
    sleep(Duration::from_secs(seconds)).await;
    number
}
