//! Runs a program on its own OS thread, on a `current_thread` runtime with a paused virtual
//! clock, and records what it does.
//!
//! With the clock paused, tokio jumps time forward whenever every task is waiting on a timer, so
//! a demo that "sleeps" for minutes finishes in milliseconds, and the same demo with the same
//! seed records the same events on every run and every machine.
//!
//! - [`guard`]: [`Run`](guard::Run), one run's runtime and recorder, torn down in the safe order;
//! - [`driver`]: moves the clock while blocking jobs sleep on it;
//! - [`config`]: how to run a program: its seed and limits;
//! - [`paced`]: a run driven by a viewer (play, pause, step, cancel);
//! - here: a run recorded to the end, and its limits. A virtual-time limit and an event limit
//!   are enforced by the recorder; a real-time limit by the caller, which stops waiting.

mod config;
pub(crate) mod driver;
mod gated;
mod guard;
pub mod paced;

use std::fmt;
use std::sync::mpsc;
use std::time::Duration;

use super::event::Trace;
use super::lifecycle::{Lifecycle, State};
use super::panic_guard;
use super::program::Program;
pub use super::record::{Recorded, Stop};
pub use config::{DEFAULT_SEED, RunConfig};
use gated::Gated;
use guard::{Run, StopSignal, main_future};

/// What a run recorded, and whether it was stopped before the demo finished.
#[derive(Debug)]
pub struct Recording {
    pub recorded: Recorded,
}

impl Recording {
    /// The events and tasks, decoded for the views.
    pub fn trace(&self) -> Trace {
        self.recorded.trace()
    }

    /// `Some` if a limit stopped the demo; the trace then ends where it was stopped.
    pub fn stopped(&self) -> Option<Stop> {
        self.recorded.stopped
    }
}

/// Why a run with this trace counts as failed, if it does: a limit stopped it, it recorded an
/// event the lifecycle forbids, or the demo's main future (#1) did not end Done.
pub fn failure(trace: &Trace, stopped: Option<Stop>) -> Option<String> {
    if let Some(stop) = stopped {
        return Some(stop.to_string());
    }
    let lifecycle = match Lifecycle::of(trace) {
        Ok(lifecycle) => lifecycle,
        Err(illegal) => return Some(format!("the engine recorded an impossible event: {illegal}")),
    };
    match lifecycle.tasks.first() {
        Some(main) if main.state == State::Done => None,
        Some(main) => Some(format!(
            "the demo's main future ended {}: {}",
            main.state,
            main.outcome.as_deref().unwrap_or("no result")
        )),
        None => Some("the demo recorded nothing".to_owned()),
    }
}

/// Why a run produced no trace at all.
#[derive(Debug)]
pub enum RunError {
    /// The demo did not finish within the real-time limit.
    RealTimeLimit(Duration),
    /// The runtime could not be built or the demo thread died.
    Crashed(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::RealTimeLimit(limit) => {
                write!(f, "the demo was stopped: it ran for more than {} s of real time", limit.as_secs())
            }
            RunError::Crashed(why) => write!(f, "the demo could not run: {why}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `program` to the end on its own thread and returns everything it recorded.
pub fn record(program: &'static Program, config: RunConfig) -> Result<Recording, RunError> {
    panic_guard::install();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("demo {}", program.name))
        .spawn(move || {
            let _ = tx.send(run_here(program, config));
        })
        .map_err(|e| RunError::Crashed(e.to_string()))?;
    match rx.recv_timeout(config.real_limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(RunError::RealTimeLimit(config.real_limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(RunError::Crashed("the demo thread died".into())),
    }
}

/// Runs `program` on this thread.
fn run_here(program: &'static Program, config: RunConfig) -> Result<Recording, RunError> {
    let run = Run::start(program, &config, false).map_err(|e| RunError::Crashed(e.to_string()))?;
    let shared = run.shared().clone();
    run.block_on(async {
        // `main` as `#[tokio::main]` runs it, beside the run's own parts (not tasks: see
        // `gated`), until `main` returns or a limit stops the run.
        tokio::select! {
            biased;
            () = Gated::new(main_future(program)) => {}
            _ = StopSignal => {}
            () = Gated::new(driver::drive(shared)) => {}
        }
    });
    Ok(Recording { recorded: run.finish() })
}
