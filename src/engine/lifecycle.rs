//! Task states, derived from events by one pure function.
//!
//! [`transition`] is the only place that knows which state follows which event. The transcript,
//! the live UI and the tests all fold events through it (via [`Lifecycle`]), so they cannot
//! disagree about what state a task is in.
//!
//! ```text
//!   Created ──► Scheduled ──► Running ──► Done | Failed
//!                  ▲             │
//!                  │             ▼
//!                  └──────── Suspended
//!   Created | Scheduled | Suspended ──► Cancelled
//! ```
//!
//! Every legal step (a test reads this table and checks [`transition`] against it, both ways):
//!
//! | from                          | event               | to        |
//! |-------------------------------|---------------------|-----------|
//! | (none)                        | Created             | Created   |
//! | Created, Suspended            | Scheduled           | Scheduled |
//! | Scheduled                     | Running             | Running   |
//! | Running                       | Suspended           | Suspended |
//! | Running                       | Done                | Done      |
//! | Running                       | Failed              | Failed    |
//! | Created, Scheduled, Suspended | Cancelled           | Cancelled |
//! | Running                       | Cancelled           | Cancelled |
//! | any                           | Print, CancelAsked, Warning | (same) |

use std::fmt;

use super::event::{Awaits, Canceller, Event, EventKind, SourceLine, TaskId, TaskMeta, Trace, VTime};

/// The lifecycle state of a task. The names stay in English in every language.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Created,
    Scheduled,
    Running,
    Suspended,
    Done,
    Cancelled,
    Failed,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Created,
        State::Scheduled,
        State::Running,
        State::Suspended,
        State::Done,
        State::Cancelled,
        State::Failed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            State::Created => "Created",
            State::Scheduled => "Scheduled",
            State::Running => "Running",
            State::Suspended => "Suspended",
            State::Done => "Done",
            State::Cancelled => "Cancelled",
            State::Failed => "Failed",
        }
    }

    /// A task in a terminal state never changes again.
    pub fn is_terminal(self) -> bool {
        matches!(self, State::Done | State::Cancelled | State::Failed)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// An event that the lifecycle does not allow in the task's current state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IllegalTransition {
    pub task: TaskId,
    pub from: Option<State>,
    pub event: EventKind,
}

impl fmt::Display for IllegalTransition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = self.from.map_or("(no task yet)", State::name);
        write!(f, "task {} in state {from} cannot take {:?}", self.task, self.event)
    }
}

/// The lifecycle does not allow that event in that state.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Forbidden;

/// The state after `event`, given the state before it (`None`: the task does not exist yet).
/// Events that are not state changes (prints) keep the state.
pub fn transition(from: Option<State>, event: &EventKind) -> Result<Option<State>, Forbidden> {
    use State::*;
    let to = match (from, event) {
        (Some(_), EventKind::Print { .. } | EventKind::CancelAsked { .. } | EventKind::Warning { .. }) => {
            return Ok(from);
        }
        (None, EventKind::Created) => Created,
        (Some(Created | Suspended), EventKind::Scheduled { .. }) => Scheduled,
        (Some(Scheduled), EventKind::Running) => Running,
        (Some(Running), EventKind::Suspended { .. }) => Suspended,
        (Some(Running), EventKind::Done { .. }) => Done,
        (Some(Running), EventKind::Failed { .. }) => Failed,
        (Some(Created | Scheduled | Suspended), EventKind::Cancelled { .. }) => Cancelled,
        // Python: cancelling throws `CancelledError` into the coroutine at its next step, which
        // runs its `except` and `finally` and ends Cancelled. (tokio drops a future between
        // polls instead.)
        (Some(Running), EventKind::Cancelled { .. }) => Cancelled,
        _ => return Err(Forbidden),
    };
    Ok(Some(to))
}

