//! The timeline: a row per task (in the task list's order and scroll), virtual time across, each
//! state drawn with its own character and colour, and the "now" column marked.
//!
//! A column covers `ZOOMS[zoom]` seconds (by default the scale that fits the whole run). A
//! poll usually takes no virtual time, so a column in which the task was polled shows a tick
//! `│` whatever else happened in it; a poll that held the thread while the clock moved (a
//! blocking call in a task) is a bar `█`; otherwise a column shows the state the task was in
//! at the column's start.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::engine::event::{EventKind, TaskId, VTime};
use crate::engine::lifecycle::{State, transition};
use crate::ui::app::{App, ZOOMS};
use crate::ui::theme::{symbol, timeline_fill};
use crate::view::describe::seconds;
use crate::view::width;

/// The app, and the task list's first row on screen (the rows line up with it).
pub struct Timeline<'a>(pub &'a App, pub usize);

/// A poll that took no virtual time.
pub const POLL_TICK: &str = "│";

/// Width of the label column (task id and name).
const LABEL: u16 = 14;

impl Widget for Timeline<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        if area.height < 2 || area.width <= LABEL + 4 {
            return;
        }
        let columns = (area.width - LABEL) as u64;
        let scale = VTime::from_duration(std::time::Duration::from_secs_f64(ZOOMS[app.zoom()])).0.max(1);
        let span = columns * scale;
        let now = app.session().playhead.0;
        // Keep "now" in view, at about four fifths of the width once time runs past it.
        let start = now.saturating_sub(span * 4 / 5).min(now);
        let start = if now < span * 4 / 5 { 0 } else { start - start % scale };
        let now_column = ((now - start) / scale) as usize;

        // The time axis.
        let mut axis = String::new();
        let label_every = 10u64;
        let mut column = 0u64;
        while column < columns {
            let label = seconds(VTime(start + column * scale), app.lang);
            if column.is_multiple_of(label_every) && column + width::width(&label) as u64 <= columns {
                axis.push_str(&label);
                column += width::width(&label) as u64;
            } else {
                axis.push(if column.is_multiple_of(label_every) { '┊' } else { ' ' });
                column += 1;
            }
        }
        let mut lines =
            vec![Line::from(vec![Span::raw(" ".repeat(LABEL as usize)), Span::styled(axis, theme.dim())])];

        let rows = app.rows();
        let offset = self.1.min(rows.len());
        let selected = app.view.selected;
        for row in rows.iter().skip(offset).take(area.height as usize - 1) {
            let meta = &app.session().tasks[row.task.index()];
            let label = width::pad(
                &width::fit(&format!("{} {}", meta.id, meta.name), LABEL as usize - 1),
                LABEL as usize,
            );
            let label_style = if selected == Some(row.task) { theme.selected() } else { theme.dim() };
            let mut spans = vec![Span::styled(label, label_style)];
            spans.extend(row_cells(app, row.task, start, scale, columns as usize, now_column));
            lines.push(Line::from(spans));
        }
        Paragraph::new(lines).render(area, buf);
    }
}

/// The cells of one task's row.
fn row_cells(
    app: &App,
    task: TaskId,
    start: u64,
    scale: u64,
    columns: usize,
    now_column: usize,
) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let session = app.session();
    let mut events = session.events_of(task).iter().map(|&i| &session.events[i as usize]).peekable();
    let step = |state: Option<State>, kind: &EventKind| transition(state, kind).ok().flatten().or(state);
    // The task's state when the window starts.
    let mut state = None;
    while let Some(event) = events.next_if(|e| e.at.0 < start) {
        state = step(state, &event.kind);
    }
    let blank = || Span::raw(" ");
    let mut cells = Vec::with_capacity(columns);
    for column in 0..columns {
        if column > now_column {
            cells.push(blank());
            continue;
        }
        let column_end = start + (column as u64 + 1) * scale;
        let at_start = state;
        let mut polled = false;
        while let Some(event) = events.next_if(|e| e.at.0 < column_end) {
            polled |= event.kind == EventKind::Running;
            state = step(state, &event.kind);
        }
        let cell = match (at_start, state) {
            // Not created yet, or ended before this column.
            (None, None) => blank(),
            (Some(before), _) if before.is_terminal() => blank(),
            // Ended in this column: its end mark.
            (_, Some(end)) if end.is_terminal() => Span::styled(symbol(end), theme.state(end)),
            // A poll takes no virtual time; any poll in the column shows.
            // A poll that held the thread while the clock moved is a bar; one that took no
            // virtual time (nearly all do) is a tick.
            (Some(State::Running), _) => {
                Span::styled(timeline_fill(State::Running), theme.state(State::Running))
            }
            _ if polled => Span::styled(POLL_TICK, theme.state(State::Running)),
            (Some(shown), _) | (None, Some(shown)) => Span::styled(timeline_fill(shown), theme.state(shown)),
        };
        cells.push(if column == now_column { cell.patch_style(theme.now()) } else { cell });
    }
    cells
}
