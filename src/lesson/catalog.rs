//! The course catalog: lesson files loaded, validated and ordered.
//!
//! The shipped lessons are embedded in the binary at build time (see `build.rs`);
//! `--lessons-dir DIR` loads a directory instead (an instructor's own set). Either way every
//! file goes through the same checks, and every problem is reported as
//! `error: <file>:<line>:<col>: <what is wrong>`, with a hint where one helps.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use super::model::{Lesson, Predict, Quiz, Stop, When};
use super::prints::Prints;
use super::regions;
use super::schema::{FORMAT_VERSION, LessonFile, Localized, Quiz as QuizFile, QuizKind, RunOf, StopFile};
use crate::demos::{self, Demo};
use crate::diagnostic::Diagnostic;

include!(concat!(env!("OUT_DIR"), "/embedded_lessons.rs"));

/// Every lesson of the course, in course order.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub lessons: Vec<Lesson>,
    /// A fingerprint of the lesson files' contents, in course order: two machines with the same
    /// fingerprint have the same course (a class's follower checks its presenter's).
    pub fingerprint: String,
}

/// A problem in a lesson file (or with a lessons directory).
pub type LessonError = Diagnostic;

/// All the problems found while loading a catalog.
#[derive(Debug, Clone)]
pub struct LessonErrors(pub Vec<LessonError>);

impl fmt::Display for LessonErrors {
    /// One problem after another (whoever prints them writes the `error: ` in front of each).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LessonErrors {}

impl Catalog {
    /// The lessons built into the binary.
    pub fn embedded() -> Result<Catalog, LessonErrors> {
        let files = EMBEDDED.iter().map(|(name, bytes)| (format!("lessons/{name}"), bytes.to_vec()));
        Catalog::from_files(files.collect())
    }

    /// Every `*.toml` file in `dir`.
    pub fn from_dir(dir: &Path) -> Result<Catalog, LessonErrors> {
        let shown = dir.display().to_string();
        let problem = |message: String| LessonErrors(vec![Diagnostic::new(shown.clone(), message)]);
        let entries =
            std::fs::read_dir(dir).map_err(|e| problem(format!("cannot read the directory: {e}")))?;
        let mut files = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| problem(format!("cannot read the directory: {e}")))?.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                let bytes = std::fs::read(&path)
                    .map_err(|e| problem(format!("cannot read {}: {e}", path.display())))?;
                files.push((path.display().to_string(), bytes));
            }
        }
        if files.is_empty() {
            return Err(problem("no lesson files (*.toml) here".into()));
        }
        files.sort();
        Catalog::from_files(files)
    }

    /// Parses and validates lesson files given as (path, content).
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Result<Catalog, LessonErrors> {
        let mut errors = Vec::new();
        let mut lessons: Vec<Lesson> = Vec::new();
        // Each lesson's source and where its id and order are in it, for the checks across files.
        let mut sources: HashMap<String, (String, Spans)> = HashMap::new();
        for (path, bytes) in files {
            match parse(&path, &bytes) {
                Ok((lesson, spans)) => {
                    sources.insert(path.clone(), (String::from_utf8(bytes).unwrap_or_default(), spans));
                    lessons.push(lesson);
                }
                Err(mut errs) => errors.append(&mut errs),
            }
        }
        // Ids and orders must be unique across files.
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut seen_orders: HashMap<u32, String> = HashMap::new();
        for lesson in &lessons {
            let (source, spans) = &sources[&lesson.path];
            let id = lesson.id().to_owned();
            if let Some(first) = seen_ids.get(&id) {
                errors.push(
                    error_at(&lesson.path, source, spans.id.clone(), format!("duplicate lesson id `{id}`"))
                        .with_hint(format!("`{id}` is already the id of {first}")),
                );
            } else {
                seen_ids.insert(id, lesson.path.clone());
            }
            let order = lesson.order;
            if let Some(first) = seen_orders.get(&order) {
                errors.push(
                    error_at(&lesson.path, source, spans.order.clone(), format!("duplicate order {order}"))
                        .with_hint(format!(
                            "{first} has the same order; each lesson needs its own place in the course"
                        )),
                );
            } else {
                seen_orders.insert(order, lesson.path.clone());
            }
        }
        if !errors.is_empty() {
            return Err(LessonErrors(errors));
        }
        lessons.sort_by_key(|l| l.order);
        let fingerprint = fingerprint(lessons.iter().map(|l| sources[&l.path].0.as_bytes()));
        Ok(Catalog { lessons, fingerprint })
    }

    /// The lesson with this id, or an error that suggests the closest id.
    pub fn find(&self, id: &str) -> Result<&Lesson, UnknownLesson> {
        self.lessons.iter().find(|l| l.id() == id).ok_or_else(|| UnknownLesson {
            name: id.to_owned(),
            suggestion: suggest(id, self.lessons.iter().map(Lesson::id)).map(str::to_owned),
        })
    }
}

