//! The event model: the one contract between the engine and every view.
//!
//! A demo run produces a [`Trace`]: the tasks it created ([`TaskMeta`]) and an ordered list of
//! [`Event`]s. Every view (the plain transcript, the live UI, snapshot tests, quizzes) reads only
//! this; none of them reaches into the engine. Task *states* are not stored anywhere: they are
//! derived from the events by [`crate::engine::lifecycle`].

use std::borrow::Cow;
use std::fmt;
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

/// What kind of work a task is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// An async task: `tokio::spawn`, or the future given to `block_on` (`main`).
    Async,
    /// A blocking job on tokio's blocking pool: `tokio::task::spawn_blocking`. tokio calls it a
    /// "blocking task"; it runs on a thread of its own from start to end and is never Suspended.
    Blocking,
}

/// What is known about a task when it is created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskMeta {
    pub id: TaskId,
    /// Where the name comes from the code: the async fn the task runs (`coro`), `main::{async}`
    /// for an async block inside `main`, the function a blocking job runs (see [`task_name`]).
    pub name: Cow<'static, str>,
    /// The task that spawned it; `None` for the demo's main future.
    pub parent: Option<TaskId>,
    pub kind: TaskKind,
}

/// A task's name, made from the type name of what it runs, as Python's task `repr` names the
/// coroutine: `asyncdemo::demos::gather::coro::{{closure}}` (the future of `async fn coro`) is
/// `coro`; an async block or closure inside `main` is `main::{async}` or `main::{closure}`; a
/// plain function `blocking` is `blocking`. Wrappers around a future (`Map<F, _>`, `Box<F>`…)
/// are looked through: the first function of the program's own inside the type names it.
pub fn task_name(type_name: &'static str, kind: TaskKind) -> Cow<'static, str> {
    const CLOSURE: &str = "::{{closure}}";
    // The outermost closure type in the name (the least nested in `<…>`), and the path of the
    // function it is in: `f<T>::{{closure}}` names `f`; a wrapper's own path (`Map<…>`) ends in
    // no closure, so the future it wraps names the task.
    let depth_at = |end: usize| {
        type_name[..end].chars().fold(0i32, |depth, c| match c {
            '<' => depth + 1,
            '>' => depth - 1,
            _ => depth,
        })
    };
    let closure = type_name.match_indices(CLOSURE).map(|(at, _)| (depth_at(at), at)).min();
    let Some((_, at)) = closure else {
        // No closure: a function item (a blocking job's `fn`), a function pointer (its type
        // says only what it takes and returns), or a boxed future.
        if type_name.starts_with("fn(") {
            return Cow::Borrowed("fn pointer");
        }
        if type_name.contains("dyn ") || type_name.contains('<') {
            return Cow::Borrowed(match kind {
                TaskKind::Async => "boxed future",
                TaskKind::Blocking => "boxed closure",
            });
        }
        return Cow::Borrowed(type_name.rsplit("::").next().unwrap_or(type_name));
    };
    let function = function_before(&type_name[..at]);
    let closures = type_name[at..].split(['<', '>', ',']).next().unwrap_or_default().matches(CLOSURE).count();
    // An async fn's future is one closure deep; anything deeper is a block or closure inside it.
    // A blocking job's closure directly inside a plain function is one deep too.
    let inner = match kind {
        TaskKind::Async => closures >= 2,
        TaskKind::Blocking => closures >= 1,
    };
    if !inner {
        return Cow::Borrowed(function);
    }
    let what = match kind {
        TaskKind::Async => "async",
        TaskKind::Blocking => "closure",
    };
    Cow::Owned(format!("{function}::{{{what}}}"))
}

/// The last path segment before `end` of a type name, its generic arguments (`<…>`) skipped:
/// `a::b::f<T, U>` gives `f`.
fn function_before(prefix: &'static str) -> &'static str {
    let bytes = prefix.as_bytes();
    let mut end = bytes.len();
    // Skip a generic argument list right before the end.
    if end > 0 && bytes[end - 1] == b'>' {
        let mut depth = 0;
        while end > 0 {
            end -= 1;
            match bytes[end] {
                b'>' => depth += 1,
                b'<' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    let segment = &prefix[..end];
    let start = segment.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    &segment[start..]
}

/// One thing a suspended task is waiting for: a leaf future of tokio's (a timer, a join
/// handle, a lock…) that returned `Pending` during the task's last poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Await {
    /// `sleep` / `sleep_until`: a timer with this deadline.
    Sleep {
        until: VTime,
    },
    /// The deadline of a `timeout` around some other future.
    Timeout {
        until: VTime,
    },
    /// `Interval::tick`: the next tick, at this time.
    Tick {
        until: VTime,
    },
    /// A `JoinHandle`: the end of this task (or blocking job).
    Join {
        task: TaskId,
    },
    /// `JoinSet::join_next`: the next of `tasks` tasks to finish.
    JoinNext {
        tasks: u32,
    },
    /// `yield_now`: gave control back to the scheduler and asked to be run again.
    Yield,
    /// `Mutex::lock`.
    Lock,
    /// `RwLock::read` / `RwLock::write`.
    ReadLock,
    WriteLock,
    /// `Semaphore::acquire`: a permit.
    Permit,
    /// `Notify::notified`.
    Notified,
    /// `Barrier::wait`.
    Barrier,
    /// A channel's receiving end: `mpsc` / `broadcast` `recv`, a `oneshot::Receiver`.
    Recv,
    /// A bounded `mpsc` channel's `send`, waiting for room.
    Send,
    /// `watch::Receiver::changed`.
    Changed,
    /// `TcpListener::accept`.
    Accept,
    /// `TcpStream::connect`.
    Connect,
    /// Reading from a socket.
    Read,
    /// Writing to a socket.
    Write,
    /// `tokio::signal::ctrl_c`.
    Signal,
    /// `CancellationToken::cancelled` (tokio-util).
    Cancelled,
    /// Python: awaiting a task (or, for `gather` and `wait`, each of its tasks still pending).
    Task {
        task: TaskId,
    },
    /// Python: `asyncio.Event.wait`.
    Event,
    /// Python: `asyncio.Condition.wait`.
    Condition,
    /// Python: `asyncio.Queue.get`, waiting for an item.
    QueueGet,
    /// Python: `asyncio.Queue.put`, waiting for room.
    QueuePut,
    /// Python: the future of a thread's job (`run_in_executor`, `to_thread`).
    Thread,
    /// Python: some other future.
    Future,
    /// Python: the program itself, waiting while an event loop runs (`run_forever`).
    Loop,
    /// The task returned `Pending` and none of tokio's futures it polled did: it waits for a
    /// future asyncdemo does not trace.
    Unknown,
}

impl Await {
    /// The deadline, for the ones that are timers.
    pub fn deadline(&self) -> Option<VTime> {
        match self {
            Await::Sleep { until } | Await::Timeout { until } | Await::Tick { until } => Some(*until),
            _ => None,
        }
    }

    /// Waits for the I/O driver (a socket).
    pub fn is_io(&self) -> bool {
        matches!(self, Await::Accept | Await::Connect | Await::Read | Await::Write | Await::Signal)
    }
}

impl fmt::Display for Await {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Await::Sleep { until } => write!(f, "sleep until {until}"),
            Await::Timeout { until } => write!(f, "timeout at {until}"),
            Await::Tick { until } => write!(f, "tick at {until}"),
            Await::Join { task } => write!(f, "join {task}"),
            Await::JoinNext { tasks } => write!(f, "join_next ({tasks} in set)"),
            Await::Yield => f.write_str("yield_now"),
            Await::Lock => f.write_str("lock"),
            Await::ReadLock => f.write_str("read lock"),
            Await::WriteLock => f.write_str("write lock"),
            Await::Permit => f.write_str("semaphore permit"),
            Await::Notified => f.write_str("notified"),
            Await::Barrier => f.write_str("barrier"),
            Await::Recv => f.write_str("recv"),
            Await::Send => f.write_str("send"),
            Await::Changed => f.write_str("changed"),
            Await::Accept => f.write_str("accept"),
            Await::Connect => f.write_str("connect"),
            Await::Read => f.write_str("read"),
            Await::Write => f.write_str("write"),
            Await::Signal => f.write_str("signal"),
            Await::Cancelled => f.write_str("cancelled()"),
            Await::Task { task } => write!(f, "await {task}"),
            Await::Event => f.write_str("event"),
            Await::Condition => f.write_str("condition"),
            Await::QueueGet => f.write_str("queue get"),
            Await::QueuePut => f.write_str("queue put"),
            Await::Thread => f.write_str("thread"),
            Await::Future => f.write_str("future"),
            Await::Loop => f.write_str("the event loop"),
            Await::Unknown => f.write_str("(untraced future)"),
        }
    }
}

/// Everything a suspended task waits for, in the order its futures were polled: one item for a
/// plain `.await`, several for `join!`, `select!` or `join_all`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Awaits(Arc<[Await]>);

impl Awaits {
    pub fn new(items: impl Into<Arc<[Await]>>) -> Awaits {
        Awaits(items.into())
    }

    pub fn one(item: Await) -> Awaits {
        Awaits(Arc::new([item]))
    }

    pub fn items(&self) -> &[Await] {
        &self.0
    }
}

/// `sleep until 1.000 s`; `join #2…#4, #6`: the joins that come together in one phrase, with
/// runs of consecutive tasks as ranges; several waits joined with `, ` (a repeated one once).
impl fmt::Display for Awaits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        let mut items = self.0.iter().peekable();
        while let Some(item) = items.next() {
            let text = match item {
                Await::Join { task } => {
                    let mut joined = vec![*task];
                    while let Some(Await::Join { task }) = items.peek() {
                        joined.push(*task);
                        items.next();
                    }
                    format!("join {}", id_ranges(&joined))
                }
                Await::Task { task } => {
                    let mut awaited = vec![*task];
                    while let Some(Await::Task { task }) = items.peek() {
                        awaited.push(*task);
                        items.next();
                    }
                    format!("await {}", id_ranges(&awaited))
                }
                other => other.to_string(),
            };
            if !parts.contains(&text) {
                parts.push(text);
            }
        }
        f.pad(&parts.join(", "))
    }
}

