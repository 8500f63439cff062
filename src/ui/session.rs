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
}

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
        true
    }

    /// Shows one event less; false at the start.
    pub fn step_back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.seek(self.cursor - 1);
        self.playhead = self.cursor.checked_sub(1).map_or(VTime::ZERO, |last| self.events[last].at);
        true
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

    /// Shows everything recorded so far.
    pub fn show_all(&mut self) {
        while self.step_forward() {}
    }

    /// Shows exactly the first `cursor` events (refolding the states from the start).
    fn seek(&mut self, cursor: usize) {
        self.lifecycle = Lifecycle::default();
        self.cursor = 0;
        while self.cursor < cursor && self.step_forward() {}
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
