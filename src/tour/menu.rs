//! The tour's lesson menu: the course in order, what is done, where to resume.
//!
//! [`Menu`] is plain state: it turns key presses into [`MenuAction`]s and knows nothing about
//! the terminal, the store or the event loop. `impl Widget for &Menu` draws it. The screen, top
//! to bottom: the course title; one line per lesson (a done marker, the number, the title, and
//! `▶ продолжить` at the lesson to resume); the progress count; a notice line; the key bar.
//! As the terminal shrinks, decorations go first; the list scrolls to keep the selected lesson
//! visible.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::progress::{Progress, QuizScore};
use crate::lesson::{Catalog, Lang};
use crate::ui::theme::Theme;

/// The lesson menu's state.
#[derive(Clone, Debug)]
pub struct Menu {
    /// The lessons, in course order.
    entries: Vec<Entry>,
    /// Index of the highlighted lesson.
    selected: usize,
    /// Index of the lesson to resume at.
    resume: usize,
    /// The line shown under the list, if any.
    notice: Option<String>,
    /// `r` was pressed: the next key answers "reset progress? y/n".
    confirming_reset: bool,
    /// The digits typed so far, while they may still grow into a lesson's number (`1`, `12`).
    typed: String,
    lang: Lang,
    /// False when the user set `NO_COLOR`: modifiers only.
    theme: Theme,
}

/// One lesson line.
#[derive(Clone, Debug)]
struct Entry {
    /// 1-based place in the course.
    number: usize,
    id: String,
    title: String,
    done: bool,
    /// The best quiz result, once the lesson's quiz was answered.
    score: Option<QuizScore>,
}

/// What the UI should do after a key press.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MenuAction {
    /// Nothing beyond redrawing.
    None,
    /// Open the lesson with this id.
    Open(String),
    /// The learner confirmed: forget all progress (then call [`Menu::refresh`]).
    ResetProgress,
    /// Leave the tour.
    Quit,
}

impl Menu {
    /// The menu for `catalog`, with done markers from `progress`.
    /// Selected starts at `progress.resume_index(catalog)`.
    pub fn new(catalog: &Catalog, lang: Lang, progress: &Progress, theme: Theme) -> Menu {
        let entries = catalog
            .lessons
            .iter()
            .enumerate()
            .map(|(i, lesson)| Entry {
                number: i + 1,
                id: lesson.id().to_owned(),
                title: lesson.title.get(lang).to_owned(),
                done: progress.is_done(lesson.id()),
                score: progress.quiz.get(lesson.id()).copied(),
            })
            .collect();
        let mut menu = Menu {
            entries,
            selected: 0,
            resume: 0,
            notice: None,
            confirming_reset: false,
            typed: String::new(),
            lang,
            theme,
        };
        menu.refresh(progress);
        menu
    }

