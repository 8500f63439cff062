//! The trace engine, one behaviour per test: each test runs a tiny program, written as plain
//! tokio code against asyncdemo's `tokio` and `std` stand-ins (as the demos are), and checks
//! the exact events it recorded.

use asyncdemo::engine::event::{Await, EventKind, TaskId, TaskKind, Trace, VTime, Value, WakeCause};
use asyncdemo::engine::facade::{futures, std, tokio};
use asyncdemo::engine::lifecycle::{Lifecycle, State};
use asyncdemo::engine::program::Program;
use asyncdemo::engine::run::{self, RunConfig, RunError, Stop};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{Instant, sleep};

/// The demos' `println!`: the line goes into the trace.
macro_rules! println {
    ($($arg:tt)*) => {
        asyncdemo::engine::facade::print(::std::format!($($arg)*))
    };
}

macro_rules! program {
    ($name:ident, $body:expr) => {
        static $name: Program = Program { name: stringify!($name), file: file!(), main: || Box::pin($body) };
    };
}

fn record(program: &'static Program) -> Trace {
    let recording = run::record(program, RunConfig::default()).expect("the program runs");
    let trace = recording.trace();
    assert_eq!(run::failure(&trace, recording.stopped()), None, "the run failed");
    trace
}

/// `(time in ms, task, what happened)` for every event, in a form easy to compare.
fn lines(trace: &Trace) -> Vec<String> {
    trace
        .events
        .iter()
        .map(|e| {
            let what = match &e.kind {
                EventKind::Created => "Created".to_owned(),
                EventKind::Scheduled { by } => format!("Scheduled {by:?}"),
                EventKind::Running => "Running".to_owned(),
                EventKind::Suspended { awaits, .. } => format!("Suspended {awaits}"),
                EventKind::Done { result } => format!("Done {result}"),
                EventKind::Cancelled { .. } => "Cancelled".to_owned(),
                EventKind::CancelAsked { .. } => "cancel asked".to_owned(),
                EventKind::Failed { error } => format!("Failed {error}"),
                EventKind::Print { text } => format!("| {text}"),
                EventKind::Warning { what, text } => format!("warning {what}: {text}"),
            };
            format!("{} {} {what}", e.at.0 / 1_000_000, e.task)
        })
        .collect()
}

fn final_states(trace: &Trace) -> Vec<State> {
    Lifecycle::of(trace).expect("legal transitions").tasks.iter().map(|t| t.state).collect()
}

/// The source line a suspension was recorded at, as text.
fn source_line(line: u32) -> String {
    let source = ::std::fs::read_to_string(file!()).unwrap();
    source.lines().nth(line as usize - 1).unwrap().trim().to_owned()
}

/// Every line the program was suspended at, as text.
fn suspended_at(trace: &Trace) -> Vec<String> {
    trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Suspended { line, .. } => Some(line.map_or("(no line)".to_owned(), source_line)),
            _ => None,
        })
        .collect()
}

async fn child() -> u64 {
    sleep(Duration::from_secs(1)).await;
    7
}

program!(SPAWN_AND_JOIN, async {
    let handle = tokio::spawn(child());
    let value = handle.await.unwrap();
    println!("got {value}");
});

#[test]
fn a_spawned_task_runs_when_its_parent_suspends_and_wakes_it_when_done() {
    let trace = record(&SPAWN_AND_JOIN);
    assert_eq!(
        lines(&trace),
        [
            "0 #1 Created",
            "0 #1 Scheduled Spawn",
            "0 #1 Running",
            "0 #2 Created",
            "0 #2 Scheduled Spawn",
            "0 #1 Suspended join #2",
            "0 #2 Running",
            "0 #2 Suspended sleep until 1.000 s",
            "1000 #2 Scheduled Timer",
            "1000 #2 Running",
            "1000 #2 Done 7",
            "1000 #1 Scheduled Finished(TaskId(2))",
            "1000 #1 Running",
            "1000 #1 | got 7",
            "1000 #1 Done ()",
        ]
    );
    assert_eq!(trace.tasks[1].parent, Some(TaskId(1)));
    assert_eq!(trace.tasks[0].name, "main");
    assert_eq!(trace.tasks[1].name, "child", "named after the async fn it runs");
    assert_eq!(trace.tasks[0].parent, None);
}

