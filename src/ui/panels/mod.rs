//! Rendering: one widget per panel, each reading the app. Nothing here changes the app; the
//! task list is a `StatefulWidget` over ratatui's `TableState`, the one piece of render state.

mod code;
mod event_loop;
mod header;
mod help;
mod keybar;
mod last_event;
mod log;
mod notes;
mod output;
mod poll;
mod tasks;
mod text;
pub(super) mod timeline;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, StatefulWidget, TableState, Widget, Wrap};

use super::app::App;
use super::layout::{self, Panel};

impl App {
    /// Draws the whole view into a frame.
    pub fn draw(&mut self, frame: &mut Frame) {
        self.resize(frame.area());
        let mut table = std::mem::take(&mut self.tasks_table);
        render(self, &mut table, frame.area(), frame.buffer_mut());
        self.tasks_table = table;
    }
}

/// Renders the view; `table` is the task list's scroll state.
pub fn render(app: &App, table: &mut TableState, area: Rect, buf: &mut Buffer) {
    let areas = layout::areas(area, &app.view);
    if areas.too_small {
        let message = app
            .lang
            .pick(
                &format!(
                    "окно слишком маленькое: нужно хотя бы {}×{}",
                    layout::MIN_WIDTH,
                    layout::MIN_HEIGHT
                ),
                &format!("window too small: at least {}×{}", layout::MIN_WIDTH, layout::MIN_HEIGHT),
            )
            .to_owned();
        Paragraph::new(message).wrap(Wrap { trim: true }).render(area, buf);
        return;
    }
    header::Header(app).render(areas.header, buf);
    last_event::LastEvent(app).render(areas.last_event, buf);
    for (panel, rect, swappable) in &areas.panels {
        let block = panel_block(app, *panel, *swappable, *rect);
        let inner = block.inner(*rect);
        block.render(*rect, buf);
        match panel {
            Panel::Tasks => tasks::Tasks(app).render(inner, buf, table),
            Panel::Timeline => timeline::Timeline(app, table.offset()).render(inner, buf),
            Panel::EventLoop => event_loop::EventLoop(app).render(inner, buf),
            Panel::Code => code::Code(app).render(inner, buf),
            Panel::Text => text::Text(app).render(inner, buf),
            Panel::Output => output::Output(app).render(inner, buf),
            Panel::Log => log::Log(app).render(inner, buf),
            Panel::Notes => notes::Notes(app).render(inner, buf),
        }
    }
    keybar::KeyBar(app).render(areas.keybar, buf);
    poll::Poll(app).render(area, buf);
    if app.view.help {
        help::Help(app).render(area, buf);
    }
}

/// A panel's name.
fn panel_name(app: &App, panel: Panel) -> String {
    match panel {
        Panel::Tasks => app.lang.pick("Задачи", "Tasks").to_owned(),
        Panel::Timeline => app.lang.pick("Шкала времени", "Timeline").to_owned(),
        Panel::EventLoop => app.lang.pick("Цикл событий", "Event loop").to_owned(),
        Panel::Code => match app.view.code {
            super::app::Code::Rust => format!("Rust · {}", app.lesson.demo_file),
            super::app::Code::Python if app.lesson.language == super::highlight::Language::Python => {
                format!("Python · {}", app.lesson.python_file)
            }
            super::app::Code::Python => app.lang.pick("Python: оригинал", "Python: the original").to_owned(),
        },
        Panel::Text => app.lang.pick("Урок", "Lesson").to_owned(),
        Panel::Output => app.lang.pick("Вывод", "Output").to_owned(),
        Panel::Log => app.lang.pick("Журнал событий", "Event log").to_owned(),
        Panel::Notes => app.lang.pick("Заметки ведущего", "Presenter's notes").to_owned(),
    }
}

/// A panel's frame and title; the swappable slot names the panel `Tab` brings next, the focused
/// panel has a bright border, the lesson text says where it is.
fn panel_block(app: &App, panel: Panel, swappable: bool, rect: Rect) -> Block<'static> {
    let focused = panel == app.view.panel;
    let mut title = panel_name(app, panel);
    if panel == Panel::Text {
        let total = app.text_rows(rect.width.saturating_sub(2));
        let height = rect.height.saturating_sub(2) as usize;
        let top = app.view.text_scroll as usize;
        if total > height {
            title.push_str(&format!(" · {}–{}/{} [ ]", top + 1, (top + height).min(total), total));
        }
    }
    let mut block = Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Rounded })
        .border_style(if focused { app.theme.accent() } else { app.theme.dim() })
        .title(Span::styled(format!(" {title} "), app.theme.accent()));
    if swappable {
        let next = panel_name(app, app.next_panel());
        let hint = if app.view.maximized {
            format!(" F ↙  Tab → {next} ")
        } else {
            format!(" F ↗  Tab → {next} ")
        };
        block = block.title(Line::from(Span::styled(hint, app.theme.dim())).alignment(Alignment::Right));
    }
    block
}
