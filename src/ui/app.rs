//! The live view's state, and what the user's keys do to it. Plain state: what moment of the run
//! is shown is the [`Playback`] machine's; how it is shown is [`ViewOptions`]; rendering is in
//! [`super::panels`] and writes nothing here.

use std::time::Instant;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::TableState;

use super::highlight;
use super::keys::{self, Action};
use super::layout::{self, Panel};
use super::lesson_text;
use super::playback::{Cancel, Jump, Playback, Refusal};
pub use super::playback::{Request, Status};
use super::session::Session;
use super::theme::Theme;
use crate::demos::Demo;
use crate::engine::event::{TaskId, VTime};
use crate::engine::run::paced::Update;
use crate::lesson::prints::Prints;
use crate::lesson::regions::{self, Region};
use crate::lesson::{Lang, Lesson, Stop};

/// Why the view was left.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    NextLesson,
    PreviousLesson,
    Menu,
    /// A follower goes where the presenter went (another lesson or seed, or the menu).
    Moved,
    /// The lesson's other run (Rust ⇄ Python), at the same virtual moment.
    SwitchRun,
}

/// The code panel shows the Rust demo or the Python original.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Code {
    Rust,
    Python,
}

/// One row of the task list: a task and its depth in the tree view.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub task: TaskId,
    pub depth: u16,
}

/// The lesson as the view shows it.
pub struct LessonView {
    pub id: String,
    pub title: String,
    /// The language of the run shown: the Rust demo's, or the Python original traced.
    pub language: highlight::Language,
    pub demo_file: &'static str,
    /// The Python program's file name (`gather.py`), for a Python run.
    pub python_file: String,
    /// Section headings and bodies, in the chosen language.
    pub sections: Vec<(String, String)>,
    /// The lesson's quizzes (a class poll asks one).
    pub quizzes: Vec<crate::lesson::Quiz>,
    pub rust: Vec<Line<'static>>,
    pub python: Vec<Line<'static>>,
    /// What the Python original prints.
    pub python_output: Vec<String>,
    pub rust_regions: Vec<Region>,
    pub python_regions: Vec<Region>,
    /// The English of the demo's printed lines, and the language to show them in.
    pub prints: Prints,
    pub lang: Lang,
    /// The speaker notes of the lesson, in the view's language.
    pub notes: Option<String>,
    /// The line of each function of the demo (`async fn coro` → its line), for tasks that have
    /// not reached an `.await` yet.
    pub functions: Vec<(String, usize)>,
}

impl LessonView {
    /// The lesson with its Rust demo as the run (or, for a lesson without one, its Python
    /// original).
    pub fn of(lesson: &Lesson, lang: Lang, theme: &Theme) -> LessonView {
        let Some(demo) = lesson.demo else { return LessonView::of_python(lesson, lang, theme) };
        LessonView { ..LessonView::of_lesson(lesson, demo_view(demo, theme), lang, theme) }
    }

    /// What a lesson's view has whichever its run: `base` gives the Rust side.
    fn of_lesson(lesson: &Lesson, base: LessonView, lang: Lang, theme: &Theme) -> LessonView {
        LessonView {
            id: lesson.id.clone(),
            title: lesson.title.get(lang).to_owned(),
            sections: lesson.text(lang),
            python: highlight::lines(&lesson.python.code, highlight::Language::Python, theme),
            python_output: lesson.python.output.lines().map(str::to_owned).collect(),
            python_regions: regions::regions(&lesson.python.code, "#"),
            notes: lesson.notes.as_ref().map(|notes| notes.get(lang).to_owned()),
            quizzes: lesson.quizzes.clone(),
            prints: lesson.prints.clone(),
            lang,
            python_file: format!("{}.py", lesson.id),
            ..base
        }
    }

    /// The lesson with its Python original as the run: the code that follows the tasks is the
    /// Python, and the Rust demo is the other tab.
    pub fn of_python(lesson: &Lesson, lang: Lang, theme: &Theme) -> LessonView {
        let base = match lesson.demo {
            Some(demo) => demo_view(demo, theme),
            None => LessonView::of_python_file(&format!("{}.py", lesson.id), &lesson.python.code, theme),
        };
        LessonView {
            language: highlight::Language::Python,
            functions: python_functions(&lesson.python.code),
            ..LessonView::of_lesson(lesson, base, lang, theme)
        }
    }

