//! The per-run recorder: what a running demo records, on the demo's own thread.
//!
//! A demo runs on one thread, on a `current_thread` runtime, so the recorder is a thread-local:
//! no lock, no channel, no allocation per event. It is made of parts, each in its own file and
//! changed only through its methods:
//!
//! - [`log`]: the events, stored compactly;
//! - [`tasks`]: every task, and where its polls stand;
//! - [`poll`]: the poll under way and what it left pending;
//! - [`clock`]: the virtual clock as last read;
//! - [`shared`]: what other threads (blocking jobs, wakers woken there) queue for the recorder.
//!
//! The recorder never calls out while it is borrowed: every method here only updates its own
//! state, so no demo code (a spawn, a drop, a wake) can run inside [`with`].

mod clock;
pub(crate) mod job;
mod log;
pub(crate) mod owners;
mod poll;
pub(crate) mod shared;
mod tasks;

use std::cell::RefCell;
use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::task::Waker;
use std::time::Duration;

use self::clock::Clock;
use self::job::Job;
use self::log::{Decoder, Log, Woken};
use self::owners::WakerData;
use self::poll::PollFrame;
pub(crate) use self::poll::Ticket;
use self::shared::{Foreign, RunId, RunShared};
use self::tasks::TaskTable;
use super::event::{Await, Canceller, Event, TaskId, TaskKind, TaskMeta, Text, Trace, VTime, Value};

/// The id of the demo's main future: the first task of every run.
pub const MAIN_TASK: TaskId = TaskId(1);

/// Why a run was stopped before the demo finished.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Its virtual clock passed the limit.
    VirtualTimeLimit(Duration),
    /// It recorded more events than allowed.
    TooManyEvents(usize),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::VirtualTimeLimit(limit) => {
                write!(f, "the demo was stopped: its virtual clock passed {} s", limit.as_secs())
            }
            Stop::TooManyEvents(limit) => {
                write!(f, "the demo was stopped: it recorded more than {limit} events")
            }
        }
    }
}

/// The limits a recorder enforces.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Limits {
    pub(crate) virtual_time: Duration,
    pub(crate) events: usize,
}

/// A blocking job whose thread sleeps on the virtual clock.
#[derive(Debug)]
struct Sleeper {
    until: VTime,
    job: Arc<Job>,
}

/// What a paced run (the live view) keeps beyond the trace.
#[derive(Debug, Default)]
struct Live {
    /// How many tasks the view has been sent.
    sent_tasks: usize,
    /// Events decoded and not sent yet.
    unsent: Vec<Event>,
    /// Every task's abort handle, by task index, so the view can cancel any task.
    abort: Vec<Option<tokio::task::AbortHandle>>,
    /// The viewer's cancels still to make: each task is cancelled once so many events are
    /// recorded (see [`Recorder::cancel_at`]), in order.
    cancels: std::collections::VecDeque<(usize, TaskId)>,
    /// How many events the view has been sent.
    sent_events: usize,
}

pub(crate) struct Recorder {
    shared: Arc<RunShared>,
    /// The program's source file: await points in it are the lines the trace shows.
    program_file: &'static str,
    clock: Clock,
    log: Log,
    tasks: TaskTable,
    poll: PollFrame,
    sleepers: Vec<Sleeper>,
    /// Scratch space for a suspension's awaits.
    awaits: Vec<Await>,
    /// Follows the log, for what the clock driver asks (and the events a paced run sends): made
    /// the first time it is needed.
    follower: Option<Decoder>,
    limits: Limits,
    stopped: Option<Stop>,
    /// Woken when `stopped` is set.
    on_stop: Option<Waker>,
    live: Option<Live>,
    /// The run has a viewer's cancel still to make (see [`Recorder::cancel_at`]).
    fork_pending: bool,
    /// The runtime is shutting down: what is cancelled now, its shutdown cancels.
    closing: bool,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's recorder, `None` when this thread records no run.
#[inline]
pub(crate) fn try_with<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    RECORDER.with(|cell| cell.borrow_mut().as_mut().map(f))
}

/// Is a traced task being polled (or dropped) on this thread? Never blocks: a recorder in use
/// counts as no.
pub(crate) fn in_task() -> bool {
    RECORDER.with(|cell| {
        cell.try_borrow().ok().is_some_and(|rec| rec.as_ref().is_some_and(|rec| rec.current().is_some()))
    })
}

