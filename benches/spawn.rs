//! Spawns and joins 100,000 trivial tasks through the trace engine (every event recorded) and
//! with raw `tokio::spawn`, on the same kind of runtime, in one run; prints both, the ratio and
//! the memory the recorded events take per task.
//!
//! `cargo bench --bench spawn` (or `just bench`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use asyncdemo::demos::Demo;
use asyncdemo::engine::event::{Event, EventKind, TaskMeta, Value};
use asyncdemo::engine::{self, runner};

const TASKS: u64 = 100_000;
const ROUNDS: usize = 41;

async fn traced_main() {
    let mut handles = Vec::with_capacity(TASKS as usize);
    for i in 0..TASKS {
        handles.push(engine::spawn("noop", async move { black_box(i) }));
    }
    for handle in handles {
        black_box(handle.await.unwrap());
    }
}

static TRACED: Demo = Demo { id: "bench", file: file!(), source: "", main: || Box::pin(traced_main()) };

/// One measurement: wall time, and CPU time (user + system) of the whole process, which leaves
/// out the time this shared machine spent running someone else.
#[derive(Copy, Clone)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn cpu_time() -> Duration {
    // SAFETY: `getrusage` only writes into the struct we pass.
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
/// `current_thread` runtime, runs the tasks and drops the runtime.
fn raw() -> Sample {
    measure(|| std::thread::spawn(raw_run).join().unwrap()).0
}

fn raw_run() {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    runtime.block_on(async {
        let main = tokio::spawn(async {
            let mut handles = Vec::with_capacity(TASKS as usize);
            for i in 0..TASKS {
                handles.push(tokio::spawn(async move { black_box(i) }));
            }
            for handle in handles {
                black_box(handle.await.unwrap());
            }
        });
        main.await.unwrap();
    });
    drop(runtime);
}

fn traced() -> (Sample, asyncdemo::engine::event::Trace) {
    // The runner's own thread start is part of every run, so time the whole `record` call.
    let (sample, recording) =
        measure(|| runner::record(&TRACED, runner::RunConfig::default()).expect("bench demo runs"));
    (sample, recording.trace)
}

fn main() {
    // Warm up both paths (allocator, page faults), then interleave the rounds so that noise on
    // this machine hits both alike.
    let _ = raw();
    let _ = traced();
    let mut raw_times = Vec::new();
    let mut traced_times = Vec::new();
    let mut last_trace = None;
    for _ in 0..ROUNDS {
        raw_times.push(raw());
        let (elapsed, trace) = traced();
        traced_times.push(elapsed);
        last_trace = Some(trace);
    }
    // Each round measures raw and traced back to back; the median of those paired ratios
    // holds up better against this machine's drifting load than a ratio of two medians.
    let paired = |time: fn(&Sample) -> Duration| -> f64 {
        let mut ratios: Vec<f64> = raw_times
            .iter()
            .zip(&traced_times)
            .map(|(r, t)| time(t).as_secs_f64() / time(r).as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    let median = |samples: &[Sample], time: fn(&Sample) -> Duration| {
        let mut times: Vec<Duration> = samples.iter().map(time).collect();
        times.sort();
        times[times.len() / 2]
    };
    type Time = fn(&Sample) -> Duration;
    let wall: Time = |s| s.wall;
    let cpu: Time = |s| s.cpu;
    let trace = last_trace.unwrap();
    println!("spawn + join {TASKS} trivial tasks, current_thread runtime, {ROUNDS} rounds (medians)");
    for (label, samples) in [("raw tokio::spawn", &raw_times), ("traced (engine)", &traced_times)] {
        let (w, c) = (median(samples, wall), median(samples, cpu));
        println!(
            "  {label:<17}  wall {:>6.2} ms ({:.0} ns/task)   cpu {:>6.2} ms ({:.0} ns/task)",
            ms(w),
            ns_per(w),
            ms(c),
            ns_per(c)
        );
    }
    println!(
        "  ratio traced/raw   wall {:.3}x   cpu {:.3}x   (median of paired rounds; target <= 1.25x)",
        paired(wall),
        paired(cpu)
    );
    // Memory the recording holds per task: the events themselves, any result text on the heap,
    // and the task table (name, parent). Counted from lengths, not reserved capacity.
    let event_bytes = trace.events.len() * std::mem::size_of::<Event>();
    let text_bytes: usize = trace
        .events
        .iter()
        .map(|e| match &e.kind {
            EventKind::Done { result: Value::Debug(text) } => text.len() + size_of::<String>(),
            EventKind::Print { text } | EventKind::Failed { error: text } => text.len() + size_of::<String>(),
            _ => 0,
        })
        .sum();
    let meta_bytes = trace.tasks.len() * std::mem::size_of::<TaskMeta>();
    let tasks = trace.tasks.len() as f64;
    println!(
        "  recorded: {} events for {} tasks ({:.1} per task), {} bytes per event",
        trace.events.len(),
        trace.tasks.len(),
        trace.events.len() as f64 / tasks,
        size_of::<Event>()
    );
    println!(
        "  memory per task: {:.0} bytes = {:.0} events + {:.0} result text + {:.0} task table",
        (event_bytes + text_bytes + meta_bytes) as f64 / tasks,
        event_bytes as f64 / tasks,
        text_bytes as f64 / tasks,
        meta_bytes as f64 / tasks,
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ns_per(d: Duration) -> f64 {
    d.as_nanos() as f64 / TASKS as f64
}
