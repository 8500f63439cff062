//! [`Run`]: one run's runtime and recorder, set up and torn down in the one safe order.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::super::event::TaskKind;
use super::super::program::Program;
use super::super::record::shared::RunShared;
use super::super::record::{self, Limits, MAIN_TASK, Recorded, Stop};
use super::super::traced::Traced;
use super::config::RunConfig;

/// A run in progress on this thread: a `current_thread` runtime with a paused clock (like
/// asyncio's loop: one thread, and here a virtual clock), and the recorder that traces it.
///
/// Teardown has one safe order, and `Drop` (or [`Run::finish`]) keeps it: the runtime is
/// dropped first, which cancels every task still alive, and each cancelled task records its
/// `Cancelled` into the recorder, which must still be there; the recorder is removed last.
pub(crate) struct Run {
    runtime: Option<tokio::runtime::Runtime>,
    shared: Arc<RunShared>,
    // The recorder is this thread's: a `Run` must not move to another thread.
    _on_this_thread: PhantomData<*const ()>,
}

impl Run {
    /// Builds the runtime and installs the recorder on this thread.
    pub(crate) fn start(program: &Program, config: &RunConfig, live: bool) -> std::io::Result<Run> {
        let runtime =
            tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()?;
        let limits = Limits { virtual_time: config.virtual_limit, events: config.max_events };
        let shared = {
            let _context = runtime.enter();
            record::install(program.file, limits, live)
        };
        // The demos' randomness: `fastrand`'s generator for this thread, seeded from `--seed`.
        fastrand::seed(config.seed);
        Ok(Run { runtime: Some(runtime), shared, _on_this_thread: PhantomData })
    }

    pub(crate) fn shared(&self) -> &Arc<RunShared> {
        &self.shared
    }

    /// Runs `future` on the run's runtime (`Runtime::block_on`).
    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.as_ref().expect("the runtime lives until the run is finished").block_on(future)
    }

    /// Tears the run down and returns what it recorded.
    pub(crate) fn finish(mut self) -> Recorded {
        self.teardown().expect("a run is finished once")
    }

    fn teardown(&mut self) -> Option<Recorded> {
        let runtime = self.runtime.take()?;
        // Like the end of `asyncio.run`: every task still alive is cancelled. Jobs sleeping on
        // the virtual clock are let go first (the runtime waits for the blocking pool).
        record::try_with(|rec| rec.start_closing());
        drop(runtime);
        // What blocking jobs queued while the runtime shut down.
        record::try_with(|rec| rec.drain());
        Some(record::uninstall())
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.teardown();
    }
}

/// The program's `main` future, traced as task #1 (`main`): what `#[tokio::main]` gives to
/// `block_on`. It is not a tokio task (`tokio::task::try_id()` is `None` in it), and it does not
/// wait in tokio's run queue: the runtime polls it whenever it is woken.
///
/// A panic in `main` (an `.expect` on a join the learner cancelled) ends the run with `main`
/// Failed, as the trace records it, instead of taking the run's thread down with it.
pub(crate) fn main_future(program: &Program) -> impl Future<Output = ()> + use<> {
    let run = record::try_with(|rec| {
        let task = rec.spawn("main", TaskKind::Async);
        debug_assert_eq!(task, MAIN_TASK);
        rec.run()
    })
    .expect("a run is installed");
    let main = std::panic::AssertUnwindSafe(Traced::new(MAIN_TASK, run, (program.main)()));
    futures::FutureExt::map(futures::FutureExt::catch_unwind(main), |_| ())
}

/// Resolves when the recorder stops the run (a limit was passed).
pub(crate) struct StopSignal;

impl Future for StopSignal {
    type Output = Stop;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Stop> {
        match record::try_with(|rec| rec.poll_stop(cx.waker())) {
            Some(Some(stop)) => Poll::Ready(stop),
            _ => Poll::Pending,
        }
    }
}
