//! The API demos are written against: tokio's own, with every task traced and every await point
//! described.
//!
//! | here                      | tokio                         | Python asyncio                      |
//! |---------------------------|-------------------------------|-------------------------------------|
//! | [`spawn`]                 | `tokio::spawn`                | `asyncio.create_task(coro, name=…)` |
//! | [`TaskHandle`]            | `JoinHandle`                  | `asyncio.Task`                      |
//! | [`sleep`]                 | `tokio::time::sleep`          | `asyncio.sleep`                     |
//! | [`timeout`]               | `tokio::time::timeout`        | `asyncio.wait_for`                  |
//! | [`join_all`]              | `futures::future::join_all`   | `asyncio.gather(*tasks)`            |
//! | [`JoinSet`]               | `tokio::task::JoinSet`        | a set of tasks + `as_completed`     |
//! | [`current_task`]          | `tokio::task::try_id`         | `asyncio.current_task()`            |
//! | [`all_tasks`]             | (none)                        | `asyncio.all_tasks()`               |
//! | [`say!`](crate::say)      | `println!`                    | `print`                             |
//!
//! Anything else a demo awaits gets a description with [`AwaitExt::awaiting`] (or, for sockets,
//! [`IoExt::awaiting_io`]), so the trace can say what a suspended task is waiting for and on
//! which line.
//!
//! Keeping a demo deterministic:
//! - `tokio::select!` needs `biased;` (it polls branches in random order otherwise);
//! - several tasks waiting on one `tokio::sync::watch` are woken in an order that varies between
//!   runs (tokio spreads its waiters over randomly chosen shards); when more than one task
//!   waits, use `Notify`, a `Mutex` or a `Semaphore`, which wake first come, first served;
//! - nothing from the outside world (real time, ports, memory) goes into printed output except
//!   through [`super::event::varying`];
//! - no timer may be pending while the demo waits on a real socket: the paused clock jumps to it.

use std::borrow::Cow;
use std::fmt::{Debug, Display};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::blocking::{self, BlockingHandle};
use super::event::{Await, SourceLine, TaskMeta, Text, VTime, WakeCause};
use super::join::TaskHandle;
use super::recorder;
use super::tagged::Tagged;
use super::task::{DebugReport, Report, ResultReport, Traced};

/// Prints a line of the demo's output: `println!` that goes into the trace.
///
/// The transcript shows it at the virtual time it was printed, attributed to the task that
/// printed it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::engine::print(::std::format!($($arg)*))
    };
}

/// Records a line of output for the current task (see [`say!`](crate::say)). On a blocking
/// job's thread, the line is the job's, delivered with its result.
pub fn print(text: String) {
    let text = Text::from(text);
    if blocking::print_from_job(&text) {
        return;
    }
    if recorder::try_with(|rec| rec.print(text)).is_none() {
        panic!("say! used outside a demo run (or on a thread the demo started itself)");
    }
}

