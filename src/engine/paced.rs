//! Paced runs: the demo's virtual clock driven by a viewer (the live UI), instead of racing to
//! the end.
//!
//! A recorded run ([`super::runner::record`]) lets tokio's paused clock jump from timer to timer
//! whenever every task is waiting. A paced run keeps exactly that mechanism, and only decides
//! *when* it may run:
//!
//! - a blocking "gate" job is kept in flight: while one is, tokio does not auto-advance, so the
//!   demo holds still at its current instant (and the runtime sleeps: a paused view costs no
//!   CPU);
//! - a controller task (not traced) takes [`Command`]s: to advance to a virtual time it sets a
//!   barrier timer there and opens the gate; tokio then auto-advances through the demo's timers
//!   exactly as in a recorded run, until the barrier fires and the controller closes the gate
//!   again;
//! - after each command the controller lets the current instant settle and sends the new tasks
//!   and events as an [`Update`].
//!
//! So a paced run with no intervention records the same events as a recorded run (a test
//! checks it for every lesson), and a cancel from the viewer is a real `abort` of the task in
//! the running demo.

use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::event::{Event, TaskId, TaskMeta, VTime};
use super::panic_guard;
use super::recorder::{self, Live, RecorderLimits};
use super::runner::{self, RunConfig, Stop};
use crate::demos::Demo;

/// What the viewer asks of a paced run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the demo until its virtual clock reaches this time (or it ends).
    AdvanceTo(VTime),
    /// Run the demo until it records at least one more event (or ends).
    Step,
    /// Cancel this task (`JoinHandle::abort`), as the demo's own code would.
    Cancel(TaskId),
    /// Run the rest of the demo as fast as a recorded run.
    Finish,
}

/// What a paced run reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Update {
    /// New tasks and events since the last update, and the virtual time the demo has reached.
    Progress { tasks: Vec<TaskMeta>, events: Vec<Event>, now: VTime },
    /// The demo ended: its main task finished (then the runtime cancelled what was left; those
    /// events came in the last `Progress`), or a limit stopped it.
    Ended { stopped: Option<Stop>, dropped: u64 },
    /// The demo could not run.
    Crashed(String),
}

/// A demo running on its own thread, driven by [`Command`]s. Dropping it stops the demo.
pub struct PacedRun {
    commands: UnboundedSender<Command>,
    /// The demo's reports, in order.
    pub updates: UnboundedReceiver<Update>,
}

impl PacedRun {
    /// Starts `demo` paused at virtual time 0 (its first instant already run: the first update
    /// holds what happened at 0).
    pub fn start(demo: &'static Demo, config: RunConfig) -> PacedRun {
        panic_guard::install();
        let (commands, command_rx) = unbounded_channel();
        let (update_tx, updates) = unbounded_channel();
        let failed = update_tx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("demo {}", demo.id))
            .spawn(move || run_here(demo, config, command_rx, update_tx));
        if let Err(error) = spawned {
            let _ = failed.send(Update::Crashed(error.to_string()));
        }
        PacedRun { commands, updates }
    }

    /// Sends a command; ignored once the demo has ended.
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }
}

/// The blocking job whose presence stops tokio from auto-advancing the paused clock.
struct Gate {
    release: Option<mpsc::Sender<()>>,
}

impl Gate {
    fn closed() -> Gate {
        let mut gate = Gate { release: None };
        gate.close();
        gate
    }

    /// Holds the clock: spawning a blocking job inhibits auto-advance at once.
    fn close(&mut self) {
        if self.release.is_none() {
            let (release, held) = mpsc::channel::<()>();
            tokio::task::spawn_blocking(move || {
                // Returns when `release` is dropped.
                let _ = held.recv();
            });
            self.release = Some(release);
        }
    }

    /// Lets the clock run: the job ends, and tokio may auto-advance again.
    fn open(&mut self) {
        self.release = None;
    }
}

