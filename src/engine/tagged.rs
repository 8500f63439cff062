//! Wake attribution: futures polled with a waker that says why it fires.
//!
//! Some wakes happen outside every task: tokio wakes a joiner after the joined task's last poll,
//! and fires timers from its driver. By themselves those wakes could only be recorded as "woken
//! by the runtime". [`Tagged`] polls a future with a waker that, when called, records its
//! [`WakeCause`] ("#5 finished", "timer") and then wakes the real waker. Tags travel through
//! combinators in between (`join_all`, `FuturesUnordered`, `timeout`) because their wakers call
//! ours synchronously; when tags nest, the innermost one, closest to the cause, wins.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::event::WakeCause;
use super::recorder;

pin_project_lite::pin_project! {
    /// A future polled with a waker tagged with `cause`.
    #[derive(Debug)]
    pub struct Tagged<F> {
        cause: WakeCause,
        #[pin]
        pub(crate) inner: F,
        waker: Option<Arc<TaggedWaker>>,
        // Says the inner future is certainly ready: then it is polled with the plain waker,
        // which it will not keep, and no tagged waker is made (most joins find their task
        // already finished).
        ready: fn(&F) -> bool,
    }
}

impl<F> Tagged<F> {
    pub(crate) fn new(cause: WakeCause, inner: F) -> Self {
        Tagged { cause, inner, waker: None, ready: |_| false }
    }

    /// Like [`Tagged::new`], with a cheap check for "certainly ready".
    pub(crate) fn with_ready_check(cause: WakeCause, inner: F, ready: fn(&F) -> bool) -> Self {
        Tagged { cause, inner, waker: None, ready }
    }
}

impl<F: Future> Future for Tagged<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if (this.ready)(&this.inner) {
            return this.inner.poll(cx);
        }
        let tagged = match this.waker {
            Some(waker) if waker.inner.will_wake(cx.waker()) => waker.clone(),
            _ => {
                let waker = Arc::new(TaggedWaker { inner: cx.waker().clone(), cause: *this.cause });
                *this.waker = Some(waker.clone());
                waker
            }
        };
        this.inner.poll(&mut Context::from_waker(&Waker::from(tagged)))
    }
}

#[derive(Debug)]
struct TaggedWaker {
    inner: Waker,
    cause: WakeCause,
}

impl Wake for TaggedWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        recorder::with_wake_cause(self.cause, || self.inner.wake_by_ref());
    }
}
