//! The traced waker: how the engine sees a task being woken.
//!
//! Every traced task polls its future with tokio's own waker seen through a vtable of ours: the
//! same data pointer, our functions. Waking it records the wake (the trace later says who or
//! what woke the task), then calls tokio's function, so tokio schedules the task exactly as it
//! would have. Cloning and dropping it are tokio's clone and drop: tokio counts the references,
//! and nothing is allocated per task. Which task a wake is for is looked up by the data pointer
//! (see `record::owners`).
//!
//! A `RawWakerVTable` holds no room for tokio's vtable, so ours are made in advance, one per
//! slot: slot `I` forwards to the vtable the first waker wrapped through it had. A runtime's
//! tasks all share one vtable, and the `block_on` future has one more, so a few slots serve a
//! whole process; a waker of an unknown kind once all are taken is used as it is, unwrapped
//! (its wakes are not seen, and the decoder says the task was woken from elsewhere).
//!
//! Making a `Waker` from our own parts takes `unsafe` code: it is all in [`vtable`], with the
//! contract it keeps.

use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::task::Waker;

use super::super::record::job::Job;
use super::super::record::owners::WakerData;
use super::super::record::shared::{Foreign, RunShared, job_thread_cause};
use super::super::record::{self};

/// The waker a traced task polls its future with: `waker` (tokio's), seen through our vtable.
/// It borrows `waker`'s reference, so it must not outlive it (it is used for one poll).
/// `None` if `waker` is of a kind no slot is left for.
pub(crate) fn traced(waker: &Waker) -> Option<ManuallyDrop<Waker>> {
    vtable::lend(waker)
}

