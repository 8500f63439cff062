//! Which tasks a view of a run shows in full. A run of 100,000 tasks cannot be read task by task
//! (its transcript would be 400,000 lines, its timeline 100,000 rows): a run with more than
//! [`FULL_TASKS`] tasks shows the first [`SHOWN_TASKS`] in full and counts the rest. The
//! transcript, the Perfetto trace and the handouts all follow this one rule.

use crate::engine::event::{TaskId, Trace};

/// A run with more tasks than this is summed up.
pub const FULL_TASKS: usize = 40;
/// How many tasks a summed-up run shows in full: the first ones.
pub const SHOWN_TASKS: u32 = 20;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// Whether only the first tasks are shown in full.
    pub summed_up: bool,
}

impl Shown {
    pub fn of(trace: &Trace) -> Shown {
        Shown { summed_up: trace.tasks.len() > FULL_TASKS }
    }

    /// Whether `task` is shown in full.
    pub fn task(self, task: TaskId) -> bool {
        !self.summed_up || task.0 <= SHOWN_TASKS
    }

    /// How many tasks are counted rather than shown, of `total`.
    pub fn counted(self, total: usize) -> usize {
        if self.summed_up { total.saturating_sub(SHOWN_TASKS as usize) } else { 0 }
    }
}
