//! `tokio::task`, traced: `spawn`, `spawn_blocking`, `JoinHandle`, `JoinSet`, `yield_now`.
//! Everything else is tokio's own (`JoinError`, `AbortHandle`, `Id`, `unconstrained`…).

use std::any::type_name;
use std::fmt::{self, Debug};
use std::future::Future;
use std::panic::{AssertUnwindSafe, Location, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

pub use ::tokio::task::*;

use super::super::super::event::{Await, TaskId, TaskKind};
use super::super::super::record::shared::Foreign;
use super::super::super::record::shared::{JobContext, JobThread};
use super::super::super::record::{self};
use super::super::super::traced::{Traced, report};
use super::super::leaf::{Leaf, Registration};

/// Spawns a task: tokio's `spawn`, Python's `asyncio.create_task`. The task is Created and
/// Scheduled at once, and first runs when the spawning code next gives control back to the
/// runtime (at its next `.await` that is not ready).
///
/// Its name in the trace is the async fn it runs (see [`crate::engine::event::task_name`]).
/// Its output must be `Debug`, so the trace can show what it returned.
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + Debug + 'static,
{
    let origin = type_name::<F>();
    let Some((task, run, live)) =
        record::try_with(|rec| (rec.spawn(origin, TaskKind::Async), rec.run(), rec.is_live()))
    else {
        // Not on a traced runtime's thread (a runtime the demo built itself): plain tokio.
        return JoinHandle {
            inner: ::tokio::spawn(future),
            of: Of::UNTRACED,
            registration: Registration::default(),
        };
    };
    // Spawning happens outside the recorder: a runtime that is shutting down drops the new
    // task at once, and its drop records `Cancelled`.
    let inner = ::tokio::spawn(Traced::new(task, run, future));
    if live {
        record::with_run(run, |rec| rec.keep_abort_handle(task, || inner.abort_handle()));
    }
    JoinHandle { inner, of: Of::task(task), registration: Registration::default() }
}

/// Runs blocking code on tokio's blocking thread pool: tokio's `spawn_blocking`, Python's
/// `loop.run_in_executor(None, f)` / `asyncio.to_thread(f)`. The job starts at once, on a
/// thread of the pool; awaiting the handle waits for its result.
///
/// In the trace a job is a task of its own kind (tokio calls it a "blocking task"): Running
/// while its thread runs it, then Done or Failed; what it prints is its own.
#[track_caller]
pub fn spawn_blocking<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + Debug + 'static,
{
    let origin = type_name::<F>();
    let Some((job, shared)) = record::try_with(|rec| (rec.spawn_job(origin), rec.shared().clone())) else {
        return JoinHandle {
            inner: ::tokio::task::spawn_blocking(f),
            of: Of::UNTRACED,
            registration: Registration::default(),
        };
    };
    shared.job_spawned(&job);
    let (run, id) = (shared.run, job.id);
    let ticket = JobTicket { context: Some(JobContext { shared, job: job.clone() }) };
    let inner = ::tokio::task::spawn_blocking(move || ticket.run(f));
    // tokio hands the job to a pool thread at once: wait (a moment of real time) until the
    // thread has it, so that the trace shows it Running right here, as it is.
    if job.wait_started() {
        record::with_run(run, |rec| rec.job_running(id));
    }
    record::with_run(run, |rec| rec.keep_abort_handle(id, || inner.abort_handle()));
    JoinHandle { inner, of: Of::job(id), registration: Registration::default() }
}

/// A blocking job's bookkeeping, moved to the pool thread with the job. If tokio drops it
/// without running it (the job was aborted before it started, or the runtime shut down), the
/// job is Cancelled.
struct JobTicket {
    context: Option<JobContext>,
}

impl JobTicket {
    fn run<F: FnOnce() -> R, R: Debug + 'static>(mut self, f: F) -> R {
        let context = self.context.take().expect("a job runs once");
        let (shared, job) = (context.shared.clone(), context.job.clone());
        if job.start() {
            shared.push(Foreign::JobStarted { job: job.id });
        }
        let thread = JobThread::enter(context);
        let result = catch_unwind(AssertUnwindSafe(f));
        let outcome = match &result {
            Ok(value) => Ok(report::value(value)),
            Err(payload) => Err(report::panic_text(&**payload)),
        };
        // The job's end waits for the end of the poll that spawned it (see `record::job`).
        job.finish();
        shared.push(Foreign::JobDone { job: job.id, outcome });
        job.returned();
        // From here on, a wake on this thread is tokio telling the joiner the job is done.
        drop(thread);
        result.unwrap_or_else(|payload| resume_unwind(payload))
    }
}

