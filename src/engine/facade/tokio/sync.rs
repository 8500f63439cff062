//! `tokio::sync`, traced: every method that waits is a leaf that tells the trace what the task
//! waits for (`lock`, `semaphore permit`, `recv`…). Guards, permits and errors are tokio's own.

use std::fmt::{self, Debug};
use std::future::Future;
use std::sync::Arc;

pub use ::tokio::sync::*;

use super::super::super::event::Await;
use super::super::leaf::{Leaf, Site};

/// An async mutex: tokio's `Mutex`, Python's `asyncio.Lock`. `lock().await` suspends the task
/// until the lock is free; the guard unlocks when dropped.
#[derive(Default)]
pub struct Mutex<T: ?Sized> {
    inner: ::tokio::sync::Mutex<T>,
}

impl<T> Mutex<T> {
    pub fn new(value: T) -> Self {
        Mutex { inner: ::tokio::sync::Mutex::new(value) }
    }

    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    #[track_caller]
    pub fn lock(&self) -> impl Future<Output = MutexGuard<'_, T>> {
        Leaf::new(Await::Lock, self.inner.lock())
    }

    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        self.inner.try_lock()
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.inner.get_mut()
    }
}

impl<T: ?Sized + Debug> Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// An async reader-writer lock: tokio's `RwLock`.
#[derive(Default)]
pub struct RwLock<T: ?Sized> {
    inner: ::tokio::sync::RwLock<T>,
}

impl<T> RwLock<T> {
    pub fn new(value: T) -> Self {
        RwLock { inner: ::tokio::sync::RwLock::new(value) }
    }

    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> RwLock<T> {
    #[track_caller]
    pub fn read(&self) -> impl Future<Output = RwLockReadGuard<'_, T>> {
        Leaf::new(Await::ReadLock, self.inner.read())
    }

    #[track_caller]
    pub fn write(&self) -> impl Future<Output = RwLockWriteGuard<'_, T>> {
        Leaf::new(Await::WriteLock, self.inner.write())
    }

    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        self.inner.try_read()
    }

    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        self.inner.try_write()
    }

    pub fn get_mut(&mut self) -> &mut T {
        self.inner.get_mut()
    }
}

impl<T: ?Sized + Debug> Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// A counting semaphore: tokio's `Semaphore`, Python's `asyncio.Semaphore`.
#[derive(Debug)]
pub struct Semaphore {
    // Shared, so that `acquire_owned` can hand out permits that own their semaphore.
    inner: Arc<::tokio::sync::Semaphore>,
}

impl Semaphore {
    pub const MAX_PERMITS: usize = ::tokio::sync::Semaphore::MAX_PERMITS;

    pub fn new(permits: usize) -> Self {
        Semaphore { inner: Arc::new(::tokio::sync::Semaphore::new(permits)) }
    }

    #[track_caller]
    pub fn acquire(&self) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> {
        Leaf::new(Await::Permit, self.inner.acquire())
    }

    #[track_caller]
    pub fn acquire_many(&self, n: u32) -> impl Future<Output = Result<SemaphorePermit<'_>, AcquireError>> {
        Leaf::new(Await::Permit, self.inner.acquire_many(n))
    }

    /// A permit that owns (a share of) the semaphore, to move into a task.
    #[track_caller]
    pub fn acquire_owned(
        self: Arc<Self>,
    ) -> impl Future<Output = Result<OwnedSemaphorePermit, AcquireError>> {
        Leaf::new(Await::Permit, self.inner.clone().acquire_owned())
    }

    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.inner.try_acquire()
    }

    pub fn available_permits(&self) -> usize {
        self.inner.available_permits()
    }

    pub fn add_permits(&self, n: usize) {
        self.inner.add_permits(n);
    }

    pub fn close(&self) {
        self.inner.close();
    }

    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }
}

/// Wakes waiting tasks: tokio's `Notify`, close to Python's `asyncio.Event` (without the
/// flag: see the event lesson).
#[derive(Debug, Default)]
pub struct Notify {
    inner: ::tokio::sync::Notify,
}

impl Notify {
    pub fn new() -> Self {
        Notify { inner: ::tokio::sync::Notify::new() }
    }

