//! Lessons: the file format ([`schema`]) and the validated, ordered course ([`catalog`]).

pub mod catalog;
pub mod prints;
pub mod regions;
pub mod schema;

pub use catalog::{Catalog, Lesson, LessonError, LessonErrors, UnknownLesson};
pub use schema::{Lang, LessonFile};
