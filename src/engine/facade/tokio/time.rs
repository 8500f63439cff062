//! `tokio::time`, traced: `sleep`, `sleep_until`, `timeout`, `timeout_at`. `Instant`,
//! `Duration` and the rest are tokio's own.

use std::future::{Future, IntoFuture};
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use ::tokio::time::*;

use super::super::super::event::Await;
use super::super::leaf::{Registration, Site};

pin_project_lite::pin_project! {
    /// A timer: tokio's `Sleep`, Python's `asyncio.sleep(...)`.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    #[derive(Debug)]
    pub struct Sleep {
        #[pin]
        inner: ::tokio::time::Sleep,
        made_at: Site,
        registration: Registration,
    }
}

/// Waits until `duration` has passed: the task is Suspended on a timer, and the runtime runs
/// other tasks meanwhile.
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        inner: ::tokio::time::sleep(duration),
        made_at: Site::here(),
        registration: Registration::default(),
    }
}

/// Waits until `deadline`.
#[track_caller]
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        inner: ::tokio::time::sleep_until(deadline),
        made_at: Site::here(),
        registration: Registration::default(),
    }
}

impl Sleep {
    pub fn deadline(&self) -> Instant {
        self.inner.deadline()
    }

    pub fn is_elapsed(&self) -> bool {
        self.inner.is_elapsed()
    }

    /// Moves the deadline, whether or not the timer has fired.
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        self.project().inner.reset(deadline);
    }
}

impl Future for Sleep {
    type Output = ();

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        let deadline = this.inner.deadline();
        let polled = this.inner.poll(cx);
        this.registration.polled(
            &polled,
            |rec| Await::Sleep { until: rec.at(deadline) },
            Location::caller(),
            Some(*this.made_at),
        );
        polled
    }
}

pin_project_lite::pin_project! {
    /// A future with a deadline: tokio's `Timeout`, Python's `asyncio.wait_for`.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    #[derive(Debug)]
    pub struct Timeout<F> {
        #[pin]
        inner: ::tokio::time::Timeout<F>,
        deadline: Option<Instant>,
        made_at: Site,
        registration: Registration,
    }
}

/// Waits for `future` at most `duration`: `Ok(output)` in time, or `Err(Elapsed)`, and then
/// `future` is dropped (so cancelled at its await point; a task's handle only stops waiting:
/// the task runs on).
#[track_caller]
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    let made_at = Site::here();
    match Instant::now().checked_add(duration) {
        Some(deadline) => Timeout {
            inner: ::tokio::time::timeout_at(deadline, future),
            deadline: Some(deadline),
            made_at,
            registration: Registration::default(),
        },
        // Too far to represent: tokio waits forever.
        None => Timeout {
            inner: ::tokio::time::timeout(duration, future),
            deadline: None,
            made_at,
            registration: Registration::default(),
        },
    }
}

/// Waits for `future` until `deadline` (see [`timeout`]).
#[track_caller]
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Timeout<F::IntoFuture> {
    Timeout {
        inner: ::tokio::time::timeout_at(deadline, future),
        deadline: Some(deadline),
        made_at: Site::here(),
        registration: Registration::default(),
    }
}

impl<F> Timeout<F> {
    pub fn get_ref(&self) -> &F {
        self.inner.get_ref()
    }

    pub fn get_mut(&mut self) -> &mut F {
        self.inner.get_mut()
    }

    pub fn into_inner(self) -> F {
        self.inner.into_inner()
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, error::Elapsed>;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let polled = this.inner.poll(cx);
        match *this.deadline {
            Some(deadline) => this.registration.polled(
                &polled,
                |rec| Await::Timeout { until: rec.at(deadline) },
                Location::caller(),
                Some(*this.made_at),
            ),
            None => this.registration.ready(),
        }
        polled
    }
}
