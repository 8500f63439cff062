//! The playback machine: which moment of a demo's run is shown, and how it moves.
//!
//! The demo runs forward only, paced by [`Command`]s; the machine keeps what it recorded (a
//! [`Session`]) and a cursor into it, and moves the cursor: play (paced by events, so every
//! Scheduled and Running is seen, or by virtual time), pause, step, step back, jump to the next
//! instant, printed line or event of a task, go to a time, run to the end, cancel a task.
//! Anything can drive it: the keys (through [`super::app`]), a socket, a test. It answers
//! with [`Request`]s for whoever runs the demo, and it asks the demo for one thing at a time
//! (each command is answered by one progress report), so it never floods it.

use std::time::{Duration, Instant};

use super::session::{Ending, Session};
use crate::engine::event::{Canceller, EventKind, TaskId, TaskKind, VTime};
use crate::engine::lifecycle::State;
use crate::engine::run::paced::{Command, Update};

/// Time-paced play: virtual seconds per real second.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
const NORMAL_SPEED: usize = 2;
/// Event-paced play: events per real second.
pub const RATES: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 256.0, 1024.0];
const NORMAL_RATE: usize = 2;

/// How play moves.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Pace {
    /// So many events per second, whatever their times (the default: each change is seen).
    Events,
    /// So many virtual seconds per second (events at one instant show together).
    Time,
}

/// Where a jump goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Jump {
    /// To the end of the next instant (the rest of this one, if it is shown in part).
    NextInstant,
    /// To the end of the previous instant.
    PreviousInstant,
    /// Just past the next printed line.
    NextPrint,
    /// Just past the previous printed line.
    PreviousPrint,
    /// Just past this task's next event.
    NextOf(TaskId),
    /// Just past this task's previous event.
    PreviousOf(TaskId),
    /// To this virtual time.
    Time(VTime),
    /// To the end of the run (the demo runs as fast as a recorded run).
    End,
    /// To this many events shown (a guided stop's place).
    Cursor(usize),
    /// To this many events shown with the playhead at this time (another viewer's moment).
    Moment { cursor: usize, playhead: VTime },
}

/// What the driver of the demo must do for the machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Send this to the running demo.
    Demo(Command),
    /// Throw the running demo away and start it again (as written).
    Restart,
    /// Throw it away and run it again from the start with these cancels (each `(at, task)`
    /// cancels `task` once `at` events are recorded): the same run up to the first (runs are
    /// deterministic), then the cancels.
    Fork { cancels: Vec<(usize, TaskId)> },
}

/// What became of a cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cancel {
    /// Made: the demo runs again with it, and the view shows the request. `live` if the view
    /// was at the live end of the run (otherwise the run changed from a moment in the past).
    Made { task: TaskId, live: bool },
    /// Not possible, and why.
    Refused(Refusal),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The demo has ended (and the cursor is at its end).
    Ended,
    /// `main` is the future `block_on` drives, not a task.
    Main,
    /// A blocking job that has started cannot be stopped.
    RunningJob,
    /// The task had already ended at the cursor.
    AlreadyEnded(State),
    /// The task does not exist at the cursor.
    NoTask,
}

/// What a jump that cannot be done at once waits for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Goal {
    Step,
    Instant,
    Print,
    Of(TaskId),
    Time(VTime),
    End,
    /// Show this many events.
    Cursor(usize),
    /// Show this many events, and the playhead at this time.
    Moment {
        cursor: usize,
        playhead: VTime,
    },
    /// Show up to the viewer's request to cancel `task`, the first at or after `at` events.
    CancelShown {
        at: usize,
        task: TaskId,
    },
}

/// A viewer's moment, as another viewer needs it to show the same (see [`Playback::mirror`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mirrored {
    pub cancels: Vec<(usize, TaskId)>,
    pub cursor: usize,
    pub playhead: VTime,
    pub playing: bool,
    pub pace: Pace,
    /// The index into [`RATES`] or [`SPEEDS`], by pace.
    pub rate: usize,
}