    /// Handles one key press; key releases are ignored.
    pub fn handle_key(&mut self, key: KeyEvent) -> MenuAction {
        if key.kind == KeyEventKind::Release {
            return MenuAction::None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return MenuAction::Quit;
        }
        if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
            return MenuAction::None;
        }
        // A notice is news about the last thing that happened; the next key clears it.
        self.notice = None;
        let code = crate::ui::keys::latin(key.code);
        if self.confirming_reset {
            self.confirming_reset = false;
            if code == KeyCode::Char('y') {
                return MenuAction::ResetProgress;
            }
            self.notice = Some(self.lang.pick("сброс отменён", "reset cancelled").to_owned());
            return MenuAction::None;
        }
        let last = self.entries.len().saturating_sub(1);
        let KeyCode::Char(digit @ '0'..='9') = code else {
            self.typed.clear();
            return self.handle_other(code, last);
        };
        // Numbers of one or two digits: `1` selects lesson 1, `1` then `2` lesson 12.
        let count = self.entries.len();
        let number = |typed: &str| typed.parse::<usize>().ok().filter(|n| (1..=count).contains(n));
        self.typed.push(digit);
        if number(&self.typed).is_none() {
            self.typed = digit.to_string();
        }
        if let Some(n) = number(&self.typed) {
            self.selected = n - 1;
        }
        // Nothing can follow once no longer number starts with what was typed.
        if self.typed.parse::<usize>().map_or(true, |n| n * 10 > count) {
            self.typed.clear();
        }
        MenuAction::None
    }

    fn handle_other(&mut self, code: KeyCode, last: usize) -> MenuAction {
        match code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') if !self.entries.is_empty() => {
                return MenuAction::Open(self.selected_id().to_owned());
            }
            KeyCode::Char('r') => {
                self.confirming_reset = true;
                self.notice =
                    Some(self.lang.pick("сбросить прогресс? y/n", "reset progress? y/n").to_owned());
            }
            KeyCode::Char('q') | KeyCode::Esc => return MenuAction::Quit,
            _ => {}
        }
        MenuAction::None
    }

    /// After the UI reset progress or finished a lesson: refresh the done markers, and move the
    /// resume marker and the selection to the lesson to resume at.
    pub fn refresh(&mut self, progress: &Progress) {
        for entry in &mut self.entries {
            entry.done = progress.is_done(&entry.id);
            entry.score = progress.quiz.get(&entry.id).copied();
        }
        let ids: Vec<&str> = self.entries.iter().map(|entry| entry.id.as_str()).collect();
        self.resume = progress.resume_index_among(&ids);
        self.selected = self.resume;
    }

    /// Shows one line of text under the list (replacing any other); the next key clears it.
    pub fn set_notice(&mut self, text: String) {
        self.notice = Some(text);
    }

    /// The id of the highlighted lesson (empty if the catalog has no lessons).
    pub fn selected_id(&self) -> &str {
        self.entries.get(self.selected).map_or("", |entry| &entry.id)
    }

    /// `style` with the foreground colour `color`, unless colours are off.
    fn paint(&self, style: Style, color: Color) -> Style {
        self.theme.paint(style, color)
    }

    fn count_line(&self) -> Line<'static> {
        let done = self.entries.iter().filter(|entry| entry.done).count();
        let total = self.entries.len();
        let text = match (done == total && total > 0, self.lang) {
            (true, Lang::Ru) => format!("пройдено {done} из {total}: курс завершён"),
            (false, Lang::Ru) => format!("пройдено {done} из {total}"),
            (true, Lang::En) => format!("{done} of {total} done: course complete"),
            (false, Lang::En) => format!("{done} of {total} done"),
        };
        let style = if done == total && total > 0 {
            self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Green)
        } else {
            Style::new()
        };
        Line::styled(text, style)
    }

    fn notice_line(&self) -> Line<'_> {
        let text = self.notice.as_deref().unwrap_or("");
        if self.confirming_reset {
            Line::styled(text, self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Yellow))
        } else {
            Line::raw(text)
        }
    }

    fn title_line(&self, width: u16) -> Line<'static> {
        let full = self.lang.pick(
            "asyncdemo — курс асинхронного программирования",
            "asyncdemo — a course in asynchronous programming",
        );
        let title = if Line::raw(full).width() <= usize::from(width) { full } else { "asyncdemo" };
        Line::styled(title, self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Cyan))
    }

    /// The key bar: as many hints as fit in `width`, the most needed first, shown in their
    /// usual order.
    fn key_bar(&self, width: u16) -> Line<'static> {
        let say = |ru, en| self.lang.pick(ru, en);
        let digits = match self.entries.len() {
            0 => None,
            1 => Some("1".to_owned()),
            n => Some(format!("1–{n}")),
        };
        // (priority, key, what it does); lower priority numbers are kept longer.
        let hints: Vec<(u8, String, &str)> = if self.confirming_reset {
            vec![(0, "y".into(), say("да, сбросить", "yes, reset")), (1, "n".into(), say("нет", "no"))]
        } else {
            let mut hints =
                vec![(0, "↑↓".into(), say("выбрать", "select")), (1, "Enter".into(), say("открыть", "open"))];
            hints.extend(digits.map(|digits| (4, digits, say("урок по номеру", "lesson by number"))));
            hints.extend([
                (3, "r".into(), say("сбросить прогресс", "reset progress")),
                (2, "q".into(), say("выйти", "quit")),
            ]);
            hints
        };
        let hint_width = |(_, key, what): &(u8, String, &str)| Line::raw(format!("{key} {what}")).width();
        let mut by_priority: Vec<usize> = (0..hints.len()).collect();
        by_priority.sort_by_key(|&i| hints[i].0);
        let mut shown = vec![false; hints.len()];
        let mut used = 0;
        for i in by_priority {
            let needed = hint_width(&hints[i]) + if used == 0 { 0 } else { 2 };
            if used + needed > usize::from(width) {
                break;
            }
            used += needed;
            shown[i] = true;
        }
        let key_style = self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Cyan);
        let mut spans = Vec::new();
        for (hint, _) in hints.into_iter().zip(shown).filter(|(_, shown)| *shown) {
            let (_, key, what) = hint;
            if !spans.is_empty() {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(key, key_style));
            spans.push(Span::raw(format!(" {what}")));
        }
        Line::from(spans)
    }

    /// One lesson's line, fitted into `width` columns.
    fn entry_line(&self, index: usize, width: u16) -> Line<'_> {
        let entry = &self.entries[index];
        let width = usize::from(width);
        let is_resume = index == self.resume;
        let resume_style = self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Yellow);
        let number_width = self.entries.len().to_string().len();
        // The cursor is `▸` (and the line reversed); the lesson to resume is labelled in words.
        let mut spans = vec![
            if index == self.selected { Span::raw("▸ ") } else { Span::raw("  ") },
            if entry.done {
                Span::styled("✓ ", self.paint(Style::new(), Color::Green))
            } else {
                Span::styled("· ", Style::new().add_modifier(Modifier::DIM))
            },
            // Numbers are ASCII digits: padding them by characters is padding them by columns.
            Span::raw(format!("{:>number_width$}  ", entry.number)),
        ];
        let prefix: usize = spans.iter().map(Span::width).sum();
        // The quiz result, if any, right after the title: "2/3".
        let score = entry.score.map(|s| format!("  {}/{}", s.correct, s.asked)).unwrap_or_default();
        let room = width.saturating_sub(prefix + crate::view::width::width(&score));
        let label = format!("  {}", self.lang.pick("← продолжить здесь", "← resume here"));
        let title_width = Line::raw(entry.title.as_str()).width();
        // The label goes where it still leaves a useful part of the title.
        let label_fits = is_resume && room >= Line::raw(label.as_str()).width() + title_width.min(12);
        let title_room = if label_fits { room - Line::raw(label.as_str()).width() } else { room };
        spans.push(Span::raw(crate::view::width::fit(&entry.title, title_room)));
        if !score.is_empty() {
            spans.push(Span::styled(score, Style::new().add_modifier(Modifier::DIM)));
        }
        if label_fits {
            spans.push(Span::styled(label, resume_style));
        }
        Line::from(spans)
    }
}

