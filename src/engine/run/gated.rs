//! [`Gated`]: a future polled only after its own waker fired.
//!
//! The runner's `block_on` future holds the program's `main` and the run's own machinery (the
//! stop signal, the clock driver, the live view's controller). tokio polls a `block_on` future
//! whenever anything in it is woken, but `#[tokio::main]` polls `main` only when `main` was
//! woken, and a spurious poll would show as a poll the program never had. Gating each part
//! keeps them apart, and keeps the machinery out of tokio's task list (a spawned helper task
//! would show in `RuntimeMetrics::num_alive_tasks`, which a demo may print).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use futures::task::AtomicWaker;

pin_project_lite::pin_project! {
    /// `future`, polled only when it was woken (and once at the start).
    pub(crate) struct Gated<F> {
        #[pin]
        future: F,
        gate: Arc<Gate>,
        waker: Waker,
    }
}

/// The waker `future` sees: it notes the wake, then wakes the outer future.
struct Gate {
    woken: AtomicBool,
    outer: AtomicWaker,
}

impl Wake for Gate {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.outer.wake();
    }
}

impl<F> Gated<F> {
    pub(crate) fn new(future: F) -> Self {
        let gate = Arc::new(Gate { woken: AtomicBool::new(true), outer: AtomicWaker::new() });
        Gated { future, waker: Waker::from(gate.clone()), gate }
    }
}

impl<F: Future> Future for Gated<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        this.gate.outer.register(cx.waker());
        if !this.gate.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        this.future.poll(&mut Context::from_waker(this.waker))
    }
}
