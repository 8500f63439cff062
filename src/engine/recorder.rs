//! The per-run event recorder.
//!
//! A demo runs on one thread, on a `current_thread` runtime, so everything it records goes into a
//! thread-local buffer: no lock, no channel, no allocation per event (the buffer is preallocated
//! and names are stored once per task, not per event). Only wakes and prints that come from
//! *other* threads (a `spawn_blocking` job) go through a small locked queue in [`RunShared`],
//! which the demo thread drains before it records anything else.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::panic::Location;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::blocking::PendingJob;
use super::event::{Await, Event, EventKind, SourceLine, TaskId, TaskMeta, Text, Trace, VTime, WakeCause};
use super::waker::{HeaderPool, HeaderRef};

/// What a thread outside the runtime wants recorded.
#[derive(Debug)]
pub(crate) enum Foreign {
    Wake(TaskId),
}

/// The part of a run that other threads can reach.
#[derive(Debug, Default)]
pub(crate) struct RunShared {
    has_foreign: AtomicBool,
    foreign: Mutex<Vec<Foreign>>,
}

impl RunShared {
    pub(crate) fn push_foreign(&self, item: Foreign) {
        self.foreign.lock().unwrap_or_else(|e| e.into_inner()).push(item);
        self.has_foreign.store(true, Ordering::Release);
    }
}

/// Limits that keep a runaway demo from eating the machine.
#[derive(Copy, Clone, Debug)]
pub(crate) struct RecorderLimits {
    pub max_events: usize,
}

pub(crate) struct Recorder {
    pub(crate) shared: Arc<RunShared>,
    headers: HeaderPool,
    events: Vec<Event>,
    tasks: Vec<TaskMeta>,
    /// The virtual clock at the start of the run.
    start: tokio::time::Instant,
    /// The virtual time of the last event (read from the clock once per poll, not per event).
    now: VTime,
    /// The task being polled (or cancelled) right now.
    current: Option<TaskId>,
    /// Set while a tagged waker runs (see `with_wake_cause`).
    wake_cause: Option<WakeCause>,
    /// The current task when a cancelled task's drop began.
    before_drop: Option<TaskId>,
    /// What the current poll is waiting on, set by the outermost described future.
    awaiting: Option<(Await, SourceLine)>,
    /// Set while the runtime shuts down: wakes then lead nowhere and are not recorded.
    closing: bool,
    pub(crate) rng: fastrand::Rng,
    limits: RecorderLimits,
    dropped: u64,
    /// Paced runs only: what the live view needs beyond the trace.
    pub(crate) live: Option<Live>,
    /// Blocking jobs spawned during the current poll, run when it ends (see `blocking`).
    pub(crate) pending_jobs: Vec<PendingJob>,
    /// Live `ClockHold`s, and the blocking job that holds the clock while there are any.
    pub(crate) clock_holds: usize,
    pub(crate) clock_hold_release: Option<std::sync::mpsc::Sender<()>>,
}

/// What a paced run (the live UI) adds to the recorder.
#[derive(Default)]
pub(crate) struct Live {
    /// How many tasks and events the view has been sent.
    pub(crate) sent_tasks: usize,
    pub(crate) sent_events: usize,
    /// Woken at the next recorded event (the controller waits for one to step).
    pub(crate) on_event: Option<std::task::Waker>,
    /// Every task's abort handle, by task index, so the view can cancel any task.
    pub(crate) abort: Vec<tokio::task::AbortHandle>,
}

/// How many events and tasks the buffers are created for (reserved address space; see
/// `install`).
const EVENTS_RESERVED: usize = 1 << 20;
const TASKS_RESERVED: usize = 1 << 17;

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
    /// True while a demo task is being polled or dropped on this thread (see `panic_guard`).
    pub(crate) static IN_DEMO_TASK: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with this thread's recorder. Panics outside a demo run: demos must be started by
/// the runner, and that is a bug in asyncdemo, not a user error.
pub(crate) fn with<R>(f: impl FnOnce(&mut Recorder) -> R) -> R {
    RECORDER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let rec = slot.as_mut().expect("asyncdemo engine used outside a demo run");
        f(rec)
    })
}

/// Like [`with`], but `None` when this thread has no recorder (another thread).
pub(crate) fn try_with<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    RECORDER.with(|cell| cell.borrow_mut().as_mut().map(f))
}

/// Installs a recorder on this thread. Must be called inside the demo runtime's context
/// (it reads the virtual clock).
pub(crate) fn install(seed: u64, limits: RecorderLimits) -> Arc<RunShared> {
    let shared = Arc::new(RunShared::default());
    let recorder = Recorder {
        shared: shared.clone(),
        headers: HeaderPool::new(shared.clone()),
        // Reserved, not touched: pages are only committed as events arrive, and a big run
        // never pays for copying the buffer as it grows.
        events: Vec::with_capacity(EVENTS_RESERVED),
        tasks: Vec::with_capacity(TASKS_RESERVED),
        start: tokio::time::Instant::now(),
        now: VTime::ZERO,
        current: None,
        before_drop: None,
        wake_cause: None,
        awaiting: None,
        closing: false,
        rng: fastrand::Rng::with_seed(seed),
        limits,
        dropped: 0,
        live: None,
        pending_jobs: Vec::new(),
        clock_holds: 0,
        clock_hold_release: None,
    };
    advise_huge_pages(&recorder.events);
    RECORDER.with(|cell| *cell.borrow_mut() = Some(recorder));
    shared
}

