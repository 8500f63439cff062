//! `asyncdemo export LESSON --to FILE`: a lesson's run written to a file, the format chosen by
//! the extension: `.json`, a Perfetto / Chrome trace.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::engine::run::RunConfig;
use crate::lesson::{Lesson, RunOf};
use crate::view::perfetto;

pub fn export(
    lesson: &Lesson,
    which: RunOf,
    python: Option<PathBuf>,
    seed: u64,
    time: perfetto::Time,
    to: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let extension = to.extension().and_then(|e| e.to_str()).unwrap_or_default();
    if extension != "json" {
        return Err(Failure::Usage(format!(
            "{}: export writes a Perfetto trace, to a file ending in .json",
            to.display()
        )));
    }
    let recorded = lesson
        .record(which, RunConfig { seed, ..RunConfig::default() }, python)
        .map_err(|why| Failure::Failed(format!("lesson `{}`: {why}", lesson.id())))?;
    let language = match which {
        RunOf::Rust => "tokio",
        RunOf::Python => "asyncio",
    };
    let title = format!("asyncdemo {} ({language}, seed {seed})", lesson.id());
    let document = perfetto::export(&title, &recorded.trace, time);
    let text = serde_json::to_string(&document).map_err(|e| Failure::Failed(e.to_string()))?;
    std::fs::write(to, text).map_err(|e| Failure::Failed(format!("cannot write {}: {e}", to.display())))?;
    writeln!(
        out,
        "{}: {} events of {} tasks; open it in https://ui.perfetto.dev",
        to.display(),
        recorded.trace.events.len(),
        recorded.trace.tasks.len()
    )?;
    Ok(())
}
