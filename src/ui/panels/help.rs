//! `?`: every key, and what the state names and symbols mean.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use super::pick;
use crate::engine::lifecycle::State;
use crate::lesson::Lang;
use crate::ui::app::App;
use crate::ui::keys::BINDINGS;
use crate::ui::theme::symbol;

pub struct Help<'a>(pub &'a App);

impl Widget for Help<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let mut lines = vec![Line::from(Span::styled(pick(app.lang, "Клавиши", "Keys"), theme.accent()))];
        for binding in BINDINGS {
            let what = match app.lang {
                Lang::Ru => binding.ru,
                Lang::En => binding.en,
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{:>10}  ", binding.keys), theme.accent()),
                Span::raw(what),
            ]));
        }
        lines.push(Line::raw(""));
        lines
            .push(Line::from(Span::styled(pick(app.lang, "Состояния задач", "Task states"), theme.accent())));
        for state in State::ALL {
            let mut spans =
                vec![Span::styled(format!("{:>10}  {} ", symbol(state), state.name()), theme.state(state))];
            if app.lang == Lang::Ru {
                spans.push(Span::styled(format!("— {}", state.russian_name()), theme.dim()));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            pick(app.lang, "Любая клавиша закрывает справку.", "Any key closes this help."),
            theme.dim(),
        )));
        let height = (lines.len() as u16 + 2).min(area.height);
        let width = 64.min(area.width);
        let [area] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [area] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(area);
        Clear.render(area, buf);
        let block =
            Block::bordered().border_type(BorderType::Rounded).border_style(theme.accent()).title(" ? ");
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(block).render(area, buf);
    }
}
