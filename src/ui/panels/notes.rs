//! The presenter's notes (`asyncdemo present`): the notes of the guided stop the view is at,
//! what comes next (the next stop, or the next lesson), then the lesson's speaker notes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::ui::app::App;
use crate::ui::classroom::Role;
use crate::ui::lesson_text;

pub struct Notes<'a>(pub &'a App);

impl Widget for Notes<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let lang = app.lang;
        let mut sections: Vec<(String, String)> = Vec::new();
        // How the class joins, first: the presenter reads it out.
        if let Some(Role::Presenting { address, code, followers, .. }) = app.class.as_ref().map(|c| &c.role) {
            let command = match code {
                Some(code) => format!("`asyncdemo follow {address} --code {code}`"),
                None => format!("`asyncdemo follow {address}`"),
            };
            sections.push((
                format!("{} {followers}", lang.pick("Класс · подключено:", "Class · connected:")),
                format!(
                    "{} {command}. {}",
                    lang.pick("Подключиться:", "To join:"),
                    lang.pick("a — опрос по вопросу урока.", "a polls the class on the lesson's quiz.")
                ),
            ));
        }
        if let Some((number, count, stop)) = app.current_stop() {
            let heading = format!("{} {number}/{count}", lang.pick("Остановка", "Stop"));
            let body = match &stop.notes {
                Some(notes) => notes.get(lang).to_owned(),
                None => stop.caption.get(lang).to_owned(),
            };
            sections.push((heading, body));
        }
        let next_stop = app.playback.stop_cursor(app.playback.at_stop().map_or(1, |i| i + 2));
        let next = match (next_stop, app.playback.at_stop()) {
            (Some(_), at) => {
                let index = at.map_or(0, |i| i + 1);
                app.stops.get(index).map(|stop| {
                    format!("{} {}: {}", lang.pick("остановка", "stop"), index + 1, stop.caption.get(lang))
                })
            }
            (None, _) => None,
        };
        let next = next.or_else(|| {
            app.presenter
                .as_ref()?
                .next_lesson
                .as_ref()
                .map(|title| format!("{} {title}", lang.pick("урок", "lesson")))
        });
        if let Some(next) = next {
            sections.push((lang.pick("Дальше", "Next").to_owned(), next));
        }
        // The lesson's notes last: they are the longest, and what is on now comes first.
        if let Some(notes) = &app.lesson.notes {
            sections.push((lang.pick("Урок", "The lesson").to_owned(), notes.clone()));
        }
        if sections.is_empty() {
            sections.push((
                String::new(),
                lang.pick("К этому уроку заметок нет.", "No notes for this lesson.").to_owned(),
            ));
        }
        lesson_text::paragraph(lesson_text::lines(&sections, &app.theme)).render(area, buf);
    }
}