program!(AWAIT_LINES, async {
    let handle = tokio::spawn(async { 1 });
    handle.await.unwrap();
    sleep(Duration::from_millis(500)).await;
    let handles = vec![tokio::spawn(child()), tokio::spawn(child())];
    futures::future::join_all(handles).await;
});

#[test]
fn a_suspension_names_the_source_line_of_its_await_without_annotations() {
    let trace = record(&AWAIT_LINES);
    let main: Vec<String> = trace
        .events
        .iter()
        .filter(|e| e.task == TaskId(1))
        .filter_map(|e| match &e.kind {
            EventKind::Suspended { line, awaits } => {
                Some(format!("{awaits} @ {}", source_line(line.unwrap())))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        main,
        [
            "join #2 @ handle.await.unwrap();",
            "sleep until 0.500 s @ sleep(Duration::from_millis(500)).await;",
            "join #3, #4 @ futures::future::join_all(handles).await;",
            "join #4 @ futures::future::join_all(handles).await;",
        ][..main.len()],
        "{main:#?}"
    );
    assert!(main.len() >= 3);
    assert!(suspended_at(&trace).contains(&"sleep(Duration::from_secs(1)).await;".to_owned()));
}

program!(NAMES, async {
    let block = tokio::spawn(async { 1 });
    let job = tokio::task::spawn_blocking(|| 2);
    let function = tokio::task::spawn_blocking(the_answer);
    let _ = (block.await, job.await, function.await);
});

fn the_answer() -> u64 {
    42
}

#[test]
fn tasks_are_named_after_the_code_they_run() {
    let trace = record(&NAMES);
    let names: Vec<(&str, TaskKind)> = trace.tasks.iter().map(|t| (&*t.name, t.kind)).collect();
    // The program's body is an async block in the static `NAMES`: the block and the closure
    // spawned from it are named after it.
    assert_eq!(
        names,
        [
            ("main", TaskKind::Async),
            ("NAMES::{async}", TaskKind::Async),
            ("NAMES::{closure}", TaskKind::Blocking),
            ("the_answer", TaskKind::Blocking),
        ]
    );
}

program!(YIELD, async {
    tokio::task::yield_now().await;
});

#[test]
fn yield_now_suspends_and_reschedules_the_task_itself() {
    let trace = record(&YIELD);
    assert_eq!(
        lines(&trace)[2..],
        ["0 #1 Running", "0 #1 Suspended yield_now", "0 #1 Scheduled Itself", "0 #1 Running", "0 #1 Done ()"]
    );
}

async fn two_seconds(i: u64) -> u64 {
    sleep(Duration::from_secs(2)).await;
    i
}

program!(TIES, async {
    let handles: Vec<_> = (0..3u64).map(|i| tokio::spawn(two_seconds(i))).collect();
    futures::future::join_all(handles).await;
});

#[test]
fn timers_with_the_same_deadline_fire_in_spawn_order_exactly_on_time() {
    let trace = record(&TIES);
    let done: Vec<(VTime, TaskId)> = trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Done { .. }) && e.task != TaskId(1))
        .map(|e| (e.at, e.task))
        .collect();
    let two = VTime::from_duration(Duration::from_secs(2));
    assert_eq!(done, [(two, TaskId(2)), (two, TaskId(3)), (two, TaskId(4))]);
}

async fn bomb() {
    sleep(Duration::from_secs(1)).await;
    panic!("boom");
}

program!(PANIC, async {
    let handle = tokio::spawn(bomb());
    let error = handle.await.expect_err("the task panicked");
    println!("is_panic: {}", error.is_panic());
});

