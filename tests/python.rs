//! Python runs: every lesson's Python original traced under asyncdemo's tracer, on a virtual
//! clock, under every CPython 3.10–3.13 present: it prints exactly what plain python3 prints
//! (the lesson's `output`), the lifecycle holds for every task, the same run gives the same
//! trace; programs that raise, hang, use threads and sockets, cancel with async cleanup,
//! `shield`, `wait_for`, `TaskGroup`; a viewer's cancel injected at an event; no interpreter.

use std::path::{Path, PathBuf};
use std::process::Command;

use asyncdemo::engine::event::{Await, Canceller, EventKind, TaskId, Trace, Warning};
use asyncdemo::engine::lifecycle::{Lifecycle, State};
use asyncdemo::engine::python::{self, Ending, Program, PythonConfig, PythonRun};
use asyncdemo::engine::run::RunConfig;
use asyncdemo::lesson::Catalog;

/// The interpreters to trace under: every CPython 3.10–3.13 found (on the PATH as
/// `python3.1x`, or installed by pyenv), or else `python3`. Under CI fewer than three is a
/// failure; elsewhere, with no python3 at all, `None` and a message.
fn interpreters() -> Option<Vec<PathBuf>> {
    let runs =
        |python: &Path| Command::new(python).arg("--version").output().is_ok_and(|o| o.status.success());
    let pyenv_roots: Vec<PathBuf> = [
        std::env::var_os("PYENV_ROOT").map(PathBuf::from),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let find = |minor: u32| -> Option<PathBuf> {
        let name = format!("python3.{minor}");
        if runs(Path::new(&name)) {
            return Some(PathBuf::from(name));
        }
        for root in &pyenv_roots {
            let Ok(entries) = std::fs::read_dir(root.join("versions")) else { continue };
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("3.{minor}.")))
                .map(|e| e.path().join("bin").join(&name))
                .filter(|p| runs(p))
                .collect();
            found.sort();
            if let Some(last) = found.pop() {
                return Some(last);
            }
        }
        None
    };
    let versions: Vec<PathBuf> = (10..=13).filter_map(find).collect();
    if std::env::var_os("CI").is_some() {
        assert!(versions.len() >= 3, "CI needs at least three of python3.10…3.13; found {versions:?}");
        return Some(versions);
    }
    if versions.is_empty() && !runs(Path::new("python3")) {
        eprintln!("SKIPPED: python3 is not installed, so no Python program was traced");
        return None;
    }
    Some(if versions.is_empty() { vec![PathBuf::from("python3")] } else { versions })
}

fn config(python: &Path) -> PythonConfig {
    PythonConfig::new(RunConfig::default(), Some(python.to_owned()))
}

fn lesson_program(id: &str) -> Program {
    let catalog = Catalog::embedded().unwrap();
    let lesson = catalog.find(id).unwrap();
    Program::Code { name: format!("{id}.py"), code: lesson.python.code.clone() }
}

fn program(name: &str, code: &str) -> Program {
    Program::Code { name: name.to_owned(), code: code.to_owned() }
}

fn printed(trace: &Trace) -> String {
    trace.printed().map(|line| format!("{line}\n")).collect()
}

/// Every task starts Created and follows the lifecycle's table to its end.
fn lifecycle(run: &PythonRun) -> Lifecycle {
    Lifecycle::of(&run.trace)
        .unwrap_or_else(|illegal| panic!("an impossible event: {illegal}\n{:#?}", run.trace.events))
}

#[test]
fn every_lessons_python_original_traced_prints_what_plain_python_prints_under_every_version() {
    let Some(interpreters) = interpreters() else { return };
    let catalog = Catalog::embedded().unwrap();
    for python in &interpreters {
        // In parallel: the plain runs sleep in real time, and a few lessons wait for threads.
        let runs: Vec<_> = catalog
            .lessons
            .iter()
            .map(|lesson| {
                let (id, program, python) =
                    (lesson.id().to_owned(), lesson_program(lesson.id()), python.clone());
                let code = lesson.python.code.clone();
                std::thread::spawn(move || {
                    let plain = Command::new(&python).arg("-c").arg(&code).output().unwrap();
                    let ok = plain.status.success();
                    (
                        id,
                        ok,
                        String::from_utf8(plain.stdout).unwrap(),
                        python::trace(&program, &config(&python)),
                    )
                })
            })
            .collect();
        for run in runs {
            let (id, ok, plain, run) = run.join().unwrap();
            let run = run.unwrap_or_else(|error| panic!("{id} under {}: {error}", python.display()));
            let lesson = catalog.find(&id).unwrap();
            // It ends as plain python3 of this version ends (3.10 raises in as-completed, where
            // `asyncio.TimeoutError` is not yet the built-in one).
            assert_eq!(run.ending == Ending::Ok, ok, "{id} under {}: {}", python.display(), run.stderr);
            // What this version of Python prints (3.10 differs from the recorded output of
            // six lessons: `asyncio.TimeoutError` is not yet `TimeoutError`, and so on).
            assert_eq!(printed(&run.trace), plain, "{id} under {}", python.display());
            if run.version.starts_with("3.11") {
                assert_eq!(printed(&run.trace), lesson.python.output, "{id} under {}", python.display());
            }
            let states = lifecycle(&run);
            assert_eq!(states.tasks[0].meta.name, "<module>", "{id}: #1 is the program");
            if ok {
                assert_eq!(states.tasks[0].state, State::Done, "{id}: the program ends Done");
            }
        }
    }
}