    /// Waits for a notification.
    #[track_caller]
    pub fn notified(&self) -> futures::Notified<'_> {
        futures::Notified::new(self.inner.notified(), Site::here())
    }

    pub fn notify_one(&self) {
        self.inner.notify_one();
    }

    pub fn notify_last(&self) {
        self.inner.notify_last();
    }

    pub fn notify_waiters(&self) {
        self.inner.notify_waiters();
    }
}

/// Lets `n` tasks wait for each other: tokio's `Barrier`, Python's `asyncio.Barrier`.
#[derive(Debug)]
pub struct Barrier {
    inner: ::tokio::sync::Barrier,
}

impl Barrier {
    pub fn new(n: usize) -> Self {
        Barrier { inner: ::tokio::sync::Barrier::new(n) }
    }

    #[track_caller]
    pub fn wait(&self) -> impl Future<Output = BarrierWaitResult> {
        Leaf::new(Await::Barrier, self.inner.wait())
    }
}

/// `tokio::sync::futures`: the futures `Notify` returns.
pub mod futures {
    use std::future::Future;
    use std::panic::Location;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub use ::tokio::sync::futures::*;

    use super::super::super::super::event::Await;
    use super::super::super::leaf::{Registration, Site};

    pin_project_lite::pin_project! {
        /// The future of [`Notify::notified`].
        #[must_use = "futures do nothing unless you `.await` or poll them"]
        #[derive(Debug)]
        pub struct Notified<'a> {
            #[pin]
            inner: ::tokio::sync::futures::Notified<'a>,
            made_at: Site,
            registration: Registration,
        }
    }

    impl<'a> Notified<'a> {
        pub(crate) fn new(inner: ::tokio::sync::futures::Notified<'a>, made_at: Site) -> Self {
            Notified { inner, made_at, registration: Registration::default() }
        }

        /// Registers for `notify_waiters` without waiting yet.
        pub fn enable(self: Pin<&mut Self>) -> bool {
            self.project().inner.enable()
        }
    }

    impl Future for Notified<'_> {
        type Output = ();

        #[track_caller]
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let this = self.project();
            let polled = this.inner.poll(cx);
            this.registration.polled(&polled, |_| Await::Notified, Location::caller(), Some(*this.made_at));
            polled
        }
    }
}

/// Multi-producer, single-consumer queues: Python's `asyncio.Queue` for one consumer.
pub mod mpsc {
    use std::fmt::{self, Debug};
    use std::future::Future;

    pub use ::tokio::sync::mpsc::*;

    use super::super::super::super::event::Await;
    use super::super::super::leaf::Leaf;