/// Everything the views show about one task, folded from its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskView {
    pub meta: TaskMeta,
    pub state: State,
    /// When the task entered its current state.
    pub since: VTime,
    /// The number of the event (counting from 0) that put it in its current state: orders
    /// tasks that entered a state at the same instant (the ready queue is first in, first out).
    pub entered: usize,
    /// What it waits for, while Suspended (and, once Cancelled, what it waited for when it was).
    pub awaits: Option<(Awaits, Option<SourceLine>)>,
    /// The line of its last `.await` in the demo (kept while it runs on from there).
    pub line: Option<SourceLine>,
    /// Who asked for it to be cancelled (while the cancel has not landed), or who cancelled it.
    pub cancel: Option<Canceller>,
    /// `Done`: the result; `Failed`: the error.
    pub outcome: Option<String>,
    /// Virtual time spent in each state so far (closed intervals only; see [`TaskView::time_in`]).
    pub scheduled: VTime,
    pub running: VTime,
    pub suspended: VTime,
    /// How many times the task was polled.
    pub polls: u32,
}

impl TaskView {
    /// Time spent in `state` up to `now`, counting the interval still open.
    pub fn time_in(&self, state: State, now: VTime) -> VTime {
        let closed = match state {
            State::Scheduled => self.scheduled,
            State::Running => self.running,
            State::Suspended => self.suspended,
            _ => VTime::ZERO,
        };
        if self.state == state { VTime(closed.0 + now.since(self.since).0) } else { closed }
    }
}

/// The state of every task, kept up to date one event at a time.
#[derive(Clone, Debug, Default)]
pub struct Lifecycle {
    pub tasks: Vec<TaskView>,
    /// The time of the last event applied.
    pub now: VTime,
    /// How many events have been applied.
    pub applied: usize,
}

impl Lifecycle {
    /// Folds a whole trace.
    pub fn of(trace: &Trace) -> Result<Lifecycle, IllegalTransition> {
        let mut lifecycle = Lifecycle::default();
        for event in &trace.events {
            lifecycle.apply(&trace.tasks, event)?;
        }
        Ok(lifecycle)
    }

    pub fn get(&self, id: TaskId) -> Option<&TaskView> {
        self.tasks.get(id.index())
    }

