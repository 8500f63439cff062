//! `asyncdemo check [DIR]`: validates lesson files and runs their demos, for lesson authors.

use std::io::Write;
use std::path::Path;

use super::Failure;
use crate::engine::event::EventKind;
use crate::engine::run::{self, RunConfig};
use crate::lesson::{Catalog, Lang};

pub fn check(dir: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    let (catalog, place) = match dir {
        Some(dir) => (Catalog::from_dir(dir), dir.display().to_string()),
        None => (Catalog::embedded(), "the built-in course".to_owned()),
    };
    let catalog = catalog.map_err(Failure::from)?;
    let mut problems = Vec::new();
    for lesson in &catalog.lessons {
        // A lesson is only good if its demo runs to the end and every task follows the
        // lifecycle: run each one, as `asyncdemo run` would.
        match run::record(&lesson.demo.program, RunConfig::default()) {
            Err(error) => problems.push(format!("{}: demo `{}`: {error}", lesson.path, lesson.demo.id)),
            Ok(recording) => {
                let trace = recording.trace();
                if let Some(why) = run::failure(&trace, recording.stopped()) {
                    problems.push(format!("{}: demo `{}`: {why}", lesson.path, lesson.demo.id));
                }
                // Every printed line has its English.
                let mut missing: Vec<&str> = trace
                    .events
                    .iter()
                    .filter_map(|e| match &e.kind {
                        EventKind::Print { text } => Some(&**text),
                        _ => None,
                    })
                    .filter(|line| lesson.prints.translate(line, Lang::En).is_none())
                    .collect();
                missing.dedup();
                for line in missing.iter().take(5) {
                    problems.push(format!(
                        "{}: the demo prints `{line}`, and no `[[print]]` gives its English",
                        lesson.path
                    ));
                }
                // Every stop is reached, in order.
                if let Err(why) = crate::view::stops::cursors(&lesson.stops, &trace) {
                    problems.push(format!("{}: {why}", lesson.path));
                }
                // Every quiz must have one clear answer in the run.
                for (i, quiz) in lesson.quizzes.iter().enumerate() {
                    if let Err(why) = crate::quiz::solve(quiz, &trace, Lang::En, &lesson.prints) {
                        problems.push(format!("{}: quiz {}: {why}", lesson.path, i + 1));
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Problems(problems));
    }
    writeln!(out, "ok: {} lessons in {place}", catalog.lessons.len())?;
    Ok(())
}
