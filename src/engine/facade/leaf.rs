//! Leaf futures: tokio's own futures (a timer, a join handle, a lock…), wrapped so that when
//! one returns `Pending` inside a traced task, the trace learns what the task waits for.
//!
//! The source line comes for free: the wrappers' `poll` and constructors are
//! `#[track_caller]`, so `handle.await` reports the line of its `.await`, and `sleep(d)` the
//! line where the sleep was made. The recorder keeps the first of them that lies in the
//! program's own file.

use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::super::event::Await;
use super::super::record::{self, Recorder, Ticket};

/// A leaf future's standing with the recorder: the entry it made when it returned `Pending`,
/// withdrawn if the future is dropped during the same poll (the task no longer waits on it).
#[derive(Debug, Default)]
pub(crate) struct Registration(Option<Ticket>);

impl Registration {
    /// The future returned `Pending`: `what` says what it is, `polled_at` where it was awaited
    /// and `made_at` where it was made.
    #[inline]
    pub(crate) fn pending(
        &mut self,
        what: impl FnOnce(&Recorder) -> Await,
        polled_at: &'static Location<'static>,
        made_at: Option<&'static Location<'static>>,
    ) {
        let earlier = self.0.take();
        self.0 = record::try_with(|rec| {
            // Polled again in the same poll (inside `timeout`, then on its own): one entry.
            if let Some(earlier) = earlier {
                rec.withdraw(earlier);
            }
            let what = what(rec);
            rec.leaf(what, polled_at, made_at)
        })
        .flatten();
    }

    /// The future is ready: nothing to withdraw when it is dropped.
    #[inline]
    pub(crate) fn ready(&mut self) {
        self.0 = None;
    }

    /// Records the outcome of a poll.
    #[inline]
    pub(crate) fn polled<T>(
        &mut self,
        polled: &Poll<T>,
        what: impl FnOnce(&Recorder) -> Await,
        polled_at: &'static Location<'static>,
        made_at: Option<&'static Location<'static>>,
    ) {
        if polled.is_pending() {
            self.pending(what, polled_at, made_at);
        } else {
            self.ready();
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(ticket) = self.0.take() {
            record::try_with(|rec| rec.withdraw(ticket));
        }
    }
}

/// Tells the recorder where a combinator of many futures (`join_all`) was awaited: the line a
/// task waiting in it waits at, unless one of the futures it polled gave one.
#[inline]
pub(crate) fn awaited_at(at: &'static Location<'static>) {
    record::try_with(|rec| rec.awaited_at(at));
}

pin_project_lite::pin_project! {
    /// A future of tokio's that waits for `what`.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct Leaf<F> {
        #[pin]
        inner: F,
        what: Await,
        made_at: &'static Location<'static>,
        registration: Registration,
    }
}

impl<F> Leaf<F> {
    #[track_caller]
    pub(crate) fn new(what: Await, inner: F) -> Self {
        Leaf { inner, what, made_at: Location::caller(), registration: Registration::default() }
    }
}

impl<F: Future> Future for Leaf<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let polled = this.inner.poll(cx);
        this.registration.polled(&polled, |_| this.what.clone(), Location::caller(), Some(this.made_at));
        polled
    }
}
