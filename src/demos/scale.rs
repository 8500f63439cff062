//! scale: a hundred thousand tasks in one thread.
//!
//! The notes claim that asyncio "can handle thousands of connections in one thread" and that
//! FastAPI/aiohttp serve "10000+ req/sec" (a rough figure, the note says). The reason is what a
//! task costs: not a thread with its own stack, but one heap object the size of the coroutine's
//! (or future's) state, and a place in the scheduler's queues. This demo gathers 100,000 tasks
//! on the demo's single thread, each sleeping a seeded random time and returning it, and prints:
//!
//! - how many tasks were alive at once (tokio's count of live tasks, the same on every run);
//! - what one task's future weighs (`size_of_val`, fixed by the compiler) and what a task costs
//!   the process (resident memory before and after spawning: a measurement, so it varies);
//! - how long the same gather takes in real time in tokio (on a runtime of its own, without
//!   the trace this demo runs under) and in CPython's asyncio when `python3` is installed
//!   (measurements too).
//!
//! Measured values are printed through [`varying`]: the transcript marks them `⟪…⟫`, and the
//! tests compare everything else.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::{futures, tokio, varying};
use futures::future::join_all;
use tokio::runtime::Handle;
use tokio::sync::Notify;
use tokio::time::sleep;

/// How many tasks to gather.
const TASKS: u64 = 100_000;

// [region: worker]
/// One of the hundred thousand: sleeps a random 1–1000 ms and returns the pause.
///
/// The whole task is this future: a state machine that stores what lives across the `.await`
/// (here the pause, and the timer it waits on). No thread, no stack of its own: a suspended
/// task costs its future plus the runtime's bookkeeping.
async fn worker() -> u64 {
    let pause = fastrand::u64(1..=1000);
    sleep(Duration::from_millis(pause)).await;
    pause
}
// [end: worker]

pub async fn main() {
    // [region: spawn]
    // `asyncio.gather(*(worker() for _ in range(N)))`: spawn them all, then join them all. Every
    // spawn is `create_task`: the tasks are Created and Scheduled here, and none runs until
    // `main` suspends below, as gather's tasks start only when `main` awaits.
    let rss_before = resident_bytes();
    let gathered = Gathered::new(TASKS);
    let handles: Vec<_> = (0..TASKS).map(|_| tokio::spawn(gathered.track(worker()))).collect();
    let rss_after = resident_bytes();

    // `len(asyncio.all_tasks())` at the peak. tokio counts the live tasks: all of them (`main`
    // is not a task: it is the future `block_on` drives, so Python's count is one more).
    println!("задач живо одновременно: {}", Handle::current().metrics().num_alive_tasks());
    // What one task's future weighs: decided by the compiler (and its version). Marked as
    // machine-dependent: asyncdemo's traced timer is a few bytes bigger than tokio's own, so a
    // traced build and a plain one print different sizes.
    println!("future от worker(): {} (size_of_val)", varying(format!("{} байт", std::mem::size_of_val(&worker()))));
    let per_task = match (rss_before, rss_after) {
        (Some(before), Some(after)) => {
            let grown = after.saturating_sub(before);
            format!("{:.1} МБ, {} байт на задачу", grown as f64 / 1e6, grown / TASKS)
        }
        _ => "нет /proc/self/status".to_owned(),
    };
    println!("память процесса выросла на {} (вместе с записями трассировки)", varying(per_task));
    // [end: spawn]

    // [region: join]
    // Wait the way `gather` waits: one wake, when the last task has finished. (`join_all` alone
    // would also do, but it wakes `main` at every instant a task finishes, a thousand times
    // here, and the transcript would be a thousand wakes long.)
    gathered.all_done().await;
    // Then `join_all` collects the results in the order of the handles; they are all ready.
    // `unconstrained` lifts tokio's cooperative budget for this one future: a task may do about
    // 128 pieces of ready work per poll before tokio makes it yield, so that one busy task
    // cannot starve the others. asyncio has no such budget. Here the budget would make `main`
    // yield some 800 times just to pick up results that are already there.
    let joined = tokio::task::unconstrained(join_all(handles)).await;
    let results: Vec<u64> = joined.into_iter().filter_map(Result::ok).collect();
    println!("результатов: {}", results.len());
    println!(
        "сумма пауз: {} мс, самая долгая: {} мс",
        results.iter().sum::<u64>(),
        results.iter().max().copied().unwrap_or(0)
    );
    // [end: join]

    // [region: timing]
    // How long the same gather takes in real time, without asyncdemo's trace around it: on a
    // runtime of its own (built the way `#[tokio::main(flavor = "current_thread")]` builds one,
    // with a paused clock so that the sleeps cost no real time), on a thread of the blocking
    // pool. `main` is Suspended meanwhile. The median of three runs.
    let tokio_seconds = match tokio::task::spawn_blocking(untraced_gather).await {
        Ok(seconds) => seconds,
        Err(_) => f64::NAN,
    };
    println!("tokio, создать и собрать {TASKS} задач: {}", varying(format!("{tokio_seconds:.3} с")));
    // [end: timing]

    // [region: python]
    // The same gather in CPython, timed by itself, on the blocking pool too. `python3` may be
    // missing: the line says so, inside the marks, so the transcript keeps its shape on every
    // machine.
    match tokio::task::spawn_blocking(python_gather).await.ok().flatten() {
        Some(seconds) => {
            println!("CPython asyncio, то же самое: {}", varying(format!("{seconds:.3} с")));
            let ratio = seconds / tokio_seconds.max(1e-9);
            println!("время CPython / время tokio: {}", varying(format!("{ratio:.1}")));
        }
        None => {
            println!("CPython asyncio, то же самое: {}", varying("python3 не найден"));
            println!("время CPython / время tokio: {}", varying("?"));
        }
    }
    // [end: python]
}

