//! What tracing costs: two workloads run through the trace engine (every event recorded) and
//! with raw tokio, on the same kind of runtime, interleaved in one run; prints both, their
//! ratio, and the memory the recording takes per task and per event.
//!
//! - trivial: spawn 100,000 tasks that return at once, then join them;
//! - scale: spawn 100,000 tasks that each sleep a seeded 1–1000 ms on the paused clock, then
//!   join them (the scale lesson's workload).
//!
//! Both sides run the same code: the traced side through asyncdemo's `tokio` stand-in, the
//! raw side through tokio itself; task names are made on neither side (the trace names tasks
//! from their type, which costs nothing at run time).
//!
//! `cargo bench --bench spawn` (or `just bench`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use asyncdemo::engine::program::Program;
use asyncdemo::engine::run::{self, Recorded, RunConfig};

const TASKS: u64 = 100_000;
const ROUNDS: usize = 31;

/// The workloads, written once against a `tokio` of the caller's choice.
macro_rules! workloads {
    ($tokio:path) => {
        use std::hint::black_box;
        use std::time::Duration;

        use $tokio as tokio;

        pub async fn trivial() {
            let mut handles = Vec::with_capacity(super::TASKS as usize);
            for i in 0..super::TASKS {
                handles.push(tokio::spawn(async move { black_box(i) }));
            }
            for handle in handles {
                black_box(handle.await.unwrap());
            }
        }

        async fn sleeper(pause: u64) -> u64 {
            tokio::time::sleep(Duration::from_millis(pause)).await;
            pause
        }

        pub async fn scale() {
            let mut handles = Vec::with_capacity(super::TASKS as usize);
            for _ in 0..super::TASKS {
                handles.push(tokio::spawn(sleeper(fastrand::u64(1..=1000))));
            }
            for handle in handles {
                black_box(handle.await.unwrap());
            }
        }
    };
}

mod traced {
    workloads!(asyncdemo::engine::facade::tokio);
}

mod raw {
    workloads!(::tokio);
}

static TRIVIAL: Program = Program { name: "trivial", file: file!(), main: || Box::pin(traced::trivial()) };
static SCALE: Program = Program { name: "scale", file: file!(), main: || Box::pin(traced::scale()) };

/// One measurement: wall time, and CPU time (user + system) of the whole process, which leaves
/// out the time this shared machine spent running someone else.
#[derive(Copy, Clone)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes into the struct we pass.
    #[allow(unsafe_code)]
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn measure<R>(f: impl FnOnce() -> R) -> (Sample, R) {
    let (wall, cpu) = (Instant::now(), cpu_time());
    let result = f();
    (Sample { wall: wall.elapsed(), cpu: cpu_time() - cpu }, result)
}

/// Raw tokio, timed the same way as the engine's runner: a fresh thread that builds a paused
/// `current_thread` runtime, seeds the generator, runs `main` as `block_on`'s future and drops
/// the runtime.
fn raw(main: fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>) -> Sample {
    measure(|| {
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .unwrap();
            fastrand::seed(run::DEFAULT_SEED);
            runtime.block_on(main());
            drop(runtime);
        })
        .join()
        .unwrap()
    })
    .0
}

fn traced(program: &'static Program) -> (Sample, Recorded) {
    // The runner's own thread start is part of every run, so time the whole `record` call.
    let (sample, recording) =
        measure(|| run::record(program, RunConfig::default()).expect("bench program runs"));
    (sample, recording.recorded)
}

type Time = fn(&Sample) -> Duration;

fn median(samples: &[Sample], time: Time) -> Duration {
    let mut times: Vec<Duration> = samples.iter().map(time).collect();
    times.sort();
    times[times.len() / 2]
}

/// Each round measures raw and traced back to back; the median of those paired ratios holds
/// up better against this machine's drifting load than a ratio of two medians.
fn paired(raw: &[Sample], traced: &[Sample], time: Time) -> f64 {
    let mut ratios: Vec<f64> =
        raw.iter().zip(traced).map(|(r, t)| time(t).as_secs_f64() / time(r).as_secs_f64()).collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

fn bench(
    title: &str,
    target: f64,
    program: &'static Program,
    raw_main: fn() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>,
) {
    // Warm up both paths (allocator, page faults), then interleave the rounds so that noise on
    // this machine hits both alike.
    let _ = raw(raw_main);
    let _ = traced(program);
    let mut raw_times = Vec::new();
    let mut traced_times = Vec::new();
    let mut last = None;
    for _ in 0..ROUNDS {
        raw_times.push(raw(raw_main));
        let (sample, recorded) = traced(program);
        traced_times.push(sample);
        last = Some(recorded);
    }
    let wall: Time = |s| s.wall;
    let cpu: Time = |s| s.cpu;
    println!("{title}: {TASKS} tasks, current_thread runtime, paused clock, {ROUNDS} rounds (medians)");
    for (label, samples) in [("raw tokio", &raw_times), ("traced (engine)", &traced_times)] {
        let (w, c) = (median(samples, wall), median(samples, cpu));
        println!(
            "  {label:<16} wall {:>7.2} ms ({:>4.0} ns/task)   cpu {:>7.2} ms ({:>4.0} ns/task)",
            ms(w),
            ns_per(w),
            ms(c),
            ns_per(c)
        );
    }
    let (wall_ratio, cpu_ratio) =
        (paired(&raw_times, &traced_times, wall), paired(&raw_times, &traced_times, cpu));
    let verdict = if wall_ratio <= target { "meets" } else { "MISSES" };
    println!(
        "  traced/raw       wall {wall_ratio:.3}x   cpu {cpu_ratio:.3}x   (median of paired rounds; target <= {target:.2}x: {verdict})"
    );
    let recorded = last.expect("at least one round");
    let (log_bytes, table_bytes) = recorded.bytes();
    let (events, tasks) = (recorded.events() as f64, recorded.tasks() as f64);
    println!(
        "  recorded: {} events for {} tasks ({:.1} per task); {:.1} bytes per event, {:.0} bytes per task (events {:.0} + task table {:.0})",
        recorded.events(),
        recorded.tasks(),
        events / tasks,
        log_bytes as f64 / events,
        (log_bytes + table_bytes) as f64 / tasks,
        log_bytes as f64 / tasks,
        table_bytes as f64 / tasks,
    );
    let (decode, _) = measure(|| black_box(recorded.trace()));
    println!(
        "  decoding the trace for the views afterwards: {:.2} ms (not part of the run)",
        ms(decode.wall)
    );
}

fn main() {
    bench("trivial spawn + join", 1.15, &TRIVIAL, || Box::pin(raw::trivial()));
    println!();
    bench("scale: spawn, sleep 1-1000 ms, join", 1.30, &SCALE, || Box::pin(raw::scale()));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ns_per(d: Duration) -> f64 {
    d.as_nanos() as f64 / TASKS as f64
}
