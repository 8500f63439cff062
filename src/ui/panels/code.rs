//! The code: the code of the run (the Rust demo, or the Python program of a Python run), with
//! the number of tasks suspended at each line in the gutter and the selected task's line marked
//! `▶` (where it waits, or where it runs on from; a task that has not reached an `await` yet:
//! its function); or (`p`) the other language, following the same task through the lesson's
//! regions (`┃` marks the matching part). `{` `}` scroll.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::engine::lifecycle::State;
use crate::lesson::regions;
use crate::ui::app::{App, Code as Shown};
use crate::ui::highlight::Language;
use crate::ui::theme::symbol;

pub struct Code<'a>(pub &'a App);

/// The selected task's line in the code of the run.
fn run_line(app: &App) -> Option<usize> {
    let task = app.view.selected.and_then(|task| app.session().lifecycle().get(task));
    match task {
        Some(task) => task.line.map(|l| l as usize).or_else(|| app.lesson.function_line(&task.meta.name)),
        // Before anything runs: where the demo starts.
        None => app.lesson.function_line("main"),
    }
}

impl Widget for Code<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let height = area.height as usize;
        let run_line = run_line(app);
        let lesson = &app.lesson;
        let shown = match app.view.code {
            Shown::Rust => Language::Rust,
            Shown::Python => Language::Python,
        };
        let code = |language| match language {
            Language::Rust => &lesson.rust,
            Language::Python => &lesson.python,
        };
        let regions_of = |language| match language {
            Language::Rust => &lesson.rust_regions,
            Language::Python => &lesson.python_regions,
        };
        let in_run = shown == lesson.language;
        let (source, focus, marked) = if in_run {
            (code(shown), run_line, None)
        } else {
            // The other language's region with the name of the innermost region of the run's
            // code around the line.
            let region = run_line
                .and_then(|line| regions::innermost(regions_of(lesson.language), line))
                .and_then(|run| regions_of(shown).iter().find(|r| r.name == run.name));
            (code(shown), region.map(|r| r.first), region.map(|r| r.first..=r.last))
        };

        // Lines (1-based) where tasks are suspended now.
        let mut suspended: HashMap<u32, usize> = HashMap::new();
        if in_run {
            for task in &app.session().lifecycle().tasks {
                if let (State::Suspended, Some((_, Some(line)))) = (task.state, &task.awaits) {
                    *suspended.entry(*line).or_default() += 1;
                }
            }
        }

        // Keep the focus line in view, a third of the way down; then the user's scroll.
        let follow = focus.map_or(0, |line| line.saturating_sub(height / 3 + 1));
        let last_top = source.len().saturating_sub(height.max(1)) as i64;
        let top = (follow as i64 + app.view.code_scroll as i64).clamp(0, last_top.max(0)) as usize;
        let width = source.len().to_string().len();
        let lines: Vec<Line> = source
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, code)| {
                let number = i + 1;
                let is_focus = in_run && focus == Some(number);
                let in_region = marked.as_ref().is_some_and(|r| r.contains(&number));
                // `‖` for one task suspended here, `‖12` for twelve; five columns in all.
                let style = theme.state(State::Suspended);
                let marker = match suspended.get(&(number as u32)) {
                    _ if is_focus => Span::styled("▶    ", theme.accent()),
                    _ if in_region => Span::styled("┃    ", theme.accent()),
                    Some(1) => Span::styled(format!("{:<5}", symbol(State::Suspended)), style),
                    Some(n) => {
                        Span::styled(format!("{}{:<4}", symbol(State::Suspended), (*n).min(9999)), style)
                    }
                    None => Span::raw("     "),
                };
                let mut spans = vec![Span::styled(format!("{number:>width$} "), theme.dim()), marker];
                spans.extend(code.spans.iter().cloned());
                let line = Line::from(spans);
                if is_focus { line.style(theme.now()) } else { line }
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}