#[test]
fn a_panic_is_recorded_as_failed_and_still_reported_to_the_joiner() {
    let trace = record(&PANIC);
    let lines = lines(&trace);
    assert!(lines.contains(&"1000 #2 Failed panicked: boom".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"1000 #1 | is_panic: true".to_owned()), "{lines:#?}");
    assert_eq!(final_states(&trace), [State::Done, State::Failed]);
}

program!(ERR_RESULT, async {
    let bad = tokio::spawn(async { Err::<u64, String>("no".into()) });
    let _ = bad.await;
});

#[test]
fn a_task_that_returns_err_is_done_as_tokio_sees_it() {
    let trace = record(&ERR_RESULT);
    assert_eq!(final_states(&trace), [State::Done, State::Done]);
    assert!(lines(&trace).contains(&r#"0 #2 Done Err("no")"#.to_owned()), "{:#?}", lines(&trace));
}

struct Cleanup(&'static str);

impl Drop for Cleanup {
    fn drop(&mut self) {
        println!("cleanup {}", self.0);
    }
}

async fn victim() {
    let _guard = Cleanup("victim");
    sleep(Duration::from_secs(10)).await;
    println!("never printed");
}

program!(ABORT, async {
    let handle = tokio::spawn(victim());
    sleep(Duration::from_secs(1)).await;
    handle.abort();
    let error = handle.await.expect_err("aborted");
    println!("is_cancelled: {}", error.is_cancelled());
});

#[test]
fn abort_cancels_at_the_await_point_and_runs_cleanup_as_the_cancelled_task() {
    let trace = record(&ABORT);
    let lines = lines(&trace);
    let cleanup =
        lines.iter().position(|l| l == "1000 #2 | cleanup victim").expect("cleanup attributed to #2");
    let cancelled = lines.iter().position(|l| l == "1000 #2 Cancelled").expect("#2 cancelled");
    assert!(cleanup < cancelled, "{lines:#?}");
    assert!(lines.contains(&"1000 #1 | is_cancelled: true".to_owned()));
    assert!(!lines.iter().any(|l| l.contains("never printed")));
    assert_eq!(final_states(&trace), [State::Done, State::Cancelled]);
}

async fn forever() {
    let _guard = Cleanup("at shutdown");
    sleep(Duration::from_secs(100)).await;
}

program!(LEFTOVER, async {
    tokio::spawn(forever());
    sleep(Duration::from_secs(1)).await;
});

#[test]
fn tasks_alive_when_main_returns_are_cancelled_by_the_runtime_shutdown() {
    let trace = record(&LEFTOVER);
    let lines = lines(&trace);
    assert_eq!(
        lines[lines.len() - 3..],
        ["1000 #1 Done ()", "1000 #2 | cleanup at shutdown", "1000 #2 Cancelled"]
    );
}

/// Spawns a task from its cleanup: while the runtime shuts down, tokio drops the new task at
/// once, inside `spawn`.
struct SpawnsOnDrop;

impl Drop for SpawnsOnDrop {
    fn drop(&mut self) {
        drop(tokio::spawn(async { 1 }));
    }
}

async fn spawns_when_dropped() {
    let _guard = SpawnsOnDrop;
    sleep(Duration::from_secs(100)).await;
}

program!(SPAWN_AT_SHUTDOWN, async {
    tokio::spawn(spawns_when_dropped());
    sleep(Duration::from_secs(1)).await;
});

#[test]
fn a_task_whose_cleanup_spawns_while_the_runtime_shuts_down_is_recorded_cancelled() {
    let trace = record(&SPAWN_AT_SHUTDOWN);
    let lines = lines(&trace);
    assert_eq!(
        lines[lines.len() - 4..],
        ["1000 #3 Created", "1000 #3 Scheduled Spawn", "1000 #3 Cancelled", "1000 #2 Cancelled"],
        "{lines:#?}"
    );
    assert_eq!(trace.tasks[2].parent, Some(TaskId(2)), "spawned by the task being cancelled");
}

async fn waiter(notify: Arc<tokio::sync::Notify>) {
    notify.notified().await;
}

program!(NOTIFY, async {
    let notify = Arc::new(tokio::sync::Notify::new());
    let waiter = tokio::spawn(waiter(notify.clone()));
    sleep(Duration::from_secs(1)).await;
    notify.notify_one();
    waiter.await.unwrap();
});

#[test]
fn a_wake_from_inside_another_task_names_that_task() {
    let trace = record(&NOTIFY);
    let lines = lines(&trace);
    assert!(lines.contains(&"0 #2 Suspended notified".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"1000 #2 Scheduled Task(TaskId(1))".to_owned()), "{lines:#?}");
}

async fn receiver(message: tokio::sync::oneshot::Receiver<u32>) -> u32 {
    message.await.unwrap_or(0)
}

program!(FROM_A_THREAD, async {
    let (send, message) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(receiver(message));
    // A thread of the program's own (not a blocking job): the trace cannot tell which run its
    // wake belongs to.
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        let _ = send.send(7);
    });
    assert_eq!(task.await.unwrap(), 7);
});

#[test]
fn a_wake_from_a_thread_of_the_programs_own_shows_as_scheduled_from_another_thread() {
    let trace = record(&FROM_A_THREAD);
    let lines = lines(&trace);
    let woken = lines.iter().position(|l| l == "0 #2 Scheduled OtherThread");
    let runs: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| *l == "0 #2 Running").map(|(i, _)| i).collect();
    assert!(woken.is_some_and(|w| runs.len() == 2 && runs[0] < w && w < runs[1]), "{lines:#?}");
    assert_eq!(final_states(&trace)[1], State::Done);
}

