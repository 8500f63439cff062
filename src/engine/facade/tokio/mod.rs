//! The `tokio` a demo sees: tokio itself, with the items that spawn or wait replaced by traced
//! ones of the same names and signatures (`spawn`, `time::sleep`, `sync::Mutex::lock`…).
//! Everything not replaced, `select!` and `join!` included, is tokio's own, through the glob
//! re-export below (a local item shadows a glob-imported one of the same name).
//!
//! The one difference a demo can notice: a task's output must be `Debug`, so the trace can
//! show what it returned.

pub use ::tokio::*;

pub mod net;
pub mod sync;
pub mod task;
pub mod time;

pub use task::spawn;
