//! The event model: the one contract between the engine and every view.
//!
//! A demo run produces a [`Trace`]: the tasks it created ([`TaskMeta`]) and an ordered list of
//! [`Event`]s. Every view (the plain transcript, the live UI, snapshot tests, quizzes) reads only
//! this; none of them reaches into the engine. Task *states* are not stored anywhere: they are
//! derived from the events by [`crate::engine::lifecycle`].

use std::borrow::Cow;
use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

/// Virtual time since the demo started, in nanoseconds.
///
/// Demos run on a paused tokio clock, so this is the same on every machine and every run.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VTime(pub u64);

impl VTime {
    pub const ZERO: VTime = VTime(0);

    pub fn from_duration(d: Duration) -> VTime {
        VTime(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
    }

    pub fn as_duration(self) -> Duration {
        Duration::from_nanos(self.0)
    }

    /// The span between two instants (zero if `earlier` is not earlier).
    pub fn since(self, earlier: VTime) -> VTime {
        VTime(self.0.saturating_sub(earlier.0))
    }
}

/// Seconds with millisecond precision: `1.000 s`.
impl fmt::Display for VTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0 / 1_000_000;
        let text = format!("{}.{:03} s", millis / 1000, millis % 1000);
        f.pad(&text)
    }
}

/// A task id of our own: 1, 2, 3… in creation order, so ids are the same on every run
/// (tokio's own task ids are not).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u32);

impl TaskId {
    /// Index into [`Trace::tasks`].
    pub fn index(self) -> usize {
        self.0 as usize - 1
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("#{}", self.0))
    }
}

/// What is known about a task when it is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskMeta {
    pub id: TaskId,
    /// The name the demo gave it (like `asyncio.create_task(coro, name=...)`).
    pub name: Cow<'static, str>,
    /// The task that spawned it; `None` for the demo's main task.
    pub parent: Option<TaskId>,
}

/// What a suspended task is waiting for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Await {
    /// `sleep` / `sleep_until`: a timer with this deadline.
    Sleep { until: VTime },
    /// A `timeout` around some other future: gives up at this deadline.
    Timeout { until: VTime },
    /// Awaiting another task's `JoinHandle`.
    Join { task: TaskId },
    /// `yield_now`: gave control back to the scheduler and asked to be run again.
    Yield,
    /// A description given by the demo: `"lock"`, `"join_all(#2…#11)"`… (one pointer wide, so
    /// that events stay small).
    Named(Arc<String>),
    /// The task returned `Pending` from a future the demo did not describe.
    Unknown,
}

impl fmt::Display for Await {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Await::Sleep { until } => write!(f, "sleep until {until}"),
            Await::Timeout { until } => write!(f, "timeout at {until}"),
            Await::Join { task } => write!(f, "join {task}"),
            Await::Yield => f.write_str("yield_now"),
            Await::Named(text) => f.write_str(text),
            Await::Unknown => f.write_str("(undescribed future)"),
        }
    }
}

impl From<&str> for Await {
    fn from(text: &str) -> Await {
        Await::Named(Arc::new(text.to_owned()))
    }
}

impl From<String> for Await {
    fn from(text: String) -> Await {
        Await::Named(Arc::new(text))
    }
}

/// A text carried by an event (a printed line, an error message). One pointer wide, so that
/// events stay small (a trace of 100,000 tasks holds 400,000 of them).
#[derive(Clone, PartialEq, Eq)]
#[expect(
    clippy::box_collection,
    reason = "a thin pointer keeps `Event` at 40 bytes; `Box<str>` is two words"
)]
pub struct Text(Box<String>);

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Box::new(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Box::new(text.to_owned()))
    }
}

/// A finished task's result. Integers and `()`, the commonest results, are kept as values and
/// only formatted when shown; anything else is its `{:?}` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Unit,
    Int(i64),
    Debug(Text),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Unit => f.pad("()"),
            Value::Int(n) => f.pad(&n.to_string()),
            Value::Debug(text) => text.fmt(f),
        }
    }
}