#[test]
fn a_trace_is_the_same_on_every_run_and_a_viewers_cancel_lands_at_its_event() {
    let Some(interpreters) = interpreters() else { return };
    let python = &interpreters[0];
    let gather = lesson_program("gather");
    let first = python::trace(&gather, &config(python)).unwrap();
    let again = python::trace(&gather, &config(python)).unwrap();
    assert_eq!(first.trace.events, again.trace.events, "deterministic");
    assert_eq!(first.trace.tasks, again.trace.tasks);
    // Cancel the first `coro` task once 20 events are written: the request is the next event,
    // and the task ends Cancelled by the viewer.
    let coro = first.trace.tasks.iter().find(|t| t.name == "coro").unwrap().id;
    let cancelled_config = PythonConfig { cancels: vec![(20, coro)], ..config(python) };
    let cancelled = python::trace(&gather, &cancelled_config).unwrap();
    assert_eq!(cancelled.trace.events[..20], first.trace.events[..20], "the same run up to the cancel");
    assert_eq!(cancelled.trace.events[20].task, coro);
    assert_eq!(cancelled.trace.events[20].kind, EventKind::CancelAsked { by: Canceller::Viewer });
    let states = lifecycle(&cancelled);
    assert_eq!(states.get(coro).unwrap().state, State::Cancelled);
    let again = python::trace(&gather, &cancelled_config).unwrap();
    assert_eq!(cancelled.trace.events, again.trace.events, "a cancelled run is deterministic too");
    // A cancel of a task that is not there does nothing.
    let nobody = PythonConfig { cancels: vec![(3, TaskId(9999))], ..config(python) };
    assert_eq!(python::trace(&gather, &nobody).unwrap().trace.events, first.trace.events);
}

#[test]
fn gather_waits_on_its_tasks_and_equal_sleeps_wake_in_the_order_they_were_set() {
    let Some(interpreters) = interpreters() else { return };
    let code = "import asyncio\n\nasync def sleeper(n):\n    await asyncio.sleep(1)\n    print(n)\n\nasync def main():\n    await asyncio.gather(*(sleeper(n) for n in range(5)))\n\nasyncio.run(main())\n";
    for python in &interpreters {
        let run = python::trace(&program("ties.py", code), &config(python)).unwrap();
        assert_eq!(printed(&run.trace), "0\n1\n2\n3\n4\n", "{}", python.display());
        let main = run.trace.tasks.iter().find(|t| t.name == "main").unwrap().id;
        let waits = run.trace.events.iter().find_map(|e| match &e.kind {
            EventKind::Suspended { awaits, line } if e.task == main => Some((awaits.to_string(), *line)),
            _ => None,
        });
        let (awaits, line) = waits.expect("main waits");
        assert_eq!(awaits, "await #3…#7", "{}", python.display());
        assert_eq!(line, Some(8));
        let sleeper = run.trace.tasks.iter().find(|t| t.name == "sleeper").unwrap().id;
        let slept = run.trace.events.iter().any(|e| {
            e.task == sleeper
                && matches!(&e.kind, EventKind::Suspended { awaits, line: Some(4) }
                    if awaits.items() == [Await::Sleep { until: asyncdemo::engine::event::VTime(1_000_000_000) }])
        });
        assert!(slept, "a sleeper waits on its timer at line 4");
    }
}