#[derive(Debug)]
pub struct Playback {
    session: Session,
    playing: bool,
    pace: Pace,
    rate: usize,
    speed: usize,
    last_tick: Option<Instant>,
    /// Event-paced play: events owed (a fraction carries over to the next tick).
    owed: f64,
    /// Time-paced play: how far playback wants to be.
    target: VTime,
    /// Commands sent and not yet answered.
    outstanding: usize,
    /// Events recorded when the last command was sent (to see a command that brought nothing).
    recorded_at_send: usize,
    goal: Option<Goal>,
    /// The demo was asked for more for the goal.
    goal_asked: bool,
    /// The viewer's cancels made in this run, in order: `(at, task)` cancels `task` once `at`
    /// events are recorded. Empty: the demo as written.
    cancels: Vec<(usize, TaskId)>,
    /// A jump found nothing to go to.
    missed: bool,
    /// The guided stops: how many events are shown at each, in order. Play pauses there.
    stops: Vec<usize>,
    /// The viewer this machine mirrors is playing (it moves the cursor; this one only shows it).
    mirrored_playing: bool,
    requests: Vec<Request>,
}

impl Playback {
    /// A machine for a demo just started: paused at event 0 unless `play`.
    pub fn new(play: bool) -> Playback {
        Playback {
            session: Session::new(),
            playing: play,
            pace: Pace::Events,
            rate: NORMAL_RATE,
            speed: NORMAL_SPEED,
            last_tick: None,
            owed: 0.0,
            target: VTime::ZERO,
            outstanding: 0,
            recorded_at_send: 0,
            goal: None,
            goal_asked: false,
            cancels: Vec::new(),
            missed: false,
            stops: Vec::new(),
            mirrored_playing: false,
            requests: Vec::new(),
        }
    }

    /// Where play pauses: the cursors of the guided stops, in order.
    pub fn set_stops(&mut self, stops: Vec<usize>) {
        self.stops = stops;
    }

    /// The guided stop the cursor is at, if it is at one (its index).
    pub fn at_stop(&self) -> Option<usize> {
        self.stops.iter().position(|&stop| stop == self.session.cursor())
    }

    /// The cursor of guided stop `number` (from 1).
    pub fn stop_cursor(&self, number: usize) -> Option<usize> {
        self.stops.get(number.checked_sub(1)?).copied()
    }

    /// The cursor of the first stop after the cursor, if any.
    fn next_stop(&self) -> Option<usize> {
        self.stops.iter().copied().find(|&stop| stop > self.session.cursor())
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Is it playing (or is the viewer it mirrors)?
    pub fn playing(&self) -> bool {
        self.playing || self.mirrored_playing
    }

    pub fn pace(&self) -> Pace {
        self.pace
    }

    /// Events per second or virtual seconds per second, by pace.
    pub fn rate(&self) -> f64 {
        match self.pace {
            Pace::Events => RATES[self.rate],
            Pace::Time => SPEEDS[self.speed],
        }
    }

    /// The viewer's cancels made in this run: at which event, of which task.
    pub fn cancels(&self) -> &[(usize, TaskId)] {
        &self.cancels
    }

    /// Is the machine waiting for the demo to record more for a jump?
    pub fn seeking(&self) -> bool {
        self.goal.is_some()
    }

    /// Did the last jump find nothing to go to? (Cleared by reading.)
    pub fn take_missed(&mut self) -> bool {
        std::mem::replace(&mut self.missed, false)
    }

    /// Was everything the demo recorded shown, to its end?
    pub fn completed(&self) -> bool {
        self.session.finished()
    }

    /// Requests for whoever runs the demo, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.requests)
    }

    fn send(&mut self, command: Command) {
        self.outstanding += 1;
        self.recorded_at_send = self.session.events.len();
        self.requests.push(Request::Demo(command));
    }

    pub fn play(&mut self) {
        if self.session.finished() {
            return;
        }
        self.playing = true;
        self.last_tick = None;
        self.target = self.session.playhead;
        // The first event shows at once.
        self.owed = 1.0;
        self.goal = None;
    }

    pub fn pause(&mut self) {
        self.playing = false;
        self.mirrored_playing = false;
        self.last_tick = None;
        self.target = self.session.playhead;
    }

    /// Play or pause; false if there is nothing left to play.
    pub fn toggle(&mut self) -> bool {
        if self.playing {
            self.pause();
        } else if self.session.finished() {
            return false;
        } else {
            self.play();
        }
        true
    }

