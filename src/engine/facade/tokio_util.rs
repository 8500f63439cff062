//! The `tokio_util` a demo sees: tokio-util, with `CancellationToken::cancelled` traced.

pub use ::tokio_util::*;

/// `tokio_util::sync`, with a traced `CancellationToken`.
pub mod sync {
    use ::std::future::Future;

    pub use ::tokio_util::sync::*;

    use super::super::super::event::Await;
    use super::super::leaf::Leaf;

    /// A cancellation request shared by many tasks: `cancel()` once, and every task waiting in
    /// `cancelled()` (or asking `is_cancelled()` later) sees it.
    #[derive(Clone, Debug, Default)]
    pub struct CancellationToken {
        inner: ::tokio_util::sync::CancellationToken,
    }

    impl CancellationToken {
        pub fn new() -> Self {
            Self::default()
        }

        /// A token cancelled with this one, that can also be cancelled alone.
        pub fn child_token(&self) -> Self {
            CancellationToken { inner: self.inner.child_token() }
        }

        pub fn cancel(&self) {
            self.inner.cancel();
        }

        pub fn is_cancelled(&self) -> bool {
            self.inner.is_cancelled()
        }

        /// Waits until the token is cancelled.
        #[track_caller]
        pub fn cancelled(&self) -> impl Future<Output = ()> + '_ {
            Leaf::new(Await::Cancelled, self.inner.cancelled())
        }

        /// Like [`CancellationToken::cancelled`], owning a clone of the token.
        #[track_caller]
        pub fn cancelled_owned(self) -> impl Future<Output = ()> {
            Leaf::new(Await::Cancelled, self.inner.cancelled_owned())
        }
    }
}
