//! The bottom line: the main keys, the filter being typed, or a notice.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::pick;
use crate::lesson::Lang;
use crate::ui::app::App;
use crate::ui::keys::BINDINGS;

pub struct KeyBar<'a>(pub &'a App);

impl Widget for KeyBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let line = if app.filtering {
            Line::from(vec![
                Span::styled(format!(" {} /", pick(app.lang, "фильтр:", "filter:")), theme.accent()),
                Span::raw(format!("{}▏", app.filter)),
                Span::styled(
                    pick(app.lang, "  Enter — готово, Esc — сбросить", "  Enter done, Esc clears"),
                    theme.dim(),
                ),
            ])
        } else if let Some(notice) = &app.notice {
            Line::from(Span::styled(format!(" {notice}"), theme.warning()))
        } else {
            let mut spans = Vec::new();
            for binding in BINDINGS {
                let Some((keys, ru, en)) = binding.bar else { continue };
                let short = match app.lang {
                    Lang::Ru => ru,
                    Lang::En => en,
                };
                spans.push(Span::styled(format!(" {keys} "), theme.accent()));
                spans.push(Span::styled(format!("{short} "), theme.dim()));
            }
            if !app.filter.is_empty() {
                spans.push(Span::styled(format!(" /{}", app.filter), theme.accent()));
            }
            Line::from(spans)
        };
        Paragraph::new(line).render(area, buf);
    }
}
