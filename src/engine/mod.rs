//! The trace engine: runs a demo on tokio and records every task's lifecycle as events.
//!
//! - [`api`]: what demos call (`spawn`, `sleep`, `say!`, …), tokio's API with tracing built in;
//! - [`blocking`]: blocking jobs on other threads, kept deterministic;
//! - [`join`]: waiting for tasks (`TaskHandle`, `join_all`, `JoinSet`);
//! - [`tagged`]: wakers that say why they fire (a timer, a joined task's end);
//! - [`task`]: the wrapper around each spawned future that records polls, wakes and outcomes;
//! - [`recorder`]: the per-run, thread-local event buffer;
//! - [`runner`]: the demo's own thread and paused-clock runtime, with limits;
//! - [`paced`]: the same, with the clock driven by a viewer (play, pause, step, cancel);
//! - [`event`]: what gets recorded — the one contract with the views;
//! - [`lifecycle`]: task states, derived from events by one pure function.

pub mod api;
mod blocking;
pub mod event;
mod join;
pub mod lifecycle;
pub mod paced;
pub mod panic_guard;
mod recorder;
pub mod runner;
mod tagged;
mod task;
mod waker;

pub use api::*;
pub use blocking::{BlockingError, BlockingHandle};
pub use join::{JoinSet, Member, TaskHandle, join_all};
pub use tagged::Tagged;