/// `#2…#4, #6`: task ids in the order given, runs of consecutive ids (three or more) as ranges.
fn id_ranges(ids: &[TaskId]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1].0 == ids[j].0 + 1 {
            j += 1;
        }
        if j - i >= 2 {
            out.push(format!("{}…{}", ids[i], ids[j]));
        } else {
            out.extend(ids[i..=j].iter().map(|id| id.to_string()));
        }
        i = j + 1;
    }
    out.join(", ")
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

/// A line of the program's source file, counting from 1: where a task awaits.
pub type SourceLine = u32;

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
    /// A thread the trace does not know woke it.
    OtherThread,
}

/// Who cancelled a task.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Canceller {
    /// The demo's code, running as this task: `abort()` on a handle, `abort_all()` on a
    /// `JoinSet`, or a `JoinSet` dropped.
    Task(TaskId),
    /// The learner, from the live view.
    Viewer,
    /// The runtime shutting down: `main` returned, and the tasks still alive are dropped.
    Shutdown,
    /// Python: the event loop, outside any task (`asyncio.run` cancelling what is left when
    /// `main` returns, a timeout's callback).
    Loop,
}

/// `abort() from #1`, `the viewer`, `the runtime's shutdown`.
impl fmt::Display for Canceller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Canceller::Task(task) => write!(f, "abort() from {task}"),
            Canceller::Viewer => f.write_str("the viewer"),
            Canceller::Shutdown => f.write_str("the runtime's shutdown"),
            Canceller::Loop => f.write_str("the event loop"),
        }
    }
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
    /// The poll returned `Pending`: the task waits for `awaits`, at `line` (the innermost
    /// `.await` in the program's own code, when it is known).
    Suspended { awaits: Awaits, line: Option<SourceLine> },
    /// The task finished; `result` is its value, printed with `{:?}`.
    Done { result: Value },
    /// Someone asked for the task to be cancelled (`abort()`); it is, when the runtime next
    /// gets to it (a task that finished meanwhile is not). Not a state change.
    CancelAsked { by: Canceller },
    /// The task was cancelled (aborted, or dropped by the runtime) before it finished: by whom,
    /// when the trace knows.
    Cancelled { by: Option<Canceller> },
    /// The task panicked or returned an error.
    Failed { error: Text },
    /// A line the demo printed (`println!`).
    Print { text: Text },
    /// Something asyncio itself warned about, at this moment, about this task (Python runs).
    Warning { what: Warning, text: Text },
}

