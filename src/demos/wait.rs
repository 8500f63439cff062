//! wait: wait for a group of tasks until a condition holds, and cancel none of them.
//!
//! Python's `asyncio.wait(tasks, return_when=...)` returns two sets, `(done, pending)`, as soon
//! as the condition holds: `FIRST_COMPLETED` (one task is done), `FIRST_EXCEPTION` (one task
//! raised, or all are done), `ALL_COMPLETED` (all are done, the default). It returns no results
//! (they stay in the tasks) and it cancels nothing: the pending tasks keep running. It is not
//! `gather`. The Rust counterparts, and what each does with the tasks still running:
//!
//! - `FIRST_COMPLETED`: `tokio::select!` over the handles (a fixed number of them), or
//!   `futures::future::select_all` over a `Vec`; the other handles are left alone, and dropping a
//!   `JoinHandle` does not cancel its task;
//! - `FIRST_EXCEPTION`: a loop over `JoinSet::join_next_with_id()` that stops at the first
//!   error; the tasks left in the set are aborted when the set is dropped (here: by hand);
//! - `ALL_COMPLETED`: `join_all`.

use std::collections::HashMap;
use std::time::Duration;

use super::{futures, tokio};
use futures::future::{join_all, select_all};
use tokio::task::{JoinError, JoinHandle, JoinSet};
use tokio::time::{Instant, sleep};

// [region: job]
/// A job that takes `millis` and then returns its name, or fails with an error.
async fn job(name: &'static str, millis: u64, fail: bool) -> Result<&'static str, String> {
    sleep(Duration::from_millis(millis)).await;
    if fail {
        return Err(format!("{name} сломалась"));
    }
    println!("{name}: готово");
    Ok(name)
}

/// Spawns a job as a task (`asyncio.create_task(job(...))`). A job that fails returns `Err`:
/// for tokio the task still ends normally (Done), with the error as its value.
fn start(name: &'static str, millis: u64, fail: bool) -> JoinHandle<Result<&'static str, String>> {
    tokio::spawn(job(name, millis, fail))
}

/// The time since `start`, printed the way the Python original prints it.
fn since(start: Instant) -> String {
    format!("{:.1} с", start.elapsed().as_secs_f64())
}
// [end: job]

pub async fn main() {
    let start_time = Instant::now();
    let now = || since(start_time);
    // [region: first-completed]
    // `wait(tasks, return_when=FIRST_COMPLETED)`. `select!` polls the three handles and finishes
    // with the first one ready. `biased;` polls them in the order written (tokio's default is
    // random), so a tie always goes to the first branch and every run is the same. `&mut`
    // keeps the handles: the two losers are merely not waited for any more.
    let mut fast = start("быстрая", 500, false);
    let mut medium = start("средняя", 1000, false);
    let mut slow = start("медленная", 1500, false);
    let (winner, outcome) = tokio::select! {
        biased;
        outcome = &mut fast => (0, outcome),
        outcome = &mut medium => (1, outcome),
        outcome = &mut slow => (2, outcome),
    };
    // The winner's handle has given its result away and must not be awaited again: keep the
    // other two. Like `pending`, they are still running: nothing cancelled them. (tokio tasks
    // have no names: we keep them next to the handles.)
    let (names, pending): (Vec<_>, Vec<_>) = [("быстрая", fast), ("средняя", medium), ("медленная", slow)]
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != winner)
        .map(|(_, named)| named)
        .unzip();
    let running = pending.iter().filter(|handle| !handle.is_finished()).count();
    println!(
        "{} FIRST_COMPLETED: результат {}, ждут: {names:?}, работают: {running}",
        now(),
        describe(&outcome)
    );
    // [end: first-completed]

    // [region: all-completed]
    // `wait(pending)` (ALL_COMPLETED): `join_all` waits for every handle.
    let outcomes = join_all(pending).await;
    let results: Vec<String> = outcomes.iter().map(describe).collect();
    println!("{} ALL_COMPLETED: {results:?}", now());
    // [end: all-completed]

    // [region: first-exception]
    // `wait(tasks, return_when=FIRST_EXCEPTION)`: a `JoinSet` hands results back in completion
    // order; `join_next_with_id` says which task each came from, by tokio's task id, which we
    // map back to a name. The loop stops at the first error. A task in a `JoinSet` that returns
    // `Err` has finished normally as far as tokio is concerned: its error is its value.
    let mut set = JoinSet::new();
    let mut names = HashMap::new();
    for (name, millis, fail) in [("раз", 500, false), ("два", 1000, true), ("три", 2000, false)] {
        names.insert(set.spawn(job(name, millis, fail)).id(), name);
    }
    let name_of = |id| names.get(&id).copied().unwrap_or("?");
    let mut done = Vec::new();
    while let Some(joined) = set.join_next_with_id().await {
        let (id, outcome) = split(joined);
        let failed = !matches!(outcome, Ok(Ok(_)));
        done.push(format!("{}: {}", name_of(id), describe(&outcome)));
        if failed {
            break;
        }
    }
    println!("{} FIRST_EXCEPTION: done={done:?}, в JoinSet ещё {}", now(), set.len());
    // `asyncio.wait` would leave "три" running; the Python code cancels it by hand. With a
    // `JoinSet` that is `abort_all()`, then `join_next()` until the set is empty, to be sure the
    // tasks are gone: what tokio's `JoinSet::shutdown()` does in one call. Merely dropping the
    // set would abort them too (without waiting): the opposite of `asyncio.wait`.
    set.abort_all();
    while let Some(joined) = set.join_next_with_id().await {
        let (id, outcome) = split(joined);
        println!("{} {}: {}", now(), name_of(id), describe(&outcome));
    }
    // [end: first-exception]

    // [region: select-all]
    // Handling tasks as they finish: `select_all` over a `Vec` of handles returns the first
    // result, its index, and the futures still pending, which we wait on again. (It needs
    // futures it can move without pinning, `Unpin` ones: a `JoinHandle` is.) Dropping those
    // would not cancel the tasks: they are join handles.
    let mut pending: Vec<_> = [("почта", 1500), ("погода", 500), ("курс", 1000)]
        .map(|(name, millis)| start(name, millis, false))
        .into();
    while !pending.is_empty() {
        let (outcome, _index, rest) = select_all(pending).await;
        pending = rest;
        println!("{} обработала {}, ещё ждут: {}", now(), describe(&outcome), pending.len());
    }
    // [end: select-all]
}

/// A `join_next_with_id` result as (task id, outcome): the id is there whether the task
/// returned or not.
type Outcome = Result<Result<&'static str, String>, JoinError>;

fn split(
    joined: Result<(tokio::task::Id, Result<&'static str, String>), JoinError>,
) -> (tokio::task::Id, Outcome) {
    match joined {
        Ok((id, value)) => (id, Ok(value)),
        Err(error) => (error.id(), Err(error)),
    }
}

/// A joined job's outcome in words.
fn describe(outcome: &Result<Result<&'static str, String>, JoinError>) -> String {
    match outcome {
        Ok(Ok(name)) => (*name).to_owned(),
        Ok(Err(error)) => format!("ошибка: {error}"),
        Err(error) if error.is_cancelled() => "отменена".to_owned(),
        Err(_) => "паника".to_owned(),
    }
}
