//! The trace engine: runs a program on tokio and records every task's lifecycle as events.
//!
//! The data flows one way, and the modules follow it:
//!
//! - [`program`]: what the engine is given to run;
//! - [`facade`]: the `tokio` and `std` a program sees, with every spawn and every wait traced;
//! - [`traced`]: the wrapper that traces a task's polls and wakes;
//! - [`record`]: the per-run recorder those write into;
//! - [`run`]: the run itself, on its own thread and paused-clock runtime, recorded or paced;
//! - [`python`]: the other trace source: a Python asyncio program under python3 and
//!   asyncdemo's tracer, on a virtual clock, into the same events;
//! - [`event`]: what gets recorded, the one contract with the views;
//! - [`lifecycle`]: task states, derived from events by one pure function;
//! - [`panic_guard`]: keeps a demo's panics out of the terminal.

pub mod event;
pub mod facade;
pub mod lifecycle;
pub mod panic_guard;
pub mod program;
pub mod python;
pub(crate) mod record;
pub mod run;
mod traced;

pub use record::MAIN_TASK;
