//! The lesson text as the view shows it: the Markdown it is written in (pulldown-cmark reads it),
//! drawn as lines a panel wraps to its width. Paragraphs become one line each (the files wrap
//! them at about 90 columns), list items keep their marks, code blocks stay as they are, inline
//! code and emphasis are styled instead of showing their backticks and stars.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;

/// The text's lines: each heading, then its Markdown body.
pub fn lines(sections: &[(String, String)], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (heading, body) in sections {
        lines.push(Line::from(Span::styled(heading.clone(), theme.accent())));
        lines.extend(markdown(body, theme));
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

/// One Markdown body as lines.
fn markdown(body: &str, theme: &Theme) -> Vec<Line<'static>> {
    let code_style = theme.syntax(Color::LightCyan);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    // Nested lists: the next number of each ordered one (`None`: a bulleted one).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut style = Style::new();
    let mut in_code_block = false;
    let flush = |current: &mut Vec<Span<'static>>, lines: &mut Vec<Line<'static>>| {
        if !current.is_empty() {
            lines.push(Line::from(std::mem::take(current)));
        }
    };
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                flush(&mut current, &mut lines);
                if lists.is_empty() {
                    lines.push(Line::raw(""));
                }
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut current, &mut lines);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    lines.push(Line::raw(""));
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut lines);
                let indent = "  ".repeat(lists.len().saturating_sub(1));
                let mark = match lists.last_mut() {
                    Some(Some(number)) => {
                        *number += 1;
                        format!("{}. ", *number - 1)
                    }
                    _ => "- ".to_owned(),
                };
                current.push(Span::raw(format!("{indent}{mark}")));
            }
            Event::End(TagEnd::Item) => flush(&mut current, &mut lines),
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut current, &mut lines);
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                lines.push(Line::raw(""));
            }
            Event::Start(Tag::Emphasis) => style = style.add_modifier(Modifier::ITALIC),
            Event::End(TagEnd::Emphasis) => style = style.remove_modifier(Modifier::ITALIC),
            Event::Start(Tag::Strong) => style = style.add_modifier(Modifier::BOLD),
            Event::End(TagEnd::Strong) => style = style.remove_modifier(Modifier::BOLD),
            Event::Start(Tag::Heading { .. }) => style = theme.accent(),
            Event::End(TagEnd::Heading(_)) => {
                style = Style::new();
                flush(&mut current, &mut lines);
            }
            Event::Text(text) if in_code_block => {
                for line in text.lines() {
                    lines.push(Line::from(Span::styled(format!("    {line}"), code_style)));
                }
            }
            Event::Text(text) => current.push(Span::styled(text.into_string(), style)),
            Event::Code(code) => current.push(Span::styled(code.into_string(), code_style)),
            Event::SoftBreak => current.push(Span::raw(" ")),
            Event::HardBreak => flush(&mut current, &mut lines),
            _ => {}
        }
    }
    flush(&mut current, &mut lines);
    // No blank line at the end: the section adds its own.
    while lines.last().is_some_and(|l| l.width() == 0) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &str) -> Vec<String> {
        markdown(body, &Theme::new(false))
            .iter()
            .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn paragraphs_lists_and_code_as_markdown_says() {
        let body = "Первая строка\nвторая `строка`.\n\n    let x = 1;\n\n- пункт\n  продолжение\n- ещё\n\n1. раз\n2. два";
        assert_eq!(
            text(body),
            [
                "Первая строка вторая строка.",
                "",
                "    let x = 1;",
                "",
                "- пункт продолжение",
                "- ещё",
                "",
                "1. раз",
                "2. два",
            ]
        );
    }

    #[test]
    fn inline_code_is_styled_not_backticked() {
        let lines = markdown("see `join_all` and **this**", &Theme::new(true));
        let spans = &lines[0].spans;
        assert!(spans.iter().any(|s| s.content == "join_all" && s.style.fg == Some(Color::LightCyan)));
        assert!(spans.iter().any(|s| s.content == "this" && s.style.add_modifier.contains(Modifier::BOLD)));
        assert!(!lines[0].spans.iter().any(|s| s.content.contains('`')));
    }
}
