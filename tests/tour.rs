//! The tour's pieces on their own: the progress store (files in a temporary directory) and the
//! lesson menu (key handling, and rendered frames pinned as insta snapshots, styles included).

use std::ffi::OsStr;
use std::path::PathBuf;

use asyncdemo::lesson::{Catalog, Lang};
use asyncdemo::tour::menu::{Menu, MenuAction};
use asyncdemo::tour::progress::{Progress, Store};
use asyncdemo::ui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;

/// A fresh, empty directory for one test (tests run in parallel: one each).
fn temp_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tour").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// A fixed course of six lessons (the core ones), so that counts and snapshots do not change
/// as the shipped course grows.
fn catalog() -> Catalog {
    let files = ["event-loop", "tasks", "gather", "timeouts", "cancellation", "shield"]
        .iter()
        .map(|id| {
            let path = format!("{}/lessons/{id}.toml", env!("CARGO_MANIFEST_DIR"));
            (path.clone(), std::fs::read(&path).expect("a core lesson file"))
        })
        .collect();
    Catalog::from_files(files).expect("the core lessons load")
}

fn progress(done: &[&str], current: Option<&str>) -> Progress {
    Progress {
        done: done.iter().map(|id| id.to_string()).collect(),
        current: current.map(str::to_owned),
        quiz: Default::default(),
    }
}

// ---- progress ----

