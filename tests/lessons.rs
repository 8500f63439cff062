//! Every shipped lesson: its demo obeys the lifecycle, is deterministic, describes every await;
//! its Python original prints what the lesson says; its text avoids the notes' known slips.

use std::process::Command;

use asyncdemo::engine::event::{Await, EventKind};
use asyncdemo::engine::lifecycle::Lifecycle;
use asyncdemo::engine::run::{self, RunConfig};
use asyncdemo::lesson::{Catalog, Lesson};

fn lessons() -> Vec<Lesson> {
    Catalog::embedded().expect("the shipped lessons are valid").lessons
}

#[test]
fn every_demo_makes_only_legal_transitions_and_every_task_ends() {
    for lesson in lessons() {
        let recording =
            run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).expect("the demo runs");
        let trace = recording.trace();
        assert_eq!(run::failure(&trace, recording.stopped()), None, "{}", lesson.id());
        let lifecycle = Lifecycle::of(&trace).expect("legal transitions");
        assert_eq!(lifecycle.tasks.len(), trace.tasks.len(), "{}: every task created", lesson.id());
        for task in &lifecycle.tasks {
            assert!(task.state.is_terminal(), "{}: task {} ended {}", lesson.id(), task.meta.id, task.state);
        }
    }
}

#[test]
fn every_demo_records_the_same_events_on_every_run() {
    for lesson in lessons() {
        // Values a demo marks as machine-dependent (`engine::event::varying`) are masked.
        let first = run::record(&lesson.demo.expect("a demo").program, RunConfig::default())
            .unwrap()
            .trace()
            .masked();
        let second = run::record(&lesson.demo.expect("a demo").program, RunConfig::default())
            .unwrap()
            .trace()
            .masked();
        assert_eq!(first.tasks, second.tasks, "{}", lesson.id());
        assert_eq!(first.events, second.events, "{}", lesson.id());
    }
}

/// Lessons whose demos await futures they write themselves (the lesson's subject): the trace
/// cannot say what such a future waits for, and shows an untraced future.
const OWN_FUTURES: [&str; 2] = ["coroutines", "awaitables"];

#[test]
fn every_suspension_says_what_it_awaits_and_where() {
    let mut missing = Vec::new();
    for lesson in lessons() {
        let trace = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
        for event in &trace.events {
            if let EventKind::Suspended { awaits, line } = &event.kind {
                let unknown = awaits.items().contains(&Await::Unknown);
                if unknown && OWN_FUTURES.contains(&lesson.id()) {
                    continue;
                }
                if unknown || line.is_none() {
                    missing.push(format!(
                        "{} {} at {}: {awaits} @ {line:?}",
                        lesson.id(),
                        event.task,
                        event.at
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_lesson_has_english_text() {
    for lesson in lessons() {
        let file = &lesson;
        assert!(file.title.en.is_some(), "{}: title", lesson.id());
        for section in &file.sections {
            assert!(
                section.heading.en.is_some() && section.body.en.is_some(),
                "{}: {}",
                lesson.id(),
                section.heading.ru
            );
        }
    }
}

/// The notes' typos and outdated calls (see COURSE.md) must not come back in the lessons' code;
/// the text may quote them only to point them out, but never misspells the glossary's terms.
#[test]
fn the_notes_known_slips_stay_fixed() {
    for lesson in lessons() {
        let code = &lesson.python.code;
        for slip in [
            "cencelled",
            "exeption(",
            "@asyncio.coroutine",
            "res.spent",
            "all_tasks(loop=",
            "get_event_loop()",
        ] {
            assert!(!code.contains(slip), "{}: the Python code contains {slip:?}", lesson.path);
        }
        let text: String =
            lesson.sections.iter().map(|s| format!("{}\n{}\n", s.heading.ru, s.body.ru)).collect();
        for misspelling in ["короутин", "таймаут", "Таймаут"] {
            assert!(!text.contains(misspelling), "{}: the text contains {misspelling:?}", lesson.path);
        }
    }
}

/// Runs every Python original under python3 (in parallel: they sleep) and compares what it
/// prints with what the lesson says it prints.
#[test]
fn every_python_original_prints_what_the_lesson_says() {
    if Command::new("python3").arg("--version").output().is_err() {
        // Under CI a missing tool is a failure, not a skip (`.ci/run` installs it).
        assert!(std::env::var_os("CI").is_none(), "python3 is not installed, and CI needs it");
        eprintln!("SKIPPED: python3 is not installed, so the Python originals were not run");
        return;
    }
    let runs: Vec<_> = lessons()
        .into_iter()
        .map(|lesson| {
            std::thread::spawn(move || {
                let output = Command::new("python3").arg("-c").arg(&lesson.python.code).output().unwrap();
                (lesson, output)
            })
        })
        .collect();
    for run in runs {
        let (lesson, output) = run.join().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: python3 failed:\n{stderr}", lesson.id());
        let printed = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            printed,
            lesson.python.output,
            "{}: the Python output differs (stderr: {stderr})",
            lesson.id()
        );
    }
}

/// `tokio::select!` polls its branches in random order unless told `biased;`: a demo without it
/// would not be deterministic.
#[test]
fn every_select_in_a_demo_is_biased() {
    for demo in asyncdemo::demos::DEMOS {
        for (at, _) in demo.source.match_indices("select! {") {
            let line_start = demo.source[..at].rfind('\n').map_or(0, |i| i + 1);
            if demo.source[line_start..at].trim_start().starts_with("//") {
                continue; // a comment that mentions select!
            }
            let body = demo.source[at..].trim_start_matches("select! {").trim_start();
            assert!(body.starts_with("biased;"), "{}: a select! without `biased;`", demo.file());
        }
    }
}

/// Every quiz of every lesson has one clear answer in the lesson's recorded run.
#[test]
fn every_quiz_is_answered_by_its_recorded_run() {
    for lesson in lessons() {
        if lesson.quizzes.is_empty() {
            continue;
        }
        let trace = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
        for (i, quiz) in lesson.quizzes.iter().enumerate() {
            for lang in [asyncdemo::lesson::Lang::Ru, asyncdemo::lesson::Lang::En] {
                let solved = asyncdemo::quiz::solve(quiz, &trace, lang, &lesson.prints);
                assert!(solved.is_ok(), "{} quiz {}: {}", lesson.id(), i + 1, solved.unwrap_err());
            }
            assert!(quiz.question.en.is_some(), "{} quiz {}: an English question", lesson.id(), i + 1);
        }
    }
}

/// Every lesson has two to five guided stops, each reached in its recorded run, in order.
#[test]
fn every_lesson_has_guided_stops_that_its_run_reaches() {
    for lesson in lessons() {
        assert!((2..=5).contains(&lesson.stops.len()), "{}: {} stops", lesson.id(), lesson.stops.len());
        let trace = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
        let cursors = asyncdemo::view::stops::cursors(&lesson.stops, &trace);
        assert!(cursors.is_ok(), "{}: {}", lesson.id(), cursors.unwrap_err());
        for stop in &lesson.stops {
            assert!(stop.caption.en.is_some(), "{}: a stop's caption in English", lesson.id());
        }
    }
}

/// Every lesson has speaker notes for the presenter, in Russian and English.
#[test]
fn every_lesson_has_speaker_notes() {
    for lesson in lessons() {
        let notes = lesson.notes.as_ref().unwrap_or_else(|| panic!("{}: speaker notes", lesson.id()));
        assert!(
            notes.ru.lines().count() >= 3 && notes.en.is_some(),
            "{}: notes in both languages",
            lesson.id()
        );
    }
}