    /// Applies one event. `metas` must already hold the event's task.
    pub fn apply(&mut self, metas: &[TaskMeta], event: &Event) -> Result<(), IllegalTransition> {
        let number = self.applied;
        self.applied += 1;
        self.now = self.now.max(event.at);
        let index = event.task.index();
        let from = self.tasks.get(index).map(|t| t.state);
        let illegal = || IllegalTransition { task: event.task, from, event: event.kind.clone() };
        let to = transition(from, &event.kind).map_err(|Forbidden| illegal())?;
        let Some(to) = to else { return Ok(()) };
        if let EventKind::CancelAsked { by } = &event.kind {
            let task = &mut self.tasks[index];
            if !task.state.is_terminal() {
                task.cancel = Some(*by);
            }
            return Ok(());
        }
        if from.is_none() {
            if index != self.tasks.len() {
                return Err(illegal());
            }
            let meta = metas.get(index).ok_or_else(illegal)?.clone();
            self.tasks.push(TaskView {
                meta,
                state: State::Created,
                since: event.at,
                entered: number,
                awaits: None,
                line: None,
                cancel: None,
                outcome: None,
                scheduled: VTime::ZERO,
                running: VTime::ZERO,
                suspended: VTime::ZERO,
                polls: 0,
            });
            return Ok(());
        }
        let task = &mut self.tasks[index];
        let spent = event.at.since(task.since);
        match task.state {
            State::Scheduled => task.scheduled.0 += spent.0,
            State::Running => task.running.0 += spent.0,
            State::Suspended => task.suspended.0 += spent.0,
            _ => {}
        }
        match &event.kind {
            EventKind::Running => {
                task.polls += 1;
                task.awaits = None;
            }
            EventKind::Suspended { awaits, line } => {
                task.awaits = Some((awaits.clone(), *line));
                task.line = line.or(task.line);
            }
            EventKind::Scheduled { .. } => {}
            EventKind::Done { result } => task.outcome = Some(result.to_string()),
            EventKind::Failed { error } => task.outcome = Some(error.to_string()),
            EventKind::Cancelled { by } => task.cancel = by.or(task.cancel),
            _ => {}
        }
        task.state = to;
        task.since = event.at;
        task.entered = number;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{Await, TaskKind, Value, WakeCause};

    fn kinds() -> Vec<EventKind> {
        vec![
            EventKind::Created,
            EventKind::Scheduled { by: WakeCause::Spawn },
            EventKind::Running,
            EventKind::Suspended { awaits: Awaits::one(Await::Yield), line: None },
            EventKind::Done { result: Value::Unit },
            EventKind::Cancelled { by: None },
            EventKind::CancelAsked { by: Canceller::Viewer },
            EventKind::Failed { error: "e".into() },
            EventKind::Print { text: "p".into() },
            EventKind::Warning { what: crate::engine::event::Warning::Blocked, text: "1.000".into() },
        ]
    }

    /// The table in the module docs: (from, event) → to, read from this file's source.
    fn documented() -> Vec<(Option<State>, &'static str, Option<State>)> {
        let by_name = |name: &str| State::ALL.into_iter().find(|s| s.name() == name);
        let mut steps = Vec::new();
        for row in include_str!("lifecycle.rs").lines().filter_map(|l| l.strip_prefix("//! | ")).skip(1) {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let froms: Vec<Option<Option<State>>> = match cells[0] {
                "(none)" => vec![None],
                "any" => State::ALL.into_iter().map(|s| Some(Some(s))).collect(),
                list => list.split(", ").map(|n| Some(Some(by_name(n).expect(n)))).collect(),
            };
            for from in froms {
                let from = from.flatten();
                for event in cells[1].split(", ") {
                    let event: &'static str = Box::leak(event.to_owned().into_boxed_str());
                    let to =
                        if cells[2] == "(same)" { from } else { Some(by_name(cells[2]).expect(cells[2])) };
                    steps.push((from, event, to));
                }
            }
        }
        steps
    }

    /// Every (state, event) pair: legal exactly where the documented table says, to the state it
    /// says.
    #[test]
    fn the_transition_table_is_exactly_the_documented_one() {
        let table = documented();
        assert!(table.len() >= 20, "the table was read: {} steps", table.len());
        let mut froms: Vec<Option<State>> = State::ALL.iter().copied().map(Some).collect();
        froms.push(None);
        for from in froms {
            for kind in kinds() {
                let expected = table.iter().find(|(f, e, _)| *f == from && *e == kind.name()).map(|s| s.2);
                match expected {
                    Some(to) => assert_eq!(transition(from, &kind), Ok(to), "{from:?} + {kind:?}"),
                    None => assert!(transition(from, &kind).is_err(), "{from:?} + {kind:?} must be illegal"),
                }
            }
        }
    }

    #[test]
    fn terminal_states_take_no_more_state_changes() {
        for state in [State::Done, State::Cancelled, State::Failed] {
            assert!(state.is_terminal());
            for kind in kinds() {
                if !matches!(
                    kind,
                    EventKind::Print { .. } | EventKind::CancelAsked { .. } | EventKind::Warning { .. }
                ) {
                    assert!(transition(Some(state), &kind).is_err(), "{state:?} + {kind:?}");
                }
            }
        }
    }

    #[test]
    fn time_is_accounted_to_the_state_it_was_spent_in() {
        let meta = |n| TaskMeta { id: TaskId(n), name: "t".into(), parent: None, kind: TaskKind::Async };
        let at = |ms: u64, kind| Event { at: VTime(ms * 1_000_000), task: TaskId(1), kind };
        let mut life = Lifecycle::default();
        for event in [
            at(0, EventKind::Created),
            at(0, EventKind::Scheduled { by: WakeCause::Spawn }),
            at(5, EventKind::Running),
            at(7, EventKind::Suspended { awaits: Awaits::one(Await::Yield), line: None }),
            at(100, EventKind::Scheduled { by: WakeCause::Timer }),
            at(100, EventKind::Running),
            at(100, EventKind::Done { result: Value::Int(1) }),
        ] {
            life.apply(&[meta(1)], &event).unwrap();
        }
        let task = &life.tasks[0];
        assert_eq!(
            (task.scheduled, task.running, task.suspended),
            (VTime(5_000_000), VTime(2_000_000), VTime(93_000_000))
        );
        assert_eq!((task.state, task.polls, task.outcome.as_deref()), (State::Done, 2, Some("1")));
    }
}
