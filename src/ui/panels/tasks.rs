//! The task list: id, name (indented in tree view), state with its symbol, what it waits for
//! or how it ended (wrapped onto a second line when long), and, as width allows, parent, time
//! spent in each state and polls. The task the last event changed is marked `◂`.
//!
//! A `StatefulWidget` over ratatui's `TableState` (selection and scroll); only the rows on
//! screen are built, so 10,000 tasks cost no more than 30.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Row, StatefulWidget, Table, TableState};

use crate::engine::lifecycle::{State, TaskView};
use crate::ui::app::App;
use crate::ui::theme::symbol;
use crate::view::describe::{self, seconds, units};
use crate::view::width;

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

impl StatefulWidget for Tasks<'_> {
    type State = TableState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut TableState) {
        let app = self.0;
        let theme = &app.theme;
        let session = app.session();
        let lifecycle = session.lifecycle();
        let rows = app.rows();
        let height = area.height.saturating_sub(1) as usize;
        let selected = state.selected();
        let offset = scroll_offset(state.offset(), selected, rows.len(), height.max(1));
        *state.offset_mut() = offset;
        let changed = session.last_shown().map(|e| e.task);

        // Columns beyond id, name, state and what the task waits for, as width allows: the
        // parent, then the times (they go first when the panel is narrow).
        let with_parent = area.width >= 84;
        let with_times = area.width >= 104;
        // The name column as wide as the longest name on screen (the tree indents it), at most 16.
        let name_width = rows
            .iter()
            .skip(offset)
            .take(height)
            .map(|row| width::width(&session.tasks[row.task.index()].name) + 2 * row.depth as usize)
            .max()
            .unwrap_or(4)
            .clamp(6, 16) as u16;
        // (The first column is the selection mark `▸`.)
        let fixed = 1
            + 5
            + 1
            + name_width as usize
            + 1
            + 11
            + 1
            + if with_parent { 7 } else { 0 }
            + if with_times { 40 } else { 0 };
        let awaits_width = (area.width as usize).saturating_sub(fixed).max(8);
        let now = session.playhead;
        let mut table_rows = Vec::with_capacity(height);
        let mut used = 0;
        let mut shown_selected = None;
        for (i, row) in rows.iter().enumerate().skip(offset) {
            if used >= height {
                break;
            }
            let meta = &session.tasks[row.task.index()];
            let Some(view) = lifecycle.get(row.task) else { continue };
            let dim = |text: String| Cell::from(Span::styled(text, theme.dim()));
            let mark = if changed == Some(row.task) { "◂" } else { "" };
            let what = describe(app, view);
            // A long "awaits" wraps onto a second line (when there is room for it).
            let lines = if width::width(&what) > awaits_width && used + 2 <= height { 2 } else { 1 };
            let mut cells = vec![
                dim(format!("{}{mark}", meta.id)),
                Cell::from(format!("{}{}", "  ".repeat(row.depth as usize), meta.name)),
                Cell::from(Span::styled(
                    format!("{} {}", symbol(view.state), view.state.name()),
                    theme.state(view.state),
                )),
            ];
            if with_parent {
                cells.push(dim(meta.parent.map_or(String::new(), |p| p.to_string())));
            }
            cells.push(Cell::from(wrap(&what, awaits_width, lines)));
            if with_times {
                for state in [State::Scheduled, State::Running, State::Suspended] {
                    cells.push(dim(seconds(view.time_in(state, now), app.lang)));
                }
                cells.push(dim(view.polls.to_string()));
            }
            let mut table_row = Row::new(cells).height(lines as u16);
            if changed == Some(row.task) {
                table_row = table_row.style(theme.changed());
            }
            if Some(i) == selected {
                shown_selected = Some(table_rows.len());
            }
            table_rows.push(table_row);
            used += lines;
        }

        let mut header = vec![
            "#".to_owned(),
            app.lang.pick("задача", "task").to_owned(),
            app.lang.pick("состояние", "state").to_owned(),
        ];
        let mut widths = vec![Constraint::Length(5), Constraint::Length(name_width), Constraint::Length(11)];
        if with_parent {
            header.push(app.lang.pick("родит.", "parent").to_owned());
            widths.push(Constraint::Length(6));
        }
        header.push(app.lang.pick("ждёт / итог", "awaits / outcome").to_owned());
        widths.push(Constraint::Fill(1));
        if with_times {
            header.extend([
                app.lang.pick("в очереди", "scheduled").to_owned(),
                app.lang.pick("работала", "running").to_owned(),
                app.lang.pick("ждала", "suspended").to_owned(),
                app.lang.pick("опросы", "polls").to_owned(),
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
        // The rows built are the ones on screen: render them from the top, the selection marked
        // by reversed colours and a `▸` in front.
        let mut shown = TableState::default().with_selected(shown_selected);
        StatefulWidget::render(
            Table::new(table_rows, widths)
                .header(header)
                .column_spacing(1)
                .row_highlight_style(theme.selected())
                .highlight_symbol("▸"),
            area,
            buf,
            &mut shown,
        );
    }
}

/// `text` over at most `lines` lines of `width` columns, broken at spaces where it can be (the
/// last line cut with `…`).
fn wrap(text: &str, width: usize, lines: usize) -> Text<'static> {
    let mut out: Vec<String> = vec![String::new()];
    let room = |line: &String| width.saturating_sub(width::width(line));
    for word in text.split_inclusive(' ') {
        let last = out.len() - 1;
        if !out[last].is_empty() && width::width(word.trim_end()) > room(&out[last]) {
            out.push(String::new());
        }
        for c in word.chars() {
            let last = out.len() - 1;
            if unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > room(&out[last]) {
                out.push(String::new());
            }
            out.last_mut().expect("never empty").push(c);
        }
    }
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            *last = width::fit(&format!("{last}…"), width);
        }
    }
    Text::from(out.into_iter().map(Line::raw).collect::<Vec<_>>())
}

