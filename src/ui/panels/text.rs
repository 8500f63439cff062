//! The lesson text, in the chosen language, scrollable.
//!
//! The lesson files wrap their text at about 90 columns; here paragraphs and list items are
//! joined back into single lines so the panel can wrap them to its own width. Lines indented by
//! four spaces are code and stay as they are.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::ui::app::App;

pub struct Text<'a>(pub &'a App);

impl Widget for Text<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let mut lines = Vec::new();
        for (heading, body) in &app.lesson.sections {
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
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((app.text_scroll, 0)).render(area, buf);
    }
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
