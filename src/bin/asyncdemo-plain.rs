//! `asyncdemo-plain DEMO [SEED]`: runs a demo on tokio itself, as
//! `#[tokio::main(flavor = "current_thread", start_paused = true)]` would, and prints what it
//! prints. Built only with `--features plain-tokio`, where the demos are compiled against tokio
//! and std themselves: the other half of the parity test (`tests/parity.rs`), which checks that
//! a traced run prints the same lines.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(id) = args.next() else {
        eprintln!("usage: asyncdemo-plain DEMO [SEED]");
        return ExitCode::from(2);
    };
    let seed = match args.next().map(|seed| seed.parse::<u64>()) {
        None => asyncdemo::engine::run::DEFAULT_SEED,
        Some(Ok(seed)) => seed,
        Some(Err(error)) => {
            eprintln!("error: the seed: {error}");
            return ExitCode::from(2);
        }
    };
    let Some(demo) = asyncdemo::demos::find(&id) else {
        eprintln!("error: unknown demo `{id}`");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot build a runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The demos' randomness, seeded as the traced runs seed it.
    fastrand::seed(seed);
    runtime.block_on((demo.program.main)());
    ExitCode::SUCCESS
}