program!(UNTRACED, async {
    // tokio's own timer, not the stand-in's: the trace cannot see what the task waits for.
    ::tokio::time::sleep(Duration::from_secs(1)).await;
});

#[test]
fn a_wait_on_an_untraced_future_is_recorded_as_unknown() {
    let trace = record(&UNTRACED);
    assert!(trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::Suspended { awaits, line: None } if awaits.items() == [Await::Unknown])));
    assert!(lines(&trace).contains(&"1000 #1 Scheduled Runtime".to_owned()));
}

async fn ticker(start: Instant, ticks: u32) {
    for _ in 0..ticks {
        sleep(Duration::from_millis(200)).await;
        println!("tick at {:?}", start.elapsed());
    }
}

program!(BLOCKED_THREAD, async {
    let start = Instant::now();
    let ticker = tokio::spawn(ticker(start, 1));
    tokio::task::yield_now().await;
    // Blocks the only thread for 450 ms, like Python's time.sleep(0.45) in a coroutine.
    std::thread::sleep(Duration::from_millis(450));
    println!("unblocked at {:?}", start.elapsed());
    ticker.await.unwrap();
});

/// Pins the tokio behaviour the blocking lesson relies on: polling `time::advance` once moves
/// the paused clock at once, and a timer due in the meantime fires late.
#[test]
fn a_thread_sleep_in_a_task_moves_the_clock_and_other_tasks_run_late() {
    let trace = record(&BLOCKED_THREAD);
    let lines = lines(&trace);
    assert!(lines.contains(&"450 #1 | unblocked at 450ms".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"450 #2 | tick at 450ms".to_owned()), "{lines:#?}");
}

fn from_the_pool() -> u64 {
    println!("from the blocking pool");
    3
}

program!(OFF_THREAD, async {
    let job = tokio::task::spawn_blocking(from_the_pool);
    let value = job.await.unwrap();
    println!("job returned {value}");
});

#[test]
fn a_blocking_job_is_a_task_of_its_own_kind_recorded_the_same_on_every_run() {
    // It starts at once (the spawner sees it Running before it suspends), and its end waits
    // for the spawner's poll to end: the same order on every run.
    for _ in 0..20 {
        let trace = record(&OFF_THREAD);
        assert_eq!(
            lines(&trace)[2..],
            [
                "0 #1 Running",
                "0 #2 Created",
                "0 #2 Scheduled Spawn",
                "0 #2 Running",
                "0 #1 Suspended join #2",
                "0 #2 | from the blocking pool",
                "0 #2 Done 3",
                "0 #1 Scheduled Finished(TaskId(2))",
                "0 #1 Running",
                "0 #1 | job returned 3",
                "0 #1 Done ()",
            ]
        );
        assert_eq!(trace.tasks[1].kind, TaskKind::Blocking);
        assert_eq!(trace.tasks[1].name, "from_the_pool");
    }
}

