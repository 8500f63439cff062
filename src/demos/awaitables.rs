//! Awaitables and futures: what `await` accepts, a result that someone else sets, and futures
//! written by hand.
//!
//! Python has three kinds of awaitables: coroutines, tasks and futures (`asyncio.Future`, a
//! result that is not ready yet, set later with `set_result` or `set_exception`). Anything with
//! an `__await__` method is awaitable too, like the notes' `Timer`. In Rust there is one kind:
//! whatever implements the `Future` trait (or `IntoFuture`, which turns a value into a future on
//! `.await`, the counterpart of `__await__`). The demo shows:
//!
//! - an `async fn`'s future, a task's handle and a `oneshot` receiver, all awaited the same way;
//! - `tokio::sync::oneshot` as Python's `loop.create_future()`: the sender is `set_result`, an
//!   `Err` value is `set_exception`;
//! - a future written by hand (`poll`, `Context`, `Waker`) that a callback completes: how a
//!   callback-style library is bridged into async code, and what `oneshot` does inside;
//! - the notes' `Timer`, written by hand: a future that wraps another and measures the virtual
//!   time spent awaiting it.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::tokio;
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep};

/// Sleeps, then returns `value`: Python's `asyncio.sleep(delay, result)`.
async fn sleep_then(delay: Duration, value: &'static str) -> &'static str {
    sleep(delay).await;
    value
}

const TENTH: Duration = Duration::from_millis(100);

// [region: create-future]
/// The completing half of a hand-written future: Python's `set_result` and `set_exception`.
///
/// Whoever holds it (a callback, another task) completes the future; the future's owner awaits
/// the other half, [`CallbackFuture`]. Both share one slot.
struct Completer<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

/// A result that is not ready yet. Awaiting it gives `Ok(value)` (`set_result`), or `Err` with
/// the error (`set_exception`, or the completer dropped without completing).
struct CallbackFuture<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

/// What the two halves share: the outcome once it is there, and the waker of whoever waits.
struct Slot<T> {
    outcome: Option<Result<T, String>>,
    /// Set once: a future is completed once (Python raises `InvalidStateError` on a second
    /// `set_result`).
    completed: bool,
    waker: Option<Waker>,
}

/// `loop.create_future()`: an empty slot and its two halves.
fn create_future<T>() -> (Completer<T>, CallbackFuture<T>) {
    let slot = Arc::new(Mutex::new(Slot { outcome: None, completed: false, waker: None }));
    (Completer { slot: slot.clone() }, CallbackFuture { slot })
}

impl<T> Completer<T> {
    /// `future.set_result(value)`.
    fn set_result(self, value: T) {
        self.complete(Ok(value));
    }

    /// Stores the outcome and wakes the task waiting for it. This is the whole trick of a
    /// future: the waiter left its waker in the slot when it found the slot empty; calling it
    /// tells the runtime that polling that task again is worth it.
    fn complete(&self, outcome: Result<T, String>) {
        let mut slot = self.slot.lock().expect("the slot's lock is never held across a panic");
        if slot.completed {
            return;
        }
        slot.completed = true;
        slot.outcome = Some(outcome);
        if let Some(waker) = slot.waker.take() {
            waker.wake();
        }
    }
}

impl<T> Drop for Completer<T> {
    /// A completer dropped without completing (its callback will never come, say the library's
    /// task was cancelled) completes the future with an error, so that nobody waits forever.
    /// Python has no such guard: a future nobody completes is awaited forever.
    fn drop(&mut self) {
        self.complete(Err("future так и не получил результат".to_owned()));
    }
}

impl<T> Future for CallbackFuture<T> {
    type Output = Result<T, String>;

    /// The runtime calls `poll` when the task first awaits the future and again after each
    /// wake. `Pending` means "not yet, and I have arranged to be woken": the waker from `cx` is
    /// left in the slot for the completer to call.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.lock().expect("the slot's lock is never held across a panic");
        match slot.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// [end: create-future]

// [region: bridge]
/// A callback-style library: no `async` in its API. It calls `on_done(value)` when the data is
/// there, 0.5 s later, from its own machinery (here a task; in real libraries often a thread).
/// Like a C library's function pointer or a Python callable, the callback is any function:
/// boxed (`Box<dyn FnOnce>`), so that the library needs no type parameter for it.
fn fetch_with_callback(key: &str, on_done: Box<dyn FnOnce(String) + Send>) {
    let value = format!("данные по ключу {key}");
    tokio::spawn(async move {
        sleep(Duration::from_millis(500)).await;
        println!("библиотека: вызываю callback");
        on_done(value);
    });
}

/// The bridge: `fetch(key)` in the Python original. A future that the callback completes,
/// awaited from async code.
async fn fetch(key: &str) -> Result<String, String> {
    let (completer, future) = create_future();
    // The callback owns the completer; `future.set_result` in Python is passed the same way.
    fetch_with_callback(key, Box::new(move |value| completer.set_result(value)));
    // Our own future, not one of tokio's: the trace cannot say what it is (an untraced future).
    future.await
}
// [end: bridge]

// [region: timer]
/// The notes' `Timer`: awaits an inner future and measures how long that took.
///
/// Python's `__await__` delegates each step to the coroutine with `yield from`; here `poll`
/// delegates each poll to the inner future. The inner future is boxed and pinned (`Pin<Box<F>>`)
/// so that `Timer` itself may move, and so can be awaited by reference (`(&mut t).await`) and
/// read afterwards (`t.spent`), as in Python.
struct Timer<F: Future> {
    inner: Pin<Box<F>>,
    started: Option<Instant>,
    spent: Duration,
}

impl<F: Future> Timer<F> {
    fn new(inner: F) -> Self {
        Timer { inner: Box::pin(inner), started: None, spent: Duration::ZERO }
    }
}

impl<F: Future> Future for Timer<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // The clock starts on the first poll, when the Timer is first awaited (Python: the
        // first step of `__await__`). tokio's `Instant` reads the runtime's clock: virtual
        // here, so the same on every run.
        let started = *self.started.get_or_insert_with(Instant::now);
        // Delegate. If the inner future is not ready, neither are we: it has arranged the wake
        // with `cx`'s waker, which wakes our task as well.
        let Poll::Ready(result) = self.inner.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        self.spent = started.elapsed();
        Poll::Ready(result)
    }
}
// [end: timer]

