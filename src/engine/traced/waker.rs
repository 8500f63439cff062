//! The traced waker: how the engine sees a task being woken.
//!
//! Every traced task hands its future our own waker instead of tokio's. Waking it records the
//! wake (the trace later says who or what woke the task), then wakes tokio's real waker, so
//! tokio schedules the task exactly as it would have.
//!
//! A waker can be kept anywhere and woken from any thread, so one that outlives a poll is
//! reference counted: a [`TaskWaker`] in an [`Arc`]. Most tasks never keep their waker (a task
//! that finishes in its first poll, or waits on nothing), so that allocation is made only when
//! the future first clones its waker: until then, each poll lends the future a waker that
//! points at a [`Frame`] on the poll's own stack. The task keeps the `Arc` once made and lends
//! it (uncounted, for the length of the poll) to every later poll, so that a future comparing
//! wakers (`will_wake`) sees the same one each time.
//!
//! Making a `Waker` from our own parts takes `unsafe` code (a `RawWakerVTable`): it is all in
//! [`vtable`], with the contract it keeps.

use std::mem::ManuallyDrop;
use std::sync::{Arc, OnceLock};
use std::task::Waker;

use super::super::event::TaskId;
use super::super::record::job::Job;
use super::super::record::shared::{Foreign, RunId, RunShared, foreign_cause};
use super::super::record::{self};

/// A traced task's waker, once the future kept one.
pub(crate) struct TaskWaker {
    task: TaskId,
    run: RunId,
    tokio: Waker,
}

impl TaskWaker {
    /// Does this waker wake the same task as tokio's `waker`?
    pub(crate) fn wraps(&self, waker: &Waker) -> bool {
        self.tokio.will_wake(waker)
    }

    fn wake_by_ref(&self) {
        let delivered = record_wake(self.task, self.run);
        self.tokio.wake_by_ref();
        delivered.announce();
    }
}

/// Records that `task` was woken: at once on the run's thread, through its queue on any other.
/// The wake must be recorded before tokio's waker runs (the task may be polled at once), and
/// announced after it (see [`Delivered`]).
fn record_wake(task: TaskId, run: RunId) -> Delivered {
    if record::with_run(run, |rec| rec.wake(task)).is_some() {
        return Delivered(None);
    }
    let Some(shared) = RunShared::find(run) else { return Delivered(None) };
    let (by, ended) = foreign_cause(run);
    shared.push(Foreign::Wake { task, by });
    Delivered(ended.map(|job| (shared, job)))
}

/// A blocking job's end, delivered to whoever awaited it: once tokio's waker has run, the clock
/// driver may go on (see `record::job`).
struct Delivered(Option<(Arc<RunShared>, Arc<Job>)>);

impl Delivered {
    fn announce(self) {
        if let Some((shared, job)) = self.0 {
            shared.job_delivered(&job);
        }
    }
}

/// Lends the future the task's kept waker for one poll, without counting a reference: the
/// returned waker must not outlive `waker` (it is dropped before the poll ends).
pub(crate) fn lend(waker: &Arc<TaskWaker>) -> ManuallyDrop<Waker> {
    vtable::lend(waker)
}

/// The waker of a poll whose task has not kept a waker yet: on the poll's stack.
pub(crate) struct Frame<'a> {
    task: TaskId,
    run: RunId,
    tokio: &'a Waker,
    /// Where the task keeps its waker once the future clones this one. (A `OnceLock`: a lent
    /// waker may be cloned from another thread, during the poll.)
    kept: &'a OnceLock<Arc<TaskWaker>>,
}

impl<'a> Frame<'a> {
    pub(crate) fn new(
        task: TaskId,
        run: RunId,
        tokio: &'a Waker,
        kept: &'a OnceLock<Arc<TaskWaker>>,
    ) -> Self {
        Frame { task, run, tokio, kept }
    }

    /// The waker to poll with; it must not outlive the frame (it is dropped before the poll
    /// ends).
    pub(crate) fn waker(&self) -> ManuallyDrop<Waker> {
        vtable::frame(self)
    }

    /// The task's kept waker, made now if it has none yet.
    fn keep(&self) -> Arc<TaskWaker> {
        self.kept
            .get_or_init(|| Arc::new(TaskWaker { task: self.task, run: self.run, tokio: self.tokio.clone() }))
            .clone()
    }

    fn wake_by_ref(&self) {
        let delivered = record_wake(self.task, self.run);
        self.tokio.wake_by_ref();
        delivered.announce();
    }
}

/// The two kinds of waker, as `RawWakerVTable`s.
///
/// - A *kept* waker's data is `Arc::into_raw` of an `Arc<TaskWaker>` and owns one reference;
///   [`lend`] makes one that borrows the task's reference instead and must not be dropped
///   (it is wrapped in `ManuallyDrop`).
/// - A *frame* waker's data is a `*const Frame` on the stack of the poll that made it; it owns
///   nothing. `Context` lends a waker only for the length of a poll (`Context<'a>`), so the
///   frame outlives every use of the pointer, and whatever wants to keep the waker has to
///   clone it, which makes a kept waker with an `Arc` of its own.
#[allow(unsafe_code)]
mod vtable {
    use std::mem::ManuallyDrop;
    use std::sync::Arc;
    use std::task::{RawWaker, RawWakerVTable, Waker};

