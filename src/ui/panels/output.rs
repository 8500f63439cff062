//! What the demo printed, as it appears (the newest at the bottom, long lines wrapped), and
//! beside it, when there is room, what the Python original prints.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::engine::event::EventKind;
use crate::ui::app::App;
use crate::view::describe::seconds;

pub struct Output<'a>(pub &'a App);

impl Widget for Output<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        // Python's output beside the demo's, or below it in a narrow panel, or not at all in a
        // small one.
        // Beside a Rust run, what the Python original prints; a Python run prints it itself.
        let python_run = app.lesson.language == crate::ui::highlight::Language::Python;
        let (demo, python, beside) = if app.lesson.python_output.is_empty() || python_run {
            (area, None, true)
        } else if area.width >= 70 {
            let [demo, python] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Fill(1)]).areas(area);
            (demo, Some(python), true)
        } else if area.height >= 10 {
            let [demo, python] =
                Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(area);
            (demo, Some(python), false)
        } else {
            (area, None, true)
        };
        let session = app.session();
        let prints = session.shown_prints();
        // Only the last screenful of prints can show (each takes at least a row).
        let shown = &prints[prints.len().saturating_sub(demo.height as usize)..];
        let lines: Vec<Line> = shown
            .iter()
            .map(|&index| {
                let event = &session.events[index as usize];
                let text = match &event.kind {
                    EventKind::Print { text } => &**text,
                    _ => "",
                };
                let name = &session.tasks[event.task.index()].name;
                Line::from(vec![
                    Span::styled(
                        format!("{:>9} {} {name} │ ", seconds(event.at, app.lang), event.task),
                        app.theme.dim(),
                    ),
                    Span::raw(app.lesson.printed(text)),
                ])
            })
            .collect();
        bottom_aligned(lines, demo, buf);
        if let Some(area) = python {
            let block = Block::new()
                .borders(if beside { Borders::LEFT } else { Borders::TOP })
                .border_style(app.theme.dim())
                .title(Span::styled(
                    app.lang.pick(" Python печатает", " Python prints").to_owned(),
                    app.theme.dim(),
                ));
            let inner = block.inner(area);
            block.render(area, buf);
            let lines: Vec<Line> = app.lesson.python_output.iter().map(|l| Line::raw(l.clone())).collect();
            Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
        }
    }
}

/// Wrapped lines, scrolled so the last one is at the bottom.
fn bottom_aligned(lines: Vec<Line<'static>>, area: Rect, buf: &mut Buffer) {
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = paragraph.line_count(area.width.max(1));
    let scroll = total.saturating_sub(area.height as usize) as u16;
    paragraph.scroll((scroll, 0)).render(area, buf);
}
