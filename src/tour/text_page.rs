//! The tour's lesson page: the lesson's text, read first, before its quiz and its demo.
//!
//! Scrolls with ↑↓ / PgUp PgDn / Space (and stops at both ends, saying where it is); Enter goes
//! on (to the quiz, or to the demo of a lesson whose quiz is answered), `d` straight to the
//! demo, `q` / Esc back to the menu.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::lesson::{Lang, Lesson};
use crate::ui::lesson_text;
use crate::ui::theme::Theme;

pub struct TextPage {
    title: String,
    sections: Vec<(String, String)>,
    lang: Lang,
    theme: Theme,
    /// Does Enter lead to the quiz (or, with the quiz answered before, to the demo)?
    quiz_next: bool,
    scroll: usize,
    /// The size of the text area (see [`TextPage::resize`]): to scroll by pages and stop at
    /// the end.
    shown: (u16, u16),
}

/// The page's parts: title, text, key bar.
fn areas(area: Rect) -> [Rect; 3] {
    let area = if area.width >= 24 { Rect { x: area.x + 1, width: area.width - 2, ..area } } else { area };
    Layout::vertical([Constraint::Length(2), Constraint::Fill(1), Constraint::Length(1)]).areas(area)
}

/// What the tour should do after a key press.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PageAction {
    None,
    /// Go on: the quiz, or the demo.
    Next,
    /// Straight to the demo.
    Demo,
    /// Back to the menu.
    Menu,
    /// Leave the tour (Ctrl-C).
    Quit,
}

impl TextPage {
    pub fn new(lesson: &Lesson, lang: Lang, theme: Theme, quiz_next: bool) -> TextPage {
        TextPage {
            title: lesson.title.get(lang).to_owned(),
            sections: lesson.text(lang),
            lang,
            theme,
            quiz_next,
            scroll: 0,
            shown: (80, 20),
        }
    }

    /// The terminal is this big now (before each draw).
    pub fn resize(&mut self, area: Rect) {
        let [_, text, _] = areas(area);
        self.shown = (text.width, text.height);
        self.scroll = self.scroll.min(self.last_top());
    }

    fn lines_total(&self) -> usize {
        lesson_text::line_count(&self.sections, self.shown.0)
    }

    fn last_top(&self) -> usize {
        self.lines_total().saturating_sub(self.shown.1 as usize)
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PageAction {
        if key.kind == KeyEventKind::Release {
            return PageAction::None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return PageAction::Quit;
        }
        let page = (self.shown.1 as usize).saturating_sub(2).max(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll += 1,
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll += page,
            KeyCode::Home => self.scroll = 0,
            KeyCode::End => self.scroll = usize::MAX,
            KeyCode::Enter | KeyCode::Right => return PageAction::Next,
            KeyCode::Char('d') => return PageAction::Demo,
            KeyCode::Char('q') | KeyCode::Esc | KeyCode::Char('m') => return PageAction::Menu,
            _ => {}
        }
        self.scroll = self.scroll.min(self.last_top());
        PageAction::None
    }
}

impl Widget for &TextPage {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let [title, text, keys] = areas(area);
        let total = lesson_text::line_count(&self.sections, text.width);
        let top = self.scroll.min(total.saturating_sub(text.height as usize));
        let bottom = (top + text.height as usize).min(total);
        let place = if total > text.height as usize {
            format!("  {}–{bottom} / {total}", top + 1)
        } else {
            String::new()
        };
        Paragraph::new(Line::from(vec![
            Span::styled(self.title.clone(), self.theme.accent()),
            Span::styled(place, self.theme.dim()),
        ]))
        .render(title, buf);
        lesson_text::paragraph(lesson_text::lines(&self.sections, &self.theme))
            .scroll((top as u16, 0))
            .render(text, buf);
        let next = if self.quiz_next {
            self.lang.pick("Enter — вопросы", "Enter: the questions")
        } else {
            self.lang.pick("Enter — демо", "Enter: the demo")
        };
        let more = if bottom < total {
            self.lang.pick("↓ PgDn Пробел — дальше", "↓ PgDn Space: read on")
        } else {
            ""
        };
        let hints = [
            more,
            next,
            self.lang.pick("d — сразу демо", "d: straight to the demo"),
            self.lang.pick("q — меню", "q: menu"),
        ];
        let bar: Vec<Span> = hints
            .iter()
            .filter(|h| !h.is_empty())
            .flat_map(|h| [Span::styled(*h, self.theme.dim()), Span::raw("   ")])
            .collect();
        Paragraph::new(Line::from(bar)).render(keys, buf);
    }
}
