//! The bottom line: the main keys (as many as fit, the most wanted first, help and quit always),
//! the line being typed, or a notice.

use crate::view::width;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::ui::app::{App, Prompt};
use crate::ui::classroom::{Following, Link, Role, link_text};
use crate::ui::keys::BINDINGS;

pub struct KeyBar<'a>(pub &'a App);

impl Widget for KeyBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let line = match (&app.prompt, &app.notice) {
            (Some(Prompt::Filter), _) => Line::from(vec![
                Span::styled(
                    format!(" {} /", app.lang.pick("фильтр:", "filter:").to_owned()),
                    theme.accent(),
                ),
                Span::raw(format!("{}▏", app.view.filter)),
                Span::styled(
                    app.lang.pick("  Enter — готово, Esc — сбросить", "  Enter done, Esc clears").to_owned(),
                    theme.dim(),
                ),
            ]),
            (Some(Prompt::GoTo(typed)), _) => Line::from(vec![
                Span::styled(
                    format!(" {} t = ", app.lang.pick("перейти ко времени:", "go to time:").to_owned()),
                    theme.accent(),
                ),
                Span::raw(format!("{typed}▏")),
                Span::styled(
                    app.lang
                        .pick(" с   Enter — перейти, Esc — отмена", " s   Enter goes, Esc cancels")
                        .to_owned(),
                    theme.dim(),
                ),
            ]),
            (None, Some(notice)) => Line::from(Span::styled(format!(" {notice}"), theme.warning())),
            // A follower without its presenter says so until it is back.
            (None, None) if let Some(Following { link: link @ Link::Lost { .. }, .. }) = app.following() => {
                Line::from(Span::styled(format!(" ⚠ {}", link_text(link, app.lang)), theme.warning()))
            }
            (None, None) => Line::from(keys(app, area.width as usize)),
        };
        Paragraph::new(line).render(area, buf);
    }
}

/// As many keys as fit in `width`, in the table's order, dropping the least wanted first.
fn keys(app: &App, width: usize) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let mut entries: Vec<(u8, String, String)> = BINDINGS
        .iter()
        .filter_map(|b| b.bar)
        // `p` only where there is another language's code to show.
        .filter(|(_, keys, _, _)| {
            *keys != "p" || !(app.lesson.rust.is_empty() || app.lesson.python.is_empty())
        })
        .map(|(rank, keys, ru, en)| {
            // `p` shows the other language's code.
            let label = match (keys, app.lesson.language) {
                ("p", crate::ui::highlight::Language::Python) => "Rust",
                _ => app.lang.pick(ru, en),
            };
            (rank, format!(" {keys} "), format!("{label} "))
        })
        .collect();
    // The class's keys, after the most wanted.
    match app.class.as_ref().map(|class| &class.role) {
        Some(Role::Presenting { .. }) => {
            entries.insert(1, (1, " a ".into(), app.lang.pick("опрос ", "poll ").to_owned()));
            if app.open_poll().is_some() {
                entries.insert(2, (1, " r ".into(), app.lang.pick("итоги ", "reveal ").to_owned()));
            }
        }
        Some(Role::Following(following)) if following.following => {
            entries.insert(1, (0, " d ".into(), app.lang.pick("смотреть самим ", "explore ").to_owned()));
        }
        Some(Role::Following(_)) => {
            entries.insert(1, (0, " f ".into(), app.lang.pick("за ведущим ", "follow ").to_owned()));
        }
        None => {}
    }
    if app.in_tour {
        // The tour's own keys, before help and quit.
        let at = entries.len().saturating_sub(2);
        entries.insert(at, (1, " m ".into(), app.lang.pick("меню ", "menu ").to_owned()));
        entries.insert(at, (1, " n ".into(), app.lang.pick("след. урок ", "next lesson ").to_owned()));
    }
    let filter = (!app.view.filter.is_empty()).then(|| format!(" /{}", app.view.filter));
    let mut budget = width.saturating_sub(filter.as_ref().map_or(0, |f| width::width(f)));
    let mut keep = vec![false; entries.len()];
    for rank in 0..=u8::MAX {
        let mut any = false;
        for (i, (r, keys, label)) in entries.iter().enumerate() {
            if *r == rank {
                any = true;
                let cost = width::width(keys) + width::width(label);
                if cost <= budget {
                    keep[i] = true;
                    budget -= cost;
                }
            }
        }
        if !any && rank > 8 {
            break;
        }
    }
    let mut spans = Vec::new();
    for ((_, keys, label), kept) in entries.into_iter().zip(keep) {
        if kept {
            spans.push(Span::styled(keys, theme.accent()));
            spans.push(Span::styled(label, theme.dim()));
        }
    }
    if let Some(filter) = filter {
        spans.push(Span::styled(filter, theme.accent()));
    }
    spans
}
