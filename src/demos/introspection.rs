//! introspection: which task is running, which tasks exist, and what to call them.
//!
//! Python keeps a registry of tasks on the event loop: `asyncio.current_task()` is the task
//! running this code, `asyncio.all_tasks()` the set of unfinished tasks, and every task has a
//! name (`name=`, `set_name`, `get_name`, `Task-N` by default) and a `repr` that says where it
//! stands. Programs use them for logging ("who wrote this line?") and for graceful shutdown
//! ("what is still running?").
//!
//! tokio on stable keeps no such registry. It has an opaque task id (`tokio::task::try_id()`),
//! and nothing else: no names, no list of tasks, no parents. Task names
//! (`tokio::task::Builder::name`), task dumps and tokio-console need `--cfg tokio_unstable`.
//! A Rust program keeps its own handles, or a `JoinSet`, and that is how it finds its tasks at
//! shutdown. asyncdemo's engine records what tokio does not: `engine::current_task()`,
//! `engine::all_tasks()`, each task's name and parent (the live view draws the task tree:
//! press `t`).

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::task::JoinError;

use crate::engine::event::{TaskId, TaskMeta, varying};
use crate::engine::{self, JoinSet};
use crate::say;

// [region: log]
/// Logs a line with the current task's name in front: Python's `current_task().get_name()`.
///
/// In real Rust code this is what the `tracing` crate does: `#[instrument]` or a span around a
/// task puts its name (and any fields) on every line logged inside it.
fn log(message: &str) {
    let who = engine::current_task().map_or_else(|| "вне задачи".to_owned(), |task| task.name.into_owned());
    say!("[{who}] {message}");
}
// [end: log]

// [region: tasks]
/// Unpacks a downloaded file: a child task of the `fetch` task that creates it.
async fn unpack(name: &'static str) {
    log(&format!("распаковываю {name}"));
    engine::sleep(Duration::from_millis(500)).await;
}