/// `asyncdemo run gathr`: no such lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLesson {
    pub name: String,
    pub suggestion: Option<String>,
}

impl fmt::Display for UnknownLesson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown lesson `{}`", self.name)?;
        match &self.suggestion {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => write!(f, "; `asyncdemo list` shows the lessons"),
        }
    }
}

impl std::error::Error for UnknownLesson {}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn error_at(path: &str, source: &str, span: Range<usize>, message: String) -> LessonError {
    Diagnostic::at(path, source, span, message)
}

/// Where a lesson file has its id and its order (checked across files).
struct Spans {
    id: Range<usize>,
    order: Range<usize>,
}

/// Parses one file and checks what can be checked within it.
fn parse(path: &str, bytes: &[u8]) -> Result<(Lesson, Spans), Vec<LessonError>> {
    let source = match std::str::from_utf8(bytes) {
        Ok(source) => source,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let byte = bytes[e.valid_up_to()];
            let message = format!("the file is not valid UTF-8 (byte 0x{byte:02x})");
            return Err(vec![
                Diagnostic::at(path, valid, valid.len()..valid.len(), message)
                    .with_hint("save the file as UTF-8"),
            ]);
        }
    };
    if source.trim().is_empty() {
        return Err(vec![Diagnostic::at_position(path, (1, 1), "the file is empty").with_hint(
            "a lesson needs at least `format_version`, `id`, `order`, `title`, `[python]`, `[rust]` and one `[[section]]`",
        )]);
    }
    let file: LessonFile = toml::from_str(source).map_err(|e| {
        let message = e.message().trim_end().replace('\n', " ");
        let hint = hint_for_toml_error(&message);
        let mut error = Diagnostic::at(path, source, e.span().unwrap_or(0..0), message);
        error.hint = hint;
        vec![error]
    })?;

    let mut errors = Vec::new();
    if *file.format_version.get_ref() != FORMAT_VERSION {
        errors.push(
            error_at(
                path,
                source,
                file.format_version.span(),
                format!("unsupported format_version {}", file.format_version.get_ref()),
            )
            .with_hint(format!("this asyncdemo reads format_version {FORMAT_VERSION}")),
        );
    }
    let id = file.id.get_ref();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        errors.push(
            error_at(path, source, file.id.span(), format!("invalid lesson id `{id}`"))
                .with_hint("use lowercase Latin letters, digits and dashes, like `event-loop`"),
        );
    }
    if file.sections.is_empty() {
        errors.push(
            Diagnostic::at_position(path, (1, 1), "the lesson has no text")
                .with_hint("add at least one `[[section]]` with a `heading` and a `body`"),
        );
    }
    for quiz in &file.quizzes {
        errors.extend(check_quiz_fields(path, source, quiz));
    }
    for stop in &file.stops {
        errors.extend(check_stop_fields(path, source, stop));
    }
    let prints = Prints::new(&file.prints).unwrap_or_else(|(i, mismatch)| {
        errors.push(
            error_at(
                path,
                source,
                file.prints[i].en.span(),
                format!("this English has {} `{{}}`, its Russian {}", mismatch.en, mismatch.ru),
            )
            .with_hint("each `{}` of `ru` stands for a value that goes into the `{}` of `en` in order"),
        );
        Prints::default()
    });
    let demo = file.rust.as_ref().map(|rust| (rust, demos::find(rust.demo.get_ref())));
    match demo {
        None => {}
        Some((rust, None)) => {
            let demo_id = rust.demo.get_ref();
            let mut error = error_at(path, source, rust.demo.span(), format!("unknown demo `{demo_id}`"));
            error.hint = Some(match suggest(demo_id, demos::DEMOS.iter().map(|d| d.id)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the demos are: {}",
                    demos::DEMOS.iter().map(|d| d.id).collect::<Vec<_>>().join(", ")
                ),
            });
            errors.push(error);
        }
        Some((rust, Some(demo))) => {
            let demo_id = rust.demo.get_ref();
            let python_regions = regions::regions(&file.python.code, "#");
            for region in &rust.regions {
                if demos::region(demo.source, region.get_ref()).is_some()
                    && !python_regions.iter().any(|r| r.name == *region.get_ref())
                {
                    errors.push(
                        error_at(
                            path,
                            source,
                            region.span(),
                            format!("the Python original has no region `{}`", region.get_ref()),
                        )
                        .with_hint(format!(
                            "mark the matching Python lines with `# [region: {name}]` and `# [end: {name}]`",
                            name = region.get_ref()
                        )),
                    );
                }
                if demos::region(demo.source, region.get_ref()).is_none() {
                    errors.push(
                        error_at(
                            path,
                            source,
                            region.span(),
                            format!("demo `{demo_id}` has no region `{}`", region.get_ref()),
                        )
                        .with_hint(format!(
                            "mark it in {} with `// [region: {name}]` and `// [end: {name}]`",
                            demo.file(),
                            name = region.get_ref()
                        )),
                    );
                }
            }
        }
    }
    // A quiz answered by the Rust run needs a Rust demo.
    if file.rust.is_none() {
        for quiz in &file.quizzes {
            if let Some(quiz_source) = &quiz.source
                && *quiz_source.get_ref() == RunOf::Rust
            {
                errors.push(
                    error_at(
                        path,
                        source,
                        quiz_source.span(),
                        "this lesson has no Rust demo to answer the quiz".into(),
                    )
                    .with_hint("write `source = \"python\"`, or leave `source` out"),
                );
            }
        }
    }
    let demo = match demo {
        Some((_, Some(demo))) => Some(demo),
        Some((_, None)) => None,
        None => None,
    };
    if errors.is_empty() && (demo.is_some() || file.rust.is_none()) {
        let spans = Spans { id: file.id.span(), order: file.order.span() };
        Ok((into_lesson(path, file, demo, prints), spans))
    } else {
        Err(errors)
    }
}

