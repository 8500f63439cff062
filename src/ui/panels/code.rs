//! The code: the Rust demo, with the number of tasks suspended at each line in the gutter and
//! the selected task's line highlighted; or (`p`) the Python original.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::engine::lifecycle::State;
use crate::ui::app::{App, Code as Shown};
use crate::ui::theme::symbol;

pub struct Code<'a>(pub &'a App);

impl Widget for Code<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let height = area.height as usize;
        let source = match app.code {
            Shown::Rust => &app.lesson.rust,
            Shown::Python => &app.lesson.python,
        };

        // Lines (1-based) where tasks are suspended now, and the selected task's line.
        let mut suspended: HashMap<u32, usize> = HashMap::new();
        let mut selected_line = None;
        if app.code == Shown::Rust {
            for task in &app.session.lifecycle().tasks {
                let Some((_, Some(line))) = task.awaits else { continue };
                if task.state == State::Suspended {
                    *suspended.entry(line).or_default() += 1;
                }
                if Some(task.meta.id) == app.selected
                    && matches!(task.state, State::Suspended | State::Scheduled | State::Cancelled)
                {
                    selected_line = Some(line as usize);
                }
            }
        }

        // Keep the selected task's line in view, a third of the way down.
        let top = match selected_line {
            Some(line) if line > height / 3 => {
                (line - height / 3 - 1).min(source.len().saturating_sub(height))
            }
            _ => 0,
        };
        let width = source.len().to_string().len();
        let lines: Vec<Line> = source
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, code)| {
                let number = i + 1;
                // `‖` for one task suspended here, `‖12` for twelve; five columns in all.
                let style = theme.state(State::Suspended);
                let marker = match suspended.get(&(number as u32)) {
                    Some(1) => Span::styled(format!("{:<5}", symbol(State::Suspended)), style),
                    Some(n) => {
                        Span::styled(format!("{}{:<4}", symbol(State::Suspended), (*n).min(9999)), style)
                    }
                    None => Span::raw("     "),
                };
                let mut spans = vec![Span::styled(format!("{number:>width$} "), theme.dim()), marker];
                spans.extend(code.spans.iter().cloned());
                let line = Line::from(spans);
                if selected_line == Some(number) { line.style(theme.now()) } else { line }
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}
