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

use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::task::{RawWaker, RawWakerVTable, Waker};

use super::super::event::TaskId;
use super::super::record::job::foreign_cause;
use super::super::record::shared::{Foreign, RunId, RunShared};
use super::super::record::{self};

/// A traced task's waker, once the future kept one.
pub(crate) struct TaskWaker {
    task: TaskId,
    run: RunId,
    /// The run's queue, for wakes from other threads (`None` if the waker was first cloned on
    /// a thread outside the run: then such wakes are not recorded).
    shared: Option<Arc<RunShared>>,
    tokio: Waker,
}

impl TaskWaker {
    /// Does this waker wake the same task as tokio's `waker`?
    pub(crate) fn wraps(&self, waker: &Waker) -> bool {
        self.tokio.will_wake(waker)
    }

    fn wake_by_ref(&self) {
        record_wake(self.task, self.run, self.shared.as_deref());
        self.tokio.wake_by_ref();
    }
}

/// Records that `task` was woken: at once on the run's thread, through its queue on any other.
fn record_wake(task: TaskId, run: RunId, shared: Option<&RunShared>) {
    if record::with_run(run, |rec| rec.wake(task)).is_none()
        && let Some(shared) = shared
    {
        shared.push(Foreign::Wake { task, by: foreign_cause(run) });
    }
}

/// Lends the future the task's kept waker for one poll, without counting a reference: the
/// returned waker must not outlive `waker`.
pub(crate) fn lend(waker: &Arc<TaskWaker>) -> ManuallyDrop<Waker> {
    let data = Arc::as_ptr(waker).cast::<()>();
    // SAFETY: `data` is a live `TaskWaker` inside an `Arc`, and `KEPT`'s contract holds for it
    // (every function treats `data` as an `Arc<TaskWaker>` pointer). The waker is in a
    // `ManuallyDrop`, so it never releases the reference it does not own; the caller keeps
    // `waker` alive while it is lent, and a clone counts a reference of its own.
    ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(data, &KEPT)) })
}

/// A kept waker: `data` is `Arc::into_raw` of an `Arc<TaskWaker>`, owning one reference.
static KEPT: RawWakerVTable = RawWakerVTable::new(kept_clone, kept_wake, kept_wake_by_ref, kept_drop);

unsafe fn kept_clone(data: *const ()) -> RawWaker {
    // SAFETY: `data` points at a live `TaskWaker` in an `Arc` (the waker being cloned holds a
    // reference, or lends one that outlives it); the clone owns a new reference.
    unsafe { Arc::increment_strong_count(data.cast::<TaskWaker>()) };
    RawWaker::new(data, &KEPT)
}

unsafe fn kept_wake(data: *const ()) {
    // SAFETY: this waker owns one reference, which `from_raw` takes back and drops at the end.
    let waker = unsafe { Arc::from_raw(data.cast::<TaskWaker>()) };
    waker.wake_by_ref();
}

unsafe fn kept_wake_by_ref(data: *const ()) {
    // SAFETY: `data` points at a live `TaskWaker` (the waker holds or borrows a reference).
    unsafe { &*data.cast::<TaskWaker>() }.wake_by_ref();
}

unsafe fn kept_drop(data: *const ()) {
    // SAFETY: this waker owns one reference; it is released here.
    drop(unsafe { Arc::from_raw(data.cast::<TaskWaker>()) });
}

/// The waker of a poll whose task has not kept a waker yet: on the poll's stack.
pub(crate) struct Frame<'a> {
    task: TaskId,
    run: RunId,
    tokio: &'a Waker,
    /// Where the task keeps its waker once the future clones this one.
    kept: &'a Cell<Option<Arc<TaskWaker>>>,
}

impl<'a> Frame<'a> {
    pub(crate) fn new(
        task: TaskId,
        run: RunId,
        tokio: &'a Waker,
        kept: &'a Cell<Option<Arc<TaskWaker>>>,
    ) -> Self {
        Frame { task, run, tokio, kept }
    }

    /// The waker to poll with; it must not outlive the frame.
    pub(crate) fn waker(&self) -> ManuallyDrop<Waker> {
        let data = (self as *const Frame<'a>).cast::<()>();
        // SAFETY: `data` points at this frame, and `FRAME`'s functions only use it as a
        // `&Frame` while the poll that owns the frame runs: a `Context` lends its waker only
        // for the poll, and whatever keeps a waker must clone it, which makes a `KEPT` waker
        // that owns its own `Arc`. The borrowed waker owns nothing, so it is never dropped.
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(data, &FRAME)) })
    }

    /// The task's kept waker, made now if it has none yet.
    fn keep(&self) -> Arc<TaskWaker> {
        let kept = self.kept.take().unwrap_or_else(|| {
            let shared = record::with_run(self.run, |rec| rec.shared().clone());
            Arc::new(TaskWaker { task: self.task, run: self.run, shared, tokio: self.tokio.clone() })
        });
        self.kept.set(Some(kept.clone()));
        kept
    }

    fn wake_by_ref(&self) {
        record_wake(self.task, self.run, None);
        self.tokio.wake_by_ref();
    }
}

/// A frame's waker: `data` is a `*const Frame`, valid while the poll runs (see
/// [`Frame::waker`]).
static FRAME: RawWakerVTable =
    RawWakerVTable::new(frame_clone, frame_wake_by_ref, frame_wake_by_ref, frame_drop);

unsafe fn frame_clone(data: *const ()) -> RawWaker {
    // SAFETY: the frame lives until its poll ends, and a waker can only be cloned through a
    // reference lent during the poll.
    let frame = unsafe { &*data.cast::<Frame<'_>>() };
    RawWaker::new(Arc::into_raw(frame.keep()).cast(), &KEPT)
}

unsafe fn frame_wake_by_ref(data: *const ()) {
    // SAFETY: as in `frame_clone`. (`wake` by value cannot reach a frame's waker: it is only
    // ever lent, never owned; it shares this function all the same.)
    unsafe { &*data.cast::<Frame<'_>>() }.wake_by_ref();
}

unsafe fn frame_drop(_: *const ()) {
    // A frame's waker owns nothing.
}
