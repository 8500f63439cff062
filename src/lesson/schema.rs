//! The lesson file format: one TOML file per lesson, in `lessons/`.
//!
//! This module is the whole schema. Every field has a doc comment; `asyncdemo check` validates
//! files against it (and against the demo registry) for lesson authors.
//!
//! ```toml
//! format_version = 1
//! id = "gather"
//! order = 30
//! title = { ru = "gather: …", en = "gather: …" }
//!
//! [python]
//! code = '''…'''
//! output = '''…'''
//!
//! [rust]
//! demo = "gather"
//! regions = ["coro", "gather"]
//!
//! [[section]]
//! heading = { ru = "Идея", en = "The idea" }
//! body.ru = """…"""
//! body.en = """…"""
//! ```

use serde::Deserialize;
use toml::Spanned;

/// The only `format_version` this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A whole lesson file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    /// The version of this schema the file is written for; must equal [`FORMAT_VERSION`].
    pub format_version: Spanned<u32>,
    /// The lesson's name on the command line (`asyncdemo run gather`): lowercase Latin letters,
    /// digits and dashes. Unique across the course.
    pub id: Spanned<String>,
    /// The lesson's place in the course: lessons are listed and toured in ascending `order`.
    /// Unique across the course; leave gaps (10, 20, 30…) so lessons can be inserted later.
    pub order: Spanned<u32>,
    /// The lesson's title.
    pub title: Localized,
    /// Speaker notes for the whole lesson: what to say, what to ask the room, what learners
    /// usually get wrong. Shown only on the presenter's screen (`asyncdemo present`).
    pub notes: Option<Localized>,
    /// The Python original the lesson is about.
    pub python: Python,
    /// The Rust/tokio demo that the lesson runs. Optional: a lesson without one runs its Python
    /// original (traced on the virtual clock), and is checked and quizzed on that run.
    pub rust: Option<Rust>,
    /// The lesson text, in order. A lesson reads well as: the idea; the Python original; the
    /// same in Rust; what differs; what to watch for when it runs.
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    /// Questions asked before the demo runs (`asyncdemo quiz`, and the tour): the learner
    /// predicts what the run will do. The answers are never stored here: they come from the
    /// recorded run (see `src/quiz`).
    #[serde(default, rename = "quiz")]
    pub quizzes: Vec<Quiz>,
    /// Guided stops: moments of the run where the live view pauses and says what to look at
    /// (`--no-stops` runs straight through). `asyncdemo check` proves each is reached.
    #[serde(default, rename = "stop")]
    pub stops: Vec<StopFile>,
    /// The English of each line the demo prints (see `src/lesson/prints.rs`): with `--lang en`
    /// printed lines and quiz lines show in English. `asyncdemo check` proves that every line
    /// the demo prints has one.
    #[serde(default, rename = "print")]
    pub prints: Vec<PrintLine>,
}

/// A guided stop, as written. Exactly one way of saying when:
///
/// ```toml
/// [[stop]]
/// at = 0.5                          # once everything up to 0.5 virtual seconds is shown
/// caption = { ru = "…", en = "…" }  # what to look at now
/// notes = { ru = "…", en = "…" }    # for the presenter only (optional)
///
/// [[stop]]
/// task = "worker"                   # when the one task named `worker`…
/// state = "Cancelled"               # …first enters this state
/// caption = { ru = "…", en = "…" }
///
/// [[stop]]
/// print = 3                         # just after the third printed line
/// caption = { ru = "…", en = "…" }
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopFile {
    /// A virtual time, in seconds.
    pub at: Option<Spanned<f64>>,
    /// A task's name (of exactly one task of the run), with `state`.
    pub task: Option<Spanned<String>>,
    /// The state that task enters: Created, Scheduled, Running, Suspended, Done, Cancelled or
    /// Failed.
    pub state: Option<Spanned<String>>,
    /// The n-th printed line (1-based).
    pub print: Option<Spanned<usize>>,
    /// What to look at now.
    pub caption: Localized,
    /// What the presenter says here: only on the presenter's screen.
    pub notes: Option<Localized>,
}