/// Runs `f` with this thread's recorder if it records run `run`.
#[inline]
pub(crate) fn with_run<R>(run: RunId, f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    RECORDER.with(|cell| cell.borrow_mut().as_mut().filter(|rec| rec.shared.run == run).map(f))
}

/// Installs a recorder for a new run on this thread. Must be called inside the demo runtime's
/// context (it reads the virtual clock). Only [`crate::engine::run`]'s `Run` calls it, and
/// removes the recorder again when it is dropped.
pub(crate) fn install(program_file: &'static str, limits: Limits, live: bool) -> Arc<RunShared> {
    let shared = RunShared::new(RunId::next());
    let recorder = Recorder {
        shared: shared.clone(),
        program_file,
        clock: Clock::start(),
        log: Log::new(limits.events),
        tasks: TaskTable::new(),
        poll: PollFrame::default(),
        sleepers: Vec::new(),
        awaits: Vec::new(),
        follower: None,
        limits,
        stopped: None,
        on_stop: None,
        live: live.then(Live::default),
        fork_pending: false,
        closing: false,
    };
    RECORDER.with(|cell| {
        let mut slot = cell.borrow_mut();
        assert!(slot.is_none(), "a run is already recorded on this thread");
        *slot = Some(recorder);
    });
    shared
}

/// What a finished run recorded.
#[derive(Debug)]
pub struct Recorded {
    log: Log,
    tasks: TaskTable,
    pub(crate) stopped: Option<Stop>,
    /// What a paced run had not sent its viewer yet: the first unsent task, the follower that
    /// knows where the log was read to, and events read but not sent.
    unsent: Option<(usize, Decoder, Vec<Event>)>,
}

impl Recorded {
    /// Decodes the events and tasks for the views.
    pub fn trace(&self) -> Trace {
        let mut events = Vec::new();
        Decoder::default().read(&self.log, Some(&mut events));
        Trace { tasks: self.tasks.metas_from(0), events, dropped: self.log.dropped }
    }

    pub fn events(&self) -> usize {
        self.log.len()
    }

    /// Events not recorded because the run passed its event limit.
    pub fn dropped(&self) -> u64 {
        self.log.dropped
    }

    /// The tasks and events a paced run had not sent its viewer yet.
    pub(crate) fn unsent(&mut self) -> (Vec<TaskMeta>, Vec<Event>) {
        let Some((sent_tasks, mut follower, mut events)) = self.unsent.take() else {
            return (Vec::new(), Vec::new());
        };
        follower.read(&self.log, Some(&mut events));
        (self.tasks.metas_from(sent_tasks), events)
    }

    pub fn tasks(&self) -> usize {
        self.tasks.len()
    }

    /// Bytes the recording holds: the event log with its side tables, and the task table.
    pub fn bytes(&self) -> (usize, usize) {
        (self.log.bytes(), self.tasks.bytes())
    }
}

/// Removes this thread's recorder and returns what it recorded.
pub(crate) fn uninstall() -> Recorded {
    let rec = RECORDER.with(|cell| cell.borrow_mut().take()).expect("no recorder installed");
    let unsent = match (rec.live, rec.follower) {
        (Some(live), Some(follower)) => Some((live.sent_tasks, follower, live.unsent)),
        (Some(live), None) => Some((live.sent_tasks, Decoder::default(), live.unsent)),
        _ => None,
    };
    Recorded { log: rec.log, tasks: rec.tasks, stopped: rec.stopped, unsent }
}

impl Recorder {
    pub(crate) fn run(&self) -> RunId {
        self.shared.run
    }

    pub(crate) fn shared(&self) -> &Arc<RunShared> {
        &self.shared
    }

    // ---- the clock ----

    pub(crate) fn now(&self) -> VTime {
        self.clock.now()
    }

    /// The clock driver is about to move the clock: the next wake reads it again.
    pub(crate) fn clock_will_move(&mut self) {
        self.clock.poll_began();
    }

    /// Reads the clock after something may have moved it.
    pub(crate) fn tick(&mut self) {
        let moved = self.clock.read();
        self.clock_read(moved);
    }

    fn clock_read(&mut self, moved: bool) {
        if moved {
            self.poll.clock_moved();
            if self.clock.now().as_duration() > self.limits.virtual_time {
                self.stop(Stop::VirtualTimeLimit(self.limits.virtual_time));
            }
        }
    }

    /// The virtual time of an instant on tokio's clock.
    pub(crate) fn at(&self, instant: tokio::time::Instant) -> VTime {
        self.clock.at(instant)
    }

