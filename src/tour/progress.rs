//! What the tour remembers between runs: the lessons finished and the lesson to resume at.
//!
//! Progress lives in one small TOML file, `progress.toml`, in the platform's state directory
//! (on Linux `$XDG_STATE_HOME/asyncdemo/` or `~/.local/state/asyncdemo/`), or in
//! `$ASYNCDEMO_STATE_DIR` when that is set:
//!
//! ```toml
//! format_version = 1
//! done = ["event-loop", "tasks"]
//! current = "gather"
//!
//! [quiz.tasks]
//! correct = 1
//! asked = 2
//! ```
//!
//! Lesson ids that are not in the current catalog are kept as they are: progress survives a
//! lesson being renamed, or a run with an instructor's own set of lessons.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::Diagnostic;
use crate::lesson::Catalog;

/// The only `format_version` of the progress file this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The environment variable that overrides where progress is kept (a directory).
pub const STATE_DIR_VAR: &str = "ASYNCDEMO_STATE_DIR";

/// The progress file's name inside the state directory.
pub const FILE_NAME: &str = "progress.toml";

/// What the tour remembers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Lessons the learner has finished (watched their demo to the end), by id.
    pub done: BTreeSet<String>,
    /// The lesson the learner was on last, to resume there.
    pub current: Option<String>,
    /// The best quiz result of each lesson answered, by id.
    pub quiz: BTreeMap<String, QuizScore>,
}

/// How many of a lesson's quiz questions were answered right.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizScore {
    pub correct: u32,
    pub asked: u32,
}

impl Progress {
    /// Records a quiz result for lesson `id`, keeping the best one.
    pub fn record_quiz(&mut self, id: &str, score: QuizScore) {
        let best = self.quiz.entry(id.to_owned()).or_default();
        if (score.correct, score.asked) > (best.correct, best.asked) {
            *best = score;
        }
    }

    /// Records that the learner finished lesson `id`.
    pub fn mark_done(&mut self, id: &str) {
        self.done.insert(id.to_owned());
    }

    /// Whether the learner has finished lesson `id`.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains(id)
    }

    /// Records that the learner is on lesson `id`.
    pub fn set_current(&mut self, id: &str) {
        self.current = Some(id.to_owned());
    }

    /// Index in `catalog.lessons` to start the tour at: the first lesson not done from `current`
    /// on (if `current` is still in the catalog), else the first lesson not done, else 0.
    pub fn resume_index(&self, catalog: &Catalog) -> usize {
        let ids: Vec<&str> = catalog.lessons.iter().map(|lesson| lesson.id()).collect();
        self.resume_index_among(&ids)
    }

    /// [`Progress::resume_index`] for a course given as lesson ids in course order.
    pub fn resume_index_among(&self, ids: &[&str]) -> usize {
        let current = self.current.as_deref().and_then(|current| ids.iter().position(|id| *id == current));
        let not_done_from =
            |start: usize| ids[start..].iter().position(|id| !self.is_done(id)).map(|i| start + i);
        current.and_then(not_done_from).or_else(|| not_done_from(0)).unwrap_or(0)
    }
}

