//! The second line: the last event shown, with its cause ("Scheduled — woken by timer"), or,
//! while a poll holds the thread (a blocking call inside a task), a "loop busy" banner.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::engine::event::{Event, EventKind, TaskKind, VTime};
use crate::engine::lifecycle::State;
use crate::ui::app::App;
use crate::ui::theme::symbol;
use crate::view::describe::{self, seconds};

pub struct LastEvent<'a>(pub &'a App);

impl Widget for LastEvent<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = &app.theme;
        let mut spans = Vec::new();
        // At a guided stop: what to look at, before anything else.
        if let Some((number, count, stop)) = app.current_stop() {
            spans.push(Span::styled(
                format!(" ⏹ {number}/{count} · {} ", stop.caption.get(app.lang)),
                theme.accent().add_modifier(ratatui::style::Modifier::REVERSED),
            ));
        }
        if let Some((task, held)) = busy(app) {
            let name = &app.session().tasks[task.index()].name;
            spans.push(Span::styled(
                app.lang
                    .pick(
                        &format!(
                            " ⚠ цикл занят: {task} {name} не отдаёт управление {} ",
                            seconds(held, app.lang)
                        ),
                        &format!(
                            " ⚠ loop busy: {task} {name} holds the thread for {} ",
                            seconds(held, app.lang)
                        ),
                    )
                    .to_owned(),
                theme.warning(),
            ));
        }
        match app.session().last_shown() {
            Some(event) => spans.extend(describe_event(app, event, true)),
            None => spans.push(Span::styled(
                app.lang.pick(" ▸ ещё ничего не произошло", " ▸ nothing has happened yet").to_owned(),
                theme.dim(),
            )),
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }
}

/// The async task whose poll, running now, takes virtual time (the clock moved while it ran),
/// and for how long.
fn busy(app: &App) -> Option<(crate::engine::event::TaskId, VTime)> {
    let session = app.session();
    session.lifecycle().tasks.iter().find_map(|task| {
        if task.state != State::Running || task.meta.kind != TaskKind::Async {
            return None;
        }
        let end = match session.next_of(task.meta.id) {
            Some(after) => session.events[after - 1].at,
            None => session.playhead,
        };
        let held = end.since(task.since);
        (held > VTime::ZERO).then_some((task.meta.id, held))
    })
}

/// One event in words: time, task, the change and its cause. `last`: the last event shown
/// (marked, and its poll counted).
pub(super) fn describe_event(app: &App, event: &Event, last: bool) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let lang = app.lang;
    let session = app.session();
    let meta = &session.tasks[event.task.index()];
    let mark = if last { " ▸" } else { "" };
    let mut spans = vec![
        Span::styled(format!("{mark} {:>9} ", seconds(event.at, lang)), theme.dim()),
        Span::raw(format!("{} {}  ", event.task, meta.name)),
    ];
    let change = match &event.kind {
        EventKind::Created => Some((
            State::Created,
            match meta.parent {
                Some(parent) => lang
                    .pick(&format!("создана задачей {parent}"), &format!("created by {parent}"))
                    .to_owned(),
                None => String::new(),
            },
        )),
        EventKind::Scheduled { by } => {
            Some((State::Scheduled, describe::wake(*by, meta.parent, app.lesson.source(), lang)))
        }
        EventKind::Running if last => {
            let polls = session.lifecycle().get(event.task).map_or(0, |t| t.polls);
            Some((
                State::Running,
                lang.pick(&format!("опрос №{polls}"), &format!("poll #{polls}")).to_owned(),
            ))
        }
        EventKind::Running => Some((State::Running, String::new())),
        EventKind::Suspended { awaits, line } => {
            let awaits = describe::units(&awaits.to_string(), lang);
            let at = line.map_or(String::new(), |l| {
                lang.pick(&format!(", строка {l}"), &format!(", line {l}")).to_owned()
            });
            Some((
                State::Suspended,
                lang.pick(&format!("ждёт {awaits}{at}"), &format!("awaits {awaits}{at}")).to_owned(),
            ))
        }
        EventKind::Done { result } => Some((State::Done, format!("→ {result}"))),
        EventKind::Failed { error } => Some((State::Failed, error.to_string())),
        EventKind::Cancelled { by } => Some((
            State::Cancelled,
            by.map_or(String::new(), |by| lang.pick("отмена: ", "by ").to_owned() + &app.canceller(by)),
        )),
        EventKind::CancelAsked { by } => {
            spans.push(Span::styled(
                lang.pick("⊘? запрошена отмена: ", "⊘? cancel asked: ").to_owned() + &app.canceller(*by),
                theme.state(State::Cancelled),
            ));
            None
        }
        EventKind::Warning { what, text } => {
            spans.push(Span::styled(describe::warning(*what, text, lang), theme.warning()));
            None
        }
        EventKind::Print { text } => {
            spans.push(Span::styled("│ ", theme.dim()));
            spans.push(Span::raw(app.lesson.printed(text)));
            None
        }
    };
    if let Some((state, why)) = change {
        spans.push(Span::styled(format!("{} {}", symbol(state), state.name()), theme.state(state)));
        if !why.is_empty() {
            spans.push(Span::raw(format!(" — {why}")));
        }
    }
    spans
}
