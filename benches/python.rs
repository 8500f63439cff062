//! The Python tracer's cost (`cargo bench --bench python`, or `just bench`):
//!
//! - the scale lesson's Python original (100,000 tasks under one `gather`, each sleeping a
//!   seeded 1–1000 ms) under plain `python3` and under the tracer, interleaved in one run: the
//!   CPU time (user + system) each takes, and their ratio (target: at most 2.0×). Plain python3
//!   also waits about a second of real time for its sleeps, which the virtual clock skips, so
//!   CPU time is the fair measure of what tracing adds;
//! - the time `asyncdemo run LESSON --python --plain` takes to print its last line, for every
//!   lesson of the course.

use std::process::Command;
use std::time::{Duration, Instant};

use asyncdemo::lesson::Catalog;

const ROUNDS: usize = 3;

fn main() {
    let catalog = Catalog::embedded().unwrap();
    let scale = catalog.find("scale").unwrap();
    let dir = std::env::temp_dir().join(format!("asyncdemo-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let program = dir.join("scale.py");
    std::fs::write(&program, &scale.python.code).unwrap();
    let tracer = dir.join("asyncdemo_tracer.py");
    std::fs::write(&tracer, asyncdemo::engine::python::TRACER).unwrap();
    let version = Command::new("python3").arg("--version").output().expect("python3 runs");
    println!(
        "python: the scale lesson's original (100,000 tasks), {}; {ROUNDS} rounds, plain and traced interleaved",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let plain = measure(Command::new("python3").arg(&program));
        let traced = measure(Command::new("python3").arg(&tracer).arg(&program));
        let ratio = traced.cpu.as_secs_f64() / plain.cpu.as_secs_f64();
        ratios.push(ratio);
        println!(
            "  round {round}: plain python3 {:.2} s CPU ({:.2} s wall), traced {:.2} s CPU ({:.2} s wall, {} MiB of trace): {ratio:.2}×",
            plain.cpu.as_secs_f64(),
            plain.wall.as_secs_f64(),
            traced.cpu.as_secs_f64(),
            traced.wall.as_secs_f64(),
            traced.output / (1 << 20),
        );
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ROUNDS / 2];
    println!("  traced / plain CPU time, median of {ROUNDS}: {median:.2}×  target <= 2.0×");

    println!("`asyncdemo run LESSON --python --plain`, to its last line:");
    let bin = env!("CARGO_BIN_EXE_asyncdemo");
    let mut total = Duration::ZERO;
    let mut slowest = (Duration::ZERO, String::new());
    for lesson in &catalog.lessons {
        let start = Instant::now();
        let output = Command::new(bin).args(["run", lesson.id(), "--python", "--plain"]).output().unwrap();
        let took = start.elapsed();
        assert!(output.status.success(), "{}: {}", lesson.id(), String::from_utf8_lossy(&output.stderr));
        total += took;
        if took > slowest.0 {
            slowest = (took, lesson.id().to_owned());
        }
        println!("  {:<14} {:>7.0} ms", lesson.id(), took.as_secs_f64() * 1000.0);
    }
    println!(
        "  all {} lessons: {:.1} s; the slowest: {} ({:.0} ms)",
        catalog.lessons.len(),
        total.as_secs_f64(),
        slowest.1,
        slowest.0.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(median <= 2.0, "the tracer costs more than 2.0× plain python3");
}

struct Measured {
    wall: Duration,
    cpu: Duration,
    /// Bytes written to stdout.
    output: usize,
}

/// Runs `command` to its end: wall time, and the CPU time of the child (user + system).
fn measure(command: &mut Command) -> Measured {
    let before = children_cpu();
    let start = Instant::now();
    let output = command.output().expect("python3 runs");
    let wall = start.elapsed();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Measured { wall, cpu: children_cpu().saturating_sub(before), output: output.stdout.len() }
}

/// The CPU time of this process's children that have ended (getrusage).
fn children_cpu() -> Duration {
    // SAFETY: `getrusage` writes into the zeroed struct we own and reads nothing else.
    #[allow(unsafe_code)]
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}
