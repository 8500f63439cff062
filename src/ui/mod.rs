//! The live terminal UI: watch, pause, step, rewind and cancel tasks as a demo runs.
//!
//! ```text
//! PacedRun (demo thread) ──updates──► Playback (which moment) ─┐
//!          ▲                                  ▲                  ├─► App ──► panels ──► terminal
//!          └──────── commands ◄───────────────┘ ◄── keys ─────── ViewOptions (how it is shown)
//! ```
//!
//! In a class ([`classroom`]), the presenter's moment goes out through [`crate::class`] after
//! every change, and a follower's playback mirrors the moment that comes in.
//!
//! The UI runs on its own real-time tokio runtime; only the demo's runtime has a virtual clock.
//! The loop redraws only when something changed (a key, an update from the demo, a tick while
//! playing), so a paused view uses no CPU.

pub mod app;
pub mod classroom;
pub mod compare;
pub(crate) mod highlight;
pub mod keys;
pub mod layout;
pub(crate) mod lesson_text;
mod panels;
pub mod playback;
pub mod session;
pub mod terminal;
pub mod theme;

pub use app::{App, Exit};