impl Widget for &Menu {
    fn render(self, area: Rect, buf: &mut Buffer) {
        // Margins are a decoration: only where there is room for them.
        let area = if area.width >= 24 && area.height >= 8 {
            Rect { x: area.x + 1, width: area.width - 2, ..area }
        } else {
            area
        };
        if area.is_empty() {
            return;
        }
        let parts = Parts::fitting(area.height, self.entries.len());
        let mut y = area.y;
        let mut row = |height: u16| {
            let rect = Rect { y, height, ..area };
            y += height;
            rect
        };
        if parts.title {
            self.title_line(area.width).render(row(1), buf);
        }
        row(u16::from(parts.gap_above));
        let list = row(parts.list_rows);
        self.render_list(list, buf);
        row(u16::from(parts.gap_below));
        if parts.count {
            self.count_line().render(row(1), buf);
        }
        if parts.notice {
            self.notice_line().render(row(1), buf);
        }
        if parts.keys {
            let bottom = Rect { y: area.bottom() - 1, height: 1, ..area };
            self.key_bar(area.width).render(bottom, buf);
        }
    }
}

impl Menu {
    /// The lesson lines, scrolled so that the selected one is visible.
    fn render_list(&self, area: Rect, buf: &mut Buffer) {
        let rows = usize::from(area.height);
        if rows == 0 {
            return;
        }
        let first = (self.selected + 1).saturating_sub(rows);
        for (offset, index) in (first..self.entries.len()).take(rows).enumerate() {
            // `offset < rows <= u16::MAX`.
            let rect = Rect { y: area.y + offset as u16, height: 1, ..area };
            self.entry_line(index, area.width).render(rect, buf);
            if index == self.selected {
                buf.set_style(rect, Style::new().add_modifier(Modifier::REVERSED));
            }
        }
    }
}

/// Switches one part of the screen off.
type DropPart = fn(&mut Parts);

/// Which parts of the screen fit, and how many lesson lines.
#[derive(Debug)]
struct Parts {
    title: bool,
    gap_above: bool,
    list_rows: u16,
    gap_below: bool,
    count: bool,
    notice: bool,
    keys: bool,
}

impl Parts {
    /// Drops decorations, least useful first, until the list gets a few lines (or all of it).
    fn fitting(height: u16, lessons: usize) -> Parts {
        let mut parts = Parts {
            title: true,
            gap_above: true,
            list_rows: 0,
            gap_below: true,
            count: true,
            notice: true,
            keys: true,
        };
        let all = u16::try_from(lessons).unwrap_or(u16::MAX);
        // Blank lines give way to any lesson line; the rest only to keep a few lesson lines.
        let few = all.clamp(1, 3);
        let fixed = |p: &Parts| {
            [p.title, p.gap_above, p.gap_below, p.count, p.notice, p.keys].iter().filter(|on| **on).count()
                as u16
        };
        let drops: [(u16, DropPart); 6] = [
            (all, |p| p.gap_below = false),
            (all, |p| p.gap_above = false),
            (few, |p| p.count = false),
            (few, |p| p.notice = false),
            (few, |p| p.title = false),
            (few, |p| p.keys = false),
        ];
        for (wanted, drop) in drops {
            if fixed(&parts).saturating_add(wanted) > height {
                drop(&mut parts);
            }
        }
        parts.list_rows = height.saturating_sub(fixed(&parts)).min(all);
        parts
    }
}
