//! Paced runs: the demo's virtual clock driven by a viewer (the live UI), instead of racing to
//! the end.
//!
//! A recorded run ([`super::record`]) lets tokio's paused clock jump from timer to timer
//! whenever every task waits. A paced run keeps the clock still until the viewer asks for
//! more, and then moves it through the same timers, one at a time:
//!
//! - a blocking "gate" job is kept in flight: while one is, tokio does not move the paused
//!   clock by itself, so the demo holds still at its current instant (and the runtime sleeps:
//!   a paused view costs no CPU);
//! - a controller (not traced, and not a task) takes [`Command`]s: to go on to a virtual time
//!   it moves the clock from one due timer to the next, exactly as the clock driver does for
//!   sleeping blocking jobs ([`super::driver::advance_to`]), letting each instant settle;
//! - after each command it sends the new tasks and events as an [`Update`].
//!
//! So a paced run with no intervention records the same events as a recorded run (a test
//! checks it for every lesson). A viewer's cancel is a real `abort` of the task in a running
//! demo: the run is started again with it ([`PacedRun::fork`]), and the recorder aborts the
//! task once as many events are recorded as the view showed. So a run is always its program,
//! its seed and a list of cancels, and anyone can rebuild it from those.

use std::sync::{Arc, mpsc};
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::super::event::{Event, TaskId, TaskMeta, VTime};
use super::super::panic_guard;
use super::super::program::Program;
use super::super::record::shared::RunShared;
use super::super::record::{self, Stop};
use super::config::RunConfig;
use super::driver::{self, advance_to, settle};
use super::gated::Gated;
use super::guard::{Run, StopSignal, main_future};

/// What the viewer asks of a paced run.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run the demo until its virtual clock reaches this time (or it ends).
    AdvanceTo(VTime),
    /// Run the demo on to the next instant where something is due (or it ends).
    Step,
    /// Run the rest of the demo as fast as a recorded run.
    Finish,
}

