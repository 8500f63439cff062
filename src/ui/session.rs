//! What the live view knows about the demo: the log received from the paced run, and which part
//! of it is on screen.
//!
//! The demo only ever runs forward; the view may look at any moment of what it recorded. The
//! *frontier* is the end of the log (where the live demo is); the *cursor* says how many events
//! are shown, and the task states shown are the lifecycle folded over exactly those events.
//! Stepping back only moves the cursor; stepping forward past the frontier asks the demo for
//! more.

use crate::engine::event::{Event, EventKind, TaskId, TaskMeta, VTime};
use crate::engine::lifecycle::{IllegalTransition, Lifecycle};
use crate::engine::run::Stop;
use crate::engine::run::paced::Update;

/// How the demo ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Its main task finished (or a limit stopped it, if `stopped` says so).
    Ended { stopped: Option<Stop>, dropped: u64 },
    /// It could not run.
    Crashed(String),
}

#[derive(Debug, Default)]
pub struct Session {
    /// Every task the demo created so far.
    pub tasks: Vec<TaskMeta>,
    /// Every event the demo recorded so far (the frontier is the end).
    pub events: Vec<Event>,
    /// How far the demo's clock has run.
    pub demo_now: VTime,
    /// Set once the demo has ended.
    pub ending: Option<Ending>,
    /// How many events are shown.
    cursor: usize,
    /// Task states after the shown events.
    lifecycle: Lifecycle,
    /// The virtual time shown (at least the time of the last shown event).
    pub playhead: VTime,
    /// For each task, the indices of its events (the timeline draws one task at a time).
    task_events: Vec<Vec<u32>>,
    /// Indices of the print events (the output panel).
    prints: Vec<u32>,
    /// An impossible event from the engine, if one ever arrived (shown, never hidden).
    pub error: Option<String>,
    /// The furthest the cursor has been: short of it, the view is a replay.
    furthest: usize,
    /// Folded states at some cursors, so that going back refolds only from the nearest one.
    checkpoints: Vec<(usize, Lifecycle)>,
}

