//! The part of a run that other threads reach: blocking jobs on tokio's pool, and wakers woken
//! from them.
//!
//! Everything else in the recorder lives on the demo's thread. What another thread wants
//! recorded goes into a small locked queue here, which the demo thread drains at the start of
//! the next poll, in the order it was queued.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::super::event::{TaskId, Text, Value};
use super::job::Job;
use super::log::Woken;

/// Tells runs apart: a waker or task of one run must not record into another.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct RunId(u64);

impl RunId {
    pub(crate) fn next() -> RunId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        RunId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a thread outside the runtime wants recorded.
#[derive(Debug)]
pub(crate) enum Foreign {
    /// A waker was woken on another thread.
    Wake { task: TaskId, by: Woken },
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

/// The runs recorded now, for a waker woken on a thread that records none (a blocking job's):
/// it finds its run's queue here.
static RUNS: Mutex<Vec<std::sync::Weak<RunShared>>> = Mutex::new(Vec::new());

impl RunShared {
    /// A run's shared part, listed (see [`RunShared::find`]) until it is dropped.
    pub(crate) fn open(run: RunId) -> Arc<RunShared> {
        let shared = Arc::new(RunShared::new(run));
        let mut runs = RUNS.lock().unwrap_or_else(|e| e.into_inner());
        runs.retain(|run| run.strong_count() > 0);
        runs.push(Arc::downgrade(&shared));
        shared
    }

    /// The shared part of run `run`, if it is still going.
    pub(crate) fn find(run: RunId) -> Option<Arc<RunShared>> {
        RUNS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter_map(std::sync::Weak::upgrade)
            .find(|shared| shared.run == run)
    }

    fn new(run: RunId) -> RunShared {
        RunShared {
            run,
            pending: AtomicBool::new(false),
            queue: Mutex::new(Vec::new()),
            jobs: Mutex::new(Vec::new()),
            driver: tokio::sync::Notify::new(),
        }
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

/// Why a waker woken on this thread (not the demo's) was woken, and the job whose end it is
/// (tokio wakes a job's joiner on the job's thread, right after the job returned).
pub(crate) fn foreign_cause(run: RunId) -> (Woken, Option<Arc<Job>>) {
    JOB.with(|job| match &*job.borrow() {
        Some((context, running)) if context.shared.run == run => {
            if *running {
                (Woken::By(context.job.id), None)
            } else {
                (Woken::Finished(context.job.id), Some(context.job.clone()))
            }
        }
        _ => (Woken::OtherThread, None),
    })
}
