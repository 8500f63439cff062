//! Paced runs: the clock driven from outside records exactly what a recorded run records, and
//! a cancel from outside is a real cancellation.

use std::time::Duration;

use asyncdemo::engine::event::{Canceller, Event, EventKind, TaskId, TaskMeta, VTime};
use asyncdemo::engine::lifecycle::{Lifecycle, State};
use asyncdemo::engine::run::paced::{self, Command, PacedRun, Update};
use asyncdemo::engine::run::{self, RunConfig};
use asyncdemo::lesson::Catalog;

#[test]
fn a_paced_run_records_the_same_events_as_a_recorded_run_for_every_lesson() {
    for lesson in Catalog::embedded().unwrap().lessons {
        let recorded = run::record(&lesson.demo.expect("a demo").program, RunConfig::default())
            .unwrap()
            .trace()
            .masked();
        for step in [Duration::from_millis(100), Duration::from_millis(730)] {
            let (tasks, events, end) =
                paced::run_in_steps(&lesson.demo.expect("a demo").program, RunConfig::default(), step);
            assert_eq!(end, Update::Ended { stopped: None, dropped: 0 }, "{}", lesson.id());
            let paced = asyncdemo::engine::event::Trace { tasks, events, dropped: 0 }.masked();
            assert_eq!(paced.tasks, recorded.tasks, "{} (steps of {step:?})", lesson.id());
            assert_eq!(paced.events, recorded.events, "{} (steps of {step:?})", lesson.id());
        }
    }
}

/// The next update, which must be a `Progress`: its new tasks and events.
fn progress(run: &mut PacedRun) -> (Vec<TaskMeta>, Vec<Event>) {
    match run.updates.blocking_recv() {
        Some(Update::Progress { tasks, events, .. }) => (tasks, events),
        other => panic!("expected progress, got {other:?}"),
    }
}

fn next_progress(run: &mut PacedRun) -> Vec<Event> {
    progress(run).1
}

#[test]
fn stepping_event_by_event_also_matches_the_recorded_run() {
    let lesson = Catalog::embedded().unwrap().find("gather").unwrap().clone();
    let recorded = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
    let mut run = PacedRun::start(&lesson.demo.expect("a demo").program, RunConfig::default());
    let mut events = next_progress(&mut run);
    loop {
        run.send(Command::Step);
        match run.updates.blocking_recv().unwrap() {
            Update::Progress { events: more, .. } => {
                assert!(!more.is_empty(), "a step records at least one event");
                events.extend(more);
            }
            Update::Ended { stopped, .. } => {
                assert_eq!(stopped, None);
                break;
            }
            Update::Crashed(why) => panic!("{why}"),
        }
    }
    assert_eq!(events, recorded.events);
}

#[test]
fn the_clock_holds_still_until_asked() {
    let lesson = Catalog::embedded().unwrap().find("gather").unwrap().clone();
    let mut run = PacedRun::start(&lesson.demo.expect("a demo").program, RunConfig::default());
    let first = next_progress(&mut run);
    assert!(first.iter().all(|e| e.at.0 == 0), "only time 0 before any command");
    // Real time passes; virtual time does not.
    std::thread::sleep(Duration::from_millis(200));
    assert!(run.updates.try_recv().is_err(), "nothing happens while nobody asks");
    run.send(Command::AdvanceTo(VTime::from_duration(Duration::from_millis(1500))));
    let more = next_progress(&mut run);
    assert!(!more.is_empty());
    assert!(more.iter().all(|e| e.at.0 <= 1_500_000_000), "nothing past the target");
}

#[test]
fn a_cancel_from_the_viewer_really_cancels_the_task_and_runs_its_cleanup() {
    // The shield lesson's `work` task (#2) prints from a Drop guard when it is cancelled.
    let lesson = Catalog::embedded().unwrap().find("shield").unwrap().clone();
    let written = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
    let work = TaskId(2);
    // Where the view showed everything up to 1.5 s.
    let at = written.events.iter().take_while(|e| e.at.0 <= 1_500_000_000).count();
    let (tasks, events, end) =
        paced::run_with_cancels(&lesson.demo.expect("a demo").program, RunConfig::default(), &[(at, work)]);
    assert!(matches!(end, Update::Ended { .. }), "{end:?}");
    assert_eq!(events[..at], written.events[..at], "the run as written up to the cancel");
    assert_eq!(
        events[at],
        Event {
            at: written.events[at - 1].at,
            task: work,
            kind: EventKind::CancelAsked { by: Canceller::Viewer }
        },
        "the request is the next event, at the moment shown"
    );
    let cleanup = events.iter().position(|e| {
        e.task == work && matches!(&e.kind, EventKind::Print { text } if text.contains("отменили"))
    });
    let cancelled = events
        .iter()
        .position(|e| e.task == work && e.kind == EventKind::Cancelled { by: Some(Canceller::Viewer) });
    assert!(cleanup.is_some() && cancelled.is_some() && cleanup < cancelled, "{events:#?}");
    // The demo reacts as its own code does: main, waiting for that task, sees it cancelled.
    let said_so = events.iter().any(|e| {
        e.task == TaskId(1) && matches!(&e.kind, EventKind::Print { text } if &**text == "задача не доработала: отменена = true")
    });
    assert!(said_so, "{events:#?}");
    let lifecycle = Lifecycle::of(&asyncdemo::engine::event::Trace { tasks, events, dropped: 0 }).unwrap();
    assert_eq!(lifecycle.get(work).unwrap().state, State::Cancelled);
    assert_eq!(lifecycle.get(TaskId(1)).unwrap().state, State::Done);
}

