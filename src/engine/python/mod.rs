//! The Python side: an asyncio program (a lesson's Python original, or any file) run under the
//! installed `python3` with asyncdemo's tracer (`tracer.py`, built into the binary), on a
//! virtual clock. Its trace has the same tasks and events as a Rust run's, so the same
//! lifecycle fold, transcript and views show it.
//!
//! The tracer (see its own comments) runs the program with an event loop whose clock is virtual
//! and a task factory that watches every step of every task; it writes what happened as lines
//! ([`parse`]). Runs are deterministic, so a viewer's cancel is the program run again with the
//! cancel made at that event (`--cancel AT:TASK`), as for a Rust run.

mod parse;

use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

pub use parse::Ending;

use super::event::{TaskId, Trace};
use super::run::paced::Update;
use super::run::{RunConfig, RunError, Stop};

/// The tracer, as the binary carries it.
pub const TRACER: &str = include_str!("tracer.py");

/// The oldest Python the tracer supports.
pub const MIN_VERSION: (u32, u32) = (3, 10);

/// How to run a Python program.
#[derive(Clone, Debug)]
pub struct PythonConfig {
    /// The interpreter (`--python-bin`; `python3` on the PATH by default).
    pub python: PathBuf,
    pub run: RunConfig,
    /// The viewer's cancels: `(at, task)` cancels `task` once `at` events are written.
    pub cancels: Vec<(usize, TaskId)>,
}

impl PythonConfig {
    pub fn new(run: RunConfig, python: Option<PathBuf>) -> PythonConfig {
        PythonConfig { python: interpreter(python.as_deref()), run, cancels: Vec::new() }
    }
}

/// The interpreter to use: the one named (`--python-bin`), or `python3` on the PATH.
pub fn interpreter(python: Option<&Path>) -> PathBuf {
    python.map_or_else(|| PathBuf::from("python3"), Path::to_owned)
}

/// What a traced program did.
#[derive(Debug)]
pub struct PythonRun {
    pub trace: Trace,
    pub ending: Ending,
    /// The interpreter's version (`3.11.7`).
    pub version: String,
    /// What the program wrote to stderr (its traceback, if it raised).
    pub stderr: String,
    /// The first event whose time depends on the machine: the clock ran at real speed before
    /// it, while a thread or a socket was busy.
    pub machine_from: Option<usize>,
}

impl PythonRun {
    /// Why the run counts as failed, in the words a Rust run's failure uses where they are the
    /// same (the limits).
    pub fn failure(&self, config: &RunConfig) -> Option<String> {
        match &self.ending {
            Ending::Ok => None,
            Ending::Exit(status) => Some(format!("the program exited with status {status}")),
            Ending::Error(error) => Some(format!("the program raised {error}")),
            Ending::Thread(error) => Some(format!("an exception escaped a thread: {error}")),
            Ending::Limit(limit) => Some(match limit.trim() {
                "virtual" => Stop::VirtualTimeLimit(config.virtual_limit).to_string(),
                "events" => Stop::TooManyEvents(config.max_events).to_string(),
                _ => RunError::RealTimeLimit(config.real_limit).to_string(),
            }),
        }
    }
}

impl PythonRun {
    /// What a paced run would have reported for this run: everything at once, then its end.
    pub fn updates(self, config: &RunConfig) -> Vec<Update> {
        let now = self.trace.end();
        let failure = self.failure(config);
        let stopped = match &self.ending {
            Ending::Limit(limit) if limit.trim() == "virtual" => {
                Some(Stop::VirtualTimeLimit(config.virtual_limit))
            }
            Ending::Limit(limit) if limit.trim() == "events" => Some(Stop::TooManyEvents(config.max_events)),
            _ => None,
        };
        let end = match (&self.ending, stopped) {
            (_, Some(stop)) => Update::Ended { stopped: Some(stop), dropped: 0 },
            // The real-time limit has no place in the trace: the run is said to have broken.
            (Ending::Limit(_), None) => Update::Crashed(failure.unwrap_or_default()),
            _ => Update::Ended { stopped: None, dropped: 0 },
        };
        vec![Update::Progress { tasks: self.trace.tasks, events: self.trace.events, now }, end]
    }
}

/// Why a Python program could not be traced at all.
#[derive(Debug)]
pub enum PythonError {
    /// No interpreter there.
    NotFound(PathBuf),
    /// An interpreter older than [`MIN_VERSION`].
    TooOld { python: PathBuf, version: String },
    /// The tracer's output could not be read, or it died.
    Broken(String),
}

impl std::fmt::Display for PythonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PythonError::NotFound(python) => write!(
                f,
                "cannot run `{}`: Python 3.10 or later is needed to trace Python programs \
                 (install it, or name one with --python-bin)",
                python.display()
            ),
            PythonError::TooOld { python, version } => write!(
                f,
                "`{}` is Python {version}: tracing needs Python {}.{} or later (name another with --python-bin)",
                python.display(),
                MIN_VERSION.0,
                MIN_VERSION.1
            ),
            PythonError::Broken(why) => write!(f, "the Python tracer failed: {why}"),
        }
    }
}

