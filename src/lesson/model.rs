//! A lesson as the rest of the program sees it, once its file is validated: plain values, with
//! no spans and no optional fields standing for what one kind of quiz needs.

use super::prints::Prints;
pub use super::schema::{Localized, Python, QuizKind, RunOf, Section};
use crate::demos::Demo;

/// A validated lesson.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// Where it was loaded from (`lessons/gather.toml`).
    pub path: String,
    /// Its name on the command line (`gather`).
    pub id: String,
    /// Its place in the course (lessons are in ascending order).
    pub order: u32,
    pub title: Localized,
    /// Speaker notes for the whole lesson (the presenter's screen only).
    pub notes: Option<Localized>,
    /// The Python original the lesson is about.
    pub python: Python,
    /// The regions of the demo that match the Python code, in order.
    pub regions: Vec<String>,
    /// The lesson text.
    pub sections: Vec<Section>,
    /// "Predict the run" questions.
    pub quizzes: Vec<Quiz>,
    /// Where the live view pauses and says what to look at, in order.
    pub stops: Vec<Stop>,
    /// The Rust demo it runs; `None`: a lesson of its Python original alone.
    pub demo: Option<&'static Demo>,
    /// The English of the demo's printed lines.
    pub prints: Prints,
}

impl Lesson {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The run the lesson shows first, and its stops are placed in: the Rust demo, or the
    /// Python original of a lesson without one.
    pub fn primary(&self) -> RunOf {
        match self.demo {
            Some(_) => RunOf::Rust,
            None => RunOf::Python,
        }
    }

    /// The lesson text in `lang`: each section's heading and body.
    pub fn text(&self, lang: super::Lang) -> Vec<(String, String)> {
        self.sections.iter().map(|s| (s.heading.get(lang).to_owned(), s.body.get(lang).to_owned())).collect()
    }
}

/// One "predict the run" question.
#[derive(Debug, Clone)]
pub struct Quiz {
    /// Which run answers it.
    pub source: RunOf,
    pub question: Localized,
    /// Why the run answers as it does.
    pub why: Localized,
    pub predict: Predict,
}

/// What the learner predicts, with what it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Predict {
    /// The order the demo prints these lines in.
    Order { lines: Vec<String> },
    /// Which of these tasks finishes first.
    First { tasks: Vec<String> },
    /// The state of `task` at `at` virtual seconds.
    State { task: String, at: f64 },
}

impl Quiz {
    pub fn kind(&self) -> QuizKind {
        match self.predict {
            Predict::Order { .. } => QuizKind::Order,
            Predict::First { .. } => QuizKind::First,
            Predict::State { .. } => QuizKind::State,
        }
    }
}

/// A guided stop: when, what to look at then, and the presenter's notes.
#[derive(Debug, Clone)]
pub struct Stop {
    pub when: When,
    pub caption: Localized,
    pub notes: Option<Localized>,
}

/// When a stop is reached.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// Once everything up to this virtual time (seconds) is shown.
    At(f64),
    /// When the one task with this name first enters this state.
    Enters { task: String, state: String },
    /// Just after the n-th printed line (1-based).
    Print(usize),
}
