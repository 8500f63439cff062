//! The top line: lesson, virtual clock, speed, playing or paused, events shown, dropped events.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::pick;
use crate::ui::app::{App, Status};
use crate::ui::session::Ending;

pub struct Header<'a>(pub &'a App);

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let session = &app.session;
        let (icon, word) = match app.status() {
            Status::Playing => ("▶", pick(app.lang, "идёт", "playing")),
            Status::Paused => ("⏸", pick(app.lang, "пауза", "paused")),
            Status::Finished => ("■", pick(app.lang, "конец", "finished")),
            Status::Stopped => ("■", pick(app.lang, "остановлено", "stopped")),
            Status::Broken => ("✗", pick(app.lang, "ошибка", "error")),
        };
        let speed = app.speed_factor();
        let speed = if speed < 1.0 { format!("{speed}×") } else { format!("{speed:.0}×") };
        // Looking back at the log (paused behind the live end of the run)?
        let place = if !session.at_frontier() && !app.playing {
            format!(" {}", pick(app.lang, "повтор", "replay"))
        } else {
            String::new()
        };
        let sep = Span::styled(" │ ", theme.dim());
        let clock = [
            Span::styled(format!("t = {}", session.playhead), theme.accent()),
            sep.clone(),
            Span::raw(format!("{icon} {word} {speed}")),
            sep.clone(),
            Span::styled(
                format!(
                    "{} {}/{}",
                    pick(app.lang, "события", "events"),
                    session.cursor(),
                    session.events.len()
                ),
                theme.dim(),
            ),
            Span::styled(place, theme.dim()),
        ];
        // Wide: the lesson first; narrow: the clock first, so it is never cut off.
        let mut spans = if area.width >= 100 {
            let mut spans = vec![
                Span::styled(" asyncdemo ", theme.accent()),
                sep.clone(),
                Span::raw(app.lesson.title.clone()),
                sep.clone(),
            ];
            spans.extend(clock);
            spans
        } else {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(clock);
            spans.extend([sep.clone(), Span::raw(app.lesson.title.clone())]);
            spans
        };
        match &session.ending {
            Some(Ending::Ended { dropped, .. }) if *dropped > 0 => {
                spans.push(sep.clone());
                spans.push(Span::styled(
                    format!("{} {dropped}", pick(app.lang, "потеряно событий:", "dropped events:")),
                    theme.warning(),
                ));
            }
            Some(Ending::Ended { stopped: Some(stop), .. }) if session.at_frontier() => {
                spans.push(sep.clone());
                spans.push(Span::styled(stop.to_string(), theme.warning()));
            }
            Some(Ending::Crashed(why)) => {
                spans.push(sep.clone());
                spans.push(Span::styled(why.clone(), theme.warning()));
            }
            _ => {}
        }
        if let Some(error) = &session.error {
            spans.push(sep);
            spans.push(Span::styled(error.clone(), theme.warning()));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}
