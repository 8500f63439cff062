//! Runs a demo on its own OS thread, on a `current_thread` runtime with a paused virtual clock.
//!
//! With the clock paused, tokio jumps time forward whenever every task is waiting on a timer, so
//! a demo that "sleeps" for minutes finishes in milliseconds, and the same demo with the same
//! seed records the same events on every run and every machine.
//!
//! Two bounds keep any demo from hanging the program: a virtual-time limit (checked by a timer
//! inside the runtime) and a real-time limit (the caller stops waiting for the demo thread).

use std::fmt;
use std::sync::mpsc;
use std::time::Duration;

use super::event::Trace;
use super::lifecycle::{Lifecycle, State};
use super::panic_guard;
use super::recorder::{self, RecorderLimits};
use crate::demos::Demo;

/// How to run a demo.
#[derive(Copy, Clone, Debug)]
pub struct RunConfig {
    /// Seed for the demo's random numbers (`--seed`).
    pub seed: u64,
    /// Stop a demo whose virtual clock passes this.
    pub virtual_limit: Duration,
    /// Stop waiting for a demo that takes longer than this in real time.
    pub real_limit: Duration,
    /// Stop recording after this many events.
    pub max_events: usize,
}

/// The seed used when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 42;

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            seed: DEFAULT_SEED,
            virtual_limit: Duration::from_secs(3600),
            real_limit: Duration::from_secs(30),
            max_events: 10_000_000,
        }
    }
}

/// What a run recorded, and whether it was stopped before the demo finished.
#[derive(Debug)]
pub struct Recording {
    pub trace: Trace,
    /// `Some` if a limit stopped the demo; the trace then ends where it was stopped.
    pub stopped: Option<Stop>,
}

impl Recording {
    /// Why this run counts as failed, if it does: a limit stopped it, it recorded an event the
    /// lifecycle forbids, or the demo's main task (#1) did not end Done.
    pub fn failure(&self) -> Option<String> {
        if let Some(stop) = self.stopped {
            return Some(stop.to_string());
        }
        let lifecycle = match Lifecycle::of(&self.trace) {
            Ok(lifecycle) => lifecycle,
            Err(illegal) => return Some(format!("the engine recorded an impossible event: {illegal}")),
        };
        match lifecycle.tasks.first() {
            Some(main) if main.state == State::Done => None,
            Some(main) => Some(format!(
                "the demo's main task ended {}: {}",
                main.state,
                main.outcome.as_deref().unwrap_or("no result")
            )),
            None => Some("the demo recorded nothing".to_owned()),
        }
    }
}

/// Why a demo was stopped.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Its virtual clock passed the limit.
    VirtualTimeLimit(Duration),
    /// It recorded more events than allowed.
    TooManyEvents(usize),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::VirtualTimeLimit(limit) => {
                write!(f, "the demo was stopped: its virtual clock passed {} s", limit.as_secs())
            }
            Stop::TooManyEvents(limit) => {
                write!(f, "the demo was stopped: it recorded more than {limit} events")
            }
        }
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

/// Runs `demo` to the end on its own thread and returns everything it recorded.
pub fn record(demo: &'static Demo, config: RunConfig) -> Result<Recording, RunError> {
    panic_guard::install();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("demo {}", demo.id))
        .spawn(move || {
            let _ = tx.send(run_here(demo, config));
        })
        .map_err(|e| RunError::Crashed(e.to_string()))?;
    match rx.recv_timeout(config.real_limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(RunError::RealTimeLimit(config.real_limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(RunError::Crashed("the demo thread died".into())),
    }
}

/// Runs `demo` on this thread.
fn run_here(demo: &'static Demo, config: RunConfig) -> Result<Recording, RunError> {
    let runtime = demo_runtime().map_err(|e| RunError::Crashed(e.to_string()))?;
    let in_time = {
        let _context = runtime.enter();
        recorder::install(config.seed, RecorderLimits { max_events: config.max_events });
        runtime.block_on(async {
            // The demo's `main` is a traced task like any other (task #1), so its polls and
            // waits show up too. The runner itself is not a task.
            let main = super::api::spawn("main", (demo.main)());
            tokio::select! {
                biased;
                _ = main => true,
                _ = tokio::time::sleep(config.virtual_limit) => false,
            }
        })
    };
    // Like `asyncio.run`, dropping the runtime cancels every task still alive; the recorder
    // sees each one dropped and records it as Cancelled.
    recorder::with(|rec| rec.start_closing());
    drop(runtime);
    let trace = recorder::uninstall();
    let stopped = stop_reason(trace.dropped, in_time, &config);
    Ok(Recording { trace, stopped })
}

/// The runtime a demo runs on: one thread (like asyncio's loop), a paused virtual clock, timers
/// and I/O.
pub(crate) fn demo_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()
}

/// Which limit, if any, stopped a run.
pub(crate) fn stop_reason(dropped: u64, in_time: bool, config: &RunConfig) -> Option<Stop> {
    if dropped > 0 {
        Some(Stop::TooManyEvents(config.max_events))
    } else if !in_time {
        Some(Stop::VirtualTimeLimit(config.virtual_limit))
    } else {
        None
    }
}
