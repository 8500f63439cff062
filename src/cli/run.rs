//! `asyncdemo run LESSON`: runs the lesson's demo and prints its transcript.

use std::io::Write;

use super::Failure;
use crate::engine::lifecycle::{Lifecycle, State};
use crate::engine::runner::{self, Recording, RunConfig};
use crate::lesson::{Lang, Lesson};
use crate::view::transcript;

pub fn run(lesson: &Lesson, lang: Lang, seed: u64, out: &mut dyn Write) -> Result<(), Failure> {
    let config = RunConfig { seed, ..RunConfig::default() };
    let header = transcript::Header { title: lesson.file.title.get(lang), demo_file: lesson.demo.file, seed };
    let Recording { trace, stopped } = runner::record(lesson.demo, config)
        .map_err(|error| Failure::Failed(format!("lesson `{}`: {error}", lesson.id())))?;
    let text = transcript::render(&header, &trace).map_err(|illegal| {
        Failure::Failed(format!(
            "lesson `{}`: the engine recorded an impossible event: {illegal}",
            lesson.id()
        ))
    })?;
    out.write_all(text.as_bytes())?;
    // A stopped run still shows what happened up to the stop, then fails.
    if let Some(stop) = stopped {
        return Err(Failure::Failed(format!("lesson `{}`: {stop}", lesson.id())));
    }
    // The run failed if the demo's own main task did not complete.
    let lifecycle = Lifecycle::of(&trace).expect("rendered above");
    match lifecycle.tasks.first() {
        Some(main) if main.state == State::Done => Ok(()),
        Some(main) => Err(Failure::Failed(format!(
            "lesson `{}`: the demo's main task ended {}: {}",
            lesson.id(),
            main.state,
            main.outcome.as_deref().unwrap_or("no result")
        ))),
        None => Err(Failure::Failed(format!("lesson `{}`: the demo recorded nothing", lesson.id()))),
    }
}
