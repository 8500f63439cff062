//! The classroom protocol: what the presenter (`asyncdemo present`) and its followers
//! (`asyncdemo follow`) say to each other. Line-delimited JSON over TCP, one message a line,
//! each an object with a `"type"`; the README writes it down for anyone who wants to write a
//! client of their own.
//!
//! A follower's whole screen is rebuilt from a [`Moment`]: a lesson, a seed, the presenter's
//! cancels, a cursor into the event log (runs are deterministic, so the follower's own run of
//! the lesson records the same events), and how it is shown. Nothing a follower sends changes
//! the presenter's run: it can only say hello and answer polls.

use serde::{Deserialize, Serialize};

/// The protocol's version: a hello with another is refused.
pub const VERSION: u32 = 1;
/// Where `present` listens unless `--listen` says otherwise (on 127.0.0.1).
pub const DEFAULT_PORT: u16 = 47474;
/// The longest line a follower may send (bytes, without the newline); a longer one is an error.
pub const MAX_FOLLOWER_LINE: usize = 1024;
/// The longest line the presenter sends.
pub const MAX_PRESENTER_LINE: usize = 64 * 1024;

/// What a follower sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromFollower {
    /// The first line, within a few seconds of connecting. `code`: the session code the
    /// presenter shows (needed when it listens on anything but loopback).
    Hello {
        protocol: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
    /// An answer to the open poll: the option numbers (from 0) picked, or all of them in the
    /// order predicted. Only a follower's first answer to a poll counts.
    Answer { poll: u64, answer: Vec<u8> },
}

/// What the presenter sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromPresenter {
    /// The answer to a hello. `course`: a fingerprint of the presenter's lessons (a follower
    /// with other lessons cannot rebuild its runs, and says so).
    Welcome { protocol: u32, course: String },
    /// Where the presenter is now.
    Moment(Moment),
    /// A poll is open: a quiz of the lesson (its index in the lesson's file).
    Poll { poll: u64, lesson: String, quiz: usize },
    /// The poll's result, revealed to the class.
    Reveal { poll: u64, tally: Summary },
    /// The poll is closed (without a reveal, or after one).
    PollClosed { poll: u64 },
    /// The connection is refused or dropped, and why; the presenter closes it after this.
    Error { reason: Refusal, message: String },
    /// The presenter is leaving (its program is quitting).
    Bye,
}

/// Where the presenter is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    /// The lesson on the presenter's screen; `None` while it chooses one.
    pub lesson: Option<String>,
    /// The seed of the demos' random numbers.
    pub seed: u64,
    /// The presenter's cancels in this run: `[at, task]`, the task cancelled once `at` events
    /// are recorded.
    pub cancels: Vec<(usize, u32)>,
    /// How many events are shown.
    pub cursor: usize,
    /// The virtual time shown, in nanoseconds.
    pub playhead: u64,
    pub playing: bool,
    pub pace: Pace,
    /// The speed, as an index into the view's table of rates (or speeds, by pace).
    pub rate: usize,
    /// The selected task.
    pub selected: Option<u32>,
    pub code: CodeTab,
}

impl Moment {
    /// The presenter is choosing a lesson.
    pub fn choosing(seed: u64) -> Moment {
        Moment {
            lesson: None,
            seed,
            cancels: Vec::new(),
            cursor: 0,
            playhead: 0,
            playing: false,
            pace: Pace::Events,
            rate: 0,
            selected: None,
            code: CodeTab::Rust,
        }
    }

    /// The start of a lesson, not yet played (the presenter reads its text, say).
    pub fn start_of(lesson: &str, seed: u64) -> Moment {
        Moment { lesson: Some(lesson.to_owned()), ..Moment::choosing(seed) }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    Events,
    Time,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeTab {
    Rust,
    Python,
}

/// A poll's result.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Followers connected.
    pub followers: usize,
    pub answered: usize,
    pub correct: usize,
    /// Each answer given and how many gave it: for a pick, every option in order (`[i]`); for
    /// an order, each order given, the most given first.
    pub counts: Vec<(Vec<u8>, usize)>,
    /// The right answer.
    pub right: Vec<u8>,
}

/// Why a connection is refused or dropped.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The hello's protocol version is not this one.
    Version,
    /// The session code is missing or wrong.
    WrongCode,
    /// No hello in time.
    Silent,
    /// A line that is not a message of this protocol.
    Garbage,
    /// A line longer than [`MAX_FOLLOWER_LINE`].
    TooLong,
    /// More lines a second than a follower ever needs.
    Flood,
    /// The follower did not read what it was sent fast enough.
    TooSlow,
    /// The class has as many followers as the presenter takes.
    Full,
}

impl Refusal {
    /// In English, for the wire (the follower's screen says it in its own language).
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Version => "this presenter speaks another version of the protocol",
            Refusal::WrongCode => "wrong or missing session code",
            Refusal::Silent => "no hello in time",
            Refusal::Garbage => "a line that is not a message of this protocol",
            Refusal::TooLong => "a line longer than the protocol allows",
            Refusal::Flood => "too many messages",
            Refusal::TooSlow => "too slow to read the presenter's messages",
            Refusal::Full => "the class is full",
        }
    }

    /// Is it worth connecting again? (Not with the wrong version or code.)
    pub fn retry(self) -> bool {
        !matches!(self, Refusal::Version | Refusal::WrongCode)
    }
}

/// One message as a line (with its newline).
pub fn line<T: Serialize>(message: &T) -> String {
    // The messages are plain structs of strings and numbers: serializing cannot fail.
    let mut line = serde_json::to_string(message).unwrap_or_default();
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_the_readme_writes_them() {
        let hello: FromFollower = serde_json::from_str(r#"{"type":"hello","protocol":1}"#).unwrap();
        assert_eq!(hello, FromFollower::Hello { protocol: 1, code: None });
        let answer: FromFollower =
            serde_json::from_str(r#"{"type":"answer","poll":3,"answer":[2,0,1]}"#).unwrap();
        assert_eq!(answer, FromFollower::Answer { poll: 3, answer: vec![2, 0, 1] });
        assert!(serde_json::from_str::<FromFollower>(r#"{"type":"hello","protocol":1,"x":1}"#).is_err());
        assert!(serde_json::from_str::<FromFollower>(r#"{"type":"moment"}"#).is_err());
        let moment = FromPresenter::Moment(Moment::start_of("gather", 7));
        assert_eq!(
            line(&moment),
            "{\"type\":\"moment\",\"lesson\":\"gather\",\"seed\":7,\"cancels\":[],\"cursor\":0,\
             \"playhead\":0,\"playing\":false,\"pace\":\"events\",\"rate\":0,\"selected\":null,\
             \"code\":\"rust\"}\n"
        );
        let back: FromPresenter = serde_json::from_str(line(&moment).trim_end()).unwrap();
        assert_eq!(back, moment);
        let error =
            FromPresenter::Error { reason: Refusal::WrongCode, message: Refusal::WrongCode.message().into() };
        assert_eq!(
            line(&error),
            "{\"type\":\"error\",\"reason\":\"wrong_code\",\"message\":\"wrong or missing session code\"}\n"
        );
    }
}