/// A printed line's English: `{}` stands for a value, in both.
///
/// ```toml
/// [[print]]
/// ru = "номер выполнения: {}, время выполнения: {} сек"
/// en = "run number: {}, run time: {} s"
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintLine {
    /// The line as the demo prints it.
    pub ru: Spanned<String>,
    /// The same line in English.
    pub en: Spanned<String>,
}

/// One "predict the run" question.
///
/// ```toml
/// [[quiz]]
/// kind = "order"
/// question = { ru = "В каком порядке появятся строки?", en = "In what order are these printed?" }
/// why = { ru = "coro(3) спит меньше всех…", en = "coro(3) sleeps the least…" }
/// lines = ["номер выполнения: 3, время выполнения: 1 сек", "результаты gather: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"]
///
/// [[quiz]]
/// kind = "first"
/// question = { ru = "Какая задача завершится первой?", en = "Which task finishes first?" }
/// tasks = ["coro(0)", "coro(3)"]
///
/// [[quiz]]
/// kind = "state"
/// question = { ru = "В каком состоянии main через 0,5 с?", en = "What state is main in at 0.5 s?" }
/// task = "main"
/// at = 0.5
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    /// What the learner predicts: `order`, `first` or `state`.
    pub kind: Spanned<QuizKind>,
    /// The question.
    pub question: Localized,
    /// Why the run gives its answer: one or two sentences, shown after the learner answers,
    /// beside what the run did. `asyncdemo check` requires it.
    pub why: Option<Localized>,
    /// `order`: lines the demo prints, each exactly as printed and printed once, listed in an
    /// order other than the demo's; the learner puts them in the demo's order.
    #[serde(default)]
    pub lines: Vec<Spanned<String>>,
    /// `first`: names of tasks (each name of exactly one task); the learner picks the one that
    /// finishes (in any way) first.
    #[serde(default)]
    pub tasks: Vec<Spanned<String>>,
    /// `state`: the name of the task whose state the learner predicts.
    pub task: Option<Spanned<String>>,
    /// `state`: the moment, in virtual seconds; the task must exist then and not change state
    /// at exactly that moment.
    pub at: Option<Spanned<f64>>,
    /// Which run answers: `rust` (the demo; the default when the lesson has one) or `python`
    /// (the Python original, traced).
    pub source: Option<Spanned<RunOf>>,
}

/// One of a lesson's two runs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOf {
    /// The Rust demo, on tokio.
    Rust,
    /// The Python original, on asyncio, traced.
    Python,
}

/// The kinds of quiz.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuizKind {
    /// Order printed lines as the demo prints them.
    Order,
    /// Pick the task that finishes first.
    First,
    /// Pick a task's state at a moment.
    State,
}

/// A text in Russian (required, the course's language) and English (optional; shown with
/// `--lang en`, falling back to Russian where missing).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// The Russian text.
    pub ru: String,
    /// The English text.
    pub en: Option<String>,
}

impl Localized {
    /// The text in `lang`, or the Russian text if there is none in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.en.as_deref().unwrap_or(&self.ru),
            Lang::Ru => &self.ru,
        }
    }
}

/// A language of the lesson text.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Russian (the course's own language).
    #[default]
    Ru,
    /// English.
    En,
}

impl Lang {
    /// The text in this language, of a Russian and an English one: the one way the program
    /// picks its own words (a lesson's words are [`Localized`]).
    pub fn pick<'a>(self, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// One section of the lesson text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section's heading.
    pub heading: Localized,
    /// The section's text: paragraphs separated by blank lines; lines indented by four spaces
    /// are code.
    pub body: Localized,
}

/// The Python original.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Python {
    /// A complete program that runs under `python3` (3.11 or later) as is.
    pub code: String,
    /// Exactly what the program prints to stdout. The tests run every program and compare.
    pub output: String,
}

/// The Rust side of the lesson.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rust {
    /// The id of the demo to run (see `src/demos/mod.rs`).
    pub demo: Spanned<String>,
    /// Regions of the demo's source that correspond to the Python code, in the order to show
    /// them. A region `NAME` is the lines between `// [region: NAME]` and `// [end: NAME]`.
    #[serde(default)]
    pub regions: Vec<Spanned<String>>,
}