/// What asyncio's debug checks report (Python runs).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// A callback or a task's step held the loop longer than the threshold (`text`: seconds).
    Blocked,
    /// A coroutine was never awaited (`text`: its name).
    NeverAwaited,
    /// A task was destroyed while still pending.
    DestroyedPending,
    /// A task's exception was never retrieved (`text`: the exception).
    Unretrieved,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Warning::Blocked => "the loop was blocked",
            Warning::NeverAwaited => "a coroutine was never awaited",
            Warning::DestroyedPending => "a task was destroyed while pending",
            Warning::Unretrieved => "an exception was never retrieved",
        })
    }
}

impl EventKind {
    /// The kind's name: a state's name for the events that put a task in that state.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Created => "Created",
            EventKind::Scheduled { .. } => "Scheduled",
            EventKind::Running => "Running",
            EventKind::Suspended { .. } => "Suspended",
            EventKind::Done { .. } => "Done",
            EventKind::Cancelled { .. } => "Cancelled",
            EventKind::CancelAsked { .. } => "CancelAsked",
            EventKind::Failed { .. } => "Failed",
            EventKind::Print { .. } => "Print",
            EventKind::Warning { .. } => "Warning",
        }
    }
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
        let mask = |text: &mut Text| {
            if text.contains(VARYING_OPEN) {
                *text = mask_varying(text).into();
            }
        };
        for event in &mut trace.events {
            match &mut event.kind {
                EventKind::Print { text } | EventKind::Failed { error: text } => mask(text),
                EventKind::Done { result: Value::Debug(text) } => mask(text),
                _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_named_after_the_function_they_run() {
        let name = |type_name, kind| task_name(type_name, kind).into_owned();
        let async_ = TaskKind::Async;
        for (type_name, expected) in [
            ("asyncdemo::demos::gather::coro::{{closure}}", "coro"),
            ("asyncdemo::demos::gather::main::{{closure}}::{{closure}}", "main::{async}"),
            (
                "asyncdemo::demos::tasks::add_done_callback<(), asyncdemo::demos::tasks::callback_func>::{{closure}}",
                "add_done_callback",
            ),
            (
                "tokio::task::task_local::TaskLocalFuture<&str, asyncdemo::demos::introspection::fetch::{{closure}}>",
                "fetch",
            ),
            (
                "asyncdemo::demos::scale::Gathered::track<asyncdemo::demos::scale::worker::{{closure}}>::{{closure}}",
                "track",
            ),
            (
                "futures_util::future::future::Map<asyncdemo::demos::x::coro::{{closure}}, asyncdemo::demos::x::main::{{closure}}::{{closure}}>",
                "coro",
            ),
            (
                "core::pin::Pin<alloc::boxed::Box<dyn core::future::future::Future<Output = ()> + core::marker::Send>>",
                "boxed future",
            ),
        ] {
            assert_eq!(name(type_name, async_), expected, "{type_name}");
        }
        assert_eq!(name("asyncdemo::demos::executor::blocking", TaskKind::Blocking), "blocking");
        assert_eq!(name("fn() -> alloc::string::String", TaskKind::Blocking), "fn pointer");
        assert_eq!(
            name("fn() -> core::result::Result<u8, alloc::string::String>", TaskKind::Blocking),
            "fn pointer"
        );
        assert_eq!(
            name("asyncdemo::demos::executor::main::{{closure}}::{{closure}}", TaskKind::Blocking),
            "main::{closure}"
        );
    }
}
