//! The tour, from the menu to the end: the menu; for each lesson opened, its text as a page,
//! its quiz (predict the run; `s` skips; not again once answered), then its demo in the live
//! view; watching the demo to the end marks the lesson done. In the view, `n` / `N` go to the
//! next / previous lesson and `m` or `q` back to the menu. Progress lives in the user's state
//! directory (see [`super::progress::Store`]), saved after each lesson.

use std::io;

use super::menu::{Menu, MenuAction};
use super::progress::{Progress, Store};
use super::quiz_screen::{QuizAction, QuizScreen};
use super::text_page::{PageAction, TextPage};
use crate::class::server::Server;
use crate::engine::run::RunConfig;
use crate::lesson::runs::Runs;
use crate::lesson::{Catalog, Lang, Lesson};
use crate::ui::classroom;
use crate::ui::terminal::{self, Input, Link, Screen, Source};
use crate::ui::theme::Theme;
use crate::ui::{App, Exit};
use crate::view::stops;

/// How the tour is run: by a learner, or by a presenter in front of a class.
#[derive(Clone, Debug, Default)]
pub struct Mode {
    /// The interpreter for the lessons' Python runs (`P`; `python3` by default).
    pub python: Option<std::path::PathBuf>,
    /// The presenter's screen (`asyncdemo present`): speaker notes and the session's clock.
    pub presenter: bool,
    /// Open this lesson (its index in the course) at once, before the menu.
    pub start: Option<usize>,
}

/// What the tour needs at hand while it runs.
struct Tour<'a> {
    catalog: &'a Catalog,
    lang: Lang,
    theme: Theme,
    config: RunConfig,
    store: &'a Store,
    progress: Progress,
    menu: Menu,
    /// When the presenter's session began (`None`: a learner's tour).
    presenting: Option<std::time::Instant>,
    /// The interpreter for the lessons' Python runs.
    python: Option<std::path::PathBuf>,
    /// The presenter's class: followers see where the presenter is.
    class: Option<Class>,
}

/// The presenter's listener, and what it needs across lessons.
struct Class {
    server: Server,
    /// Where followers connect, as the screen shows it.
    address: String,
    /// Polls opened so far in the session (each poll's id is the next number).
    polls: u64,
}

/// Where a lesson left the learner.
enum After {
    /// Open this lesson next.
    Lesson(usize),
    Menu,
    Quit,
}

/// Runs the tour on the terminal until the learner leaves; the terminal is restored after.
pub fn run(
    catalog: &Catalog,
    lang: Lang,
    theme: Theme,
    config: RunConfig,
    store: &Store,
    mode: Mode,
    class: Option<(Server, String)>,
) -> io::Result<()> {
    // A damaged progress file does not stop the tour: it is set aside, and the tour starts
    // afresh and says so.
    let (progress, problem) = store.load_or_set_aside();
    let mut menu = Menu::new(catalog, lang, &progress, theme);
    if let Some(problem) = problem {
        menu.set_notice(problem);
    }
    let presenting = mode.presenter.then(std::time::Instant::now);
    let class = class.map(|(server, address)| Class { server, address, polls: 0 });
    let python = mode.python.clone();
    let mut tour = Tour { catalog, lang, theme, config, store, progress, menu, presenting, class, python };
    let mut screen = Screen::enter()?;
    terminal::block_on(async {
        let mut input = Input::new()?;
        if let Some(mut index) = mode.start {
            loop {
                match tour.lesson(&mut screen, &mut input, index).await? {
                    After::Lesson(next) => index = next,
                    After::Menu => break,
                    After::Quit => return Ok(()),
                }
            }
            tour.menu.refresh(&tour.progress);
        }
        tour.menu_loop(&mut screen, &mut input).await
    })
}

