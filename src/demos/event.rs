//! event: one task signals, the waiting tasks go on.
//!
//! Python's `asyncio.Event` is a flag with a queue of waiters: `wait()` suspends until the flag
//! is set, `set()` sets it and releases every waiter at once, `clear()` unsets it, `is_set()`
//! reads it. While the flag is set, `wait()` returns at once. tokio has no `Event`, but two
//! pieces to make one from:
//!
//! - `tokio::sync::Notify`: a wake-up with no flag. `notify_waiters()` wakes every task waiting
//!   *right now* and remembers nothing; `notify_one()` wakes one waiter, or, if nobody waits,
//!   stores a single permit for the next one. A flag plus a `Notify` is an `Event`, as long as
//!   the waiter avoids the classic pitfall, the missed notification: it must call `notified()`
//!   *before* it checks the flag;
//! - `tokio::sync::watch`: a channel that keeps one current value; receivers wait until the
//!   value passes a check (`wait_for`). It is "a flag with a value" that stays set: waiting for
//!   the configuration rather than for a signal that it is loaded.
//!
//! (Why the demo's `Event` is not a `watch::channel(false)`: when several receivers wait at
//! once, `watch` wakes them in an order tokio picks at random, and the demo must print the same
//! transcript on every run. With one receiver waiting, as below, the order does not arise.)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;
use tokio::sync::futures::Notified;
use tokio::sync::{Notify, watch};
use tokio::task::JoinError;
use tokio::time::{sleep, timeout};

// [region: event]
/// Python's `asyncio.Event`: a flag, and a `Notify` to wake those waiting for it.
#[derive(Default)]
struct Event {
    flag: AtomicBool,
    notify: Notify,
}

