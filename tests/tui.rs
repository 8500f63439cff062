//! The real binary's live view, driven the way a person uses it: inside tmux, with keys sent by
//! `send-keys` and the screen read by `capture-pane`. Skipped, with a message, where tmux is not
//! installed.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), with one pane running the binary.
struct Tmux {
    socket: String,
    /// Where the pane's shell writes the program's exit status (tmux's own record of it is not
    /// always there under load).
    status_file: std::path::PathBuf,
}

impl Tmux {
    /// Starts `asyncdemo ARGS` in a `width`×`height` pane that stays open after it exits.
    fn start(name: &str, width: u16, height: u16, args: &[&str], env: &[(&str, &str)]) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            // Under CI a missing tool is a failure, not a skip (`.ci/run` installs it).
            assert!(std::env::var_os("CI").is_none(), "tmux is not installed, and CI needs it");
            eprintln!("SKIPPED: tmux is not installed, so the live view was not driven end to end");
            return None;
        }
        let socket = format!("asyncdemo-{name}-{}", std::process::id());
        let status_file =
            std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{socket}.status"));
        let _ = std::fs::remove_file(&status_file);
        let tmux = Tmux { socket, status_file };
        let wrapper = format!("\"$0\" \"$@\"; echo $? > '{}'", tmux.status_file.display());
        let mut command = vec![
            "sh".to_owned(),
            "-c".to_owned(),
            wrapper,
            "env".to_owned(),
            "TERM=xterm-256color".to_owned(),
        ];
        command.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        command.push(env!("CARGO_BIN_EXE_asyncdemo").to_owned());
        command.extend(args.iter().map(|a| a.to_string()));
        let (w, h) = (width.to_string(), height.to_string());
        let mut new_session = vec!["new-session", "-d", "-s", "e2e", "-x", &w, "-y", &h];
        new_session.extend(command.iter().map(String::as_str));
        tmux.run(
            &["set-option", "-g", "remain-on-exit", "on", ";"]
                .iter()
                .chain(&new_session)
                .copied()
                .collect::<Vec<_>>(),
        );
        // Older tmux needs the option set after the server exists too.
        tmux.run(&["set-option", "-t", "e2e", "remain-on-exit", "on"]);
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    /// The screen and everything scrolled off it.
    fn history(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-S", "-", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(&self.run(&["display-message", "-p", "-t", "e2e", format]).stdout)
            .trim()
            .to_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend(keys);
        self.run(&args);
    }

    /// Waits (up to 15 s) until the screen satisfies `ready`; returns it.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the program to exit; its exit status.
    fn exit_status(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let status = loop {
            if let Ok(status) = std::fs::read_to_string(&self.status_file)
                && !status.trim().is_empty()
            {
                break status.trim().to_owned();
            }
            assert!(Instant::now() < deadline, "the program did not exit; the screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        };
        while self.display("#{pane_dead}") != "1" {
            assert!(Instant::now() < deadline, "the pane did not close");
            std::thread::sleep(Duration::from_millis(50));
        }
        status
    }

    /// Waits for the program to exit and checks that it exited with status 0.
    fn assert_exits_cleanly(&self) {
        let status = self.exit_status();
        assert_eq!(status, "0", "exit status; the screen:\n{}", self.screen());
    }

    /// The program's process id (the pane runs it under a shell).
    fn program_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let children =
            std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
        let env = children.split_whitespace().next().unwrap_or_default().to_owned();
        // `env` execs the program, so the shell's child is the program itself.
        env
    }

    /// User + system CPU time of the pane's process so far, in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        let pid = self.program_pid();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        field(11) + field(12) // utime, stime (fields 14 and 15 of /proc/PID/stat)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
        let _ = std::fs::remove_file(&self.status_file);
    }
}

