//! asyncdemo: watch asynchronous code run.
//!
//! The data flow can be read off the module tree:
//!
//! ```text
//! lesson (lessons/*.toml) ──► demos (tokio code) ──► engine (events) ──► view (transcript, UI, handout)
//! ```
//!
//! - [`lesson`]: the lesson file schema and the validated course catalog;
//! - [`demos`]: one Rust/tokio demo per lesson, written against [`engine`];
//! - [`engine`]: runs a demo on a paused-clock runtime and records every task's lifecycle;
//! - [`view`]: renders what was recorded: the plain transcript, the Perfetto trace;
//! - [`handout`]: a lesson and its run as a page to keep (HTML, Markdown), and the course book;
//! - [`ui`]: the live terminal UI, driving a paced run;
//! - [`class`]: classroom sessions: the presenter's moment sent to followers over TCP, polls;
//! - [`quiz`]: questions whose answers come from the recorded run;
//! - [`tour`]: the walkthrough of the whole course, with progress;
//! - [`cli`]: the command line.

pub mod class;
pub mod cli;
pub mod demos;
pub mod diagnostic;
pub mod engine;
pub mod handout;
pub mod lesson;
pub mod quiz;
pub mod tour;
pub mod ui;
pub mod view;
