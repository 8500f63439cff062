//! callbacks: functions called "when it is done", and why `async`/`await` replaced them.
//!
//! A callback is a function handed to someone else, who calls it later, when an operation ends.
//! asyncio is built on them: `loop.call_soon(f)` and `loop.call_later(delay, f)` run a function
//! on a later turn of the event loop, and `task.add_done_callback(f)` calls `f(task)` once a task
//! has finished, however it finished. Even `await task` is a done callback underneath: it wakes
//! the awaiting task.
//!
//! tokio's `JoinHandle` has no callbacks at all. This demo shows the idioms that replace them:
//!
//! - `call_soon` / `call_later`: a small task that (sleeps, then) calls the function;
//! - `add_done_callback`: a *watcher* task that awaits the handle, then calls the callback;
//! - several callbacks with `add` / `remove`: a list kept in a struct, run by the task itself
//!   when its future ends (and by a `Drop` guard if the task is cancelled);
//! - a chain of callbacks next to the same steps written with `.await`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{futures, tokio};
use futures::future::BoxFuture;
use tokio::sync::oneshot;
use tokio::task::{JoinError, JoinHandle};
use tokio::time::sleep;

/// Simulates a download: takes `seconds`, returns the file name.
async fn download(name: &'static str, seconds: Duration) -> String {
    sleep(seconds).await;
    format!("{name}.pdf")
}

// [region: outcome]
/// How a task ended, as a done callback sees it. Python passes the task object itself and the
/// callback asks it `cancelled()` and `result()`; here the callback gets the answer directly.
enum Outcome<'a, T> {
    /// The future returned this value (`task.result()`).
    Done(&'a T),
    /// The task was aborted (`task.cancelled()`).
    Cancelled,
    /// The task panicked (`task.exception()`).
    Panicked,
}

/// The callback from the notes: reports how the task ended, and in which task it runs itself.
///
/// Python's version takes one parameter, the task. A callback without it is accepted by
/// `add_done_callback` and fails with `TypeError` only when called. In Rust the parameters are
/// part of the callback's type: `add_done_callback(task, || ...)` does not compile.
fn on_done<T: std::fmt::Debug>(name: &str, outcome: &Outcome<'_, T>) {
    let outcome = match outcome {
        Outcome::Done(value) => format!("результат {value:?}"),
        Outcome::Cancelled => "отменена".to_owned(),
        Outcome::Panicked => "паника".to_owned(),
    };
    // Python calls done callbacks from the event loop itself: `current_task()` there is `None`.
    // Here a callback always runs inside *some* task (the trace shows which), and
    // `tokio::task::try_id()` says so.
    let in_task = tokio::task::try_id().is_some();
    println!("on_done: {name} — {outcome}; выполняется в задаче: {in_task}");
}

/// Python's `notify(who, task)` bound with `functools.partial(notify, "админ")`: in Rust, a
/// closure that captures its extra argument.
fn notify<T>(who: &'static str) -> impl FnOnce(&str, &Outcome<'_, T>) + Send + 'static {
    move |name, _| println!("notify({who}): задача {name} завершилась")
}
// [end: outcome]

// [region: call-later]
/// A callback as an event loop keeps it: any function of no arguments, boxed, so that callbacks
/// of different types fit in one queue (Python's loop keeps any callable, with its `*args`).
type Callback = Box<dyn FnOnce() + Send>;

/// `loop.call_later(delay, f)`: a task that sleeps, then calls `f`.
///
/// The event loop has a timer queue of plain functions; tokio has only tasks, so a delayed call
/// is a task of its own (you see it in the trace). Python's `call_later` returns a `TimerHandle`
/// whose `cancel()` drops the call; here the `JoinHandle`'s `abort()` does the same.
fn call_later(delay: Duration, f: Callback) -> JoinHandle<()> {
    tokio::spawn(async move {
        sleep(delay).await;
        f();
    })
}

/// `loop.call_soon(f)`: a task that calls `f` as soon as the runtime gets to it, that is, once
/// the task that scheduled it gives control back.
fn call_soon(f: Callback) -> JoinHandle<()> {
    tokio::spawn(async move { f() })
}
// [end: call-later]

