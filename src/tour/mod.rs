//! The guided tour of the whole course: a lesson menu with done markers, resume, progress.

pub mod menu;
pub mod progress;