    /// A queue of `capacity` messages: `send` waits while it is full.
    pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = ::tokio::sync::mpsc::channel(capacity);
        (Sender { inner: tx }, Receiver { inner: rx })
    }

    /// A queue without a bound: `send` never waits.
    pub fn unbounded_channel<T>() -> (UnboundedSender<T>, UnboundedReceiver<T>) {
        let (tx, rx) = ::tokio::sync::mpsc::unbounded_channel();
        (UnboundedSender { inner: tx }, UnboundedReceiver { inner: rx })
    }

    pub struct Sender<T> {
        inner: ::tokio::sync::mpsc::Sender<T>,
    }

    impl<T> Clone for Sender<T> {
        fn clone(&self) -> Self {
            Sender { inner: self.inner.clone() }
        }
    }

    impl<T> Debug for Sender<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> Sender<T> {
        /// Sends `value`, waiting while the queue is full; `Err` if the receiver is gone.
        #[track_caller]
        pub fn send(&self, value: T) -> impl Future<Output = Result<(), error::SendError<T>>> + '_ {
            Leaf::new(Await::Send, self.inner.send(value))
        }

        pub fn try_send(&self, value: T) -> Result<(), error::TrySendError<T>> {
            self.inner.try_send(value)
        }

        /// Waits until the receiver is gone.
        #[track_caller]
        pub fn closed(&self) -> impl Future<Output = ()> + '_ {
            Leaf::new(Await::Recv, self.inner.closed())
        }

        pub fn is_closed(&self) -> bool {
            self.inner.is_closed()
        }

        pub fn capacity(&self) -> usize {
            self.inner.capacity()
        }

        pub fn max_capacity(&self) -> usize {
            self.inner.max_capacity()
        }
    }

    pub struct Receiver<T> {
        inner: ::tokio::sync::mpsc::Receiver<T>,
    }

    impl<T> Debug for Receiver<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> Receiver<T> {
        /// The next message, waiting for one; `None` once every sender is gone and the queue
        /// is empty.
        #[track_caller]
        pub fn recv(&mut self) -> impl Future<Output = Option<T>> + '_ {
            Leaf::new(Await::Recv, self.inner.recv())
        }

        /// Up to `limit` messages into `buffer`, waiting for at least one.
        #[track_caller]
        pub fn recv_many<'a>(
            &'a mut self,
            buffer: &'a mut Vec<T>,
            limit: usize,
        ) -> impl Future<Output = usize> + 'a {
            Leaf::new(Await::Recv, self.inner.recv_many(buffer, limit))
        }

        pub fn try_recv(&mut self) -> Result<T, error::TryRecvError> {
            self.inner.try_recv()
        }

        /// Refuses new messages; those already queued can still be received.
        pub fn close(&mut self) {
            self.inner.close();
        }

        pub fn len(&self) -> usize {
            self.inner.len()
        }

        pub fn is_empty(&self) -> bool {
            self.inner.is_empty()
        }
    }

    pub struct UnboundedSender<T> {
        inner: ::tokio::sync::mpsc::UnboundedSender<T>,
    }

    impl<T> Clone for UnboundedSender<T> {
        fn clone(&self) -> Self {
            UnboundedSender { inner: self.inner.clone() }
        }
    }

    impl<T> Debug for UnboundedSender<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> UnboundedSender<T> {
        pub fn send(&self, value: T) -> Result<(), error::SendError<T>> {
            self.inner.send(value)
        }

        pub fn is_closed(&self) -> bool {
            self.inner.is_closed()
        }
    }

    pub struct UnboundedReceiver<T> {
        inner: ::tokio::sync::mpsc::UnboundedReceiver<T>,
    }

    impl<T> Debug for UnboundedReceiver<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> UnboundedReceiver<T> {
        #[track_caller]
        pub fn recv(&mut self) -> impl Future<Output = Option<T>> + '_ {
            Leaf::new(Await::Recv, self.inner.recv())
        }

        pub fn try_recv(&mut self) -> Result<T, error::TryRecvError> {
            self.inner.try_recv()
        }

        pub fn close(&mut self) {
            self.inner.close();
        }

        pub fn len(&self) -> usize {
            self.inner.len()
        }

        pub fn is_empty(&self) -> bool {
            self.inner.is_empty()
        }
    }
}

/// A single value sent once: Python's `Future` set with `set_result`.
pub mod oneshot {
    use std::future::Future;
    use std::panic::Location;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub use ::tokio::sync::oneshot::*;

    use super::super::super::super::event::Await;
    use super::super::super::leaf::Registration;

    /// The sending half is tokio's own (sending never waits); the receiving half is a future.
    pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = ::tokio::sync::oneshot::channel();
        (tx, Receiver { inner: rx, registration: Registration::default() })
    }

    /// Awaiting it gives the value, or `RecvError` if the sender was dropped without sending.
    #[derive(Debug)]
    pub struct Receiver<T> {
        inner: ::tokio::sync::oneshot::Receiver<T>,
        registration: Registration,
    }

    impl<T> Receiver<T> {
        pub fn try_recv(&mut self) -> Result<T, error::TryRecvError> {
            self.inner.try_recv()
        }

        pub fn close(&mut self) {
            self.inner.close();
        }

        pub fn is_terminated(&self) -> bool {
            self.inner.is_terminated()
        }

        /// No value has been sent yet.
        pub fn is_empty(&self) -> bool {
            self.inner.is_empty()
        }
    }

    impl<T> Future for Receiver<T> {
        type Output = Result<T, error::RecvError>;

        #[track_caller]
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = &mut *self;
            let polled = Pin::new(&mut this.inner).poll(cx);
            this.registration.polled(&polled, |_| Await::Recv, Location::caller(), None);
            polled
        }
    }
}

/// One value that changes, watched by many: the latest value is what counts.
pub mod watch {
    use std::fmt::{self, Debug};
    use std::future::Future;

    pub use ::tokio::sync::watch::*;

    use super::super::super::super::event::Await;
    use super::super::super::leaf::Leaf;

