//! The lesson text, in the chosen language, scrollable; where it is shows in the title.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::ui::app::App;
use crate::ui::lesson_text;

pub struct Text<'a>(pub &'a App);

impl Widget for Text<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        lesson_text::paragraph(lesson_text::lines(&app.lesson.sections, &app.theme))
            .scroll((app.view.text_scroll, 0))
            .render(area, buf);
    }
}
