//! The table a run ends with: every task's final state, result, time in each state and number of
//! polls (the first tasks of a big run, the rest counted by final state). The transcript writes
//! it as text; the handouts as an HTML or Markdown table.

use super::shown::Shown;
use crate::engine::event::VTime;
use crate::engine::lifecycle::{Lifecycle, State};

/// One task's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// `#3`.
    pub id: String,
    pub name: String,
    /// The state it ended in (or was in when the run stopped).
    pub state: State,
    /// What it returned or the error it failed with; `None` for other ends.
    pub result: Option<String>,
    pub scheduled: VTime,
    pub running: VTime,
    pub suspended: VTime,
    pub polls: u32,
}

/// The rows, and the tasks counted instead of shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// How many tasks are not shown, and how many of them ended in each state.
    pub others: Option<(usize, Vec<(State, usize)>)>,
}

impl Table {
    /// The table of a run folded to its end.
    pub fn of(lifecycle: &Lifecycle, shown: Shown) -> Table {
        let end = lifecycle.now;
        let rows = lifecycle
            .tasks
            .iter()
            .filter(|t| shown.task(t.meta.id))
            .map(|task| Row {
                id: task.meta.id.to_string(),
                name: task.meta.name.to_string(),
                state: task.state,
                result: match task.state {
                    State::Done | State::Failed => Some(task.outcome.clone().unwrap_or_default()),
                    _ => None,
                },
                scheduled: task.time_in(State::Scheduled, end),
                running: task.time_in(State::Running, end),
                suspended: task.time_in(State::Suspended, end),
                polls: task.polls,
            })
            .collect();
        let others: Vec<State> =
            lifecycle.tasks.iter().filter(|t| !shown.task(t.meta.id)).map(|t| t.state).collect();
        let others = (!others.is_empty()).then(|| {
            let counts = State::ALL
                .iter()
                .map(|state| (*state, others.iter().filter(|s| *s == state).count()))
                .filter(|(_, n)| *n > 0)
                .collect();
            (others.len(), counts)
        });
        Table { rows, others }
    }
}
