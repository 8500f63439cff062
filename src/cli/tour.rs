//! `asyncdemo tour`: the whole course, lesson by lesson, with progress remembered.
//!
//! The menu shows every lesson with a done marker and its best quiz score, and starts at the
//! lesson to resume (the first one not done). Opening a lesson shows its text as a page, then
//! asks its quiz (predict the run; `s` skips; not again once answered), then runs it in the
//! live view; watching its demo to the end marks it done. In the view, `n` / `N`
//! go to the next / previous lesson and `m` back to the menu. Progress lives in the user's
//! state directory (`$XDG_STATE_HOME/asyncdemo/progress.toml` on Linux); `--reset` forgets it.

use std::io::{IsTerminal, Write};

use super::Failure;
use crate::engine::run::{self, RunConfig};
use crate::lesson::{Catalog, Lang};
use crate::tour::menu::{Menu, MenuAction};
use crate::tour::progress::{Progress, Store};
use crate::tour::quiz_screen::{QuizAction, QuizScreen};
use crate::tour::text_page::{PageAction, TextPage};
use crate::ui::terminal::{self, Input, Screen};
use crate::ui::theme::{Palette, Theme};
use crate::ui::{App, Exit};

pub fn tour(
    catalog: &Catalog,
    lang: Lang,
    palette: Palette,
    seed: u64,
    reset: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = Store::default_location().map_err(|e| Failure::Failed(e.to_string()))?;
    if reset {
        store.reset().map_err(|e| Failure::Failed(e.to_string()))?;
        writeln!(out, "progress reset ({})", store.path().display())?;
        return Ok(());
    }
    if !std::io::stdout().is_terminal() {
        return Err(Failure::Usage(
            "the tour needs a terminal; without one, use `asyncdemo list` and `asyncdemo run LESSON --plain`"
                .into(),
        ));
    }
    // A damaged progress file does not stop the tour: it is set aside, and the tour starts
    // afresh and says so.
    let (mut progress, problem) = store.load_or_set_aside();
    let theme = Theme::from_env(palette);
    let mut menu = Menu::new(catalog, lang, &progress, theme);
    if let Some(problem) = problem {
        menu.set_notice(problem);
    }
    let mut screen = Screen::enter().map_err(Failure::terminal)?;
    let config = RunConfig { seed, ..RunConfig::default() };
    let result = terminal::block_on(async {
        let mut input = Input::new()?;
        loop {
            match terminal::run_menu(&mut screen, &mut input, &mut menu).await? {
                MenuAction::Open(id) => {
                    let Some(mut index) = catalog.lessons.iter().position(|l| l.id() == id) else { continue };
                    loop {
                        let lesson = &catalog.lessons[index];
                        progress.set_current(lesson.id());
                        // The text first, as a page; then the quiz (not again for a lesson whose
                        // quiz was answered or that is done); then the demo.
                        let asked = progress.quiz.contains_key(lesson.id()) || progress.is_done(lesson.id());
                        let quiz_next = !asked && !lesson.file.quizzes.is_empty();
                        let mut page = TextPage::new(lesson, lang, theme, quiz_next);
                        let quiz_wanted = match terminal::run_page(&mut screen, &mut input, &mut page).await?
                        {
                            PageAction::Next => quiz_next,
                            PageAction::Demo | PageAction::None => false,
                            PageAction::Menu => break,
                            PageAction::Quit => return Ok(()),
                        };
                        // The quiz: the answers come from this lesson's recorded run.
                        if quiz_wanted
                            && let Ok(recording) = run::record(&lesson.demo.program, config)
                            && let Some(mut quiz) = QuizScreen::new(lesson, &recording.trace(), lang, theme)
                            && let QuizAction::Done(score) =
                                terminal::run_quiz(&mut screen, &mut input, &mut quiz).await?
                        {
                            progress.record_quiz(lesson.id(), score);
                        }
                        let mut app = App::new(lesson, lang, theme);
                        app.in_tour = true;
                        let exit =
                            terminal::run_lesson(&mut screen, &mut input, &mut app, lesson.demo, config)
                                .await?;
                        if app.completed() {
                            progress.mark_done(lesson.id());
                            if let Some(next) = catalog.lessons.get(index + 1) {
                                progress.set_current(next.id());
                            }
                        }
                        if let Err(error) = store.save(&progress) {
                            menu.set_notice(error.to_string());
                        }
                        match exit {
                            Exit::NextLesson if index + 1 < catalog.lessons.len() => index += 1,
                            Exit::PreviousLesson if index > 0 => index -= 1,
                            Exit::NextLesson | Exit::PreviousLesson | Exit::Menu => break,
                            Exit::Quit => return Ok(()),
                        }
                    }
                    menu.refresh(&progress);
                }
                MenuAction::ResetProgress => {
                    progress = Progress::default();
                    match store.reset() {
                        Ok(()) => menu.set_notice(lang.pick("прогресс сброшен", "progress reset").into()),
                        Err(error) => menu.set_notice(error.to_string()),
                    }
                    menu.refresh(&progress);
                }
                MenuAction::Quit => return Ok(()),
                MenuAction::None => {}
            }
        }
    });
    drop(screen);
    result.map_err(Failure::terminal)
}
