//! The view's part in a class: the presenter's (its moment goes to the followers; it opens
//! polls, sees the tally, reveals) or a follower's (it shows the presenter's moment, or its own
//! after `d`; it answers polls). Plain state and what keys and messages do to it; the loop in
//! [`super::terminal`] carries [`ClassRequest`]s to the network, the panels draw it.

use crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Code};
use super::keys::Action;
use super::playback::{Mirrored, Pace};
use crate::class::client::{Incoming, Lost};
use crate::class::protocol::{self, CodeTab, FromPresenter, Moment, Refusal, Summary};
use crate::class::server::Answered;
use crate::class::tally::{Form, Tally};
use crate::engine::event::{Canceller, TaskId, Trace, VTime};
use crate::lesson::Lang;
use crate::lesson::Predict;
use crate::quiz::{self, Answer, Solved};

/// What the loop must send for the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassRequest {
    /// The presenter opens a poll on quiz `quiz` (the loop solves it and opens it).
    OpenPoll {
        poll: u64,
        quiz: usize,
    },
    Reveal {
        poll: u64,
        tally: Summary,
    },
    ClosePoll {
        poll: u64,
    },
    /// A follower's answer.
    Answer {
        poll: u64,
        answer: Vec<u8>,
    },
}

/// The view's class, if it is in one.
#[derive(Debug)]
pub struct Classroom {
    pub role: Role,
    pub poll: Option<Poll>,
    requests: Vec<ClassRequest>,
}

#[derive(Debug)]
pub enum Role {
    /// `present`, listening: where followers connect, the code they need, how many there are.
    Presenting {
        address: String,
        code: Option<String>,
        followers: usize,
        next_poll: u64,
        next_quiz: usize,
    },
    Following(Following),
}

/// A follower's state, kept from lesson to lesson.
#[derive(Clone, Debug)]
pub struct Following {
    /// Following the presenter (`f`), or exploring on its own (`d`).
    pub following: bool,
    pub link: Link,
    /// The presenter's latest moment.
    pub latest: Option<Moment>,
}

impl Default for Following {
    fn default() -> Self {
        Following { following: true, link: Link::Connecting, latest: None }
    }
}

/// The follower's connection, as the screen says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Joined,
    Lost { why: Lost, retrying: bool },
}

/// An open poll, on either side.
#[derive(Debug)]
pub struct Poll {
    pub id: u64,
    /// Which quiz of the lesson (from 0), and how many it has.
    pub quiz: usize,
    pub quizzes: usize,
    pub question: String,
    pub options: Vec<String>,
    pub form: Form,
    pub solved: Solved,
    pub right: Vec<u8>,
    pub why: String,
    pub side: PollSide,
    /// On screen (a follower can put it away with Esc and bring it back with `a`).
    pub shown: bool,
}

#[derive(Debug)]
pub enum PollSide {
    Presenter {
        tally: Tally,
        revealed: bool,
    },
    Follower {
        /// An order being typed.
        typed: Vec<u8>,
        /// The answer sent.
        given: Option<Vec<u8>>,
        /// The class's result, once revealed.
        result: Option<Summary>,
    },
}

impl Poll {
    /// A poll on quiz `quiz` of the view's lesson, answered from `trace` (the lesson's recorded
    /// run); `None` if the lesson has no such quiz or its answer is not clear in that run.
    pub fn new(app: &App, id: u64, quiz: usize, trace: &Trace, presenter: bool) -> Option<Poll> {
        let lesson = &app.lesson;
        let question = lesson.quizzes.get(quiz)?;
        let solved = quiz::solve(question, trace, lesson.lang, &lesson.prints).ok()?;
        let options = quiz::options(question, lesson.lang, &lesson.prints);
        let form = match question.predict {
            Predict::Order { .. } => Form::Order(options.len()),
            Predict::First { .. } | Predict::State { .. } => Form::Pick(options.len()),
        };
        let right: Vec<u8> = match &solved.answer {
            Answer::Order(order) => order.iter().map(|&i| i as u8).collect(),
            Answer::Pick(i) => vec![*i as u8],
        };
        let side = if presenter {
            PollSide::Presenter { tally: Tally::new(form, right.clone()), revealed: false }
        } else {
            PollSide::Follower { typed: Vec::new(), given: None, result: None }
        };
        Some(Poll {
            id,
            quiz,
            quizzes: lesson.quizzes.len(),
            question: question.question.get(lesson.lang).to_owned(),
            options,
            form,
            solved,
            right,
            why: question.why.get(lesson.lang).to_owned(),
            side,
            shown: true,
        })
    }

