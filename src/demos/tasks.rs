//! tasks: a task is a future the runtime drives on its own; a bare future does nothing.
//!
//! Python's `asyncio.create_task(coro, name=...)` wraps a coroutine in a `Task` and schedules it
//! on the event loop; the task starts when the coroutine that created it next yields to the loop.
//! tokio's `spawn` does the same with a future and returns a `JoinHandle`. Like
//! `asyncio.create_task`, `tokio::spawn` finds the runtime itself and so works only inside one;
//! from outside, `Runtime::spawn` / `Handle::spawn` name the runtime, as `loop.create_task`
//! names the loop. This demo shows:
//!
//! - laziness: an `async` block (a coroutine object) runs nothing until it is awaited;
//! - `spawn` only schedules: the new task runs at the spawner's next await, and a second task
//!   runs while the first one sleeps (the notes' example with `task1` and `task2`);
//! - a task's state: `is_finished()` is `done()`, and awaiting the handle gives the outcome that
//!   Python splits into `result()`, `exception()` and `cancelled()`;
//! - `add_done_callback`, which tokio lacks, as a small watcher task;
//! - what tokio has instead of `current_task()` and `all_tasks()`: an id, and a count.

use std::fmt::Debug;
use std::time::Duration;

use super::tokio;
use tokio::runtime::Handle;
use tokio::task::{JoinError, JoinHandle};
use tokio::time::sleep;

// [region: coros]
/// The notes' first coroutine: announces itself, sleeps 1 s, returns a value.
///
/// Calling `custom_coro()` runs none of this: an `async fn` call only builds a future (Python's
/// coroutine object). The first line prints when a task first polls the future.
async fn custom_coro() -> &'static str {
    println!("custom_coro: начало");
    // The await point: the task is Suspended on a timer, and the runtime runs other tasks.
    sleep(Duration::from_secs(1)).await;
    println!("корутина custom_coro() выполнилась");
    "готово"
}

/// The notes' second coroutine. The notes printed the event loop's repr here (a class name that
/// differs between platforms); we print whether a runtime is running, which is deterministic.
async fn custom_coro2() {
    // `Handle::try_current()` is Python's `asyncio.get_running_loop()`: the runtime driving the
    // code that asks. It fails outside a runtime, as `get_running_loop` raises outside a loop.
    let running = Handle::try_current().is_ok();
    println!("custom_coro2: среда выполнения работает: {running}");
}
// [end: coros]

