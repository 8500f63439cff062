//! The lesson text as the view shows it.
//!
//! The lesson files wrap their text at about 90 columns; here paragraphs and list items are
//! joined back into single lines so a panel can wrap them to its own width. Lines indented by
//! four spaces are code and stay as they are.

use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;

/// The text's lines: each heading, then its paragraphs.
pub fn lines(sections: &[(String, String)], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (heading, body) in sections {
        lines.push(Line::from(Span::styled(heading.clone(), theme.accent())));
        for block in reflow(body) {
            match block {
                Block::Code(code) => {
                    lines.push(Line::from(Span::styled(code, theme.syntax(Color::LightCyan))))
                }
                Block::Prose(prose) => lines.push(Line::raw(prose)),
                Block::Blank => lines.push(Line::raw("")),
            }
        }
        lines.push(Line::raw(""));
    }
    lines
}

/// The text wrapped as a panel of this width wraps it.
pub fn paragraph(lines: Vec<Line<'static>>) -> Paragraph<'static> {
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// How many rows the text takes at this width.
pub fn line_count(sections: &[(String, String)], width: u16) -> usize {
    paragraph(lines(sections, &Theme::new(false))).line_count(width.max(1))
}

#[derive(Debug, PartialEq, Eq)]
enum Block {
    Prose(String),
    Code(String),
    Blank,
}

/// Joins hard-wrapped lines back into paragraphs and list items.
fn reflow(body: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in body.trim_end().lines() {
        let starts_item = line.starts_with("- ")
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if line.trim().is_empty() {
            blocks.push(Block::Blank);
        } else if line.starts_with("    ") {
            blocks.push(Block::Code(line.to_owned()));
        } else if let (false, Some(Block::Prose(previous))) = (starts_item, blocks.last_mut()) {
            previous.push(' ');
            previous.push_str(line.trim_start());
        } else {
            blocks.push(Block::Prose(line.to_owned()));
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_items_are_joined_code_is_kept() {
        let body = "Первая строка\nвторая строка.\n\n- пункт\n  продолжение\n- ещё\n\n    let x = 1;\n1. раз\n2. два";
        assert_eq!(
            reflow(body),
            [
                Block::Prose("Первая строка вторая строка.".into()),
                Block::Blank,
                Block::Prose("- пункт продолжение".into()),
                Block::Prose("- ещё".into()),
                Block::Blank,
                Block::Code("    let x = 1;".into()),
                Block::Prose("1. раз".into()),
                Block::Prose("2. два".into()),
            ]
        );
    }
}