fn run_here(
    demo: &'static Demo,
    config: RunConfig,
    commands: UnboundedReceiver<Command>,
    updates: UnboundedSender<Update>,
) {
    let runtime = match runner::demo_runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = updates.send(Update::Crashed(error.to_string()));
            return;
        }
    };
    let in_time = {
        let _context = runtime.enter();
        recorder::install(config.seed, RecorderLimits { max_events: config.max_events });
        recorder::with(|rec| rec.live = Some(Live::default()));
        let start = tokio::time::Instant::now();
        let controller_updates = updates.clone();
        runtime.block_on(async move {
            // The gate goes up before anything runs, so the clock holds from the start.
            let gate = Gate::closed();
            let main = super::api::spawn("main", (demo.main)());
            let (quit, quit_rx) = tokio::sync::oneshot::channel::<()>();
            let controller = tokio::spawn(control(commands, controller_updates, gate, start, quit));
            let in_time = tokio::select! {
                biased;
                _ = main => true,
                _ = tokio::time::sleep(config.virtual_limit) => false,
                _ = quit_rx => true,
            };
            // The controller holds the gate: drop it first, so the blocking pool can shut down.
            controller.abort();
            let _ = controller.await;
            in_time
        })
    };
    recorder::with(|rec| rec.start_closing());
    drop(runtime);
    let (tasks, events) = recorder::with(|rec| rec.take_new());
    let now = events.last().map_or(VTime::ZERO, |e| e.at);
    let trace = recorder::uninstall();
    let stopped = runner::stop_reason(trace.dropped, in_time, &config);
    let _ = updates.send(Update::Progress { tasks, events, now });
    let _ = updates.send(Update::Ended { stopped, dropped: trace.dropped });
}

/// The controller task: carries out commands, reports progress.
async fn control(
    mut commands: UnboundedReceiver<Command>,
    updates: UnboundedSender<Update>,
    mut gate: Gate,
    start: tokio::time::Instant,
    quit: tokio::sync::oneshot::Sender<()>,
) {
    settle_and_report(&updates).await;
    while let Some(command) = commands.recv().await {
        match command {
            Command::AdvanceTo(target) => {
                if recorder::with(|rec| rec.now_exact()) < target {
                    let barrier = tokio::time::sleep_until(start + target.as_duration());
                    gate.open();
                    barrier.await;
                    gate.close();
                }
            }
            Command::Step => {
                let before = recorder::with(|rec| rec.event_count());
                gate.open();
                NextEvent { after: before }.await;
                gate.close();
            }
            Command::Cancel(task) => {
                recorder::with(|rec| {
                    if let Some(handle) = rec.live.as_ref().and_then(|live| live.abort.get(task.index())) {
                        handle.abort();
                    }
                });
            }
            Command::Finish => gate.open(),
        }
        settle_and_report(&updates).await;
    }
    // The viewer is gone: end the run.
    let _ = quit.send(());
}

/// Lets every task that is ready at this instant run (the gate keeps the clock still), then
/// sends what was recorded.
async fn settle_and_report(updates: &UnboundedSender<Update>) {
    loop {
        let before = recorder::with(|rec| rec.event_count());
        tokio::task::yield_now().await;
        if recorder::with(|rec| rec.event_count()) == before {
            break;
        }
    }
    let (tasks, events, now) = recorder::with(|rec| {
        let (tasks, events) = rec.take_new();
        (tasks, events, rec.now_exact())
    });
    let _ = updates.send(Update::Progress { tasks, events, now });
}

/// Resolves once the recorder holds more than `after` events.
struct NextEvent {
    after: usize,
}

impl std::future::Future for NextEvent {
    type Output = ();

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        recorder::with(|rec| {
            if rec.event_count() > self.after {
                std::task::Poll::Ready(())
            } else {
                if let Some(live) = &mut rec.live {
                    live.on_event = Some(cx.waker().clone());
                }
                std::task::Poll::Pending
            }
        })
    }
}

/// Drives a paced run to the end in steps of `step` virtual time, collecting what it reports:
/// what a viewer that only ever presses "play" would see. For tests and checks.
pub fn run_in_steps(
    demo: &'static Demo,
    config: RunConfig,
    step: Duration,
) -> (Vec<TaskMeta>, Vec<Event>, Update) {
    let mut run = PacedRun::start(demo, config);
    let (mut tasks, mut events) = (Vec::new(), Vec::new());
    let mut target = VTime::ZERO;
    loop {
        match run.updates.blocking_recv() {
            Some(Update::Progress { tasks: t, events: e, now }) => {
                tasks.extend(t);
                events.extend(e);
                target = VTime(now.0.max(target.0) + VTime::from_duration(step).0);
                run.send(Command::AdvanceTo(target));
            }
            Some(end) => return (tasks, events, end),
            None => return (tasks, events, Update::Crashed("the demo thread died".into())),
        }
    }
}
