//! What the recorder knows about the poll under way: which task, and what it has left pending.

use std::backtrace::Backtrace;
use std::num::NonZeroU32;
use std::sync::Arc;

use super::super::event::{Await, SourceLine, TaskId};
use super::job::Job;
use super::owners::WakerData;

/// A leaf future's entry in the poll under way (see [`PollFrame::leaf`]): the entry's serial
/// number. Entries are numbered across polls (wrapping after four billion, far beyond any run's
/// event limit), so a ticket from an earlier poll is known as such.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ticket(NonZeroU32);

/// A future of tokio's that returned `Pending` in this poll.
#[derive(Debug)]
struct Leaf {
    what: Await,
    line: Option<SourceLine>,
    /// Dropped during the poll: the task no longer waits on it.
    withdrawn: bool,
}

/// The task being polled (or dropped) right now, and the futures of tokio's it polled that
/// returned `Pending`.
#[derive(Debug, Default)]
pub(crate) struct PollFrame {
    current: Option<TaskId>,
    /// The data pointer of the waker the current task is polled with (0 while a cancelled
    /// task is dropped): a wake through it is the task waking itself.
    waker: WakerData,
    /// The serial number of the first entry of this poll, and of the next entry (see
    /// [`Ticket`]).
    first: u32,
    next: u32,
    leaves: Vec<Leaf>,
    /// Where a combinator of many futures (`join_all`) was awaited, if a leaf gives no line.
    fallback_line: Option<SourceLine>,
    /// The stack at the first leaf that gave no line, while none did: read only if no line
    /// turns up at all (a future awaited through `&mut`, whose poll only core code calls).
    stack: Option<Backtrace>,
    /// The task was woken during its own poll (it is Scheduled again once the poll ends).
    woke_itself: bool,
    /// The task whose poll (or drop) ended last, while no other poll has begun and the clock
    /// has not moved: tokio wakes whoever joins it in that gap.
    just_finished: Option<TaskId>,
    /// Blocking jobs spawned during this poll: their ends wait for it.
    jobs: Vec<Arc<Job>>,
    /// The current tasks set aside while a cancelled task's future is dropped (drops can nest:
    /// a `JoinSet` dropped in a task's cleanup cancels its tasks at once).
    outer: Vec<(Option<TaskId>, WakerData)>,
}

impl PollFrame {
    pub(crate) fn current(&self) -> Option<TaskId> {
        self.current
    }

    pub(crate) fn just_finished(&self) -> Option<TaskId> {
        self.just_finished
    }

    /// The data pointer of the current poll's waker.
    pub(crate) fn waker(&self) -> WakerData {
        self.waker
    }

    /// A poll of `task`, with a waker pointing at `waker`, begins.
    #[inline]
    pub(crate) fn begin(&mut self, task: TaskId, waker: WakerData) {
        self.current = Some(task);
        self.waker = waker;
        self.leaves.clear();
        self.fallback_line = None;
        self.stack = None;
        self.woke_itself = false;
        self.just_finished = None;
    }

    /// A blocking job was spawned during this poll (if one is under way).
    pub(crate) fn spawned_job(&mut self, job: &Arc<Job>) {
        if self.current.is_some() {
            self.jobs.push(job.clone());
        }
    }

    /// Were blocking jobs spawned during the poll that ended?
    #[inline]
    pub(crate) fn spawned_jobs(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// The blocking jobs spawned during the poll that ended.
    pub(crate) fn take_jobs(&mut self) -> Vec<Arc<Job>> {
        std::mem::take(&mut self.jobs)
    }

    /// The task being polled woke itself.
    pub(crate) fn wake_itself(&mut self) {
        self.woke_itself = true;
    }

    /// A future of tokio's returned `Pending` during this poll; the ticket withdraws it if the
    /// future is dropped before the poll ends.
    #[inline]
    pub(crate) fn leaf(&mut self, what: Await, line: Option<SourceLine>) -> Option<Ticket> {
        self.current?;
        if line.is_none() && self.stack.is_none() && self.leaves.iter().all(|leaf| leaf.line.is_none()) {
            self.stack = Some(Backtrace::force_capture());
        }
        // Serial 0 is skipped, so that a ticket fits in 4 bytes with its `Option`.
        let serial = NonZeroU32::new(self.next).unwrap_or(NonZeroU32::MIN);
        self.next = serial.get().wrapping_add(1);
        if self.leaves.is_empty() {
            self.first = serial.get();
        }
        self.leaves.push(Leaf { what, line, withdrawn: false });
        Some(Ticket(serial))
    }

    /// The future with this ticket was dropped: if that happened during the poll it was
    /// pending in, the task does not wait on it (a `select!` branch that lost, the work inside
    /// a `timeout` that expired).
    pub(crate) fn withdraw(&mut self, ticket: Ticket) {
        if self.current.is_some()
            && let Some(leaf) = self.leaves.get_mut(ticket.0.get().wrapping_sub(self.first) as usize)
        {
            leaf.withdrawn = true;
        }
    }

    /// The line the task waits at, unless a leaf gives one.
    pub(crate) fn fallback_line(&mut self, line: SourceLine) {
        if self.current.is_some() && self.fallback_line.is_none() {
            self.fallback_line = Some(line);
        }
    }

    /// The poll ended with the task suspended: what it waits for (in the order polled), at
    /// which line of `program_file`, and whether it woke itself meanwhile.
    #[inline]
    pub(crate) fn end_pending(
        &mut self,
        awaits: &mut Vec<Await>,
        program_file: &str,
    ) -> (Option<SourceLine>, bool) {
        self.current = None;
        awaits.clear();
        let mut line = None;
        for leaf in self.leaves.drain(..).filter(|leaf| !leaf.withdrawn) {
            line = line.or(leaf.line);
            awaits.push(leaf.what);
        }
        if awaits.is_empty() {
            awaits.push(Await::Unknown);
        }
        let line = line.or(self.fallback_line.take());
        let stack = self.stack.take();
        let line = match (line, stack) {
            (None, Some(stack)) if awaits[0] != Await::Unknown => line_in_stack(&stack, program_file),
            (line, _) => line,
        };
        (line, self.woke_itself)
    }

    /// The poll ended with `task` finished.
    #[inline]
    pub(crate) fn end_finished(&mut self, task: TaskId) {
        self.current = None;
        self.just_finished = Some(task);
    }

    /// The clock moved: a finish in the past wakes nobody any more.
    pub(crate) fn clock_moved(&mut self) {
        self.just_finished = None;
    }

    /// A cancelled task's future is about to be dropped: its cleanup runs as that task.
    pub(crate) fn enter_drop(&mut self, task: TaskId) {
        self.outer.push((self.current.replace(task), std::mem::take(&mut self.waker)));
    }

    /// …and it has been dropped.
    pub(crate) fn leave_drop(&mut self, task: TaskId) {
        (self.current, self.waker) = self.outer.pop().unwrap_or_default();
        self.just_finished = Some(task);
    }
}

/// The innermost frame of `stack` in `program_file`: the line of the `.await` the task is
/// suspended at. Reads the stack's debug information (slow; only for the rare wait that gives
/// no line otherwise).
#[cold]
fn line_in_stack(stack: &Backtrace, program_file: &str) -> Option<SourceLine> {
    let text = stack.to_string();
    text.lines().map(str::trim).filter_map(|line| line.strip_prefix("at ")).find_map(|at| {
        // `path:line:column`
        let mut parts = at.rsplitn(3, ':');
        let (_column, line, path) = (parts.next()?, parts.next()?, parts.next()?);
        path.ends_with(program_file).then(|| line.parse().ok()).flatten()
    })
}
