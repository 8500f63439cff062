//! stress: 10,000 tasks at once, to show (and benchmark) that the live view keeps up.
//!
//! Not a lesson: `asyncdemo stress` opens it. A hundred supervisor tasks each spawn a hundred
//! workers; every worker sleeps a few random times and finishes, a few fail, and one in fifty is
//! cancelled by its supervisor: every state appears, all at scale, in a tree two levels deep.

use std::time::Duration;

use crate::engine::{self, JoinSet};

/// Supervisors, and workers per supervisor.
pub const GROUPS: u64 = 100;
pub const WORKERS: u64 = 100;

async fn worker(group: u64, number: u64) -> Result<u64, String> {
    let mut slept = 0;
    for _ in 0..engine::random_range(1..=3) {
        let pause = engine::random_range(100..=4000);
        engine::sleep(Duration::from_millis(pause)).await;
        slept += pause;
    }
    if (group * WORKERS + number).is_multiple_of(97) {
        return Err(format!("worker {group}/{number} gave up"));
    }
    Ok(slept)
}

async fn supervisor(group: u64) -> usize {
    let mut handles = Vec::new();
    for number in 0..WORKERS {
        handles.push(engine::spawn_fallible(format!("worker {group}/{number}"), worker(group, number)));
    }
    // One worker in fifty is cancelled after a second.
    engine::sleep(Duration::from_secs(1)).await;
    for handle in handles.iter().step_by(50) {
        handle.abort();
    }
    engine::join_all(handles).await.iter().filter(|joined| matches!(joined, Ok(Ok(_)))).count()
}

pub async fn main() {
    let mut groups = JoinSet::new();
    for group in 0..GROUPS {
        groups.spawn(format!("supervisor {group}"), supervisor(group));
    }
    let mut finished = 0;
    while let Some((_, done)) = groups.join_next().await {
        finished += done.expect("a supervisor panicked");
    }
    crate::say!("{finished} of {} workers finished", GROUPS * WORKERS);
}
