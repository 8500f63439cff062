//! The live view's state, and what the user's actions do to it. Plain state: rendering is in
//! [`super::panels`] (`impl Widget for &App`), the terminal and the loop in [`super`].

use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind};
use ratatui::text::Line;

use super::highlight;
use super::keys::{self, Action};
use super::layout::Panel;
use super::session::{Ending, Session};
use super::theme::Theme;
use crate::demos::Demo;
use crate::engine::event::{TaskId, TaskKind, VTime};
use crate::engine::lifecycle::State;
use crate::engine::run::paced::{Command, Update};
use crate::lesson::{Lang, Lesson};

/// Playback speeds: virtual seconds per real second.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
const NORMAL_SPEED: usize = 2;

/// What the loop must do for the app.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Send this to the running demo.
    Demo(Command),
    /// Throw the running demo away and start it again.
    Restart,
}

/// Why the view was left.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    NextLesson,
    PreviousLesson,
    Menu,
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
    pub demo_file: &'static str,
    /// Section headings and bodies, in the chosen language.
    pub sections: Vec<(String, String)>,
    pub rust: Vec<Line<'static>>,
    pub python: Vec<Line<'static>>,
}

impl LessonView {
    pub fn of(lesson: &Lesson, lang: Lang, theme: &Theme) -> LessonView {
        let file = &lesson.file;
        LessonView {
            id: lesson.id().to_owned(),
            title: file.title.get(lang).to_owned(),
            demo_file: lesson.demo.file(),
            sections: file
                .sections
                .iter()
                .map(|s| (s.heading.get(lang).to_owned(), s.body.get(lang).to_owned()))
                .collect(),
            rust: highlight::lines(lesson.demo.source, highlight::Language::Rust, theme),
            python: highlight::lines(&file.python.code, highlight::Language::Python, theme),
        }
    }

    /// A view of a demo without a lesson file: its source, a title and a text.
    pub fn of_demo(demo: &Demo, title: String, text: (String, String), theme: &Theme) -> LessonView {
        LessonView {
            id: demo.id.to_owned(),
            title,
            demo_file: demo.file(),
            sections: vec![text],
            rust: highlight::lines(demo.source, highlight::Language::Rust, theme),
            python: Vec::new(),
        }
    }
}

pub struct App {
    pub lesson: LessonView,
    pub session: Session,
    pub theme: Theme,
    pub lang: Lang,
    pub playing: bool,
    pub speed: usize,
    last_tick: Option<Instant>,
    /// How far playback wants to be (the session's playhead follows when the demo has got there).
    target: VTime,
    /// Commands sent to the demo and not yet answered (each is answered by one progress report).
    /// Playback asks for more only when nothing is outstanding, so it never floods the demo.
    outstanding: usize,
    /// A step past the frontier was asked for: show one event when it arrives.
    want_step: bool,
    /// "To the end" was asked for: show everything when the demo ends.
    finishing: bool,
    /// A cancel was sent: show what it did (up to the live end) when its answer comes, which is
    /// this many progress reports from now (answers come in order).
    show_cancel_in: Option<usize>,
    pub selected: Option<TaskId>,
    pub filter: String,
    pub filtering: bool,
    pub tree: bool,
    pub code: Code,
    /// Timeline scale: index into `ZOOMS`.
    pub zoom: usize,
    pub text_scroll: u16,
    pub help: bool,
    /// The panel shown in the swappable slot of smaller layouts.
    pub panel: Panel,
    /// A one-line message for the user (cleared by the next key).
    pub notice: Option<String>,
    pub in_tour: bool,
    outbox: Vec<Request>,
    pub exit: Option<Exit>,
    dirty: bool,
    /// Render feedback: the first task row shown and how many fit.
    pub(crate) task_offset: Cell<usize>,
    pub(crate) task_rows_shown: Cell<usize>,
    rows: RefCell<RowCache>,
}

/// Timeline scales: virtual seconds per column.
pub const ZOOMS: [f64; 9] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];
const DEFAULT_ZOOM: usize = 4;

