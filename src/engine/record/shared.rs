//! The part of a run that other threads reach: blocking jobs on tokio's pool, and wakers woken
//! from them.
//!
//! Everything else in the recorder lives on the demo's thread. What another thread wants
//! recorded goes into a small locked queue here, which the demo thread drains at the start of
//! the next poll, in the order it was queued.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::super::event::{TaskId, Text, Value};
use super::job::Job;
use super::log::Woken;
use super::owners::WakerData;

/// Tells runs apart: a waker or task of one run must not record into another.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct RunId(u32);

impl RunId {
    pub(crate) fn next() -> RunId {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        RunId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a thread outside the runtime wants recorded.
#[derive(Debug)]
pub(crate) enum Foreign {
    /// A waker was woken on another thread; `data` says whose it is (see `super::owners`).
    Wake { data: WakerData, by: Woken },
    /// A blocking job started on a pool thread, later than its spawner waited for it.
    JobStarted { job: TaskId },
    /// A blocking job printed a line.
    JobPrint { job: TaskId, text: Text },
    /// A blocking job was dropped before it started (aborted, or the runtime shut down).
    JobCancelled { job: TaskId },
    /// A blocking job returned (`Ok`) or panicked (`Err`).
    JobDone { job: TaskId, outcome: Result<Value, Text> },
    /// A blocking job called `std::thread::sleep(takes)`: its thread waits until the virtual
    /// clock has moved `takes` on, and the clock driver wakes it.
    JobSleep { job: Arc<Job>, takes: Duration },
}

/// The part of a run other threads can reach.
#[derive(Debug)]
pub(crate) struct RunShared {
    pub(crate) run: RunId,
    pending: AtomicBool,
    queue: Mutex<Vec<Foreign>>,
    /// Blocking jobs spawned, until they have returned and their end has woken whoever
    /// awaited them.
    jobs: Mutex<Vec<Arc<Job>>>,
    /// Wakes the run's clock driver when a job goes to sleep or returns.
    pub(crate) driver: tokio::sync::Notify,
}

impl RunShared {
    /// A new run's shared part.
    pub(crate) fn new(run: RunId) -> Arc<RunShared> {
        Arc::new(RunShared {
            run,
            pending: AtomicBool::new(false),
            queue: Mutex::new(Vec::new()),
            jobs: Mutex::new(Vec::new()),
            driver: tokio::sync::Notify::new(),
        })
    }

    fn queue(&self) -> MutexGuard<'_, Vec<Foreign>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `item` for the demo thread.
    pub(crate) fn push(&self, item: Foreign) {
        let job_event =
            matches!(item, Foreign::JobSleep { .. } | Foreign::JobDone { .. } | Foreign::JobCancelled { .. });
        self.queue().push(item);
        self.pending.store(true, Ordering::Release);
        if job_event {
            self.driver.notify_one();
        }
    }

    /// Takes what was queued, if anything.
    #[inline]
    pub(crate) fn take(&self) -> Option<Vec<Foreign>> {
        if !self.pending.load(Ordering::Relaxed) || !self.pending.swap(false, Ordering::Acquire) {
            return None;
        }
        Some(std::mem::take(&mut *self.queue()))
    }

    /// Job `id`, if it is not over yet.
    pub(crate) fn job(&self, id: TaskId) -> Option<Arc<Job>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|job| job.id == id).cloned()
    }

    pub(crate) fn job_spawned(&self, job: &Arc<Job>) {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).push(job.clone());
    }

    /// Does a blocking job hold the clock still: one that runs real code (not asleep on the
    /// virtual clock), or has returned and its end's wake has not been recorded yet?
    pub(crate) fn jobs_busy(&self) -> bool {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.retain(|job| !job.is_settled());
        jobs.iter().any(|job| job.holds_clock())
    }

    /// A job's end woke whoever awaited it: the clock driver may go on.
    pub(crate) fn job_delivered(&self, job: &Job) {
        job.delivered();
        self.driver.notify_one();
    }
}

/// A blocking job, as the pool thread running it knows it.
#[derive(Clone, Debug)]
pub(crate) struct JobContext {
    pub(crate) shared: Arc<RunShared>,
    pub(crate) job: Arc<Job>,
}

thread_local! {
    /// On a pool thread: the job it runs, and after the job returned, that job still (`false`
    /// then), until the next job starts. tokio wakes the job's joiner right after the job
    /// returns, on this thread: that wake is the job finishing.
    static JOB: RefCell<Option<(JobContext, bool)>> = const { RefCell::new(None) };
}

/// Marks this thread as running a job until dropped.
pub(crate) struct JobThread(());

impl JobThread {
    pub(crate) fn enter(context: JobContext) -> JobThread {
        JOB.with(|job| *job.borrow_mut() = Some((context, true)));
        JobThread(())
    }
}

impl Drop for JobThread {
    fn drop(&mut self) {
        JOB.with(|job| {
            if let Some((_, running)) = &mut *job.borrow_mut() {
                *running = false;
            }
        });
    }
}

/// The job this thread is running, if it is a pool thread running one.
pub(crate) fn running_job() -> Option<JobContext> {
    JOB.with(|job| match &*job.borrow() {
        Some((context, true)) => Some(context.clone()),
        _ => None,
    })
}

/// On a blocking job's thread: its run, why a waker woken here was woken, and the job whose
/// end it is (tokio wakes a job's joiner on the job's thread, right after the job returned).
pub(crate) fn job_thread_cause() -> Option<(Arc<RunShared>, Woken, Option<Arc<Job>>)> {
    JOB.with(|job| {
        let (context, running) = job.borrow().clone()?;
        let JobContext { shared, job } = context;
        Some(if running {
            (shared, Woken::By(job.id), None)
        } else {
            let id = job.id;
            (shared, Woken::Finished(id), Some(job))
        })
    })
}
