//! From generators to `async`/`await`: what an `async fn` compiles to.
//!
//! Python's coroutines grew out of generators: `yield` pauses a function and hands a value out,
//! `send` resumes it, `yield from` delegates to a sub-generator, and a generator whose yields
//! mean "I am waiting" is a coroutine that a loop can drive. `async def` / `await` is that same
//! machinery with its own syntax.
//!
//! Rust took the other road to the same place. The compiler turns every `async fn` into a state
//! machine: an anonymous enum with one variant per await point, each holding the local
//! variables alive there and the future being awaited, and a `poll` that runs from one await
//! point to the next. The demo writes such a machine by hand (`Job`) beside the `async fn` it
//! replaces (`job`), runs both as tasks, and they print the same lines at the same virtual
//! times. It also drops a machine halfway: Python's `close()`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::{futures, tokio};
use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::task::JoinError;
use tokio::time::{Instant, sleep};

const SECOND: Duration = Duration::from_secs(1);

// [region: async-fn]
/// The lesson's coroutine, written the modern way: `async def job(name)` in the Python original.
///
/// Two await points, so the compiler's state machine for it has (besides "not started",
/// "returned" and "panicked") two suspended states, one per `.await`.
async fn job(name: &'static str) -> u32 {
    println!("{name}: начало");
    sleep(SECOND).await;
    println!("{name}: прошла 1 с");
    sleep(SECOND).await;
    println!("{name}: готово");
    2
}
// [end: async-fn]

// [region: state-machine]
/// The same coroutine as a hand-written state machine: roughly what the compiler generates
/// from `job`.
///
/// Each variant is a place where the computation can be: before the start, suspended at the
/// first await point, suspended at the second, finished. A variant holds what is alive at that
/// point: the argument `name`, and the future being awaited (Python's generator keeps the same
/// things in its frame: local variables and the sub-generator of a `yield from`).
enum Job {
    Start { name: &'static str },
    FirstSleep { name: &'static str, sleep: BoxFuture<'static, ()> },
    SecondSleep { name: &'static str, sleep: BoxFuture<'static, ()> },
    Done,
}

impl Job {
    /// Calling `job(name)` builds the machine in its first state and runs nothing, exactly
    /// like calling an `async fn` (or a generator function).
    fn new(name: &'static str) -> Self {
        Job::Start { name }
    }

    /// The name of the state the machine is in (Python: `inspect.getgeneratorstate`).
    fn state(&self) -> &'static str {
        match self {
            Job::Start { .. } => "Start",
            Job::FirstSleep { .. } => "FirstSleep",
            Job::SecondSleep { .. } => "SecondSleep",
            Job::Done => "Done",
        }
    }
}

impl Future for Job {
    type Output = u32;

    /// One `poll` is one `send(None)`: run from the current state to the next await point that
    /// is not ready (return `Pending`), or to the end (return `Ready`).
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // `Job` is `Unpin` (the futures it holds are boxed, so they never move when it does),
        // which lets us reach it as a plain `&mut`. The compiler's own machines are not `Unpin`
        // and reach their fields through `Pin` projections instead.
        let this = &mut *self;
        loop {
            match this {
                Job::Start { name } => {
                    let name = *name;
                    println!("{name}: начало");
                    // The first await point: create the future to await and move to the state
                    // that holds it. (Python: `yield from sleep(1)` creates the sub-generator.)
                    *this = Job::FirstSleep { name, sleep: sleep(SECOND).boxed() };
                }
                Job::FirstSleep { name, sleep: timer } => {
                    // `.await` is this: poll the inner future, and if it is not ready, return
                    // `Pending` ourselves. The inner future has registered `cx`'s waker with its
                    // timer; when the timer fires, the runtime polls this task again and we come
                    // back to this very state. (`yield from` re-yields every value the
                    // sub-generator yields, in the same way.)
                    if timer.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    let name = *name;
                    println!("{name}: прошла 1 с");
                    *this = Job::SecondSleep { name, sleep: sleep(SECOND).boxed() };
                }
                Job::SecondSleep { name, sleep: timer } => {
                    if timer.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    println!("{name}: готово");
                    *this = Job::Done;
                    // `return 2`: Python ends a generator with `StopIteration(2)`.
                    return Poll::Ready(2);
                }
                // A compiler-made machine panics here too: "`async fn` resumed after completion".
                Job::Done => panic!("Job polled after completion"),
            }
        }
    }
}

// [end: state-machine]

// [region: close]
/// Python's `next(w)` and then `w.close()`: one step by hand, then drop the machine halfway.
///
/// An ordinary function: it polls once with a waker that does nothing (nobody will be woken;
/// we only want the machine to reach its first await point), then drops it.
fn step_and_close() {
    let mut machine = Job::new("закрываемый");
    let mut cx = Context::from_waker(Waker::noop());
    if Pin::new(&mut machine).poll(&mut cx).is_pending() {
        println!("poll: Pending, состояние {}", machine.state());
    }
    // Dropping a machine that has not finished is Python's `close()`: the computation stops
    // where it is, for good. No more of its code runs; only destructors do (the boxed sleep
    // held by the state is dropped, which cancels its timer). Python's `close()` raises
    // `GeneratorExit` at the paused `yield` instead, so the generator's `finally` blocks run;
    // in Rust the same cleanup goes in a `Drop` impl.
    drop(machine);
    println!("drop: машина уничтожена, тело больше не выполнится");
}
// [end: close]

pub async fn main() {
    step_and_close();

    // [region: run-both]
    // The runtime is the Python original's `run(coro)`: it polls each task until `Ready`, and
    // its (virtual) clock moves between the timers the tasks wait on. The two versions run one
    // after the other and print the same lines at the same times.
    let started = Instant::now();
    let compiled = tokio::spawn(job("async fn"));
    report("async fn", compiled.await, started);

    let started = Instant::now();
    let by_hand = tokio::spawn(Job::new("enum Job"));
    report("enum Job", by_hand.await, started);
    // [end: run-both]
}

/// Prints a task's result and the virtual time it took. A `JoinError` (the task was aborted,
/// say from asyncdemo's live view, or it panicked) is reported, not unwrapped.
fn report(name: &str, joined: Result<u32, JoinError>, started: Instant) {
    let spent = started.elapsed().as_secs();
    match joined {
        Ok(result) => println!("{name}: результат {result}, виртуальное время {spent} с"),
        Err(_) => println!("{name}: задача отменена через {spent} с"),
    }
}