    pub fn faster(&mut self) {
        match self.pace {
            Pace::Events => self.rate = (self.rate + 1).min(RATES.len() - 1),
            Pace::Time => self.speed = (self.speed + 1).min(SPEEDS.len() - 1),
        }
    }

    pub fn slower(&mut self) {
        match self.pace {
            Pace::Events => self.rate = self.rate.saturating_sub(1),
            Pace::Time => self.speed = self.speed.saturating_sub(1),
        }
    }

    /// Events per second ⇄ virtual time.
    pub fn toggle_pace(&mut self) {
        self.pace = match self.pace {
            Pace::Events => Pace::Time,
            Pace::Time => Pace::Events,
        };
        self.target = self.session.playhead;
        self.last_tick = None;
    }

    /// One event forward (past the frontier, the demo runs until it records one).
    pub fn step(&mut self) {
        self.pause();
        self.pursue_new(Goal::Step);
    }

    /// One event back.
    pub fn step_back(&mut self) {
        self.pause();
        self.goal = None;
        self.session.step_back();
        self.target = self.session.playhead;
    }

    pub fn jump(&mut self, jump: Jump) {
        self.pause();
        self.goal = None;
        let back = |session: &mut Session, to: Option<usize>| match to {
            Some(cursor) => {
                session.seek(cursor);
                true
            }
            None => false,
        };
        let found = match jump {
            Jump::PreviousInstant => {
                let to = self.session.previous_instant_end();
                back(&mut self.session, Some(to))
            }
            Jump::PreviousPrint => {
                let to = self.session.previous_print();
                back(&mut self.session, to)
            }
            Jump::PreviousOf(task) => {
                let to = self.session.previous_of(task);
                back(&mut self.session, to)
            }
            Jump::Time(at) if at <= self.session.playhead => {
                self.session.go_to(at);
                true
            }
            Jump::NextInstant => return self.pursue_new(Goal::Instant),
            Jump::NextPrint => return self.pursue_new(Goal::Print),
            Jump::NextOf(task) => return self.pursue_new(Goal::Of(task)),
            Jump::Time(at) => return self.pursue_new(Goal::Time(at)),
            Jump::End => return self.pursue_new(Goal::End),
            Jump::Cursor(at) if at <= self.session.cursor() => back(&mut self.session, Some(at)),
            Jump::Cursor(at) => return self.pursue_new(Goal::Cursor(at)),
            Jump::Moment { cursor, playhead } => return self.pursue_new(Goal::Moment { cursor, playhead }),
        };
        self.missed = !found;
        self.target = self.session.playhead;
    }

    /// Cancels `task` where the cursor is: the demo runs again with every cancel made so far
    /// before this moment and this one (see [`Request::Fork`]), and the view goes on to show
    /// the request. One way for the live end and the past alike, so the run stays its
    /// program, its seed and its cancels.
    pub fn cancel(&mut self, task: TaskId) -> Cancel {
        if task == crate::engine::MAIN_TASK {
            return Cancel::Refused(Refusal::Main);
        }
        let Some(view) = self.session.lifecycle().get(task) else { return Cancel::Refused(Refusal::NoTask) };
        match (view.state, view.meta.kind) {
            (State::Running, TaskKind::Blocking) => return Cancel::Refused(Refusal::RunningJob),
            (state, _) if state.is_terminal() => return Cancel::Refused(Refusal::AlreadyEnded(state)),
            _ => {}
        }
        if self.session.finished() {
            return Cancel::Refused(Refusal::Ended);
        }
        let live = self.session.at_frontier();
        let at = self.session.cursor();
        let mut cancels: Vec<(usize, TaskId)> =
            self.cancels.iter().copied().filter(|&(made, _)| made <= at).collect();
        cancels.push((at, task));
        self.requests.push(Request::Fork { cancels: cancels.clone() });
        self.start_over(cancels);
        self.goal = Some(Goal::CancelShown { at, task });
        Cancel::Made { task, live }
    }

