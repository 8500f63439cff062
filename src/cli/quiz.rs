//! `asyncdemo quiz LESSON`: predict what the lesson's demo will do, then see what it did.

use std::io::Write;

use super::Failure;
use crate::engine::run::RunConfig;
use crate::lesson::runs::Runs;
use crate::lesson::{Lang, Lesson};
use crate::quiz::ask;

pub fn quiz(
    lesson: &Lesson,
    lang: Lang,
    seed: u64,
    python: Option<std::path::PathBuf>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if lesson.quizzes.is_empty() {
        writeln!(out, "{}", lang.pick("В этом уроке нет вопросов.", "This lesson has no questions."))?;
        return Ok(());
    }
    // The answers come from the runs themselves, each recorded when a quiz needs it.
    let runs = Runs::new(lesson, RunConfig { seed, ..RunConfig::default() }, python);
    writeln!(out, "{}", lesson.title.get(lang))?;
    let stdin = std::io::stdin();
    ask::ask_all(&runs, lang, &mut stdin.lock(), out)?;
    Ok(())
}