/// The demo source line of an await point (captured with `#[track_caller]`).
pub type SourceLine = &'static Location<'static>;

/// Who made a task runnable.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WakeCause {
    /// The task was just spawned (by this parent, if any): it starts in the ready queue.
    Spawn,
    /// Another task woke it while that task was running (released a lock, sent a message…).
    Task(TaskId),
    /// The task it was joining finished (or was cancelled, or failed).
    Finished(TaskId),
    /// The task woke itself during its own poll (`yield_now`).
    Itself,
    /// A timer it was waiting on fired (`sleep`, the deadline of a `timeout`).
    Timer,
    /// A socket or other I/O resource it waited on became ready.
    Io,
    /// The runtime woke it between polls for a reason the demo did not tag (a socket became
    /// ready, an undescribed timer fired).
    Runtime,
    /// A thread outside the runtime woke it (a `spawn_blocking` job finishing, say).
    OtherThread,
}

/// One thing that happened in a demo run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// When it happened, on the virtual clock.
    pub at: VTime,
    /// Which task it concerns (for a print: which task printed it).
    pub task: TaskId,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The task object exists (its name and parent are in [`TaskMeta`]).
    Created,
    /// The task is in the ready queue.
    Scheduled { by: WakeCause },
    /// A poll of the task started.
    Running,
    /// The poll returned `Pending`: the task waits for `awaits` at `line`.
    Suspended { awaits: Await, line: Option<SourceLine> },
    /// The task finished; `result` is its value, printed with `{:?}`.
    Done { result: Value },
    /// The task was cancelled (aborted, or dropped by the runtime) before it finished.
    Cancelled,
    /// The task panicked or returned an error.
    Failed { error: Text },
    /// A line the demo printed (`say!`).
    Print { text: Text },
}

/// Everything a demo run recorded.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Every task, indexed by [`TaskId::index`].
    pub tasks: Vec<TaskMeta>,
    /// Every event, in the order it happened.
    pub events: Vec<Event>,
    /// Events that were not recorded because the run exceeded its event limit.
    pub dropped: u64,
}

impl Trace {
    pub fn task(&self, id: TaskId) -> &TaskMeta {
        &self.tasks[id.index()]
    }

    /// The lines the demo printed, in order.
    pub fn printed(&self) -> impl Iterator<Item = &str> {
        self.events.iter().filter_map(|e| match &e.kind {
            EventKind::Print { text } => Some(&**text),
            _ => None,
        })
    }

    /// The virtual time of the last event.
    pub fn end(&self) -> VTime {
        self.events.last().map_or(VTime::ZERO, |e| e.at)
    }

    /// The trace with every machine-dependent part of printed lines masked (see [`varying`]):
    /// what two runs of a demo that touches the real world must agree on.
    pub fn masked(&self) -> Trace {
        let mut trace = self.clone();
        for event in &mut trace.events {
            if let EventKind::Print { text } = &mut event.kind
                && text.contains(VARYING_OPEN)
            {
                *text = mask_varying(text).into();
            }
        }
        trace
    }
}

/// Marks the start and end of a machine-dependent value in printed output.
pub const VARYING_OPEN: char = '⟪';
pub const VARYING_CLOSE: char = '⟫';

/// A value that depends on the machine or the moment (real time, memory, a port number), marked
/// so that readers, and the tests comparing runs, know it varies: `⟪1.2 s⟫`.
pub fn varying(value: impl fmt::Display) -> String {
    format!("{VARYING_OPEN}{value}{VARYING_CLOSE}")
}

/// `text` with every marked value replaced by `⟪…⟫`.
pub fn mask_varying(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(VARYING_OPEN) {
        out.push_str(&rest[..open]);
        match rest[open..].find(VARYING_CLOSE) {
            Some(close) => {
                out.push_str("⟪…⟫");
                rest = &rest[open + close + VARYING_CLOSE.len_utf8()..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}
