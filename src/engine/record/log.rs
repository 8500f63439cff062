//! The run's event log: compact while the demo runs, decoded into [`Event`]s for the views.
//!
//! Recording is on the demo's hot path (a run of 100,000 tasks records half a million events),
//! so an event is 16 bytes: the time, the task, and one word holding the kind and a small
//! payload. What does not fit in that word (a suspension's list of awaits, a printed line, a
//! result that is not a small integer) goes into a side table, and the word holds its index.
//! Two pairs of events that always come together are one raw event each: `Created` with its
//! `Scheduled`, and a poll's `Running` with the `Done` or `Failed` that ends it when nothing
//! else happened in between (how most short tasks run).
//!
//! A wake is recorded with the data pointer of the waker woken (see `traced::waker`), and which
//! task that is, is worked out when the log is decoded (see `super::owners`): recording stays
//! appends at the end of arrays, with no lookup in a table as large as the run.

use super::super::event::{
    Await, Awaits, Canceller, Event, EventKind, SourceLine, TaskId, Text, VTime, Value, WakeCause,
};
use super::owners::{Owners, WakerData};

/// One recorded event, as stored.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Raw {
    at: VTime,
    task: TaskId,
    op: u32,
}

// The low four bits of `op` say what happened; the rest is the payload.
const KIND_BITS: u32 = 4;
const KIND_MASK: u32 = (1 << KIND_BITS) - 1;
/// `Created` + `Scheduled { by: Spawn }`.
const SPAWN: u32 = 0;
/// `Scheduled`; payload: the cause; the raw event's `task` is an index into `wakes`, the data
/// pointer of the waker woken.
const WAKE: u32 = 1;
const RUN: u32 = 2;
/// `Suspended`; payload: an index into `suspensions`.
const SUSPEND: u32 = 3;
/// `Done`; payload: the value (see `encode_value`).
const DONE: u32 = 4;
/// `Running` + `Done`.
const RUN_DONE: u32 = 5;
/// `Cancelled`; payload: 1 if the runtime's shutdown did it.
const CANCEL: u32 = 6;
/// `Failed`; payload: an index into `texts`.
const FAIL: u32 = 7;
/// `Running` + `Failed`.
const RUN_FAIL: u32 = 8;
/// `Print`; payload: an index into `texts`.
const PRINT: u32 = 9;
/// `CancelAsked`; payload: who asked (see `encode_canceller`).
const CANCEL_ASK: u32 = 10;

/// The largest payload.
const PAYLOAD_MAX: u32 = u32::MAX >> KIND_BITS;

// A wake's cause: three bits of kind, and a task id in the rest. Most wakes happen between
// polls (a timer fires, a joined task finishes) and are recorded as `BETWEEN` with the task that
// finished last, if any; what woke the task is worked out when the log is decoded, from what
// the task was waiting for. That keeps the recording of a wake to one store.
const CAUSE_BITS: u32 = 3;
const CAUSE_TASK: u32 = 0;
const CAUSE_FINISHED: u32 = 1;
const CAUSE_ITSELF: u32 = 2;
const CAUSE_BETWEEN: u32 = 3;

/// Who or what woke a task, as recorded.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Woken {
    /// During the poll of this task (or the drop of this cancelled task, or by this blocking
    /// job).
    By(TaskId),
    /// Right after this task (a blocking job) returned.
    Finished(TaskId),
    /// During its own poll.
    Itself,
    /// Between polls: by the runtime (a timer, the I/O driver, a task's end). `finished` is the
    /// task whose poll or drop ended last, if nothing has run since.
    Between { finished: Option<TaskId> },
}

/// One suspension: where its awaits end in `leaves` (they start where the previous
/// suspension's end), its source line (0 for none), and the data pointer of the waker the task
/// was polled with (see `super::owners`).
#[derive(Copy, Clone, Debug)]
struct Suspension {
    end: u32,
    line: SourceLine,
    waker: WakerData,
}

/// Every event of a run, stored compactly.
#[derive(Debug)]
pub(crate) struct Log {
    raw: Vec<Raw>,
    suspensions: Vec<Suspension>,
    leaves: Vec<Await>,
    /// The data pointers of the wakers woken.
    wakes: Vec<WakerData>,
    values: Vec<Value>,
    texts: Vec<Text>,
    /// How many events the raw ones decode into.
    events: usize,
    max_events: usize,
    /// Events not recorded because the log was full.
    pub(crate) dropped: u64,
}