/// Downloads `name`, then unpacks it in a task of its own and waits for it.
async fn fetch(name: &'static str, download: Duration) -> &'static str {
    log(&format!("качаю {name}"));
    engine::sleep(download).await;
    // A task spawned from inside a task. tokio does not record who spawned whom; the engine
    // does: this task's parent is the `fetch` task that is running now.
    let child = engine::spawn(format!("unpack({name})"), unpack(name));
    if child.await.is_err() {
        log(&format!("распаковка {name} отменена"));
    }
    log(&format!("готово: {name}"));
    name
}

/// Beats once a second, forever: the kind of task that is still running at shutdown.
async fn heartbeat() {
    let mut beats = 0;
    loop {
        engine::sleep(Duration::from_secs(1)).await;
        beats += 1;
        log(&format!("пульс {beats}"));
    }
}
// [end: tasks]

pub async fn main() {
    // [region: current]
    // `asyncio.current_task()`. The engine's answer is the task's metadata: its id (ours:
    // 1, 2, 3… in creation order), its name, and who spawned it. Its `{:?}` plays the part of
    // the task's `repr`. The runner named this task `main` when it spawned it; a name is given
    // at spawn and never changes (there is no `set_name`).
    let me = engine::current_task().expect("main runs as a task");
    say!("{me:?}");
    // What tokio itself offers: an opaque id, unique among the tasks alive, and `None` outside
    // a task. Its number depends on the runtime, so the transcript masks it.
    say!("tokio::task::try_id() = {}", tokio_id());
    log("старт");
    // [end: current]

    // [region: spawn]
    // `asyncio.create_task(fetch(...), name="fetch-a")`. Python names an unnamed task `Task-N`;
    // the engine always wants a name (tokio's `spawn` takes none at all).
    let mut first = engine::spawn("fetch-a", fetch("a.txt", Duration::from_millis(800)));
    let second = engine::spawn("fetch-b", fetch("b.txt", Duration::from_millis(1600)));
    // Tasks that run until told to stop go into a `JoinSet`: a Rust program keeps its own
    // collection of the tasks it must shut down, instead of asking the runtime for a list.
    // The runtime will not tell us a task's name later, so we note it ourselves.
    let mut background = JoinSet::new();
    let mut background_names = BTreeMap::new();
    background_names.insert(background.spawn("heartbeat", heartbeat()), "heartbeat");
    let repr = meta(first.id()).map_or_else(|| "?".to_owned(), |task| format!("{task:?}"));
    say!("{repr}, is_finished() = {}", first.is_finished());
    // [end: spawn]

    // [region: all-tasks]
    // `asyncio.all_tasks()`: every task that has not finished, this one included. Python gives
    // a set (no order); the engine gives a list in creation order, so runs print the same.
    engine::sleep(Duration::from_millis(1100)).await;
    let tasks = engine::all_tasks();
    let names: Vec<&str> = tasks.iter().map(|task| &*task.name).collect();
    say!("all_tasks(): Vec, {} задач: {names:?}", tasks.len());
    say!("текущая задача в all_tasks(): {}", tasks.iter().any(|task| task.id == me.id));
    // What Python cannot tell: who spawned whom. `unpack(a.txt)` hangs under `fetch-a`.
    for line in tree(&tasks) {
        say!("{line}");
    }
    // [end: all-tasks]

    // [region: await]
    // `await first`, keeping the handle (`&mut`), so we can still ask it questions.
    match (&mut first).await {
        Ok(file) => say!("fetch-a вернула {file:?}, is_finished() = {}", first.is_finished()),
        Err(error) => say!("fetch-a: {}", describe(&error)),
    }
    // [end: await]

    // [region: shutdown]
    // Graceful shutdown. Python asks the loop: `all_tasks() - {current_task()}`, then cancels
    // each one. The engine can list them the same way, which is good for the log...
    engine::sleep(Duration::from_millis(1200)).await;
    for task in engine::all_tasks().iter().filter(|task| task.id != me.id) {
        log(&format!("ещё работает: {task:?}"));
    }
    // ...but a Rust program cancels through what it kept: `abort_all()` on the `JoinSet`, then
    // `join_next()` until it is empty, to be sure the tasks are really gone (tokio's
    // `JoinSet::shutdown()` does both). Each result comes with the task's id.
    background.abort_all();
    while let Some((id, outcome)) = background.join_next().await {
        let how = match outcome {
            Ok(()) => "завершена".to_owned(),
            Err(error) => describe(&error),
        };
        log(&format!("{id} {}: {how}", background_names.get(&id).copied().unwrap_or("?")));
    }
    // `second` finished long ago: its result waits in the handle.
    let b = match second.await {
        Ok(file) => file.to_owned(),
        Err(error) => describe(&error),
    };
    log(&format!("fetch-b: {b}"));
    let left: Vec<String> = engine::all_tasks().into_iter().map(|task| task.name.into_owned()).collect();
    log(&format!("all_tasks(): {left:?}"));
    // [end: shutdown]
}

/// `tokio::task::try_id()`, printed with its number masked (it varies between runtimes).
fn tokio_id() -> String {
    match tokio::task::try_id() {
        Some(id) => format!("Some({})", varying(id)),
        None => "None".to_owned(),
    }
}

/// The metadata of an unfinished task, by id.
fn meta(id: TaskId) -> Option<TaskMeta> {
    engine::all_tasks().into_iter().find(|task| task.id == id)
}

/// Why awaiting a handle failed, in words.
fn describe(error: &JoinError) -> String {
    if error.is_cancelled() {
        "отменена (Cancelled)".to_owned()
    } else {
        "упала (Failed)".to_owned()
    }
}

/// The tasks drawn as a tree by parent, children in creation order: what the live view shows
/// when you press `t`.
fn tree(tasks: &[TaskMeta]) -> Vec<String> {
    fn walk(
        tasks: &[TaskMeta],
        task: &TaskMeta,
        prefix: &str,
        last: bool,
        root: bool,
        out: &mut Vec<String>,
    ) {
        let branch = if root {
            ""
        } else if last {
            "└─ "
        } else {
            "├─ "
        };
        out.push(format!("{prefix}{branch}{} {}", task.id, task.name));
        let children: Vec<&TaskMeta> = tasks.iter().filter(|t| t.parent == Some(task.id)).collect();
        let inner =
            if root { String::new() } else { format!("{prefix}{}", if last { "   " } else { "│  " }) };
        for (i, child) in children.iter().enumerate() {
            walk(tasks, child, &inner, i + 1 == children.len(), false, out);
        }
    }
    let mut out = Vec::new();
    let alive = |id| tasks.iter().any(|t: &TaskMeta| t.id == id);
    for root in tasks.iter().filter(|task| task.parent.is_none_or(|parent| !alive(parent))) {
        walk(tasks, root, "", true, true, &mut out);
    }
    out
}