    pub fn channel<T>(initial: T) -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = ::tokio::sync::watch::channel(initial);
        (Sender { inner: tx }, Receiver { inner: rx })
    }

    pub struct Sender<T> {
        inner: ::tokio::sync::watch::Sender<T>,
    }

    impl<T: Debug> Debug for Sender<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> Sender<T> {
        pub fn send(&self, value: T) -> Result<(), error::SendError<T>> {
            self.inner.send(value)
        }

        pub fn send_replace(&self, value: T) -> T {
            self.inner.send_replace(value)
        }

        pub fn send_modify(&self, modify: impl FnOnce(&mut T)) {
            self.inner.send_modify(modify);
        }

        pub fn borrow(&self) -> Ref<'_, T> {
            self.inner.borrow()
        }

        pub fn subscribe(&self) -> Receiver<T> {
            Receiver { inner: self.inner.subscribe() }
        }

        pub fn receiver_count(&self) -> usize {
            self.inner.receiver_count()
        }

        pub fn is_closed(&self) -> bool {
            self.inner.is_closed()
        }

        /// Waits until every receiver is gone.
        #[track_caller]
        pub fn closed(&self) -> impl Future<Output = ()> + '_ {
            Leaf::new(Await::Changed, self.inner.closed())
        }
    }

    pub struct Receiver<T> {
        inner: ::tokio::sync::watch::Receiver<T>,
    }

    impl<T> Clone for Receiver<T> {
        fn clone(&self) -> Self {
            Receiver { inner: self.inner.clone() }
        }
    }

    impl<T: Debug> Debug for Receiver<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> Receiver<T> {
        /// Waits for a value this receiver has not seen.
        #[track_caller]
        pub fn changed(&mut self) -> impl Future<Output = Result<(), error::RecvError>> + '_ {
            Leaf::new(Await::Changed, self.inner.changed())
        }

        /// Waits until the value satisfies `f`.
        #[track_caller]
        pub fn wait_for<'a>(
            &'a mut self,
            f: impl FnMut(&T) -> bool + 'a,
        ) -> impl Future<Output = Result<Ref<'a, T>, error::RecvError>> + 'a {
            Leaf::new(Await::Changed, self.inner.wait_for(f))
        }

        pub fn borrow(&self) -> Ref<'_, T> {
            self.inner.borrow()
        }

        pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
            self.inner.borrow_and_update()
        }

        pub fn has_changed(&self) -> Result<bool, error::RecvError> {
            self.inner.has_changed()
        }
    }
}

/// Every message to every receiver.
pub mod broadcast {
    use std::fmt::{self, Debug};
    use std::future::Future;

    pub use ::tokio::sync::broadcast::*;

    use super::super::super::super::event::Await;
    use super::super::super::leaf::Leaf;

    pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = ::tokio::sync::broadcast::channel(capacity);
        (Sender { inner: tx }, Receiver { inner: rx })
    }

    pub struct Sender<T> {
        inner: ::tokio::sync::broadcast::Sender<T>,
    }

    impl<T> Clone for Sender<T> {
        fn clone(&self) -> Self {
            Sender { inner: self.inner.clone() }
        }
    }

    impl<T> Debug for Sender<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T> Sender<T> {
        pub fn send(&self, value: T) -> Result<usize, error::SendError<T>> {
            self.inner.send(value)
        }

        pub fn subscribe(&self) -> Receiver<T> {
            Receiver { inner: self.inner.subscribe() }
        }

        pub fn receiver_count(&self) -> usize {
            self.inner.receiver_count()
        }
    }

    pub struct Receiver<T> {
        inner: ::tokio::sync::broadcast::Receiver<T>,
    }

    impl<T> Debug for Receiver<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.fmt(f)
        }
    }

    impl<T: Clone> Receiver<T> {
        #[track_caller]
        pub fn recv(&mut self) -> impl Future<Output = Result<T, error::RecvError>> + '_ {
            Leaf::new(Await::Recv, self.inner.recv())
        }

        pub fn try_recv(&mut self) -> Result<T, error::TryRecvError> {
            self.inner.try_recv()
        }

        pub fn resubscribe(&self) -> Self {
            Receiver { inner: self.inner.resubscribe() }
        }
    }
}
