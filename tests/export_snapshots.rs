//! One insta snapshot per lesson of each export the binary writes: the Perfetto trace (one
//! trace event a line, so a change reads as a diff) and the Markdown handout. Like the
//! transcripts, they are deterministic: the same lesson and seed give the same bytes.
//!
//! In a test binary of its own: `glob!` books failures in a process-wide stack.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

/// Exports lesson `id` to `file` (its extension chooses the format) and returns the text.
fn export(id: &str, file: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
        .args(["export", id, "--to"])
        .arg(file)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{id}: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(file).expect("the export is written")
}

fn scratch(id: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("export-snapshots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(id)
}

#[test]
fn lesson_exports() {
    common::run_snapshot_settings().bind(|| {
        insta::glob!("../lessons", "*.toml", |path| {
            let id = path.file_stem().unwrap().to_str().unwrap();
            let base = scratch(id);

            // The trace, one event a line.
            let json = export(id, &base.with_extension("json"), &[]);
            let document: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            let events = document["traceEvents"].as_array().expect("traceEvents");
            let mut trace = String::new();
            for event in events {
                trace.push_str(&event.to_string());
                trace.push('\n');
            }
            insta::with_settings!({ snapshot_suffix => id }, {
                insta::assert_snapshot!("perfetto", trace);
            });

            // The Markdown handout, and its timeline beside it.
            let markdown = export(id, &base.with_extension("md"), &[]);
            let svg = base.with_file_name(format!("{id}.timeline.svg"));
            let drawing = std::fs::read_to_string(&svg).expect("the timeline beside the Markdown");
            assert!(drawing.starts_with("<svg") && drawing.trim_end().ends_with("</svg>"), "{id}");
            assert!(
                markdown.contains(&format!("]({id}.timeline.svg)")),
                "{id}: the Markdown shows its timeline"
            );
            insta::with_settings!({ snapshot_suffix => id }, {
                insta::assert_snapshot!("handout", markdown);
            });
        });
    });
    let _ = std::fs::remove_dir_all(scratch("x").parent().unwrap());
}
