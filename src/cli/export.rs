//! `asyncdemo export LESSON --to FILE`: a lesson's run written to a file, the format chosen by
//! the extension or `--format`: `.json`, a Perfetto / Chrome trace; `.html`, a handout page;
//! `.md`, the handout in Markdown (its timeline an SVG file beside it). `export --course --to
//! DIR`: the whole course as a book of handouts.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use super::args::FormatArg;
use crate::engine::run::RunConfig;
use crate::handout::Handout;
use crate::handout::book::{self, Format};
use crate::lesson::runs::Runs;
use crate::lesson::{Catalog, Lang, Lesson, RunOf};
use crate::view::perfetto;

/// What the command line asked for, beside the lesson and the destination.
pub struct Options {
    pub format: Option<FormatArg>,
    /// The Python original's run rather than the lesson's first one.
    pub python: bool,
    pub time: perfetto::Time,
    pub seed: u64,
    pub lang: Lang,
    pub python_bin: Option<PathBuf>,
}

impl Options {
    fn config(&self) -> RunConfig {
        RunConfig { seed: self.seed, ..RunConfig::default() }
    }
}

/// The format: `--format`, else the file's extension.
fn format_of(to: &Path, format: Option<FormatArg>) -> Result<FormatArg, Failure> {
    if let Some(format) = format {
        return Ok(format);
    }
    match to.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("json") => Ok(FormatArg::Json),
        Some("html" | "htm") => Ok(FormatArg::Html),
        Some("md" | "markdown") => Ok(FormatArg::Md),
        _ => Err(Failure::Usage(format!(
            "{}: export writes a Perfetto trace (.json), a handout page (.html) or a Markdown handout (.md); \
             name the file so, or say --format json|html|md",
            to.display()
        ))),
    }
}

pub fn lesson(
    catalog: &Catalog,
    lesson: &Lesson,
    options: &Options,
    to: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let which = if options.python { RunOf::Python } else { lesson.primary() };
    let runs = Runs::new(lesson, options.config(), options.python_bin.clone());
    let failed = |why: &str| Failure::Failed(format!("lesson `{}`: {why}", lesson.id()));
    let format = match format_of(to, options.format)? {
        FormatArg::Json => {
            let recorded = runs.get(which).map_err(failed)?;
            let language = match which {
                RunOf::Rust => "tokio",
                RunOf::Python => "asyncio",
            };
            let title = format!("asyncdemo {} ({language}, seed {})", lesson.id(), options.seed);
            let document = perfetto::export(&title, &recorded.trace, options.time);
            let text = serde_json::to_string(&document).map_err(|e| Failure::Failed(e.to_string()))?;
            std::fs::write(to, text)
                .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", to.display())))?;
            writeln!(
                out,
                "{}: {} events of {} tasks; open it in https://ui.perfetto.dev",
                to.display(),
                recorded.trace.events.len(),
                recorded.trace.tasks.len()
            )?;
            return Ok(());
        }
        FormatArg::Html => Format::Html,
        FormatArg::Md => Format::Markdown,
    };
    let number = catalog.lessons.iter().position(|l| l.id() == lesson.id()).map_or(1, |i| i + 1);
    let handout = Handout::new(&runs, which, options.seed, options.lang, (number, catalog.lessons.len()))
        .map_err(|why| failed(&why))?;
    let written = book::write(&handout, to, format, None).map_err(Failure::Failed)?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    writeln!(out, "{}", names.join(", "))?;
    Ok(())
}

pub fn course(catalog: &Catalog, options: &Options, to: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let format = match options.format {
        None | Some(FormatArg::Html) => Format::Html,
        Some(FormatArg::Md) => Format::Markdown,
        Some(FormatArg::Json) => {
            return Err(Failure::Usage(
                "--course writes a book of handouts: --format html (the default) or md".into(),
            ));
        }
    };
    if options.python {
        return Err(Failure::Usage(
            "--course shows each lesson's first run; --python is for one lesson".into(),
        ));
    }
    let index = book::course(catalog, to, format, options.lang, options.config(), options.python_bin.clone())
        .map_err(Failure::Failed)?;
    writeln!(out, "{}: the contents, and {} lessons beside it", index.display(), catalog.lessons.len())?;
    Ok(())
}
