//! What the demo printed, as it appears (the newest at the bottom).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::engine::event::EventKind;
use crate::ui::app::App;

pub struct Output<'a>(pub &'a App);

impl Widget for Output<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let session = &app.session;
        let prints = session.shown_prints();
        let shown = &prints[prints.len().saturating_sub(area.height as usize)..];
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
                        format!("{:>9} {} {name} │ ", event.at.to_string(), event.task),
                        app.theme.dim(),
                    ),
                    Span::raw(text.to_owned()),
                ])
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}
