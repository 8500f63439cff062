//! as_completed: take results in the order the work finishes.
//!
//! Python's `asyncio.as_completed(aws, timeout=...)` starts every awaitable at once (wrapping
//! coroutines in tasks) and yields awaitables: awaiting the next one gives the next result to
//! finish, whichever task it came from. With `timeout`, awaiting after the deadline raises
//! `TimeoutError`, and nothing is cancelled. The Rust counterparts:
//!
//! - `JoinSet::join_next()`: spawned tasks, results in completion order, each with the id of the
//!   task it came from; with `timeout` around it for a deadline;
//! - `futures::stream::FuturesUnordered`: plain futures polled together *inside the current
//!   task*, no new tasks at all; results in completion order too.

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::task::JoinError;

use crate::engine::event::VTime;
use crate::engine::{self, AwaitExt, JoinSet};
use crate::say;

// [region: fetch]
/// Simulates a request that takes `millis`; returns a line naming it and its duration.
///
/// (Unlike the Python original, the demo prints no times: the transcript shows the virtual time
/// of every line.)
async fn fetch(name: &'static str, millis: u64) -> String {
    engine::sleep(Duration::from_millis(millis)).await;
    format!("{name} ({} с)", millis as f64 / 1000.0)
}
// [end: fetch]

pub async fn main() {
    // [region: join-next]
    // `for next_done in as_completed([fetch("A", 0.3), ...])`. A `JoinSet` holds spawned
    // tasks, and `join_next()` waits for whichever finishes next. Python's item is an anonymous
    // awaitable; `join_next` says which task the result came from, by its id.
    let mut set = JoinSet::new();
    for (name, millis) in [("A", 300), ("B", 100), ("C", 200)] {
        set.spawn(name, fetch(name, millis));
    }
    while let Some((id, outcome)) = set.join_next().await {
        say!("join_next: {id} → {}", describe(outcome));
    }
    // [end: join-next]

    // [region: timeout]
    // `as_completed(tasks, timeout=0.3)`: one deadline for the whole loop, so each wait gets
    // what is left of it. `timeout` around `join_next()` gives up at the deadline; dropping the
    // unfinished `join_next` future only stops this wait. The task stays in the set, running.
    let mut set = JoinSet::new();
    let ids = [("D", 100), ("E", 200), ("F", 500)].map(|(name, millis)| set.spawn(name, fetch(name, millis)));
    let deadline = VTime(engine::now().0 + VTime::from_duration(Duration::from_millis(300)).0);
    loop {
        let left = deadline.since(engine::now()).as_duration();
        match engine::timeout(left, set.join_next()).await {
            Ok(Some((id, outcome))) => {
                say!("получено: {}, это одна из задач: {} ({id})", describe(outcome), ids.contains(&id))
            }
            Ok(None) => break,
            Err(_elapsed) => {
                say!("тайм-аут: в JoinSet ещё {}", set.len());
                break;
            }
        }
    }
    // Like `as_completed`, the timeout cancelled nothing: F is still in the set and finishes.
    // (Dropping the set now would cancel it: a `JoinSet` aborts what it still holds.)
    while let Some((id, outcome)) = set.join_next().await {
        say!("дождались {id}: {}", describe(outcome));
    }
    // [end: timeout]

    // [region: unordered]
    // `FuturesUnordered` over plain futures: no `spawn`, so no new tasks. `main` itself polls
    // all three, and whichever completes first comes out first. While it waits, `main` is the
    // only task suspended; if `main` were cancelled, the three futures would be dropped with it.
    let mut unordered: FuturesUnordered<_> =
        [("G", 300), ("H", 100), ("I", 200)].into_iter().map(|(name, millis)| fetch(name, millis)).collect();
    while let Some(result) = unordered.next().awaiting("FuturesUnordered::next").await {
        say!("FuturesUnordered: {result}");
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
