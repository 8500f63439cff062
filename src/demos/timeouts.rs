//! timeouts: stop waiting after a deadline, and decide what happens to the work you gave up on.
//!
//! Python has three tools here, and they treat the abandoned work differently:
//!
//! - `asyncio.wait_for(coro, timeout)` cancels the coroutine (it sees `CancelledError`) and raises
//!   `TimeoutError`;
//! - `asyncio.wait_for(task, timeout)` cancels the *task* as well;
//! - `asyncio.wait(tasks, timeout=)` only stops waiting: it returns `(done, pending)` and the
//!   pending tasks keep running.
//!
//! tokio has one tool, `tokio::time::timeout(d, fut)`, and what happens depends on what you
//! give it:
//!
//! - a plain future: on expiry `timeout` returns `Err(Elapsed)` and the future is dropped, which
//!   cancels it at its await point (its `Drop` impls run: that is where cleanup goes);
//! - `&mut handle` of a spawned task: only the *waiting* is dropped; the task runs on. Add
//!   `handle.abort()` to get `wait_for`'s behaviour, leave it out to get `wait`'s.

use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;
use tokio::time::{sleep, timeout};

/// How long a request may wait for optional data, or `main` for a report.
const LIMIT: Duration = Duration::from_secs(1);

// [region: service]
/// Prints a cleanup line if the request it guards is dropped before it finished.
///
/// A future that is dropped mid-way never runs its remaining code, but its local values are
/// dropped, so their `Drop` impls run. That is Rust's `except asyncio.CancelledError:` block:
/// synchronous cleanup (no `.await` is possible in `drop`), and nothing to re-raise, because a
/// dropped future cannot refuse to be cancelled.
struct RequestGuard {
    user: &'static str,
    finished: bool,
}

impl Drop for RequestGuard {
    fn drop(&mut self) {
        if !self.finished {
            println!("recommendations({}): отменена, запрос прерван", self.user);
        }
    }
}

/// A third-party service: optional data that arrives after `delay`.
async fn recommendations(user: &'static str, delay: Duration) -> Vec<String> {
    let mut guard = RequestGuard { user, finished: false };
    // The await point where a timeout cancels us: if the future is dropped while suspended
    // here, execution never comes back, and `guard` is dropped with `finished == false`.
    sleep(delay).await;
    guard.finished = true;
    vec![format!("подборка для {user}")]
}
// [end: service]

// [region: handler]
/// An API method: the answer is valid without the recommendations, so it waits for them at
/// most `LIMIT` and falls back to a default answer.
async fn handler(user: &'static str, delay: Duration) {
    // `asyncio.wait_for(recommendations(...), timeout=1)`. `timeout` polls the future *inside
    // this task* (no new task; Python 3.11's `wait_for` makes one, 3.12+ does not) next to a
    // timer. If the future finishes first we get `Ok(value)`; if the timer fires first we get
    // `Err(Elapsed)`, and the future is dropped together with the `Timeout` that owns it: this
    // is the moment `RequestGuard` prints its line, before the `Err` arm runs.
    let recs = match timeout(LIMIT, recommendations(user, delay)).await {
        Ok(recs) => recs,
        // Python raises `TimeoutError`; in Rust the timeout is an ordinary `Err` value. A
        // `Result` is `#[must_use]`: ignoring it draws a compiler warning.
        Err(elapsed) => {
            println!("handler({user}): тайм-аут ({elapsed}), отвечаем без рекомендаций");
            vec!["бестселлеры недели".to_string()]
        }
    };
    println!("handler({user}): ответ {}", py_list(&recs));
}
// [end: handler]

/// A report that takes 2 s.
async fn slow_report() -> &'static str {
    sleep(Duration::from_secs(2)).await;
    println!("slow_report: готово");
    "отчёт"
}

pub async fn main() {
    // [region: requests]
    // Two requests at once, as `asyncio.gather(handler(...), handler(...))`: anna's service
    // answers in 0.5 s, boris's needs 2 s and will be cut off at 1 s.
    let requests = vec![
        tokio::spawn(handler("anna", Duration::from_millis(500))),
        tokio::spawn(handler("boris", Duration::from_secs(2))),
    ];
    for joined in join_all(requests).await {
        // `Err` only if a handler was cancelled (press `c` on it) or panicked: its answer is
        // simply missing, as with `gather(..., return_exceptions=True)`.
        if let Err(error) = joined {
            println!("запрос не выполнен: {}", if error.is_cancelled() { "отменён" } else { "паника" });
        }
    }
    // [end: requests]

    // [region: wait_for_task]
    // `asyncio.wait_for(task, timeout=1)` cancels the task on timeout. `timeout` around a task's
    // handle does not: awaiting `&mut first` only *waits* for the task, and dropping that wait
    // leaves the task alone. So we cancel it ourselves with `abort()`, then await the handle
    // to see the task end: `Err(JoinError)` with `is_cancelled()`, like `task.cancelled()`.
    let mut first = tokio::spawn(slow_report());
    let joined = match timeout(LIMIT, &mut first).await {
        Ok(joined) => joined,
        Err(_elapsed) => {
            first.abort();
            first.await
        }
    };
    println!("timeout + abort(): задача отменена: {}", joined.is_err_and(|e| e.is_cancelled()));
    // [end: wait_for_task]

    // [region: wait]
    // `asyncio.wait({second}, timeout=1)`: the same `timeout` around the handle, without
    // `abort()`. We stop waiting after 1 s; the task stays Suspended on its timer and finishes
    // at its own pace. We still hold the handle, so we can await it again later: the result is
    // not lost. (The shield lesson, after cancellation, builds on exactly this.)
    let mut second = tokio::spawn(slow_report());
    let joined = match timeout(LIMIT, &mut second).await {
        // Ended within the limit: the result is already here (a finished handle is awaited once).
        Ok(joined) => joined,
        Err(elapsed) => {
            println!("timeout ({elapsed}): задача работает дальше, is_finished() = {}", second.is_finished());
            second.await
        }
    };
    match joined {
        Ok(report) => println!("дождались: {report}"),
        // Only if someone cancelled the task (in the live view, press `c` on it).
        Err(error) => println!("задача не доработала: отменена = {}", error.is_cancelled()),
    }
    // [end: wait]
}

/// `['a', 'b']`: a list of strings the way Python prints it.
fn py_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    format!("[{}]", quoted.join(", "))
}