#[test]
fn progress_round_trips_through_the_file() {
    let dir = temp_dir("round_trip");
    let store = Store::at(&dir.join("nested/state"));
    let saved = progress(&["gather", "tasks", "a-lesson-from-elsewhere"], Some("timeouts"));
    store.save(&saved).unwrap();
    assert_eq!(store.load().unwrap(), saved);

    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("format_version = 1"), "{text}");
    assert!(text.contains(r#"current = "timeouts""#), "{text}");

    // Saving again replaces the file and leaves no temporary files behind.
    store.save(&Progress::default()).unwrap();
    assert_eq!(store.load().unwrap(), Progress::default());
    let files: Vec<_> = std::fs::read_dir(store.path().parent().unwrap()).unwrap().collect();
    assert_eq!(files.len(), 1, "{files:?}");
}

#[test]
fn progress_methods() {
    let mut p = Progress::default();
    assert!(!p.is_done("gather"));
    p.mark_done("gather");
    p.mark_done("gather");
    assert!(p.is_done("gather"));
    assert_eq!(p.done.len(), 1);
    p.set_current("shield");
    assert_eq!(p.current.as_deref(), Some("shield"));
}

#[test]
fn progress_missing_file_is_fresh_progress() {
    let store = Store::at(&temp_dir("missing"));
    assert_eq!(store.load().unwrap(), Progress::default());
}

#[test]
fn progress_hand_written_file_is_read() {
    let store = Store::at(&temp_dir("hand_written"));
    std::fs::write(store.path(), "format_version = 1\ndone = [\"tasks\", \"tasks\"]\nfuture_key = 3\n")
        .unwrap();
    assert_eq!(store.load().unwrap(), progress(&["tasks"], None));
}

#[test]
fn progress_damaged_toml_names_file_line_and_column() {
    let store = Store::at(&temp_dir("damaged"));
    std::fs::write(store.path(), "format_version = 1\ndone = [\"tasks\"\n").unwrap();
    let error = store.load().unwrap_err();
    let shown = error.to_string();
    let prefix = format!("{}:2:16: unclosed array", store.path().display());
    assert!(shown.starts_with(&prefix), "{shown}");
    assert!(shown.contains("hint: "), "{shown}");

    std::fs::write(store.path(), "format_version = 1\ndone = \"tasks\"\n").unwrap();
    let shown = store.load().unwrap_err().to_string();
    assert!(shown.starts_with(&format!("{}:2:8: ", store.path().display())), "{shown}");

    std::fs::write(store.path(), b"format_version = 1\ncurrent = \"\xff\"\n").unwrap();
    let shown = store.load().unwrap_err().to_string();
    assert!(shown.contains("not valid UTF-8"), "{shown}");

    std::fs::write(store.path(), "").unwrap();
    let shown = store.load().unwrap_err().to_string();
    assert!(shown.contains("no `format_version`"), "{shown}");
}

#[test]
fn progress_other_format_version_is_rejected() {
    let store = Store::at(&temp_dir("version"));
    // Version 2 may have another shape: the version is what gets reported.
    std::fs::write(store.path(), "format_version = 2\ndone = { gather = true }\n").unwrap();
    let shown = store.load().unwrap_err().to_string();
    let expected = format!("{}:1:18: unsupported format_version 2", store.path().display());
    assert!(shown.starts_with(&expected), "{shown}");
    assert!(shown.contains("reads format_version 1"), "{shown}");
}

#[test]
fn progress_unreadable_path_is_an_error_not_a_panic() {
    let dir = temp_dir("unreadable");
    std::fs::create_dir(dir.join("progress.toml")).unwrap();
    let store = Store::at(&dir);
    let shown = store.load().unwrap_err().to_string();
    assert!(shown.starts_with(&format!("{}: cannot read", store.path().display())), "{shown}");
    assert!(store.save(&Progress::default()).is_err());
    assert!(store.reset().is_err());
}

#[test]
fn progress_reset_removes_the_file() {
    let store = Store::at(&temp_dir("reset"));
    store.reset().expect("resetting nothing is fine");
    store.save(&progress(&["gather"], Some("gather"))).unwrap();
    store.reset().unwrap();
    assert!(!store.path().exists());
    assert_eq!(store.load().unwrap(), Progress::default());
}

#[test]
fn progress_resume_index() {
    let catalog = catalog();
    let ids: Vec<&str> = catalog.lessons.iter().map(|l| l.id()).collect();
    assert_eq!(ids, ["event-loop", "tasks", "gather", "timeouts", "cancellation", "shield"]);

    assert_eq!(Progress::default().resume_index(&catalog), 0);
    // The first lesson not done from `current` on, while `current` is in the catalog.
    assert_eq!(progress(&[], Some("timeouts")).resume_index(&catalog), 3);
    assert_eq!(progress(&["timeouts"], Some("timeouts")).resume_index(&catalog), 4);
    // …wrapping round to the first lesson not done.
    assert_eq!(progress(&["shield"], Some("shield")).resume_index(&catalog), 0);
    // Else the first lesson not done.
    assert_eq!(progress(&["event-loop", "tasks"], None).resume_index(&catalog), 2);
    assert_eq!(progress(&["event-loop", "gather"], Some("renamed")).resume_index(&catalog), 1);
    // Else the start.
    assert_eq!(progress(&ids, None).resume_index(&catalog), 0);
}

#[test]
fn progress_location_from_the_variable() {
    let store = Store::location(Some(OsStr::new("/somewhere/else"))).unwrap();
    assert_eq!(store.path(), PathBuf::from("/somewhere/else/progress.toml"));

    // Unset or empty: the platform's directory, which exists wherever there is a home directory
    // (and there is one on every machine these tests run on).
    assert!(std::env::var_os("HOME").is_some(), "the tests need a home directory");
    for value in [None, Some(OsStr::new(""))] {
        let store = Store::location(value).expect("a state directory under the home directory");
        assert!(store.path().ends_with("asyncdemo/progress.toml"), "{}", store.path().display());
    }
}

/// The real variable, set only in a child process (this test binary again, running just this
/// test): setting it here would race with the other tests, which run in parallel threads.
#[test]
fn progress_state_dir_variable_is_honoured() {
    const CHILD: &str = "ASYNCDEMO_TOUR_TEST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let expected = PathBuf::from(std::env::var_os("ASYNCDEMO_STATE_DIR").unwrap()).join("progress.toml");
        assert_eq!(Store::default_location().unwrap().path(), expected);
        return;
    }
    let dir = temp_dir("state_dir_variable");
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "progress_state_dir_variable_is_honoured", "--test-threads=1"])
        .env(CHILD, "1")
        .env("ASYNCDEMO_STATE_DIR", &dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "the child ran no test: {stdout}");
}

