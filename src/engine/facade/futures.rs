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
        /// A combinator of the futures crate over many futures: a task waiting in it is shown
        /// at the line of its `.await` (the futures it polls say what the task waits for).
        #[must_use = "futures do nothing unless you `.await` or poll them"]
        pub struct Awaited<F> {
            #[pin]
            inner: F,
        }
    }

    impl<F: Future> Future for Awaited<F> {
        type Output = F::Output;

        #[track_caller]
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            let polled = self.project().inner.poll(cx);
            if polled.is_pending() {
                awaited_at(Location::caller());
            }
            polled
        }
    }

    /// [`join_all`]'s future.
    pub type JoinAll<F> = Awaited<::futures::future::JoinAll<F>>;
    /// [`try_join_all`]'s future.
    pub type TryJoinAll<F> = Awaited<::futures::future::TryJoinAll<F>>;
    /// [`select_all`]'s future.
    pub type SelectAll<F> = Awaited<::futures::future::SelectAll<F>>;

    /// Waits for all of `futures` and gives their outputs in the same order: Python's
    /// `asyncio.gather`.
    pub fn join_all<I>(futures: I) -> JoinAll<I::Item>
    where
        I: IntoIterator,
        I::Item: Future,
    {
        Awaited { inner: ::futures::future::join_all(futures) }
    }

    /// Like [`join_all`] for futures that give a `Result`: stops at the first `Err`.
    pub fn try_join_all<I>(futures: I) -> TryJoinAll<I::Item>
    where
        I: IntoIterator,
        I::Item: TryFuture,
    {
        Awaited { inner: ::futures::future::try_join_all(futures) }
    }

    /// Waits for the first of `futures` to finish; gives its output, its index and the rest.
    pub fn select_all<I>(futures: I) -> SelectAll<I::Item>
    where
        I: IntoIterator,
        I::Item: Future + Unpin,
    {
        Awaited { inner: ::futures::future::select_all(futures) }
    }
}