    /// Shows another viewer's moment (a presenter's, to a follower): the same run (the same
    /// cancels; if they differ, the demo runs again with them), the same cursor and playhead,
    /// pace and speed, playing or not. Playing is only shown: the other viewer moves the cursor.
    pub fn mirror(&mut self, moment: &Mirrored) {
        if self.cancels != moment.cancels {
            self.requests.push(Request::Fork { cancels: moment.cancels.clone() });
            self.start_over(moment.cancels.clone());
        }
        self.pace = moment.pace;
        match moment.pace {
            Pace::Events => self.rate = moment.rate.min(RATES.len() - 1),
            Pace::Time => self.speed = moment.rate.min(SPEEDS.len() - 1),
        }
        self.jump(Jump::Moment { cursor: moment.cursor, playhead: moment.playhead });
        self.missed = false;
        self.mirrored_playing = moment.playing && !self.session.finished();
    }

    /// What another viewer needs to show this moment ([`Playback::mirror`]).
    pub fn mirrored(&self) -> Mirrored {
        Mirrored {
            cancels: self.cancels.clone(),
            cursor: self.session.cursor(),
            playhead: self.session.playhead,
            playing: self.playing(),
            pace: self.pace,
            rate: match self.pace {
                Pace::Events => self.rate,
                Pace::Time => self.speed,
            },
        }
    }

    /// Starts the demo again from the beginning, paused (as written: any cancel is undone).
    pub fn restart(&mut self) {
        self.requests.push(Request::Restart);
        self.start_over(Vec::new());
    }

    fn start_over(&mut self, cancels: Vec<(usize, TaskId)>) {
        let (pace, rate, speed, stops) = (self.pace, self.rate, self.speed, std::mem::take(&mut self.stops));
        *self = Playback {
            pace,
            rate,
            speed,
            // A cancel changes the run after it: the stops before the first cancel still hold.
            stops: match cancels.first() {
                Some(&(first, _)) => stops.into_iter().filter(|&stop| stop <= first).collect(),
                None => stops,
            },
            cancels,
            requests: std::mem::take(&mut self.requests),
            ..Playback::new(false)
        };
    }

    /// The demo reported.
    pub fn on_update(&mut self, update: Update) {
        let progress = matches!(update, Update::Progress { .. });
        self.session.receive(update);
        if progress {
            self.outstanding = self.outstanding.saturating_sub(1);
        }
        if self.session.ending.is_some() {
            self.outstanding = 0;
        }
        self.pursue();
        if self.playing {
            self.advance_play();
        }
    }

    /// A frame tick while playing.
    pub fn on_tick(&mut self, now: Instant) {
        if !self.playing {
            self.last_tick = None;
            return;
        }
        let elapsed = self.last_tick.map_or(Duration::ZERO, |last| now.saturating_duration_since(last));
        self.last_tick = Some(now);
        match self.pace {
            Pace::Events => self.owed += elapsed.as_secs_f64() * RATES[self.rate],
            Pace::Time => {
                let advance = VTime::from_duration(elapsed.mul_f64(SPEEDS[self.speed]));
                self.target = VTime(self.session.playhead.0 + advance.0);
            }
        }
        self.advance_play();
    }

    /// Moves play on as far as it should be and the log allows; asks the demo for more.
    fn advance_play(&mut self) {
        let next_stop = self.next_stop();
        match self.pace {
            Pace::Events => {
                while self.owed >= 1.0
                    && Some(self.session.cursor()) != next_stop
                    && self.session.step_forward()
                {
                    self.owed -= 1.0;
                }
                if self.session.at_frontier() {
                    // Waiting for the demo: owe at most the next event.
                    self.owed = self.owed.min(1.0);
                    if self.session.ending.is_none() && self.outstanding == 0 {
                        self.send(Command::Step);
                    }
                }
                self.target = self.session.playhead;
            }
            Pace::Time => {
                if self.session.ending.is_none()
                    && self.session.demo_now < self.target
                    && self.outstanding == 0
                {
                    self.send(Command::AdvanceTo(self.target));
                }
                let reachable = if self.session.ending.is_some() {
                    self.target
                } else {
                    self.target.min(self.session.demo_now)
                };
                self.session.play_to(reachable);
                // Not past a guided stop.
                if let Some(stop) = next_stop
                    && self.session.cursor() > stop
                {
                    self.session.seek(stop);
                }
            }
        }
        if next_stop.is_some_and(|stop| self.session.cursor() == stop) {
            self.pause();
        }
        if self.session.finished() {
            self.playing = false;
        }
    }

