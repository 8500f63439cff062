//! introspection: which task is running, which tasks exist, and what to call them.
//!
//! Python keeps a registry of tasks on the event loop: `asyncio.current_task()` is the task
//! running this code, `asyncio.all_tasks()` the set of unfinished tasks, and every task has a
//! name (`name=`, `set_name`, `get_name`, `Task-N` by default) and a `repr` that says where it
//! stands. Programs use them for logging ("who wrote this line?") and for graceful shutdown
//! ("what is still running?").
//!
//! tokio on stable keeps no such registry. What it has, and what this demo uses:
//!
//! - `tokio::task::try_id()`: an opaque id of the running task (`None` outside a task), and
//!   `JoinHandle::id()`, the same id seen from outside;
//! - a count of the live tasks (`RuntimeMetrics::num_alive_tasks`), but no list;
//! - task-local values (`tokio::task_local!`): a value a task carries with it, readable from
//!   any code the task runs: the way to give a task a name for its log lines. (In larger
//!   programs the `tracing` crate does this with spans; tokio-console reads them.)
//!
//! And for shutdown a Rust program keeps its own handles, or a `JoinSet`, instead of asking the
//! runtime for a list. (asyncdemo's trace records what tokio does not: every task's parent, for
//! the task tree in the live view: press `t`. It names each task after the async fn it runs,
//! so both `fetch` tasks are called `fetch` there; their task-local names tell them apart.)

use std::time::Duration;

use super::tokio;
use tokio::runtime::Handle;
use tokio::task::{JoinError, JoinSet};
use tokio::time::sleep;

// [region: log]
tokio::task_local! {
    /// The name a task carries: set with `NAME.scope(name, future)`, read with `NAME.try_with`.
    static NAME: &'static str;
}

/// Logs a line with the current task's name in front: Python's `current_task().get_name()`.
fn log(message: &str) {
    let who = NAME.try_with(|name| *name).unwrap_or("без имени");
    println!("[{who}] {message}");
}
// [end: log]

// [region: tasks]
/// Unpacks a downloaded file: a child task of the `fetch` task that creates it.
async fn unpack(file: &'static str) {
    log(&format!("распаковываю {file}"));
    sleep(Duration::from_millis(500)).await;
}

/// Downloads `file`, then unpacks it in a task of its own and waits for it.
async fn fetch(file: &'static str, download: Duration) -> &'static str {
    log(&format!("качаю {file}"));
    sleep(download).await;
    // A task spawned from inside a task. A task-local value does not pass to the new task by
    // itself: the child gets a name of its own.
    let child = tokio::spawn(NAME.scope("unpack", unpack(file)));
    if child.await.is_err() {
        log(&format!("распаковка {file} отменена"));
    }
    log(&format!("готово: {file}"));
    file
}

/// Beats once a second, forever: the kind of task that is still running at shutdown.
async fn heartbeat() {
    let mut beats = 0;
    loop {
        sleep(Duration::from_secs(1)).await;
        beats += 1;
        log(&format!("пульс {beats}"));
    }
}
// [end: tasks]

pub async fn main() {
    // [region: current]
    // `asyncio.current_task()`: tokio's nearest is `tokio::task::try_id()`, an opaque id. `main`
    // is not a task under `#[tokio::main]` (it is the future `block_on` drives), so here it is
    // `None`; and `main` has no task-local name either.
    println!("tokio::task::try_id() в main: {:?}", tokio::task::try_id());
    log("старт");
    // [end: current]

    // [region: spawn]
    // `asyncio.create_task(fetch(...), name="fetch-a")`. tokio's `spawn` takes no name; the
    // task-local `NAME` scoped around the future carries one.
    let mut first = tokio::spawn(NAME.scope("fetch-a", fetch("a.txt", Duration::from_millis(800))));
    let second = tokio::spawn(NAME.scope("fetch-b", fetch("b.txt", Duration::from_millis(1600))));
    // Tasks that run until told to stop go into a `JoinSet`: a Rust program keeps its own
    // collection of the tasks it must shut down, instead of asking the runtime for a list.
    let mut background = JoinSet::new();
    background.spawn(NAME.scope("heartbeat", heartbeat()));
    // A task's id is the same inside (`try_id()`) and outside (`handle.id()`): the way to tell
    // whether two handles are the same task. Its number depends on the process, so it is not
    // printed.
    println!("у fetch-a и fetch-b разные id: {}", first.id() != second.id());
    println!("fetch-a: is_finished() = {}", first.is_finished());
    // [end: spawn]

    // [region: all-tasks]
    // `asyncio.all_tasks()` lists every unfinished task. tokio only counts them: fetch-a,
    // fetch-b, unpack (a.txt is unpacking now) and heartbeat.
    sleep(Duration::from_millis(1100)).await;
    println!("живых задач: {}", Handle::current().metrics().num_alive_tasks());
    // [end: all-tasks]

    // [region: await]
    // `await first`, keeping the handle (`&mut`), so we can still ask it questions.
    match (&mut first).await {
        Ok(file) => println!("fetch-a вернула {file:?}, is_finished() = {}", first.is_finished()),
        Err(error) => println!("fetch-a: {}", describe(&error)),
    }
    // [end: await]

    // [region: shutdown]
    // Graceful shutdown. Python asks the loop: `all_tasks() - {current_task()}`, then cancels
    // each one. A Rust program cancels through what it kept: `abort_all()` on the `JoinSet`,
    // then `join_next()` until it is empty, to be sure the tasks are really gone (tokio's
    // `JoinSet::shutdown()` does both).
    sleep(Duration::from_millis(1200)).await;
    println!("перед остановкой живых задач: {}", Handle::current().metrics().num_alive_tasks());
    background.abort_all();
    while let Some(outcome) = background.join_next().await {
        let how = match outcome {
            Ok(()) => "завершена".to_owned(),
            Err(error) => describe(&error),
        };
        log(&format!("heartbeat: {how}"));
    }
    // `second` finished long ago: its result waits in the handle.
    let b = match second.await {
        Ok(file) => file.to_owned(),
        Err(error) => describe(&error),
    };
    log(&format!("fetch-b: {b}"));
    println!("после остановки живых задач: {}", Handle::current().metrics().num_alive_tasks());
    // [end: shutdown]
}

/// Why awaiting a handle failed, in words.
fn describe(error: &JoinError) -> String {
    if error.is_cancelled() {
        "отменена (Cancelled)".to_owned()
    } else {
        "упала (Failed)".to_owned()
    }
}
