//! stress: 10,000 tasks at once, to show (and benchmark) that the live view keeps up.
//!
//! Not a lesson: `asyncdemo stress` opens it. A hundred supervisor tasks each spawn a hundred
//! workers; every worker sleeps a few random times and finishes, a few panic (Failed), and one
//! in fifty is cancelled by its supervisor: every state appears, all at scale, in a tree two
//! levels deep.

use std::time::Duration;

use super::{futures, tokio};
use futures::future::join_all;

use tokio::task::JoinSet;
use tokio::time::sleep;

/// Supervisors, and workers per supervisor.
pub const GROUPS: u64 = 100;
pub const WORKERS: u64 = 100;

async fn worker(group: u64, number: u64) -> u64 {
    let mut slept = 0;
    for _ in 0..fastrand::u64(1..=3) {
        let pause = fastrand::u64(100..=4000);
        sleep(Duration::from_millis(pause)).await;
        slept += pause;
    }
    if (group * WORKERS + number).is_multiple_of(97) {
        panic!("worker {group}/{number} gave up");
    }
    slept
}

async fn supervisor(group: u64) -> usize {
    let handles: Vec<_> = (0..WORKERS).map(|number| tokio::spawn(worker(group, number))).collect();
    // One worker in fifty is cancelled after a second.
    sleep(Duration::from_secs(1)).await;
    for handle in handles.iter().step_by(50) {
        handle.abort();
    }
    join_all(handles).await.iter().filter(|joined| joined.is_ok()).count()
}

pub async fn main() {
    let mut groups = JoinSet::new();
    for group in 0..GROUPS {
        groups.spawn(supervisor(group));
    }
    let mut finished = 0;
    while let Some(done) = groups.join_next().await {
        finished += done.expect("a supervisor panicked");
    }
    println!("{finished} of {} workers finished", GROUPS * WORKERS);
}
