//! Waiting for tasks: [`TaskHandle`], [`join_all`] and [`JoinSet`].
//!
//! When a task finishes, tokio wakes whoever waits on its `JoinHandle`, after the task's last
//! poll. Every join here polls the handle through [`Tagged`] with the joined task as the cause,
//! so the trace says "woken: #5 finished" rather than "woken by the runtime".

use std::borrow::Cow;
use std::fmt::Debug;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::task::{JoinError, JoinHandle};

use super::api::Described;
use super::event::{Await, TaskId, WakeCause};
use super::recorder;
use super::tagged::Tagged;
use super::task::{DebugReport, Report, ResultReport, Traced};

/// A handle to a traced task: tokio's `JoinHandle` plus our task id.
///
/// Awaiting it (`handle.await`, or `(&mut handle).await` to keep it) waits for the task and
/// yields `Ok(value)`, or `Err(JoinError)` if the task panicked or was cancelled. Dropping the
/// handle does *not* cancel the task (unlike dropping a plain future).
#[derive(Debug)]
pub struct TaskHandle<T> {
    id: TaskId,
    inner: JoinHandle<T>,
}

impl<T> TaskHandle<T> {
    pub(crate) fn new(id: TaskId, inner: JoinHandle<T>) -> Self {
        TaskHandle { id, inner }
    }

    pub fn id(&self) -> TaskId {
        self.id
    }

    /// Cancels the task at its current await point: tokio's `abort`, Python's `task.cancel()`.
    pub fn abort(&self) {
        self.inner.abort();
    }

    /// Has the task finished (in any way)? Python's `task.done()`.
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }

    /// The name the task was given (`task.get_name()`).
    pub fn name(&self) -> Cow<'static, str> {
        recorder::with(|rec| rec.task(self.id).name.clone())
    }
}

impl<T> IntoFuture for TaskHandle<T> {
    type Output = Result<T, JoinError>;
    type IntoFuture = Described<Tagged<JoinHandle<T>>>;

    #[track_caller]
    fn into_future(self) -> Self::IntoFuture {
        Described::new(joined(self.id, self.inner), Await::Join { task: self.id }, recorder::caller())
    }
}

impl<'a, T> IntoFuture for &'a mut TaskHandle<T> {
    type Output = Result<T, JoinError>;
    type IntoFuture = Described<Tagged<&'a mut JoinHandle<T>>>;

    #[track_caller]
    fn into_future(self) -> Self::IntoFuture {
        Described::new(joined(self.id, &mut self.inner), Await::Join { task: self.id }, recorder::caller())
    }
}

/// A join handle polled so that the wake it causes is attributed to the joined task's end.
fn joined<H: Finished>(task: TaskId, handle: H) -> Tagged<H> {
    Tagged::with_ready_check(WakeCause::Finished(task), handle, H::finished)
}

/// A join handle, owned or borrowed, that can tell whether its task has finished.
trait Finished {
    fn finished(&self) -> bool;
}

impl<T> Finished for JoinHandle<T> {
    fn finished(&self) -> bool {
        self.is_finished()
    }
}

impl<T> Finished for &mut JoinHandle<T> {
    fn finished(&self) -> bool {
        self.is_finished()
    }
}

/// Waits for all the tasks and returns their results in the order of `handles`, whatever order
/// they finish in: `futures::future::join_all` over join handles, Python's `asyncio.gather`.
#[track_caller]
pub fn join_all<T>(
    handles: Vec<TaskHandle<T>>,
) -> Described<futures::future::JoinAll<Tagged<JoinHandle<T>>>> {
    let what = Await::from(format!("join_all({})", id_list(handles.iter().map(|h| h.id))));
    let line = recorder::caller();
    Described::new(futures::future::join_all(handles.into_iter().map(|h| joined(h.id, h.inner))), what, line)
}

/// `#2, #3, #4` or, for a run of consecutive ids, `#2…#11`.
fn id_list(ids: impl Iterator<Item = TaskId>) -> String {
    let ids: Vec<TaskId> = ids.collect();
    let consecutive = ids.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    match ids.as_slice() {
        [first, .., last] if consecutive && ids.len() > 2 => format!("{first}…{last}"),
        _ => ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", "),
    }
}

/// A set of traced tasks, joined in the order they finish: tokio's `JoinSet`. Dropping the set
/// cancels the tasks still in it, as tokio's does.
pub struct JoinSet<T> {
    tasks: FuturesUnordered<Member<T>>,
}

/// One task of a [`JoinSet`]: yields its id with its result.
pub struct Member<T>(TaskId, Tagged<JoinHandle<T>>);

impl<T> Future for Member<T> {
    type Output = (TaskId, Result<T, JoinError>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let task = self.0;
        Pin::new(&mut self.1).poll(cx).map(|result| (task, result))
    }
}

impl<T: Debug + Send + 'static> Default for JoinSet<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + 'static> JoinSet<T> {
    fn spawn_reported<F, R>(&mut self, name: Cow<'static, str>, future: F) -> TaskId
    where
        F: Future<Output = T> + Send + 'static,
        R: Report<T> + 'static,
    {
        let (id, handle) = recorder::with(|rec| {
            let (id, header) = rec.new_task(name);
            let handle = tokio::spawn(Traced::<F, R>::new(header, future));
            rec.keep_abort_handle(&handle);
            (id, handle)
        });
        self.tasks.push(Member(id, joined(id, handle)));
        id
    }
}

impl<V: Debug + Send + 'static, E: std::fmt::Display + Send + 'static> JoinSet<Result<V, E>> {
    /// Spawns a traced task that returns a `Result` into the set: an `Err` makes it Failed (see
    /// [`super::api::spawn_fallible`]).
    pub fn spawn_fallible<F>(&mut self, name: impl Into<Cow<'static, str>>, future: F) -> TaskId
    where
        F: Future<Output = Result<V, E>> + Send + 'static,
    {
        self.spawn_reported::<F, ResultReport>(name.into(), future)
    }
}

impl<T: Debug + Send + 'static> JoinSet<T> {
    pub fn new() -> Self {
        JoinSet { tasks: FuturesUnordered::new() }
    }

    /// Spawns a named, traced task into the set.
    pub fn spawn<F>(&mut self, name: impl Into<Cow<'static, str>>, future: F) -> TaskId
    where
        F: Future<Output = T> + Send + 'static,
    {
        self.spawn_reported::<F, DebugReport>(name.into(), future)
    }

    /// Waits for the next task to finish; `None` when the set is empty.
    #[track_caller]
    pub fn join_next(&mut self) -> Described<futures::stream::Next<'_, FuturesUnordered<Member<T>>>> {
        let what = Await::from(format!("join_next of {} tasks", self.tasks.len()));
        Described::new(self.tasks.next(), what, recorder::caller())
    }

    /// Cancels every task in the set and waits until they have all ended: tokio's
    /// `JoinSet::shutdown`.
    #[track_caller]
    pub fn shutdown(&mut self) -> Described<impl Future<Output = ()> + '_> {
        self.abort_all();
        let what = Await::from(format!("shutdown of {} tasks", self.tasks.len()));
        let line = recorder::caller();
        let tasks = &mut self.tasks;
        Described::new(async move { while tasks.next().await.is_some() {} }, what, line)
    }

    /// Cancels every task in the set.
    pub fn abort_all(&mut self) {
        for task in self.tasks.iter_mut() {
            task.1.inner.abort();
        }
    }

    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }
}

impl<T> Drop for JoinSet<T> {
    fn drop(&mut self) {
        for task in self.tasks.iter_mut() {
            task.1.inner.abort();
        }
    }
}
