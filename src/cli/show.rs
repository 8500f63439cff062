//! `asyncdemo show LESSON`: the lesson's text, its Python original and its Rust demo, for
//! reading without running.

use std::io::Write;

use super::Failure;
use crate::lesson::{Lang, Lesson};

pub fn show(lesson: &Lesson, lang: Lang, out: &mut dyn Write) -> Result<(), Failure> {
    let (python_heading, output_heading, rust_heading) = match lang {
        Lang::Ru => ("Python: оригинал", "Python: вывод", "Rust: демо"),
        Lang::En => ("Python: the original", "Python: its output", "Rust: the demo"),
    };
    writeln!(out, "{}\n", lesson.title.get(lang))?;
    for section in &lesson.sections {
        writeln!(out, "## {}\n", section.heading.get(lang))?;
        writeln!(out, "{}\n", section.body.get(lang).trim_end())?;
    }
    writeln!(out, "## {python_heading}\n")?;
    for line in lesson.python.code.trim_end().lines() {
        writeln!(out, "    {line}")?;
    }
    writeln!(out, "\n## {output_heading}\n")?;
    for line in lesson.python.output.trim_end().lines() {
        writeln!(out, "    {line}")?;
    }
    // A lesson of its Python original alone has no demo to show.
    let Some(demo) = lesson.demo else { return Ok(()) };
    writeln!(out, "\n## {rust_heading} ({})\n", demo.file())?;
    let width = demo.source.lines().count().to_string().len();
    for (number, line) in demo.source.lines().enumerate() {
        writeln!(out, "{:>width$} │ {line}", number + 1)?;
    }
    Ok(())
}
