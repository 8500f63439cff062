//! The terminal, and the loop that connects it, the app and the running demo.
//!
//! The terminal is restored however the view ends: on quit (q, Esc, Ctrl-C as a key), on
//! SIGINT or SIGTERM from outside, on an error, on a panic in the UI (ratatui's panic hook
//! restores it before the panic message prints), and it is *not* disturbed by a panic inside a
//! demo task (the engine's panic guard keeps those away from ratatui's hook; the task shows as
//! Failed and the demo goes on).

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::Event as TermEvent;
use futures::StreamExt;
use ratatui::DefaultTerminal;

use super::app::{App, Exit, Request};
use super::classroom::{ClassRequest, Poll};
use crate::class::client::{Client, Incoming};
use crate::class::protocol::FromPresenter;
use crate::class::server::Server;
use crate::demos::Demo;
use crate::engine::event::{TaskId, Trace};
use crate::engine::panic_guard;
use crate::engine::python::{self, PythonConfig};
use crate::engine::run::RunConfig;
use crate::engine::run::paced::PacedRun;
use crate::lesson::RunOf;

/// Frames per second while playing (a paused view draws only when something changes).
const FRAME: Duration = Duration::from_millis(33);

/// The terminal in raw mode on the alternate screen; restored when dropped.
pub struct Screen {
    terminal: DefaultTerminal,
}

impl Screen {
    pub fn enter() -> io::Result<Screen> {
        let terminal = ratatui::try_init()?;
        // ratatui's hook restores the terminal on any panic; put the demo guard in front of it
        // so that a panic inside a demo task (caught by tokio, shown as Failed) leaves the UI be.
        panic_guard::wrap_current_hook();
        Ok(Screen { terminal })
    }

    pub fn draw(&mut self, app: &mut App) -> io::Result<()> {
        self.terminal.draw(|frame| app.draw(frame))?;
        Ok(())
    }

    /// The underlying terminal, for screens other than the lesson view (the tour's menu).
    pub fn terminal(&mut self) -> &mut DefaultTerminal {
        &mut self.terminal
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// What the user does: terminal events, and SIGINT / SIGTERM from outside (`kill`, a closing
/// session), which end the view like `q` does.
pub struct Input {
    events: crossterm::event::EventStream,
    signals: Signals,
}

impl Input {
    /// Must be created inside the UI's tokio runtime.
    pub fn new() -> io::Result<Input> {
        Ok(Input { events: crossterm::event::EventStream::new(), signals: Signals::new()? })
    }

    /// The next terminal event; `None` when a signal asks the view to end (or input ended).
    pub async fn next(&mut self) -> io::Result<Option<TermEvent>> {
        tokio::select! {
            biased;
            _ = self.signals.recv() => Ok(None),
            event = self.events.next() => event.transpose(),
        }
    }
}

/// Opens the live view of `app` running `source`, until the user leaves; the terminal is restored
/// afterwards whatever happened.
pub fn watch(app: &mut App, source: &Source, config: RunConfig) -> io::Result<Exit> {
    let mut screen = Screen::enter()?;
    block_on(async {
        let mut input = Input::new()?;
        run_lesson(&mut screen, &mut input, app, source, config, &mut Link::Alone).await
    })
}

/// Runs the UI's own (real-time) tokio runtime around `view`.
pub fn block_on<T>(view: impl std::future::Future<Output = io::Result<T>>) -> io::Result<T> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(view)
}

/// What the live view runs: a lesson's Rust demo, or a Python program under the tracer.
#[derive(Clone)]
pub enum Source {
    Rust(&'static Demo),
    Python { program: python::Program, python: Option<std::path::PathBuf> },
}

impl Source {
    /// A lesson's run `which` (a lesson without a Rust demo has only its Python run).
    pub fn of(lesson: &crate::lesson::Lesson, which: RunOf, python: Option<std::path::PathBuf>) -> Source {
        match (which, lesson.demo) {
            (RunOf::Rust, Some(demo)) => Source::Rust(demo),
            _ => Source::Python { program: lesson.python_program(), python },
        }
    }

    /// Starts the run with the viewer's cancels (see [`PacedRun::fork`]).
    pub fn start(&self, config: RunConfig, cancels: &[(usize, TaskId)]) -> PacedRun {
        match self {
            Source::Rust(demo) => PacedRun::fork(&demo.program, config, cancels),
            Source::Python { program, python } => {
                let program = program.clone();
                let config =
                    PythonConfig { cancels: cancels.to_vec(), ..PythonConfig::new(config, python.clone()) };
                PacedRun::replay(&program.name(), move || match python::trace(&program, &config) {
                    Ok(run) => run.updates(&config.run),
                    Err(error) => vec![crate::engine::run::paced::Update::Crashed(error.to_string())],
                })
            }
        }
    }

