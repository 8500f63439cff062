//! Blocking jobs (`spawn_blocking`), as the run sees them: a job runs for real on a thread of
//! tokio's pool, and [`Job`] is how that thread and the runtime's thread keep in step, so that
//! what the job does lands in the trace at the same place on every run.
//!
//! - The job starts at once, as tokio starts it; the task that spawned it waits (for a moment
//!   of real time, no virtual time) until the job's thread has picked it up, and records it
//!   Running right there.
//! - The job's end is delivered no earlier than the end of the poll that spawned it: the job
//!   may finish its work meanwhile, but returns (and wakes whoever awaits it) only then. Then
//!   the runtime's thread waits until the job has returned, or sleeps on the virtual clock, or
//!   has run for a while of real time: what it printed meanwhile is recorded at that instant.
//! - A job's `std::thread::sleep` waits on the virtual clock (see `run::driver`).

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::super::event::TaskId;

/// Where a job stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// Handed to tokio's pool, not picked up yet.
    Queued,
    /// Not picked up within the spawner's patience: the job records its own start.
    Late,
    Running,
    /// In `std::thread::sleep`, waiting for the virtual clock.
    Sleeping,
    /// Its work is done; it returns once released.
    Finished,
    Returned,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    /// The poll that spawned the job has ended: it may return.
    released: bool,
    /// The virtual clock has reached the end of its sleep.
    woken: bool,
    /// A task awaits the job's handle: tokio wakes it once the job has returned.
    awaited: bool,
    /// …and that wake has been recorded.
    delivered: bool,
}

/// One blocking job, shared by its thread and the runtime's thread.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: TaskId,
    state: Mutex<State>,
    changed: Condvar,
}

/// How long the runtime's thread waits for a job to be picked up, or to sleep or return.
pub(crate) const PATIENCE: Duration = Duration::from_secs(2);

impl Job {
    /// A new job; `released` if no poll is under way to hold its end back.
    pub(crate) fn new(id: TaskId, released: bool) -> Arc<Job> {
        Arc::new(Job {
            id,
            state: Mutex::new(State {
                phase: Phase::Queued,
                released,
                woken: false,
                awaited: false,
                delivered: false,
            }),
            changed: Condvar::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait_while(&self, limit: Duration, busy: impl FnMut(&mut State) -> bool) -> MutexGuard<'_, State> {
        let state = self.state();
        self.changed.wait_timeout_while(state, limit, busy).unwrap_or_else(|e| e.into_inner()).0
    }

    fn set(&self, phase: Phase) {
        self.state().phase = phase;
        self.changed.notify_all();
    }

    // ---- on the job's thread ----

    /// The job's thread picked it up; true if the spawner stopped waiting for that, and the
    /// job must record its start itself.
    pub(crate) fn start(&self) -> bool {
        let mut state = self.state();
        let late = state.phase == Phase::Late;
        state.phase = Phase::Running;
        self.changed.notify_all();
        late
    }

    /// The job sleeps until the driver wakes it (or the run ends); `announce` tells the
    /// driver, as the job is marked asleep.
    pub(crate) fn sleep(&self, announce: impl FnOnce()) {
        {
            let mut state = self.state();
            state.phase = Phase::Sleeping;
            state.woken = false;
            // Announced before anyone can see the job asleep: whoever finds it no longer
            // holding the clock finds its sleep queued too.
            announce();
            self.changed.notify_all();
        }
        let mut state = self.wait_while(Duration::MAX, |state| !state.woken);
        state.phase = Phase::Running;
    }

    /// The job's work is done: wait until it may return.
    pub(crate) fn finish(&self) {
        self.set(Phase::Finished);
        // A safety net only: the spawner releases every job it holds.
        drop(self.wait_while(PATIENCE * 4, |state| !state.released));
    }

    pub(crate) fn returned(&self) {
        self.set(Phase::Returned);
    }

    /// tokio woke the task awaiting the job's handle (on the job's thread, right after it
    /// returned), and the wake is recorded.
    pub(crate) fn delivered(&self) {
        self.state().delivered = true;
        self.changed.notify_all();
    }

    // ---- on the runtime's thread, from the job's handle ----

    /// A task waits on the job's handle (`true`), or the handle was dropped (`false`).
    pub(crate) fn awaited(&self, awaited: bool) {
        self.state().awaited = awaited;
    }

    // ---- on the runtime's thread ----

    /// Waits until the job's thread has picked the job up; false (and the job records its own
    /// start) if that takes longer than [`PATIENCE`].
    pub(crate) fn wait_started(&self) -> bool {
        let mut state = self.wait_while(PATIENCE, |state| state.phase == Phase::Queued);
        if state.phase == Phase::Queued {
            state.phase = Phase::Late;
            return false;
        }
        true
    }

    /// The poll that spawned the job has ended: the job may return; wait until it has, or
    /// sleeps, or [`PATIENCE`] has passed.
    pub(crate) fn release(&self) {
        self.state().released = true;
        self.changed.notify_all();
        self.wait_settled();
    }

    /// The virtual clock has reached the end of the job's sleep: let it go on, and wait until
    /// it returns, or sleeps again, or [`PATIENCE`] has passed.
    pub(crate) fn wake(&self) {
        self.state().woken = true;
        self.changed.notify_all();
        self.wait_settled();
    }

    /// The run is ending: let the job go without waiting for it.
    pub(crate) fn let_go(&self) {
        let mut state = self.state();
        state.woken = true;
        state.released = true;
        self.changed.notify_all();
    }

    fn wait_settled(&self) {
        drop(self.wait_while(PATIENCE, |state| match state.phase {
            Phase::Running | Phase::Finished => true,
            Phase::Sleeping => state.woken,
            Phase::Returned => !Self::delivered_if_awaited(state),
            Phase::Queued | Phase::Late => false,
        }));
    }

    /// Its end wakes whoever awaits its handle, from the job's thread: until that wake is
    /// recorded, the job is not over for the runtime.
    fn delivered_if_awaited(state: &State) -> bool {
        !state.awaited || state.delivered
    }

    /// Does the job hold the virtual clock still (see [`super::shared::RunShared::jobs_busy`])?
    pub(crate) fn holds_clock(&self) -> bool {
        let state = self.state();
        match state.phase {
            Phase::Sleeping => state.woken,
            Phase::Returned => !Self::delivered_if_awaited(&state),
            _ => true,
        }
    }

    /// Is the job over, its end delivered?
    pub(crate) fn is_settled(&self) -> bool {
        let state = self.state();
        state.phase == Phase::Returned && Self::delivered_if_awaited(&state)
    }
}
