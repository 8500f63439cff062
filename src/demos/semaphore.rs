//! semaphore: at most N tasks at a time past one point.
//!
//! A lock lets one task through; a semaphore lets up to N. Python's `asyncio.Semaphore(3)` holds
//! three permits: `acquire()` takes one (and waits while there are none), `release()` gives it
//! back; `async with sem:` does both. The notes use it to limit concurrency: ten downloads,
//! three at a time. The Rust counterpart is `tokio::sync::Semaphore`:
//!
//! - `acquire().await` returns a *permit*, and dropping the permit gives it back: there is no
//!   `release()` to forget;
//! - the semaphore is shared through an `Arc`, since every task needs it and tasks are
//!   `'static`;
//! - `acquire_owned()` (on the `Arc`) returns a permit that owns its reference to the semaphore,
//!   so it can be moved into a spawned task: take the permit first, then spawn, and the task
//!   gives the permit back when it ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinError;
use tokio::time::sleep;

/// At most this many downloads at a time.
const LIMIT: usize = 3;

/// How long each file takes, in tenths of a second (as in the Python original).
const SIZES: [u64; 15] = [2, 5, 1, 3, 1, 4, 4, 4, 4, 2, 4, 1, 3, 1, 3];

/// Downloads in progress right now, and the most there ever were at once: Python's `active` and
/// `peak` globals. Tasks share them through an `Arc`, and atomics make them safe to touch from
/// any task (or thread) without a lock.
#[derive(Default)]
struct Counts {
    active: AtomicUsize,
    peak: AtomicUsize,
}

// [region: download]
/// One download: the work the semaphore limits. It knows nothing about the semaphore.
async fn download(number: usize, counts: &Counts) -> String {
    let active = counts.active.fetch_add(1, Ordering::Relaxed) + 1;
    counts.peak.fetch_max(active, Ordering::Relaxed);
    // Python's `active -= 1` at the end, done by a guard so that a download cancelled
    // half-way (its task aborted, its future dropped) is not counted as active forever.
    let _in_progress = InProgress(counts);
    println!("файл {number}: начало, одновременно {active}");
    // The network transfer: the task is suspended on a timer and still holds its permit, so
    // the semaphore keeps counting it.
    sleep(Duration::from_millis(SIZES[number] * 100)).await;
    println!("файл {number}: готово");
    format!("file{number}")
}

/// Counts one download as active while it lives.
struct InProgress<'a>(&'a Counts);

impl Drop for InProgress<'_> {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::Relaxed);
    }
}
// [end: download]

// [region: limited]
/// `async with sem: return await download(number)`.
async fn limited_download(number: usize, sem: Arc<Semaphore>, counts: Arc<Counts>) -> String {
    // `acquire().await` is `await sem.acquire()`: with all permits taken, the task is suspended
    // until another task drops its permit; that drop hands the permit over and wakes this task.
    // Permits go out in the order they were asked for: tokio's semaphore is fair. It returns an
    // error only if someone calls `sem.close()`, which this demo never does.
    let _permit = sem.acquire().await.expect("the semaphore is never closed");
    download(number, &counts).await
    // `_permit` is dropped here, when the function returns: the end of the `async with` block,
    // `sem.release()`. (Not `let _ = ...`: that would drop the permit at once.)
}
// [end: limited]

// [region: owned]
/// A download that owns the permit `main` acquired for it: Python's `try: ... finally:
/// sem.release()` in the task.
///
/// `acquire_owned` returns an `OwnedSemaphorePermit`, which holds an `Arc` of the semaphore
/// instead of borrowing it, so it can move into a task that outlives the function that
/// acquired it.
async fn download_with(number: usize, permit: OwnedSemaphorePermit, counts: Arc<Counts>) -> String {
    let file = download(number, &counts).await;
    // `sem.release()`. Even without this line the permit would go back when the task ends,
    // and also when it is cancelled (its future, the permit included, is dropped).
    drop(permit);
    file
}
// [end: owned]

pub async fn main() {
    // [region: gather]
    // `asyncio.Semaphore(LIMIT)`, in an `Arc` so that every task can hold a reference.
    let sem = Arc::new(Semaphore::new(LIMIT));
    let counts = Arc::new(Counts::default());
    // Ten tasks at once, as `asyncio.gather(*(limited_download(i, sem) for i in range(10)))`:
    // all ten exist from the start, three get permits, seven wait in `acquire()`.
    let handles: Vec<_> =
        (0..10).map(|i| tokio::spawn(limited_download(i, sem.clone(), counts.clone()))).collect();
    let files = finished(join_all(handles).await);
    let peak = counts.peak.load(Ordering::Relaxed);
    println!("скачано файлов: {files}, больше {peak} одновременно не было");
    // [end: gather]

    // [region: acquire_first]
    // The other way round: `main` takes a permit *before* creating each task, and the task gives
    // it back. With all permits taken, `main` itself is suspended, and no new task is created
    // until a download finishes: no more than LIMIT tasks exist at a time.
    let mut handles = Vec::new();
    for number in 10..15 {
        let permit = sem.clone().acquire_owned().await.expect("the semaphore is never closed");
        handles.push(tokio::spawn(download_with(number, permit, counts.clone())));
    }
    let files = finished(join_all(handles).await);
    let peak = counts.peak.load(Ordering::Relaxed);
    println!("ещё скачано: {files}, больше {peak} одновременно не было");
    // [end: acquire_first]
}

/// How many downloads ended normally; reports the ones that did not. (An aborted task drops its
/// future, and the permit with it: a waiting task gets the permit. In asyncdemo's live view, `c`
/// aborts the selected task.)
fn finished(outcomes: Vec<Result<String, JoinError>>) -> usize {
    let mut files = 0;
    for outcome in outcomes {
        match outcome {
            Ok(_file) => files += 1,
            Err(error) if error.is_cancelled() => println!("одна загрузка отменена"),
            Err(_) => println!("одна загрузка упала с ошибкой"),
        }
    }
    files
}
