//! The traced task: a wrapper around each traced future that records its lifecycle.
//!
//! tokio (without `--cfg tokio_unstable`) tells nobody when a task is polled or woken, so every
//! future the engine runs as a task (and the demo's `main` future) is wrapped in [`Traced`]:
//!
//! - each `poll` records `Running`, then `Suspended` (on what the poll left pending), `Done` or
//!   `Failed` (a panic is caught, recorded, and resumed, so tokio still reports it);
//! - the future sees tokio's waker through our vtable (see [`super::waker`]): waking it records
//!   `Scheduled` and then wakes the task as tokio's would;
//! - dropping the wrapper before the future finished records `Cancelled` (that is what
//!   `abort()` and a runtime shutdown do to a task), after the future's own cleanup has run as
//!   that task.

use std::fmt::Debug;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::super::event::TaskId;
use super::super::record::job::Job;
use super::super::record::shared::RunId;
use super::super::record::{self};
use super::report;
use super::waker;

pin_project_lite::pin_project! {
    /// A future run as task `task` of a run, recording its lifecycle.
    pub(crate) struct Traced<F> {
        // Fields drop in declaration order, after `PinnedDrop::drop`: that marks the task as
        // the current one, `future` drops (its cleanup runs as the task), and `guard` then
        // records `Cancelled` and gives the current task back.
        #[pin]
        future: F,
        guard: TaskGuard,
    }

    impl<F> PinnedDrop for Traced<F> {
        fn drop(this: Pin<&mut Self>) {
            this.project().guard.enter_drop();
        }
    }
}

/// Lets the blocking jobs a poll spawned return (see `record::job`), outside the recorder.
#[inline]
fn release(run: RunId, spawned_jobs: Option<bool>) {
    if spawned_jobs == Some(true) {
        release_jobs(run);
    }
}

#[cold]
fn release_jobs(run: RunId) {
    let jobs: Vec<Arc<Job>> = record::with_run(run, |rec| rec.take_jobs()).unwrap_or_default();
    jobs.iter().for_each(|job| job.release());
}

/// The task's identity, where its future stands, and the end of a cancelled task's drop. Eight
/// bytes: tokio allocates a task in steps of 128 bytes, and the less the wrapper adds, the more
/// often a traced task fits the step the raw one takes.
struct TaskGuard {
    /// The task's id, with [`FINISHED`] and [`DROPPING`] in the top bits.
    word: u32,
    run: RunId,
}

/// The future finished: nothing is recorded when it is dropped.
const FINISHED: u32 = 1 << 31;
/// The future is being dropped before it finished: the task is being cancelled.
const DROPPING: u32 = 1 << 30;

impl TaskGuard {
    fn task(&self) -> TaskId {
        TaskId(self.word & !(FINISHED | DROPPING))
    }

    fn finish(&mut self) {
        self.word |= FINISHED;
    }

    /// The future is about to be dropped: if it never finished, the task is being cancelled.
    #[inline]
    fn enter_drop(&mut self) {
        if self.word & FINISHED == 0 {
            self.cancel();
        }
    }

    #[cold]
    fn cancel(&mut self) {
        if record::with_run(self.run, |rec| rec.enter_drop(self.task())).is_some() {
            self.word |= DROPPING;
        }
    }
}

impl Drop for TaskGuard {
    #[inline]
    fn drop(&mut self) {
        if self.word & DROPPING != 0 {
            cancelled(self.run, self.task());
        }
    }
}

/// A cancelled task's future has been dropped.
#[cold]
fn cancelled(run: RunId, task: TaskId) {
    record::with_run(run, |rec| rec.leave_drop(task));
}

impl<F> Traced<F> {
    /// Wraps `future` as task `task` of run `run` (already recorded as spawned).
    pub(crate) fn new(task: TaskId, run: RunId, future: F) -> Self {
        debug_assert!(task.0 < DROPPING, "task ids stay below 2^30");
        Traced { future, guard: TaskGuard { word: task.0, run } }
    }
}

// The wrapper adds eight bytes to a future of eight-byte alignment.
const _: () = assert!(size_of::<TaskGuard>() == 8);

impl<F> Future for Traced<F>
where
    F: Future,
    F::Output: Debug + 'static,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let (task, run) = (this.guard.task(), this.guard.run);
        let data = cx.waker().data() as usize;
        if record::with_run(run, |rec| rec.begin_poll(task, data)).is_none() {
            // Not on its run's thread (never the case for tasks the engine spawns): untraced.
            return this.future.poll(cx);
        }
        let future = this.future;
        let polled = match waker::traced(cx.waker()) {
            Some(traced) => catch_unwind(AssertUnwindSafe(|| future.poll(&mut Context::from_waker(&traced)))),
            // A waker of a kind we cannot see through: the wakes go unseen.
            None => catch_unwind(AssertUnwindSafe(|| future.poll(cx))),
        };

        match polled {
            Ok(Poll::Pending) => {
                release(run, record::with_run(run, |rec| rec.end_pending(task)));
                Poll::Pending
            }
            Ok(Poll::Ready(output)) => {
                this.guard.finish();
                // Formatting runs the output's `Debug`: outside the recorder.
                let value = report::value(&output);
                release(run, record::with_run(run, |rec| rec.end_finished(task, Ok(value))));
                Poll::Ready(output)
            }
            Err(payload) => {
                this.guard.finish();
                let error = report::panic_text(&*payload);
                release(run, record::with_run(run, |rec| rec.end_finished(task, Err(error))));
                resume_unwind(payload)
            }
        }
    }
}