/// Events between checkpoints, at least: a checkpoint copies every task's state, so with many
/// tasks they are further apart (memory stays about a copy per this many events).
const CHECKPOINT_EVERY: usize = 2048;

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn lifecycle(&self) -> &Lifecycle {
        &self.lifecycle
    }

    /// Is the view looking back, short of the furthest moment it has shown?
    pub fn replaying(&self) -> bool {
        self.cursor < self.furthest
    }

    /// Is the view at the live end of the log?
    pub fn at_frontier(&self) -> bool {
        self.cursor == self.events.len()
    }

    /// Has everything the demo will ever record been shown?
    pub fn finished(&self) -> bool {
        self.ending.is_some() && self.at_frontier()
    }

    /// Takes in what the paced run reported.
    pub fn receive(&mut self, update: Update) {
        match update {
            Update::Progress { tasks, events, now } => {
                self.tasks.extend(tasks);
                for event in events {
                    let index = self.events.len() as u32;
                    let task = event.task.index();
                    if self.task_events.len() <= task {
                        self.task_events.resize_with(task + 1, Vec::new);
                    }
                    self.task_events[task].push(index);
                    if matches!(event.kind, EventKind::Print { .. }) {
                        self.prints.push(index);
                    }
                    self.events.push(event);
                }
                self.demo_now = self.demo_now.max(now);
            }
            Update::Ended { stopped, dropped } => self.ending = Some(Ending::Ended { stopped, dropped }),
            Update::Crashed(why) => self.ending = Some(Ending::Crashed(why)),
        }
    }

    /// Shows one more event; false at the frontier.
    pub fn step_forward(&mut self) -> bool {
        let Some(event) = self.events.get(self.cursor) else { return false };
        if let Err(illegal) = self.lifecycle.apply(&self.tasks, event) {
            self.error.get_or_insert_with(|| illegal_text(&illegal));
        }
        self.playhead = self.playhead.max(event.at);
        self.cursor += 1;
        self.furthest = self.furthest.max(self.cursor);
        let last = self.checkpoints.last().map_or(0, |(at, _)| *at);
        if self.cursor >= last + CHECKPOINT_EVERY.max(self.lifecycle.tasks.len()) {
            self.checkpoints.push((self.cursor, self.lifecycle.clone()));
        }
        true
    }

    /// Shows one event less; false at the start.
    pub fn step_back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.seek(self.cursor - 1);
        true
    }

    /// Shows exactly the first `cursor` events (as many as there are, if fewer), with the
    /// playhead at the last one shown.
    pub fn seek(&mut self, cursor: usize) {
        let cursor = cursor.min(self.events.len());
        if cursor < self.cursor {
            // Back: from the last checkpoint at or before the cursor (or the start).
            let from = self.checkpoints.partition_point(|(at, _)| *at <= cursor);
            match from.checked_sub(1).map(|i| &self.checkpoints[i]) {
                Some((at, lifecycle)) => {
                    self.cursor = *at;
                    self.lifecycle = lifecycle.clone();
                }
                None => {
                    self.cursor = 0;
                    self.lifecycle = Lifecycle::default();
                }
            }
            self.playhead = self.last_shown_time();
        }
        while self.cursor < cursor && self.step_forward() {}
        self.playhead = self.last_shown_time();
    }

    /// The time of the last event shown (0 before the first).
    fn last_shown_time(&self) -> VTime {
        self.cursor.checked_sub(1).map_or(VTime::ZERO, |last| self.events[last].at)
    }

    /// The cursor at the end of the instant of the first event not shown, if the log holds
    /// all of that instant (a later event, or the end of the demo, says it is over).
    pub fn next_instant_end(&self) -> Option<usize> {
        let at = self.events.get(self.cursor)?.at;
        let end = self.cursor + self.events[self.cursor..].partition_point(|e| e.at == at);
        (end < self.events.len() || self.ending.is_some()).then_some(end)
    }

    /// The cursor at the end of the previous instant: the start of the instant of the last
    /// event shown, or of the one before if the cursor is there already.
    pub fn previous_instant_end(&self) -> usize {
        let Some(last) = self.cursor.checked_sub(1) else { return 0 };
        let at = self.events[last].at;
        self.events[..self.cursor].partition_point(|e| e.at < at)
    }

    /// The cursor just past the next event (not shown yet) in `indices` (a sorted list of event
    /// indices, such as a task's events or the prints).
    fn next_in(&self, indices: &[u32]) -> Option<usize> {
        let next = indices.partition_point(|&i| (i as usize) < self.cursor);
        indices.get(next).map(|&i| i as usize + 1)
    }

    /// The cursor just past the shown event in `indices` before the last shown one (or just past
    /// the last shown one, if the cursor is beyond it); `None` if there is none.
    fn previous_in(&self, indices: &[u32]) -> Option<usize> {
        let shown = indices.partition_point(|&i| (i as usize) < self.cursor);
        let last = *indices[..shown].last()? as usize;
        if last + 1 < self.cursor {
            return Some(last + 1);
        }
        indices[..shown].iter().rev().nth(1).map(|&i| i as usize + 1)
    }

    /// Just past the next printed line, if it is recorded.
    pub fn next_print(&self) -> Option<usize> {
        self.next_in(&self.prints)
    }

    /// Just past the previous printed line shown.
    pub fn previous_print(&self) -> Option<usize> {
        self.previous_in(&self.prints)
    }

    /// Just past `task`'s next event, if it is recorded.
    pub fn next_of(&self, task: TaskId) -> Option<usize> {
        self.next_in(self.task_events.get(task.index()).map_or(&[][..], Vec::as_slice))
    }

    /// Just past `task`'s previous event shown.
    pub fn previous_of(&self, task: TaskId) -> Option<usize> {
        self.previous_in(self.task_events.get(task.index()).map_or(&[][..], Vec::as_slice))
    }

    /// How many events happened at or before `at`.
    pub fn events_until(&self, at: VTime) -> usize {
        self.events.partition_point(|e| e.at <= at)
    }

    /// The last event shown, if any.
    pub fn last_shown(&self) -> Option<&Event> {
        self.cursor.checked_sub(1).map(|last| &self.events[last])
    }

    /// Shows every event up to virtual time `until` and moves the playhead there (never past
    /// the last event of a demo that has ended: its run ended there).
    pub fn play_to(&mut self, until: VTime) {
        while self.events.get(self.cursor).is_some_and(|e| e.at <= until) {
            self.step_forward();
        }
        let until = match self.ending {
            Some(_) => until.min(self.events.last().map_or(VTime::ZERO, |e| e.at)),
            None => until,
        };
        self.playhead = self.playhead.max(until);
    }

    /// Shows the moment `at` of what is recorded: every event up to it, the playhead there
    /// (backwards or forwards).
    pub fn go_to(&mut self, at: VTime) {
        self.seek(self.events_until(at));
        let at = match self.ending {
            Some(_) => at.min(self.events.last().map_or(VTime::ZERO, |e| e.at)),
            None => at.min(self.demo_now),
        };
        self.playhead = self.playhead.max(at);
    }

    /// Moves the playhead to `at`, between the last shown event and the next (and no further
    /// than the demo has run).
    pub fn hold_playhead(&mut self, at: VTime) {
        let shown = self.last_shown_time();
        let next = self.events.get(self.cursor).map(|e| VTime(e.at.0.saturating_sub(1)));
        let bound = match self.ending {
            Some(_) => self.events.last().map_or(VTime::ZERO, |e| e.at),
            None => self.demo_now,
        };
        let at = next.map_or(at, |next| at.min(next)).min(bound);
        self.playhead = at.max(shown);
    }

    /// Shows everything recorded so far.
    pub fn show_all(&mut self) {
        while self.step_forward() {}
    }

    /// The indices of `task`'s shown events.
    pub fn events_of(&self, task: TaskId) -> &[u32] {
        let all = self.task_events.get(task.index()).map_or(&[][..], Vec::as_slice);
        let shown = all.partition_point(|&i| (i as usize) < self.cursor);
        &all[..shown]
    }

    /// The indices of the shown print events.
    pub fn shown_prints(&self) -> &[u32] {
        &self.prints[..self.prints.partition_point(|&i| (i as usize) < self.cursor)]
    }
}