/// How many raw events the log is created for (reserved address space, touched only as events
/// arrive).
const RAW_RESERVED: usize = 1 << 20;

impl Log {
    pub(crate) fn new(max_events: usize) -> Log {
        let raw = Vec::with_capacity(RAW_RESERVED.min(max_events));
        advise_huge_pages(&raw);
        Log {
            raw,
            suspensions: Vec::new(),
            leaves: Vec::new(),
            wakes: Vec::new(),
            values: Vec::new(),
            texts: Vec::new(),
            events: 0,
            max_events,
            dropped: 0,
        }
    }

    /// How many events have been recorded.
    pub(crate) fn len(&self) -> usize {
        self.events
    }

    /// Appends a raw event that decodes into `events` events; false (and counted as dropped)
    /// when the log is full.
    #[inline]
    fn push(&mut self, at: VTime, task: TaskId, kind: u32, payload: u32, events: usize) -> bool {
        if self.events + events > self.max_events {
            self.dropped += events as u64;
            return false;
        }
        self.events += events;
        self.raw.push(Raw { at, task, op: kind | (payload.min(PAYLOAD_MAX) << KIND_BITS) });
        true
    }

    #[inline]
    pub(crate) fn spawned(&mut self, at: VTime, task: TaskId) -> bool {
        self.push(at, task, SPAWN, 0, 2)
    }

    /// The waker pointing at `waker` was woken.
    #[inline]
    pub(crate) fn woken(&mut self, at: VTime, waker: WakerData, by: Woken) -> bool {
        let (cause, about) = match by {
            Woken::By(other) => (CAUSE_TASK, other.0),
            Woken::Finished(other) => (CAUSE_FINISHED, other.0),
            Woken::Itself => (CAUSE_ITSELF, 0),
            Woken::Between { finished } => (CAUSE_BETWEEN, finished.map_or(0, |t| t.0)),
        };
        let index = TaskId(self.wakes.len() as u32);
        let ok = self.push(at, index, WAKE, cause | (about << CAUSE_BITS), 1);
        if ok {
            self.wakes.push(waker);
        }
        ok
    }

    #[inline]
    pub(crate) fn running(&mut self, at: VTime, task: TaskId) -> bool {
        self.push(at, task, RUN, 0, 1)
    }

    /// The task, polled with a waker pointing at `waker`, suspended on `awaits` (what its poll
    /// left pending), at `line`; false if the log is full.
    pub(crate) fn suspended(
        &mut self,
        at: VTime,
        task: TaskId,
        awaits: &[Await],
        line: Option<SourceLine>,
        waker: WakerData,
    ) -> bool {
        let number = self.suspensions.len() as u32;
        if !self.push(at, task, SUSPEND, number, 1) {
            return false;
        }
        self.leaves.extend_from_slice(awaits);
        let end = self.leaves.len() as u32;
        self.suspensions.push(Suspension { end, line: line.unwrap_or(0), waker });
        true
    }

    /// What suspension `number` waits for.
    pub(crate) fn awaits_of(&self, number: u32) -> &[Await] {
        let start = match number.checked_sub(1) {
            Some(previous) => self.suspensions[previous as usize].end,
            None => 0,
        };
        &self.leaves[start as usize..self.suspensions[number as usize].end as usize]
    }

    /// The source line suspension `number` waits at.
    fn line_of(&self, number: u32) -> Option<SourceLine> {
        Some(self.suspensions[number as usize].line).filter(|&line| line != 0)
    }

    /// The task finished; `Ok` is Done with a value, `Err` Failed with a message. Merged with
    /// the poll's `Running` when nothing came between them.
    pub(crate) fn finished(&mut self, at: VTime, task: TaskId, outcome: Result<Value, Text>) -> bool {
        let (kind, merged, payload) = match outcome {
            Ok(value) => (DONE, RUN_DONE, self.encode_value(value)),
            Err(error) => (FAIL, RUN_FAIL, self.text(error)),
        };
        if let Some(last) = self.raw.last_mut()
            && last.task == task
            && last.at == at
            && last.op == RUN
        {
            // Still two events, one of them already counted.
            if self.events < self.max_events {
                self.events += 1;
                last.op = merged | (payload << KIND_BITS);
                return true;
            }
            self.dropped += 1;
            return false;
        }
        self.push(at, task, kind, payload, 1)
    }

