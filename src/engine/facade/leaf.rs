//! Leaf futures: tokio's own futures (a timer, a join handle, a lock…), wrapped so that when
//! one returns `Pending` inside a traced task, the trace learns what the task waits for.
//!
//! The source line comes for free: the wrappers' `poll` and constructors are
//! `#[track_caller]`, so `handle.await` reports the line of its `.await`, and `sleep(d)` the
//! line where the sleep was made. The recorder keeps the first of them that lies in the
//! program's own file.

use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use super::super::event::Await;
use super::super::record::{self, Recorder, Ticket};

/// Where a leaf future was made, in four bytes (a pointer would take eight): an index into a
/// process-wide table of the places seen. A timer sits in every sleeping task of the scale
/// lesson, and tokio allocates a task in steps of 128 bytes: the four saved keep a traced
/// sleeper in the step a raw one takes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Site(u32);

/// Every place a leaf future was made, by index, and the index of each.
#[derive(Default)]
struct Sites {
    all: Vec<&'static Location<'static>>,
    index: HashMap<usize, u32>,
}

static SITES: Mutex<Option<Sites>> = Mutex::new(None);

thread_local! {
    /// The site this thread made or looked up last: a loop makes its futures at one place.
    static LAST: Cell<Option<(&'static Location<'static>, Site)>> = const { Cell::new(None) };
}

impl Site {
    /// The caller's place.
    #[track_caller]
    pub(crate) fn here() -> Site {
        let at = Location::caller();
        match LAST.get() {
            Some((last, site)) if std::ptr::eq(last, at) => site,
            _ => Site::intern(at),
        }
    }

    #[cold]
    fn intern(at: &'static Location<'static>) -> Site {
        let mut sites = SITES.lock().unwrap_or_else(|e| e.into_inner());
        let sites = sites.get_or_insert_with(Sites::default);
        let next = sites.all.len() as u32;
        let site = Site(*sites.index.entry(at as *const Location as usize).or_insert(next));
        if site.0 == next {
            sites.all.push(at);
        }
        LAST.set(Some((at, site)));
        site
    }

    /// The place itself.
    pub(crate) fn location(self) -> &'static Location<'static> {
        match LAST.get() {
            Some((last, site)) if site == self => last,
            _ => {
                let sites = SITES.lock().unwrap_or_else(|e| e.into_inner());
                sites.as_ref().expect("a site was interned before it is read").all[self.0 as usize]
            }
        }
    }
}

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
        made_at: Option<Site>,
    ) {
        let made_at = made_at.map(Site::location);
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
        made_at: Option<Site>,
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
        made_at: Site,
        registration: Registration,
    }
}

impl<F> Leaf<F> {
    #[track_caller]
    pub(crate) fn new(what: Await, inner: F) -> Self {
        Leaf { inner, what, made_at: Site::here(), registration: Registration::default() }
    }
}

impl<F: Future> Future for Leaf<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let polled = this.inner.poll(cx);
        this.registration.polled(&polled, |_| this.what.clone(), Location::caller(), Some(*this.made_at));
        polled
    }
}