impl Tour<'_> {
    /// Tells the class where the presenter is (the menu, or a lesson's start).
    fn publish(&mut self, moment: crate::class::protocol::Moment) {
        if let Some(class) = &mut self.class {
            class.server.publish(moment);
        }
    }

    async fn menu_loop(&mut self, screen: &mut Screen, input: &mut Input) -> io::Result<()> {
        loop {
            self.publish(classroom::moment_outside(None, self.config.seed));
            let action = terminal::run_screen(
                screen,
                input,
                &mut self.menu,
                Menu::handle_key,
                |_, _| {},
                MenuAction::None,
                MenuAction::Quit,
            )
            .await?;
            match action {
                MenuAction::Open(id) => {
                    let Some(mut index) = self.catalog.lessons.iter().position(|l| l.id() == id) else {
                        continue;
                    };
                    loop {
                        match self.lesson(screen, input, index).await? {
                            After::Lesson(next) => index = next,
                            After::Menu => break,
                            After::Quit => return Ok(()),
                        }
                    }
                    self.menu.refresh(&self.progress);
                }
                MenuAction::ResetProgress => {
                    self.progress = Progress::default();
                    match self.store.reset() {
                        Ok(()) => {
                            self.menu.set_notice(self.lang.pick("прогресс сброшен", "progress reset").into())
                        }
                        Err(error) => self.menu.set_notice(error.to_string()),
                    }
                    self.menu.refresh(&self.progress);
                }
                MenuAction::Quit => return Ok(()),
                MenuAction::None => {}
            }
        }
    }

    /// One lesson: its text, its quiz, its demo; then where to go.
    async fn lesson(&mut self, screen: &mut Screen, input: &mut Input, index: usize) -> io::Result<After> {
        let lesson = &self.catalog.lessons[index];
        self.progress.set_current(lesson.id());
        // The text first, as a page; then the quiz (not again for a lesson whose quiz was
        // answered or that is done); then the demo.
        // The presenter asks the class instead (a poll, in the demo's view).
        let asked = self.progress.quiz.contains_key(lesson.id()) || self.progress.is_done(lesson.id());
        let quiz_next = !asked && !lesson.quizzes.is_empty() && self.presenting.is_none();
        self.publish(classroom::moment_outside(Some(lesson.id()), self.config.seed));
        let mut page = TextPage::new(lesson, self.lang, self.theme, quiz_next);
        let action = terminal::run_screen(
            screen,
            input,
            &mut page,
            TextPage::handle_key,
            TextPage::resize,
            PageAction::None,
            PageAction::Quit,
        )
        .await?;
        let quiz_wanted = match action {
            PageAction::Next => quiz_next,
            PageAction::Demo | PageAction::None => false,
            PageAction::Menu => return Ok(After::Menu),
            PageAction::Quit => return Ok(After::Quit),
        };
        if quiz_wanted {
            self.quiz(screen, input, lesson).await?;
        }
        // `P` switches between the Rust demo and the Python original, at the same moment.
        let mut which = lesson.primary();
        let mut moment: Option<(crate::engine::event::VTime, String)> = None;
        let (exit, app) = loop {
            let mut app = App::of_run(lesson, which, self.lang, self.theme);
            // The stops are placed in the lesson's first run.
            if which == lesson.primary() {
                app.set_stops(lesson.stops.clone(), stops::in_run(lesson, self.config));
            }
            if let Some((at, notice)) = &moment {
                app.playback.jump(crate::ui::playback::Jump::Time(*at));
                app.notice = Some(notice.clone());
            }
            let source = Source::of(lesson, which, self.python.clone());
            app.in_tour = true;
            // A class follows the lesson's first run.
            app.switchable &= self.class.is_none();
            let (exit, app) = self.demo(screen, input, app, &source, index).await?;
            if exit != Exit::SwitchRun {
                break (exit, app);
            }
            let at = app.session().playhead;
            let (next, notice) = terminal::other_run(which, self.python.as_deref(), self.lang);
            which = next;
            moment = Some((at, notice));
        };
        if app.completed() {
            self.progress.mark_done(lesson.id());
            if let Some(next) = self.catalog.lessons.get(index + 1) {
                self.progress.set_current(next.id());
            }
        }
        if let Err(error) = self.store.save(&self.progress) {
            self.menu.set_notice(error.to_string());
        }
        Ok(match exit {
            Exit::NextLesson if index + 1 < self.catalog.lessons.len() => After::Lesson(index + 1),
            Exit::PreviousLesson if index > 0 => After::Lesson(index - 1),
            Exit::NextLesson | Exit::PreviousLesson | Exit::Menu | Exit::Moved | Exit::SwitchRun => {
                After::Menu
            }
            Exit::Quit => After::Quit,
        })
    }

    /// A lesson's run in the live view (with the presenter's notes and class, when presenting).
    async fn demo(
        &mut self,
        screen: &mut Screen,
        input: &mut Input,
        mut app: App,
        source: &Source,
        index: usize,
    ) -> io::Result<(Exit, App)> {
        if let Some(since) = self.presenting {
            let next_lesson = self.catalog.lessons.get(index + 1).map(|l| l.title.get(self.lang).to_owned());
            app.present(crate::ui::app::Presenter { since, next_lesson });
        }
        let exit = match &mut self.class {
            Some(class) => {
                app.teach(class.address.clone(), class.server.code().map(str::to_owned), class.polls);
                let mut link = Link::Presenting(&mut class.server);
                let exit =
                    terminal::run_lesson(screen, input, &mut app, source, self.config, &mut link).await?;
                // A poll left open closes with the lesson.
                if let Some(poll) = app.open_poll() {
                    class.server.close_poll(poll);
                }
                class.polls = app.polls_opened();
                exit
            }
            None => {
                terminal::run_lesson(screen, input, &mut app, source, self.config, &mut Link::Alone).await?
            }
        };
        Ok((exit, app))
    }

    /// The lesson's quiz; the answers come from its recorded runs.
    async fn quiz(&mut self, screen: &mut Screen, input: &mut Input, lesson: &Lesson) -> io::Result<()> {
        let runs = Runs::new(lesson, self.config, self.python.clone());
        let Some(mut quiz) = QuizScreen::new(&runs, self.lang, self.theme) else {
            return Ok(());
        };
        let action = terminal::run_screen(
            screen,
            input,
            &mut quiz,
            QuizScreen::handle_key,
            |_, _| {},
            QuizAction::None,
            QuizAction::Skip,
        )
        .await?;
        if let QuizAction::Done(score) = action {
            self.progress.record_quiz(lesson.id(), score);
        }
        Ok(())
    }
}
