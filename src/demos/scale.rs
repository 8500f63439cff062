//! scale: a hundred thousand tasks in one thread.
//!
//! The notes claim that asyncio "can handle thousands of connections in one thread" and that
//! FastAPI/aiohttp serve "10000+ req/sec" (a rough figure, the note says). The reason is what a
//! task costs: not a thread with its own stack, but one heap object the size of the coroutine's
//! (or future's) state, and a place in the scheduler's queues. This demo gathers 100,000 tasks
//! on the demo's single thread, each sleeping a seeded random time and returning it, and prints:
//!
//! - how many tasks were alive at once (tokio's count of live tasks, the same on every run);
//! - what the future each task runs weighs (`size_of_val`, decided by the compiler) and how much
//!   the process grew while spawning them (resident memory before and after: a measurement);
//! - how long the same gather takes in real time in tokio, on a runtime of its own, and in
//!   CPython's asyncio when `python3` is installed (measurements too).
//!
//! Measured values are printed through [`varying`]: the transcript marks them `⟪…⟫`, and the
//! tests compare everything else.

use std::ops::Range;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{futures, tokio, varying};
use futures::future::join_all;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::sleep;

/// How many tasks to gather.
const TASKS: u64 = 100_000;

// [region: worker]
/// One of the hundred thousand: sleeps a random 1–1000 ms and returns the pause.
///
/// The whole task is this future: a state machine that stores what lives across the `.await`
/// (the arguments, the pause, the timer it waits on). No thread, no stack of its own: a
/// suspended task costs its future plus the runtime's bookkeeping.
///
/// `_done` is `gather`'s bookkeeping: every task holds a clone of one channel's sender, and
/// drops it when it ends, however it ends. The receiver hears `None` once the last one is gone.
async fn worker(number: u64, _done: mpsc::Sender<()>) -> u64 {
    if number == 0 {
        // The first task to run, as in the Python original: every task is alive by now.
        // tokio counts the live tasks; `main` is not one of them (it is the future `block_on`
        // drives), so Python's `len(asyncio.all_tasks())`, which counts `main`, is one more.
        println!("задач живо одновременно: {}", Handle::current().metrics().num_alive_tasks());
    }
    let pause = fastrand::u64(1..=1000);
    sleep(Duration::from_millis(pause)).await;
    pause
}
// [end: worker]

// [region: gather]
/// `asyncio.gather(*(worker(i) for i in numbers))`, in two halves: spawn every task, then
/// collect every result. Between the two, the caller may look around.
fn spawn_all(numbers: Range<u64>) -> (Vec<JoinHandle<u64>>, mpsc::Receiver<()>) {
    // Every spawn is `create_task`: the task is created and scheduled, and none runs until the
    // caller suspends, as gather's tasks start only when `main` awaits.
    let (done, all_done) = mpsc::channel(1);
    let handles = numbers.map(|number| tokio::spawn(worker(number, done.clone()))).collect();
    (handles, all_done)
}

/// Waits the way `gather` waits: one wake, when the last task has finished, then the results
/// in the order of the handles.
async fn collect_all(handles: Vec<JoinHandle<u64>>, mut all_done: mpsc::Receiver<()>) -> Vec<u64> {
    // `None` once every task has dropped its sender. (`join_all` alone would also do, but it
    // wakes the caller at every instant a task finishes: a thousand times here.)
    let _ = all_done.recv().await;
    // `unconstrained` lifts tokio's cooperative budget for this one future: a task may do about
    // 128 pieces of ready work per poll before tokio makes it yield, so that one busy task
    // cannot starve the others. asyncio has no such budget. Here the budget would make `main`
    // yield some 800 times just to pick up results that are already there.
    let joined = tokio::task::unconstrained(join_all(handles)).await;
    joined.into_iter().filter_map(Result::ok).collect()
}
// [end: gather]

pub async fn main() {
    // [region: spawn]
    let rss_before = resident_bytes();
    let (handles, all_done) = spawn_all(0..TASKS);
    let rss_after = resident_bytes();
    println!("main: задачи созданы: {}", handles.len());
    // What the future of one task weighs: `worker(…)` is the very future `tokio::spawn` got.
    // Decided by the compiler (and its version); tokio's task adds its own header and
    // scheduler fields around it.
    let (spare, _) = mpsc::channel(1);
    let one = std::mem::size_of_val(&worker(0, spare));
    println!("future от worker(…): {} (size_of_val)", varying(format!("{one} байт")));
    let grown = match (rss_before, rss_after) {
        (Some(before), Some(after)) => {
            let grown = after.saturating_sub(before);
            format!("{:.1} МБ, {} байт на задачу", grown as f64 / 1e6, grown / TASKS)
        }
        _ => "нет /proc/self/status".to_owned(),
    };
    println!("память процесса выросла на {}", varying(grown));
    // [end: spawn]

    // [region: join]
    // `main` suspends here: only now do the tasks start running, one after another.
    let results = collect_all(handles, all_done).await;
    println!("результатов: {}", results.len());
    println!(
        "сумма пауз: {} мс, самая долгая: {} мс",
        results.iter().sum::<u64>(),
        results.iter().max().copied().unwrap_or(0)
    );
    // [end: join]

    // [region: timing]
    // How long the same gather takes in real time on tokio, on a runtime of its own, on a thread
    // of the blocking pool (`main` is suspended meanwhile). The median of three runs.
    let tokio_seconds = tokio::task::spawn_blocking(tokio_gather).await.unwrap_or(f64::NAN);
    let build =
        if cfg!(debug_assertions) { "отладочная сборка" } else { "release-сборка" };
    println!("tokio, {TASKS} задач: {}", varying(format!("{tokio_seconds:.3} с, {build}")));
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

/// The gather of [`main`] on a fresh runtime of its own, three times: the median, in seconds.
///
/// The runtime is the one `#[tokio::main(flavor = "current_thread", start_paused = true)]`
/// builds: one thread, and a paused clock, so the sleeps cost no real time and the figure is
/// the runtime's own work. The tasks are numbered from 1, so none prints: the same tasks as
/// the CPython script's, which prints nothing either. Measured once per process: the demo may
/// run many times in one process (the tests, the tour's replays), and the figure does not
/// depend on the run.
fn tokio_gather() -> f64 {
    static SECONDS: OnceLock<f64> = OnceLock::new();
    *SECONDS.get_or_init(|| {
        let mut runs: Vec<f64> = (0..3)
            .map(|_| {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build();
                let Ok(runtime) = runtime else { return f64::NAN };
                let started = Instant::now();
                runtime.block_on(async {
                    let (handles, all_done) = spawn_all(1..TASKS + 1);
                    collect_all(handles, all_done).await
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
/// is no `python3` or it failed. Measured once per process, as [`tokio_gather`].
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