fn illegal_text(illegal: &IllegalTransition) -> String {
    format!("the engine recorded an impossible event: {illegal}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::WakeCause;
    use crate::engine::lifecycle::State;

    fn session() -> Session {
        let meta = TaskMeta {
            id: TaskId(1),
            name: "main".into(),
            parent: None,
            kind: crate::engine::event::TaskKind::Async,
        };
        let at = |ms: u64, kind| Event { at: VTime(ms * 1_000_000), task: TaskId(1), kind };
        let mut session = Session::new();
        session.receive(Update::Progress {
            tasks: vec![meta],
            events: vec![
                at(0, EventKind::Created),
                at(0, EventKind::Scheduled { by: WakeCause::Spawn }),
                at(0, EventKind::Running),
                at(0, EventKind::Print { text: "hi".into() }),
                at(
                    0,
                    EventKind::Suspended {
                        awaits: crate::engine::event::Awaits::one(crate::engine::event::Await::Yield),
                        line: None,
                    },
                ),
                at(500, EventKind::Scheduled { by: WakeCause::Timer }),
            ],
            now: VTime(500_000_000),
        });
        session
    }

    #[test]
    fn stepping_forward_and_back_refolds_the_states() {
        let mut s = session();
        assert_eq!(s.cursor(), 0);
        assert!(s.lifecycle().tasks.is_empty());
        for _ in 0..5 {
            assert!(s.step_forward());
        }
        assert_eq!(s.lifecycle().tasks[0].state, State::Suspended);
        assert!(s.step_back());
        assert_eq!(s.lifecycle().tasks[0].state, State::Running);
        assert_eq!(s.shown_prints().len(), 1);
        assert!(s.step_back() && s.step_back());
        assert_eq!(s.shown_prints().len(), 0);
        assert_eq!(s.events_of(TaskId(1)).len(), 2);
    }

    #[test]
    fn the_playhead_stops_where_an_ended_demo_ended() {
        let mut s = Session::new();
        let end = VTime(1_900_000_000);
        let done = Event { at: end, task: TaskId(1), kind: EventKind::Created };
        s.receive(Update::Progress { tasks: vec![], events: vec![done], now: VTime(1_901_000_000) });
        s.receive(Update::Ended { stopped: None, dropped: 0 });
        s.play_to(VTime(1_913_000_000));
        assert_eq!(s.playhead, end);
    }

    #[test]
    fn playing_shows_events_up_to_the_playhead() {
        let mut s = session();
        s.play_to(VTime(100_000_000));
        assert_eq!(s.cursor(), 5);
        assert_eq!(s.playhead, VTime(100_000_000));
        s.play_to(VTime(500_000_000));
        assert!(s.at_frontier());
        assert!(!s.finished());
        s.receive(Update::Ended { stopped: None, dropped: 0 });
        assert!(s.finished());
    }
}
