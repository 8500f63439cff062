//! The run's virtual clock, as the recorder reads it.

use super::super::event::VTime;

/// Reads tokio's paused clock and remembers the last reading, so that most events take their
/// time from memory: the paused clock only moves when the runtime fires a timer (every such
/// wake reads it), when the clock driver moves it, or when a demo blocks the thread (both read
/// it right after).
#[derive(Debug)]
pub(crate) struct Clock {
    start: tokio::time::Instant,
    now: VTime,
    /// A wake read the clock since the last poll began (see `refresh`). Saves a clock read (a
    /// lock in tokio) per wake.
    fresh: bool,
    /// Set while the runtime shuts down: the clock is no longer read.
    frozen: bool,
}

impl Clock {
    /// Starts at 0 now. Must be called inside the demo runtime's context.
    pub(crate) fn start() -> Clock {
        Clock { start: tokio::time::Instant::now(), now: VTime::ZERO, fresh: true, frozen: false }
    }

    pub(crate) fn now(&self) -> VTime {
        self.now
    }

    /// The virtual time of `instant`.
    pub(crate) fn at(&self, instant: tokio::time::Instant) -> VTime {
        VTime::from_duration(instant.saturating_duration_since(self.start))
    }

    /// What tokio's clock says now.
    pub(crate) fn exact(&self) -> VTime {
        VTime::from_duration(tokio::time::Instant::now().saturating_duration_since(self.start))
    }

    /// Reads tokio's clock; true if it moved since the last reading.
    pub(crate) fn read(&mut self) -> bool {
        if self.frozen {
            return false;
        }
        let now = self.exact();
        let moved = now != self.now;
        self.now = now;
        moved
    }

    /// For a wake between polls: reads the clock unless a wake read it since the last poll
    /// began (the timers the runtime fires in one turn all fire at one instant, and the tasks
    /// they wake are polled before the runtime can move the clock again); true if it moved.
    #[inline]
    pub(crate) fn refresh(&mut self) -> bool {
        if self.fresh {
            return false;
        }
        self.fresh = true;
        self.read()
    }

    /// A poll begins (or the clock is about to be moved): the next wake between polls reads
    /// the clock again.
    #[inline]
    pub(crate) fn poll_began(&mut self) {
        self.fresh = false;
    }

    /// Stops reading the clock (the runtime is shutting down; what happens now happens at the
    /// last instant read).
    pub(crate) fn freeze(&mut self) {
        self.frozen = true;
    }

    pub(crate) fn is_frozen(&self) -> bool {
        self.frozen
    }
}