/// Asks the kernel to back a reserved, untouched buffer with huge pages: a big run then takes
/// one page fault per 2 MiB of events instead of one per 4 KiB. Only a hint; where transparent
/// huge pages are off it changes nothing.
fn advise_huge_pages<T>(buffer: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let start = buffer.as_ptr() as usize;
        let end = start + buffer.capacity() * size_of::<T>();
        let aligned = start.next_multiple_of(HUGE);
        if end > aligned + HUGE {
            let len = (end - aligned) / HUGE * HUGE;
            // SAFETY: the range lies inside the buffer's own allocation; `madvise` with
            // MADV_HUGEPAGE only changes how it is backed, never its contents.
            unsafe { libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = buffer;
}

/// Removes this thread's recorder and returns what it recorded.
pub(crate) fn uninstall() -> Trace {
    let rec = RECORDER.with(|cell| cell.borrow_mut().take()).expect("no recorder installed");
    Trace { tasks: rec.tasks, events: rec.events, dropped: rec.dropped }
}

impl Recorder {
    #[inline]
    fn push(&mut self, task: TaskId, kind: EventKind) {
        if self.events.len() >= self.limits.max_events {
            self.dropped += 1;
            return;
        }
        self.events.push(Event { at: self.now, task, kind });
        if let Some(live) = &mut self.live
            && let Some(waker) = live.on_event.take()
        {
            waker.wake();
        }
    }

    /// Reads the virtual clock into `now`.
    fn tick(&mut self) {
        if !self.closing {
            let elapsed = tokio::time::Instant::now().saturating_duration_since(self.start);
            self.now = VTime::from_duration(elapsed);
        }
    }

    /// Records what other threads queued since the last call.
    #[inline]
    fn drain_foreign(&mut self) {
        if self.shared.has_foreign.load(Ordering::Relaxed) {
            self.drain_foreign_slow();
        }
    }

    #[cold]
    fn drain_foreign_slow(&mut self) {
        if !self.shared.has_foreign.swap(false, Ordering::Acquire) {
            return;
        }
        let items = std::mem::take(&mut *self.shared.foreign.lock().unwrap_or_else(|e| e.into_inner()));
        for item in items {
            match item {
                Foreign::Wake(task) => self.push(task, EventKind::Scheduled { by: WakeCause::OtherThread }),
            }
        }
    }

    #[inline]
    pub(crate) fn new_task(&mut self, name: Cow<'static, str>) -> (TaskId, HeaderRef) {
        let id = TaskId(self.tasks.len() as u32 + 1);
        let header = self.headers.take(id);
        let parent = self.current;
        self.tasks.push(TaskMeta { id, name, parent });
        self.push(id, EventKind::Created);
        self.push(id, EventKind::Scheduled { by: WakeCause::Spawn });
        (id, header)
    }

    /// A poll of `task` starts.
    #[inline]
    pub(crate) fn begin_poll(&mut self, task: TaskId) {
        // No clock read here: the paused clock only moves when the runtime fires a timer (every
        // such wake goes through `woken`, which reads it) or when a demo moves it itself
        // (`retick`). Debug builds check that claim at every poll.
        #[cfg(debug_assertions)]
        if !self.closing {
            let clock =
                VTime::from_duration(tokio::time::Instant::now().saturating_duration_since(self.start));
            debug_assert_eq!(self.now, clock, "the cached virtual time went stale");
        }
        self.drain_foreign();
        self.push(task, EventKind::Running);
        self.awaiting = None;
        self.current = Some(task);
    }

    /// The poll of `task` returned Pending; returns the blocking jobs it spawned, to run now.
    pub(crate) fn end_poll_pending(&mut self, task: TaskId, woke_itself: bool) -> Vec<PendingJob> {
        let (awaits, line) = match self.awaiting.take() {
            Some((awaits, line)) => (awaits, Some(line)),
            None => (Await::Unknown, None),
        };
        self.push(task, EventKind::Suspended { awaits, line });
        if woke_itself {
            self.push(task, EventKind::Scheduled { by: WakeCause::Itself });
        }
        self.current = None;
        self.take_pending_jobs()
    }

    /// The poll of `task` finished it; returns the blocking jobs it spawned, to run now.
    #[inline]
    pub(crate) fn end_poll_finished(&mut self, task: TaskId, kind: EventKind) -> Vec<PendingJob> {
        self.push(task, kind);
        self.current = None;
        self.take_pending_jobs()
    }

    /// The blocking jobs spawned during the poll that just ended (usually none: no allocation).
    #[inline]
    fn take_pending_jobs(&mut self) -> Vec<PendingJob> {
        if self.pending_jobs.is_empty() { Vec::new() } else { std::mem::take(&mut self.pending_jobs) }
    }

    /// A task's future is about to be dropped before it finished: while its cleanup runs, it
    /// is the current task (so what the cleanup prints is attributed to it).
    pub(crate) fn enter_drop(&mut self, task: TaskId) {
        self.before_drop = self.current.replace(task);
    }

    /// …and it has been dropped.
    pub(crate) fn leave_drop_cancelled(&mut self, task: TaskId) {
        self.push(task, EventKind::Cancelled);
        self.current = self.before_drop.take();
    }

    /// A wake on the demo thread: inside a poll the running task is the cause, outside one the
    /// runtime (its timer or I/O driver) is.
    pub(crate) fn woken(&mut self, task: TaskId) {
        if self.closing {
            return;
        }
        if self.current.is_none() {
            // Between polls the runtime may have moved the paused clock (that is how timers fire).
            self.tick();
        }
        let by = match (self.wake_cause, self.current) {
            (Some(cause), _) => cause,
            (None, Some(current)) => WakeCause::Task(current),
            (None, None) => WakeCause::Runtime,
        };
        self.push(task, EventKind::Scheduled { by });
    }

    /// A line printed on behalf of `task` (a blocking job's output, delivered as its spawner's).
    pub(crate) fn print_as(&mut self, task: TaskId, text: Text) {
        self.push(task, EventKind::Print { text });
    }

    pub(crate) fn print(&mut self, text: Text) {
        let task = self.current.unwrap_or(TaskId(1));
        self.push(task, EventKind::Print { text });
    }

    pub(crate) fn current(&self) -> Option<TaskId> {
        self.current
    }

    /// Describes what the current poll waits on. Called when a described future returns
    /// `Pending`; an outer future returns after its inner ones, so the outermost description
    /// is the one left standing.
    pub(crate) fn describe_await(&mut self, awaits: &Await, line: SourceLine) {
        if self.current.is_some() {
            self.awaiting = Some((awaits.clone(), line));
        }
    }

    pub(crate) fn now(&self) -> VTime {
        self.now
    }

    /// Moves `now` forward after the demo moved the clock synchronously.
    pub(crate) fn retick(&mut self) {
        self.tick();
    }

    pub(crate) fn task(&self, id: TaskId) -> &TaskMeta {
        &self.tasks[id.index()]
    }

    /// Tasks that have not finished, in creation order. Read off the event log (demos ask
    /// rarely; keeping a live set up to date would cost every task).
    pub(crate) fn live_tasks(&self) -> Vec<TaskMeta> {
        let mut finished = vec![false; self.tasks.len()];
        for event in &self.events {
            if matches!(event.kind, EventKind::Done { .. } | EventKind::Failed { .. } | EventKind::Cancelled)
            {
                finished[event.task.index()] = true;
            }
        }
        self.tasks.iter().zip(finished).filter(|(_, done)| !done).map(|(t, _)| t.clone()).collect()
    }

    pub(crate) fn start_closing(&mut self) {
        self.drain_foreign();
        self.closing = true;
    }
}

/// Runs `wake` (which wakes a task) with the wake attributed to `cause`, unless a tagged waker
/// nearer to the source (called earlier in the same chain) already attributed it.
pub(crate) fn with_wake_cause(cause: WakeCause, wake: impl FnOnce()) {
    let set_here =
        try_with(|rec| rec.wake_cause.is_none() && rec.wake_cause.replace(cause).is_none()) == Some(true);
    wake();
    if set_here {
        try_with(|rec| rec.wake_cause = None);
    }
}

impl Recorder {
    /// Paced runs keep every task's abort handle (by task index), so the view can cancel it.
    #[inline]
    pub(crate) fn keep_abort_handle<T>(&mut self, handle: &tokio::task::JoinHandle<T>) {
        if let Some(live) = &mut self.live {
            live.abort.push(handle.abort_handle());
        }
    }

    /// The tasks and events recorded since the last call (paced runs).
    pub(crate) fn take_new(&mut self) -> (Vec<TaskMeta>, Vec<Event>) {
        let live = self.live.get_or_insert_with(Live::default);
        let tasks = self.tasks[live.sent_tasks..].to_vec();
        let events = self.events[live.sent_events..].to_vec();
        live.sent_tasks = self.tasks.len();
        live.sent_events = self.events.len();
        (tasks, events)
    }

    pub(crate) fn event_count(&self) -> usize {
        self.events.len()
    }

    pub(crate) fn now_exact(&mut self) -> VTime {
        self.tick();
        self.now
    }
}

/// The caller's source line, for await descriptions.
#[track_caller]
pub(crate) fn caller() -> SourceLine {
    Location::caller()
}