    /// The follower's answer as the quiz module takes it.
    pub fn as_answer(&self, given: &[u8]) -> Answer {
        match self.form {
            Form::Pick(_) => Answer::Pick(given.first().copied().unwrap_or(0) as usize),
            Form::Order(_) => Answer::Order(given.iter().map(|&i| i as usize).collect()),
        }
    }
}

/// The moment a presenter is at with no lesson's demo on screen: choosing one (`lesson` is
/// `None`) or reading a lesson's text before its demo: paused at its start, at the view's
/// default pace.
pub fn moment_outside(lesson: Option<&str>, seed: u64) -> Moment {
    let start = super::playback::Playback::new(false).mirrored();
    Moment { lesson: lesson.map(str::to_owned), rate: start.rate, ..Moment::choosing(seed) }
}

impl App {
    /// Makes this the presenter's view of a class listening at `address`.
    pub fn teach(&mut self, address: String, code: Option<String>, next_poll: u64) {
        self.class = Some(Classroom {
            role: Role::Presenting { address, code, followers: 0, next_poll, next_quiz: 0 },
            poll: None,
            requests: Vec::new(),
        });
        self.redraw();
    }

    /// Makes this a follower's view; `state` is carried from the last lesson.
    pub fn follow(&mut self, state: Following) {
        let latest = state.latest.clone();
        self.class = Some(Classroom { role: Role::Following(state), poll: None, requests: Vec::new() });
        if let Some(moment) = latest {
            self.on_moment(moment);
        }
    }

    /// A follower's state, to carry to the next lesson.
    pub fn following(&self) -> Option<&Following> {
        match &self.class.as_ref()?.role {
            Role::Following(following) => Some(following),
            Role::Presenting { .. } => None,
        }
    }

    fn following_mut(&mut self) -> Option<&mut Following> {
        match &mut self.class.as_mut()?.role {
            Role::Following(following) => Some(following),
            Role::Presenting { .. } => None,
        }
    }

    /// Is this a follower that follows now (its cursor is the presenter's)?
    pub fn mirroring(&self) -> bool {
        self.following().is_some_and(|f| f.following)
    }

    /// The open poll's id, if one is open.
    pub fn open_poll(&self) -> Option<u64> {
        Some(self.class.as_ref()?.poll.as_ref()?.id)
    }

    /// How many polls the presenter has opened in the session (the last one's id).
    pub fn polls_opened(&self) -> u64 {
        match self.class.as_ref().map(|class| &class.role) {
            Some(Role::Presenting { next_poll, .. }) => *next_poll,
            _ => 0,
        }
    }

    /// Who cancelled a task, as this view says it: on a follower, the presenter's cancels are
    /// the presenter's, not "you".
    pub fn canceller(&self, by: Canceller) -> String {
        let presenters = self.following().and_then(|f| f.latest.as_ref()).is_some_and(|moment| {
            moment.cancels.iter().map(|&(at, task)| (at, TaskId(task))).eq(self
                .playback
                .cancels()
                .iter()
                .copied())
        });
        match by {
            Canceller::Viewer if presenters => {
                self.lang.pick("ведущий (клавиша c)", "the presenter (the c key)").to_owned()
            }
            _ => crate::view::describe::canceller(by, self.lang),
        }
    }

    /// Requests for the loop, oldest first.
    pub fn take_class_requests(&mut self) -> Vec<ClassRequest> {
        self.class.as_mut().map_or_else(Vec::new, |class| std::mem::take(&mut class.requests))
    }

