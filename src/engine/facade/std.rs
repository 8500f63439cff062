//! The `std` a demo sees: the standard library, with `thread::sleep` traced.

pub use ::std::*;

/// `std::thread`, with `sleep` on the virtual clock.
pub mod thread {
    pub use ::std::thread::*;

    use ::std::time::Duration;

    use super::super::super::record::shared::Foreign;
    use super::super::super::record::shared::running_job;
    use super::super::super::record::{self};

    /// Blocks the calling thread for `duration`, as `std::thread::sleep` does; in a demo, on the
    /// virtual clock:
    ///
    /// - in a task, on the runtime's thread: the clock moves on by `duration` at once, and
    ///   nothing else runs meanwhile (the thread is busy): every timer due in between fires
    ///   late, as Python's `time.sleep` in a coroutine delays the whole event loop;
    /// - in a blocking job (`spawn_blocking`): the job's thread waits until the virtual clock
    ///   has moved on by `duration`, while the runtime goes on with its tasks, as a real
    ///   thread's sleep lets the event loop run;
    /// - anywhere else: a real sleep.
    pub fn sleep(duration: Duration) {
        if let Some(context) = running_job() {
            let job = context.job.clone();
            context.job.sleep(|| context.shared.push(Foreign::JobSleep { job, takes: duration }));
            return;
        }
        if record::try_with(|rec| rec.current().is_some()) == Some(true) {
            block_runtime_thread(duration);
            return;
        }
        ::std::thread::sleep(duration);
    }

    /// Moves the paused clock on by `duration` without giving the runtime a chance to run
    /// anything: polling `tokio::time::advance` once moves the clock at once (it yields only
    /// afterwards, and that yield is dropped here). A test pins this behaviour of tokio's.
    fn block_runtime_thread(duration: Duration) {
        let mut advance = ::std::pin::pin!(::tokio::time::advance(duration));
        let _ = advance.as_mut().poll(&mut ::std::task::Context::from_waker(::std::task::Waker::noop()));
        record::try_with(|rec| rec.tick());
    }

    use ::std::future::Future;
}