/// The validated file as the program's [`Lesson`].
fn into_lesson(path: &str, file: LessonFile, demo: Option<&'static Demo>, prints: Prints) -> Lesson {
    let quizzes = file
        .quizzes
        .into_iter()
        .map(|quiz| {
            let strings =
                |items: Vec<toml::Spanned<String>>| items.into_iter().map(|s| s.into_inner()).collect();
            // `check_quiz_fields` has made sure each kind has what it needs.
            let predict = match quiz.kind.into_inner() {
                QuizKind::Order => Predict::Order { lines: strings(quiz.lines) },
                QuizKind::First => Predict::First { tasks: strings(quiz.tasks) },
                QuizKind::State => Predict::State {
                    task: quiz.task.map(|t| t.into_inner()).unwrap_or_default(),
                    at: quiz.at.map_or(0.0, |at| at.into_inner()),
                },
            };
            let why = quiz.why.unwrap_or(Localized { ru: String::new(), en: None });
            // Answered by the demo when there is one, unless it says otherwise.
            let source = match (quiz.source.map(|s| s.into_inner()), demo) {
                (Some(source), _) => source,
                (None, Some(_)) => RunOf::Rust,
                (None, None) => RunOf::Python,
            };
            Quiz { source, question: quiz.question, why, predict }
        })
        .collect();
    let stops = file
        .stops
        .into_iter()
        .map(|stop| {
            // `check_stop_fields` has made sure exactly one way of saying when is given.
            let when = match (stop.at, stop.task, stop.state, stop.print) {
                (Some(at), ..) => When::At(at.into_inner()),
                (_, Some(task), Some(state), _) => {
                    When::Enters { task: task.into_inner(), state: state.into_inner() }
                }
                (.., Some(print)) => When::Print(print.into_inner()),
                _ => When::Print(0),
            };
            Stop { when, caption: stop.caption, notes: stop.notes }
        })
        .collect();
    Lesson {
        path: path.to_owned(),
        id: file.id.into_inner(),
        order: file.order.into_inner(),
        title: file.title,
        notes: file.notes,
        python: file.python,
        regions: file
            .rust
            .map_or_else(Vec::new, |rust| rust.regions.into_iter().map(|r| r.into_inner()).collect()),
        sections: file.sections,
        quizzes,
        stops,
        demo,
        prints,
    }
}

