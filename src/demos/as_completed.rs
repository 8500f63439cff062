//! as_completed: take results in the order the work finishes.
//!
//! Python's `asyncio.as_completed(aws, timeout=...)` starts every awaitable at once (wrapping
//! coroutines in tasks) and yields awaitables: awaiting the next one gives the next result to
//! finish, whichever task it came from. With `timeout`, awaiting after the deadline raises
//! `TimeoutError`, and nothing is cancelled. The Rust counterparts:
//!
//! - `JoinSet::join_next()`: spawned tasks, results in completion order; with `timeout_at`
//!   around it for a deadline;
//! - `futures::stream::FuturesUnordered`: plain futures polled together *inside the current
//!   task*, no new tasks at all; results in completion order too.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use super::tokio;
use tokio::task::{JoinError, JoinSet};
use tokio::time::{Instant, sleep};

// [region: fetch]
/// Simulates a request that takes `millis`; returns a line naming it and its duration.
///
/// (Unlike the Python original, the demo prints no times: the transcript shows the virtual time
/// of every line.)
async fn fetch(name: &'static str, millis: u64) -> String {
    sleep(Duration::from_millis(millis)).await;
    format!("{name} ({:.1} с)", millis as f64 / 1000.0)
}
// [end: fetch]

pub async fn main() {
    // [region: join-next]
    // `for next_done in as_completed([fetch("A", 1.5), ...])`. A `JoinSet` holds spawned
    // tasks, and `join_next()` waits for whichever finishes next and gives its result. Like
    // Python's item, it does not say which task that was: here the result names itself.
    // (`join_next_with_id()` adds tokio's id of the task.)
    let mut set = JoinSet::new();
    for (name, millis) in [("A", 1500), ("B", 500), ("C", 1000)] {
        set.spawn(fetch(name, millis));
    }
    while let Some(outcome) = set.join_next().await {
        println!("join_next: {}", describe(outcome));
    }
    // [end: join-next]

    // [region: timeout]
    // `as_completed(tasks, timeout=1.5)`: one deadline for the whole loop. `timeout_at` takes
    // the deadline itself, so each wait gets what is left of it, and gives up there; dropping
    // the unfinished `join_next` future only stops this wait. The task stays in the set,
    // running.
    let mut set = JoinSet::new();
    for (name, millis) in [("D", 500), ("E", 1000), ("F", 2500)] {
        set.spawn(fetch(name, millis));
    }
    let deadline = Instant::now() + Duration::from_millis(1500);
    loop {
        match tokio::time::timeout_at(deadline, set.join_next()).await {
            Ok(Some(outcome)) => println!("получено: {}", describe(outcome)),
            Ok(None) => break,
            Err(_elapsed) => {
                println!("тайм-аут: в JoinSet ещё {}", set.len());
                break;
            }
        }
    }
    // Like `as_completed`, the timeout cancelled nothing: F is still in the set and finishes.
    // (Dropping the set now would cancel it: a `JoinSet` aborts what it still holds.)
    while let Some(outcome) = set.join_next().await {
        println!("дождались: {}", describe(outcome));
    }
    // [end: timeout]

    // [region: unordered]
    // `FuturesUnordered` over plain futures: no `spawn`, so no new tasks. `main` itself polls
    // all three, and whichever completes first comes out first. They make progress only while
    // `main` polls the set, and they live inside it: drop the set (or the future that owns
    // it) and the three are dropped, that is cancelled, with it.
    let mut unordered: FuturesUnordered<_> = [("G", 1500), ("H", 500), ("I", 1000)]
        .into_iter()
        .map(|(name, millis)| fetch(name, millis))
        .collect();
    while let Some(result) = unordered.next().await {
        println!("FuturesUnordered: {result}");
    }
    // [end: unordered]
}

/// A joined task's outcome in words.
fn describe(outcome: Result<String, JoinError>) -> String {
    match outcome {
        Ok(result) => result,
        Err(error) if error.is_cancelled() => "отменена".to_owned(),
        Err(_) => "паника".to_owned(),
    }
}
