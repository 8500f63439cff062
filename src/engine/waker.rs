//! The traced waker: how the engine sees a task being woken.
//!
//! Every traced task hands its future our own waker instead of tokio's. Waking it marks the task
//! Scheduled in the trace, then wakes tokio's real waker. The state behind that waker (a
//! [`Header`]) must outlive the task (a waker can be kept anywhere), so it is reference counted.
//!
//! One allocation per task for that would cost as much as the rest of the tracing together, so
//! headers are allocated [`CHUNK`] at a time: a waker points at its header inside a shared,
//! reference-counted [`Chunk`], and cloning or dropping the waker counts references on the chunk.
//! The pool itself keeps every chunk of a run alive until the recorder is removed, which the
//! runner does only after dropping the runtime, and with it every task; so a task's own
//! reference to its header ([`HeaderRef`]) needs no count. Only wakers, which demo code could
//! keep anywhere, count.

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use std::sync::{Arc, Weak};
use std::task::{RawWaker, RawWakerVTable, Waker};

use futures::task::AtomicWaker;

use super::event::TaskId;
use super::recorder::{self, Foreign, RunShared};

/// How many headers one allocation holds.
const CHUNK: usize = 256;

// The task's poll state, kept in one atomic so a wake is classified right even when it arrives
// during the task's own poll (`yield_now` wakes the task from inside its poll).
pub(crate) const SCHEDULED: u8 = 0;
pub(crate) const RUNNING: u8 = 1;
pub(crate) const RUNNING_WOKEN: u8 = 2;
pub(crate) const SUSPENDED: u8 = 3;
pub(crate) const FINISHED: u8 = 4;
/// The task's future is being dropped before it finished.
pub(crate) const CANCELLING: u8 = 5;

/// What a task's wrapper and its wakers share.
pub(crate) struct Header {
    /// Our task id (set once, before the header is handed out).
    id: AtomicU32,
    pub(crate) state: AtomicU8,
    /// tokio's own waker for this task, registered whenever the task suspends.
    pub(crate) inner: AtomicWaker,
    /// The chunk this header lives in (for reference counting).
    chunk: *const Chunk,
}

/// `CHUNK` headers in one reference-counted allocation.
struct Chunk {
    run: Arc<RunShared>,
    headers: [Header; CHUNK],
}

/// Hands out headers, a chunk at a time (one per run, owned by the recorder).
pub(crate) struct HeaderPool {
    run: Arc<RunShared>,
    /// Every chunk of the run; the last one is being handed out.
    chunks: Vec<Arc<Chunk>>,
    next: usize,
}

impl HeaderPool {
    pub(crate) fn new(run: Arc<RunShared>) -> Self {
        HeaderPool { run, chunks: Vec::new(), next: CHUNK }
    }

    /// A fresh header for task `id`.
    pub(crate) fn take(&mut self, id: TaskId) -> HeaderRef {
        if self.next == CHUNK {
            let run = self.run.clone();
            self.chunks.push(Arc::new_cyclic(|chunk: &Weak<Chunk>| Chunk {
                run,
                headers: std::array::from_fn(|_| Header {
                    id: AtomicU32::new(0),
                    state: AtomicU8::new(SCHEDULED),
                    inner: AtomicWaker::new(),
                    chunk: chunk.as_ptr(),
                }),
            }));
            self.next = 0;
        }
        let chunk = self.chunks.last().expect("a chunk was just made");
        let header = &chunk.headers[self.next];
        self.next += 1;
        header.id.store(id.0, Ordering::Relaxed);
        HeaderRef(NonNull::from(header))
    }
}

/// A task's reference to its header: uncounted, valid while the run's pool lives (see the
/// module docs; the task is dropped with the runtime, before the pool).
pub(crate) struct HeaderRef(NonNull<Header>);

// SAFETY: a header is only touched through atomics (and `chunk`, which never changes); so
// references may move and be shared between threads.
unsafe impl Send for HeaderRef {}
unsafe impl Sync for HeaderRef {}

impl std::ops::Deref for HeaderRef {
    type Target = Header;

    fn deref(&self) -> &Header {
        // SAFETY: the pool keeps the chunk, and so the header, alive for as long as the task
        // that holds this reference.
        unsafe { self.0.as_ref() }
    }
}

impl HeaderRef {
    /// A waker that borrows this reference: no count changes unless the future clones it.
    pub(crate) fn waker(&self) -> ManuallyDrop<Waker> {
        // SAFETY: the vtable's contract holds (see below); `ManuallyDrop` stops the borrowed
        // waker from releasing a reference it does not own.
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(self.0.as_ptr().cast(), &VTABLE)) })
    }
}

impl Header {
    pub(crate) fn id(&self) -> TaskId {
        TaskId(self.id.load(Ordering::Relaxed))
    }

    fn run(&self) -> &RunShared {
        // SAFETY: whoever holds `&self` holds the chunk alive (a counted waker, or the task
        // while the pool lives).
        unsafe { &(*self.chunk).run }
    }

    /// The waker was called.
    fn wake(&self) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            let next = match state {
                SUSPENDED => SCHEDULED,
                // Woken during its own poll: the end of that poll wakes tokio (see `Traced::poll`).
                RUNNING => RUNNING_WOKEN,
                _ => return, // already scheduled, or finished: nothing new happened
            };
            match self.state.compare_exchange_weak(state, next, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) if next == SCHEDULED => {
                    self.record_wake();
                    self.inner.wake();
                    return;
                }
                Ok(_) => return,
                Err(actual) => state = actual,
            }
        }
    }

    fn record_wake(&self) {
        let run = self.run();
        let recorded = recorder::try_with(|rec| {
            if std::ptr::eq(Arc::as_ptr(&rec.shared), run) {
                rec.woken(self.id());
                true
            } else {
                false
            }
        });
        if recorded != Some(true) {
            run.push_foreign(Foreign::Wake(self.id()));
        }
    }
}

/// Drops one reference to the chunk of `header`.
///
/// # Safety
/// The caller owns a reference to that chunk.
unsafe fn release(header: *const Header) {
    // SAFETY: the caller's reference keeps the header alive until the count drops below.
    unsafe {
        let chunk = (*header).chunk;
        Arc::decrement_strong_count(chunk);
    }
}

// The waker's vtable. Its data pointer is a `*const Header`; every `RawWaker` built from this
// vtable owns one reference to the header's chunk, except the borrowed one from `waker()`
// (which lives only during a poll, while the task, and so the pool, is alive).
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone_raw, wake_raw, wake_by_ref_raw, drop_raw);

unsafe fn clone_raw(data: *const ()) -> RawWaker {
    // SAFETY: `data` is a live header (the waker being cloned holds a reference).
    unsafe { Arc::increment_strong_count((*data.cast::<Header>()).chunk) };
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake_raw(data: *const ()) {
    // SAFETY: as in `wake_by_ref_raw`, then this owned waker's reference is released.
    unsafe {
        wake_by_ref_raw(data);
        release(data.cast());
    }
}

unsafe fn wake_by_ref_raw(data: *const ()) {
    // SAFETY: `data` is a live header (the waker holds a reference).
    unsafe { (*data.cast::<Header>()).wake() }
}

unsafe fn drop_raw(data: *const ()) {
    // SAFETY: an owned waker is being dropped; it held one reference.
    unsafe { release(data.cast()) }
}