impl Event {
    /// `event.set()`: set the flag, then wake everybody waiting now. It is not async and does
    /// not suspend: the waiters are scheduled, and run when this task next gives control back
    /// to the runtime.
    fn set(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// `event.clear()`.
    fn clear(&self) {
        self.flag.store(false, Ordering::SeqCst);
    }

    /// `event.is_set()`.
    fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// `await event.wait()`: returns at once while the flag is set.
    async fn wait(&self) {
        // The order matters. `notified()` first: a `Notified` future receives
        // `notify_waiters()` from the moment it is created, even before it is polled. Then the
        // flag: if it is set, no need to wait. Checking first and calling `notified()` after
        // would leave a gap where a `set()` is missed (the last part of the demo shows it).
        let notified = self.notify.notified();
        if self.is_set() {
            return;
        }
        notified.await;
    }
}
// [end: event]

// [region: waiter]
async fn waiter(name: String, event: Arc<Event>) {
    println!("{name}: жду событие");
    event.wait().await;
    println!("{name}: дождалась");
}
// [end: waiter]

// [region: listener]
/// Waits for one `Notify` wake-up.
async fn listener(name: String, notify: Arc<Notify>) {
    // `notified()` makes a future; awaiting it suspends the task until `notify_one()` picks it
    // or `notify_waiters()` wakes everybody waiting.
    notify.notified().await;
    println!("{name}: получила сигнал");
}
// [end: listener]

// [region: wrong_right]
/// Wrong: checks the flag, and only later starts listening. A `set()` in between is missed.
/// Here the gap is an `.await` (writing to a log); on a multi-thread runtime, where `set()` can
/// run on another thread, even the few instructions between the check and `notified()` are a
/// gap.
async fn wait_wrong(name: &'static str, event: Arc<Event>) {
    if event.is_set() {
        return;
    }
    write_log(name).await;
    // Too late: `set()` ran during the log write, its `notify_waiters()` found nobody
    // listening, and it stores nothing. This waits for a signal that has already gone.
    patiently(name, event.notify.notified()).await;
}

/// Right: the same steps, but the `Notified` future is created before the check, so it
/// catches a `set()` that comes at any moment after that.
async fn wait_right(name: &'static str, event: Arc<Event>) {
    let notified = event.notify.notified();
    if event.is_set() {
        return;
    }
    write_log(name).await;
    patiently(name, notified).await;
}

/// Something asynchronous a waiter does between checking the flag and waiting.
async fn write_log(name: &str) {
    println!("{name}: флаг не установлен, пишу в журнал");
    sleep(Duration::from_millis(100)).await;
}

/// Awaits `notified`, giving up after a second (so that the demo ends even when the signal was
/// missed).
async fn patiently(name: &str, notified: Notified<'_>) {
    match timeout(Duration::from_secs(1), notified).await {
        Ok(()) => println!("{name}: дождалась"),
        Err(_elapsed) => println!("{name}: за 1 с так и не дождалась: сигнал пропущен"),
    }
}
// [end: wrong_right]

// [region: reader]
/// Waits until the configuration is loaded, and gets the configuration itself, not just a
/// signal.
async fn reader(name: String, mut config: watch::Receiver<Option<&'static str>>) {
    // `wait_for` looks at the current value first: if it already passes, it returns at once (a
    // flag that stays set). Otherwise the task is suspended until the sender stores a value
    // that passes. It fails only if the sender is dropped before that.
    match config.wait_for(Option::is_some).await {
        Ok(value) => println!("{name}: конфигурация: {}", value.unwrap_or_default()),
        Err(_closed) => println!("{name}: отправитель удалён, конфигурации не будет"),
    }
}
// [end: reader]

pub async fn main() {
    // [region: main_event]
    // `asyncio.Event()`, created unset, shared through an `Arc`.
    let event = Arc::new(Event::default());
    let tasks: Vec<_> = (1..=3).map(|i| tokio::spawn(waiter(format!("waiter-{i}"), event.clone()))).collect();
    sleep(Duration::from_millis(500)).await;
    println!("main: is_set() = {}, вызываю set()", event.is_set());
    // Wakes the three waiters at once; they run when `main` suspends in `join_all`.
    event.set();
    report(join_all(tasks).await);

    // The event stays set: a late waiter passes at once. It is awaited right here, as the
    // Python awaits the coroutine without a task: `main` itself runs it and does not suspend.
    waiter("опоздавшая".into(), event.clone()).await;
    event.clear();
    println!("main: clear(), is_set() = {}", event.is_set());
    let late = tokio::spawn(waiter("после clear".into(), event.clone()));
    sleep(Duration::from_millis(500)).await;
    println!("main: снова set()");
    event.set();
    report(vec![late.await]);
    // [end: main_event]

    // [region: notify]
    // `Notify` itself: three listeners wait. `notify_one()` wakes exactly one of them (the one
    // that has waited longest); `notify_waiters()` wakes all who are waiting at that moment.
    let notify = Arc::new(Notify::new());
    let listeners: Vec<_> =
        (1..=3).map(|i| tokio::spawn(listener(format!("listener-{i}"), notify.clone()))).collect();
    sleep(Duration::from_millis(500)).await;
    println!("main: notify_one()");
    notify.notify_one();
    sleep(Duration::from_millis(500)).await;
    println!("main: notify_waiters()");
    notify.notify_waiters();
    report(join_all(listeners).await);

    // Nobody is waiting now. `notify_waiters()` wakes nobody and remembers nothing: a task that
    // starts waiting afterwards misses the signal.
    notify.notify_waiters();
    let missed = timeout(Duration::from_secs(1), notify.notified()).await.is_err();
    println!("main: после notify_waiters() без ждущих: тайм-аут = {missed}");
    // `notify_one()` with nobody waiting stores one permit: the next `notified()` is ready at
    // once, and `main` does not suspend.
    notify.notify_one();
    notify.notified().await;
    println!("main: после notify_one() без ждущих: notified() вернулся сразу");
    // [end: notify]

    // [region: pitfall]
    // The missed notification: two tasks wait for a fresh event, the wrong way and the right
    // way. `main` sets it while both are busy writing their log lines.
    let event = Arc::new(Event::default());
    let waiters = vec![
        tokio::spawn(wait_wrong("wait_wrong", event.clone())),
        tokio::spawn(wait_right("wait_right", event.clone())),
    ];
    sleep(Duration::from_millis(50)).await;
    println!("main: set()");
    event.set();
    report(join_all(waiters).await);
    // [end: pitfall]

    // [region: watch]
    // A flag with a value: the configuration, `None` until it is loaded. The sender stays with
    // `main`; a reader gets a receiver (a clone of `config`).
    let (loaded, config) = watch::channel(None);
    let first = tokio::spawn(reader("reader".into(), config.clone()));
    sleep(Duration::from_millis(500)).await;
    println!("main: конфигурация загружена");
    // `send_replace` stores the value even if no receiver is left (`send` would fail then) and
    // wakes the receivers waiting: here, `reader`.
    loaded.send_replace(Some("db = postgres://localhost/app"));
    report(vec![first.await]);
    // The value stays: a reader that comes later gets it at once, without suspending.
    reader("поздний reader".into(), config).await;
    // [end: watch]
}

/// Reports the tasks that did not finish normally; in a normal run there are none. (In
/// asyncdemo's live view, `c` aborts the selected task.)
fn report(outcomes: Vec<Result<(), JoinError>>) {
    for outcome in outcomes {
        if let Err(error) = outcome {
            let how = if error.is_cancelled() { "отменена" } else { "упала с ошибкой" };
            println!("одна из задач {how}");
        }
    }
}
