//! `asyncdemo quiz LESSON`: predict what the lesson's demo will do, then see what it did.

use std::io::Write;

use super::Failure;
use crate::engine::run::{self, RunConfig};
use crate::lesson::{Lang, Lesson};
use crate::quiz::ask;

pub fn quiz(lesson: &Lesson, lang: Lang, seed: u64, out: &mut dyn Write) -> Result<(), Failure> {
    if lesson.quizzes.is_empty() {
        writeln!(out, "{}", lang.pick("В этом уроке нет вопросов.", "This lesson has no questions."))?;
        return Ok(());
    }
    // The answers come from the run itself, recorded before the first question is asked.
    let recording = run::record(&lesson.demo.program, RunConfig { seed, ..RunConfig::default() })
        .map_err(|error| Failure::Failed(format!("lesson `{}`: {error}", lesson.id())))?;
    writeln!(out, "{}", lesson.title.get(lang))?;
    let stdin = std::io::stdin();
    ask::ask_all(lesson, &recording.trace(), lang, &mut stdin.lock(), out)?;
    Ok(())
}