    /// Any Python program (`asyncdemo trace FILE.py`): its code, under its file's name.
    pub fn of_python_file(name: &str, code: &str, theme: &Theme) -> LessonView {
        LessonView {
            id: name.to_owned(),
            title: name.to_owned(),
            language: highlight::Language::Python,
            demo_file: "",
            python_file: name.to_owned(),
            sections: Vec::new(),
            quizzes: Vec::new(),
            rust: Vec::new(),
            python: highlight::lines(code, highlight::Language::Python, theme),
            python_output: Vec::new(),
            rust_regions: Vec::new(),
            python_regions: regions::regions(code, "#"),
            prints: Prints::default(),
            lang: Lang::En,
            notes: None,
            functions: python_functions(code),
        }
    }

    /// A view of a demo without a lesson file: its source, a title and a text.
    pub fn of_demo(demo: &Demo, title: String, text: (String, String), theme: &Theme) -> LessonView {
        LessonView {
            id: demo.id.to_owned(),
            title,
            language: highlight::Language::Rust,
            demo_file: demo.file(),
            python_file: String::new(),
            sections: vec![text],
            quizzes: Vec::new(),
            rust: highlight::lines(demo.source, highlight::Language::Rust, theme),
            python: Vec::new(),
            python_output: Vec::new(),
            rust_regions: regions::regions(demo.source, "//"),
            python_regions: Vec::new(),
            notes: None,
            prints: Prints::default(),
            lang: Lang::Ru,
            functions: functions(demo.source),
        }
    }

    /// What the run is, as the words for events need it.
    pub fn source(&self) -> crate::view::transcript::Source {
        match self.language {
            highlight::Language::Rust => crate::view::transcript::Source::Rust,
            highlight::Language::Python => crate::view::transcript::Source::Python,
        }
    }

    /// A line the demo printed, in the view's language.
    pub fn printed(&self, line: &str) -> String {
        self.prints.show(line, self.lang)
    }

    /// The demo's line where function `name` is defined.
    pub fn function_line(&self, name: &str) -> Option<usize> {
        // `main::{async}` is in `main`; Python's `Worker.run` is `run`.
        let name = name.split("::").next().unwrap_or(name);
        let name = name.rsplit('.').next().unwrap_or(name);
        self.functions.iter().find(|(f, _)| f == name).map(|(_, line)| *line)
    }
}

/// A demo's side of a lesson's view.
fn demo_view(demo: &Demo, theme: &Theme) -> LessonView {
    LessonView::of_demo(demo, String::new(), (String::new(), String::new()), theme)
}

/// `def name` / `async def name` definitions of a Python source, with their lines.
fn python_functions(source: &str) -> Vec<(String, usize)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.trim_start().strip_prefix("async ").unwrap_or(line.trim_start());
            let rest = rest.strip_prefix("def ")?;
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            (!name.is_empty()).then_some((name, i + 1))
        })
        .collect()
}

/// `fn name` definitions of a Rust source, with their lines.
fn functions(source: &str) -> Vec<(String, usize)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.trim_start().split_once("fn ")?.1;
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            (!name.is_empty() && !line.trim_start().starts_with("//")).then_some((name, i + 1))
        })
        .collect()
}

/// How the run is shown: selection, filter, tree, code, zoom, panels, scrolling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewOptions {
    pub selected: Option<TaskId>,
    pub filter: String,
    pub tree: bool,
    pub code: Code,
    /// Lines the code is scrolled by, from where following the selected task puts it.
    pub code_scroll: i32,
    /// Timeline scale (index into `ZOOMS`); `None`: the whole run fits.
    pub zoom: Option<usize>,
    pub text_scroll: u16,
    pub help: bool,
    pub help_scroll: u16,
    /// The focused panel: the one in the swappable slot, and the one `f` maximizes.
    pub panel: Panel,
    pub maximized: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            selected: None,
            filter: String::new(),
            tree: false,
            code: Code::Rust,
            code_scroll: 0,
            zoom: None,
            text_scroll: 0,
            help: false,
            help_scroll: 0,
            panel: Panel::Output,
            maximized: false,
        }
    }
}

/// A line being typed at the bottom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// The task filter (typed into `ViewOptions::filter` as it goes).
    Filter,
    /// A virtual time to go to, in seconds.
    GoTo(String),
}

