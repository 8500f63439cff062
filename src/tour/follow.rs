//! `asyncdemo follow ADDRESS`: a student's terminal (or the projector) in a presenter's class.
//!
//! It connects (and keeps connecting), waits for the presenter to open a lesson, and then shows
//! that lesson's live view at the presenter's moment; it goes along when the presenter moves to
//! another lesson. `d` leaves the presenter to explore, `f` comes back; a poll the presenter
//! opens is answered here. The connection's state is in the header.

use std::io;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::class::client::{Client, Incoming};
use crate::class::protocol::{FromPresenter, Moment};
use crate::engine::run::RunConfig;
use crate::lesson::{Catalog, Lang};
use crate::ui::classroom::{Following, Link as LinkState, link_text};
use crate::ui::terminal::{self, Input, Link, Screen, Source};
use crate::ui::theme::Theme;
use crate::ui::{App, Exit};
use crate::view::stops;

/// Follows the presenter at `address` until the user leaves; the terminal is restored after.
pub fn run(
    catalog: &Catalog,
    lang: Lang,
    theme: Theme,
    address: &str,
    code: Option<String>,
) -> io::Result<()> {
    let mut screen = Screen::enter()?;
    terminal::block_on(async {
        let mut input = Input::new()?;
        let mut client = Client::connect(address, code, catalog.fingerprint.clone());
        let mut state = Following::default();
        loop {
            // The presenter's lesson, if it is one this follower has.
            let lesson = state
                .latest
                .as_ref()
                .filter(|_| state.following)
                .and_then(|moment| Some((moment.lesson.as_deref()?, moment.seed)))
                .and_then(|(id, seed)| Some((catalog.find(id).ok()?, seed)));
            match lesson {
                Some((lesson, seed)) => {
                    let config = RunConfig { seed, ..RunConfig::default() };
                    let mut app = App::new(lesson, lang, theme);
                    app.notice = None;
                    app.set_stops(lesson.stops.clone(), stops::in_run(lesson, config));
                    app.follow(state.clone());
                    let exit = terminal::run_lesson(
                        &mut screen,
                        &mut input,
                        &mut app,
                        &Source::of(lesson, lesson.primary(), None),
                        config,
                        &mut Link::Following(&mut client),
                    )
                    .await?;
                    if let Some(now) = app.following() {
                        state = now.clone();
                    }
                    // `q` (a follower is not in the tour: there is no menu to go back to).
                    if exit != Exit::Moved {
                        return Ok(());
                    }
                }
                None => {
                    if wait(&mut screen, &mut input, &mut client, &mut state, address, lang, &theme).await? {
                        return Ok(());
                    }
                }
            }
        }
    })
}

/// The waiting screen, until the presenter opens a lesson (or `f` follows it there); true if
/// the user quit.
async fn wait(
    screen: &mut Screen,
    input: &mut Input,
    client: &mut Client,
    state: &mut Following,
    address: &str,
    lang: Lang,
    theme: &Theme,
) -> io::Result<bool> {
    loop {
        let ready = state.following && state.latest.as_ref().is_some_and(|moment| moment.lesson.is_some());
        if ready {
            return Ok(false);
        }
        let waiting = Waiting { state, address, lang, theme: *theme };
        screen.terminal().draw(|frame| frame.render_widget(&waiting, frame.area()))?;
        tokio::select! {
            biased;
            event = input.next() => match event? {
                None => return Ok(true),
                Some(TermEvent::Key(key)) if key.kind != KeyEventKind::Release => {
                    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                    match crate::ui::keys::latin(key.code) {
                        KeyCode::Char('q') | KeyCode::Esc => return Ok(true),
                        KeyCode::Char('c' | 'd') if ctrl => return Ok(true),
                        KeyCode::Char('f') => state.following = true,
                        _ => {}
                    }
                }
                Some(_) => {}
            },
            incoming = client.inbox.recv() => match incoming {
                None => return Ok(true),
                Some(Incoming::Joined) => state.link = LinkState::Joined,
                Some(Incoming::Lost { why, retrying }) => state.link = LinkState::Lost { why, retrying },
                Some(Incoming::Message(FromPresenter::Moment(moment))) => state.latest = Some(moment),
                // Polls are answered in a lesson's view.
                Some(Incoming::Message(_)) => {}
            },
        }
    }
}

/// What the follower sees while there is no lesson to show.
struct Waiting<'a> {
    state: &'a Following,
    address: &'a str,
    lang: Lang,
    theme: Theme,
}

impl Widget for &Waiting<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lang = self.lang;
        let theme = &self.theme;
        let status = link_text(&self.state.link, lang);
        let what = match (&self.state.link, &self.state.latest) {
            (LinkState::Joined, Some(Moment { lesson: Some(_), .. })) if !self.state.following => lang.pick(
                "Ведущий ведёт урок. f — к ведущему, q — выход.",
                "The presenter is in a lesson. f follows, q quits.",
            ),
            (LinkState::Joined, _) => lang.pick(
                "Ведущий выбирает урок: он откроется здесь сам. q — выход.",
                "The presenter is choosing a lesson: it opens here by itself. q quits.",
            ),
            _ => lang.pick("q — выход.", "q quits."),
        };
        let lines = vec![
            Line::from(Span::styled(format!(" asyncdemo follow {}", self.address), theme.accent())),
            Line::from(""),
            Line::from(format!(" {status}")),
            Line::from(""),
            Line::from(Span::styled(format!(" {what}"), theme.dim())),
        ];
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
    }
}