    /// What a follower needs to show this moment.
    pub fn moment(&self, seed: u64) -> Moment {
        let mirrored = self.playback.mirrored();
        Moment {
            lesson: Some(self.lesson.id.clone()),
            seed,
            cancels: mirrored.cancels.iter().map(|&(at, task)| (at, task.0)).collect(),
            cursor: mirrored.cursor,
            playhead: mirrored.playhead.0,
            playing: mirrored.playing,
            pace: match mirrored.pace {
                Pace::Events => protocol::Pace::Events,
                Pace::Time => protocol::Pace::Time,
            },
            rate: mirrored.rate,
            selected: self.view.selected.map(|task| task.0),
            code: match self.view.code {
                Code::Rust => CodeTab::Rust,
                Code::Python => CodeTab::Python,
            },
        }
    }

    /// The presenter's followers, as the listener counts them.
    pub fn set_followers(&mut self, count: usize) {
        if let Some(Classroom { role: Role::Presenting { followers, .. }, .. }) = &mut self.class
            && *followers != count
        {
            *followers = count;
            self.redraw();
        }
    }

    /// The presenter's moment arrived (a follower). Shown at once if following; kept for `f`
    /// otherwise. The caller has checked it is this lesson and seed.
    pub fn on_moment(&mut self, moment: Moment) {
        let Some(following) = self.following_mut() else { return };
        following.latest = Some(moment.clone());
        if following.following {
            self.show_moment(&moment);
        }
        self.redraw();
    }

    /// The presenter's moment elsewhere (another lesson or seed), kept for `f`.
    pub fn keep_moment(&mut self, moment: Moment) {
        if let Some(following) = self.following_mut() {
            following.latest = Some(moment);
        }
        self.redraw();
    }

    fn show_moment(&mut self, moment: &Moment) {
        self.playback.mirror(&Mirrored {
            cancels: moment.cancels.iter().map(|&(at, task)| (at, TaskId(task))).collect(),
            cursor: moment.cursor,
            playhead: VTime(moment.playhead),
            playing: moment.playing,
            pace: match moment.pace {
                protocol::Pace::Events => Pace::Events,
                protocol::Pace::Time => Pace::Time,
            },
            rate: moment.rate,
        });
        let selected = moment.selected.map(TaskId);
        if self.view.selected != selected {
            self.view.code_scroll = 0;
        }
        self.view.selected = selected;
        self.view.code = match moment.code {
            CodeTab::Rust => Code::Rust,
            CodeTab::Python => Code::Python,
        };
        self.notice = None;
        self.after_move();
    }

    /// What became of the follower's connection.
    pub fn on_link(&mut self, incoming: &Incoming) {
        let Some(following) = self.following_mut() else { return };
        match incoming {
            Incoming::Joined => following.link = Link::Joined,
            Incoming::Lost { why, retrying } => {
                following.link = Link::Lost { why: why.clone(), retrying: *retrying };
                // A poll of a presenter who is gone cannot be answered.
                if let Some(class) = &mut self.class {
                    class.poll = None;
                }
            }
            Incoming::Message(_) => {}
        }
        self.redraw();
    }

    /// A follower's poll message that is not an opening (those come with their quiz solved).
    pub fn on_poll_message(&mut self, message: &FromPresenter) {
        let Some(class) = &mut self.class else { return };
        match message {
            FromPresenter::Reveal { poll, tally } => {
                if let Some(open) = &mut class.poll
                    && open.id == *poll
                    && let PollSide::Follower { result, .. } = &mut open.side
                {
                    *result = Some(tally.clone());
                    open.shown = true;
                }
            }
            FromPresenter::PollClosed { poll }
                if class.poll.as_ref().is_some_and(|open| open.id == *poll) =>
            {
                class.poll = None;
            }
            _ => {}
        }
        self.redraw();
    }

    /// A poll opened: the presenter's (it asked) or the presenter's, on a follower.
    pub fn poll_opened(&mut self, poll: Poll) {
        if let Some(class) = &mut self.class {
            class.poll = Some(poll);
        }
        self.redraw();
    }