#[test]
fn a_run_with_several_cancels_is_rebuilt_the_same_from_its_cancels() {
    // gather's three workers, the first two cancelled at two moments.
    let lesson = Catalog::embedded().unwrap().find("gather").unwrap().clone();
    let cancels = [(6, TaskId(2)), (9, TaskId(3))];
    let first =
        paced::run_with_cancels(&lesson.demo.expect("a demo").program, RunConfig::default(), &cancels);
    let again =
        paced::run_with_cancels(&lesson.demo.expect("a demo").program, RunConfig::default(), &cancels);
    assert_eq!(first, again, "deterministic");
    let asked: Vec<(usize, TaskId)> = first
        .1
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, EventKind::CancelAsked { by: Canceller::Viewer }))
        .map(|(i, e)| (i, e.task))
        .collect();
    // Each request comes once its count is reached: right after, or after the rest of the
    // record that reached it (a spawn records Created and Scheduled together).
    assert_eq!(asked.len(), 2, "{asked:?}");
    for ((index, task), (at, cancelled)) in asked.iter().zip(cancels) {
        assert_eq!(*task, cancelled);
        assert!((at..=at + 1).contains(index), "{asked:?}");
    }
}

/// No cancel a learner makes breaks a lesson: every task of every lesson, cancelled at each of
/// its await points (the first time it waits at each line), leaves `main` ending without a
/// panic the cancel caused (the demos handle a cancelled join the way their lessons explain).
#[test]
fn no_cancel_at_any_await_point_makes_main_panic() {
    let mut tried = 0;
    let mut broken = Vec::new();
    let mut untranslated = std::collections::BTreeSet::new();
    for lesson in Catalog::embedded().unwrap().lessons {
        let trace = run::record(&lesson.demo.expect("a demo").program, RunConfig::default()).unwrap().trace();
        // A lesson of a hundred thousand tasks: its first forty stand for the rest.
        let mut seen = std::collections::HashSet::new();
        for (index, event) in trace.events.iter().enumerate() {
            let EventKind::Suspended { line, .. } = &event.kind else { continue };
            let task = event.task;
            if task == asyncdemo::engine::MAIN_TASK || task.0 > 40 || !seen.insert((task, *line)) {
                continue;
            }
            tried += 1;
            let (tasks, events, end) = paced::run_with_cancels(
                &lesson.demo.expect("a demo").program,
                RunConfig::default(),
                &[(index + 1, task)],
            );
            let cancelled = asyncdemo::engine::event::Trace { tasks, events, dropped: 0 };
            let asked = cancelled
                .events
                .iter()
                .any(|e| e.task == task && matches!(e.kind, EventKind::CancelAsked { .. }));
            assert!(asked, "{}: the cancel of {task} at event {} was made", lesson.id(), index + 1);
            let stopped = match end {
                Update::Ended { stopped, .. } => stopped,
                other => panic!("{}: cancelling {task}: {other:?}", lesson.id()),
            };
            // What the demo prints after a cancel has its English too.
            for line in cancelled.printed() {
                if lesson.prints.translate(line, asyncdemo::lesson::Lang::En).is_none() {
                    untranslated.insert(format!("{}: `{line}`", lesson.id()));
                }
            }
            if let Some(why) = run::failure(&cancelled, stopped) {
                broken.push(format!("{}: cancelling {task} at event {}: {why}", lesson.id(), index + 1));
            }
        }
    }
    assert!(tried > 100, "only {tried} cancels tried");
    assert!(broken.is_empty(), "{} of {tried} cancels broke a lesson:\n{}", broken.len(), broken.join("\n"));
    let untranslated: Vec<String> = untranslated.into_iter().collect();
    assert!(
        untranslated.is_empty(),
        "lines printed after a cancel with no English:\n{}",
        untranslated.join("\n")
    );
}

/// Cancels that name no task of the run (from a peer of its own making, say) are recorded as
/// asked and do nothing else; the run goes on to its end.
#[test]
fn cancels_of_tasks_that_do_not_exist_break_nothing() {
    let lesson = Catalog::embedded().unwrap().find("gather").unwrap().clone();
    let cancels = [(0, TaskId(0)), (3, TaskId(u32::MAX)), (usize::MAX, TaskId(2))];
    let (_, events, end) =
        paced::run_with_cancels(&lesson.demo.expect("a demo").program, RunConfig::default(), &cancels);
    assert!(matches!(end, Update::Ended { stopped: None, .. }), "{end:?}");
    assert!(events.iter().any(|e| matches!(e.kind, EventKind::Done { .. }) && e.task == TaskId(1)));
}
