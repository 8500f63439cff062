//! The event loop as the runtime sees it at the cursor: the task running now, the ready queue in
//! the order the tasks will run (first in, first out), the timers by deadline, and every other
//! waiting task with what it waits for.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::engine::event::{Await, VTime};
use crate::engine::lifecycle::{State, TaskView};
use crate::ui::app::App;
use crate::ui::theme::symbol;
use crate::view::describe::{seconds, units};

pub struct EventLoop<'a>(pub &'a App);

impl Widget for EventLoop<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let session = app.session();
        let tasks = &session.lifecycle().tasks;

        let mut running = Vec::new();
        let mut ready = Vec::new();
        let mut timers = Vec::new();
        let mut waiting = Vec::new();
        for task in tasks {
            match task.state {
                State::Running => running.push(task),
                State::Scheduled | State::Created => ready.push(task),
                State::Suspended => {
                    // A task waiting on a timer is in the timers list, at its earliest one.
                    let deadline =
                        task.awaits.iter().flat_map(|(a, _)| a.items()).filter_map(Await::deadline).min();
                    match deadline {
                        Some(until) => timers.push((until, task)),
                        None => waiting.push(task),
                    }
                }
                _ => {}
            }
        }
        ready.sort_by_key(|t| t.entered);
        timers.sort_by_key(|(until, t)| (*until, t.meta.id));

        let name = |t: &TaskView| format!("{} {}", t.meta.id, t.meta.name);
        let budget = area.height as usize;
        let mut lines: Vec<Line> = Vec::new();
        let heading = |text: String, count: usize| {
            Line::from(vec![
                Span::styled(text, theme.accent()),
                Span::styled(format!(" ({count})"), theme.dim()),
            ])
        };

        lines.push(heading(app.lang.pick("выполняется", "running").to_owned(), running.len()));
        for task in &running {
            lines.push(Line::from(Span::styled(
                format!("  {} {}", symbol(State::Running), name(task)),
                theme.state(State::Running),
            )));
        }

        // Share what is left of the height between the three lists, each getting what it needs
        // when it can, so a short list leaves its rows to a long one.
        let rest = budget.saturating_sub(lines.len() + 3);
        let [ready_rows, timer_rows, waiting_rows] = share(rest, [ready.len(), timers.len(), waiting.len()]);

        lines.push(heading(
            app.lang.pick("очередь готовых → по порядку запуска", "ready queue → in run order").to_owned(),
            ready.len(),
        ));
        push_limited(
            &mut lines,
            ready.iter().map(|t| {
                Line::from(Span::styled(format!("  {} {}", symbol(t.state), name(t)), theme.state(t.state)))
            }),
            ready.len(),
            ready_rows,
            app,
        );

        lines.push(heading(
            app.lang.pick("таймеры → по сроку", "timers → by deadline").to_owned(),
            timers.len(),
        ));
        push_limited(
            &mut lines,
            timers.iter().map(|(until, t)| {
                Line::from(vec![
                    Span::styled(
                        format!("  {:>9} ", seconds(*until, app.lang)),
                        theme.state(State::Suspended),
                    ),
                    Span::raw(format!("{} ", name(t))),
                    Span::styled(in_time(*until, session.playhead, app), theme.dim()),
                ])
            }),
            timers.len(),
            timer_rows,
            app,
        );

        lines.push(heading(app.lang.pick("ждут", "waiting").to_owned(), waiting.len()));
        push_limited(
            &mut lines,
            waiting.iter().map(|t| {
                let what = t.awaits.as_ref().map_or(String::new(), |(a, _)| units(&a.to_string(), app.lang));
                Line::from(vec![
                    Span::styled(
                        format!("  {} {} ", symbol(State::Suspended), name(t)),
                        theme.state(State::Suspended),
                    ),
                    Span::styled(what, theme.dim()),
                ])
            }),
            waiting.len(),
            waiting_rows,
            app,
        );

        Paragraph::new(lines).render(area, buf);
    }
}

/// Splits `rows` between lists that need `needs` rows each: in rounds, every list still short
/// gets an equal part of what is left, so no list gets more than it needs while another is cut.
/// Each list gets at least one row (its "… and N more" line) when it has any items.
fn share<const N: usize>(rows: usize, needs: [usize; N]) -> [usize; N] {
    let mut given = needs.map(|need| need.min(1));
    let mut left = rows.saturating_sub(given.iter().sum());
    loop {
        let short = needs.iter().zip(&given).filter(|(need, got)| got < need).count();
        if short == 0 || left == 0 {
            return given;
        }
        let part = (left / short).max(1);
        for (got, need) in given.iter_mut().zip(needs) {
            let add = part.min(need - *got).min(left);
            *got += add;
            left -= add;
        }
    }
}

/// Up to `limit` lines of a list, then "… and N more".
fn push_limited<'a>(
    lines: &mut Vec<Line<'a>>,
    items: impl Iterator<Item = Line<'a>>,
    count: usize,
    limit: usize,
    app: &App,
) {
    let shown = if count > limit { limit.saturating_sub(1) } else { count };
    lines.extend(items.take(shown));
    if count > shown {
        let more = count - shown;
        let text = app.lang.pick(&format!("  … и ещё {more}"), &format!("  … and {more} more")).to_owned();
        lines.push(Line::from(Span::styled(text, app.theme.dim())));
    }
}

/// When a timer is due: "in 0.250 s", or, past its deadline (the loop was busy when it came
/// due), by how much it is late.
fn in_time(until: VTime, now: VTime, app: &App) -> String {
    if until < now {
        let late = seconds(now.since(until), app.lang);
        return app
            .lang
            .pick(
                &format!("(просрочен на {late}: цикл занят)"),
                &format!("(overdue by {late}: the loop is busy)"),
            )
            .to_owned();
    }
    format!("({} {})", app.lang.pick("через", "in").to_owned(), seconds(until.since(now), app.lang))
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn short_lists_leave_their_rows_to_long_ones() {
        assert_eq!(share(5, [1, 2, 0]), [1, 2, 0]);
        assert_eq!(share(5, [0, 2, 10]), [0, 2, 3]);
        assert_eq!(share(6, [10, 10, 10]), [2, 2, 2]);
        assert_eq!(share(7, [10, 1, 10]), [3, 1, 3]);
        // Too little room: every non-empty list still gets its "… and N more" line.
        assert_eq!(share(1, [4, 4, 0]), [1, 1, 0]);
    }
}
