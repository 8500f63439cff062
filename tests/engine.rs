//! The trace engine, one behaviour per test: each test runs a tiny demo and checks the exact
//! events it recorded.

use std::sync::Arc;
use std::time::Duration;

use asyncdemo::demos::Demo;
use asyncdemo::engine::event::{Await, EventKind, TaskId, Trace, VTime, Value, WakeCause};
use asyncdemo::engine::lifecycle::{Lifecycle, State};
use asyncdemo::engine::runner::{self, RunConfig, RunError, Stop};
use asyncdemo::engine::{self, AwaitExt};
use asyncdemo::say;

macro_rules! demo {
    ($name:ident, $body:expr) => {
        static $name: Demo =
            Demo { id: stringify!($name), file: file!(), source: "", main: || Box::pin($body) };
    };
}

fn record(demo: &'static Demo) -> Trace {
    let recording = runner::record(demo, RunConfig::default()).expect("the demo runs");
    assert_eq!(recording.failure(), None, "the run failed");
    recording.trace
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
                EventKind::Cancelled => "Cancelled".to_owned(),
                EventKind::Failed { error } => format!("Failed {error}"),
                EventKind::Print { text } => format!("| {text}"),
            };
            format!("{} {} {what}", e.at.0 / 1_000_000, e.task)
        })
        .collect()
}

fn final_states(trace: &Trace) -> Vec<State> {
    Lifecycle::of(trace).expect("legal transitions").tasks.iter().map(|t| t.state).collect()
}

demo!(SPAWN_AND_JOIN, async {
    let handle = engine::spawn("child", async {
        engine::sleep(Duration::from_secs(1)).await;
        7u64
    });
    let value = handle.await.unwrap();
    say!("got {value}");
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
    assert_eq!(trace.tasks[1].name, "child");
}

demo!(AWAIT_LINES, async {
    engine::sleep(Duration::from_millis(500)).await;
});

#[test]
fn a_suspension_names_the_source_line_of_its_await() {
    let trace = record(&AWAIT_LINES);
    let line = trace
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Suspended { line, .. } => *line,
            _ => None,
        })
        .expect("main suspends");
    assert_eq!(line.file(), file!());
    let source = std::fs::read_to_string(file!()).unwrap();
    let text = source.lines().nth(line.line() as usize - 1).unwrap();
    assert!(text.contains("engine::sleep(Duration::from_millis(500))"), "line {}: {text}", line.line());
}

demo!(YIELD, async {
    engine::yield_now().await;
});

#[test]
fn yield_now_suspends_and_reschedules_the_task_itself() {
    let trace = record(&YIELD);
    assert_eq!(
        lines(&trace)[2..],
        ["0 #1 Running", "0 #1 Suspended yield_now", "0 #1 Scheduled Itself", "0 #1 Running", "0 #1 Done ()"]
    );
}

