//! The `futures` a demo sees: the futures crate, with `join_all`, `try_join_all` and
//! `select_all` wrapped so that a task waiting in one of them is shown at the line of its
//! `.await` (the futures they poll report what the task waits for).

pub use ::futures::*;

/// `futures::future`, with the three combinators over many futures traced.
pub mod future {
    use ::std::panic::Location;
    use ::std::pin::Pin;
    use ::std::task::{Context, Poll};

    pub use ::futures::future::*;

    use super::super::leaf::awaited_at;

    pin_project_lite::pin_project! {
        /// [`join_all`]'s future.
        #[must_use = "futures do nothing unless you `.await` or poll them"]
        pub struct JoinAll<F> where F: Future {
            #[pin]
            inner: ::futures::future::JoinAll<F>,
        }
    }

    /// Waits for all of `futures` and gives their outputs in the same order: Python's
    /// `asyncio.gather`.
    pub fn join_all<I>(futures: I) -> JoinAll<I::Item>
    where
        I: IntoIterator,
        I::Item: Future,
    {
        JoinAll { inner: ::futures::future::join_all(futures) }
    }

    impl<F: Future> Future for JoinAll<F> {
        type Output = Vec<F::Output>;

        #[track_caller]
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let polled = self.project().inner.poll(cx);
            if polled.is_pending() {
                awaited_at(Location::caller());
            }
            polled
        }
    }

    pin_project_lite::pin_project! {
        /// [`try_join_all`]'s future.
        #[must_use = "futures do nothing unless you `.await` or poll them"]
        pub struct TryJoinAll<F> where F: TryFuture {
            #[pin]
            inner: ::futures::future::TryJoinAll<F>,
        }
    }

    /// Like [`join_all`] for futures that give a `Result`: stops at the first `Err`.
    pub fn try_join_all<I>(futures: I) -> TryJoinAll<I::Item>
    where
        I: IntoIterator,
        I::Item: TryFuture,
    {
        TryJoinAll { inner: ::futures::future::try_join_all(futures) }
    }

    impl<F: TryFuture> Future for TryJoinAll<F> {
        type Output = Result<Vec<F::Ok>, F::Error>;

        #[track_caller]
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let polled = self.project().inner.poll(cx);
            if polled.is_pending() {
                awaited_at(Location::caller());
            }
            polled
        }
    }

    /// [`select_all`]'s future.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct SelectAll<F> {
        inner: ::futures::future::SelectAll<F>,
    }

    /// Waits for the first of `futures` to finish; gives its output, its index and the rest.
    pub fn select_all<I>(futures: I) -> SelectAll<I::Item>
    where
        I: IntoIterator,
        I::Item: Future + Unpin,
    {
        SelectAll { inner: ::futures::future::select_all(futures) }
    }

    impl<F: Future + Unpin> Future for SelectAll<F> {
        type Output = (F::Output, usize, Vec<F>);

        #[track_caller]
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let polled = Pin::new(&mut self.inner).poll(cx);
            if polled.is_pending() {
                awaited_at(Location::caller());
            }
            polled
        }
    }
}