fn half_a_second_of_work() -> u64 {
    std::thread::sleep(Duration::from_millis(500));
    println!("hello from a thread");
    5
}

program!(JOB_TAKES_TIME, async {
    let start = Instant::now();
    let ticker = tokio::spawn(ticker(start, 3));
    let job = tokio::task::spawn_blocking(half_a_second_of_work);
    job.await.unwrap();
    println!("job done at {:?}", start.elapsed());
    ticker.await.unwrap();
    let failing = tokio::task::spawn_blocking(|| -> u64 { panic!("job broke") });
    let error = failing.await.unwrap_err();
    println!("is_panic: {}", error.is_panic());
});

#[test]
fn a_job_that_sleeps_takes_virtual_time_while_the_loop_runs_and_a_panic_is_failed() {
    for _ in 0..5 {
        let trace = record(&JOB_TAKES_TIME);
        let printed: Vec<String> = trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Print { text } => Some(format!("{} {} {text}", e.at, e.task)),
                _ => None,
            })
            .collect();
        assert_eq!(
            printed,
            [
                "0.200 s #2 tick at 200ms",
                "0.400 s #2 tick at 400ms",
                "0.500 s #3 hello from a thread",
                "0.500 s #1 job done at 500ms",
                "0.600 s #2 tick at 600ms",
                "0.600 s #1 is_panic: true",
            ]
        );
        assert_eq!(final_states(&trace), [State::Done, State::Done, State::Done, State::Failed]);
    }
}

fn slow_job() {
    std::thread::sleep(Duration::from_millis(500));
    println!("job done");
}

program!(DETACHED_JOB, async {
    let start = Instant::now();
    let job = tokio::task::spawn_blocking(slow_job);
    let timed_out = tokio::time::timeout(Duration::from_millis(100), job).await.is_err();
    println!("timed out: {timed_out}");
    sleep(Duration::from_secs(1)).await;
    println!("woke at {:?}", start.elapsed());
});

/// A job whose handle was dropped (a timeout gave up on it) still runs and prints, and wakes
/// nobody when it ends.
#[test]
fn a_detached_job_still_prints_but_wakes_nobody() {
    let trace = record(&DETACHED_JOB);
    assert_eq!(
        lines(&trace)[2..],
        [
            "0 #1 Running",
            "0 #2 Created",
            "0 #2 Scheduled Spawn",
            "0 #2 Running",
            "0 #1 Suspended join #2, timeout at 0.100 s",
            "100 #1 Scheduled Timer",
            "100 #1 Running",
            "100 #1 | timed out: true",
            "100 #1 Suspended sleep until 1.100 s",
            "500 #2 | job done",
            "500 #2 Done ()",
            "1100 #1 Scheduled Timer",
            "1100 #1 Running",
            "1100 #1 | woke at 1.1s",
            "1100 #1 Done ()",
        ]
    );
}

async fn delay(seconds: u64) -> u64 {
    sleep(Duration::from_secs(seconds)).await;
    seconds
}

program!(JOIN_SET, async {
    let mut set = tokio::task::JoinSet::new();
    for seconds in [3u64, 1, 2] {
        set.spawn(delay(seconds));
    }
    while let Some(value) = set.join_next().await {
        println!("-> {}", value.unwrap());
    }
});

#[test]
fn a_join_set_yields_in_completion_order_and_names_who_woke_the_joiner() {
    let trace = record(&JOIN_SET);
    let printed: Vec<&str> = trace.printed().collect();
    assert_eq!(printed, ["-> 1", "-> 2", "-> 3"]);
    let lines = lines(&trace);
    assert!(lines.contains(&"0 #1 Suspended join_next (3 in set)".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"1000 #1 Scheduled Finished(TaskId(3))".to_owned()), "{lines:#?}");
}