/// What a task waits for, or how it ended; a cancel asked and not landed yet comes first, and
/// the last thing asyncio warned about the task (a Python run) first of all.
fn describe(app: &App, view: &TaskView) -> String {
    let what = state_detail(app, view);
    let session = app.session();
    let warned =
        session.events_of(view.meta.id).iter().rev().find_map(|&i| match &session.events[i as usize].kind {
            crate::engine::event::EventKind::Warning { what, text } => {
                Some(describe::warning(*what, text, app.lang))
            }
            _ => None,
        });
    let what = match warned {
        Some(warning) => format!("{warning}; {what}"),
        None => what,
    };
    match (view.state, view.cancel) {
        (State::Cancelled, Some(by)) => format!("{}: {what}", app.canceller(by)),
        (state, Some(by)) if !state.is_terminal() => {
            format!(
                "⊘? {} {}; {what}",
                app.lang.pick("отмена запрошена:", "cancel asked:").to_owned(),
                app.canceller(by)
            )
        }
        _ => what,
    }
}

fn state_detail(app: &App, view: &TaskView) -> String {
    let line =
        |line: Option<crate::engine::event::SourceLine>| line.map_or(String::new(), |l| format!("  :{l}"));
    match view.state {
        State::Suspended => match &view.awaits {
            Some((awaits, at)) => format!("{}{}", units(&awaits.to_string(), app.lang), line(*at)),
            None => String::new(),
        },
        State::Scheduled => app.lang.pick("в очереди готовых", "in the ready queue").to_owned(),
        State::Running => app.lang.pick("выполняется", "running").to_owned(),
        State::Created => String::new(),
        State::Done => format!("→ {}", view.outcome.as_deref().unwrap_or("")),
        State::Failed => format!("✗ {}", view.outcome.as_deref().unwrap_or("")),
        State::Cancelled => match &view.awaits {
            Some((awaits, _)) => {
                let awaits = units(&awaits.to_string(), app.lang);
                format!(
                    "{} {awaits}",
                    app.lang.pick("отменена, ждала", "cancelled while awaiting").to_owned()
                )
            }
            // Python: cancelling throws CancelledError into the coroutine, whose step ends it.
            None if view.polls > 0 => app
                .lang
                .pick("отменена: CancelledError в её шаге", "cancelled: CancelledError in its step")
                .to_owned(),
            None => app.lang.pick("отменена до запуска", "cancelled before it ran").to_owned(),
        },
    }
}