// ---- menu: keys ----

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn menu(lang: Lang, color: bool) -> Menu {
    Menu::new(&catalog(), lang, &progress(&["event-loop", "tasks"], Some("gather")), Theme::new(color))
}

#[test]
fn menu_starts_at_the_resume_lesson() {
    assert_eq!(menu(Lang::Ru, true).selected_id(), "gather");
    let fresh = Menu::new(&catalog(), Lang::Ru, &Progress::default(), Theme::new(true));
    assert_eq!(fresh.selected_id(), "event-loop");
}

#[test]
fn menu_moves_and_clamps() {
    let mut menu = menu(Lang::Ru, true);
    let mut keys = |code| {
        assert_eq!(menu.handle_key(press(code)), MenuAction::None);
        menu.selected_id().to_owned()
    };
    assert_eq!(keys(KeyCode::Down), "timeouts");
    assert_eq!(keys(KeyCode::Char('j')), "cancellation");
    assert_eq!(keys(KeyCode::Char('j')), "shield");
    assert_eq!(keys(KeyCode::Down), "shield", "clamped at the end");
    assert_eq!(keys(KeyCode::Char('k')), "cancellation");
    assert_eq!(keys(KeyCode::Up), "timeouts");
    assert_eq!(keys(KeyCode::Home), "event-loop");
    assert_eq!(keys(KeyCode::Up), "event-loop", "clamped at the start");
    assert_eq!(keys(KeyCode::End), "shield");
    assert_eq!(keys(KeyCode::Char('g')), "event-loop");
    assert_eq!(keys(KeyCode::Char('G')), "shield");
    assert_eq!(keys(KeyCode::Char('2')), "tasks");
    assert_eq!(keys(KeyCode::Char('9')), "tasks", "no lesson 9: stays");
    assert_eq!(keys(KeyCode::Char('о')), "gather", "j on a Russian layout");
}

#[test]
fn menu_opens_the_selected_lesson() {
    let mut menu = menu(Lang::En, false);
    assert_eq!(menu.handle_key(press(KeyCode::Enter)), MenuAction::Open("gather".into()));
    menu.handle_key(press(KeyCode::Char('6')));
    assert_eq!(menu.handle_key(press(KeyCode::Right)), MenuAction::Open("shield".into()));
    assert_eq!(menu.handle_key(press(KeyCode::Char('l'))), MenuAction::Open("shield".into()));
}

#[test]
fn menu_quits() {
    let mut menu = menu(Lang::Ru, true);
    assert_eq!(menu.handle_key(press(KeyCode::Char('q'))), MenuAction::Quit);
    assert_eq!(menu.handle_key(press(KeyCode::Esc)), MenuAction::Quit);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(menu.handle_key(ctrl_c), MenuAction::Quit);
    assert_eq!(menu.handle_key(press(KeyCode::Char('c'))), MenuAction::None);
}

#[test]
fn menu_ignores_key_releases() {
    let mut menu = menu(Lang::Ru, true);
    let mut release = press(KeyCode::Char('q'));
    release.kind = KeyEventKind::Release;
    assert_eq!(menu.handle_key(release), MenuAction::None);
}

