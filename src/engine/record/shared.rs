//! The part of a run that other threads reach: blocking jobs on tokio's pool, and wakers woken
//! from them.
//!
//! Everything else in the recorder lives on the demo's thread. What another thread wants
//! recorded goes into a small locked queue here, which the demo thread drains at the start of
//! the next poll, in the order it was queued.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
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
    /// Blocking jobs spawned and not yet returned.
    jobs_in_flight: AtomicUsize,
    /// Wakes the run's clock driver when a job goes to sleep or returns.
    pub(crate) driver: tokio::sync::Notify,
}

impl RunShared {
    pub(crate) fn new(run: RunId) -> RunShared {
        RunShared {
            run,
            pending: AtomicBool::new(false),
            queue: Mutex::new(Vec::new()),
            jobs_in_flight: AtomicUsize::new(0),
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

    pub(crate) fn job_spawned(&self) {
        self.jobs_in_flight.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn job_returned(&self) {
        self.jobs_in_flight.fetch_sub(1, Ordering::AcqRel);
    }

    pub(crate) fn jobs_in_flight(&self) -> usize {
        self.jobs_in_flight.load(Ordering::Acquire)
    }
}