pub async fn main() {
    // [region: kinds]
    // Three awaitables. A coroutine: an `async fn`'s future. A task: `spawn` returns a handle
    // that is awaited like any future (Python's `Task` is a subclass of `Future`; here the
    // `JoinHandle` implements `Future`). A future: the receiving half of a `oneshot` channel.
    let coro = sleep_then(TENTH, "корутина");
    let task = tokio::spawn(sleep_then(TENTH, "задача"));
    let (set_result, mut future) = oneshot::channel::<&str>();
    println!("{}", coro.await);
    match task.await {
        Ok(value) => println!("{value}"),
        Err(_) => println!("задача отменена"),
    }
    // [end: kinds]

    // [region: oneshot]
    // `future.done()`: has a value been set? (`is_empty` is true until the sender sends.)
    println!("future готов: {}", !future.is_empty());
    // `loop.call_later(0.1, future.set_result, "future")`: the sender goes to whoever will
    // complete the future, here a task that waits 0.1 s. `send` consumes the sender: a oneshot
    // is completed exactly once, as a Python future can be set only once.
    tokio::spawn(async move {
        sleep(TENTH).await;
        println!("call_later: set_result");
        // `send` fails only if the receiver is gone; then nobody wants the value anyway.
        let _ = set_result.send("future");
    });
    // Awaiting the receiver by reference keeps it, to ask about it afterwards. It gives `Err`
    // if the sender was dropped without sending (say, the task holding it was aborted).
    match (&mut future).await {
        Ok(value) => println!("{value}"),
        Err(_) => println!("future так и не получил результат"),
    }
    // After the await the value has moved out to us: the receiver is spent (`is_terminated`).
    // A Python future keeps its result (`result()`) and can be awaited again.
    println!("future получен: {}", future.is_terminated());

    // `set_exception`: the channel carries a `Result`, and the error is a value, `Err`.
    let (set_exception, failed) = oneshot::channel::<Result<&str, String>>();
    tokio::spawn(async move {
        sleep(TENTH).await;
        println!("call_later: set_exception");
        let _ = set_exception.send(Err("нет данных".to_owned()));
    });
    match failed.await {
        Ok(Ok(value)) => println!("{value}"),
        Ok(Err(error)) => println!("ValueError: {error}"),
        Err(_) => println!("future так и не получил результат"),
    }
    // [end: oneshot]

    // [region: fetch]
    // Bridging callback code into async/await, with the hand-written future above.
    match fetch("курс").await {
        Ok(value) => println!("{value}"),
        Err(error) => println!("fetch: {error}"),
    }
    // [end: fetch]

    // [region: await-timer]
    // The notes' code printed `res.spent`, but `res` is what the inner coroutine returned,
    // "foo". The time spent is a field of the Timer: `t.spent`.
    let mut t = Timer::new(sleep_then(Duration::from_secs(1), "foo"));
    let res = (&mut t).await;
    println!("{res}");
    println!("t.spent ≈ {:.1} с", t.spent.as_secs_f64());
    // [end: await-timer]
}