#[test]
fn menu_reset_asks_first() {
    let mut menu = menu(Lang::En, true);
    assert_eq!(menu.handle_key(press(KeyCode::Char('r'))), MenuAction::None);
    assert!(render(&menu, 80, 24).contains("reset progress? y/n"));
    assert_eq!(menu.handle_key(press(KeyCode::Char('y'))), MenuAction::ResetProgress);

    // Anything but `y` cancels, even keys that would otherwise quit or open.
    for key in [KeyCode::Char('n'), KeyCode::Char('q'), KeyCode::Esc, KeyCode::Enter] {
        assert_eq!(menu.handle_key(press(KeyCode::Char('r'))), MenuAction::None);
        assert_eq!(menu.handle_key(press(key)), MenuAction::None);
        assert!(render(&menu, 80, 24).contains("reset cancelled"));
        assert_eq!(menu.selected_id(), "gather");
    }
    // `y` alone is just a key.
    assert_eq!(menu.handle_key(press(KeyCode::Char('y'))), MenuAction::None);
    assert!(!render(&menu, 80, 24).contains("reset cancelled"), "the next key clears the notice");
}

#[test]
fn menu_refresh_after_reset_and_after_a_lesson() {
    let mut menu = menu(Lang::En, true);
    menu.refresh(&Progress::default());
    assert_eq!(menu.selected_id(), "event-loop");
    assert!(render(&menu, 80, 24).contains("0 of 6 done"));

    menu.refresh(&progress(&["event-loop"], Some("tasks")));
    menu.set_notice("progress saved".into());
    let frame = render(&menu, 80, 24);
    assert_eq!(menu.selected_id(), "tasks");
    assert!(frame.contains("1 of 6 done") && frame.contains("progress saved"), "{frame}");
}

// ---- menu: rendering ----

/// The frame's text only (one line per row), for assertions on content.
fn render(menu: &Menu, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(menu, frame.area())).unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..height {
        for x in 0..width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

#[test]
fn menu_never_panics_at_any_size() {
    for lang in [Lang::Ru, Lang::En] {
        for color in [true, false] {
            let mut menu = menu(lang, color);
            menu.handle_key(press(KeyCode::Char('r')));
            for (width, height) in [(1, 1), (2, 1), (1, 5), (5, 2), (12, 3), (40, 12), (80, 24), (200, 60)] {
                render(&menu, width, height);
            }
            for width in 0..=90 {
                for height in 0..=14 {
                    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
                    terminal.draw(|frame| frame.render_widget(&menu, frame.area())).unwrap();
                }
            }
        }
    }
}

#[test]
fn menu_scrolls_to_keep_the_selection_visible() {
    let mut menu = menu(Lang::Ru, true);
    menu.handle_key(press(KeyCode::End));
    for height in 1..=5 {
        let frame = render(&menu, 60, height);
        assert!(frame.contains("shield: перестать"), "height {height}:\n{frame}");
    }
    menu.handle_key(press(KeyCode::Home));
    let frame = render(&menu, 60, 3);
    assert!(frame.contains("Цикл событий"), "{frame}");
}

#[test]
fn menu_all_done() {
    let catalog = catalog();
    let ids: Vec<&str> = catalog.lessons.iter().map(|l| l.id()).collect();
    let menu = Menu::new(&catalog, Lang::Ru, &progress(&ids, None), Theme::new(false));
    assert!(render(&menu, 80, 24).contains("пройдено 6 из 6: курс завершён"));
}

fn snapshot(name: &str, menu: &Menu, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(menu, frame.area())).unwrap();
    common::snapshot_settings().bind(|| insta::assert_debug_snapshot!(name, terminal.backend().buffer()));
}

#[test]
fn menu_snapshots() {
    for (lang, lang_name) in [(Lang::Ru, "ru"), (Lang::En, "en")] {
        for (color, color_name) in [(true, "color"), (false, "no_color")] {
            for (width, height) in [(80, 24), (40, 12)] {
                let name = format!("tour_menu_{lang_name}_{color_name}_{width}x{height}");
                snapshot(&name, &menu(lang, color), width, height);
            }
        }
    }
}