demo!(TIES, async {
    let handles = (0..3u64)
        .map(|i| {
            engine::spawn(format!("t{i}"), async move {
                engine::sleep(Duration::from_secs(2)).await;
                i
            })
        })
        .collect();
    engine::join_all(handles).await;
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

demo!(PANIC, async {
    let handle = engine::spawn("bomb", async {
        engine::sleep(Duration::from_secs(1)).await;
        panic!("boom");
    });
    let error = handle.await.expect_err("the task panicked");
    say!("is_panic: {}", error.is_panic());
});

#[test]
fn a_panic_is_recorded_as_failed_and_still_reported_to_the_joiner() {
    let trace = record(&PANIC);
    let lines = lines(&trace);
    assert!(lines.contains(&"1000 #2 Failed panicked: boom".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"1000 #1 | is_panic: true".to_owned()), "{lines:#?}");
    assert_eq!(final_states(&trace), [State::Done, State::Failed]);
}

demo!(FALLIBLE, async {
    let ok = engine::spawn_fallible("ok", async { Ok::<u64, String>(1) });
    let bad = engine::spawn_fallible("bad", async { Err::<u64, String>("no".into()) });
    let _ = (ok.await, bad.await);
});

#[test]
fn an_err_result_makes_the_task_failed() {
    let trace = record(&FALLIBLE);
    assert_eq!(final_states(&trace), [State::Done, State::Done, State::Failed]);
    assert!(lines(&trace).contains(&"0 #3 Failed error: no".to_owned()));
}

struct Cleanup(&'static str);

impl Drop for Cleanup {
    fn drop(&mut self) {
        say!("cleanup {}", self.0);
    }
}

demo!(ABORT, async {
    let handle = engine::spawn("victim", async {
        let _guard = Cleanup("victim");
        engine::sleep(Duration::from_secs(10)).await;
        say!("never printed");
    });
    engine::sleep(Duration::from_secs(1)).await;
    handle.abort();
    let error = handle.await.expect_err("aborted");
    say!("is_cancelled: {}", error.is_cancelled());
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

demo!(LEFTOVER, async {
    engine::spawn("forever", async {
        let _guard = Cleanup("at shutdown");
        engine::sleep(Duration::from_secs(100)).await;
    });
    engine::sleep(Duration::from_secs(1)).await;
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

demo!(NOTIFY, async {
    let notify = Arc::new(tokio::sync::Notify::new());
    let waiter = engine::spawn("waiter", {
        let notify = notify.clone();
        async move { notify.notified().awaiting("notified").await }
    });
    engine::sleep(Duration::from_secs(1)).await;
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

demo!(UNDESCRIBED, async {
    tokio::time::sleep(Duration::from_secs(1)).await;
});

#[test]
fn an_undescribed_await_is_recorded_as_unknown() {
    let trace = record(&UNDESCRIBED);
    assert!(
        trace
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Suspended { awaits: Await::Unknown, line: None }))
    );
    assert!(lines(&trace).contains(&"1000 #1 Scheduled Runtime".to_owned()));
}

demo!(BLOCKING, async {
    let ticker = engine::spawn("ticker", async {
        engine::sleep(Duration::from_millis(200)).await;
        say!("tick at {}", engine::now());
    });
    engine::yield_now().await;
    // Blocks the only thread for 450 ms, like Python's time.sleep(0.45) in a coroutine.
    engine::block_thread_for(Duration::from_millis(450));
    say!("unblocked at {}", engine::now());
    ticker.await.unwrap();
});

/// Pins the tokio behaviour the blocking-sleep demo relies on: polling `time::advance` once
/// moves the paused clock at once, and a timer due in the meantime fires late.
#[test]
fn blocking_the_thread_moves_the_clock_and_other_tasks_run_late() {
    let trace = record(&BLOCKING);
    let lines = lines(&trace);
    assert!(lines.contains(&"450 #1 | unblocked at 0.450 s".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"450 #2 | tick at 0.450 s".to_owned()), "{lines:#?}");
}

demo!(OFF_THREAD, async {
    let job = engine::spawn_blocking(|| {
        say!("from the blocking pool");
        3
    });
    let value = job.awaiting("spawn_blocking").await.unwrap();
    say!("job returned {value}");
});

#[test]
fn a_blocking_job_starts_when_its_spawner_suspends_and_delivers_deterministically() {
    for _ in 0..20 {
        let trace = record(&OFF_THREAD);
        assert_eq!(
            lines(&trace)[2..],
            [
                "0 #1 Running",
                "0 #1 Suspended spawn_blocking",
                "0 #1 | from the blocking pool",
                "0 #1 Scheduled OtherThread",
                "0 #1 Running",
                "0 #1 | job returned 3",
                "0 #1 Done ()",
            ]
        );
    }
}

demo!(TAKES_TIME, async {
    let ticker = engine::spawn("ticker", async {
        for _ in 0..3 {
            engine::sleep(Duration::from_millis(200)).await;
            say!("tick at {}", engine::now());
        }
    });
    let job = engine::spawn_blocking_for(Duration::from_millis(500), || say!("hello from a thread"));
    assert!(!job.is_finished());
    job.awaiting("run_in_executor").await.unwrap();
    say!("job done at {}", engine::now());
    ticker.await.unwrap();
    let failing = engine::spawn_blocking(|| panic!("job broke"));
    let error = failing.awaiting("spawn_blocking").await.unwrap_err();
    say!("{error} (is_panic: {})", error.is_panic());
});

#[test]
fn a_job_that_takes_time_lets_the_loop_run_meanwhile_and_a_panic_comes_back_as_an_error() {
    let trace = record(&TAKES_TIME);
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
            "0.200 s #2 tick at 0.200 s",
            "0.400 s #2 tick at 0.400 s",
            "0.500 s #1 hello from a thread",
            "0.500 s #1 job done at 0.500 s",
            "0.600 s #2 tick at 0.600 s",
            "0.600 s #1 the blocking job panicked: job broke (is_panic: true)",
        ]
    );
    assert_eq!(final_states(&trace), [State::Done, State::Done], "a job is not a task");
}

demo!(DETACHED_JOB, async {
    let job = engine::spawn_blocking_for(Duration::from_millis(500), || say!("job done"));
    let timed_out = engine::timeout(Duration::from_millis(100), job).await.is_err();
    say!("timed out: {timed_out}");
    engine::sleep(Duration::from_secs(1)).await;
    say!("woke at {}", engine::now());
});

/// A job whose handle was dropped (a timeout gave up on it) still runs and prints, but, as a
/// detached tokio `spawn_blocking`, wakes nobody when it ends.
#[test]
fn a_detached_job_still_prints_but_wakes_nobody() {
    let trace = record(&DETACHED_JOB);
    assert_eq!(
        lines(&trace)[2..],
        [
            "0 #1 Running",
            "0 #1 Suspended timeout at 0.100 s",
            "100 #1 Scheduled Timer",
            "100 #1 Running",
            "100 #1 | timed out: true",
            "100 #1 Suspended sleep until 1.100 s",
            "500 #1 | job done",
            "1100 #1 Scheduled Timer",
            "1100 #1 Running",
            "1100 #1 | woke at 1.100 s",
            "1100 #1 Done ()",
        ]
    );
}

demo!(JOIN_SET, async {
    let mut set = engine::JoinSet::new();
    for secs in [3u64, 1, 2] {
        set.spawn(format!("d{secs}"), async move {
            engine::sleep(Duration::from_secs(secs)).await;
            secs
        });
    }
    while let Some((id, value)) = set.join_next().await {
        say!("{id} -> {}", value.unwrap());
    }
});

#[test]
fn a_join_set_yields_in_completion_order_and_names_who_woke_the_joiner() {
    let trace = record(&JOIN_SET);
    let printed: Vec<&str> = trace.printed().collect();
    assert_eq!(printed, ["#3 -> 1", "#4 -> 2", "#2 -> 3"]);
    assert!(lines(&trace).contains(&"1000 #1 Scheduled Finished(TaskId(3))".to_owned()));
}

demo!(FOREVER, async {
    loop {
        engine::sleep(Duration::from_secs(600)).await;
    }
});

#[test]
fn a_demo_past_the_virtual_time_limit_is_stopped_with_its_trace() {
    let config = RunConfig { virtual_limit: Duration::from_secs(3600), ..RunConfig::default() };
    let recording = runner::record(&FOREVER, config).unwrap();
    assert_eq!(recording.stopped, Some(Stop::VirtualTimeLimit(Duration::from_secs(3600))));
    assert!(recording.failure().unwrap().contains("virtual clock passed 3600 s"));
    assert_eq!(final_states(&recording.trace), [State::Cancelled]);
}

demo!(HOG, async {
    std::thread::sleep(Duration::from_secs(2));
});

#[test]
fn a_demo_past_the_real_time_limit_is_abandoned() {
    let config = RunConfig { real_limit: Duration::from_millis(200), ..RunConfig::default() };
    match runner::record(&HOG, config) {
        Err(error @ RunError::RealTimeLimit(_)) => assert!(error.to_string().contains("real time")),
        other => panic!("expected the real-time limit, got {other:?}"),
    }
}

demo!(CHATTY, async {
    for i in 0..1000 {
        say!("line {i}");
    }
});

#[test]
fn a_demo_past_the_event_limit_is_stopped_and_counts_what_it_dropped() {
    let config = RunConfig { max_events: 100, ..RunConfig::default() };
    let recording = runner::record(&CHATTY, config).unwrap();
    assert_eq!(recording.stopped, Some(Stop::TooManyEvents(100)));
    assert_eq!(recording.trace.events.len(), 100);
    assert!(recording.trace.dropped > 0);
}

demo!(RANDOM, async {
    let numbers: Vec<u64> = (0..5).map(|_| engine::random_range(1..=1000)).collect();
    say!("{numbers:?}");
});

#[test]
fn random_numbers_follow_the_seed() {
    let run = |seed| {
        let recording = runner::record(&RANDOM, RunConfig { seed, ..RunConfig::default() }).unwrap();
        recording.trace.printed().next().unwrap().to_owned()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

demo!(INTROSPECTION, async {
    let sleeper = engine::spawn("sleeper", engine::sleep(Duration::from_secs(1)).into_future());
    let names: Vec<String> = engine::all_tasks().iter().map(|t| t.name.to_string()).collect();
    say!("all: {names:?}, current: {}", engine::current_task().unwrap().name);
    sleeper.await.unwrap();
    let names: Vec<String> = engine::all_tasks().iter().map(|t| t.name.to_string()).collect();
    say!("after: {names:?}");
});

#[test]
fn current_task_and_all_tasks_see_the_live_tasks() {
    let trace = record(&INTROSPECTION);
    let printed: Vec<&str> = trace.printed().collect();
    assert_eq!(printed, [r#"all: ["main", "sleeper"], current: main"#, r#"after: ["main"]"#]);
}

#[test]
fn results_are_kept_as_values() {
    let trace = record(&SPAWN_AND_JOIN);
    assert!(trace.events.iter().any(|e| e.kind == EventKind::Done { result: Value::Int(7) }));
}

#[test]
fn wake_causes_cover_timer_and_join() {
    let trace = record(&SPAWN_AND_JOIN);
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

demo!(TIMEOUTS, async {
    let quick = engine::timeout(Duration::from_secs(2), engine::sleep(Duration::from_secs(1))).await;
    say!("quick: {quick:?}");
    let slow = engine::timeout(Duration::from_secs(1), async {
        let _guard = Cleanup("slow work");
        engine::sleep(Duration::from_secs(5)).await;
    })
    .await;
    say!("slow: {slow:?}");
});

#[test]
fn a_timeout_returns_the_value_in_time_or_drops_the_work_when_the_deadline_fires() {
    let trace = record(&TIMEOUTS);
    let lines = lines(&trace);
    assert_eq!(
        lines[2..],
        [
            "0 #1 Running",
            "0 #1 Suspended timeout at 2.000 s",
            "1000 #1 Scheduled Timer",
            "1000 #1 Running",
            "1000 #1 | quick: Ok(())",
            "1000 #1 Suspended timeout at 2.000 s",
            "2000 #1 Scheduled Timer",
            "2000 #1 Running",
            "2000 #1 | cleanup slow work",
            "2000 #1 | slow: Err(Elapsed)",
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
    let trace = runner::record(demo, RunConfig::default()).unwrap().trace;
    let header = transcript::Header { title: "stress", demo_file: demo.file, seed: 42 };
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

demo!(JOIN_SET_SHUTDOWN, async {
    let mut set = engine::JoinSet::new();
    set.spawn_fallible("fine", async { Ok::<u64, String>(1) });
    set.spawn_fallible("broken", async { Err::<u64, String>("no".into()) });
    set.spawn_fallible("slow", async {
        engine::sleep(Duration::from_secs(5)).await;
        Ok::<u64, String>(3)
    });
    engine::sleep(Duration::from_secs(1)).await;
    set.shutdown().await;
    say!("left: {}", set.len());
});

#[test]
fn a_join_set_shuts_down_at_the_callers_line_and_its_failed_tasks_show_failed() {
    let trace = record(&JOIN_SET_SHUTDOWN);
    assert_eq!(final_states(&trace), [State::Done, State::Done, State::Failed, State::Cancelled]);
    let shutdown = trace
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::Suspended { awaits, line } if awaits.to_string().starts_with("shutdown of") => *line,
            _ => None,
        })
        .expect("main suspends on the shutdown");
    assert_eq!(shutdown.file(), file!());
    assert_eq!(trace.printed().last(), Some("left: 0"));
}

demo!(HELD_FOR_IO, async {
    use asyncdemo::engine::IoExt;
    // A timer far away: without the hold, the paused clock would jump to it while the socket
    // is on its way.
    let sleeper = engine::spawn("sleeper", engine::sleep(Duration::from_secs(10)).into_future());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let hold = engine::hold_clock();
    let client = std::net::TcpStream::connect(address).unwrap();
    let accepted = listener.accept().awaiting_io("accept").await;
    drop(hold);
    say!("accepted: {} at {}", accepted.is_ok(), engine::now());
    drop(client);
    sleeper.await.unwrap();
    say!("sleeper done at {}", engine::now());
});

#[test]
fn holding_the_clock_keeps_time_still_while_real_io_completes() {
    for _ in 0..5 {
        let trace = record(&HELD_FOR_IO);
        let printed: Vec<&str> = trace.printed().collect();
        assert_eq!(printed, ["accepted: true at 0.000 s", "sleeper done at 10.000 s"]);
        assert!(
            lines(&trace).iter().any(|l| l == "0 #1 Scheduled Io" || l == "0 #1 Suspended accept"),
            "{:#?}",
            lines(&trace)
        );
    }
}