program!(FOREVER, async {
    loop {
        sleep(Duration::from_secs(600)).await;
    }
});

#[test]
fn a_program_past_the_virtual_time_limit_is_stopped_with_its_trace() {
    let config = RunConfig { virtual_limit: Duration::from_secs(3600), ..RunConfig::default() };
    let recording = run::record(&FOREVER, config).unwrap();
    assert_eq!(recording.stopped(), Some(Stop::VirtualTimeLimit(Duration::from_secs(3600))));
    let why = run::failure(&recording.trace(), recording.stopped()).expect("a stopped run failed");
    assert!(why.contains("virtual clock passed 3600 s"));
    assert_eq!(final_states(&recording.trace()), [State::Cancelled]);
}

program!(HOG, async {
    ::std::thread::sleep(Duration::from_secs(2));
});

#[test]
fn a_program_past_the_real_time_limit_is_abandoned() {
    let config = RunConfig { real_limit: Duration::from_millis(200), ..RunConfig::default() };
    match run::record(&HOG, config) {
        Err(error @ RunError::RealTimeLimit(_)) => assert!(error.to_string().contains("real time")),
        other => panic!("expected the real-time limit, got {other:?}"),
    }
}

program!(CHATTY, async {
    for i in 0..1000 {
        println!("line {i}");
        tokio::task::yield_now().await;
    }
});

#[test]
fn a_program_past_the_event_limit_is_stopped_and_counts_what_it_dropped() {
    let config = RunConfig { max_events: 100, ..RunConfig::default() };
    let recording = run::record(&CHATTY, config).unwrap();
    assert_eq!(recording.stopped(), Some(Stop::TooManyEvents(100)));
    let trace = recording.trace();
    assert!(trace.events.len() <= 100, "{}", trace.events.len());
    assert!(trace.dropped > 0);
    assert!(trace.printed().count() < 100, "the program was stopped, not run to the end");
}

program!(RANDOM, async {
    let numbers: Vec<u64> = (0..5).map(|_| fastrand::u64(1..=1000)).collect();
    println!("{numbers:?}");
});

#[test]
fn random_numbers_follow_the_seed() {
    let run = |seed| {
        let recording = run::record(&RANDOM, RunConfig { seed, ..RunConfig::default() }).unwrap();
        recording.trace().printed().next().unwrap().to_owned()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

program!(MAIN_IS_NOT_A_TASK, async {
    println!("main: {:?}", tokio::task::try_id().is_some());
    let spawned = tokio::spawn(async { tokio::task::try_id().is_some() });
    println!("spawned: {:?}", spawned.await.unwrap());
});

#[test]
fn main_is_the_future_given_to_block_on_not_a_tokio_task() {
    let trace = record(&MAIN_IS_NOT_A_TASK);
    assert_eq!(trace.printed().collect::<Vec<_>>(), ["main: false", "spawned: true"]);
}

#[test]
fn results_are_kept_as_values_and_wake_causes_cover_timer_and_join() {
    let trace = record(&SPAWN_AND_JOIN);
    assert!(trace.events.iter().any(|e| e.kind == EventKind::Done { result: Value::Int(7) }));
    let causes: Vec<WakeCause> = trace
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Scheduled { by } => Some(by),
            _ => None,
        })
        .collect();
    assert_eq!(
        causes,
        [WakeCause::Spawn, WakeCause::Spawn, WakeCause::Timer, WakeCause::Finished(TaskId(2))]
    );
}

async fn slow_work() {
    let _guard = Cleanup("slow work");
    sleep(Duration::from_secs(5)).await;
}

program!(TIMEOUTS, async {
    let quick = tokio::time::timeout(Duration::from_secs(2), sleep(Duration::from_secs(1))).await;
    println!("quick: {quick:?}");
    let slow = tokio::time::timeout(Duration::from_secs(1), slow_work()).await;
    println!("slow: {}", slow.is_err());
});

