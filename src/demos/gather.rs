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

use crate::engine::{self, AwaitExt, JoinSet};
use crate::say;

// [region: coro]
/// One of the notes' ten coroutines: sleeps a random 1–5 s, then reports.
///
/// `async fn` is Python's `async def`: calling `coro(3)` runs nothing yet, it only builds a
/// future (a coroutine object). The body runs when a task polls it.
async fn coro(number: u64) -> u64 {
    // The run's seeded generator: the same "random" sleeps on every run (`--seed` changes them).
    let rand_time = engine::random_range(1..=5);
    // `sleep(...).await` is `await asyncio.sleep(...)`: the task is Suspended on a timer and the
    // runtime runs other tasks meanwhile.
    engine::sleep(Duration::from_secs(rand_time)).await;
    say!("номер выполнения: {number}, время выполнения: {rand_time} сек");
    number
}
// [end: coro]

pub async fn main() {
    // [region: gather]
    // `asyncio.gather(*[coro(i) for i in range(10)])`: gather turns each coroutine into a task.
    // In Rust we spawn the tasks ourselves; each `spawn` is `asyncio.create_task` and returns a
    // handle we can await (a `JoinHandle`, Python's `Task`).
    let handles = (0..10).map(|i| engine::spawn(format!("coro({i})"), coro(i))).collect();

    // `join_all` waits for every handle and returns the results in the order of the handles,
    // however the tasks' completion order came out: exactly `gather`'s guarantee. While it
    // waits, `main` is Suspended; the ten tasks run, sleep and finish.
    let results: Vec<u64> = engine::join_all(handles).await.into_iter().map(|r| r.expect("coro panicked")).collect();
    say!("результаты gather: {results:?}");
    // [end: gather]

    // [region: exceptions]
    // `gather(..., return_exceptions=True)` returns errors as values in the result list. A
    // task that returns `Err` is Failed in the trace (like a Python task whose coroutine
    // raised), and `join_all` hands back every outcome, the error included, in order.
    let fragile = vec![
        engine::spawn_fallible("ok(1)", checked(1, false)),
        engine::spawn_fallible("fails(2)", checked(2, true)),
        engine::spawn_fallible("ok(3)", checked(3, false)),
    ];
    let outcomes: Vec<String> = engine::join_all(fragile)
        .await
        .into_iter()
        .map(|joined| match joined.expect("checked panicked") {
            Ok(value) => value.to_string(),
            Err(error) => format!("ValueError('{error}')"),
        })
        .collect();
    say!("return_exceptions=True: [{}]", outcomes.join(", "));

    // Without `return_exceptions`, `gather` raises the first exception, but the other tasks
    // keep running. `futures::future::try_join_all` over join handles behaves the same way: it
    // returns at the first `Err`; the other handles are dropped, and dropping a `JoinHandle`
    // does not cancel its task, so the rest run on.
    let strict = vec![
        engine::spawn_fallible("fails(4)", checked(4, true)),
        engine::spawn_fallible("ok(5)", checked(5, false)),
    ];
    let what = format!("try_join_all({}, {})", strict[0].id(), strict[1].id());
    let first_error = futures::future::try_join_all(
        strict.into_iter().map(|handle| async move { handle.await.expect("checked panicked") }),
    )
    .awaiting(what)
    .await;
    say!("без return_exceptions: {}", first_error.expect_err("one task fails"));
    // [end: exceptions]

    // [region: join]
    // `join!` waits for a fixed number of futures concurrently *inside this task*: no new
    // tasks are created, `main` itself polls both futures. Python's `gather` always makes
    // tasks; in Rust that is a choice. The two sleeps overlap, so this takes 1 s, not 1.9 s.
    // (`join!` expands to code that awaits in place; the `async` block makes it one future we
    // can describe for the trace.)
    let (a, b) = async { tokio::join!(coro1(), coro2()) }.awaiting("join!(coro1(), coro2())").await;
    say!("join! вернул ({a}, {b})");
    // [end: join]

    // [region: joinset]
    // A `JoinSet` hands results back in *completion* order (like `asyncio.as_completed`), not
    // argument order: the 3-second task was spawned first but comes back last.
    let mut set = JoinSet::new();
    for (number, secs) in [(1, 3), (2, 1), (3, 2)] {
        set.spawn(format!("delay({secs})"), async move {
            engine::sleep(Duration::from_secs(secs)).await;
            number
        });
    }
    while let Some((id, result)) = set.join_next().await {
        say!("JoinSet: задача {id} вернула {}", result.expect("delay panicked"));
    }
    // [end: joinset]
}

/// Sleeps 1 s, then returns `number`, or fails if asked to.
async fn checked(number: u64, fail: bool) -> Result<u64, String> {
    engine::sleep(Duration::from_secs(1)).await;
    if fail { Err(format!("плохое число {number}")) } else { Ok(number) }
}

async fn coro1() -> &'static str {
    // `join!` in `main` describes what `main` waits for (the outermost description wins);
    // `engine::sleep` still tells the trace that a timer woke it.
    engine::sleep(Duration::from_secs(1)).await;
    say!("я выполняюсь coro111");
    "coro1"
}

async fn coro2() -> &'static str {
    engine::sleep(Duration::from_millis(900)).await;
    say!("я выполняюсь coro222");
    "coro2"
}