/// Timeline scales: virtual seconds per column.
pub const ZOOMS: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// The presenter's side of the view (`asyncdemo present`): the notes panel, the session's clock.
#[derive(Clone, Debug)]
pub struct Presenter {
    /// When the session began.
    pub since: Instant,
    /// The lesson that comes next in the course, if any (its title).
    pub next_lesson: Option<String>,
}

pub struct App {
    pub lesson: LessonView,
    /// Set on the presenter's screen.
    pub presenter: Option<Presenter>,
    /// Set in a class: the presenter's listener or a follower's connection, and the poll.
    pub class: Option<super::classroom::Classroom>,
    /// The lesson's guided stops (their places are the playback machine's).
    pub stops: Vec<Stop>,
    pub playback: Playback,
    pub view: ViewOptions,
    pub theme: Theme,
    pub lang: Lang,
    pub in_tour: bool,
    /// The lesson has another run to switch to (`P`).
    pub switchable: bool,
    /// A one-line message for the user (cleared by the next key).
    pub notice: Option<String>,
    pub prompt: Option<Prompt>,
    pub exit: Option<Exit>,
    /// The task list's scroll position (ratatui's table state).
    pub tasks_table: TableState,
    /// The terminal's size, as the loop last reported it.
    pub size: Rect,
    rows: Vec<Row>,
    rows_key: Option<(usize, String, bool)>,
    /// The lesson text's rows at a width: (width, rows).
    text_rows: (u16, usize),
    dirty: bool,
}

impl App {
    pub fn new(lesson: &Lesson, lang: Lang, theme: Theme) -> App {
        App::with_view(LessonView::of(lesson, lang, &theme), lang, theme)
    }

    /// An app for a lesson's run `which`: the code that follows the tasks is the run's.
    pub fn of_run(lesson: &Lesson, which: crate::lesson::RunOf, lang: Lang, theme: Theme) -> App {
        let view = match which {
            crate::lesson::RunOf::Rust => LessonView::of(lesson, lang, &theme),
            crate::lesson::RunOf::Python => LessonView::of_python(lesson, lang, &theme),
        };
        let python = view.language == highlight::Language::Python;
        let mut app = App::with_view(view, lang, theme);
        if python {
            app.view.code = Code::Python;
        }
        // A lesson with both runs switches between them (`P`).
        app.switchable = lesson.demo.is_some();
        app
    }

    /// An app for a view made by hand (a demo that is not a lesson, such as the stress demo).
    pub fn with_view(view: LessonView, lang: Lang, theme: Theme) -> App {
        let mut app = App {
            lesson: view,
            presenter: None,
            class: None,
            stops: Vec::new(),
            playback: Playback::new(false),
            view: ViewOptions::default(),
            theme,
            lang,
            in_tour: false,
            switchable: false,
            notice: None,
            prompt: None,
            exit: None,
            tasks_table: TableState::default(),
            size: Rect::new(0, 0, 120, 34),
            rows: Vec::new(),
            rows_key: None,
            text_rows: (0, 0),
            dirty: true,
        };
        app.notice = Some(
            lang.pick(
                "пауза в самом начале: Space — пуск, → — шаг, ? — все клавиши",
                "paused at the start: Space plays, → steps, ? shows every key",
            )
            .to_owned(),
        );
        app
    }

    /// The lesson's guided stops, and how many events are shown at each (found in the recorded
    /// run): play pauses there, and the digit keys go there.
    pub fn set_stops(&mut self, stops: Vec<Stop>, cursors: Vec<usize>) {
        self.stops = stops;
        self.playback.set_stops(cursors);
    }

    /// The guided stop the view is at: its number (from 1), how many there are, and it.
    pub fn current_stop(&self) -> Option<(usize, usize, &Stop)> {
        let index = self.playback.at_stop()?;
        Some((index + 1, self.stops.len(), self.stops.get(index)?))
    }

    /// Makes this the presenter's screen: the notes panel where the lesson text was, the clock.
    pub fn present(&mut self, presenter: Presenter) {
        self.presenter = Some(presenter);
        self.view.panel = Panel::Notes;
        self.dirty = true;
    }

    /// Filters the task list by name (what typing after `/` does).
    pub fn set_filter(&mut self, filter: &str) {
        self.view.filter = filter.to_owned();
        self.refresh();
        self.dirty = true;
    }