#[derive(Default)]
struct RowCache {
    key: Option<(usize, String, bool)>,
    rows: Vec<Row>,
}

impl App {
    pub fn new(lesson: &Lesson, lang: Lang, theme: Theme) -> App {
        App::with_view(LessonView::of(lesson, lang, &theme), lang, theme)
    }

    /// An app for a view made by hand (a demo that is not a lesson, such as the stress demo).
    pub fn with_view(view: LessonView, lang: Lang, theme: Theme) -> App {
        App {
            lesson: view,
            session: Session::new(),
            theme,
            lang,
            playing: true,
            speed: NORMAL_SPEED,
            last_tick: None,
            target: VTime::ZERO,
            outstanding: 0,
            want_step: false,
            finishing: false,
            show_cancel_in: None,
            selected: None,
            filter: String::new(),
            filtering: false,
            tree: false,
            code: Code::Rust,
            zoom: DEFAULT_ZOOM,
            text_scroll: 0,
            help: false,
            panel: Panel::Output,
            notice: None,
            in_tour: false,
            outbox: Vec::new(),
            exit: None,
            dirty: true,
            task_offset: Cell::new(0),
            task_rows_shown: Cell::new(1),
            rows: RefCell::new(RowCache::default()),
        }
    }

    /// The demo starts again from the beginning (after a `Restart` request was carried out).
    pub fn restarted(&mut self) {
        self.session = Session::new();
        self.target = VTime::ZERO;
        self.outstanding = 0;
        self.want_step = false;
        self.finishing = false;
        self.show_cancel_in = None;
        self.last_tick = None;
        self.playing = true;
        self.dirty = true;
    }

