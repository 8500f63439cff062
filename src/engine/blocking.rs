//! Blocking jobs (`spawn_blocking`, Python's `run_in_executor`), kept deterministic.
//!
//! A job runs on another OS thread, so by itself it would race the demo's thread: what it prints
//! and the wake it causes could land anywhere among the other tasks' events, and a job that
//! finished during its spawner's own poll would not even look like a wait. So:
//!
//! - a job starts when the task that spawned it ends its current poll (as a `run_in_executor`
//!   job starts once the coroutine gives control back to the loop);
//! - the demo's thread waits for it, on its own OS thread; virtual time stands still meanwhile,
//!   as for any real work;
//! - what it printed, and its completion (the wake of whoever awaits it), are delivered at a
//!   virtual moment: at once, or `takes` later, for a job that stands for work taking time
//!   (`time.sleep(0.5)` in a thread). Meanwhile the event loop goes on with other tasks.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::event::{TaskId, Text, WakeCause};
use super::recorder;
use super::task::panic_message;

thread_local! {
    /// On a job's thread: the lines the job printed so far.
    static JOB_OUTPUT: RefCell<Option<Vec<Text>>> = const { RefCell::new(None) };
}

/// Records a line printed by a job on this thread; false if this thread runs no job.
pub(crate) fn print_from_job(text: &Text) -> bool {
    JOB_OUTPUT.with(|output| match &mut *output.borrow_mut() {
        Some(lines) => {
            lines.push(text.clone());
            true
        }
        None => false,
    })
}

/// A job waiting for its spawner's poll to end.
pub(crate) struct PendingJob {
    /// Runs the job and returns what it printed.
    run: Box<dyn FnOnce() -> Vec<Text> + Send>,
    spawner: TaskId,
    takes: Duration,
    /// Completes the handle (wakes whoever awaits it).
    complete: Box<dyn FnOnce() + Send>,
}

/// Where a job's result waits for whoever awaits the job.
struct Slot<R> {
    result: Option<Result<R, BlockingError>>,
    delivered: bool,
    waker: Option<Waker>,
}

/// The handle of a blocking job: awaiting it gives the job's value, or the message of its panic.
/// Dropping it does not stop the job (nothing can stop a thread's code halfway).
pub struct BlockingHandle<R> {
    slot: Arc<Mutex<Slot<R>>>,
}

/// A blocking job that panicked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockingError {
    message: String,
}

impl BlockingError {
    /// Always true: a blocking job can only fail by panicking (tokio's `JoinError::is_panic`).
    pub fn is_panic(&self) -> bool {
        true
    }
}

impl fmt::Display for BlockingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the blocking job panicked: {}", self.message)
    }
}

impl std::error::Error for BlockingError {}

impl<R> BlockingHandle<R> {
    /// Has the job's result been delivered? (Python's `future.done()`.)
    pub fn is_finished(&self) -> bool {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).delivered
    }
}

impl<R> Future for BlockingHandle<R> {
    type Output = Result<R, BlockingError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if slot.delivered {
            let result =
                slot.result.take().expect("a blocking job's handle polled after it returned its result");
            return Poll::Ready(result);
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl<R> Drop for BlockingHandle<R> {
    /// Detaches the job: it runs on, but its end wakes nobody (as a dropped tokio `JoinHandle`).
    fn drop(&mut self) {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).waker = None;
    }
}

/// Runs `f` on another thread as a job that stands for `takes` of virtual time (see the module
/// docs).
pub(crate) fn spawn<F, R>(takes: Duration, f: F) -> BlockingHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot { result: None, delivered: false, waker: None }));
    let for_job = slot.clone();
    let run = Box::new(move || {
        JOB_OUTPUT.with(|output| *output.borrow_mut() = Some(Vec::new()));
        let result = catch_unwind(AssertUnwindSafe(f))
            .map_err(|payload| BlockingError { message: panic_message(&*payload) });
        for_job.lock().unwrap_or_else(|e| e.into_inner()).result = Some(result);
        JOB_OUTPUT.with(|output| output.borrow_mut().take()).unwrap_or_default()
    });
    let for_delivery = slot.clone();
    let complete = Box::new(move || {
        let waker = {
            let mut slot = for_delivery.lock().unwrap_or_else(|e| e.into_inner());
            slot.delivered = true;
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    });
    recorder::with(|rec| {
        let spawner = rec.current().unwrap_or(TaskId(1));
        rec.pending_jobs.push(PendingJob { run, spawner, takes, complete });
    });
    BlockingHandle { slot }
}

/// Runs the jobs spawned during the poll that just ended (called by the task wrapper).
#[inline]
pub(crate) fn run(jobs: Vec<PendingJob>) {
    if !jobs.is_empty() {
        run_jobs(jobs);
    }
}

#[cold]
fn run_jobs(jobs: Vec<PendingJob>) {
    for job in jobs {
        // The job's own thread; this one waits for it.
        let printed = std::thread::scope(|scope| scope.spawn(job.run).join()).unwrap_or_default();
        let (spawner, complete) = (job.spawner, job.complete);
        if job.takes.is_zero() {
            deliver(spawner, printed, complete);
        } else {
            // An internal timer, not a traced task: it only delivers.
            let takes = job.takes;
            tokio::spawn(async move {
                tokio::time::sleep(takes).await;
                deliver(spawner, printed, complete);
            });
        }
    }
}

/// Records what a job printed (as its spawner) and wakes whoever awaits it, now.
fn deliver(spawner: TaskId, printed: Vec<Text>, complete: Box<dyn FnOnce() + Send>) {
    recorder::with(|rec| {
        rec.retick();
        for line in printed {
            rec.print_as(spawner, line);
        }
    });
    recorder::with_wake_cause(WakeCause::OtherThread, complete);
}