/// Spawns a named, traced task: tokio's `spawn`, Python's `asyncio.create_task(coro, name=...)`.
///
/// The task is Created and Scheduled at once; it first runs when the spawning task next gives
/// control back to the runtime (at its next `.await` that is not ready).
pub fn spawn<F>(name: impl Into<Cow<'static, str>>, future: F) -> TaskHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Debug + Send + 'static,
{
    spawn_with::<F, DebugReport>(name.into(), future)
}

/// Like [`spawn`], for a task that returns a `Result`: an `Err` makes it Failed (as an exception
/// escaping a coroutine makes its Python task fail), an `Ok` makes it Done.
pub fn spawn_fallible<F, T, E>(name: impl Into<Cow<'static, str>>, future: F) -> TaskHandle<Result<T, E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Debug + Send + 'static,
    E: Display + Send + 'static,
{
    spawn_with::<F, ResultReport>(name.into(), future)
}

fn spawn_with<F, R>(name: Cow<'static, str>, future: F) -> TaskHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    R: Report<F::Output> + 'static,
{
    recorder::with(|rec| {
        let (id, header) = rec.new_task(name);
        // Spawning runs no demo code, so it may happen inside the recorder's borrow.
        let handle = tokio::spawn(Traced::<F, R>::new(header, future));
        rec.keep_abort_handle(&handle);
        TaskHandle::new(id, handle)
    })
}

pin_project_lite::pin_project! {
    /// A future with a description of what awaiting it means ("sleep until 1.000 s", "lock"…).
    ///
    /// If the task returns `Pending` while polling it, the trace says the task is Suspended on
    /// this description, at this source line. The outermost description wins, so a demo can
    /// describe a whole `select!` or `join!` at once.
    pub struct Described<F> {
        #[pin]
        inner: F,
        awaits: Await,
        line: SourceLine,
    }
}

impl<F> Described<F> {
    pub(crate) fn new(inner: F, awaits: Await, line: SourceLine) -> Self {
        Described { inner, awaits, line }
    }
}

impl<F: Future> Future for Described<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let polled = this.inner.poll(cx);
        if polled.is_pending() {
            recorder::try_with(|rec| rec.describe_await(this.awaits, this.line));
        }
        polled
    }
}

/// Describes what awaiting a future means, for the trace.
pub trait AwaitExt: IntoFuture + Sized {
    /// `lock.lock().awaiting("lock").await`: if the task suspends here, the trace says it waits
    /// for "lock", at this line.
    #[track_caller]
    fn awaiting(self, what: impl Into<Await>) -> Described<Self::IntoFuture> {
        Described::new(self.into_future(), what.into(), recorder::caller())
    }
}

impl<F: IntoFuture> AwaitExt for F {}

/// Describes an I/O wait (a socket read, an accept): like [`AwaitExt::awaiting`], and the wake
/// that ends it is attributed to I/O.
pub trait IoExt: IntoFuture + Sized {
    #[track_caller]
    fn awaiting_io(self, what: impl Into<Await>) -> Described<Tagged<Self::IntoFuture>> {
        Described::new(Tagged::new(WakeCause::Io, self.into_future()), what.into(), recorder::caller())
    }
}

impl<F: IntoFuture> IoExt for F {}

/// Sleeps for `duration` of virtual time: tokio's `sleep`, Python's `await asyncio.sleep(...)`.
#[track_caller]
pub fn sleep(duration: Duration) -> Described<Tagged<tokio::time::Sleep>> {
    let until = VTime(now().0 + VTime::from_duration(duration).0);
    let timer = Tagged::new(WakeCause::Timer, tokio::time::sleep(duration));
    Described::new(timer, Await::Sleep { until }, recorder::caller())
}

/// Gives control back to the runtime and asks to run again: tokio's `yield_now`, Python's
/// `await asyncio.sleep(0)`.
#[track_caller]
pub fn yield_now() -> Described<Tagged<impl Future<Output = ()>>> {
    // tokio defers the wake until the task's poll has returned (so that the task goes to the
    // back of the ready queue); the tag says the task asked for it itself.
    Described::new(Tagged::new(WakeCause::Itself, tokio::task::yield_now()), Await::Yield, recorder::caller())
}

/// Waits for `future` at most `duration`: tokio's `timeout`, Python's `asyncio.wait_for`.
///
/// On expiry the future is dropped, and so cancelled at its await point (if it is a task's
/// handle, only the waiting stops: the task runs on). Only the deadline's wake is attributed to
/// the timer; wakes from inside `future` keep their own causes.
#[track_caller]
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Described<Timeout<F::IntoFuture>> {
    let until = VTime(now().0 + VTime::from_duration(duration).0);
    let deadline = Tagged::new(WakeCause::Timer, tokio::time::sleep(duration));
    Described::new(
        Timeout { inner: future.into_future(), deadline },
        Await::Timeout { until },
        recorder::caller(),
    )
}

pin_project_lite::pin_project! {
    /// The future [`timeout`] returns.
    pub struct Timeout<F> {
        #[pin]
        inner: F,
        #[pin]
        deadline: Tagged<tokio::time::Sleep>,
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(value) = this.inner.poll(cx) {
            return Poll::Ready(Ok(value));
        }
        this.deadline.poll(cx).map(|()| Err(Elapsed))
    }
}

/// The error of a [`timeout`] that expired: Python's `TimeoutError`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl Display for Elapsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

/// Runs blocking code on another thread: tokio's `spawn_blocking`, Python's
/// `loop.run_in_executor(None, f)`. The job is not a task (it is not in [`all_tasks`]); it
/// starts when the calling task next suspends, and its output and result arrive at that same
/// virtual moment (see [`super::blocking`] for why).
pub fn spawn_blocking<F, R>(f: F) -> BlockingHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    blocking::spawn(Duration::ZERO, f)
}