    #[inline]
    pub(crate) fn cancelled(&mut self, at: VTime, task: TaskId, shutdown: bool) -> bool {
        self.push(at, task, CANCEL, u32::from(shutdown), 1)
    }

    /// `by` asked for `task` to be cancelled (the decoder leaves it out if the task has ended).
    pub(crate) fn cancel_asked(&mut self, at: VTime, task: TaskId, by: Canceller) -> bool {
        let payload = match by {
            Canceller::Task(asker) => asker.0 << 2,
            Canceller::Viewer => 1,
            Canceller::Shutdown => 2,
            Canceller::Loop => 3,
        };
        self.push(at, task, CANCEL_ASK, payload, 1)
    }

    pub(crate) fn printed(&mut self, at: VTime, task: TaskId, text: Text) -> bool {
        let index = self.text(text);
        self.push(at, task, PRINT, index, 1)
    }

    fn text(&mut self, text: Text) -> u32 {
        self.texts.push(text);
        self.texts.len() as u32 - 1
    }

    /// `()` is 0; a small non-negative integer `n` is `2n + 1`; anything else is an index `i`
    /// into `values`, stored as `2i + 2`.
    fn encode_value(&mut self, value: Value) -> u32 {
        const INLINE_MAX: i64 = (PAYLOAD_MAX >> 1) as i64;
        match value {
            Value::Unit => 0,
            Value::Int(n) if (0..INLINE_MAX).contains(&n) => (n as u32) << 1 | 1,
            other => {
                self.values.push(other);
                (self.values.len() as u32) << 1
            }
        }
    }

    fn decode_value(&self, payload: u32) -> Value {
        match payload {
            0 => Value::Unit,
            n if n & 1 == 1 => Value::Int(i64::from(n >> 1)),
            n => self.values[(n >> 1) as usize - 1].clone(),
        }
    }

    /// Bytes the log holds, for the benchmark: raw events and side tables (lengths, not
    /// reserved capacity).
    pub(crate) fn bytes(&self) -> usize {
        self.raw.len() * size_of::<Raw>()
            + self.suspensions.len() * size_of::<Suspension>()
            + self.wakes.len() * size_of::<WakerData>()
            + self.leaves.len() * size_of::<Await>()
            + self.values.len() * size_of::<Value>()
            + self.texts.iter().map(|t| size_of::<Text>() + size_of::<String>() + t.len()).sum::<usize>()
    }
}

/// Where a task stands, as far as the decoder has read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Stands {
    Ready,
    Running,
    Suspended,
    Finished,
}

#[derive(Copy, Clone, Debug)]
struct Followed {
    stands: Stands,
    /// Who first asked for it to be cancelled, while that has not landed.
    asked: Option<Canceller>,
    /// Its last suspension.
    suspension: Option<u32>,
}

/// Reads a log from where it last stopped, turning raw events into the views' events: each
/// wake gets its cause (from what the woken task waits for) and a wake that is no news (the
/// task was already Scheduled, or has finished) is dropped. It also knows what every task waits
/// for now, which the clock driver asks ([`Decoder::next_deadline`]).
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    next: usize,
    tasks: Vec<Followed>,
    /// Which task each waker woken is (see `super::owners`).
    owners: Owners,
}

