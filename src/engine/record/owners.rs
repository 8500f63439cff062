//! Whose waker is this? A traced task's waker is tokio's own waker seen through our vtable (see
//! `traced::waker`), so a wake says only tokio's data pointer: the address of the task in
//! tokio's memory (or of the `block_on` future's waker). This table maps it to our task.
//!
//! A pointer is unique among live tasks, and a waker keeps its task alive, so whichever task
//! holds a pointer now is the owner of every waker with it. A task is entered when a poll leaves
//! it suspended (only then can anyone else wake it; a wake during its own poll is told apart by
//! the poll under way) and removed when it finishes. A cancelled task's entry stays until the
//! address is reused, which can only happen once every waker of the old task is gone; a wake
//! from one before then is a wake of a task that has ended, which the decoder drops.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::super::event::TaskId;

/// The address tokio's waker points at.
pub(crate) type WakerData = usize;

#[derive(Debug, Default)]
pub(crate) struct Owners {
    by_data: HashMap<WakerData, TaskId, BuildHasherDefault<AddressHasher>>,
}

impl Owners {
    /// `task` suspended, polled with a waker pointing at `data`.
    #[inline]
    pub(crate) fn suspended(&mut self, data: WakerData, task: TaskId) {
        self.by_data.insert(data, task);
    }

    /// The task polled with `data` finished.
    #[inline]
    pub(crate) fn finished(&mut self, data: WakerData) {
        self.by_data.remove(&data);
    }

    /// The task a waker pointing at `data` wakes, if it is a traced task of this run.
    #[inline]
    pub(crate) fn owner(&self, data: WakerData) -> Option<TaskId> {
        self.by_data.get(&data).copied()
    }
}

/// Hashes an address: allocations are aligned, so the low bits say little; a multiply spreads
/// the rest over the word (std's default SipHash would cost more than the rest of a wake).
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = ((address as u64) >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_belongs_to_the_task_that_suspended_with_it_last() {
        let mut owners = Owners::default();
        owners.suspended(0x1000, TaskId(2));
        owners.suspended(0x2000, TaskId(3));
        assert_eq!(owners.owner(0x1000), Some(TaskId(2)));
        owners.finished(0x1000);
        assert_eq!(owners.owner(0x1000), None);
        // The address reused by a new task.
        owners.suspended(0x2000, TaskId(7));
        assert_eq!(owners.owner(0x2000), Some(TaskId(7)));
    }
}
