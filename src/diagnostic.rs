//! One kind of report for a problem in a file the user gives asyncdemo (a lesson file, the
//! tour's progress file), as compilers and `just` write them:
//!
//! ```text
//! lessons/gather.toml:12:12: the Python original has no region `coro`
//!    |
//! 12 | regions = ["coro"]
//!    |            ^^^^^^
//!   hint: mark the matching Python lines with `# [region: coro]` and `# [end: coro]`
//! ```
//!
//! The `error: ` in front is written once, by whoever prints the report.

use std::fmt;
use std::ops::Range;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (or directory) concerned; empty when there is none to name.
    pub path: String,
    /// 1-based line and column (in characters) for a problem inside the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
    /// How to fix it, where that helps.
    pub hint: Option<String>,
    /// The line the problem is on, and where under it the caret goes (display columns: start,
    /// width).
    excerpt: Option<Box<(String, usize, usize)>>,
}

impl Diagnostic {
    /// A problem with a file as a whole (or with no file).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { path: path.into(), position: None, message: message.into(), hint: None, excerpt: None }
    }

    /// A problem at `span` (byte offsets) of the file's `source`: its line and column, and the
    /// line itself with a caret under the span.
    pub fn at(
        path: impl Into<String>,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let start = source.floor_char_boundary(span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let before = &source[line_start..start];
        let line = source[..start].matches('\n').count() + 1;
        let column = before.chars().count() + 1;
        // The caret: from the span's start to its end or the end of the line, at least one wide.
        // (A span may start after the line's text: on a `\r` the excerpt leaves out.)
        let line_stop = (line_start + line_text.len()).max(start);
        let end = source.floor_char_boundary(span.end.clamp(start, line_stop));
        let width = source[start..end].width().max(1);
        let text: String = line_text.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
        Diagnostic {
            position: Some((line, column)),
            excerpt: Some(Box::new((text, before.chars().map(|c| c.width().unwrap_or(1)).sum(), width))),
            ..Diagnostic::new(path, message)
        }
    }

    /// At a known line and column, with no excerpt.
    pub fn at_position(
        path: impl Into<String>,
        position: (usize, usize),
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic { position: Some(position), ..Diagnostic::new(path, message) }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            _ if self.path.is_empty() => write!(f, "{}", self.message)?,
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.path, self.message)?,
            None => write!(f, "{}: {}", self.path, self.message)?,
        }
        if let (Some((line, _)), Some(excerpt)) = (self.position, &self.excerpt) {
            let (text, start, width) = &**excerpt;
            let number = line.to_string();
            let gutter = " ".repeat(number.len());
            write!(
                f,
                "\n{gutter} |\n{number} | {text}\n{gutter} | {}{}",
                " ".repeat(*start),
                "^".repeat(*width)
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_shown_with_a_caret_under_the_span() {
        let source = "id = \"x\"\nregions = [\"coro\"]\n";
        let at = source.find("\"coro\"").unwrap();
        let d = Diagnostic::at("a.toml", source, at..at + 6, "no region `coro`").with_hint("mark it");
        assert_eq!(
            d.to_string(),
            "a.toml:2:12: no region `coro`\n  |\n2 | regions = [\"coro\"]\n  |            ^^^^^^\n  hint: mark it"
        );
    }

    #[test]
    fn wide_characters_and_spans_past_the_line_end_are_measured_in_columns() {
        let source = "title = \"Задачи\" x\n";
        let at = source.find('x').unwrap();
        let d = Diagnostic::at("a.toml", source, at..source.len() + 10, "here");
        assert!(d.to_string().ends_with(&format!("\n  | {}^", " ".repeat(17))), "{d}");
        assert_eq!(d.position, Some((1, 18)));
        // A span that starts after the line's text (on a `\r`; found by fuzzing).
        let d = Diagnostic::at("r.toml", "abc\r", 4..4, "here");
        assert_eq!(d.position, Some((1, 5)));
        // An empty file, a span at its very end.
        assert_eq!(Diagnostic::at("e.toml", "", 0..0, "empty").position, Some((1, 1)));
    }
}
