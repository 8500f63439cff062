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
//! - `FIRST_EXCEPTION`: a loop over `JoinSet::join_next()` that stops at the first error; the
//!   tasks left in the set are aborted when the set is dropped (here: `shutdown()`);
//! - `ALL_COMPLETED`: `join_all`.

use std::time::Duration;

use futures::future::select_all;
use tokio::task::JoinError;

use crate::engine::{self, AwaitExt, JoinSet, TaskHandle};
use crate::say;

// [region: job]
/// A job that takes `millis` and then returns its name, or fails with an error.
async fn job(name: &'static str, millis: u64, fail: bool) -> Result<&'static str, String> {
    engine::sleep(Duration::from_millis(millis)).await;
    if fail {
        return Err(format!("{name} сломалась"));
    }
    say!("{name}: готово");
    Ok(name)
}

/// Spawns a job as a named task (`asyncio.create_task(job(...), name=...)`): an `Err` makes the
/// task Failed, as an exception makes a Python task fail.
fn start(name: &'static str, millis: u64, fail: bool) -> TaskHandle<Result<&'static str, String>> {
    engine::spawn_fallible(name, job(name, millis, fail))
}

/// The virtual time since the start, printed the way the Python original prints it.
fn now() -> String {
    format!("{:.1} с", engine::now().as_duration().as_secs_f64())
}
// [end: job]

pub async fn main() {
    // [region: first-completed]
    // `wait(tasks, return_when=FIRST_COMPLETED)`. `select!` polls the three handles and finishes
    // with the first one ready. `biased;` polls them in the order written (tokio's default is
    // random), so a tie always goes to the first branch and every run is the same. `&mut`
    // keeps the handles: the two losers are merely not waited for any more.
    let mut fast = start("быстрая", 500, false);
    let mut medium = start("средняя", 1000, false);
    let mut slow = start("медленная", 1500, false);
    let (winner, outcome) = async {
        tokio::select! {
            biased;
            outcome = &mut fast => (0, outcome),
            outcome = &mut medium => (1, outcome),
            outcome = &mut slow => (2, outcome),
        }
    }
    .awaiting("select: #2 | #3 | #4")
    .await;
    // The winner's handle has given its result away and must not be awaited again: keep the
    // other two. Like `pending`, they are still running: nothing cancelled them.
    let pending: Vec<_> =
        [fast, medium, slow].into_iter().enumerate().filter(|(i, _)| *i != winner).map(|(_, h)| h).collect();
    let names: Vec<_> = pending.iter().map(|handle| handle.name()).collect();
    let running = pending.iter().filter(|handle| !handle.is_finished()).count();
    say!("{} FIRST_COMPLETED: результат {}, ждут: {names:?}, работают: {running}", now(), describe(&outcome));
    // [end: first-completed]

    // [region: all-completed]
    // `wait(pending)` (ALL_COMPLETED): `join_all` waits for every handle.
    let outcomes = engine::join_all(pending).await;
    let results: Vec<String> = outcomes.iter().map(describe).collect();
    say!("{} ALL_COMPLETED: {results:?}", now());
    // [end: all-completed]

    // [region: first-exception]
    // `wait(tasks, return_when=FIRST_EXCEPTION)`: a `JoinSet` hands results back in completion
    // order, with the task's id; the loop stops at the first error. A task in a `JoinSet` that
    // returns `Err` has finished normally as far as tokio is concerned: its error is its value.
    let mut set = JoinSet::new();
    for (name, millis, fail) in [("раз", 500, false), ("два", 1000, true), ("три", 2000, false)] {
        set.spawn(name, job(name, millis, fail));
    }
    let mut done = Vec::new();
    while let Some((id, outcome)) = set.join_next().await {
        let failed = !matches!(outcome, Ok(Ok(_)));
        done.push(format!("{id}: {}", describe(&outcome)));
        if failed {
            break;
        }
    }
    say!("{} FIRST_EXCEPTION: done={done:?}, в JoinSet ещё {}", now(), set.len());
    // `asyncio.wait` would leave "три" running; the Python code cancels it by hand. With a
    // `JoinSet` that is `abort_all()`, then `join_next()` until the set is empty, to be sure the
    // tasks are gone: what tokio's `JoinSet::shutdown()` does in one call. Merely dropping the
    // set would abort them too (without waiting): the opposite of `asyncio.wait`.
    set.abort_all();
    while let Some((id, outcome)) = set.join_next().await {
        say!("{} {id}: {}", now(), describe(&outcome));
    }
    // [end: first-exception]

    // [region: select-all]
    // Handling tasks as they finish: `select_all` over a `Vec` of handles returns the first
    // result, its index, and the futures still pending, which we wait on again. Dropping those
    // would not cancel the tasks: they are join handles.
    let mut pending: Vec<_> = [("почта", 300), ("погода", 100), ("курс", 200)]
        .map(|(name, millis)| start(name, millis, false).into_future())
        .into();
    while !pending.is_empty() {
        let what = format!("select_all of {} tasks", pending.len());
        let (outcome, _index, rest) = select_all(pending).awaiting(what).await;
        pending = rest;
        say!("{} обработала {}, ещё ждут: {}", now(), describe(&outcome), pending.len());
    }
    // [end: select-all]
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