    /// Moves the cursor (as the keys do; for what drives the view without keys).
    pub fn jump(&mut self, jump: Jump) {
        self.playback.jump(jump);
        self.after_move();
    }

    /// Starts playing at once (`--play`) instead of paused.
    pub fn play_now(&mut self) {
        self.playback.play();
        self.notice = None;
    }

    pub fn session(&self) -> &Session {
        self.playback.session()
    }

    /// The demo starts again from the beginning (after a `Restart` request was carried out).
    pub fn restarted(&mut self) {
        self.tasks_table = TableState::default();
        self.refresh();
    }

    /// Requests for the loop, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        self.playback.take_requests()
    }

    /// Draw again (the presenter's clock moved).
    pub fn redraw(&mut self) {
        self.dirty = true;
    }

    /// Does the screen need drawing? (Clears the flag.)
    pub fn take_dirty(&mut self) -> bool {
        std::mem::replace(&mut self.dirty, false)
    }

    pub fn playing(&self) -> bool {
        self.playback.playing()
    }

    /// Was the lesson watched to the end?
    pub fn completed(&self) -> bool {
        self.playback.completed()
    }

    pub fn status(&self) -> Status {
        self.playback.status()
    }

    /// The demo reported.
    pub fn on_update(&mut self, update: Update) {
        self.playback.on_update(update);
        self.after_move();
    }

    /// A run recorded to its end, handed over whole (for `compare`, tests and benchmarks; a
    /// live run comes in updates).
    pub fn show_recorded(&mut self, trace: crate::engine::event::Trace) {
        let now = trace.end();
        self.on_update(Update::Progress { tasks: trace.tasks, events: trace.events, now });
        self.on_update(Update::Ended { stopped: None, dropped: 0 });
    }

    /// A frame tick while playing.
    pub fn on_tick(&mut self, now: Instant) {
        // A follower's cursor is the presenter's: it plays there.
        if self.playback.playing() && !self.mirroring() {
            self.playback.on_tick(now);
            self.after_move();
        }
    }

    /// The terminal's size changed (or is known for the first time).
    pub fn resize(&mut self, size: Rect) {
        if self.size != size {
            self.size = size;
            self.clamp_scrolls();
            self.dirty = true;
        }
    }

    /// A terminal event.
    pub fn on_terminal_event(&mut self, event: TermEvent) {
        match event {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            TermEvent::Resize(width, height) => self.resize(Rect::new(0, 0, width, height)),
            _ => {}
        }
    }

    /// A key, as the terminal sends it.
    pub fn on_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        self.notice = None;
        match &mut self.prompt {
            Some(Prompt::Filter) => {
                match key.code {
                    KeyCode::Esc => {
                        self.view.filter.clear();
                        self.prompt = None;
                    }
                    KeyCode::Enter => self.prompt = None,
                    KeyCode::Backspace => {
                        self.view.filter.pop();
                    }
                    KeyCode::Char(c) => self.view.filter.push(c),
                    _ => {}
                }
                self.refresh();
                return;
            }
            Some(Prompt::GoTo(typed)) => {
                match key.code {
                    KeyCode::Esc => self.prompt = None,
                    KeyCode::Backspace => {
                        typed.pop();
                    }
                    KeyCode::Char(c) if c.is_ascii_digit() || c == '.' || c == ',' => typed.push(c),
                    KeyCode::Enter => {
                        let typed = typed.replace(',', ".");
                        self.prompt = None;
                        match typed.parse::<f64>() {
                            Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                                let at = VTime::from_duration(std::time::Duration::from_secs_f64(seconds));
                                self.playback.jump(Jump::Time(at));
                                self.after_move();
                            }
                            _ => {
                                self.notice = Some(
                                    self.lang
                                        .pick(
                                            "время — число секунд, например 1.5",
                                            "a time is a number of seconds, such as 1.5",
                                        )
                                        .to_owned(),
                                )
                            }
                        }
                    }
                    _ => {}
                }
                return;
            }
            None => {}
        }
        if self.class_key(key) {
            return;
        }
        if self.view.help {
            match keys::action(key) {
                Some(Action::SelectDown) | Some(Action::StepForward) => {
                    self.view.help_scroll = self.view.help_scroll.saturating_add(1)
                }
                Some(Action::SelectUp) | Some(Action::StepBack) => {
                    self.view.help_scroll = self.view.help_scroll.saturating_sub(1)
                }
                Some(Action::Quit) => self.exit = Some(Exit::Quit),
                _ => self.view.help = false,
            }
            return;
        }
        if let Some(action) = keys::action(key) {
            self.act(action);
        }
    }

    /// Carries out an action.
    pub fn act(&mut self, action: Action) {
        self.dirty = true;
        self.notice = None;
        if self.class_act(action) {
            self.after_move();
            return;
        }
        self.detach_for(action);
        let selected = self.view.selected;
        match action {
            Action::PlayPause => {
                if !self.playback.toggle() {
                    self.notice = Some(self.end_cue());
                }
            }
            Action::StepForward => self.playback.step(),
            Action::StepBack => self.playback.step_back(),
            Action::NextInstant => self.playback.jump(Jump::NextInstant),
            Action::PreviousInstant => self.playback.jump(Jump::PreviousInstant),
            Action::NextPrint => self.playback.jump(Jump::NextPrint),
            Action::PreviousPrint => self.playback.jump(Jump::PreviousPrint),
            Action::NextOfTask => {
                if let Some(task) = selected {
                    self.playback.jump(Jump::NextOf(task))
                }
            }
            Action::PreviousOfTask => {
                if let Some(task) = selected {
                    self.playback.jump(Jump::PreviousOf(task))
                }
            }
            Action::GoToTime => {
                self.playback.pause();
                self.prompt = Some(Prompt::GoTo(String::new()));
            }
            Action::TogglePace => self.playback.toggle_pace(),
            Action::Faster => self.playback.faster(),
            Action::Slower => self.playback.slower(),
            Action::Restart => {
                self.playback.restart();
                self.notice = Some(
                    self.lang
                        .pick(
                            "заново, с паузы: Space — пуск, → — шаг",
                            "restarted, paused: Space plays, → steps",
                        )
                        .to_owned(),
                );
            }
            Action::ToEnd => self.playback.jump(Jump::End),
            Action::SelectUp => self.move_selection(-1),
            Action::SelectDown => self.move_selection(1),
            Action::CancelTask => self.cancel_selected(),
            Action::ToggleTree => self.view.tree = !self.view.tree,
            Action::StartFilter => self.prompt = Some(Prompt::Filter),
            Action::ToggleCode if self.lesson.rust.is_empty() || self.lesson.python.is_empty() => {
                self.notice = Some(
                    self.lang.pick("здесь код только на одном языке", "there is code in one language only here").to_owned(),
                )
            }
            Action::ToggleCode => {
                self.view.code = match self.view.code {
                    Code::Rust => Code::Python,
                    Code::Python => Code::Rust,
                };
                self.view.code_scroll = 0;
            }
            Action::CodeUp => self.view.code_scroll -= 5,
            Action::CodeDown => self.view.code_scroll += 5,
            Action::ZoomIn => {
                self.view.zoom = Some(self.zoom().saturating_sub(1));
            }
            Action::ZoomOut => {
                let zoom = self.zoom() + 1;
                // Past the widest scale: back to fitting the whole run.
                self.view.zoom = (zoom < ZOOMS.len()).then_some(zoom);
            }
            Action::NextPanel => self.view.panel = self.next_panel(),
            Action::Maximize => self.view.maximized = !self.view.maximized,
            Action::TextUp => self.view.text_scroll = self.view.text_scroll.saturating_sub(5),
            Action::TextDown => self.view.text_scroll = self.view.text_scroll.saturating_add(5),
            Action::Help => {
                self.view.help = true;
                self.view.help_scroll = 0;
            }
            Action::Close => {
                self.view.help = false;
                if self.view.maximized {
                    self.view.maximized = false;
                } else {
                    self.view.filter.clear();
                }
            }
            Action::NextLesson if self.in_tour => self.exit = Some(Exit::NextLesson),
            Action::PreviousLesson if self.in_tour => self.exit = Some(Exit::PreviousLesson),
            Action::Menu if self.in_tour => self.exit = Some(Exit::Menu),
            Action::NextLesson | Action::PreviousLesson | Action::Menu => {
                self.notice = Some(
                    self.lang
                        .pick("это работает в asyncdemo tour", "that works in asyncdemo tour")
                        .to_owned(),
                )
            }
            Action::Stop(number) => match self.playback.stop_cursor(number as usize) {
                Some(cursor) => self.playback.jump(Jump::Cursor(cursor)),
                None => {
                    self.notice = Some(format!(
                        "{} {number}",
                        self.lang.pick("в этом уроке нет остановки", "this lesson has no stop")
                    ))
                }
            },
            Action::Leave if self.in_tour => self.exit = Some(Exit::Menu),
            Action::Leave | Action::Quit => self.exit = Some(Exit::Quit),
            // The class's, handled above.
            Action::Poll | Action::Reveal | Action::Detach | Action::Follow => {}
            Action::SwitchRun if self.switchable => self.exit = Some(Exit::SwitchRun),
            Action::SwitchRun => {
                self.notice = Some(
                    self.lang
                        .pick(
                            "здесь только один прогон (в asyncdemo run LESSON и в туре P переключает Rust / Python)",
                            "only one run here (in asyncdemo run LESSON and the tour, P switches Rust / Python)",
                        )
                        .to_owned(),
                )
            }
        }
        if self.view.selected != selected {
            self.view.code_scroll = 0;
        }
        self.after_move();
    }

    /// After the cursor or the view moved: a miss is said, the selection kept, scrolls clamped.
    pub(super) fn after_move(&mut self) {
        if self.playback.take_missed() {
            self.notice = Some(
                self.lang
                    .pick(
                        "дальше ничего такого нет: демо закончилось",
                        "nothing more of that: the demo has ended",
                    )
                    .to_owned(),
            );
        }
        if self.in_tour && self.playback.completed() && self.notice.is_none() {
            self.notice = Some(self.end_cue());
        }
        self.refresh();
        self.dirty = true;
    }

    fn end_cue(&self) -> String {
        if self.in_tour {
            self.lang
                .pick(
                    "урок пройден — n следующий, m меню, Home заново",
                    "lesson done — n next, m menu, Home again",
                )
                .to_owned()
        } else {
            self.lang.pick("конец записи: Home — заново", "end of the run: Home restarts").to_owned()
        }
    }

    /// The timeline scale in use (index into `ZOOMS`): the chosen one, or the one that fits the
    /// whole run into the timeline's width.
    pub fn zoom(&self) -> usize {
        if let Some(zoom) = self.view.zoom {
            return zoom;
        }
        let session = self.session();
        let end = session.events.last().map_or(VTime::ZERO, |e| e.at).max(session.playhead);
        let columns = layout::panel_area(self.size, &self.view, Panel::Timeline)
            .map_or(60, |area| area.width.saturating_sub(16).max(8)) as f64;
        let seconds = end.as_duration().as_secs_f64() * 1.05;
        ZOOMS.iter().position(|&scale| scale * columns >= seconds).unwrap_or(ZOOMS.len() - 1)
    }

    /// The next panel for `Tab`: one not on screen (or, maximized or with every panel on
    /// screen, simply the next one).
    pub fn next_panel(&self) -> Panel {
        let on_screen = layout::fixed_panels(self.size);
        let mut panel = self.view.panel;
        for _ in 0..Panel::ALL.len() {
            panel = panel.next();
            // The notes are the presenter's only.
            if panel == Panel::Notes && self.presenter.is_none() {
                continue;
            }
            if self.view.maximized || !layout::has_slot(self.size) || !on_screen.contains(&panel) {
                return panel;
            }
        }
        panel
    }

    /// Cancels the selected task where the cursor is.
    fn cancel_selected(&mut self) {
        let Some(task) = self.view.selected else { return };
        let name = self.session().tasks.get(task.index()).map_or(String::new(), |m| m.name.to_string());
        self.notice = Some(match self.playback.cancel(task) {
            Cancel::Made { live: true, .. } => format!(
                "{} {task} {name}: {}",
                self.lang.pick("отмена задачи", "cancel of task"),
                self.lang.pick("запрошена (→ — что было дальше)", "asked (→ shows what happened next)")
            ),
            Cancel::Made { live: false, .. } => format!(
                "{} {task} {name}",
                self.lang.pick(
                    "прогон изменён: демо запущено заново и отменяет в этот момент задачу",
                    "run changed: the demo runs again and cancels at this moment task"
                )
            ),
            Cancel::Refused(Refusal::Main) => self
                .lang
                .pick(
                    "main — не задача, а future, который выполняет block_on: его не отменить",
                    "main is not a task but the future block_on runs: it cannot be cancelled",
                )
                .to_owned(),
            Cancel::Refused(Refusal::RunningJob) => self
                .lang
                .pick(
                    "блокирующее задание уже выполняется в своём потоке: abort() его не остановит",
                    "a blocking job that has started runs to the end on its thread: abort() cannot stop it",
                )
                .to_owned(),
            Cancel::Refused(Refusal::AlreadyEnded(state)) => {
                format!(
                    "{} {task}: {}",
                    self.lang.pick("задача уже", "task already").to_owned(),
                    state.name()
                )
            }
            Cancel::Refused(Refusal::Ended) => self
                .lang
                .pick("демо уже завершилось: отменять нечего", "the demo has ended: nothing to cancel")
                .to_owned(),
            Cancel::Refused(Refusal::NoTask) => return,
        });
    }

    /// The rows of the tasks that exist at the cursor, in display order (tree or by id),
    /// filtered by name.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Brings the rows, the selection and the scroll limits up to date.
    fn refresh(&mut self) {
        let session = self.playback.session();
        let created = session.lifecycle().tasks.len();
        let key = (created, self.view.filter.to_lowercase(), self.view.tree);
        if self.rows_key.as_ref() != Some(&key) {
            self.rows = compute_rows(&session.tasks[..created], &key.1, self.view.tree);
            self.rows_key = Some(key);
        }
        // A task not created yet at the cursor (after a restart, or stepping back) stays
        // selected: it shows again when it is.
        let keep =
            self.view.selected.is_some_and(|s| s.index() >= created || self.rows.iter().any(|r| r.task == s));
        if !keep {
            self.view.selected = self.rows.first().map(|r| r.task);
        }
        self.tasks_table.select(self.selected_row());
        self.clamp_scrolls();
    }

    /// The lesson text and help stop at their ends.
    fn clamp_scrolls(&mut self) {
        // The text is drawn inside the panel's borders.
        let (width, height) = layout::panel_area(self.size, &self.view, Panel::Text)
            .map_or((60, 10), |a| (a.width.saturating_sub(2), a.height.saturating_sub(2)));
        let lines = self.text_rows(width);
        if self.text_rows.0 != width {
            self.text_rows = (width, lines);
        }
        self.view.text_scroll = self.view.text_scroll.min(lines.saturating_sub(height as usize) as u16);
    }

    /// How many rows the lesson text takes at this width (measured again only when the width
    /// changes: it is a Markdown parse and a wrap).
    pub fn text_rows(&self, width: u16) -> usize {
        if self.text_rows.0 == width {
            return self.text_rows.1;
        }
        lesson_text::line_count(&self.lesson.sections, width)
    }

    fn move_selection(&mut self, by: isize) {
        if self.rows.is_empty() {
            return;
        }
        let at = self.selected_row().unwrap_or(0);
        let to = (at as isize + by).clamp(0, self.rows.len() as isize - 1) as usize;
        self.view.selected = Some(self.rows[to].task);
    }

    /// The selected row's position in [`App::rows`].
    pub fn selected_row(&self) -> Option<usize> {
        let selected = self.view.selected?;
        self.rows.iter().position(|r| r.task == selected)
    }
}