#[test]
fn menu_snapshot_reset_question() {
    let mut menu = menu(Lang::Ru, true);
    menu.handle_key(press(KeyCode::Char('r')));
    snapshot("tour_menu_ru_color_reset_question", &menu, 80, 24);
}

#[test]
fn menu_with_no_lessons_does_not_panic() {
    let empty = Catalog { lessons: Vec::new(), fingerprint: String::new() };
    let mut menu = Menu::new(&empty, Lang::Ru, &progress(&["gather"], Some("gather")), Theme::new(true));
    assert_eq!(menu.selected_id(), "");
    for code in [KeyCode::Down, KeyCode::End, KeyCode::Char('1'), KeyCode::Enter] {
        assert_eq!(menu.handle_key(press(code)), MenuAction::None);
    }
    assert!(render(&menu, 40, 12).contains("пройдено 0 из 0"));
}

// ---- quiz scores and the quiz screen ----

#[test]
fn progress_keeps_the_best_quiz_score_and_saves_it() {
    use asyncdemo::tour::progress::QuizScore;
    let dir = temp_dir("quiz-score");
    let store = Store::at(&dir);
    let mut progress = Progress::default();
    progress.record_quiz("gather", QuizScore { correct: 1, asked: 3 });
    progress.record_quiz("gather", QuizScore { correct: 3, asked: 3 });
    progress.record_quiz("gather", QuizScore { correct: 2, asked: 3 });
    assert_eq!(progress.quiz["gather"], QuizScore { correct: 3, asked: 3 });
    store.save(&progress).unwrap();
    assert_eq!(store.load().unwrap(), progress);
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("[quiz.gather]\ncorrect = 3\nasked = 3"), "{text}");
    // The menu shows it next to the lesson.
    let menu = Menu::new(&catalog(), Lang::Ru, &progress, Theme::new(false));
    assert!(render(&menu, 100, 20).contains("3/3"));
}

fn quiz_screen(lang: Lang) -> asyncdemo::tour::quiz_screen::QuizScreen {
    use asyncdemo::engine::run::RunConfig;
    let catalog = catalog();
    let lesson = catalog.find("gather").unwrap();
    let runs = asyncdemo::lesson::runs::Runs::new(lesson, RunConfig::default(), None);
    asyncdemo::tour::quiz_screen::QuizScreen::new(&runs, lang, Theme::new(true)).expect("gather has a quiz")
}

fn render_quiz(quiz: &asyncdemo::tour::quiz_screen::QuizScreen, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| frame.render_widget(quiz, frame.area())).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect()
}

#[test]
fn the_quiz_screen_checks_each_answer_against_the_run() {
    use asyncdemo::tour::progress::QuizScore;
    use asyncdemo::tour::quiz_screen::QuizAction;
    let mut quiz = quiz_screen(Lang::En);
    // 1: an order, right: join! returns before the JoinSet prints.
    for key in ['2', '3', '4'] {
        assert_eq!(quiz.handle_key(press(KeyCode::Char(key))), QuizAction::None);
    }
    assert!(!render_quiz(&quiz, 100, 30).contains("Right."), "not checked before the last pick");
    quiz.handle_key(press(KeyCode::Char('1')));
    let screen = render_quiz(&quiz, 100, 30);
    assert!(screen.contains("✓ Right.") && screen.contains("11.000 s  #1 main  │ JoinSet: 1"), "{screen}");
    quiz.handle_key(press(KeyCode::Enter));
    // 2: an order, picked line by line; Backspace takes a pick back; this answer is wrong.
    quiz.handle_key(press(KeyCode::Char('1')));
    quiz.handle_key(press(KeyCode::Char('2')));
    quiz.handle_key(press(KeyCode::Backspace));
    assert!(render_quiz(&quiz, 100, 30).contains("[1] gather results"));
    for key in ['2', '3', '4'] {
        quiz.handle_key(press(KeyCode::Char(key)));
    }
    let screen = render_quiz(&quiz, 100, 30);
    assert!(screen.contains("✗ Not quite. The answer: 3 1 4 2"), "{screen}");
    quiz.handle_key(press(KeyCode::Char('x')));
    // 3: main's state at 7.95 s, picked with the arrows: Suspended is the 4th state.
    for _ in 0..3 {
        quiz.handle_key(press(KeyCode::Down));
    }
    quiz.handle_key(press(KeyCode::Enter));
    quiz.handle_key(press(KeyCode::Enter));
    assert!(render_quiz(&quiz, 100, 30).contains("Score: 2 / 3"));
    assert_eq!(quiz.handle_key(press(KeyCode::Enter)), QuizAction::Done(QuizScore { correct: 2, asked: 3 }));
}