#[test]
fn a_program_that_raises_or_exits_fails_with_its_traceback() {
    let Some(interpreters) = interpreters() else { return };
    let python = &interpreters[0];
    let raising = "import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    raise ValueError('плохо')\n\nasyncio.run(main())\n";
    let run = python::trace(&program("raises.py", raising), &config(python)).unwrap();
    assert_eq!(run.ending, Ending::Error("ValueError: плохо".into()));
    assert!(run.stderr.contains("Traceback") && run.stderr.contains("raises.py\", line 5"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("asyncdemo_tracer"),
        "the tracer's own frames are left out:\n{}",
        run.stderr
    );
    assert!(run.failure(&RunConfig::default()).unwrap().contains("ValueError: плохо"));
    let main = run.trace.tasks.iter().find(|t| t.name == "main").unwrap().id;
    assert_eq!(lifecycle(&run).get(main).unwrap().state, State::Failed);
    let exits = "import sys\nprint('bye')\nsys.exit(3)\n";
    let run = python::trace(&program("exits.py", exits), &config(python)).unwrap();
    assert_eq!(run.ending, Ending::Exit(3));
    assert_eq!(printed(&run.trace), "bye\n");
}

#[test]
fn a_program_that_never_ends_is_stopped_by_a_limit_with_the_rust_runs_message() {
    let Some(interpreters) = interpreters() else { return };
    let python = &interpreters[0];
    let forever = "import asyncio\n\nasync def main():\n    while True:\n        await asyncio.sleep(60)\n\nasyncio.run(main())\n";
    let run = python::trace(&program("forever.py", forever), &config(python)).unwrap();
    assert_eq!(run.ending, Ending::Limit("virtual".into()));
    assert_eq!(
        run.failure(&RunConfig::default()).unwrap(),
        "the demo was stopped: its virtual clock passed 3600 s"
    );
}

#[test]
fn threads_run_for_real_and_land_between_the_same_timers_as_in_a_plain_run() {
    let Some(interpreters) = interpreters() else { return };
    let code = "import asyncio, time\n\ndef work():\n    time.sleep(0.2)\n    return 'done'\n\nasync def ticker():\n    for n in range(1, 6):\n        await asyncio.sleep(0.06)\n        print('tick', n)\n\nasync def main():\n    t = asyncio.create_task(ticker())\n    print(await asyncio.to_thread(work))\n    await t\n\nasyncio.run(main())\n";
    for python in &interpreters {
        let run = python::trace(&program("threads.py", code), &config(python)).unwrap();
        assert_eq!(run.ending, Ending::Ok, "{}", run.stderr);
        let lines = printed(&run.trace);
        let done = lines.lines().position(|l| l == "done").expect("done");
        // A 0.2 s thread beside a 0.06 s ticker: after tick 3 (0.18 s), before tick 4 (0.24 s).
        assert_eq!(done, 3, "{}: {lines}", python.display());
        let job = run.trace.tasks.iter().find(|t| t.kind == asyncdemo::engine::event::TaskKind::Blocking);
        assert!(job.is_some_and(|job| job.name == "work"), "the thread's job is shown as a task");
        lifecycle(&run);
    }
}

#[test]
fn cancellation_runs_async_cleanup_and_shield_wait_for_and_taskgroup_do_what_they_do() {
    let Some(interpreters) = interpreters() else { return };
    let code = r#"import asyncio, sys

async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        await asyncio.sleep(0.5)
        print("cleaned up")
        raise

async def slow():
    await asyncio.sleep(2)
    return "slow"

async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("worker cancelled")
    inner = asyncio.create_task(slow())
    try:
        await asyncio.wait_for(asyncio.shield(inner), 1)
    except asyncio.TimeoutError:
        print("timed out; inner cancelled:", inner.cancelled())
    print(await inner)
    if sys.version_info >= (3, 11):
        async with asyncio.TaskGroup() as group:
            group.create_task(asyncio.sleep(0.1))
            group.create_task(slow())
    print("end")

asyncio.run(main())
"#;
    for python in &interpreters {
        let run = python::trace(&program("cancel.py", code), &config(python)).unwrap();
        assert_eq!(run.ending, Ending::Ok, "{}", run.stderr);
        assert_eq!(
            printed(&run.trace),
            "cleaned up\nworker cancelled\ntimed out; inner cancelled: False\nslow\nend\n",
            "{}",
            python.display()
        );
        let states = lifecycle(&run);
        let worker = states.tasks.iter().find(|t| t.meta.name == "worker").unwrap();
        assert_eq!(worker.state, State::Cancelled);
        // The cleanup ran in the task: its print is the worker's, half a second after the cancel.
        let cleanup = run
            .trace
            .events
            .iter()
            .find(|e| matches!(&e.kind, EventKind::Print { text } if &**text == "cleaned up"));
        assert_eq!(cleanup.map(|e| (e.task, e.at.0)), Some((worker.meta.id, 1_500_000_000)));
    }
}

#[test]
fn sockets_on_loopback_work_under_the_virtual_clock() {
    let Some(interpreters) = interpreters() else { return };
    let python = &interpreters[0];
    let code = r#"import asyncio

async def handle(reader, writer):
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\n")
    await writer.drain()
    print((await reader.readline()).decode().strip())
    writer.close()
    server.close()
    await server.wait_closed()

asyncio.run(main())
"#;
    let run = python::trace(&program("sockets.py", code), &config(python)).unwrap();
    assert_eq!(run.ending, Ending::Ok, "{}", run.stderr);
    assert_eq!(printed(&run.trace), "HELLO\n");
    lifecycle(&run);
}

#[test]
fn what_asyncio_warns_about_shows_where_it_happens() {
    let Some(interpreters) = interpreters() else { return };
    let python = &interpreters[0];
    let blocking = lesson_program("blocking");
    let run = python::trace(&blocking, &config(python)).unwrap();
    let blocked =
        run.trace.events.iter().find(|e| matches!(e.kind, EventKind::Warning { what: Warning::Blocked, .. }));
    let blocked = blocked.expect("time.sleep in a coroutine blocks the loop, and asyncio says so");
    assert_ne!(blocked.task, TaskId(1), "on the task whose step blocked");
    let never = "import asyncio\n\nasync def coro():\n    pass\n\nasync def main():\n    coro()\n    await asyncio.sleep(0)\n\nasyncio.run(main())\n";
    let run = python::trace(&program("never.py", never), &config(python)).unwrap();
    assert!(run.trace.events.iter().any(|e| matches!(&e.kind,
        EventKind::Warning { what: Warning::NeverAwaited, text } if text.contains("coro"))));
}

/// The binary: `run LESSON --python --plain`, `trace FILE --plain`, `compare --plain`, and no
/// interpreter at all.
#[test]
fn the_commands_trace_python_and_a_missing_interpreter_is_a_clear_error() {
    let Some(interpreters) = interpreters() else { return };
    let bin = env!("CARGO_BIN_EXE_asyncdemo");
    let python = interpreters[0].to_str().unwrap();
    let output = Command::new(bin)
        .args(["--python-bin", python, "run", "gather", "--python", "--plain"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("python gather.py · virtual time · seed 42"), "{text}");
    assert!(text.contains("<module>") && text.contains("Suspended"), "{text}");

    let dir =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hello.py");
    std::fs::write(&file, "import asyncio\n\nasync def main():\n    await asyncio.sleep(2)\n    print('hi')\n\nasyncio.run(main())\n").unwrap();
    let output =
        Command::new(bin).args(["--python-bin", python, "trace"]).arg(&file).arg("--plain").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("│ hi") && text.contains("2.000 s"), "{text}");

    let output =
        Command::new(bin).args(["--python-bin", python, "compare", "gather", "--plain"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("tokio: src/demos/gather.rs") && text.contains("asyncio: gather.py"), "{text}");

    let output = Command::new(bin)
        .args(["--python-bin", "/nowhere/python3", "run", "gather", "--python", "--plain"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.starts_with("error: cannot run `/nowhere/python3`") && error.contains("3.10 or later"),
        "{error}"
    );
    let runs =
        |python: &Path| Command::new(python).arg("--version").output().is_ok_and(|o| o.status.success());
    let pyenv = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pyenv/versions"));
    let old = std::fs::read_dir(pyenv.unwrap_or_default())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("3.9."))
        .map(|e| e.path().join("bin/python3"))
        .find(|p| runs(p));
    let old = old.as_deref().map(|p| p.to_str().unwrap().to_owned());
    if let Some(old) = old {
        let output = Command::new(bin)
            .args(["--python-bin", &old, "run", "gather", "--python", "--plain"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("tracing needs Python 3.10 or later"));
    }
}

/// A lesson of its Python original alone (`lesson-examples/python-only`): `check` passes it, `run`
/// traces it, `quiz` answers from its Python run; a quiz asking the Rust run of it is an error.
#[test]
fn a_lesson_of_its_python_original_alone_works_end_to_end() {
    let Some(interpreters) = interpreters() else { return };
    let bin = env!("CARGO_BIN_EXE_asyncdemo");
    let python = interpreters[0].to_str().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lesson-examples/python-only");
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut child = Command::new(bin)
            .args(["--python-bin", python, "--lessons-dir", dir])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(run(&["check"], ""), format!("ok: 1 lessons in {dir}\n"));
    let transcript = run(&["run", "race", "--plain"], "");
    assert!(transcript.contains("python race.py · virtual time"), "{transcript}");
    assert!(transcript.contains("Cancelled") && transcript.contains("│ победитель: заяц"), "{transcript}");
    let quiz = run(&["quiz", "race"], "3 2 1\n");
    assert!(quiz.contains("✓ Верно."), "{quiz}");

    let lesson = std::fs::read_to_string(format!("{dir}/race.toml")).unwrap();
    let asks_rust = lesson.replace("source = \"python\"", "source = \"rust\"");
    let errors = Catalog::from_files(vec![("race.toml".into(), asks_rust.into_bytes())]).unwrap_err();
    assert!(errors.to_string().contains("this lesson has no Rust demo to answer the quiz"), "{errors}");
}
