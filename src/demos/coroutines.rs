//! Coroutines: `async def` / `await` in Python, `async fn` / `.await` in Rust.
//!
//! A Python coroutine function (`async def`) returns a coroutine object when called and runs
//! none of its body; the object is driven step by step with `send(None)`, like a generator, and
//! each step runs to the next await point. A Rust `async fn` is the same idea, compiled: calling
//! it returns a future (an anonymous state machine) and runs nothing; the future is driven step
//! by step with `poll`, and each poll runs to the next await point that is not ready.
//!
//! The demo shows, in order:
//!
//! - calling an `async fn` runs nothing (`add(2, 3)` prints nothing yet);
//! - polling the future by hand, as the notes' Python drives a coroutine with `send(None)`;
//! - dropping a future that never ran (Python's `close()`); forgetting one is a compile-time
//!   warning in Rust, not a run-time one;
//! - two futures driven as tasks by the runtime: the toy event loop of the Python original;
//! - `.await` inside a task: the awaited future runs in the same task, no new one.
//!
//! What Python reports at run time (`'await' outside async function`, `object int can't be used
//! in 'await' expression`), Rust reports at compile time; the lesson text quotes the errors.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use super::{futures, tokio};
use futures::future::join_all;

// [region: add]
/// The lesson's coroutine: prints, gives control back once, prints again, returns the sum.
///
/// `async fn` is `async def`: calling `add(2, 3)` builds a future that holds the arguments and
/// a "not started yet" state, and returns it. Nothing below runs until someone polls it.
async fn add(a: i32, b: i32) -> i32 {
    println!("add({a}, {b}): начало");
    // The await point: `await asyncio.sleep(0)` in the Python original. `YieldOnce` returns
    // `Pending` once (the future gives control back to whoever polls it) and `Ready` on the next
    // poll. (It is our own future, not tokio's: the trace shows the wait as an untraced future.)
    YieldOnce::default().await;
    println!("add({a}, {b}): продолжение");
    a + b
}

/// An await point and nothing else: `Pending` on the first poll, `Ready` on the second.
///
/// Python's `asyncio.sleep(0)` is built the same way: a generator that yields once. (tokio has
/// `tokio::task::yield_now()` for this; it wakes tasks that yielded only when no other task is
/// ready, last one first, which would muddle the comparison with the Python loop below.)
#[derive(Default)]
struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // "Poll me again": waking our own task puts it at the back of the ready queue, so every
        // task that is already waiting there runs first.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// [end: add]

// [region: by-hand]
/// Drives a future by hand, as the Python original drives a coroutine with `send(None)`.
///
/// An ordinary (not `async`) function: like the Python module level, it has no event loop and
/// cannot `.await`; it can only poll.
fn drive_by_hand(future: impl Future<Output = i32>) {
    // `coro.send(None)` is `poll`. A future must not move once polled (it may point into
    // itself, across an await point), so it is pinned first; `pin!` pins it on this stack frame.
    // `poll` also takes a `Context` with a `Waker`, the object the future calls when it is worth
    // polling again. Nobody is going to wake us here (we poll it ourselves, as the Python code
    // calls `send` itself), so a waker that does nothing will do.
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    if future.as_mut().poll(&mut cx).is_pending() {
        println!("poll: Pending, future остановился в точке ожидания");
    }
    // The second poll resumes right after the await point and runs to the end. Python signals
    // the end with `StopIteration` carrying the return value; Rust returns `Poll::Ready(value)`.
    if let Poll::Ready(sum) = future.as_mut().poll(&mut cx) {
        println!("poll: Ready({sum})");
    }
    // A finished future must not be polled again (an `async fn` panics): a coroutine raises
    // `RuntimeError: cannot reuse already awaited coroutine` in the same case.
}
// [end: by-hand]

pub async fn main() {
    // [region: lazy]
    // `coro = add(2, 3)`: a future exists, its body has not run: no line is printed here.
    // Its type has no name we could write: the compiler generates it from the body of `add`.
    let future = add(2, 3);
    println!("add(2, 3) вернула future типа {}", std::any::type_name_of_val(&future));
    println!("тело ещё не выполнялось");
    // [end: lazy]

    drive_by_hand(future);

    // [region: drop]
    // `coro.close()` on a coroutine that never ran: in Rust, simply dropping the future. No code
    // of `add` runs, nothing is printed.
    drop(add(4, 4));
    println!("drop: future уничтожен, его тело так и не выполнялось");
    // Python warns at run time when a coroutine object is destroyed without being awaited
    // ("coroutine 'add' was never awaited"). Rust warns at compile time: futures are
    // `#[must_use]`, so a bare `add(5, 5);` statement here would not compile cleanly:
    //     warning: unused implementer of `Future` that must be used
    //       = note: futures do nothing unless you `.await` or poll them
    // [end: drop]

    // [region: tasks]
    // The toy event loop of the Python original gives each coroutine a turn with `send(None)`
    // until it is done. That is the runtime's job: each `spawn` makes a task that the runtime
    // polls, and a task that returns `Pending` at its await point gets another turn later. The
    // tasks first run when `main` suspends (on `join_all` below). `join_all`, from the
    // `futures` crate, waits for all of them and gives their outputs in order.
    let tasks = vec![tokio::spawn(add(10, 20)), tokio::spawn(add(100, 200))];
    for joined in join_all(tasks).await {
        match joined {
            Ok(sum) => println!("готово: {sum}"),
            // A `JoinError`: the task was aborted (asyncdemo's live view can do it) or panicked.
            Err(error) if error.is_cancelled() => println!("задача отменена, результата нет"),
            Err(error) => println!("задача упала: {error}"),
        }
    }
    // [end: tasks]

    // [region: await]
    // `await add(7, 8)` inside a coroutine: `.await` polls the future right here, as part of
    // `main` (the future `block_on` drives). No new task: at the await point inside `add`,
    // `main` itself suspends, and it resumes when the runtime polls it again.
    let sum = add(7, 8).await;
    println!("add(7, 8).await = {sum}");
    // Awaiting something that is not a future does not compile (Python: `TypeError` at run
    // time). `42.await` fails with: error[E0277]: `{integer}` is not a future.
    // [end: await]
}
