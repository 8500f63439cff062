//! The event loop: the thing that runs coroutines, and how a program starts and stops one.
//!
//! Python's event loop and a tokio runtime are the same idea: one scheduler that polls tasks,
//! fires timers and watches sockets, switching to another task whenever the current one gives
//! control back at an await point. This demo maps the loop's life cycle onto tokio:
//!
//! | Python asyncio                        | tokio                                               |
//! |---------------------------------------|-----------------------------------------------------|
//! | `asyncio.run(main())`                 | `#[tokio::main]`: build a runtime, `block_on(main)` |
//! | `new_event_loop()` + `set_event_loop` | `runtime::Builder::new_current_thread().build()`    |
//! | `loop.run_until_complete(coro)`       | `runtime.block_on(future)`                          |
//! | `loop.run_forever()` + `loop.stop()`  | `block_on` a shutdown signal while tasks serve      |
//! | `loop.close()`                        | dropping the `Runtime`                              |
//! | `asyncio.get_running_loop()`          | `Handle::current()` / `Handle::try_current()`       |
//! | one running loop per thread           | one runtime per thread: a nested `block_on` panics  |
//! | `asyncio.run` once, at the top        | one runtime per program, built in `main`            |
//!
//! Each `asyncio.run` makes a new loop and closes it, and a `Lock`, `Queue` or future bound to
//! one loop fails in the next. tokio's sync primitives (`Mutex`, `Notify`, channels) are
//! runtime-agnostic, but its timers and sockets belong to the runtime that made them: polled
//! after that runtime is gone, a timer panics. So a program builds one runtime and keeps it.
//!
//! The demo's `main` is itself the `block_on` future of a `current_thread` runtime, so what it
//! shows about "outside a runtime" and "a runtime of its own" happens on a separate OS thread.

use std::sync::Arc;
use std::time::Duration;

use super::tokio;
use tokio::runtime::{Builder, Handle};
use tokio::sync::Notify;
use tokio::time::sleep;

// [region: coroutines]
/// Sleeps half a second, then greets: a coroutine with one await point.
async fn greet(name: &str) -> String {
    sleep(Duration::from_millis(500)).await;
    format!("привет, {name}")
}

/// A task that serves forever: ticks once a second until it is cancelled.
///
/// Python catches `CancelledError` to report its cancellation. A Rust task is cancelled by
/// dropping its future at the await point it is suspended on, so the report lives in a `Drop`
/// impl, which runs (as this task) when the runtime drops the future.
async fn ticker(name: &'static str) {
    let mut report = ReportCancel { name, ticks: 0 };
    loop {
        sleep(Duration::from_secs(1)).await;
        report.ticks += 1;
        println!("{name}: тик {}", report.ticks);
    }
}

/// `loop.call_later(delay, loop.stop)`: after `delay`, sends the stop signal. `notify_one`
/// stores a permit if nobody waits yet, so the signal cannot be lost.
///
/// The signal is sent by a guard's `Drop`, so it goes out however this task ends: after the
/// sleep, or cancelled during it (press `c` on it in the live view). In Python, cancelling the
/// `call_later` handle means `stop()` is never called and `run_forever` never returns; here
/// the server stops early instead.
async fn call_later(delay: Duration, stop: Arc<Notify>) {
    let _stop_when_done = StopOnDrop(stop);
    sleep(delay).await;
}

/// Sends the stop signal when dropped.
struct StopOnDrop(Arc<Notify>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.notify_one();
    }
}

/// Says how far a ticker got when its future is dropped (the `except CancelledError` branch).
struct ReportCancel {
    name: &'static str,
    ticks: u32,
}

impl Drop for ReportCancel {
    fn drop(&mut self) {
        println!("{}: отменена, всего тиков: {}", self.name, self.ticks);
    }
}
// [end: coroutines]

