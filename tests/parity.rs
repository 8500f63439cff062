//! The proof that tracing does not change what a demo does: every lesson's demo, run traced and
//! run on tokio itself, prints the same lines in the same order.
//!
//! The plain side is the `asyncdemo-plain` binary, built here with `--features plain-tokio`:
//! the demos compiled against tokio and std themselves, run on a `current_thread` runtime with
//! the paused clock, as `#[tokio::main(flavor = "current_thread", start_paused = true)]` builds
//! it. Values a demo marks as machine-dependent (`⟪…⟫`) are masked on both sides.

use std::path::PathBuf;
use std::process::Command;

use asyncdemo::engine::event::mask_varying;
use asyncdemo::engine::run::{self, RunConfig};
use asyncdemo::lesson::Catalog;

/// The demos that cannot print the same on tokio's own paused clock, and why. Each lesson says
/// so too.
const DIFFERENT: [(&str, &str); 2] = [
    (
        "blocking",
        "`std::thread::sleep` takes virtual time on asyncdemo's clock, as a real sleep takes real time; \
         tokio's paused test clock does not move while a thread sleeps, so its ticks are never late",
    ),
    (
        "executor",
        "a blocking job's `std::thread::sleep` takes virtual time on asyncdemo's clock while the runtime goes on; \
         tokio's paused clock stands still while a job runs, so a timeout can never fire before the job ends",
    ),
];

/// Builds the plain binary (cargo keeps it up to date) and returns its path.
fn plain_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("plain");
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--features", "plain-tokio", "--bin", "asyncdemo-plain", "--target-dir"])
        .arg(&target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the demos against plain tokio failed");
    target.join("debug").join("asyncdemo-plain")
}

#[test]
fn every_demo_prints_the_same_lines_traced_and_on_plain_tokio() {
    let plain = plain_binary();
    let runs: Vec<_> = Catalog::embedded()
        .expect("the shipped lessons are valid")
        .lessons
        .into_iter()
        .map(|lesson| {
            let plain = plain.clone();
            std::thread::spawn(move || {
                let output = Command::new(&plain)
                    .arg(lesson.demo.expect("a demo").id)
                    .output()
                    .expect("the plain binary runs");
                assert!(output.status.success(), "{}: the plain run failed", lesson.id());
                let printed: Vec<String> = String::from_utf8(output.stdout)
                    .expect("UTF-8 output")
                    .lines()
                    .map(mask_varying)
                    .collect();
                let traced = run::record(&lesson.demo.expect("a demo").program, RunConfig::default())
                    .expect("the demo runs")
                    .trace();
                let traced: Vec<String> = traced.printed().map(mask_varying).collect();
                (lesson.id().to_owned(), printed, traced)
            })
        })
        .collect();
    let mut problems = Vec::new();
    for run in runs {
        let (id, plain, traced) = run.join().expect("the runs finish");
        let listed = DIFFERENT.iter().any(|(different, _)| *different == id);
        match (plain == traced, listed) {
            (true, false) | (false, true) => {}
            (false, false) => problems
                .push(format!("{id}: prints differently traced:\n  plain:  {plain:?}\n  traced: {traced:?}")),
            (true, true) => {
                problems.push(format!("{id}: listed as different, but prints the same: take it off the list"))
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