impl std::error::Error for PythonError {}

/// A Python program to trace.
#[derive(Clone, Debug)]
pub enum Program {
    /// Code (a lesson's original), run as a file called `name` (`gather.py`: the name the
    /// views and tracebacks show).
    Code { name: String, code: String },
    /// A file, run where it is (its imports and the files it opens are found beside it).
    File(PathBuf),
}

impl Program {
    /// Its file's name.
    pub fn name(&self) -> String {
        match self {
            Program::Code { name, .. } => name.clone(),
            Program::File(path) => path
                .file_name()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        }
    }
}

/// Traces `program`.
pub fn trace(program: &Program, config: &PythonConfig) -> Result<PythonRun, PythonError> {
    let scratch = Scratch::new().map_err(|e| PythonError::Broken(e.to_string()))?;
    match program {
        Program::File(path) => run(&scratch, path, config),
        Program::Code { name, code } => {
            // Not `queue.py`: a program runs with its directory first on `sys.path`, and a
            // lesson called `queue` would shadow the standard library's module that asyncio
            // imports.
            let path = scratch.0.join(format!("lesson_{name}"));
            std::fs::write(&path, code).map_err(|e| PythonError::Broken(e.to_string()))?;
            run(&scratch, &path, config)
        }
    }
}

/// The version of `python`, checked against [`MIN_VERSION`].
pub fn check_version(python: &Path) -> Result<String, PythonError> {
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
        .stdin(Stdio::null())
        .output()
        .map_err(|_| PythonError::NotFound(python.to_owned()))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if !output.status.success() || version.is_empty() {
        return Err(PythonError::NotFound(python.to_owned()));
    }
    if (major, minor) < MIN_VERSION {
        return Err(PythonError::TooOld { python: python.to_owned(), version });
    }
    Ok(version)
}

fn run(scratch: &Scratch, program: &Path, config: &PythonConfig) -> Result<PythonRun, PythonError> {
    check_version(&config.python)?;
    let tracer = scratch.0.join("asyncdemo_tracer.py");
    std::fs::write(&tracer, TRACER).map_err(|e| PythonError::Broken(e.to_string()))?;
    let mut command = Command::new(&config.python);
    command
        .arg(&tracer)
        .arg("--seed")
        .arg(config.run.seed.to_string())
        .arg("--max-events")
        .arg(config.run.max_events.to_string())
        .arg("--max-virtual")
        .arg(config.run.virtual_limit.as_secs().to_string())
        .arg("--max-real")
        .arg(config.run.real_limit.as_secs().to_string());
    for (at, task) in &config.cancels {
        command.arg("--cancel").arg(format!("{at}:{}", task.0));
    }
    command.arg(program).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // The program's prints arrive through the tracer as UTF-8, whatever the locale.
    command.env("PYTHONIOENCODING", "utf-8").env("PYTHONUTF8", "1");
    let mut child = command.spawn().map_err(|_| PythonError::NotFound(config.python.clone()))?;
    let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(PythonError::Broken("no pipes to the interpreter".into()));
    };
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    // The tracer keeps to the real-time limit itself; should it not, the interpreter is killed
    // a little after.
    let child = Arc::new(Mutex::new(child));
    let (finished, watch) = mpsc::channel::<()>();
    let watched = child.clone();
    let grace = config.run.real_limit + Duration::from_secs(5);
    let watchdog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = watch.recv_timeout(grace)
            && let Ok(mut child) = watched.lock()
        {
            let _ = child.kill();
        }
    });
    let mut parsed = parse::Parsed::default();
    let mut problem = None;
    for (number, line) in BufReader::new(stdout).lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                problem.get_or_insert(format!("its output: {error}"));
                break;
            }
        };
        if problem.is_none()
            && let Err(why) = parsed.line(&line)
        {
            problem = Some(format!("line {} of its output: {why}: {line:?}", number + 1));
        }
    }
    let _ = finished.send(());
    let _ = watchdog.join();
    let status = child.lock().map_err(|_| PythonError::Broken("the interpreter".into()))?.wait();
    let stderr = errors.join().unwrap_or_default();
    if let Some(problem) = problem {
        return Err(PythonError::Broken(problem));
    }
    let Some(ending) = parsed.ending else {
        let status = status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
        return Err(PythonError::Broken(format!("it ended ({status}) without saying how:\n{stderr}")));
    };
    Ok(PythonRun {
        trace: Trace { tasks: parsed.tasks, events: parsed.events, dropped: 0 },
        ending,
        version: parsed.version.unwrap_or_default(),
        stderr,
        machine_from: parsed.machine_from,
    })
}

/// A directory of our own for the tracer and the program; removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> io::Result<Scratch> {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        // Always as long (the program's path is in the interpreter's memory, and object
        // addresses, on which some orders hang, follow the lengths of what came before).
        let count = COUNT.fetch_add(1, Ordering::Relaxed) % 1_000_000;
        let dir = std::env::temp_dir().join(format!("asyncdemo-{:010}-{count:06}", std::process::id()));
        // A directory of that name left by a process long gone is ours to reuse.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
