//! The clock driver: moves the paused clock when tokio would not.
//!
//! tokio's paused clock jumps to the next timer by itself whenever every task waits ("auto-
//! advance"), except while a blocking job is in flight: then it stands still. That is right
//! for a job doing real work, but a job that stands for time passing (`std::thread::sleep` in
//! a `spawn_blocking`, Python's `time.sleep` in `run_in_executor`) would take no virtual time
//! at all, and the event loop could not be seen running meanwhile. So the driver, a hidden
//! task of the run:
//!
//! - waits until every job in flight is asleep on the virtual clock (one that runs real code
//!   holds the clock still, as tokio does);
//! - moves the clock to whatever is due next, a task's timer or a sleeping job's end, never
//!   further (`tokio::time::advance` fires every timer up to where it goes, so it must stop at
//!   each), and lets everything that became ready run;
//! - lets go of the jobs whose time has come, and waits (blocking the runtime's thread, so
//!   nothing else runs meanwhile) until each has gone back to sleep or returned, so what it
//!   did is recorded at that instant, the same on every run.
//!
//! The live view drives the clock the same way, up to where the viewer is ([`advance_to`]).

use std::sync::Arc;

use super::super::event::VTime;
use super::super::record::shared::RunShared;
use super::super::record::{self, Recorder};

/// A millisecond, in `VTime`'s nanoseconds.
const MILLI: u64 = 1_000_000;

/// What is due next: a task's timer (when `timers`, or while jobs sleep) or a sleeping job's
/// end, at the whole millisecond tokio fires it (tokio rounds a deadline up to one).
pub(crate) fn next_due(rec: &mut Recorder, timers: bool) -> Option<VTime> {
    let next_timer = if timers || rec.sleepers() > 0 { rec.next_deadline() } else { None };
    let next = [next_timer, rec.next_sleeper()].into_iter().flatten().min()?;
    Some(VTime(next.0.div_ceil(MILLI) * MILLI))
}

/// The driver of a recorded run: steps the clock while blocking jobs sleep on it.
pub(crate) async fn drive(shared: Arc<RunShared>) {
    loop {
        shared.driver.notified().await;
        advance_to(&shared, None, false).await;
    }
}

/// Moves the clock forward through what is due: timers (when `timers`; otherwise only while
/// jobs sleep, as tokio moves it through timers by itself), and sleeping jobs, up to
/// `ceiling` if there is one. Returns when nothing more is due before the ceiling, or a job
/// runs real code (its end or next sleep calls the driver again).
pub(crate) async fn advance_to(shared: &RunShared, ceiling: Option<VTime>, timers: bool) {
    // tokio's timers count whole milliseconds, and when tokio moves a paused clock by itself it
    // moves it by whole milliseconds: a clock left between two would stay off by the fraction
    // for the rest of the run. So the driver, too, stops only on whole milliseconds: where
    // something is due (see `next_due`), and short of a viewer's time (rounded down).
    let ceiling = ceiling.map(|ceiling| VTime(ceiling.0 / MILLI * MILLI));
    loop {
        settle().await;
        // Asked before the queue is drained: a job found not holding the clock has queued
        // whatever it did before (its sleep, its end), so the drain below sees it.
        let busy = shared.jobs_busy();
        let Some((now, next)) = record::try_with(|rec| {
            rec.drain();
            (rec.now(), next_due(rec, timers))
        }) else {
            return;
        };
        if busy {
            // A job runs real code: the clock holds still until it sleeps or returns, as
            // tokio's does. A recorded run lets tokio hold it (the job's next sleep or its end
            // calls the driver again); a paced one waits here for that.
            if !timers {
                return;
            }
            shared.driver.notified().await;
            continue;
        }
        let Some(next) = next.filter(|&next| ceiling.is_none_or(|ceiling| next <= ceiling)) else {
            // Nothing is due before the ceiling: a viewer's clock goes on to it, unless a task
            // waits for a socket (the bytes may be on their way: they arrive at this instant).
            if let Some(ceiling) = ceiling
                && timers
                && ceiling > now
                && record::try_with(|rec| !rec.waiting_on_io()) == Some(true)
            {
                record::try_with(|rec| rec.clock_will_move());
                tokio::time::advance(ceiling.since(now).as_duration()).await;
                record::try_with(|rec| rec.tick());
            }
            return;
        };
        if next > now {
            // The timers due there fire during `advance`: their wakes must read the clock.
            record::try_with(|rec| rec.clock_will_move());
            tokio::time::advance(next.since(now).as_duration()).await;
            record::try_with(|rec| rec.tick());
            settle().await;
        }
        release_due_jobs();
    }
}

/// Wakes the sleeping jobs whose time has come, one at a time, each until it sleeps again or
/// returns.
fn release_due_jobs() {
    let due = record::try_with(|rec| rec.take_due_sleepers()).unwrap_or_default();
    for job in due {
        job.wake();
        record::try_with(|rec| rec.drain());
    }
}

/// Lets every task that is ready at this instant run, the timers due now fire, and what other
/// threads queued (a job's end, its wake) be recorded: yields until a turn of the scheduler
/// records nothing new.
pub(crate) async fn settle() {
    let count = || {
        record::try_with(|rec| {
            rec.drain();
            rec.event_count()
        })
    };
    loop {
        let before = count();
        tokio::task::yield_now().await;
        if count() == before {
            return;
        }
    }
}