impl Decoder {
    /// Decodes the raw events not read yet, appending the events to `out` if given.
    pub(crate) fn read(&mut self, log: &Log, mut out: Option<&mut Vec<Event>>) {
        if let Some(out) = out.as_deref_mut() {
            out.reserve(log.raw.len().saturating_sub(self.next) * 3 / 2);
        }
        let wanted = out.is_some();
        for raw in &log.raw[self.next..] {
            let payload = raw.op >> KIND_BITS;
            let (at, task) = match raw.op & KIND_MASK {
                WAKE => {
                    let Some(task) = self.owners.owner(log.wakes[raw.task.0 as usize]) else {
                        // Not a traced task's waker, or one of a task that has ended.
                        continue;
                    };
                    if payload & ((1 << CAUSE_BITS) - 1) == CAUSE_TASK && payload >> CAUSE_BITS == task.0 {
                        // A cancelled task's cleanup woke the task itself: it is being dropped.
                        continue;
                    }
                    (raw.at, task)
                }
                _ => (raw.at, raw.task),
            };
            let index = task.index();
            if index >= self.tasks.len() {
                self.tasks
                    .resize(index + 1, Followed { stands: Stands::Ready, suspension: None, asked: None });
            }
            let mut emit = |kind| {
                if let Some(out) = out.as_deref_mut() {
                    out.push(Event { at, task, kind });
                }
            };
            let followed = &mut self.tasks[index];
            if matches!(raw.op & KIND_MASK, RUN | RUN_DONE | RUN_FAIL) && followed.stands == Stands::Suspended
            {
                // Woken where the trace could not see it: from a thread of the demo's own (see
                // `traced::waker`).
                emit(EventKind::Scheduled { by: WakeCause::OtherThread });
            }
            match raw.op & KIND_MASK {
                SPAWN => {
                    followed.stands = Stands::Ready;
                    emit(EventKind::Created);
                    emit(EventKind::Scheduled { by: WakeCause::Spawn });
                }
                WAKE => {
                    if followed.stands != Stands::Suspended {
                        continue;
                    }
                    followed.stands = Stands::Ready;
                    let awaits = followed.suspension.map_or(&[][..], |n| log.awaits_of(n));
                    emit(EventKind::Scheduled { by: cause(payload, awaits, at) });
                }
                RUN => {
                    followed.stands = Stands::Running;
                    emit(EventKind::Running);
                }
                SUSPEND => {
                    self.owners.suspended(log.suspensions[payload as usize].waker, task);
                    let mut shown = payload;
                    let mut awaits = Awaits::new(log.awaits_of(payload));
                    if awaits.items() == [Await::Unknown]
                        && let Some(earlier) = followed.suspension
                    {
                        let tasks = &self.tasks;
                        // No future of tokio's was polled: a combinator that polls only the
                        // futures that were woken (`FuturesUnordered`) left the others waiting
                        // as they were. The task still waits on the timers and tasks it waited on
                        // before, less those that fired or ended since.
                        let ended = |task: TaskId| {
                            tasks.get(task.index()).is_some_and(|t| t.stands == Stands::Finished)
                        };
                        let still: Vec<Await> = log
                            .awaits_of(earlier)
                            .iter()
                            .filter(|a| match a {
                                // What is known still to be pending: a timer not due yet, a
                                // task not ended yet. (Whether a channel or a lock is still
                                // awaited cannot be told from here.)
                                Await::Join { task } => !ended(*task),
                                other => other.deadline().is_some_and(|d| d > at),
                            })
                            .cloned()
                            .collect();
                        if !still.is_empty() {
                            shown = earlier;
                            awaits = Awaits::new(still);
                        }
                    }
                    let followed = &mut self.tasks[index];
                    followed.stands = Stands::Suspended;
                    followed.suspension = Some(shown);
                    if wanted {
                        emit(EventKind::Suspended { awaits, line: log.line_of(shown) });
                    }
                }
                kind @ (DONE | RUN_DONE) => {
                    followed.stands = Stands::Finished;
                    if kind == RUN_DONE {
                        emit(EventKind::Running);
                    }
                    if wanted {
                        emit(EventKind::Done { result: log.decode_value(payload) });
                    }
                }
                CANCEL => {
                    followed.stands = Stands::Finished;
                    let shutdown = (payload == 1).then_some(Canceller::Shutdown);
                    emit(EventKind::Cancelled { by: followed.asked.take().or(shutdown) });
                }
                CANCEL_ASK => {
                    // An abort of a task that has ended does nothing.
                    if followed.stands != Stands::Finished {
                        let by = match payload & 3 {
                            0 => Canceller::Task(TaskId(payload >> 2)),
                            1 => Canceller::Viewer,
                            2 => Canceller::Shutdown,
                            _ => Canceller::Loop,
                        };
                        followed.asked.get_or_insert(by);
                        emit(EventKind::CancelAsked { by });
                    }
                }
                kind @ (FAIL | RUN_FAIL) => {
                    followed.stands = Stands::Finished;
                    if kind == RUN_FAIL {
                        emit(EventKind::Running);
                    }
                    emit(EventKind::Failed { error: log.texts[payload as usize].clone() });
                }
                PRINT => emit(EventKind::Print { text: log.texts[payload as usize].clone() }),
                other => unreachable!("no event kind {other}"),
            }
        }
        self.next = log.raw.len();
    }

    /// Does a Suspended task wait for the I/O driver?
    pub(crate) fn waiting_on_io(&self, log: &Log) -> bool {
        self.tasks
            .iter()
            .filter(|t| t.stands == Stands::Suspended)
            .filter_map(|t| t.suspension)
            .any(|n| log.awaits_of(n).iter().any(Await::is_io))
    }

