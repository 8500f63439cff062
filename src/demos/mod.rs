//! The demo registry: every lesson's Rust/tokio demo, by id.
//!
//! Each demo is one file with an `async fn main()` written against [`crate::engine`]. Its source
//! is embedded too, so `asyncdemo show` and the live UI can display it, and a lesson can point
//! at a region of it (marked with `// [region: NAME]` … `// [end: NAME]` comment lines).

use std::future::Future;
use std::pin::Pin;

/// A demo's entry point: builds the future that becomes task #1, `main`.
pub type DemoMain = fn() -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// One runnable demo.
#[derive(Debug)]
pub struct Demo {
    /// The id lesson files refer to (`demo = "gather"`).
    pub id: &'static str,
    /// The source file, relative to the package root (as in trace source lines).
    pub file: &'static str,
    /// The source text.
    pub source: &'static str,
    pub main: DemoMain,
}

macro_rules! demos {
    ($($id:literal => $module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every demo, in the order of the course.
        pub static DEMOS: &[Demo] = &[
            $(Demo {
                id: $id,
                file: concat!("src/demos/", stringify!($module), ".rs"),
                source: include_str!(concat!(stringify!($module), ".rs")),
                main: || Box::pin($module::main()),
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
