//! The event log: the transcript around the cursor, the last event shown marked, the ones still
//! to come dimmed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::last_event::describe_event;
use crate::ui::app::App;

pub struct Log<'a>(pub &'a App);

impl Widget for Log<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let session = app.session();
        let height = area.height as usize;
        let cursor = session.cursor();
        // The last event shown two thirds of the way down, what comes next below it.
        let first = cursor.saturating_sub(height * 2 / 3).min(session.events.len().saturating_sub(height));
        let lines: Vec<Line> = session.events[first..]
            .iter()
            .take(height)
            .enumerate()
            .map(|(i, event)| {
                let index = first + i;
                let line = Line::from(describe_event(app, event, false));
                if index + 1 == cursor {
                    line.style(app.theme.selected())
                } else if index >= cursor {
                    line.patch_style(app.theme.dim())
                } else {
                    line.patch_style(Style::new())
                }
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}
