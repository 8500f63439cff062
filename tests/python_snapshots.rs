//! One insta snapshot per lesson's Python original, traced: the plain transcript the real
//! binary prints for `run LESSON --python --plain` (under `python3`).
//!
//! In a test binary of its own: `glob!` books failures in a process-wide stack, so any other
//! test failing in the same binary would be reported against this one.

use std::process::Command;

mod common;

/// Lessons whose Python original runs event loops in several threads at once: which loop's
/// task comes first really races, so their ids and the order of events between the loops
/// differ from run to run (the lines printed do not). Their snapshot is what they print.
const RACING: &[&str] = &["multithread"];

#[test]
fn python_transcripts() {
    if Command::new("python3").arg("--version").output().is_err() {
        // Under CI a missing tool is a failure, not a skip (`.ci/run` installs it).
        assert!(std::env::var_os("CI").is_none(), "python3 is not installed, and CI needs it");
        eprintln!("SKIPPED: python3 is not installed, so no Python transcript was checked");
        return;
    }
    common::run_snapshot_settings().bind(|| {
        insta::glob!("../lessons", "*.toml", |path| {
            let id = path.file_stem().unwrap().to_str().unwrap();
            let output = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
                .args(["run", id, "--python", "--plain"])
                .output()
                .expect("the binary runs");
            assert!(output.status.success(), "{id}: {}", String::from_utf8_lossy(&output.stderr));
            let mut transcript = String::from_utf8(output.stdout).expect("UTF-8 transcript");
            if RACING.contains(&id) {
                transcript = transcript
                    .lines()
                    .filter_map(|line| line.split_once("│ ").map(|(_, printed)| format!("{printed}\n")))
                    .collect();
            }
            // Named after the lesson (`python_transcripts@gather.snap`).
            insta::with_settings!({ snapshot_suffix => id }, {
                insta::assert_snapshot!(transcript);
            });
        });
    });
}
