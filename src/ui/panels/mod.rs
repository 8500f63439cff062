//! Rendering: `impl Widget for &App`, one widget per panel. Nothing here changes the app
//! (render-time measurements go through `Cell`s).

mod code;
mod event_loop;
mod header;
mod help;
mod keybar;
mod output;
mod tasks;
mod text;
mod timeline;

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget, Wrap};

use super::app::App;
use super::layout::{self, Panel};
use crate::lesson::Lang;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let areas = layout::areas(area, self.panel);
        if areas.too_small {
            let message = pick(
                self.lang,
                &format!(
                    "окно слишком маленькое: нужно хотя бы {}×{}",
                    layout::MIN_WIDTH,
                    layout::MIN_HEIGHT
                ),
                &format!("window too small: at least {}×{}", layout::MIN_WIDTH, layout::MIN_HEIGHT),
            );
            Paragraph::new(message).wrap(Wrap { trim: true }).render(area, buf);
            return;
        }
        header::Header(self).render(areas.header, buf);
        for (panel, rect, swappable) in &areas.panels {
            let block = panel_block(self, *panel, *swappable);
            let inner = block.inner(*rect);
            block.render(*rect, buf);
            match panel {
                Panel::Tasks => tasks::Tasks(self).render(inner, buf),
                Panel::Timeline => timeline::Timeline(self).render(inner, buf),
                Panel::EventLoop => event_loop::EventLoop(self).render(inner, buf),
                Panel::Code => code::Code(self).render(inner, buf),
                Panel::Text => text::Text(self).render(inner, buf),
                Panel::Output => output::Output(self).render(inner, buf),
            }
        }
        keybar::KeyBar(self).render(areas.keybar, buf);
        if self.help {
            help::Help(self).render(area, buf);
        }
    }
}

/// A panel's frame and title; the swappable slot says how to swap it.
fn panel_block(app: &App, panel: Panel, swappable: bool) -> Block<'static> {
    let title = match panel {
        Panel::Tasks => pick(app.lang, "Задачи", "Tasks"),
        Panel::Timeline => pick(app.lang, "Шкала времени", "Timeline"),
        Panel::EventLoop => pick(app.lang, "Цикл событий", "Event loop"),
        Panel::Code => match app.code {
            super::app::Code::Rust => format!("Rust · {}", app.lesson.demo_file),
            super::app::Code::Python => pick(app.lang, "Python: оригинал", "Python: the original"),
        },
        Panel::Text => pick(app.lang, "Урок", "Lesson"),
        Panel::Output => pick(app.lang, "Вывод", "Output"),
    };
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(app.theme.dim())
        .title(Span::styled(format!(" {title} "), app.theme.accent()));
    if swappable {
        block = block.title(Line::from(Span::styled(" Tab ⇄ ", app.theme.dim())).alignment(Alignment::Right));
    }
    block
}

/// The text in the view's language.
fn pick(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_owned(),
        Lang::En => en.to_owned(),
    }
}