/// What can be checked about a stop without running the demo: one way of saying when.
fn check_stop_fields(path: &str, source: &str, stop: &StopFile) -> Vec<LessonError> {
    let ways = [stop.at.is_some(), stop.task.is_some() || stop.state.is_some(), stop.print.is_some()];
    let span = stop
        .at
        .as_ref()
        .map(|a| a.span())
        .or_else(|| stop.task.as_ref().map(|t| t.span()))
        .or_else(|| stop.state.as_ref().map(|s| s.span()))
        .or_else(|| stop.print.as_ref().map(|p| p.span()))
        .unwrap_or(0..0);
    let mut errors = Vec::new();
    if ways.iter().filter(|w| **w).count() != 1 {
        errors.push(
            Diagnostic::at(path, source, span.clone(), "a stop needs exactly one of `at`, `task` + `state`, `print`")
                .with_hint("`at = 1.5` (virtual seconds), `task = \"worker\"` with `state = \"Cancelled\"`, or `print = 3`"),
        );
    }
    if stop.task.is_some() != stop.state.is_some() {
        errors.push(Diagnostic::at(path, source, span.clone(), "`task` and `state` go together"));
    }
    if let Some(state) = &stop.state
        && !crate::engine::lifecycle::State::ALL.iter().any(|s| s.name() == state.get_ref())
    {
        errors.push(
            Diagnostic::at(path, source, state.span(), format!("unknown state `{}`", state.get_ref()))
                .with_hint("one of Created, Scheduled, Running, Suspended, Done, Cancelled, Failed"),
        );
    }
    errors
}

/// What can be checked about a quiz without running the demo: the fields its kind needs.
fn check_quiz_fields(path: &str, source: &str, quiz: &QuizFile) -> Vec<LessonError> {
    let at = |span: Range<usize>, message: String, hint: &str| {
        error_at(path, source, span, message).with_hint(hint.to_owned())
    };
    let kind_span = quiz.kind.span();
    let mut errors = Vec::new();
    let unique = |items: &[toml::Spanned<String>], what: &str, errors: &mut Vec<LessonError>| {
        for (i, item) in items.iter().enumerate() {
            if items[..i].iter().any(|other| other.get_ref() == item.get_ref()) {
                errors.push(error_at(
                    path,
                    source,
                    item.span(),
                    format!("`{}` is listed twice in {what}", item.get_ref()),
                ));
            }
        }
    };
    if quiz.why.is_none() {
        errors.push(at(
            kind_span.clone(),
            "a quiz needs `why`: why the run gives its answer".into(),
            "add `why = { ru = \"…\", en = \"…\" }`, one or two sentences shown after the answer",
        ));
    }
    match quiz.kind.get_ref() {
        QuizKind::Order => {
            if quiz.lines.len() < 2 {
                errors.push(at(
                    kind_span.clone(),
                    "an `order` quiz needs `lines`, at least two".into(),
                    "list lines the demo prints, exactly as printed",
                ));
            }
            unique(&quiz.lines, "`lines`", &mut errors);
        }
        QuizKind::First => {
            if quiz.tasks.len() < 2 {
                errors.push(at(
                    kind_span.clone(),
                    "a `first` quiz needs `tasks`, at least two".into(),
                    "list task names from the demo",
                ));
            }
            unique(&quiz.tasks, "`tasks`", &mut errors);
        }
        QuizKind::State => {
            if quiz.task.is_none() || quiz.at.is_none() {
                errors.push(at(
                    kind_span.clone(),
                    "a `state` quiz needs `task` and `at`".into(),
                    "`task` is a task name, `at` a moment in virtual seconds",
                ));
            }
            if let Some(at_time) = &quiz.at
                && !(at_time.get_ref().is_finite() && *at_time.get_ref() >= 0.0)
            {
                errors.push(error_at(
                    path,
                    source,
                    at_time.span(),
                    "`at` must be a moment in seconds, 0 or later".into(),
                ));
            }
        }
    }
    let stray = match quiz.kind.get_ref() {
        QuizKind::Order => {
            (!quiz.tasks.is_empty() || quiz.task.is_some() || quiz.at.is_some()).then_some("`lines`")
        }
        QuizKind::First => {
            (!quiz.lines.is_empty() || quiz.task.is_some() || quiz.at.is_some()).then_some("`tasks`")
        }
        QuizKind::State => (!quiz.lines.is_empty() || !quiz.tasks.is_empty()).then_some("`task` and `at`"),
    };
    if let Some(fields) = stray {
        errors.push(at(
            kind_span,
            "this quiz has fields another kind uses".into(),
            &format!("this kind of quiz uses {fields} only"),
        ));
    }
    errors
}

fn hint_for_toml_error(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("check the spelling; the fields are documented in src/lesson/schema.rs".into())
    } else if message.starts_with("missing field") {
        Some("every lesson needs this field; see src/lesson/schema.rs".into())
    } else {
        None
    }
}

/// FNV-1a (64 bits) over the files, each ended by a zero byte, in hex: stable across machines
/// and Rust versions (unlike `DefaultHasher`), and enough to tell two courses apart.
fn fingerprint<'a>(files: impl Iterator<Item = &'a [u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        for &byte in file.iter().chain(&[0]) {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
