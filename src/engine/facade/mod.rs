//! What demos call instead of `tokio` and `std`: the same names and signatures, traced.
//!
//! A demo imports the ones it uses (`use super::{futures, std, tokio, tokio_util};`) and is
//! otherwise plain tokio code. Built with `--features plain-tokio`, the demos get tokio and std
//! themselves instead: the proof that they are plain tokio code.
//!
//! - [`tokio`]: `spawn`, `spawn_blocking`, `JoinHandle`, `JoinSet`, `yield_now`, the timers,
//!   `sync` and `net`; every future that can make a task wait tells the trace what it waits
//!   for and on which line ([`leaf`]);
//! - [`futures`]: `join_all`, `try_join_all`, `select_all` that report where they are awaited;
//! - [`tokio_util`]: its `CancellationToken`, whose `cancelled()` is a traced wait;
//! - [`std`]: `thread::sleep` on the virtual clock;
//! - [`print`]: what the demos' `println!` calls.

pub mod futures;
mod leaf;
mod print;
pub mod std;
pub mod tokio;
pub mod tokio_util;

pub use print::print;