pub async fn main() {
    // [region: lazy]
    // `asyncio.current_task()` in `main` is `Task-1`: `asyncio.run` runs `main` as a task.
    // `#[tokio::main]` does not: `main` is the future `block_on` drives, so
    // `tokio::task::try_id()` (the nearest thing to `current_task()`, an opaque id) is `None`.
    println!("main выполняется как задача: {}", tokio::task::try_id().is_some());

    // An `async` block is a future, like a coroutine object: creating it runs nothing. Awaiting
    // it runs it right here, inside `main`: no new task is created.
    let greeting = async {
        println!("async-блок выполняется внутри main, задача: {}", tokio::task::try_id().is_some());
    };
    println!("async-блок создан, но ещё не выполнялся");
    greeting.await;
    // [end: lazy]

    // [region: spawn]
    // `asyncio.create_task(coro)`. `tokio::spawn` takes the future and returns a handle
    // (tokio's `JoinHandle`, Python's `Task`). The task is Created and Scheduled, not Running:
    // it runs when `main` next gives control back to the runtime, at an await that is pending.
    // Like `asyncio.create_task`, it uses the runtime running this code, and panics where
    // there is none; `Handle::spawn` is `loop.create_task`, for code that holds the runtime's
    // handle. tokio tasks have no names and no `set_name` (asyncdemo's trace calls each task
    // after the async fn it runs: `custom_coro`, `custom_coro2`).
    let coro = custom_coro();
    let mut task1 = tokio::spawn(coro);
    let task2 = tokio::spawn(custom_coro2());
    println!("задачи созданы, task1.is_finished() = {}", task1.is_finished());

    // `task2.add_done_callback(callback_func)`: see `add_done_callback` below.
    let watcher = add_done_callback("custom_coro2", task2, callback_func);

    // `asyncio.all_tasks()` is a set of task objects; tokio keeps no list, only a count of the
    // tasks alive: task1, task2 and the watcher. (`main` is not a task, so it is not counted.)
    println!("задач в среде выполнения: {}", Handle::current().metrics().num_alive_tasks());

    // `await task1`. Awaiting `&mut task1` keeps the handle, so we can still ask it questions.
    // Here `main` is Suspended; task1 runs, prints and falls asleep for 1 s, and *during that
    // sleep* task2 runs to the end and the watcher calls the callback.
    let outcome = (&mut task1).await;
    // The watcher finished long ago: awaiting its handle is ready at once, no suspension.
    watcher.await.expect("the watcher does not panic");
    // [end: spawn]

    // [region: states]
    // `task.done()` is `is_finished()`. Python's `result()`, `exception()` and `cancelled()`
    // are one value in Rust: the `Result` that awaiting the handle gives (see `describe`).
    println!("task1.is_finished() - {}", task1.is_finished());
    println!("task1.await → {}", describe(outcome));

    // A coroutine that raises. In Rust an error is a value: the task returns `Err`, and for
    // tokio it ended normally (Done), handing back its error; the handle gives `Ok(Err(...))`,
    // which is what `exception()` returns in Python.
    let task3 = tokio::spawn(failing());
    match task3.await {
        Ok(Ok(())) => println!("failing.await → Ok(Ok(()))"),
        Ok(Err(error)) => println!("failing.await → Ok(Err({error:?})) (в Python: exception())"),
        // Only if it was cancelled (press `c` on it): `Err(JoinError)`, see `describe`.
        Err(joined) => println!("failing.await → {}", describe::<()>(Err(joined))),
    }

    // A panic is the other counterpart of an exception, one that nobody meant to return: tokio
    // catches it at the task's boundary (the task is Failed), and the handle gives
    // `Err(JoinError)` with `is_panic()`.
    let task4 = tokio::spawn(panicking());
    println!("panicking.await → {}", describe(task4.await));

    // `task.cancel()` is `abort()`. Both only ask: the task is cancelled at its await point when
    // the runtime gets to it, so right after `abort()` it is not finished yet. `yield_now` first
    // lets the sleeper start (Python's `await asyncio.sleep(0)`).
    let mut task5 = tokio::spawn(sleeper());
    tokio::task::yield_now().await;
    task5.abort();
    println!("sleeper сразу после abort(): is_finished() = {}", task5.is_finished());
    let outcome = (&mut task5).await;
    println!("sleeper: is_finished() = {}, await → {}", task5.is_finished(), describe(outcome));

    println!("задач в среде выполнения: {}", Handle::current().metrics().num_alive_tasks());
    // [end: states]
}

// [region: callback]
/// Python's `task.add_done_callback(callback)`, which tokio does not have.
///
/// The idiom: a small task that awaits the handle and then calls the callback with the task's
/// outcome (Python passes the task object itself; tokio's handle is consumed by awaiting it, so
/// we pass a name for the callback to print). Like Python's done callback, it runs after the
/// task has finished, scheduled by the runtime, not inside the task. Another idiom wraps the
/// future instead: `spawn(async { let r = fut.await; callback(&r); r })` runs the callback
/// inside the task, before it is Done. (Written for this demo's `JoinHandle<()>`; a library
/// would make it generic over the task's output and the callback's type.)
fn add_done_callback(
    name: &'static str,
    task: JoinHandle<()>,
    callback: fn(&str, &Result<(), JoinError>),
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let outcome = task.await;
        callback(name, &outcome);
    })
}

/// The callback: receives the finished task's name and outcome.
fn callback_func(name: &str, outcome: &Result<(), JoinError>) {
    match outcome {
        Ok(()) => println!("callback: задача {name} выполнилась"),
        Err(error) => println!("callback: задача {name} не выполнилась: {error}"),
    }
}
// [end: callback]

/// What awaiting a handle gave, named after the Python method that would tell the same.
fn describe<T: Debug>(outcome: Result<T, JoinError>) -> String {
    match outcome {
        Ok(value) => format!("Ok({value:?}) (в Python: result())"),
        Err(error) if error.is_cancelled() => "Err: is_cancelled() (в Python: cancelled())".into(),
        Err(error) => {
            // `into_panic` hands back the panic's payload: the message given to `panic!`.
            let payload = error.into_panic();
            let message = payload.downcast_ref::<&str>().copied().unwrap_or("?");
            format!("Err: is_panic(), «{message}» (в Python: exception())")
        }
    }
}

/// Sleeps 0.5 s, then fails: Python's coroutine that raises `ValueError`.
async fn failing() -> Result<(), String> {
    sleep(Duration::from_millis(500)).await;
    Err("что-то пошло не так".to_owned())
}

/// Sleeps 10 s, unless it is cancelled first.
async fn sleeper() {
    sleep(Duration::from_secs(10)).await;
}

/// Sleeps 0.5 s, then panics.
async fn panicking() -> u32 {
    sleep(Duration::from_millis(500)).await;
    panic!("что-то пошло совсем не так")
}