    use super::{Frame, TaskWaker};

    pub(super) fn lend(waker: &Arc<TaskWaker>) -> ManuallyDrop<Waker> {
        let data = Arc::as_ptr(waker).cast::<()>();
        // SAFETY: `data` is a live `TaskWaker` inside an `Arc`, which `KEPT`'s functions
        // expect. The waker never releases the reference it does not own (`ManuallyDrop`); the
        // caller keeps `waker` alive while it is lent, and a clone counts a reference of its
        // own.
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(data, &KEPT)) })
    }

    pub(super) fn frame(frame: &Frame<'_>) -> ManuallyDrop<Waker> {
        let data = (frame as *const Frame<'_>).cast::<()>();
        // SAFETY: `data` points at `frame`, which `FRAME`'s functions expect, and the caller
        // drops the waker before the frame (see the module docs). It owns nothing and is never
        // dropped (`ManuallyDrop`).
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(data, &FRAME)) })
    }

    static KEPT: RawWakerVTable = RawWakerVTable::new(kept_clone, kept_wake, kept_wake_by_ref, kept_drop);

    unsafe fn kept_clone(data: *const ()) -> RawWaker {
        // SAFETY: `data` points at a live `TaskWaker` in an `Arc` (the waker being cloned holds
        // a reference, or lends one that outlives it); the clone owns a new reference.
        unsafe { Arc::increment_strong_count(data.cast::<TaskWaker>()) };
        RawWaker::new(data, &KEPT)
    }

    unsafe fn kept_wake(data: *const ()) {
        // SAFETY: this waker owns one reference, which `from_raw` takes back and drops at the
        // end. (A lent waker is never woken by value: only `&Waker` is lent.)
        let waker = unsafe { Arc::from_raw(data.cast::<TaskWaker>()) };
        waker.wake_by_ref();
    }

    unsafe fn kept_wake_by_ref(data: *const ()) {
        // SAFETY: `data` points at a live `TaskWaker` (the waker holds or borrows a reference).
        unsafe { &*data.cast::<TaskWaker>() }.wake_by_ref();
    }

    unsafe fn kept_drop(data: *const ()) {
        // SAFETY: this waker owns one reference; it is released here. (A lent waker is never
        // dropped.)
        drop(unsafe { Arc::from_raw(data.cast::<TaskWaker>()) });
    }

    static FRAME: RawWakerVTable =
        RawWakerVTable::new(frame_clone, frame_wake_by_ref, frame_wake_by_ref, frame_drop);

    unsafe fn frame_clone(data: *const ()) -> RawWaker {
        // SAFETY: the frame lives until its poll ends, and a frame waker can only be reached
        // through a reference lent during the poll. (`Frame` is `Sync`: the clone may run on
        // another thread during the poll.)
        let frame = unsafe { &*data.cast::<Frame<'_>>() };
        RawWaker::new(Arc::into_raw(frame.keep()).cast(), &KEPT)
    }

    unsafe fn frame_wake_by_ref(data: *const ()) {
        // SAFETY: as in `frame_clone`. (`wake` by value cannot reach a frame waker, which is
        // only ever lent; it shares this function all the same.)
        unsafe { &*data.cast::<Frame<'_>>() }.wake_by_ref();
    }

    unsafe fn frame_drop(_: *const ()) {
        // A frame waker owns nothing, and is never dropped anyway.
    }

    #[cfg(test)]
    mod tests {
        //! The vtables' reference counting, without a runtime (run under Miri too:
        //! `cargo +nightly miri test --lib waker`).

        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, OnceLock};
        use std::task::{Wake, Waker};

        use super::super::super::super::event::TaskId;
        use super::super::super::super::record::shared::RunId;
        use super::super::{Frame, lend};

        /// tokio's side: counts its wakes.
        #[derive(Default)]
        struct Counter(AtomicUsize);

        impl Wake for Counter {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }

        #[test]
        fn a_frame_waker_keeps_one_task_waker_and_every_clone_counts() {
            let counter = Arc::new(Counter::default());
            let tokio = Waker::from(counter.clone());
            let kept = OnceLock::new();
            let frame = Frame::new(TaskId(1), RunId::next(), &tokio, &kept);
            let lent = frame.waker();
            lent.wake_by_ref();
            let first = (*lent).clone();
            let second = first.clone();
            assert!(first.will_wake(&second), "one kept waker");
            let task_waker = kept.get().expect("kept at the first clone").clone();
            assert_eq!(Arc::strong_count(&task_waker), 4, "the task, two clones, this test");
            second.wake();
            assert_eq!(Arc::strong_count(&task_waker), 3);
            let later = lend(&task_waker);
            assert!(later.will_wake(&first), "a later poll lends the same waker");
            let third = (*later).clone();
            drop((first, third));
            assert_eq!(Arc::strong_count(&task_waker), 2);
            assert_eq!(counter.0.load(Ordering::SeqCst), 2, "tokio saw both wakes");
            // (`will_wake` compares vtable addresses, which Miri does not keep unique.)
            #[cfg(not(miri))]
            assert!(task_waker.wraps(&tokio));
        }
    }
}