    /// The whole run as written, recorded (the answers to a quiz come from it).
    pub fn trace(&self, config: RunConfig) -> Option<Trace> {
        match self {
            Source::Rust(demo) => Some(crate::engine::run::record(&demo.program, config).ok()?.trace()),
            Source::Python { program, python } => {
                Some(python::trace(program, &PythonConfig::new(config, python.clone())).ok()?.trace)
            }
        }
    }
}

/// `P` asked for the lesson's other run: which run comes next, and what the view says about it
/// (the same run again, saying why, when there is no interpreter for the Python one).
pub fn other_run(
    which: RunOf,
    python: Option<&std::path::Path>,
    lang: crate::lesson::Lang,
) -> (RunOf, String) {
    match which {
        RunOf::Python => (
            RunOf::Rust,
            lang.pick("демо на Rust, в тот же момент", "the Rust demo, at the same moment").to_owned(),
        ),
        RunOf::Rust => match python::check_version(&python::interpreter(python)) {
            Ok(version) => (
                RunOf::Python,
                format!(
                    "{} {version}",
                    lang.pick(
                        "оригинал на Python, в тот же момент: python",
                        "the Python original, at the same moment: python"
                    )
                ),
            ),
            Err(error) => (RunOf::Rust, error.to_string()),
        },
    }
}

/// The view's link to a class, if it is in one.
pub enum Link<'a> {
    Alone,
    /// The presenter's listener: the view's moment goes out, answers come in.
    Presenting(&'a mut Server),
    /// A follower's connection: the presenter's moment and polls come in, answers go out.
    Following(&'a mut Client),
}

/// Runs `app` against `source` until the user leaves; returns why.
pub async fn run_lesson(
    screen: &mut Screen,
    input: &mut Input,
    app: &mut App,
    source: &Source,
    config: RunConfig,
    link: &mut Link<'_>,
) -> io::Result<Exit> {
    let mut run = source.start(config, &[]);
    // A test hook (tests/tui.rs): a panic in the view's own code must still restore the terminal.
    let panic_after_first_frame = std::env::var_os("ASYNCDEMO_TEST_PANIC_IN_VIEW").is_some();
    let mut ticker = tokio::time::interval(FRAME);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // The presenter's clock moves once a second, paused or not.
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut pacer = Pacer::default();
    loop {
        for request in app.take_requests() {
            match request {
                Request::Demo(command) => run.send(command),
                Request::Restart => {
                    run = source.start(config, &[]);
                    app.restarted();
                }
                Request::Fork { cancels } => {
                    run = source.start(config, &cancels);
                    app.restarted();
                }
            }
        }
        class_requests(app, source, config, link);
        if let Link::Presenting(server) = link {
            pacer.offer(server, app.moment(config.seed));
        }
        if let Some(exit) = app.exit {
            return Ok(exit);
        }
        if app.take_dirty() {
            screen.draw(app)?;
            if panic_after_first_frame {
                panic!("a test panic in the view (ASYNCDEMO_TEST_PANIC_IN_VIEW is set)");
            }
        }
        tokio::select! {
            biased;
            event = input.next() => match event? {
                Some(event) => app.on_terminal_event(event),
                None => return Ok(Exit::Quit),
            },
            Some(update) = run.updates.recv() => app.on_update(update),
            Some(event) = class_event(link) => match event {
                ClassEvent::Answered(answered) => app.on_answer(answered),
                ClassEvent::Incoming(incoming) => {
                    if let Some(exit) = on_incoming(app, source, config, incoming) {
                        return Ok(exit);
                    }
                }
            },
            _ = ticker.tick(), if app.playing() => app.on_tick(Instant::now()),
            // The presenter's latest moment, held back to keep to the frame rate, goes now.
            _ = pacer.due(), if pacer.holding() => {}
            _ = clock.tick(), if app.presenter.is_some() || app.class.is_some() => app.redraw(),
        }
    }
}

/// Carries the view's class requests to the network; keeps the presenter's moment and count
/// of followers current.
fn class_requests(app: &mut App, source: &Source, config: RunConfig, link: &mut Link<'_>) {
    let requests = app.take_class_requests();
    match link {
        Link::Alone => {}
        Link::Presenting(server) => {
            for request in requests {
                match request {
                    ClassRequest::OpenPoll { poll, quiz } => {
                        match solved_poll(app, source, config, poll, quiz, true) {
                            Some(opened) => {
                                server.open_poll(poll, &app.lesson.id, quiz, opened.form);
                                app.poll_opened(opened);
                            }
                            None => {
                                app.notice = Some(
                                    app.lang
                                        .pick(
                                            "у этого вопроса нет ясного ответа в прогоне",
                                            "this quiz has no clear answer in the run",
                                        )
                                        .to_owned(),
                                )
                            }
                        }
                    }
                    ClassRequest::Reveal { poll, tally } => server.reveal(poll, tally),
                    ClassRequest::ClosePoll { poll } => server.close_poll(poll),
                    ClassRequest::Answer { .. } => {}
                }
            }
            app.set_followers(server.followers());
        }
        Link::Following(client) => {
            for request in requests {
                if let ClassRequest::Answer { poll, answer } = request {
                    client.answer(poll, answer);
                }
            }
        }
    }
}

/// The presenter's moments go to the class at most once a frame (playing at 1,024 events a
/// second, or a held key, would send hundreds a second); the latest always goes.
#[derive(Default)]
struct Pacer {
    sent: Option<tokio::time::Instant>,
    /// A moment is held back until then.
    held: Option<tokio::time::Instant>,
}

impl Pacer {
    /// Sends `moment` (if it changed) unless one went less than a frame ago; then it is held.
    fn offer(&mut self, server: &mut Server, moment: crate::class::protocol::Moment) {
        let now = tokio::time::Instant::now();
        match self.sent {
            Some(sent) if now < sent + FRAME => {
                if !server.is_published(&moment) {
                    self.held = Some(sent + FRAME);
                }
            }
            _ => {
                if !server.is_published(&moment) {
                    server.publish(moment);
                    self.sent = Some(now);
                }
                self.held = None;
            }
        }
    }

    fn holding(&self) -> bool {
        self.held.is_some()
    }

    /// When the held moment may go (the loop then offers it again).
    async fn due(&self) {
        if let Some(at) = self.held {
            tokio::time::sleep_until(at).await;
        }
    }
}

/// A poll on quiz `quiz` of the lesson, answered from its recorded run.
fn solved_poll(
    app: &App,
    source: &Source,
    config: RunConfig,
    poll: u64,
    quiz: usize,
    presenter: bool,
) -> Option<Poll> {
    Poll::new(app, poll, quiz, &source.trace(config)?, presenter)
}

/// What a follower's connection brought; `Some` if the view must go elsewhere.
fn on_incoming(app: &mut App, source: &Source, config: RunConfig, incoming: Incoming) -> Option<Exit> {
    match &incoming {
        Incoming::Message(FromPresenter::Moment(moment)) => {
            let here = moment.lesson.as_deref() == Some(app.lesson.id.as_str()) && moment.seed == config.seed;
            if here {
                app.on_moment(moment.clone());
            } else {
                app.keep_moment(moment.clone());
                if app.mirroring() {
                    return Some(Exit::Moved);
                }
            }
        }
        Incoming::Message(FromPresenter::Poll { poll, lesson, quiz }) => {
            if *lesson == app.lesson.id
                && let Some(opened) = solved_poll(app, source, config, *poll, *quiz, false)
            {
                app.poll_opened(opened);
            }
        }
        Incoming::Message(message) => app.on_poll_message(message),
        Incoming::Joined | Incoming::Lost { .. } => app.on_link(&incoming),
    }
    None
}

/// What a class brings the view.
enum ClassEvent {
    /// An answer to the presenter's poll.
    Answered(crate::class::server::Answered),
    /// What a follower's connection brings.
    Incoming(Incoming),
}

/// The next thing the class brings; never, for a view on its own.
async fn class_event(link: &mut Link<'_>) -> Option<ClassEvent> {
    match link {
        Link::Alone => std::future::pending().await,
        Link::Presenting(server) => server.answers.recv().await.map(ClassEvent::Answered),
        Link::Following(client) => client.inbox.recv().await.map(ClassEvent::Incoming),
    }
}

/// Draws a full-screen widget and feeds it keys until a key asks for something other than
/// `nothing`; the end of input gives `closed`. Before each draw the widget learns the
/// terminal's size (`resize`); a resize just draws again.
pub async fn run_screen<W, A: PartialEq>(
    screen: &mut Screen,
    input: &mut Input,
    widget: &mut W,
    handle_key: impl Fn(&mut W, crossterm::event::KeyEvent) -> A,
    resize: impl Fn(&mut W, ratatui::layout::Rect),
    nothing: A,
    closed: A,
) -> io::Result<A>
where
    for<'a> &'a W: ratatui::widgets::Widget,
{
    loop {
        let size = screen.terminal().size()?;
        resize(widget, ratatui::layout::Rect::new(0, 0, size.width, size.height));
        screen.terminal().draw(|frame| frame.render_widget(&*widget, frame.area()))?;
        match input.next().await? {
            None => return Ok(closed),
            Some(TermEvent::Key(key)) => {
                let action = handle_key(widget, key);
                if action != nothing {
                    return Ok(action);
                }
            }
            Some(_) => {}
        }
    }
}

/// SIGINT and SIGTERM from outside the terminal.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
