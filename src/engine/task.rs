//! The traced task: a wrapper around each spawned future that records its lifecycle.
//!
//! tokio (without `--cfg tokio_unstable`) tells nobody when a task is polled or woken, so every
//! task the engine spawns is wrapped in [`Traced`]:
//!
//! - each `poll` records `Running`, then `Suspended` (with what the task awaits), `Done` or
//!   `Failed` (a panic is caught, recorded, and resumed so tokio still reports it);
//! - the waker handed to the inner future is our own (see [`super::waker`]): waking it records
//!   `Scheduled` and then wakes tokio's real waker;
//! - dropping the wrapper before it finished records `Cancelled` (that is what `abort()` and a
//!   runtime shutdown do to a task).
//!
//! The wrapper adds a single pointer to the future: tokio stores each task in a cache-aligned
//! cell, and a bigger wrapper would make every cell, and so every task, bigger.

use std::any::Any;
use std::fmt::{Debug, Display};
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use super::blocking;
use super::event::{EventKind, Text, Value};
use super::panic_guard;
use super::recorder;
use super::waker::{CANCELLING, FINISHED, HeaderRef, RUNNING, SCHEDULED, SUSPENDED};

/// How a finished task's output is reported: `Ok(value)` for Done, `Err(text)` for Failed.
pub(crate) trait Report<T> {
    fn report(value: &T) -> Result<Value, Text>;
}

/// Any value is Done, shown with `{:?}`.
pub(crate) struct DebugReport;

impl<T: Debug + 'static> Report<T> for DebugReport {
    fn report(value: &T) -> Result<Value, Text> {
        // Integers and `()` are the commonest results: they are kept as values, and formatted
        // only when shown (their Debug and Display forms are the same).
        let any = value as &dyn Any;
        let int = if let Some(&n) = any.downcast_ref::<u64>() {
            i64::try_from(n).ok()
        } else if let Some(&n) = any.downcast_ref::<usize>() {
            i64::try_from(n).ok()
        } else if let Some(&n) = any.downcast_ref::<i64>() {
            Some(n)
        } else if let Some(&n) = any.downcast_ref::<i32>() {
            Some(i64::from(n))
        } else if let Some(&n) = any.downcast_ref::<u32>() {
            Some(i64::from(n))
        } else {
            None
        };
        Ok(match int {
            Some(n) => Value::Int(n),
            None if any.is::<()>() => Value::Unit,
            None => Value::Debug(format!("{value:?}").into()),
        })
    }
}

/// `Ok(v)` is Done with `v`, `Err(e)` is Failed with `e`.
pub(crate) struct ResultReport;

impl<T: Debug + 'static, E: Display> Report<Result<T, E>> for ResultReport {
    fn report(value: &Result<T, E>) -> Result<Value, Text> {
        match value {
            Ok(v) => DebugReport::report(v),
            Err(e) => Err(format!("error: {e}").into()),
        }
    }
}

pin_project_lite::pin_project! {
    /// A spawned future plus the bookkeeping that records its lifecycle.
    pub(crate) struct Traced<F, R> {
        // Fields drop in declaration order: `future` first, then `guard`. So when a task is
        // cancelled, its cleanup (the `Drop` impls inside `future`) runs while the task is
        // marked current, and what the cleanup prints is attributed to it; `guard` then
        // records `Cancelled`.
        #[pin]
        future: F,
        guard: Guard,
        report: PhantomData<fn() -> R>,
    }

    impl<F, R> PinnedDrop for Traced<F, R> {
        fn drop(this: Pin<&mut Self>) {
            let header = &this.project().guard.0;
            if header.state.swap(CANCELLING, Ordering::AcqRel) != FINISHED {
                recorder::try_with(|rec| rec.enter_drop(header.id()));
                panic_guard::enter();
            } else {
                header.state.store(FINISHED, Ordering::Release);
            }
        }
    }
}

/// Dropped right after the wrapped future: finishes what `PinnedDrop` started.
struct Guard(HeaderRef);

impl Drop for Guard {
    fn drop(&mut self) {
        if self.0.state.swap(FINISHED, Ordering::AcqRel) == CANCELLING {
            panic_guard::leave();
            let id = self.0.id();
            recorder::try_with(|rec| rec.leave_drop_cancelled(id));
        }
    }
}

impl<F, R> Traced<F, R> {
    pub(crate) fn new(header: HeaderRef, future: F) -> Self {
        Traced { future, guard: Guard(header), report: PhantomData }
    }
}

impl<F: Future, R: Report<F::Output>> Future for Traced<F, R> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let header = &this.guard.0;
        let id = header.id();
        header.state.store(RUNNING, Ordering::Release);
        recorder::with(|rec| rec.begin_poll(id));

        // The inner future sees our waker (borrowed: no reference count change per poll).
        let waker = header.waker();
        let mut traced_cx = Context::from_waker(&waker);
        let future = this.future;
        panic_guard::enter();
        let polled = catch_unwind(AssertUnwindSafe(|| future.poll(&mut traced_cx)));
        panic_guard::leave();

        match polled {
            Ok(Poll::Pending) => {
                // tokio's waker is only needed once the task waits, so it is registered here
                // rather than at every poll start (a task that finishes in one poll never
                // needs it). A wake that came during the poll is passed on now.
                header.inner.register(cx.waker());
                let woke_itself = header
                    .state
                    .compare_exchange(RUNNING, SUSPENDED, Ordering::AcqRel, Ordering::Acquire)
                    .is_err();
                if woke_itself {
                    header.state.store(SCHEDULED, Ordering::Release);
                    cx.waker().wake_by_ref();
                }
                let jobs = recorder::with(|rec| rec.end_poll_pending(id, woke_itself));
                blocking::run(jobs);
                Poll::Pending
            }
            Ok(Poll::Ready(output)) => {
                header.state.store(FINISHED, Ordering::Release);
                let kind = match R::report(&output) {
                    Ok(result) => EventKind::Done { result },
                    Err(error) => EventKind::Failed { error },
                };
                let jobs = recorder::with(|rec| rec.end_poll_finished(id, kind));
                blocking::run(jobs);
                Poll::Ready(output)
            }
            Err(payload) => {
                header.state.store(FINISHED, Ordering::Release);
                let error = format!("panicked: {}", panic_message(&*payload)).into();
                let jobs = recorder::with(|rec| rec.end_poll_finished(id, EventKind::Failed { error }));
                blocking::run(jobs);
                resume_unwind(payload)
            }
        }
    }
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic with a non-text payload)".to_owned()
    }
}