impl Drop for JobTicket {
    fn drop(&mut self) {
        if let Some(JobContext { shared, job }) = self.context.take() {
            shared.push(Foreign::JobCancelled { job: job.id });
            job.returned();
            // Whoever awaits it is woken by whoever dropped it (an abort, the runtime's end),
            // not from a job thread: nothing more to wait for.
            shared.job_delivered(&job);
        }
    }
}

/// Gives control back to the runtime and asks to run again: tokio's `yield_now`, Python's
/// `await asyncio.sleep(0)`.
#[track_caller]
pub fn yield_now() -> impl Future<Output = ()> {
    Leaf::new(Await::Yield, ::tokio::task::yield_now())
}

/// A handle to a task (or blocking job): tokio's `JoinHandle`, Python's `Task`. Awaiting it
/// gives the task's output, or a `JoinError` if it panicked or was cancelled. Dropping it does
/// not cancel the task.
pub struct JoinHandle<T> {
    inner: ::tokio::task::JoinHandle<T>,
    of: Of,
    registration: Registration,
}

/// What a handle is the handle of, as the trace knows it: a traced task, or a traced blocking
/// job (whose `Job` the handle looks up, to tell it whether a task waits on it; see
/// `record::job`), or neither (0). Four bytes (a job's id has the top bit set), so that a handle
/// is twice the size of tokio's: a demo may hold a hundred thousand of them.
#[derive(Copy, Clone, Debug)]
struct Of(u32);

const JOB: u32 = 1 << 31;

// A handle is tokio's and four bytes of ours each for `Of` and `Registration`.
const _: () = assert!(size_of::<JoinHandle<u64>>() == 2 * size_of::<::tokio::task::JoinHandle<u64>>());

impl Of {
    const UNTRACED: Of = Of(0);

    fn task(id: TaskId) -> Of {
        Of(id.0)
    }

    fn job(id: TaskId) -> Of {
        Of(id.0 | JOB)
    }

    /// The traced task's (or job's) id.
    fn id(self) -> Option<TaskId> {
        (self.0 != 0).then_some(TaskId(self.0 & !JOB))
    }

    /// A traced job's handle was polled (`pending`: a task now waits on it) or dropped.
    #[inline]
    fn tell_job(self, awaited: bool) {
        if self.0 & JOB != 0 {
            tell_job(TaskId(self.0 & !JOB), awaited);
        }
    }
}

/// The trace notes who asked for `task` to be cancelled: the task running now.
#[cold]
fn asked_to_cancel(task: TaskId) {
    record::try_with(|rec| rec.cancel_asked(task, None));
}

#[cold]
fn tell_job(job: TaskId, awaited: bool) {
    record::try_with(|rec| rec.shared().job(job).map(|job| job.awaited(awaited)));
}

impl<T> JoinHandle<T> {
    /// Cancels the task at its current await point: Python's `task.cancel()`. A blocking job
    /// that has started cannot be cancelled: it runs to the end.
    pub fn abort(&self) {
        if let Some(task) = self.of.id() {
            asked_to_cancel(task);
        }
        self.inner.abort();
    }

