//! The guided tour of the whole course: a lesson menu with done markers and quiz scores; for
//! each lesson its text first, then its quiz, then its demo; resume, progress. And a class's
//! follower, who goes where the presenter goes.

pub mod follow;
pub mod guide;
pub mod menu;
pub mod progress;
pub mod quiz_screen;
pub mod text_page;
