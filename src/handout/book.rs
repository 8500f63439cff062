//! The handouts written to files: one lesson's, or the whole course as a book (a contents page
//! and a page per lesson, in course order, linked to each other).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Handout, Nav, Words, escape, html, markdown, svg};
use crate::engine::run::RunConfig;
use crate::lesson::runs::Runs;
use crate::lesson::{Catalog, Lang};

/// What a handout is written as.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// One page with everything inside it.
    Html,
    /// Markdown, with the timeline as an SVG file beside it.
    Markdown,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }
}

/// The file of the timeline that goes beside the Markdown file `to`: `gather.md` →
/// `gather.timeline.svg`.
pub fn timeline_file(to: &Path) -> PathBuf {
    let stem = to.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    to.with_file_name(format!("{stem}.timeline.svg"))
}

/// Writes `handout` to `to` as `format` (and its timeline beside it, for Markdown); returns the
/// files written.
pub fn write(
    handout: &Handout,
    to: &Path,
    format: Format,
    nav: Option<&Nav>,
) -> Result<Vec<PathBuf>, String> {
    let save = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    match format {
        Format::Html => {
            save(to, &html::page(handout, nav))?;
            Ok(vec![to.to_owned()])
        }
        Format::Markdown => {
            let timeline = timeline_file(to);
            let name = timeline.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let words = Words { lang: handout.lang };
            let title = format!("{}: {}", handout.title, words.timeline());
            save(&timeline, &svg::render(&handout.timeline, &title, handout.lang))?;
            save(to, &markdown::render(handout, &name, nav))?;
            Ok(vec![to.to_owned(), timeline])
        }
    }
}

/// The whole course in `dir`: `index.html` (or `index.md`) and a page per lesson, each the
/// handout of the lesson's first run; the contents' path.
pub fn course(
    catalog: &Catalog,
    dir: &Path,
    format: Format,
    lang: Lang,
    config: RunConfig,
    python: Option<PathBuf>,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let words = Words { lang };
    let lessons = &catalog.lessons;
    let file = |i: usize| format!("{}.{}", lessons[i].id(), format.extension());
    let index_name = format!("index.{}", format.extension());
    for (i, lesson) in lessons.iter().enumerate() {
        let runs = Runs::new(lesson, config, python.clone());
        let handout = Handout::new(&runs, lesson.primary(), config.seed, lang, (i + 1, lessons.len()))
            .map_err(|why| format!("lesson `{}`: {why}", lesson.id()))?;
        let around = |j: Option<usize>| {
            j.filter(|&j| j < lessons.len()).map(|j| (file(j), lessons[j].title.get(lang).to_owned()))
        };
        let nav =
            Nav { index: index_name.clone(), previous: around(i.checked_sub(1)), next: around(Some(i + 1)) };
        let to = dir.join(file(i));
        write(&handout, &to, format, Some(&nav))?;
    }
    let index = dir.join(&index_name);
    let text = match format {
        Format::Html => {
            let mut body = format!(
                r#"<header><p class="place">asyncdemo</p><h1>{}</h1><p class="prose">{}</p></header><main><h2>{}</h2><ol class="lessons">"#,
                escape(words.book_title()),
                escape(words.book_intro()),
                escape(words.contents())
            );
            for (i, lesson) in lessons.iter().enumerate() {
                let first = lesson.sections.first().map(|s| s.heading.get(lang)).unwrap_or_default();
                let _ = write!(
                    body,
                    r#"<li><a href="{}">{}</a> <span class="dim">— {}</span></li>"#,
                    escape(&file(i)),
                    escape(lesson.title.get(lang)),
                    escape(first)
                );
            }
            let _ = write!(
                body,
                r#"</ol></main><footer><p class="dim">{}</p></footer>"#,
                escape(words.made_by())
            );
            html::document(lang, words.book_title(), &body)
        }
        Format::Markdown => {
            let mut text =
                format!("# {}\n\n{}\n\n## {}\n\n", words.book_title(), words.book_intro(), words.contents());
            for (i, lesson) in lessons.iter().enumerate() {
                let _ = writeln!(text, "{}. [{}]({})", i + 1, lesson.title.get(lang), file(i));
            }
            text
        }
    };
    std::fs::write(&index, text).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok(index)
}