    /// The runtime is shutting down: the tasks it drops are Cancelled at the last instant, and
    /// the wakes their drops cause lead nowhere.
    pub(crate) fn start_closing(&mut self) {
        self.closing = true;
        self.drain();
        self.clock.freeze();
        // The runtime waits for its jobs: let the sleeping ones go.
        for sleeper in self.sleepers.drain(..) {
            sleeper.job.let_go();
        }
    }

    // ---- limits ----

    fn stop(&mut self, why: Stop) {
        if self.stopped.is_none() {
            self.stopped = Some(why);
            if let Some(waker) = self.on_stop.take() {
                // Only marks the runner's future as ready; no demo code runs.
                waker.wake();
            }
        }
    }

    /// Why the run must stop, if a limit was passed; otherwise `waker` is woken when one is.
    pub(crate) fn poll_stop(&mut self, waker: &Waker) -> Option<Stop> {
        if self.stopped.is_none() {
            self.on_stop = Some(waker.clone());
        }
        self.stopped
    }

    #[inline]
    fn recorded(&mut self, ok: bool) {
        if !ok {
            self.stop(Stop::TooManyEvents(self.limits.events));
        }
        if self.fork_pending {
            self.fork_check();
        }
    }

    /// A viewer's cancel: once `at` events are recorded (as the views count them, decoded),
    /// `task` is cancelled (`abort`). Cancels are made in the order they are given, each once
    /// its count is reached (a cancel's own `CancelAsked` event counts for the next).
    pub(crate) fn cancel_at(&mut self, at: usize, task: TaskId) {
        self.live.get_or_insert_with(Live::default).cancels.push_back((at, task));
        self.fork_pending = true;
    }

    #[cold]
    fn fork_check(&mut self) {
        let Some(live) = self.live.as_mut() else { return };
        let Some(&(at, task)) = live.cancels.front() else {
            self.fork_pending = false;
            return;
        };
        // Decode what is new (without draining other threads' queues: this runs inside
        // recording) and count.
        self.follower.get_or_insert_with(Decoder::default).read(&self.log, Some(&mut live.unsent));
        if live.sent_events + live.unsent.len() < at {
            return;
        }
        live.cancels.pop_front();
        self.fork_pending = !live.cancels.is_empty();
        // A cancel of a task that does not exist at that moment (a viewer's list comes from
        // outside: a follower's from the network) is not made.
        if task.0 == 0 || task.0 as usize > self.tasks.len() {
            if self.fork_pending {
                self.fork_check();
            }
            return;
        }
        // Recording the request checks the next cancel (which may be due at once).
        let ok = self.log.cancel_asked(self.clock.now(), task, Canceller::Viewer);
        self.recorded(ok);
        // `abort` only marks the task and puts it in the ready queue: nothing of the demo's
        // runs here, inside the recorder.
        if let Some(handle) = self.abort_handle(task) {
            handle.abort();
        }
    }

    /// Someone asked for `task` to be cancelled: the task being polled (its `abort()`), or `by`.
    pub(crate) fn cancel_asked(&mut self, task: TaskId, by: Option<Canceller>) {
        let by = by.or_else(|| self.poll.current().map(Canceller::Task)).unwrap_or(Canceller::Viewer);
        let ok = self.log.cancel_asked(self.clock.now(), task, by);
        self.recorded(ok);
    }

    // ---- tasks ----

    /// A task is spawned by the current task (if any): Created and Scheduled.
    #[inline]
    pub(crate) fn spawn(&mut self, origin: &'static str, kind: TaskKind) -> TaskId {
        let task = self.tasks.add(origin, self.poll.current(), kind);
        let ok = self.log.spawned(self.clock.now(), task);
        self.recorded(ok);
        task
    }

    /// A poll of `task`, with a waker pointing at `waker`, starts.
    #[inline]
    pub(crate) fn begin_poll(&mut self, task: TaskId, waker: WakerData) {
        #[cfg(debug_assertions)]
        if !self.clock.is_frozen() {
            debug_assert_eq!(self.clock.now(), self.clock.exact(), "the cached virtual time went stale");
        }
        self.drain();
        let ok = self.log.running(self.clock.now(), task);
        self.recorded(ok);
        self.clock.poll_began();
        self.poll.begin(task, waker);
    }

