//! Keeps panics inside demo tasks out of the terminal.
//!
//! A demo may panic on purpose (to show a Failed task). tokio catches the panic, and the engine
//! records it, but the process-wide panic hook still runs first: it would print the panic text
//! over the transcript or, worse, restore the terminal from under the live UI. [`install`] wraps
//! the current hook so that it stays silent while a demo task is being polled or dropped on this
//! thread (or a blocking job runs on it); every other panic reaches the previous hook unchanged.

use std::sync::Once;

use super::record::shared::running_job;
use super::record::{self};

/// Is this thread running a demo task's code (polling or dropping a traced task, or running a
/// blocking job)?
pub fn inside_demo_task() -> bool {
    record::in_task() || running_job().is_some()
}

/// Wraps the current panic hook (once per process for the default hook; call
/// [`wrap_current_hook`] again after installing another hook, such as ratatui's).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(wrap_current_hook);
}

/// Wraps whatever panic hook is installed now.
pub fn wrap_current_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !inside_demo_task() {
            previous(info);
        }
    }));
}
