//! lock: one task at a time in a critical section that contains an `.await`.
//!
//! asyncio runs one task at a time, so code *between* two awaits never interleaves with other
//! tasks. A read-modify-write with an `await` in the middle does: every task reads the old value,
//! suspends, and writes back its own result over the others' ("lost update"). Python guards it
//! with `asyncio.Lock` (`async with lock:`, or `acquire()` / `release()` by hand). The Rust
//! counterparts:
//!
//! - `tokio::sync::Mutex<T>`: `lock().await` suspends the task until the lock is free and returns
//!   a guard; the data is reachable only through the guard, and dropping the guard unlocks;
//! - `std::sync::Mutex<T>`: fine in async code as long as the guard is never held across an
//!   `.await` (lock, touch, unlock). Held across one, the future is not `Send`, so `tokio::spawn`
//!   rejects it; where `Send` is not required (`spawn_local`, the future given to `block_on`) it
//!   compiles, and a second task blocking on the mutex would stop the whole runtime.

use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;
use tokio::sync::Mutex;
use tokio::time::sleep;

/// How long a task spends between reading the counter and writing it back.
const PAUSE: Duration = Duration::from_millis(100);

// [region: unsafe]
/// `counter = counter + 1` with an await in the middle and no lock around the whole of it.
///
/// The counter sits in a `std::sync::Mutex` (Rust will not let tasks share a mutable number
/// without *some* synchronization), and each access locks it for a moment: that is fine for a
/// std mutex, since no guard lives across the `.await`. But locking each access separately does
/// not make the read-modify-write one step: all three tasks read 0 before anyone writes.
async fn add_one_unsafe(name: String, counter: Arc<StdMutex<u64>>) {
    // Read: the guard is a temporary, dropped at the end of this statement.
    let value = *counter.lock().expect("no task panics while holding the lock");
    // The await point: the task suspends and the runtime runs the other tasks, which read the
    // same old value. Python's `await asyncio.sleep(0.1)` in the same place does the same.
    sleep(PAUSE).await;
    // Write: overwrites what the others wrote meanwhile.
    let mut guard = counter.lock().expect("no task panics while holding the lock");
    *guard = value + 1;
    println!("{name}: записала {}", *guard);
}
// [end: unsafe]

// [region: lock]
/// The same, with the whole read-modify-write under a `tokio::sync::Mutex`.
///
/// Python's `async with lock:` becomes `let guard = counter.lock().await;`. Two differences:
/// the counter lives *inside* the mutex, so it cannot be touched without holding the lock (in
/// Python, the lock and the data it protects are separate, and nothing stops code from
/// forgetting the lock); and there is no `release()` to call: the guard unlocks when dropped,
/// at the end of its scope, on an early `return` and when the task is cancelled alike.
async fn add_one(name: String, counter: Arc<Mutex<u64>>) {
    println!("{name}: жду блокировку");
    // `lock().await` is `await lock.acquire()`: if another task holds the lock, this task is
    // suspended until that task drops its guard; the drop itself wakes it. Waiters get the lock
    // in the order they asked for it (tokio's mutex is fair, as asyncio's Lock is).
    let mut guard = counter.lock().await;
    let value = *guard;
    // Holding a tokio guard across an `.await` is what it is made for: the other tasks wait in
    // `lock()` without blocking the thread.
    sleep(PAUSE).await;
    *guard = value + 1;
    println!("{name}: записала {}", *guard);
    // `guard` is dropped here: the end of Python's `async with` block, `lock.release()`.
}
// [end: lock]