/// Where progress is kept: one TOML file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// `$ASYNCDEMO_STATE_DIR/progress.toml` if that variable is set (tests, and users who want
    /// it elsewhere), else the platform's state directory via `directories::ProjectDirs`
    /// (`state_dir()`, which on Linux follows XDG: `$XDG_STATE_HOME/asyncdemo` or
    /// `~/.local/state/asyncdemo`; where a platform has no state dir, `data_local_dir()`).
    pub fn default_location() -> Result<Store, ProgressError> {
        Store::location(std::env::var_os(STATE_DIR_VAR).as_deref())
    }

    /// [`Store::default_location`] given the value of `$ASYNCDEMO_STATE_DIR` (`None` when it
    /// is not set; an empty value counts as not set). Reads no environment itself, so tests can
    /// call it without touching the process's environment.
    pub fn location(state_dir_var: Option<&OsStr>) -> Result<Store, ProgressError> {
        if let Some(dir) = state_dir_var.filter(|dir| !dir.is_empty()) {
            return Ok(Store::at(Path::new(dir)));
        }
        let dirs = directories::ProjectDirs::from("", "", "asyncdemo").ok_or_else(|| {
            Diagnostic::new("", "cannot find a directory to keep the tour's progress in (no home directory)")
                .with_hint(format!("set {STATE_DIR_VAR} to a directory"))
        })?;
        Ok(Store::at(dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir())))
    }

    /// The store whose file is `dir/progress.toml`.
    pub fn at(dir: &Path) -> Store {
        Store { path: dir.join(FILE_NAME) }
    }

    /// The progress file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A missing file is fresh progress. A damaged file is an error that names the file and,
    /// for TOML problems, line and column — never a panic.
    pub fn load(&self) -> Result<Progress, ProgressError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(e) => return Err(self.error(format!("cannot read the progress file: {e}"))),
        };
        self.read(&bytes)
    }

    /// Reads progress from the bytes of a progress file (what [`Store::load`] does with the
    /// file's content; the fuzz target feeds it anything).
    pub fn read(&self, bytes: &[u8]) -> Result<Progress, ProgressError> {
        let source = std::str::from_utf8(bytes)
            .map_err(|_| self.damaged(None, "the progress file is not valid UTF-8".into()))?;
        self.parse(source)
    }

    /// The progress to start the tour with, and a warning for the learner if there is one. A
    /// damaged file is never deleted or overwritten: it is set aside under another name
    /// (`progress.damaged-1.toml`, the first free number), and the tour starts afresh.
    pub fn load_or_set_aside(&self) -> (Progress, Option<String>) {
        let error = match self.load() {
            Ok(progress) => return (progress, None),
            Err(error) => error,
        };
        if !self.path.exists() {
            // Not damaged: unreadable (a permission problem, say). Nothing to set aside.
            return (Progress::default(), Some(error.to_string()));
        }
        let kept = (1..)
            .map(|n| self.path.with_file_name(format!("progress.damaged-{n}.toml")))
            .find(|candidate| !candidate.exists())
            .expect("some number is free");
        let warning = match std::fs::rename(&self.path, &kept) {
            Ok(()) => format!(
                "the progress file was damaged ({}); it is kept as {}, and the tour starts afresh",
                error.message,
                kept.display()
            ),
            Err(e) => format!("{error}; and it could not be set aside: {e}"),
        };
        (Progress::default(), Some(warning))
    }

    /// Creates the directory if needed; writes atomically (a temporary file in the same
    /// directory, then rename), so a crash never leaves half a file.
    pub fn save(&self, progress: &Progress) -> Result<(), ProgressError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| {
            Diagnostic::new(
                dir.display().to_string(),
                format!("cannot create the directory for the tour's progress: {e}"),
            )
        })?;
        let text = render(progress);
        let temp = temp_path(&self.path);
        let written = write_synced(&temp, text.as_bytes()).and_then(|()| std::fs::rename(&temp, &self.path));
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            self.error(format!("cannot save the tour's progress: {e}"))
        })
    }

    /// Forgets all progress (removes the file; fine if it does not exist).
    pub fn reset(&self) -> Result<(), ProgressError> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(self.error(format!("cannot remove the progress file: {e}")))
            }
            _ => Ok(()),
        }
    }

    fn parse(&self, source: &str) -> Result<Progress, ProgressError> {
        let toml_error = |e: toml::de::Error| {
            self.damaged(Some((source, e.span().unwrap_or(0..0))), e.message().trim_end().replace('\n', " "))
        };
        // The version first: a file from a newer asyncdemo may have another shape altogether.
        let version: VersionOnly = toml::from_str(source).map_err(toml_error)?;
        let Some(version) = version.format_version else {
            return Err(
                self.damaged(Some((source, 0..0)), "the progress file has no `format_version`".into())
            );
        };
        if *version.get_ref() != FORMAT_VERSION {
            return Err(Diagnostic::at(
                self.shown(),
                source,
                version.span(),
                format!("unsupported format_version {}", version.get_ref()),
            )
            .with_hint(format!(
                "this asyncdemo reads format_version {FORMAT_VERSION}; a newer asyncdemo wrote \
                 this file, or delete it to start the tour afresh"
            )));
        }
        let file: FileIn = toml::from_str(source).map_err(toml_error)?;
        Ok(Progress { done: file.done.into_iter().collect(), current: file.current, quiz: file.quiz })
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    fn error(&self, message: String) -> ProgressError {
        Diagnostic::new(self.shown(), message)
    }

    /// The file is damaged: at `span` of `source` (or as a whole).
    fn damaged(&self, at: Option<(&str, std::ops::Range<usize>)>, message: String) -> ProgressError {
        let error = match at {
            Some((source, span)) => Diagnostic::at(self.shown(), source, span, message),
            None => Diagnostic::new(self.shown(), message),
        };
        error.with_hint("fix the file, or delete it to start the tour afresh")
    }
}

/// A problem with the progress file (or its directory).
pub type ProgressError = Diagnostic;

/// Just the version, read before the rest of the file.
#[derive(Deserialize)]
struct VersionOnly {
    #[serde(default)]
    format_version: Option<Spanned<u32>>,
}

/// The file as read. Unknown keys are ignored, so a field added later does not break this build.
#[derive(Deserialize)]
struct FileIn {
    #[serde(default)]
    done: Vec<String>,
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    quiz: BTreeMap<String, QuizScore>,
}

/// The file as written.
#[derive(Serialize)]
struct FileOut<'a> {
    format_version: u32,
    done: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    quiz: &'a BTreeMap<String, QuizScore>,
}

/// The file's text: a comment for whoever opens it, then the TOML.
/// (Public for the fuzz target, which checks that what is read writes and reads back the same.)
pub fn render(progress: &Progress) -> String {
    let file = FileOut {
        format_version: FORMAT_VERSION,
        done: progress.done.iter().map(String::as_str).collect(),
        current: progress.current.as_deref(),
        quiz: &progress.quiz,
    };
    // Serializing strings and a list of strings cannot fail.
    let body = toml::to_string(&file).unwrap_or_default();
    format!("# asyncdemo: the tour's progress. Deleting this file starts the tour afresh.\n{body}")
}

/// A temporary file next to `path`, unique within this process and across processes.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().unwrap_or(OsStr::new(FILE_NAME)).to_string_lossy();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Writes `bytes` to a new file and flushes it to disk before the rename makes it visible.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
