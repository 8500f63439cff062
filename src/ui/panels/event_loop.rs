//! The event loop as the runtime sees it at the cursor: the task running now, the ready queue in
//! the order the tasks will run (first in, first out), the timers by deadline, and every other
//! waiting task with what it waits for.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::pick;
use crate::engine::event::{Await, VTime};
use crate::engine::lifecycle::{State, TaskView};
use crate::ui::app::App;
use crate::ui::theme::symbol;

pub struct EventLoop<'a>(pub &'a App);

impl Widget for EventLoop<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let session = &app.session;
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

        lines.push(heading(pick(app.lang, "выполняется", "running"), running.len()));
        for task in &running {
            lines.push(Line::from(Span::styled(
                format!("  {} {}", symbol(State::Running), name(task)),
                theme.state(State::Running),
            )));
        }

        // Share what is left of the height between the three lists.
        let rest = budget.saturating_sub(lines.len() + 3);
        let each = (rest / 3).max(1);

        lines.push(heading(
            pick(app.lang, "очередь готовых → по порядку запуска", "ready queue → in run order"),
            ready.len(),
        ));
        push_limited(
            &mut lines,
            ready.iter().map(|t| {
                Line::from(Span::styled(format!("  {} {}", symbol(t.state), name(t)), theme.state(t.state)))
            }),
            ready.len(),
            each,
            app,
        );

        lines.push(heading(pick(app.lang, "таймеры → по сроку", "timers → by deadline"), timers.len()));
        push_limited(
            &mut lines,
            timers.iter().map(|(until, t)| {
                Line::from(vec![
                    Span::styled(format!("  {:>9} ", until.to_string()), theme.state(State::Suspended)),
                    Span::raw(format!("{} ", name(t))),
                    Span::styled(in_time(*until, session.playhead, app), theme.dim()),
                ])
            }),
            timers.len(),
            each,
            app,
        );

        lines.push(heading(pick(app.lang, "ждут", "waiting"), waiting.len()));
        push_limited(
            &mut lines,
            waiting.iter().map(|t| {
                let what = t.awaits.as_ref().map_or(String::new(), |(a, _)| a.to_string());
                Line::from(vec![
                    Span::styled(
                        format!("  {} {} ", symbol(State::Suspended), name(t)),
                        theme.state(State::Suspended),
                    ),
                    Span::styled(what, theme.dim()),
                ])
            }),
            waiting.len(),
            each + rest.saturating_sub(each * 3),
            app,
        );

        Paragraph::new(lines).render(area, buf);
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
        let text = pick(app.lang, &format!("  … и ещё {more}"), &format!("  … and {more} more"));
        lines.push(Line::from(Span::styled(text, app.theme.dim())));
    }
}

fn in_time(until: VTime, now: VTime, app: &App) -> String {
    format!("({} {})", pick(app.lang, "через", "in"), until.since(now))
}
