//! The task list: id, name (indented in tree view), state with its symbol, what it waits for
//! or how it ended, and, as width allows, time spent in each state, polls and parent.
//!
//! Only the rows on screen are built, so 10,000 tasks cost no more than 30.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, Widget};

use super::pick;
use crate::engine::lifecycle::{State, TaskView};
use crate::ui::app::App;
use crate::ui::theme::symbol;

pub struct Tasks<'a>(pub &'a App);

/// The first row to show so that `selected` is on screen, moving as little as possible.
pub fn scroll_offset(previous: usize, selected: Option<usize>, rows: usize, height: usize) -> usize {
    let mut offset = previous;
    if let Some(selected) = selected {
        if selected < offset {
            offset = selected;
        } else if selected >= offset + height {
            offset = selected + 1 - height;
        }
    }
    offset.min(rows.saturating_sub(height))
}

impl Widget for Tasks<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let session = &app.session;
        let lifecycle = session.lifecycle();
        let rows = app.rows();
        let height = area.height.saturating_sub(1) as usize;
        let selected = app.selected_row();
        let offset = scroll_offset(app.task_offset.get(), selected, rows.len(), height.max(1));
        app.task_offset.set(offset);
        app.task_rows_shown.set(height.max(1));

        // Columns beyond id, name, state and what the task waits for, as width allows.
        let with_parent = area.width >= 90;
        let with_times = area.width >= 100;
        let now = session.playhead;
        let mut table_rows = Vec::with_capacity(height);
        for (i, row) in rows.iter().enumerate().skip(offset).take(height) {
            let meta = &session.tasks[row.task.index()];
            let Some(view) = lifecycle.get(row.task) else { continue };
            let dim = |text: String| Cell::from(Span::styled(text, theme.dim()));
            let mut cells = vec![
                dim(meta.id.to_string()),
                Cell::from(format!("{}{}", "  ".repeat(row.depth as usize), meta.name)),
                Cell::from(Span::styled(
                    format!("{} {}", symbol(view.state), view.state.name()),
                    theme.state(view.state),
                )),
            ];
            if with_parent {
                cells.push(dim(meta.parent.map_or(String::new(), |p| p.to_string())));
            }
            cells.push(Cell::from(describe(app, view)));
            if with_times {
                for state in [State::Scheduled, State::Running, State::Suspended] {
                    cells.push(dim(view.time_in(state, now).to_string()));
                }
                cells.push(dim(view.polls.to_string()));
            }
            let mut table_row = Row::new(cells);
            if Some(i) == selected {
                table_row = table_row.style(theme.selected());
            }
            table_rows.push(table_row);
        }

        let mut header =
            vec!["#".to_owned(), pick(app.lang, "задача", "task"), pick(app.lang, "состояние", "state")];
        let mut widths = vec![Constraint::Length(5), Constraint::Length(16), Constraint::Length(11)];
        if with_parent {
            header.push(pick(app.lang, "родит.", "parent"));
            widths.push(Constraint::Length(6));
        }
        header.push(pick(app.lang, "ждёт / итог", "awaits / outcome"));
        widths.push(Constraint::Fill(1));
        if with_times {
            header.extend([
                pick(app.lang, "в очереди", "scheduled"),
                pick(app.lang, "работала", "running"),
                pick(app.lang, "ждала", "suspended"),
                pick(app.lang, "опросы", "polls"),
            ]);
            widths.extend([
                Constraint::Length(9),
                Constraint::Length(9),
                Constraint::Length(9),
                Constraint::Length(6),
            ]);
        }
        let header =
            Row::new(header.into_iter().map(|h| Cell::from(Line::from(Span::styled(h, theme.dim())))));
        Table::new(table_rows, widths).header(header).column_spacing(1).render(area, buf);
    }
}

/// What a task waits for, or how it ended.
fn describe(app: &App, view: &TaskView) -> String {
    let line =
        |line: Option<crate::engine::event::SourceLine>| line.map_or(String::new(), |l| format!("  :{l}"));
    match view.state {
        State::Suspended => match &view.awaits {
            Some((awaits, at)) => format!("{awaits}{}", line(*at)),
            None => String::new(),
        },
        State::Scheduled => pick(app.lang, "в очереди готовых", "in the ready queue"),
        State::Running => pick(app.lang, "выполняется", "running"),
        State::Created => String::new(),
        State::Done => format!("→ {}", view.outcome.as_deref().unwrap_or("")),
        State::Failed => format!("✗ {}", view.outcome.as_deref().unwrap_or("")),
        State::Cancelled => match &view.awaits {
            Some((awaits, _)) => {
                format!("{} {awaits}", pick(app.lang, "отменена, ждала", "cancelled while awaiting"))
            }
            None => pick(app.lang, "отменена до запуска", "cancelled before it ran"),
        },
    }
}