    /// A follower answered the presenter's open poll.
    pub fn on_answer(&mut self, answered: Answered) {
        let Some(poll) = self.class.as_mut().and_then(|class| class.poll.as_mut()) else { return };
        if let PollSide::Presenter { tally, .. } = &mut poll.side
            && poll.id == answered.poll
        {
            tally.add(answered.follower, answered.answer);
            self.redraw();
        }
    }

    /// The tally of the presenter's open poll.
    pub fn tally(&self) -> Option<Summary> {
        let class = self.class.as_ref()?;
        let Role::Presenting { followers, .. } = &class.role else { return None };
        match &class.poll.as_ref()?.side {
            PollSide::Presenter { tally, .. } => Some(tally.summary(*followers)),
            PollSide::Follower { .. } => None,
        }
    }

    /// A key the class takes before the key table: a follower typing an answer, Esc on a poll.
    /// True if it took the key.
    pub(super) fn class_key(&mut self, key: KeyEvent) -> bool {
        let Some(class) = &mut self.class else { return false };
        let Some(poll) = &mut class.poll else { return false };
        if !poll.shown {
            return false;
        }
        match (&mut poll.side, key.code) {
            (PollSide::Follower { .. }, KeyCode::Esc) => {
                poll.shown = false;
                true
            }
            (PollSide::Follower { typed, given: None, .. }, KeyCode::Backspace) => {
                typed.pop();
                true
            }
            (PollSide::Follower { typed, given: given @ None, .. }, KeyCode::Char(c))
                if c.is_ascii_digit() =>
            {
                let Some(option) = (c as u8 - b'0').checked_sub(1) else { return true };
                if (option as usize) >= poll.options.len() || typed.contains(&option) {
                    return true;
                }
                typed.push(option);
                let complete = match poll.form {
                    Form::Pick(_) => true,
                    Form::Order(n) => typed.len() == n,
                };
                if complete {
                    let answer = std::mem::take(typed);
                    *given = Some(answer.clone());
                    class.requests.push(ClassRequest::Answer { poll: poll.id, answer });
                }
                true
            }
            // While a follower's poll is on screen, digits are its (not jumps to stops).
            (PollSide::Follower { .. }, KeyCode::Char(c)) if c.is_ascii_digit() => true,
            (PollSide::Presenter { .. }, KeyCode::Esc) => {
                let id = poll.id;
                class.poll = None;
                class.requests.push(ClassRequest::ClosePoll { poll: id });
                true
            }
            _ => false,
        }
    }

    /// The class's actions; true if the action was the class's.
    pub(super) fn class_act(&mut self, action: Action) -> bool {
        let lang = self.lang;
        let quizzes = self.lesson.quizzes.len();
        match (action, self.class.as_mut()) {
            (Action::Poll, Some(class)) => match &mut class.role {
                Role::Presenting { next_poll, next_quiz, .. } => {
                    if quizzes == 0 {
                        self.notice = Some(
                            lang.pick("в этом уроке нет вопросов", "this lesson has no quiz").to_owned(),
                        );
                        return true;
                    }
                    if let Some(open) = class.poll.take() {
                        class.requests.push(ClassRequest::ClosePoll { poll: open.id });
                    }
                    let quiz = *next_quiz % quizzes;
                    *next_quiz = quiz + 1;
                    *next_poll += 1;
                    class.requests.push(ClassRequest::OpenPoll { poll: *next_poll, quiz });
                    true
                }
                Role::Following(_) => {
                    match &mut class.poll {
                        Some(poll) => poll.shown = true,
                        None => {
                            self.notice = Some(lang.pick("опроса сейчас нет", "no poll is open").to_owned());
                        }
                    }
                    true
                }
            },
            (
                Action::Reveal,
                Some(Classroom { role: Role::Presenting { followers, .. }, poll, requests }),
            ) => {
                match poll {
                    Some(Poll { id, side: PollSide::Presenter { tally, revealed }, .. }) => {
                        *revealed = true;
                        requests.push(ClassRequest::Reveal { poll: *id, tally: tally.summary(*followers) });
                    }
                    _ => {
                        self.notice = Some(
                            lang.pick("опрос не открыт: a — открыть", "no poll is open: a opens one")
                                .to_owned(),
                        );
                    }
                }
                true
            }
            (Action::Detach, Some(Classroom { role: Role::Following(following), .. })) => {
                following.following = false;
                self.playback.pause();
                self.notice = Some(
                    lang.pick(
                        "вы смотрите сами: ведущий идёт дальше без вас; f — снова за ведущим",
                        "on your own: the presenter goes on without you; f follows again",
                    )
                    .to_owned(),
                );
                true
            }
            (Action::Follow, Some(Classroom { role: Role::Following(following), .. })) => {
                following.following = true;
                if let Some(moment) = following.latest.clone() {
                    if moment.lesson.as_deref() != Some(self.lesson.id.as_str()) {
                        // The presenter is elsewhere: the follower's loop goes there.
                        self.exit = Some(super::app::Exit::Moved);
                    } else {
                        self.show_moment(&moment);
                    }
                }
                true
            }
            (Action::Poll | Action::Reveal | Action::Detach | Action::Follow, _) => {
                self.notice = Some(
                    lang.pick(
                        "это работает в классе: asyncdemo present / asyncdemo follow",
                        "that works in a class: asyncdemo present / asyncdemo follow",
                    )
                    .to_owned(),
                );
                true
            }
            _ => false,
        }
    }

