//! The demo registry: every lesson's Rust/tokio demo, by id.
//!
//! Each demo is one file with a `pub async fn main()` written as plain tokio code. It imports
//! `tokio`, `futures` (where it uses them) and `std` (where it blocks a thread) from here:
//! asyncdemo's traced stand-ins ([`crate::engine::facade`]), with the same names and
//! signatures, so every task, await and printed line shows up in the trace. Built with
//! `--features plain-tokio`, the same `use super::{futures, std, tokio};` gives the demos tokio
//! and std themselves, and `println!` is std's: the proof that they are plain tokio code (CI
//! builds them so).
//!
//! A demo's source is embedded too, so `asyncdemo show` and the live UI can display it, and a
//! lesson can point at a region of it (marked with `// [region: NAME]` … `// [end: NAME]`
//! comment lines).

use crate::engine::program::Program;

#[cfg(not(feature = "plain-tokio"))]
#[allow(unused_imports, reason = "each demo imports what it uses")]
pub(crate) use crate::engine::facade::{futures, std, tokio, tokio_util};
#[cfg(feature = "plain-tokio")]
#[allow(unused_imports, reason = "each demo imports what it uses")]
pub(crate) use ::{futures, std, tokio, tokio_util};

/// `println!` in a demo: the line goes into the trace, attributed to the task that printed it
/// (std's `println!` under `--features plain-tokio`). Defined before the demo modules, so that
/// it shadows std's in all of them.
#[cfg(not(feature = "plain-tokio"))]
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::engine::facade::print(::std::format!($($arg)*))
    };
}

/// A value that depends on the machine or the moment (real time, memory, a port number), printed
/// between `⟪` and `⟫` so that readers, and the tests comparing runs, know it varies.
pub(crate) fn varying(value: impl std::fmt::Display) -> String {
    format!("⟪{value}⟫")
}

/// One runnable demo.
#[derive(Debug)]
pub struct Demo {
    /// The id lesson files refer to (`demo = "gather"`).
    pub id: &'static str,
    /// The source text.
    pub source: &'static str,
    /// What the engine runs.
    pub program: Program,
}

impl Demo {
    /// The source file, relative to the package root (as in the trace's await lines).
    pub fn file(&self) -> &'static str {
        self.program.file
    }
}

// One module a demo (`stress` is not a lesson: `asyncdemo stress`); the course order is the
// registry's below.
pub mod as_completed;
pub mod awaitables;
pub mod blocking;
pub mod callbacks;
pub mod cancellation;
pub mod coroutines;
pub mod event;
pub mod event_loop;
pub mod executor;
pub mod gather;
pub mod generators;
pub mod intro;
pub mod introspection;
pub mod lock;
pub mod multithread;
pub mod queue;
pub mod scale;
pub mod semaphore;
pub mod shield;
pub mod streams;
pub mod stress;
pub mod tasks;
pub mod tcp_server;
pub mod timeouts;
pub mod wait;

macro_rules! demos {
    ($($id:literal => $module:ident),* $(,)?) => {
        /// Every demo, in the order of the course.
        pub static DEMOS: &[Demo] = &[
            $(Demo {
                id: $id,
                source: include_str!(concat!(stringify!($module), ".rs")),
                program: Program {
                    name: $id,
                    file: concat!("src/demos/", stringify!($module), ".rs"),
                    main: || Box::pin($module::main()),
                },
            },)*
        ];
    };
}

demos! {
    "intro" => intro,
    "coroutines" => coroutines,
    "event-loop" => event_loop,
    "tasks" => tasks,
    "callbacks" => callbacks,
    "introspection" => introspection,
    "awaitables" => awaitables,
    "generators" => generators,
    "gather" => gather,
    "wait" => wait,
    "as-completed" => as_completed,
    "timeouts" => timeouts,
    "cancellation" => cancellation,
    "shield" => shield,
    "blocking" => blocking,
    "executor" => executor,
    "lock" => lock,
    "semaphore" => semaphore,
    "event" => event,
    "queue" => queue,
    "streams" => streams,
    "tcp-server" => tcp_server,
    "scale" => scale,
    "multithread" => multithread,
    // Not a lesson: `asyncdemo stress`.
    "stress" => stress,
}

/// The demo with this id.
pub fn find(id: &str) -> Option<&'static Demo> {
    DEMOS.iter().find(|d| d.id == id)
}

/// The lines of `source` between `// [region: name]` and `// [end: name]` (exclusive), with
/// their 1-based line numbers; `None` if the region is not marked.
pub fn region<'a>(source: &'a str, name: &str) -> Option<(usize, Vec<&'a str>)> {
    let start_marker = format!("// [region: {name}]");
    let end_marker = format!("// [end: {name}]");
    let lines: Vec<&str> = source.lines().collect();
    let start = lines.iter().position(|l| l.trim() == start_marker)?;
    let len = lines[start + 1..].iter().position(|l| l.trim() == end_marker)?;
    Some((start + 2, lines[start + 1..start + 1 + len].to_vec()))
}