pub async fn main() {
    // asyncdemo starts this `main` the way `#[tokio::main(flavor = "current_thread")]` does: it
    // builds a single-threaded runtime and calls `runtime.block_on(main())`. So `main` is not a
    // task: it is the future `block_on` drives (the trace shows it as #1 all the same). Its
    // thread is *inside* a runtime from the first line, as the body of a Python
    // `async def main()` is inside the loop that `asyncio.run` started. To look at a thread
    // with no runtime, and at a runtime made by hand, we use a fresh OS thread.
    let lines = std::thread::spawn(|| {
        let mut lines = Vec::new();

        // [region: outside]
        // `Handle::try_current()` is `asyncio.get_running_loop()`: the runtime driving this
        // thread, or an error if there is none. A new thread has none, just as the top level
        // of a Python module has no running loop (Python raises `RuntimeError: no running
        // event loop`). `Handle::current()` would panic here instead of returning `Err`.
        match Handle::try_current() {
            Ok(_) => lines.push("вне среды выполнения: неожиданно нашлась среда".to_owned()),
            Err(error) => lines.push(format!("вне среды выполнения: {error}")),
        }
        // [end: outside]

        // [region: block-on]
        // A runtime by hand: `asyncio.new_event_loop()` + `set_event_loop(loop)`. A
        // `current_thread` runtime runs every task on the thread that calls `block_on`, like an
        // asyncio loop. (Paused like the demo's own runtime, so the sleep takes no real time.)
        let runtime =
            Builder::new_current_thread().enable_time().start_paused(true).build().expect("runtime");
        // `block_on(future)` is `loop.run_until_complete(coro)`: it blocks this thread, drives
        // the future (and any tasks spawned meanwhile) until the future completes, and returns
        // its output. Rust futures are lazy: nothing ran before this call.
        let greeting = runtime.block_on(async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            "привет, block_on".to_owned()
        });
        lines.push(greeting);
        // `loop.close()`: dropping the runtime cancels whatever tasks it still holds and frees
        // its timers and I/O driver. Python checks `loop.is_closed()` at run time; in Rust the
        // closed runtime is simply gone, and the compiler rejects any later use of it.
        drop(runtime);
        lines.push("среда выполнения закрыта: drop(runtime)".to_owned());
        // [end: block-on]
        lines
    })
    // Joining blocks the demo's thread for a moment of real time: blocking inside async code is
    // normally a mistake (the lesson on blocking shows why), but the helper thread finishes at
    // once, and no virtual time passes meanwhile, so the transcript stays the same every run.
    .join()
    .expect("the helper thread panicked");
    for line in lines {
        println!("{line}");
    }

    // [region: run-forever]
    // `loop.run_forever()` drives the loop until someone calls `loop.stop()`. The tokio way: the
    // serving happens in spawned tasks, and `block_on` (here: `main`) waits for a shutdown
    // signal. A real server would wait for Ctrl+C (`tokio::signal::ctrl_c()`); here a `Notify`
    // stands in for it, and a small task plays `loop.call_later(2.5, loop.stop)`.
    let stop = Arc::new(Notify::new());
    let server = tokio::spawn(ticker("сервер"));
    tokio::spawn(call_later(Duration::from_millis(2500), Arc::clone(&stop)));
    // `main` is Suspended here for 2.5 s while the server ticks: the runtime runs whichever
    // task is ready, and the only thing `main` asks for is the stop signal.
    stop.notified().await;
    // `len(asyncio.all_tasks())`: tokio lists no tasks, but it counts the live ones.
    // `main` is not among them (it is not a task); the server is still alive.
    let alive = Handle::current().metrics().num_alive_tasks();
    println!("run_forever вернул управление; задач осталось: {alive}");
    // [end: run-forever]

    // [region: leftovers]
    // `loop.stop()` cancels nothing, and in tokio the end of a `block_on` cancels nothing either:
    // tasks live until the runtime is dropped. Python's manual shutdown cancels the leftovers and
    // waits for them: `task.cancel()`, then `run_until_complete(gather(*pending, ...))`.
    // `abort()` is `task.cancel()`; awaiting the handle then yields `Err(JoinError)` with
    // `is_cancelled()`, after the task's cleanup (its `Drop`) has run.
    server.abort();
    let joined = server.await;
    println!("сервер отменён: {}", joined.is_err_and(|error| error.is_cancelled()));
    // [end: leftovers]

    // [region: tokio-main]
    // `Handle::current()` inside a task is `asyncio.get_running_loop()` inside a coroutine: it
    // always finds the runtime running this code. (Python's `get_event_loop()` is the one to
    // avoid: what it does when no loop runs has changed from version to version.)
    let runtime = Handle::current();
    println!("main: среда выполнения работает: {:?}", runtime.runtime_flavor());

    // A task nobody waits for: it keeps ticking until the runtime shuts down, as a leftover
    // task in Python lives until `asyncio.run` cancels it. (Dropping the handle would not
    // cancel it either; we keep it only to mirror the Python, which must keep a reference
    // because the loop holds its tasks weakly.)
    let _background = tokio::spawn(ticker("фон"));
    println!("{}", greet("#[tokio::main]").await);

    // One runtime per thread, as one running loop per thread: `block_on` on a thread that is
    // already driving a runtime panics (Python: `asyncio.run() cannot be called from a running
    // event loop`). We catch the panic to print it. Inside async code you `.await` instead.
    let second = Builder::new_current_thread().build().expect("runtime");
    let refused = std::panic::catch_unwind(|| second.block_on(async {}));
    // Dropping a runtime inside async code panics too (its drop may block); this one has
    // nothing to wait for, so shut it down without waiting.
    second.shutdown_background();
    if let Err(panic) = refused {
        let message = panic.downcast_ref::<&str>().copied().unwrap_or("(panic)");
        let first_sentence = message.split_inclusive(". ").next().unwrap_or(message).trim_end();
        println!("вторая среда выполнения в том же потоке: {first_sentence}");
    }

    sleep(Duration::from_secs(1)).await;
    // `main` returns: `block_on` returns, and dropping the runtime cancels every task still
    // alive (the background ticker shows as Cancelled). `asyncio.run` does the same for leftover
    // tasks before it closes the loop; then the program goes on after `asyncio.run(...)`.
    // [end: tokio-main]
}