    /// A follower who moves the run or the selection while following leaves the presenter
    /// first (and is told so): otherwise the next moment would take the move back.
    pub(super) fn detach_for(&mut self, action: Action) {
        let moves = matches!(
            action,
            Action::PlayPause
                | Action::StepForward
                | Action::StepBack
                | Action::NextInstant
                | Action::PreviousInstant
                | Action::NextPrint
                | Action::PreviousPrint
                | Action::NextOfTask
                | Action::PreviousOfTask
                | Action::GoToTime
                | Action::TogglePace
                | Action::Faster
                | Action::Slower
                | Action::Restart
                | Action::ToEnd
                | Action::SelectUp
                | Action::SelectDown
                | Action::CancelTask
                | Action::ToggleCode
                | Action::Stop(_)
        );
        if moves && self.mirroring() {
            self.class_act(Action::Detach);
            self.playback.pause();
        }
    }
}

/// The follower's connection in words (the header and the waiting screen say it).
pub fn link_text(link: &Link, lang: Lang) -> String {
    match link {
        Link::Connecting => lang.pick("подключаюсь к ведущему…", "connecting to the presenter…").to_owned(),
        Link::Joined => lang.pick("подключено к ведущему", "connected to the presenter").to_owned(),
        Link::Lost { why, retrying } => {
            let why = match why {
                Lost::Unreachable => lang.pick("ведущий не отвечает", "the presenter does not answer"),
                Lost::Bye => lang.pick("ведущий вышел", "the presenter left"),
                Lost::OtherCourse => lang.pick(
                    "у ведущего другие уроки (другая версия asyncdemo или --lessons-dir)",
                    "the presenter has other lessons (another asyncdemo version or --lessons-dir)",
                ),
                Lost::Refused(refusal) => refused(*refusal, lang),
            };
            if *retrying {
                format!("{why} — {}", lang.pick("подключусь снова сам", "reconnecting by itself"))
            } else {
                why.to_owned()
            }
        }
    }
}

fn refused(refusal: Refusal, lang: Lang) -> &'static str {
    match refusal {
        Refusal::Version => lang.pick(
            "у ведущего другая версия протокола: обновите asyncdemo",
            "the presenter speaks another protocol version: update asyncdemo",
        ),
        Refusal::WrongCode => lang.pick(
            "неверный код сессии: возьмите его с экрана ведущего (--code)",
            "wrong session code: take it from the presenter's screen (--code)",
        ),
        Refusal::Silent | Refusal::Garbage | Refusal::TooLong | Refusal::Flood => {
            lang.pick("ведущий отключил нас: ошибка протокола", "the presenter dropped us: a protocol error")
        }
        Refusal::TooSlow => lang.pick(
            "ведущий отключил нас: сеть не успевала",
            "the presenter dropped us: the network could not keep up",
        ),
        Refusal::Full => lang.pick("в классе нет мест", "the class is full"),
    }
}