    /// Has the task finished, in any way? Python's `task.done()`.
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }

    pub fn abort_handle(&self) -> AbortHandle {
        self.inner.abort_handle()
    }

    /// tokio's id of the task.
    pub fn id(&self) -> Id {
        self.inner.id()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll(cx);
        if let Some(task) = this.of.id() {
            this.registration.polled(&polled, |_| Await::Join { task }, Location::caller(), None);
        }
        this.of.tell_job(polled.is_pending());
        polled
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        // A dropped handle has no waker with tokio: the job's end wakes nobody.
        self.of.tell_job(false);
    }
}

impl<T> Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle").field("id", &self.inner.id()).finish()
    }
}

/// A set of tasks, joined in the order they finish: tokio's `JoinSet`. Dropping the set aborts
/// the tasks still in it.
pub struct JoinSet<T> {
    inner: ::tokio::task::JoinSet<T>,
    /// The traced tasks spawned into it (and not detached), for the trace to say who cancels
    /// them when the set aborts them.
    tasks: Vec<TaskId>,
}

impl<T> Default for JoinSet<T> {
    fn default() -> Self {
        JoinSet { inner: ::tokio::task::JoinSet::new(), tasks: Vec::new() }
    }
}

impl<T> JoinSet<T> {
    /// The set is about to abort its tasks (those that have ended are left out when the trace
    /// is read).
    fn asked_to_cancel_all(&self) {
        for &task in &self.tasks {
            asked_to_cancel(task);
        }
    }
}

impl<T> Drop for JoinSet<T> {
    /// tokio's set aborts what is still in it.
    fn drop(&mut self) {
        if !self.inner.is_empty() {
            self.asked_to_cancel_all();
        }
    }
}

impl<T> Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet").field("len", &self.inner.len()).finish()
    }
}

impl<T: 'static> JoinSet<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.inner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Spawns a task into the set (see [`spawn`]).
    #[track_caller]
    pub fn spawn<F>(&mut self, task: F) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + Debug,
    {
        let origin = type_name::<F>();
        let Some((id, run)) = record::try_with(|rec| (rec.spawn(origin, TaskKind::Async), rec.run())) else {
            return self.inner.spawn(task);
        };
        let handle = self.inner.spawn(Traced::new(id, run, task));
        record::with_run(run, |rec| rec.keep_abort_handle(id, || handle.clone()));
        self.tasks.push(id);
        handle
    }

    /// Waits for the next task to finish; `None` when the set is empty.
    #[track_caller]
    pub fn join_next(&mut self) -> impl Future<Output = Option<Result<T, JoinError>>> + '_ {
        let tasks = self.inner.len() as u32;
        Leaf::new(Await::JoinNext { tasks }, self.inner.join_next())
    }

    /// Like [`JoinSet::join_next`], with tokio's id of the task that finished.
    #[track_caller]
    pub fn join_next_with_id(&mut self) -> impl Future<Output = Option<Result<(Id, T), JoinError>>> + '_ {
        let tasks = self.inner.len() as u32;
        Leaf::new(Await::JoinNext { tasks }, self.inner.join_next_with_id())
    }

    /// A finished task's result, if one is ready, without waiting.
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        self.inner.try_join_next()
    }

    /// Aborts every task in the set (they are still in it until joined).
    pub fn abort_all(&mut self) {
        self.asked_to_cancel_all();
        self.inner.abort_all();
    }

    /// Aborts every task and waits until they have all ended.
    #[track_caller]
    pub fn shutdown(&mut self) -> impl Future<Output = ()> + '_ {
        self.asked_to_cancel_all();
        let tasks = self.inner.len() as u32;
        Leaf::new(Await::JoinNext { tasks }, self.inner.shutdown())
    }

    /// Takes every task out of the set without aborting it.
    pub fn detach_all(&mut self) {
        self.tasks.clear();
        self.inner.detach_all();
    }
}
