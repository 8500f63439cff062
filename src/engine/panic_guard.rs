//! Keeps panics inside demo tasks out of the terminal.
//!
//! A demo may panic on purpose (to show a Failed task). tokio catches the panic, and the engine
//! records it, but the process-wide panic hook still runs first: it would print the panic text
//! over the transcript or, worse, restore the terminal from under the live UI. [`install`] wraps
//! the current hook so that it stays silent while a demo task is being polled or dropped on this
//! thread; every other panic reaches the previous hook unchanged.

use std::cell::Cell;
use std::sync::Once;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// A demo task's code starts running on this thread.
pub(crate) fn enter() {
    DEPTH.with(|d| d.set(d.get() + 1));
}

/// …and stops.
pub(crate) fn leave() {
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
}

/// Is this thread running a demo task's code?
pub fn inside_demo_task() -> bool {
    DEPTH.with(|d| d.get() > 0)
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