#[test]
fn the_quiz_can_be_skipped_and_never_panics_at_any_size() {
    use asyncdemo::tour::quiz_screen::QuizAction;
    let mut quiz = quiz_screen(Lang::Ru);
    for (w, h) in [(1, 1), (20, 5), (40, 12), (80, 24), (200, 60)] {
        render_quiz(&quiz, w, h);
    }
    common::snapshot_settings()
        .bind(|| insta::assert_snapshot!("tour_quiz_first_question_80x24", render_quiz(&quiz, 80, 24)));
    assert_eq!(quiz.handle_key(press(KeyCode::Char('s'))), QuizAction::Skip);
}

#[test]
fn menu_takes_two_digit_numbers_and_marks_the_cursor_apart_from_the_resume_lesson() {
    let full = Catalog::embedded().unwrap();
    let mut menu = Menu::new(&full, Lang::Ru, &Progress::default(), Theme::new(false));
    for key in ['1', '2'] {
        assert_eq!(menu.handle_key(press(KeyCode::Char(key))), MenuAction::None);
    }
    assert_eq!(menu.selected_id(), full.lessons[11].id(), "`1` `2` is lesson 12");
    menu.handle_key(press(KeyCode::Char('3')));
    assert_eq!(menu.selected_id(), full.lessons[2].id(), "a third digit starts a new number");
    menu.handle_key(press(KeyCode::Char('9')));
    assert_eq!(menu.selected_id(), full.lessons[8].id());
    menu.handle_key(press(KeyCode::Char('2')));
    menu.handle_key(press(KeyCode::Char('4')));
    assert_eq!(menu.selected_id(), full.lessons[23].id());
    let screen = render(&menu, 100, 30);
    let cursor = screen.lines().find(|l| l.contains("▸")).expect("the cursor");
    assert!(cursor.contains("24"), "{cursor}");
    let resume = screen.lines().find(|l| l.contains("продолжить здесь")).expect("the resume mark");
    assert!(resume.contains(" 1 "), "the resume lesson is the first one, apart from the cursor: {resume}");
}

#[test]
fn a_damaged_progress_file_is_set_aside_never_deleted() {
    let dir = temp_dir("set_aside");
    let store = Store::at(&dir);
    std::fs::write(store.path(), "format_version = 1\ndone = [\n").unwrap();
    let (progress, warning) = store.load_or_set_aside();
    assert_eq!(progress, Progress::default());
    let warning = warning.expect("a warning");
    let kept = dir.join("progress.damaged-1.toml");
    assert!(warning.contains(&kept.display().to_string()) && warning.contains("starts afresh"), "{warning}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "format_version = 1\ndone = [\n");
    assert!(!store.path().exists());
    // A second damaged file goes next to the first, which stays.
    std::fs::write(store.path(), "\u{0}").unwrap();
    let (_, warning) = store.load_or_set_aside();
    assert!(warning.unwrap().contains("progress.damaged-2.toml"));
    assert!(kept.exists());
    // A good file is read, with no warning.
    store.save(&progress).unwrap();
    assert_eq!(store.load_or_set_aside(), (Progress::default(), None));
}