#[test]
fn a_timeout_returns_the_value_in_time_or_drops_the_work_when_the_deadline_fires() {
    let trace = record(&TIMEOUTS);
    assert_eq!(
        lines(&trace)[2..],
        [
            "0 #1 Running",
            "0 #1 Suspended sleep until 1.000 s, timeout at 2.000 s",
            "1000 #1 Scheduled Timer",
            "1000 #1 Running",
            "1000 #1 | quick: Ok(())",
            "1000 #1 Suspended sleep until 6.000 s, timeout at 2.000 s",
            "2000 #1 Scheduled Timer",
            "2000 #1 Running",
            "2000 #1 | cleanup slow work",
            "2000 #1 | slow: true",
            "2000 #1 Done ()",
        ]
    );
}

/// A run with thousands of tasks gets a transcript of bounded size: the first tasks in full,
/// the others counted.
#[test]
fn a_big_run_is_summed_up_in_the_transcript() {
    use asyncdemo::view::transcript;
    let demo = asyncdemo::demos::find("stress").unwrap();
    let trace = run::record(&demo.program, RunConfig::default()).unwrap().trace();
    let header = transcript::Header {
        title: "stress",
        file: demo.file(),
        seed: 42,
        prints: None,
        source: transcript::Source::Rust,
        machine_from: None,
    };
    let text = transcript::render(&header, &trace).unwrap();
    let others = trace.tasks.len() - 20;
    assert!(
        text.contains(&format!("{} tasks: the events of #1…#20 in full;", trace.tasks.len())),
        "{}",
        &text[..300]
    );
    assert!(text.lines().count() < trace.events.len() / 10, "{} lines", text.lines().count());
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with(&format!("… and {others} more tasks: ")), "{summary}");
    assert!(
        summary.contains("Done") && summary.contains("Cancelled") && summary.contains("Failed"),
        "{summary}"
    );
    // (Lines about shown tasks may mention #21, as in "woken: #21 finished".)
    assert!(!text.lines().any(|l| l.split_whitespace().nth(2) == Some("#21")), "no event line of task #21");
}

async fn fine() -> u64 {
    1
}

async fn broken() -> u64 {
    panic!("no")
}

async fn slow() -> u64 {
    sleep(Duration::from_secs(5)).await;
    3
}

program!(JOIN_SET_SHUTDOWN, async {
    let mut set = tokio::task::JoinSet::new();
    set.spawn(fine());
    set.spawn(broken());
    set.spawn(slow());
    sleep(Duration::from_secs(1)).await;
    set.shutdown().await;
    println!("left: {}", set.len());
});

#[test]
fn a_join_set_shuts_down_at_the_callers_line() {
    let trace = record(&JOIN_SET_SHUTDOWN);
    assert_eq!(final_states(&trace), [State::Done, State::Done, State::Failed, State::Cancelled]);
    assert_eq!(suspended_at(&trace).iter().filter(|l| *l == "set.shutdown().await;").count(), 1);
    assert_eq!(trace.printed().last(), Some("left: 0"));
}

async fn read_one(listener: tokio::net::TcpListener) -> usize {
    use tokio::io::AsyncReadExt;
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut buffer = [0u8; 16];
    stream.read(&mut buffer).await.unwrap()
}

program!(SOCKETS, async {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(read_one(listener));
    let mut client = tokio::net::TcpStream::connect(address).await.unwrap();
    // Give the server the time to wait on its read before anything is sent.
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
    client.write_all(b"hello").await.unwrap();
    println!("read {} bytes", server.await.unwrap());
});

#[test]
fn a_task_waiting_on_a_socket_is_woken_by_io() {
    for _ in 0..5 {
        let trace = record(&SOCKETS);
        let lines = lines(&trace);
        assert_eq!(trace.printed().collect::<Vec<_>>(), ["read 5 bytes"]);
        let read_at =
            lines.iter().position(|l| l.ends_with("#2 Suspended read")).expect("the server waits to read");
        assert!(lines[read_at..].contains(&"0 #2 Scheduled Io".to_owned()), "{lines:#?}");
    }
}