/// The header's "N/M" count of events shown.
fn shown_events(screen: &str) -> usize {
    let header = screen.lines().next().unwrap_or("");
    header
        .split('│')
        .nth(2)
        .and_then(|field| field.trim().split('/').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no event count in {header:?}"))
}

/// The task list's row of task `#id` on the screen (the selected row starts with `▸`, the
/// changed one has `◂` after its id).
fn task_row(screen: &str, id: u32) -> Option<&str> {
    let label = format!("#{id}");
    screen.lines().find(|line| {
        let Some(rest) = line.strip_prefix('│') else { return false };
        let rest = rest.trim_start_matches(['▸', ' ']);
        rest.strip_prefix(&label).is_some_and(|after| after.starts_with([' ', '◂']))
    })
}

#[test]
fn it_starts_paused_plays_event_by_event_steps_back_cancels_and_quits() {
    let Some(tmux) = Tmux::start("keys", 120, 34, &["run", "gather"], &[]) else { return };
    // Paused at event 0, with a hint.
    let first = tmux.wait_for("the paused start", |s| s.contains("Задачи") && s.contains("Space — пуск"));
    assert!(first.lines().next().unwrap().contains("⏸ пауза"), "{first}");
    assert_eq!(shown_events(&first), 0);
    assert_eq!(tmux.display("#{alternate_on}"), "1", "the view uses the alternate screen");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(shown_events(&tmux.screen()), 0, "nothing plays before Space");

    // Space plays event by event: a task is seen Scheduled, then Running.
    tmux.keys(&["Space"]);
    tmux.wait_for("a task Scheduled", |s| s.contains("» Scheduled"));
    tmux.wait_for("a task Running", |s| s.contains("▶ Running"));
    tmux.keys(&["Space"]);
    let paused = tmux.wait_for("the pause", |s| s.lines().next().unwrap_or("").contains("пауза"));
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(shown_events(&tmux.screen()), shown_events(&paused), "a paused view stands still");

    // A paused view uses no CPU to speak of: no redraws without a reason.
    let before = tmux.cpu_ticks();
    std::thread::sleep(Duration::from_secs(2));
    let used = tmux.cpu_ticks() - before;
    assert!(used <= 10, "a paused view used {used} clock ticks of CPU in 2 s");

    // → and PgDn (what a presentation clicker sends) show one more event, ← and PgUp one less;
    // the second line says what the last one was, and why.
    let at = shown_events(&tmux.screen());
    tmux.keys(&["Right"]);
    tmux.wait_for("one step forward", |s| shown_events(s) == at + 1);
    tmux.keys(&["PageDown"]);
    tmux.wait_for("a clicker's step", |s| shown_events(s) == at + 2);
    tmux.keys(&["PageUp", "Left"]);
    let back = tmux.wait_for("two steps back", |s| shown_events(s) == at);
    assert!(back.lines().nth(1).unwrap_or("").contains(" ▸ "), "the last-event line:\n{back}");

    // Go to a time: `g`, the seconds, Enter.
    tmux.keys(&["g", "1", ".", "5", "Enter"]);
    let there = tmux.wait_for("t = 1.500", |s| s.lines().next().unwrap_or("").contains("t = 1.500 с"));
    assert!(there.contains("Suspended"), "{there}");

    // Esc closes, clears, and never quits.
    tmux.keys(&["?"]);
    tmux.wait_for("the help", |s| s.contains("Клавиши"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help closed", |s| !s.contains("Клавиши"));
    tmux.keys(&["Escape", "Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(tmux.display("#{pane_dead}"), "0", "Esc does not quit");

    // Cancel #2 at the live end: the request shows at once, and the steps after it show the
    // task really aborted.
    tmux.keys(&["j"]);
    tmux.keys(&["c"]);
    // (The run is rebuilt with the cancel, then shown up to its request.)
    let asked = tmux.wait_for("the cancel asked", |s| {
        s.lines().nth(1).unwrap_or("").contains("#2 coro  ⊘? запрошена отмена") && !s.contains("ищу…")
    });
    assert!(asked.contains("отмена задачи #2"), "the view says what it did:\n{asked}");
    let at = shown_events(&asked);
    for step in 1..=8 {
        if task_row(&tmux.screen(), 2).is_some_and(|row| row.contains("Cancelled")) {
            break;
        }
        tmux.keys(&["Right"]);
        tmux.wait_for("a step after the cancel", |s| shown_events(s) >= at + step);
    }
    let cancelled = tmux.screen();
    assert!(task_row(&cancelled, 2).is_some_and(|row| row.contains("Cancelled")), "{cancelled}");

    // q leaves, and the terminal is back to its normal screen.
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
    assert_eq!(tmux.display("#{alternate_on}"), "0", "the alternate screen was left");
    assert!(!tmux.screen().contains("Задачи"), "nothing of the view is left on the normal screen");
}

#[test]
fn a_cancel_in_the_past_forks_the_run() {
    let Some(tmux) = Tmux::start("fork", 120, 34, &["run", "cancellation"], &[]) else { return };
    tmux.wait_for("the view", |s| s.contains("Задачи"));
    // To 0.6 s, select writer #3, back four events (the run is recorded past them), cancel.
    tmux.keys(&["g", "0", ".", "6", "Enter"]);
    tmux.wait_for("t = 0.600", |s| task_row(s, 3).is_some());
    tmux.keys(&["j", "j"]);
    tmux.keys(&["Left", "Left", "Left", "Left"]);
    tmux.wait_for("a replay", |s| s.lines().next().unwrap_or("").contains("повтор"));
    tmux.keys(&["c"]);
    // (The mark shows at once; the new run's events as soon as it has replayed up to there.)
    let forked = tmux
        .wait_for("the run changed", |s| s.contains("прогон изменён: отмена #3") && task_row(s, 3).is_some());
    assert!(task_row(&forked, 3).is_some_and(|row| !row.contains("Cancelled")), "not yet:\n{forked}");
    // The cancel lands when the run goes on from there.
    tmux.keys(&["End"]);
    let end =
        tmux.wait_for("the end of the changed run", |s| s.lines().next().unwrap_or("").contains("конец"));
    assert!(task_row(&end, 3).is_some_and(|row| row.contains("Cancelled")), "{end}");
    assert!(end.contains("прогон изменён"), "the mark stays:\n{end}");
    // Home runs the demo as written again.
    tmux.keys(&["Home"]);
    tmux.wait_for("the mark gone", |s| !s.contains("прогон изменён"));
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
}

#[test]
fn a_100x30_projector_gets_the_whole_header_and_key_bar_and_can_maximize() {
    let Some(tmux) = Tmux::start("projector", 100, 30, &["run", "shield"], &[]) else { return };
    tmux.wait_for("the view", |s| s.contains("Задачи"));
    tmux.keys(&["End"]);
    let screen = tmux.wait_for("the end", |s| s.lines().next().unwrap_or("").contains("конец"));
    let header = screen.lines().next().unwrap();
    for part in ["t = ", "■ конец", "соб./с", "/"] {
        assert!(header.contains(part), "the header lacks {part:?}: {header:?}");
    }
    let events = shown_events(&screen);
    assert!(header.contains(&format!("{events}/{events}")), "{header:?}");
    let keybar = screen.lines().rfind(|l| !l.trim().is_empty()).unwrap();
    for part in ["Space", "→ шаг", "? справка", "q выход"] {
        assert!(keybar.contains(part), "the key bar lacks {part:?}: {keybar:?}");
    }
    // `F` maximizes the focused panel (the output); Tab names the next panel and goes there.
    tmux.keys(&["F"]);
    let maximized = tmux.wait_for("the output maximized", |s| !s.contains("Задачи") && s.contains("Вывод"));
    assert!(maximized.contains("Tab → "), "{maximized}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("back to the layout", |s| s.contains("Задачи") && s.contains("Вывод"));
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
}

#[test]
fn a_panicking_demo_task_shows_as_failed_and_the_view_goes_on() {
    // The tasks lesson has a task that panics on purpose.
    let Some(tmux) = Tmux::start("panic", 160, 48, &["run", "tasks", "--play"], &[]) else { return };
    tmux.wait_for("the view", |s| s.contains("Задачи"));
    tmux.keys(&["End"]);
    let screen = tmux.wait_for("the panicked task", |s| s.contains("panicking") && s.contains("panicked"));
    assert!(screen.contains("Failed"), "{screen}");
    assert_eq!(tmux.display("#{alternate_on}"), "1", "the panic did not restore the terminal under the view");
    assert!(!screen.contains("thread '"), "no panic message printed over the view:\n{screen}");
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
    assert_eq!(tmux.display("#{alternate_on}"), "0");
}

#[test]
fn sigterm_restores_the_terminal() {
    let Some(tmux) = Tmux::start("term", 100, 30, &["run", "gather"], &[]) else { return };
    tmux.wait_for("the view", |s| s.contains("Задачи"));
    let pid = tmux.program_pid();
    assert!(!pid.is_empty(), "the program is running");
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    tmux.assert_exits_cleanly();
    assert_eq!(tmux.display("#{alternate_on}"), "0", "the alternate screen was left");
}

#[test]
fn a_tiny_window_gets_a_message_and_resizing_brings_the_view_back() {
    let Some(tmux) = Tmux::start("tiny", 24, 6, &["--lang", "en", "run", "gather"], &[]) else { return };
    tmux.wait_for("the too-small message", |s| s.contains("window too small"));
    tmux.run(&["resize-window", "-t", "e2e", "-x", "100", "-y", "30"]);
    tmux.wait_for("the view after resizing", |s| s.contains("Tasks"));
    // Ctrl-C arrives as a key in raw mode, and quits like q.
    tmux.keys(&["C-c"]);
    tmux.assert_exits_cleanly();
    // (tmux keeps what a resized pane drew on the alternate screen visible after it is left,
    // so here only the mode is checked.)
    assert_eq!(tmux.display("#{alternate_on}"), "0");
}

#[test]
fn the_tour_remembers_progress() {
    let state = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("tour-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    let state_dir = state.to_str().unwrap().to_owned();
    // A fixed course of three core lessons, so that the test does not change as the shipped
    // course grows.
    let course = state.join("course");
    std::fs::create_dir_all(&course).unwrap();
    for id in ["event-loop", "tasks", "gather"] {
        let file = format!("{id}.toml");
        std::fs::copy(format!("{}/lessons/{file}", env!("CARGO_MANIFEST_DIR")), course.join(file)).unwrap();
    }
    let course = course.to_str().unwrap().to_owned();
    let Some(tmux) = Tmux::start(
        "tour",
        100,
        30,
        &["tour", "--lessons-dir", &course],
        &[("ASYNCDEMO_STATE_DIR", &state_dir)],
    ) else {
        return;
    };
    tmux.wait_for("the menu", |s| s.contains("пройдено 0 из 3"));
    tmux.keys(&["Enter"]);
    // The lesson's text comes first, as a page; it scrolls and stops at its end.
    let page = tmux.wait_for("the lesson page", |s| s.contains("Enter — вопросы"));
    assert!(page.contains("Цикл событий"), "{page}");
    for _ in 0..40 {
        tmux.keys(&["PageDown"]);
    }
    tmux.wait_for("the end of the text", |s| !s.contains("дальше") && s.contains("Enter — вопросы"));
    tmux.keys(&["Enter"]);
    // Then the quiz: put its four lines in order, then skip to the demo.
    tmux.wait_for("the quiz", |s| s.contains("Предскажите прогон") && s.contains("Вопрос 1 /"));
    tmux.keys(&["2", "4", "3", "1"]);
    tmux.wait_for("the verdict", |s| s.contains("Что было в прогоне") && s.contains("✓ Верно."));
    tmux.keys(&["s"]);
    tmux.wait_for("the first lesson", |s| s.contains("Цикл событий") && s.contains("Задачи"));
    tmux.keys(&["End"]);
    tmux.wait_for("the end of the run", |s| s.lines().next().unwrap_or("").contains("конец"));
    tmux.wait_for("the cue at the lesson's end", |s| s.contains("урок пройден — n следующий, m меню"));
    // q in the tour goes back to the menu, which resumes at the next lesson.
    tmux.keys(&["q"]);
    let menu = tmux.wait_for("the menu again, one lesson done", |s| s.contains("пройдено 1 из"));
    assert!(menu.lines().any(|l| l.contains("Задачи") && l.contains("продолжить здесь")), "{menu}");
    // The done lesson opens on its text, and Enter goes to its demo, not to its quiz again.
    tmux.keys(&["1", "Enter"]);
    tmux.wait_for("the done lesson's page", |s| s.contains("Enter — демо"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("its demo", |s| s.contains("Space — пуск"));
    tmux.keys(&["q"]);
    tmux.wait_for("the menu", |s| s.contains("пройдено 1 из"));
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
    let saved = std::fs::read_to_string(state.join("progress.toml")).unwrap();
    assert!(
        saved.contains(r#"done = ["event-loop"]"#) && saved.contains(r#"current = "event-loop""#),
        "{saved}"
    );
    // Skipping the rest of the quiz records no score.
    assert!(!saved.contains("[quiz"), "{saved}");
}

#[test]
fn a_panic_in_the_view_itself_restores_the_terminal_before_the_message() {
    let Some(tmux) =
        Tmux::start("ui-panic", 100, 30, &["run", "gather"], &[("ASYNCDEMO_TEST_PANIC_IN_VIEW", "1")])
    else {
        return;
    };
    assert_eq!(tmux.exit_status(), "101", "a panic exits with Rust's panic status");
    assert_eq!(tmux.display("#{alternate_on}"), "0", "the alternate screen was left");
    let history = tmux.history();
    assert!(
        history.contains("a test panic in the view"),
        "the message is readable on the normal screen:\n{history}"
    );
}

/// `NO_COLOR`, read from the real environment: no colour at all, only modifiers; without it,
/// colours.
#[test]
fn no_color_from_the_environment_turns_colour_off() {
    let styled = |env: &[(&str, &str)]| -> Option<String> {
        let tmux = Tmux::start("nocolor", 100, 30, &["run", "gather"], env)?;
        tmux.wait_for("the view", |s| s.contains("Задачи"));
        tmux.keys(&["g", "2", "Enter"]);
        tmux.wait_for("t = 2", |s| s.lines().next().unwrap_or("").contains("t = 2.000"));
        let screen = String::from_utf8_lossy(&tmux.run(&["capture-pane", "-p", "-e", "-t", "e2e"]).stdout)
            .into_owned();
        tmux.keys(&["q"]);
        tmux.assert_exits_cleanly();
        Some(screen)
    };
    // A foreground or background colour in an SGR sequence: 30–37, 40–47, 90–97, 100–107, or
    // 38/48 (extended).
    let has_colour = |screen: &str| {
        screen.split("\u{1b}[").skip(1).any(|sequence| {
            let params = sequence.split('m').next().unwrap_or("");
            params.split(';').any(|p| matches!(p.parse::<u32>(), Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)))
        })
    };
    let Some(plain) = styled(&[("NO_COLOR", "1")]) else { return };
    assert!(!has_colour(&plain), "colour with NO_COLOR set:\n{plain:?}");
    assert!(plain.contains("\u{1b}["), "modifiers (reverse, bold) are still drawn");
    let Some(coloured) = styled(&[("NO_COLOR", "")]) else { return };
    assert!(has_colour(&coloured), "no colour without NO_COLOR");
}

/// Play pauses at the lesson's first guided stop and says what to look at; a digit jumps to a stop.
#[test]
fn play_pauses_at_guided_stops_and_digits_jump_to_them() {
    let Some(tmux) = Tmux::start("stops", 120, 34, &["run", "cancellation"], &[]) else { return };
    tmux.wait_for("the view", |s| s.contains("Задачи"));
    tmux.keys(&["+", "+", "+", "Space"]);
    let first = tmux.wait_for("the first stop", |s| s.contains("⏹ 1/"));
    assert!(first.lines().next().unwrap_or("").contains("пауза"), "play paused there:\n{first}");
    tmux.keys(&["3"]);
    tmux.wait_for("the third stop", |s| s.contains("⏹ 3/"));
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
}

/// `present`: the lesson opens at once, and its demo shows the presenter's notes and clock.
#[test]
fn present_shows_the_notes_and_the_sessions_clock() {
    let state =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("present-{}", std::process::id()));
    let state_dir = state.to_str().unwrap().to_owned();
    let Some(tmux) = Tmux::start(
        "present",
        160,
        44,
        &["present", "cancellation", "--listen", "127.0.0.1:0"],
        &[("ASYNCDEMO_STATE_DIR", &state_dir)],
    ) else {
        return;
    };
    tmux.wait_for("the lesson page", |s| s.contains("Enter — вопросы") || s.contains("Enter — демо"));
    tmux.keys(&["d"]);
    tmux.wait_for("the notes", |s| s.contains("Заметки ведущего") && s.contains("⏱ 0:"));
    tmux.keys(&["2"]);
    tmux.wait_for("the stop's notes", |s| s.contains("Остановка 2/") && s.contains("Дальше"));
    tmux.keys(&["C-c"]);
    tmux.assert_exits_cleanly();
}

/// The first line of a screen (the header).
fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// A class on 127.0.0.1: a presenter, a projector following it (Russian, 100×30) and a student
/// (English, 120×34). Stops, steps and a cancel reach both; the student detaches, explores and
/// comes back; both answer a poll and see the result; the presenter quits and comes back, and
/// both find it again.
#[test]
fn a_class_follows_its_presenter_detaches_rejoins_answers_a_poll_and_outlives_a_restart() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let address = format!("127.0.0.1:{port}");
    let state =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("class-{}", std::process::id()));
    let state_dir = state.to_str().unwrap().to_owned();
    let present = ["present", "gather", "--listen", address.as_str()];
    let env = [("ASYNCDEMO_STATE_DIR", state_dir.as_str())];
    let Some(presenter) = Tmux::start("class-presenter", 120, 34, &present, &env) else { return };
    let Some(projector) = Tmux::start("class-projector", 100, 30, &["follow", &address], &[]) else { return };
    let Some(student) = Tmux::start("class-student", 120, 34, &["--lang", "en", "follow", &address], &[])
    else {
        return;
    };
    projector
        .wait_for("the presenter's lesson", |s| header(s).contains("◉ за ведущим") && s.contains("gather"));
    student.wait_for("the presenter's lesson", |s| header(s).contains("◉ following") && s.contains("gather"));
    presenter.wait_for("the lesson page", |s| s.contains("Enter — демо"));
    presenter.keys(&["Enter"]);
    presenter.wait_for("the demo, and two followers", |s| {
        s.contains("Заметки ведущего") && s.contains("класс: 2")
    });

    // A stop and two steps: both followers show the presenter's moment.
    presenter.keys(&["1"]);
    let at_stop = presenter.wait_for("stop 1", |s| s.contains("⏹ 1/"));
    let cursor = shown_events(&at_stop);
    projector.wait_for("stop 1 projected", |s| s.contains("⏹ 1/") && shown_events(s) == cursor);
    student.wait_for("stop 1 on the student's", |s| s.contains("⏹ 1/") && shown_events(s) == cursor);
    presenter.keys(&["Right", "Right"]);
    presenter.wait_for("two steps", |s| shown_events(s) == cursor + 2);
    projector.wait_for("two steps projected", |s| shown_events(s) == cursor + 2);
    student.wait_for("two steps on the student's", |s| shown_events(s) == cursor + 2);

    // A cancel: the presenter's run changes, and so do the followers', at the same event.
    presenter.keys(&["j", "j", "c"]);
    let cancelled = presenter.wait_for("the cancel", |s| s.contains("прогон изменён: отмена #3"));
    let cursor = shown_events(&cancelled);
    let projected = projector.wait_for("the cancel projected", |s| {
        s.contains("прогон изменён: отмена #3") && shown_events(s) == cursor
    });
    assert!(
        projected.contains("ведущий (клавиша c)"),
        "the presenter cancelled, not the projector:\n{projected}"
    );
    student.wait_for("the cancel on the student's", |s| s.contains("run changed: cancel of #3"));

    // The student leaves to explore, steps back; the presenter goes on without it.
    student.keys(&["d", "Left", "Left", "Left"]);
    let alone = student
        .wait_for("on its own", |s| header(s).contains("○ on your own") && shown_events(s) == cursor - 3);
    assert!(alone.contains("f follow"), "the key bar says how to come back:\n{alone}");
    presenter.keys(&["Right"]);
    projector.wait_for("the projector goes on", |s| shown_events(s) == cursor + 1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(shown_events(&student.screen()), cursor - 3, "the student stays where it went");
    student.keys(&["f"]);
    student.wait_for("back with the presenter", |s| {
        header(s).contains("◉ following") && shown_events(s) == cursor + 1
    });

    // A poll: both answer; the presenter sees the tally; the reveal reaches both.
    presenter.keys(&["a"]);
    projector.wait_for("the poll projected", |s| s.contains("Опрос ведущего"));
    student.wait_for("the poll on the student's", |s| s.contains("The presenter's poll"));
    let poll =
        presenter.wait_for("the poll", |s| s.contains("Опрос класса") && s.contains("ответили 0 из 2"));
    let right: Vec<String> = poll
        .lines()
        .find_map(|l| l.split("Правильный порядок:").nth(1))
        .expect("the presenter sees the right order")
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect();
    assert!(right.len() >= 2, "{poll}");
    let right: Vec<&str> = right.iter().map(String::as_str).collect();
    projector.keys(&right);
    let mut wrong = right.clone();
    wrong.reverse();
    student.keys(&wrong);
    presenter.wait_for("both answers", |s| s.contains("ответили 2 из 2 · верно 1"));
    presenter.keys(&["r"]);
    let projected =
        projector.wait_for("the result projected", |s| s.contains("Класс: ответили 2 из 2, верно 1"));
    assert!(projected.contains("✓ Верно."), "{projected}");
    let result =
        student.wait_for("the student's result", |s| s.contains("The class: answered 2 of 2, right 1"));
    assert!(result.contains("✗ Not quite."), "{result}");
    student.keys(&["Escape"]);
    student.wait_for("the poll put away", |s| !s.contains("The presenter's poll"));

    // The presenter quits: the followers keep their screen and say so.
    presenter.keys(&["C-c"]);
    presenter.assert_exits_cleanly();
    let lost = projector.wait_for("the presenter gone", |s| s.contains("⚠ нет связи с ведущим"));
    assert!(lost.contains("ведущий вышел"), "{lost}");
    assert!(shown_events(&lost) == cursor + 1, "the screen is kept:\n{lost}");
    student.wait_for("the presenter gone", |s| s.contains("⚠ presenter lost"));
    // …and comes back (to another lesson): both find it by themselves.
    let back = ["present", "shield", "--listen", address.as_str()];
    let Some(presenter) = Tmux::start("class-presenter-again", 120, 34, &back, &env) else { return };
    projector.wait_for("the new lesson", |s| header(s).contains("◉ за ведущим") && s.contains("shield"));
    student.wait_for("the new lesson", |s| header(s).contains("◉ following") && s.contains("shield"));
    presenter.keys(&["Enter"]);
    presenter.wait_for("the followers back", |s| s.contains("класс: 2"));
    for tmux in [&projector, &student, &presenter] {
        tmux.keys(&["C-c"]);
        tmux.assert_exits_cleanly();
    }
}

/// The Python run in the live view: the header says so, the code is the Python program and
/// follows the task; `P` switches to the Rust demo at the same virtual moment and back; `c`
/// cancels a Python task (the program runs again with the cancel at that event).
#[test]
fn the_python_run_plays_switches_to_rust_at_the_same_moment_and_cancels() {
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "python3 is not installed, and CI needs it");
        eprintln!("SKIPPED: python3 is not installed");
        return;
    }
    let Some(tmux) = Tmux::start("python", 120, 34, &["run", "gather", "--python"], &[]) else { return };
    // (The program is traced first: its events all arrive at once.)
    tmux.wait_for("the Python run", |s| {
        header(s).contains("Python · asyncio")
            && s.contains("Python · gather.py")
            && !header(s).contains(" 0/0 ")
    });
    // Three instants on: 2 s, where coro #5 still sleeps.
    tmux.keys(&[">", ">", ">"]);
    let at = tmux.wait_for("t = 2.000", |s| header(s).contains("t = 2.000 с"));
    assert!(task_row(&at, 5).is_some_and(|row| row.contains("Suspended")), "{at}");
    tmux.keys(&["P"]);
    let rust = tmux.wait_for("the Rust run", |s| {
        s.contains("Rust · src/demos/gather.rs") && !header(s).contains("Python")
    });
    assert!(header(&rust).contains("t = 2.000 с"), "the same moment:\n{rust}");
    tmux.keys(&["P"]);
    tmux.wait_for("the Python run again", |s| {
        header(s).contains("Python · asyncio") && header(s).contains("t = 2.000 с")
    });
    // Cancel #5 (the fourth row down from #1).
    tmux.keys(&["j", "j", "j", "j", "c"]);
    let asked = tmux.wait_for("the cancel asked", |s| {
        s.lines().nth(1).unwrap_or("").contains("#5 coro  ⊘? запрошена отмена") && !s.contains("ищу…")
    });
    assert!(header(&asked).contains("прогон изменён: отмена #5"), "{asked}");
    for _ in 0..8 {
        if task_row(&tmux.screen(), 5).is_some_and(|row| row.contains("Cancelled")) {
            break;
        }
        tmux.keys(&["Right"]);
        std::thread::sleep(Duration::from_millis(200));
    }
    let cancelled = tmux.screen();
    assert!(task_row(&cancelled, 5).is_some_and(|row| row.contains("Cancelled")), "{cancelled}");
    tmux.keys(&["q"]);
    tmux.assert_exits_cleanly();
}
