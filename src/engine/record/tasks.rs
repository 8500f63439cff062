//! The run's task table: what each task runs, and who spawned it. Eight bytes a task: the type
//! names tasks are named from are stored once each.

use std::collections::HashMap;

use super::super::event::{TaskId, TaskKind, TaskMeta, task_name};

/// A task: the index of its origin (the type name of what it runs) with its kind in the top
/// bit, and its parent's id (0 for none).
#[derive(Copy, Clone, Debug)]
struct Entry {
    origin: u32,
    parent: u32,
}

const BLOCKING: u32 = 1 << 31;

/// Every task of the run, by id.
#[derive(Debug, Default)]
pub(crate) struct TaskTable {
    entries: Vec<Entry>,
    origins: Vec<&'static str>,
    /// Origins by address and length, and the last one looked up (most spawns in a row spawn
    /// the same function).
    index: HashMap<(usize, usize), u32>,
    last: Option<(&'static str, u32)>,
}

/// How many tasks the table is created for.
const RESERVED: usize = 1 << 17;

impl TaskTable {
    pub(crate) fn new() -> TaskTable {
        TaskTable { entries: Vec::with_capacity(RESERVED), ..TaskTable::default() }
    }

    /// A new task.
    #[inline]
    pub(crate) fn add(&mut self, origin: &'static str, parent: Option<TaskId>, kind: TaskKind) -> TaskId {
        let origin = match self.last {
            Some((last, index)) if std::ptr::eq(last, origin) => index,
            _ => self.intern(origin),
        };
        let kind = match kind {
            TaskKind::Async => 0,
            TaskKind::Blocking => BLOCKING,
        };
        self.entries.push(Entry { origin: origin | kind, parent: parent.map_or(0, |p| p.0) });
        TaskId(self.entries.len() as u32)
    }

    #[cold]
    fn intern(&mut self, origin: &'static str) -> u32 {
        let key = (origin.as_ptr() as usize, origin.len());
        let index = *self.index.entry(key).or_insert_with(|| {
            self.origins.push(origin);
            self.origins.len() as u32 - 1
        });
        self.last = Some((origin, index));
        index
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Tasks `from..` as the views see them.
    pub(crate) fn metas_from(&self, from: usize) -> Vec<TaskMeta> {
        self.entries[from.min(self.entries.len())..]
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let kind = if e.origin & BLOCKING != 0 { TaskKind::Blocking } else { TaskKind::Async };
                TaskMeta {
                    id: TaskId((from + i) as u32 + 1),
                    name: task_name(self.origins[(e.origin & !BLOCKING) as usize], kind),
                    parent: (e.parent != 0).then_some(TaskId(e.parent)),
                    kind,
                }
            })
            .collect()
    }

    /// Bytes the table holds, for the benchmark.
    pub(crate) fn bytes(&self) -> usize {
        self.entries.len() * size_of::<Entry>() + self.origins.len() * size_of::<&str>()
    }
}
