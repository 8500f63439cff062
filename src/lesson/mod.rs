//! Lessons: the file format ([`schema`]) and the validated, ordered course ([`catalog`]).

pub mod catalog;
pub mod model;
pub mod prints;
pub mod regions;
pub mod runs;
pub mod schema;

pub use catalog::{Catalog, LessonError, LessonErrors, UnknownLesson};
pub use model::{Lesson, Predict, Quiz, RunOf, Stop, When};
pub use schema::{Lang, LessonFile};
