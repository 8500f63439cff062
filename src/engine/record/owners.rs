//! Whose waker is this? A traced task's waker is tokio's own waker seen through our vtable (see
//! `traced::waker`), so a wake says only tokio's data pointer: the address of the task in
//! tokio's memory (or of the `block_on` future's waker). The log records that pointer with each
//! suspension and each wake, and the decoder, reading the log in order, keeps this table from
//! pointer to task.
//!
//! A pointer is unique among live tasks, and a waker keeps its task alive, so whichever task
//! holds a pointer now is the owner of every waker with it. A task is entered when a poll leaves
//! it suspended (only then can anyone else wake it; a wake during its own poll is told apart by
//! the poll under way, when it is recorded). An ended task's entry stays until a new task at the
//! same address suspends: until then every waker with that address is one of the old task's (a
//! new task's wakers exist only from its first poll on, which either ends it or enters it), and
//! a wake of a task that has ended is dropped by the decoder.
//!
//! Entries are never removed, which allows the simplest of hash tables: open addressing with
//! linear probing, keyed by the address.

use super::super::event::TaskId;

/// The address tokio's waker points at.
pub(crate) type WakerData = usize;

#[derive(Debug)]
pub(crate) struct Owners {
    /// `(address, task id)`; address 0 marks a free slot. The length is a power of two, at
    /// least twice the number of entries. (Plain integers, so that a new table is zeroed
    /// memory from the allocator, touched only where entries land.)
    slots: Vec<(WakerData, u32)>,
    len: usize,
}

/// How many slots the table starts with.
const INITIAL: usize = 1 << 10;

impl Default for Owners {
    fn default() -> Owners {
        Owners { slots: vec![(0, 0); INITIAL], len: 0 }
    }
}

impl Owners {
    /// Where `data`'s probe starts: allocations are aligned, so the low bits say little; a
    /// multiply spreads the rest, and the top bits pick the slot.
    #[inline]
    fn start(&self, data: WakerData) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (((data as u64) >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// `task` suspended, polled with a waker pointing at `data`.
    #[inline]
    pub(crate) fn suspended(&mut self, data: WakerData, task: TaskId) {
        if data == 0 {
            return;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.start(data);
        loop {
            let slot = &mut self.slots[at];
            if slot.0 == data {
                slot.1 = task.0;
                return;
            }
            if slot.0 == 0 {
                *slot = (data, task.0);
                self.len += 1;
                if self.len * 2 > self.slots.len() {
                    self.grow();
                }
                return;
            }
            at = (at + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        let bigger = vec![(0, 0); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        self.len = 0;
        for (data, task) in old.into_iter().filter(|&(data, _)| data != 0) {
            self.suspended(data, TaskId(task));
        }
    }

    /// The task a waker pointing at `data` wakes, if it is a traced task of this run.
    #[inline]
    pub(crate) fn owner(&self, data: WakerData) -> Option<TaskId> {
        let mask = self.slots.len() - 1;
        let mut at = self.start(data);
        loop {
            match self.slots[at] {
                (0, _) => return None,
                (key, task) if key == data => return Some(TaskId(task)),
                _ => at = (at + 1) & mask,
            }
        }
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
        assert_eq!(owners.owner(0x3000), None);
        // The address reused by a new task.
        owners.suspended(0x2000, TaskId(7));
        assert_eq!(owners.owner(0x2000), Some(TaskId(7)));
    }

    #[test]
    fn the_table_grows_and_keeps_every_entry() {
        let mut owners = Owners::default();
        let address = |i: u32| 0x7f00_0000_0000 + i as usize * 128;
        let count = 20 * INITIAL as u32;
        for i in 1..=count {
            owners.suspended(address(i), TaskId(i));
        }
        assert!(owners.slots.len() >= 40 * INITIAL);
        assert!((1..=count).all(|i| owners.owner(address(i)) == Some(TaskId(i))));
        assert_eq!(owners.owner(address(count + 1)), None);
    }
}
