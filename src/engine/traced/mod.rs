//! Tracing a task: the wrapper around each traced future, and the waker it hands the future.

pub(crate) mod report;
mod task;
mod waker;

pub(crate) use task::Traced;
