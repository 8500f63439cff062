//! The real binary, as a user runs it: commands, errors, exit codes.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn asyncdemo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asyncdemo")).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 errors")
}

/// A scratch directory of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn list_shows_the_lessons_in_course_order() {
    let output = asyncdemo(&["list"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let gather = text.lines().find(|l| l.contains("gather")).expect("gather is listed");
    assert!(gather.contains("gather: много корутин сразу"), "{gather}");
    let numbers: Vec<&str> = text.lines().map(|l| l.split('.').next().unwrap().trim()).collect();
    let expected: Vec<String> = (1..=numbers.len()).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn list_in_english() {
    let text = stdout(&asyncdemo(&["--lang", "en", "list"]));
    assert!(text.contains("gather: many coroutines at once, results in order"), "{text}");
}

#[test]
fn run_prints_the_plain_transcript_when_stdout_is_not_a_terminal() {
    let output = asyncdemo(&["run", "gather"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("gather: много корутин сразу, результаты по порядку\ndemo src/demos/gather.rs · virtual time · seed 42\n"));
    assert!(text.contains("#1  main     Suspended  join #2…#11"), "{text}");
    assert!(text.contains("результаты gather: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"));
    assert!(text.contains("\ntask "), "the final table");
    assert_eq!(stderr(&output), "");
}

#[test]
fn run_plain_is_the_same_bytes_every_time_and_the_seed_changes_it() {
    let first = asyncdemo(&["run", "gather", "--plain"]);
    let second = asyncdemo(&["run", "gather", "--plain"]);
    assert_eq!(first.stdout, second.stdout);
    let other = asyncdemo(&["run", "gather", "--plain", "--seed", "7"]);
    assert!(other.status.success());
    assert_ne!(first.stdout, other.stdout);
    assert!(stdout(&other).lines().nth(1).unwrap().ends_with("seed 7"));
}

#[test]
fn an_unknown_lesson_is_a_usage_error_with_a_suggestion() {
    let output = asyncdemo(&["run", "gathr"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "error: unknown lesson `gathr`; did you mean `gather`?\n");
    assert_eq!(stdout(&output), "");

    let output = asyncdemo(&["show", "qqqqqq"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "error: unknown lesson `qqqqqq`; `asyncdemo list` shows the lessons\n");
}

#[test]
fn bad_arguments_are_usage_errors() {
    assert_eq!(asyncdemo(&[]).status.code(), Some(2));
    assert_eq!(asyncdemo(&["fly"]).status.code(), Some(2));
    assert_eq!(asyncdemo(&["--lang", "de", "list"]).status.code(), Some(2));
    assert_eq!(asyncdemo(&["run", "gather", "--seed", "x"]).status.code(), Some(2));
    let help = asyncdemo(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("Usage: asyncdemo"));
}

#[test]
fn show_has_the_text_the_python_original_and_the_demo_source() {
    let output = asyncdemo(&["show", "gather"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for part in [
        "## Идея",
        "## Python: оригинал",
        "    results = await asyncio.gather(",
        "## Python: вывод",
        "## Rust: демо (src/demos/gather.rs)",
        "│ pub async fn main() {",
    ] {
        assert!(text.contains(part), "missing {part:?}");
    }
    let english = stdout(&asyncdemo(&["--lang", "en", "show", "gather"]));
    assert!(english.contains("## The idea") && english.contains("## Python: the original"));
}

#[test]
fn check_passes_on_the_shipped_lessons() {
    let output = asyncdemo(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("ok: "), "{}", stdout(&output));
    let output = asyncdemo(&["check", concat!(env!("CARGO_MANIFEST_DIR"), "/lessons")]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn check_reports_bad_files_with_positions_and_fails() {
    let dir = scratch("check-bad");
    let good = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/gather.toml")).unwrap();
    std::fs::write(dir.join("good.toml"), &good).unwrap();
    std::fs::write(
        dir.join("bad.toml"),
        good.replace(r#"id = "gather""#, r#"id = "gather2""#)
            .replace("order = 30", "order = 31")
            .replace(r#"demo = "gather""#, r#"demo = "gathre""#),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a lesson").unwrap();
    let output = asyncdemo(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(errors.starts_with("error: "), "{errors}");
    assert!(errors.contains("bad.toml:"), "{errors}");
    // The line itself, with a caret under the mistake, then the hint.
    let line = good.lines().position(|l| l == r#"demo = "gather""#).expect("the demo line") + 1;
    let gutter = " ".repeat(line.to_string().len());
    let expected = format!(
        ":{line}:8: unknown demo `gathre`\n{gutter} |\n{line} | demo = \"gathre\"\n{gutter} |        ^^^^^^^^\n  hint: did you mean `gather`?"
    );
    assert!(errors.contains(&expected), "{errors}");
    assert_eq!(errors.matches("error: ").count(), 1, "`error: ` once per problem: {errors}");
}

#[test]
fn check_on_a_missing_or_empty_directory_fails_clearly() {
    let output = asyncdemo(&["check", "/nonexistent/lessons"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("error: /nonexistent/lessons: cannot read the directory:"),
        "{}",
        stderr(&output)
    );
    let empty = scratch("check-empty");
    let output = asyncdemo(&["check", empty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no lesson files (*.toml) here"));
}

#[test]
fn lessons_dir_replaces_the_built_in_course() {
    let dir = scratch("own-course");
    let gather =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/gather.toml")).unwrap();
    let own = gather
        .replace(r#"id = "gather""#, r#"id = "mine""#)
        .replace("gather: много корутин сразу", "моя версия gather");
    std::fs::write(dir.join("mine.toml"), own).unwrap();
    let dir = dir.to_str().unwrap();
    let list = stdout(&asyncdemo(&["--lessons-dir", dir, "list"]));
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("mine") && list.contains("моя версия gather"), "{list}");
    let run = asyncdemo(&["--lessons-dir", dir, "run", "mine"]);
    assert!(run.status.success());
    assert!(stdout(&run).starts_with("моя версия gather"));
    assert_eq!(asyncdemo(&["--lessons-dir", dir, "run", "gather"]).status.code(), Some(2));
}

#[test]
fn a_bad_lessons_dir_fails_every_command_that_loads_it() {
    let dir = scratch("broken-course");
    std::fs::write(dir.join("x.toml"), "id = 1\n").unwrap();
    let output = asyncdemo(&["--lessons-dir", dir.to_str().unwrap(), "list"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("x.toml:1:6: invalid type"), "{}", stderr(&output));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = asyncdemo(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        assert!(stdout(&output).contains("asyncdemo"), "{shell}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
        .args(["show", "gather"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end of stdout before the program writes anything.
    drop(child.stdout.take());
    let mut errors = String::new();
    child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{errors}");
    assert_eq!(errors, "");
}

#[test]
fn quiz_asks_and_checks_answers_against_the_run() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
        .args(["--lang", "en", "quiz", "gather"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // A wrong typed answer is asked again; then the three answers.
    child.stdin.take().unwrap().write_all(b"9\n2 3 4 1\n1 2 3 4\n4\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("Question 1 / 3. In what order does the demo print these lines?"), "{text}");
    assert!(text.contains("numbers from 1 to 4, please"), "{text}");
    assert!(text.contains("✓ Right.") && text.contains("✗ Not quite. The answer: 3 1 4 2"), "{text}");
    assert!(text.contains("#1 main at 7.950 s: Suspended, awaiting sleep until 8.000 s"), "{text}");
    assert!(text.ends_with("Score: 2 / 3\n"), "{text}");
}

#[test]
fn quiz_in_russian_says_why_and_writes_seconds_as_s_cyrillic() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
        .args(["quiz", "gather"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"2 3 4 1\n1 2 3 4\n4\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("Почему: "), "{text}");
    assert!(
        text.contains("#1 main в 7.950 с: Suspended (приостановлена), ждёт sleep until 8.000 с"),
        "{text}"
    );
    assert!(!text.contains(" s:") && !text.contains(".000 s "), "{text}");
}

#[test]
fn a_quiz_answer_that_is_not_utf8_is_asked_again() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_asyncdemo"))
        .args(["--lang", "en", "quiz", "gather"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"\xff\xfe\n2 3 4 1\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.contains("that is not UTF-8 text: type the numbers as digits"), "{text}");
    assert!(text.contains("✓ Right."), "{text}");
}