    /// A future of tokio's returned `Pending` in the poll under way; it was awaited at
    /// `polled_at` and made at `made_at`, and the first of them in the program's own file is
    /// the line the task waits at.
    #[inline]
    pub(crate) fn leaf(
        &mut self,
        what: Await,
        polled_at: &'static Location<'static>,
        made_at: Option<&'static Location<'static>>,
    ) -> Option<Ticket> {
        let file = self.program_file;
        let line = [Some(polled_at), made_at]
            .into_iter()
            .flatten()
            .find(|at| at.file().ends_with(file))
            .map(|at| at.line());
        self.poll.leaf(what, line)
    }

    /// A leaf future that returned `Pending` was dropped (see [`PollFrame::withdraw`]).
    pub(crate) fn withdraw(&mut self, ticket: Ticket) {
        self.poll.withdraw(ticket);
    }

    /// A combinator of many futures returned `Pending`, awaited at `at`.
    pub(crate) fn awaited_at(&mut self, at: &'static Location<'static>) {
        if at.file().ends_with(self.program_file) {
            self.poll.fallback_line(at.line());
        }
    }

    /// A blocking job was spawned: Created and Scheduled; its end is held back until the poll
    /// under way (if any) ends.
    pub(crate) fn spawn_job(&mut self, origin: &'static str) -> Arc<Job> {
        let id = self.spawn(origin, TaskKind::Blocking);
        let job = Job::new(id, self.poll.current().is_none());
        self.poll.spawned_job(&job);
        job
    }

    /// A blocking job's thread has picked it up.
    pub(crate) fn job_running(&mut self, job: TaskId) {
        let ok = self.log.running(self.clock.now(), job);
        self.recorded(ok);
    }

    /// The poll of `task` returned `Pending`; true if it spawned blocking jobs (see
    /// [`Recorder::take_jobs`]).
    #[inline]
    pub(crate) fn end_pending(&mut self, task: TaskId) -> bool {
        let now = self.clock.now();
        let (line, woke_itself) = self.poll.end_pending(&mut self.awaits, self.program_file);
        let waker = self.poll.waker();
        let ok = self.log.suspended(now, task, &self.awaits, line, waker);
        self.recorded(ok);
        if woke_itself {
            let ok = self.log.woken(now, waker, Woken::Itself);
            self.recorded(ok);
        }
        self.poll.spawned_jobs()
    }

    /// The blocking jobs the poll that just ended spawned: their ends wait to be released.
    pub(crate) fn take_jobs(&mut self) -> Vec<Arc<Job>> {
        self.poll.take_jobs()
    }

    /// The poll of `task` finished it: Done with a value, or Failed with a message. True if it
    /// spawned blocking jobs (see [`Recorder::take_jobs`]).
    #[inline]
    pub(crate) fn end_finished(&mut self, task: TaskId, outcome: Result<Value, Text>) -> bool {
        let ok = self.log.finished(self.clock.now(), task, outcome);
        self.recorded(ok);
        self.poll.end_finished(task);
        self.poll.spawned_jobs()
    }

    /// A task's future is about to be dropped before it finished (it was cancelled): while its
    /// cleanup runs, it is the current task, so what the cleanup does is its own.
    pub(crate) fn enter_drop(&mut self, task: TaskId) {
        self.poll.enter_drop(task);
    }

    /// …and has been dropped: Cancelled.
    pub(crate) fn leave_drop(&mut self, task: TaskId) {
        self.poll.leave_drop(task);
        // A task woken and then cancelled is never polled: the next wake reads the clock.
        self.clock.poll_began();
        let ok = self.log.cancelled(self.clock.now(), task, self.closing);
        self.recorded(ok);
    }

    /// A traced waker pointing at `data` was woken on this thread. Which task that is, whether
    /// the wake is news (the task was Suspended) and what caused it is worked out when the log
    /// is decoded.
    #[inline]
    pub(crate) fn wake(&mut self, data: WakerData) {
        if self.clock.is_frozen() {
            return;
        }
        let current = self.poll.current();
        if current.is_some() && data == self.poll.waker() {
            self.poll.wake_itself();
            return;
        }
        let by = match current {
            Some(current) => Woken::By(current),
            None => {
                // Between polls, the runtime may have moved the clock: that is how timers fire.
                let moved = self.clock.refresh();
                self.clock_read(moved);
                Woken::Between { finished: self.poll.just_finished() }
            }
        };
        let ok = self.log.woken(self.clock.now(), data, by);
        self.recorded(ok);
    }