    /// The earliest timer deadline after `now` that a task is waiting on (a Suspended task, or
    /// one woken since, whose timer may still be registered).
    pub(crate) fn next_deadline(&self, log: &Log, now: VTime) -> Option<VTime> {
        self.tasks
            .iter()
            .filter(|t| matches!(t.stands, Stands::Suspended | Stands::Ready))
            .filter_map(|t| t.suspension)
            .flat_map(|n| log.awaits_of(n).iter().filter_map(Await::deadline))
            .filter(|&d| d > now)
            .min()
    }
}

/// Why a task was woken, from the recorded cause and, for a wake between polls, from what the
/// task was waiting for.
fn cause(payload: u32, awaits: &[Await], at: VTime) -> WakeCause {
    let about = TaskId(payload >> CAUSE_BITS);
    match payload & ((1 << CAUSE_BITS) - 1) {
        CAUSE_TASK => WakeCause::Task(about),
        CAUSE_FINISHED => WakeCause::Finished(about),
        CAUSE_ITSELF => WakeCause::Itself,
        CAUSE_BETWEEN => {
            let joins = |a: &Await| {
                matches!(a, Await::Join { task } if *task == about) || matches!(a, Await::JoinNext { .. })
            };
            if about.0 != 0 && awaits.iter().any(joins) {
                WakeCause::Finished(about)
            } else if awaits.iter().any(|a| a.deadline().is_some_and(|d| d <= at)) {
                WakeCause::Timer
            } else if awaits.iter().any(Await::is_io) {
                WakeCause::Io
            } else if awaits.contains(&Await::Yield) {
                WakeCause::Itself
            } else {
                WakeCause::Runtime
            }
        }
        _ => WakeCause::OtherThread,
    }
}

