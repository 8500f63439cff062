//! `asyncdemo run LESSON`: runs the lesson's demo and prints its transcript.

use std::io::Write;

use super::Failure;
use crate::engine::runner::{self, RunConfig};
use crate::lesson::{Lang, Lesson};
use crate::view::transcript;

pub fn run(lesson: &Lesson, lang: Lang, seed: u64, out: &mut dyn Write) -> Result<(), Failure> {
    let failed = |why: String| Failure::Failed(format!("lesson `{}`: {why}", lesson.id()));
    let recording = runner::record(lesson.demo, RunConfig { seed, ..RunConfig::default() })
        .map_err(|error| failed(error.to_string()))?;
    let header = transcript::Header { title: lesson.file.title.get(lang), demo_file: lesson.demo.file, seed };
    // A run that failed still shows what happened up to the failure, when it can be shown.
    if let Ok(text) = transcript::render(&header, &recording.trace) {
        out.write_all(text.as_bytes())?;
    }
    match recording.failure() {
        None => Ok(()),
        Some(why) => Err(failed(why)),
    }
}