/// Records that the task whose waker points at `data` was woken: at once on a thread that
/// records a run, through its queue from a blocking job's thread. The wake must be recorded
/// before tokio's waker runs (the task may be polled at once), and announced after it (see
/// [`Delivered`]).
fn record_wake(data: WakerData) -> Delivered {
    if record::try_with(|rec| rec.wake(data)).is_some() {
        return Delivered(None);
    }
    let Some((shared, by, ended)) = job_thread_cause() else {
        // A thread of the demo's own, say: nothing tells which run it is.
        return Delivered(None);
    };
    shared.push(Foreign::Wake { data, by });
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

/// The slots' vtables.
///
/// An *outer* waker (vtable `OUTER[I]`) has the data pointer of an *inner* waker whose vtable
/// is `INNER[I]`, and owns a reference exactly when that inner waker would: each function
/// rebuilds the inner waker from the same two parts and calls it. `INNER[I]` is set once,
/// before the first outer waker of slot `I` is made, and never changes. [`lend`] makes an
/// outer waker that borrows the reference of the `&Waker` it was made from and is never
/// dropped (`ManuallyDrop`); `Context` only ever hands out `&Waker`, so it is never woken by
/// value either.
#[allow(unsafe_code)]
mod vtable {
    use std::mem::ManuallyDrop;
    use std::ptr;
    use std::sync::atomic::{AtomicPtr, Ordering};
    use std::task::{RawWaker, RawWakerVTable, Waker};

    use super::record_wake;

    const SLOTS: usize = 8;

    /// Each slot's inner vtable: null while the slot is free, then a `&'static RawWakerVTable`
    /// for good.
    static INNER: [AtomicPtr<RawWakerVTable>; SLOTS] = [const { AtomicPtr::new(ptr::null_mut()) }; SLOTS];

    static OUTER: [RawWakerVTable; SLOTS] = [
        outer::<0>(),
        outer::<1>(),
        outer::<2>(),
        outer::<3>(),
        outer::<4>(),
        outer::<5>(),
        outer::<6>(),
        outer::<7>(),
    ];

    const fn outer<const I: usize>() -> RawWakerVTable {
        RawWakerVTable::new(clone::<I>, wake::<I>, wake_by_ref::<I>, drop::<I>)
    }

    /// The slot that forwards to `vtable`, taking a free one if none does yet.
    #[inline]
    fn slot(vtable: &'static RawWakerVTable) -> Option<usize> {
        let wanted = ptr::from_ref(vtable).cast_mut();
        (0..SLOTS).find(|&i| {
            let inner = INNER[i].load(Ordering::Acquire);
            inner == wanted
                || inner.is_null()
                    && match INNER[i].compare_exchange(inner, wanted, Ordering::AcqRel, Ordering::Acquire) {
                        Ok(_) => true,
                        Err(taken) => taken == wanted,
                    }
        })
    }

    /// Slot `I`'s inner vtable, once set.
    fn inner_vtable<const I: usize>() -> Option<&'static RawWakerVTable> {
        // SAFETY: a slot holds null or a pointer made from a `&'static RawWakerVTable`.
        unsafe { INNER[I].load(Ordering::Acquire).as_ref() }
    }

    pub(super) fn lend(waker: &Waker) -> Option<ManuallyDrop<Waker>> {
        let slot = slot(waker.vtable())?;
        let raw = RawWaker::new(waker.data(), &OUTER[slot]);
        // SAFETY: `INNER[slot]` is `waker`'s vtable, so `OUTER[slot]`'s functions rebuild
        // `waker` itself from the data pointer. The result borrows `waker`'s reference: it is
        // never dropped (`ManuallyDrop`), and the caller drops it before `waker`.
        Some(ManuallyDrop::new(unsafe { Waker::from_raw(raw) }))
    }

    /// The inner waker of an outer waker of slot `I` with data `data`.
    ///
    /// # Safety
    /// `data` must come from an outer waker of slot `I`, and the result owns (when dropped)
    /// the reference that waker owned.
    unsafe fn inner<const I: usize>(data: *const ()) -> Waker {
        // An outer waker of slot `I` exists, so `INNER[I]` was set first.
        let vtable = inner_vtable::<I>().expect("a slot's vtable is set before its first waker");
        // SAFETY: `data` came from a waker with this vtable (see the module docs).
        unsafe { Waker::from_raw(RawWaker::new(data, vtable)) }
    }

    unsafe fn clone<const I: usize>(data: *const ()) -> RawWaker {
        // SAFETY: borrowed, never dropped: the outer waker being cloned keeps its reference.
        let inner = ManuallyDrop::new(unsafe { inner::<I>(data) });
        // The clone owns a new reference, handed on to the new outer waker (or, should tokio's
        // clone come back with another vtable, handed on as it is).
        let copy = ManuallyDrop::new(Waker::clone(&inner));
        match inner_vtable::<I>() {
            Some(vtable) if ptr::eq(vtable, copy.vtable()) => RawWaker::new(copy.data(), &OUTER[I]),
            _ => RawWaker::new(copy.data(), copy.vtable()),
        }
    }

    unsafe fn wake<const I: usize>(data: *const ()) {
        let delivered = record_wake(data as usize);
        // SAFETY: this outer waker owns a reference; the inner waker takes it over.
        unsafe { inner::<I>(data) }.wake();
        delivered.announce();
    }

    unsafe fn wake_by_ref<const I: usize>(data: *const ()) {
        let delivered = record_wake(data as usize);
        // SAFETY: borrowed, never dropped.
        ManuallyDrop::new(unsafe { inner::<I>(data) }).wake_by_ref();
        delivered.announce();
    }

    unsafe fn drop<const I: usize>(data: *const ()) {
        // SAFETY: this outer waker owns a reference; the inner waker takes it over and
        // releases it.
        std::mem::drop(unsafe { inner::<I>(data) });
    }

    #[cfg(test)]
    mod tests {
        //! The forwarding, without a runtime: a waker of our own counts references and wakes
        //! (run under Miri too: `cargo +nightly miri test --lib waker`).

        use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
        use std::task::{RawWaker, RawWakerVTable, Waker};

        use super::super::traced;

        /// The inner side: one static waker whose references and wakes are counted.
        static REFS: AtomicIsize = AtomicIsize::new(1);
        static WAKES: AtomicUsize = AtomicUsize::new(0);
        static DATA: u8 = 0;
        static COUNTED: RawWakerVTable = RawWakerVTable::new(
            |data| {
                REFS.fetch_add(1, Ordering::SeqCst);
                RawWaker::new(data, &COUNTED)
            },
            |_| {
                WAKES.fetch_add(1, Ordering::SeqCst);
                REFS.fetch_sub(1, Ordering::SeqCst);
            },
            |_| {
                WAKES.fetch_add(1, Ordering::SeqCst);
            },
            |_| {
                REFS.fetch_sub(1, Ordering::SeqCst);
            },
        );

        #[test]
        fn a_traced_waker_is_the_inner_waker_seen_through_our_vtable() {
            let data = (&raw const DATA).cast::<()>();
            // SAFETY: `COUNTED`'s functions accept any data pointer.
            #[allow(unsafe_code)]
            let inner = unsafe { Waker::from_raw(RawWaker::new(data, &COUNTED)) };
            let lent = traced(&inner).expect("a free slot");
            assert_eq!(lent.data(), data, "the same data pointer");
            assert!(!std::ptr::eq(lent.vtable(), &COUNTED), "our vtable");
            lent.wake_by_ref();
            let first = (*lent).clone();
            let second = first.clone();
            assert_eq!(REFS.load(Ordering::SeqCst), 3, "the inner waker and two clones");
            assert!(first.will_wake(&second), "clones of one task's waker are alike");
            assert!(first.will_wake(&traced(&inner).unwrap()), "and alike across polls");
            second.wake();
            assert_eq!(REFS.load(Ordering::SeqCst), 2);
            drop(first);
            assert_eq!(REFS.load(Ordering::SeqCst), 1, "only the inner waker's own is left");
            assert_eq!(WAKES.load(Ordering::SeqCst), 2, "the inner waker saw both wakes");
            drop(inner);
            assert_eq!(REFS.load(Ordering::SeqCst), 0);
        }
    }
}
