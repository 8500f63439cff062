//! The guided tour of the whole course: a lesson menu with done markers and quiz scores, a
//! quiz before each lesson, resume, progress.

pub mod menu;
pub mod progress;
pub mod quiz_screen;
