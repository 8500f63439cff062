//! `asyncdemo check [DIR]`: validates lesson files and runs their demos (and, for a lesson of
//! its Python original alone, that original under the tracer), for lesson authors.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::engine::event::EventKind;
use crate::engine::run::RunConfig;
use crate::lesson::runs::Runs;
use crate::lesson::{Catalog, Lang, RunOf};

pub fn check(dir: Option<&Path>, python: Option<PathBuf>, out: &mut dyn Write) -> Result<(), Failure> {
    let (catalog, place) = match dir {
        Some(dir) => (Catalog::from_dir(dir), dir.display().to_string()),
        None => (Catalog::embedded(), "the built-in course".to_owned()),
    };
    let catalog = catalog.map_err(Failure::from)?;
    let mut problems = Vec::new();
    for lesson in &catalog.lessons {
        let runs = Runs::new(lesson, RunConfig::default(), python.clone());
        let what = match lesson.demo {
            Some(demo) => format!("demo `{}`", demo.id),
            None => format!("the Python original `{}.py`", lesson.id()),
        };
        // A lesson is only good if its run goes to the end and every task follows the
        // lifecycle: run it, as `asyncdemo run` would.
        let run = match runs.get(lesson.primary()) {
            Err(error) => {
                problems.push(format!("{}: {what}: {error}", lesson.path));
                continue;
            }
            Ok(run) => run,
        };
        if let Some(why) = &run.failure {
            problems.push(format!("{}: {what}: {why}", lesson.path));
        }
        let trace = &run.trace;
        // A lesson of its Python original alone: the traced run prints what plain python3
        // prints, as `output` says.
        if lesson.primary() == RunOf::Python {
            let printed: String = trace.printed().map(|line| format!("{line}\n")).collect();
            if printed != lesson.python.output {
                problems.push(format!(
                    "{}: the Python original prints other lines than `output` says:\n{printed}",
                    lesson.path
                ));
            }
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
                "{}: the run prints `{line}`, and no `[[print]]` gives its English",
                lesson.path
            ));
        }
        // Every stop is reached, in order.
        if let Err(why) = crate::view::stops::cursors(&lesson.stops, trace) {
            problems.push(format!("{}: {why}", lesson.path));
        }
        // Every quiz must have one clear answer in its run.
        for (i, quiz) in lesson.quizzes.iter().enumerate() {
            let solved = runs
                .get(quiz.source)
                .map_err(str::to_owned)
                .and_then(|run| crate::quiz::solve(quiz, &run.trace, Lang::En, &lesson.prints));
            if let Err(why) = solved {
                problems.push(format!("{}: quiz {}: {why}", lesson.path, i + 1));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Problems(problems));
    }
    writeln!(out, "ok: {} lessons in {place}", catalog.lessons.len())?;
    Ok(())
}
