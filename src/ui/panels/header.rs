//! The top line: the clock, playing or paused and at what pace, the event counter, the replay
//! and "run changed" marks, then the lesson's title in whatever room is left (the marks are
//! never cut; the title is).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::ui::app::{App, Status};
use crate::ui::classroom::{Link, Role};
use crate::ui::playback::Pace;
use crate::ui::session::Ending;
use crate::view::describe::seconds;
use crate::view::width;

pub struct Header<'a>(pub &'a App);

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let session = app.session();
        let lang = app.lang;
        let (icon, word) = match app.status() {
            Status::Playing => ("▶", lang.pick("идёт", "playing").to_owned()),
            Status::Paused => ("⏸", lang.pick("пауза", "paused").to_owned()),
            Status::Finished => ("■", lang.pick("конец", "end").to_owned()),
            Status::Stopped => ("■", lang.pick("остановлено", "stopped").to_owned()),
            Status::Broken => ("✗", lang.pick("ошибка", "error").to_owned()),
        };
        let rate = app.playback.rate();
        let pace = match app.playback.pace() {
            Pace::Events => format!("{rate:.0} {}", lang.pick("соб./с", "ev/s").to_owned()),
            Pace::Time if rate < 1.0 => format!("{rate}× {}", lang.pick("времени", "time").to_owned()),
            Pace::Time => format!("{rate:.0}× {}", lang.pick("времени", "time").to_owned()),
        };
        let sep = || Span::styled(" │ ", theme.dim());
        let clock = format!(" t = {}", seconds(session.playhead, lang));
        let counter = format!("{}/{}", session.cursor(), session.events.len());
        // The status in as many words as fit: with the pace, without it, the symbol alone.
        let fixed = width::width(&clock) + width::width(&counter) + 6;
        let status = [format!("{icon} {word} · {pace}"), format!("{icon} {word}"), icon.to_owned()]
            .into_iter()
            .find(|status| fixed + width::width(status) <= area.width as usize)
            .unwrap_or_else(|| icon.to_owned());
        let mut marks = vec![
            Span::styled(clock, theme.accent()),
            sep(),
            Span::raw(status),
            sep(),
            Span::styled(counter, theme.dim()),
        ];
        if let Some(presenter) = &app.presenter {
            let minutes = presenter.since.elapsed().as_secs() / 60;
            let seconds = presenter.since.elapsed().as_secs() % 60;
            marks.push(sep());
            marks.push(Span::styled(format!("⏱ {minutes}:{seconds:02}"), theme.accent()));
        }
        // A Python run says so (a Rust run is the default).
        if app.lesson.language == crate::ui::highlight::Language::Python {
            marks.push(sep());
            marks.push(Span::styled("Python · asyncio", theme.accent()));
        }
        match app.class.as_ref().map(|class| &class.role) {
            Some(Role::Presenting { followers, .. }) => {
                marks.push(sep());
                marks.push(Span::styled(
                    format!("{} {followers}", lang.pick("класс:", "class:")),
                    theme.accent(),
                ));
            }
            Some(Role::Following(following)) => {
                marks.push(sep());
                marks.push(match (&following.link, following.following) {
                    (Link::Joined, true) => {
                        Span::styled(lang.pick("◉ за ведущим", "◉ following").to_owned(), theme.accent())
                    }
                    (Link::Joined, false) => Span::styled(
                        lang.pick("○ сами · f — за ведущим", "○ on your own · f follows").to_owned(),
                        theme.warning(),
                    ),
                    (Link::Connecting, _) => {
                        Span::styled(lang.pick("… подключение", "… connecting").to_owned(), theme.dim())
                    }
                    (Link::Lost { .. }, _) => Span::styled(
                        lang.pick("⚠ нет связи с ведущим", "⚠ presenter lost").to_owned(),
                        theme.warning(),
                    ),
                });
            }
            None => {}
        }
        if session.replaying() {
            marks.push(sep());
            marks.push(Span::styled(lang.pick("повтор", "replay").to_owned(), theme.accent()));
        }
        if !app.playback.cancels().is_empty() {
            let tasks: Vec<String> =
                app.playback.cancels().iter().map(|(_, task)| task.to_string()).collect();
            marks.push(sep());
            marks.push(Span::styled(
                format!(
                    "{} {}",
                    lang.pick("✎ прогон изменён: отмена", "✎ run changed: cancel of"),
                    tasks.join(", ")
                ),
                theme.warning(),
            ));
        }
        if app.playback.seeking() {
            marks.push(sep());
            marks.push(Span::styled(lang.pick("ищу…", "seeking…").to_owned(), theme.dim()));
        }
        match &session.ending {
            Some(Ending::Ended { dropped, .. }) if *dropped > 0 => {
                marks.push(sep());
                marks.push(Span::styled(
                    format!("{} {dropped}", lang.pick("потеряно событий:", "dropped events:").to_owned()),
                    theme.warning(),
                ));
            }
            Some(Ending::Ended { stopped: Some(stop), .. }) if session.at_frontier() => {
                marks.push(sep());
                marks.push(Span::styled(stop.to_string(), theme.warning()));
            }
            Some(Ending::Crashed(why)) => {
                marks.push(sep());
                marks.push(Span::styled(why.clone(), theme.warning()));
            }
            _ => {}
        }
        if let Some(error) = &session.error {
            marks.push(sep());
            marks.push(Span::styled(error.clone(), theme.warning()));
        }
        let used: usize = marks.iter().map(|s| width::width(&s.content)).sum();
        let room = (area.width as usize).saturating_sub(used + 3);
        if room >= 8 {
            marks.push(sep());
            marks.push(Span::raw(width::fit(&app.lesson.title, room)));
        }
        Paragraph::new(Line::from(marks)).render(area, buf);
    }
}