// [region: std_mutex]
// What does *not* compile: a `std::sync::Mutex` guard held across an `.await`, in a task.
//
//     async fn add_one_std(counter: Arc<std::sync::Mutex<u64>>) {
//         let mut guard = counter.lock().unwrap();
//         sleep(PAUSE).await; // the guard is alive across this await
//         *guard += 1;
//     }
//     tokio::spawn(add_one_std(counter));
//
//     error: future cannot be sent between threads safely
//       = help: ... the trait `Send` is not implemented for `std::sync::MutexGuard<'_, u64>`
//     note: future is not `Send` as this value is used across an await
//
// The error comes from `tokio::spawn`, which requires a `Send` future: on the multi-thread
// runtime a task may be resumed on another thread after any `.await`, and a std guard must be
// unlocked on the thread that locked it. Where nothing requires `Send`, the same code compiles:
// in a task given to `tokio::task::spawn_local`, or awaited directly in `main` (the future
// `block_on` runs). And there it can hang the program: if task A suspends holding the std guard
// and task B calls `lock()`, B blocks the *thread* (a std mutex knows nothing of tasks), A is
// never polled again to unlock, and the whole runtime is deadlocked. Clippy's
// `await_holding_lock` lint warns about it wherever it is. The rule: a std mutex for short
// sections without `.await` (as in `add_one_unsafe`), a tokio mutex when the section must await.
// [end: std_mutex]

pub async fn main() {
    // [region: race]
    // Three tasks at once, as `asyncio.gather(*(add_one_unsafe(...) for i in range(1, 4)))`.
    let counter = Arc::new(StdMutex::new(0));
    let unsafe_tasks: Vec<_> = (1..=3)
        .map(|i| tokio::spawn(add_one_unsafe(format!("без блокировки {i}"), counter.clone())))
        .collect();
    report(join_all(unsafe_tasks).await);
    let lost = *counter.lock().expect("no task panics while holding the lock");
    println!("без блокировки: counter = {lost}, а должно быть 3");
    // [end: race]

    // [region: gather]
    // The same three increments under the lock: one task at a time between `lock()` and the
    // guard's drop, so no update is lost and the whole thing takes 0.3 s instead of 0.1 s.
    let counter = Arc::new(Mutex::new(0));
    let safe_tasks: Vec<_> =
        (1..=3).map(|i| tokio::spawn(add_one(format!("задача {i}"), counter.clone()))).collect();
    report(join_all(safe_tasks).await);
    // Nobody holds the lock now, so this `lock()` is ready at once: `main` does not suspend.
    println!("с блокировкой: counter = {}", *counter.lock().await);
    // [end: gather]

    // [region: by_hand]
    // Python's `await lock.acquire()` ... `lock.release()` by hand. In Rust, "by hand" means
    // keeping the guard in a variable and dropping it when you are done. Forgetting to release
    // is impossible: the guard is dropped at the end of its scope anyway.
    let guard = counter.lock().await;
    // tokio's mutex has no `locked()`; `try_lock()` tells: it fails while someone holds it.
    println!("main: lock(), try_lock().is_err() = {}", counter.try_lock().is_err());
    let mut fourth = tokio::spawn(add_one("задача 4".into(), counter.clone()));
    // `main` holds the lock across this sleep (a tokio guard may live across an `.await`, even
    // in `main`); task 4 runs as soon as `main` suspends here, and waits in `lock()` all along.
    sleep(Duration::from_millis(500)).await;
    // `lock.release()`. The wake happens inside this call: task 4 is scheduled to run. Unlike
    // asyncio, where `locked()` is `False` right after `release()` until the waiter runs and
    // takes the lock, tokio hands the lock straight to the first waiter: `try_lock()` already
    // fails.
    drop(guard);
    println!("main: drop(guard), try_lock().is_err() = {}", counter.try_lock().is_err());
    report(vec![(&mut fourth).await]);
    println!("итого: counter = {}", *counter.lock().await);
    // [end: by_hand]
}

/// Reports the tasks that did not finish normally; in a normal run there are none. (A task
/// that is aborted drops its future, and the guard with it: the lock is released, and only its
/// increment is lost. In asyncdemo's live view, `c` aborts the selected task.)
fn report(outcomes: Vec<Result<(), tokio::task::JoinError>>) {
    for outcome in outcomes {
        if let Err(error) = outcome {
            let how = if error.is_cancelled() { "отменена" } else { "упала с ошибкой" };
            println!("одна из задач {how}, её прибавка потеряна");
        }
    }
}