/// What a paced run reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Update {
    /// New tasks and events since the last update, and the virtual time the demo has reached.
    Progress { tasks: Vec<TaskMeta>, events: Vec<Event>, now: VTime },
    /// The demo ended: its main future finished (then the runtime cancelled what was left;
    /// those events came in the last `Progress`), or a limit stopped it.
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
    /// Starts `program` paused at virtual time 0 (its first instant already run: the first
    /// update holds what happened at 0).
    pub fn start(program: &'static Program, config: RunConfig) -> PacedRun {
        PacedRun::fork(program, config, &[])
    }

    /// Starts `program` as [`PacedRun::start`] does, and makes the viewer's `cancels`: each
    /// `(at, task)` cancels `task` once `at` events are recorded. The run as written up to the
    /// first (runs are deterministic), then what a viewer's cancels at those moments do: so a
    /// run is rebuilt exactly from its program, its seed and its cancels (a follower in a class
    /// rebuilds the presenter's this way).
    pub fn fork(program: &'static Program, config: RunConfig, cancels: &[(usize, TaskId)]) -> PacedRun {
        let cancels = cancels.to_vec();
        panic_guard::install();
        let (commands, command_rx) = unbounded_channel();
        let (update_tx, updates) = unbounded_channel();
        let failed = update_tx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("demo {}", program.name))
            .spawn(move || run_here(program, config, &cancels, command_rx, update_tx));
        if let Err(error) = spawned {
            let _ = failed.send(Update::Crashed(error.to_string()));
        }
        PacedRun { commands, updates }
    }

    /// A run recorded elsewhere, to the end (a Python program under the tracer), reported as a
    /// paced run reports: `record` runs on a thread of its own and gives every update at once.
    /// The view plays it as it plays a paced run; it asks for nothing (the run has ended).
    pub fn replay(name: &str, record: impl FnOnce() -> Vec<Update> + Send + 'static) -> PacedRun {
        let (commands, _) = unbounded_channel();
        let (update_tx, updates) = unbounded_channel();
        let failed = update_tx.clone();
        let spawned = std::thread::Builder::new().name(format!("trace {name}")).spawn(move || {
            for update in record() {
                let _ = update_tx.send(update);
            }
        });
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

/// The blocking job whose presence stops tokio from moving the paused clock by itself.
struct Gate {
    release: Option<mpsc::Sender<()>>,
}

impl Gate {
    /// Holds the clock: spawning a blocking job inhibits auto-advance at once.
    fn closed() -> Gate {
        let (release, held) = mpsc::channel::<()>();
        tokio::task::spawn_blocking(move || {
            // Returns when `release` is dropped.
            let _ = held.recv();
        });
        Gate { release: Some(release) }
    }

    /// Lets tokio move the clock by itself again.
    fn open(&mut self) {
        self.release = None;
    }
}

fn run_here(
    program: &'static Program,
    config: RunConfig,
    cancels: &[(usize, TaskId)],
    commands: UnboundedReceiver<Command>,
    updates: UnboundedSender<Update>,
) {
    let run = match Run::start(program, &config, true) {
        Ok(run) => run,
        Err(error) => {
            let _ = updates.send(Update::Crashed(error.to_string()));
            return;
        }
    };
    for &(at, task) in cancels {
        record::try_with(|rec| rec.cancel_at(at, task));
    }
    let shared = run.shared().clone();
    let controller_updates = updates.clone();
    run.block_on(async move {
        // The gate goes up before anything runs, so the clock holds from the start.
        let gate = Gate::closed();
        // `main` beside the controller (neither is a task: see `gated`), until `main` returns,
        // a limit stops the run, or the viewer is gone. The controller (and with it the gate)
        // is dropped at the end of this block, before the runtime.
        tokio::select! {
            biased;
            () = Gated::new(main_future(program)) => {}
            _ = StopSignal => {}
            () = Gated::new(control(commands, controller_updates, gate, shared)) => {}
        }
    });
    // The last events (the tasks cancelled at shutdown) come from the teardown.
    let mut recorded = run.finish();
    let (tasks, events) = recorded.unsent();
    let now = events.last().map_or(VTime::ZERO, |e| e.at);
    let _ = updates.send(Update::Progress { tasks, events, now });
    let _ = updates.send(Update::Ended { stopped: recorded.stopped, dropped: recorded.dropped() });
}

/// The controller task: carries out commands, reports progress.
async fn control(
    mut commands: UnboundedReceiver<Command>,
    updates: UnboundedSender<Update>,
    mut gate: Gate,
    shared: Arc<RunShared>,
) {
    report(&updates).await;
    while let Some(command) = commands.recv().await {
        match command {
            Command::AdvanceTo(target) => advance_to(&shared, Some(target), true).await,
            Command::Step => step(&shared).await,
            Command::Finish => {
                gate.open();
                report(&updates).await;
                // From here on the run is a recorded one: tokio moves the clock, and the
                // driver moves it while blocking jobs sleep.
                driver::drive(shared).await;
                return;
            }
        }
        report(&updates).await;
    }
    // The viewer is gone: returning ends the run.
}

/// Runs the demo on to the next instant where something is due.
async fn step(shared: &RunShared) {
    settle().await;
    if let Some(next) = record::try_with(|rec| driver::next_due(rec, true).unwrap_or(rec.now())) {
        advance_to(shared, Some(next), true).await;
    }
}

/// Lets the current instant settle, then sends what was recorded.
async fn report(updates: &UnboundedSender<Update>) {
    settle().await;
    if let Some((tasks, events, now)) = record::try_with(|rec| {
        let (tasks, events) = rec.take_new();
        (tasks, events, rec.now())
    }) {
        let _ = updates.send(Update::Progress { tasks, events, now });
    }
}

/// Runs `program` to the end with the viewer's `cancels` (see [`PacedRun::fork`]); collects
/// what it reports. For tests and checks: what a learner's cancels at those moments do.
pub fn run_with_cancels(
    program: &'static Program,
    config: RunConfig,
    cancels: &[(usize, TaskId)],
) -> (Vec<TaskMeta>, Vec<Event>, Update) {
    let mut run = PacedRun::fork(program, config, cancels);
    run.send(Command::Finish);
    let (mut tasks, mut events) = (Vec::new(), Vec::new());
    loop {
        match run.updates.blocking_recv() {
            Some(Update::Progress { tasks: t, events: e, .. }) => {
                tasks.extend(t);
                events.extend(e);
            }
            Some(end) => return (tasks, events, end),
            None => return (tasks, events, Update::Crashed("the demo thread died".into())),
        }
    }
}

/// Drives a paced run to the end in steps of `step` virtual time, collecting what it reports:
/// what a viewer that only ever presses "play" would see. For tests and checks.
pub fn run_in_steps(
    program: &'static Program,
    config: RunConfig,
    step: Duration,
) -> (Vec<TaskMeta>, Vec<Event>, Update) {
    let mut run = PacedRun::start(program, config);
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
