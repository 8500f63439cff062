//! `?`: every key, every state, and every mark on screen; scrolls (↑ ↓) when the window is
//! short.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use super::timeline::POLL_TICK;
use crate::engine::lifecycle::State;
use crate::lesson::Lang;
use crate::ui::app::App;
use crate::ui::keys::BINDINGS;
use crate::ui::theme::{symbol, timeline_fill};
use crate::view::describe::russian_name;

pub struct Help<'a>(pub &'a App);

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let lang = app.lang;
        let heading = |text: String| Line::from(Span::styled(text, theme.accent()));
        // The keys' column as wide as the widest keys (`q Ctrl-C Ctrl-D`).
        let column = BINDINGS.iter().map(|b| b.shown().chars().count()).max().unwrap_or(10).max(10);
        let row = |keys: &str, what: String| {
            Line::from(vec![Span::styled(format!("{keys:>column$}  "), theme.accent()), Span::raw(what)])
        };
        let mut lines = vec![heading(lang.pick("Клавиши", "Keys").to_owned())];
        for binding in BINDINGS {
            lines.push(row(&binding.shown(), lang.pick(binding.ru, binding.en).to_owned()));
        }
        lines.push(Line::raw(""));
        lines.push(heading(lang.pick("Состояния задач", "Task states").to_owned()));
        for state in State::ALL {
            let mut spans = vec![Span::styled(
                format!("{:>column$}  {} ", symbol(state), state.name()),
                theme.state(state),
            )];
            if lang == Lang::Ru {
                spans.push(Span::styled(format!("— {}", russian_name(state)), theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
        lines.push(heading(lang.pick("Значки на экране", "Marks on screen").to_owned()));
        let marks: [(&str, &str, &str); 12] = [
            (":27", "строка кода, где задача ждёт", "the code line where the task waits"),
            (
                "‖3",
                "в коде: столько задач ждут на этой строке",
                "in the code: this many tasks wait at this line",
            ),
            ("▶", "в коде: строка выбранной задачи", "in the code: the selected task's line"),
            (
                "┃",
                "в Python: часть, что соответствует строке Rust",
                "in Python: the part matching the Rust line",
            ),
            ("◂", "задача, которую изменило последнее событие", "the task the last event changed"),
            ("▸", "выбранная задача", "the selected task"),
            (timeline_fill(State::Scheduled), "шкала: в очереди готовых", "timeline: in the ready queue"),
            (POLL_TICK, "шкала: опрос (без затрат времени)", "timeline: a poll (taking no time)"),
            (
                timeline_fill(State::Running),
                "шкала: опрос, что держит поток, пока идут часы",
                "timeline: a poll holding the thread while the clock runs",
            ),
            (timeline_fill(State::Suspended), "шкала: ждёт", "timeline: suspended"),
            ("┊", "шкала: деление (подпись — время)", "timeline: a tick of the axis"),
            ("✓ ⊘ ✗", "шкала: конец задачи", "timeline: where the task ended"),
        ];
        for (mark, ru, en) in marks {
            lines.push(row(mark, lang.pick(ru, en).to_owned()));
        }
        lines.push(row(
            "⚠",
            lang.pick(
                "цикл занят: задача не отдаёт управление, таймеры опаздывают",
                "loop busy: a task holds the thread, timers come late",
            )
            .to_owned(),
        ));
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            lang.pick(
                "↑ ↓ — листать, любая другая клавиша закрывает справку.",
                "↑ ↓ scroll; any other key closes this help.",
            )
            .to_owned(),
            theme.dim(),
        )));
        let height = (lines.len() as u16 + 2).min(area.height);
        let width = 76.min(area.width);
        let [area] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [area] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(area);
        Clear.render(area, buf);
        let title = lang
            .pick(" ? справка · ↑ ↓ листать · Esc закрыть ", " ? help · ↑ ↓ scroll · Esc closes ")
            .to_owned();
        let block =
            Block::bordered().border_type(BorderType::Rounded).border_style(theme.accent()).title(title);
        let inner_height = area.height.saturating_sub(2) as usize;
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let total = paragraph.line_count(area.width.saturating_sub(2));
        let scroll = (app.view.help_scroll as usize).min(total.saturating_sub(inner_height)) as u16;
        paragraph.block(block).scroll((scroll, 0)).render(area, buf);
    }
}