// [region: watcher]
/// `task.add_done_callback(callback)` for one callback: a watcher task awaits the handle, then
/// calls the callback with how the task ended (and a name for it: tokio tasks have none).
///
/// Like Python's done callback, it runs after the task has finished, and not inside it. The
/// watcher then hands the outcome on: whoever awaits the watcher gets the task's result, after
/// the callback has run. (Written for the demo's downloads, which return a `String`; a library
/// would make it generic over the task's output.)
fn add_done_callback(
    name: &'static str,
    task: JoinHandle<String>,
    callback: fn(&str, &Outcome<'_, String>),
) -> JoinHandle<Result<String, JoinError>> {
    tokio::spawn(async move {
        let outcome = task.await;
        let seen = match &outcome {
            Ok(value) => Outcome::Done(value),
            Err(error) if error.is_cancelled() => Outcome::Cancelled,
            Err(_) => Outcome::Panicked,
        };
        callback(name, &seen);
        outcome
    })
}
// [end: watcher]

// [region: callback-list]
/// A done callback: called once, with the task's name and how it ended.
type DoneCallback<T> = Box<dyn FnOnce(&str, &Outcome<'_, T>) + Send>;

/// What `add` returns and `remove` takes. Rust closures cannot be compared (Python's
/// `remove_done_callback` compares with `==`), so a registration hands back a key.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct CallbackKey(u32);

/// The done callbacks of one task: the part of `asyncio.Task` that a `JoinHandle` lacks.
///
/// Shared (`Arc<Mutex<…>>`) between whoever adds and removes callbacks and the task that runs
/// them. A plain `std` mutex is right here: it is never held across an `.await`.
struct DoneCallbacks<T> {
    shared: Arc<Mutex<CallbackList<T>>>,
}

struct CallbackList<T> {
    next_key: u32,
    callbacks: Vec<(CallbackKey, DoneCallback<T>)>,
}

impl<T> DoneCallbacks<T> {
    fn new() -> Self {
        DoneCallbacks { shared: Arc::new(Mutex::new(CallbackList { next_key: 0, callbacks: Vec::new() })) }
    }

    /// `task.add_done_callback(callback)`: callbacks run in the order they were added.
    fn add(&self, callback: impl FnOnce(&str, &Outcome<'_, T>) + Send + 'static) -> CallbackKey {
        let mut list = self.shared.lock().expect("no callback panics while the list is locked");
        list.next_key += 1;
        let key = CallbackKey(list.next_key);
        list.callbacks.push((key, Box::new(callback)));
        key
    }

    /// `task.remove_done_callback(callback)`: `true` if the callback was still registered
    /// (Python returns how many it removed).
    fn remove(&self, key: CallbackKey) -> bool {
        let mut list = self.shared.lock().expect("no callback panics while the list is locked");
        let before = list.callbacks.len();
        list.callbacks.retain(|(k, _)| *k != key);
        list.callbacks.len() < before
    }

    /// Calls every callback, in order. The list is taken out of the mutex first: a callback may
    /// add another one, and it must not find the lock held.
    fn fire(&self, name: &str, outcome: &Outcome<'_, T>) {
        let callbacks = std::mem::take(
            &mut self.shared.lock().expect("no callback panics while the list is locked").callbacks,
        );
        for (_, callback) in callbacks {
            callback(name, outcome);
        }
    }
}

/// Runs the callbacks with `Cancelled` if the task's future is dropped before it finishes.
///
/// An aborted task runs none of its code after the `.await` it was suspended on; only `Drop`
/// impls run. So "call back on cancel too" has to live in a guard.
struct FireOnCancel<T> {
    name: String,
    callbacks: Option<DoneCallbacks<T>>,
}

impl<T> Drop for FireOnCancel<T> {
    fn drop(&mut self) {
        if let Some(callbacks) = self.callbacks.take() {
            callbacks.fire(&self.name, &Outcome::Cancelled);
        }
    }
}

/// Spawns `future` as a task that runs its done callbacks itself, when the future ends or when
/// the task is cancelled. Unlike Python's, the callbacks run *inside* the task, just before it
/// is Done: the wrapping idiom. (The future comes boxed, `BoxFuture`, so that one function
/// takes any future that gives a `String`.)
fn spawn_with_callbacks(
    name: &str,
    future: BoxFuture<'static, String>,
) -> (JoinHandle<String>, DoneCallbacks<String>) {
    let callbacks = DoneCallbacks::new();
    let mut guard = FireOnCancel {
        name: name.to_owned(),
        callbacks: Some(DoneCallbacks { shared: callbacks.shared.clone() }),
    };
    let handle = tokio::spawn(async move {
        let value = future.await;
        if let Some(callbacks) = guard.callbacks.take() {
            callbacks.fire(&guard.name, &Outcome::Done(&value));
        }
        value
    });
    (handle, callbacks)
}
// [end: callback-list]

pub async fn main() {
    // [region: call-soon]
    // `loop.call_later(0.5, print, ...)` and `loop.call_soon(print, ...)`. Neither runs now: both
    // run once `main` gives control back, at the `sleep` below. Their handles are dropped at
    // once, which cancels nothing (keep one to `abort()` the call, like `TimerHandle.cancel()`).
    call_later(Duration::from_millis(500), Box::new(|| println!("call_later: прошло 0,5 с")));
    call_soon(Box::new(|| println!("call_soon: следующий оборот среды выполнения")));
    println!("main: два обратных вызова запланированы");
    sleep(Duration::from_secs(1)).await;
    // [end: call-soon]

    // [region: done-callback]
    // `task = create_task(download(...)); task.add_done_callback(on_done)`. The watcher takes
    // the handle; we await the watcher instead, and it passes the task's result on.
    let task = tokio::spawn(download("отчёт", Duration::from_secs(1)));
    let watcher = add_done_callback("download", task, on_done);
    match watcher.await {
        Ok(Ok(file)) => println!("main: await watcher → {file:?}, callback уже отработал"),
        Ok(Err(_)) => println!("main: download не вернула результат"),
        Err(_) => println!("main: watcher отменён, callback мог не выполниться"),
    }
    // [end: done-callback]

    // [region: several]
    // Several callbacks, called in the order they were added; one is removed by its key.
    // Python's trap, a new `partial` that removes nothing because it is not `==` to the one
    // added, cannot happen here: closures cannot be compared at all, so removal goes by key.
    let (invoice, callbacks) =
        spawn_with_callbacks("invoice", Box::pin(download("счёт", Duration::from_millis(500))));
    callbacks.add(on_done);
    callbacks.add(notify("админ"));
    let accountant = callbacks.add(notify("бухгалтер"));
    println!("remove(бухгалтер) → {}", callbacks.remove(accountant));
    println!("remove(бухгалтер) ещё раз → {}", callbacks.remove(accountant));
    if invoice.await.is_err() {
        println!("main: invoice отменена");
    }
    // [end: several]

    // [region: cancelled]
    // A cancelled task calls its callbacks too: here from the guard's `Drop`, as the cancelled
    // task, when the runtime drops its future.
    let (archive, callbacks) =
        spawn_with_callbacks("archive", Box::pin(download("архив", Duration::from_secs(10))));
    callbacks.add(on_done);
    sleep(Duration::from_millis(100)).await;
    archive.abort();
    match archive.await {
        Err(error) if error.is_cancelled() => println!("main: archive отменена"),
        Err(_) => println!("main: archive упала"),
        Ok(file) => println!("main: archive успела: {file:?}"),
    }
    // [end: cancelled]

    // [region: chain]
    // A chain of callbacks: each step takes the function to call with its result. The end of
    // the chain has to be signalled by hand: a oneshot channel is `loop.create_future()` with
    // `set_result` (the sender) and `await` (the receiver).
    let (finished, chain_done) = oneshot::channel::<()>();
    fetch_user(move |user| {
        fetch_orders(user, move |user, orders| {
            println!("цепочка callback-ов: {user}: {orders:?}");
            let _ = finished.send(());
        });
    });
    // If a step in the middle is cancelled, the sender is dropped and the receiver says so:
    // a callback chain loses its errors unless each step passes them on by hand.
    if chain_done.await.is_err() {
        println!("цепочка callback-ов оборвалась");
    }

    // The same two steps with `.await`: the code reads top to bottom, the result of one step is
    // an ordinary variable, and an error would be an ordinary `?`. No new tasks either: the
    // steps run inside `main`.
    let user = get_user().await;
    let orders = get_orders(&user).await;
    println!("async/await: {user}: {orders:?}");
    // [end: chain]
}

/// Callback style: "get the user, then call `on_ready` with it".
fn fetch_user(on_ready: impl FnOnce(String) + Send + 'static) {
    call_later(Duration::from_millis(100), Box::new(move || on_ready("anna".to_owned())));
}

/// Callback style: "get the user's orders, then call `on_ready` with them".
fn fetch_orders(user: String, on_ready: impl FnOnce(String, Vec<String>) + Send + 'static) {
    call_later(
        Duration::from_millis(100),
        Box::new(move || {
            let orders = vec![format!("{user}-1"), format!("{user}-2")];
            on_ready(user, orders);
        }),
    );
}

async fn get_user() -> String {
    sleep(Duration::from_millis(100)).await;
    "anna".to_owned()
}

async fn get_orders(user: &str) -> Vec<String> {
    sleep(Duration::from_millis(100)).await;
    vec![format!("{user}-1"), format!("{user}-2")]
}
