//! One insta snapshot per lesson: the plain transcript the real binary prints.
//!
//! In a test binary of its own: `glob!` books failures in a process-wide stack, so any other
//! test failing in the same binary would be reported against this one.

use std::process::Command;

mod common;

#[test]
fn lesson_transcripts() {
    common::run_snapshot_settings().bind(|| {
        insta::glob!("../lessons", "*.toml", |path| {
            let id = path.file_stem().unwrap().to_str().unwrap();
            let output = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
                .args(["run", id, "--plain"])
                .output()
                .expect("the binary runs");
            assert!(output.status.success(), "{id}: {}", String::from_utf8_lossy(&output.stderr));
            let transcript = String::from_utf8(output.stdout).expect("UTF-8 transcript");
            // Named after the lesson (`lesson_transcripts@gather.snap`), however many files match.
            insta::with_settings!({ snapshot_suffix => id }, {
                insta::assert_snapshot!(transcript);
            });
        });
    });
}