    /// A line printed by the current task (outside any task: by `main`).
    pub(crate) fn print(&mut self, text: Text) {
        let task = self.poll.current().unwrap_or(MAIN_TASK);
        let ok = self.log.printed(self.clock.now(), task, text);
        self.recorded(ok);
    }

    /// Records what other threads queued since the last call.
    #[inline]
    pub(crate) fn drain(&mut self) {
        if let Some(items) = self.shared.take() {
            self.apply_foreign(items);
        }
    }

    #[cold]
    fn apply_foreign(&mut self, items: Vec<Foreign>) {
        let now = self.clock.now();
        for item in items {
            let ok = match item {
                Foreign::Wake { data, by } => {
                    if self.clock.is_frozen() {
                        continue;
                    }
                    self.log.woken(now, data, by)
                }
                Foreign::JobStarted { job } => self.log.running(now, job),
                Foreign::JobPrint { job, text } => self.log.printed(now, job, text),
                Foreign::JobDone { job, outcome } => self.log.finished(now, job, outcome),
                Foreign::JobCancelled { job } => self.log.cancelled(now, job, self.closing),
                Foreign::JobSleep { job, takes } => {
                    let until = VTime(now.0.saturating_add(VTime::from_duration(takes).0));
                    if self.clock.is_frozen() {
                        job.let_go();
                    } else {
                        self.sleepers.push(Sleeper { until, job });
                    }
                    true
                }
            };
            self.recorded(ok);
        }
    }

    // ---- what demos ask of the runtime ----

    /// The current task, if a poll is under way.
    pub(crate) fn current(&self) -> Option<TaskId> {
        self.poll.current()
    }

    // ---- the clock driver ----

    /// The earliest timer deadline after now that a task waits on.
    pub(crate) fn next_deadline(&mut self) -> Option<VTime> {
        self.follow();
        self.follower.as_ref()?.next_deadline(&self.log, self.clock.now())
    }

    /// Brings the follower up to the end of the log (the events go to the live view, if any).
    fn follow(&mut self) {
        self.drain();
        let follower = self.follower.get_or_insert_with(Decoder::default);
        follower.read(&self.log, self.live.as_mut().map(|live| &mut live.unsent));
    }

    /// Does a task wait for the I/O driver (a socket)?
    pub(crate) fn waiting_on_io(&mut self) -> bool {
        self.follow();
        self.follower.as_ref().is_some_and(|follower| follower.waiting_on_io(&self.log))
    }

    /// The earliest time a sleeping blocking job wakes up.
    pub(crate) fn next_sleeper(&self) -> Option<VTime> {
        self.sleepers.iter().map(|s| s.until).min()
    }

    pub(crate) fn sleepers(&self) -> usize {
        self.sleepers.len()
    }

    /// Takes the sleeping jobs whose time has come (the caller wakes them).
    pub(crate) fn take_due_sleepers(&mut self) -> Vec<Arc<Job>> {
        let now = self.clock.now();
        let (due, waiting) = std::mem::take(&mut self.sleepers).into_iter().partition(|s| s.until <= now);
        self.sleepers = waiting;
        due.into_iter().map(|s: Sleeper| s.job).collect()
    }

    /// How many events have been recorded.
    pub(crate) fn event_count(&self) -> usize {
        self.log.len()
    }

    // ---- the live view ----

    /// Is this a paced run (a viewer may cancel tasks)?
    pub(crate) fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Paced runs keep every task's abort handle, so the view can cancel it.
    pub(crate) fn keep_abort_handle(
        &mut self,
        task: TaskId,
        handle: impl FnOnce() -> tokio::task::AbortHandle,
    ) {
        if let Some(live) = &mut self.live {
            let index = task.index();
            if live.abort.len() <= index {
                live.abort.resize(index + 1, None);
            }
            live.abort[index] = Some(handle());
        }
    }

    /// The abort handle of `task`, if it can be cancelled.
    pub(crate) fn abort_handle(&self, task: TaskId) -> Option<tokio::task::AbortHandle> {
        self.live.as_ref()?.abort.get(task.index())?.clone()
    }

    /// The tasks and events recorded since the last call (paced runs).
    pub(crate) fn take_new(&mut self) -> (Vec<TaskMeta>, Vec<Event>) {
        self.live.get_or_insert_with(Live::default);
        self.follow();
        let live = self.live.as_mut().expect("made above");
        let tasks = self.tasks.metas_from(live.sent_tasks);
        live.sent_tasks = self.tasks.len();
        live.sent_events += live.unsent.len();
        (tasks, std::mem::take(&mut live.unsent))
    }
}
