//! How to run a program: the seed of its randomness, and the limits that stop a runaway one.

use std::time::Duration;

/// How to run a demo.
#[derive(Copy, Clone, Debug)]
pub struct RunConfig {
    /// Seed for the demo's random numbers (`--seed`).
    pub seed: u64,
    /// Stop a demo whose virtual clock passes this.
    pub virtual_limit: Duration,
    /// Stop waiting for a demo that takes longer than this in real time.
    pub real_limit: Duration,
    /// Stop recording after this many events.
    pub max_events: usize,
}

/// The seed used when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 42;

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            seed: DEFAULT_SEED,
            virtual_limit: Duration::from_secs(3600),
            real_limit: Duration::from_secs(30),
            max_events: 10_000_000,
        }
    }
}
