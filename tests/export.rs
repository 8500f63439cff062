//! The Perfetto export: every lesson's run, in both time modes, follows the trace format's rules
//! (a name for the process and every task's track, timestamps in order, a track's state slices
//! strictly one after another, every flow's start with its end); the command writes it.

use std::collections::HashMap;
use std::process::Command;

use asyncdemo::engine::run::RunConfig;
use asyncdemo::lesson::{Catalog, RunOf};
use asyncdemo::view::perfetto::{self, Time};
use serde_json::Value;

fn check(id: &str, document: &Value, tasks: usize) {
    let events = document["traceEvents"].as_array().expect("traceEvents");
    let names: Vec<u64> = events
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
        .filter_map(|e| e["tid"].as_u64())
        .collect();
    assert_eq!(names, (1..=tasks as u64).collect::<Vec<_>>(), "{id}: a named track per task, in order");
    assert!(events.iter().any(|e| e["ph"] == "M" && e["name"] == "process_name"), "{id}");
    let mut last = f64::MIN;
    let mut tracks: HashMap<u64, Vec<(f64, f64)>> = HashMap::new();
    let mut flows: HashMap<u64, (Option<f64>, Option<f64>)> = HashMap::new();
    for event in events.iter().filter(|e| e["ph"] != "M") {
        let ts = event["ts"].as_f64().unwrap_or_else(|| panic!("{id}: no ts in {event}"));
        assert!(ts >= last, "{id}: timestamps in order ({ts} after {last})");
        last = ts;
        match event["ph"].as_str().unwrap() {
            "X" => {
                let dur = event["dur"].as_f64().expect("dur");
                assert!(dur >= 0.0, "{id}: {event}");
                tracks.entry(event["tid"].as_u64().unwrap()).or_default().push((ts, dur));
            }
            "s" => flows.entry(event["id"].as_u64().unwrap()).or_default().0 = Some(ts),
            "f" => {
                assert_eq!(event["bp"], "e", "{id}: a flow ends on the enclosing slice");
                flows.entry(event["id"].as_u64().unwrap()).or_default().1 = Some(ts);
            }
            "i" => assert_eq!(event["s"], "t", "{id}: instants on their task's track"),
            "C" => assert!(event["args"]["ready"].as_i64().unwrap() >= 0, "{id}: {event}"),
            other => panic!("{id}: an event of phase {other}"),
        }
    }
    for (tid, slices) in &tracks {
        for pair in slices.windows(2) {
            let ((ts, dur), (next, _)) = (pair[0], pair[1]);
            assert!(ts + dur <= next + 1e-6, "{id}: #{tid}'s slices overlap: {pair:?}");
        }
    }
    for (flow, ends) in &flows {
        let (Some(start), Some(end)) = ends else { panic!("{id}: flow {flow} is not a pair: {ends:?}") };
        assert!(start <= end, "{id}: flow {flow} ends before it starts");
    }
}

#[test]
fn every_lessons_perfetto_trace_follows_the_formats_rules() {
    for lesson in Catalog::embedded().unwrap().lessons {
        let trace = lesson.record(RunOf::Rust, RunConfig::default(), None).unwrap().trace;
        for time in [Time::Virtual, Time::Steps] {
            check(lesson.id(), &perfetto::export(lesson.id(), &trace, time), trace.tasks.len());
        }
    }
}

#[test]
fn the_command_writes_the_trace_and_shows_the_python_original_alone() {
    let bin = env!("CARGO_BIN_EXE_asyncdemo");
    let file = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gather-{}.json", std::process::id()));
    let output = Command::new(bin).args(["export", "gather", "--to"]).arg(&file).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let catalog = Catalog::embedded().unwrap();
    let tasks = catalog
        .find("gather")
        .unwrap()
        .record(RunOf::Rust, RunConfig::default(), None)
        .unwrap()
        .trace
        .tasks
        .len();
    check("gather", &document, tasks);
    let _ = std::fs::remove_file(&file);
    let output = Command::new(bin).args(["export", "gather", "--to", "gather.txt"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(".json"));

    // `show --python`: the original as it is, to save and run.
    let output = Command::new(bin).args(["show", "gather", "--python"]).output().unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), catalog.find("gather").unwrap().python.code);
}