/// Asks the kernel to back a reserved, untouched buffer with huge pages: a big run then takes
/// one page fault per 2 MiB of events instead of one per 4 KiB. Only a hint; where transparent
/// huge pages are off it changes nothing.
fn advise_huge_pages<T>(buffer: &Vec<T>) {
    #[cfg(all(target_os = "linux", not(miri)))]
    {
        const HUGE: usize = 2 << 20;
        let start = buffer.as_ptr() as usize;
        let end = start + buffer.capacity() * size_of::<T>();
        let aligned = start.next_multiple_of(HUGE);
        if end > aligned + HUGE {
            let len = (end - aligned) / HUGE * HUGE;
            // SAFETY: the range lies inside the buffer's own allocation; `madvise` with
            // MADV_HUGEPAGE only changes how it is backed, never its contents.
            #[allow(unsafe_code)]
            unsafe {
                libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE)
            };
        }
    }
    #[cfg(not(all(target_os = "linux", not(miri))))]
    let _ = buffer;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(log: &Log) -> Vec<Event> {
        let mut out = Vec::new();
        Decoder::default().read(log, Some(&mut out));
        out
    }

    #[test]
    fn every_kind_of_event_decodes_to_what_was_recorded() {
        let mut log = Log::new(100);
        let (t1, t2) = (TaskId(1), TaskId(2));
        // The data pointers of the two tasks' wakers.
        let (w1, w2) = (0x1000, 0x2000);
        let (at, later) = (VTime(5), VTime(9));
        log.spawned(at, t1);
        log.running(at, t1);
        log.spawned(at, t2);
        // #2 has not suspended yet: whose waker this is is not known, and the wake is dropped
        // (it would be no news anyway: #2 is Scheduled).
        log.woken(at, w2, Woken::By(t1));
        assert!(log.suspended(at, t1, &[Await::Join { task: t2 }], Some(3), w1));
        let number = 0;
        log.running(at, t2);
        log.suspended(at, t2, &[Await::Sleep { until: later }], None, w2);
        log.woken(later, w2, Woken::Between { finished: None });
        log.running(later, t2);
        log.printed(later, t2, "hi".into());
        log.finished(later, t2, Ok(Value::Int(-3)));
        log.woken(later, w1, Woken::Between { finished: Some(t2) });
        // A stale waker of #2, which has ended: dropped.
        log.woken(later, w2, Woken::Between { finished: None });
        log.running(later, t1);
        log.finished(later, t1, Err("boom".into()));
        assert_eq!(log.awaits_of(number), [Await::Join { task: t2 }]);
        let kinds: Vec<(u32, EventKind)> = decode(&log).into_iter().map(|e| (e.task.0, e.kind)).collect();
        let expected = vec![
            (1, EventKind::Created),
            (1, EventKind::Scheduled { by: WakeCause::Spawn }),
            (1, EventKind::Running),
            (2, EventKind::Created),
            (2, EventKind::Scheduled { by: WakeCause::Spawn }),
            (1, EventKind::Suspended { awaits: Awaits::one(Await::Join { task: t2 }), line: Some(3) }),
            (2, EventKind::Running),
            (2, EventKind::Suspended { awaits: Awaits::one(Await::Sleep { until: later }), line: None }),
            (2, EventKind::Scheduled { by: WakeCause::Timer }),
            (2, EventKind::Running),
            (2, EventKind::Print { text: "hi".into() }),
            (2, EventKind::Done { result: Value::Int(-3) }),
            (1, EventKind::Scheduled { by: WakeCause::Finished(t2) }),
            (1, EventKind::Running),
            (1, EventKind::Failed { error: "boom".into() }),
        ];
        assert_eq!(kinds, expected);
    }

    #[test]
    fn a_wake_belongs_to_the_task_that_suspended_last_with_that_waker() {
        let mut log = Log::new(100);
        let (t1, t2, waker) = (TaskId(1), TaskId(2), 0x1000);
        log.spawned(VTime(0), t1);
        log.running(VTime(0), t1);
        log.suspended(VTime(0), t1, &[Await::Yield], None, waker);
        log.cancelled(VTime(0), t1, false);
        // A new task at the old one's address.
        log.spawned(VTime(0), t2);
        log.running(VTime(0), t2);
        log.suspended(VTime(0), t2, &[Await::Yield], None, waker);
        log.woken(VTime(0), waker, Woken::Between { finished: None });
        // A task's cleanup, while it is cancelled, waking the task itself: dropped.
        log.woken(VTime(0), waker, Woken::By(t2));
        let events = decode(&log);
        let wakes: Vec<&Event> =
            events.iter().filter(|e| matches!(e.kind, EventKind::Scheduled { .. })).collect();
        assert_eq!(wakes.len(), 3, "two spawns and one wake: {events:?}");
        assert_eq!(wakes[2].task, t2);
    }

    #[test]
    fn a_cancel_says_who_asked_and_an_ask_to_an_ended_task_is_left_out() {
        let mut log = Log::new(100);
        let (t1, t2, t3) = (TaskId(1), TaskId(2), TaskId(3));
        for task in [t1, t2, t3] {
            log.spawned(VTime(0), task);
        }
        log.cancel_asked(VTime(0), t2, Canceller::Task(t1));
        log.cancel_asked(VTime(0), t2, Canceller::Viewer);
        log.cancelled(VTime(0), t2, false);
        log.cancel_asked(VTime(0), t2, Canceller::Task(t1));
        log.cancelled(VTime(0), t3, true);
        let events: Vec<(TaskId, EventKind)> =
            decode(&log).into_iter().filter(|e| e.task != t1).skip(4).map(|e| (e.task, e.kind)).collect();
        assert_eq!(
            events,
            [
                (t2, EventKind::CancelAsked { by: Canceller::Task(t1) }),
                (t2, EventKind::CancelAsked { by: Canceller::Viewer }),
                (t2, EventKind::Cancelled { by: Some(Canceller::Task(t1)) }),
                (t3, EventKind::Cancelled { by: Some(Canceller::Shutdown) }),
            ]
        );
    }

    #[test]
    fn a_full_log_counts_what_it_drops() {
        let mut log = Log::new(3);
        assert!(log.spawned(VTime(0), TaskId(1)));
        assert!(log.running(VTime(0), TaskId(1)));
        assert!(!log.spawned(VTime(0), TaskId(2)));
        assert!(!log.finished(VTime(0), TaskId(1), Ok(Value::Unit)));
        assert_eq!((log.len(), log.dropped), (3, 3));
    }

    #[test]
    fn values_round_trip_inline_and_in_the_table() {
        let mut log = Log::new(100);
        for value in
            [Value::Unit, Value::Int(0), Value::Int(1 << 26), Value::Int(i64::MAX), Value::Debug("x".into())]
        {
            let payload = log.encode_value(value.clone());
            assert_eq!(log.decode_value(payload), value);
        }
    }
}
