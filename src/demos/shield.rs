//! shield: give up waiting without cancelling the work.
//!
//! Python's `asyncio.wait_for(aw, timeout)` cancels what it waits for when the timeout fires. To
//! stop waiting but let the work go on, the notes wrap a task in `asyncio.shield(task)`: the
//! timeout then cancels only the outer future that `shield` made, the task runs on, and the
//! program can `await task` later.
//!
//! tokio needs no shield, because of who owns the work:
//!
//! - a plain future passed to `timeout` is owned by the `timeout`: when the time is up it is
//!   dropped, and dropping a future is what cancels it in Rust, so its work never finishes;
//! - a spawned task is owned by the runtime: `timeout(d, &mut handle)` gives up only the *waiting*;
//!   the task is untouched and `handle.await` can still collect its result. Spawning is the Rust
//!   way to shield work;
//! - cancelling the task itself (`handle.abort()`, Python's `task.cancel()`) still cancels it,
//!   just as `shield` does not protect a task from its own `cancel()`.

use std::time::Duration;

use super::tokio;
use tokio::time::{sleep, timeout};

// [region: work]
/// A piece of work that takes `seconds`: the Python example's `work` coroutine.
///
/// If the future is dropped before the sleep ends (a `timeout` gave up on it, or its task was
/// aborted), `CancelNotice` says so from its `Drop`: the Rust counterpart of
/// `except asyncio.CancelledError:` cleanup in Python.
async fn work(name: &'static str, seconds: u64) -> String {
    println!("{name}: начинаю, работы на {seconds} с");
    let mut notice = CancelNotice { name, armed: true };
    // The await point where this future can be cancelled: nothing after it runs if the
    // future is dropped while it is suspended here.
    sleep(Duration::from_secs(seconds)).await;
    notice.armed = false;
    println!("{name}: готово");
    format!("результат ({name})")
}

/// Reports, when dropped while armed, that `work` was cancelled half-way.
struct CancelNotice {
    name: &'static str,
    armed: bool,
}

impl Drop for CancelNotice {
    fn drop(&mut self) {
        // Runs wherever the future is dropped: inside `main` for a plain future given up by
        // `timeout`, in the task itself (on the runtime's thread) when the task is aborted.
        if self.armed {
            println!("{}: отменили, работа не доделана", self.name);
        }
    }
}
// [end: work]

pub async fn main() {
    // [region: plain]
    // `tokio::time::timeout(d, future)` is Python's `asyncio.wait_for(aw, d)`. A plain future
    // passed to it belongs to the `timeout` and is polled inside `main`: no new task. When the
    // time is up, `timeout` returns `Err(Elapsed)` and drops the future, and dropping a future
    // is how Rust cancels it: the work stops at its await point and "готово" is never printed.
    // That is what `wait_for` does on timeout to anything it waits for unshielded.
    if timeout(Duration::from_secs(1), work("обычный future", 2)).await.is_err() {
        println!("тайм-аут; future удалён, его работа отменена");
    }
    // [end: plain]

    // [region: spawned]
    // `tokio::spawn` is `asyncio.create_task`: the work becomes a task owned by the runtime, and we
    // keep its handle, as the notes create the task first so that the `except` block can reach
    // it. `timeout(d, &mut handle)` waits on a *borrow* of the handle; on timeout it drops the
    // borrow and so gives up only the waiting. Dropping a `JoinHandle`, or a future borrowing
    // one, never cancels the task: there is nothing to shield it from.
    let mut handle = tokio::spawn(work("задача", 2));
    let joined = match timeout(Duration::from_secs(1), &mut handle).await {
        // The task ended within the second after all: its result is here, and the handle
        // must not be awaited again (a finished `JoinHandle` is polled once).
        Ok(joined) => joined,
        Err(_elapsed) => {
            // The notes' `except TimeoutError:` block: tell the user the task is still running.
            println!("тайм-аут; задача завершена: {}", handle.is_finished());
            println!("Задача выполняется дольше секунды, но скоро завершится!");
            // `await task`: let the task finish after all. This wait matters in both
            // languages: when `main` returns, the runtime shuts down and cancels every task
            // still running, as `asyncio.run` does.
            handle.await
        }
    };
    match joined {
        Ok(result) => println!("дождались: {result}"),
        // Only if someone cancelled the task (in the live view, press `c` on it).
        Err(error) => println!("задача не доработала: отменена = {}", error.is_cancelled()),
    }
    // [end: spawned]

    // [region: abort]
    // `shield` guards a task only against cancellation that comes through whoever awaits it;
    // the task's own `cancel()` still cancels it. The same here: `abort` is Python's
    // `task.cancel()`. Like `cancel()`, it only requests: the task is cancelled the next time
    // the runtime gets to it (after `main` suspends below), its future is dropped inside the
    // task, and the `Drop` cleanup in `work` runs as that task. Awaiting the handle then gives a
    // `JoinError` that `is_cancelled()`, as `await task` raises `CancelledError`.
    let mut handle = tokio::spawn(work("отменим сами", 2));
    let joined = match timeout(Duration::from_secs(1), &mut handle).await {
        Ok(joined) => joined,
        Err(_elapsed) => {
            handle.abort();
            handle.await
        }
    };
    println!("abort() отменил задачу: {}", joined.is_err_and(|error| error.is_cancelled()));
    // [end: abort]
}
