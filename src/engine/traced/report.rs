//! How a finished task's output is shown: integers and `()` (the commonest results) are kept
//! as values and formatted only when shown; anything else is its `{:?}` text.

use std::any::Any;
use std::fmt::Debug;

use super::super::event::{Text, Value};

/// A finished task's output, for the trace.
pub(crate) fn value<T: Debug + 'static>(output: &T) -> Value {
    let any = output as &dyn Any;
    let int = if let Some(&n) = any.downcast_ref::<u64>() {
        i64::try_from(n).ok()
    } else if let Some(&n) = any.downcast_ref::<usize>() {
        i64::try_from(n).ok()
    } else if let Some(&n) = any.downcast_ref::<i64>() {
        Some(n)
    } else if let Some(&n) = any.downcast_ref::<i32>() {
        Some(i64::from(n))
    } else if let Some(&n) = any.downcast_ref::<u32>() {
        Some(i64::from(n))
    } else {
        None
    };
    match int {
        Some(n) => Value::Int(n),
        None if any.is::<()>() => Value::Unit,
        None => Value::Debug(format!("{output:?}").into()),
    }
}

/// The text of a panic: `panicked: <message>`.
pub(crate) fn panic_text(payload: &(dyn Any + Send)) -> Text {
    format!("panicked: {}", panic_message(payload)).into()
}

/// The message of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic with a non-text payload)".to_owned()
    }
}