    /// Requests for the loop, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.outbox)
    }

    /// Does the screen need drawing? (Clears the flag.)
    pub fn take_dirty(&mut self) -> bool {
        std::mem::replace(&mut self.dirty, false)
    }

    pub fn speed_factor(&self) -> f64 {
        SPEEDS[self.speed]
    }

    /// Was the lesson watched to the end?
    pub fn completed(&self) -> bool {
        self.session.finished()
    }

    fn send(&mut self, command: Command) {
        self.outstanding += 1;
        self.outbox.push(Request::Demo(command));
    }

    /// The demo reported.
    pub fn on_update(&mut self, update: Update) {
        let progress = matches!(update, Update::Progress { .. });
        self.session.receive(update);
        if progress {
            self.outstanding = self.outstanding.saturating_sub(1);
        }
        if self.session.ending.is_some() {
            self.outstanding = 0;
        }
        if self.want_step && (self.session.step_forward() || self.session.ending.is_some()) {
            self.want_step = false;
        }
        if progress && let Some(left) = self.show_cancel_in {
            if left <= 1 {
                self.session.show_all();
                self.target = self.session.playhead;
                self.show_cancel_in = None;
            } else {
                self.show_cancel_in = Some(left - 1);
            }
        }
        if self.finishing && self.session.ending.is_some() {
            self.session.show_all();
            self.finishing = false;
        }
        if self.playing {
            self.session.play_to(self.reachable(self.target));
            self.stop_at_end();
        }
        self.ensure_selection();
        self.dirty = true;
    }

    /// The latest time playback can show now: what the demo has recorded, or anything once it
    /// has ended.
    fn reachable(&self, target: VTime) -> VTime {
        if self.session.ending.is_some() { target } else { target.min(self.session.demo_now) }
    }

    fn stop_at_end(&mut self) {
        if self.session.finished() {
            self.playing = false;
        }
    }

    /// A frame tick while playing: moves the playhead by the real time passed × speed.
    pub fn on_tick(&mut self, now: Instant) {
        if !self.playing {
            self.last_tick = None;
            return;
        }
        let elapsed = self.last_tick.map_or(Duration::ZERO, |last| now.saturating_duration_since(last));
        self.last_tick = Some(now);
        let advance = VTime::from_duration(elapsed.mul_f64(self.speed_factor()));
        self.target = VTime(self.session.playhead.0 + advance.0);
        if self.session.ending.is_none() && self.session.demo_now < self.target && self.outstanding == 0 {
            self.send(Command::AdvanceTo(self.target));
        }
        self.session.play_to(self.reachable(self.target));
        self.stop_at_end();
        self.ensure_selection();
        self.dirty = true;
    }

    /// A terminal event.
    pub fn on_terminal_event(&mut self, event: TermEvent) {
        match event {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            TermEvent::Resize(..) => self.dirty = true,
            _ => {}
        }
    }

    fn on_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        self.notice = None;
        if self.filtering {
            match key.code {
                KeyCode::Esc => {
                    self.filter.clear();
                    self.filtering = false;
                }
                KeyCode::Enter => self.filtering = false,
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) => self.filter.push(c),
                _ => {}
            }
            self.ensure_selection();
            return;
        }
        if self.help {
            // Any key closes help; Esc and `?` only close it, others also do their job.
            self.help = false;
            if matches!(key.code, KeyCode::Esc | KeyCode::Char('?')) {
                return;
            }
        }
        if let Some(action) = keys::action(key) {
            self.act(action);
        }
    }

    /// Carries out an action.
    pub fn act(&mut self, action: Action) {
        self.dirty = true;
        match action {
            Action::PlayPause => {
                if self.session.finished() {
                    self.notice =
                        Some(self.say("конец записи: Home — заново", "end of the run: Home restarts"));
                } else {
                    self.playing = !self.playing;
                    self.last_tick = None;
                    self.target = self.session.playhead;
                }
            }
            Action::StepForward => {
                self.playing = false;
                if !self.session.step_forward() && self.session.ending.is_none() && !self.want_step {
                    self.want_step = true;
                    self.send(Command::Step);
                }
                self.target = self.session.playhead;
                self.ensure_selection();
            }
            Action::StepBack => {
                self.playing = false;
                self.want_step = false;
                self.session.step_back();
                self.target = self.session.playhead;
                self.ensure_selection();
            }
            Action::Faster => self.speed = (self.speed + 1).min(SPEEDS.len() - 1),
            Action::Slower => self.speed = self.speed.saturating_sub(1),
            Action::Restart => self.outbox.push(Request::Restart),
            Action::ToEnd => {
                self.playing = false;
                if self.session.ending.is_some() {
                    self.session.show_all();
                } else {
                    self.finishing = true;
                    self.send(Command::Finish);
                }
            }
            Action::SelectUp => self.move_selection(-1),
            Action::SelectDown => self.move_selection(1),
            Action::PageUp => self.move_selection(-(self.task_rows_shown.get().max(1) as isize)),
            Action::PageDown => self.move_selection(self.task_rows_shown.get().max(1) as isize),
            Action::CancelTask => self.cancel_selected(),
            Action::ToggleTree => self.tree = !self.tree,
            Action::StartFilter => self.filtering = true,
            Action::ToggleCode => {
                self.code = match self.code {
                    Code::Rust => Code::Python,
                    Code::Python => Code::Rust,
                }
            }
            Action::ZoomIn => self.zoom = self.zoom.saturating_sub(1),
            Action::ZoomOut => self.zoom = (self.zoom + 1).min(ZOOMS.len() - 1),
            Action::NextPanel => self.panel = self.panel.next(),
            Action::TextUp => self.text_scroll = self.text_scroll.saturating_sub(5),
            Action::TextDown => self.text_scroll = self.text_scroll.saturating_add(5),
            Action::Help => self.help = !self.help,
            Action::NextLesson if self.in_tour => self.exit = Some(Exit::NextLesson),
            Action::PreviousLesson if self.in_tour => self.exit = Some(Exit::PreviousLesson),
            Action::Menu if self.in_tour => self.exit = Some(Exit::Menu),
            Action::NextLesson | Action::PreviousLesson | Action::Menu => {
                self.notice = Some(self.say("это работает в asyncdemo tour", "that works in asyncdemo tour"))
            }
            Action::Quit => self.exit = Some(Exit::Quit),
        }
    }

    /// Cancels the selected task in the running demo (jumping to the live end of the log first:
    /// the demo can only be changed where it is now).
    fn cancel_selected(&mut self) {
        let Some(task) = self.selected else { return };
        if self.session.ending.is_some() {
            self.notice = Some(
                self.say("демо уже завершилось: отменять нечего", "the demo has ended: nothing to cancel"),
            );
            return;
        }
        if !self.session.at_frontier() {
            self.session.show_all();
            self.target = self.session.playhead;
        }
        if task == crate::engine::MAIN_TASK {
            self.notice = Some(self.say(
                "main — не задача, а future, который выполняет block_on: его не отменить",
                "main is not a task but the future block_on runs: it cannot be cancelled",
            ));
            return;
        }
        let view = self.session.lifecycle().get(task).map(|t| (t.state, t.meta.kind));
        match view {
            Some((State::Running, TaskKind::Blocking)) => {
                self.notice = Some(self.say(
                    "блокирующее задание уже выполняется в своём потоке: abort() его не остановит",
                    "a blocking job that has started runs to the end on its thread: abort() cannot stop it",
                ));
            }
            Some((state, _)) if state.is_terminal() => {
                self.notice =
                    Some(format!("{} {task}: {}", self.say("задача уже", "task already"), state.name()));
            }
            Some(_) => {
                self.notice = Some(format!("{} {task}", self.say("отменяю задачу", "cancelling task")));
                self.send(Command::Cancel(task));
                self.show_cancel_in = Some(self.outstanding);
            }
            _ => {}
        }
    }

    fn say(&self, ru: &str, en: &str) -> String {
        match self.lang {
            Lang::Ru => ru.to_owned(),
            Lang::En => en.to_owned(),
        }
    }

    /// The rows of the tasks that exist at the cursor, in display order (tree or by id),
    /// filtered by name. (Tasks are created in id order, so those are the first ones.)
    pub fn rows(&self) -> std::cell::Ref<'_, Vec<Row>> {
        let created = self.session.lifecycle().tasks.len();
        let key = (created, self.filter.to_lowercase(), self.tree);
        if self.rows.borrow().key.as_ref() != Some(&key) {
            let rows = compute_rows(&self.session.tasks[..created], &key.1, self.tree);
            *self.rows.borrow_mut() = RowCache { key: Some(key), rows };
        }
        std::cell::Ref::map(self.rows.borrow(), |cache| &cache.rows)
    }

    /// Keeps a task selected once there are any (the first row, if the selection is gone).
    fn ensure_selection(&mut self) {
        let rows = self.rows();
        let keep = self.selected.is_some_and(|s| rows.iter().any(|r| r.task == s));
        let first = rows.first().map(|r| r.task);
        drop(rows);
        if !keep {
            self.selected = first;
        }
    }

    fn move_selection(&mut self, by: isize) {
        let rows = self.rows();
        if rows.is_empty() {
            return;
        }
        let at = self.selected.and_then(|s| rows.iter().position(|r| r.task == s)).unwrap_or(0);
        let to = (at as isize + by).clamp(0, rows.len() as isize - 1) as usize;
        let task = rows[to].task;
        drop(rows);
        self.selected = Some(task);
    }

    /// The selected row's position in [`App::rows`].
    pub fn selected_row(&self) -> Option<usize> {
        let selected = self.selected?;
        self.rows().iter().position(|r| r.task == selected)
    }

    /// A short word for the run's status, for the header.
    pub fn status(&self) -> Status {
        match &self.session.ending {
            _ if self.session.error.is_some() => Status::Broken,
            Some(Ending::Crashed(_)) => Status::Broken,
            Some(Ending::Ended { stopped: Some(_), .. }) if self.session.at_frontier() => Status::Stopped,
            _ if self.session.finished() => Status::Finished,
            _ if self.playing => Status::Playing,
            _ => Status::Paused,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Playing,
    Paused,
    Finished,
    Stopped,
    Broken,
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