    /// Starts going for `goal`.
    fn pursue_new(&mut self, goal: Goal) {
        self.goal = Some(goal);
        self.goal_asked = false;
        self.pursue();
    }

    /// Goes as far toward the goal as the log allows; asks the demo for more if it must.
    fn pursue(&mut self) {
        let Some(goal) = self.goal else { return };
        let session = &mut self.session;
        let ended = session.ending.is_some();
        // A command answered with nothing new: what is recorded is all there is for now.
        let stalled =
            self.goal_asked && self.outstanding == 0 && session.events.len() == self.recorded_at_send;
        let reached = match goal {
            Goal::Step => session.step_forward(),
            Goal::Instant => match session.next_instant_end() {
                Some(end) => {
                    session.seek(end);
                    true
                }
                None if stalled && !session.at_frontier() => {
                    session.show_all();
                    true
                }
                None => false,
            },
            Goal::Print => session.next_print().map(|to| session.seek(to)).is_some(),
            Goal::Of(task) => session.next_of(task).map(|to| session.seek(to)).is_some(),
            Goal::Time(at) => {
                if ended || session.demo_now >= at {
                    session.go_to(at);
                    true
                } else {
                    false
                }
            }
            Goal::End => {
                if ended {
                    session.show_all();
                }
                ended
            }
            Goal::Cursor(at) => {
                session.seek(at);
                session.cursor() >= at
            }
            Goal::Moment { cursor, playhead } => {
                session.seek(cursor);
                let there = session.cursor() >= cursor && (ended || session.demo_now >= playhead);
                if there || ended {
                    session.hold_playhead(playhead);
                }
                there
            }
            Goal::CancelShown { at, task } => {
                let asked = session.events.iter().skip(at).position(|e| {
                    e.task == task && matches!(e.kind, EventKind::CancelAsked { by: Canceller::Viewer })
                });
                match asked {
                    Some(offset) => session.seek(at + offset + 1),
                    None => session.seek(at),
                }
                asked.is_some()
            }
        };
        self.target = self.session.playhead;
        if reached {
            self.goal = None;
        } else if ended {
            self.goal = None;
            self.missed = !matches!(goal, Goal::Cursor(_) | Goal::Moment { .. } | Goal::CancelShown { .. });
        } else if self.outstanding == 0 {
            self.goal_asked = true;
            self.send(match goal {
                Goal::Time(at) => Command::AdvanceTo(at),
                // Everything up to the other viewer's playhead, in one command.
                Goal::Moment { playhead, .. } if self.session.demo_now < playhead => {
                    Command::AdvanceTo(playhead)
                }
                Goal::End => Command::Finish,
                _ => Command::Step,
            });
        }
    }

