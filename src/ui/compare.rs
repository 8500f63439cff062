//! `asyncdemo compare LESSON`: the lesson's Rust run (tokio) above its Python run (asyncio),
//! each a timeline on one time axis, with one "now" for both: `→` / `←` go to the next or
//! previous moment either run does something, so the places where tokio and asyncio differ
//! show one above the other.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::app::{App, ZOOMS};
use super::keys::latin;
use super::panels::timeline::Timeline;
use super::playback::Jump;
use crate::engine::event::Trace;
use crate::engine::event::VTime;
use crate::view::describe::seconds;

/// Two runs of one lesson, at one moment.
pub struct Compare {
    pub rust: App,
    pub python: App,
    /// Every moment either run does something, in order.
    moments: Vec<VTime>,
    /// Where "now" is: an index into `moments`.
    at: usize,
}

/// What a key asks of the compare screen.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CompareAction {
    None,
    Quit,
}

impl Compare {
    /// `rust` and `python`: views of the lesson, each to be fed its whole run.
    pub fn new(mut rust: App, rust_trace: Trace, mut python: App, python_trace: Trace) -> Compare {
        let mut moments: Vec<VTime> =
            rust_trace.events.iter().chain(&python_trace.events).map(|e| e.at).collect();
        moments.push(VTime::ZERO);
        moments.sort();
        moments.dedup();
        for (app, trace) in [(&mut rust, rust_trace), (&mut python, python_trace)] {
            app.show_recorded(trace);
            app.notice = None;
        }
        let mut compare = Compare { rust, python, moments, at: 0 };
        compare.go(0);
        compare
    }

    /// Both runs at moment `index`.
    fn go(&mut self, index: usize) {
        self.at = index.min(self.moments.len().saturating_sub(1));
        let at = self.moments[self.at];
        for app in [&mut self.rust, &mut self.python] {
            app.jump(Jump::Time(at));
        }
    }

    /// The one scale for both timelines: the widest of the two that fit their whole runs.
    fn zoom(&mut self) {
        if self.rust.view.zoom.is_none() {
            let zoom = self.rust.zoom().max(self.python.zoom());
            self.rust.view.zoom = Some(zoom);
            self.python.view.zoom = Some(zoom);
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> CompareAction {
        if key.kind == KeyEventKind::Release {
            return CompareAction::None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match latin(key.code) {
            KeyCode::Char('c' | 'd') if ctrl => return CompareAction::Quit,
            KeyCode::Char('q') | KeyCode::Esc => return CompareAction::Quit,
            KeyCode::Right | KeyCode::Char('l' | ' ' | '>' | '.') | KeyCode::PageDown => self.go(self.at + 1),
            KeyCode::Left | KeyCode::Char('h' | '<' | ',') | KeyCode::PageUp => {
                self.go(self.at.saturating_sub(1))
            }
            KeyCode::Home => self.go(0),
            KeyCode::End | KeyCode::Char('G') => self.go(usize::MAX),
            KeyCode::Char('z') => {
                self.zoom();
                for app in [&mut self.rust, &mut self.python] {
                    app.view.zoom = app.view.zoom.map(|z| z.saturating_sub(1));
                }
            }
            KeyCode::Char('x') => {
                self.zoom();
                for app in [&mut self.rust, &mut self.python] {
                    app.view.zoom = app.view.zoom.map(|z| (z + 1).min(ZOOMS.len() - 1));
                }
            }
            _ => {}
        }
        CompareAction::None
    }

    /// The terminal's size, for the timelines' scale.
    pub fn resize(&mut self, area: Rect) {
        let size = Rect::new(0, 0, area.width, area.height);
        for app in [&mut self.rust, &mut self.python] {
            app.resize(size);
        }
        self.zoom();
    }
}

impl Widget for &Compare {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.rust.theme;
        let lang = self.rust.lang;
        let [header, top, bottom, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let now = self.moments.get(self.at).copied().unwrap_or(VTime::ZERO);
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" t = {} ", seconds(now, lang)), theme.accent()),
            Span::styled(format!("│ {}/{} │ ", self.at + 1, self.moments.len()), theme.dim()),
            Span::raw(self.rust.lesson.title.clone()),
        ]))
        .render(header, buf);
        for (app, area, title) in [
            (&self.rust, top, format!(" tokio · {} ", self.rust.lesson.demo_file)),
            (&self.python, bottom, format!(" asyncio · {} ", self.python.lesson.python_file)),
        ] {
            let block = Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(theme.dim())
                .title(Span::styled(title, theme.accent()));
            let inner = block.inner(area);
            block.render(area, buf);
            Timeline(app, 0).render(inner, buf);
        }
        let help = lang.pick(
            " → ← следующий / предыдущий момент любого прогона   Home End   z x масштаб   q выход",
            " → ← next / previous moment of either run   Home End   z x zoom   q quit",
        );
        Paragraph::new(Span::styled(help, theme.dim())).render(keys, buf);
    }
}