/// Like [`spawn_blocking`], for a job that stands for work taking `takes` of time (a
/// `time.sleep(0.5)` in a thread): its output and result arrive `takes` of virtual time later,
/// while the event loop goes on with other tasks.
pub fn spawn_blocking_for<F, R>(takes: Duration, f: F) -> BlockingHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    blocking::spawn(takes, f)
}

/// Keeps the paused virtual clock still while the demo waits on real I/O that will come (a
/// client's request and the server's answer on 127.0.0.1). Without it, whenever every task
/// waits, tokio moves a paused clock on to the next timer (the runner's time limit, if nothing
/// else), even while bytes are on their way. Hold it only while I/O is expected: a server
/// waiting for connections that come later must let the clock run. A real program's clock is
/// never paused, so only demos need this.
pub fn hold_clock() -> ClockHold {
    recorder::with(|rec| {
        rec.clock_holds += 1;
        if rec.clock_holds == 1 {
            // tokio does not auto-advance while a blocking job is in flight: keep one running
            // until the last hold is dropped.
            let (release, held) = std::sync::mpsc::channel::<()>();
            tokio::task::spawn_blocking(move || {
                let _ = held.recv();
            });
            rec.clock_hold_release = Some(release);
        }
    });
    ClockHold { _private: () }
}

/// Holds the virtual clock until dropped (see [`hold_clock`]).
#[must_use = "the clock is held only while this guard lives"]
pub struct ClockHold {
    _private: (),
}

impl Drop for ClockHold {
    fn drop(&mut self) {
        recorder::try_with(|rec| {
            rec.clock_holds -= 1;
            if rec.clock_holds == 0 {
                rec.clock_hold_release = None;
            }
        });
    }
}

/// The virtual time now.
pub fn now() -> VTime {
    recorder::with(|rec| rec.now())
}

/// The task being polled: Python's `asyncio.current_task()`.
pub fn current_task() -> Option<TaskMeta> {
    recorder::with(|rec| rec.current().map(|id| rec.task(id).clone()))
}

/// Every task that has not finished yet, in creation order: Python's `asyncio.all_tasks()`.
pub fn all_tasks() -> Vec<TaskMeta> {
    recorder::with(|rec| rec.live_tasks())
}

/// A random integer in `range`, from the run's seeded generator (`--seed`): the same on every
/// run with the same seed.
pub fn random_range(range: std::ops::RangeInclusive<u64>) -> u64 {
    recorder::with(|rec| rec.rng.u64(range))
}

/// Holds this thread for `duration` as blocking code would (`std::thread::sleep`, Python's
/// `time.sleep`), moving the virtual clock forward while nothing else can run.
pub fn block_thread_for(duration: Duration) {
    // Polling `advance` once moves the paused clock at once, without yielding to the scheduler:
    // the thread is "busy" for that long and every other task starts late.
    let mut advance = std::pin::pin!(tokio::time::advance(duration));
    let waker = std::task::Waker::noop();
    let _ = advance.as_mut().poll(&mut Context::from_waker(waker));
    recorder::with(|rec| rec.retick());
}
