//! The Perfetto export: every lesson's run, in both time modes, follows the trace format's rules
//! (a name for the process and every task's track, timestamps in order, a track's state slices
//! strictly one after another, every flow's start with its end); the command writes it.

use std::collections::HashMap;
use std::process::Command;

use asyncdemo::engine::run::RunConfig;
use asyncdemo::lesson::{Catalog, RunOf};
use asyncdemo::view::perfetto::{self, Time};
use serde_json::Value;

/// `tasks`: how many tasks have a track (a big run draws its first ones).
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
        let tid = event["tid"].as_u64().unwrap_or(0);
        assert!(tid == 0 || names.contains(&tid), "{id}: an event on a track with no name: {event}");
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

/// The tasks a trace draws: all of them, or the first 20 of a run of more than 40.
fn drawn(trace: &asyncdemo::engine::event::Trace) -> usize {
    if trace.tasks.len() > 40 { 20 } else { trace.tasks.len() }
}

#[test]
fn a_big_run_draws_its_first_tasks_and_counts_them_all() {
    let catalog = Catalog::embedded().unwrap();
    let trace = catalog.find("scale").unwrap().record(RunOf::Rust, RunConfig::default(), None).unwrap().trace;
    assert!(trace.tasks.len() > 100_000);
    let document = perfetto::export("scale", &trace, Time::Virtual);
    let events = document["traceEvents"].as_array().unwrap();
    assert!(events.len() < 2_000, "{} trace events for 20 tasks drawn", events.len());
    assert!(events.iter().all(|e| e["tid"].as_u64().unwrap_or(0) <= 20), "only #1…#20 have tracks");
    let title =
        events.iter().find(|e| e["name"] == "process_name").unwrap()["args"]["name"].as_str().unwrap();
    assert!(title.contains("more in the counters"), "{title}");
    // The counters count every task: at the peak, 100,000 tasks wait on a timer.
    let most = events.iter().filter(|e| e["ph"] == "C").filter_map(|e| e["args"]["timers"].as_i64()).max();
    assert!(most.unwrap_or(0) >= 100_000, "{most:?}");
    check("scale", &document, 20);
    // Cut in the middle, with tasks drawn and not drawn still waiting: only the drawn have slices.
    let mut cut = trace.clone();
    cut.events.truncate(trace.events.len() / 2);
    check("scale, cut", &perfetto::export("scale", &cut, Time::Steps), 20);
}

#[test]
fn every_lessons_perfetto_trace_follows_the_formats_rules() {
    for lesson in Catalog::embedded().unwrap().lessons {
        let trace = lesson.record(RunOf::Rust, RunConfig::default(), None).unwrap().trace;
        for time in [Time::Virtual, Time::Steps] {
            check(lesson.id(), &perfetto::export(lesson.id(), &trace, time), drawn(&trace));
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
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.starts_with("error: ")
            && said.contains(".json")
            && said.contains(".html")
            && said.contains("--format"),
        "{said}"
    );

    // `show --python`: the original as it is, to save and run.
    let output = Command::new(bin).args(["show", "gather", "--python"]).output().unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), catalog.find("gather").unwrap().python.code);
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn asyncdemo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_asyncdemo")).args(args).output().unwrap()
}

#[test]
fn handouts_are_written_by_extension_or_format() {
    let dir = scratch("handouts");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();

    // .html: one page with everything in it: no link or script from elsewhere.
    let output = asyncdemo(&["export", "gather", "--to", &path("gather.html"), "--lang", "en"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = std::fs::read_to_string(dir.join("gather.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en\">"));
    for outside in [" src=", "<link", "@import", "url("] {
        assert!(!html.contains(outside), "the page loads something from elsewhere: {outside}");
    }
    assert!(html.contains("asyncio.gather") && html.contains("join_all"), "both programs");
    assert!(html.contains("<details class=\"answer\">"), "the quizzes' answers behind a click");

    // .md, and the timeline beside it; --format wins over the extension.
    let output = asyncdemo(&["export", "gather", "--to", &path("notes.txt"), "--format", "md"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let markdown = std::fs::read_to_string(dir.join("notes.txt")).unwrap();
    assert!(markdown.starts_with("# gather"), "{}", &markdown[..80]);
    assert!(markdown.contains("](notes.timeline.svg)"));
    assert!(std::fs::read_to_string(dir.join("notes.timeline.svg")).unwrap().starts_with("<svg"));

    // The Python run's handout (where python3 is).
    if asyncdemo::engine::python::check_version(&asyncdemo::engine::python::interpreter(None)).is_ok() {
        let output = asyncdemo(&["export", "gather", "--python", "--to", &path("gather-python.md")]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let markdown = std::fs::read_to_string(dir.join("gather-python.md")).unwrap();
        assert!(markdown.contains("asyncio (Python)") && markdown.contains("asyncdemo run gather --python"));
    }

    // A directory that is not there is a clear error, not a panic.
    let output = asyncdemo(&["export", "gather", "--to", &path("missing/gather.html")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: cannot write"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_course_is_a_book_of_linked_pages() {
    let dir = scratch("book");
    let book = dir.to_str().unwrap().to_owned();
    let output = asyncdemo(&["export", "--course", "--to", &book, "--lang", "en"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let catalog = Catalog::embedded().unwrap();
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let mut at = 0;
    for (i, lesson) in catalog.lessons.iter().enumerate() {
        // The contents link every lesson, in course order.
        let link = format!("href=\"{}.html\"", lesson.id());
        let found = index[at..]
            .find(&link)
            .unwrap_or_else(|| panic!("{} is not in order in the contents", lesson.id()));
        at += found;
        let page = std::fs::read_to_string(dir.join(format!("{}.html", lesson.id()))).unwrap();
        assert!(page.contains("href=\"index.html\""), "{}: a link to the contents", lesson.id());
        assert!(page.contains(&format!("Lesson {} of {}", i + 1, catalog.lessons.len())), "{}", lesson.id());
        let title = asyncdemo::handout::escape(lesson.title.get(asyncdemo::lesson::Lang::En));
        assert!(page.contains(&title), "{}: in English", lesson.id());
        if let Some(next) = catalog.lessons.get(i + 1) {
            assert!(
                page.contains(&format!("href=\"{}.html\"", next.id())),
                "{}: a link to the next",
                lesson.id()
            );
        }
    }

    // As Markdown.
    let output = asyncdemo(&["export", "--course", "--to", &format!("{book}/md"), "--format", "md"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::read_to_string(dir.join("md/index.md")).unwrap().contains("(gather.md)"));
    assert!(dir.join("md/gather.timeline.svg").is_file());

    // What --course cannot do.
    for (args, says) in [
        (vec!["export", "--course", "--to", &book, "--format", "json"], "--format html"),
        (vec!["export", "gather", "--course", "--to", &book], "cannot be used with"),
        (vec!["export", "--to", &book], "required"),
    ] {
        let output = asyncdemo(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(says),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