/// Rows in id order, or depth-first from the roots in tree view; then filtered by name (in tree
/// view a match keeps its ancestors, so the tree still reads).
fn compute_rows(tasks: &[crate::engine::event::TaskMeta], filter: &str, tree: bool) -> Vec<Row> {
    let matches = |i: usize| filter.is_empty() || tasks[i].name.to_lowercase().contains(filter);
    if !tree {
        return (0..tasks.len())
            .filter(|&i| matches(i))
            .map(|i| Row { task: tasks[i].id, depth: 0 })
            .collect();
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
    let mut roots = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        match task.parent {
            Some(parent) if parent.index() < tasks.len() => children[parent.index()].push(i),
            _ => roots.push(i),
        }
    }
    // A task is kept if it or any descendant matches.
    let mut keep = vec![false; tasks.len()];
    for i in (0..tasks.len()).rev() {
        keep[i] = keep[i] || matches(i);
        if keep[i]
            && let Some(parent) = tasks[i].parent
            && parent.index() < tasks.len()
        {
            keep[parent.index()] = true;
        }
    }
    let mut rows = Vec::new();
    let mut stack: Vec<(usize, u16)> = roots.iter().rev().map(|&i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if !keep[i] {
            continue;
        }
        rows.push(Row { task: tasks[i].id, depth });
        stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
    }
    rows
}