/// `gather`'s own bookkeeping: a count of the tasks not finished yet, and one wake for the
/// coroutine that awaits them all, when the count reaches zero.
///
/// CPython's `gather` does exactly this: a done-callback on every child counts the finished ones
/// and completes the outer future after the last. A task counts as finished however it ends:
/// the count is kept by a guard whose `Drop` runs on completion and on cancellation alike (a
/// learner may cancel any task from the live view).
struct Gathered {
    left: Arc<AtomicU64>,
    done: Arc<Notify>,
}

impl Gathered {
    fn new(tasks: u64) -> Gathered {
        Gathered { left: Arc::new(AtomicU64::new(tasks)), done: Arc::new(Notify::new()) }
    }

    /// `future`, counted: when it ends (or is dropped), one task fewer is left.
    fn track<F: Future>(&self, future: F) -> impl Future<Output = F::Output> + use<F> {
        let guard = CountDown { left: self.left.clone(), done: self.done.clone() };
        async move {
            let _guard = guard;
            future.await
        }
    }

    /// Resolves once every tracked future has ended.
    async fn all_done(&self) {
        // `notify_one` stores a permit if nobody waits yet, so the last wake cannot be lost.
        if self.left.load(Ordering::Acquire) > 0 {
            self.done.notified().await;
        }
    }
}

struct CountDown {
    left: Arc<AtomicU64>,
    done: Arc<Notify>,
}

impl Drop for CountDown {
    fn drop(&mut self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.done.notify_one();
        }
    }
}

/// The gather above on a fresh runtime of its own, three times: the median, in seconds.
/// Measured once per process: the demo may run many times in one process (the tests, the
/// tour's replays), and the figure does not depend on the run.
fn untraced_gather() -> f64 {
    static SECONDS: OnceLock<f64> = OnceLock::new();
    *SECONDS.get_or_init(|| {
        let mut runs: Vec<f64> = (0..3)
            .map(|_| {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build();
                let Ok(runtime) = runtime else { return f64::NAN };
                let started = Instant::now();
                runtime.block_on(async {
                    let handles: Vec<_> = (0..TASKS).map(|_| tokio::spawn(worker())).collect();
                    for handle in handles {
                        let _ = handle.await;
                    }
                });
                started.elapsed().as_secs_f64()
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        runs[1]
    })
}

/// The gather of [`main`] in CPython's asyncio: 100,000 tasks, each sleeping a random pause
/// and returning it. It prints how long the gather took, by `time.perf_counter`.
///
/// The pauses are in microseconds here, not milliseconds: every task still sets one timer and
/// waits for it, but the run measures the event loop's work, not a second of waiting (the
/// tokio runs' sleeps cost no real time either: their clock is paused).
const PYTHON_GATHER: &str = r#"
import asyncio, random, time

random.seed(42)

async def worker():
    pause = random.randint(1, 1000)
    await asyncio.sleep(pause / 1_000_000)
    return pause

async def main():
    started = time.perf_counter()
    results = await asyncio.gather(*(worker() for _ in range(100_000)))
    assert len(results) == 100_000
    print(time.perf_counter() - started)

asyncio.run(main())
"#;

/// Runs [`PYTHON_GATHER`] under `python3` and returns the seconds it reports; `None` if there
/// is no `python3` or it failed. Measured once per process, as [`untraced_gather`].
fn python_gather() -> Option<f64> {
    static SECONDS: OnceLock<Option<f64>> = OnceLock::new();
    *SECONDS.get_or_init(|| {
        let output = std::process::Command::new("python3").arg("-c").arg(PYTHON_GATHER).output().ok()?;
        if !output.status.success() {
            return None;
        }
        String::from_utf8(output.stdout).ok()?.trim().parse().ok()
    })
}

/// The process's resident memory (`VmRSS` in `/proc/self/status`), in bytes; `None` where
/// there is no `/proc` (outside Linux).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 =
        line.trim_start_matches("VmRSS:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kilobytes * 1024)
}