    /// A short word for the run's status.
    pub fn status(&self) -> Status {
        let session = &self.session;
        match &session.ending {
            _ if session.error.is_some() => Status::Broken,
            Some(Ending::Crashed(_)) => Status::Broken,
            Some(Ending::Ended { stopped: Some(_), .. }) if session.at_frontier() => Status::Stopped,
            _ if session.finished() => Status::Finished,
            _ if self.playing() => Status::Playing,
            _ => Status::Paused,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Playing,
    Paused,
    Finished,
    Stopped,
    Broken,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{Await, Awaits, Event, EventKind, TaskMeta, WakeCause};

    fn meta(id: u32) -> TaskMeta {
        TaskMeta { id: TaskId(id), name: "t".into(), parent: None, kind: TaskKind::Async }
    }

    fn at(ms: u64, task: u32, kind: EventKind) -> Event {
        Event { at: VTime(ms * 1_000_000), task: TaskId(task), kind }
    }

    fn sleep() -> EventKind {
        EventKind::Suspended { awaits: Awaits::one(Await::Yield), line: None }
    }

    /// What a demo records at 0 ms: main starts a task; both wait.
    fn first_instant() -> Update {
        Update::Progress {
            tasks: vec![meta(1), meta(2)],
            events: vec![
                at(0, 1, EventKind::Created),
                at(0, 1, EventKind::Scheduled { by: WakeCause::Spawn }),
                at(0, 1, EventKind::Running),
                at(0, 2, EventKind::Created),
                at(0, 2, EventKind::Scheduled { by: WakeCause::Spawn }),
                at(0, 1, sleep()),
                at(0, 2, EventKind::Running),
                at(0, 2, sleep()),
            ],
            now: VTime::ZERO,
        }
    }

    /// …and at 500 ms: task 2 wakes, prints and ends.
    fn second_instant() -> Update {
        Update::Progress {
            tasks: vec![],
            events: vec![
                at(500, 2, EventKind::Scheduled { by: WakeCause::Timer }),
                at(500, 2, EventKind::Running),
                at(500, 2, EventKind::Print { text: "hi".into() }),
                at(500, 2, EventKind::Done { result: crate::engine::event::Value::Unit }),
            ],
            now: VTime(500_000_000),
        }
    }

    fn demo_commands(p: &mut Playback) -> Vec<Command> {
        p.take_requests()
            .into_iter()
            .filter_map(|r| match r {
                Request::Demo(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn it_starts_paused_at_event_zero_and_plays_one_event_at_a_time() {
        let mut p = Playback::new(false);
        p.on_update(first_instant());
        assert_eq!((p.session().cursor(), p.playing()), (0, false));
        p.play();
        let t0 = Instant::now();
        p.on_tick(t0);
        assert_eq!(p.session().cursor(), 1, "the first event shows at once");
        // At 4 events a second, half a second shows two more: Scheduled, then Running, are seen.
        p.on_tick(t0 + Duration::from_millis(500));
        assert_eq!(p.session().cursor(), 3);
        assert_eq!(p.session().lifecycle().tasks[0].state, State::Running);
        assert!(demo_commands(&mut p).is_empty(), "nothing is asked of the demo before the frontier");
    }

    #[test]
    fn play_asks_for_one_step_at_the_frontier_and_waits_for_the_answer() {
        let mut p = Playback::new(true);
        p.on_update(first_instant());
        let t0 = Instant::now();
        p.on_tick(t0);
        p.on_tick(t0 + Duration::from_secs(10));
        assert!(p.session().at_frontier());
        assert_eq!(demo_commands(&mut p), [Command::Step]);
        // A late answer: more ticks do not send more commands.
        p.on_tick(t0 + Duration::from_secs(11));
        assert!(demo_commands(&mut p).is_empty());
        p.on_update(second_instant());
        p.on_tick(t0 + Duration::from_secs(20));
        assert_eq!(p.session().cursor(), 12);
        p.on_update(Update::Ended { stopped: None, dropped: 0 });
        p.on_tick(t0 + Duration::from_secs(21));
        assert!(p.completed() && !p.playing());
    }

    #[test]
    fn jumps_go_to_instants_prints_and_a_tasks_events() {
        let mut p = Playback::new(false);
        p.on_update(first_instant());
        p.step();
        // Is the first instant over? Only a later event can say: the demo is asked, once.
        p.jump(Jump::NextInstant);
        assert!(p.seeking());
        assert_eq!(demo_commands(&mut p), [Command::Step]);
        p.on_update(second_instant());
        assert_eq!(p.session().cursor(), 8, "the rest of the first instant");
        p.jump(Jump::NextInstant);
        assert_eq!(demo_commands(&mut p), [Command::Step]);
        p.on_update(Update::Ended { stopped: None, dropped: 0 });
        assert_eq!(p.session().cursor(), 12);
        p.jump(Jump::PreviousInstant);
        assert_eq!(p.session().cursor(), 8);
        p.jump(Jump::PreviousInstant);
        assert_eq!(p.session().cursor(), 0);
        p.jump(Jump::NextPrint);
        assert_eq!(p.session().cursor(), 11);
        assert_eq!(p.session().playhead, VTime(500_000_000));
        p.jump(Jump::PreviousOf(TaskId(2)));
        assert_eq!(p.session().cursor(), 10);
        p.jump(Jump::PreviousOf(TaskId(1)));
        assert_eq!(p.session().cursor(), 6);
        p.jump(Jump::NextOf(TaskId(1)));
        assert_eq!(p.session().cursor(), 6, "task 1 has no later event: nothing moves");
        assert!(p.take_missed());
    }

    #[test]
    fn a_step_answered_with_nothing_new_ends_the_search_with_what_is_recorded() {
        let mut p = Playback::new(false);
        p.on_update(first_instant());
        p.jump(Jump::NextInstant);
        assert_eq!(demo_commands(&mut p), [Command::Step]);
        p.on_update(Update::Progress { tasks: vec![], events: vec![], now: VTime::ZERO });
        assert_eq!((p.session().cursor(), p.seeking()), (8, false));
    }

    #[test]
    fn a_demo_that_ends_without_answering_leaves_nothing_waiting() {
        let mut p = Playback::new(false);
        p.on_update(first_instant());
        p.jump(Jump::NextPrint);
        assert_eq!(demo_commands(&mut p), [Command::Step]);
        // The answer never comes: the demo ends (its last events came with the end).
        p.on_update(Update::Ended { stopped: None, dropped: 0 });
        assert!(!p.seeking(), "the search is over");
        assert!(p.take_missed(), "and it says it found nothing");
        p.play();
        p.on_tick(Instant::now());
        p.on_tick(Instant::now() + Duration::from_secs(60));
        assert!(demo_commands(&mut p).is_empty(), "nothing is asked of an ended demo");
        assert!(p.completed() && !p.playing());
    }

    #[test]
    fn time_paced_play_moves_by_virtual_time() {
        let mut p = Playback::new(false);
        p.toggle_pace();
        p.on_update(first_instant());
        p.play();
        let t0 = Instant::now();
        p.on_tick(t0);
        assert_eq!(p.session().cursor(), 8, "the whole first instant at once");
        p.on_tick(t0 + Duration::from_millis(250));
        assert_eq!(demo_commands(&mut p), [Command::AdvanceTo(VTime(250_000_000))]);
        p.on_update(Update::Progress { tasks: vec![], events: vec![], now: VTime(250_000_000) });
        assert_eq!(p.session().playhead, VTime(250_000_000));
    }

    #[test]
    fn play_pauses_at_each_guided_stop_and_the_digits_jump_there() {
        for pace in [Pace::Events, Pace::Time] {
            let mut p = Playback::new(false);
            if pace == Pace::Time {
                p.toggle_pace();
            }
            p.set_stops(vec![3, 10]);
            p.on_update(first_instant());
            p.on_update(second_instant());
            p.on_update(Update::Ended { stopped: None, dropped: 0 });
            p.play();
            let t0 = Instant::now();
            for s in 0..100 {
                p.on_tick(t0 + Duration::from_millis(s * 100));
            }
            assert_eq!((p.session().cursor(), p.playing(), p.at_stop()), (3, false, Some(0)), "{pace:?}");
            p.play();
            for s in 100..200 {
                p.on_tick(t0 + Duration::from_millis(s * 100));
            }
            assert_eq!((p.session().cursor(), p.at_stop()), (10, Some(1)), "{pace:?}");
            p.play();
            for s in 200..300 {
                p.on_tick(t0 + Duration::from_millis(s * 100));
            }
            assert!(p.completed(), "{pace:?}");
            p.jump(Jump::Cursor(p.stop_cursor(1).unwrap()));
            assert_eq!(p.at_stop(), Some(0));
        }
    }

    #[test]
    fn going_to_a_time_asks_the_demo_to_get_there() {
        let mut p = Playback::new(false);
        p.on_update(first_instant());
        p.jump(Jump::Time(VTime(700_000_000)));
        assert_eq!(demo_commands(&mut p), [Command::AdvanceTo(VTime(700_000_000))]);
        assert_eq!(p.session().cursor(), 0, "nothing moves before the demo answers");
        let mut update = second_instant();
        if let Update::Progress { now, .. } = &mut update {
            *now = VTime(700_000_000);
        }
        p.on_update(update);
        assert_eq!((p.session().cursor(), p.session().playhead), (12, VTime(700_000_000)));
        p.jump(Jump::Time(VTime(100_000_000)));
        assert_eq!((p.session().cursor(), p.session().playhead), (8, VTime(100_000_000)));
    }

    /// The first instant of a run where the viewer cancelled task 2 after `at` events.
    fn first_instant_cancelled_at(at: usize) -> Update {
        let Update::Progress { tasks, mut events, now } = first_instant() else { unreachable!() };
        events.truncate(at);
        events.push(Event {
            at: VTime::ZERO,
            task: TaskId(2),
            kind: EventKind::CancelAsked { by: Canceller::Viewer },
        });
        Update::Progress { tasks, events, now }
    }

    #[test]
    fn a_cancel_runs_the_demo_again_with_every_cancel_before_it_and_shows_the_request() {
        let mut p = Playback::new(false);
        p.on_update(first_instant());
        p.jump(Jump::Time(VTime::ZERO));
        assert_eq!(p.session().cursor(), 8);
        assert_eq!(p.cancel(TaskId(1)), Cancel::Refused(Refusal::Main));
        assert_eq!(p.cancel(TaskId(2)), Cancel::Made { task: TaskId(2), live: true });
        assert_eq!(p.take_requests(), [Request::Fork { cancels: vec![(8, TaskId(2))] }]);
        assert_eq!(p.cancels(), [(8, TaskId(2))]);
        // The new run's first report: shown up to the request, which is the news.
        p.on_update(first_instant_cancelled_at(8));
        assert_eq!(p.session().cursor(), 9);
        // Back in the past, a cancel keeps only the cancels made before it.
        p.jump(Jump::Cursor(7));
        assert_eq!(p.cancel(TaskId(2)), Cancel::Made { task: TaskId(2), live: false });
        assert_eq!(p.take_requests(), [Request::Fork { cancels: vec![(7, TaskId(2))] }]);
        p.on_update(first_instant_cancelled_at(7));
        assert_eq!(p.session().cursor(), 8);
        p.restart();
        assert!(p.cancels().is_empty());
        assert_eq!(p.take_requests(), [Request::Restart]);
    }

    #[test]
    fn a_mirror_rebuilds_the_other_viewers_run_and_moment() {
        let mut presenter = Playback::new(false);
        presenter.on_update(first_instant());
        presenter.jump(Jump::Cursor(8));
        presenter.cancel(TaskId(2));
        presenter.take_requests();
        presenter.on_update(first_instant_cancelled_at(8));
        presenter.toggle_pace();
        presenter.faster();
        let moment = presenter.mirrored();

        let mut follower = Playback::new(false);
        follower.on_update(first_instant());
        follower.mirror(&moment);
        // Another run: the follower's demo runs again with the presenter's cancels.
        assert_eq!(follower.take_requests()[0], Request::Fork { cancels: vec![(8, TaskId(2))] });
        follower.on_update(first_instant_cancelled_at(8));
        assert_eq!(follower.mirrored(), moment);
        assert_eq!(follower.session().lifecycle().tasks, presenter.session().lifecycle().tasks);
        // The same run: only the cursor moves, back or forth, and no demo is started.
        let mut back = moment.clone();
        back.cursor = 3;
        back.playing = true;
        follower.mirror(&back);
        assert!(follower.take_requests().is_empty());
        assert_eq!((follower.session().cursor(), follower.playing()), (3, true));
    }

    #[test]
    fn stepping_back_far_uses_checkpoints_and_folds_the_same_states() {
        let mut p = Playback::new(false);
        let tasks: Vec<TaskMeta> = (1..=3000).map(meta).collect();
        let mut events = Vec::new();
        for id in 1..=3000 {
            events.push(at(0, id, EventKind::Created));
            events.push(at(0, id, EventKind::Scheduled { by: WakeCause::Spawn }));
        }
        for id in 1..=3000 {
            events.push(at(1, id, EventKind::Running));
            events.push(at(1, id, sleep()));
        }
        p.on_update(Update::Progress { tasks, events, now: VTime(1_000_000) });
        p.on_update(Update::Ended { stopped: None, dropped: 0 });
        p.jump(Jump::End);
        let mut states = Vec::new();
        for _ in 0..5000 {
            p.step_back();
            states.push(p.session().lifecycle().tasks.iter().map(|t| t.state).collect::<Vec<_>>());
        }
        let cursor = p.session().cursor();
        let mut fresh = Playback::new(false);
        let (tasks, events) = (p.session().tasks.clone(), p.session().events.clone());
        fresh.on_update(Update::Progress { tasks, events, now: VTime(1_000_000) });
        fresh.session.seek(cursor);
        assert_eq!(fresh.session().lifecycle().tasks, p.session().lifecycle().tasks);
    }
}
